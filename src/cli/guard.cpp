// formation guard --burst N --interval-ms T --state DIR -- COMMAND…: the
// ExecStart= of a type with socket = "shared" (app/crash_guard.hpp). Records
// this start in DIR (the instance's RuntimeDirectory=, kept across its
// restarts), exits 251 when it is one start too many within T, else execs
// COMMAND in its own PID, so the command is the unit's main process. Before
// that it puts the shared socket at descriptor 3 (app/listen_fds.hpp).
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "app/crash_guard.hpp"
#include "app/listen_fds.hpp"
#include "cli/common.hpp"
#include "host/atomic_file.hpp"
#include "host/clock.hpp"

namespace formation::cli {

namespace {

struct GuardOptions {
    unsigned burst = 5;
    std::uint64_t interval_ms = 10000;
    std::string state;
    std::vector<std::string> command;
};

constexpr int first_fd = 3;  // SD_LISTEN_FDS_START

// The shared socket first, as a server that takes descriptor 3 expects;
// LISTEN_PID stays right, since the command runs in this PID.
void shared_socket_first() {
    const char* fds = std::getenv("LISTEN_FDS");
    const char* pid = std::getenv("LISTEN_PID");
    const char* names = std::getenv("LISTEN_FDNAMES");
    if (!fds || !pid || !names || std::to_string(::getpid()) != pid) return;
    char* end = nullptr;
    unsigned long count = std::strtoul(fds, &end, 10);
    if (*end != '\0' || count > 64) return;
    auto order = app::put_first(names, static_cast<unsigned>(count), "shared");
    if (!order) return;
    // Copies above every passed descriptor, then each into its place.
    std::vector<int> copy;
    for (unsigned k = 0; k < count; ++k) {
        int c = ::fcntl(first_fd + static_cast<int>(k), F_DUPFD_CLOEXEC, first_fd + static_cast<int>(count));
        if (c < 0) {
            std::cerr << "formation guard: cannot reorder the sockets: " << std::strerror(errno) << std::endl;
            for (int d : copy) ::close(d);
            return;
        }
        copy.push_back(c);
    }
    for (unsigned k = 0; k < count; ++k) ::dup2(copy[order->from[k]], first_fd + static_cast<int>(k));
    for (int d : copy) ::close(d);
    ::setenv("LISTEN_FDNAMES", order->names.c_str(), 1);
}

int run_guard(const GuardOptions& o) {
    const std::filesystem::path file = std::filesystem::path(o.state) / "starts";
    auto text = host::read_file(file);
    auto v = app::guard_start(text ? app::decode_starts(*text) : std::vector<std::uint64_t>{}, host::monotonic_usec(),
                              o.burst, o.interval_ms * 1000);
    if (v.give_up) {
        std::cerr << "formation guard: giving up: " << v.why << " (start_limit_burst, start_limit_interval)"
                  << std::endl;
        return app::guard_gave_up;
    }
    try {
        host::write_file_atomic(file, app::encode_starts(v.starts), 0600);
    } catch (const std::exception& e) {
        // Not counting is better than not starting: systemd still restarts it.
        std::cerr << "formation guard: cannot record this start: " << e.what() << std::endl;
    }
    shared_socket_first();
    return exec_in_place("guard", o.command);
}

}  // namespace

void add_guard(CLI::App& root, const Globals&, Run& run) {
    auto o = std::make_shared<GuardOptions>();
    auto* cmd = root.add_subcommand("guard", "Count an instance's starts and give up as a start limit would (used by units)");
    cmd->group("");  // internal: hidden from --help
    cmd->add_option("--burst", o->burst, "Starts allowed within the interval")->check(CLI::Range(1u, 10000u));
    cmd->add_option("--interval-ms", o->interval_ms, "The interval")->check(CLI::Range(1ull, 86400000ull));
    cmd->add_option("--state", o->state, "The instance's runtime directory")->required();
    cmd->add_option("command", o->command, "The instance's command")->required();
    cmd->callback([&run, o] { run = [o] { return run_guard(*o); }; });
}

}  // namespace formation::cli
