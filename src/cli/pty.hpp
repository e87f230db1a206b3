// The terminal side of `formation run` with a terminal, as `systemd-run
// --pty` does it: a pseudo-terminal whose other end systemd gives the
// process, our terminal in raw mode while it runs, and a thread that copies
// keys in, output out, and the window size on SIGWINCH.
#pragma once

#include <termios.h>

#include <string>
#include <thread>

namespace formation::cli {

class PtyForwarder {
public:
    // Opens the pseudo-terminal, sized as ours. Throws std::runtime_error.
    PtyForwarder();
    ~PtyForwarder();
    PtyForwarder(const PtyForwarder&) = delete;
    PtyForwarder& operator=(const PtyForwarder&) = delete;

    // "/dev/pts/N": what the service gets as its terminal (TTYPath=).
    const std::string& tty_path() const { return path_; }

    // Puts our terminal in raw mode (keys, Ctrl-C included, go to the
    // process) and starts copying.
    void start();

    // After the process has ended: copies what it wrote last, stops the
    // thread and gives our terminal its settings back.
    void finish();

private:
    void loop();

    int master_ = -1;
    int slave_ = -1;  // held open so the master never reads EIO before the process opens it
    int stop_[2] = {-1, -1};
    int winch_ = -1;  // signalfd for SIGWINCH
    std::string path_;
    termios saved_{};
    bool raw_ = false;
    std::thread thread_;
};

}  // namespace formation::cli
