// Every mutating verb through the app layer, on a fake Manager and a store
// in a scratch directory: job order, what is reset, what is forgotten, and
// what happens when one job fails.
#include <doctest/doctest.h>

#include <algorithm>

#include "app/formation_file.hpp"
#include "app/installed.hpp"
#include "app/plans.hpp"
#include "compile/compile.hpp"
#include "formation/parse.hpp"
#include "app/verbs.hpp"
#include "app_fakes.hpp"

using namespace formation;
using Scratch = test::ScratchHost;

namespace {

std::string shop(int web, int worker, const std::string& web_command = "/bin/web") {
    return "app = \"shop\"\n\n[process.web]\ncommand = \"" + web_command + "\"\nport = 8000\ncount = " +
           std::to_string(web) + "\nsocket = true\nreload_signal = \"HUP\"\n\n[process.worker]\ncommand = " +
           "\"/bin/worker\"\ncount = " + std::to_string(worker) + "\n";
}

std::size_t at(const std::vector<std::string>& calls, const std::string& call) {
    auto it = std::find(calls.begin(), calls.end(), call);
    REQUIRE_MESSAGE(it != calls.end(), call);
    return static_cast<std::size_t>(it - calls.begin());
}

bool before(const std::vector<std::string>& calls, const std::string& a, const std::string& b) {
    return at(calls, a) < at(calls, b);
}

bool called(const std::vector<std::string>& calls, const std::string& call) {
    return std::find(calls.begin(), calls.end(), call) != calls.end();
}

app::Report apply_text(Scratch& h, const std::string& text) {
    app::Env env = h.env();
    return app::converge(env, "shop", [&text](const auto&) { return app::parse_loaded("shop.toml", text); }, {},
                         [](const app::Report&) {});
}

// As after an apply of shop(web, worker): instances, their sockets, the target.
void running(Scratch& h, int web, int worker) {
    for (int i = 1; i <= web; ++i) {
        h.m.active["shop-web@" + std::to_string(i) + ".service"] = "active";
        h.m.active["shop-web@" + std::to_string(i) + ".socket"] = "active";
    }
    for (int i = 1; i <= worker; ++i) h.m.active["shop-worker@" + std::to_string(i) + ".service"] = "active";
    h.m.active["shop.target"] = "active";
}

}  // namespace

TEST_CASE("apply, fresh: install, reload, then every instance and the target start; the applied copy is kept") {
    Scratch h;
    app::Report r = apply_text(h, shop(2, 1));
    CHECK(r.ok());
    CHECK(r.plan.install);
    CHECK(before(h.m.calls, "reload", "start shop-web@1.service"));
    CHECK(called(h.m.calls, "start shop-worker@1.service"));
    CHECK(called(h.m.calls, "start shop.target"));
    // Each start counter is reset first, sockets included.
    CHECK(before(h.m.calls, "reset-failed shop-web@1.socket", "start shop-web@1.service"));
    host::Store store(host::paths(false));
    REQUIRE(store.installed("shop"));
    CHECK(store.applied("shop") == shop(2, 1));
}

TEST_CASE("apply of a changed command rolls a restart, one instance at a time; the others stay") {
    Scratch h;
    REQUIRE(apply_text(h, shop(3, 1)).ok());
    running(h, 3, 1);
    h.m.calls.clear();
    app::Report r = apply_text(h, shop(3, 1, "/bin/web --new"));
    CHECK(r.ok());
    CHECK(before(h.m.calls, "restart shop-web@1.service", "restart shop-web@2.service"));
    CHECK(before(h.m.calls, "restart shop-web@2.service", "restart shop-web@3.service"));
    CHECK_FALSE(called(h.m.calls, "restart shop-worker@1.service"));
    CHECK_FALSE(called(h.m.calls, "stop shop-web@1.socket"));  // a restart keeps the socket listening
}

TEST_CASE("scale down stops the highest index first, and the sockets after their services") {
    Scratch h;
    REQUIRE(apply_text(h, shop(3, 1)).ok());
    running(h, 3, 1);
    h.m.calls.clear();
    app::Report r = apply_text(h, shop(1, 1));
    CHECK(r.ok());
    CHECK(r.plan.stop == std::vector<std::string>{"shop-web@3.service", "shop-web@2.service"});
    CHECK(before(h.m.calls, "stop shop-web@3.service", "stop shop-web@2.service"));
    CHECK(before(h.m.calls, "stop shop-web@2.service", "stop shop-web@3.socket"));
    CHECK(before(h.m.calls, "stop shop-web@3.socket", "stop shop-web@2.socket"));
    CHECK(before(h.m.calls, "stop shop-web@2.socket", "reload"));
    CHECK_FALSE(called(h.m.calls, "stop shop-web@1.service"));
}

TEST_CASE("a dry run plans and carries nothing out") {
    Scratch h;
    app::Env env = h.env();
    bool shown = false;
    app::Report r = app::converge(env, "shop", [](const auto&) { return app::parse_loaded("shop.toml", shop(1, 0)); },
                                  {true, 0, 1, false, false, false, "", ""}, [&shown](const app::Report&) { shown = true; });
    CHECK(shown);
    CHECK(r.dry_run);
    CHECK(r.plan.start.size() == 1);
    CHECK(std::none_of(h.m.calls.begin(), h.m.calls.end(), [](const std::string& c) { return c.starts_with("batch"); }));
    CHECK_FALSE(host::Store(host::paths(false)).installed("shop"));
}

TEST_CASE("converge refuses an app whose unit name another unit file already took") {
    Scratch h;
    h.m.active["shop.target"] = "active";
    h.m.source_dir = "/elsewhere";
    CHECK_THROWS_AS(apply_text(h, shop(1, 0)), app::Error);
    CHECK_FALSE(host::Store(host::paths(false)).installed("shop"));
}

TEST_CASE("start after a crash loop resets each start counter, sockets included, before the start") {
    Scratch h;
    h.install("shop", shop(2, 0));
    h.m.active["shop-web@1.service"] = "failed";
    app::Env env = h.env();
    app::Report r = app::act(env, app::Action::start, "shop", {});
    CHECK(r.ok());
    CHECK(before(h.m.calls, "reset-failed shop-web@1.service", "start shop-web@1.service"));
    CHECK(before(h.m.calls, "reset-failed shop-web@1.socket", "start shop-web@1.service"));
    CHECK(before(h.m.calls, "reset-failed shop.target", "start shop.target"));
    CHECK(r.units == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service"});
}

TEST_CASE("a failing start is reported with its last lines; the other starts go on") {
    Scratch h;
    h.install("shop", shop(3, 0));
    h.m.result["shop-web@2.service"] = "failed";
    app::Env env = h.env();
    app::Report r = app::act(env, app::Action::start, "shop", {"web"});
    CHECK(called(h.m.calls, "start shop-web@3.service"));
    CHECK_FALSE(called(h.m.calls, "start shop.target"));  // a type named: the app target is left alone
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].failure.unit == "shop-web@2.service");
    CHECK(r.notes[0].failure.action == "start");
    REQUIRE(r.notes[0].instance);
    CHECK(r.notes[0].instance->index == 2);
    CHECK(r.notes[0].log_tail == "    last words of shop-web@2.service\n");
    CHECK_FALSE(r.ok());
}

TEST_CASE("stop reaches every loaded instance, listed or not, then their sockets, then the target, in one batch") {
    Scratch h;
    h.install("shop", shop(1, 0));
    running(h, 2, 0);
    h.m.active["shop-old@1.service"] = "active";  // a type the formation no longer lists
    h.m.active["shopx-web@1.service"] = "active";  // another app's
    app::Env env = h.env();
    app::Report r = app::act(env, app::Action::stop, "shop", {});
    CHECK(r.ok());
    CHECK(called(h.m.calls, "batch of 6"));
    CHECK(before(h.m.calls, "stop shop-web@2.service", "stop shop-web@1.socket"));
    CHECK(before(h.m.calls, "stop shop-old@1.service", "stop shop-web@1.socket"));
    CHECK(before(h.m.calls, "stop shop-web@2.socket", "stop shop.target"));
    CHECK_FALSE(called(h.m.calls, "stop shopx-web@1.service"));
    CHECK(std::none_of(h.m.calls.begin(), h.m.calls.end(), [](const std::string& c) { return c.starts_with("reset"); }));
    CHECK(r.units.size() == 3);
}

TEST_CASE("stop of an unknown type with nothing running says so") {
    Scratch h;
    h.install("shop", shop(1, 0));
    app::Env env = h.env();
    CHECK_THROWS_AS(app::act(env, app::Action::stop, "shop", {"nope"}), app::Error);
}

TEST_CASE("restart rolls the named type; a failed instance stops the roll") {
    Scratch h;
    h.install("shop", shop(3, 1));
    running(h, 3, 1);
    h.m.after_job["shop-web@2.service"] = "failed";
    app::Env env = h.env();
    app::Report r = app::act(env, app::Action::restart, "shop", {"web"});
    CHECK(before(h.m.calls, "reset-failed shop-web@1.service", "restart shop-web@1.service"));
    CHECK(called(h.m.calls, "restart shop-web@2.service"));
    CHECK_FALSE(called(h.m.calls, "restart shop-web@3.service"));
    CHECK_FALSE(called(h.m.calls, "restart shop-worker@1.service"));
    CHECK(r.jobs.not_restarted == std::vector<std::string>{"shop-web@3.service"});
    CHECK_FALSE(r.ok());
}

TEST_CASE("reload sends a reload job to the running instances of types with a reload_signal") {
    Scratch h;
    h.install("shop", shop(3, 1));
    running(h, 2, 1);
    h.m.active["shop-web@3.service"] = "inactive";
    h.m.result["shop-web@2.service"] = "failed";
    app::Env env = h.env();
    app::Report r = app::reload(env, "shop", {});
    CHECK(r.plan.reload_instances == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service"});
    CHECK(r.reload_signals == std::vector<std::string>{"SIGHUP", "SIGHUP"});
    REQUIRE(r.jobs.reloaded.size() == 2);
    REQUIRE(r.jobs.failures.size() == 1);
    CHECK(r.jobs.failures[0].reason == "failed");  // systemd's result, as reload has always said it
    CHECK_THROWS_AS(app::reload(env, "shop", {"worker"}), app::Error);  // no reload_signal
}

TEST_CASE("destroy stops everything, forgets it, removes the formation, then reloads") {
    Scratch h;
    h.install("shop", shop(2, 0));
    running(h, 2, 0);
    h.m.active["shop-web@2.socket"] = "failed";
    app::Env env = h.env();
    app::Report r = app::destroy(env, "shop");
    CHECK(r.ok());
    CHECK(before(h.m.calls, "stop shop-web@2.service", "stop shop-web@1.socket"));
    CHECK(before(h.m.calls, "stop shop-web@2.socket", "stop shop.target"));
    CHECK(before(h.m.calls, "stop shop.target", "stop shop.slice"));
    CHECK(before(h.m.calls, "stop shop.slice", "reset-failed shop-web@1.service"));
    CHECK(called(h.m.calls, "reset-failed shop-web@2.socket"));
    CHECK(before(h.m.calls, "reset-failed shop.target", "reload"));
    CHECK_FALSE(called(h.m.calls, "reset-failed shop.slice"));
    CHECK_FALSE(host::Store(host::paths(false)).installed("shop"));
    CHECK(h.m.last_timeout_usec == app::job_timeout_usec(app::parse_loaded("x", shop(2, 0)).formation));
}

TEST_CASE("destroy of an app no formation describes waits the stated bound; of nothing at all, refuses") {
    Scratch h;
    h.m.active["shop-web@1.service"] = "active";
    app::Env env = h.env();
    app::Report r = app::destroy(env, "shop");
    CHECK(r.ok());
    CHECK(h.m.last_timeout_usec == app::unknown_job_timeout_usec);
    Scratch empty;
    app::Env none = empty.env();
    CHECK_THROWS_AS(app::destroy(none, "shop"), app::Error);
}

TEST_CASE("a verb on an app that is not installed is exit 2 before systemd is asked") {
    Scratch h;
    bool asked = false;
    app::Env env = h.env();
    env.manager = [&]() -> systemd::Manager& {
        asked = true;
        return h.m;
    };
    try {
        app::act(env, app::Action::start, "shop", {});
        FAIL("no error");
    } catch (const app::Error& e) {
        CHECK(e.code() == app::exit_usage);
    }
    CHECK_FALSE(asked);
}

TEST_CASE("the installed formation falls back to its last good copy, for the verbs as for the generator") {
    host::InstalledFile in;
    in.app = "shop";
    in.path = "/etc/formation/shop.toml";
    in.text = "app = \"shop\"\n[process.web]\ncount = -1\n";
    app::Resolved broken = app::resolve_installed(in, app::compile_options(false, in.path.string()));
    CHECK_FALSE(broken.ok());
    CHECK_FALSE(broken.on_last_good);
    in.last_good_path = "/etc/formation/.last-good/shop.toml";
    in.last_good = shop(1, 0);
    app::Resolved r = app::resolve_installed(in, app::compile_options(false, in.path.string()));
    CHECK(r.ok());
    CHECK(r.on_last_good);
    CHECK(r.path == in.last_good_path.string());
    CHECK_FALSE(r.installed_errors.empty());
    // The units name the installed file, whichever copy made them.
    CHECK(std::any_of(r.rendered.set.files.begin(), r.rendered.set.files.end(), [](const UnitFile& f) {
        return f.content.find("SourcePath=/etc/formation/shop.toml\n") != std::string::npos;
    }));
}

TEST_CASE("scale counts from the installed formation and changes only its count lines") {
    Scratch h;
    h.install("shop", "# the shop\n" + shop(1, 0));
    app::Env env = h.env();
    std::vector<std::pair<std::string, int>> counts;
    app::Report r = app::scale(env, "shop", app::parse_count_changes({"web=+2"}), counts, [](const app::Report&) {});
    CHECK(r.ok());
    CHECK(counts == std::vector<std::pair<std::string, int>>{{"web", 3}});
    CHECK(called(h.m.calls, "start shop-web@3.service"));
    auto installed = host::Store(host::paths(false)).installed("shop");
    REQUIRE(installed);
    CHECK(installed->text == "# the shop\n" + shop(3, 0));
    Scratch none;
    app::Env nowhere = none.env();
    CHECK_THROWS_AS(app::scale(nowhere, "shop", app::parse_count_changes({"web=1"}), counts, [](const app::Report&) {}),
                    app::Error);
}

namespace {

app::Report apply_reverting(Scratch& h, const std::string& text, bool revert = true) {
    app::Env env = h.env();
    app::ConvergeOptions o;
    o.revert = revert;
    return app::converge(env, "shop", [&text](const auto&) { return app::parse_loaded("shop.toml", text); }, o,
                         [](const app::Report&) {});
}

// apply's calls from the revert on: what it installed and ran going back.
std::vector<std::string> after_second_reload(const std::vector<std::string>& calls) {
    auto first = std::find(calls.begin(), calls.end(), "reload");
    REQUIRE(first != calls.end());
    auto second = std::find(first + 1, calls.end(), "reload");
    REQUIRE(second != calls.end());
    return {second, calls.end()};
}

}  // namespace

TEST_CASE("a failed roll goes back: the previous formation installed again, exactly the changed instances rolled back") {
    Scratch h;
    REQUIRE(apply_text(h, shop(3, 1)).ok());
    running(h, 3, 1);
    h.m.calls.clear();
    h.m.after_job["shop-web@2.service"] = "failed";  // the new release cannot start
    app::Report r = apply_reverting(h, shop(3, 1, "/bin/web --broken"));
    CHECK_FALSE(r.ok());
    REQUIRE(r.reverted);
    CHECK(r.jobs.not_restarted == std::vector<std::string>{"shop-web@3.service"});
    // Back: web@1 (restarted on the bad release) restarts, web@2 (failed)
    // starts; web@3 never left the previous release, nor did the worker.
    std::vector<std::string> units;
    for (const auto& s : r.reverted->plan.restart) units.push_back(s.unit);
    CHECK(units == std::vector<std::string>{"shop-web@1.service"});
    CHECK(r.reverted->plan.start == std::vector<std::string>{"shop-web@2.service"});
    auto back = after_second_reload(h.m.calls);
    CHECK(before(back, "reset-failed shop-web@2.service", "start shop-web@2.service"));
    CHECK(called(back, "restart shop-web@1.service"));
    CHECK_FALSE(called(back, "restart shop-web@3.service"));
    CHECK_FALSE(called(back, "restart shop-worker@1.service"));
    // The previous formation is installed again; the applied copy never moved.
    host::Store store(host::paths(false));
    REQUIRE(store.installed("shop"));
    CHECK(store.installed("shop")->text == shop(3, 1));
    CHECK(store.applied("shop") == shop(3, 1));
}

TEST_CASE("going back undoes a scale in the same release: new instances stop, stopped ones start") {
    Scratch h;
    REQUIRE(apply_text(h, shop(2, 2)).ok());
    running(h, 2, 2);
    h.m.calls.clear();
    h.m.after_job["shop-web@3.service"] = "failed";
    app::Report r = apply_reverting(h, shop(3, 1));  // web 2→3 (its new instance fails), worker 2→1
    CHECK_FALSE(r.ok());
    REQUIRE(r.reverted);
    CHECK(r.reverted->plan.stop.empty());  // web@3 failed: nothing to stop, it is forgotten
    CHECK(r.reverted->plan.start == std::vector<std::string>{"shop-worker@2.service"});
    CHECK(r.reverted->plan.restart.empty());
    CHECK(called(r.reverted->plan.reset_failed, "shop-web@3.service"));
}

TEST_CASE("--no-revert, a first apply, or a scale: a failed roll is reported and left as it is") {
    Scratch h;
    REQUIRE(apply_text(h, shop(2, 1)).ok());
    running(h, 2, 1);
    h.m.after_job["shop-web@1.service"] = "failed";
    app::Report kept = apply_reverting(h, shop(2, 1, "/bin/web --broken"), false);
    CHECK_FALSE(kept.ok());
    CHECK_FALSE(kept.reverted);
    host::Store store(host::paths(false));
    CHECK(store.installed("shop")->text == shop(2, 1, "/bin/web --broken"));

    Scratch fresh;
    fresh.m.after_job["shop-web@1.service"] = "failed";
    app::Report first = apply_reverting(fresh, shop(1, 0));
    CHECK_FALSE(first.ok());
    CHECK_FALSE(first.reverted);
    CHECK(first.not_reverted == "there is no previous formation to go back to");
}

namespace {

std::string with_release(const std::string& text, const std::string& release) {
    // After the app line, before the first table.
    std::string head = "app = \"shop\"\nrelease = " + release + "\nrelease_timeout = \"2min\"\n[env]\nRELEASE = \"v2\"\n";
    return head + text.substr(text.find('\n') + 1);
}

app::Report apply_releasing(Scratch& h, const std::string& text, bool release = true) {
    app::Env env = h.env();
    app::ConvergeOptions o;
    o.release = release;
    o.revert = true;
    return app::converge(env, "shop", [&text](const auto&) { return app::parse_loaded("shop.toml", text); }, o,
                         [](const app::Report&) {});
}

}  // namespace

TEST_CASE("release: runs once, with the new formation's environment, before anything is installed or restarted") {
    Scratch h;
    REQUIRE(apply_text(h, shop(2, 1)).ok());
    running(h, 2, 1);
    h.m.calls.clear();
    h.one_off_prints = "migrating\nmigrated\n";
    app::Report r = apply_releasing(h, with_release(shop(2, 1, "/bin/web --v2"), "\"bin/migrate --all\""));
    CHECK(r.ok());
    REQUIRE(h.one_offs.size() == 1);
    const auto& spec = h.one_offs[0];
    CHECK(spec.name.starts_with("shop-release-run-"));
    CHECK(spec.argv == std::vector<std::string>{"/bin/sh", "-c", "exec \"$@\"", "formation-run", "/bin/sh", "-c", "bin/migrate --all"});
    auto has_setting = [&spec](const std::string& k, const std::string& v) {
        return std::find(spec.settings.begin(), spec.settings.end(), std::pair(k, v)) != spec.settings.end();
    };
    CHECK(has_setting("RuntimeMaxSec", "120000000us"));
    CHECK(has_setting("Environment", "\"RELEASE=v2\""));
    CHECK(before(h.m.calls, "release " + spec.name, "reload"));
    CHECK(before(h.m.calls, "release " + spec.name, "restart shop-web@1.service"));
    REQUIRE(r.release);
    CHECK(r.release->last_lines == std::vector<std::string>{"migrating", "migrated"});
    CHECK(std::find(h.said.begin(), h.said.end(), "release | migrated") == h.said.end());  // -q in the fake Env
}

TEST_CASE("release: a failure changes nothing; nothing to restart, or --no-release, runs none") {
    Scratch h;
    REQUIRE(apply_text(h, shop(2, 1)).ok());
    running(h, 2, 1);
    h.m.calls.clear();
    h.one_off_prints = "error: relation \"users\" does not exist";  // no newline at the end
    h.one_off_exit = {"exit-code", 1, 3};
    app::Report r = apply_releasing(h, with_release(shop(2, 1, "/bin/web --v2"), "[\"/srv/bin/migrate\"]"));
    CHECK_FALSE(r.ok());
    REQUIRE(r.release);
    CHECK(r.release->why == "exited with status 3");
    CHECK(r.release->last_lines == std::vector<std::string>{"error: relation \"users\" does not exist"});
    CHECK(h.m.calls == std::vector<std::string>{"list", "list", "release " + h.one_offs[0].name});  // wait_idle, observe
    host::Store store(host::paths(false));
    CHECK(store.installed("shop")->text == shop(2, 1));
    CHECK_FALSE(r.reverted);

    h.one_offs.clear();
    h.one_off_exit = {"success", 1, 0};
    std::string same = with_release(shop(2, 1), "\"bin/migrate\"");
    REQUIRE(apply_releasing(h, same).ok());  // env changed: restarts, so it runs
    CHECK(h.one_offs.size() == 1);
    running(h, 2, 1);
    h.one_offs.clear();
    REQUIRE(apply_releasing(h, same).ok());  // nothing to start or restart
    CHECK(h.one_offs.empty());
    REQUIRE(apply_releasing(h, with_release(shop(3, 1), "\"bin/migrate\""), false).ok());
    CHECK(h.one_offs.empty());
}

TEST_CASE("restart runs the release first; its failure restarts nothing") {
    Scratch h;
    h.install("shop", with_release(shop(2, 1), "\"bin/migrate\""));
    running(h, 2, 1);
    app::Env env = h.env();
    h.one_off_exit = {"timeout", 2, 9};
    app::Report r = app::act(env, app::Action::restart, "shop", {"web"}, 1, true);
    CHECK_FALSE(r.ok());
    CHECK(r.release->why == "timed out after 2min (release_timeout)");
    CHECK_FALSE(called(h.m.calls, "restart shop-web@1.service"));
    h.one_off_exit = {"success", 1, 0};
    r = app::act(env, app::Action::restart, "shop", {"web"}, 1, true);
    CHECK(r.ok());
    CHECK(before(h.m.calls, "release " + h.one_offs.back().name, "restart shop-web@1.service"));
    h.one_offs.clear();
    REQUIRE(app::act(env, app::Action::restart, "shop", {"web"}, 1, false).ok());
    CHECK(h.one_offs.empty());
}

TEST_CASE("history: each apply that changes the formation is a release; rollback applies one again, without the release command") {
    Scratch h;
    auto apply_recording = [&h](const std::string& text) {
        app::Env env = h.env();
        app::ConvergeOptions o;
        o.record = true;
        o.release = true;
        o.who = "alice";
        return app::converge(env, "shop", [&text](const auto&) { return app::parse_loaded("shop.toml", text); }, o,
                             [](const app::Report&) {});
    };
    REQUIRE(apply_recording(shop(2, 1)).recorded);
    running(h, 2, 1);
    REQUIRE(apply_recording(shop(3, 1)).recorded);
    running(h, 3, 1);
    CHECK_FALSE(apply_recording(shop(3, 1)).recorded);  // the same formation: no new release
    app::Report third = apply_recording(with_release(shop(3, 1, "/bin/web --v3"), "\"bin/migrate\""));
    REQUIRE(third.recorded);
    CHECK(h.one_offs.size() == 1);
    auto kept = host::list_releases(host::paths(false), "shop");
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].summary == "first release: web ×2, worker ×1");
    CHECK(kept[1].summary == "web 2→3");
    CHECK(kept[2].summary == "web command; env +RELEASE; release command");
    CHECK(kept[2].who == "alice");
    CHECK(kept[2].number == 3u);

    app::Env env = h.env();
    app::ConvergeOptions o;
    o.who = "bob";
    app::Report back = app::rollback(env, "shop", std::nullopt, o, [](const app::Report&) {});
    CHECK(back.ok());
    CHECK(h.one_offs.size() == 1);  // no release command on rollback
    host::Store store(host::paths(false));
    CHECK(store.installed("shop")->text == shop(3, 1));
    REQUIRE(back.recorded);
    CHECK(back.recorded->summary == "rollback to 2: web command; env -RELEASE; release command");
    CHECK(app::rollback(env, "shop", 1u, o, [](const app::Report&) {}).ok());
    CHECK(store.installed("shop")->text == shop(2, 1));
    CHECK_THROWS_AS(app::rollback(env, "shop", 99u, o, [](const app::Report&) {}), app::Error);
}

TEST_CASE("history: the last 20 are kept, files root-only") {
    Scratch h;
    auto paths = host::paths(false);
    for (int i = 1; i <= 23; ++i) host::record_release(paths, "shop", shop(i, 1), "ci", "web " + std::to_string(i), 1000u * i);
    auto kept = host::list_releases(paths, "shop");
    REQUIRE(kept.size() == 20);
    CHECK(kept.front().number == 4u);
    CHECK(kept.back().number == 23u);
    CHECK_FALSE(host::release_text(paths, "shop", 3));
    CHECK(host::release_text(paths, "shop", 4) == shop(4, 1));
    CHECK(host::decode_releases(host::encode_releases(kept)) == kept);
}

TEST_CASE("start: a shared type's idle instance gets its health socket afresh, a running one keeps it") {
    auto f = parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\ncount = 2\nport = 5000\n"
                             "socket = \"shared\"\nhealth = \"/healthz\"\n", "f.toml");
    UnitSet set = compile(f, {});
    Plan s = app::plan_start(set, {"shop-web@1.service", "shop-web@2.service"}, true, {"shop-web@2.service"});
    CHECK(s.stop_sockets == std::vector<std::string>{"shop-web@2.socket"});
    CHECK(s.start_sockets == std::vector<std::string>{"shop-web@1.socket", "shop-web@2.socket"});
}
