// journal.hpp over sd-journal.
#include "systemd/journal.hpp"

#include <systemd/sd-journal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

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

JournalPtr open_journal(const JournalQuery& q) {
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

JournalEntry current_entry(sd_journal* j, const JournalQuery& q) {
    JournalEntry e;
    check(sd_journal_get_realtime_usec(j, &e.realtime_usec), "timestamp");
    e.unit = field_value(j, q.user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT").value_or("");
    // The manager's own messages come from init.scope (or user@.service):
    // name the unit they are about instead.
    if (!is_queried(q, e.unit)) e.unit = field_value(j, q.user ? "USER_UNIT" : "UNIT").value_or(e.unit);
    e.message = field_value(j, "MESSAGE").value_or("");
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

void follow_journal(const JournalQuery& q, const std::function<bool(const JournalEntry&)>& sink) {
    if (q.units.empty()) return;
    auto j = open_journal(q);
    // Sets up the inotify watches now, so nothing written while we read the
    // backlog is missed by the first wait.
    check(sd_journal_get_fd(j.get()), "watch");
    bool on_entry = seek_start(j.get(), q);
    while (read_forward(j.get(), q, on_entry, sink)) {
        int r = sd_journal_wait(j.get(), UINT64_MAX);
        if (r == -EINTR) return;
        check(r, "wait");
    }
}

}  // namespace formation::systemd
