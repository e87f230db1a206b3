#include "app/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace formation::app {

namespace {

// How long a wait must last before the line names what it waits for.
constexpr std::uint64_t name_after_usec = 3000000;

const char* doing(systemd::JobType t) {
    switch (t) {
        case systemd::JobType::start: return "starting";
        case systemd::JobType::stop: return "stopping";
        case systemd::JobType::restart:
        case systemd::JobType::try_restart:
        case systemd::JobType::restart_alone: return "restarting";
        case systemd::JobType::reload: return "reloading";
    }
    return "waiting for";
}

std::size_t terminal_width() {
    winsize ws{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

// Cuts at `width` bytes without splitting a UTF-8 sequence; unit names are
// ASCII, so bytes are columns here.
std::string fit(std::string s, std::size_t width) {
    if (s.size() <= width) return s;
    std::size_t cut = width > 3 ? width - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
    s.resize(cut);
    return s + "...";
}

void write_stderr(const std::string& s) {
    // Progress is best effort: a failed write to the terminal changes nothing.
    std::size_t at = 0;
    while (at < s.size()) {
        ssize_t n = ::write(STDERR_FILENO, s.data() + at, s.size() - at);
        if (n <= 0) return;
        at += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string progress_line(const systemd::JobProgress& p, std::size_t width) {
    std::string verb = "waiting for";
    if (!p.waiting.empty()) {
        verb = doing(p.waiting.front()->type);
        for (const auto* j : p.waiting)
            if (doing(j->type) != verb) verb = "waiting for";
    }
    std::string line = "formation: " + verb + " " + std::to_string(p.total) + (p.total == 1 ? " unit" : " units") +
                       ": " + std::to_string(p.done) + "/" + std::to_string(p.total) + " done";
    if (p.elapsed_usec >= name_after_usec && !p.waiting.empty()) {
        line += "; waiting " + std::to_string(p.elapsed_usec / 1000000) + " s for";
        for (std::size_t i = 0; i < p.waiting.size(); ++i) line += (i ? ", " : " ") + p.waiting[i]->unit;
    }
    return fit(std::move(line), width);
}

void attach_progress(systemd::Manager& m, bool quiet) {
    if (quiet || !::isatty(STDERR_FILENO)) return;
    m.set_job_observer([](const systemd::JobProgress& p) {
        // \r and erase-line: the line is redrawn in place, and gone at the end.
        if (p.finished) {
            write_stderr("\r\033[K");
            return;
        }
        // One column spare: writing the last column would wrap on some terminals.
        write_stderr("\r\033[K" + progress_line(p, terminal_width() - 1));
    });
}

}  // namespace formation::app
