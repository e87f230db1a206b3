// formation status [-a APP] [--json]: every instance of the app, desired or
// not, with its state as systemd sees it. Exit 1 when any is failing.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/status_view.hpp"
#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "cli/status_table.hpp"

namespace formation::cli {

namespace {

struct StatusOptions {
    std::string app;
    bool json = false;
    bool full = false;  // hidden: the JSON another host's formation reads
};

constexpr std::size_t journal_lines_of_failed = 5;

int run_status(const Globals& g, const StatusOptions& o) {
    app::InstalledFormation loaded = resolve_formation(g, o.app);
    const Formation& f = loaded.formation;
    app::StatusView view = app::local_status(g.user, loaded);
    if (o.json || o.full)
        std::cout << app::encode(view, o.full) << '\n';
    else
        status_table(view, app::failure_journal(view, g.user, journal_lines_of_failed))
            .print_text(std::cout, stdout_wants_color());
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
