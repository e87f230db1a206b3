// systemd 252's calendar event syntax (systemd.time(7), "CALENDAR EVENTS"),
// the value of a timer's OnCalendar=: a port of calendar_spec_from_string()
// and calendar_spec_to_string() of src/shared/calendarspec.c (systemd-stable
// v252.39, Debian 12). Pure: what systemd reads from the host (which zone
// files exist, the local zone's abbreviations) comes in as CalendarZones.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace formation {

// The two things calendar_spec_from_string() asks the host about a trailing
// time zone. The default is a host whose local zone is UTC and that has no
// zone files: " UTC" (any case) is taken, any other zone name refused.
struct CalendarZones {
    // The file part of timezone_is_valid(): is /usr/share/zoneinfo/NAME a
    // regular file starting with "TZif"? Asked only for names that passed
    // the pure part of the check (letters, digits, "-_+/", no leading,
    // trailing or doubled "/", shorter than PATH_MAX) and are not "UTC",
    // which systemd always takes. Empty: no zone file exists.
    // host/zoneinfo.hpp has the real one.
    std::function<bool(std::string_view)> file_exists;
    // tzname[0] and tzname[1] after tzset(): "CET" and "CEST" on a host in
    // Europe/Berlin, "UTC" twice (or nothing) on one in UTC. A spec may end
    // in either, after a space; it is then printed back from here.
    std::string local_standard;
    std::string local_daylight;
};

// What calendar_spec_from_string() accepts, this accepts; `normalized` is
// what calendar_spec_to_string() makes of it, which is what
// `systemd-analyze calendar` prints as "Normalized form:".
//
// The shorthands (minutely … semiannually), weekdays with ".." and ",",
// dates with "-" or "~" (days from the end of the month), "*", lists,
// ranges "a..b", repetitions "/n", seconds with fractions (microseconds,
// rounded as systemd does), "@EPOCH", and a trailing " UTC", local zone
// abbreviation or zone name. Not "today" or "now": those are timestamps.
// Blanks count as they do for systemd: only spaces separate the parts, and
// a leading one is refused. A unit file's parser strips the outer blanks
// before systemd sees the value; this takes the spec as it is.
//
// systemd's quirks come along: two-digit years (70 → 1970, 69 → 2069, even
// from "@-62135596800", year 1, → 2001), "*" for every second hiding the
// rest of the seconds' list, and each further item of a "~" list losing
// three more days ("*-*~1,26" is refused, the second item may be ~25 at most).
//
// One departure: systemd gets a C string, so it never sees a NUL byte (the
// rest would be cut off); a spec holding one is refused here.
struct CalendarParse {
    std::optional<std::string> normalized;  // set when valid
    std::string error;                      // why not, when invalid: a short English reason
};
CalendarParse parse_calendar_252(std::string_view spec, const CalendarZones& zones = {});

}  // namespace formation
