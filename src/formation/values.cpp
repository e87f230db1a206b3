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
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
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

std::string quoted(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
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
    }
    out += '"';
    return out;
}

}  // namespace formation
