// Formation → UnitSet. Pure and deterministic: the same formation gives the
// same bytes, on any machine.
#pragma once

#include <string>

#include "compile/unit_set.hpp"
#include "formation/model.hpp"

namespace formation {

struct CompileOptions {
    bool user_manager = false;   // WantedBy=default.target instead of multi-user.target
    std::string helper_path;     // absolute path of the formation binary (ready = "port")
};

UnitSet compile(const Formation& f, const CompileOptions& options = {});

// Unit names, shared by the compiler and the commands that talk to systemd.
std::string app_target_name(const std::string& app);
std::string template_name(const std::string& app, const std::string& type);  // "shop-web@.service"
std::string instance_name(const std::string& app, const std::string& type, int index);

}  // namespace formation
