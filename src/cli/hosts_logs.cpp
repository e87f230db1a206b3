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

struct Entry {
    std::uint64_t realtime_usec = 0;
    std::string label;  // "alpha/web.1"
    std::string message;
};

const CLI::Option* option(const CLI::App& verb, const std::string& name) { return verb.get_option_no_throw(name); }

// One line of a host's logs --json; nullopt for the {"following":true} mark.
std::optional<Entry> read_entry(const Host& h, std::string_view line, bool* following) {
    auto l = app::decode_log_line(line);
    if (!l) {
        *following = true;
        return std::nullopt;
    }
    return Entry{l->realtime_usec, h.name + "/" + l->instance, std::move(l->message)};
}

void print(LogPrinter& printer, const Entry& e) { std::cout << printer.format(e.label, e.message); }

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
    std::vector<Entry> backlog;
    std::vector<bool> past_backlog(hosts.size(), false);
    bool streaming = false;
    // The last `lines` entries across every host, oldest first, then printed.
    auto flush_backlog = [&] {
        std::stable_sort(backlog.begin(), backlog.end(),
                         [](const Entry& a, const Entry& b) { return a.realtime_usec < b.realtime_usec; });
        if (lines > 0 && backlog.size() > static_cast<std::size_t>(lines))
            backlog.erase(backlog.begin(), backlog.end() - lines);
        for (const auto& e : backlog) printer.widen(e.label);
        for (const auto& e : backlog) print(printer, e);
        std::cout.flush();
        backlog.clear();
        streaming = true;
    };
    auto host_done_with_backlog = [&](std::size_t i) {
        past_backlog[i] = true;
        if (!streaming && std::all_of(past_backlog.begin(), past_backlog.end(), [](bool b) { return b; })) flush_backlog();
    };
    std::vector<std::string> bad_lines(hosts.size());
    auto results = remote::run_all(
        commands,
        [&](std::size_t i, std::string_view line) {
            bool following = false;
            std::optional<Entry> e;
            try {
                e = read_entry(*hosts[i], line, &following);
            } catch (const json::Error& err) {
                bad_lines[i] = err.what();
                return;
            }
            if (following) return host_done_with_backlog(i);
            if (!streaming) return backlog.push_back(std::move(*e));
            print(printer, *e);
            std::cout.flush();
        },
        [&](std::size_t i) {
            if (!past_backlog[i]) host_done_with_backlog(i);
        });
    if (!streaming) flush_backlog();
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
