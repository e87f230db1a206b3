#include "generator/log.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace formation::generator {

namespace {

// systemd-journald's native protocol: KEY=VALUE lines in one datagram. Sent
// without blocking; when journald is not there yet (early boot) the send
// fails and the kernel log takes the line, as systemd's own generators do
// (LOG_TARGET_JOURNAL_OR_KMSG).
bool send_to_journal(int priority, const std::string& line) {
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, "/run/systemd/journal/socket", sizeof addr.sun_path - 1);
    std::string msg = "PRIORITY=" + std::to_string(priority) + "\nSYSLOG_IDENTIFIER=formation-generator\n" +
                      "SYSLOG_PID=" + std::to_string(::getpid()) + "\nMESSAGE=" + line + "\n";
    ssize_t n = ::sendto(fd, msg.data(), msg.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                         reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::close(fd);
    return n == static_cast<ssize_t>(msg.size());
}

}  // namespace

Log Log::open(bool to_stderr) {
    if (to_stderr) return Log(-2);
    return Log(::open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC));
}

Log::~Log() {
    if (fd_ >= 0) ::close(fd_);
}

void Log::emit(int priority, const std::string& message) {
    if (fd_ == -3) {
        captured_.push_back({priority, message});
        return;
    }
    std::string line = message;
    for (char& c : line)
        if (c == '\n' || c == '\r') c = ' ';
    if (fd_ != -2) {
        if (send_to_journal(priority, line)) return;
        if (fd_ >= 0) {
            // "<PRI>IDENT[PID]: message", as systemd's own generators log to kmsg.
            std::string record = "<" + std::to_string(priority) + ">formation-generator[" +
                                 std::to_string(::getpid()) + "]: " + line + "\n";
            if (::write(fd_, record.data(), record.size()) == static_cast<ssize_t>(record.size())) return;
        }
    }
    const char* level = priority <= 3 ? "error" : priority == 4 ? "warning" : "info";
    std::fprintf(stderr, "formation-generator: %s: %s\n", level, line.c_str());
}

}  // namespace formation::generator
