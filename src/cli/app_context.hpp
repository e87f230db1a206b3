// Left for logs.cpp and run.cpp (switched to direct app:: calls on their
// own branch): the old names for what app/context.hpp and cli/scope.hpp
// now hold. Remove once nothing includes it.
#pragma once

#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/env.hpp"
#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "compile/compile.hpp"
#include "compile/unit_set.hpp"
#include "host/store.hpp"
#include "systemd/manager.hpp"

namespace formation::cli {

using app::InstalledFormation;
using app::PortClaim;
using app::desired_instances;
using app::job_timeout_usec;
using app::last_log_lines;
using app::loaded_instances;
using app::port_listener;
using app::ports_of;
using app::real_sleep;
using app::select_types;

inline host::Store host_store(const Globals& g) { return app::host_store(g.user); }

inline InstalledFormation load_installed(const Globals& g, const std::string& app) {
    return app::load_installed(host_store(g), g.user, app);
}

inline CompileOptions install_options(const Globals& g, const std::string& installed_path) {
    return app::compile_options(g.user, installed_path);
}

inline CompileOptions install_options(const Globals& g, const InstalledFormation& f) {
    return app::install_options(g.user, f);
}

inline std::vector<PortClaim> other_apps_ports(const Globals& g, const std::string& app) {
    return app::other_apps_ports(g.user, app);
}

}  // namespace formation::cli
