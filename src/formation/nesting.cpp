#include "formation/nesting.hpp"

#include <vector>

#include "text/utf8.hpp"

namespace formation::detail {

namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string hex_byte(unsigned char c) {
    static constexpr char digits[] = "0123456789abcdef";
    return std::string("\\x") + digits[c >> 4] + digits[c & 15];
}

// A cursor that keeps toml++'s line and column (code points, from 1).
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {
        if (text_.starts_with(bom)) i_ = bom.size();  // toml++ skips it uncounted
    }
    bool eof() const { return i_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0'; }
    bool at(std::string_view s) const { return text_.substr(i_).starts_with(s); }
    void advance(std::size_t n = 1) {
        for (; n > 0 && i_ < text_.size(); --n, ++i_) {
            if (text_[i_] == '\n') {
                ++line_;
                column_ = 1;
            } else if (!is_continuation(text_[i_])) {
                ++column_;
            }
        }
    }
    std::size_t offset() const { return i_; }
    SourcePos pos(const std::string& path) const { return SourcePos{path, line_, column_}; }

private:
    std::string_view text_;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
};

bool is_bare_key_char(char c) {
    // ASCII letters, digits, "_" and "-" (TOML 1.0); bytes of non-ASCII
    // characters too, which toml++ refuses: the scan must not stop short of
    // anything the parser accepts, and may read further than it.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Once something is not TOML the scan stops: toml++ refuses the file there,
// before it nests any deeper than what was read.
struct NotToml {};

class Scanner {
public:
    Scanner(std::string_view text, const std::string& path) : c_(text), path_(path) {}

    std::optional<Diagnostic> run() {
        try {
            document();
        } catch (const NotToml&) {
        } catch (const Deeper&) {
        }
        return found_;
    }

private:
    struct Deeper {};  // found_ is set

    // Where a value's nesting goes on: an open array or inline table, with the
    // level of the node it is.
    struct Open {
        bool array;
        int level;
    };

    Cursor c_;
    const std::string& path_;
    std::optional<Diagnostic> found_;

    void check(int level, const Cursor& where) {
        if (level <= max_nesting) return;
        found_ = Diagnostic{where.pos(path_), "nested too deeply: this is level " + std::to_string(level) +
                                                  " of tables and arrays, and a formation file may nest at most " +
                                                  std::to_string(max_nesting) +
                                                  " (keys, dotted keys, table headers, arrays and inline tables "
                                                  "each open one)"};
        throw Deeper{};
    }

    void document() {
        int base = 0;  // the level of the table the last header opened
        while (true) {
            skip_space(true);
            if (c_.eof()) return;
            if (c_.peek() == '[') {
                base = header();
            } else {
                int level = key_path(base);
                skip_space(false);
                expect('=');
                value(level);
            }
        }
    }

    // Spaces and tabs; with newlines, also line ends and comments.
    void skip_space(bool newlines) {
        while (!c_.eof()) {
            char ch = c_.peek();
            if (ch == ' ' || ch == '\t' || ch == '\r') {
                c_.advance();
            } else if (newlines && ch == '\n') {
                c_.advance();
            } else if (newlines && ch == '#') {
                while (!c_.eof() && c_.peek() != '\n') c_.advance();
            } else {
                return;
            }
        }
    }

    void expect(char ch) {
        if (c_.peek() != ch || c_.eof()) throw NotToml{};
        c_.advance();
    }

    // [a.b] opens level 2; [[a.b]] an element of the array a.b, level 3.
    int header() {
        const Cursor start = c_;
        c_.advance();
        const bool array = c_.peek() == '[';
        if (array) c_.advance();
        int level = key_path(0);
        skip_space(false);
        expect(']');
        if (!array) return level;
        expect(']');
        check(++level, start);
        return level;
    }

    // A key, dotted or not: each part one level below `base`. Returns the
    // level of the last part.
    int key_path(int level) {
        while (true) {
            skip_space(false);
            Cursor part = c_;
            char ch = c_.peek();
            if (c_.eof()) throw NotToml{};
            if (ch == '"' || ch == '\'') {
                if (c_.at(ch == '"' ? "\"\"\"" : "'''")) throw NotToml{};  // no multi-line keys
                string();
            } else if (is_bare_key_char(ch)) {
                while (!c_.eof() && is_bare_key_char(c_.peek())) c_.advance();
            } else {
                throw NotToml{};
            }
            check(++level, part);
            skip_space(false);
            if (c_.peek() != '.' || c_.eof()) return level;
            c_.advance();
        }
    }

    // "…", '…', """…""", '''…'''; the cursor is on the opening quote.
    void string() {
        const char q = c_.peek();
        const std::string_view three = q == '"' ? "\"\"\"" : "'''";
        const bool multi = c_.at(three);
        c_.advance(multi ? 3 : 1);
        while (true) {
            if (c_.eof()) throw NotToml{};
            char ch = c_.peek();
            if (ch == '\\' && q == '"') {
                c_.advance(2);  // the escaped character, a quote too
            } else if (multi && c_.at(three)) {
                c_.advance(3);
                // Up to two quotes just before the closing three are content.
                for (int extra = 0; extra < 2 && c_.peek() == q && !c_.eof(); ++extra) c_.advance();
                return;
            } else if (!multi && ch == q) {
                c_.advance();
                return;
            } else if (!multi && ch == '\n') {
                throw NotToml{};
            } else {
                c_.advance();
            }
        }
    }

    // A number, boolean or date: up to what may follow a value. A local
    // date-time may hold a space ("1979-05-27 07:32:00"), so spaces do not end it.
    void scalar() {
        const std::size_t start = c_.offset();
        while (!c_.eof()) {
            char ch = c_.peek();
            if (ch == ',' || ch == ']' || ch == '}' || ch == '#' || ch == '\n' || ch == '\r') break;
            c_.advance();
        }
        if (c_.offset() == start) throw NotToml{};
    }

    // One value of level `level`, with everything nested in it, on an
    // explicit stack rather than the C++ one.
    void value(int level) {
        std::vector<Open> open;
        bool want_value = true;
        while (true) {
            if (want_value) {
                skip_space(!open.empty() && open.back().array);
                Cursor here = c_;
                check(level, here);
                char ch = c_.peek();
                if (c_.eof()) throw NotToml{};
                if (ch == '[' || ch == '{') {
                    c_.advance();
                    open.push_back({ch == '[', level});
                    if (!first_in_container(open, level)) want_value = false;
                    continue;
                }
                if (ch == '"' || ch == '\'') string();
                else scalar();
                want_value = false;
            }
            // After a value: the end of the line, or what follows it in the
            // innermost open array or inline table.
            if (open.empty()) return;
            skip_space(true);  // newlines in an inline table are refused by toml++; reading past them is harmless
            char ch = c_.peek();
            if (c_.eof()) throw NotToml{};
            Open top = open.back();
            if (ch == (top.array ? ']' : '}')) {
                c_.advance();
                open.pop_back();
            } else if (ch == ',') {
                c_.advance();
                want_value = first_in_container(open, level);  // a trailing comma may close
            } else {
                throw NotToml{};
            }
        }
    }

    // Just after "[", "{" or ",": true when a value follows (its level in
    // `level`), false when the container closed.
    bool first_in_container(std::vector<Open>& open, int& level) {
        skip_space(true);
        if (c_.peek() == (open.back().array ? ']' : '}') && !c_.eof()) {
            c_.advance();
            open.pop_back();
            return false;
        }
        // An array's element is one level below it; an inline table's key
        // (read here, with its "=") one level per part.
        const Open top = open.back();
        if (top.array) {
            level = top.level + 1;
        } else {
            level = key_path(top.level);
            skip_space(false);
            expect('=');
        }
        return true;
    }
};

}  // namespace

std::optional<Diagnostic> invalid_utf8(std::string_view text, const std::string& path) {
    Cursor c(text);
    while (!c.eof()) {
        const std::size_t i = c.offset();
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t n = utf8::sequence_length(text, i);
        if (n == 0)
            return Diagnostic{c.pos(path), "invalid TOML: not UTF-8 (byte " + hex_byte(b) +
                                               "); a formation file must be UTF-8 text"};
        c.advance(n);
    }
    return std::nullopt;
}

std::optional<Diagnostic> too_deep(std::string_view text, const std::string& path) {
    return Scanner(text, path).run();
}

}  // namespace formation::detail
