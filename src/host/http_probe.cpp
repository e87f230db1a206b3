// http_probe.hpp over non-blocking sockets and one poll() loop.
#include "host/http_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/clock.hpp"

namespace formation::host {

namespace {

std::string printable(const std::string& s) {
    std::string out;
    for (char ch : s) out += (ch >= ' ' && ch < 0x7f) ? ch : '?';
    return out;
}

enum class Phase { connecting, sending, reading, done };

struct Probe {
    int fd = -1;
    Phase phase = Phase::connecting;
    std::string request;
    std::size_t sent = 0;
    std::string received;  // up to the end of the status line
    ProbeResult result;

    void finish(ProbeOutcome o, std::string detail, int status = 0) {
        result = {o, status, std::move(detail)};
        phase = Phase::done;
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

void start(Probe& p, const ProbeTarget& t) {
    const std::string host = t.socket.empty() ? "127.0.0.1:" + std::to_string(t.port) : "localhost";
    p.request = "GET " + t.path + " HTTP/1.1\r\nHost: " + host +
                "\r\nUser-Agent: formation-health\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    int rc = -1;
    if (t.socket.empty()) {
        p.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (p.fd < 0) return p.finish(ProbeOutcome::no_answer, std::string("socket: ") + std::strerror(errno));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(t.port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = ::connect(p.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        if (t.socket.size() >= sizeof a.sun_path)
            return p.finish(ProbeOutcome::no_answer, "socket path too long: " + printable(t.socket));
        std::memcpy(a.sun_path, t.socket.data(), t.socket.size());
        p.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (p.fd < 0) return p.finish(ProbeOutcome::no_answer, std::string("socket: ") + std::strerror(errno));
        rc = ::connect(p.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        // A unix socket whose queue is full says EAGAIN rather than waiting.
        if (rc < 0 && errno == EAGAIN) return p.finish(ProbeOutcome::no_answer, "its queue is full");
    }
    if (rc == 0) p.phase = Phase::sending;
    else if (errno != EINPROGRESS) p.finish(ProbeOutcome::no_answer, std::strerror(errno));
}

void step(Probe& p) {
    if (p.phase == Phase::connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) return p.finish(ProbeOutcome::no_answer, std::strerror(err));
        p.phase = Phase::sending;
    }
    if (p.phase == Phase::sending) {
        ssize_t n = ::send(p.fd, p.request.data() + p.sent, p.request.size() - p.sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            return p.finish(ProbeOutcome::no_answer, std::strerror(errno));
        }
        p.sent += static_cast<std::size_t>(n);
        if (p.sent == p.request.size()) p.phase = Phase::reading;
        return;
    }
    if (p.phase == Phase::reading) {
        char buf[512];
        ssize_t n = ::recv(p.fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            return p.finish(ProbeOutcome::no_answer, std::strerror(errno));
        }
        if (n == 0) return p.finish(ProbeOutcome::no_answer, "closed without an answer");
        p.received.append(buf, static_cast<std::size_t>(n));
        auto eol = p.received.find('\n');
        if (eol == std::string::npos && p.received.size() < 1024) return;
        std::string line = p.received.substr(0, std::min(eol, p.received.size()));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        int status = parse_status_line(line);
        if (status == 0) return p.finish(ProbeOutcome::no_answer, "not an HTTP answer: " + printable(line.substr(0, 80)));
        std::string detail = "HTTP " + printable(line.substr(line.find(' ') + 1, 80));
        p.finish(status >= 200 && status < 400 ? ProbeOutcome::healthy : ProbeOutcome::unhealthy, detail, status);
    }
}

std::string seconds_text(std::uint64_t usec) {
    if (usec % 1000000 == 0) return std::to_string(usec / 1000000) + "s";
    return std::to_string(usec / 1000) + "ms";
}

}  // namespace

int parse_status_line(const std::string& line) {
    // HTTP/1.0 or HTTP/1.1, one space, three digits, then a space or the end.
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' ') return 0;
    if (line[7] != '0' && line[7] != '1') return 0;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') return 0;
        status = status * 10 + (line[i] - '0');
    }
    if (line.size() > 12 && line[12] != ' ') return 0;
    return status >= 100 ? status : 0;
}

std::vector<ProbeResult> probe_all(const std::vector<ProbeTarget>& targets, std::uint64_t timeout_usec) {
    std::vector<Probe> probes(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) start(probes[i], targets[i]);
    const std::uint64_t deadline = monotonic_usec() + timeout_usec;
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < probes.size(); ++i) {
            const Probe& p = probes[i];
            if (p.phase == Phase::done) continue;
            short events = p.phase == Phase::reading ? POLLIN : POLLOUT;
            fds.push_back({p.fd, events, 0});
            which.push_back(i);
        }
        if (fds.empty()) break;
        std::uint64_t now = monotonic_usec();
        if (now >= deadline) break;
        int wait_ms = static_cast<int>((deadline - now + 999) / 1000);
        int r = ::poll(fds.data(), fds.size(), wait_ms);
        if (r < 0 && errno != EINTR) break;
        for (std::size_t k = 0; k < fds.size(); ++k)
            if (fds[k].revents != 0) step(probes[which[k]]);
    }
    std::vector<ProbeResult> results;
    for (auto& p : probes) {
        if (p.phase != Phase::done) p.finish(ProbeOutcome::no_answer, "no answer within " + seconds_text(timeout_usec));
        results.push_back(p.result);
    }
    return results;
}

}  // namespace formation::host
