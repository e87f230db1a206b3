// formation run TYPE -- COMMAND…: a one-off process (a migration, a
// console) in the type's context, as systemd runs the type's instances: its
// env and env files, user, group, working directory, limits and sandbox.
// systemd starts it as a transient service (what `systemd-run --wait
// --collect` does); formation waits for it and exits with its status.
// Takes no lock: a console may stay open for hours while the app is
// applied or scaled.
#include <CLI/CLI.hpp>

#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/app_context.hpp"
#include "cli/pty.hpp"
#include "app/run_spec.hpp"

namespace formation::cli {

namespace {

struct Options {
    std::string app;
    std::string type;
    std::vector<std::string> command;
};

std::string random_suffix() {
    unsigned char bytes[4] = {};
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
        throw CliError("run: getrandom failed", exit_failed);
    char hex[9];
    std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]);
    return hex;
}

// As a shell reports a command: its exit status, or 128 + the signal that killed it.
int exit_status(const systemd::TransientExit& e, const std::string& unit, bool user) {
    if (e.code == CLD_EXITED) {
        // 200-243: systemd could not set the process up (systemd.exec(5), "Process Exit Codes").
        if (e.status >= 200 && e.status <= 243)
            std::cerr << "formation: run: systemd could not start the command (exit status " << e.status
                      << ", see systemd.exec(5)); `journalctl " << (user ? "--user " : "") << "-u " << unit
                      << "` says why\n";
        return e.status;
    }
    if (e.code == CLD_KILLED || e.code == CLD_DUMPED) return 128 + e.status;
    std::cerr << "formation: run: " << unit << " did not run (" << e.result << "); `journalctl " << (user ? "--user " : "")
              << "-u " << unit << "` says why\n";
    return exit_failed;
}

int run(const Globals& g, const Options& o) {
    InstalledFormation f = resolve_formation(g, o.app);
    select_types(f.formation, {o.type});  // an unknown type: exit 2, naming it
    const ProcessType& p = *std::find_if(f.formation.processes.begin(), f.formation.processes.end(),
                                         [&o](const ProcessType& t) { return t.name == o.type; });
    if (f.on_last_good && !g.quiet)
        std::cerr << "formation: warning: " << f.installed_path << " is invalid; running with its last good formation\n";

    // A terminal when we have one both ways; otherwise our descriptors go
    // to the process as they are (pipes, files), so scripts and `| tee` work.
    bool tty = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
    const char* term = std::getenv("TERM");
    app::RunSpec rs = app::make_run_spec(f.formation, p, install_options(g, f), o.command, random_suffix(),
                               tty && term ? term : "");
    if (!g.quiet)
        for (const auto& skipped : rs.skipped_raw)
            std::cerr << "formation: warning: run: leaving out " << skipped.line << " (" << skipped.why << ")\n";

    // Through the bus: the transient unit is held with AddRef=yes, which
    // needs a bus name (systemd-run --wait connects the same way).
    auto m = systemd::connect_manager(g.user, systemd::Route::bus_first);
    std::optional<PtyForwarder> pty;
    if (tty) {
        pty.emplace();
        rs.spec.tty_path = pty->tty_path();
    }
    try {
        m->start_transient(rs.spec);
    } catch (const std::invalid_argument& e) {
        throw CliError(std::string("run: ") + e.what(), exit_usage);
    }
    if (pty) pty->start();
    systemd::TransientExit e = m->wait_transient(rs.spec.name);
    if (pty) pty->finish();
    return exit_status(e, rs.spec.name, g.user);
}

}  // namespace

void add_run(CLI::App& root, const Globals& g, Run& run_fn) {
    auto opts = std::make_shared<Options>();
    auto* cmd = root.add_subcommand("run", "Run a one-off command with a process type's environment, user and directory");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("type", opts->type, "Process type whose context the command gets")->required();
    cmd->add_option("command", opts->command, "The command and its arguments, after --")->required();
    cmd->callback([&g, &run_fn, opts] { run_fn = [&g, opts] { return run(g, *opts); }; });
}

}  // namespace formation::cli
