// Verbs across [hosts.*]: which ones, on which hosts, and the roll: one
// host at a time (--parallel-hosts K: K at a time), each converged before
// the next; the first host that fails stops the roll and is named, and the
// hosts already done stay done. status and logs (typed answers from every
// host at once): hosts_status.cpp, hosts_logs.cpp.
#include "cli/hosts.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <iostream>

#include "app/count_changes.hpp"
#include "cli/hosts_internal.hpp"
#include "cli/render_report.hpp"
#include "cli/table.hpp"
#include "formation/count_edit.hpp"
#include "formation/hosts.hpp"
#include "host/atomic_file.hpp"
#include "remote/roll.hpp"

namespace formation::cli {

namespace hosts {

remote::Command remote_command(const Context& c, const Host& h, const std::vector<std::string>& args, std::string input) {
    std::vector<std::string> a{"remote", "--expect", FORMATION_VERSION};
    if (c.g.user) a.push_back("--user");
    if (c.g.quiet) a.push_back("-q");
    a.insert(a.end(), args.begin(), args.end());
    return {remote::ssh_argv(h, a), std::move(input)};
}

std::vector<std::string> verb_args(const CLI::App& verb, const std::vector<std::string>& skip) {
    std::vector<std::string> out, positionals;
    for (const CLI::Option* o : verb.get_options()) {
        if (o->count() == 0 || (o->get_lnames().empty() && !o->get_positional())) continue;
        if (o->get_positional()) {
            for (const auto& r : o->results()) positionals.push_back(r);
            continue;
        }
        const std::string name = "--" + o->get_lnames().front();
        if (name == "--help" || name == "--app" || std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
        if (o->get_expected_max() == 0) {  // a flag
            out.push_back(name);
        } else {
            for (const auto& r : o->results()) out.push_back(name + "=" + r);
        }
    }
    // After "--": a type or value can never pass for an option there.
    if (!positionals.empty()) out.push_back("--");
    out.insert(out.end(), positionals.begin(), positionals.end());
    return out;
}

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

int apply(const Context& c) {
    std::vector<std::string> args{"-f", "-", "apply"};
    for (auto& a : verb_args(c.verb)) args.push_back(std::move(a));
    return roll(c, "apply", [&](const Host& h) {
        return remote_command(c, h, args, share_text(c.file.text, h.name));
    });
}

// start, stop, restart, reload, destroy: the verb itself on each host that
// runs one of the named types (every host when none is named).
int forward(const Context& c, const std::string& verb) {
    const CLI::Option* types_opt = nullptr;
    for (const CLI::Option* o : c.verb.get_options())
        if (o->get_positional()) types_opt = o;
    std::vector<std::string> types = types_opt ? types_opt->results() : std::vector<std::string>{};
    std::vector<std::string> opts = verb_args(c.verb);
    opts.erase(std::find(opts.begin(), opts.end(), "--"), opts.end());
    return roll(c, verb, [&](const Host& h) -> std::optional<remote::Command> {
        std::vector<std::string> args{"-a", c.file.formation.app, verb};
        args.insert(args.end(), opts.begin(), opts.end());
        std::vector<std::string> here;
        for (const auto& t : types)
            if (placed_on(c.file.formation, t, h)) here.push_back(t);
        if (!types.empty() && here.empty()) return std::nullopt;
        if (!here.empty()) args.push_back("--");
        args.insert(args.end(), here.begin(), here.end());
        return remote_command(c, h, args);
    });
}

// FILE as loaded, opened once more to be edited: the edit happens only if
// its name still refers to this file then. Why it must not be edited at
// all, decided before the roll: root edits no file another user could swap
// for a link meanwhile.
std::optional<std::string> open_for_edit(const LoadedFormation& file, std::optional<host::EditedFile>& edited) {
    if (file.path == "-") return "-f -: standard input has no count lines to edit";
    try {
        edited = host::EditedFile::open(file.path);
    } catch (const host::DiskError& e) {
        return e.what();
    }
    if (!edited || edited->text() != file.text) return file.path + " changed as it was read";
    if (::geteuid() != 0) return std::nullopt;
    if (auto why = edited->controlled_by_other(0))
        return *why + ", and root edits no file that another user controls (it could be swapped for a link to "
                      "any file)";
    return std::nullopt;
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
    std::string updated = set_counts(c.file.text, c.file.path, counts);  // refused before anything changes
    std::optional<host::EditedFile> edited;
    std::optional<std::string> refusal = open_for_edit(c.file, edited);
    int changed = 0;
    int rc = roll(c, "scale", [&](const Host& h) -> std::optional<remote::Command> {
        std::vector<std::string> args{"-a", c.file.formation.app, "scale", "--"};
        for (const auto& ch : changes)
            if (placed_on(c.file.formation, ch.type, h)) args.push_back(ch.text);
        if (args.size() == 4) return std::nullopt;
        return remote_command(c, h, args);
    }, &changed);
    if (!changed || updated == c.file.text) return rc;
    try {
        if (!refusal) edited->replace(updated);
    } catch (const host::DiskError& e) {
        refusal = e.what();
    }
    if (!refusal) return rc;
    const std::string lines = count_lines(counts);
    std::cerr << "formation: " << terminal_safe(*refusal) << ": its count lines were not changed\n"
              << "formation: the hosts were scaled; set " << lines << " in " << terminal_safe(c.file.path)
              << " yourself\n";
    return rc != exit_ok ? rc : exit_failed;
}

int forward_verb(const Context& c) { return forward(c, c.verb.get_name()); }

// The verbs that span hosts, and how each is carried there: a verb that
// changes hosts rolls (apply sends FILE, scale edits it after; the others
// go to the hosts running the types named); one that shows asks every host
// at once and renders their typed answers as one.
struct Spanning {
    std::string_view verb;
    int (*run)(const Context&);
};
constexpr Spanning spanning[] = {
    {"apply", apply},          {"scale", scale},          {"start", forward_verb},   {"stop", forward_verb},
    {"restart", forward_verb}, {"reload", forward_verb},  {"destroy", forward_verb}, {"status", status},
    {"logs", logs},
};

const Spanning* spanning_verb(const std::string& name) {
    for (const auto& s : spanning)
        if (s.verb == name) return &s;
    return nullptr;
}

}  // namespace

}  // namespace hosts

std::optional<int> run_on_hosts(CLI::App& root, const Globals& g) {
    auto subs = root.get_subcommands();
    if (subs.empty()) return std::nullopt;
    const CLI::App& verb = *subs.front();
    const std::string name = verb.get_name();
    const hosts::Spanning* how = hosts::spanning_verb(name);
    bool spans = how != nullptr;
    bool with_app = !g.app.empty() || (verb.get_option_no_throw("--app") && verb.get_option_no_throw("--app")->count());
    if (!spans || with_app) {
        if (!g.host.empty())
            throw CliError("-H " + g.host + ": " + (spans ? "names a host of FILE's [hosts]; -a APP is this host's app"
                                                          : name + " does not run on hosts"),
                           exit_usage);
        return std::nullopt;
    }
    std::optional<LoadedFormation> file;
    try {
        file = load_formation(g.file);
    } catch (...) {
        if (!g.host.empty()) throw;
        return std::nullopt;  // the verb says what is wrong with FILE
    }
    if (file->formation.hosts.empty()) {
        if (!g.host.empty()) throw CliError("-H " + g.host + ": " + g.file + " has no [hosts]", exit_usage);
        return std::nullopt;
    }
    hosts::Context c{g, verb, std::move(*file), {}};
    for (const auto& h : c.file.formation.hosts)
        if (g.host.empty() || h.name == g.host) c.hosts.push_back(h);
    if (c.hosts.empty()) throw CliError("-H " + g.host + ": " + g.file + " has no [hosts." + g.host + "]", exit_usage);
    return how->run(c);
}

int run_remote(int argc, char** argv) {
    if (argc < 4 || std::strcmp(argv[2], "--expect") != 0) {
        std::cerr << "formation remote: usage: formation remote --expect VERSION ARGS… (run over ssh by formation)\n";
        return exit_usage;
    }
    if (std::strcmp(argv[3], FORMATION_VERSION) != 0) {
        std::cerr << "formation remote: version mismatch: this host runs formation " FORMATION_VERSION
                  << ", the caller formation " << argv[3] << "; install one version on every host\n";
        return exit_usage;
    }
    std::vector<char*> args{argv[0]};
    for (int i = 4; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv("/proc/self/exe", args.data());
    std::cerr << "formation remote: cannot run itself: " << std::strerror(errno) << "\n";
    return exit_failed;
}

}  // namespace formation::cli
