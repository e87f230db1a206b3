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

}  // namespace formation
