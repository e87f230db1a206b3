// Small pure helpers for the values a formation file holds: durations, sizes,
// names, signals, and "did you mean" suggestions. No I/O, no toml++.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation {

// "10s", "500ms", "1min 30s", "2h", "1.5s" → microseconds. One or more
// <number><unit> parts, optionally space-separated; units us, ms, s, sec,
// m, min, h, hr, d. nullopt when malformed or beyond 2^64 µs.
std::optional<std::uint64_t> parse_duration(std::string_view text);

// "512M", "1G", "64K", "2T", "4096" → bytes, base 1024 as systemd does.
// nullopt when malformed or beyond 2^64.
std::optional<std::uint64_t> parse_size(std::string_view text);

// [a-z][a-z0-9]*(-[a-z0-9]+)*, at most 64 characters.
bool is_valid_app_name(std::string_view name);

// [a-z][a-z0-9_]*, at most 64 characters. No "-": unit names are
// APP-TYPE@N.service, and a dash-free TYPE keeps apps like "api" and
// "api-gateway" from ever sharing a unit name.
bool is_valid_type_name(std::string_view name);
// Type names a scheduled type cannot have: its run, APP-TYPE.service, would
// be a unit formation names otherwise (APP-health.service, the health
// watcher; APP-TYPE-socket.service, app APP-TYPE's shared-socket holder).
bool is_taken_scheduled_name(std::string_view name);

// [A-Za-z_][A-Za-z0-9_]*
bool is_valid_env_name(std::string_view name);

// systemd's user/group syntax: [A-Za-z_][A-Za-z0-9_.-]* up to 31 characters,
// or a numeric id as systemd's parse_uid() takes it: decimal, no leading
// zero, and neither 65535 nor 4294967295 (uid_is_valid()), which it refuses.
bool is_valid_user_name(std::string_view name);

// Why systemd 252 would not take `path` as the absolute, normalized path it
// is (path_is_absolute(), path_is_normalized(), path_is_valid()): not
// absolute, a "." or ".." component, "//", a component longer than NAME_MAX
// (255 bytes) or PATH_MAX (4096, NUL included) reached. nullopt when fine.
// systemd would log "path is not normalized, ignoring" and drop the setting.
std::optional<std::string> path_problem(std::string_view path);

// Why systemd 252 would refuse `word` as the program of an ExecStart= line
// (config_parse_exec(): string_is_safe(), filename_is_valid() or
// path_is_valid(), no trailing "/"), or would run another program than the
// one named ("$" is written "$$" and not turned back in the path; a leading
// prefix character is read as a flag). nullopt when fine.
std::optional<std::string> program_problem(std::string_view word);

// Whether systemd 252 knows `key` in `section` ("Unit" or "Service") of a
// service unit: the names of its load-fragment-gperf table for [Unit] and
// [Service] (exec, kill and resource-control settings included), less the
// legacy ones it only warns about and ignores.
bool is_known_directive(std::string_view section, std::string_view key);

// A raw directive key: [A-Z][A-Za-z0-9]*
bool is_valid_directive_key(std::string_view key);

// Why the escape hatch refuses the line "key=value" in `section` of a
// service template (a key is_known_directive() knows): a key formation
// writes from one of its own, a name systemd 252 warns is deprecated, or a
// value that makes systemd refuse the unit (a command line it cannot parse,
// an unknown specifier, a path RootDirectory= cannot take, …) or ignore the
// line. nullopt when the line may go in. What depends on the other lines
// of the process type is checked by the parser (parse_raw_lines.cpp).
std::optional<std::string> raw_line_problem(std::string_view section, std::string_view key, std::string_view value);

// The keys of `section` a raw line may have: is_known_directive() less the
// ones raw_line_problem() refuses whatever the value. Each has a line in
// tests/golden/16-raw-keys, which systemd-analyze verify loads.
std::vector<std::string_view> raw_keys_allowed(std::string_view section);

// The variable names an Environment= value assigns ("A=1 \"B=x y\"" → A, B);
// empty when systemd could not split it.
std::vector<std::string> raw_environment_names(std::string_view value);

// Why `name` must not be set in env (nor by a raw Environment= or
// PassEnvironment=): a variable systemd sets for every service process, or
// for some of them, to tell it something (LISTEN_FDS, NOTIFY_SOCKET,
// MAINPID, INVOCATION_ID, USER, RUNTIME_DIRECTORY, …; see systemd.exec(5),
// "Environment Variables in Spawned Processes"). Phrased to follow the
// name: "is set by systemd …". nullopt for any other name, PATH, HOME and
// LANG included.
std::optional<std::string> reserved_env_name(std::string_view name);

// Why `name` cannot carry an instance's name ("web.2") as instance_env:
// a reserved_env_name(), PORT, FORMATION_*, or a variable the shell, the C
// library, the dynamic loader or the locale read as something else (PATH,
// HOME, LD_*, LC_*, XDG_*, …). nullopt when it can.
std::optional<std::string> instance_env_problem(std::string_view name);

// A character that hides text or changes the order it is shown in, where an
// admin reads it (a unit file, systemctl, a terminal): a C1 control
// (U+0080–U+009F), a bidirectional control (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069), a zero-width or invisible character
// (U+200B–U+200D, U+2060–U+2064, U+FEFF), or a line or paragraph separator
// (U+2028, U+2029). Not C0 controls, which has_control_chars() adds.
struct HiddenChar {
    std::size_t index = 0;        // in characters, from 0
    std::uint32_t code_point = 0;
    std::string name;             // "U+202E (right-to-left override)"
};
std::optional<HiddenChar> find_hidden_char(std::string_view utf8);

// "TERM", "SIGTERM", … → "SIGTERM"; nullopt for a signal we do not accept.
std::optional<std::string> normalize_signal(std::string_view name);

// True when `s` holds a byte below 0x20 or 0x7f, or a character
// find_hidden_char() finds (a C1 control, a bidirectional control, …): what
// text formation writes into a unit verbatim must not hold.
bool has_control_chars(std::string_view s);

// Edit distance, byte-wise; swapping two neighbours counts as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely
// typo (same letters in another case, or a few edits away); nullopt otherwise.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

// `s` in double quotes with control characters, quotes and backslashes
// escaped, and find_hidden_char()'s characters as \u202e, so a hostile key
// can be shown in a message.
std::string quoted(std::string_view s);

}  // namespace formation
