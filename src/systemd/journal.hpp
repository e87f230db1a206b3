// Reading an app's logs from journald (sd-journal). Knows units, not formations.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace formation::systemd {

struct JournalEntry {
    std::uint64_t realtime_usec = 0;
    std::string unit;     // _SYSTEMD_UNIT (or _SYSTEMD_USER_UNIT)
    std::string message;  // MESSAGE, bytes as logged
    int priority = 6;
};

struct JournalQuery {
    std::vector<std::string> units;             // entries of any of these units
    bool user = false;                          // match _SYSTEMD_USER_UNIT instead
    std::optional<std::uint64_t> since_usec;    // CLOCK_REALTIME µs
    std::optional<std::size_t> last;            // only the last N entries (before following)
    bool manager_messages = true;               // also what systemd logged about the units
};

// Entries matching the query, oldest first, merged in time order across units.
std::vector<JournalEntry> read_journal(const JournalQuery& q);

// Prints what matches, then keeps calling `sink` for new entries until `sink`
// returns false or the process is interrupted.
void follow_journal(const JournalQuery& q, const std::function<bool(const JournalEntry&)>& sink);

}  // namespace formation::systemd
