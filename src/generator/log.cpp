#include "generator/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace formation::generator {

Log Log::open(bool to_stderr) {
    if (to_stderr) return Log(-1);
    return Log(::open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC));
}

Log::~Log() {
    if (fd_ >= 0) ::close(fd_);
}

void Log::emit(int priority, const std::string& message) {
    std::string line = message;
    for (char& c : line)
        if (c == '\n' || c == '\r') c = ' ';
    if (fd_ >= 0) {
        // "<PRI>IDENT[PID]: message", as systemd's own generators log to kmsg.
        std::string record = "<" + std::to_string(priority) + ">formation-generator[" +
                             std::to_string(::getpid()) + "]: " + line + "\n";
        if (::write(fd_, record.data(), record.size()) == static_cast<ssize_t>(record.size())) return;
    }
    const char* level = priority <= 3 ? "error" : priority == 4 ? "warning" : "info";
    std::fprintf(stderr, "formation-generator: %s: %s\n", level, line.c_str());
}

}  // namespace formation::generator
