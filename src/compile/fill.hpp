// Fills the unit templates of units/*.in.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace formation {

// "@NAME@" is replaced by vars["NAME"]. A line holding nothing but a
// placeholder takes a block: its lines, or nothing at all when empty.
// A placeholder with no value is a programming error (std::logic_error).
std::string fill_template(std::string_view tpl, const std::map<std::string, std::string>& vars);

}  // namespace formation
