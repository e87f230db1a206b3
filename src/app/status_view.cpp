#include "app/status_view.hpp"

#include <algorithm>
#include <sstream>

#include "plan/plan.hpp"
#include "systemd/explain.hpp"

namespace formation::app {

namespace {

// What the formation asks of an instance, before systemd is asked.
struct Row {
    std::string type;
    int index = 0;
    std::string unit;
    bool desired = false;
    std::optional<int> port;  // the formation's PORT; surplus instances get none
    bool health = false;      // its type has health
};

const systemd::UnitState* find_state(const std::vector<systemd::UnitState>& states, const std::string& name) {
    for (const auto& s : states)
        if (s.name == name) return &s;
    return nullptr;
}

bool active(const systemd::UnitState& s) { return s.active_state == "active"; }

// From "starting" to "started" (ready, for ready = notify/port) of the
// current run. An automatic restart goes through "activating", never
// "inactive", so InactiveExitTimestamp stays at the first start: after
// one, the current run began when its main process did.
std::optional<std::uint64_t> startup_usec(const systemd::UnitState& s) {
    if (!active(s) || !s.active_enter_usec || !s.inactive_exit_usec || s.active_enter_usec < s.inactive_exit_usec)
        return std::nullopt;
    std::uint64_t began = s.inactive_exit_usec;
    if (s.n_restarts > 0 && s.exec_main_start_usec > began && s.exec_main_start_usec <= s.active_enter_usec)
        began = s.exec_main_start_usec;
    return s.active_enter_usec - began;
}

InstanceStatus instance_status(const Row& r, const StatusObservation& seen, std::uint64_t now_usec) {
    systemd::UnitState s;
    s.load_state = "not-found";
    if (const auto* found = find_state(seen.services, r.unit)) s = *found;
    InstanceStatus i;
    i.unit = r.unit;
    i.type = r.type;
    i.index = r.index;
    i.desired = r.desired;
    i.load_state = s.load_state;
    i.active_state = s.active_state;
    i.sub_state = s.sub_state;
    i.result = s.result;
    i.pid = s.main_pid;
    if (active(s) && s.active_enter_usec && now_usec > s.active_enter_usec) i.uptime_usec = now_usec - s.active_enter_usec;
    i.startup_usec = startup_usec(s);
    if (s.memory_current != systemd::unknown_value) i.memory_bytes = s.memory_current;
    if (s.cpu_usage_nsec != systemd::unknown_value) i.cpu_nsec = s.cpu_usage_nsec;
    i.restarts = s.n_restarts;
    i.port = r.port;
    if (s.main_pid)
        if (auto p = seen.process_ports.find(s.main_pid); p != seen.process_ports.end()) {
            i.port = p->second;
            i.port_source = PortSource::process;
        }
    const auto* sock = find_state(seen.sockets, socket_of(r.unit));
    if (sock && sock->load_state == "loaded")
        i.socket = SocketStatus{sock->name, sock->active_state, sock->sub_state, sock->result};
    if (r.health) {
        i.health = host::HealthRecord{};
        for (const auto& h : seen.health)
            if (h.unit == r.unit) i.health = h;
    }
    return i;
}

// A type's shared socket: the formation's, or one systemd still has loaded.
std::optional<SharedSocketStatus> shared_socket_status(const Formation& f, const std::string& type,
                                                       const StatusObservation& seen) {
    const systemd::UnitState* s = find_state(seen.sockets, shared_socket_name(f.app, type));
    const ProcessType* p = nullptr;
    for (const auto& q : f.processes)
        if (q.name == type) p = &q;
    const bool wanted = p && p->socket == SocketMode::shared && p->count > 0;
    if (!wanted && (!s || s->load_state != "loaded")) return std::nullopt;
    SharedSocketStatus out;
    out.unit = shared_socket_name(f.app, type);
    if (s) {
        out.active_state = s->active_state;
        out.sub_state = s->sub_state;
        out.result = s->result;
    }
    if (out.active_state.empty()) out.active_state = "inactive";
    if (out.sub_state.empty()) out.sub_state = "dead";
    if (wanted) out.port = *p->port;
    if (out.port && out.active_state == "active")
        if (auto q = seen.listen_queues.find(*out.port); q != seen.listen_queues.end()) out.waiting = q->second;
    return out;
}

// A scheduled type's timer and run, as systemd has them.
ScheduledStatus scheduled_status(const Formation& f, const ProcessType& p, const StatusObservation& seen,
                                 std::uint64_t now_usec) {
    ScheduledStatus out;
    out.schedule = p.schedule->written;
    out.timer = timer_name(f.app, p.name);
    out.service = scheduled_name(f.app, p.name);
    out.now_usec = now_usec;
    out.timer_active_state = "inactive";
    out.timer_sub_state = "dead";
    out.load_state = "not-found";
    if (const auto* t = find_state(seen.services, out.timer)) {
        if (!t->active_state.empty()) out.timer_active_state = t->active_state;
        if (!t->sub_state.empty()) out.timer_sub_state = t->sub_state;
        if (t->active_state == "active" && t->next_elapse_usec != systemd::unknown_value)
            out.next_usec = t->next_elapse_usec;
    }
    if (const auto* r = find_state(seen.services, out.service)) {
        out.load_state = r->load_state;
        out.active_state = r->active_state;
        out.sub_state = r->sub_state;
        out.result = r->result;
        out.pid = r->main_pid;
        out.last_start_usec = r->exec_main_start_usec;
        // A run that is going has not ended; the exit stamp is the one before.
        if (r->exec_main_exit_usec >= r->exec_main_start_usec && r->active_state != "activating")
            out.last_end_usec = r->exec_main_exit_usec;
        out.exit_status = r->exec_main_status;
        if (r->memory_current != systemd::unknown_value) out.memory_bytes = r->memory_current;
    }
    return out;
}

// "1.2s" under 10 s, else "4h48m" (as the tables show uptimes).
std::string span(std::uint64_t usec) {
    if (usec < 10 * usec_per_sec) {
        std::uint64_t tenths = (usec + 50000) / 100000;
        return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
    }
    std::uint64_t s = usec / usec_per_sec;
    auto two = [](std::uint64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
    if (s < 86400) return std::to_string(s / 3600) + "h" + two(s % 3600 / 60) + "m";
    return std::to_string(s / 86400) + "d" + two(s % 86400 / 3600) + "h";
}

}  // namespace

StatusView build_status_view(const Formation& f, const UnitSet& set, const StatusObservation& seen,
                             std::uint64_t now_usec) {
    std::vector<Row> rows;
    for (const auto& i : set.instances) {
        Row r{i.type, i.index, i.unit, true, std::nullopt, false};
        for (const auto& p : f.processes) {
            if (p.name == i.type && p.port) r.port = instance_port(p, i.index);
            if (p.name == i.type && p.health) r.health = true;
        }
        rows.push_back(std::move(r));
    }
    for (const auto& s : seen.services) {
        bool known = std::any_of(rows.begin(), rows.end(), [&s](const Row& r) { return r.unit == s.name; });
        auto ref = parse_instance(f.app, s.name);
        if (!known && ref) rows.push_back({ref->type, ref->index, s.name, false, std::nullopt, false});
    }
    auto type_rank = [&set](const std::string& t) { return std::find(set.types.begin(), set.types.end(), t) - set.types.begin(); };
    std::stable_sort(rows.begin(), rows.end(), [&type_rank](const Row& a, const Row& b) {
        auto ra = type_rank(a.type), rb = type_rank(b.type);
        return ra != rb ? ra < rb : a.index < b.index;
    });
    // Types the formation no longer lists still show, with what runs of them.
    std::vector<std::string> shown = set.types;
    for (const auto& r : rows)
        if (std::find(shown.begin(), shown.end(), r.type) == shown.end()) shown.push_back(r.type);
    for (const auto& s : seen.sockets)
        if (auto type = parse_shared_socket(f.app, s.name); type && s.load_state == "loaded" &&
                                                             std::find(shown.begin(), shown.end(), *type) == shown.end())
            shown.push_back(*type);
    StatusView v;
    v.app = f.app;
    for (const auto& name : shown) {
        TypeStatus t;
        t.name = name;
        for (const auto& r : rows) {
            if (r.type != name) continue;
            t.instances.push_back(instance_status(r, seen, now_usec));
            t.desired += r.desired;
            t.running += r.desired && is_running(t.instances.back());
        }
        t.shared_socket = shared_socket_status(f, name, seen);
        for (const auto& p : f.processes)
            if (p.name == name && p.schedule) t.scheduled = scheduled_status(f, p, seen, now_usec);
        v.types.push_back(std::move(t));
    }
    return v;
}

bool is_running(const InstanceStatus& i) { return i.active_state == "active"; }

// Failing means systemd gave up ("failed", e.g. exit-code or start-limit-hit)
// or is about to try again after an unclean exit (auto-restart with a
// result other than success): an instance in a crash loop spends most of
// its time in auto-restart, and must not pass for healthy between crashes.
bool service_failing(const InstanceStatus& i) {
    if (i.active_state == "failed") return true;
    return i.sub_state == "auto-restart" && !i.result.empty() && i.result != "success";
}

// Its socket failed (the port was taken, say): the instance cannot start,
// whatever the service's own state, which stays "inactive".
bool socket_failed(const InstanceStatus& i) { return i.socket && i.socket->active_state == "failed"; }

bool is_failing(const InstanceStatus& i) { return service_failing(i) || socket_failed(i); }

bool is_missing(const InstanceStatus& i) {
    return i.desired && (i.load_state != "loaded" || i.active_state == "inactive");
}

bool shared_socket_failed(const TypeStatus& t) { return t.shared_socket && t.shared_socket->active_state == "failed"; }

bool scheduled_failed(const TypeStatus& t) {
    return t.scheduled && (t.scheduled->active_state == "failed" || t.scheduled->timer_active_state == "failed");
}

bool scheduled_running(const ScheduledStatus& s) { return s.active_state == "activating" || s.active_state == "active"; }

std::string timer_note(const ScheduledStatus& s) {
    if (s.timer_active_state == "failed") return "failed: the timer could not be set";
    if (s.timer_active_state != "active") return "stopped: no run until it starts (formation start)";
    // systemd sets the next time once the run it started ends.
    if (s.timer_sub_state == "running") return "next run: set when the current one ends";
    if (!s.next_usec) return "no next run: the schedule has no time left";
    return "next run in " + (s.next_usec > s.now_usec ? span(s.next_usec - s.now_usec) : std::string("0.0s"));
}

std::string run_note(const ScheduledStatus& s) {
    if (s.load_state != "loaded" && s.load_state != "not-found") return "missing: unit " + s.load_state;
    if (scheduled_running(s))
        return "running" + (s.last_start_usec && s.now_usec > s.last_start_usec
                                ? " for " + span(s.now_usec - s.last_start_usec)
                                : std::string());
    if (!s.last_start_usec) return "never ran";
    std::string n = "last run " + (s.now_usec > s.last_start_usec ? span(s.now_usec - s.last_start_usec) : "0.0s") + " ago";
    if (s.active_state == "failed") {
        n += ", failed: " + s.result + ": " + systemd::explain_service_result(s.result);
        if (s.result == "exit-code") n += " (status " + std::to_string(s.exit_status) + ")";
    } else {
        n += ", succeeded";
    }
    if (s.last_end_usec) n += ", took " + span(s.last_end_usec - s.last_start_usec);
    return n;
}

bool any_failing(const StatusView& v) {
    for (const auto& t : v.types) {
        if (shared_socket_failed(t) || scheduled_failed(t)) return true;
        if (std::any_of(t.instances.begin(), t.instances.end(), [](const InstanceStatus& i) { return is_failing(i); }))
            return true;
    }
    return false;
}

std::string shared_note(const TypeStatus& t) {
    if (!t.shared_socket) return "";
    const auto& s = *t.shared_socket;
    if (s.active_state == "failed")
        return "failed: " + s.result + ": " + systemd::explain_socket_result(s.result);
    if (!s.port) return "surplus: not in the formation";
    int accepting = 0;
    for (const auto& i : t.instances) accepting += is_running(i);
    std::string n = "shared: " + std::to_string(accepting) + (accepting == 1 ? " instance accepts" : " instances accept");
    if (s.waiting) n += ", " + std::to_string(*s.waiting) + " waiting";
    if (s.active_state != "active") n += "; closed";
    return n;
}

std::string note(const InstanceStatus& i) {
    if (socket_failed(i) && !service_failing(i))
        return "socket " + i.socket->unit + " failed: " + i.socket->result + ": " +
               systemd::explain_socket_result(i.socket->result);
    if (service_failing(i)) {
        // systemd 252 keeps the first failure's Result when the start limit
        // is hit ("exit-code", not "start-limit-hit"); restarts tell.
        std::string n = i.result + ": " + systemd::explain_service_result(i.result);
        if (i.active_state == "failed" && i.restarts > 0 && i.result != "start-limit-hit")
            n += "; restarted " + std::to_string(i.restarts) + " times, then systemd gave up";
        return i.sub_state == "auto-restart" ? n + "; restarting" : n;
    }
    if (!i.desired) return "surplus: not in the formation";
    if (i.load_state != "loaded") return "missing: unit " + i.load_state;
    if (i.active_state == "inactive") return "missing: not started";
    if (i.sub_state == "auto-restart") return "restarting";
    if (i.health && !i.health->unit.empty() && is_running(i)) {
        const auto& h = *i.health;
        if (!h.healthy) return "unhealthy: " + h.last_answer + " (" + std::to_string(h.failures) + " in a row)";
        if (h.restarts > 0)
            return "restarted by its health check" + (h.restarts > 1 ? " " + std::to_string(h.restarts) + " times" : "") +
                   ", last after " + h.restart_reason;
    }
    return "";
}

std::string health_word(const InstanceStatus& i) {
    if (!i.health) return "";
    if (i.health->unit.empty() || !is_running(i)) return "-";
    return i.health->healthy ? "healthy" : "unhealthy";
}

FailureLog failure_log(const InstanceStatus& i) {
    if (!i.desired) return FailureLog::none;
    if (service_failing(i)) return FailureLog::service;
    if (socket_failed(i)) return FailureLog::socket;
    return FailureLog::none;
}

std::string summary_line(const TypeStatus& t) {
    if (t.scheduled) {
        std::string s = t.name + " scheduled (" + t.scheduled->schedule + ")";
        if (scheduled_running(*t.scheduled)) s += ", running";
        else if (scheduled_failed(t)) s += ", last run failed";
        if (t.scheduled->timer_active_state != "active") s += ", timer " + t.scheduled->timer_active_state;
        return s;
    }
    int failed = 0, missing = 0, surplus = 0;
    for (const auto& i : t.instances) {
        failed += is_failing(i);
        missing += is_missing(i) && !is_failing(i);
        surplus += !i.desired;
    }
    std::ostringstream s;
    s << t.name << ' ' << t.running << '/' << t.desired << " running";
    if (failed) s << ", " << failed << " failed";
    if (missing) s << ", " << missing << " missing";
    if (surplus) s << ", " << surplus << " surplus";
    return s.str();
}

}  // namespace formation::app
