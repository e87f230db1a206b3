// The terminal `formation top` draws on: raw input (keys without Enter, no
// echo), the alternate screen, the cursor hidden; all of it restored when
// the Screen goes, also after SIGINT, SIGTERM or SIGHUP.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <termios.h>

namespace formation::cli {

class Screen {
public:
    Screen();  // stdin and stdout must be terminals
    ~Screen();
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    // Columns and lines of the terminal now (80x24 when it does not say).
    std::pair<std::size_t, std::size_t> size() const;
    // Replaces what is shown with `lines`, from the top left.
    void draw(const std::vector<std::string>& lines) const;
    // Waits up to `ms` milliseconds; true as soon as the user asks to quit
    // (q, Q, Ctrl-C, or a signal), false when the time is up.
    bool wait_for_quit(int ms) const;

private:
    termios saved_{};
};

}  // namespace formation::cli
