// The formation model: what a formation.toml says, fully resolved.
// App-level settings and [defaults] are folded into every process type by the
// parser, so the compiler reads one ProcessType and needs nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace formation {

// Where a value came from; line and column are 1-based, 0 when unknown.
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
};

enum class RestartPolicy { always, on_failure, no };
enum class Readiness { simple, notify, port };
enum class Hardening { none, standard, strict };  // "default" in TOML is standard

struct Command {
    bool shell = true;              // true: a Procfile-style line run by /bin/sh
    std::string line;               // the shell line, when shell
    std::vector<std::string> argv;  // the words, exec'd directly, when !shell
};

// Ordered by name, unique names.
using Environment = std::vector<std::pair<std::string, std::string>>;

// A variable as a file sets it (formation.toml's env, a .env line), with the
// place that set it (the last one, when set twice).
struct EnvEntry {
    std::string name;
    std::string value;
    SourcePos where;
};

// `health`: an HTTP GET of path on 127.0.0.1:$PORT; 2xx/3xx is healthy.
// It gates readiness (a start counts once a check passes; `failures` bad
// answers in a row fail it) and then liveness (checked every interval;
// `failures` failed checks in a row restart the instance).
struct HealthCheck {
    std::string path = "/";                   // absolute, printable ASCII, no spaces
    std::uint64_t interval_usec = 5000000;    // between checks of a running instance
    std::uint64_t timeout_usec = 2000000;     // per check: connect, send, status line
    unsigned failures = 3;                    // in a row
    bool operator==(const HealthCheck&) const = default;
};

// A raw directive from the escape hatch ([process.X.systemd] Service = [...]).
struct RawDirective {
    std::string section;  // "Unit" or "Service"
    std::string line;     // "Key=value", copied verbatim into the unit
    SourcePos where;      // the string in the formation file
};

constexpr std::uint64_t usec_per_sec = 1000000;

// `schedule`: the type runs on a timer (APP-TYPE.timer starting the oneshot
// APP-TYPE.service) instead of as long-running instances.
struct Schedule {
    std::string calendar;                     // OnCalendar=: systemd's normalized form of what was written
    std::string written;                      // as written, for messages
    bool persistent = false;                  // Persistent=: a run missed while down happens at boot
    std::uint64_t random_delay_usec = 0;      // RandomizedDelaySec=
    std::optional<std::uint64_t> timeout_usec;  // a run's longest time (TimeoutStartSec=); nullopt: none
    bool operator==(const Schedule&) const = default;
};

enum class SocketMode { none, per_instance, shared };

struct ProcessType {
    std::string name;
    SourcePos where;  // the [process.NAME] header

    Command command;
    SourcePos command_where;

    int count = 1;
    SourcePos count_where;  // line 0 when count was not written

    std::optional<int> port;  // instance i gets PORT = port + i - 1 (shared socket: port)
    SourcePos port_where;

    Environment env;                     // app [env] merged with process env
    // Where each env entry's winning value was written, by name, in env's
    // order; lets lint point at the line of an inlined secret.
    std::vector<std::pair<std::string, SourcePos>> env_where;
    std::vector<std::string> env_files;  // EnvironmentFile=, in order

    std::string user, group, working_directory;  // empty: not set

    RestartPolicy restart = RestartPolicy::always;
    std::uint64_t restart_delay_usec = 1 * usec_per_sec;
    unsigned start_limit_burst = 5;
    // Five starts within 10 s: only a process that dies at once is given up on;
    // one that flaps after running a while is restarted for ever.
    std::uint64_t start_limit_interval_usec = 10 * usec_per_sec;
    std::uint64_t stop_timeout_usec = 10 * usec_per_sec;
    std::string stop_signal = "SIGTERM";
    std::uint64_t start_timeout_usec = 30 * usec_per_sec;
    Readiness ready = Readiness::simple;

    std::optional<std::uint64_t> memory_max;  // bytes
    std::optional<unsigned> cpu_quota;        // percent of one CPU
    std::optional<unsigned> cpu_weight;       // 1..10000
    std::optional<unsigned> tasks_max;
    std::optional<unsigned> nofile;           // LimitNOFILE=
    std::optional<int> nice;                  // -20..19

    // `formation reload`: ExecReload= sends this signal to the main process.
    std::optional<std::string> reload_signal;  // normalized, e.g. "SIGHUP"

    // Who listens on the port (needs port): the instance itself (none);
    // systemd, one APP-TYPE@N.socket per instance on its own port
    // (per_instance, `socket = true`); or systemd, one APP-TYPE.socket on
    // `port` that every instance receives (shared, `socket = "shared"`).
    // Sockets reach the process through LISTEN_FDS.
    SocketMode socket = SocketMode::none;
    SourcePos socket_where;
    // A restarted instance must stay ready this long before the next one of
    // a rolling restart goes down (load balancers' health checks see it up).
    std::uint64_t min_ready_usec = 2 * usec_per_sec;

    std::optional<HealthCheck> health;  // needs port
    SourcePos health_where;

    // on_failure: run once when an instance fails for good (systemd gave up
    // restarting it), by APP-TYPE.on-failure@N.service. Set at the top level
    // (every type) or per type; `on_failure = false` turns it off for one.
    std::optional<Command> on_failure;
    SourcePos on_failure_where;

    // A scheduled type has no instances (count is 0): its timer starts one
    // run at a time.
    std::optional<Schedule> schedule;
    SourcePos schedule_where;

    // The [hosts.*] this type runs on; empty: every host (or local, without hosts).
    std::vector<std::string> hosts;
    SourcePos hosts_where;

    // What runs a shell command line: argv before "-c LINE". Default /bin/sh,
    // as a Procfile; e.g. {"/bin/bash", "-l"} for rbenv/nvm/asdf shims.
    std::vector<std::string> shell{"/bin/sh"};
    // Extra variables that, like FORMATION_INSTANCE, hold "TYPE.N" (foreman's
    // PS, Heroku's DYNO).
    std::vector<std::string> instance_env;

    // Ordering: start after network-online.target (and pull it in).
    bool network_online = false;
    // Start after every instance of these process types (and stop before).
    std::vector<std::string> after;
    SourcePos after_where;

    Hardening hardening = Hardening::standard;
    std::vector<std::string> writable_paths;  // ReadWritePaths= wherever hardening restricts writes

    std::vector<RawDirective> raw;
};

// The PORT instance `index` (1..) of a type with a port gets: its own
// (port + index - 1), or with a shared socket the type's one port.
inline int instance_port(const ProcessType& p, int index) {
    return p.socket == SocketMode::shared ? *p.port : *p.port + index - 1;
}
// socket = "shared" with health: each instance also gets a health socket of
// its own (a check on the shared port would reach any instance).
inline bool has_health_socket(const ProcessType& p) { return p.socket == SocketMode::shared && p.health.has_value(); }
// The highest port the type's instances take.
inline int last_port(const ProcessType& p) { return instance_port(p, p.socket == SocketMode::shared ? 1 : std::max(p.count, 1)); }

// [hosts.NAME]: a machine the formation spans, reached over ssh.
struct Host {
    std::string name;
    std::string address;       // an ssh destination: "host" or "user@host"
    std::optional<int> port;   // ssh port; absent: ssh's own default/config
    SourcePos where;           // the [hosts.NAME] header
};

struct Formation {
    std::string source_path;  // as given by the user
    std::string app;
    SourcePos app_where;
    std::string description;
    std::vector<ProcessType> processes;  // ordered by name
    std::vector<Host> hosts;             // ordered by name; empty: this host only

    // App-wide limits on APP.slice, which holds every instance of the app
    // (top-level memory_max/cpu_quota; in [defaults] they are per process).
    std::optional<std::uint64_t> memory_max;
    std::optional<unsigned> cpu_quota;

    // `release`: a one-off run before any instance is restarted (migrations),
    // in the app's context: the app-level and [defaults] settings (env,
    // env_files, user, group, working_directory, shell, hardening, …), its
    // name "release". nullopt: no release phase.
    std::optional<ProcessType> release;
    std::uint64_t release_timeout_usec = 10 * 60 * usec_per_sec;
};

}  // namespace formation
