#include "deploy/execute.hpp"

#include <algorithm>

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
std::vector<std::string> collect(const std::vector<systemd::JobOutcome>& outcomes, const char* action, Report& r) {
    std::vector<std::string> ok;
    for (const auto& o : outcomes) {
        if (o.ok())
            ok.push_back(o.unit);
        else
            r.failures.push_back({o.unit, action, systemd::explain_job_result(o.result)});
    }
    return ok;
}

// Units whose job succeeded but which did not stay up for the settle time.
void settle(const std::vector<std::string>& units, const char* action, systemd::Manager& m, const Options& o,
            Report& r) {
    if (units.empty() || o.settle_usec == 0) return;
    o.sleep(o.settle_usec);
    for (const auto& s : m.unit_states(units)) {
        bool down = s.active_state == "failed" || s.active_state == "inactive" || s.sub_state == "auto-restart" ||
                    s.n_restarts > 0;
        if (!down) continue;
        std::string why = s.result.empty() || s.result == "success" ? "exited at once"
                                                                    : systemd::explain_service_result(s.result);
        r.failures.push_back({s.name, action, "did not stay up: " + why});
    }
}

void progress(const Options& o, const std::string& what) {
    if (o.progress) o.progress(what);
}

}  // namespace

Report rolling_restart(const std::vector<std::string>& units, systemd::Manager& m, const Options& o) {
    Report r;
    const std::size_t step = std::max(1u, o.parallel);
    for (std::size_t i = 0; i < units.size(); i += step) {
        std::vector<std::string> batch(units.begin() + static_cast<std::ptrdiff_t>(i),
                                       units.begin() + static_cast<std::ptrdiff_t>(std::min(units.size(), i + step)));
        progress(o, "restart " + std::to_string(i + 1) + "/" + std::to_string(units.size()));
        std::size_t before = r.failures.size();
        auto ok = collect(m.run_jobs(jobs(JobType::restart, batch), o.job_timeout_usec), "restart", r);
        settle(ok, "restart", m, o, r);
        if (r.failures.size() != before) {
            r.not_restarted.assign(units.begin() + static_cast<std::ptrdiff_t>(i + batch.size()), units.end());
            break;
        }
    }
    return r;
}

Report execute(const Plan& plan, const std::string& app_target, systemd::Manager& m, const Options& o) {
    Report r;
    // Stopped while their units still exist: with their own stop signal,
    // timeout and kill mode, not systemd's defaults for a vanished unit.
    if (!plan.stop.empty()) {
        progress(o, "stop " + std::to_string(plan.stop.size()));
        collect(m.run_jobs(jobs(JobType::stop, plan.stop), o.job_timeout_usec), "stop", r);
    }
    if (!plan.reset_failed.empty()) m.reset_failed(plan.reset_failed);
    if (plan.install && o.install) o.install();
    if (plan.reload) {
        progress(o, "reload");
        m.reload();
    }
    std::vector<JobRequest> starts = jobs(JobType::start, plan.start);
    // An active app target lets `systemctl stop APP.target` stop the app.
    if (plan.start_target) starts.push_back({JobType::start, app_target});
    if (!starts.empty()) {
        progress(o, "start " + std::to_string(plan.start.size()));
        auto ok = collect(m.run_jobs(starts, o.job_timeout_usec), "start", r);
        std::erase(ok, app_target);
        settle(ok, "start", m, o, r);
    }
    Report rolled = rolling_restart(plan.restart, m, o);
    r.failures.insert(r.failures.end(), rolled.failures.begin(), rolled.failures.end());
    r.not_restarted = std::move(rolled.not_restarted);
    return r;
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
