#include "app/complete.hpp"

#include "app/context.hpp"
#include "host/store.hpp"

namespace formation::app {

namespace {

std::string instances(int n) { return std::to_string(n) + (n == 1 ? " instance" : " instances"); }

}  // namespace

std::vector<std::string> installed_apps(bool user) {
    std::vector<std::string> out;
    for (const auto& f : host::scan_installed(host_store(user).paths()).files) out.push_back(f.app);
    return out;
}

TypeCounts process_types(bool user, const std::string& app) {
    TypeCounts out;
    for (const auto& p : load_installed(host_store(user), user, app).formation.processes)
        out.push_back({p.name, p.count, p.schedule ? p.schedule->written : ""});
    return out;
}

void add_matching(std::vector<Candidate>& out, const std::string& cur, const std::string& word,
                  const std::string& description) {
    if (word.starts_with(cur)) out.push_back({word, description});
}

std::vector<Candidate> type_candidates(const std::string& name, const std::string& cur, const TypeCounts& types) {
    std::vector<Candidate> out;
    if (name != "types" && name != "type" && name != "instances") return out;
    bool dot = cur.find('.') != std::string::npos;
    for (const auto& t : types) {
        if (name == "instances" && dot) {
            for (int i = 1; i <= t.count; ++i) add_matching(out, cur, t.name + "." + std::to_string(i), "instance");
        } else {
            add_matching(out, cur, t.name, t.schedule.empty() ? instances(t.count) : "scheduled (" + t.schedule + ")");
        }
    }
    return out;
}

std::vector<Candidate> count_candidates(const std::string& cur, const TypeCounts& types) {
    std::vector<Candidate> out;
    if (cur.find('=') != std::string::npos) return out;
    for (const auto& t : types)
        if (t.schedule.empty()) add_matching(out, cur, t.name + "=", "now " + std::to_string(t.count));
    return out;
}

}  // namespace formation::app
