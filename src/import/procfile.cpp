// A Procfile line is NAME: COMMAND. foreman (lib/foreman/procfile.rb) and
// honcho (honcho/environ.py) use the same pattern, ^([A-Za-z0-9_-]+):\s*(.+)$,
// and ignore every line that does not match it; comments and blank lines are
// simply lines that do not match. Where they differ:
//
//   input                    foreman                  honcho                  import
//   line ends                "\r\n" and "\n"          also lone "\r", "\v",   as --dialect
//                                                     "\f", U+2028, ...
//   a name declared twice    runs both, one           refuses the Procfile    refused (both dialects):
//                            name for two commands                            unit names must be unique
//   no entry at all          refuses (EmptyFileError) starts nothing          refused
//   "\s" after the colon     ASCII whitespace         any Unicode space       ASCII whitespace
//
// Lines both tools ignore (indented, "web : x", "web.1: x", "web:") are
// ignored here too, with a warning naming the line, since a type that
// silently disappears is the likeliest surprise of a migration.
#include "import/procfile.hpp"

#include <map>

#include "import/import_text.hpp"
#include "text/utf8.hpp"
#include "formation/values.hpp"

namespace formation {

namespace {

using import_text::is_blank;
using import_text::is_space;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::size_t name_length(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_name_char(s[n])) ++n;
    return n;
}

// Why a non-blank, non-comment line is not an entry.
std::string ignored_because(std::string_view text) {
    std::string_view body = import_text::trim_left(text);
    std::size_t n = name_length(body);
    bool entry_shaped = n > 0 && n < body.size() && body[n] == ':';
    if (body.size() != text.size() && entry_shaped)
        return "line ignored: it is indented, and foreman and honcho read an entry only at the start of a line";
    if (entry_shaped) return "line ignored: " + quoted(body.substr(0, n)) + " has no command";
    return "line ignored: not NAME: COMMAND, with NAME made of letters, digits, \"_\" and \"-\" "
           "(foreman and honcho ignore it too)";
}

}  // namespace

Procfile parse_procfile(std::string_view text, const std::string& file, Dialect dialect) {
    Procfile out;
    std::vector<Diagnostic> errors;
    std::map<std::string, int, std::less<>> first_line;
    for (const auto& line : import_text::split_lines(text, dialect)) {
        std::string_view t = line.text;
        std::string_view body = import_text::trim_left(t);
        if (body.empty() || body.front() == '#') continue;
        SourcePos where{file, line.number, 1};
        std::size_t n = name_length(t);
        std::size_t c = n;
        if (n > 0 && c < t.size() && t[c] == ':') {
            ++c;
            while (c < t.size() && is_space(t[c])) ++c;
        }
        // (.+) needs one character, so a colon followed by blanks only still
        // "matches" with a blank command: nothing either tool could run.
        if (n == 0 || n == t.size() || t[n] != ':' || is_blank(t.substr(n + 1))) {
            out.warnings.push_back({where, ignored_because(t)});
            continue;
        }
        std::string name(t.substr(0, n));
        if (!utf8::is_valid(t)) {
            errors.push_back({where, "process type " + quoted(name) + ": the line is not valid UTF-8"});
            continue;
        }
        if (t.find('\0') != std::string_view::npos) {
            errors.push_back({where, "process type " + quoted(name) + ": the line contains a NUL character"});
            continue;
        }
        if (auto it = first_line.find(name); it != first_line.end()) {
            errors.push_back({where, "process type " + quoted(name) + " is declared twice (first on line " +
                                         std::to_string(it->second) +
                                         "); foreman would run both under one name, honcho refuses the Procfile"});
            continue;
        }
        first_line.emplace(name, line.number);
        out.entries.push_back({std::move(name), std::string(t.substr(c)), line.number, static_cast<int>(c) + 1});
    }
    if (errors.empty() && out.entries.empty())
        errors.push_back({SourcePos{file, 0, 0}, "no process types: no line of the form NAME: COMMAND"});
    if (!errors.empty()) throw FormationError(std::move(errors));
    return out;
}

}  // namespace formation
