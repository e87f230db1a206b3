// Rewrites the count of process types in formation.toml text, keeping
// everything else (comments, spacing, line endings) byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formation/error.hpp"

namespace formation {

// Returns `text` with each [process.TYPE]'s `count = N` value replaced in
// place, or `count = N` inserted on the line after the header when the type
// has none. Throws FormationError for an unknown type (at the app line), a
// count outside 0..1000, invalid TOML, or a type written in a form that
// cannot be edited safely (inline table, dotted keys). Pure: reads no file.
std::string set_counts(std::string_view text, const std::string& path,
                       const std::vector<std::pair<std::string, int>>& counts);

}  // namespace formation
