// Manager and journal against a real systemd. Runs inside the sandbox
// (tests/sandbox/sandbox run -- test_bus) as root; never on a host whose
// PID 1 matters. Test cases share the units installed by the first one and
// run in file order; the last removes everything it made.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "systemd/journal.hpp"
#include "systemd/manager.hpp"

namespace fs = std::filesystem;
using namespace formation::systemd;

namespace {

const fs::path unit_dir = "/etc/systemd/system";

const std::vector<std::pair<std::string, std::string>> test_units = {
    {"fmtest-sleep@.service", "[Service]\nExecStart=/bin/sleep infinity\n"},
    {"fmtest-fail.service", "[Service]\nType=oneshot\nExecStart=/bin/false\n"},
    {"fmtest-hello.service",
     "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do echo hello $i; sleep 0.02; done'\n"},
    {"fmtest-ticker.service",
     "[Service]\nExecStart=/bin/sh -c 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done'\n"},
    {"fmtest-install.service",
     "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"},
    {"fmtest-edit.service", "[Service]\nExecStart=/bin/sleep infinity\n"},
    // Three starts in ten minutes: however slow the machine, a fourth is refused.
    {"fmtest-limit.service",
     "[Unit]\nStartLimitBurst=3\nStartLimitIntervalSec=10min\n[Service]\nExecStart=/bin/sleep infinity\n"},
};

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    REQUIRE(out.good());
}

Manager& manager() {
    static std::unique_ptr<Manager> m = connect_manager(false);
    return *m;
}

std::vector<std::string> instances(int n) {
    std::vector<std::string> names;
    for (int i = 1; i <= n; ++i) names.push_back("fmtest-sleep@" + std::to_string(i) + ".service");
    return names;
}

std::vector<JobRequest> jobs(JobType type, const std::vector<std::string>& units) {
    std::vector<JobRequest> out;
    for (const auto& u : units) out.push_back(JobRequest{type, u});
    return out;
}

std::uint64_t now_usec() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> messages_starting(const std::vector<JournalEntry>& entries, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& e : entries)
        if (e.message.rfind(prefix, 0) == 0) out.push_back(e.message);
    return out;
}

// journald writes a little after the unit has finished: poll.
// The unit's lines once its run is all in the journal: `hellos` hellos,
// the manager's "Finished" line, and the same count on two reads in a row
// (journald may still be writing the manager's lines after the hellos;
// reading before they land made the `last` query below see a later tail).
std::vector<JournalEntry> journal_with_hellos(const JournalQuery& q, std::size_t hellos) {
    std::vector<JournalEntry> entries;
    std::size_t seen = 0;
    for (int tries = 0; tries < 100; ++tries) {
        entries = read_journal(q);
        if (messages_starting(entries, "hello ").size() >= hellos && !messages_starting(entries, "Finished ").empty() &&
            entries.size() == seen)
            break;
        seen = entries.size();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return entries;
}

}  // namespace

TEST_CASE("install the test units and reload") {
    for (const auto& [name, text] : test_units) write_file(unit_dir / name, text);
    manager().reload();
    auto states = manager().unit_states({"fmtest-fail.service"});
    REQUIRE(states.size() == 1);
    CHECK(states[0].load_state == "loaded");
}

TEST_CASE("reload returns once the manager has re-read changed units") {
    REQUIRE(manager().run_jobs(jobs(JobType::start, {"fmtest-edit.service"}), 0)[0].result == "done");
    write_file(unit_dir / "fmtest-edit.service", "[Service]\nExecStart=/bin/sleep 1000\n");
    CHECK(manager().unit_states({"fmtest-edit.service"})[0].need_daemon_reload);
    manager().reload();
    CHECK_FALSE(manager().unit_states({"fmtest-edit.service"})[0].need_daemon_reload);
    CHECK(manager().run_jobs(jobs(JobType::stop, {"fmtest-edit.service"}), 0)[0].result == "done");
}

TEST_CASE("start 50 instances pipelined, read their state, stop them") {
    auto names = instances(50);
    std::uint64_t before = now_usec();
    auto started = manager().run_jobs(jobs(JobType::start, names), 0);
    REQUIRE(started.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(started[i].unit == names[i]);
        CHECK(started[i].result == "done");
        CHECK(started[i].ok());
    }

    auto states = manager().unit_states(names);
    REQUIRE(states.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto& s = states[i];
        CHECK(s.name == names[i]);
        CHECK(s.load_state == "loaded");
        CHECK(s.active_state == "active");
        CHECK(s.sub_state == "running");
        CHECK(s.result == "success");
        CHECK(s.main_pid > 0);
        CHECK(s.n_restarts == 0);
        CHECK_FALSE(s.need_daemon_reload);
        CHECK(s.active_enter_usec >= before);
        CHECK(s.inactive_exit_usec >= before);
        CHECK(s.exec_main_start_usec >= before);
        CHECK((s.memory_current == unknown_value || s.memory_current > 0));
    }

    auto listed_states = manager().list_unit_states({"fmtest-sleep@*.service"});
    CHECK(listed_states.size() == names.size());
    for (const auto& s : listed_states) {
        CHECK(s.load_state == "loaded");
        CHECK(s.active_state == "active");
        CHECK(s.sub_state == "running");
    }

    auto restarted = manager().run_jobs(jobs(JobType::restart, {names[0], names[1]}), 0);
    CHECK(restarted[0].result == "done");
    CHECK(restarted[1].result == "done");
    CHECK(manager().unit_states({names[0]})[0].main_pid != states[0].main_pid);

    auto stopped = manager().run_jobs(jobs(JobType::stop, names), 0);
    for (const auto& o : stopped) CHECK(o.result == "done");
    for (const auto& s : manager().unit_states(names)) {
        CHECK(s.active_state == "inactive");
        CHECK(s.sub_state == "dead");
        CHECK(s.main_pid == 0);
    }
}

TEST_CASE("try-restart of a stopped unit leaves it stopped") {
    auto outcome = manager().run_jobs(jobs(JobType::try_restart, {"fmtest-sleep@99.service"}), 0);
    CHECK(outcome[0].ok());
    CHECK(manager().unit_states({"fmtest-sleep@99.service"})[0].active_state == "inactive");
}

TEST_CASE("the same unit twice in one batch gets an outcome for each") {
    auto outcomes = manager().run_jobs(jobs(JobType::start, {"fmtest-sleep@7.service", "fmtest-sleep@7.service"}), 0);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].ok());
    CHECK(outcomes[1].ok());
    manager().run_jobs(jobs(JobType::stop, {"fmtest-sleep@7.service"}), 0);
}

TEST_CASE("a failing unit's job fails; reset_failed clears it") {
    auto outcome = manager().run_jobs(jobs(JobType::start, {"fmtest-fail.service"}), 0);
    REQUIRE(outcome.size() == 1);
    CHECK(outcome[0].result == "failed");
    CHECK_FALSE(outcome[0].ok());

    auto s = manager().unit_states({"fmtest-fail.service"})[0];
    CHECK(s.active_state == "failed");
    CHECK(s.result == "exit-code");

    manager().reset_failed({"fmtest-fail.service", "fmtest-never-loaded.service"});
    CHECK(manager().unit_states({"fmtest-fail.service"})[0].active_state == "inactive");
}

// What deploy::run_jobs relies on (issue 19, item 14): systemd 252 counts
// an operator's starts and restarts against the start limit, and
// ResetFailedUnit resets that counter (unit_reset_failed → ratelimit_reset),
// also on an active unit, as `systemctl reset-failed` does.
TEST_CASE("restarts count against the start limit; reset_failed before each resets the counter") {
    const std::string unit = "fmtest-limit.service";
    REQUIRE(manager().run_jobs(jobs(JobType::start, {unit}), 0)[0].result == "done");
    REQUIRE(manager().run_jobs(jobs(JobType::restart, {unit}), 0)[0].result == "done");
    REQUIRE(manager().run_jobs(jobs(JobType::restart, {unit}), 0)[0].result == "done");
    CHECK(manager().run_jobs(jobs(JobType::restart, {unit}), 0)[0].result == "failed");  // the fourth start
    auto limited = manager().unit_states({unit})[0];
    CHECK(limited.active_state == "failed");
    CHECK(limited.result == "start-limit-hit");

    for (int i = 0; i < 7; ++i) {
        manager().reset_failed({unit});
        auto out = manager().run_jobs(jobs(i == 0 ? JobType::start : JobType::restart, {unit}), 0);
        CHECK_MESSAGE(out[0].result == "done", "start " << i + 1 << " after a reset: " << out[0].result);
    }
    auto s = manager().unit_states({unit})[0];
    CHECK(s.active_state == "active");
    CHECK(s.result == "success");
    manager().run_jobs(jobs(JobType::stop, {unit}), 0);
}

TEST_CASE("a missing unit is an error outcome among good ones, and not-found in its state") {
    auto outcomes = manager().run_jobs(jobs(JobType::start, {"fmtest-sleep@1.service", "fmtest-missing.service"}), 0);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].result == "done");
    CHECK(outcomes[1].unit == "fmtest-missing.service");
    CHECK(outcomes[1].result == "error: Unit fmtest-missing.service not found.");
    CHECK_FALSE(outcomes[1].ok());
    manager().run_jobs(jobs(JobType::stop, {"fmtest-sleep@1.service"}), 0);

    auto states = manager().unit_states({"fmtest-missing.service", "multi-user.target"});
    CHECK(states[0].load_state == "not-found");
    CHECK(states[0].active_state == "inactive");
    CHECK(states[1].load_state == "loaded");
    CHECK(states[1].active_state == "active");
}

TEST_CASE("a masked unit cannot be started") {
    fs::create_symlink("/dev/null", unit_dir / "fmtest-masked.service");
    manager().reload();
    auto outcome = manager().run_jobs(jobs(JobType::start, {"fmtest-masked.service"}), 0);
    CHECK(outcome[0].result.find("masked") != std::string::npos);
    CHECK(manager().unit_states({"fmtest-masked.service"})[0].load_state == "masked");
    fs::remove(unit_dir / "fmtest-masked.service");
}

TEST_CASE("an invalid unit name in unit_states is a SystemdError naming it") {
    try {
        manager().unit_states({"no-suffix"});
        FAIL("expected SystemdError");
    } catch (const SystemdError& e) {
        CHECK(std::string(e.what()).find("no-suffix") != std::string::npos);
        CHECK(e.exit_code() == 3);
    }
}

TEST_CASE("a job wait has a bound: jobs still running are reported, not waited for") {
    // A start that takes 5 s, waited for 300 ms.
    write_file(unit_dir / "fmtest-slow.service",
               "[Service]\nType=oneshot\nExecStart=/bin/sleep 5\n");
    manager().reload();
    auto t0 = std::chrono::steady_clock::now();
    auto out = manager().run_jobs(jobs(JobType::start, {"fmtest-slow.service"}), 300000);
    auto waited = std::chrono::steady_clock::now() - t0;
    REQUIRE(out.size() == 1);
    CHECK(out[0].result == "still running after 0 s");
    CHECK_FALSE(out[0].ok());
    CHECK(waited < std::chrono::seconds(3));
    auto listed = manager().list_unit_states({"fmtest-slow.service"});
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].job_id != 0);  // still queued in systemd, and visible as such
    manager().run_jobs(jobs(JobType::stop, {"fmtest-slow.service"}), 0);
}

TEST_CASE("FragmentPath and SourcePath tell where a unit came from") {
    auto s = manager().unit_states({"fmtest-edit.service"})[0];
    CHECK(s.fragment_path == "/etc/systemd/system/fmtest-edit.service");
    CHECK(s.source_path.empty());
}

TEST_CASE("without a bus daemon, the manager is reached on its private socket") {
    // As when dbus is not installed: the bus address leads nowhere.
    setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/formation-test-no-such-bus", 1);
    auto direct = connect_manager(false);
    unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
    auto names = instances(2);
    auto started = direct->run_jobs(jobs(JobType::start, names), 30000000);
    for (const auto& o : started) CHECK(o.result == "done");  // JobRemoved seen without a bus daemon
    auto states = direct->unit_states(names);
    for (const auto& st : states) CHECK(st.active_state == "active");
    CHECK(direct->list_unit_states({"fmtest-sleep@*.service"}).size() >= 2);
    direct->run_jobs(jobs(JobType::stop, names), 30000000);
}

TEST_CASE("read_journal: a unit's lines in order, with last and since") {
    std::uint64_t before = now_usec();
    REQUIRE(manager().run_jobs(jobs(JobType::start, {"fmtest-hello.service"}), 0)[0].result == "done");
    JournalQuery q;
    q.units = {"fmtest-hello.service"};
    q.since_usec = before;
    auto all = journal_with_hellos(q, 5);
    CHECK(messages_starting(all, "hello ") ==
          std::vector<std::string>{"hello 1", "hello 2", "hello 3", "hello 4", "hello 5"});
    for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].realtime_usec <= all[i].realtime_usec);
    for (const auto& e : all) CHECK(e.unit == "fmtest-hello.service");
    // The manager's own lines about the unit are included.
    CHECK_FALSE(messages_starting(all, "Finished ").empty());

    std::size_t at4 = 0;
    while (at4 < all.size() && all[at4].message != "hello 4") ++at4;
    REQUIRE(at4 < all.size());
    JournalQuery last = q;
    last.last = all.size() - at4;
    auto tail = read_journal(last);
    REQUIRE(tail.size() == all.size() - at4);
    CHECK(tail[0].message == "hello 4");

    JournalQuery since = q;
    since.since_usec = all[at4].realtime_usec;
    auto from4 = read_journal(since);
    REQUIRE_FALSE(from4.empty());
    CHECK(messages_starting(from4, "hello ").front() == "hello 4");
}

TEST_CASE("follow_journal sees lines written after it started") {
    REQUIRE(manager().run_jobs(jobs(JobType::start, {"fmtest-ticker.service"}), 0)[0].result == "done");
    JournalQuery q;
    q.units = {"fmtest-ticker.service"};
    // Wait for the first tick, so there is an old entry follow must not repeat.
    std::vector<JournalEntry> before;
    for (int tries = 0; tries < 100 && before.empty(); ++tries) {
        JournalQuery newest = q;
        newest.last = 1;
        before = read_journal(newest);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(before.size() == 1);
    q.last = 0;
    std::vector<JournalEntry> seen;
    follow_journal(q, [&seen](const JournalEntry& e) {
        seen.push_back(e);
        return e.message.rfind("tick ", 0) != 0;  // stop at the first tick
    });
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.back().message.rfind("tick ", 0) == 0);
    CHECK(seen.front().realtime_usec > before[0].realtime_usec);
    manager().run_jobs(jobs(JobType::stop, {"fmtest-ticker.service"}), 0);
}

TEST_CASE("no user manager: connect fails with exit code 3 naming it") {
    unsetenv("DBUS_SESSION_BUS_ADDRESS");
    setenv("XDG_RUNTIME_DIR", "/nonexistent", 1);
    try {
        connect_manager(true);
        FAIL("expected SystemdError");
    } catch (const SystemdError& e) {
        CHECK(e.exit_code() == 3);
        CHECK(std::string(e.what()).find("cannot connect to the user manager (/nonexistent/bus: ") == 0);
        // It tried systemd's private socket too, as systemctl does.
        CHECK(std::string(e.what()).find("/nonexistent/systemd/private: ") != std::string::npos);
    }
}

TEST_CASE("an unprivileged caller is told to use root or --user") {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
        try {
            connect_manager(false)->reload();
            _exit(11);
        } catch (const SystemdError& e) {
            bool told = std::string(e.what()) == "Reload: permission denied: run as root or use --user";
            if (!told) fprintf(stderr, "unprivileged: %s\n", e.what());
            _exit(told && e.exit_code() == 3 ? 0 : 12);
        }
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("remove the test units") {
    std::vector<std::string> loaded;
    for (const auto& s : manager().list_unit_states({"fmtest-*"})) loaded.push_back(s.name);
    manager().run_jobs(jobs(JobType::stop, loaded), 0);
    for (const auto& [name, text] : test_units) fs::remove(unit_dir / name);
    fs::remove(unit_dir / "fmtest-slow.service");
    manager().reload();
    manager().reset_failed(loaded);
    CHECK(manager().list_unit_states({"fmtest-*"}).empty());
}
