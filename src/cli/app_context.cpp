#include "cli/app_context.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "plan/plan.hpp"
#include "systemd/journal.hpp"

namespace formation::cli {

namespace fs = std::filesystem;

fs::path unit_dir_path(const Globals& g) {
    if (!g.unit_dir.empty()) return g.unit_dir;
    if (!g.user) return "/etc/systemd/system";
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return fs::path(xdg) / "systemd/user";
    const char* home = std::getenv("HOME");
    if (!home || !*home) throw CliError("--user needs $HOME to find ~/.config/systemd/user", exit_usage);
    return fs::path(home) / ".config/systemd/user";
}

LoadedFormation resolve_formation(const Globals& g, const std::string& app_opt) {
    const std::string& app = app_opt.empty() ? g.app : app_opt;
    if (app.empty()) return load_formation(g.file);
    systemd::UnitDir dir(unit_dir_path(g));
    auto text = dir.stored_formation(app);
    if (!text)
        throw CliError("app " + app + " is not installed in " + dir.root().string() + " (no " + app +
                           ".toml under .formation/)",
                       exit_usage);
    LoadedFormation loaded = parse_loaded((dir.root() / ".formation" / (app + ".toml")).string(), std::move(*text));
    std::string source = dir.stored_source_path(app);
    if (!source.empty()) loaded.formation.source_path = source;
    return loaded;
}

CompileOptions install_options(const Globals& g) { return {g.user, helper_path(true)}; }

std::vector<std::string> instance_patterns(const std::string& app, const std::vector<std::string>& types) {
    std::vector<std::string> patterns;
    for (const auto& t : types) patterns.push_back(app + "-" + t + "@*.service");
    return patterns;
}

std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app,
                                          const std::vector<std::string>& types) {
    if (types.empty()) return {};
    std::vector<std::string> patterns = instance_patterns(app, types);
    std::vector<std::string> out;
    // Globs can match more than we own (a "*" spans anything): keep only
    // names that parse as this app's instances.
    for (auto& unit : m.list_units(patterns))
        if (parse_instance(app, unit)) out.push_back(std::move(unit));
    return out;
}

int report_failures(const std::vector<systemd::JobOutcome>& outcomes, const char* verb) {
    int failed = 0;
    for (const auto& o : outcomes) {
        if (o.ok()) continue;
        ++failed;
        std::cerr << "formation: " << verb << " " << o.unit << ": " << o.result << '\n';
    }
    return failed;
}

std::string last_log_lines(const std::string& unit, bool user, std::size_t lines) {
    systemd::JournalQuery q;
    q.units = {unit};
    q.user = user;
    q.last = lines;
    // The process's own last words say why it failed; systemd's lines
    // ("Scheduled restart job", "Failed with result") only repeat the state.
    q.manager_messages = false;
    std::string out;
    try {
        for (const auto& e : systemd::read_journal(q)) out += "    " + e.message + '\n';
    } catch (const std::exception& e) {
        out += std::string("    (journal unreadable: ") + e.what() + ")\n";
    }
    return out;
}

Selection select_instances(const Globals& g, const std::string& app, const std::vector<std::string>& names) {
    LoadedFormation loaded = resolve_formation(g, app);
    if (app.empty() && g.app.empty() && systemd::UnitDir(unit_dir_path(g)).stored_formation(loaded.formation.app))
        loaded = resolve_formation(g, loaded.formation.app);
    auto types = select_types(loaded.formation, names);
    UnitSet set = compile(loaded.formation, install_options(g));
    Selection s{set.app_target, {}};
    for (const auto& i : set.instances)
        if (std::find(types.begin(), types.end(), i.type) != types.end()) s.units.push_back(i.unit);
    return s;
}

std::vector<std::string> select_types(const Formation& f, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& p : f.processes)
        if (names.empty()) out.push_back(p.name);
    for (const auto& n : names) {
        bool known = false;
        for (const auto& p : f.processes) known = known || p.name == n;
        if (!known) throw CliError("app " + f.app + " has no process type \"" + n + "\"", exit_usage);
        out.push_back(n);
    }
    return out;
}

}  // namespace formation::cli
