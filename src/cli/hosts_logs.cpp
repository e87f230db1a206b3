// formation logs over [hosts.*]: every host's `logs --json` at once,
// merged by time, each line prefixed "alpha/web.1 |". With -f, the hosts'
// backlogs are merged first, then lines print as they arrive from any host.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/hosts_internal.hpp"
#include "app/log_view.hpp"
#include "cli/log_lines.hpp"
#include "formation/hosts.hpp"
#include "json/json.hpp"

namespace formation::cli::hosts {

namespace {

const CLI::Option* option(const CLI::App& verb, const std::string& name) { return verb.get_option_no_throw(name); }

}  // namespace

int logs(const Context& c) {
    const Formation& f = c.file.formation;
    std::vector<std::string> selectors;
    if (const auto* o = option(c.verb, "instances")) selectors = o->results();
    bool follow = option(c.verb, "--follow")->count() > 0;
    const auto* lines_opt = option(c.verb, "--lines");
    const auto* since_opt = option(c.verb, "--since");
    bool since = since_opt->count() > 0;
    long lines = lines_opt->count() ? std::stol(lines_opt->results().front()) : since ? 0 : 100;
    std::vector<std::string> common{"-a", f.app, "logs", "--json", "--lines=" + std::to_string(lines)};
    if (since) common.push_back("--since=" + since_opt->results().front());
    if (follow) common.push_back("--follow");

    std::vector<const Host*> hosts;
    std::vector<remote::Command> commands;
    for (const auto& h : c.hosts) {
        std::vector<std::string> args = common, here;
        for (const auto& s : selectors) {
            std::string type = s.substr(0, s.find('.'));
            auto p = std::find_if(f.processes.begin(), f.processes.end(), [&type](const ProcessType& t) { return t.name == type; });
            if (p == f.processes.end()) throw CliError("app " + f.app + " has no process type \"" + type + "\"", exit_usage);
            if (runs_on(*p, h.name)) here.push_back(s);
        }
        if (!selectors.empty() && here.empty()) continue;
        if (!here.empty()) args.push_back("--");
        args.insert(args.end(), here.begin(), here.end());
        hosts.push_back(&h);
        commands.push_back(remote_command(c, h, args));
    }
    if (hosts.empty()) throw CliError("logs: no host runs the instances named", exit_usage);

    LogPrinter printer;
    // One width from the start: the formation's instances on the hosts read.
    for (const Host* h : hosts)
        for (const auto& p : f.processes)
            if (runs_on(p, h->name) && p.count > 0) printer.widen(h->name + "/" + p.name + "." + std::to_string(p.count));
    app::LogMerge merge(hosts.size(), lines);
    auto print = [&printer](const std::vector<app::MergedLine>& ready) {
        for (const auto& e : ready) printer.widen(e.label);  // one width for what comes out together
        for (const auto& e : ready) std::cout << printer.format(e.label, e.message);
        if (!ready.empty()) std::cout.flush();
    };
    std::vector<std::string> bad_lines(hosts.size());
    auto results = remote::run_all(
        commands,
        [&](std::size_t i, std::string_view line) {
            std::optional<app::LogLine> l;
            try {
                l = app::decode_log_line(line);
            } catch (const json::Error& err) {
                bad_lines[i] = err.what();
                return;
            }
            if (!l) return print(merge.backlog_done(i));  // its following mark
            print(merge.add({l->realtime_usec, hosts[i]->name + "/" + l->instance, std::move(l->message)}));
        },
        [&](std::size_t i) { print(merge.backlog_done(i)); });
    print(merge.finish());
    int rc = exit_ok;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        if (r.exit_code == 0 && bad_lines[i].empty()) continue;
        std::string why = !bad_lines[i].empty() ? "answered " + bad_lines[i] : refusal(*hosts[i], r);
        std::cerr << "formation: logs of host " << label(*hosts[i]) << ": " << why << "\n";
        rc = exit_failed;
    }
    return rc;
}

}  // namespace formation::cli::hosts
