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
    // The formation binary on the host the units run on, for what systemd
    // cannot do alone (helper_needs()). Empty: the host has none (an ops
    // tree without --helper): ready = "port" is then checked by /bin/sh and
    // grep, and a formation that needs more is refused before compiling.
    std::string helper_path = "/usr/bin/formation";
    // The installed formation file the units come from: named in every
    // header and in SourcePath=, so `systemctl status` shows it and systemd
    // flags a hand-edited file as needing a reload. Empty: no SourcePath=
    // (an ops tree: the file is not on the host, and systemd would say the
    // units changed on disk at every call).
    std::string source_path = "/etc/formation/formation.toml";
    // The time zones of the host the units are for: a schedule naming a
    // zone it lacks is refused (systemd would ignore the timer's OnCalendar=).
    CalendarZones zones{};
    // The header's name for the file when it is not source_path (an ops
    // tree: the file relative to the tree's directory).
    std::string source_name;
};

UnitSet compile(const Formation& f, const CompileOptions& options = {});

// What in `f` makes its units run the formation binary on the host
// (CompileOptions::helper_path), with where the file asks for it: health
// checks, on_failure, socket = "shared" (its crash guard) and, when
// `port_too`, ready = "port" (which a host without formation checks with
// /bin/sh instead). In file order of types; empty when none.
struct HelperNeed {
    std::string type;     // the process type
    std::string feature;  // as the file writes it: health, on_failure, socket = "shared", ready = "port"
    SourcePos where;
    // Needs more than the binary: the app installed on the host (health's
    // watcher reads the installed formation each round).
    bool installed = false;
};
std::vector<HelperNeed> helper_needs(const Formation& f, bool port_too);

// What the formation file allows but systemd cannot load: a unit line of
// LONG_LINE_MAX (1 MiB) or more makes systemd refuse the whole unit. Empty
// when every unit loads; otherwise errors at the value that made the line.
std::vector<Diagnostic> unit_limit_errors(const Formation& f);

// Names that would be, or shadow, one of systemd's own units
// (systemd.special(7)): app "default" would make default.target. Empty when
// every unit name the formation makes is free of them.
std::vector<Diagnostic> reserved_name_errors(const Formation& f);

}  // namespace formation
