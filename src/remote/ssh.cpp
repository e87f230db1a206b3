#include "remote/ssh.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace formation::remote {

std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::vector<std::string> ssh_argv(const Host& h, const std::vector<std::string>& formation_args) {
    const char* ssh = std::getenv("FORMATION_SSH");
    const char* program = std::getenv("FORMATION_REMOTE_PROGRAM");
    std::vector<std::string> argv{ssh && *ssh ? ssh : "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                                  "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3"};
    if (h.port) {
        argv.push_back("-p");
        argv.push_back(std::to_string(*h.port));
    }
    // "--": nothing after it is an ssh option, whatever the address says
    // (the parser refuses a leading "-" as well).
    argv.push_back("--");
    argv.push_back(h.address);
    std::string command = shell_quote(program && *program ? program : "formation");
    for (const auto& a : formation_args) command += " " + shell_quote(a);
    argv.push_back(std::move(command));
    return argv;
}

namespace {

struct Child {
    pid_t pid = -1;
    int in = -1, out = -1, err = -1;
    std::size_t written = 0;
    std::string partial;  // an unfinished stdout line, when streaming
};

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// 0, or why it could not start (an errno value).
int spawn(const Command& c, Child& ch) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return errno;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    std::vector<char*> argv;
    for (const auto& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawnp(&ch.pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    ch.in = in[1];
    ch.out = out[0];
    ch.err = err[0];
    if (rc != 0) {
        close_fd(ch.in);
        close_fd(ch.out);
        close_fd(ch.err);
        ch.pid = -1;
        return rc;
    }
    ::fcntl(ch.in, F_SETFL, O_NONBLOCK);
    if (c.input.empty()) close_fd(ch.in);
    return 0;
}

}  // namespace

std::vector<Result> run_all(const std::vector<Command>& commands, const LineSink& on_line,
                            const std::function<void(std::size_t i)>& on_end) {
    // A remote end that stops reading must not kill us with SIGPIPE.
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    std::vector<Result> results(commands.size());
    std::vector<Child> children(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i)
        if (int e = spawn(commands[i], children[i])) {
            results[i].err = "cannot run " + commands[i].argv[0] + ": " + std::strerror(e) + "\n";
            if (on_end) on_end(i);
        }
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::pair<std::size_t, int>> owner;  // child, 0 in / 1 out / 2 err
        for (std::size_t i = 0; i < children.size(); ++i) {
            auto& ch = children[i];
            if (ch.in >= 0) fds.push_back({ch.in, POLLOUT, 0}), owner.emplace_back(i, 0);
            if (ch.out >= 0) fds.push_back({ch.out, POLLIN, 0}), owner.emplace_back(i, 1);
            if (ch.err >= 0) fds.push_back({ch.err, POLLIN, 0}), owner.emplace_back(i, 2);
        }
        if (fds.empty()) break;
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (!fds[k].revents) continue;
            auto [i, which] = owner[k];
            auto& ch = children[i];
            if (which == 0) {
                const std::string& input = commands[i].input;
                ssize_t n = ::write(ch.in, input.data() + ch.written, input.size() - ch.written);
                if (n > 0) ch.written += static_cast<std::size_t>(n);
                if ((n < 0 && errno != EAGAIN && errno != EINTR) || ch.written == input.size()) close_fd(ch.in);
                continue;
            }
            char buf[65536];
            ssize_t n = ::read(fds[k].fd, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) {
                if (which == 1 && on_line && !ch.partial.empty()) on_line(i, ch.partial), ch.partial.clear();
                close_fd(which == 1 ? ch.out : ch.err);
                if (which == 1 && on_end) on_end(i);
                continue;
            }
            std::string_view got(buf, static_cast<std::size_t>(n));
            if (which == 2) {
                results[i].err.append(got);
            } else if (!on_line) {
                results[i].out.append(got);
            } else {
                ch.partial.append(got);
                std::size_t start = 0;
                for (std::size_t nl; (nl = ch.partial.find('\n', start)) != std::string::npos; start = nl + 1)
                    on_line(i, std::string_view(ch.partial).substr(start, nl - start));
                ch.partial.erase(0, start);
            }
        }
    }
    for (std::size_t i = 0; i < children.size(); ++i) {
        if (children[i].pid < 0) continue;
        int status = 0;
        while (::waitpid(children[i].pid, &status, 0) < 0 && errno == EINTR) {
        }
        results[i].exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ::sigaction(SIGPIPE, &old, nullptr);
    return results;
}

std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    auto nl = text.rfind('\n');
    return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

bool unreachable(const Result& r) { return r.exit_code == 255 || r.exit_code == -1; }

}  // namespace formation::remote
