// What the app layer's tests give it instead of a host: a Manager that
// records every call and keeps unit states, a journal that answers from
// memory, and a store in a scratch directory.
#pragma once

#include <unistd.h>

#include <fnmatch.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/env.hpp"
#include "host/paths.hpp"

namespace formation::test {

struct FakeManager final : systemd::Manager {
    std::vector<std::string> calls;
    std::map<std::string, std::string> active;     // loaded units → active state
    std::map<std::string, std::string> result;     // unit → job result; default "done"
    std::map<std::string, std::string> after_job;  // unit → active state once its job ran
    std::string source_dir;                        // where the generated units say they come from
    std::uint64_t last_timeout_usec = 0;           // the bound of the last run_jobs

    std::vector<systemd::UnitState> list_unit_states(const std::vector<std::string>& patterns) override {
        calls.push_back("list");
        std::vector<systemd::UnitState> out;
        for (const auto& [unit, state] : active)
            for (const auto& p : patterns)
                if (::fnmatch(p.c_str(), unit.c_str(), 0) == 0) {
                    systemd::UnitState s;
                    s.name = unit;
                    s.load_state = "loaded";
                    s.active_state = state;
                    out.push_back(s);
                    break;
                }
        return out;
    }
    std::vector<systemd::UnitState> unit_states(const std::vector<std::string>& units) override {
        std::vector<systemd::UnitState> out;
        for (const auto& u : units) {
            systemd::UnitState s;
            s.name = u;
            auto it = active.find(u);
            s.load_state = it == active.end() ? "not-found" : "loaded";
            s.active_state = it == active.end() ? "inactive" : it->second;
            if (s.active_state == "failed") s.result = "exit-code";
            if (s.active_state == "active") s.main_pid = 100;
            s.fragment_path = "/run/systemd/generator/" + u;
            s.source_path = source_dir + "/" + u.substr(0, u.find_first_of("-.")) + ".toml";
            out.push_back(s);
        }
        return out;
    }
    void reload() override { calls.push_back("reload"); }
    std::vector<systemd::JobOutcome> run_jobs(const std::vector<systemd::JobRequest>& jobs, std::uint64_t timeout_usec) override {
        std::vector<systemd::JobOutcome> out;
        calls.push_back("batch of " + std::to_string(jobs.size()));
        last_timeout_usec = timeout_usec;
        for (const auto& j : jobs) {
            const char* verb = j.type == systemd::JobType::start  ? "start"
                               : j.type == systemd::JobType::stop ? "stop"
                               : j.type == systemd::JobType::reload ? "reload"
                                                                    : "restart";
            calls.push_back(std::string(verb) + " " + j.unit);
            std::string r = result.count(j.unit) ? result[j.unit] : "done";
            if (j.type != systemd::JobType::reload)
                active[j.unit] = after_job.count(j.unit) ? after_job[j.unit]
                                 : j.type == systemd::JobType::stop ? "inactive"
                                 : r == "done" ? "active" : "failed";
            out.push_back({j.unit, r});
        }
        return out;
    }
    void queue_job(const systemd::JobRequest& j) override { calls.push_back("queue restart " + j.unit); }
    void reset_failed(const std::vector<std::string>& units) override {
        for (const auto& u : units) calls.push_back("reset-failed " + u);
    }
    void set_job_observer(systemd::JobObserver) override {}
    void start_transient(const systemd::TransientSpec& spec) override { calls.push_back("transient " + spec.name); }
    systemd::TransientExit wait_transient(const std::string&) override { return {"success", 1, 0}; }
};

struct FakeJournal final : app::Journal {
    std::string last_lines(const std::string& unit, std::size_t) override { return "    last words of " + unit + "\n"; }
    std::string manager_lines(const std::string& unit, std::uint64_t) override {
        return "    systemd about " + unit + "\n";
    }
    std::vector<systemd::ConfigWarning> config_warnings(std::uint64_t,
                                                        const std::function<bool(const std::string&)>&) override {
        return {};
    }
};

// A host in a scratch directory: FORMATION_CONFIG_DIRS and friends point
// there, so the store and every scan of installed apps see only it.
struct ScratchHost {
    std::filesystem::path root;
    FakeManager m;
    std::vector<std::string> said;
    ScratchHost() {
        char tmpl[] = "/tmp/formation-app-XXXXXX";
        root = ::mkdtemp(tmpl);
        std::filesystem::create_directories(root / "etc");
        ::setenv("FORMATION_CONFIG_DIRS", (root / "etc").c_str(), 1);
        ::setenv("FORMATION_STATE_DIR", (root / "state").c_str(), 1);
        ::setenv("FORMATION_LOCK_DIR", (root / "lock").c_str(), 1);
        m.source_dir = (root / "etc").string();
    }
    ~ScratchHost() {
        std::filesystem::remove_all(root);
        ::unsetenv("FORMATION_CONFIG_DIRS");
        ::unsetenv("FORMATION_STATE_DIR");
        ::unsetenv("FORMATION_LOCK_DIR");
    }
    ScratchHost(const ScratchHost&) = delete;
    ScratchHost& operator=(const ScratchHost&) = delete;

    app::Env env() {
        return app::Env{false,
                        true,
                        host::Store(host::paths(false)),
                        [this]() -> systemd::Manager& { return m; },
                        std::make_shared<FakeJournal>(),
                        [](std::uint64_t) {},
                        [this](const std::string& line) { said.push_back(line); },
                        false,
                        "/usr/lib/systemd/system-generators/formation-generator",
                        [this](const systemd::TransientSpec& spec) { return one_off(spec); },
                        {}};
    }
    // The release phase: what it ran (argv after sh -c 'exec "$@"'), and what it prints and returns.
    std::vector<systemd::TransientSpec> one_offs;
    std::string one_off_prints;
    systemd::TransientExit one_off_exit{"success", 1, 0};
    systemd::TransientExit one_off(const systemd::TransientSpec& spec) {
        one_offs.push_back(spec);
        m.calls.push_back("release " + spec.name);
        if (!one_off_prints.empty()) (void)!::write(spec.stdout_fd, one_off_prints.data(), one_off_prints.size());
        return one_off_exit;
    }
    void install(const std::string& app, const std::string& text) { host::Store(host::paths(false)).install(app, text); }
    // Every unit of `app` in the fake as active, as after an apply.
    void running(const std::vector<std::string>& units) {
        for (const auto& u : units) m.active[u] = "active";
    }
};

}  // namespace formation::test
