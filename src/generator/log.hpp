// The generator's log: one line per message to /dev/kmsg, so it reaches the
// journal even this early in boot; stderr when /dev/kmsg is not writable (a
// user manager's generator, tests) and in dry runs.
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
    int fd_;  // /dev/kmsg, or -1 for stderr
    int errors_ = 0;
};

}  // namespace formation::generator
