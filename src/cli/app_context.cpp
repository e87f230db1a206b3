#include "cli/app_context.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/table.hpp"
#include "compile/render.hpp"
#include "host/atomic_file.hpp"
#include "formation/values.hpp"
#include "plan/plan.hpp"
#include "systemd/journal.hpp"

namespace formation::cli {

host::Store host_store(const Globals& g) {
    try {
        return host::Store(host::paths(g.user));
    } catch (const host::DiskError& e) {
        throw CliError(e.what(), exit_usage);
    }
}

std::string resolve_app(const Globals& g, const std::string& verb_app) {
    const std::string& app = verb_app.empty() ? g.app : verb_app;
    if (app.empty()) return load_formation(g.file).formation.app;
    if (!is_valid_app_name(app))
        throw CliError("-a " + app + ": not an app name (lowercase letters, digits and single dashes, e.g. shop)",
                       exit_usage);
    return app;
}

InstalledFormation load_installed(const Globals& g, const std::string& app) {
    host::Store store = host_store(g);
    auto in = store.installed(app);
    if (!in)
        throw CliError("app " + app + " is not installed (no " + store.paths().installed_path(app).string() +
                           "; `formation apply` installs it)",
                       exit_usage);
    InstalledFormation out;
    out.installed_path = in->path.string();
    CompileOptions options = install_options(g, out.installed_path);
    Rendered r = render(in->text, out.installed_path, options, app);
    std::string path = out.installed_path, text = in->text;
    if (!r.ok() && in->last_good) {
        out.installed_errors = r.errors;
        out.on_last_good = true;
        path = in->last_good_path.string();
        text = *in->last_good;
        r = render(text, path, options, app);
    }
    if (!r.ok()) throw InvalidFormation{FormationError(r.errors), text};
    out.path = path;
    out.text = std::move(text);
    out.formation = std::move(*r.formation);
    return out;
}

InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app) {
    return load_installed(g, resolve_app(g, verb_app));
}

CompileOptions install_options(const Globals& g, const std::string& installed_path) {
    return {g.user, helper_path(), installed_path};
}

CompileOptions install_options(const Globals& g, const InstalledFormation& f) {
    return install_options(g, f.installed_path);
}

host::AppLock lock_app(const host::Store& store, const std::string& app) {
    return store.lock(app, lock_timeout_sec(), [&app] {
        std::cerr << "formation: waiting for another formation command on app " << app << "\n";
    });
}

std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app) {
    std::vector<std::string> out;
    // A glob can match more than the app's own (a "*" spans dashes): keep
    // only names that parse as this app's instances.
    for (auto& s : m.list_unit_states({app + "-*@*.service"}))
        if (parse_instance(app, s.name)) out.push_back(std::move(s.name));
    return out;
}

std::uint64_t job_timeout_usec(const Formation& f) {
    std::uint64_t worst = 0;
    for (const auto& p : f.processes) worst = std::max(worst, p.start_timeout_usec + p.stop_timeout_usec);
    return 2 * worst + 60 * usec_per_sec;
}

void real_sleep(std::uint64_t usec) { std::this_thread::sleep_for(std::chrono::microseconds(usec)); }

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
        // An instance's bytes never reach the terminal raw.
        for (const auto& e : systemd::read_journal(q)) out += "    " + terminal_safe(e.message, true) + '\n';
    } catch (const std::exception& e) {
        out += std::string("    (journal unreadable: ") + e.what() + ")\n";
    }
    return out;
}

std::vector<std::string> select_types(const Formation& f, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& p : f.processes)
        if (names.empty()) out.push_back(p.name);
    for (const auto& n : names) {
        bool known = std::any_of(f.processes.begin(), f.processes.end(), [&n](const ProcessType& p) { return p.name == n; });
        if (!known) throw CliError("app " + f.app + " has no process type \"" + n + "\"", exit_usage);
        out.push_back(n);
    }
    return out;
}

std::vector<std::string> desired_instances(const UnitSet& set, const std::vector<std::string>& types) {
    std::vector<std::string> out;
    for (const auto& i : set.instances)
        if (types.empty() || std::find(types.begin(), types.end(), i.type) != types.end()) out.push_back(i.unit);
    return out;
}

void warn_if_last_good(const Globals& g, const InstalledFormation& f) {
    if (f.on_last_good && !g.quiet)
        std::cerr << "formation: warning: " << f.installed_path << " is invalid; acting on its last good formation\n";
}

}  // namespace formation::cli
