// formation health-wait (--port N | --socket PATH) --path P --interval T
// --timeout T --failures N: run by systemd as the last ExecStartPost= of a type with
// `health`; exits 0 once a check passes, 1 after `failures` bad answers in
// a row (app/health.hpp). What it says goes to the instance's journal.
#include <CLI/CLI.hpp>
#include <time.h>

#include <iostream>

#include "app/health.hpp"
#include "cli/common.hpp"
#include "host/main_process.hpp"

namespace formation::cli {

namespace {

struct HealthWaitOptions {
    int port = 0;
    std::string socket;  // an instance's own health socket (socket = "shared")
    std::string path = "/";
    std::uint64_t interval_ms = 5000, timeout_ms = 2000;
    unsigned failures = 3;
};

}  // namespace

void add_health_wait(CLI::App& root, const Globals&, Run& run) {
    auto o = std::make_shared<HealthWaitOptions>();
    auto* cmd = root.add_subcommand("health-wait", "Wait until the instance answers its health check (used by units)");
    cmd->group("");  // internal: hidden from --help
    auto* port = cmd->add_option("--port", o->port, "The instance's port")->check(CLI::Range(1, 65535));
    auto* socket = cmd->add_option("--socket", o->socket, "The instance's health socket")->excludes(port);
    port->excludes(socket);
    cmd->add_option("--path", o->path, "The path to GET")->required();
    cmd->add_option("--interval-ms", o->interval_ms, "The check's interval")->check(CLI::Range(100, 3600000));
    cmd->add_option("--timeout-ms", o->timeout_ms, "Each check's bound")->check(CLI::Range(10, 60000));
    cmd->add_option("--failures", o->failures, "Bad answers in a row that fail the start")->check(CLI::Range(1, 100));
    cmd->callback([&run, o] {
        if (o->port == 0 && o->socket.empty()) throw CLI::RequiredError("--port or --socket");
        run = [o] {
            HealthCheck h{o->path, o->interval_ms * 1000, o->timeout_ms * 1000, o->failures};
            app::HealthWaitIo io;
            io.probe = [](const host::ProbeTarget& t, std::uint64_t timeout) {
                return host::probe_all({t}, timeout).front();
            };
            io.sleep = [](std::uint64_t usec) {
                timespec ts{static_cast<time_t>(usec / 1000000), static_cast<long>(usec % 1000000) * 1000};
                nanosleep(&ts, nullptr);
            };
            io.say = [](const std::string& line) { std::cout << line << std::endl; };
            io.gone = [] { return host::main_process_gone(); };
            host::ProbeTarget where;
            where.port = o->port;
            where.socket = o->socket;
            return app::wait_healthy(where, h, io) ? exit_ok : exit_failed;
        };
    });
}

}  // namespace formation::cli
