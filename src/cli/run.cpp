// formation run TYPE -- COMMAND…: a one-off process (a migration, a
// console) in the type's context, as systemd runs the type's instances: its
// env and env files, user, group, working directory, limits and sandbox.
// systemd starts it as a transient service (what `systemd-run --wait
// --collect` does); formation waits for it and exits with its status.
// Takes no lock: a console may stay open for hours while the app is
// applied or scaled.
#include <CLI/CLI.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "app/app_name.hpp"
#include "app/context.hpp"
#include "app/run.hpp"
#include "cli/common.hpp"
#include "cli/pty.hpp"

namespace formation::cli {

namespace {

struct Options {
    std::string app;
    std::string type;
    std::vector<std::string> command;
};

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
    std::string name = app::app_named(o.app.empty() ? g.app : o.app, g.file);
    // A terminal when we have one both ways; otherwise our descriptors go
    // to the process as they are (pipes, files), so scripts and `| tee` work.
    bool tty = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
    const char* term = std::getenv("TERM");
    app::OneOff one = app::one_off(app::host_store(g.user), g.user, name, o.type, o.command, tty && term ? term : "");
    if (one.on_last_good && !g.quiet)
        std::cerr << "formation: warning: " << one.installed_path << " is invalid; running with its last good formation\n";
    if (!g.quiet)
        for (const auto& skipped : one.run.skipped_raw)
            std::cerr << "formation: warning: run: leaving out " << skipped.line << " (" << skipped.why << ")\n";

    std::optional<PtyForwarder> pty;
    app::TransientHooks hooks;
    hooks.connected = [&pty, tty](systemd::TransientSpec& spec) {
        if (!tty) return;
        pty.emplace();
        spec.tty_path = pty->tty_path();
    };
    hooks.started = [&pty] {
        if (pty) pty->start();
    };
    systemd::TransientExit e = app::run_transient(g.user, one.run.spec, hooks);
    if (pty) pty->finish();
    return exit_status(e, one.run.spec.name, g.user);
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
