// An app's journal as `logs` reads it: the instances to read (desired and
// loaded ones, narrowed by TYPE / TYPE.N selectors), --since and -n turned
// into a journal query, and the entries merged across instances in time
// order, each an app::LogLine; with follow, new entries as they come,
// instances started later (a scale-up) included.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/env.hpp"
#include "app/log_view.hpp"
#include "formation/model.hpp"
#include "systemd/journal.hpp"

namespace formation::app {

// -n when neither -n nor --since is given.
constexpr int default_log_lines = 100;

// --since: a relative time meaning "that long ago" ("30s", "10min", "2h",
// "1h 30min", optionally followed by " ago"), or an absolute local time
// "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD"; CLOCK_REALTIME
// µs. Throws Error (exit 2) for anything else.
std::uint64_t parse_since(const std::string& text, std::uint64_t now_usec);

// TYPE or TYPE.N (N >= 1; index 0: every instance of the type).
struct LogSelector {
    std::string type;
    int index = 0;
};
// Throws Error (exit 2) for an unknown type or a bad N.
LogSelector parse_log_selector(const Formation& f, const std::string& s);

struct LogsRequest {
    std::string app;
    std::vector<std::string> selectors;  // TYPE or TYPE.N
    bool follow = false;
    int lines = -1;     // the last N entries across every instance; -1: not given; 0: all
    std::string since;  // empty: not given
};

// What is read, before a line of it is.
struct LogSelection {
    std::string app;
    std::vector<std::string> types;      // the formation's, in its order (for colors)
    std::vector<std::string> instances;  // "web.1" of each instance read (for the prefix's width)
    bool follow = false;
    systemd::JournalQuery query;
};

// Loads the installed formation, parses the selectors and --since, and asks
// systemd which instances are loaded (through env.manager()).
LogSelection select_logs(Env& env, const LogsRequest& r);

// The entries of `s`, in the journal's order.
struct LogSink {
    std::function<bool(const LogLine&)> line;  // false: stop following
    // With follow, when set: the backlog is read to its end, this is
    // called, then only entries after it come (what `logs --json -f`
    // marks with {"following":true}). Unset: one stream.
    std::function<void()> backlog_end;
    // With follow: what else ends following (a stop pipe, the output's hangup).
    systemd::FollowEnds ends;
};
void read_logs(const LogSelection& s, const LogSink& sink);

// The LogLine of a journal entry of `app`: its instance "web.1", or the
// unit when it is not an instance of the app.
LogLine log_line(const std::string& app, const systemd::JournalEntry& e);

}  // namespace formation::app
