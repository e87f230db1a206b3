// What the verbs that act on an installed app share: which app (-a APP, or
// the app named in FILE), its installed formation (the only truth on a
// host), the compile options the generator uses, and the app's units as
// systemd has them loaded.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "compile/compile.hpp"
#include "compile/unit_set.hpp"
#include "host/store.hpp"
#include "systemd/manager.hpp"

namespace formation::cli {

host::Store host_store(const Globals& g);

// -a APP (the verb's own, else the global one), checked to be an app name;
// without -a, the app named in FILE (which must then parse).
std::string resolve_app(const Globals& g, const std::string& verb_app);

// The installed formation of the app: APP.toml, or its last good copy when
// APP.toml no longer parses (as the generator does; `on_last_good` says so).
// Throws CliError (exit 2) when the app is not installed.
struct InstalledFormation : LoadedFormation {
    std::string installed_path;  // what the units name in SourcePath=
    bool on_last_good = false;
    std::vector<Diagnostic> installed_errors;  // why APP.toml was not used
};
InstalledFormation load_installed(const Globals& g, const std::string& app);
// The warning of the verbs that act on a loaded formation when it is the last good copy.
void warn_if_last_good(const Globals& g, const InstalledFormation& f);

// Shorthand used by status and logs: load_installed(g, resolve_app(g, verb_app)).
InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app);

// The compile options the generator uses for the app's installed file.
CompileOptions install_options(const Globals& g, const std::string& installed_path);
CompileOptions install_options(const Globals& g, const InstalledFormation& f);

// Every loaded instance APP-TYPE@N.service of the app, of any type, listed
// in the formation or not: whatever runs under the app's names is seen.
std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app);

// The app's lock, for a verb that changes it; says on stderr when it waits.
host::AppLock lock_app(const host::Store& store, const std::string& app);

// A bound on any wait for the app's jobs: its slowest start plus its
// slowest stop, twice, and a minute of slack.
std::uint64_t job_timeout_usec(const Formation& f);

void real_sleep(std::uint64_t usec);

// The last `lines` lines the unit's processes logged, indented, for error reports.
std::string last_log_lines(const std::string& unit, bool user, std::size_t lines);

// Process types named on the command line, checked against the formation.
std::vector<std::string> select_types(const Formation& f, const std::vector<std::string>& names);

// The desired instances of the named types (all when none are named).
std::vector<std::string> desired_instances(const UnitSet& set, const std::vector<std::string>& types);

// A TCP port a formation gives one of its instances (PORT, and with
// socket = true the port systemd listens on, on every address).
struct PortClaim {
    int port = 0;
    std::string app;
    std::string file;      // the formation file that says so
    std::string instance;  // "web.1"
    std::string type;
    bool socket = false;
};

// The ports of `set`'s instances, as formation `f` gives them.
std::vector<PortClaim> ports_of(const Formation& f, const UnitSet& set, const std::string& file);

// The ports every other installed app on this host claims: the system
// manager's apps, and with --user also the user's own. Files that do not
// parse count by their last good copy, or not at all.
std::vector<PortClaim> other_apps_ports(const Globals& g, const std::string& app);

// Who listens on TCP `port` here, from /proc: "python3 (PID 812, unit
// x.service)"; empty when nothing visible to us does.
std::string port_listener(int port);

}  // namespace formation::cli
