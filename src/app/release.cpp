#include "app/release.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <deque>
#include <thread>

#include "app/error.hpp"
#include "app/run.hpp"
#include "app/run_spec.hpp"
#include "compile/escape.hpp"
#include "compile/unit_name.hpp"
#include "formation/error.hpp"

namespace formation::app {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

std::string describe_exit(const systemd::TransientExit& x, std::uint64_t timeout_usec) {
    if (x.result == "timeout") return "timed out after " + format_timespan(timeout_usec) + " (release_timeout)";
    if (x.code == 1) return "exited with status " + std::to_string(x.status);  // CLD_EXITED
    if (x.code == 2 || x.code == 3) return "was killed by signal " + std::to_string(x.status);
    if (x.code == 0) return "did not run: " + x.result;
    return x.result;
}

}  // namespace

bool starts_instances(const Plan& plan, const std::string& app) {
    // An instance, or a timer that will run the new code.
    auto runs_code = [&app](const std::string& u) {
        return parse_instance(app, u).has_value() || parse_timer(app, u).has_value();
    };
    return std::any_of(plan.start.begin(), plan.start.end(), runs_code) || !plan.restart.empty();
}

ReleaseReport run_release(Env& env, const Formation& f, const CompileOptions& options) {
    const ProcessType& p = *f.release;
    std::vector<std::string> command;
    if (p.command.shell) {
        command = p.shell;
        command.push_back("-c");
        command.push_back(p.command.line);
    } else {
        command = p.command.argv;
    }
    // Compiled as the one type of a formation of its own (a type may be
    // called "release" too), as `formation run` compiles a type.
    Formation alone = f;
    alone.processes = {p};
    RunSpec run = make_run_spec(alone, alone.processes.front(), options, command, random_suffix(), "");
    for (const auto& s : run.skipped_raw) env.say("formation: warning: release: left out " + s.line + ": " + s.why);
    systemd::TransientSpec spec = std::move(run.spec);
    spec.settings.emplace_back("RuntimeMaxSec", std::to_string(f.release_timeout_usec) + "us");

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error("release: cannot make a pipe", exit_failed);
    Fd read_end{pipe_fds[0]}, write_end{pipe_fds[1]};
    Fd null_in{::open("/dev/null", O_RDONLY | O_CLOEXEC)};
    spec.stdin_fd = null_in.fd;
    spec.stdout_fd = spec.stderr_fd = write_end.fd;

    ReleaseReport report;
    report.unit = spec.name;
    std::deque<std::string> last;
    const bool show = !env.quiet;
    std::thread reader([&read_end, &last, &env, show] {
        std::string partial;
        char buf[4096];
        auto line_done = [&](const std::string& line) {
            std::string safe = terminal_safe(line);
            if (show) env.say("release | " + safe);
            last.push_back(safe);
            if (last.size() > 10) last.pop_front();
        };
        for (;;) {
            ssize_t n = ::read(read_end.fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            partial.append(buf, static_cast<std::size_t>(n));
            for (std::size_t nl; (nl = partial.find('\n')) != std::string::npos;) {
                line_done(partial.substr(0, nl));
                partial.erase(0, nl + 1);
            }
        }
        if (!partial.empty()) line_done(partial);
    });
    systemd::TransientExit x;
    try {
        x = env.one_off(spec);
    } catch (...) {
        write_end.reset();
        reader.join();
        throw;
    }
    // systemd's copy closed when the process ended; ours goes now, so the reader sees the end.
    write_end.reset();
    reader.join();
    report.last_lines.assign(last.begin(), last.end());
    report.ok = x.result == "success";
    if (!report.ok) report.why = describe_exit(x, f.release_timeout_usec);
    return report;
}

}  // namespace formation::app
