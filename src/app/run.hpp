// formation run's engine: the one-off spec of a type of the installed
// formation (app/run_spec.hpp), and the transient service systemd runs it
// as, started and waited for (what `systemd-run --wait --collect` does).
// Takes no lock: a console may stay open for hours while the app is
// applied or scaled.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/run_spec.hpp"
#include "host/store.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

// Eight hex digits from getrandom(): what makes a one-off unit's name unique.
std::string random_suffix();

struct OneOff {
    RunSpec run;
    std::string installed_path;
    bool on_last_good = false;  // the installed file is invalid; its last good copy is used
};

// The installed formation of `app` (exit 2 for a type it does not have),
// the spec of `command` in `type`'s context, under a random unit name;
// `term`: $TERM when the process gets a terminal, else empty.
OneOff one_off(const host::Store& store, bool user, const std::string& app, const std::string& type,
               const std::vector<std::string>& command, const std::string& term);

struct TransientHooks {
    std::function<void(systemd::TransientSpec&)> connected;  // before the start: a terminal to give it
    std::function<void()> started;                           // the unit is started
};

// Starts `spec` as a transient service and waits for it to end. Through
// the bus: the unit is held with AddRef=yes, which needs a bus name
// (systemd-run --wait connects the same way). A spec systemd cannot take
// is Error exit 2, "run: …".
systemd::TransientExit run_transient(bool user, systemd::TransientSpec spec, const TransientHooks& hooks);
systemd::TransientExit run_transient(systemd::Manager& m, const systemd::TransientSpec& spec,
                                     const std::function<void()>& started);

}  // namespace formation::app
