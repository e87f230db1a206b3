#include "generator/isolate.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>

namespace formation::generator {

namespace {

// A frame: the job's index and the length of its result (8 bytes each, in
// this machine's order: the same binary reads them), then the result.
constexpr std::size_t header_size = 16;

bool write_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

[[noreturn]] void child(int fd, std::size_t first, std::size_t count,
                        const std::function<std::string(std::size_t)>& work) {
    for (std::size_t j = first; j < count; ++j) {
        std::string bytes = work(j);
        std::uint64_t header[2] = {j, bytes.size()};
        if (!write_all(fd, reinterpret_cast<const char*>(header), header_size) ||
            !write_all(fd, bytes.data(), bytes.size()))
            ::_exit(2);
    }
    // No destructors, no atexit handlers, no stdio buffers flushed twice:
    // the parent owns all of that.
    ::_exit(0);
}

std::string describe(int status) {
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char* name = sigabbrev_np(sig);
        return "was killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
    }
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    return "ended (wait status " + std::to_string(status) + ")";
}

}  // namespace

std::optional<Crash> run_isolated(std::size_t first, std::size_t count,
                                  const std::function<std::string(std::size_t)>& work,
                                  const std::function<void(std::size_t, std::string)>& done, int timeout_ms) {
    if (first >= count) return std::nullopt;
    int fds[2];
    pid_t pid = -1;
    if (::pipe2(fds, O_CLOEXEC) == 0) {
        pid = ::fork();
        if (pid < 0) {
            ::close(fds[0]);
            ::close(fds[1]);
        }
    }
    if (pid < 0) {
        for (std::size_t j = first; j < count; ++j) done(j, work(j));
        return std::nullopt;
    }
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1], first, count, work);
    }
    ::close(fds[1]);

    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    std::string buf;
    std::size_t at = 0;  // start of the first unread frame in buf
    std::size_t next = first;
    bool timed_out = false;
    char chunk[65536];
    while (next < count) {
        while (buf.size() - at >= header_size) {
            std::uint64_t header[2];
            std::memcpy(header, buf.data() + at, header_size);
            if (buf.size() - at - header_size < header[1]) break;
            if (header[0] != next) break;  // cannot happen; blamed on the job below
            done(next++, buf.substr(at + header_size, header[1]));
            at += header_size + header[1];
            deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
        }
        if (at > 0 && at == buf.size()) buf.clear(), at = 0;
        if (next >= count) break;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        pollfd p{fds[0], POLLIN, 0};
        int ready = left > 0 ? ::poll(&p, 1, static_cast<int>(left)) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            timed_out = true;
            break;
        }
        ssize_t n = ready < 0 ? -1 : ::read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the child is gone
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (next < count) ::kill(pid, SIGKILL);  // when it is not dead yet (a zombie keeps its status)
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (next >= count) return std::nullopt;
    if (timed_out) return Crash{next, "ran longer than " + std::to_string(timeout_ms / 1000) + " s on it and was killed"};
    return Crash{next, describe(status)};
}

}  // namespace formation::generator
