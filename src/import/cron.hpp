// A cron schedule as a systemd calendar event, for Procfile entries that
// piku runs on a schedule (names starting with "cron": `cron1: */5 * * * * cmd`).
// Pure: no I/O. What is read, what is refused and why: cron.cpp.
#pragma once

#include <string>
#include <string_view>

namespace formation {

// A piku-style cron line: "MIN HOUR DOM MON DOW COMMAND…".
struct CronLine {
    std::string calendar;  // the systemd calendar event (OnCalendar=) that fires at exactly the same minutes
    std::string command;   // what follows the five fields, as written (leading spaces trimmed)
};

// Throws std::invalid_argument with a clear English message (which field, what is wrong, what is accepted) when
// the line is not five valid cron fields followed by a non-empty command, or when its meaning cannot be
// expressed as one systemd calendar event.
CronLine parse_cron_line(std::string_view line);

}  // namespace formation
