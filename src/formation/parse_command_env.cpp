// The keys that become the process's argv and environment: command, shell,
// env, env_files and instance_env, each string bounded by what the kernel
// passes to a process. All but command are also valid in [defaults] and at
// the top level.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation::detail {

namespace {

// The kernel refuses (execve: E2BIG) any argv word or NAME=value environment
// string of MAX_ARG_STRLEN (131072) bytes or more, counting its NUL.
constexpr std::size_t max_exec_string = 131071;
// A shell line becomes one argv word of /bin/sh, maybe with "exec " in front.
constexpr std::size_t max_shell_line = max_exec_string - 5;

std::string too_long(std::string_view what, std::size_t size, std::size_t max) {
    return std::string(what) + " is too long: " + std::to_string(size) + " bytes, and the kernel passes at most " +
           std::to_string(max) + " to a process";
}

void command_array(Context& c, const toml::array& arr, const toml::node& n, Draft& d) {
    if (arr.empty()) {
        c.error(n, "command must not be an empty array");
        return;
    }
    Command cmd{false, {}, {}};
    for (const auto& item : arr) {
        auto word = read_string(c, item, "command");
        if (!word) return;
        if (word->size() > max_exec_string) {
            c.error(item, too_long("command[" + std::to_string(cmd.argv.size()) + "]", word->size(), max_exec_string));
            return;
        }
        cmd.argv.push_back(std::move(*word));
    }
    if (auto problem = program_problem(cmd.argv.front())) {
        std::string shown = cmd.argv.front().size() > 60 ? quoted(cmd.argv.front().substr(0, 60)) + "…"
                                                          : quoted(cmd.argv.front());
        c.error(arr[0], "command[0] must be an absolute path or a program name systemd can execute as "
                        "written: " + shown + " " + *problem);
        return;
    }
    d.pt.command = std::move(cmd);
}

std::optional<std::string> env_value(Context& c, const toml::node& n, std::string_view name) {
    std::string key = "env " + std::string(name);
    if (n.is_string()) return read_string(c, n, key);
    if (const auto* i = n.as_integer()) return std::to_string(i->get());
    if (const auto* b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
    c.error(n, key + " must be a string, integer or boolean (got " + describe(n) + ")");
    return std::nullopt;
}

}  // namespace

void command_setting(Context& c, const toml::node& n, Draft& d) {
    d.pt.command_where = c.pos(n.source());
    if (const auto* arr = n.as_array()) return command_array(c, *arr, n, d);
    if (!n.is_string()) {
        c.error(n, "command must be a string (a shell line) or an array of strings (got " + describe(n) + ")");
        return;
    }
    auto line = read_string(c, n, "command");
    if (!line) return;
    if (line->find_first_not_of(" \t\r\n") == std::string::npos) {
        c.error(n, "command must not be empty");
        return;
    }
    if (line->size() > max_shell_line) {
        c.error(n, too_long("command", line->size(), max_shell_line));
        return;
    }
    d.pt.command = Command{true, std::move(*line), {}};
}

// "/bin/bash -l" (words split on spaces) or ["/bin/bash", "-l"].
void shell_setting(Context& c, const toml::node& n, Draft& d) {
    std::vector<std::string> words;
    if (const auto* arr = n.as_array()) {
        for (const auto& item : *arr) {
            auto w = read_string(c, item, "shell");
            if (!w) return;
            words.push_back(std::move(*w));
        }
    } else if (auto line = read_string(c, n, "shell")) {
        std::size_t at = 0;
        while (at < line->size()) {
            std::size_t start = line->find_first_not_of(' ', at);
            if (start == std::string::npos) break;
            std::size_t end = line->find(' ', start);
            if (end == std::string::npos) end = line->size();
            words.push_back(line->substr(start, end - start));
            at = end;
        }
    } else {
        return;
    }
    if (words.empty() || words.front().empty() || words.front()[0] != '/') {
        c.error(n, "shell must start with the absolute path of a shell, e.g. \"/bin/bash -l\" (got " + describe(n) +
                       ")");
        return;
    }
    if (auto problem = program_problem(words.front())) {
        c.error(n, "shell " + quoted(words.front()) + " " + *problem);
        return;
    }
    for (const auto& w : words) {
        if (w.empty() || has_control_chars(w) || w.size() > 4096) {
            c.error(n, "shell words must be non-empty, at most 4096 bytes, without control characters (got " +
                           quoted(w) + ")");
            return;
        }
        if (w == "-c") {
            c.error(n, "shell must not include \"-c\": formation adds -c and the command line");
            return;
        }
    }
    d.pt.shell = std::move(words);
}

void env_setting(Context& c, const toml::node& n, Draft& d) {
    const auto* t = n.as_table();
    if (!t) {
        c.error(n, "env must be a table of NAME = value (got " + describe(n) + ")");
        return;
    }
    for (const auto& [k, v] : *t) {
        if (!is_valid_env_name(k.str())) {
            c.error(k, "env name " + quoted(k.str()) + " in " + table_label(d, "env") +
                           " is not valid: use letters, digits and \"_\", not starting with a digit");
            continue;
        }
        if (auto why = reserved_env_name(k.str())) {
            c.error(k, "env " + std::string(k.str()) + " " + *why +
                           "; a value here would replace systemd's (see ENVIRONMENT in formation.toml(5))");
            continue;
        }
        auto value = env_value(c, v, k.str());
        if (!value) continue;
        if (k.str().size() + 1 + value->size() > max_exec_string) {
            c.error(v, too_long("env " + std::string(k.str()) + " (NAME=value)", k.str().size() + 1 + value->size(),
                                max_exec_string));
            continue;
        }
        d.env[std::string(k.str())] = {std::string(k.str()), std::move(*value), c.pos(k.source())};
    }
}

void env_files_setting(Context& c, const toml::node& n, Draft& d) {
    auto paths = read_path_array(c, n, "env_files", true);
    if (!paths) return;
    // Later scopes add to the list: a type's own secrets come after shared ones.
    std::set<std::string> seen(d.pt.env_files.begin(), d.pt.env_files.end());
    for (auto& p : *paths)
        if (seen.insert(p).second) d.pt.env_files.push_back(std::move(p));
}

void instance_env_setting(Context& c, const toml::node& n, Draft& d) {
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, "instance_env must be an array of variable names, e.g. [\"PS\"] (got " + describe(n) + ")");
        return;
    }
    std::vector<std::string> names;
    for (const auto& item : *arr) {
        auto name = read_string(c, item, "instance_env");
        if (!name) return;
        if (!is_valid_env_name(*name)) {
            c.error(item, "instance_env " + quoted(*name) +
                              " must be a variable name (letters, digits, \"_\", not starting with a digit)");
            return;
        }
        if (auto why = instance_env_problem(*name)) {
            c.error(item, "instance_env " + quoted(*name) + " cannot carry the instance's name: it " + *why +
                              "; use a name of your own, such as PS or DYNO");
            return;
        }
        if (std::find(names.begin(), names.end(), *name) == names.end()) names.push_back(std::move(*name));
    }
    d.pt.instance_env = std::move(names);
}

}  // namespace formation::detail
