// The per-process keys: valid in [process.NAME], most in [defaults] and some
// at the top level (the table of settings below says which). Each key's
// handler validates and folds it into a Draft. The keys of the argv and
// environment are read in parse_command_env.cpp, the systemd table in
// parse_raw_lines.cpp, hosts in parse_hosts.cpp.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formation/calendar_252.hpp"
#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation::detail {

namespace {

using Handler = void (*)(Context&, const toml::node&, Draft&);

template <typename T>
void set_int(std::optional<T>& field, Context& c, const toml::node& n, std::string_view key,
             std::int64_t lo, std::int64_t hi) {
    if (auto v = read_int(c, n, key, lo, hi)) field = static_cast<T>(*v);
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

void user(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_user(c, n, "user")) d.pt.user = *v;
}
void group(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_user(c, n, "group")) d.pt.group = *v;
}
void working_directory(Context& c, const toml::node& n, Draft& d) {
    if (auto v = read_path(c, n, "working_directory")) d.pt.working_directory = *v;
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
    if (const auto* b = n.as_boolean()) {
        d.pt.socket = b->get() ? SocketMode::per_instance : SocketMode::none;
        return;
    }
    const auto* str = n.as_string();
    if (str && str->get() == "shared") {
        d.pt.socket = SocketMode::shared;
        return;
    }
    c.error(n, "socket must be true (a socket per instance, each on its own port), \"shared\" (one socket on port "
               "that every instance accepts from) or false (got " + describe(n) + ")");
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

// What may follow GET: an absolute path with an optional query, printable
// ASCII without spaces (nothing that could end the request line).
bool valid_health_path(std::string_view p) {
    if (p.empty() || p.front() != '/' || p.size() > 1024) return false;
    return std::all_of(p.begin(), p.end(), [](char ch) { return ch > ' ' && ch < 0x7f; });
}

void health_path(Context& c, const toml::node& n, HealthCheck& h) {
    auto v = read_string(c, n, "health path");
    if (!v) return;
    if (!valid_health_path(*v)) {
        c.error(n, "health path must start with \"/\" and hold printable ASCII without spaces, at most 1024 "
                   "bytes (got " + quoted(*v) + ")");
        return;
    }
    h.path = *v;
}

// on_failure = "shell line", ["argv", …] or false (off for this type).
void on_failure(Context& c, const toml::node& n, Draft& d) {
    d.pt.on_failure_where = c.pos(n.source());
    if (const auto* b = n.as_boolean()) {
        if (!b->get()) {
            d.pt.on_failure.reset();
            return;
        }
        c.error(n, "on_failure must be a command (a shell line or an array of strings), or false to turn it off; "
                   "true says nothing to run");
        return;
    }
    Draft scratch;
    const std::size_t before = c.diagnostics.size();
    command_setting(c, n, scratch);
    // Its messages speak of "command": this one is on_failure.
    for (std::size_t i = before; i < c.diagnostics.size(); ++i) {
        std::string& m = c.diagnostics[i].message;
        if (m.starts_with("command")) m.replace(0, 7, "on_failure");
    }
    if (c.diagnostics.size() == before) d.pt.on_failure = scratch.pt.command;
}

// health = "/healthz" or { path, interval, timeout, failures }.
void health(Context& c, const toml::node& n, Draft& d) {
    d.pt.health_where = c.pos(n.source());
    HealthCheck h;
    if (n.is_string()) {
        health_path(c, n, h);
        d.pt.health = h;
        return;
    }
    const auto* t = n.as_table();
    if (!t) {
        c.error(n, "health must be a path (\"/healthz\") or a table { path, interval, timeout, failures } (got " +
                       describe(n) + ")");
        return;
    }
    bool has_path = false, has_timeout = false;
    for (const auto& [key, value] : *t) {
        if (key == "path") {
            has_path = true;
            health_path(c, value, h);
        } else if (key == "interval") {
            auto v = read_duration(c, value, "health interval");
            if (v && (*v < 100000 || *v > 3600 * usec_per_sec))
                c.error(value, "health interval must be between 100ms and 1h (got " + describe(value) + ")");
            else if (v) h.interval_usec = *v;
        } else if (key == "timeout") {
            has_timeout = true;
            auto v = read_duration(c, value, "health timeout");
            if (v && (*v < 10000 || *v > 60 * usec_per_sec))
                c.error(value, "health timeout must be between 10ms and 1min (got " + describe(value) + ")");
            else if (v) h.timeout_usec = *v;
        } else if (key == "failures") {
            if (auto v = read_int(c, value, "health failures", 1, 100)) h.failures = static_cast<unsigned>(*v);
        } else {
            std::string msg = "unknown key " + quoted(std::string(key.str())) + " in health (path, interval, timeout, failures)";
            if (auto s = did_you_mean(key.str(), {"path", "interval", "timeout", "failures"}))
                msg += "; did you mean " + quoted(*s) + "?";
            c.error(key, msg);
        }
    }
    if (!has_path) c.error(n, "health needs a path, e.g. { path = \"/healthz\" }");
    // Not written: 2 s, or the interval when it is shorter.
    if (!has_timeout) h.timeout_usec = std::min(h.timeout_usec, h.interval_usec);
    if (h.timeout_usec > h.interval_usec)
        c.error(n, "health timeout must not exceed its interval (" + std::to_string(h.timeout_usec / 1000) +
                       "ms > " + std::to_string(h.interval_usec / 1000) + "ms)");
    d.pt.health = h;
}

// schedule = "*-*-* 03:00:00": systemd's calendar syntax, checked as
// systemd 252 parses it (calendar_252.hpp); the unit gets its normalized form.
void schedule(Context& c, const toml::node& n, Draft& d) {
    d.pt.schedule_where = c.pos(n.source());
    auto v = read_string(c, n, "schedule");
    if (!v) return;
    // A zone name is judged by its syntax here; whether this host has it
    // is validation's (validation_errors with the host's CalendarZones).
    CalendarZones any_zone;
    any_zone.file_exists = [](std::string_view) { return true; };
    CalendarParse parsed = parse_calendar_252(*v, any_zone);
    if (!parsed.normalized) {
        c.error(n, "schedule " + quoted(*v) + " is not a calendar event systemd accepts: " + parsed.error +
                       " (systemd.time(7), e.g. \"*-*-* 03:00:00\", \"Mon..Fri 09:00\", \"hourly\")");
        return;
    }
    d.schedule.written = *v;
    d.schedule.calendar = *parsed.normalized;
    d.has_schedule = true;
}

void persistent(Context& c, const toml::node& n, Draft& d) {
    d.persistent_where = c.pos(n.source());
    const auto* b = n.as_boolean();
    if (!b) {
        c.error(n, "persistent must be true or false (got " + describe(n) + ")");
        return;
    }
    d.schedule.persistent = b->get();
}

void random_delay(Context& c, const toml::node& n, Draft& d) {
    d.random_delay_where = c.pos(n.source());
    auto v = read_duration(c, n, "random_delay");
    if (v && *v > 7 * 24 * 3600 * usec_per_sec)
        c.error(n, "random_delay must be at most 7d (got " + describe(n) + ")");
    else if (v) d.schedule.random_delay_usec = *v;
}

void timeout(Context& c, const toml::node& n, Draft& d) {
    d.timeout_where = c.pos(n.source());
    auto v = read_duration(c, n, "timeout");
    if (v && (*v < usec_per_sec || *v > 7 * 24 * 3600 * usec_per_sec))
        c.error(n, "timeout must be between 1s and 7d (got " + describe(n) + ")");
    else if (v) d.schedule.timeout_usec = *v;
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

struct Setting {
    std::string_view name;
    Handler handler;
    bool app_level;    // also valid at the top level of the file
    bool in_defaults;  // valid in [defaults]
};

constexpr std::array<Setting, 39> settings{{
    {"command", command_setting, false, false},
    {"count", count, false, true},
    {"port", port, false, false},
    {"env", env_setting, true, true},
    {"env_files", env_files_setting, true, true},
    {"user", user, true, true},
    {"group", group, true, true},
    {"working_directory", working_directory, true, true},
    {"shell", shell_setting, true, true},
    {"instance_env", instance_env_setting, true, true},
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
    {"health", health, false, false},
    {"on_failure", on_failure, true, false},
    {"schedule", schedule, false, false},
    {"persistent", persistent, false, false},
    {"random_delay", random_delay, false, false},
    {"timeout", timeout, false, false},
    {"memory_max", memory_max, false, true},
    {"cpu_quota", cpu_quota, false, true},
    {"cpu_weight", cpu_weight, false, true},
    {"tasks_max", tasks_max, false, true},
    {"nofile", nofile, false, true},
    {"nice", nice, false, true},
    {"hardening", hardening, false, true},
    {"writable_paths", writable_paths, false, true},
    {"systemd", systemd_setting, false, true},
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

namespace {

// The keys of a long-running type that a scheduled one has no use for.
constexpr std::array<std::string_view, 12> not_scheduled{
    "count", "port", "socket", "ready", "health", "reload_signal", "restart", "restart_delay",
    "start_limit_burst", "start_limit_interval", "start_timeout", "min_ready"};

// schedule: the keys that only make sense with it, and those that make
// none with it. Written in [process.X] they are refused; from [defaults]
// they do not apply, so they are put back to what a run needs.
void finish_schedule(Context& c, const toml::table& table, Draft& d) {
    ProcessType& pt = d.pt;
    const std::string label = "[process." + pt.name + "]";
    if (!d.has_schedule) {
        for (auto [name, where] : {std::pair{"persistent", &d.persistent_where},
                                   std::pair{"random_delay", &d.random_delay_where},
                                   std::pair{"timeout", &d.timeout_where}})
            if (where->line)
                c.error(*where, std::string(name) + " needs schedule in " + label +
                                    ": it is a setting of a scheduled type");
        return;
    }
    for (const auto& [key, value] : table) {
        const auto name = key.str();
        if (std::find(not_scheduled.begin(), not_scheduled.end(), name) == not_scheduled.end()) continue;
        if (name == "count")
            c.error(key, "count does not apply to " + label + ", a scheduled type: its timer starts one run at a time "
                         "(`formation start " + pt.name + "` runs it now)");
        else
            c.error(key, std::string(name) + " does not apply to " + label +
                             ", a scheduled type: each run is one process that runs to its end");
    }
    if (is_taken_scheduled_name(pt.name))
        c.error(pt.schedule_where, "a scheduled type cannot be named \"" + pt.name + "\": its run unit would be APP-" +
                                       pt.name + ".service, a name formation keeps for its own units");
    pt.schedule = d.schedule;
    pt.count = 0;
    pt.port.reset();
    pt.socket = SocketMode::none;
    pt.ready = Readiness::simple;
    pt.health.reset();
    pt.reload_signal.reset();
    pt.restart = RestartPolicy::no;
}

}  // namespace

void finish_process(Context& c, const toml::table& table, Draft& d) {
    ProcessType& pt = d.pt;
    const std::string label = "[process." + pt.name + "]";
    finish_schedule(c, table, d);
    if (pt.command_where.line == 0) c.error(table, label + " has no command");
    if (pt.ready == Readiness::port && !pt.port)
        c.error(d.ready_where.line ? d.ready_where : pt.where, "ready = \"port\" needs port to be set in " + label);
    if (pt.health && !pt.port)
        c.error(pt.health_where, "health needs port to be set in " + label + ": the check asks 127.0.0.1:$PORT");
    if (pt.socket == SocketMode::per_instance && !pt.port)
        c.error(pt.socket_where, "socket = true needs port to be set in " + label +
                                     ": each instance's socket listens on its port");
    if (pt.socket == SocketMode::shared && !pt.port)
        c.error(pt.socket_where, "socket = \"shared\" needs port to be set in " + label +
                                     ": the type's socket listens on it");
    if (pt.socket == SocketMode::shared && pt.ready == Readiness::port)
        c.error(d.ready_where.line ? d.ready_where : pt.socket_where,
                "ready = \"port\" cannot work with socket = \"shared\" in " + label +
                    ": systemd listens on the port before the process does; use ready = \"notify\" with min_ready");
    if (pt.port) {
        if (last_port(pt) > 65535)
            c.error(pt.port_where, "port " + std::to_string(*pt.port) + " with count " + std::to_string(pt.count) +
                                       " runs past 65535 (port + count - 1 must be at most 65535)");
        if (auto it = d.env.find("PORT"); it != d.env.end())
            c.error(it->second.where, "PORT must not be set in env for " + label + ", which sets port: " +
                                          (pt.socket == SocketMode::shared ? "every instance gets PORT = port"
                                                                            : "each instance gets PORT = port + N - 1"));
    }
    for (const char* name : {"FORMATION_APP", "FORMATION_INSTANCE", "FORMATION_HEALTH_SOCKET"})
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