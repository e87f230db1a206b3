// Shared by the hosts_*.cpp verbs: which hosts, the remote command line,
// a host's answer, and a failed host's reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "formation/model.hpp"
#include "remote/ssh.hpp"

namespace CLI {
class App;
}

namespace formation::cli::hosts {

struct Context {
    const Globals& g;
    const CLI::App& verb;        // the chosen subcommand, as parsed
    LoadedFormation file;        // FILE, with [hosts]
    std::vector<Host> hosts;     // all of them, or the one -H names
};

// ssh HOST formation remote --expect VERSION [--user] [-q] ARGS…
remote::Command remote_command(const Context& c, const Host& h, const std::vector<std::string>& args,
                               std::string input = {});

// The verb's own options and arguments as given, ready to pass on (-a left out).
std::vector<std::string> verb_args(const CLI::App& verb, const std::vector<std::string>& skip = {});

// "beta (deploy@10.0.0.12)"
std::string label(const Host& h);

// Why a host's command failed, in a few words: unreachable (ssh's own
// message), formation missing there, another formation version, or the exit
// status. May ask the host for its version once more.
std::string failure(const Host& h, const remote::Result& r);

// What a host's verb answered on stdout, when it ran to the end (exit 0,
// or 1 for "something is failing", which status reports with its answer).
std::optional<std::string> answer_of(const remote::Result& r);

// Why a host gave no answer: the verb's own refusal there (a usage error,
// exit 2), else failure().
std::string refusal(const Host& h, const remote::Result& r);

// The exit code a failed host gives the whole command.
int exit_code_of(const remote::Result& r);

// Each line of `text` as "NAME: line" on `os`.
void print_prefixed(std::ostream& os, const std::string& name, std::string_view text);

int status(const Context& c);
int logs(const Context& c);

}  // namespace formation::cli::hosts
