// The value of a directive as systemd 252 reads it; see directive_values_252.hpp.
#include "formation/directive_values_252.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formation/values.hpp"

namespace formation {

namespace detail {

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

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

bool has_dot_dot(std::string_view path) {
    while (!path.empty()) {
        std::size_t slash = path.find('/');
        if (path.substr(0, slash) == "..") return true;
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return false;
}

std::optional<std::string> words_problem(std::string_view value, std::vector<std::string>* words) {
    std::string word, problem;
    while (next_word(value, word, &problem)) words->push_back(word);
    if (!problem.empty()) return "the value " + problem;
    return std::nullopt;
}

}  // namespace

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
        if (name == "FORMATION_APP" || name == "FORMATION_INSTANCE" || name == "FORMATION_HEALTH_SOCKET")
            return name + " is set by formation for every instance (see ENVIRONMENT in formation.toml(5))";
    }
    return std::nullopt;
}

}  // namespace detail

std::vector<std::string> raw_environment_names(std::string_view value) {
    std::vector<std::string> words, names;
    if (detail::words_problem(value, &words)) return names;
    for (const auto& w : words) names.push_back(w.substr(0, w.find('=')));
    return names;
}

}  // namespace formation
