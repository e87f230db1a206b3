// The time zones of this host, as systemd 252 sees them when it reads a
// calendar spec (formation/calendar_252.hpp asks for them, being pure).
#pragma once

#include <string_view>

#include "formation/calendar_252.hpp"

namespace formation::host {

// The file part of systemd 252's timezone_is_valid() (src/basic/time-util.c,
// verify_timezone()): /usr/share/zoneinfo/NAME opens, is a regular file
// (symbolic links followed) and starts with the magic "TZif". `name` must
// have passed the name part of the check (no "." in it, no leading "/").
bool zoneinfo_file_is_tzif(std::string_view name);

// This host's zones: zoneinfo_file_is_tzif(), and tzname[] after tzset()
// (from $TZ or /etc/localtime, as for systemd).
CalendarZones calendar_zones();

}  // namespace formation::host
