#include "cli/diff.hpp"

#include <vector>

namespace formation::cli {

namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        auto nl = s.find('\n');
        out.push_back(s.substr(0, nl == std::string_view::npos ? s.size() : nl + 1));
        s.remove_prefix(nl == std::string_view::npos ? s.size() : nl + 1);
    }
    return out;
}

void emit(std::string& out, char mark, std::string_view line) {
    out += mark;
    out += line;
    if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string line_diff(const std::string& path, std::string_view old_text, std::string_view new_text) {
    auto a = split_lines(old_text), b = split_lines(new_text);
    // Longest common subsequence table, from the end.
    std::vector<std::vector<unsigned>> lcs(a.size() + 1, std::vector<unsigned>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            ++i, ++j;
        } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
            emit(out, '+', b[j++]);
        } else {
            emit(out, '-', a[i++]);
        }
    }
    return out;
}

}  // namespace formation::cli
