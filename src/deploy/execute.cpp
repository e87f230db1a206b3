#include "deploy/execute.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "systemd/explain.hpp"

namespace formation::deploy {

namespace {

using systemd::JobRequest;
using systemd::JobType;

std::vector<JobRequest> jobs(JobType type, const std::vector<std::string>& units) {
    std::vector<JobRequest> out;
    for (const auto& u : units) out.push_back({type, u});
    return out;
}

// Records failed outcomes; returns the units whose job succeeded.
std::vector<std::string> collect(const std::vector<systemd::JobOutcome>& outcomes, const char* action,
                                 const std::vector<std::string>& sockets, systemd::Manager& m, Report& r) {
    std::vector<std::string> ok;
    for (const auto& o : outcomes)
        if (o.ok()) ok.push_back(o.unit);
    auto failed = failures_of(outcomes, action, sockets, m);
    r.failures.insert(r.failures.end(), failed.begin(), failed.end());
    return ok;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool went_down(const systemd::UnitState& s) {
    return s.active_state == "failed" || s.active_state == "inactive" || s.sub_state == "auto-restart" ||
           s.n_restarts > 0;
}

std::string why_down(const systemd::UnitState& s) {
    return s.result.empty() || s.result == "success" ? "exited at once" : systemd::explain_service_result(s.result);
}

// Units whose job succeeded but which did not stay up for the settle time.
void settle(const std::vector<std::string>& units, const char* action, systemd::Manager& m, const Options& o,
            Report& r) {
    if (units.empty() || o.settle_usec == 0) return;
    o.sleep(o.settle_usec);
    for (const auto& s : m.unit_states(units))
        if (went_down(s)) r.failures.push_back({s.name, action, "did not stay up: " + why_down(s), {}});
}

std::string seconds(std::uint64_t usec) {
    std::string s = std::to_string(usec / 1000000);
    if (usec % 1000000) s += "." + std::to_string(usec % 1000000 / 100000);
    return s + " s";
}

// Holds restarted units up for their min_ready (at least the settle time),
// looking every poll: one that goes down, is restarted by systemd or has a
// new main process fails. Returns early at the first failure.
void hold(const std::vector<Restart>& batch, const std::vector<std::string>& units, systemd::Manager& m,
          const Options& o, Report& r) {
    std::uint64_t span = o.settle_usec;
    for (const auto& step : batch)
        if (std::find(units.begin(), units.end(), step.unit) != units.end()) span = std::max(span, step.min_ready_usec);
    if (units.empty() || span == 0) return;
    std::vector<std::uint32_t> pid;
    const std::uint64_t began = o.clock ? o.clock() : 0;
    for (std::uint64_t held = 0;;) {
        auto states = m.unit_states(units);
        bool failed = false;
        for (std::size_t i = 0; i < states.size(); ++i) {
            const auto& s = states[i];
            if (pid.size() < states.size()) pid.push_back(s.main_pid);
            std::string why;
            if (went_down(s))
                why = why_down(s);
            else if (pid[i] && s.main_pid && s.main_pid != pid[i])
                why = "its main process changed";
            if (why.empty()) continue;
            r.failures.push_back({s.name, "restart", "did not stay up for " + seconds(span) + " (min_ready): " + why, {}});
            failed = true;
        }
        if (o.clock) held = o.clock() - began;
        if (failed || held >= span) return;
        std::uint64_t step = std::min(std::max<std::uint64_t>(o.poll_usec, 1), span - held);
        o.sleep(step);
        if (!o.clock) held += step;
    }
}

void progress(const Options& o, const std::string& what) {
    if (o.progress) o.progress(what);
}

// One batch of a roll: instances whose socket changes are stopped with
// their old socket and started again (the start starts the new socket);
// the others are restarted, which leaves their socket listening.
std::vector<std::string> restart_batch(const std::vector<Restart>& batch, systemd::Manager& m, const Options& o,
                                       Report& r) {
    std::vector<JobRequest> stops, restarts;
    std::vector<std::string> sockets;
    for (const auto& step : batch) {
        if (!step.socket.empty()) sockets.push_back(step.socket);
        if (!step.cycle_socket) {
            restarts.push_back({JobType::restart, step.unit});
            continue;
        }
        stops.push_back({JobType::stop, step.unit});
        if (!step.old_socket.empty()) stops.push_back({JobType::stop, step.old_socket});
    }
    std::vector<std::string> failed_stop;
    for (const auto& out : m.run_jobs(stops, o.job_timeout_usec)) {
        if (out.ok()) continue;
        r.failures.push_back({out.unit, "restart", "could not stop: " + systemd::explain_job_result(out.result), {}});
        failed_stop.push_back(out.unit);
    }
    for (const auto& step : batch)
        if (step.cycle_socket && std::find(failed_stop.begin(), failed_stop.end(), step.unit) == failed_stop.end() &&
            std::find(failed_stop.begin(), failed_stop.end(), step.old_socket) == failed_stop.end())
            restarts.push_back({JobType::start, step.unit});
    if (restarts.empty()) return {};
    return collect(run_jobs(m, restarts, sockets, o.job_timeout_usec), "restart", sockets, m, r);
}

// Where the batch that begins at `first` ends: `parallel` steps; with 0,
// the steps of the first one's type (its template, "shop-web@"), its
// batch at a time.
std::size_t batch_end(const std::vector<Restart>& steps, std::size_t first, unsigned parallel) {
    if (parallel) return std::min(steps.size(), first + parallel);
    auto type_of = [](const std::string& unit) { return unit.substr(0, unit.find('@')); };
    const std::string type = type_of(steps[first].unit);
    const std::size_t size = std::max(1u, steps[first].batch);
    std::size_t end = first + 1;
    while (end < steps.size() && end - first < size && type_of(steps[end].unit) == type) ++end;
    return end;
}

}  // namespace

Report rolling_restart(const std::vector<Restart>& steps, systemd::Manager& m, const Options& o) {
    Report r;
    for (std::size_t i = 0; i < steps.size();) {
        std::size_t end = batch_end(steps, i, o.parallel);
        std::vector<Restart> batch(steps.begin() + static_cast<std::ptrdiff_t>(i),
                                   steps.begin() + static_cast<std::ptrdiff_t>(end));
        progress(o, "restart " + std::to_string(i + 1) + "/" + std::to_string(steps.size()));
        std::size_t before = r.failures.size();
        auto ok = restart_batch(batch, m, o, r);
        if (r.failures.size() == before) hold(batch, ok, m, o, r);
        if (r.failures.size() != before) {
            for (auto it = steps.begin() + static_cast<std::ptrdiff_t>(i + batch.size()); it != steps.end(); ++it)
                r.not_restarted.push_back(it->unit);
            break;
        }
        i = end;
    }
    return r;
}

Report execute(const Plan& plan, const std::string& app_target, systemd::Manager& m, const Options& o) {
    Report r;
    if (!plan.stop_timers.empty()) collect(m.run_jobs(jobs(JobType::stop, plan.stop_timers), o.job_timeout_usec), "stop", {}, m, r);
    // Stopped while their units still exist: with their own stop signal,
    // timeout and kill mode, not systemd's defaults for a vanished unit.
    if (!plan.stop.empty() || !plan.stop_sockets.empty() || !plan.stop_last.empty()) {
        if (!plan.stop.empty() || !plan.stop_sockets.empty()) progress(o, "stop " + std::to_string(plan.stop.size()));
        auto stops = jobs(JobType::stop, plan.stop);
        for (const auto& s : plan.stop_sockets) stops.push_back({JobType::stop, s});
        for (const auto& u : plan.stop_last) stops.push_back({JobType::stop, u});
        collect(m.run_jobs(stops, o.job_timeout_usec), "stop", {}, m, r);
    }
    if (!plan.reset_failed.empty()) m.reset_failed(plan.reset_failed);
    if (plan.install && o.install) o.install();
    if (plan.uninstall && o.uninstall) o.uninstall();
    if (plan.reload) {
        progress(o, "reload");
        m.reload();
    }
    // A shared socket's move: its holder stopped (an active holder refuses
    // the socket's start), then the socket alone restarted on its new
    // settings; the instances follow as the roll restarts them.
    if (!plan.move_shared.empty()) {
        progress(o, "move " + std::to_string(plan.move_shared.size()) + " shared socket(s)");
        std::vector<JobRequest> holders, sockets;
        std::vector<std::string> names;
        for (const auto& mv : plan.move_shared) {
            holders.push_back({JobType::stop, mv.holder});
            sockets.push_back({JobType::restart_alone, mv.socket});
            names.push_back(mv.socket);
        }
        collect(m.run_jobs(holders, o.job_timeout_usec), "stop", {}, m, r);
        m.reset_failed(names);
        collect(m.run_jobs(sockets, o.job_timeout_usec), "restart", {}, m, r);
    }
    std::vector<JobRequest> starts = jobs(JobType::start, plan.start);
    // An active app target lets `systemctl stop APP.target` stop the app.
    if (plan.start_target) starts.push_back({JobType::start, app_target});
    if (!starts.empty()) {
        progress(o, "start " + std::to_string(plan.start.size()));
        auto outcomes = run_jobs(m, starts, plan.start_sockets, o.job_timeout_usec);
        auto ok = collect(outcomes, "start", plan.start_sockets, m, r);
        std::erase(ok, app_target);
        settle(ok, "start", m, o, r);
    }
    Report rolled = rolling_restart(plan.restart, m, o);
    r.failures.insert(r.failures.end(), rolled.failures.begin(), rolled.failures.end());
    r.not_restarted = std::move(rolled.not_restarted);
    if (!plan.reload_instances.empty())
        for (auto& out : m.run_jobs(jobs(JobType::reload, plan.reload_instances), o.job_timeout_usec)) {
            if (!out.ok()) r.failures.push_back({out.unit, "reload", out.result, {}});
            r.reloaded.push_back(std::move(out));
        }
    return r;
}

std::vector<systemd::JobOutcome> run_jobs(systemd::Manager& m, const std::vector<JobRequest>& jobs,
                                          const std::vector<std::string>& sockets, std::uint64_t timeout_usec) {
    std::vector<std::string> reset;
    std::set<std::string> seen;
    for (const auto& j : jobs)
        if ((j.type == JobType::start || j.type == JobType::restart || j.type == JobType::try_restart) &&
            seen.insert(j.unit).second)
            reset.push_back(j.unit);
    for (const auto& s : sockets)
        if (seen.insert(s).second) reset.push_back(s);
    // One pipelined batch, answered before the jobs are queued.
    if (!reset.empty()) m.reset_failed(reset);
    return m.run_jobs(jobs, timeout_usec);
}

std::vector<Failure> failures_of(const std::vector<systemd::JobOutcome>& outcomes, const char* action,
                                 const std::vector<std::string>& sockets, systemd::Manager& m) {
    std::vector<Failure> out;
    std::vector<std::string> suspects;  // sockets of services that failed for a dependency
    for (const auto& o : outcomes) {
        if (o.ok()) continue;
        out.push_back({o.unit, action, systemd::explain_job_result(o.result), {}});
        if (o.result == "dependency" && o.unit.ends_with(".service") && has(sockets, socket_of(o.unit)))
            suspects.push_back(socket_of(o.unit));
    }
    if (suspects.empty()) return out;
    for (const auto& s : m.unit_states(suspects)) {
        if (s.active_state != "failed") continue;
        for (auto& f : out)
            if (f.unit.ends_with(".service") && socket_of(f.unit) == s.name) {
                f.reason = "its socket " + s.name + " failed: " + s.result + ": " +
                           systemd::explain_socket_result(s.result);
                f.failed_socket = s.name;
            }
    }
    return out;
}

bool wait_idle(systemd::Manager& m, const std::vector<std::string>& patterns, std::uint64_t timeout_usec,
               const std::function<void(std::uint64_t)>& sleep) {
    constexpr std::uint64_t poll_usec = 100000;
    for (std::uint64_t waited = 0;; waited += poll_usec) {
        auto units = m.list_unit_states(patterns);
        bool busy = std::any_of(units.begin(), units.end(), [](const systemd::UnitState& s) { return s.job_id != 0; });
        if (!busy) return true;
        if (waited >= timeout_usec) return false;
        sleep(poll_usec);
    }
}

}  // namespace formation::deploy
