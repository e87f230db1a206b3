// Exact escaping for systemd unit files (systemd.syntax(7), systemd.service(5),
// systemd.exec(5)), so every byte of a command or value reaches the process.
// Verified against systemd 252: inside double quotes C escapes are decoded in
// Exec*= and Environment=; "%" is a specifier everywhere; "$" is expanded only
// in Exec*= lines; a quoted ";" is a literal word, not a command separator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace formation {

// One ExecStart= word, double-quoted: \ " control bytes C-escaped, % → %%, $ → $$.
std::string quote_exec_word(std::string_view word);

// One word of a space-separated list that systemd unquotes (ReadWritePaths=,
// …): % → %%, and double-quoted (\ " control bytes C-escaped) when it holds a
// space, quote, backslash or control byte; "$" left alone.
std::string list_word(std::string_view word);

// A whole Exec*= command line from argv words.
std::string exec_line(const std::vector<std::string>& argv);

// One Environment= assignment, double-quoted: like an exec word, but "$" is
// left alone because Environment= does not expand variables.
std::string quote_env_assignment(std::string_view name, std::string_view value);

// A value taken verbatim to the end of the line (Description=, User=,
// WorkingDirectory=, …): only specifiers need escaping. The caller makes sure
// it has no control characters.
std::string escape_specifiers(std::string_view value);

// For comments and descriptions: control characters become spaces.
std::string printable(std::string_view value);

// A systemd time span: "10s", "500ms", "1min 30s" style, exact to the µs.
std::string format_timespan(unsigned long long usec);

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
