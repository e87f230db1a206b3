#include "app/count_changes.hpp"

#include <algorithm>

#include "app/error.hpp"

namespace formation::app {

namespace {
constexpr int max_count = 1000;
}

std::vector<CountChange> parse_count_changes(const std::vector<std::string>& args) {
    std::vector<CountChange> out;
    for (const auto& a : args) {
        auto eq = a.find('=');
        std::string n = eq == std::string::npos ? "" : a.substr(eq + 1);
        CountChange c{a.substr(0, eq), 0, false, a};
        int sign = 1;
        if (!n.empty() && (n[0] == '+' || n[0] == '-')) {
            c.relative = true;
            sign = n[0] == '-' ? -1 : 1;
            n.erase(0, 1);
        }
        bool digits = !n.empty() && n.size() <= 4 && n.find_first_not_of("0123456789") == std::string::npos;
        if (eq == std::string::npos || c.type.empty() || !digits || std::stoi(n) > max_count)
            throw Error("scale: \"" + a + "\" is not TYPE=N, TYPE=+N or TYPE=-N with N from 0 to 1000", exit_usage);
        c.value = sign * std::stoi(n);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::pair<std::string, int>> resolve_counts(const std::vector<CountChange>& changes, const Formation& f) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& c : changes) {
        auto p = std::find_if(f.processes.begin(), f.processes.end(),
                              [&c](const ProcessType& t) { return t.name == c.type; });
        if (p == f.processes.end())
            throw Error("app " + f.app + " has no process type \"" + c.type + "\"", exit_usage);
        if (p->schedule)
            throw Error("scale: " + c.type + " is a scheduled type (" + p->schedule->written +
                            "): it has no count; its timer starts one run at a time, `formation start " + c.type +
                            "` runs it now, and `formation stop " + c.type + "` stops its timer",
                        exit_usage);
        // A type named twice: the later change applies to the earlier's result.
        int current = p->count;
        for (const auto& [t, n] : out)
            if (t == c.type) current = n;
        int next = c.relative ? current + c.value : c.value;
        if (next < 0 || next > max_count)
            throw Error("scale: " + c.text + " would make " + c.type + "'s count " + std::to_string(next) +
                               " (it is " + std::to_string(current) + "); counts go from 0 to 1000",
                           exit_usage);
        out.emplace_back(c.type, next);
    }
    return out;
}

std::vector<std::string> types_of(const std::vector<CountChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes) out.push_back(c.type);
    return out;
}

}  // namespace formation::app
