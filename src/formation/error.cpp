#include "formation/error.hpp"

#include <algorithm>
#include <cstdio>

#include "text/utf8.hpp"

namespace formation {

namespace {

std::string first_message(const std::vector<Diagnostic>& ds) {
    return ds.empty() ? std::string("invalid formation") : ds.front().message;
}

std::string_view line_of(std::string_view source, int line) {
    int current = 1;
    std::size_t start = 0;
    while (current < line) {
        std::size_t nl = source.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
        ++current;
    }
    std::size_t end = source.find('\n', start);
    std::string_view text = source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%0*x", prefix, digits, value);
    out += buf;
}

bool is_bidi_control(unsigned cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

// Where each character of `text` starts (a byte that is not UTF-8 counts
// as one character, as it is shown as one escape).
std::vector<std::size_t> char_starts(std::string_view text) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size();) {
        starts.push_back(i);
        std::size_t n = utf8::sequence_length(text, i);
        i += n == 0 ? 1 : n;
    }
    return starts;
}

// Characters of a source line shown under an error: a longer line (a
// generated or hostile file, 200 KB on one line) is cut around the column.
constexpr std::size_t max_shown = 160;

// The source line, escaped, and a caret under `column` (counted in
// characters, as the parser counts): "    LINE\n    ^\n".
std::string echo_line(std::string_view text, int column) {
    const std::vector<std::size_t> starts = char_starts(text);
    const std::size_t n = starts.size();
    const std::size_t at = column > 0 ? static_cast<std::size_t>(column - 1) : 0;
    std::size_t first = 0, last = n;  // the characters shown
    if (n > max_shown) {
        first = std::min(at > max_shown / 2 ? at - max_shown / 2 : 0, n - max_shown);
        last = first + max_shown;
    }
    auto piece = [&](std::size_t i) {
        std::size_t end = i + 1 < n ? starts[i + 1] : text.size();
        return text.substr(starts[i], end - starts[i]);
    };
    std::string shown = "    ", caret = "    ";
    if (first > 0) {
        shown += "…";
        caret += ' ';
    }
    for (std::size_t i = first; i < last; ++i) {
        std::string_view c = piece(i);
        std::string safe = terminal_safe(c, true);
        shown += safe;
        // Keep tabs so the caret lines up under tabbed source.
        if (i < at) caret += c == "\t" ? std::string("\t") : std::string(utf8::columns(safe), ' ');
    }
    if (last < n) shown += "…";
    shown += '\n';
    if (column > 0) shown += caret + "^\n";
    return shown;
}

}  // namespace

FormationError::FormationError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(first_message(diagnostics)), diagnostics_(std::move(diagnostics)) {}

FormationError::FormationError(Diagnostic diagnostic)
    : FormationError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

std::string terminal_safe(std::string_view s, bool keep_tabs) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            std::size_t n = utf8::sequence_length(s, i);
            if (n == 0) {
                append_hex(out, "\\x", c, 2);
                ++i;
                continue;
            }
            auto cp = static_cast<unsigned>(utf8::code_point(s, i, n));
            if (cp < 0xA0 || is_bidi_control(cp)) append_hex(out, "\\u", cp, 4);  // C1 control, bidi control
            else out.append(s.substr(i, n));
            i += n;
            continue;
        }
        ++i;
        switch (c) {
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += keep_tabs ? "\t" : "\\t"; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7f) append_hex(out, "\\x", c, 2);
        else out += static_cast<char>(c);
    }
    return out;
}

std::string format_diagnostic(const Diagnostic& d, std::string_view source, std::string_view severity) {
    std::string out = terminal_safe(d.where.file);
    if (d.where.line > 0) {
        out += ':' + std::to_string(d.where.line);
        if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
    }
    out += ": ";
    out += severity;
    out += ": ";
    out += terminal_safe(d.message, true);
    out += '\n';
    if (d.where.line > 0) {
        std::string_view text = line_of(source, d.where.line);
        if (!text.empty()) out += echo_line(text, d.where.column);
    }
    return out;
}

}  // namespace formation
