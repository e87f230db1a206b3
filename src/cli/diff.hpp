// A line diff for `generate --check`, in unified style (no context trimming).
#pragma once

#include <string>
#include <string_view>

namespace formation::cli {

std::string line_diff(const std::string& path, std::string_view old_text, std::string_view new_text);

}  // namespace formation::cli
