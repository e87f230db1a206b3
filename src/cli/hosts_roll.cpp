// The verbs that change hosts, rolled one host at a time (--parallel-hosts
// K: K at a time): apply sends FILE; start, stop, restart, reload, destroy
// go to the hosts running the named types; scale goes there, then FILE's
// count lines follow. The roll itself is remote::roll.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "app/count_changes.hpp"
#include "app/count_file.hpp"
#include "cli/hosts_internal.hpp"
#include "cli/render_report.hpp"
#include "cli/table.hpp"
#include "formation/count_edit.hpp"
#include "formation/hosts.hpp"
#include "remote/roll.hpp"

namespace formation::cli::hosts {

namespace {

// A host's command, or nullopt to leave it alone (nothing of the verb there).
using MakeCommand = std::function<std::optional<remote::Command>(const Host&)>;

// The roll (remote::roll), over the hosts `make` gives a command.
int roll(const Context& c, const std::string& what, const MakeCommand& make, int* changed = nullptr) {
    std::vector<remote::RollStep> steps;
    for (const auto& h : c.hosts)
        if (auto cmd = make(h)) steps.push_back({&h, std::move(*cmd)});
    if (steps.empty()) throw CliError(what + ": nothing to do on any host", exit_usage);
    remote::RollIo io{std::cout, std::cerr,
                      [](const std::vector<remote::Command>& batch, const remote::LineSink& live) {
                          return remote::run_all(batch, live);
                      },
                      failure, label};
    return remote::roll(what, steps, c.g.parallel_hosts, c.g.quiet, io, changed);
}

bool placed_on(const Formation& f, const std::string& type, const Host& h) {
    for (const auto& p : f.processes)
        if (p.name == type) return runs_on(p, h.name);
    return true;  // not in the file: let the host say what it knows of it
}

}  // namespace

// The release command runs once per deploy, on the first host of the
// roll; the others are told --no-release.
int apply(const Context& c) {
    std::vector<std::string> args{"-f", "-", "apply"};
    for (auto& a : verb_args(c.verb)) args.push_back(std::move(a));
    bool first = true;
    return roll(c, "apply", [&](const Host& h) {
        std::vector<std::string> here = args;
        if (!first) here.push_back("--no-release");
        first = false;
        return remote_command(c, h, here, share_text(c.file.text, h.name));
    });
}

// start, stop, restart, reload, destroy: the verb itself on each host that
// runs one of the named types (every host when none is named).
static int forward(const Context& c, const std::string& verb) {
    const CLI::Option* types_opt = nullptr;
    for (const CLI::Option* o : c.verb.get_options())
        if (o->get_positional()) types_opt = o;
    std::vector<std::string> types = types_opt ? types_opt->results() : std::vector<std::string>{};
    std::vector<std::string> opts = verb_args(c.verb);
    opts.erase(std::find(opts.begin(), opts.end(), "--"), opts.end());
    bool released = false;  // restart: the release command on the first host only
    return roll(c, verb, [&](const Host& h) -> std::optional<remote::Command> {
        std::vector<std::string> args{"-a", c.file.formation.app, verb};
        args.insert(args.end(), opts.begin(), opts.end());
        if (verb == "restart" && released) args.push_back("--no-release");
        std::vector<std::string> here;
        for (const auto& t : types)
            if (placed_on(c.file.formation, t, h)) here.push_back(t);
        if (!types.empty() && here.empty()) return std::nullopt;
        if (!here.empty()) args.push_back("--");
        args.insert(args.end(), here.begin(), here.end());
        released = true;
        return remote_command(c, h, args);
    });
}

// scale TYPE=N…: counts are per host; each host that runs a named type
// scales its installed formation, then FILE's count lines follow.
int scale(const Context& c) {
    std::vector<std::string> given;
    for (const CLI::Option* o : c.verb.get_options())
        if (o->get_positional()) given = o->results();
    auto changes = app::parse_count_changes(given);
    // FILE's counts: TYPE=+N from FILE's own (each host changes its installed count alike).
    auto counts = app::resolve_counts(changes, c.file.formation);
    set_counts(c.file.text, c.file.path, counts);  // refused before anything changes
    app::CountFile file = app::CountFile::reopen(c.file);
    int changed = 0;
    int rc = roll(c, "scale", [&](const Host& h) -> std::optional<remote::Command> {
        std::vector<std::string> args{"-a", c.file.formation.app, "scale", "--"};
        for (const auto& ch : changes)
            if (placed_on(c.file.formation, ch.type, h)) args.push_back(ch.text);
        if (args.size() == 4) return std::nullopt;
        return remote_command(c, h, args);
    }, &changed);
    if (!changed) return rc;
    auto refusal = file.update(counts);
    if (!refusal) return rc;
    const std::string lines = count_lines(counts);
    std::cerr << "formation: " << terminal_safe(*refusal) << ": its count lines were not changed\n"
              << "formation: the hosts were scaled; set " << lines << " in " << terminal_safe(c.file.path)
              << " yourself\n";
    return rc != exit_ok ? rc : exit_failed;
}

int forward_verb(const Context& c) { return forward(c, c.verb.get_name()); }

}  // namespace formation::cli::hosts
