// formation status [-a APP] [--json]: every instance of the app, desired or
// not, with its state as systemd sees it. Exit 1 when any is failing.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <sstream>

#include "app/status_view.hpp"
#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "cli/status_table.hpp"
#include "compile/compile.hpp"
#include "compile/render.hpp"
#include "systemd/journal.hpp"
#include "systemd/manager.hpp"

namespace formation::cli {

namespace {

struct StatusOptions {
    std::string app;
    bool json = false;
    bool full = false;  // hidden: the JSON another host's formation reads
};

constexpr std::size_t journal_lines_of_failed = 5;

std::uint64_t now_usec() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// Under a failing instance: the last lines its processes logged; under one
// whose socket failed, what systemd said of the socket ("Failed to create
// listening socket ([::]:5000): Address already in use").
StatusDetails failure_details(const app::StatusView& v, bool user) {
    StatusDetails out;
    for (const auto& t : v.types)
        for (const auto& i : t.instances) {
            auto& lines = out[i.unit];
            if (app::failure_log(i) == app::FailureLog::service) {
                std::istringstream text(app::last_log_lines(i.unit, user, journal_lines_of_failed));
                for (std::string line; std::getline(text, line);) lines.push_back(line);
            } else if (app::failure_log(i) == app::FailureLog::socket) {
                systemd::JournalQuery q;
                q.units = {i.socket->unit};
                q.user = user;
                q.last = journal_lines_of_failed;
                try {
                    for (const auto& e : systemd::read_journal(q)) lines.push_back("    " + terminal_safe(e.message, true));
                } catch (const std::exception& e) {
                    lines.push_back(std::string("    (journal unreadable: ") + e.what() + ")");
                }
            }
        }
    return out;
}

int run_status(const Globals& g, const StatusOptions& o) {
    app::InstalledFormation loaded = resolve_formation(g, o.app);
    const Formation& f = loaded.formation;
    UnitSet set = compile(f, app::install_options(g.user, loaded));
    auto manager = systemd::connect_manager(g.user);
    app::StatusView view = app::build_status_view(f, set, app::observe_status(f, set, *manager), now_usec());
    if (o.json || o.full)
        std::cout << app::encode(view, o.full) << '\n';
    else
        status_table(view, failure_details(view, g.user)).print_text(std::cout, stdout_wants_color());
    if (loaded.on_last_good) {
        // As the generator does: an invalid installed file never takes the app down.
        std::cerr << "formation: " << loaded.installed_path << " is invalid; " << f.app
                  << " runs on its last good formation (" << loaded.path << "):\n";
        for (const auto& d : loaded.installed_errors) std::cerr << "  " << one_line(d) << "\n";
    }
    return app::any_failing(view) ? exit_failed : exit_ok;
}

}  // namespace

void add_status(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<StatusOptions>();
    auto* cmd = root.add_subcommand("status", "Show every instance: state, PID, uptime, memory, restarts, port");
    cmd->add_option("-a,--app", opts->app, "An installed app, as last applied (instead of -f FILE)");
    cmd->add_flag("--json", opts->json, "One JSON object instead of the table");
    cmd->add_flag("--json-full", opts->full, "")->group("");  // hidden: what a host sends across [hosts]
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_status(g, *opts); }; });
}

}  // namespace formation::cli
