// Shared between the parser's files (parse*.cpp) and count_edit.cpp; not a
// public header. Reading a value reports what is wrong with it and returns
// nullopt, so the parser goes on and collects every problem in one run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation::detail {

struct Context {
    std::string path;
    std::vector<Diagnostic> diagnostics;

    SourcePos pos(const toml::source_region& r) const {
        return SourcePos{path, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
    }
    void error(const toml::node& at, std::string message) { diagnostics.push_back({pos(at.source()), std::move(message)}); }
    void error(const toml::key& at, std::string message) { diagnostics.push_back({pos(at.source()), std::move(message)}); }
    void error(SourcePos at, std::string message) { diagnostics.push_back({std::move(at), std::move(message)}); }
};

// toml++'s parse with the 1 MiB limit; syntax errors become FormationError.
toml::table parse_toml(std::string_view text, const std::string& path);

// "string \"three\"", "integer 3", "array", … for "(got …)" in messages.
std::string describe(const toml::node& n);

// Each reports a precise error naming `key` and returns nullopt on failure.
std::optional<std::string> read_string(Context& c, const toml::node& n, std::string_view key);
std::optional<std::int64_t> read_int(Context& c, const toml::node& n, std::string_view key,
                                     std::int64_t lo, std::int64_t hi);
std::optional<std::uint64_t> read_duration(Context& c, const toml::node& n, std::string_view key);
std::optional<std::string> read_choice(Context& c, const toml::node& n, std::string_view key,
                                       const std::vector<std::string_view>& choices);
// An absolute path without control characters; a leading "-" (optional
// file, as in EnvironmentFile=) when allow_dash.
std::optional<std::string> read_path(Context& c, const toml::node& n, std::string_view key,
                                     bool allow_dash = false);
std::optional<std::vector<std::string>> read_path_array(Context& c, const toml::node& n,
                                                        std::string_view key, bool allow_dash = false);
std::optional<std::string> read_user(Context& c, const toml::node& n, std::string_view key);

// A process type being assembled, with positions the model does not keep.
struct Draft {
    ProcessType pt;
    std::map<std::string, EnvEntry> env;  // by name, as written (before merging)
    SourcePos ready_where;
    // A scheduled type's keys, in any order; finish_process assembles them.
    Schedule schedule;
    bool has_schedule = false;
    SourcePos persistent_where, random_delay_where, timeout_where;
};

// "[process.web.systemd]", or "[defaults.systemd]" while reading defaults.
inline std::string table_label(const Draft& d, std::string_view sub) {
    return (d.pt.name.empty() ? "[defaults." : "[process." + d.pt.name + ".") + std::string(sub) + "]";
}

enum class Scope { app, defaults, process };

// Applies one setting key (any per-process key, or user/group/
// working_directory/env_files/env at app level). Returns false when the key
// is not a setting at all, so the caller can report it as unknown.
bool apply_setting(Context& c, const toml::key& key, const toml::node& value, Scope scope, Draft& d);

// Names a setting key may have in `scope`, for "did you mean".
std::vector<std::string_view> setting_names(Scope scope);

// Every key the top level of a file may hold: app, description, defaults,
// process, and the settings valid there.
std::vector<std::string_view> top_level_names();

// The settings of the process's argv and environment (parse_command_env.cpp):
// command, shell, env, env_files, instance_env.
void command_setting(Context& c, const toml::node& n, Draft& d);
void shell_setting(Context& c, const toml::node& n, Draft& d);
void env_setting(Context& c, const toml::node& n, Draft& d);
void env_files_setting(Context& c, const toml::node& n, Draft& d);
void instance_env_setting(Context& c, const toml::node& n, Draft& d);

// The escape hatch (parse_raw_lines.cpp): the `systemd` setting, its raw
// lines each checked alone; the keys of its table, "Unit" and "Service"; and
// the checks of the lines against the merged process type, for
// finish_process.
void systemd_setting(Context& c, const toml::node& n, Draft& d);
std::vector<std::string_view> raw_section_names();
void check_raw_lines(Context& c, const ProcessType& pt);

// Checks that need the whole merged process; fills env/env_where sorted.
void finish_process(Context& c, const toml::table& table, Draft& d);

// `unknown key "x" in [label]; did you mean "y"?`; returns the suggestion.
std::optional<std::string> unknown_key(Context& c, const toml::key& key, std::string_view label,
                 const std::vector<std::string_view>& candidates);

// [hosts] (parse_hosts.cpp): the `hosts` setting of a process type; the
// [hosts.NAME] tables, placement and per-host port checks, and `host =`
// (which leaves `f` as that host's share). Ports of types that share a
// host must not overlap: check_ports.
void hosts_setting(Context& c, const toml::node& n, Draft& d);
void read_hosts(Context& c, const toml::node* hosts, const toml::node* host, const toml::node* processes, Formation& f);
std::vector<std::string_view> host_key_names();
void check_ports(Context& c, const Formation& f);

}  // namespace formation::detail
