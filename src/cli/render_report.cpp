#include "cli/render_report.hpp"

#include <algorithm>
#include <iostream>
#include <string_view>

#include "cli/report_json.hpp"
#include "compile/unit_name.hpp"
#include "cli/table.hpp"

namespace formation::cli {

namespace {

void print_note(const app::FailureNote& n, const std::string& app) {
    const deploy::Failure& x = n.failure;
    std::cerr << "formation: " << x.action << " " << x.unit << ": " << x.reason << "\n";
    if (!x.failed_socket.empty()) {
        if (n.port) {
            std::cerr << "formation: port " << n.port << " of " << x.failed_socket << " is in use"
                      << (n.holder.empty() ? " (no listener found now)" : " by " + n.holder);
            if (n.claimant)
                std::cerr << "; app " << n.claimant->app << " claims it (" << n.claimant->file << " gives it to "
                          << n.claimant->instance << ")";
            std::cerr << "\n";
        }
        if (!n.systemd_said.empty())
            std::cerr << "formation: systemd logged about " << x.failed_socket << ":\n" << n.systemd_said;
        return;
    }
    if (n.log_tail.empty()) return;
    // An instance's logs ("web.2"), or a scheduled type's runs ("nightly").
    std::string name = n.instance ? n.instance->type + "." + std::to_string(n.instance->index)
                                  : parse_scheduled(app, x.unit).value_or(x.unit);
    std::cerr << "formation: last lines of " << x.unit << " (more: formation -a " << app << " logs " << name
              << "):\n"
              << n.log_tail;
}

}  // namespace

void print_release(const app::Report& r) {
    if (!r.release || r.release->ok) return;
    const app::ReleaseReport& x = *r.release;
    std::cerr << "formation: the release command " << x.why << " (" << x.unit
              << "): nothing was installed, no instance was stopped or restarted\n";
    if (!x.last_lines.empty()) {
        std::cerr << "formation: its last lines:\n";
        for (const auto& l : x.last_lines) std::cerr << "    " << l << "\n";
    }
}

void print_failures(const app::Report& r) {
    print_release(r);
    for (const auto& n : r.notes) print_note(n, r.app);
    if (!r.jobs.not_restarted.empty()) {
        std::cerr << "formation: the rolling restart stopped; still on the previous configuration:";
        for (const auto& u : r.jobs.not_restarted) std::cerr << ' ' << u;
        std::cerr << "\n";
    }
}

void print_plan(const app::Report& r, const Globals& g, bool json) {
    if (json && r.dry_run) std::cout << dry_run_json(r);
    else if (!json && (!g.quiet || r.dry_run))
        std::cout << (r.dry_run ? "would:\n" : "") << describe_plan(r.plan, r.installed_path);
}

namespace {

// "restarted shop-web@1.service, shop-web@2.service; stopped shop-web@3.service"
std::string what_went_back(const Plan& p, const deploy::Report& jobs) {
    std::vector<std::pair<std::string, std::vector<std::string>>> parts{{"restarted", {}}, {"started", {}}, {"stopped", {}}};
    auto failed = [&jobs](const std::string& u) {
        return std::any_of(jobs.failures.begin(), jobs.failures.end(), [&u](const deploy::Failure& f) { return f.unit == u; });
    };
    for (const auto& step : p.restart)
        if (!failed(step.unit)) parts[0].second.push_back(step.unit);
    for (const auto& u : p.start)
        if (!failed(u)) parts[1].second.push_back(u);
    for (const auto& u : p.stop)
        if (!failed(u)) parts[2].second.push_back(u);
    std::string out;
    for (const auto& [verb, units] : parts) {
        if (units.empty()) continue;
        out += (out.empty() ? "" : "; ") + verb;
        for (std::size_t i = 0; i < units.size(); ++i) out += (i ? ", " : " ") + units[i];
    }
    return out.empty() ? "nothing had changed" : out;
}

void print_revert(const app::Report& r) {
    if (!r.reverted) {
        if (!r.not_reverted.empty()) std::cerr << "formation: not reverted: " << r.not_reverted << "\n";
        return;
    }
    const app::Revert& back = *r.reverted;
    for (const auto& n : back.notes) print_note(n, r.app);
    std::cerr << "formation: the release failed, so apply went back to the previous formation (installed again at "
              << back.installed_path << "): " << what_went_back(back.plan, back.jobs) << "\n";
    if (back.jobs.ok())
        std::cerr << "formation: " << r.app << " runs the previous release; `formation -a " << r.app
                  << " status` shows it\n";
    else
        std::cerr << "formation: going back failed too (above); `formation -a " << r.app << " status` shows what runs\n";
}

}  // namespace

int print_converged(const app::Report& r, bool json) {
    if (r.dry_run) return exit_ok;
    print_failures(r);
    print_revert(r);
    for (const auto& w : r.config_warnings)
        std::cerr << "formation: warning: systemd ignored a setting of " << w.unit << ": " << terminal_safe(w.message)
                  << "\n";
    if (json) std::cout << converged_json(r);
    return r.ok() ? exit_ok : exit_failed;
}

int print_act(const app::Report& r, const Globals& g, const char* done) {
    print_failures(r);
    if (std::string_view(done) == "restarted") {
        // In the order of the roll, as each came back.
        if (!g.quiet)
            for (const auto& u : r.units) {
                bool failed = std::any_of(r.jobs.failures.begin(), r.jobs.failures.end(),
                                          [&u](const deploy::Failure& x) { return x.unit == u; });
                bool skipped = std::find(r.jobs.not_restarted.begin(), r.jobs.not_restarted.end(), u) !=
                               r.jobs.not_restarted.end();
                if (!failed && !skipped) std::cout << "restarted " << u << "\n";
            }
    } else if (r.ok() && !g.quiet) {
        // Instances counted; a scheduled type's timer and run named.
        std::size_t instances = 0;
        std::string scheduled;
        for (const auto& u : r.units) {
            if (parse_instance(r.app, u)) ++instances;
            else scheduled += " " + u;
        }
        std::cout << done << " " << instances << " instance" << (instances == 1 ? "" : "s") << " of " << r.app;
        if (!scheduled.empty()) std::cout << ";" << scheduled;
        std::cout << "\n";
    }
    return r.ok() ? exit_ok : exit_failed;
}

std::string count_lines(const std::vector<std::pair<std::string, int>>& counts) {
    std::string lines;
    for (const auto& [type, n] : counts)
        lines += (lines.empty() ? "" : ", ") + ("count = " + std::to_string(n)) + " under [process." + type + "]";
    return lines;
}

}  // namespace formation::cli
