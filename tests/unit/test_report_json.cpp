// apply --json: the plan's actions with their results, a failed release
// command, and what apply went back to, in one object the strict reader
// takes.
#include <doctest/doctest.h>

#include "cli/report_json.hpp"
#include "json/json.hpp"

using namespace formation;

namespace {

Restart restart_of(const std::string& unit) {
    Restart x;
    x.unit = unit;
    return x;
}

app::Report failed_roll() {
    app::Report r;
    r.app = "shop";
    r.app_target = "shop.target";
    r.installed_path = "/etc/formation/shop.toml";
    r.plan.install = true;
    r.plan.reload = true;
    r.plan.restart = {restart_of("shop-web@1.service"), restart_of("shop-web@2.service")};
    r.jobs.failures.push_back({"shop-web@1.service", "restart", "health check failed: HTTP 500", ""});
    r.jobs.not_restarted = {"shop-web@2.service"};
    return r;
}

}  // namespace

TEST_CASE("report json: a dry run has no results and ok null") {
    app::Report r = failed_roll();
    r.jobs = {};
    auto v = json::parse(cli::dry_run_json(r));
    REQUIRE(v.get("dry_run"));
    CHECK(v.get("dry_run")->boolean);
    CHECK(v.get("ok")->is_null());
    REQUIRE(v.get("actions")->array.size() == 4);
    CHECK(v.get("actions")->array[0].get("action")->string == "install");
    CHECK(v.get("actions")->array[0].get("path")->string == "/etc/formation/shop.toml");
    CHECK(v.get("actions")->array[2].get("result") == nullptr);
}

TEST_CASE("report json: a failed roll that went back") {
    app::Report r = failed_roll();
    app::Revert back;
    back.installed_path = "/etc/formation/shop.toml";
    back.plan.install = true;
    back.plan.restart = {restart_of("shop-web@1.service")};
    r.reverted = back;
    std::string text = cli::converged_json(r);
    CHECK(text.back() == '\n');
    auto v = json::parse(text);
    CHECK(v.keys == std::vector<std::string>{"app", "formation", "dry_run", "actions", "ok", "reverted"});
    CHECK_FALSE(v.get("ok")->boolean);
    const auto& acts = v.get("actions")->array;
    REQUIRE(acts.size() == 4);
    CHECK(acts[2].get("result")->string == "failed");
    CHECK(acts[2].get("reason")->string == "health check failed: HTTP 500");
    CHECK(acts[3].get("result")->string == "skipped");
    const json::Value* rev = v.get("reverted");
    REQUIRE(rev);
    CHECK(rev->get("ok")->boolean);
    CHECK(rev->get("actions")->array.back().get("result")->string == "done");
}

TEST_CASE("report json: a failed release command carried nothing out") {
    app::Report r = failed_roll();
    r.jobs = {};
    r.release = app::ReleaseReport{"shop-release.service", false, "exited with status 3", {"migrating", "failed \"x\""}};
    auto v = json::parse(cli::converged_json(r));
    CHECK_FALSE(v.get("dry_run")->boolean);
    CHECK_FALSE(v.get("ok")->boolean);
    CHECK(v.get("actions")->array[2].get("result") == nullptr);
    const json::Value* rel = v.get("release");
    REQUIRE(rel);
    CHECK(rel->get("why")->string == "exited with status 3");
    CHECK(rel->get("last_lines")->array[1].string == "failed \"x\"");
}
