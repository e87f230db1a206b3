#include "app/top_view.hpp"

#include <cstdio>

namespace formation::app {

std::optional<double> cpu_percent(const InstanceStatus& before, const InstanceStatus& now, std::uint64_t elapsed_usec) {
    if (!before.cpu_nsec || !now.cpu_nsec || elapsed_usec == 0) return std::nullopt;
    if (before.pid != now.pid || *now.cpu_nsec < *before.cpu_nsec) return std::nullopt;
    double used_usec = static_cast<double>(*now.cpu_nsec - *before.cpu_nsec) / 1000.0;
    return 100.0 * used_usec / static_cast<double>(elapsed_usec);
}

std::string cpu_key(const std::string& host, const std::string& unit) { return host + "\t" + unit; }

std::map<std::string, double> cpu_percents(const std::vector<TopSample>& before, const std::vector<TopSample>& now) {
    std::map<std::string, const InstanceStatus*> earlier;
    std::map<std::string, std::uint64_t> taken;
    for (const auto& s : before) {
        if (!s.view) continue;
        taken[s.host] = s.at_usec;
        for (const auto& t : s.view->types)
            for (const auto& i : t.instances) earlier[cpu_key(s.host, i.unit)] = &i;
    }
    std::map<std::string, double> out;
    for (const auto& s : now) {
        if (!s.view || !taken.count(s.host) || s.at_usec <= taken[s.host]) continue;
        std::uint64_t elapsed = s.at_usec - taken[s.host];
        for (const auto& t : s.view->types)
            for (const auto& i : t.instances) {
                auto key = cpu_key(s.host, i.unit);
                auto e = earlier.find(key);
                if (e == earlier.end()) continue;
                if (auto p = cpu_percent(*e->second, i, elapsed)) out[key] = *p;
            }
    }
    return out;
}

std::string format_percent(double p) {
    char buf[32];
    if (p < 0) p = 0;
    std::snprintf(buf, sizeof buf, p < 100 ? "%.1f" : "%.0f", p);
    return buf;
}

}  // namespace formation::app
