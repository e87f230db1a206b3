// What the verbs that act on an installed app share, with the global
// options: which app (-a APP, or the app named in FILE), and the app
// layer's view of it (app/context.hpp) for this scope. Read-only verbs
// (status, logs, list, run, complete, generate) use these; mutating verbs
// go through app/verbs.hpp.
#pragma once

#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/env.hpp"
#include "cli/common.hpp"
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

host::Store host_store(const Globals& g);

// The app layer's Env for this host and these options.
app::Env host_env(const Globals& g);

// -a APP (the verb's own, else the global one), checked to be an app name;
// without -a, the app named in FILE (which must then parse).
std::string resolve_app(const Globals& g, const std::string& verb_app);

// app::load_installed() for the scope of `g`.
InstalledFormation load_installed(const Globals& g, const std::string& app);
// The warning of the verbs that act on a loaded formation when it is the last good copy.
void warn_if_last_good(const Globals& g, const InstalledFormation& f);

// Shorthand used by status and logs: load_installed(g, resolve_app(g, verb_app)).
InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app);

// The compile options the generator uses for the app's installed file.
CompileOptions install_options(const Globals& g, const std::string& installed_path);
CompileOptions install_options(const Globals& g, const InstalledFormation& f);

std::vector<PortClaim> other_apps_ports(const Globals& g, const std::string& app);

}  // namespace formation::cli
