// The escape hatch's raw lines against systemd 252. Two questions for each
// "Key=value" a [process.NAME.systemd] table holds:
//  - Does systemd 252 know Key in that section of a service unit? The names
//    are the "Unit." and "Service." keys of its load-fragment-gperf table
//    (src/core/load-fragment-gperf.gperf.in, which expands the exec, kill
//    and resource-control settings into [Service]), as compiled into Debian
//    12's libsystemd-core-252.so, less the legacy names it only warns about
//    and ignores (Capabilities=, SysVStartPriority=, NetClass=, BusPolicy=,
//    IgnoreOnSnapshot=).
//  - Would the line make systemd refuse the unit (every instance
//    "bad-setting"), or take a setting away from formation? systemd 252
//    refuses a service unit for a parse error in a few settings only
//    (load-fragment.c returns -ENOEXEC or -EINVAL: Exec*= command lines,
//    RootDirectory=/RootImage=/RootVerity=, an unknown specifier in any
//    command or security label, PIDFile= not normalized, DynamicUser= not a
//    boolean, User=/Group=/WorkingDirectory=) and for a few combinations
//    (service_verify(): a second ExecStart=, Type=oneshot/dbus rules, PAMName=
//    with KillMode=process/none; unit_load(): OnFailureJobMode=isolate with
//    several OnFailure= units). Every other bad value is ignored with a
//    warning and the unit loads. The checks below refuse each of those (an
//    unknown specifier wherever it is: it drops the line at least), the
//    names and values systemd 252 warns are deprecated, and the keys whose
//    value formation writes from one of its own keys.
// Every key let through has a representative line in
// tests/golden/16-raw-keys, which the golden suite loads with
// `systemd-analyze verify`.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formation/values.hpp"

namespace formation {

namespace {

constexpr std::array<std::string_view, 113> unit_directives{
    "After", "AllowIsolate", "AssertACPower", "AssertArchitecture", "AssertCPUFeature", "AssertCPUPressure",
    "AssertCPUs", "AssertCapability", "AssertControlGroupController", "AssertCredential",
    "AssertDirectoryNotEmpty", "AssertEnvironment", "AssertFileIsExecutable", "AssertFileNotEmpty",
    "AssertFirstBoot", "AssertGroup", "AssertHost", "AssertIOPressure", "AssertKernelCommandLine",
    "AssertKernelVersion", "AssertMemory", "AssertMemoryPressure", "AssertNeedsUpdate", "AssertOSRelease",
    "AssertPathExists", "AssertPathExistsGlob", "AssertPathIsDirectory", "AssertPathIsEncrypted",
    "AssertPathIsMountPoint", "AssertPathIsReadWrite", "AssertPathIsSymbolicLink", "AssertSecurity",
    "AssertUser", "AssertVirtualization", "Before", "BindTo", "BindsTo", "CollectMode", "ConditionACPower",
    "ConditionArchitecture", "ConditionCPUFeature", "ConditionCPUPressure", "ConditionCPUs",
    "ConditionCapability", "ConditionControlGroupController", "ConditionCredential",
    "ConditionDirectoryNotEmpty", "ConditionEnvironment", "ConditionFileIsExecutable",
    "ConditionFileNotEmpty", "ConditionFirmware", "ConditionFirstBoot", "ConditionGroup", "ConditionHost",
    "ConditionIOPressure", "ConditionKernelCommandLine", "ConditionKernelVersion", "ConditionMemory",
    "ConditionMemoryPressure", "ConditionNeedsUpdate", "ConditionOSRelease", "ConditionPathExists",
    "ConditionPathExistsGlob", "ConditionPathIsDirectory", "ConditionPathIsEncrypted",
    "ConditionPathIsMountPoint", "ConditionPathIsReadWrite", "ConditionPathIsSymbolicLink",
    "ConditionSecurity", "ConditionUser", "ConditionVirtualization", "Conflicts", "DefaultDependencies",
    "Description", "Documentation", "FailureAction", "FailureActionExitStatus", "IgnoreOnIsolate",
    "JobRunningTimeoutSec", "JobTimeoutAction", "JobTimeoutRebootArgument", "JobTimeoutSec",
    "JoinsNamespaceOf", "OnFailure", "OnFailureIsolate", "OnFailureJobMode", "OnSuccess", "OnSuccessJobMode",
    "PartOf", "PropagateReloadFrom", "PropagateReloadTo", "PropagatesReloadTo", "PropagatesStopTo",
    "RebootArgument", "RefuseManualStart", "RefuseManualStop", "ReloadPropagatedFrom", "Requires",
    "RequiresMountsFor", "RequiresOverridable", "Requisite", "RequisiteOverridable", "SourcePath",
    "StartLimitAction", "StartLimitBurst", "StartLimitInterval", "StartLimitIntervalSec",
    "StopPropagatedFrom", "StopWhenUnneeded", "SuccessAction", "SuccessActionExitStatus", "Upholds", "Wants",
};

constexpr std::array<std::string_view, 243> service_directives{
    "AllowedCPUs", "AllowedMemoryNodes", "AmbientCapabilities", "AppArmorProfile", "BPFProgram", "BindPaths",
    "BindReadOnlyPaths", "BlockIOAccounting", "BlockIODeviceWeight", "BlockIOReadBandwidth", "BlockIOWeight",
    "BlockIOWriteBandwidth", "BusName", "CPUAccounting", "CPUAffinity", "CPUQuota", "CPUQuotaPeriodSec",
    "CPUSchedulingPolicy", "CPUSchedulingPriority", "CPUSchedulingResetOnFork", "CPUShares", "CPUWeight",
    "CacheDirectory", "CacheDirectoryMode", "CapabilityBoundingSet", "ConfigurationDirectory",
    "ConfigurationDirectoryMode", "CoredumpFilter", "DefaultMemoryLow", "DefaultMemoryMin", "Delegate",
    "DeviceAllow", "DevicePolicy", "DisableControllers", "DynamicUser", "Environment", "EnvironmentFile",
    "ExecCondition", "ExecPaths", "ExecReload", "ExecSearchPath", "ExecStart", "ExecStartPost",
    "ExecStartPre", "ExecStop", "ExecStopPost", "ExitType", "ExtensionDirectories", "ExtensionImages",
    "FailureAction", "FileDescriptorStoreMax", "FinalKillSignal", "Group", "GuessMainPID", "IOAccounting",
    "IODeviceLatencyTargetSec", "IODeviceWeight", "IOReadBandwidthMax", "IOReadIOPSMax", "IOSchedulingClass",
    "IOSchedulingPriority", "IOWeight", "IOWriteBandwidthMax", "IOWriteIOPSMax", "IPAccounting",
    "IPAddressAllow", "IPAddressDeny", "IPCNamespacePath", "IPEgressFilterPath", "IPIngressFilterPath",
    "IgnoreSIGPIPE", "InaccessibleDirectories", "InaccessiblePaths", "KeyringMode", "KillMode", "KillSignal",
    "LimitAS", "LimitCORE", "LimitCPU", "LimitDATA", "LimitFSIZE", "LimitLOCKS", "LimitMEMLOCK",
    "LimitMSGQUEUE", "LimitNICE", "LimitNOFILE", "LimitNPROC", "LimitRSS", "LimitRTPRIO", "LimitRTTIME",
    "LimitSIGPENDING", "LimitSTACK", "LoadCredential", "LoadCredentialEncrypted", "LockPersonality",
    "LogExtraFields", "LogLevelMax", "LogNamespace", "LogRateLimitBurst", "LogRateLimitIntervalSec",
    "LogsDirectory", "LogsDirectoryMode", "ManagedOOMMemoryPressure", "ManagedOOMMemoryPressureLimit",
    "ManagedOOMPreference", "ManagedOOMSwap", "MemoryAccounting", "MemoryDenyWriteExecute", "MemoryHigh",
    "MemoryLimit", "MemoryLow", "MemoryMax", "MemoryMin", "MemorySwapMax", "MountAPIVFS", "MountFlags",
    "MountImages", "NUMAMask", "NUMAPolicy", "NetworkNamespacePath", "Nice", "NoExecPaths", "NoNewPrivileges",
    "NonBlocking", "NotifyAccess", "OOMPolicy", "OOMScoreAdjust", "PAMName", "PIDFile", "PassEnvironment",
    "PermissionsStartOnly", "Personality", "PrivateDevices", "PrivateIPC", "PrivateMounts", "PrivateNetwork",
    "PrivateTmp", "PrivateUsers", "ProcSubset", "ProtectClock", "ProtectControlGroups", "ProtectHome",
    "ProtectHostname", "ProtectKernelLogs", "ProtectKernelModules", "ProtectKernelTunables", "ProtectProc",
    "ProtectSystem", "ReadOnlyDirectories", "ReadOnlyPaths", "ReadWriteDirectories", "ReadWritePaths",
    "RebootArgument", "RemainAfterExit", "RemoveIPC", "Restart", "RestartForceExitStatus",
    "RestartKillSignal", "RestartPreventExitStatus", "RestartSec", "RestrictAddressFamilies",
    "RestrictFileSystems", "RestrictNamespaces", "RestrictNetworkInterfaces", "RestrictRealtime",
    "RestrictSUIDSGID", "RootDirectory", "RootDirectoryStartOnly", "RootHash", "RootHashSignature",
    "RootImage", "RootImageOptions", "RootVerity", "RuntimeDirectory", "RuntimeDirectoryMode",
    "RuntimeDirectoryPreserve", "RuntimeMaxSec", "RuntimeRandomizedExtraSec", "SELinuxContext", "SecureBits",
    "SendSIGHUP", "SendSIGKILL", "SetCredential", "SetCredentialEncrypted", "Slice", "SmackProcessLabel",
    "SocketBindAllow", "SocketBindDeny", "Sockets", "StandardError", "StandardInput", "StandardInputData",
    "StandardInputText", "StandardOutput", "StartLimitAction", "StartLimitBurst", "StartLimitInterval",
    "StartupAllowedCPUs", "StartupAllowedMemoryNodes", "StartupBlockIOWeight", "StartupCPUShares",
    "StartupCPUWeight", "StartupIOWeight", "StateDirectory", "StateDirectoryMode", "SuccessExitStatus",
    "SupplementaryGroups", "SyslogFacility", "SyslogIdentifier", "SyslogLevel", "SyslogLevelPrefix",
    "SystemCallArchitectures", "SystemCallErrorNumber", "SystemCallFilter", "SystemCallLog", "TTYColumns",
    "TTYPath", "TTYReset", "TTYRows", "TTYVHangup", "TTYVTDisallocate", "TasksAccounting", "TasksMax",
    "TemporaryFileSystem", "TimeoutAbortSec", "TimeoutCleanSec", "TimeoutSec", "TimeoutStartFailureMode",
    "TimeoutStartSec", "TimeoutStopFailureMode", "TimeoutStopSec", "TimerSlackNSec", "Type", "UMask",
    "USBFunctionDescriptors", "USBFunctionStrings", "UnsetEnvironment", "User", "UtmpIdentifier", "UtmpMode",
    "WatchdogSec", "WatchdogSignal", "WorkingDirectory",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& sorted, std::string_view key) {
    return std::binary_search(sorted.begin(), sorted.end(), key);
}

enum class Rule {
    owned,        // formation writes it from one of its keys: refused, naming the key
    deprecated,   // systemd 252 warns that it will go: refused, naming the replacement
    unsupported,  // refused: what it needs formation does not make
    exec,         // a command line: parsed as config_parse_exec() does
    root_path,    // an absolute, normalized path, or systemd refuses the unit
    pid_file,     // no ".." once made absolute under /run, or systemd refuses the unit
    boolean,      // DynamicUser=: systemd refuses the unit for anything but a boolean
    groups,       // group names
    environment,  // NAME=value words: no name systemd or formation sets
    pass_environment,
    environment_file,  // not empty: that would clear env_files
    kill_mode,         // not "none", which systemd 252 warns is unsafe and deprecated
};

struct Special {
    std::string_view section, key;
    Rule rule;
    std::string_view why;  // owned: what formation writes it from; deprecated: the replacement
};

constexpr std::array<Special, 38> specials{{
    {"Unit", "SourcePath", Rule::owned, "formation writes the installed formation file there"},
    {"Unit", "OnFailureIsolate", Rule::deprecated, "OnFailureJobMode="},
    {"Unit", "RequiresOverridable", Rule::deprecated, "Requires="},
    {"Unit", "RequisiteOverridable", Rule::deprecated, "Requisite="},
    {"Service", "Type", Rule::owned,
     "set ready instead (\"simple\" is Type=exec, \"notify\" Type=notify, \"port\" Type=exec and a port check); "
     "formation knows when an instance has started by it, and systemd refuses Type=oneshot or Type=dbus "
     "beside what formation writes"},
    {"Service", "ExecStart", Rule::owned,
     "set command instead; formation writes one ExecStart=, and systemd refuses a unit with a second one "
     "(only Type=oneshot may have several); run something before or after it with ExecStartPre= or "
     "ExecStartPost="},
    {"Service", "User", Rule::owned, "set user instead (systemd refuses the unit for a name it cannot parse)"},
    {"Service", "Group", Rule::owned, "set group instead (systemd refuses the unit for a name it cannot parse)"},
    {"Service", "WorkingDirectory", Rule::owned,
     "set working_directory instead (systemd refuses the unit for a path it cannot parse)"},
    {"Service", "Slice", Rule::owned,
     "every instance runs in the app's slice; limit the whole app with the top-level memory_max and cpu_quota"},
    {"Service", "SyslogIdentifier", Rule::owned, "formation logs and status find each instance's journal lines by it"},
    {"Service", "StandardOutput", Rule::owned, "formation logs reads the output from the journal"},
    {"Service", "StandardError", Rule::owned, "formation logs reads the output from the journal"},
    {"Service", "MemoryAccounting", Rule::owned, "formation status shows each instance's memory from it"},
    {"Service", "BlockIODeviceWeight", Rule::deprecated, "IODeviceWeight="},
    {"Service", "BlockIOReadBandwidth", Rule::deprecated, "IOReadBandwidthMax="},
    {"Service", "BlockIOWriteBandwidth", Rule::deprecated, "IOWriteBandwidthMax="},
    {"Service", "CPUShares", Rule::deprecated, "CPUWeight= (or the cpu_weight key)"},
    {"Service", "StartupCPUShares", Rule::deprecated, "StartupCPUWeight="},
    {"Service", "MemoryLimit", Rule::deprecated, "MemoryMax= (or the memory_max key)"},
    {"Service", "USBFunctionDescriptors", Rule::unsupported,
     "it only works with USBFunctionStrings= for a USB gadget (FunctionFS) socket, which formation does not make"},
    {"Service", "USBFunctionStrings", Rule::unsupported,
     "it only works with USBFunctionDescriptors= for a USB gadget (FunctionFS) socket, which formation does not "
     "make"},
    {"Service", "ExecCondition", Rule::exec, {}},
    {"Service", "ExecReload", Rule::exec, {}},
    {"Service", "ExecStartPost", Rule::exec, {}},
    {"Service", "ExecStartPre", Rule::exec, {}},
    {"Service", "ExecStop", Rule::exec, {}},
    {"Service", "ExecStopPost", Rule::exec, {}},
    {"Service", "RootDirectory", Rule::root_path, {}},
    {"Service", "RootImage", Rule::root_path, {}},
    {"Service", "RootVerity", Rule::root_path, {}},
    {"Service", "PIDFile", Rule::pid_file, {}},
    {"Service", "DynamicUser", Rule::boolean, {}},
    {"Service", "SupplementaryGroups", Rule::groups, {}},
    {"Service", "Environment", Rule::environment, {}},
    {"Service", "PassEnvironment", Rule::pass_environment, {}},
    {"Service", "EnvironmentFile", Rule::environment_file, {}},
    {"Service", "KillMode", Rule::kill_mode, {}},
}};

const Special* special(std::string_view section, std::string_view key) {
    for (const auto& s : specials)
        if (s.section == section && s.key == key) return &s;
    return nullptr;
}

// The specifiers of unit_full_printf() in systemd 252 (src/core/unit-printf.c),
// and the fewer of unit_name_printf(), which unit names in dependencies get.
// Any other letter or digit after "%" fails: the line is ignored, or, in a
// command line, the whole unit is refused.
constexpr std::string_view full_specifiers = "iIjJnNpPfyYcrRCdELStshaAbBHlqmMovwWgGuUTV";
constexpr std::string_view name_specifiers = "ijnNpaAbBHlqmMovwWgGuU";

constexpr std::array<std::string_view, 21> unit_name_keys{
    "After", "Before", "BindTo", "BindsTo", "Conflicts", "JoinsNamespaceOf", "OnFailure", "OnSuccess", "PartOf",
    "PropagateReloadFrom", "PropagateReloadTo", "PropagatesReloadTo", "PropagatesStopTo", "ReloadPropagatedFrom",
    "Requires", "RequiresOverridable", "Requisite", "RequisiteOverridable", "StopPropagatedFrom", "Upholds", "Wants",
};

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The first "%X" in `s` that systemd would fail on.
std::optional<std::string> bad_specifier(std::string_view s, std::string_view known) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != '%') continue;
        char c = s[i + 1];
        ++i;
        if (c == '%' || !is_alnum(c) || known.find(c) != std::string_view::npos) continue;
        std::string spec = "%" + std::string(1, c);
        if (full_specifiers.find(c) != std::string_view::npos)
            return spec + " is not a specifier systemd expands in a unit name (write %% for a literal \"%\")";
        return spec + " is not a specifier systemd 252 knows (write %% for a literal \"%\")";
    }
    return std::nullopt;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A C escape systemd's cunescape_one() takes at s[0] (just after the
// backslash): its length (0 when it refuses it) and, in *c, the byte it
// stands for when that is ASCII ("?" otherwise: enough for the checks on a
// program name).
std::size_t escape_length(std::string_view s, char* c) {
    if (s.empty()) return 0;
    auto hex_run = [&](std::size_t n) -> std::size_t {
        if (s.size() < 1 + n) return 0;
        std::uint32_t v = 0;
        for (std::size_t k = 1; k <= n; ++k) {
            char d = s[k];
            if (!is_hex(d)) return 0;
            v = v * 16 + static_cast<std::uint32_t>(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }
        if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
        *c = v < 0x80 ? static_cast<char>(v) : '?';
        return n + 1;
    };
    switch (s[0]) {
        case 'a': *c = '\a'; return 1;
        case 'b': *c = '\b'; return 1;
        case 'f': *c = '\f'; return 1;
        case 'n': *c = '\n'; return 1;
        case 'r': *c = '\r'; return 1;
        case 't': *c = '\t'; return 1;
        case 'v': *c = '\v'; return 1;
        case 's': *c = ' '; return 1;
        case '\\': case '"': case '\'': *c = s[0]; return 1;
        case 'x': return hex_run(2);
        case 'u': return hex_run(4);
        case 'U': return hex_run(8);
        default: break;
    }
    if (s[0] >= '0' && s[0] <= '7') {
        if (s.size() < 3) return 0;
        unsigned v = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            if (s[k] < '0' || s[k] > '7') return 0;
            v = v * 8 + static_cast<unsigned>(s[k] - '0');
        }
        if (v == 0 || v > 255) return 0;
        *c = v < 0x80 ? static_cast<char>(v) : '?';
        return 3;
    }
    return 0;
}

// One word as extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE) reads it
// from `p`, which is left after the word and the blanks that follow.
// Escapes are decoded as escape_length() says. false: no word left, or
// *problem set.
bool next_word(std::string_view& p, std::string& word, std::string* problem) {
    while (!p.empty() && is_space(p.front())) p.remove_prefix(1);
    if (p.empty()) return false;
    word.clear();
    char quote = 0;
    while (!p.empty()) {
        char c = p.front();
        if (!quote && is_space(c)) break;
        p.remove_prefix(1);
        if (c == '\\') {
            char decoded = '?';
            std::size_t n = escape_length(p, &decoded);
            if (n == 0) {
                *problem = p.empty() ? "ends with a backslash"
                                     : "has an escape systemd does not know (\\" + std::string(1, p.front()) + ")";
                return false;
            }
            word += decoded;
            p.remove_prefix(n);
        } else if (quote && c == quote) {
            quote = 0;
        } else if (!quote && (c == '"' || c == '\'')) {
            quote = c;
        } else {
            word += c;
        }
    }
    if (quote) {
        *problem = std::string("has an unbalanced ") + (quote == '"' ? "double" : "single") + " quote";
        return false;
    }
    while (!p.empty() && is_space(p.front())) p.remove_prefix(1);
    return true;
}

bool valid_path(std::string_view path) {  // path_is_valid()
    if (path.empty() || path.size() >= 4096) return false;
    std::size_t at = 0;
    while (at < path.size()) {
        std::size_t slash = path.find('/', at);
        if (slash == std::string_view::npos) slash = path.size();
        if (slash - at > 255) return false;
        at = slash + 1;
    }
    return true;
}

// config_parse_exec() of systemd 252, and service_verify()'s check of each
// command: commands separated by a lone ";", each an optional run of the
// prefixes "-@:+!", a program that is an absolute path or a file name (no
// quotes, backslashes or control characters, not ending in "/"), and its
// arguments. A "-" prefix makes a bad command ignored with a warning
// instead of refusing the unit: both are refused here.
std::optional<std::string> exec_problem(std::string_view value) {
    std::string_view p = value;
    std::string word, problem;
    for (;;) {
        if (!next_word(p, word, &problem)) {
            if (!problem.empty()) return "the command line " + problem;
            return std::nullopt;
        }
        if (word == ";") continue;
        bool ignore = false, argv0 = false, noenv = false, plus = false, bang = false, bang2 = false;
        std::size_t i = 0;
        for (; i < word.size(); ++i) {
            char c = word[i];
            if (c == '-' && !ignore) ignore = true;
            else if (c == '@' && !argv0) argv0 = true;
            else if (c == ':' && !noenv) noenv = true;
            else if (c == '+' && !(plus || bang || bang2)) plus = true;
            else if (c == '!' && !(plus || bang || bang2)) bang = true;
            else if (c == '!' && !(plus || bang2)) bang2 = true;
            else break;
        }
        std::string_view program = std::string_view(word).substr(i);
        if (auto s = bad_specifier(program, full_specifiers)) return "the program: " + *s;
        if (program.empty()) return "a command has no program after its prefixes (" + quoted(word) + ")";
        if (has_control_chars(program) || program.find_first_of("\"'\\") != std::string_view::npos)
            return "the program " + quoted(program) + " has a quote, a backslash or a control character";
        if (program.back() == '/') return "the program " + quoted(program) + " ends with \"/\" (a directory)";
        bool ok = program.front() == '/' ? valid_path(program)
                                         : program.find('/') == std::string_view::npos && program != "." &&
                                               program != ".." && program.size() <= 255;
        if (!ok)
            return "the program " + quoted(program) + " is neither an absolute path nor a file name";
        std::size_t args = 0;
        bool semicolon = false;
        while (!p.empty()) {
            if (p[0] == ';' && (p.size() == 1 || is_space(p[1]))) {
                p.remove_prefix(1);
                semicolon = true;
                break;
            }
            if (p.size() >= 2 && p[0] == '\\' && p[1] == ';' && (p.size() == 2 || is_space(p[2]))) {
                p.remove_prefix(2);
                while (!p.empty() && is_space(p.front())) p.remove_prefix(1);
                ++args;
                continue;
            }
            if (!next_word(p, word, &problem)) {
                if (!problem.empty()) return "the command line " + problem;
                break;
            }
            if (auto s = bad_specifier(word, full_specifiers)) return *s;
            ++args;
        }
        if (argv0 && args == 0) return "\"@\" needs the program's argv[0] after the program";
        if (!semicolon) return std::nullopt;
    }
}

bool has_dot_dot(std::string_view path) {
    while (!path.empty()) {
        std::size_t slash = path.find('/');
        if (path.substr(0, slash) == "..") return true;
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return false;
}

// path_simplify_and_warn(): absolute, valid once "." and "//" are dropped, no "..".
std::optional<std::string> root_path_problem(std::string_view value) {
    if (value.empty()) return std::nullopt;  // a reset
    if (value.front() != '/') return "must be an absolute path (systemd refuses the unit otherwise)";
    if (!valid_path(value)) return "is too long for a path (systemd refuses the unit)";
    if (has_dot_dot(value)) return "must not have a \"..\" component (systemd refuses the unit)";
    return std::nullopt;
}

// A relative PIDFile= is under /run; then as root_path_problem().
std::optional<std::string> pid_file_problem(std::string_view value) {
    if (value.empty()) return std::nullopt;
    return root_path_problem(value.front() == '/' ? std::string(value) : "/run/" + std::string(value));
}

std::optional<std::string> boolean_problem(std::string_view value) {
    std::string v(value);
    std::transform(v.begin(), v.end(), v.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
    for (std::string_view b : {"1", "yes", "y", "true", "t", "on", "0", "no", "n", "false", "f", "off"})
        if (v == b) return std::nullopt;
    return "must be a boolean such as yes or no (systemd refuses the unit otherwise)";
}

std::optional<std::string> words_problem(std::string_view value, std::vector<std::string>* words) {
    std::string word, problem;
    while (next_word(value, word, &problem)) words->push_back(word);
    if (!problem.empty()) return "the value " + problem;
    return std::nullopt;
}

std::optional<std::string> groups_problem(std::string_view value) {
    std::vector<std::string> words;
    if (auto p = words_problem(value, &words)) return p;
    for (const auto& w : words)
        if (w.find('%') == std::string::npos && !is_valid_user_name(w))
            return quoted(w) + " is not a group name (letters, digits, \"_\", \".\", \"-\", starting with a letter "
                               "or \"_\", or a numeric id)";
    return std::nullopt;
}

std::optional<std::string> names_problem(std::string_view value, bool assignments) {
    std::vector<std::string> words;
    if (auto p = words_problem(value, &words)) return p;
    for (const auto& w : words) {
        std::string name = assignments ? w.substr(0, w.find('=')) : w;
        if (auto why = reserved_env_name(name)) return name + " " + *why;
        if (name == "FORMATION_APP" || name == "FORMATION_INSTANCE")
            return name + " is set by formation for every instance (see ENVIRONMENT in formation.toml(5))";
    }
    return std::nullopt;
}

}  // namespace

bool is_known_directive(std::string_view section, std::string_view key) {
    if (section == "Unit") return contains(unit_directives, key);
    if (section == "Service") return contains(service_directives, key);
    return false;
}

std::vector<std::string_view> raw_keys_allowed(std::string_view section) {
    std::vector<std::string_view> out;
    auto add = [&](const auto& keys) {
        for (auto k : keys) {
            const Special* s = special(section, k);
            if (!s || (s->rule != Rule::owned && s->rule != Rule::deprecated && s->rule != Rule::unsupported))
                out.push_back(k);
        }
    };
    if (section == "Unit") add(unit_directives);
    if (section == "Service") add(service_directives);
    return out;
}

std::optional<std::string> raw_line_problem(std::string_view section, std::string_view key, std::string_view value) {
    const Special* s = special(section, key);
    if (s && s->rule == Rule::owned) return std::string(key) + "= is formation's: " + std::string(s->why);
    if (s && s->rule == Rule::deprecated)
        return std::string(key) + "= is deprecated and systemd 252 warns about it; use " + std::string(s->why) +
               " instead";
    if (s && s->rule == Rule::unsupported) return std::string(key) + "= is not for formation's units: " + std::string(s->why);
    bool names = section == "Unit" ? std::find(unit_name_keys.begin(), unit_name_keys.end(), key) != unit_name_keys.end()
                                   : key == "Sockets";
    if (s && s->rule == Rule::exec) {
        if (auto p = exec_problem(value))
            return std::string(key) + "=: " + *p + ", which makes systemd refuse the unit (or ignore the line)";
        return std::nullopt;
    }
    if (auto p = bad_specifier(value, names ? name_specifiers : full_specifiers))
        return std::string(key) + "=: " + *p + ", which makes systemd ignore the line or refuse the unit";
    if (!s) return std::nullopt;
    std::optional<std::string> p;
    switch (s->rule) {
        case Rule::root_path: p = root_path_problem(value); break;
        case Rule::pid_file: p = pid_file_problem(value); break;
        case Rule::boolean: p = boolean_problem(value); break;
        case Rule::groups: p = groups_problem(value); break;
        case Rule::environment:
            if (value.empty())
                return "an empty Environment= clears every Environment= before it, FORMATION_APP, "
                       "FORMATION_INSTANCE and env included; remove one variable with UnsetEnvironment=NAME";
            p = names_problem(value, true);
            break;
        case Rule::pass_environment: p = names_problem(value, false); break;
        case Rule::kill_mode:
            if (value == "none")
                return "KillMode=none is deprecated and systemd 252 warns that it is unsafe: the processes would "
                       "outlive their instance; use control-group or mixed (formation's), or process";
            break;
        case Rule::environment_file:
            if (value.empty())
                return "an empty EnvironmentFile= clears every EnvironmentFile= before it, env_files included; "
                       "remove the file from env_files instead";
            break;
        default: break;
    }
    if (p) return std::string(key) + "=: " + *p;
    return std::nullopt;
}

std::vector<std::string> raw_environment_names(std::string_view value) {
    std::vector<std::string> words, names;
    if (words_problem(value, &words)) return names;
    for (const auto& w : words) names.push_back(w.substr(0, w.find('=')));
    return names;
}

}  // namespace formation
