#include <doctest/doctest.h>

#include <algorithm>

#include "compile/compile.hpp"
#include "plan/plan.hpp"

using namespace formation;

namespace {

Formation app(int web, int worker, const std::string& web_command = "run web", bool socket = false) {
    Formation f;
    f.source_path = "formation.toml";
    f.app = "shop";
    ProcessType w;
    w.name = "web";
    w.command = {true, web_command, {}};
    w.count = web;
    w.port = 5000;
    w.socket = socket ? SocketMode::per_instance : SocketMode::none;
    w.min_ready_usec = 3000000;
    ProcessType k;
    k.name = "worker";
    k.command = {true, "run worker", {}};
    k.count = worker;
    f.processes = {w, k};
    return f;
}

// Every instance of `set` running (and its socket), the target active.
Observed running(const UnitSet& set) {
    Observed o;
    for (const auto& i : set.instances) {
        o.active[i.unit] = "active";
        if (!i.socket.empty()) o.active[i.socket] = "active";
    }
    o.active[set.app_target] = "active";
    return o;
}

std::vector<std::string> units(const std::vector<Restart>& steps) {
    std::vector<std::string> out;
    for (const auto& s : steps) out.push_back(s.unit);
    return out;
}

}  // namespace

TEST_CASE("from nothing: install, reload, start every instance and the target") {
    UnitSet set = compile(app(2, 1));
    Plan p = make_plan(nullptr, set, Observed{}, true);
    CHECK(p.install);
    CHECK(p.reload);
    CHECK(p.start == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service", "shop-worker@1.service"});
    CHECK(p.start_target);
    CHECK(p.stop.empty());
    CHECK(p.restart.empty());
}

TEST_CASE("re-applying the same formation does nothing") {
    UnitSet set = compile(app(2, 1));
    Plan p = make_plan(&set, set, running(set), false);
    CHECK(p.empty());
    CHECK(describe_plan(p, "/etc/formation/shop.toml") == "nothing to do\n");
}

TEST_CASE("an installed file newer than the loaded units means a reload, and nothing else") {
    UnitSet set = compile(app(2, 1));
    Observed o = running(set);
    o.needs_reload = true;
    Plan p = make_plan(&set, set, o, false);
    CHECK(p.reload);
    CHECK(p.start.empty());
    CHECK(p.restart.empty());
}

TEST_CASE("an instance not up (crash-looping on a release a failed apply left) restarts with a new formation") {
    UnitSet set = compile(app(2, 1));
    Observed o = running(set);
    o.active["shop-web@1.service"] = "activating";  // auto-restart
    CHECK(units(make_plan(&set, set, o, true).restart) == std::vector<std::string>{"shop-web@1.service"});
    CHECK(make_plan(&set, set, o, false).empty());  // the same formation again: left to systemd
}

TEST_CASE("scaling down stops the highest instances first") {
    UnitSet before = compile(app(4, 1));
    UnitSet after = compile(app(2, 1));
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(p.stop == std::vector<std::string>{"shop-web@4.service", "shop-web@3.service"});
    CHECK(p.restart.empty());
    CHECK(p.start.empty());
}

TEST_CASE("a removed type's instances are stopped, whatever the formation says of them") {
    UnitSet before = compile(app(1, 2));
    UnitSet after = compile(app(1, 0));
    Observed o = running(before);
    o.active["shop-old@1.service"] = "active";  // a type no formation lists any more
    Plan p = make_plan(&before, after, o, true);
    CHECK(p.stop == std::vector<std::string>{"shop-worker@2.service", "shop-old@1.service", "shop-worker@1.service"});
}

TEST_CASE("a changed command restarts the running instances of that type only") {
    UnitSet before = compile(app(2, 2));
    UnitSet after = compile(app(2, 2, "run web --fast"));
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(units(p.restart) == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service"});
}

TEST_CASE("a description, a comment or the source path restarts nothing") {
    Formation f = app(2, 1);
    UnitSet before = compile(f, {false, "/usr/bin/formation", "/etc/formation/shop.toml"});
    f.description = "new words";
    UnitSet after = compile(f, {false, "/usr/bin/formation", "/run/formation/shop.toml"});
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(p.restart.empty());
    CHECK(p.install);
    CHECK(p.reload);
}

TEST_CASE("running instances of unknown origin are restarted") {
    UnitSet set = compile(app(1, 1));
    Plan p = make_plan(nullptr, set, running(set), true);
    CHECK(units(p.restart) == std::vector<std::string>{"shop-web@1.service", "shop-worker@1.service"});
}

TEST_CASE("failed and stopped instances are started (deploy resets each just before its start)") {
    UnitSet set = compile(app(2, 1));
    Observed o = running(set);
    o.active["shop-web@1.service"] = "failed";
    o.active.erase("shop-web@2.service");
    Plan p = make_plan(&set, set, o, false);
    CHECK(p.start == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service"});
    CHECK(p.start_sockets.empty());
    CHECK(p.reset_failed.empty());
}

TEST_CASE("a started instance's socket is named, so its start counter is reset with the instance's") {
    UnitSet set = compile(app(2, 0, "run web", true));
    Observed o = running(set);
    o.active["shop-web@2.service"] = "inactive";
    o.active["shop-web@2.socket"] = "failed";
    Plan p = make_plan(&set, set, o, false);
    CHECK(p.start == std::vector<std::string>{"shop-web@2.service"});
    CHECK(p.start_sockets == std::vector<std::string>{"shop-web@2.socket"});
    CHECK(p.reset_failed.empty());  // desired: reset by deploy just before the start
}

TEST_CASE("a failed socket no longer desired is forgotten, not left failed") {
    UnitSet before = compile(app(2, 0, "run web", true)), after = compile(app(1, 0, "run web", true));
    Observed o = running(before);
    o.active["shop-web@2.service"] = "inactive";  // its socket could not listen: it never started
    o.active["shop-web@2.socket"] = "failed";
    Plan p = make_plan(&before, after, o, true);
    CHECK(p.stop.empty());
    CHECK(p.stop_sockets.empty());
    CHECK(p.reset_failed == std::vector<std::string>{"shop-web@2.socket"});
    CHECK(describe_plan(p, "x").find("  forget  shop-web@2.socket (failed)\n") != std::string::npos);
}

TEST_CASE("a failed surplus instance is reset, not stopped") {
    UnitSet set = compile(app(1, 0));
    Observed o = running(set);
    o.active["shop-web@2.service"] = "failed";
    Plan p = make_plan(&set, set, o, false);
    CHECK(p.stop.empty());
    CHECK(p.reset_failed == std::vector<std::string>{"shop-web@2.service"});
    CHECK(describe_plan(p, "x") == "  forget  shop-web@2.service (failed)\n");
}

TEST_CASE("instances of other apps are never taken for ours") {
    CHECK(parse_instance("api", "api-web@3.service")->index == 3);
    CHECK(parse_instance("api", "api-web@3.service")->type == "web");
    CHECK_FALSE(parse_instance("api", "api-gateway-web@1.service"));
    CHECK_FALSE(parse_instance("api", "api-web@.service"));
    CHECK_FALSE(parse_instance("api", "api-web@01.service"));
    CHECK_FALSE(parse_instance("api", "api.target"));
    CHECK_FALSE(parse_instance("api", "apix-web@1.service"));
    UnitSet set = compile(app(1, 0));
    Observed o = running(set);
    o.active["shop-gateway-web@1.service"] = "active";
    CHECK(make_plan(&set, set, o, false).stop.empty());
}

TEST_CASE("the printed plan lists stops before the install and the reload") {
    UnitSet before = compile(app(2, 1));
    UnitSet after = compile(app(1, 1, "other"));
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(describe_plan(p, "/etc/formation/shop.toml") ==
          "  stop    shop-web@2.service\n"
          "  install /etc/formation/shop.toml\n"
          "  reload  systemd (the generator makes the units)\n"
          "  restart shop-web@1.service\n");
}

TEST_CASE("a restart carries its type's min_ready and leaves the socket alone") {
    UnitSet before = compile(app(2, 0, "run web", true));
    UnitSet after = compile(app(2, 0, "run web --new", true));
    Plan p = make_plan(&before, after, running(before), true);
    REQUIRE(p.restart.size() == 2);
    CHECK(p.restart[0] == Restart{"shop-web@1.service", false, "", 3000000, "shop-web@1.socket"});
    CHECK(p.stop_sockets.empty());
}

TEST_CASE("scaling down with sockets stops each instance and then its socket") {
    UnitSet before = compile(app(3, 0, "run web", true));
    UnitSet after = compile(app(1, 0, "run web", true));
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(p.stop == std::vector<std::string>{"shop-web@3.service", "shop-web@2.service"});
    CHECK(p.stop_sockets == std::vector<std::string>{"shop-web@3.socket", "shop-web@2.socket"});
    CHECK(p.restart.empty());
    CHECK(describe_plan(p, "x").starts_with("  stop    shop-web@3.service\n  stop    shop-web@2.service\n"
                                            "  stop    shop-web@3.socket\n  stop    shop-web@2.socket\n"));
}

TEST_CASE("scaling up with sockets starts the instances, whose start starts their sockets") {
    UnitSet before = compile(app(1, 0, "run web", true));
    UnitSet after = compile(app(2, 0, "run web", true));
    Plan p = make_plan(&before, after, running(before), true);
    CHECK(p.start == std::vector<std::string>{"shop-web@2.service"});
    CHECK(p.stop_sockets.empty());
    CHECK(p.restart.empty());
}

TEST_CASE("a socket is cycled only when its listen settings change") {
    Formation f = app(2, 0, "run web", true);
    UnitSet before = compile(f);
    f.processes[0].port = 6000;
    UnitSet after = compile(f);
    Plan p = make_plan(&before, after, running(before), true);
    REQUIRE(p.restart.size() == 2);
    CHECK(p.restart[1] == Restart{"shop-web@2.service", true, "shop-web@2.socket", 3000000, "shop-web@2.socket"});
    CHECK(describe_plan(p, "x").find("restart shop-web@1.service (and its socket") != std::string::npos);
}

TEST_CASE("turning the socket on or off cycles the instance; an orphan socket is stopped") {
    UnitSet plain = compile(app(1, 0)), with = compile(app(1, 0, "run web", true));
    Plan on = make_plan(&plain, with, running(plain), true);
    REQUIRE(on.restart.size() == 1);
    CHECK(on.restart[0] == Restart{"shop-web@1.service", true, "", 3000000, "shop-web@1.socket"});
    Plan off = make_plan(&with, plain, running(with), true);
    REQUIRE(off.restart.size() == 1);
    CHECK(off.restart[0] == Restart{"shop-web@1.service", true, "shop-web@1.socket", 3000000, ""});
    CHECK(off.stop_sockets.empty());
    // A socket left listening for an instance that is not running and has none now.
    Observed o = running(plain);
    o.active.erase("shop-web@1.service");
    o.active["shop-web@1.socket"] = "active";
    Plan left = make_plan(&plain, plain, o, false);
    CHECK(left.start == std::vector<std::string>{"shop-web@1.service"});
    CHECK(left.stop_sockets == std::vector<std::string>{"shop-web@1.socket"});
}

TEST_CASE("sockets parse as their instance's, never another app's") {
    CHECK(parse_socket("shop", "shop-web@2.socket")->unit == "shop-web@2.service");
    CHECK_FALSE(parse_socket("shop", "shop-web@2.service"));
    CHECK_FALSE(parse_socket("shop", "shop-gateway-web@1.socket"));
    CHECK(socket_of("shop-web@2.service") == "shop-web@2.socket");
}

TEST_CASE("the health watcher starts with the first type with health and stops with the last") {
    Formation f = app(2, 1);
    f.processes[0].health = HealthCheck{};
    UnitSet with = compile(f);
    UnitSet without = compile(app(2, 1));
    Observed o = running(without);
    Plan p = make_plan(&without, with, o, true);
    CHECK(p.start == std::vector<std::string>{"shop-health.service"});
    o.active["shop-health.service"] = "active";
    CHECK(make_plan(&with, with, o, false).empty());
    p = make_plan(&with, without, o, true);
    CHECK(p.stop == std::vector<std::string>{"shop-health.service"});
    o.active["shop-health.service"] = "failed";
    CHECK(make_plan(&with, without, o, true).reset_failed == std::vector<std::string>{"shop-health.service"});
}

namespace {

Formation shared_app(int web, int port) {
    Formation f = app(web, 1);
    f.processes[0].socket = SocketMode::shared;
    f.processes[0].port = port;
    f.processes[0].ready = Readiness::notify;
    return f;
}

}  // namespace

TEST_CASE("shared socket: a port change moves the socket, then every instance restarts onto it") {
    UnitSet v1 = compile(shared_app(3, 5000));
    UnitSet v2 = compile(shared_app(3, 5001));
    REQUIRE(v1.shared_sockets.size() == 1);
    Observed o = running(v1);
    o.active["shop-web.socket"] = "active";
    Plan p = make_plan(&v1, v2, o, true);
    REQUIRE(p.move_shared.size() == 1);
    CHECK(p.move_shared[0] == SharedMove{"shop-web.socket", "shop-web-socket.service"});
    CHECK(units(p.restart) == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service", "shop-web@3.service"});
    CHECK(p.stop_sockets.empty());
    // The same port: nothing moves, nothing restarts.
    Plan same = make_plan(&v1, v1, o, false);
    CHECK(same.move_shared.empty());
    CHECK(same.restart.empty());
    // Scaling changes how many accept, never the socket.
    Plan scaled = make_plan(&v1, compile(shared_app(5, 5000)), o, true);
    CHECK(scaled.move_shared.empty());
    CHECK(scaled.start == std::vector<std::string>{"shop-web@4.service", "shop-web@5.service"});
    CHECK(scaled.restart.empty());
}

TEST_CASE("shared socket: a failed one is repaired; one no type wants is stopped, or forgotten when failed") {
    UnitSet v1 = compile(shared_app(2, 5000));
    Observed o = running(v1);
    o.active["shop-web.socket"] = "failed";
    Plan p = make_plan(&v1, v1, o, false);
    REQUIRE(p.move_shared.size() == 1);
    UnitSet none = compile(app(0, 1));
    o.active["shop-web.socket"] = "active";
    Plan gone = make_plan(&v1, none, o, true);
    CHECK(std::find(gone.stop_sockets.begin(), gone.stop_sockets.end(), "shop-web.socket") != gone.stop_sockets.end());
    o.active["shop-web.socket"] = "failed";
    Plan forgotten = make_plan(&v1, none, o, true);
    CHECK(std::find(forgotten.reset_failed.begin(), forgotten.reset_failed.end(), "shop-web.socket") !=
          forgotten.reset_failed.end());
}

TEST_CASE("shared socket with health: an instance that starts gets its health socket afresh; one that runs keeps it") {
    Formation f = shared_app(2, 5000);
    f.processes[0].health = HealthCheck{"/healthz", 5000000, 2000000, 3};
    UnitSet v1 = compile(f);
    REQUIRE(v1.instances[0].fresh_socket());
    Observed o = running(v1);
    o.active["shop-web.socket"] = "active";
    o.active["shop-web@1.socket"] = "active";
    o.active["shop-web@2.socket"] = "active";
    o.active["shop-health.service"] = "active";
    CHECK(make_plan(&v1, v1, o, false).empty());
    // web.2 failed (its server may have removed the socket's file): its
    // socket is stopped before the start, which starts it again.
    o.active["shop-web@2.service"] = "failed";
    Plan p = make_plan(&v1, v1, o, false);
    CHECK(p.start == std::vector<std::string>{"shop-web@2.service"});
    CHECK(p.stop_sockets == std::vector<std::string>{"shop-web@2.socket"});
    // A socket = true instance keeps its socket (connections wait in it).
    Formation t = app(2, 1);
    t.processes[0].socket = SocketMode::per_instance;
    t.processes[0].port = 5000;
    UnitSet per = compile(t);
    CHECK_FALSE(per.instances[0].fresh_socket());
    Observed po = running(per);
    po.active["shop-web@2.socket"] = "active";
    po.active["shop-web@2.service"] = "failed";
    CHECK(make_plan(&per, per, po, false).stop_sockets.empty());
}

namespace {

// shop with a web instance and a scheduled "report" (and "cleanup" when asked).
Formation scheduled_app(const std::string& calendar, bool cleanup) {
    Formation f = app(1, 0);
    f.processes.pop_back();
    for (const std::string name : {"report", "cleanup"}) {
        if (name == "cleanup" && !cleanup) continue;
        ProcessType s;
        s.name = name;
        s.command = {true, "bin/" + name, {}};
        s.count = 0;
        s.schedule = Schedule{calendar, calendar, false, 0, std::nullopt};
        f.processes.push_back(s);
    }
    return f;
}

}  // namespace

TEST_CASE("scheduled types: timers start, a changed one is stopped first and started again, a removed one goes") {
    UnitSet first = compile(scheduled_app("*-*-* 03:00:00", true));
    REQUIRE(first.scheduled.size() == 2);
    Plan p = make_plan(nullptr, first, Observed{}, true);
    CHECK(std::count(p.start.begin(), p.start.end(), "shop-report.timer") == 1);
    CHECK(std::count(p.start.begin(), p.start.end(), "shop-cleanup.timer") == 1);
    CHECK(std::count(p.start.begin(), p.start.end(), "shop-report.service") == 0);  // its timer starts it

    Observed now = running(first);
    now.active["shop-report.timer"] = "active";
    now.active["shop-cleanup.timer"] = "active";
    now.active["shop-cleanup.service"] = "activating";  // a run in progress
    // Nothing changed: nothing to do.
    CHECK(make_plan(&first, first, now, false).empty());

    // The schedule moves and cleanup goes: report's timer is stopped before
    // the reload and started after it; cleanup's timer and run stop.
    UnitSet next = compile(scheduled_app("*-*-* 04:00:00", false));
    Plan q = make_plan(&first, next, now, true);
    CHECK(q.stop_timers == std::vector<std::string>{"shop-report.timer", "shop-cleanup.timer"});
    CHECK(q.stop == std::vector<std::string>{"shop-cleanup.service"});
    CHECK(q.start == std::vector<std::string>{"shop-report.timer"});
    CHECK(q.restart.empty());
    CHECK(describe_plan(q, "/etc/formation/shop.toml").find("  stop    shop-report.timer\n") != std::string::npos);
}
