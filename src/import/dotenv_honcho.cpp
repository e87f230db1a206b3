// honcho's .env reading: each line goes through Python's shlex in POSIX mode
// (quotes, backslash escapes, "#" comments, and every character that is not
// a letter, digit or "_" a token of its own); a line whose first two tokens
// are NAME and "=" sets NAME to the remaining tokens joined with nothing
// between them, with each backslash-n and backslash-t then turned into a
// newline and a tab. The table of differences from foreman is in dotenv.cpp.
#include <string>

#include "import/dotenv.hpp"
#include "import/import_text.hpp"
#include "formation/values.hpp"  // quoted

namespace formation::detail {

namespace {

struct Token {
    std::string text;
    bool after_space = false;  // whitespace separated it from the previous token
    std::size_t start = 0;     // offset of its first character in the text read
};

enum class Lexed { ok, open_quote, trailing_escape };

// shlex's word characters. Python adds the Latin-1 letters; taking every
// byte of a UTF-8 sequence as a word character gives the same tokens for
// them, and only changes where other non-ASCII text splits, which the
// joining of the value's tokens undoes.
bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool is_shlex_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// shlex.shlex(s, posix=True) token by token, as Python reads it.
Lexed shlex(std::string_view s, std::vector<Token>& out) {
    enum State { space, word, single, dquote, escape };
    State state = space;
    State escaped_from = word;
    std::string tok;
    bool quoted = false;
    bool space_before = false;
    std::size_t start = 0;
    auto emit = [&] {
        out.push_back({tok, space_before, start});
        tok.clear();
        quoted = false;
        space_before = false;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        switch (state) {
        case space:
        case word:
            if (state == space) start = i;
            if (is_shlex_space(c) || c == '#') {
                if (state == word || quoted) emit();
                state = space;
                space_before = true;
                if (c == '#') {
                    std::size_t nl = s.find('\n', i);
                    i = nl == std::string_view::npos ? s.size() : nl;
                }
            } else if (c == '\'' || c == '"') {
                state = c == '\'' ? single : dquote;
            } else if (c == '\\') {
                escaped_from = word;
                state = escape;
            } else if (is_word(c)) {
                tok += c;
                state = word;
            } else if (state == word) {
                emit();  // the punctuation character starts the next token
                state = space;
                --i;
            } else {
                tok = std::string(1, c);
                emit();
            }
            break;
        case single:
        case dquote:
            quoted = true;
            if (c == (state == single ? '\'' : '"')) {
                state = word;
            } else if (state == dquote && c == '\\') {
                escaped_from = dquote;
                state = escape;
            } else {
                tok += c;
            }
            break;
        case escape:
            // Inside double quotes only the quote and the backslash are escaped.
            if (escaped_from == dquote && c != '\\' && c != '"') tok += '\\';
            tok += c;
            state = escaped_from;
            break;
        }
    }
    if (state == single || state == dquote) return Lexed::open_quote;
    if (state == escape) return Lexed::trailing_escape;
    if (state == word || quoted) emit();
    return Lexed::ok;
}

// Python's str.replace: every occurrence, left to right, none overlapping.
std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t hit = s.find(from); hit != std::string_view::npos; hit = s.find(from, at)) {
        out.append(s.substr(at, hit - at)).append(to);
        at = hit + from.size();
    }
    return out.append(s.substr(at));
}

bool honcho_name(std::string_view name) {
    char c = name.front();
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

}  // namespace

void read_dotenv_honcho(std::string_view text, const std::string& file, EnvFile& out,
                        std::vector<Diagnostic>& errors) {
    auto lines = import_text::split_lines(text, Dialect::honcho);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        SourcePos where{file, lines[i].number, 1};
        // Warnings name the variable, at its column, never the value: the
        // line is not shown, as it may hold a secret.
        auto warn = [&](std::string m) { out.warnings.push_back({where, std::move(m)}); };
        auto at = [&](const Token& t) {
            if (t.start < lines[i].text.size()) where.column = static_cast<int>(t.start) + 1;
        };
        std::string logical(lines[i].text);
        std::vector<Token> tokens;
        Lexed lexed = shlex(logical, tokens);
        std::size_t first = i;
        // A quote left open: dotenv libraries read on to the closing quote;
        // honcho refuses the file ("No closing quotation").
        while (lexed == Lexed::open_quote && i + 1 < lines.size()) {
            logical += '\n';
            logical += lines[++i].text;
            tokens.clear();
            lexed = shlex(logical, tokens);
        }
        if (lexed != Lexed::ok) {
            errors.push_back({where, lexed == Lexed::open_quote
                                         ? "no closing quotation (honcho refuses this file too)"
                                         : "the line ends with a backslash: no escaped character (honcho refuses "
                                           "this file too)"});
            continue;
        }
        if (tokens.empty()) continue;  // blank or comment
        bool exported = tokens.size() >= 3 && tokens[0].text == "export" && tokens[2].text == "=";
        if (exported) tokens.erase(tokens.begin());
        if (tokens.size() < 3 || tokens[1].text != "=" || !honcho_name(tokens[0].text)) {
            // Only what stands before "=" is named: any other text may be a value.
            bool named = tokens.size() >= 2 && tokens[1].text == "=";
            if (named) at(tokens[0]);
            std::string what = named ? "line ignored, " + quoted(tokens[0].text) + " not set" : "line ignored";
            warn(tokens.size() == 2 && named
                     ? what + ": honcho sets nothing for NAME= with an empty value (write NAME=\"\")"
                     : what + ": not NAME=value (honcho ignores it too)");
            continue;
        }
        at(tokens[0]);
        if (exported) warn("honcho ignores lines starting with \"export \"; imported as " + tokens[0].text);
        if (i != first)
            warn(tokens[0].text + " is quoted over several lines: honcho refuses this (no closing quotation); "
                                  "imported as one multi-line value");
        std::string value;
        bool joined = false;
        for (std::size_t k = 2; k < tokens.size(); ++k) {
            value += tokens[k].text;
            joined = joined || (k > 2 && tokens[k].after_space);
        }
        if (joined)
            warn(tokens[0].text + ": honcho joins the words of an unquoted value with nothing between them; "
                                  "imported as honcho reads it (quote the value to keep the spaces)");
        set_env(out, tokens[0].text, replace_all(replace_all(value, "\\n", "\n"), "\\t", "\t"), where);
    }
}

}  // namespace formation::detail
