// formation: a process formation (formation.toml) run by systemd.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "cli/hosts.hpp"
#include "generator/ops_tree.hpp"
#include "host/atomic_file.hpp"
#include "systemd/manager.hpp"

using namespace formation;
using namespace formation::cli;

namespace {

int print_invalid(const InvalidFormation& e) {
    for (const auto& d : e.error.diagnostics()) std::cerr << format_diagnostic(d, e.source);
    return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "remote") return run_remote(argc, argv);
    CLI::App app{"formation: run a process formation (formation.toml) through systemd"};
    app.set_version_flag("--version", std::string("formation ") + FORMATION_VERSION);
    app.require_subcommand(1);
    Globals g;
    app.add_option("-f,--file", g.file, "Formation file")->capture_default_str();
    app.add_flag("--user", g.user, "Use the calling user's service manager");
    app.add_option("-a,--app", g.app, "An installed app, for verbs that work on the installed formation");
    app.add_flag("-q,--quiet", g.quiet, "Print only errors");
    app.add_option("-H,--host", g.host, "Only this host of the formation's [hosts]");
    app.add_option("--parallel-hosts", g.parallel_hosts, "Hosts a verb acts on at a time (default 1: a rolling deploy)")
        ->check(CLI::Range(1, 1000));
    // Global options may come after the verb too: `formation status --user`.
    app.fallthrough();
    Run run;
    add_check(app, g, run);
    add_generate(app, g, run);
    add_status(app, g, run);
    add_top(app, g, run);
    add_logs(app, g, run);
    add_apply(app, g, run);
    add_scale(app, g, run);
    add_start(app, g, run);
    add_stop(app, g, run);
    add_restart(app, g, run);
    add_reload(app, g, run);
    add_destroy(app, g, run);
    add_list(app, g, run);
    add_metrics(app, g, run);
    add_releases(app, g, run);
    add_rollback(app, g, run);
    add_run(app, g, run);
    add_wait_ready(app, g, run);
    add_health_wait(app, g, run);
    add_guard(app, g, run);
    add_on_failure(app, g, run);
    add_health_watch(app, g, run);
    add_import(app, g, run);
    add_cron_check(app, g, run);  // hidden: a piku cron line as a calendar event, for tests/cli/cron.sh
    add_complete(app, g, run);
    add_calendar_check(app, g, run);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : exit_usage;
    }
    g.file_given = app.count("--file") > 0;
    try {
        if (auto rc = run_on_hosts(app, g)) return *rc;
        return run ? run() : exit_usage;
    } catch (const InvalidFormation& e) {
        return print_invalid(e);
    } catch (const FormationError& e) {
        for (const auto& d : e.diagnostics()) std::cerr << format_diagnostic(d, {});
        return exit_usage;
    } catch (const CliError& e) {
        std::cerr << "formation: " << e.what() << '\n';
        return e.code();
    } catch (const systemd::SystemdError& e) {
        std::cerr << "formation: " << e.what() << '\n';
        return e.exit_code();
    } catch (const host::DiskError& e) {
        std::cerr << "formation: " << e.what() << '\n';
        return exit_failed;
    } catch (const std::exception& e) {
        std::cerr << "formation: " << e.what() << '\n';
        return exit_failed;
    }
}
