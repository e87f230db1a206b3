// Bringing one app on this host to a new formation: shared by apply and
// scale. Under the app's lock: compute the new formation (from what is
// installed, for scale), plan against what runs and what it was converged
// to, print the plan, and carry it out with deploy::execute.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cli/common.hpp"
#include "compile/unit_set.hpp"
#include "deploy/execute.hpp"
#include "host/store.hpp"

namespace formation::cli {

struct ConvergeOptions {
    bool dry_run = false;
    std::uint64_t settle_usec = 500000;
    unsigned parallel = 1;
    bool json = false;  // the plan (and the outcome) as one JSON object instead of lines
};

// `desired` gets the installed formation (nullopt when none) and returns
// the new one, validated; it runs under the lock, so concurrent scales of
// one app each see the other's result.
using DesiredFormation = std::function<LoadedFormation(const std::optional<host::InstalledFile>& installed)>;

// Returns the exit code: 0 when every desired instance runs, 1 when some
// failed (reported with their last journal lines).
int converge(const Globals& g, const std::string& app, const DesiredFormation& desired, const ConvergeOptions& o);

// The plan as apply --json prints it; with a report, each action's result.
std::string plan_json(const Plan& plan, const std::string& app, const std::string& app_target,
                      const std::string& installed_path, const deploy::Report* report);

// Job failures with the process's last journal lines, and what a stopped
// roll left on the old configuration; on stderr. An instance whose socket
// failed gets, instead, the port `f` gives it, who holds that port, and
// what systemd logged about the socket since `since_usec` (CLOCK_REALTIME).
void print_report(const deploy::Report& r, const std::string& app, const Globals& g, const Formation* f = nullptr,
                  std::uint64_t since_usec = 0);

// CLOCK_REALTIME now, in µs, as the journal stamps entries.
std::uint64_t now_realtime_usec();

// Refuses (exit 2, at the port's line) a formation whose instances would
// share a TCP port with another installed app's where either side has
// socket = true: systemd listens on every address, so one of the two could
// never start. Warns when two apps give the same port to plain processes
// (each may bind one address only).
void check_ports(const Globals& g, const LoadedFormation& next, const UnitSet& set);

}  // namespace formation::cli
