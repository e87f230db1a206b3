// The generator's log: one line per message to the journal (native socket),
// else to /dev/kmsg (journald not up yet early in boot), else stderr; only
// stderr for dry runs, terminals and tests.
#pragma once

#include <string>

namespace formation::generator {

class Log {
public:
    static Log open(bool to_stderr);
    Log(Log&& other) noexcept : fd_(other.fd_), errors_(other.errors_) { other.fd_ = -1; }
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;
    Log& operator=(Log&&) = delete;
    ~Log();

    void error(const std::string& message) {
        ++errors_;
        emit(3, message);
    }
    int errors() const { return errors_; }
    void warning(const std::string& message) { emit(4, message); }
    void info(const std::string& message) { emit(6, message); }

private:
    explicit Log(int fd) : fd_(fd) {}
    void emit(int priority, const std::string& message);
    int fd_;  // /dev/kmsg (-1: unavailable); -2: stderr only
    int errors_ = 0;
};

}  // namespace formation::generator
