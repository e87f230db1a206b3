// formation wait-ready --port N: run by systemd as ExecStartPost= for
// ready = "port"; returns once something accepts TCP connections on the port,
// so the start job (and `apply`, `restart`) completes only when it is ready.
// TimeoutStartSec= bounds the wait.
#include <CLI/CLI.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/common.hpp"

namespace formation::cli {

namespace {

bool accepts(int port, int family) {
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int r = -1;
    if (family == AF_INET) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        r = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<std::uint16_t>(port));
        a.sin6_addr = in6addr_loopback;
        r = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    ::close(fd);
    return r == 0;
}

int run_wait_ready(int port) {
    auto delay = std::chrono::milliseconds(10);
    while (!accepts(port, AF_INET) && !accepts(port, AF_INET6)) {
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(200));
    }
    return exit_ok;
}

}  // namespace

void add_wait_ready(CLI::App& root, const Globals&, Run& run) {
    auto port = std::make_shared<int>(0);
    auto* cmd = root.add_subcommand("wait-ready", "Wait until the port accepts connections (used by units)");
    cmd->group("");  // internal: hidden from --help
    cmd->add_option("--port", *port, "TCP port on localhost")->required()->check(CLI::Range(1, 65535));
    cmd->callback([&run, port] { run = [port] { return run_wait_ready(*port); }; });
}

}  // namespace formation::cli
