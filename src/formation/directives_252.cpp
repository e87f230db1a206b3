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
//    warning and the unit loads. The checks here refuse each of those (an
//    unknown specifier wherever it is: it drops the line at least), the
//    names and values systemd 252 warns are deprecated, and the keys whose
//    value formation writes from one of its own keys.
// Every key let through has a representative line in
// tests/golden/16-raw-keys, which the golden suite loads with
// `systemd-analyze verify`.
// How systemd 252 reads each kind of value: directive_values_252.cpp.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formation/directive_values_252.hpp"
#include "formation/values.hpp"

namespace formation {

using namespace detail;

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

constexpr std::array<Special, 39> specials{{
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
    {"Service", "MemoryAccounting", Rule::owned, "formation status, top and metrics show each instance's memory from it"},
    {"Service", "CPUAccounting", Rule::owned, "formation top and metrics show each instance's CPU time from it"},
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

// The [Unit] keys whose values are unit names: they get the fewer specifiers.
constexpr std::array<std::string_view, 21> unit_name_keys{
    "After", "Before", "BindTo", "BindsTo", "Conflicts", "JoinsNamespaceOf", "OnFailure", "OnSuccess", "PartOf",
    "PropagateReloadFrom", "PropagateReloadTo", "PropagatesReloadTo", "PropagatesStopTo", "ReloadPropagatedFrom",
    "Requires", "RequiresOverridable", "Requisite", "RequisiteOverridable", "StopPropagatedFrom", "Upholds", "Wants",
};

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

}  // namespace formation
