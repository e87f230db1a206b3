// Reading an app's logs from journald (sd-journal). Knows units, not formations.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation::systemd {

struct JournalEntry {
    std::uint64_t realtime_usec = 0;
    std::string unit;     // _SYSTEMD_UNIT (or _SYSTEMD_USER_UNIT)
    std::string message;  // MESSAGE, bytes as logged
    int priority = 6;
    // Which run of the unit: _SYSTEMD_INVOCATION_ID of a process's line,
    // INVOCATION_ID (USER_INVOCATION_ID) of the manager's; empty if absent.
    std::string invocation;
    bool from_manager = false;  // systemd's own line about the unit
    std::string message_id;     // MESSAGE_ID, e.g. systemd's "failed with result"
};

// MESSAGE_ID of systemd's "Failed with result" line about a unit
// (SD_MESSAGE_UNIT_FAILURE_RESULT).
constexpr std::string_view unit_failed_message_id = "d9b373ed55a64feb8242e02dbe79a49c";

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

// What ends follow_journal besides `sink` returning false and a signal
// with a handler interrupting the wait. (sd_journal_wait retries on EINTR,
// so it is not used: Ctrl-C would wait for the next entry, forever on a
// quiet app.)
struct FollowEnds {
    int stop_fd = -1;    // readable: a pipe a signal handler writes to, for a signal landing outside the wait
    int output_fd = -1;  // hung up: whoever reads what we print is gone (ssh closed, `| head` done)
};

// Prints what matches, then keeps calling `sink` for new entries until
// `sink` returns false or one of `ends` happens.
void follow_journal(const JournalQuery& q, const std::function<bool(const JournalEntry&)>& sink, FollowEnds ends = {});

}  // namespace formation::systemd
