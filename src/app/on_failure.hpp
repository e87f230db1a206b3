// on_failure's handler (APP-TYPE.on-failure@N.service): what systemd tells
// it about the failure ($MONITOR_*, systemd.exec(5), since 251) turned into
// the variables the command gets, and the journal lines it reads on stdin.
// Pure; cli/on_failure.cpp does the I/O.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "systemd/journal.hpp"

namespace formation::app {

// FORMATION_UNIT, FORMATION_RESULT, FORMATION_EXIT_CODE, FORMATION_EXIT_STATUS,
// FORMATION_INVOCATION_ID (from MONITOR_*), FORMATION_TYPE (from
// FORMATION_INSTANCE "web.3"), FORMATION_HOST; a variable systemd did not
// set is left out.
std::vector<std::pair<std::string, std::string>> failure_environment(
    const std::function<const char*(const char*)>& getenv, const std::string& hostname);

// The text on the command's stdin: one line per entry, systemd's own lines
// prefixed "systemd: ", each line's bytes as logged (a newline inside one
// becomes a space).
std::string failure_journal_text(const std::vector<systemd::JournalEntry>& entries);

// Whether journald has stored systemd's "Failed with result" line yet: the
// failure is complete in the journal.
bool has_failure_line(const std::vector<systemd::JournalEntry>& entries);

}  // namespace formation::app
