// `scale` arguments: TYPE=N sets a count, TYPE=+N and TYPE=-N change it
// from what the formation holds. Pure: parsing and arithmetic only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "formation/model.hpp"

namespace formation::app {

struct CountChange {
    std::string type;
    int value = 0;          // the count, or the signed change when relative
    bool relative = false;  // TYPE=+N / TYPE=-N
    std::string text;       // as given, for messages
};

// Throws Error (exit_usage) naming the argument that is not TYPE=N,
// TYPE=+N or TYPE=-N with N from 0 to 1000.
std::vector<CountChange> parse_count_changes(const std::vector<std::string>& args);

// The absolute counts the changes make of `f`'s. Throws Error
// (exit_usage) for a type `f` does not have or a result outside 0..1000.
std::vector<std::pair<std::string, int>> resolve_counts(const std::vector<CountChange>& changes, const Formation& f);

std::vector<std::string> types_of(const std::vector<CountChange>& changes);

}  // namespace formation::app
