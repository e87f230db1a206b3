// journal.hpp over sd-journal.
#include "systemd/journal.hpp"

#include <poll.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <system_error>

#include "host/clock.hpp"
#include "systemd/manager.hpp"

namespace formation::systemd {
namespace {

struct JournalClose {
    void operator()(sd_journal* j) const { sd_journal_close(j); }
};
using JournalPtr = std::unique_ptr<sd_journal, JournalClose>;

// Journal trouble is not systemd refusing us: exit code 1, not 3.
void check(int r, const char* what) {
    if (r < 0)
        throw SystemdError(std::string("cannot read the journal (") + what + "): " +
                               std::system_category().message(-r),
                           {}, 1);
}

void add_match(sd_journal* j, const std::string& match) {
    check(sd_journal_add_match(j, match.data(), match.size()), "add match");
}

// Per unit, what `journalctl -u` / `--user-unit` would show: the unit's own
// processes, plus what the manager logged about it ("Started …", "Main
// process exited …"), which carries UNIT= and comes from PID 1 (or, for
// user units, USER_UNIT= from the user's manager). Requiring _PID=1 / _UID
// keeps other processes from claiming a unit by logging UNIT= themselves.
void add_unit_matches(sd_journal* j, const JournalQuery& q) {
    std::string uid = "_UID=" + std::to_string(getuid());
    for (const auto& unit : q.units) {
        if (q.user) {
            add_match(j, "_SYSTEMD_USER_UNIT=" + unit);
            add_match(j, uid);
            if (q.manager_messages) {
                check(sd_journal_add_disjunction(j), "disjunction");
                add_match(j, "USER_UNIT=" + unit);
                add_match(j, uid);
            }
        } else {
            add_match(j, "_SYSTEMD_UNIT=" + unit);
            if (q.manager_messages) {
                check(sd_journal_add_disjunction(j), "disjunction");
                add_match(j, "UNIT=" + unit);
                add_match(j, "_PID=1");
            }
        }
        check(sd_journal_add_disjunction(j), "disjunction");
    }
}

// sd-journal skips the files it may not read without a word, so a user who
// may not read the system journal would get an empty, silent result. Its
// files open, or their size is 0: then say so.
void check_system_journal_readable() {
    if (geteuid() == 0) return;
    sd_journal* raw = nullptr;
    check(sd_journal_open(&raw, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM), "open");
    JournalPtr j(raw);
    std::uint64_t bytes = 0;
    if (sd_journal_get_usage(j.get(), &bytes) >= 0 && bytes > 0) return;
    throw SystemdError("cannot read the system journal as uid " + std::to_string(geteuid()) +
                           ": no journal file is readable; run as root, or add the user to the "
                           "systemd-journal (or adm) group",
                       {}, 1);
}

JournalPtr open_journal(const JournalQuery& q) {
    if (!q.user) check_system_journal_readable();
    sd_journal* raw = nullptr;
    int flags = q.user ? SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_CURRENT_USER : SD_JOURNAL_LOCAL_ONLY;
    check(sd_journal_open(&raw, flags), "open");
    JournalPtr j(raw);
    check(sd_journal_set_data_threshold(j.get(), 0), "data threshold");  // whole messages, however long
    add_unit_matches(j.get(), q);
    return j;
}

// The value of `field` in the current entry (bytes after "FIELD="), if any.
std::optional<std::string> field_value(sd_journal* j, const char* field) {
    const void* data = nullptr;
    std::size_t length = 0;
    if (sd_journal_get_data(j, field, &data, &length) < 0) return std::nullopt;
    std::size_t prefix = std::strlen(field) + 1;
    if (length < prefix) return std::nullopt;
    return std::string(static_cast<const char*>(data) + prefix, length - prefix);
}

bool is_queried(const JournalQuery& q, const std::string& unit) {
    return std::find(q.units.begin(), q.units.end(), unit) != q.units.end();
}

// Whether the current entry is the manager's own (PID 1, or the user's
// manager), so its UNIT= can be trusted; any process may log UNIT=.
bool from_manager(sd_journal* j, const JournalQuery& q) {
    if (q.user) return field_value(j, "_UID") == std::to_string(getuid());
    return field_value(j, "_PID") == "1";
}

JournalEntry current_entry(sd_journal* j, const JournalQuery& q) {
    JournalEntry e;
    check(sd_journal_get_realtime_usec(j, &e.realtime_usec), "timestamp");
    e.unit = field_value(j, q.user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT").value_or("");
    // The manager's own messages come from init.scope (or user@.service):
    // name the unit they are about instead.
    if (!is_queried(q, e.unit) && !(q.follow_units && q.follow_units(e.unit)))
        e.unit = field_value(j, q.user ? "USER_UNIT" : "UNIT").value_or(e.unit);
    e.message = field_value(j, "MESSAGE").value_or("");
    e.invocation = field_value(j, "_SYSTEMD_INVOCATION_ID").value_or("");
    if (e.invocation.empty() && from_manager(j, q)) {
        e.from_manager = true;
        e.invocation = field_value(j, q.user ? "USER_INVOCATION_ID" : "INVOCATION_ID").value_or("");
        e.message_id = field_value(j, "MESSAGE_ID").value_or("");
    }
    auto priority = field_value(j, "PRIORITY");
    if (priority && priority->size() == 1 && (*priority)[0] >= '0' && (*priority)[0] <= '7')
        e.priority = (*priority)[0] - '0';
    return e;
}

// Positions the journal at the first entry to show. Returns true when it is
// already on that entry, false when sd_journal_next() will reach it.
bool seek_start(sd_journal* j, const JournalQuery& q) {
    if (q.last) {
        check(sd_journal_seek_tail(j), "seek tail");
        if (*q.last == 0) {
            // Step onto the newest entry so next() goes past it: right after
            // seek_tail, sd-journal 252's next() would return that entry.
            check(sd_journal_previous(j), "step back");
            return false;
        }
        int r = sd_journal_previous_skip(j, *q.last);
        check(r, "skip back");
        return r > 0;
    }
    if (q.since_usec) {
        check(sd_journal_seek_realtime_usec(j, *q.since_usec), "seek time");
        return false;
    }
    check(sd_journal_seek_head(j), "seek head");
    return false;
}

// Hands every entry from the current position on to `sink` until the end of
// the journal (true) or until `sink` returns false (false).
template <typename Sink>
bool read_forward(sd_journal* j, const JournalQuery& q, bool& on_entry, Sink&& sink) {
    for (;;) {
        if (!on_entry) {
            int r = sd_journal_next(j);
            check(r, "next");
            if (r == 0) return true;
        }
        on_entry = false;
        JournalEntry e = current_entry(j, q);
        // With `last`, the window may reach back before `since`.
        if (q.since_usec && e.realtime_usec < *q.since_usec) continue;
        if (!sink(e)) return false;
    }
}

}  // namespace

std::vector<JournalEntry> read_journal(const JournalQuery& q) {
    std::vector<JournalEntry> entries;
    if (q.units.empty()) return entries;
    auto j = open_journal(q);
    bool on_entry = seek_start(j.get(), q);
    read_forward(j.get(), q, on_entry, [&entries](const JournalEntry& e) {
        entries.push_back(e);
        return true;
    });
    return entries;
}

// From the backlog (matched by unit) to following by q.follow_units: drop
// the matches and stay where the backlog ended.
void widen_to_pattern(sd_journal* j) {
    char* raw_cursor = nullptr;
    bool have_cursor = sd_journal_get_cursor(j, &raw_cursor) >= 0;
    std::string cursor = have_cursor ? raw_cursor : "";
    std::free(raw_cursor);
    sd_journal_flush_matches(j);
    if (have_cursor) {
        check(sd_journal_seek_cursor(j, cursor.c_str()), "seek cursor");
        if (sd_journal_next(j) > 0 && sd_journal_test_cursor(j, cursor.c_str()) <= 0)
            check(sd_journal_previous(j), "step back");  // not on the entry shown last: show it
    } else {
        check(sd_journal_seek_tail(j), "seek tail");
        check(sd_journal_previous(j), "step back");
    }
}

// What a follow_units query shows of an entry: a unit it accepts, or the
// manager's message about one.
bool wanted(sd_journal* j, const JournalQuery& q, const JournalEntry& e) {
    if (!q.follow_units(e.unit)) return false;
    auto own = field_value(j, q.user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT");
    if (own == e.unit) return true;
    return q.manager_messages && from_manager(j, q);
}

// Until the journal changes (true) or following should end (false).
bool wait_for_change(sd_journal* j, const FollowEnds& ends) {
    int fd = sd_journal_get_fd(j);
    check(fd, "watch");
    int events = sd_journal_get_events(j);
    check(events, "events");
    std::uint64_t until = UINT64_MAX;  // CLOCK_MONOTONIC µs
    check(sd_journal_get_timeout(j, &until), "timeout");
    int timeout_ms = -1;
    if (until != UINT64_MAX) {
        std::uint64_t now = host::monotonic_usec();
        std::uint64_t ms = until > now ? (until - now + 999) / 1000 : 0;
        timeout_ms = static_cast<int>(std::min<std::uint64_t>(ms, INT_MAX));
    }
    // A negative fd is skipped by poll. Events 0 on the output: only its
    // hangup or error is reported.
    pollfd fds[3] = {{fd, static_cast<short>(events), 0}, {ends.stop_fd, POLLIN, 0}, {ends.output_fd, 0, 0}};
    if (poll(fds, 3, timeout_ms) < 0) {
        if (errno == EINTR) return false;
        check(-errno, "wait");
    }
    if (fds[1].revents != 0 || fds[2].revents != 0) return false;
    check(sd_journal_process(j), "process");
    return true;
}

void follow_journal(const JournalQuery& q, const std::function<bool(const JournalEntry&)>& sink, FollowEnds ends) {
    if (q.units.empty() && !q.follow_units) return;
    auto j = open_journal(q);
    // Sets up the inotify watches now, so nothing written while we read the
    // backlog is missed by the first wait.
    check(sd_journal_get_fd(j.get()), "watch");
    bool on_entry = seek_start(j.get(), q);
    if (q.follow_units) {
        std::vector<JournalEntry> backlog;
        // With no unit to match, there are no matches at all: no backlog.
        if (!q.units.empty()) read_forward(j.get(), q, on_entry, [&backlog](const JournalEntry& e) {
            backlog.push_back(e);
            return true;
        });
        for (const auto& e : backlog)
            if (!sink(e)) return;
        widen_to_pattern(j.get());
        on_entry = false;
    }
    // Without follow_units the matches already filter; with it, skip what it does not want.
    auto filtered = [&](const JournalEntry& e) {
        if (q.follow_units && !wanted(j.get(), q, e)) return true;
        return sink(e);
    };
    while (read_forward(j.get(), q, on_entry, filtered))
        if (!wait_for_change(j.get(), ends)) return;
}

}  // namespace formation::systemd
