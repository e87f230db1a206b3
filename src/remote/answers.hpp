// How a host answered a forwarded verb, in the words every multi-host verb
// uses: which host, why it gave no answer, and the exit code it gives the
// whole command. print_prefixed (remote/roll.hpp) prints its lines.
#pragma once

#include <optional>
#include <string>

#include "formation/hosts.hpp"
#include "remote/roll.hpp"
#include "remote/ssh.hpp"

namespace formation::remote {

// "beta (deploy@10.0.0.12)"
std::string label(const Host& h);

// Why a host's command failed, in a few words: unreachable (ssh's own
// message), formation missing there, another formation version, or the exit
// status. May ask the host for its version once more.
std::string failure(const Host& h, const Result& r);

// What a host's verb answered on stdout, when it ran to the end (exit 0,
// or 1 for "something is failing", which status reports with its answer).
std::optional<std::string> answer_of(const Result& r);

// Why a host gave no answer: the verb's own refusal there (a usage error,
// exit 2), else failure().
std::string refusal(const Host& h, const Result& r);

// The exit code a failed host gives the whole command.
int exit_code_of(const Result& r);

}  // namespace formation::remote
