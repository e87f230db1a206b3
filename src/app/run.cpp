#include "app/run.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "app/context.hpp"

namespace formation::app {

std::string random_suffix() {
    unsigned char bytes[4] = {};
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
        throw Error("run: getrandom failed", exit_failed);
    char hex[9];
    std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]);
    return hex;
}



OneOff one_off(const host::Store& store, bool user, const std::string& app, const std::string& type,
               const std::vector<std::string>& command, const std::string& term) {
    InstalledFormation f = load_installed(store, user, app);
    select_types(f.formation, {type});  // an unknown type: exit 2, naming it
    const ProcessType& p = *std::find_if(f.formation.processes.begin(), f.formation.processes.end(),
                                         [&type](const ProcessType& t) { return t.name == type; });
    return OneOff{make_run_spec(f.formation, p, install_options(user, f), command, random_suffix(), term),
                  f.installed_path, f.on_last_good};
}

systemd::TransientExit run_transient(systemd::Manager& m, const systemd::TransientSpec& spec,
                                     const std::function<void()>& started) {
    try {
        m.start_transient(spec);
    } catch (const std::invalid_argument& e) {
        throw Error(std::string("run: ") + e.what(), exit_usage);
    }
    if (started) started();
    return m.wait_transient(spec.name);
}

systemd::TransientExit run_transient(bool user, systemd::TransientSpec spec, const TransientHooks& hooks) {
    auto m = systemd::connect_manager(user, systemd::Route::bus_first);
    if (hooks.connected) hooks.connected(spec);
    return run_transient(*m, spec, hooks.started);
}

}  // namespace formation::app
