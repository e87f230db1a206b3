// Shared by the hosts_*.cpp verbs: which hosts, the remote command line,
// a host's answer, and a failed host's reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "formation/model.hpp"
#include "remote/answers.hpp"
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

// How a host answered (label, failure, answer_of, refusal, exit_code_of,
// print_prefixed): remote/answers.hpp.
using remote::answer_of;
using remote::exit_code_of;
using remote::failure;
using remote::label;
using remote::print_prefixed;
using remote::refusal;

// The verbs that roll over hosts (hosts_roll.cpp).
int apply(const Context& c);
int scale(const Context& c);
int forward_verb(const Context& c);  // start, stop, restart, reload, destroy

int status(const Context& c);
int top(const Context& c);
int logs(const Context& c);

}  // namespace formation::cli::hosts
