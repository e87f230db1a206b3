// The status of an app on this host: observed through the manager, and the
// journal lines that explain its failing instances.
#include <chrono>
#include <sstream>

#include "app/context.hpp"
#include "app/status_view.hpp"
#include "compile/compile.hpp"
#include "host/clock.hpp"
#include "systemd/journal.hpp"

namespace formation::app {

namespace {

std::uint64_t now_usec() { return host::realtime_usec(); }

}  // namespace

StatusView local_status(bool user, const InstalledFormation& loaded) {
    const Formation& f = loaded.formation;
    UnitSet set = compile(f, install_options(user, loaded));
    auto manager = systemd::connect_manager(user);
    StatusObservation seen = observe_status(f, set, *manager);
    if (!set.health_unit.empty()) seen.health = host::read_health(host::paths(user), f.app);
    return build_status_view(f, set, seen, now_usec());
}

std::map<std::string, std::vector<std::string>> failure_journal(const StatusView& v, bool user, std::size_t lines) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& t : v.types) {
        // A scheduled type whose last run failed: that run's last lines.
        if (t.scheduled && t.scheduled->active_state == "failed") {
            auto& shown = out[t.scheduled->service];
            std::istringstream text(last_log_lines(t.scheduled->service, user, lines));
            for (std::string line; std::getline(text, line);) shown.push_back(line);
        }
        for (const auto& i : t.instances) {
            auto& shown = out[i.unit];
            if (failure_log(i) == FailureLog::service) {
                std::istringstream text(last_log_lines(i.unit, user, lines));
                for (std::string line; std::getline(text, line);) shown.push_back(line);
            } else if (failure_log(i) == FailureLog::socket) {
                systemd::JournalQuery q;
                q.units = {i.socket->unit};
                q.user = user;
                q.last = lines;
                try {
                    for (const auto& e : systemd::read_journal(q)) shown.push_back("    " + terminal_safe(e.message, true));
                } catch (const std::exception& e) {
                    shown.push_back(std::string("    (journal unreadable: ") + e.what() + ")");
                }
            }
        }
    }
    return out;
}

}  // namespace formation::app
