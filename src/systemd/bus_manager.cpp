// The Manager interface over sd-bus. Job waiting lives in bus_jobs.cpp,
// property reading in bus_properties.cpp; this file holds the simple calls.
#include "systemd/bus.hpp"

namespace formation::systemd {
namespace {

using bus::check_message;

// daemon-reload re-runs generators and re-reads every unit: it can take far
// longer than sd-bus's 25 s default on a big system.
constexpr std::uint64_t reload_timeout_usec = 180ULL * 1000 * 1000;

class BusManager final : public Manager {
public:
    BusManager(bool user, bool bus_first) : connection_(user, bus_first), jobs_(connection_) {}

    std::vector<UnitState> list_unit_states(const std::vector<std::string>& patterns) override;
    std::vector<UnitState> unit_states(const std::vector<std::string>& units) override {
        return bus::read_unit_states(connection_, units);
    }
    void reload() override;
    std::vector<JobOutcome> run_jobs(const std::vector<JobRequest>& jobs, std::uint64_t timeout_usec) override {
        return jobs_.run(jobs, timeout_usec);
    }
    void reset_failed(const std::vector<std::string>& units) override;
    void queue_job(const JobRequest& job) override { jobs_.queue(job); }
    void set_job_observer(JobObserver observer) override { jobs_.set_observer(std::move(observer)); }
    void start_transient(const TransientSpec& spec) override { bus::start_transient(connection_, spec); }
    TransientExit wait_transient(const std::string& unit) override { return bus::wait_transient(connection_, unit); }

private:
    bus::Connection connection_;
    bus::JobRunner jobs_;
};

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : " ") + n;
    return s;
}

std::vector<UnitState> BusManager::list_unit_states(const std::vector<std::string>& patterns) {
    auto m = connection_.new_manager_call("ListUnitsByPatterns");
    bus::append_strings(m.get(), {});  // states: any
    bus::append_strings(m.get(), patterns);
    auto reply = connection_.call(m.get(), bus::describe_call("ListUnitsByPatterns", join(patterns)));

    std::vector<UnitState> units;
    check_message(sd_bus_message_enter_container(reply.get(), 'a', "(ssssssouso)"), "ListUnitsByPatterns");
    for (;;) {
        const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job_path;
        std::uint32_t job_id = 0;
        int r = sd_bus_message_read(reply.get(), "(ssssssouso)", &name, &description, &load, &active, &sub,
                                    &following, &path, &job_id, &job_type, &job_path);
        check_message(r, "ListUnitsByPatterns");
        if (r == 0) break;
        UnitState s;
        s.name = name;
        s.load_state = load;
        s.active_state = active;
        s.sub_state = sub;
        s.job_id = job_id;
        units.push_back(std::move(s));
    }
    check_message(sd_bus_message_exit_container(reply.get()), "ListUnitsByPatterns");
    return units;
}

// The manager answers Reload only once the reload has finished.
void BusManager::reload() {
    auto m = connection_.new_manager_call("Reload");
    connection_.call(m.get(), "Reload", reload_timeout_usec);
}

void BusManager::reset_failed(const std::vector<std::string>& units) {
    bus::Pipeline pipeline(connection_);
    for (const auto& unit : units) {
        auto m = connection_.new_manager_call("ResetFailedUnit");
        check_message(sd_bus_message_append(m.get(), "s", unit.c_str()), "ResetFailedUnit");
        pipeline.add(std::move(m), [&unit](sd_bus_message* reply) {
            const sd_bus_error* e = sd_bus_message_get_error(reply);
            // A unit that is not loaded has nothing to reset.
            if (!e || sd_bus_error_has_name(e, "org.freedesktop.systemd1.NoSuchUnit")) return;
            throw bus::call_failed(bus::describe_call("ResetFailedUnit", unit), e, 0);
        });
    }
    pipeline.run();
}

}  // namespace

std::unique_ptr<Manager> connect_manager(bool user, Route route) {
    return std::make_unique<BusManager>(user, route == Route::bus_first);
}

}  // namespace formation::systemd
