// formation metrics [--http]: every installed app's instances and scheduled
// runs in Prometheus's text exposition format (app/metrics.hpp). Without
// --http, on stdout. With --http, as formation-metrics@.service: one HTTP
// request read from stdin (the connection systemd accepted), one response
// written to stdout (app/metrics_http.hpp).
#include <CLI/CLI.hpp>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <iostream>

#include "app/metrics.hpp"
#include "app/metrics_http.hpp"
#include "cli/common.hpp"
#include "host/clock.hpp"

namespace formation::cli {

namespace {

std::string render(const Globals& g) {
    std::vector<std::string> problems;
    auto apps = app::observe_installed(g.user, problems);
    for (const auto& p : problems) std::cerr << "formation: warning: " << p << "\n";
    return app::render_metrics(apps, host::realtime_usec());
}

// The request head, read from fd 0 for at most 5 s; nullopt when the
// client sent too much or nothing complete in time.
std::optional<std::string> read_head(bool& too_long) {
    std::string received;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    char buf[2048];
    while (!app::request_head_end(received)) {
        if (received.size() > app::max_request_head) {
            too_long = true;
            return std::nullopt;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{0, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::nullopt;
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;
        received.append(buf, static_cast<std::size_t>(n));
    }
    return received;
}

void write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        ssize_t n = ::write(1, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the client went away
        done += static_cast<std::size_t>(n);
    }
}

int serve_one(const Globals& g) {
    bool too_long = false;
    auto head = read_head(too_long);
    if (!head) {
        if (too_long) write_all(app::http_response({431, false, false}, app::answer_body({431, false, false})));
        return exit_ok;
    }
    app::HttpAnswer a = app::answer_request(*head);
    if (!a.metrics) {
        write_all(app::http_response(a, app::answer_body(a)));
        return exit_ok;
    }
    try {
        write_all(app::http_response(a, render(g)));
    } catch (const std::exception& e) {
        std::cerr << "formation: " << e.what() << "\n";
        app::HttpAnswer failed{500, false, a.head_only};
        write_all(app::http_response(failed, std::string("formation metrics: ") + e.what() + "\n"));
        return exit_systemd;
    }
    return exit_ok;
}

}  // namespace

void add_metrics(CLI::App& root, const Globals& g, Run& run) {
    auto http = std::make_shared<bool>(false);
    auto* cmd = root.add_subcommand("metrics", "Print every installed app's metrics for Prometheus");
    cmd->add_flag("--http", *http, "Answer one HTTP request on stdin/stdout (formation-metrics@.service)");
    cmd->callback([&g, &run, http] {
        run = [&g, http]() -> int {
            if (*http) return serve_one(g);
            std::cout << render(g);
            return exit_ok;
        };
    });
}

}  // namespace formation::cli
