// One app on this host, as the verbs that act on it find it: its installed
// formation (the only truth on a host; resolve_installed() decides, as for
// the generator), its units as systemd has them loaded, its lock, the bound
// on any wait for its jobs, and the ports it claims.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/error.hpp"
#include "compile/compile.hpp"
#include "compile/unit_set.hpp"
#include "host/store.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

// host::Store for the scope; a user path that cannot be found is exit 2.
host::Store host_store(bool user);

// The installed formation of the app: APP.toml, or its last good copy when
// APP.toml no longer renders (`on_last_good` says so). Throws Error (exit
// 2) when the app is not installed, InvalidFormation when neither renders.
struct InstalledFormation : LoadedFormation {
    std::string installed_path;  // what the units name in SourcePath=
    bool on_last_good = false;
    std::vector<Diagnostic> installed_errors;  // why APP.toml was not used
};
InstalledFormation load_installed(const host::Store& store, bool user, const std::string& app);

// "formation: warning: … acting on its last good formation", or empty.
std::string last_good_warning(const InstalledFormation& f);

CompileOptions install_options(bool user, const InstalledFormation& f);

// Every loaded instance APP-TYPE@N.service of the app, of any type, listed
// in the formation or not: whatever runs under the app's names is seen.
std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app);

// How long to wait for another formation command on the same app:
// $FORMATION_LOCK_TIMEOUT seconds, default 300.
int lock_timeout_sec();

// The app's lock, for a verb that changes it; `waiting` is told when it waits.
host::AppLock lock_app(const host::Store& store, const std::string& app, const std::function<void(const std::string&)>& say);

// The bound on any wait for the app's jobs: its slowest start plus its
// slowest stop, twice, and a minute of slack.
std::uint64_t job_timeout_usec(const Formation& f);
// The bound when no formation says how long the app's stops take (destroy
// of an app whose file and last good copy are gone or broken): ten minutes.
constexpr std::uint64_t unknown_job_timeout_usec = 600ULL * 1000000ULL;

void real_sleep(std::uint64_t usec);

// CLOCK_REALTIME now, in µs, as the journal stamps entries.
std::uint64_t now_realtime_usec();

// The last `lines` lines the unit's processes logged, indented, for error reports:
// up to its run that failed last (systemd's "Failed with result" names it),
// so not the start of the next run Restart= began, else its last ones.
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
std::vector<PortClaim> other_apps_ports(bool user, const std::string& app);

// Who listens on TCP `port` here, from /proc: "python3 (PID 812, unit
// x.service)"; empty when nothing visible to us does.
std::string port_listener(int port);

}  // namespace formation::app
