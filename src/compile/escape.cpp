#include "compile/escape.hpp"

#include <array>
#include <cstdio>

namespace formation {

namespace {

void append_c_escaped(std::string& out, unsigned char c) {
    switch (c) {
        case '\\': out += "\\\\"; return;
        case '"': out += "\\\""; return;
        case '\n': out += "\\n"; return;
        case '\t': out += "\\t"; return;
        case '\r': out += "\\r"; return;
        default: break;
    }
    if (c < 0x20 || c == 0x7f) {
        std::array<char, 5> buf{};
        std::snprintf(buf.data(), buf.size(), "\\x%02x", c);
        out += buf.data();
        return;
    }
    out += static_cast<char>(c);
}

std::string quote(std::string_view s, bool double_dollar) {
    std::string out = "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '%')
            out += "%%";
        else if (c == '$' && double_dollar)
            out += "$$";
        else
            append_c_escaped(out, c);
    }
    out += '"';
    return out;
}

}  // namespace

std::string quote_exec_word(std::string_view word) { return quote(word, true); }

std::string list_word(std::string_view word) {
    for (char ch : word) {
        auto c = static_cast<unsigned char>(ch);
        if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '\\') return quote(word, false);
    }
    return escape_specifiers(word);
}

std::string exec_line(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& w : argv) {
        if (!out.empty()) out += ' ';
        out += quote_exec_word(w);
    }
    return out;
}

std::string quote_env_assignment(std::string_view name, std::string_view value) {
    std::string assignment(name);
    assignment += '=';
    assignment += value;
    return quote(assignment, false);
}

std::string escape_specifiers(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '%') out += '%';
        out += c;
    }
    return out;
}

std::string printable(std::string_view value) {
    std::string out;
    for (char ch : value) {
        auto c = static_cast<unsigned char>(ch);
        out += (c < 0x20 || c == 0x7f) ? ' ' : ch;
    }
    return out;
}

std::string format_timespan(unsigned long long usec) {
    struct Unit {
        const char* suffix;
        unsigned long long usec;
    };
    static constexpr std::array<Unit, 6> units{{
        {"h", 3600000000ULL}, {"min", 60000000ULL}, {"s", 1000000ULL}, {"ms", 1000ULL}, {"us", 1ULL}, {"", 0}}};
    if (usec == 0) return "0";
    std::string out;
    for (const auto& u : units) {
        if (u.usec == 0 || usec == 0) break;
        if (usec >= u.usec) {
            if (!out.empty()) out += ' ';
            out += std::to_string(usec / u.usec) + u.suffix;
            usec %= u.usec;
        }
    }
    return out;
}

namespace {

bool is_reserved_word(std::string_view w) {
    static constexpr std::array<std::string_view, 16> words{
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
        "while", "until", "for", "in", "{", "}", "!"};
    for (auto r : words)
        if (w == r) return true;
    return w == "function" || w == "exec";
}

// Shell builtins with no program of the same name: "exec exit 3" would fail.
bool is_shell_only_builtin(std::string_view w) {
    static constexpr std::array<std::string_view, 28> words{
        "exit", "cd", "export", "set", ".", "eval", "trap", "umask", "ulimit", "wait",
        "read", "shift", "unset", "return", "break", "continue", "alias", "unalias",
        "local", "readonly", "times", "type", "command", "getopts", "hash", "jobs", "source", ":"};
    for (auto b : words)
        if (w == b) return true;
    return false;
}

}  // namespace

bool is_simple_shell_command(std::string_view line) {
    // Outside quotes, any list/pipeline/grouping operator makes it compound.
    // Command substitutions $( … ) and ` … ` may hold anything: skip them.
    bool single = false, dbl = false;
    int subst = 0;
    std::string first_word;
    bool in_first_word = true, seen_word = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (single) {
            if (c == '\'') single = false;
            continue;
        }
        if (c == '\\') {
            ++i;
            continue;
        }
        if (dbl) {
            if (c == '"') dbl = false;
            else if (c == '$' && i + 1 < line.size() && line[i + 1] == '(') { ++subst; ++i; }
            else if (c == ')' && subst > 0) --subst;
            continue;
        }
        if (c == '\'') { single = true; continue; }
        if (c == '"') { dbl = true; continue; }
        if (c == '$' && i + 1 < line.size() && line[i + 1] == '(') { ++subst; ++i; continue; }
        if (subst > 0) {
            if (c == ')') --subst;
            continue;
        }
        if (c == '`') {
            std::size_t end = line.find('`', i + 1);
            if (end == std::string_view::npos) return false;
            i = end;
            continue;
        }
        // A redirect that duplicates or closes a descriptor (2>&1, >&2, <&-)
        // or overrides noclobber (>|) is still part of one simple command.
        const char prev = i > 0 ? line[i - 1] : '\0';
        if ((c == '&' && (prev == '>' || prev == '<')) || (c == '|' && prev == '>')) continue;
        if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '\n') return false;
        bool space = c == ' ' || c == '\t';
        if (space) {
            if (seen_word) in_first_word = false;
            continue;
        }
        seen_word = true;
        if (in_first_word) first_word += c;
    }
    if (single || dbl || subst > 0 || first_word.empty()) return false;
    if (first_word == "exec") return true;
    return !is_reserved_word(first_word) && !is_shell_only_builtin(first_word);
}

namespace {

// End of the shell word starting at `i` (quotes and backslashes respected).
std::size_t word_end(std::string_view line, std::size_t i) {
    char quote = 0;
    for (; i < line.size(); ++i) {
        char c = line[i];
        if (quote) {
            if (c == quote) quote = 0;
            else if (c == '\\' && quote == '"') ++i;
        } else if (c == '\\') {
            ++i;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ' ' || c == '\t') {
            break;
        }
    }
    return i;
}

bool is_assignment(std::string_view word) {
    std::size_t eq = word.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    for (std::size_t i = 0; i < eq; ++i) {
        char c = word[i];
        bool ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string prefix_exec(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t end = word_end(line, i);
        std::string_view word = line.substr(i, end - i);
        if (word == "exec") return std::string(line);
        if (!is_assignment(word)) break;
        i = end;
    }
    std::string out(line.substr(0, i));
    out += "exec ";
    out += line.substr(i);
    return out;
}

}  // namespace formation
