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

// "TERM", "SIGTERM", … → "SIGTERM"; nullopt for a signal we do not accept.
std::optional<std::string> normalize_signal(std::string_view name);

// True when `s` holds a byte below 0x20 or 0x7f.
bool has_control_chars(std::string_view s);

// Edit distance, byte-wise; swapping two neighbours counts as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely
// typo (same letters in another case, or a few edits away); nullopt otherwise.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

// `s` in double quotes with control characters, quotes and backslashes
// escaped, so a hostile key can be shown in a message.
std::string quoted(std::string_view s);

}  // namespace formation
