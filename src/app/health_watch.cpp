#include "app/health_watch.hpp"

#include <algorithm>

#include "app/error.hpp"
#include "app/health.hpp"
#include "app/installed.hpp"
#include "compile/unit_name.hpp"

namespace formation::app {

HealthTracker::Verdict HealthTracker::record(const std::string& unit, const host::ProbeTarget& target,
                                             const HealthCheck& check, const host::ProbeResult& result,
                                             std::uint64_t now) {
    host::HealthRecord& r = records_[unit];
    r.unit = unit;
    r.last_answer = describe_probe(target, result);
    r.checked_usec = now;
    if (result.outcome == host::ProbeOutcome::healthy) {
        r.healthy = true;
        r.failures = 0;
        return {};
    }
    r.healthy = false;
    ++r.failures;
    if (r.failures < check.failures) return {};
    Verdict v{true, std::to_string(r.failures) + " failed checks in a row: " + r.last_answer};
    ++r.restarts;
    r.restart_reason = v.reason;
    r.restarted_usec = now;
    // It starts over: its next run counts as started only once a check
    // passes (health-wait), so when it runs again it was healthy.
    r.failures = 0;
    r.healthy = true;
    return v;
}

void HealthTracker::not_running(const std::string& unit) {
    auto it = records_.find(unit);
    if (it != records_.end()) it->second.failures = 0;
}

void HealthTracker::keep_only(const std::set<std::string>& units) {
    std::erase_if(records_, [&units](const auto& kv) { return !units.count(kv.first); });
}

std::vector<host::HealthRecord> HealthTracker::records() const {
    std::vector<host::HealthRecord> out;
    for (const auto& [unit, r] : records_) out.push_back(r);
    return out;
}

namespace {

struct Checked {
    std::string type;
    int port = 0;  // of instance 1
    bool health_socket = false;  // socket = "shared": each instance's own socket, not the port
    HealthCheck check;
};

// Where instance `index` of `t` is checked.
host::ProbeTarget target_of(const Checked& t, const std::string& app, int index, const host::Paths& paths) {
    host::ProbeTarget target;
    target.path = t.check.path;
    if (t.health_socket) {
        target.socket = (paths.runtime_dir / health_socket_path(app, t.type, std::to_string(index))).string();
    } else {
        target.port = t.port + index - 1;
    }
    return target;
}

// The types with health in the installed formation (its last good copy
// when the file is broken); nullopt when none renders.
std::optional<std::vector<Checked>> checked_types(Env& env, const std::string& app) {
    auto installed = env.store.installed(app);
    if (!installed) return std::nullopt;
    Resolved r = resolve_installed(*installed, compile_options(env.user, installed->path.string()));
    if (!r.ok()) return std::nullopt;
    std::vector<Checked> out;
    for (const auto& p : r.rendered.formation->processes)
        if (p.health && p.port) out.push_back({p.name, *p.port, has_health_socket(p), *p.health});
    return out;
}

}  // namespace

void watch_health(Env& env, const std::string& app, const WatchIo& io) {
    if (!env.store.installed(app)) throw Error("app " + app + " is not installed", exit_usage);
    HealthTracker tracker;
    std::vector<Checked> types;
    std::map<std::string, std::uint64_t> due;  // type → monotonic µs of its next check
    std::vector<host::HealthRecord> written;
    while (!io.stop()) {
        // Every round: the installed formation is the truth (a new apply,
        // a removed health key); a broken file keeps what was read last.
        if (auto now_types = checked_types(env, app)) types = std::move(*now_types);
        const std::uint64_t now = io.monotonic_usec();
        std::vector<const Checked*> round;
        std::uint64_t next = now + 5000000;  // look at the file again at least this often
        for (const auto& t : types) {
            std::uint64_t& at = due[t.type];
            if (at <= now) {
                round.push_back(&t);
                at = now + t.check.interval_usec;
            }
            next = std::min(next, at);
        }
        if (!round.empty()) {
            std::vector<host::ProbeTarget> targets;
            std::vector<std::string> units;
            std::vector<const Checked*> of;
            std::set<std::string> loaded;
            std::uint64_t timeout = 0;
            for (const auto& s : env.manager().list_unit_states({instance_glob(app)})) {
                auto ref = parse_instance(app, s.name);
                if (!ref) continue;
                loaded.insert(s.name);
                auto t = std::find_if(round.begin(), round.end(), [&ref](const Checked* c) { return c->type == ref->type; });
                if (t == round.end()) continue;
                // Only what runs and is not being started or stopped: a
                // start is gated by health-wait, a queued job is systemd's.
                if (s.active_state != "active" || s.sub_state != "running" || s.job_id != 0) {
                    tracker.not_running(s.name);
                    continue;
                }
                // A health socket is under the manager's runtime directory;
                // a user manager always sets $XDG_RUNTIME_DIR, so without it
                // nothing is checked rather than everything restarted.
                if ((*t)->health_socket && env.store.paths().runtime_dir.empty()) continue;
                targets.push_back(target_of(**t, app, ref->index, env.store.paths()));
                units.push_back(s.name);
                of.push_back(*t);
                timeout = std::max(timeout, (*t)->check.timeout_usec);
            }
            tracker.keep_only(loaded);
            auto results = targets.empty() ? std::vector<host::ProbeResult>{} : io.probe(targets, timeout);
            for (std::size_t i = 0; i < results.size(); ++i) {
                auto v = tracker.record(units[i], targets[i], of[i]->check, results[i], io.realtime_usec());
                if (!v.restart) continue;
                env.say(units[i] + ": unhealthy: " + v.reason + "; restarting it");
                try {
                    env.manager().queue_job({systemd::JobType::restart, units[i]});
                } catch (const std::exception& e) {
                    env.say(units[i] + ": the restart was refused: " + e.what());
                }
            }
            auto records = tracker.records();
            if (records != written) {
                try {
                    host::write_health(env.store.paths(), app, records);
                    written = std::move(records);
                } catch (const std::exception& e) {
                    env.say(std::string("cannot write the health state: ") + e.what());
                }
            }
        }
        const std::uint64_t after = io.monotonic_usec();
        if (next > after) env.sleep(next - after);
    }
}

}  // namespace formation::app
