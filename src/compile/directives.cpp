#include "compile/directives.hpp"

#include "compile/escape.hpp"
#include "compile/shell_line.hpp"
#include "compile/unit_name.hpp"

namespace formation {

namespace {

void line(std::string& out, std::string_view key, std::string_view value) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
}

const char* restart_value(RestartPolicy r) {
    switch (r) {
        case RestartPolicy::always: return "always";
        case RestartPolicy::on_failure: return "on-failure";
        case RestartPolicy::no: return "no";
    }
    return "always";
}

// Whom the type's processes run as, where, with which variables.
std::string context_directives(const ProcessType& p) {
    std::string out;
    if (!p.user.empty()) line(out, "User", escape_specifiers(p.user));
    if (!p.group.empty()) line(out, "Group", escape_specifiers(p.group));
    if (!p.working_directory.empty()) line(out, "WorkingDirectory", escape_specifiers(p.working_directory));
    for (const auto& [name, value] : p.env) line(out, "Environment", quote_env_assignment(name, value));
    return out;
}

std::string env_file_directives(const ProcessType& p) {
    std::string out;
    for (const auto& file : p.env_files) line(out, "EnvironmentFile", escape_specifiers(file));
    return out;
}

std::vector<std::string> exec_argv(const ProcessType& p) {
    if (!p.command.shell) return p.command.argv;
    // As in a Procfile: /bin/sh runs the line, so $PORT and friends are
    // expanded by the shell. A simple command gets "exec" so the app itself,
    // not the shell, is the main process that receives SIGTERM.
    std::string script = is_simple_shell_command(p.command.line) ? prefix_exec(p.command.line) : p.command.line;
    std::vector<std::string> argv = p.shell;
    argv.push_back("-c");
    argv.push_back(std::move(script));
    return argv;
}

// ready = "port" on a host without formation (an ops tree without
// --helper): what `formation wait-ready` does, with /bin/sh and grep only.
// Done once the port ($1) is in the kernel's table of listening TCP sockets
// (state 0A; /proc/self/net: it works with ProcSubset=pid too); exits 1 at
// once when the main process has gone. Unlike wait-ready it cannot tell the
// instance's own socket from another process's on the same port.
// TimeoutStartSec= bounds the wait.
std::vector<std::string> port_ready_shell() {
    return {"/bin/sh", "-c",
            "port=$(printf %04X \"$1\"); "
            "until grep -Eq \"^ *[0-9]+: [0-9A-F]+:$port [0-9A-F]+:[0-9A-F]+ 0A \" /proc/self/net/tcp /proc/self/net/tcp6 2>/dev/null; do "
            "kill -0 \"$MAINPID\" 2>/dev/null || { echo \"ready: the main process exited before it listened on port $1\"; exit 1; }; "
            "sleep 0.1; done",
            "ready-port"};
}

// With a shared socket systemd's start limit would fail the socket for
// every instance (an instance is one of the units it triggers), so the
// instance has none and the crash guard gives up instead: `formation guard`
// counts the starts in the instance's runtime directory (kept across
// restarts, gone when the unit stops or fails) and exits 251 at the
// (burst + 1)th within the interval; RestartPreventExitStatus=251 ends the
// restarts. It execs the command in its own PID (notify and $MAINPID hold).
std::string exec_start(const ProcessType& p, const CompileOptions& options) {
    if (p.socket != SocketMode::shared) return exec_line(exec_argv(p));
    return exec_line({options.helper_path, "guard", "--burst", std::to_string(p.start_limit_burst), "--interval-ms",
                      std::to_string(p.start_limit_interval_usec / 1000), "--state"}) +
           " ${RUNTIME_DIRECTORY} -- " + exec_line(exec_argv(p));
}

// A shell line that is not one simple command keeps /bin/sh as the main
// process; then every process of the instance must get the stop signal.
const char* kill_mode(const ProcessType& p) {
    if (p.command.shell && !is_simple_shell_command(p.command.line)) return "control-group";
    return "mixed";
}

void raw(std::string& out, const ProcessType& p, std::string_view section) {
    for (const auto& r : p.raw)
        if (r.section == section) out += r.line + '\n';
}

// Hardening under a user manager (`--user`): what systemd 252 really applies
// there, measured as an unprivileged user's lingering user@UID.service (see
// tests/integration/user_manager.sh). A user manager has no capabilities, so:
//  - anything that narrows the capability bounding set fails the start with
//    "Failed to drop capabilities: Operation not permitted" (218/CAPABILITIES):
//    CapabilityBoundingSet=, and the options that imply it: PrivateDevices=
//    (CAP_MKNOD CAP_SYS_RAWIO), ProtectKernelModules= (CAP_SYS_MODULE),
//    ProtectClock= (CAP_SYS_TIME CAP_WAKE_ALARM), ProtectKernelLogs=
//    (CAP_SYSLOG). Inside systemd-nspawn the last three seem to work only
//    because nspawn already took those capabilities away (dropping a
//    capability the set lacks is a no-op: CapabilityBoundingSet=~CAP_SYS_MODULE
//    starts there, ~CAP_MKNOD does not); on a host, whose user managers have
//    the full set, they fail the same way.
//  - the mount-namespace options (PrivateTmp=, ProtectSystem=, ProtectHome=,
//    ProtectKernelTunables=, ProtectControlGroups=, ProtectProc=, ProcSubset=)
//    are silently skipped: "Failed to unshare the mount namespace: Operation
//    not permitted … assuming containerized execution and ignoring" (debug
//    level). PrivateIPC= and ProtectHostname= are skipped with a warning.
//    systemd 252 does not imply PrivateUsers= for them.
//  - with PrivateUsers=yes all of them work (the service gets its own user
//    namespace, in which it may mount and drop capabilities), but only where
//    unprivileged user namespaces are allowed (Debian 12's default,
//    kernel.unprivileged_userns_clone=1); elsewhere every start fails with
//    "Failed to set up user namespacing for unprivileged user: Operation not
//    permitted" (217/USER).
//  - what is seccomp or a process attribute works everywhere:
//    NoNewPrivileges=, SystemCallFilter=, SystemCallArchitectures=,
//    RestrictAddressFamilies=, RestrictNamespaces=, RestrictRealtime=,
//    RestrictSUIDSGID=, LockPersonality=, UMask=, RemoveIPC=.
// So:
//  default: only that last group — it runs wherever a user manager runs. The
//    mount options would be no-ops without PrivateUsers=, and adding
//    PrivateUsers= would make every app fail on a host without unprivileged
//    user namespaces for little gain: the service runs as the user anyway, who
//    cannot write the system, and ProtectHome=read-only would forbid what a
//    user's app usually does, write in its own home.
//  strict: opt-in, so it also takes PrivateUsers=yes and the namespace options
//    (needs unprivileged user namespaces, see above). Not ProtectHome=yes: a
//    user's app lives in its home, read-only instead, writable_paths open
//    what it writes. Not ProtectProc=/ProcSubset=: procfs cannot be mounted in
//    a user namespace that does not own the PID namespace, so systemd skips
//    them. Not ProtectKernelLogs=: its /proc/kmsg mount fails in containers
//    (226/NAMESPACE under nspawn), and an unprivileged user cannot read the
//    kernel log anyway. Not DevicePolicy=: a user manager cannot install
//    device filters; PrivateDevices= gives the service a minimal /dev.
std::string user_hardening_directives(const ProcessType& p) {
    if (p.hardening == Hardening::none) return {};
    const bool strict = p.hardening == Hardening::strict;
    std::string out;
    if (strict)
        out +=
            "PrivateUsers=yes\n"
            "PrivateTmp=yes\n"
            "PrivateDevices=yes\n"
            "ProtectKernelTunables=yes\n"
            "ProtectKernelModules=yes\n"
            "ProtectControlGroups=yes\n"
            "ProtectClock=yes\n"
            "ProtectHostname=yes\n"
            "PrivateIPC=yes\n"
            "ProtectSystem=strict\n"
            "ProtectHome=read-only\n"
            "CapabilityBoundingSet=\n"
            "AmbientCapabilities=\n";
    out +=
        "NoNewPrivileges=yes\n"
        "RestrictNamespaces=yes\n"
        "RestrictRealtime=yes\n"
        "RestrictSUIDSGID=yes\n"
        "LockPersonality=yes\n"
        "SystemCallArchitectures=native\n"
        "SystemCallFilter=@system-service\n"
        "SystemCallErrorNumber=EPERM\n";
    if (!strict) {
        out += "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n";
        return out;
    }
    out +=
        "RemoveIPC=yes\n"
        "UMask=0077\n"
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"
        "SystemCallFilter=~@privileged @resources @mount @obsolete @debug @cpu-emulation @raw-io @reboot @swap @clock @module\n";
    for (const auto& path : p.writable_paths) line(out, "ReadWritePaths", list_word(path));
    return out;
}

}  // namespace

std::string unit_directives(const ProcessType& p) {
    std::string out;
    if (p.network_online) {
        line(out, "Wants", "network-online.target");
        line(out, "After", "network-online.target");
    }
    if (p.socket == SocketMode::shared) {
        // See exec_start: the crash guard keeps start_limit_burst/_interval.
        line(out, "StartLimitIntervalSec", "0");
    } else {
        line(out, "StartLimitIntervalSec", format_timespan(p.start_limit_interval_usec));
        line(out, "StartLimitBurst", std::to_string(p.start_limit_burst));
    }
    raw(out, p, "Unit");
    return out;
}

std::string service_directives(const ProcessType& p, const CompileOptions& options) {
    std::string out;
    line(out, "Type", p.ready == Readiness::notify ? "notify" : "exec");
    line(out, "ExecStart", exec_start(p, options));
    if (p.ready == Readiness::port)
        line(out, "ExecStartPost", options.helper_path.empty()
                                       ? exec_line(port_ready_shell()) + " ${PORT}"
                                       : exec_line({options.helper_path, "wait-ready", "--port"}) + " ${PORT}");
    // Last, after the ready rule: a start counts once a check passes (app/health.hpp).
    if (p.health)
        line(out, "ExecStartPost",
             exec_line({options.helper_path, "health-wait", "--path", p.health->path, "--interval-ms",
                        std::to_string(p.health->interval_usec / 1000), "--timeout-ms",
                        std::to_string(p.health->timeout_usec / 1000), "--failures",
                        std::to_string(p.health->failures), has_health_socket(p) ? "--socket" : "--port"}) +
                 (has_health_socket(p) ? " ${FORMATION_HEALTH_SOCKET}" : " ${PORT}"));
    if (p.reload_signal) line(out, "ExecReload", "/bin/kill -s " + *p.reload_signal + " $MAINPID");
    line(out, "Restart", restart_value(p.restart));
    line(out, "RestartSec", format_timespan(p.restart_delay_usec));
    if (p.socket == SocketMode::shared) {
        line(out, "RestartPreventExitStatus", "251");
        line(out, "RuntimeDirectory", "formation/.guard/%N");
        line(out, "RuntimeDirectoryPreserve", "restart");
    }
    line(out, "TimeoutStartSec", format_timespan(p.start_timeout_usec));
    // Who the instance is: "web.2" (%i is the instance number).
    out += process_directives(p, options, "%i");
    return out;
}

std::string scheduled_unit_directives(const Formation& f, const ProcessType& p) {
    std::string out;
    if (p.network_online) {
        line(out, "Wants", "network-online.target");
        line(out, "After", "network-online.target");
    }
    // Its timer paces it; `formation start` may run it again at once.
    line(out, "StartLimitIntervalSec", "0");
    if (p.on_failure) line(out, "OnFailure", scheduled_on_failure_name(f.app, p.name));
    raw(out, p, "Unit");
    return out;
}

std::string scheduled_service_directives(const ProcessType& p, const CompileOptions& options) {
    std::string out;
    // A oneshot is "activating" while it runs, so its timer cannot start it
    // again before it ends (runs never overlap), and it ends "failed" when
    // the command exits non-zero.
    line(out, "Type", "oneshot");
    line(out, "ExecStart", exec_start(p, options));
    line(out, "TimeoutStartSec", p.schedule->timeout_usec ? format_timespan(*p.schedule->timeout_usec) : "infinity");
    // A run stopped (stop, apply, destroy) ends by its stop signal: that is
    // no failure to alert about. A run past its timeout still fails
    // ("timeout" is decided before the signal).
    line(out, "SuccessExitStatus", p.stop_signal);
    out += process_directives(p, options, scheduled_run_instance);
    return out;
}

std::string process_directives(const ProcessType& p, const CompileOptions& options, std::string_view instance) {
    std::string out;
    line(out, "TimeoutStopSec", format_timespan(p.stop_timeout_usec));
    line(out, "KillMode", kill_mode(p));
    line(out, "KillSignal", p.stop_signal);
    out += context_directives(p);
    const std::string name = p.name + "." + std::string(instance);
    line(out, "Environment", "FORMATION_INSTANCE=" + name);
    for (const auto& var : p.instance_env) line(out, "Environment", var + "=" + name);
    out += env_file_directives(p);
    if (p.memory_max) line(out, "MemoryMax", std::to_string(*p.memory_max));
    if (p.cpu_quota) line(out, "CPUQuota", std::to_string(*p.cpu_quota) + "%");
    if (p.cpu_weight) line(out, "CPUWeight", std::to_string(*p.cpu_weight));
    if (p.tasks_max) line(out, "TasksMax", std::to_string(*p.tasks_max));
    if (p.nofile) line(out, "LimitNOFILE", std::to_string(*p.nofile));
    if (p.nice) line(out, "Nice", std::to_string(*p.nice));
    out += options.user_manager ? user_hardening_directives(p) : hardening_directives(p);
    return out;
}

OnFailureDirectives on_failure_directives(const ProcessType& p, const CompileOptions& options) {
    OnFailureDirectives d;
    std::vector<std::string> journal{options.helper_path};
    if (options.user_manager) journal.push_back("--user");
    journal.insert(journal.end(), {"on-failure-journal", "--out"});
    d.journal = exec_line(journal) + " ${RUNTIME_DIRECTORY}/journal";
    ProcessType handler = p;
    handler.command = *p.on_failure;
    d.exec = exec_line({options.helper_path, "on-failure-exec", "--journal"}) + " ${RUNTIME_DIRECTORY}/journal -- " +
             exec_line(exec_argv(handler));
    d.service = context_directives(p) + env_file_directives(p);
    return d;
}

std::string raw_service_directives(const ProcessType& p) {
    std::string out;
    raw(out, p, "Service");
    return out;
}

std::string hardening_directives(const ProcessType& p) {
    if (p.hardening == Hardening::none) return {};
    const bool strict = p.hardening == Hardening::strict;
    // Common to both levels: what an ordinary web app or worker runs under
    // unchanged. @system-service is systemd's allow list for typical services;
    // anything else fails with EPERM rather than killing the process.
    // Measured with `systemd-analyze security` (systemd 252) on a python3
    // http.server instance: default 4.6 → 2.8 with the system-call filter,
    // ProtectProc= and the extra capabilities below; strict 1.6.
    // (tests/integration/hardening.sh asserts default <= 4.0, strict <= 2.0.)
    std::string out =
        "NoNewPrivileges=yes\n"
        "PrivateTmp=yes\n"
        "PrivateDevices=yes\n"
        "ProtectKernelTunables=yes\n"
        "ProtectKernelModules=yes\n"
        "ProtectKernelLogs=yes\n"
        "ProtectControlGroups=yes\n"
        "ProtectClock=yes\n"
        "ProtectHostname=yes\n"
        "RestrictNamespaces=yes\n"
        "RestrictRealtime=yes\n"
        "RestrictSUIDSGID=yes\n"
        "LockPersonality=yes\n"
        "ProtectProc=invisible\n"
        "SystemCallArchitectures=native\n"
        "SystemCallFilter=@system-service\n"
        "SystemCallErrorNumber=EPERM\n";
    if (!strict) {
        out +=
            "ProtectSystem=full\n"
            "ProtectHome=read-only\n"
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n"
            "CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_BOOT "
            "CAP_SYS_TIME CAP_MKNOD CAP_NET_ADMIN CAP_SYS_RESOURCE CAP_LINUX_IMMUTABLE CAP_AUDIT_CONTROL "
            "CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_SETPCAP CAP_SYS_PACCT CAP_SYS_TTY_CONFIG CAP_SYSLOG "
            "CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_LEASE CAP_IPC_LOCK CAP_BPF CAP_PERFMON "
            "CAP_CHECKPOINT_RESTORE CAP_SYS_CHROOT CAP_SYS_NICE CAP_AUDIT_READ CAP_AUDIT_WRITE\n";
        // /usr, /boot, /etc and the home directories are read-only here too.
        for (const auto& path : p.writable_paths) line(out, "ReadWritePaths", list_word(path));
        return out;
    }
    // Read-only everywhere but the declared paths, no capabilities, and a
    // system-call allow list.
    out +=
        "ProtectSystem=strict\n"
        "ProtectHome=yes\n"
        "ProcSubset=pid\n"
        "PrivateIPC=yes\n"
        "RemoveIPC=yes\n"
        "UMask=0077\n"
        "CapabilityBoundingSet=\n"
        "AmbientCapabilities=\n"
        "DevicePolicy=closed\n"
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"
        "SystemCallFilter=~@privileged @resources @mount @obsolete @debug @cpu-emulation @raw-io @reboot @swap @clock @module\n";
    // A list directive: unquoted, a path with a space would be two paths.
    for (const auto& path : p.writable_paths) line(out, "ReadWritePaths", list_word(path));
    return out;
}

}  // namespace formation
