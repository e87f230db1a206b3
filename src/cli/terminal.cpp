#include "cli/terminal.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>

namespace formation::cli {

namespace {

volatile std::sig_atomic_t stop_signal = 0;

void on_signal(int sig) { stop_signal = sig; }

void write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

Screen::Screen() {
    ::tcgetattr(STDIN_FILENO, &saved_);
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);  // ISIG stays: Ctrl-C is SIGINT
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    struct sigaction sa {};
    sa.sa_handler = on_signal;  // no SA_RESTART: poll() returns EINTR
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
    write_all("\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J");
}

Screen::~Screen() {
    write_all("\x1b[?25h\x1b[?1049l");
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
}

std::pair<std::size_t, std::size_t> Screen::size() const {
    winsize w{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0 && w.ws_row > 0) return {w.ws_col, w.ws_row};
    return {80, 24};
}

void Screen::draw(const std::vector<std::string>& lines) const {
    std::string out = "\x1b[H";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += lines[i] + "\x1b[K";
        if (i + 1 < lines.size()) out += "\r\n";
    }
    out += "\x1b[J";
    write_all(out);
}

bool Screen::wait_for_quit(int ms) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (stop_signal == 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{STDIN_FILENO, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return true;
        if (r == 0) return false;
        char keys[64];
        ssize_t n = ::read(STDIN_FILENO, keys, sizeof keys);
        if (n == 0) return true;  // the terminal went away
        for (ssize_t i = 0; i < n; ++i)
            if (keys[i] == 'q' || keys[i] == 'Q' || keys[i] == 3) return true;
    }
    return true;
}

}  // namespace formation::cli
