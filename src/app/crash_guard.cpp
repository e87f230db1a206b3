#include "app/crash_guard.hpp"

#include <algorithm>
#include <sstream>

#include "host/tsv.hpp"

namespace formation::app {

GuardVerdict guard_start(std::vector<std::uint64_t> starts, std::uint64_t now_usec, unsigned burst,
                         std::uint64_t interval_usec) {
    GuardVerdict v;
    for (auto t : starts)
        if (t <= now_usec && now_usec - t < interval_usec) v.starts.push_back(t);
    std::sort(v.starts.begin(), v.starts.end());
    if (v.starts.size() >= burst) {
        v.give_up = true;
        std::uint64_t ms = interval_usec / 1000;
        v.why = std::to_string(v.starts.size()) + (v.starts.size() == 1 ? " start" : " starts") + " within " +
                (ms % 1000 ? std::to_string(ms) + " ms" : std::to_string(ms / 1000) + " s");
        return v;
    }
    v.starts.push_back(now_usec);
    return v;
}

std::vector<std::uint64_t> decode_starts(const std::string& text) {
    std::vector<std::uint64_t> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::uint64_t t = 0;
        if (host::tsv::to_u64(line, t)) out.push_back(t);
    }
    return out;
}

std::string encode_starts(const std::vector<std::uint64_t>& starts) {
    std::string out;
    for (auto t : starts) out += std::to_string(t) + "\n";
    return out;
}

}  // namespace formation::app
