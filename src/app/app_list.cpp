#include "app/app_list.hpp"

#include <memory>

#include "app/context.hpp"
#include "compile/unit_name.hpp"
#include "host/store.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

namespace {

bool running(const std::string& active) { return active == "active" || active == "reloading"; }

}  // namespace

AppList list_apps(bool user) {
    AppList out;
    host::Store store = host_store(user);
    host::Scan scan = host::scan_installed(store.paths());
    out.problems = scan.problems;
    out.install_dir = store.paths().install_dir().string();
    std::unique_ptr<systemd::Manager> m;
    try {
        m = systemd::connect_manager(user);
    } catch (const systemd::SystemdError& e) {
        out.unreachable = e.what();
    }
    for (const auto& in : scan.files) {
        ListedApp a;
        a.app = in.app;
        a.path = in.path.string();
        InstalledFormation f;
        try {
            f = load_installed(store, user, in.app);
            if (f.on_last_good) a.note = "invalid file; on its last good formation";
        } catch (const InvalidFormation&) {
            a.note = "invalid file; no units";
        }
        for (const auto& p : f.formation.processes) {
            a.types.emplace_back(p.name, p.count);
            a.desired += p.count;
        }
        if (m) {
            std::uint64_t n = 0;
            for (const auto& s : m->list_unit_states({instance_glob(in.app)}))
                n += parse_instance(in.app, s.name) && running(s.active_state);
            a.running = n;
        }
        out.apps.push_back(std::move(a));
    }
    return out;
}

}  // namespace formation::app
