// TOML text → Formation. Pure: reads no file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation {

// Parses and validates. Throws FormationError listing every problem found
// (file:line:col each). `path` is only used in positions and messages.
Formation parse_formation(std::string_view text, const std::string& path);

// Non-fatal findings (an inline env key that looks like a secret, …).
std::vector<Diagnostic> lint_formation(const Formation& f);

}  // namespace formation
