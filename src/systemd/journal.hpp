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
    // For follow_journal: once the backlog is shown, follow every unit this
    // accepts instead of `units` alone, so instances started later (a
    // scale-up) show up too. journald matches only exact values, so this
    // reads every new entry and filters here.
    std::function<bool(const std::string& unit)> follow_units;
};

// Entries matching the query, oldest first, merged in time order across units.
// Throws SystemdError (exit code 1) when the caller may not read the journal
// the units log to (the system journal, for a user outside the
// systemd-journal and adm groups): sd-journal would silently show nothing.
std::vector<JournalEntry> read_journal(const JournalQuery& q);

// Prints what matches, then keeps calling `sink` for new entries until `sink`
// returns false, a signal with a handler interrupts the wait, or `stop_fd`
// (when >= 0) becomes readable: a signal handler that writes to a pipe
// ends it even when the signal lands outside the wait. (sd_journal_wait
// retries on EINTR, so it is not used: Ctrl-C would wait for the next
// entry, forever on a quiet app.)
void follow_journal(const JournalQuery& q, const std::function<bool(const JournalEntry&)>& sink, int stop_fd = -1);


}  // namespace formation::systemd
