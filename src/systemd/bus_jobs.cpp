// Queueing jobs and waiting for them, as systemctl does: watch JobRemoved
// and Subscribe first, queue every job without waiting (pipelined), then
// process the bus until each queued job path has been removed.
#include <cstdint>
#include <utility>

#include "host/clock.hpp"
#include "systemd/bus.hpp"

namespace formation::systemd::bus {
namespace {

const char* method_for(JobType type) {
    switch (type) {
        case JobType::start: return "StartUnit";
        case JobType::stop: return "StopUnit";
        case JobType::restart:
        case JobType::restart_alone: return "RestartUnit";
        case JobType::try_restart: return "TryRestartUnit";
        case JobType::reload: return "ReloadUnit";
    }
    return "StartUnit";
}

const char* mode_for(JobType type) { return type == JobType::restart_alone ? "ignore-dependencies" : "replace"; }

}  // namespace

// The jobs of one run(), matched to their JobRemoved signals. The reply that
// names a job path and that job's JobRemoved may arrive in either order.
struct JobRunner::Batch {
    std::vector<JobOutcome> outcomes;                           // result "" while unknown
    std::map<std::string, std::vector<std::size_t>> waiting;    // job path → requests (merged jobs share one)
    std::map<std::string, std::string> removed_unclaimed;       // job path → result, not yet claimed by a reply
    std::size_t unresolved = 0;

    void resolve(std::size_t i, std::string result) {
        outcomes[i].result = std::move(result);
        --unresolved;
    }

    void job_queued(std::size_t i, const std::string& path) {
        if (auto it = removed_unclaimed.find(path); it != removed_unclaimed.end())
            resolve(i, it->second);
        else
            waiting[path].push_back(i);
    }

    // Also sees other clients' jobs; those just sit unclaimed until run() ends.
    void job_removed(const std::string& path, const std::string& result) {
        auto it = waiting.find(path);
        if (it == waiting.end()) {
            removed_unclaimed.emplace(path, result);
            return;
        }
        for (std::size_t i : it->second) resolve(i, result);
        waiting.erase(it);
    }
};

void JobRunner::subscribe_once() {
    if (job_removed_match_) return;
    SlotPtr match = connection_.match_signal(manager_path, manager_interface, "JobRemoved", job_removed, this);
    // The manager only emits job signals on the bus while someone is subscribed.
    connection_.subscribe();
    job_removed_match_ = std::move(match);
}

// Runs inside sd_bus_process (C frames): exceptions must not escape.
int JobRunner::job_removed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    auto* self = static_cast<JobRunner*>(userdata);
    if (!self->batch_) return 0;
    std::uint32_t id = 0;
    const char* path = nullptr;
    const char* unit = nullptr;
    const char* result = nullptr;
    if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0) return 0;
    try {
        self->batch_->job_removed(path, result);
    } catch (...) {
        // Only allocation can fail here; the job then counts as still running.
    }
    return 0;
}

std::vector<JobOutcome> JobRunner::run(const std::vector<JobRequest>& jobs, std::uint64_t timeout_usec) {
    if (jobs.empty()) return {};
    subscribe_once();

    Batch batch;
    batch.outcomes.reserve(jobs.size());
    for (const auto& job : jobs) batch.outcomes.push_back(JobOutcome{job.unit, {}});
    batch.unresolved = jobs.size();

    struct Attach {  // batch_ must not outlive `batch`, even when we unwind
        JobRunner& runner;
        Attach(JobRunner& r, Batch& b) : runner(r) { runner.batch_ = &b; }
        ~Attach() { runner.batch_ = nullptr; }
    } attach(*this, batch);

    Pipeline pipeline(connection_);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const char* method = method_for(jobs[i].type);
        auto m = connection_.new_manager_call(method);
        check_message(sd_bus_message_append(m.get(), "ss", jobs[i].unit.c_str(), mode_for(jobs[i].type)), method);
        pipeline.add(std::move(m), [&batch, &jobs, i, method](sd_bus_message* reply) {
            if (const sd_bus_error* e = sd_bus_message_get_error(reply)) {
                batch.resolve(i, std::string("error: ") + (e->message ? e->message : e->name));
                if (is_permission_error(e)) throw call_failed(describe_call(method, jobs[i].unit), e, 0);
                return;
            }
            const char* path = nullptr;
            check_message(sd_bus_message_read(reply, "o", &path), "job path");
            batch.job_queued(i, path);
        });
    }
    // Wait, waking about once a second for an observer (so it can say what
    // is still waiting) and whenever a job is removed.
    const std::uint64_t start = host::monotonic_usec();
    const std::uint64_t deadline = timeout_usec ? start + timeout_usec : 0;
    std::size_t reported = SIZE_MAX;
    auto report = [&](bool finished) {
        if (!observer_) return;
        JobProgress p;
        p.total = jobs.size();
        p.done = jobs.size() - batch.unresolved;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (batch.outcomes[i].result.empty()) p.waiting.push_back(&jobs[i]);
        p.elapsed_usec = host::monotonic_usec() - start;
        p.finished = finished;
        observer_(p);
        reported = batch.unresolved;
    };
    report(false);
    bool timed_out = false;
    while (batch.unresolved > 0) {
        std::uint64_t now = host::monotonic_usec();
        if (deadline && now >= deadline) {
            timed_out = true;
            break;
        }
        std::uint64_t until = deadline;
        if (observer_ && (!until || now + 1000000 < until)) until = now + 1000000;
        pipeline.run([&] { return batch.unresolved == 0 || (observer_ && batch.unresolved != reported); }, until);
        if (batch.unresolved > 0) report(false);
    }
    if (timed_out) {
        std::string still = "still running after " + std::to_string(timeout_usec / 1000000) + " s";
        for (auto& o : batch.outcomes)
            if (o.result.empty()) o.result = still;
    }
    report(true);
    return std::move(batch.outcomes);
}

void JobRunner::queue(const JobRequest& job) {
    const char* method = method_for(job.type);
    auto m = connection_.new_manager_call(method);
    check_message(sd_bus_message_append(m.get(), "ss", job.unit.c_str(), mode_for(job.type)), method);
    connection_.call(m.get(), describe_call(method, job.unit));
}

}  // namespace formation::systemd::bus
