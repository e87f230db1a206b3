#include "formation/values.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace formation {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool mul_add(std::uint64_t& acc, std::uint64_t mul, std::uint64_t add) {
    return !__builtin_mul_overflow(acc, mul, &acc) && !__builtin_add_overflow(acc, add, &acc);
}

// A decimal number with an optional fraction, scaled by `unit` (an integer
// number of base units). Fraction digits past the sixth are ignored: a
// microsecond or a byte is the finest grain either caller needs.
struct Number {
    std::uint64_t whole = 0;
    std::uint64_t frac = 0;       // fraction digits as an integer
    std::uint64_t frac_scale = 1;  // 10^(digits kept)
};

std::optional<Number> read_number(std::string_view& s) {
    Number n;
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) {
        if (!mul_add(n.whole, 10, static_cast<std::uint64_t>(s[i] - '0'))) return std::nullopt;
        ++i;
    }
    if (i == 0) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t start = i;
        while (i < s.size() && is_digit(s[i])) {
            if (i - start < 6) {
                n.frac = n.frac * 10 + static_cast<std::uint64_t>(s[i] - '0');
                n.frac_scale *= 10;
            }
            ++i;
        }
        if (i == start) return std::nullopt;
    }
    s.remove_prefix(i);
    return n;
}

std::optional<std::uint64_t> scale(const Number& n, std::uint64_t unit) {
    std::uint64_t v = n.whole;
    std::uint64_t frac = 0;
    // frac < frac_scale ≤ 10^6, so frac * unit / frac_scale < unit: no overflow
    // unless unit itself is huge, which the callers' units are not.
    if (__builtin_mul_overflow(n.frac, unit, &frac)) return std::nullopt;
    if (!mul_add(v, unit, frac / n.frac_scale)) return std::nullopt;
    return v;
}

void skip_spaces(std::string_view& s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::optional<std::uint64_t> duration_unit(std::string_view u) {
    constexpr std::uint64_t sec = 1000000;
    struct Unit { std::string_view name; std::uint64_t usec; };
    static constexpr std::array<Unit, 9> units{{
        {"us", 1}, {"ms", 1000}, {"s", sec}, {"sec", sec}, {"m", 60 * sec},
        {"min", 60 * sec}, {"h", 3600 * sec}, {"hr", 3600 * sec}, {"d", 86400 * sec},
    }};
    for (const auto& unit : units)
        if (unit.name == u) return unit.usec;
    return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_duration(std::string_view text) {
    skip_spaces(text);
    if (text.empty()) return std::nullopt;
    std::uint64_t total = 0;
    while (!text.empty()) {
        auto n = read_number(text);
        if (!n) return std::nullopt;
        skip_spaces(text);
        std::size_t len = 0;
        while (len < text.size() && is_lower(text[len])) ++len;
        auto unit = duration_unit(text.substr(0, len));
        if (!unit) return std::nullopt;
        text.remove_prefix(len);
        auto part = scale(*n, *unit);
        if (!part || __builtin_add_overflow(total, *part, &total)) return std::nullopt;
        skip_spaces(text);
    }
    return total;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    skip_spaces(text);
    auto n = read_number(text);
    if (!n) return std::nullopt;
    skip_spaces(text);
    std::uint64_t unit = 1;
    if (!text.empty()) {
        static constexpr std::string_view suffixes = "KMGTPE";
        auto at = suffixes.find(text.front());
        if (at == std::string_view::npos) return std::nullopt;
        for (std::size_t i = 0; i <= at; ++i) unit *= 1024;
        text.remove_prefix(1);
        skip_spaces(text);
        if (!text.empty()) return std::nullopt;
    }
    return scale(*n, unit);
}

bool is_valid_app_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !is_lower(name.front())) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c == '-') {
            // A dash only between two letters/digits: no "--", no trailing "-".
            if (i + 1 == name.size() || name[i + 1] == '-') return false;
        } else if (!is_lower(c) && !is_digit(c)) {
            return false;
        }
    }
    return true;
}

bool is_taken_scheduled_name(std::string_view name) { return name == "health" || name == "socket"; }

bool is_valid_type_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !is_lower(name.front())) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

bool is_valid_env_name(std::string_view name) {
    if (name.empty() || is_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == '_'; });
}

bool is_valid_user_name(std::string_view name) {
    if (name.empty()) return false;
    if (std::all_of(name.begin(), name.end(), is_digit)) {
        // parse_uid(): "0", or no leading zero; then uid_is_valid(). A numeric
        // string it refuses is not a valid name either (VALID_USER_RELAX).
        if (name.size() > 10 || (name.size() > 1 && name.front() == '0')) return false;
        std::uint64_t id = 0;
        for (char c : name) id = id * 10 + static_cast<std::uint64_t>(c - '0');
        return id < 4294967295u && id != 65535;
    }
    if (name.size() > 31 || !(is_alpha(name.front()) || name.front() == '_')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '-';
    });
}

std::optional<std::string> path_problem(std::string_view path) {
    constexpr std::size_t name_max = 255, path_max = 4096;  // PATH_MAX counts the NUL
    if (path.empty() || path.front() != '/') return "is not absolute";
    if (path.size() >= path_max)
        return "is " + std::to_string(path.size()) + " bytes long (at most " + std::to_string(path_max - 1) + ")";
    if (path.find("//") != std::string_view::npos) return "has an empty component (\"//\")";
    std::string_view rest = path.substr(1);
    while (!rest.empty()) {
        std::size_t slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        if (part == "." || part == "..") return "has a \"" + std::string(part) + "\" component";
        if (part.size() > name_max)
            return "has a component of " + std::to_string(part.size()) + " bytes (at most " +
                   std::to_string(name_max) + ")";
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return std::nullopt;
}

std::optional<std::string> program_problem(std::string_view word) {
    constexpr std::string_view exec_prefixes = "-@:+!|";
    if (word.empty()) return "is empty";
    if (exec_prefixes.find(word.front()) != std::string_view::npos)
        return "starts with one of systemd's prefixes - @ : + ! |, which it reads as a flag";
    // string_is_safe(): no control characters, quotes or backslashes.
    if (has_control_chars(word) || word.find_first_of("\"'\\") != std::string_view::npos)
        return "has a quote, a backslash or a control character, which systemd refuses in a program name";
    // Written "$$" so systemd does not expand it, which it undoes in the
    // arguments but not in the path it executes.
    if (word.find('$') != std::string_view::npos)
        return "has a \"$\", which systemd would keep as \"$$\" in the path it executes";
    if (word.front() == '/') {
        if (word.back() == '/') return "ends with \"/\", which names a directory";
        if (auto p = path_problem(word)) return p;
        return std::nullopt;
    }
    if (word.find_first_of(" \t/") != std::string_view::npos)
        return "is neither an absolute path nor a program name without spaces or \"/\"";
    if (word == "." || word == "..") return "is not a program name";
    if (word.size() > 255) return "is " + std::to_string(word.size()) + " bytes long (a program name is at most 255)";
    return std::nullopt;
}

bool is_valid_directive_key(std::string_view key) {
    if (key.empty() || !is_upper(key.front())) return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

std::optional<std::string> normalize_signal(std::string_view name) {
    static constexpr std::array<std::string_view, 8> accepted{
        "TERM", "INT", "QUIT", "HUP", "USR1", "USR2", "WINCH", "KILL"};
    if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
    for (auto s : accepted)
        if (s == name) return "SIG" + std::string(s);
    return std::nullopt;
}

bool has_control_chars(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) {
                           auto u = static_cast<unsigned char>(c);
                           return u < 0x20 || u == 0x7f;
                       }) ||
           find_hidden_char(s);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein plus swapped neighbours, the
    // commonest typo ("prot" for "port").
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t best = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = std::min(best, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = best;
        }
    }
    return d.back();
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string_view>& candidates) {
    std::string folded(word);
    std::transform(folded.begin(), folded.end(), folded.begin(), lower);
    // Up to two edits, fewer for short words so "ab" does not suggest "nice".
    const std::size_t limit = std::min<std::size_t>(2, std::max<std::size_t>(1, word.size() / 3));
    std::optional<std::string> found;
    std::size_t found_distance = limit + 1;
    for (auto c : candidates) {
        std::size_t d = edit_distance(folded, c);
        if (d < found_distance && d < c.size()) {
            found = std::string(c);
            found_distance = d;
        }
    }
    return found;
}

namespace {

struct Reserved {
    std::string_view name;
    bool prefix;
    std::string_view why;
};

// systemd.exec(5) of systemd 252, "Environment Variables in Spawned
// Processes", and systemd.socket(5) for Accept=yes: what systemd sets to tell
// the process something. A value from the formation would replace systemd's
// (Environment= wins over them). PATH, LANG, TERM, HOME and SHELL are not
// here: systemd sets them too, but as defaults a formation may change (PATH
// for a virtualenv, HOME for a user without one).
constexpr std::array<Reserved, 31> reserved{{
    {"LISTEN_", true, "is set by systemd to hand over listening sockets (sd_listen_fds(3)), as socket = true does"},
    {"NOTIFY_SOCKET", false, "is set by systemd for readiness and status messages (sd_notify(3)), which ready = \"notify\" uses"},
    {"WATCHDOG_PID", false, "is set by systemd for its watchdog (sd_watchdog_enabled(3)); set WatchdogSec= in the escape hatch"},
    {"WATCHDOG_USEC", false, "is set by systemd for its watchdog (sd_watchdog_enabled(3)); set WatchdogSec= in the escape hatch"},
    {"MAINPID", false, "is set by systemd to the main process's PID for ExecReload= and ExecStop= (reload_signal's kill uses it)"},
    {"MANAGERPID", false, "is set by systemd to the PID of the service manager"},
    {"SYSTEMD_EXEC_PID", false, "is set by systemd to the PID of the process it started"},
    {"INVOCATION_ID", false, "is set by systemd to the ID of this run of the instance, which its journal lines carry"},
    {"JOURNAL_STREAM", false, "is set by systemd when the output goes to the journal; programs choose how to log by it"},
    {"LOG_NAMESPACE", false, "is set by systemd from LogNamespace="},
    {"SERVICE_RESULT", false, "is set by systemd for ExecStop= and ExecStopPost= to say how the service ended"},
    {"EXIT_CODE", false, "is set by systemd for ExecStop= and ExecStopPost= to say how the service ended"},
    {"EXIT_STATUS", false, "is set by systemd for ExecStop= and ExecStopPost= to say how the service ended"},
    {"MONITOR_", true, "is set by systemd for the units OnFailure= and OnSuccess= start"},
    {"TRIGGER_", true, "is set by systemd for the units a path or timer unit starts"},
    {"PIDFILE", false, "is set by systemd from PIDFile="},
    {"RUNTIME_DIRECTORY", false, "is set by systemd from RuntimeDirectory= (set that in the escape hatch: systemd then makes the directory)"},
    {"STATE_DIRECTORY", false, "is set by systemd from StateDirectory= (set that in the escape hatch: systemd then makes the directory)"},
    {"CACHE_DIRECTORY", false, "is set by systemd from CacheDirectory= (set that in the escape hatch: systemd then makes the directory)"},
    {"LOGS_DIRECTORY", false, "is set by systemd from LogsDirectory= (set that in the escape hatch: systemd then makes the directory)"},
    {"CONFIGURATION_DIRECTORY", false, "is set by systemd from ConfigurationDirectory= (set that in the escape hatch)"},
    {"CREDENTIALS_DIRECTORY", false, "is set by systemd from LoadCredential= and SetCredential= (set those in the escape hatch)"},
    {"REMOTE_ADDR", false, "is set by systemd for a connection a socket unit with Accept=yes hands over"},
    {"REMOTE_PORT", false, "is set by systemd for a connection a socket unit with Accept=yes hands over"},
    {"USER", false, "is set by systemd to the user the process runs as; set user instead"},
    {"LOGNAME", false, "is set by systemd to the user the process runs as; set user instead"},
    // Set under a user manager and by pam_systemd: which session the process belongs to.
    {"XDG_SESSION_ID", false, "is set by pam_systemd to the login session of the process"},
    {"XDG_SEAT", false, "is set by pam_systemd to the seat of the login session"},
    {"XDG_VTNR", false, "is set by pam_systemd to the virtual terminal of the login session"},
    {"MEMORY_PRESSURE_", true, "is set by systemd (254 and later) for memory pressure notification"},
    {"FDSTORE", false, "is set by systemd (254 and later) for its file descriptor store"},
}};

// Read by the shell, the C library, the dynamic loader or the locale as
// something else than a name: "web.2" there breaks the process.
constexpr std::array<std::string_view, 26> runtime_names{
    "PATH", "HOME", "SHELL", "TERM", "TZ", "TMPDIR", "PWD", "OLDPWD", "IFS", "ENV", "BASH_ENV", "CDPATH",
    "LANG", "LANGUAGE", "PS1", "PS2", "PS3", "PS4", "SHLVL", "HOSTNAME", "MAIL", "MAILPATH", "NLSPATH",
    "LOCPATH", "POSIXLY_CORRECT", "HOSTALIASES",
};
constexpr std::array<std::string_view, 6> runtime_prefixes{"LC_", "LD_", "XDG_", "MALLOC_", "GLIBC_", "GCONV_"};

struct Hidden {
    std::uint32_t from, to;
    std::string_view name;
};

constexpr std::array<Hidden, 19> hidden{{
    {0x0080, 0x009f, "a C1 control character"},
    {0x061c, 0x061c, "arabic letter mark"},
    {0x200b, 0x200b, "zero width space"},
    {0x200c, 0x200c, "zero width non-joiner"},
    {0x200d, 0x200d, "zero width joiner"},
    {0x200e, 0x200e, "left-to-right mark"},
    {0x200f, 0x200f, "right-to-left mark"},
    {0x2028, 0x2028, "line separator"},
    {0x2029, 0x2029, "paragraph separator"},
    {0x202a, 0x202a, "left-to-right embedding"},
    {0x202b, 0x202b, "right-to-left embedding"},
    {0x202c, 0x202c, "pop directional formatting"},
    {0x202d, 0x202d, "left-to-right override"},
    {0x202e, 0x202e, "right-to-left override"},
    {0x2060, 0x2064, "an invisible character"},
    {0x2066, 0x2066, "left-to-right isolate"},
    {0x2067, 0x2068, "a directional isolate"},
    {0x2069, 0x2069, "pop directional isolate"},
    {0xfeff, 0xfeff, "zero width no-break space (byte order mark)"},
}};

const Hidden* hidden_kind(std::uint32_t cp) {
    for (const auto& h : hidden)
        if (cp >= h.from && cp <= h.to) return &h;
    return nullptr;
}

// The code point at s[i] and its length in bytes; a byte that starts no
// valid sequence counts as itself, one byte long.
std::uint32_t decode_utf8(std::string_view s, std::size_t i, std::size_t* len) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n <= 1 || i + n > s.size()) {
        *len = 1;
        return b;
    }
    std::uint32_t cp = b & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k) {
        auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xc0) != 0x80) {
            *len = 1;
            return b;
        }
        cp = (cp << 6) | (c & 0x3f);
    }
    *len = n;
    return cp;
}

std::string code_point_name(std::uint32_t cp) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "U+";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
    return out;
}

}  // namespace

std::optional<std::string> reserved_env_name(std::string_view name) {
    for (const auto& r : reserved)
        if (r.prefix ? name.starts_with(r.name) : name == r.name) return std::string(r.why);
    return std::nullopt;
}

std::optional<std::string> instance_env_problem(std::string_view name) {
    if (auto why = reserved_env_name(name)) return why;
    if (name == "PORT") return std::string("is each instance's port");
    if (name.starts_with("FORMATION_")) return std::string("is formation's (FORMATION_APP, FORMATION_INSTANCE, FORMATION_HEALTH_SOCKET)");
    bool runtime = std::find(runtime_names.begin(), runtime_names.end(), name) != runtime_names.end() ||
                   std::any_of(runtime_prefixes.begin(), runtime_prefixes.end(),
                               [&](std::string_view p) { return name.starts_with(p); });
    if (runtime)
        return std::string("is read by the shell, the C library, the dynamic loader or the locale as something "
                           "else than an instance's name");
    return std::nullopt;
}

std::optional<HiddenChar> find_hidden_char(std::string_view s) {
    std::size_t index = 0;
    for (std::size_t i = 0; i < s.size(); ++index) {
        std::size_t len = 1;
        std::uint32_t cp = decode_utf8(s, i, &len);
        if (len > 1)
            if (const Hidden* h = hidden_kind(cp))
                return HiddenChar{index, cp, code_point_name(cp) + " (" + std::string(h->name) + ")"};
        i += len;
    }
    return std::nullopt;
}

std::string quoted(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        auto u = static_cast<unsigned char>(c);
        std::size_t len = 1;
        std::uint32_t cp = u >= 0x80 ? decode_utf8(s, i, &len) : u;
        if (len > 1 && hidden_kind(cp)) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
        } else if (len > 1) {
            out.append(s.substr(i, len));
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
        i += len;
    }
    out += '"';
    return out;
}

}  // namespace formation
