#include "cli/pty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace formation::cli {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("run: " + what + ": " + std::strerror(errno));
}

bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// Copies one read's worth from `from` to `to`; false at end of input or on error.
bool copy(int from, int to) {
    char buf[4096];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    return n > 0 && write_all(to, buf, static_cast<std::size_t>(n));
}

void copy_size(int from, int to) {
    winsize ws{};
    if (::ioctl(from, TIOCGWINSZ, &ws) == 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

}  // namespace

PtyForwarder::PtyForwarder() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0) fail("posix_openpt");
    if (::grantpt(master_) < 0 || ::unlockpt(master_) < 0) fail("unlockpt");
    char name[64];
    if (::ptsname_r(master_, name, sizeof name) != 0) fail("ptsname");
    path_ = name;
    slave_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave_ < 0) fail("open " + path_);
    copy_size(STDOUT_FILENO, master_);
    if (::pipe2(stop_, O_CLOEXEC) < 0) fail("pipe");
    // SIGWINCH blocked here, before the thread exists, so the thread inherits
    // the mask and reads it from a signalfd instead.
    sigset_t winch;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    ::pthread_sigmask(SIG_BLOCK, &winch, nullptr);
    winch_ = ::signalfd(-1, &winch, SFD_CLOEXEC);
    if (winch_ < 0) fail("signalfd");
}

PtyForwarder::~PtyForwarder() {
    finish();
    for (int fd : {master_, slave_, stop_[0], stop_[1], winch_})
        if (fd >= 0) ::close(fd);
}

void PtyForwarder::start() {
    if (::tcgetattr(STDIN_FILENO, &saved_) == 0) {
        termios raw = saved_;
        ::cfmakeraw(&raw);
        raw.c_oflag = saved_.c_oflag;  // output stays as it was: the pty already ends lines with \r\n
        raw_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    thread_ = std::thread([this] { loop(); });
}

void PtyForwarder::finish() {
    if (thread_.joinable()) {
        char c = 0;
        write_all(stop_[1], &c, 1);
        thread_.join();
    }
    if (raw_) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
        raw_ = false;
    }
}

void PtyForwarder::loop() {
    bool input = true;
    for (;;) {
        pollfd fds[4] = {{master_, POLLIN, 0}, {stop_[0], POLLIN, 0}, {winch_, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
        int r = ::poll(fds, input ? 4 : 3, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return;
        if (fds[0].revents & POLLIN) copy(master_, STDOUT_FILENO);
        if (fds[2].revents & POLLIN) {
            signalfd_siginfo info;
            if (::read(winch_, &info, sizeof info) > 0) copy_size(STDOUT_FILENO, master_);
        }
        if (input && (fds[3].revents & (POLLIN | POLLHUP | POLLERR))) input = copy(STDIN_FILENO, master_);
        if (fds[1].revents & POLLIN) break;
    }
    // The process has ended: what it wrote last is still in the master.
    for (;;) {
        pollfd fd{master_, POLLIN, 0};
        if (::poll(&fd, 1, 0) <= 0 || !(fd.revents & POLLIN) || !copy(master_, STDOUT_FILENO)) return;
    }
}

}  // namespace formation::cli
