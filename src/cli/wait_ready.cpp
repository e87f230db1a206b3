// formation wait-ready --port N: run by systemd as ExecStartPost= for
// ready = "port"; returns once one of the instance's own processes listens
// on the port, so the start job (and `apply`, `restart`) completes only when
// it is ready; exits 1 at once when the main process exits first (else
// systemd would wait for it until TimeoutStartSec=). TimeoutStartSec= bounds
// the wait. How "its own processes" is
// decided from /proc: host/listening.hpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "host/listening.hpp"
#include "host/main_process.hpp"

namespace formation::cli {

void add_wait_ready(CLI::App& root, const Globals&, Run& run) {
    auto port = std::make_shared<int>(0);
    auto* cmd = root.add_subcommand("wait-ready", "Wait until the instance listens on the port (used by units)");
    cmd->group("");  // internal: hidden from --help
    cmd->add_option("--port", *port, "TCP port the instance's own processes must listen on")
        ->required()
        ->check(CLI::Range(1, 65535));
    cmd->callback([&run, port] {
        run = [port] {
            if (host::wait_until_listening(*port, [] { return host::main_process_gone(); })) return exit_ok;
            std::cout << "wait-ready: the main process exited before it listened on port " << *port << std::endl;
            return exit_failed;
        };
    });
}

}  // namespace formation::cli
