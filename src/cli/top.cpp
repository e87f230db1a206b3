// formation top [-a APP] [--interval SECONDS] [-n N]: every instance of the
// app live, refreshed every second (state, CPU %, memory, restarts, uptime,
// health); q quits. Across [hosts] every host at once (hosts_top.cpp). Not
// on a terminal: one frame, then exit.
#include "cli/top.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/status_view.hpp"
#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "cli/terminal.hpp"
#include "cli/top_frame.hpp"
#include "host/clock.hpp"

namespace formation::cli {

namespace {

std::string clock_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
    return buf;
}

bool failing(const std::vector<app::TopSample>& samples) {
    for (const auto& s : samples)
        if (!s.view || app::any_failing(*s.view)) return true;
    return false;
}

struct Frame {
    std::string title;
    std::string table;
};

Frame frame(const std::string& app, const std::vector<app::TopSample>& before, const std::vector<app::TopSample>& now,
            bool color) {
    std::ostringstream table;
    top_table(now, app::cpu_percents(before, now)).print_text(table, color);
    return {top_title(app, now), table.str()};
}

int interactive(const std::string& app, const TopOptions& o, const std::function<std::vector<app::TopSample>()>& sample) {
    Screen screen;
    const int ms = static_cast<int>(o.interval * 1000);
    std::vector<app::TopSample> before, now;
    std::string error;
    for (int shown = 0;;) {
        try {
            now = sample();
            error.clear();
        } catch (const std::exception& e) {
            error = e.what();  // shown in place of the title; the last frame stays
        }
        Frame f = frame(app, before, now, true);
        auto [columns, lines] = screen.size();
        std::string title = (error.empty() ? f.title : "formation: " + error) + "  " + clock_now() + ", every " +
                            std::to_string(ms / 1000) + (ms % 1000 ? "." + std::to_string(ms % 1000 / 100) : "") +
                            "s; q quits";
        std::vector<std::string> out = fit(title + "\n\n" + f.table, columns, lines);
        screen.draw(out);
        before = now;
        if (o.iterations > 0 && ++shown >= o.iterations) break;
        if (screen.wait_for_quit(ms)) break;
    }
    return failing(now) ? exit_failed : exit_ok;
}

}  // namespace

int run_top(const std::string& app, const TopOptions& o, const std::function<std::vector<app::TopSample>()>& sample) {
    if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) return interactive(app, o, sample);
    // Not a terminal: frames after an interval each (the CPU % needs two looks).
    auto before = sample();
    std::vector<app::TopSample> now;
    for (int k = 0; k < std::max(1, o.iterations); ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(o.interval * 1000)));
        now = sample();
        Frame f = frame(app, before, now, stdout_wants_color());
        std::cout << (k ? "\n" : "") << f.title << "\n\n" << f.table << std::flush;
        before = now;
    }
    return failing(now) ? exit_failed : exit_ok;
}

TopOptions top_options(const CLI::App& verb) {
    TopOptions o;
    if (auto* i = verb.get_option_no_throw("--interval"); i && i->count()) o.interval = i->as<double>();
    if (auto* n = verb.get_option_no_throw("--iterations"); n && n->count()) o.iterations = n->as<int>();
    return o;
}

void add_top(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<TopOptions>();
    auto* cmd = root.add_subcommand("top", "Every instance live: state, CPU %, memory, restarts, uptime, health; q quits");
    cmd->add_option("-a,--app", opts->app, "An installed app (instead of -f FILE)");
    cmd->add_option("--interval", opts->interval, "Seconds between refreshes (default 1)")->check(CLI::Range(0.2, 3600.0));
    cmd->add_option("-n,--iterations", opts->iterations, "Frames to show before exiting (default: until q; 1 when not on a terminal)")
        ->check(CLI::Range(1, 1000000));
    cmd->callback([&g, &run, opts] {
        run = [&g, opts]() -> int {
            std::string name;
            auto sample = [&g, opts, &name] {
                app::InstalledFormation loaded = resolve_formation(g, opts->app);
                name = loaded.formation.app;
                return std::vector<app::TopSample>{{"", app::local_status(g.user, loaded), "", host::monotonic_usec()}};
            };
            auto first = sample();  // a bad -a or FILE fails here, before the screen changes
            (void)first;
            return run_top(name, *opts, sample);
        };
    });
}

}  // namespace formation::cli
