// Text helpers shared by the Procfile and .env readers of `formation import`.
#pragma once

#include <string_view>
#include <vector>

#include "import/dialect.hpp"

namespace formation::import_text {

struct Line {
    std::string_view text;  // without its terminator
    int number;             // 1-based, counted in "\n" as editors do
};

// foreman turns "\r\n" into "\n" and splits on "\n" only; honcho uses
// Python's str.splitlines(), which also ends a line at a lone "\r", "\v",
// "\f", "\x1c"-"\x1e", U+0085, U+2028 and U+2029. A line split off by one
// of those keeps the number of the "\n" line it sits in.
std::vector<Line> split_lines(std::string_view text, Dialect d);

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

inline bool is_blank(std::string_view s) {
    for (char c : s)
        if (!is_space(c)) return false;
    return true;
}

inline std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

}  // namespace formation::import_text
