// deploy::execute against a fake Manager that records every call.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "compile/compile.hpp"
#include "deploy/execute.hpp"
#include "plan/plan.hpp"

using namespace formation;
using systemd::JobOutcome;
using systemd::JobRequest;
using systemd::JobType;
using systemd::UnitState;

namespace {

struct FakeManager final : systemd::Manager {
    std::vector<std::string> calls;
    std::map<std::string, std::string> result;     // unit → job result; default "done"
    std::map<std::string, std::string> after_job;  // unit → active state once its job ran
    std::map<std::string, std::string> active;     // unit → active state
    int pending_polls = 0;                         // list_unit_states reports a job this many times
    // Pacing: the test's clock, when each unit's last job ran on it, and
    // units that fail after being looked at this many times once their job ran.
    const std::uint64_t* clock = nullptr;
    std::map<std::string, std::uint64_t> job_at;
    std::map<std::string, int> fails_after_looks;
    std::map<std::string, std::string> unit_result;  // unit → Result once failed; default "exit-code"

    std::vector<UnitState> list_unit_states(const std::vector<std::string>&) override {
        calls.push_back("list");
        std::vector<UnitState> out;
        for (const auto& [u, s] : active) {
            UnitState st;
            st.name = u;
            st.active_state = s;
            st.job_id = pending_polls > 0 ? 7 : 0;
            out.push_back(st);
        }
        if (pending_polls > 0) --pending_polls;
        return out;
    }
    std::vector<UnitState> unit_states(const std::vector<std::string>& units) override {
        std::vector<UnitState> out;
        for (const auto& u : units) {
            UnitState s;
            s.name = u;
            if (fails_after_looks.count(u) && fails_after_looks[u]-- == 0) active[u] = "failed";
            s.active_state = active.count(u) ? active[u] : "inactive";
            if (s.active_state == "failed") s.result = unit_result.count(u) ? unit_result[u] : "exit-code";
            if (s.active_state == "active") s.main_pid = 100;
            out.push_back(s);
        }
        return out;
    }
    void reload() override { calls.push_back("reload"); }
    std::vector<JobOutcome> run_jobs(const std::vector<JobRequest>& jobs, std::uint64_t) override {
        std::vector<JobOutcome> out;
        calls.push_back("batch of " + std::to_string(jobs.size()));
        for (const auto& j : jobs) {
            const char* verb = j.type == JobType::start ? "start" : j.type == JobType::stop ? "stop" : "restart";
            calls.push_back(std::string(verb) + " " + j.unit);
            if (clock) job_at[j.unit] = *clock;
            std::string r = result.count(j.unit) ? result[j.unit] : "done";
            active[j.unit] = after_job.count(j.unit) ? after_job[j.unit] : (j.type == JobType::stop ? "inactive" : "active");
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

std::size_t at(const std::vector<std::string>& calls, const std::string& call) {
    auto it = std::find(calls.begin(), calls.end(), call);
    REQUIRE_MESSAGE(it != calls.end(), call);
    return static_cast<std::size_t>(it - calls.begin());
}

bool before(const std::vector<std::string>& calls, const std::string& a, const std::string& b) {
    return at(calls, a) < at(calls, b);
}

// Every "reset-failed UNIT" call, in order.
std::vector<std::string> resets(const std::vector<std::string>& calls) {
    std::vector<std::string> out;
    for (const auto& c : calls)
        if (c.starts_with("reset-failed ")) out.push_back(c.substr(13));
    return out;
}

// The calls from `from` on, up to (not including) the next "batch of".
std::vector<std::string> until_batch(const std::vector<std::string>& calls, std::size_t from) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < calls.size() && !calls[i].starts_with("batch of"); ++i) out.push_back(calls[i]);
    return out;
}

Formation app(int web, int worker, const std::string& web_command = "run web") {
    Formation f;
    f.app = "shop";
    ProcessType w;
    w.name = "web";
    w.command = {true, web_command, {}};
    w.count = web;
    ProcessType k;
    k.name = "worker";
    k.command = {true, "run worker", {}};
    k.count = worker;
    f.processes = {w, k};
    return f;
}

Observed running(const UnitSet& set, FakeManager& m) {
    Observed o;
    for (const auto& i : set.instances) o.active[i.unit] = m.active[i.unit] = "active";
    o.active[set.app_target] = m.active[set.app_target] = "active";
    return o;
}

struct Recorder {
    std::vector<std::string>* calls;
    std::uint64_t slept = 0;
    deploy::Options options() {
        deploy::Options o;
        o.sleep = [this](std::uint64_t usec) { slept += usec; };
        o.install = [this] { calls->push_back("install"); };
        return o;
    }
};

}  // namespace

TEST_CASE("a removed type is stopped before the install and the reload that remove its units") {
    FakeManager m;
    UnitSet old_set = compile(app(1, 2)), new_set = compile(app(1, 0));
    Observed o = running(old_set, m);
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&old_set, new_set, o, true), new_set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(before(m.calls, "stop shop-worker@1.service", "install"));
    CHECK(before(m.calls, "stop shop-worker@2.service", "install"));
    CHECK(before(m.calls, "install", "reload"));
}

TEST_CASE("starts come after the reload; restarts roll one at a time after the starts") {
    FakeManager m;
    UnitSet old_set = compile(app(2, 1)), new_set = compile(app(3, 1, "run web --new"));
    Observed o = running(old_set, m);
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&old_set, new_set, o, true), new_set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(before(m.calls, "reload", "start shop-web@3.service"));
    CHECK(before(m.calls, "start shop-web@3.service", "restart shop-web@1.service"));
    CHECK(before(m.calls, "restart shop-web@1.service", "restart shop-web@2.service"));
    CHECK(std::count(m.calls.begin(), m.calls.end(), "restart shop-worker@1.service") == 0);
    CHECK(rec.slept > 0);  // each batch settled on the clock it was given
}

TEST_CASE("a failing instance does not stop the other starts, and is reported") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    m.result["shop-web@2.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(nullptr, set, Observed{}, true), set.app_target, m, rec.options());
    at(m.calls, "start shop-web@1.service");
    at(m.calls, "start shop-web@3.service");
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].unit == "shop-web@2.service");
    CHECK(report.failures[0].reason == "the unit failed");
}

TEST_CASE("an instance whose start succeeded but that did not stay up is a failure") {
    FakeManager m;
    UnitSet set = compile(app(1, 0));
    m.after_job["shop-web@1.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(nullptr, set, Observed{}, true), set.app_target, m, rec.options());
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].reason == "did not stay up: main process exited with a non-zero status");
}

TEST_CASE("a failed restart stops the roll and names what stays on the old configuration") {
    FakeManager m;
    UnitSet old_set = compile(app(3, 0)), new_set = compile(app(3, 0, "new"));
    Observed o = running(old_set, m);
    m.after_job["shop-web@1.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&old_set, new_set, o, true), new_set.app_target, m, rec.options());
    CHECK(std::count(m.calls.begin(), m.calls.end(), "restart shop-web@2.service") == 0);
    CHECK(report.not_restarted == std::vector<std::string>{"shop-web@2.service", "shop-web@3.service"});
}

TEST_CASE("--parallel restarts K at a time") {
    FakeManager m;
    UnitSet set = compile(app(4, 0));
    running(set, m);
    Recorder rec{&m.calls};
    auto o = rec.options();
    o.parallel = 2;
    o.settle_usec = 0;
    std::vector<Restart> steps;
    for (const auto& i : set.instances) steps.push_back({i.unit, false, {}, 0, {}, 1});
    auto report = deploy::rolling_restart(steps, m, o);
    CHECK(report.ok());
    // Two run_jobs calls of two: web@1 and web@2 together, then web@3 and web@4.
    CHECK(std::count(m.calls.begin(), m.calls.end(), "batch of 2") == 2);
    CHECK(at(m.calls, "restart shop-web@2.service") == at(m.calls, "restart shop-web@1.service") + 1);
}

TEST_CASE("without --parallel each type rolls by its own batch, never mixing types") {
    FakeManager m;
    Recorder rec{&m.calls};
    auto o = rec.options();
    o.settle_usec = 0;
    // web: a shared socket, 8 instances, batch 2; worker: 2, batch 1.
    std::vector<Restart> steps;
    for (int i = 1; i <= 8; ++i) {
        std::string unit = "shop-web@" + std::to_string(i) + ".service";
        m.active[unit] = "active";
        steps.push_back({unit, false, {}, 0, {}, 2});
    }
    for (int i = 1; i <= 2; ++i) {
        std::string unit = "shop-worker@" + std::to_string(i) + ".service";
        m.active[unit] = "active";
        steps.push_back({unit, false, {}, 0, {}, 1});
    }
    CHECK(deploy::rolling_restart(steps, m, o).ok());
    CHECK(std::count(m.calls.begin(), m.calls.end(), "batch of 2") == 4);
    CHECK(std::count(m.calls.begin(), m.calls.end(), "batch of 1") == 2);
    CHECK(at(m.calls, "restart shop-web@2.service") == at(m.calls, "restart shop-web@1.service") + 1);
    CHECK(at(m.calls, "restart shop-worker@1.service") > at(m.calls, "restart shop-web@8.service"));
}

TEST_CASE("a shared socket's instances get a quarter of the count as their batch") {
    auto f = app(9, 0);
    f.processes[0].socket = SocketMode::shared;
    f.processes[0].port = 5000;
    UnitSet set = compile(f);
    REQUIRE(set.instances.size() == 9);
    CHECK(set.instances[0].batch == 2);
    f.processes[0].count = 3;
    CHECK(compile(f).instances[0].batch == 1);
    f.processes[0].socket = SocketMode::per_instance;
    f.processes[0].count = 9;
    CHECK(compile(f).instances[0].batch == 1);
}

TEST_CASE("wait_idle waits for jobs a killed run left, and gives up at its bound") {
    FakeManager m;
    m.active["shop-web@1.service"] = "activating";
    m.pending_polls = 3;
    std::uint64_t slept = 0;
    auto sleep = [&slept](std::uint64_t u) { slept += u; };
    CHECK(deploy::wait_idle(m, {"shop-*"}, 10000000, sleep));
    CHECK(slept == 300000);
    m.pending_polls = 1000;
    slept = 0;
    CHECK_FALSE(deploy::wait_idle(m, {"shop-*"}, 1000000, sleep));
    CHECK(slept == 1000000);
}

namespace {

std::vector<Restart> roll(const UnitSet& set, std::uint64_t min_ready) {
    std::vector<Restart> steps;
    for (const auto& i : set.instances) steps.push_back({i.unit, false, {}, min_ready, {}, 1});
    return steps;
}

}  // namespace

TEST_CASE("a roll holds each instance up for its min_ready before the next goes down") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    running(set, m);
    Recorder rec{&m.calls};
    m.clock = &rec.slept;
    auto o = rec.options();
    o.settle_usec = 500000;
    o.poll_usec = 250000;
    auto report = deploy::rolling_restart(roll(set, 2000000), m, o);
    CHECK(report.ok());
    CHECK(m.job_at["shop-web@1.service"] == 0);
    CHECK(m.job_at["shop-web@2.service"] == 2000000);
    CHECK(m.job_at["shop-web@3.service"] == 4000000);
    CHECK(rec.slept == 6000000);  // the last one is held too: the roll ends with every instance up
}

TEST_CASE("settle_usec is the least hold, and --parallel holds a batch together") {
    FakeManager m;
    UnitSet set = compile(app(4, 0));
    running(set, m);
    Recorder rec{&m.calls};
    m.clock = &rec.slept;
    auto o = rec.options();
    o.settle_usec = 500000;
    o.parallel = 2;
    auto report = deploy::rolling_restart(roll(set, 0), m, o);
    CHECK(report.ok());
    CHECK(m.job_at["shop-web@2.service"] == 0);
    CHECK(m.job_at["shop-web@3.service"] == 500000);
    CHECK(m.job_at["shop-web@4.service"] == 500000);
}

TEST_CASE("with a clock a hold ends min_ready after it began, however long its polls take") {
    FakeManager m;
    UnitSet set = compile(app(1, 0));
    running(set, m);
    Recorder rec{&m.calls};
    std::uint64_t now = 0;
    int sleeps = 0;
    auto o = rec.options();
    o.poll_usec = 250000;
    // A slow machine: each poll and sleep takes twice what was asked.
    o.sleep = [&now, &sleeps](std::uint64_t usec) { now += 2 * usec; ++sleeps; };
    o.clock = [&now] { return now; };
    CHECK(deploy::rolling_restart(roll(set, 1000000), m, o).ok());
    CHECK(sleeps == 2);  // looked at 0, 0.5 s, 1 s: held 1 s, not 2
    CHECK(now == 1000000);
    sleeps = 0;
    o.clock = nullptr;  // without one: four sleeps of 0.25 s counted
    CHECK(deploy::rolling_restart(roll(set, 1000000), m, o).ok());
    CHECK(sleeps == 4);
}

TEST_CASE("an instance that dies during min_ready stops the roll, the rest stay on the old code") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    running(set, m);
    Recorder rec{&m.calls};
    m.clock = &rec.slept;
    m.fails_after_looks["shop-web@2.service"] = 3;  // up at first, down after 0.5 s
    auto o = rec.options();
    o.poll_usec = 250000;
    auto report = deploy::rolling_restart(roll(set, 2000000), m, o);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].unit == "shop-web@2.service");
    CHECK(report.failures[0].action == "restart");
    CHECK(report.failures[0].reason ==
          "did not stay up for 2 s (min_ready): main process exited with a non-zero status");
    CHECK(report.not_restarted == std::vector<std::string>{"shop-web@3.service"});
    CHECK(std::count(m.calls.begin(), m.calls.end(), "restart shop-web@3.service") == 0);
    CHECK(rec.slept == 2000000 + 750000);  // web@1 held, web@2 seen down at its fourth look
}

TEST_CASE("a restart that does not become ready stops the roll at once") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    running(set, m);
    m.result["shop-web@1.service"] = "timeout";
    m.after_job["shop-web@1.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::rolling_restart(roll(set, 2000000), m, rec.options());
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].unit == "shop-web@1.service");
    CHECK(report.not_restarted == std::vector<std::string>{"shop-web@2.service", "shop-web@3.service"});
    CHECK(rec.slept == 0);
}

TEST_CASE("a step whose socket changed stops the service and its socket, then starts the service") {
    FakeManager m;
    UnitSet set = compile(app(1, 0));
    running(set, m);
    Recorder rec{&m.calls};
    auto report = deploy::rolling_restart({{"shop-web@1.service", true, "shop-web@1.socket", 0, {}}}, m, rec.options());
    CHECK(report.ok());
    CHECK(before(m.calls, "stop shop-web@1.service", "stop shop-web@1.socket"));
    CHECK(before(m.calls, "stop shop-web@1.socket", "start shop-web@1.service"));
    CHECK(std::count(m.calls.begin(), m.calls.end(), "restart shop-web@1.service") == 0);
}

TEST_CASE("scale-down queues each socket's stop after the services, in one batch") {
    FakeManager m;
    Formation before_f = app(3, 0), after_f = app(1, 0);
    for (auto* f : {&before_f, &after_f}) {
        f->processes[0].port = 5000;
        f->processes[0].socket = SocketMode::per_instance;
    }
    UnitSet old_set = compile(before_f), new_set = compile(after_f);
    Observed o = running(old_set, m);
    for (const auto& i : old_set.instances) o.active[i.socket] = m.active[i.socket] = "active";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&old_set, new_set, o, true), new_set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(at(m.calls, "stop shop-web@3.service") == at(m.calls, "batch of 4") + 1);
    CHECK(before(m.calls, "stop shop-web@2.service", "stop shop-web@3.socket"));
    CHECK(before(m.calls, "stop shop-web@2.socket", "install"));
    CHECK(std::count(m.calls.begin(), m.calls.end(), "stop shop-web@1.socket") == 0);
}

// Issue 19, item 14: systemd's start limit (5 starts in 10 s) counts an
// operator's starts too; every start and restart resets the counter of
// exactly the units it starts, just before, so a fifth quick restart never
// takes a healthy instance down.

namespace {

Formation with_socket(Formation f) {
    f.processes[0].port = 5000;
    f.processes[0].socket = SocketMode::per_instance;
    return f;
}

}  // namespace

TEST_CASE("a start resets the start counter of exactly the units it starts, right before their jobs") {
    FakeManager m;
    UnitSet set = compile(app(2, 1));
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(nullptr, set, Observed{}, true), set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(resets(m.calls) == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service",
                                                       "shop-worker@1.service", "shop.target"});
    // After the reload that makes the units, and just before the batch of starts.
    CHECK(before(m.calls, "reload", "reset-failed shop-web@1.service"));
    CHECK(at(m.calls, "batch of 4") == at(m.calls, "reset-failed shop.target") + 1);
}

TEST_CASE("a failed instance that is started again is reset once, before its start; running ones never") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    Observed o = running(set, m);
    o.active["shop-web@2.service"] = m.active["shop-web@2.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&set, set, o, false), set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(resets(m.calls) == std::vector<std::string>{"shop-web@2.service"});
    CHECK(before(m.calls, "reset-failed shop-web@2.service", "start shop-web@2.service"));
}

TEST_CASE("stops reset nothing; a failed surplus instance is forgotten, not started") {
    FakeManager m;
    UnitSet old_set = compile(app(3, 0)), new_set = compile(app(1, 0));
    Observed o = running(old_set, m);
    o.active["shop-web@3.service"] = m.active["shop-web@3.service"] = "failed";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(&old_set, new_set, o, true), new_set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(resets(m.calls) == std::vector<std::string>{"shop-web@3.service"});
    CHECK(std::count(m.calls.begin(), m.calls.end(), "start shop-web@3.service") == 0);
    CHECK(before(m.calls, "stop shop-web@2.service", "reset-failed shop-web@3.service"));
}

TEST_CASE("each batch of a roll resets its own instances just before their restart, and no other") {
    FakeManager m;
    UnitSet set = compile(app(3, 0));
    running(set, m);
    Recorder rec{&m.calls};
    auto o = rec.options();
    o.settle_usec = 0;
    auto report = deploy::rolling_restart(roll(set, 0), m, o);
    CHECK(report.ok());
    CHECK(resets(m.calls) ==
          std::vector<std::string>{"shop-web@1.service", "shop-web@2.service", "shop-web@3.service"});
    for (const char* u : {"shop-web@1.service", "shop-web@2.service", "shop-web@3.service"}) {
        std::size_t reset = at(m.calls, std::string("reset-failed ") + u);
        CHECK(m.calls[reset + 1] == "batch of 1");
        CHECK(m.calls[reset + 2] == std::string("restart ") + u);
    }
}

TEST_CASE("an instance with a socket: its start and its restart reset the socket with it") {
    FakeManager m;
    UnitSet set = compile(with_socket(app(2, 0)));
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(nullptr, set, Observed{}, true), set.app_target, m, rec.options());
    CHECK(report.ok());
    CHECK(resets(m.calls) == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service", "shop.target",
                                                       "shop-web@1.socket", "shop-web@2.socket"});
    CHECK(before(m.calls, "reset-failed shop-web@2.socket", "batch of 3"));

    FakeManager r;
    running(set, r);
    Recorder rec2{&r.calls};
    auto o = rec2.options();
    o.settle_usec = 0;
    std::vector<Restart> steps{{"shop-web@1.service", false, {}, 0, "shop-web@1.socket"},
                               {"shop-web@2.service", true, "shop-web@2.socket", 0, "shop-web@2.socket"}};
    CHECK(deploy::rolling_restart(steps, r, o).ok());
    CHECK(resets(r.calls) == std::vector<std::string>{"shop-web@1.service", "shop-web@1.socket", "shop-web@2.service",
                                                       "shop-web@2.socket"});
    // The cycled one: stopped with its old socket, then reset, then started.
    CHECK(before(r.calls, "stop shop-web@2.socket", "reset-failed shop-web@2.service"));
    CHECK(before(r.calls, "reset-failed shop-web@2.socket", "start shop-web@2.service"));
    CHECK(until_batch(r.calls, at(r.calls, "reset-failed shop-web@1.service")) ==
          std::vector<std::string>{"reset-failed shop-web@1.service", "reset-failed shop-web@1.socket"});
}

TEST_CASE("deploy::run_jobs resets start, restart and try-restart units once each, never stops or reloads") {
    FakeManager m;
    deploy::run_jobs(m,
                     {{JobType::stop, "a.service"},
                      {JobType::start, "b.service"},
                      {JobType::restart, "c.service"},
                      {JobType::try_restart, "d.service"},
                      {JobType::reload, "e.service"},
                      {JobType::start, "b.service"}},
                     {"b.socket"}, 0);
    CHECK(resets(m.calls) == std::vector<std::string>{"b.service", "c.service", "d.service", "b.socket"});
    CHECK(m.calls.back() != "reset-failed b.socket");  // the jobs come after the resets
    FakeManager none;
    deploy::run_jobs(none, {{JobType::stop, "a.service"}}, {}, 0);
    CHECK(resets(none.calls).empty());
}

TEST_CASE("a start that failed because its socket could not listen names the socket and its result") {
    FakeManager m;
    UnitSet set = compile(with_socket(app(2, 0)));
    m.result["shop-web@2.service"] = "dependency";
    m.after_job["shop-web@2.service"] = "inactive";
    m.active["shop-web@2.socket"] = "failed";
    m.unit_result["shop-web@2.socket"] = "resources";
    Recorder rec{&m.calls};
    auto report = deploy::execute(make_plan(nullptr, set, Observed{}, true), set.app_target, m, rec.options());
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].unit == "shop-web@2.service");
    CHECK(report.failures[0].failed_socket == "shop-web@2.socket");
    CHECK(report.failures[0].reason.starts_with(
        "its socket shop-web@2.socket failed: resources: systemd could not listen"));
}
