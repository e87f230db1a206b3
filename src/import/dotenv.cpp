// foreman (lib/foreman/env.rb) reads a .env line with the pattern
// \A([A-Za-z_0-9]+)=(.*)\z and strips one pair of surrounding quotes; honcho
// (honcho/environ.py) splits each line with Python's shlex (POSIX mode) and
// joins the words after "=". Their readings differ:
//
//   line                   foreman                    honcho                  import follows
//   FOO=a b                "a b"                      "ab" (words joined)     --dialect
//   FOO=a #c, FOO=a#c      "a #c", "a#c"              "a" (comment)           --dialect; foreman: warning
//   FOO="a\tb"             "atb" (\X is X, \n is NL)  a TAB b                 --dialect
//   FOO='a\nb'             a \ n b (literal)          a NL b (\n, \t always)  --dialect
//   FOO="a\$b"             "a$b"                      "a\$b"                  --dialect
//   FOO=\"x\" (unquoted)   \"x\" (backslashes kept)   "x" (escapes read)     --dialect
//   FOO="a" # c            the whole text, quotes     "a"                     --dialect; foreman: warning
//   FOO=                   ""                         line ignored            --dialect; honcho: warning
//   " FOO=a", "FOO = a"    line ignored               FOO = "a"               --dialect; foreman: warning
//   1FOO=a                 set                        line ignored            refused (foreman); ignored (honcho)
//   export FOO=a           line ignored               line ignored            FOO = "a", with a warning
//   FOO="a NL b" (quoted   FOO = "\"a", next line     refused: no closing     FOO = "a NL b", with a
//   over two lines)        ignored                    quotation               warning
//   FOO="a (never closed)  "\"a"                      refused                 --dialect
//
// `export` lines and multi-line values are read as dotenv libraries read
// them: such files are usually also sourced by a shell, so the variables
// reached foreman's processes through the environment it inherited. Neither
// tool expands $VAR in values, so neither does import.
#include "import/dotenv.hpp"

#include <algorithm>

#include "import/import_text.hpp"
#include "text/utf8.hpp"
#include "formation/values.hpp"

namespace formation {

namespace detail {

void set_env(EnvFile& out, std::string name, std::string value, SourcePos where) {
    auto it = std::find_if(out.entries.begin(), out.entries.end(), [&](const EnvEntry& e) { return e.name == name; });
    if (it != out.entries.end()) {
        it->value = std::move(value);
        it->where = std::move(where);
    } else {
        out.entries.push_back({std::move(name), std::move(value), std::move(where)});
    }
}

}  // namespace detail

namespace {

using import_text::Line;

bool is_foreman_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// foreman's two passes over a double-quoted value: every backslash-n becomes
// a newline, then a backslash followed by any other character (not a
// newline) becomes that character.
std::string foreman_unescape(std::string_view s) {
    std::string pass1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
            pass1 += '\n';
            ++i;
        } else {
            pass1 += s[i];
        }
    }
    std::string out;
    for (std::size_t i = 0; i < pass1.size(); ++i) {
        if (pass1[i] == '\\' && i + 1 < pass1.size() && pass1[i + 1] != '\n') ++i;
        out += pass1[i];
    }
    return out;
}

// Where the quote opened at s[0] closes: the next `q`, skipping
// backslash-escaped characters inside double quotes; npos when it does not.
std::size_t closing_quote(std::string_view s) {
    char q = s.front();
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (q == '"' && s[i] == '\\') {
            ++i;
        } else if (s[i] == q) {
            return i;
        }
    }
    return std::string_view::npos;
}

bool only_comment_after(std::string_view rest) {
    rest = import_text::trim_left(rest);
    return rest.empty() || rest.front() == '#';
}

std::string foreman_quoted(char q, std::string_view inner) {
    return q == '"' ? foreman_unescape(inner) : std::string(inner);
}

struct Reader {
    const std::vector<Line>& lines;
    const std::string& file;
    EnvFile& out;
    std::vector<Diagnostic>& errors;

    // Warnings name the variable and its line and column, never the value:
    // the line is not shown, as it may hold a secret.
    void warn(int line, int column, std::string message) {
        out.warnings.push_back({{file, line, column}, std::move(message)});
    }

    // A value whose quote is not closed on its own line: read the lines up to
    // the closing quote as one value. Returns the index of the last line used.
    std::size_t multi_line(std::size_t i, const std::string& name, int column, std::string_view val) {
        std::string joined(val);
        for (std::size_t j = i + 1; j < lines.size(); ++j) {
            joined += '\n';
            joined += lines[j].text;
            std::size_t close = closing_quote(joined);
            if (close == std::string::npos) continue;
            if (!only_comment_after(std::string_view(joined).substr(close + 1))) {
                errors.push_back({{file, lines[j].number, 1},
                                  "text after the closing quote of " + name + " (opened on line " +
                                      std::to_string(lines[i].number) + ")"});
                return j;
            }
            warn(lines[i].number, column, name + " is quoted over several lines: foreman reads only this line "
                                                 "(quote included) and ignores the rest; imported as one "
                                                 "multi-line value");
            detail::set_env(out, name, foreman_quoted(joined.front(), std::string_view(joined).substr(1, close - 1)),
                            {file, lines[i].number, column});
            return j;
        }
        warn(lines[i].number, column, name + ": no closing quote; imported as foreman reads it, quote included");
        detail::set_env(out, name, std::string(val), {file, lines[i].number, column});
        return i;
    }

    // A line foreman sets nothing for. The variable it seems to set is
    // named only when written NAME = or NAME= (indented): any other text
    // may be a value.
    void ignored(const Line& l, std::string_view body) {
        std::string_view t = body;
        if (t.starts_with("export") && t.size() > 6 && (t[6] == ' ' || t[6] == '\t'))
            t = import_text::trim_left(t.substr(6));
        std::size_t n = 0;
        while (n < t.size() && is_foreman_name_char(t[n])) ++n;
        std::string_view after = t.substr(n);
        while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) after.remove_prefix(1);
        bool named = n > 0 && !after.empty() && after.front() == '=';
        int column = named ? static_cast<int>(t.data() - l.text.data()) + 1 : 1;
        std::string what = named ? "line ignored, " + quoted(t.substr(0, n)) + " not set" : "line ignored";
        if (body.size() != l.text.size())
            warn(l.number, column, what + ": foreman reads NAME=value only at the start of a line");
        else
            warn(l.number, column, what + ": not NAME=value with no space around \"=\" (foreman ignores it too)");
    }

    std::size_t line(std::size_t i) {
        std::string_view t = lines[i].text;
        std::string_view body = import_text::trim_left(t);
        if (body.empty() || body.front() == '#') return i;
        bool exported = false;
        if (t.starts_with("export") && t.size() > 6 && (t[6] == ' ' || t[6] == '\t')) {
            exported = true;
            t = import_text::trim_left(t.substr(6));
        }
        std::size_t n = 0;
        while (n < t.size() && is_foreman_name_char(t[n])) ++n;
        if (n == 0 || n == t.size() || t[n] != '=') {
            ignored(lines[i], body);
            return i;
        }
        std::string name(t.substr(0, n));
        int column = static_cast<int>(t.data() - lines[i].text.data()) + 1;
        if (exported)
            warn(lines[i].number, column, "foreman ignores lines starting with \"export \"; imported as " + name);
        std::string_view val = t.substr(n + 1);
        SourcePos where{file, lines[i].number, column};
        if (!val.empty() && (val.front() == '"' || val.front() == '\'')) {
            char q = val.front();
            if (val.size() >= 2 && val.back() == q) {
                detail::set_env(out, name, foreman_quoted(q, val.substr(1, val.size() - 2)), where);
                return i;
            }
            if (closing_quote(val) == std::string_view::npos) return multi_line(i, name, column, val);
            warn(lines[i].number, column, name + ": foreman keeps the quotes and the text after the closing quote "
                                                 "as part of the value; imported as foreman reads it");
        } else if (val.find(" #") != std::string_view::npos || val.find("\t#") != std::string_view::npos) {
            warn(lines[i].number, column, name + ": foreman keeps \" #...\" as part of an unquoted value (honcho "
                                                 "and dotenv drop it as a comment); imported as foreman reads it");
        }
        detail::set_env(out, name, std::string(val), where);
        return i;
    }
};

}  // namespace

namespace detail {

void read_dotenv_foreman(std::string_view text, const std::string& file, EnvFile& out,
                         std::vector<Diagnostic>& errors) {
    auto lines = import_text::split_lines(text, Dialect::foreman);
    Reader r{lines, file, out, errors};
    for (std::size_t i = 0; i < lines.size(); ++i) i = r.line(i);
}

}  // namespace detail

EnvFile parse_dotenv(std::string_view text, const std::string& file, Dialect dialect) {
    EnvFile out;
    std::vector<Diagnostic> errors;
    if (dialect == Dialect::foreman)
        detail::read_dotenv_foreman(text, file, out, errors);
    else
        detail::read_dotenv_honcho(text, file, out, errors);
    for (const auto& e : out.entries) {
        if (!is_valid_env_name(e.name))
            errors.push_back({e.where, quoted(e.name) + " cannot be set by formation: environment names are "
                                                        "letters, digits and \"_\", not starting with a digit"});
        else if (e.value.find('\0') != std::string::npos)
            errors.push_back({e.where, e.name + ": the value contains a NUL character, which systemd cannot carry"});
        else if (!utf8::is_valid(e.value))
            errors.push_back({e.where, e.name + ": the value is not valid UTF-8"});
    }
    if (!errors.empty()) {
        std::stable_sort(errors.begin(), errors.end(),
                         [](const Diagnostic& a, const Diagnostic& b) { return a.where.line < b.where.line; });
        throw FormationError(std::move(errors));
    }
    return out;
}

std::vector<EnvEntry> merge_env(const std::vector<EnvFile>& files) {
    EnvFile merged;
    for (const auto& f : files)
        for (const auto& e : f.entries) detail::set_env(merged, e.name, e.value, e.where);
    return std::move(merged.entries);
}

}  // namespace formation
