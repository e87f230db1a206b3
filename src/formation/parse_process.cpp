// The per-process keys: valid in [process.NAME] and (all but command and
// port) in [defaults]; user, group, working_directory, env_files and env also
// at the top level. Each key's handler validates and folds it into a Draft.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation::detail {

namespace {

using Handler = void (*)(Context&, const toml::node&, Draft&);

// "[process.web.systemd]", or "[defaults.systemd]" while reading defaults.
std::string table_label(const Draft& d, std::string_view sub) {
    return (d.pt.name.empty() ? "[defaults." : "[process." + d.pt.name + ".") + std::string(sub) + "]";
}

template <typename T>
void set_int(std::optional<T>& field, Context& c, const toml::node& n, std::string_view key,
             std::int64_t lo, std::int64_t hi) {
    if (auto v = read_int(c, n, key, lo, hi)) field = static_cast<T>(*v);
}

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

void command(Context& c, const toml::node& n, Draft& d) {
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

void count(Context& c, const toml::node& n, Draft& d) {
    d.pt.count_where = c.pos(n.source());
    if (auto v = read_int(c, n, "count", 0, 1000)) d.pt.count = static_cast<int>(*v);
}

void port(Context& c, const toml::node& n, Draft& d) {
    d.pt.port_where = c.pos(n.source());
    const auto* i = n.as_integer();
    if (!i) {
        c.error(n, "port must be an integer (got " + describe(n) + ")");
    } else if (i->get() < 1 || i->get() > 65535) {
        c.error(n, "port must be between 1 and 65535 (got " + std::to_string(i->get()) + ")");
    } else {
        d.pt.port = static_cast<int>(i->get());
    }
}

std::optional<std::string> env_value(Context& c, const toml::node& n, std::string_view name) {
    std::string key = "env " + std::string(name);
    if (n.is_string()) return read_string(c, n, key);
    if (const auto* i = n.as_integer()) return std::to_string(i->get());
    if (const auto* b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
    c.error(n, key + " must be a string, integer or boolean (got " + describe(n) + ")");
    return std::nullopt;
}

void env(Context& c, const toml::node& n, Draft& d) {
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
        d.env[std::string(k.str())] = {std::move(*value), c.pos(k.source())};
    }
}

void env_files(Context& c, const toml::node& n, Draft& d) {
    auto paths = read_path_array(c, n, "env_files", true);
    if (!paths) return;
    // Later scopes add to the list: a type's own secrets come after shared ones.
    std::set<std::string> seen(d.pt.env_files.begin(), d.pt.env_files.end());
    for (auto& p : *paths)
        if (seen.insert(p).second) d.pt.env_files.push_back(std::move(p));
}

void user(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_user(c, n, "user")) d.pt.user = *v;
}
void group(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_user(c, n, "group")) d.pt.group = *v;
}
void working_directory(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_path(c, n, "working_directory")) d.pt.working_directory = *v;
}

// "/bin/bash -l" (words split on spaces) or ["/bin/bash", "-l"].
void shell(Context& c, const toml::node& n, Draft& d) {
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

void instance_env(Context& c, const toml::node& n, Draft& d) {
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

void network_online(Context& c, const toml::node& n, Draft& d) {
    const auto* b = n.as_boolean();
    if (!b) {
        c.error(n, "network_online must be true or false (got " + describe(n) + ")");
        return;
    }
    d.pt.network_online = b->get();
}

void after(Context& c, const toml::node& n, Draft& d) {
    d.pt.after_where = c.pos(n.source());
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, "after must be an array of process type names, e.g. [\"migrate\"] (got " + describe(n) + ")");
        return;
    }
    std::vector<std::string> names;
    for (const auto& item : *arr) {
        auto name = read_string(c, item, "after");
        if (!name) return;
        if (!is_valid_type_name(*name)) {
            c.error(item, "after: " + quoted(*name) + " is not a process type name");
            return;
        }
        if (std::find(names.begin(), names.end(), *name) == names.end()) names.push_back(std::move(*name));
    }
    d.pt.after = std::move(names);
}

void restart(Context& c, const toml::node& n, Draft& d) {
    auto v = read_choice(c, n, "restart", {"always", "on-failure", "no"});
    if (!v) return;
    d.pt.restart = *v == "always" ? RestartPolicy::always
                   : *v == "no"   ? RestartPolicy::no
                                  : RestartPolicy::on_failure;
}

void restart_delay(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_duration(c, n, "restart_delay")) d.pt.restart_delay_usec = *v;
}
void start_limit_burst(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_int(c, n, "start_limit_burst", 1, 1000)) d.pt.start_limit_burst = static_cast<unsigned>(*v);
}
void start_limit_interval(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_duration(c, n, "start_limit_interval")) d.pt.start_limit_interval_usec = *v;
}
void start_timeout(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_duration(c, n, "start_timeout")) d.pt.start_timeout_usec = *v;
}

void stop_timeout(Context& c, const toml::node& n, Draft& d) {
    auto v = read_duration(c, n, "stop_timeout");
    if (!v) return;
    if (*v < 1000 || *v > 3600 * usec_per_sec) {
        c.error(n, "stop_timeout must be between 1ms and 1h (got " + describe(n) + ")");
        return;
    }
    d.pt.stop_timeout_usec = *v;
}

void stop_signal(Context& c, const toml::node& n, Draft& d) {
    auto s = read_string(c, n, "stop_signal");
    if (!s) return;
    if (auto sig = normalize_signal(*s)) {
        d.pt.stop_signal = *sig;
    } else {
        c.error(n, "stop_signal must be one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, "
                   "SIGWINCH, SIGKILL (got " + quoted(*s) + ")");
    }
}

void reload_signal(Context& c, const toml::node& n, Draft& d) {
    auto s = read_string(c, n, "reload_signal");
    if (!s) return;
    auto sig = normalize_signal(*s);
    if (sig && *sig != "SIGKILL") {
        d.pt.reload_signal = *sig;
    } else {
        c.error(n, "reload_signal must be one of SIGHUP, SIGUSR1, SIGUSR2, SIGINT, SIGQUIT, SIGTERM, SIGWINCH "
                   "(got " + quoted(*s) + ")");
    }
}

void socket(Context& c, const toml::node& n, Draft& d) {
    d.pt.socket_where = c.pos(n.source());
    const auto* b = n.as_boolean();
    if (!b) {
        c.error(n, "socket must be true or false (got " + describe(n) + ")");
        return;
    }
    d.pt.socket = b->get();
}

void min_ready(Context& c, const toml::node& n, Draft& d) {
    auto v = read_duration(c, n, "min_ready");
    if (!v) return;
    if (*v > 3600 * usec_per_sec) {
        c.error(n, "min_ready must be at most 1h (got " + describe(n) + ")");
        return;
    }
    d.pt.min_ready_usec = *v;
}

void ready(Context& c, const toml::node& n, Draft& d) {
    d.ready_where = c.pos(n.source());
    auto v = read_choice(c, n, "ready", {"simple", "notify", "port"});
    if (!v) return;
    d.pt.ready = *v == "simple" ? Readiness::simple : *v == "notify" ? Readiness::notify : Readiness::port;
}

void memory_max(Context& c, const toml::node& n, Draft& d) {
    if (n.is_integer()) return set_int(d.pt.memory_max, c, n, "memory_max", 1, INT64_MAX);
    const auto* s = n.as_string();
    auto bytes = s ? parse_size(s->get()) : std::nullopt;
    if (!bytes || *bytes == 0) {
        c.error(n, "memory_max must be a number of bytes or a size such as \"512M\", \"1G\" (got " +
                       describe(n) + ")");
        return;
    }
    d.pt.memory_max = *bytes;
}

void cpu_quota(Context& c, const toml::node& n, Draft& d) {
    if (n.is_integer()) return set_int(d.pt.cpu_quota, c, n, "cpu_quota", 1, 100000);
    const auto* s = n.as_string();
    std::string_view text = s ? std::string_view(s->get()) : std::string_view();
    std::uint64_t percent = 0;
    bool ok = text.size() >= 2 && text.size() <= 7 && text.back() == '%';
    for (std::size_t i = 0; ok && i + 1 < text.size(); ++i) {
        ok = text[i] >= '0' && text[i] <= '9';
        percent = percent * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    if (!ok || percent < 1 || percent > 100000) {
        c.error(n, "cpu_quota must be a percentage of one CPU between 1 and 100000, e.g. 150 or \"150%\" (got " +
                       describe(n) + ")");
        return;
    }
    d.pt.cpu_quota = static_cast<unsigned>(percent);
}

void cpu_weight(Context& c, const toml::node& n, Draft& d) { set_int(d.pt.cpu_weight, c, n, "cpu_weight", 1, 10000); }
void tasks_max(Context& c, const toml::node& n, Draft& d) { set_int(d.pt.tasks_max, c, n, "tasks_max", 1, 4194304); }
void nofile(Context& c, const toml::node& n, Draft& d) { set_int(d.pt.nofile, c, n, "nofile", 1, 1048576); }
void nice(Context& c, const toml::node& n, Draft& d) { set_int(d.pt.nice, c, n, "nice", -20, 19); }

void hardening(Context& c, const toml::node& n, Draft& d) {
    auto v = read_choice(c, n, "hardening", {"none", "default", "strict"});
    if (!v) return;
    d.pt.hardening = *v == "none" ? Hardening::none : *v == "strict" ? Hardening::strict : Hardening::standard;
}

void writable_paths(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_path_array(c, n, "writable_paths")) d.pt.writable_paths = std::move(*v);
}

void raw_section(Context& c, const toml::key& section, const toml::node& n, std::vector<RawDirective>& out) {
    const std::string label = "systemd." + std::string(section.str());
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, label + " must be an array of \"Key=value\" strings (got " + describe(n) + ")");
        return;
    }
    for (const auto& item : *arr) {
        auto line = read_string(c, item, label);
        if (!line) continue;
        auto eq = line->find('=');
        if (eq == std::string::npos || !is_valid_directive_key(std::string_view(*line).substr(0, eq))) {
            c.error(item, label + " entries must look like \"Key=value\" with Key in [A-Z][A-Za-z0-9]* (got " +
                              quoted(*line) + ")");
        } else if (has_control_chars(*line)) {
            c.error(item, label + " entries must not contain control characters such as newlines (got " +
                              quoted(*line) + ")");
        } else if (line->back() == '\\') {
            c.error(item, label + " entries must not end with a backslash, which systemd reads as a line "
                                  "continuation, joining the next generated line (got " + quoted(*line) + ")");
        } else if (std::string_view key = std::string_view(*line).substr(0, eq);
                   !is_known_directive(section.str(), key)) {
            c.error(item, label + ": " + quoted(key) + " is not a [" + std::string(section.str()) +
                              "] directive systemd 252 knows; it would ignore the line");
        } else if (auto problem = raw_line_problem(section.str(), key, std::string_view(*line).substr(eq + 1))) {
            c.error(item, label + ": " + *problem);
        } else {
            out.push_back({std::string(section.str()), std::move(*line), c.pos(item.source())});
        }
    }
}

// The escape hatch: raw directives copied verbatim. A process's own table
// replaces the one from [defaults], like every other key.
void systemd(Context& c, const toml::node& n, Draft& d) {
    const auto* t = n.as_table();
    if (!t) {
        c.error(n, "systemd must be a table with Unit and/or Service arrays (got " + describe(n) + ")");
        return;
    }
    std::vector<RawDirective> raw;
    for (const auto& [k, v] : *t) {
        const auto sections = raw_section_names();
        if (std::find(sections.begin(), sections.end(), k.str()) != sections.end()) raw_section(c, k, v, raw);
        else unknown_key(c, k, "in " + table_label(d, "systemd") + " (only Unit and Service)", sections);
    }
    // toml++ iterates keys sorted; put Unit first, keeping file order within each.
    std::stable_sort(raw.begin(), raw.end(), [](const RawDirective& a, const RawDirective& b) {
        return a.section == "Unit" && b.section != "Unit";
    });
    d.pt.raw = std::move(raw);
}

// What a raw line cannot say alone: with formation's own lines and the
// type's other raw lines (the last assignment of a key wins, an empty one
// clears a list). Each refusal is one systemd would make at load time, or a
// line that takes away what a formation key wrote.
void check_raw_lines(Context& c, const ProcessType& pt) {
    const std::string label = "[process." + pt.name + "]";
    std::map<std::string, const RawDirective*> last;  // "Service.KillMode" → its last line
    std::map<std::string, std::set<std::string>> deps;  // "OnFailure" → units
    auto value_of = [](const RawDirective& r) { return std::string_view(r.line).substr(r.line.find('=') + 1); };
    for (const auto& r : pt.raw) {
        const std::string key = r.line.substr(0, r.line.find('='));
        const std::string_view value = value_of(r);
        last[r.section + "." + key] = &r;
        if (r.section == "Service" && value.empty() && key == "ExecStartPost" && pt.ready == Readiness::port)
            c.error(r.where, "an empty ExecStartPost= clears the port check formation writes for ready = \"port\" in " +
                                 label);
        if (r.section == "Service" && value.empty() && key == "ExecReload" && pt.reload_signal)
            c.error(r.where, "an empty ExecReload= clears the line reload_signal writes in " + label +
                                 ", so formation reload could no longer reload it");
        if (r.section == "Service" && key == "Environment") {
            for (const auto& name : raw_environment_names(value)) {
                if (name == "PORT" && pt.port)
                    c.error(r.where, "PORT must not be set by a raw Environment= for " + label +
                                         ", which sets port: each instance gets PORT = port + N - 1");
                if (std::find(pt.instance_env.begin(), pt.instance_env.end(), name) != pt.instance_env.end())
                    c.error(r.where, name + " must not be set by a raw Environment= for " + label +
                                         ": instance_env gives it each instance's name (" + pt.name + ".N)");
            }
        }
        if (r.section == "Unit" && (key == "OnFailure" || key == "OnSuccess")) {
            std::string_view rest = value;
            while (!rest.empty()) {
                auto start = rest.find_first_not_of(" \t");
                if (start == std::string_view::npos) break;
                auto end = rest.find_first_of(" \t", start);
                deps[key].insert(std::string(rest.substr(start, end == std::string_view::npos ? end : end - start)));
                rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
            }
        }
    }
    auto value_at = [&](const std::string& k) -> std::optional<std::string_view> {
        auto it = last.find(k);
        if (it == last.end()) return std::nullopt;
        return value_of(*it->second);
    };
    // service_verify(): PAM needs the stop signal to reach every process.
    auto kill = value_at("Service.KillMode");
    auto pam = value_at("Service.PAMName");
    if (pam && !pam->empty() && kill && (*kill == "process" || *kill == "none"))
        c.error(last["Service.KillMode"]->where,
                "KillMode=" + std::string(*kill) + " with PAMName=: systemd refuses a unit with PAM unless KillMode= "
                "is control-group or mixed, which formation writes");
    // unit_load(): "isolate" starts one unit and stops every other.
    for (const char* dep : {"OnFailure", "OnSuccess"}) {
        std::string mode_key = std::string("Unit.") + dep + "JobMode";
        auto mode = value_at(mode_key);
        if (mode && *mode == "isolate" && deps[dep].size() > 1)
            c.error(last[mode_key]->where, std::string(dep) + "JobMode=isolate with more than one " + dep +
                                               "= unit: systemd refuses the unit (isolate starts exactly one)");
    }
    auto extra = value_at("Service.RuntimeRandomizedExtraSec");
    auto max = value_at("Service.RuntimeMaxSec");
    if (extra && !extra->empty() && (!max || max->empty() || *max == "infinity"))
        c.error(last["Service.RuntimeRandomizedExtraSec"]->where,
                "RuntimeRandomizedExtraSec= does nothing without RuntimeMaxSec= (systemd ignores it with a warning)");
}

struct Setting {
    std::string_view name;
    Handler handler;
    bool app_level;    // also valid at the top level of the file
    bool in_defaults;  // valid in [defaults]
};

constexpr std::array<Setting, 33> settings{{
    {"command", command, false, false},
    {"count", count, false, true},
    {"port", port, false, false},
    {"env", env, true, true},
    {"env_files", env_files, true, true},
    {"user", user, true, true},
    {"group", group, true, true},
    {"working_directory", working_directory, true, true},
    {"shell", shell, true, true},
    {"instance_env", instance_env, true, true},
    {"network_online", network_online, true, true},
    {"after", after, false, false},
    {"restart", restart, false, true},
    {"restart_delay", restart_delay, false, true},
    {"start_limit_burst", start_limit_burst, false, true},
    {"start_limit_interval", start_limit_interval, false, true},
    {"stop_timeout", stop_timeout, false, true},
    {"stop_signal", stop_signal, false, true},
    {"start_timeout", start_timeout, false, true},
    {"ready", ready, false, true},
    {"reload_signal", reload_signal, false, true},
    {"socket", socket, false, false},
    {"min_ready", min_ready, false, true},
    {"memory_max", memory_max, false, true},
    {"cpu_quota", cpu_quota, false, true},
    {"cpu_weight", cpu_weight, false, true},
    {"tasks_max", tasks_max, false, true},
    {"nofile", nofile, false, true},
    {"nice", nice, false, true},
    {"hardening", hardening, false, true},
    {"writable_paths", writable_paths, false, true},
    {"systemd", systemd, false, true},
    {"hosts", hosts_setting, false, false},
}};

bool allowed(const Setting& s, Scope scope) {
    switch (scope) {
        case Scope::app: return s.app_level;
        case Scope::defaults: return s.in_defaults;
        case Scope::process: return true;
    }
    return false;
}

}  // namespace

std::vector<std::string_view> raw_section_names() { return {"Unit", "Service"}; }

bool apply_setting(Context& c, const toml::key& key, const toml::node& value, Scope scope, Draft& d) {
    for (const auto& s : settings) {
        if (s.name == key.str() && allowed(s, scope)) {
            s.handler(c, value, d);
            return true;
        }
    }
    return false;
}

std::vector<std::string_view> setting_names(Scope scope) {
    std::vector<std::string_view> names;
    for (const auto& s : settings)
        if (allowed(s, scope)) names.push_back(s.name);
    return names;
}

void finish_process(Context& c, const toml::table& table, Draft& d) {
    ProcessType& pt = d.pt;
    const std::string label = "[process." + pt.name + "]";
    if (pt.command_where.line == 0) c.error(table, label + " has no command");
    if (pt.ready == Readiness::port && !pt.port)
        c.error(d.ready_where.line ? d.ready_where : pt.where, "ready = \"port\" needs port to be set in " + label);
    if (pt.socket && !pt.port)
        c.error(pt.socket_where, "socket = true needs port to be set in " + label +
                                     ": each instance's socket listens on its port");
    if (pt.port) {
        if (*pt.port + pt.count - 1 > 65535)
            c.error(pt.port_where, "port " + std::to_string(*pt.port) + " with count " + std::to_string(pt.count) +
                                       " runs past 65535 (port + count - 1 must be at most 65535)");
        if (auto it = d.env.find("PORT"); it != d.env.end())
            c.error(it->second.where, "PORT must not be set in env for " + label +
                                          ", which sets port: each instance gets PORT = port + N - 1");
    }
    for (const char* name : {"FORMATION_APP", "FORMATION_INSTANCE"})
        if (auto it = d.env.find(name); it != d.env.end())
            c.error(it->second.where, std::string(name) + " must not be set in env: formation sets it for each "
                                                          "instance (see ENVIRONMENT in formation.toml(5))");
    for (const auto& name : pt.instance_env)
        if (auto it = d.env.find(name); it != d.env.end())
            c.error(it->second.where, name + " must not be set in env for " + label +
                                          ": instance_env gives it each instance's name (" + pt.name + ".N)");
    check_raw_lines(c, pt);
    for (auto& [name, entry] : d.env) {  // std::map: sorted by name
        pt.env.emplace_back(name, entry.value);
        pt.env_where.emplace_back(name, entry.where);
    }
    // execve() also refuses argv and environ that together (strings, NULs and
    // one pointer each) exceed a quarter of the stack limit: 2 MiB at the
    // usual 8 MiB. Half of that is kept for systemd's own variables and
    // smaller limits.
    if (pt.command_where.line != 0) {
        constexpr std::size_t max_total = 1024 * 1024;
        std::size_t total = 0;
        const std::vector<std::string> shell_argv{"/bin/sh", "-c", pt.command.line + "exec "};
        for (const auto& w : pt.command.shell ? shell_argv : pt.command.argv) total += w.size() + 1 + sizeof(void*);
        for (const auto& [name, value] : pt.env) total += name.size() + value.size() + 2 + sizeof(void*);
        if (total > max_total)
            c.error(pt.command_where, "command and env of " + label + " are too long together: " +
                                          std::to_string(total) + " bytes for the process's arguments and "
                                          "environment (pointers included); at most 1 MiB");
    }
}

}  // namespace formation::detail
