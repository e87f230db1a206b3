// Formation → UnitSet. Pure and deterministic: the same formation gives the
// same bytes, on any machine.
#pragma once

#include <string>

#include "compile/unit_name.hpp"  // the names the units get
#include "compile/unit_set.hpp"
#include "formation/calendar_252.hpp"
#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation {

struct CompileOptions {
    bool user_manager = false;   // default.target instead of multi-user.target; user-manager hardening
    std::string helper_path = "/usr/bin/formation";  // the installed formation binary (ready = "port")
    // The installed formation file the units come from: named in every
    // header and in SourcePath=, so `systemctl status` shows it and systemd
    // flags a hand-edited file as needing a reload.
    std::string source_path = "/etc/formation/formation.toml";
    // The time zones of the host the units are for: a schedule naming a
    // zone it lacks is refused (systemd would ignore the timer's OnCalendar=).
    CalendarZones zones{};
};

UnitSet compile(const Formation& f, const CompileOptions& options = {});

// What the formation file allows but systemd cannot load: a unit line of
// LONG_LINE_MAX (1 MiB) or more makes systemd refuse the whole unit. Empty
// when every unit loads; otherwise errors at the value that made the line.
std::vector<Diagnostic> unit_limit_errors(const Formation& f);

// Names that would be, or shadow, one of systemd's own units
// (systemd.special(7)): app "default" would make default.target. Empty when
// every unit name the formation makes is free of them.
std::vector<Diagnostic> reserved_name_errors(const Formation& f);

}  // namespace formation
