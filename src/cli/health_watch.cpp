// formation [--user] -a APP health-watch: run by systemd as
// APP-health.service; checks the app's instances until stopped
// (app/health_watch.hpp). SIGTERM ends it, as systemd stops it.
#include <CLI/CLI.hpp>

#include "app/health_watch.hpp"
#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "host/clock.hpp"

namespace formation::cli {

void add_health_watch(CLI::App& root, const Globals& g, Run& run) {
    auto* cmd = root.add_subcommand("health-watch", "Check the app's instances and restart the unhealthy (used by units)");
    cmd->group("");  // internal: hidden from --help
    cmd->callback([&g, &run] {
        run = [&g] {
            if (g.app.empty()) throw CliError("health-watch needs -a APP", exit_usage);
            app::Env env = host_env(g);
            app::WatchIo io;
            io.probe = host::probe_all;
            io.monotonic_usec = host::monotonic_usec;
            io.realtime_usec = host::realtime_usec;
            io.stop = [] { return false; };
            app::watch_health(env, g.app, io);
            return exit_ok;
        };
    });
}

}  // namespace formation::cli
