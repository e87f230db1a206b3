#include "cli/report_json.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "json/json.hpp"

namespace formation::cli {

namespace {

// One action of the plan: {"action":…,"unit"|"path":…} and, once carried
// out, "result" (done, failed, skipped) and "reason".
void write_action(json::Writer& w, const std::string& action, const std::string& unit, const std::string& path,
                  const deploy::Report* r) {
    w.object().key("action").string(action);
    if (!unit.empty()) w.key("unit").string(unit);
    if (!path.empty()) w.key("path").string(path);
    if (r) {
        auto failed = std::find_if(r->failures.begin(), r->failures.end(), [&](const deploy::Failure& f) {
            return !unit.empty() && f.unit == unit && f.action == action;
        });
        bool skipped = action == "restart" &&
                       std::find(r->not_restarted.begin(), r->not_restarted.end(), unit) != r->not_restarted.end();
        if (failed != r->failures.end()) w.key("result").string("failed").key("reason").string(failed->reason);
        else w.key("result").string(skipped ? "skipped" : "done").key("reason").null();
    }
    w.end_object();
}

// The members of a plan object, in the order carried out; `r` gives each
// action's result (none on a dry run or when the release command failed).
void write_plan(json::Writer& w, const Plan& plan, const std::string& app, const std::string& app_target,
                const std::string& installed_path, const deploy::Report* r, bool dry_run, std::optional<bool> ok) {
    w.key("app").string(app).key("formation").string(installed_path).key("dry_run").boolean(dry_run);
    w.key("actions").array();
    std::vector<std::pair<std::string, std::string>> units;  // (action, unit) written
    auto add = [&](const std::string& action, const std::string& unit, const std::string& path = "") {
        write_action(w, action, unit, path, r);
        if (!unit.empty()) units.emplace_back(action, unit);
    };
    for (const auto& u : plan.stop_timers) add("stop", u);
    for (const auto& u : plan.stop) add("stop", u);
    for (const auto& u : plan.stop_sockets) add("stop", u);
    if (plan.install) add("install", "", installed_path);
    if (plan.reload) add("reload", "");
    for (const auto& u : plan.start) add("start", u);
    if (plan.start_target) add("start", app_target);
    for (const auto& mv : plan.move_shared) add("move", mv.socket);
    for (const auto& step : plan.restart) add("restart", step.unit);
    for (const auto& u : plan.reset_failed)
        if (std::find(plan.start.begin(), plan.start.end(), u) == plan.start.end()) add("forget", u);
    if (r)  // a failure no action names (none expected) is still reported
        for (const auto& f : r->failures)
            if (std::find(units.begin(), units.end(), std::pair(f.action, f.unit)) == units.end()) add(f.action, f.unit);
    w.end_array().key("ok");
    if (ok) w.boolean(*ok);
    else w.null();
}

}  // namespace

std::string dry_run_json(const app::Report& r) {
    json::Writer w;
    w.object();
    write_plan(w, r.plan, r.app, r.app_target, r.installed_path, nullptr, true, std::nullopt);
    w.end_object();
    return w.text() + "\n";
}

std::string converged_json(const app::Report& r) {
    json::Writer w;
    w.object();
    if (r.release && !r.release->ok) {
        // Nothing was carried out: the actions without results, and the release.
        write_plan(w, r.plan, r.app, r.app_target, r.installed_path, nullptr, false, false);
        w.key("release").object().key("unit").string(r.release->unit).key("ok").boolean(false);
        w.key("why").string(r.release->why).key("last_lines").array();
        for (const auto& l : r.release->last_lines) w.string(l);
        w.end_array().end_object();
    } else {
        write_plan(w, r.plan, r.app, r.app_target, r.installed_path, &r.jobs, false, r.jobs.ok());
        if (r.reverted) {
            const app::Revert& back = *r.reverted;
            w.key("reverted").object();
            write_plan(w, back.plan, r.app, r.app_target, back.installed_path, &back.jobs, false, back.jobs.ok());
            w.end_object();
        }
    }
    w.end_object();
    return w.text() + "\n";
}

}  // namespace formation::cli
