#include "host/tsv.hpp"

namespace formation::host::tsv {

std::string field(const std::string& s) {
    std::string out;
    for (char ch : s) out += static_cast<unsigned char>(ch) < ' ' || ch == 0x7f ? '?' : ch;
    return out;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out(1);
    for (char ch : line) {
        if (ch == '\t') out.emplace_back();
        else out.back() += ch;
    }
    return out;
}

bool to_u64(const std::string& s, std::uint64_t& v) {
    if (s.empty() || s.size() > 20) return false;
    std::uint64_t n = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9') return false;
        auto d = static_cast<std::uint64_t>(ch - '0');
        if (n > (UINT64_MAX - d) / 10) return false;  // 20 digits can overflow
        n = n * 10 + d;
    }
    v = n;
    return true;
}

}  // namespace formation::host::tsv
