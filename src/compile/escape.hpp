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

}  // namespace formation
