// How systemd 252 reads the value of a directive (src/core/load-fragment.c
// and the string helpers it calls), for the checks of raw lines in
// directives_252.cpp; not a public header. Each *_problem() says why systemd
// would refuse the unit or drop the line, or nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace formation::detail {

// The specifiers of unit_full_printf() in systemd 252 (src/core/unit-printf.c),
// and the fewer of unit_name_printf(), which unit names in dependencies get.
// Any other letter or digit after "%" fails: the line is ignored, or, in a
// command line, the whole unit is refused.
constexpr std::string_view full_specifiers = "iIjJnNpPfyYcrRCdELStshaAbBHlqmMovwWgGuUTV";
constexpr std::string_view name_specifiers = "ijnNpaAbBHlqmMovwWgGuU";

// The first "%X" in `s` that systemd would fail on, `known` being the
// specifiers the directive takes.
std::optional<std::string> bad_specifier(std::string_view s, std::string_view known);

// config_parse_exec() of systemd 252, and service_verify()'s check of each
// command: commands separated by a lone ";", each an optional run of the
// prefixes "-@:+!", a program that is an absolute path or a file name (no
// quotes, backslashes or control characters, not ending in "/"), and its
// arguments. A "-" prefix makes a bad command ignored with a warning
// instead of refusing the unit: both are refused here.
std::optional<std::string> exec_problem(std::string_view value);

// RootDirectory=, RootImage=, RootVerity=: as path_simplify_and_warn() takes them.
std::optional<std::string> root_path_problem(std::string_view value);

// PIDFile=: relative to /run, then as root_path_problem().
std::optional<std::string> pid_file_problem(std::string_view value);

// DynamicUser=: parse_boolean().
std::optional<std::string> boolean_problem(std::string_view value);

// SupplementaryGroups=: words that are group names.
std::optional<std::string> groups_problem(std::string_view value);

// Environment= (NAME=value words, when `assignments`) or PassEnvironment=
// (names): none that systemd or formation sets.
std::optional<std::string> names_problem(std::string_view value, bool assignments);

}  // namespace formation::detail
