// The generator's log: one line per message to the journal (native socket),
// else to /dev/kmsg (journald not up yet early in boot), else stderr; only
// stderr for dry runs, terminals and tests. A captured log keeps the lines
// instead, for the process that reads a file to hand back to the generator.
#pragma once

#include <string>
#include <vector>

namespace formation::generator {

class Log {
public:
    struct Record {
        int priority;  // syslog's: 3 error, 4 warning, 6 info
        std::string message;
    };

    static Log open(bool to_stderr);
    static Log capture() { return Log(-3); }
    Log(Log&& other) noexcept
        : fd_(other.fd_), errors_(other.errors_), captured_(std::move(other.captured_)) {
        other.fd_ = -1;
    }
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;
    Log& operator=(Log&&) = delete;
    ~Log();

    // Errors are counted: any makes the generator exit 1.
    void write(int priority, const std::string& message) {
        if (priority <= 3) ++errors_;
        emit(priority, message);
    }
    void error(const std::string& message) { write(3, message); }
    void warning(const std::string& message) { write(4, message); }
    void info(const std::string& message) { write(6, message); }
    int errors() const { return errors_; }
    const std::vector<Record>& captured() const { return captured_; }

private:
    explicit Log(int fd) : fd_(fd) {}
    void emit(int priority, const std::string& message);
    int fd_;  // /dev/kmsg (-1: unavailable); -2: stderr only; -3: captured
    int errors_ = 0;
    std::vector<Record> captured_;
};

}  // namespace formation::generator
