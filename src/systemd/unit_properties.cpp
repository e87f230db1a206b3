#include "systemd/unit_properties.hpp"

#include <linux/capability.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <string_view>

#include "text/utf8.hpp"

namespace formation::systemd {
namespace {

using Words = std::vector<std::string>;

[[noreturn]] void bad(const std::string& key, const std::string& why) {
    throw std::invalid_argument(key + "=: " + why);
}

// "%%" → "%", "%i"/"%I" → the instance; any other specifier is refused
// rather than passed on with a meaning systemd would give it differently.
std::string expand_specifiers(const std::string& key, std::string_view s, const std::string& instance) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        char c = i + 1 < s.size() ? s[i + 1] : '\0';
        if (c == '%') out += '%';
        else if (c == 'i' || c == 'I') out += instance;
        else bad(key, std::string("specifier %") + c + " cannot be given to a one-off unit");
        ++i;
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One C escape after a backslash at s[i] (systemd's cunescape_one); returns
// the index of its last character.
std::size_t unescape_one(const std::string& key, std::string_view s, std::size_t i, std::string& out) {
    if (i + 1 >= s.size()) bad(key, "a trailing backslash");
    char c = s[i + 1];
    switch (c) {
        case 'a': out += '\a'; return i + 1;
        case 'b': out += '\b'; return i + 1;
        case 'f': out += '\f'; return i + 1;
        case 'n': out += '\n'; return i + 1;
        case 'r': out += '\r'; return i + 1;
        case 't': out += '\t'; return i + 1;
        case 'v': out += '\v'; return i + 1;
        case 's': out += ' '; return i + 1;
        case '\\': case '"': case '\'': out += c; return i + 1;
        default: break;
    }
    auto hex = [&](std::size_t from, std::size_t n) {
        std::uint32_t v = 0;
        if (from + n > s.size()) bad(key, "a short escape");
        for (std::size_t k = 0; k < n; ++k) {
            int d = hex_digit(s[from + k]);
            if (d < 0) bad(key, "a bad hexadecimal escape");
            v = v * 16 + std::uint32_t(d);
        }
        return v;
    };
    if (c == 'x') {
        std::uint32_t v = hex(i + 2, 2);
        if (v == 0) bad(key, "a NUL byte");
        out += char(v);
        return i + 3;
    }
    if (c == 'u' || c == 'U') {
        std::size_t n = c == 'u' ? 4 : 8;
        std::uint32_t v = hex(i + 2, n);
        if (v == 0 || v > 0x10ffff) bad(key, "a bad unicode escape");
        utf8::append(out, v);  // a surrogate as U+FFFD
        return i + 1 + n;
    }
    if (c >= '0' && c <= '7') {
        if (i + 3 >= s.size()) bad(key, "a short octal escape");
        std::uint32_t v = 0;
        for (std::size_t k = 1; k <= 3; ++k) {
            char d = s[i + k];
            if (d < '0' || d > '7') bad(key, "a bad octal escape");
            v = v * 8 + std::uint32_t(d - '0');
        }
        if (v == 0 || v > 255) bad(key, "a bad octal escape");
        out += char(v);
        return i + 3;
    }
    bad(key, std::string("an unknown escape \\") + c);
}

// Whitespace-separated words, quotes removed and C escapes decoded
// (extract_first_word with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), then each
// word's specifiers expanded.
Words words(const std::string& key, std::string_view s, const std::string& instance) {
    Words out;
    std::string word;
    bool in_word = false;
    char quote = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (!quote && space(c)) {
            if (in_word) out.push_back(expand_specifiers(key, word, instance));
            word.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\') {
            i = unescape_one(key, s, i, word);
        } else if (quote && c == quote) {
            quote = 0;
        } else if (!quote && (c == '"' || c == '\'')) {
            quote = c;
        } else {
            word += c;
        }
    }
    if (quote) bad(key, "an unterminated quote");
    if (in_word) out.push_back(expand_specifiers(key, word, instance));
    return out;
}

bool boolean(const std::string& key, const std::string& v) {
    static constexpr std::array<std::string_view, 5> yes{"1", "yes", "y", "true", "on"};
    static constexpr std::array<std::string_view, 5> no{"0", "no", "n", "false", "off"};
    if (std::find(yes.begin(), yes.end(), v) != yes.end()) return true;
    if (std::find(no.begin(), no.end(), v) != no.end()) return false;
    bad(key, "\"" + v + "\" is not a boolean");
}

std::uint64_t number(const std::string& key, const std::string& v, int base = 10) {
    if (v.empty() || v.find_first_not_of(base == 8 ? "01234567" : "0123456789") != std::string::npos)
        bad(key, "\"" + v + "\" is not a number");
    try {
        return std::stoull(v, nullptr, base);
    } catch (const std::exception&) {
        bad(key, "\"" + v + "\" is out of range");
    }
}

// A size with an optional K/M/G/T suffix (base 1024), or "infinity".
std::uint64_t size(const std::string& key, const std::string& v) {
    if (v == "infinity") return UINT64_MAX;
    static constexpr std::string_view suffixes = "KMGT";
    std::size_t shift = 0;
    std::string digits = v;
    if (!v.empty()) {
        auto at = suffixes.find(v.back());
        if (at != std::string_view::npos) {
            shift = 10 * (at + 1);
            digits.pop_back();
        }
    }
    std::uint64_t n = number(key, digits);
    if (shift && n > (UINT64_MAX >> shift)) bad(key, "\"" + v + "\" is out of range");
    return n << shift;
}

std::uint64_t limit(const std::string& key, const std::string& v) {
    return v == "infinity" ? UINT64_MAX : number(key, v);
}

struct Named {
    std::string_view name;
    int value;
};

constexpr std::array<Named, 41> capabilities{{
    {"CAP_CHOWN", CAP_CHOWN}, {"CAP_DAC_OVERRIDE", CAP_DAC_OVERRIDE}, {"CAP_DAC_READ_SEARCH", CAP_DAC_READ_SEARCH},
    {"CAP_FOWNER", CAP_FOWNER}, {"CAP_FSETID", CAP_FSETID}, {"CAP_KILL", CAP_KILL}, {"CAP_SETGID", CAP_SETGID},
    {"CAP_SETUID", CAP_SETUID}, {"CAP_SETPCAP", CAP_SETPCAP}, {"CAP_LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE},
    {"CAP_NET_BIND_SERVICE", CAP_NET_BIND_SERVICE}, {"CAP_NET_BROADCAST", CAP_NET_BROADCAST},
    {"CAP_NET_ADMIN", CAP_NET_ADMIN}, {"CAP_NET_RAW", CAP_NET_RAW}, {"CAP_IPC_LOCK", CAP_IPC_LOCK},
    {"CAP_IPC_OWNER", CAP_IPC_OWNER}, {"CAP_SYS_MODULE", CAP_SYS_MODULE}, {"CAP_SYS_RAWIO", CAP_SYS_RAWIO},
    {"CAP_SYS_CHROOT", CAP_SYS_CHROOT}, {"CAP_SYS_PTRACE", CAP_SYS_PTRACE}, {"CAP_SYS_PACCT", CAP_SYS_PACCT},
    {"CAP_SYS_ADMIN", CAP_SYS_ADMIN}, {"CAP_SYS_BOOT", CAP_SYS_BOOT}, {"CAP_SYS_NICE", CAP_SYS_NICE},
    {"CAP_SYS_RESOURCE", CAP_SYS_RESOURCE}, {"CAP_SYS_TIME", CAP_SYS_TIME},
    {"CAP_SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG}, {"CAP_MKNOD", CAP_MKNOD}, {"CAP_LEASE", CAP_LEASE},
    {"CAP_AUDIT_WRITE", CAP_AUDIT_WRITE}, {"CAP_AUDIT_CONTROL", CAP_AUDIT_CONTROL}, {"CAP_SETFCAP", CAP_SETFCAP},
    {"CAP_MAC_OVERRIDE", CAP_MAC_OVERRIDE}, {"CAP_MAC_ADMIN", CAP_MAC_ADMIN}, {"CAP_SYSLOG", CAP_SYSLOG},
    {"CAP_WAKE_ALARM", CAP_WAKE_ALARM}, {"CAP_BLOCK_SUSPEND", CAP_BLOCK_SUSPEND},
    {"CAP_AUDIT_READ", CAP_AUDIT_READ}, {"CAP_PERFMON", CAP_PERFMON}, {"CAP_BPF", CAP_BPF},
    {"CAP_CHECKPOINT_RESTORE", CAP_CHECKPOINT_RESTORE},
}};

// The errno names SystemCallErrorNumber= is likely to carry.
constexpr std::array<Named, 6> errnos{{
    {"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOSYS", ENOSYS}, {"EINVAL", EINVAL}, {"ENOTSUP", ENOTSUP},
    {"EOPNOTSUPP", EOPNOTSUPP},
}};

std::uint64_t capability_set(const std::string& key, const std::string& v) {
    bool invert = !v.empty() && v[0] == '~';
    std::uint64_t mask;
    try {
        mask = capability_mask(invert ? v.substr(1) : v);
    } catch (const std::invalid_argument& e) {
        bad(key, e.what());
    }
    return invert ? ~mask : mask;
}

constexpr std::string_view boolean_keys[] = {
    "NoNewPrivileges", "PrivateTmp", "PrivateDevices", "PrivateNetwork", "PrivateUsers", "PrivateMounts",
    "PrivateIPC", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups",
    "ProtectClock", "ProtectHostname", "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "RemoveIPC",
    "MemoryDenyWriteExecute", "MemoryAccounting", "CPUAccounting", "TasksAccounting", "IOAccounting",
    "IgnoreSIGPIPE", "DynamicUser", "MountAPIVFS", "Delegate", "SendSIGKILL"};
constexpr std::string_view string_keys[] = {
    "User", "Group", "WorkingDirectory", "ProtectSystem", "ProtectHome", "ProtectProc", "ProcSubset",
    "DevicePolicy", "Slice", "RootDirectory"};
constexpr std::string_view list_keys[] = {
    "Environment", "UnsetEnvironment", "PassEnvironment", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
    "SystemCallArchitectures", "SupplementaryGroups", "ExecPaths"};
constexpr std::string_view other_keys[] = {
    "SystemCallFilter", "RestrictAddressFamilies", "CapabilityBoundingSet", "AmbientCapabilities",
    "RestrictNamespaces", "MemoryMax", "MemoryHigh", "CPUQuota", "CPUWeight", "TasksMax", "LimitNOFILE",
    "Nice", "SystemCallErrorNumber", "UMask", "EnvironmentFile", "RuntimeMaxSec"};

template <std::size_t N>
bool in(const std::string_view (&keys)[N], const std::string& key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

}  // namespace

std::uint64_t capability_mask(const std::string& names) {
    std::uint64_t mask = 0;
    for (const auto& w : words("CapabilityBoundingSet", names, {})) {
        auto it = std::find_if(capabilities.begin(), capabilities.end(), [&w](const Named& c) { return c.name == w; });
        if (it == capabilities.end()) throw std::invalid_argument("unknown capability " + w);
        mask |= std::uint64_t(1) << it->value;
    }
    return mask;
}

bool transient_key_known(const std::string& key) {
    return in(boolean_keys, key) || in(string_keys, key) || in(list_keys, key) || in(other_keys, key);
}

std::optional<std::vector<BusProperty>> transient_properties(const std::string& key, const std::string& value,
                                                             const std::string& instance) {
    auto one = [&key](auto v) { return std::vector<BusProperty>{BusProperty{key, std::move(v)}}; };
    auto single = [&]() { return expand_specifiers(key, value, instance); };
    if (in(boolean_keys, key)) return one(boolean(key, value));
    if (in(string_keys, key)) return one(single());
    if (in(list_keys, key)) return one(words(key, value, instance));
    if (key == "SystemCallFilter" || key == "RestrictAddressFamilies") {
        bool deny = !value.empty() && value[0] == '~';
        return one(AllowList{!deny, words(key, deny ? value.substr(1) : value, instance)});
    }
    if (key == "CapabilityBoundingSet" || key == "AmbientCapabilities") return one(capability_set(key, value));
    if (key == "RestrictNamespaces") {
        constexpr std::uint64_t all =
            CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWUTS;
        return one(std::uint64_t(boolean(key, value) ? 0 : all));
    }
    if (key == "MemoryMax" || key == "MemoryHigh") return one(size(key, value));
    if (key == "TasksMax") return one(limit(key, value));
    if (key == "CPUWeight") return one(number(key, value));
    if (key == "CPUQuota") {
        if (value.size() < 2 || value.back() != '%') bad(key, "\"" + value + "\" is not a percentage");
        // CPUQuotaPerSecUSec: CPU time per second of wall clock, in µs.
        return std::vector<BusProperty>{{"CPUQuotaPerSecUSec", number(key, value.substr(0, value.size() - 1)) * 10000}};
    }
    if (key == "LimitNOFILE") {
        auto colon = value.find(':');
        std::uint64_t soft = limit(key, value.substr(0, colon));
        std::uint64_t hard = colon == std::string::npos ? soft : limit(key, value.substr(colon + 1));
        return std::vector<BusProperty>{{"LimitNOFILE", hard}, {"LimitNOFILESoft", soft}};
    }
    if (key == "Nice") {
        bool negative = !value.empty() && value[0] == '-';
        auto n = std::int64_t(number(key, negative ? value.substr(1) : value));
        if (negative) n = -n;
        if (n < -20 || n > 19) bad(key, "\"" + value + "\" is not from -20 to 19");
        return one(std::int32_t(n));
    }
    if (key == "SystemCallErrorNumber") {
        auto it = std::find_if(errnos.begin(), errnos.end(), [&value](const Named& e) { return e.name == value; });
        if (it == errnos.end()) bad(key, "\"" + value + "\" is not an errno name formation knows");
        return one(std::int32_t(it->value));
    }
    if (key == "UMask") return one(std::uint32_t(number(key, value, 8)));
    if (key == "RuntimeMaxSec") {
        // Only as formation writes it for a one-off: microseconds, "120000000us".
        if (value.size() < 3 || !value.ends_with("us")) bad(key, "\"" + value + "\" is not N \"us\"");
        return std::vector<BusProperty>{{"RuntimeMaxUSec", number(key, value.substr(0, value.size() - 2))}};
    }
    if (key == "EnvironmentFile") {
        std::string path = single();
        bool optional = !path.empty() && path[0] == '-';
        return std::vector<BusProperty>{{"EnvironmentFiles", FileList{{optional ? path.substr(1) : path, optional}}}};
    }
    return std::nullopt;
}

}  // namespace formation::systemd
