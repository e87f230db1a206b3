// StatusView: built from a formation and what systemd says, one set of rules
// for notes, and JSON that a host sends and another reads back unchanged.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "app/log_view.hpp"
#include "app/status_view.hpp"
#include "cli/log_lines.hpp"
#include "cli/status_table.hpp"
#include "compile/compile.hpp"
#include "formation/parse.hpp"
#include "json/json.hpp"

using namespace formation;

namespace {

Formation shop() {
    return parse_formation(R"(app = "shop"
[process.web]
command = "/bin/web"
count = 2
port = 5000
socket = true
[process.worker]
command = "/bin/worker"
count = 1
)", "shop.toml");
}

systemd::UnitState state(std::string name, std::string active, std::string sub, std::string result = "success") {
    systemd::UnitState s;
    s.name = std::move(name);
    s.load_state = "loaded";
    s.active_state = std::move(active);
    s.sub_state = std::move(sub);
    s.result = std::move(result);
    return s;
}

systemd::UnitState running(std::string name, std::uint32_t pid) {
    auto s = state(std::move(name), "active", "running");
    s.main_pid = pid;
    s.inactive_exit_usec = 1'000'000;
    s.active_enter_usec = 1'250'000;
    s.memory_current = 12 * 1024 * 1024;
    return s;
}

constexpr std::uint64_t now = 61'250'000;

const app::InstanceStatus& instance(const app::StatusView& v, const std::string& unit) {
    for (const auto& t : v.types)
        for (const auto& i : t.instances)
            if (i.unit == unit) return i;
    throw std::runtime_error("no " + unit);
}

// Every line of the table that names `unit`.
std::string row_of(const cli::Table& t, const std::string& unit) {
    std::ostringstream out;
    t.print_text(out, false);
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);)
        if (line.find(unit) != std::string::npos) return line;
    return {};
}

}  // namespace

TEST_CASE("status view: desired, surplus and missing instances, by type and index") {
    Formation f = shop();
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {running("shop-web@1.service", 101), state("shop-web@2.service", "failed", "failed", "exit-code"),
                     state("shop-worker@1.service", "inactive", "dead"), running("shop-web@3.service", 103),
                     running("shop-gone@1.service", 104), running("other-web@1.service", 1),
                     running("shop-web-x@1.service", 1)};
    seen.services[1].n_restarts = 5;
    seen.sockets = {state("shop-web@1.socket", "active", "running"), state("shop-web@2.socket", "active", "listening")};
    seen.process_ports[101] = 5000;
    auto v = app::build_status_view(f, set, seen, now);
    REQUIRE(v.types.size() == 3);
    CHECK(v.types[0].name == "web");
    CHECK(v.types[1].name == "worker");
    CHECK(v.types[2].name == "gone");
    REQUIRE(v.types[0].instances.size() == 3);
    CHECK(v.types[0].desired == 2);
    CHECK(v.types[0].running == 1);
    CHECK(app::summary_line(v.types[0]) == "web 1/2 running, 1 failed, 1 surplus");
    CHECK(app::summary_line(v.types[1]) == "worker 0/1 running, 1 missing");

    const auto& web1 = instance(v, "shop-web@1.service");
    CHECK(web1.uptime_usec == 60'000'000);
    CHECK(web1.startup_usec == 250'000);
    CHECK(web1.port == 5000);
    CHECK(web1.port_source == app::PortSource::process);
    REQUIRE(web1.socket);
    CHECK(web1.socket->sub_state == "running");
    CHECK(app::note(web1).empty());

    const auto& web2 = instance(v, "shop-web@2.service");
    CHECK(web2.port == 5001);
    CHECK(web2.port_source == app::PortSource::formation);
    CHECK(app::note(web2) == "exit-code: main process exited with a non-zero status; restarted 5 times, then systemd gave up");
    CHECK(app::failure_log(web2) == app::FailureLog::service);

    const auto& web3 = instance(v, "shop-web@3.service");
    CHECK_FALSE(web3.desired);
    CHECK_FALSE(web3.port);
    CHECK(app::note(web3) == "surplus: not in the formation");
    CHECK(app::failure_log(web3) == app::FailureLog::none);

    CHECK(app::note(instance(v, "shop-worker@1.service")) == "missing: not started");
    CHECK(app::any_failing(v));
}

TEST_CASE("status view: an instance systemd does not know is missing, a failed socket fails it") {
    Formation f = shop();
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {running("shop-web@1.service", 0), state("shop-web@2.service", "inactive", "dead", ""),
                     state("shop-worker@1.service", "inactive", "dead", "")};
    seen.services[2].load_state = "not-found";
    seen.sockets = {state("shop-web@2.socket", "failed", "failed", "resources")};
    auto v = app::build_status_view(f, set, seen, now);
    CHECK(app::note(instance(v, "shop-worker@1.service")) == "missing: unit not-found");
    const auto& web2 = instance(v, "shop-web@2.service");
    CHECK(app::is_failing(web2));
    CHECK(app::note(web2).starts_with("socket shop-web@2.socket failed: resources: "));
    CHECK(app::failure_log(web2) == app::FailureLog::socket);
    CHECK(app::summary_line(v.types[1]) == "worker 0/1 running, 1 missing");
}

TEST_CASE("status view: the JSON of status --json, and what a host sends reads back the same") {
    Formation f = shop();
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {running("shop-web@1.service", 101), state("shop-web@2.service", "activating", "auto-restart", "signal"),
                     state("shop-worker@1.service", "inactive", "dead", "")};
    seen.services[0].memory_current = systemd::unknown_value;
    seen.sockets = {state("shop-web@1.socket", "active", "running")};
    auto v = app::build_status_view(f, set, seen, now);
    CHECK(app::encode(v).starts_with(
        R"({"app":"shop","types":[{"name":"web","desired":2,"running":1,"instances":[{"unit":"shop-web@1.service","type":"web","index":1,)"
        R"("active_state":"active","sub_state":"running","result":"success","pid":101,"uptime_usec":60000000,"startup_usec":250000,)"
        R"("memory_bytes":null,"cpu_nsec":null,"restarts":0,"port":5000,"port_source":"formation","socket":"active/running","desired":true,)"
        R"("health":null},)"));
    CHECK(app::encode(v).find("load_state") == std::string::npos);
    for (bool full : {false, true}) {
        std::string sent = app::encode(v, full);
        CHECK(app::encode(app::decode(sent), full) == sent);
    }
}

TEST_CASE("status view: a multi-host row's note is the local one, missing and failed sockets included") {
    Formation f = shop();
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {state("shop-web@1.service", "failed", "failed", "exit-code"),
                     state("shop-web@2.service", "inactive", "dead", ""),
                     state("shop-worker@1.service", "inactive", "dead", ""), running("shop-web@4.service", 7),
                     state("shop-web@5.service", "activating", "auto-restart", "signal")};
    seen.services[0].n_restarts = 3;
    seen.services[2].load_state = "not-found";
    seen.sockets = {state("shop-web@2.socket", "failed", "failed", "resources")};
    auto local = app::build_status_view(f, set, seen, now);
    auto remote = app::decode(app::encode(local, true));  // as alpha sends it
    cli::Table here = cli::status_table(local, {});
    cli::Table hosts = cli::hosts_status_table();
    cli::add_host_status(hosts, "alpha", remote);
    std::size_t notes = 0;
    for (const auto& t : local.types)
        for (const auto& i : t.instances) {
            std::string n = app::note(i);
            CHECK(app::note(instance(remote, i.unit)) == n);
            std::string row = row_of(hosts, i.unit);
            REQUIRE_MESSAGE(!row.empty(), i.unit);
            CHECK_MESSAGE(row.ends_with(n), row);
            CHECK_MESSAGE(row_of(here, i.unit).ends_with(n), row_of(here, i.unit));
            notes += !n.empty();
        }
    CHECK(notes == 5);
    CHECK(app::note(instance(remote, "shop-worker@1.service")) == "missing: unit not-found");
    CHECK(app::note(instance(remote, "shop-web@2.service")).starts_with("socket shop-web@2.socket failed: resources: "));
    std::ostringstream shown;
    hosts.print_text(shown, false);
    CHECK(shown.str().find("alpha: web 0/2 running, 3 failed, 2 surplus") != std::string::npos);
}

TEST_CASE("status view: what another host sends is decoded strictly") {
    std::string good = R"({"app":"shop","types":[{"name":"web","desired":1,"running":1,"instances":[{"unit":"shop-web@1.service",)"
                       R"("type":"web","index":1,"active_state":"active","sub_state":"running","result":"success","pid":7,)"
                       R"("uptime_usec":5,"startup_usec":null,"memory_bytes":null,"restarts":0,"port":null,)"
                       R"("port_source":"formation","socket":null,"desired":true}]}]})";
    CHECK(app::decode(good).types.at(0).instances.at(0).pid == 7);
    auto broken = [&good](const std::string& from, const std::string& to) {
        std::string s = good;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    for (const auto& bad : {broken("\"pid\":7", "\"pid\":-7"), broken("\"pid\":7", "\"pid\":4294967296"),
                            broken("\"pid\":7", "\"pid\":\"7\""), broken("\"pid\":7,", ""),
                            broken("\"port\":null", "\"port\":65536"), broken("\"desired\":true", "\"desired\":1"),
                            broken("\"port_source\":\"formation\"", "\"port_source\":\"x\""),
                            broken("\"socket\":null", "\"socket\":\"failed\""), broken("\"types\":[", "\"types\":{"),
                            broken("\"index\":1", "\"index\":1.0"), broken("\"app\":\"shop\"", "\"app\":\"\xff\"")})
        CHECK_THROWS_AS_MESSAGE(app::decode(bad), json::Error, bad);
    try {
        app::decode(broken("\"pid\":7", "\"pid\":\"7\""));
    } catch (const json::Error& e) {
        CHECK(std::string(e.what()) == "types[0].instances[0].pid: expected a number, got a string");
    }
    // Text is kept as sent; the table makes it harmless.
    auto v = app::decode(broken("\"unit\":\"shop-web@1.service\"", "\"unit\":\"\\u001b[2J\\u202e\""));
    cli::Table t = cli::hosts_status_table();
    cli::add_host_status(t, "alpha", v);
    std::ostringstream out;
    t.print_text(out, false);
    CHECK(out.str().find('\x1b') == std::string::npos);
    CHECK(out.str().find("\\x1b[2J\\u202e") != std::string::npos);
}

TEST_CASE("logs: one line format here and across hosts, one JSON line read back strictly") {
    cli::LogPrinter p;
    p.widen("worker.1");
    CHECK(p.format("web.1", "a\nb\n") == "web.1    | a\nweb.1    | b\n");
    CHECK(p.format("alpha/web.10", "x") == "alpha/web.10 | x\n");
    CHECK(p.format("web.1", "\x1b]0;owned\x07\tok") == "web.1        | \\x1b]0;owned\\x07\tok\n");
    app::LogLine l{1700000000000000, "shop-web@1.service", "web.1", std::string("caf\xc3\xa9\n\x01", 7)};
    std::string sent = app::encode(l);
    CHECK(sent == R"({"realtime_usec":1700000000000000,"unit":"shop-web@1.service","instance":"web.1","message":"café\n\u0001"})");
    auto back = app::decode_log_line(sent);
    REQUIRE(back);
    CHECK(back->message == l.message);
    CHECK_FALSE(app::decode_log_line(app::following_mark));
    CHECK_THROWS_AS(app::decode_log_line(R"({"realtime_usec":-1,"unit":"u","instance":"i","message":"m"})"), json::Error);
    CHECK_THROWS_AS(app::decode_log_line(R"({"unit":"u","instance":"i","message":"m"})"), json::Error);
}

TEST_CASE("status view: health as the watcher saw it, in the note, the HEALTH cell and the JSON a host sends") {
    Formation f = parse_formation(R"(app = "shop"
[process.web]
command = "/bin/web"
count = 3
port = 5000
health = "/healthz"
)", "shop.toml");
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {running("shop-web@1.service", 101), running("shop-web@2.service", 102), running("shop-web@3.service", 103)};
    seen.health = {{"shop-web@1.service", true, 0, "GET /healthz on port 5000: HTTP 200 OK", 5, 0, "", 0},
                   {"shop-web@2.service", false, 2, "GET /healthz on port 5001: HTTP 503 Service Unavailable", 5, 0, "", 0},
                   {"shop-web@3.service", true, 0, "GET /healthz on port 5002: HTTP 200 OK", 5, 1,
                    "3 failed checks in a row: GET /healthz on port 5002: HTTP 500 Internal Server Error", 4}};
    auto v = app::build_status_view(f, set, seen, now);
    const auto& web1 = instance(v, "shop-web@1.service");
    const auto& web2 = instance(v, "shop-web@2.service");
    const auto& web3 = instance(v, "shop-web@3.service");
    CHECK(app::health_word(web1) == "healthy");
    CHECK(app::note(web1).empty());
    CHECK(app::health_word(web2) == "unhealthy");
    CHECK(app::note(web2) == "unhealthy: GET /healthz on port 5001: HTTP 503 Service Unavailable (2 in a row)");
    CHECK(app::note(web3) == "restarted by its health check, last after 3 failed checks in a row: GET /healthz on port "
                             "5002: HTTP 500 Internal Server Error");
    for (bool full : {false, true}) {
        auto back = app::decode(app::encode(v, full));
        CHECK(app::note(instance(back, "shop-web@2.service")) == app::note(web2));
        CHECK(app::note(instance(back, "shop-web@3.service")) == app::note(web3));
        CHECK(app::health_word(instance(back, "shop-web@1.service")) == "healthy");
    }
    // A type without health has no HEALTH cell; one not checked yet shows "-".
    CHECK(app::health_word(instance(app::build_status_view(shop(), compile(shop()), seen, now), "shop-web@1.service")).empty());
    seen.health.clear();
    CHECK(app::health_word(instance(app::build_status_view(f, set, seen, now), "shop-web@1.service")) == "-");
}

TEST_CASE("status view: a shared socket once per type, its queue, its failure, in the table and the JSON") {
    Formation f = parse_formation(R"(app = "shop"
[process.web]
command = "/bin/web"
count = 2
port = 5000
socket = "shared"
)", "shop.toml");
    UnitSet set = compile(f);
    app::StatusObservation seen;
    seen.services = {running("shop-web@1.service", 101), running("shop-web@2.service", 102)};
    seen.sockets = {state("shop-web.socket", "active", "running"), state("shop-api.socket", "active", "listening")};
    seen.listen_queues = {{5000, 7}, {6000, 1}};
    auto v = app::build_status_view(f, set, seen, now);
    REQUIRE(v.types.size() == 2);  // web, and api: a shared socket of a type the formation no longer has
    REQUIRE(v.types[0].shared_socket);
    const auto& s = *v.types[0].shared_socket;
    CHECK(s.unit == "shop-web.socket");
    CHECK(s.port == 5000);
    CHECK(s.waiting == 7u);
    CHECK(app::shared_note(v.types[0]) == "shared: 2 instances accept, 7 waiting");
    CHECK(instance(v, "shop-web@1.service").port == 5000);
    CHECK(instance(v, "shop-web@2.service").port == 5000);
    CHECK_FALSE(instance(v, "shop-web@1.service").socket);  // no socket of its own
    REQUIRE(v.types[1].shared_socket);
    CHECK(v.types[1].name == "api");
    CHECK(app::shared_note(v.types[1]) == "surplus: not in the formation");
    CHECK_FALSE(app::any_failing(v));
    CHECK(row_of(cli::status_table(v, {}), "shop-web.socket").find("shared: 2 instances accept, 7 waiting") != std::string::npos);
    CHECK(app::encode(v).find(R"("shared_socket":{"unit":"shop-web.socket","active_state":"active","sub_state":"running",)"
                              R"("result":"success","port":5000,"waiting":7})") != std::string::npos);
    for (bool full : {false, true}) {
        std::string sent = app::encode(v, full);
        CHECK(app::encode(app::decode(sent), full) == sent);
    }
    // Failed: the app fails, the note says why; a socket not loaded yet is inactive.
    seen.sockets = {state("shop-web.socket", "failed", "failed", "resources")};
    v = app::build_status_view(f, set, seen, now);
    CHECK(app::any_failing(v));
    CHECK(app::shared_note(v.types[0]).starts_with("failed: resources: "));
    CHECK_FALSE(v.types[0].shared_socket->waiting);
    seen.sockets.clear();
    v = app::build_status_view(f, set, seen, now);
    REQUIRE(v.types.size() == 1);
    CHECK(v.types[0].shared_socket->active_state == "inactive");
    CHECK(app::shared_note(v.types[0]) == "shared: 2 instances accept; closed");
    // A type without the key (a host running an older formation) has none.
    auto old = app::decode(R"({"app":"shop","types":[{"name":"web","desired":0,"running":0,"instances":[]}]})");
    CHECK_FALSE(old.types[0].shared_socket);
}

TEST_CASE("status view: a scheduled type's timer and last run, in notes and in JSON") {
    using namespace formation::app;
    Formation f = parse_formation(R"(app = "shop"
[process.report]
command = "/bin/report"
schedule = "Mon..Fri 03:00"
)", "shop.toml");
    UnitSet set = compile(f);
    const std::uint64_t now = 1'000'000'000'000'000;
    StatusObservation seen;
    auto timer = state("shop-report.timer", "active", "waiting");
    timer.next_elapse_usec = now + (4 * 3600 + 48 * 60) * 1'000'000ULL;
    auto run = state("shop-report.service", "failed", "failed", "exit-code");
    run.exec_main_start_usec = now - 300'000'000;
    run.exec_main_exit_usec = now - 298'800'000;
    run.exec_main_status = 3;
    seen.services = {timer, run};
    StatusView v = build_status_view(f, set, seen, now);
    REQUIRE(v.types.size() == 1);
    const TypeStatus& t = v.types[0];
    REQUIRE(t.scheduled);
    CHECK(t.instances.empty());
    CHECK(summary_line(t) == "report scheduled (Mon..Fri 03:00), last run failed");
    CHECK(timer_note(*t.scheduled) == "next run in 4h48m");
    CHECK(run_note(*t.scheduled) ==
          "last run 5m00s ago, failed: exit-code: main process exited with a non-zero status (status 3), took 1.2s");
    CHECK(any_failing(v));

    // What a host sends, read back the same.
    StatusView back = decode(encode(v, true));
    REQUIRE(back.types.size() == 1);
    REQUIRE(back.types[0].scheduled);
    const ScheduledStatus& s = *back.types[0].scheduled;
    CHECK(s.schedule == "Mon..Fri 03:00");
    CHECK(s.next_usec == t.scheduled->next_usec);
    CHECK(s.exit_status == 3);
    CHECK(run_note(s) == run_note(*t.scheduled));

    // A run going: its timer waits for it to end.
    seen.services[0].sub_state = "running";
    seen.services[1] = state("shop-report.service", "activating", "start");
    seen.services[1].exec_main_start_usec = now - 12'000'000;
    StatusView going = build_status_view(f, set, seen, now);
    CHECK(summary_line(going.types[0]) == "report scheduled (Mon..Fri 03:00), running");
    CHECK(run_note(*going.types[0].scheduled) == "running for 12s");
    CHECK(timer_note(*going.types[0].scheduled) == "next run: set when the current one ends");
    CHECK_FALSE(any_failing(going));
}
