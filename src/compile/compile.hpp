// Formation → UnitSet. Pure and deterministic: the same formation gives the
// same bytes, on any machine.
#pragma once

#include <string>

#include "compile/unit_set.hpp"
#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation {

struct CompileOptions {
    bool user_manager = false;   // WantedBy=default.target instead of multi-user.target
    std::string helper_path;     // absolute path of the formation binary (ready = "port")
};

UnitSet compile(const Formation& f, const CompileOptions& options = {});

// What the formation file allows but systemd cannot load: a unit line of
// LONG_LINE_MAX (1 MiB) or more makes systemd refuse the whole unit. Empty
// when every unit loads; otherwise errors at the value that made the line.
std::vector<Diagnostic> unit_limit_errors(const Formation& f);

// Unit names, shared by the compiler and the commands that talk to systemd.
std::string app_target_name(const std::string& app);
std::string template_name(const std::string& app, const std::string& type);  // "shop-web@.service"
std::string instance_name(const std::string& app, const std::string& type, int index);

}  // namespace formation
