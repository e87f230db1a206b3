#include <doctest/doctest.h>

#include "compile/compile.hpp"
#include "plan/plan.hpp"

using namespace formation;

namespace {

Formation app(int web, int worker) {
    Formation f;
    f.source_path = "formation.toml";
    f.app = "shop";
    ProcessType w;
    w.name = "web";
    w.command = {true, "run web", {}};
    w.count = web;
    w.port = 5000;
    ProcessType k;
    k.name = "worker";
    k.command = {true, "run worker", {}};
    k.count = worker;
    f.processes = {w, k};
    return f;
}

// What is on disk and running after `set` was applied.
Observed applied(const UnitSet& set) {
    Observed o;
    for (const auto& f : set.files) {
        o.owned.push_back(f.path);
        o.files[f.path] = f.content;
    }
    for (const auto& i : set.instances) o.active[i.unit] = "active";
    return o;
}

}  // namespace

TEST_CASE("from nothing: create every file, reload, start every instance") {
    UnitSet set = compile(app(2, 1));
    Plan p = make_plan(set, Observed{});
    CHECK(p.files.size() == set.files.size());
    CHECK(p.reload);
    CHECK(p.start == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service", "shop-worker@1.service"});
    CHECK(p.stop.empty());
    CHECK(p.restart.empty());
}

TEST_CASE("re-applying the same formation does nothing") {
    UnitSet set = compile(app(2, 1));
    Plan p = make_plan(set, applied(set));
    CHECK(p.empty());
    CHECK_FALSE(p.reload);
}

TEST_CASE("scaling down stops the highest instances first and removes their files") {
    UnitSet before = compile(app(4, 1));
    Observed o = applied(before);
    UnitSet after = compile(app(2, 1));
    Plan p = make_plan(after, o);
    CHECK(p.stop == std::vector<std::string>{"shop-web@4.service", "shop-web@3.service"});
    CHECK(p.start.empty());
    CHECK(p.restart.empty());  // survivors are untouched
    std::vector<std::string> removed;
    for (const auto& c : p.files)
        if (c.kind == FileChange::Kind::remove) removed.push_back(c.path);
    CHECK(removed == std::vector<std::string>{"shop-web@3.service.d/50-formation.conf",
                                              "shop-web@4.service.d/50-formation.conf"});
}

TEST_CASE("a changed command restarts the running instances of that type only") {
    Observed o = applied(compile(app(2, 2)));
    Formation f = app(2, 2);
    f.processes[1].command.line = "run worker --fast";
    Plan p = make_plan(compile(f), o);
    CHECK(p.restart == std::vector<std::string>{"shop-worker@1.service", "shop-worker@2.service"});
    CHECK(p.start.empty());
}

TEST_CASE("failed and stopped instances are started, failed ones reset first") {
    UnitSet set = compile(app(2, 0));
    Observed o = applied(set);
    o.active["shop-web@1.service"] = "failed";
    o.active["shop-web@2.service"] = "inactive";
    Plan p = make_plan(set, o);
    CHECK(p.start == std::vector<std::string>{"shop-web@1.service", "shop-web@2.service"});
    CHECK(p.reset_failed == std::vector<std::string>{"shop-web@1.service"});
}

TEST_CASE("a failed surplus instance is reset, not stopped") {
    Observed o = applied(compile(app(2, 1)));
    o.active["shop-web@2.service"] = "failed";
    o.active["shop-web@3.service"] = "inactive";
    Plan p = make_plan(compile(app(1, 1)), o);
    CHECK(p.stop.empty());
    CHECK(p.start.empty());
    CHECK(p.reset_failed == std::vector<std::string>{"shop-web@2.service"});
    CHECK_FALSE(p.empty());
}

TEST_CASE("a file the app does not own is a conflict") {
    UnitSet set = compile(app(1, 0));
    Observed o;
    o.files["shop.target"] = std::string("[Unit]\nDescription=hand-written\n");
    Plan p = make_plan(set, o);
    CHECK(p.conflicts == std::vector<std::string>{"shop.target"});
    // Same bytes, still not ours.
    o.files["shop.target"] = set.find("shop.target")->content;
    CHECK(make_plan(set, o).conflicts == std::vector<std::string>{"shop.target"});
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
    Observed o = applied(set);
    o.active["shop-gateway-web@1.service"] = "active";
    CHECK(make_plan(set, o).stop.empty());
    CHECK(types_in("api", {"api-web@.service", "api-gateway-web@.service", "api.target"}) ==
          std::vector<std::string>{"web"});
}
