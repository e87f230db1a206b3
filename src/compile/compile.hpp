// Formation → UnitSet. Pure and deterministic: the same formation gives the
// same bytes, on any machine.
#pragma once

#include <string>

#include "compile/unit_set.hpp"
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

// Unit names, shared by the compiler and the commands that talk to systemd.
std::string app_target_name(const std::string& app);
std::string template_name(const std::string& app, const std::string& type);  // "shop-web@.service"
std::string instance_name(const std::string& app, const std::string& type, int index);
std::string slice_name(const std::string& app);  // "shop.slice", "my\\x2dshop.slice"
std::string socket_template_name(const std::string& app, const std::string& type);  // "shop-web@.socket"
std::string socket_name(const std::string& app, const std::string& type, int index);  // "shop-web@1.socket"


}  // namespace formation
