// formation logs [-a APP] [TYPE[.N]…] [-f] [-n N] [--since T]: the app's
// journal, merged across instances in time order, each line prefixed with
// the instance ("web.1 | "). What is read and in which order is
// app::select_logs / app::read_logs; this prints it.
//
// -n N is the last N journal entries across every selected instance taken
// together (as journalctl -n), not N per instance; a multi-line message is
// one entry. Default 100, or all entries when --since is given; -n 0: all.
// --since: see app::parse_since.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <iostream>

#include "app/app_name.hpp"
#include "app/logs.hpp"
#include "cli/common.hpp"
#include "cli/log_lines.hpp"
#include "compile/unit_name.hpp"

namespace formation::cli {

namespace {

struct LogsOptions {
    app::LogsRequest request;
    bool json = false;
};

// "web.1 | …", the label colored per type (in the formation's order); one
// width from the start for the instances read.
class Labels {
public:
    Labels(const app::LogSelection& s, bool color) : app_(s.app), types_(s.types), color_(color) {
        for (const auto& i : s.instances) printer_.widen(i);
    }

    std::string format(const app::LogLine& l) {
        static const Color palette[] = {Color::cyan, Color::magenta, Color::blue, Color::yellow, Color::green};
        auto ref = parse_instance(app_, l.unit);
        if (!ref) return printer_.format(l.instance, l.message);
        auto rank = static_cast<std::size_t>(std::find(types_.begin(), types_.end(), ref->type) - types_.begin());
        return printer_.format(l.instance, l.message, color_ ? palette[rank % std::size(palette)] : Color::none);
    }

private:
    std::string app_;
    std::vector<std::string> types_;
    bool color_;
    LogPrinter printer_;
};

volatile std::sig_atomic_t stop_requested = 0;
int stop_pipe[2] = {-1, -1};  // the handler writes here: the journal wait wakes up

extern "C" void request_stop(int) {
    stop_requested = 1;
    int saved = errno;
    if (stop_pipe[1] >= 0) (void)!::write(stop_pipe[1], "x", 1);
    errno = saved;
}

// No SA_RESTART, so a signal interrupts the journal wait, and the stop pipe
// wakes it when the signal lands just before it: -f ends at once and
// cleanly, on a quiet app too. SA_RESETHAND: a second signal still kills.
void install_stop_handlers() {
    if (::pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) stop_pipe[0] = stop_pipe[1] = -1;
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

void write(const std::string& out) { std::cout.write(out.data(), static_cast<std::streamsize>(out.size())); }

int run_logs(const Globals& g, LogsOptions o) {
    o.request.app = app::app_named(o.request.app.empty() ? g.app : o.request.app, g.file);
    app::Env env = app::host_env(g.user, g.quiet);
    app::LogSelection s = app::select_logs(env, o.request);
    Labels labels(s, stdout_wants_color());
    bool follow = o.request.follow;
    app::LogSink sink;
    // --json: one object a line, the message as logged (what formation on
    // another host answers for a logs across [hosts]).
    sink.line = [&labels, &o, follow](const app::LogLine& l) {
        if (follow && stop_requested) return false;
        write(o.json ? app::encode(l) + "\n" : labels.format(l));
        if (follow) std::cout.flush();  // a reader at the other end of a pipe sees each line now
        return true;
    };
    if (o.json) sink.backlog_end = [] { std::cout << app::following_mark << std::endl; };
    if (follow) {
        install_stop_handlers();
        sink.ends.stop_fd = stop_pipe[0];
        sink.ends.output_fd = STDOUT_FILENO;  // ssh gone, `| head` done: no one reads on
    }
    app::read_logs(s, sink);
    std::cout.flush();
    return exit_ok;
}

}  // namespace

void add_logs(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<LogsOptions>();
    auto* cmd = root.add_subcommand("logs", "Show the app's logs from journald, prefixed \"web.1 |\"");
    cmd->add_option("-a,--app", opts->request.app, "An installed app, as last applied (instead of -f FILE)");
    cmd->add_option("instances", opts->request.selectors, "TYPE (every instance) or TYPE.N (one)");
    cmd->add_flag("-f,--follow", opts->request.follow, "Keep printing new lines until interrupted");
    cmd->add_option("-n,--lines", opts->request.lines, "The last N entries across all instances (default 100; 0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--since", opts->request.since, "\"10min\", \"2h ago\" or local \"YYYY-MM-DD HH:MM:SS\"");
    cmd->add_flag("--json", opts->json, "One JSON object a line: realtime_usec, unit, instance, message");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_logs(g, *opts); }; });
}

}  // namespace formation::cli
