// Verbs across [hosts.*]: which verbs span hosts, on which hosts, and the
// command each host runs (`formation remote --expect VERSION …` over ssh).
// The verbs that change hosts roll (hosts_roll.cpp); status and logs ask
// every host at once (hosts_status.cpp, hosts_logs.cpp).
#include "cli/hosts.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iostream>

#include "cli/hosts_internal.hpp"
#include "formation/hosts.hpp"

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
    {"top", top},
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
