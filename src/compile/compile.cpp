#include "compile/compile.hpp"

#include <algorithm>
#include <map>

#include "compile/directives.hpp"
#include "compile/escape.hpp"
#include "compile/fill.hpp"
#include "unit_templates.hpp"

namespace formation {

namespace {

// The formation file named in each unit's header; SourcePath= only when the
// file is on the host the units run on (an ops tree's is not).
std::string source_name(const CompileOptions& options) {
    return escape_specifiers(printable(options.source_name.empty() ? options.source_path : options.source_name));
}
std::string source_path_line(const CompileOptions& options) {
    if (options.source_path.empty()) return {};
    return "SourcePath=" + escape_specifiers(printable(options.source_path)) + "\n";
}

// Every unit names its formation file: in its header (SOURCE) and, on the
// host the file is on, in SourcePath= (SOURCE_PATH).
std::string fill_unit(std::string_view tpl, std::map<std::string, std::string> vars, const CompileOptions& options) {
    vars.emplace("SOURCE", source_name(options));
    vars.emplace("SOURCE_PATH", source_path_line(options));
    return fill_template(tpl, vars);
}

// The lines of a unit file that configure the service: not comments, not
// Description=, SourcePath= nor After= (they change no process; ordering
// against another type's instances changes whenever that type scales).
std::string service_config(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
        text.remove_prefix(line.size());
        if (line.starts_with("#") || line.starts_with("Description=") || line.starts_with("SourcePath=") ||
            line.starts_with("After="))
            continue;
        out += line;
    }
    return out;
}

std::string description(const Formation& f) {
    return escape_specifiers(printable(f.description.empty() ? f.app : f.description));
}

// With a socket, each instance needs its own: started before it, and a
// service stopped with its socket (the socket outlives service restarts).
// A shared socket: every instance needs it (Requires=: an instance never
// binds the port itself when the socket cannot listen) and is one of the
// units it hands its descriptor to (Sockets=).
// With health, a shared type's instance also needs its own health socket.
std::string socket_dependencies(const Formation& f, const ProcessType& p) {
    if (p.socket == SocketMode::none) return {};
    std::string s = p.socket == SocketMode::shared ? shared_socket_name(f.app, p.name)
                                                   : socket_name_in_template(f.app, p.name);
    if (has_health_socket(p)) s += " " + socket_name_in_template(f.app, p.name);
    return "Requires=" + s + "\nAfter=" + s + "\n";
}

// What a shared socket adds to the service: the socket, and one PORT for
// every instance (so no drop-in per instance); with health, the instance's
// health socket and its path. systemd passes the two in an order of its
// own; `formation guard` puts the shared one first (descriptor 3).
std::string shared_socket_service(const Formation& f, const ProcessType& p) {
    if (p.socket != SocketMode::shared) return {};
    std::string sockets = shared_socket_name(f.app, p.name);
    std::string env = "Environment=PORT=" + std::to_string(*p.port) + "\n";
    if (has_health_socket(p)) {
        sockets += " " + socket_name_in_template(f.app, p.name);
        env += "Environment=FORMATION_HEALTH_SOCKET=%t/" + health_socket_path(f.app, p.name, "%i") + "\n";
    }
    return "Sockets=" + sockets + "\n" + env;
}

// on_failure: the handler systemd starts when the instance fails for good.
std::string on_failure_dependency(const Formation& f, const ProcessType& p) {
    if (!p.on_failure) return {};
    return "OnFailure=" + on_failure_in_template(f.app, p.name) + "\n";
}

UnitFile on_failure_handler(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    OnFailureDirectives d = on_failure_directives(p, options);
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (on_failure of " + p.name + ".%i)"},
        {"SLICE", slice_name(f.app)},
        {"JOURNAL", d.journal},
        {"EXEC", d.exec},
        {"SERVICE_DIRECTIVES", d.service},
    };
    return {on_failure_template_name(f.app, p.name), fill_unit(templates::on_failure_service, std::move(vars), options)};
}

// schedule: the timer, and the oneshot run it starts.
UnitFile scheduled_timer(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::string timer;
    if (p.schedule->persistent) timer += "Persistent=yes\n";
    if (p.schedule->random_delay_usec)
        timer += "RandomizedDelaySec=" + format_timespan(p.schedule->random_delay_usec) + "\n";
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + " schedule)"},
        {"CALENDAR", p.schedule->calendar},
        {"TIMER_DIRECTIVES", timer},
    };
    return {timer_name(f.app, p.name), fill_unit(templates::timer, std::move(vars), options)};
}

UnitFile scheduled_service(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + " run)"},
        {"UNIT_DIRECTIVES", scheduled_unit_directives(f, p)},
        {"SLICE", slice_name(f.app)},
        {"SERVICE_DIRECTIVES", scheduled_service_directives(p, options)},
        {"RAW_SERVICE_DIRECTIVES", raw_service_directives(p)},
    };
    return {scheduled_name(f.app, p.name), fill_unit(templates::scheduled_service, std::move(vars), options)};
}

// after = ["migrate"]: after every instance of those types. Ordering only:
// After= lines decide no restart (see service_config).
std::string ordering(const Formation& f, const ProcessType& p) {
    std::string out;
    for (const auto& name : p.after) {
        auto it = std::find_if(f.processes.begin(), f.processes.end(),
                               [&](const ProcessType& q) { return q.name == name; });
        if (it == f.processes.end() || it->count == 0) continue;
        out += "After=";
        for (int i = 1; i <= it->count; ++i) out += (i > 1 ? " " : "") + instance_name(f.app, name, i);
        out += "\n";
    }
    return out;
}

UnitFile template_unit(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + ".%i)"},
        {"UNIT_DIRECTIVES", socket_dependencies(f, p) + ordering(f, p) + unit_directives(p) + on_failure_dependency(f, p)},
        {"SLICE", slice_name(f.app)},
        {"SERVICE_DIRECTIVES", shared_socket_service(f, p) + service_directives(p, options)},
        {"RAW_SERVICE_DIRECTIVES", raw_service_directives(p)},
    };
    return {template_name(f.app, p.name), fill_unit(templates::process_service, std::move(vars), options)};
}

// Only what differs between instances lives in their drop-ins: the port.
UnitFile instance_dropin(const Formation& f, const ProcessType& p, int index, const CompileOptions& options) {
    std::string port = std::to_string(instance_port(p, index));
    std::map<std::string, std::string> vars{
        {"TYPE", p.name},
        {"INDEX", std::to_string(index)},
        {"SERVICE_DIRECTIVES", "Environment=PORT=" + port + "\n"},
    };
    return {dropin_path(instance_name(f.app, p.name, index)), fill_unit(templates::instance_conf, std::move(vars), options)};
}

UnitFile socket_template(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + ".%i socket)"},
    };
    return {socket_template_name(f.app, p.name), fill_unit(templates::process_socket, std::move(vars), options)};
}

// socket = "shared" with health: each instance's health socket.
UnitFile health_socket_template(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + ".%i health socket)"},
        {"PATH", health_socket_path(f.app, p.name, "%i")},
    };
    return {socket_template_name(f.app, p.name), fill_unit(templates::health_socket, std::move(vars), options)};
}

// socket = "shared": the type's socket and its holder.
UnitFile shared_socket(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + " shared port)"},
        {"PORT", std::to_string(*p.port)},
        {"HOLDER", shared_holder_name(f.app, p.name)},
    };
    return {shared_socket_name(f.app, p.name), fill_unit(templates::shared_socket, std::move(vars), options)};
}

UnitFile shared_holder(const Formation& f, const ProcessType& p, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TYPE", p.name},
        {"DESCRIPTION", description(f) + " (" + p.name + " shared port; no process)"},
        {"SOCKET", shared_socket_name(f.app, p.name)},
    };
    return {shared_holder_name(f.app, p.name), fill_unit(templates::shared_holder_service, std::move(vars), options)};
}

UnitFile socket_dropin(const Formation& f, const ProcessType& p, int index, const CompileOptions& options) {
    std::map<std::string, std::string> vars{
        {"TYPE", p.name},
        {"INDEX", std::to_string(index)},
        {"SOCKET_DIRECTIVES", "ListenStream=" + std::to_string(*p.port + index - 1) + "\n"},
    };
    return {dropin_path(socket_name(f.app, p.name, index)),
            fill_unit(templates::instance_socket_conf, std::move(vars), options)};
}

UnitFile app_slice(const Formation& f, const CompileOptions& options) {
    std::string limits;
    if (f.memory_max) limits += "MemoryMax=" + std::to_string(*f.memory_max) + "\n";
    if (f.cpu_quota) limits += "CPUQuota=" + std::to_string(*f.cpu_quota) + "%\n";
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"DESCRIPTION", description(f)},
        {"SLICE_DIRECTIVES", limits},
    };
    return {slice_name(f.app), fill_unit(templates::app_slice, std::move(vars), options)};
}

bool has_health(const Formation& f) {
    return std::any_of(f.processes.begin(), f.processes.end(), [](const ProcessType& p) { return p.health.has_value(); });
}

// One watcher for the app: `formation [--user] -a APP health-watch`.
UnitFile health_unit(const Formation& f, const CompileOptions& options) {
    std::vector<std::string> argv{options.helper_path};
    if (options.user_manager) argv.push_back("--user");
    argv.insert(argv.end(), {"-a", f.app, "health-watch"});
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"DESCRIPTION", description(f)},
        {"SLICE", slice_name(f.app)},
        {"EXEC", exec_line(argv)},
    };
    return {health_unit_name(f.app), fill_unit(templates::health_service, std::move(vars), options)};
}

UnitFile app_target(const Formation& f, const UnitSet& set, const CompileOptions& options) {
    std::string wants;
    for (const auto& i : set.instances) wants += "Wants=" + i.unit + "\n";
    for (const auto& s : set.scheduled) wants += "Wants=" + s.timer + "\n";
    if (has_health(f)) wants += "Wants=" + health_unit_name(f.app) + "\n";
    std::map<std::string, std::string> vars{
        {"APP", f.app},
        {"TARGET", app_target_name(f.app)},
        {"DESCRIPTION", description(f)},
        {"WANTS", wants},
    };
    return {app_target_name(f.app), fill_unit(templates::app_target, std::move(vars), options)};
}

}  // namespace

std::vector<Diagnostic> unit_limit_errors(const Formation& f) {
    // systemd's read_line() limit for unit files (LONG_LINE_MAX), newline included.
    constexpr std::size_t long_line_max = 1024 * 1024;
    std::vector<Diagnostic> out;
    for (const auto& p : f.processes) {
        std::string text = service_directives(p, {}) + unit_directives(p) + raw_service_directives(p);
        for (std::size_t at = 0; at < text.size();) {
            std::size_t end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            if (end - at + 1 >= long_line_max) {
                std::string key = text.substr(at, text.find('=', at) - at);
                bool command = key == "ExecStart";
                out.push_back({command ? p.command_where : p.where,
                               (command ? "command" : "[process." + p.name + "]") + std::string(" makes the ") + key +
                                   "= line " + std::to_string(end - at) +
                                   " bytes long once escaped, and systemd refuses to load a unit with a line of "
                                   "1 MiB or more"});
            }
            at = end + 1;
        }
        // An instance's health socket (socket = "shared" with health) is a
        // unix socket path: systemd fails to listen on one longer than
        // sun_path, so refuse the names before it does (any scope, any
        // instance up to the largest count).
        if (has_health_socket(p)) {
            const std::size_t length = runtime_dir_max + 1 + health_socket_path(f.app, p.name, "1000").size();
            if (length > unix_path_max)
                out.push_back({p.health_where, "health with socket = \"shared\" gives each instance of [process." +
                                                   p.name + "] a unix socket, /run/user/UID/" +
                                                   health_socket_path(f.app, p.name, "N") + ", and that path may be " +
                                                   std::to_string(length) + " bytes long, over the " +
                                                   std::to_string(unix_path_max) +
                                                   " a unix socket allows: shorten the app or type name"});
        }
    }
    return out;
}

UnitSet compile(const Formation& f, const CompileOptions& options) {
    UnitSet set;
    set.app = f.app;
    set.app_target = app_target_name(f.app);
    for (const auto& p : f.processes) {
        set.types.push_back(p.name);
        if (p.schedule) {
            UnitFile timer = scheduled_timer(f, p, options);
            set.scheduled.push_back({p.name, timer.path, scheduled_name(f.app, p.name), service_config(timer.content)});
            set.files.push_back(std::move(timer));
            set.files.push_back(scheduled_service(f, p, options));
            if (p.on_failure) set.files.push_back(on_failure_handler(f, p, options));
            continue;
        }
        UnitFile tpl = template_unit(f, p, options);
        for (int i = 1; i <= p.count; ++i) {
            Instance inst{p.name, i, instance_name(f.app, p.name, i), {tpl.path}, service_config(tpl.content), {}, {}, 0, {}, 1};
            inst.min_ready_usec = p.min_ready_usec;
            if (p.socket == SocketMode::shared) {
                inst.shared_socket = shared_socket_name(f.app, p.name);
                inst.batch = static_cast<unsigned>(std::max(1, p.count / 4));
            }
            // Its health socket is the instance's socket, as with socket =
            // true: started before it, stopped after it, restarted with it
            // when its settings change.
            if (has_health_socket(p)) inst.socket = socket_name(f.app, p.name, i);
            if (p.port && p.socket != SocketMode::shared) {
                UnitFile dropin = instance_dropin(f, p, i, options);
                inst.files.push_back(dropin.path);
                inst.config += service_config(dropin.content);
                set.files.push_back(std::move(dropin));
            }
            if (p.socket == SocketMode::per_instance) {
                UnitFile dropin = socket_dropin(f, p, i, options);
                inst.socket = socket_name(f.app, p.name, i);
                inst.socket_config = service_config(dropin.content);
                set.files.push_back(std::move(dropin));
            }
            set.instances.push_back(std::move(inst));
        }
        if (p.socket == SocketMode::per_instance) {
            UnitFile stpl = socket_template(f, p, options);
            for (auto& inst : set.instances)
                if (inst.type == p.name) inst.socket_config = service_config(stpl.content) + inst.socket_config;
            set.files.push_back(std::move(stpl));
        }
        if (has_health_socket(p)) {
            UnitFile stpl = health_socket_template(f, p, options);
            for (auto& inst : set.instances)
                if (inst.type == p.name) inst.socket_config = service_config(stpl.content);
            set.files.push_back(std::move(stpl));
        }
        if (p.socket == SocketMode::shared && p.count > 0) {
            UnitFile sock = shared_socket(f, p, options);
            set.shared_sockets.push_back({p.name, sock.path, shared_holder_name(f.app, p.name), service_config(sock.content)});
            set.files.push_back(std::move(sock));
            set.files.push_back(shared_holder(f, p, options));
        }
        set.files.push_back(std::move(tpl));
        if (p.on_failure) set.files.push_back(on_failure_handler(f, p, options));
    }
    set.files.push_back(app_target(f, set, options));
    if (has_health(f)) {
        set.health_unit = health_unit_name(f.app);
        set.files.push_back(health_unit(f, options));
    }
    set.files.push_back(app_slice(f, options));
    // Enabled for boot, as `systemctl enable` would; the generator makes the
    // link itself (generated units have no [Install] to enable).
    std::string wanted_by = options.user_manager ? "default.target" : "multi-user.target";
    set.files.push_back({enable_link_path(wanted_by, f.app), enable_link_target(f.app), true});
    std::sort(set.files.begin(), set.files.end(),
              [](const UnitFile& a, const UnitFile& b) { return a.path < b.path; });
    std::sort(set.types.begin(), set.types.end());
    return set;
}

std::vector<HelperNeed> helper_needs(const Formation& f, bool port_too) {
    std::vector<HelperNeed> out;
    for (const auto& p : f.processes) {
        if (port_too && p.ready == Readiness::port && !p.schedule) out.push_back({p.name, "ready = \"port\"", p.where, false});
        if (p.socket == SocketMode::shared) out.push_back({p.name, "socket = \"shared\"", p.socket_where, false});
        if (p.health) out.push_back({p.name, "health", p.health_where, true});
        if (p.on_failure) out.push_back({p.name, "on_failure", p.on_failure_where, false});
    }
    return out;
}

}  // namespace formation
