#include "app/release_history.hpp"

#include <algorithm>
#include <map>

#include "app/error.hpp"
#include "formation/secrets.hpp"

namespace formation::app {

namespace {

const ProcessType* find_type(const Formation& f, const std::string& name) {
    for (const auto& p : f.processes)
        if (p.name == name) return &p;
    return nullptr;
}

// Every env name of the formation's types with its value (the first type's).
std::map<std::string, std::string> env_of(const Formation& f) {
    std::map<std::string, std::string> out;
    for (const auto& p : f.processes)
        for (const auto& [name, value] : p.env) out.emplace(name, value);
    return out;
}

std::string shown(const std::string& name, const std::string& value) {
    if (value.size() > 24 || looks_secret(name, value)) return "";
    for (char ch : value)
        if (static_cast<unsigned char>(ch) < ' ' || ch == 0x7f) return "";
    return value.empty() ? "\"\"" : value;
}

}  // namespace

std::string summarize_changes(const Formation* before, const Formation& after) {
    std::vector<std::string> parts;
    if (!before) {
        std::string types;
        for (const auto& p : after.processes) types += (types.empty() ? "" : ", ") + p.name + " ×" + std::to_string(p.count);
        return "first release: " + types;
    }
    for (const auto& p : after.processes) {
        const ProcessType* old = find_type(*before, p.name);
        if (!old) {
            parts.push_back("+" + p.name + " ×" + std::to_string(p.count));
            continue;
        }
        if (old->count != p.count) parts.push_back(p.name + " " + std::to_string(old->count) + "→" + std::to_string(p.count));
        if (!(old->command.shell == p.command.shell && old->command.line == p.command.line &&
              old->command.argv == p.command.argv))
            parts.push_back(p.name + " command");
    }
    for (const auto& p : before->processes)
        if (!find_type(after, p.name)) parts.push_back("-" + p.name);
    auto was = env_of(*before), now = env_of(after);
    for (const auto& [name, value] : now) {
        auto it = was.find(name);
        if (it == was.end()) parts.push_back("env +" + name);
        else if (it->second != value) {
            std::string a = shown(name, it->second), b = shown(name, value);
            parts.push_back(a.empty() || b.empty() ? "env " + name + " changed" : "env " + name + " " + a + "→" + b);
        }
    }
    for (const auto& [name, value] : was)
        if (!now.count(name)) parts.push_back("env -" + name);
    bool release_changed = before->release.has_value() != after.release.has_value() ||
                           (after.release && (before->release->command.line != after.release->command.line ||
                                              before->release->command.argv != after.release->command.argv));
    if (release_changed) parts.push_back("release command");
    if (parts.empty()) return "other settings";
    std::string out;
    for (const auto& s : parts) out += (out.empty() ? "" : "; ") + s;
    return out;
}

const host::Release& rollback_target(const std::vector<host::Release>& kept, std::optional<unsigned> n,
                                     const std::string& app) {
    if (kept.empty())
        throw Error("app " + app + " has no release history on this host yet (each successful apply records one)",
                    exit_usage);
    if (n) {
        auto it = std::find_if(kept.begin(), kept.end(), [&n](const host::Release& r) { return r.number == *n; });
        if (it == kept.end())
            throw Error("release " + std::to_string(*n) + " of app " + app + " is not kept; kept: " +
                            std::to_string(kept.front().number) + " to " + std::to_string(kept.back().number),
                        exit_usage);
        return *it;
    }
    if (kept.size() < 2)
        throw Error("app " + app + " has only release " + std::to_string(kept.back().number) + ": nothing to roll back to",
                    exit_usage);
    return kept[kept.size() - 2];
}

}  // namespace formation::app
