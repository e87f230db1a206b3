// Where "exec " goes in a Procfile-style shell line, so that the program, not
// /bin/sh, becomes the service's main process (see formation.toml(5)).
#pragma once

#include <string>
#include <string_view>

namespace formation {

// Whether a Procfile-style shell line is one simple command whose command
// word runs a program: either "exec" (already there) or a word before which
// "exec " makes the program, not /bin/sh, the service's main process. The line
// is read as dash tokenizes it (quotes, backslashes, $(…), `…`, ${…}, $((…)),
// comments, redirections, leading NAME=value assignments). False for a list,
// pipeline or compound command, a line of assignments and redirections only,
// a shell builtin, a here-document, a bash-only form and anything else the
// scanner is not sure of.
bool is_simple_shell_command(std::string_view line);

// The line with "exec " put right before its command word, where the shell
// sees it: after leading assignments and redirections, which then still apply
// to the program; never inside a quote or substitution. Returned unchanged
// when is_simple_shell_command is false or the command word is already exec.
std::string prefix_exec(std::string_view line);

}  // namespace formation
