// One journal entry of an app, as `logs --json` prints it a line at a time
// and as another host's formation reads it back: {"realtime_usec":N,
// "unit":…,"instance":"web.1","message":…}. With -f, a {"following":true}
// line ends the backlog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace formation::app
