// One journal entry of an app, as `logs --json` prints it a line at a time
// and as another host's formation reads it back: {"realtime_usec":N,
// "unit":…,"instance":"web.1","message":…}. With -f, a {"following":true}
// line ends the backlog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation::app {

struct LogLine {
    std::uint64_t realtime_usec = 0;
    std::string unit;      // "shop-web@1.service"
    std::string instance;  // "web.1" (the unit when it is not an instance of the app)
    std::string message;   // as logged
};

std::string encode(const LogLine& l);
constexpr std::string_view following_mark = "{\"following\":true}";

// Strict: throws json::Error. nullopt for the following mark.
std::optional<LogLine> decode_log_line(std::string_view line);

// Several hosts' logs as one: each host's backlog is held until every host
// has sent its own (its following mark, or its end), then the last `lines`
// of them all (0: all) come out oldest first; after that, lines come out as
// they arrive. `label` is what the line is shown under ("alpha/web.1").
// Pure: the caller prints what each call returns.
struct MergedLine {
    std::uint64_t realtime_usec = 0;
    std::string label;
    std::string message;
};

class LogMerge {
public:
    LogMerge(std::size_t hosts, long lines) : past_backlog_(hosts, false), lines_(lines) {}
    std::vector<MergedLine> add(MergedLine line);
    std::vector<MergedLine> backlog_done(std::size_t host);  // idempotent
    std::vector<MergedLine> finish();                        // what is still held
    bool streaming() const { return streaming_; }

private:
    std::vector<MergedLine> release();
    std::vector<MergedLine> backlog_;
    std::vector<bool> past_backlog_;
    long lines_;
    bool streaming_ = false;
};

}  // namespace formation::app
