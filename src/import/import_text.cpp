#include "import/import_text.hpp"

namespace formation::import_text {

namespace {

// Length of a splitlines() terminator at text[i] other than "\n" and
// "\r\n"; 0 when there is none.
std::size_t python_break(std::string_view text, std::size_t i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e) return 1;
    std::string_view rest = text.substr(i);
    if (rest.starts_with("\xc2\x85") || rest.starts_with("\xe2\x80\xa8") || rest.starts_with("\xe2\x80\xa9"))
        return rest[0] == '\xc2' ? 2 : 3;
    return 0;
}

}  // namespace

std::vector<Line> split_lines(std::string_view text, Dialect d) {
    std::vector<Line> out;
    int number = 1;
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            out.push_back({text.substr(start, i - start), number++});
            i += text[i] == '\r' ? 2 : 1;
            start = i;
        } else if (std::size_t n = d == Dialect::honcho ? python_break(text, i) : 0; n > 0) {
            out.push_back({text.substr(start, i - start), number});
            i += n;
            start = i;
        } else {
            ++i;
        }
    }
    // As both tools do, a final terminator does not start another line.
    if (start < text.size()) out.push_back({text.substr(start), number});
    return out;
}

}  // namespace formation::import_text
