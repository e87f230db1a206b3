#include "plan/plan.hpp"

#include <algorithm>
#include <set>

namespace formation {

namespace {

const std::string* state_of(const Observed& o, const std::string& unit) {
    auto it = o.active.find(unit);
    return it == o.active.end() ? nullptr : &it->second;
}

const Instance* find_instance(const UnitSet* set, const std::string& unit) {
    if (!set) return nullptr;
    for (const auto& i : set->instances)
        if (i.unit == unit) return &i;
    return nullptr;
}

// Highest index first, as instances go away.
void sort_down(std::vector<InstanceRef>& refs) {
    std::sort(refs.begin(), refs.end(), [](const InstanceRef& a, const InstanceRef& b) {
        return a.index != b.index ? a.index > b.index : a.type < b.type;
    });
}

}  // namespace

bool is_running_state(const std::string& active_state) {
    return active_state == "active" || active_state == "activating" || active_state == "reloading";
}

Plan make_plan(const UnitSet* converged, const UnitSet& desired, const Observed& observed, bool install) {
    Plan plan;
    plan.install = install;
    plan.reload = install || observed.needs_reload;

    std::set<std::string> wanted;
    std::set<std::string> desired_sockets;
    std::set<std::string> sockets_decided;  // sockets the desired instances keep or cycle
    std::vector<InstanceRef> sockets_down;
    for (const auto& inst : desired.instances) {
        wanted.insert(inst.unit);
        if (!inst.socket.empty()) desired_sockets.insert(inst.socket);
        const std::string socket = socket_of(inst.unit);
        const std::string* socket_state = state_of(observed, socket);
        const bool socket_runs = socket_state && is_running_state(*socket_state);
        const Instance* before = find_instance(converged, inst.unit);
        // Its listen settings changed, or whether it has a socket differs
        // from whether one runs (unknown origin, or a socket stopped by hand).
        const bool socket_changed =
            (before && before->socket_config != inst.socket_config) || inst.socket.empty() == socket_runs;
        if (!inst.socket.empty() || socket_changed) sockets_decided.insert(socket);
        const std::string* state = state_of(observed, inst.unit);
        if (!state || !is_running_state(*state)) {
            plan.start.push_back(inst.unit);
            if (!inst.socket.empty()) plan.start_sockets.push_back(inst.socket);
            // A socket listening with old settings (or none wanted): stopped
            // before the start, which starts the new one. So is a health
            // socket (Instance::fresh_socket).
            if ((socket_changed || inst.fresh_socket()) && socket_runs)
                sockets_down.push_back(*parse_socket(desired.app, socket));
            continue;
        }
        // Not up yet (starting, or waiting for systemd to restart it after a
        // crash): what it will run nobody can vouch for (a failed apply
        // without revert may have left it on that release), so a new
        // formation restarts it.
        const bool not_up = install && *state == "activating";
        if (!before || before->config != inst.config || socket_changed || not_up)
            plan.restart.push_back({inst.unit, socket_changed, socket_changed && socket_runs ? socket : std::string(),
                                    inst.min_ready_usec, inst.socket, inst.batch});
    }

    // Shared sockets: moved when their listen settings changed while they
    // run, or when they failed (repaired); one no type wants any more is
    // stopped (StopWhenUnneeded= would once its last instance stops) and
    // forgotten when failed.
    for (const auto& sock : desired.shared_sockets) {
        const std::string* state = state_of(observed, sock.unit);
        if (!state) continue;  // not loaded: the first start brings it (Requires=)
        const SharedSocket* before = nullptr;
        if (converged)
            for (const auto& s : converged->shared_sockets)
                if (s.unit == sock.unit) before = &s;
        const bool changed = before && before->config != sock.config && is_running_state(*state);
        if (changed || *state == "failed") plan.move_shared.push_back({sock.unit, sock.holder});
    }
    for (const auto& [unit, state] : observed.active) {
        auto type = parse_shared_socket(desired.app, unit);
        if (!type) continue;
        const std::string& name = unit;  // a structured binding cannot be captured (clang 14)
        bool wanted_socket = std::any_of(desired.shared_sockets.begin(), desired.shared_sockets.end(),
                                         [&name](const SharedSocket& s) { return s.unit == name; });
        if (wanted_socket) continue;
        if (is_running_state(state)) plan.stop_sockets.push_back(unit);
        if (state == "failed") plan.reset_failed.push_back(unit);
    }

    std::vector<InstanceRef> surplus;
    for (const auto& [unit, state] : observed.active) {
        if (auto socket = parse_socket(desired.app, unit)) {
            if (is_running_state(state) && !sockets_decided.count(unit)) sockets_down.push_back(*socket);
            // A socket that failed (its port was taken) and is no longer
            // wanted would keep the system degraded.
            if (state == "failed" && !desired_sockets.count(unit)) plan.reset_failed.push_back(unit);
            continue;
        }
        if (wanted.count(unit)) continue;
        auto ref = parse_instance(desired.app, unit);
        if (!ref) continue;
        if (is_running_state(state))
            surplus.push_back(*ref);
        else if (state == "failed")
            // Nothing stops a failed unit: without a reset it stays loaded
            // and failed after its formation is gone, and no verb sees it.
            plan.reset_failed.push_back(unit);
    }
    sort_down(surplus);
    for (const auto& s : surplus) plan.stop.push_back(s.unit);
    sort_down(sockets_down);
    for (const auto& s : sockets_down) plan.stop_sockets.push_back(socket_of(s.unit));

    // The health watcher: started with a type with health, stopped with the
    // last one. It reads the installed formation, so a change restarts nothing.
    const std::string watcher = health_unit_name(desired.app);
    const std::string* watching = state_of(observed, watcher);
    if (!desired.health_unit.empty() && (!watching || !is_running_state(*watching))) plan.start.push_back(watcher);
    if (desired.health_unit.empty() && watching && is_running_state(*watching)) plan.stop.push_back(watcher);
    if (desired.health_unit.empty() && watching && *watching == "failed") plan.reset_failed.push_back(watcher);

    // Scheduled types: each timer runs; one whose settings changed is
    // stopped before the reload and started after it (a run in progress
    // goes on). The timer and run of a type no longer scheduled stop (the
    // run too: its type is gone), and their failed state is forgotten.
    std::set<std::string> scheduled_units;
    for (const auto& sch : desired.scheduled) {
        scheduled_units.insert(sch.timer);
        scheduled_units.insert(sch.service);
        const std::string* state = state_of(observed, sch.timer);
        const Scheduled* before = nullptr;
        if (converged)
            for (const auto& s : converged->scheduled)
                if (s.timer == sch.timer) before = &s;
        const bool runs = state && is_running_state(*state);
        if (runs && (!before || before->config != sch.config)) plan.stop_timers.push_back(sch.timer);
        if (!runs || !before || before->config != sch.config) plan.start.push_back(sch.timer);
    }
    for (const auto& [unit, state] : observed.active) {
        if (!parse_timer(desired.app, unit) && !parse_scheduled(desired.app, unit)) continue;
        if (scheduled_units.count(unit)) continue;
        if (is_running_state(state)) (parse_timer(desired.app, unit) ? plan.stop_timers : plan.stop).push_back(unit);
        if (state == "failed") plan.reset_failed.push_back(unit);
    }

    const std::string* target = state_of(observed, desired.app_target);
    plan.start_target = !target || *target != "active";
    return plan;
}

std::string describe_plan(const Plan& plan, const std::string& installed_path) {
    if (plan.empty()) return "nothing to do\n";
    std::string out;
    for (const auto& u : plan.stop_timers) out += "  stop    " + u + '\n';
    for (const auto& u : plan.stop) out += "  stop    " + u + '\n';
    for (const auto& u : plan.stop_sockets) out += "  stop    " + u + '\n';
    if (plan.install) out += "  install " + installed_path + '\n';
    if (plan.reload) out += "  reload  systemd (the generator makes the units)\n";
    for (const auto& u : plan.start) out += "  start   " + u + '\n';
    for (const auto& m : plan.move_shared)
        out += "  move    " + m.socket + " (its listen settings changed or it failed; each instance takes it as it restarts)\n";
    for (const auto& r : plan.restart)
        out += "  restart " + r.unit + (r.cycle_socket ? " (and its socket: its listen settings changed)" : "") + '\n';
    for (const auto& u : plan.reset_failed)
        if (std::find(plan.start.begin(), plan.start.end(), u) == plan.start.end()) out += "  forget  " + u + " (failed)\n";
    if (plan.start_target && plan.start.empty() && plan.restart.empty() && plan.stop.empty() && plan.stop_sockets.empty() &&
        !plan.install)
        out += "  start   the app target\n";
    return out;
}

}  // namespace formation
