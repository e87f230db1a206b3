#include "compile/shell_line.hpp"

#include <string>

namespace formation {

// Where "exec " goes in a Procfile-style shell line. The line is scanned as
// dash tokenizes a simple command: quotes, backslashes, $(…), `…`, ${…},
// $((…)), comments, redirections and leading NAME=value assignments. The
// scanner answers only what it is sure of; anything else (a list, a pipeline,
// a compound command, a here-document, a bash-only form, an unbalanced quote…)
// leaves the line as written.
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Outside quotes these end a word: blanks, newlines and the operators.
bool ends_word(char c) {
    return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' ||
           c == '>';
}

bool is_name_char(char c, bool first) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

// Length of the NAME at the start of `w` (0 when there is none).
std::size_t name_length(std::string_view w) {
    std::size_t n = 0;
    while (n < w.size() && is_name_char(w[n], n == 0)) ++n;
    return n;
}

bool is_assignment(std::string_view w) {
    std::size_t n = name_length(w);
    return n > 0 && n < w.size() && w[n] == '=';
}

// bash's NAME+=value and NAME[i]=value are assignments there, command words in dash.
bool is_bash_assignment(std::string_view w) {
    std::size_t n = name_length(w);
    return n > 0 && n < w.size() && (w[n] == '[' || w.substr(n, 2) == "+=");
}

bool is_digits(std::string_view w) {
    if (w.empty()) return false;
    for (char c : w)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_reserved_word(std::string_view w) {
    static constexpr std::string_view words[] = {
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until",
        "for", "in", "{", "}", "!", "[[", "]]", "function", "select", "coproc", "time"};
    for (auto r : words)
        if (w == r) return true;
    return false;
}

// Builtins of dash or bash that "exec WORD" would not run: those with no
// program of the same name ("exec exit 3" fails), and those whose program
// behaves differently (/bin/echo does not decode "\n" as dash's echo does;
// /bin/pwd prints the physical directory).
bool runs_differently_under_exec(std::string_view w) {
    static constexpr std::string_view words[] = {
        "exit", "cd", "chdir", "export", "set", ".", "eval", "trap", "umask", "ulimit", "wait", "read",
        "shift", "unset", "return", "break", "continue", "alias", "unalias", "local", "readonly", "times",
        "type", "command", "getopts", "hash", "jobs", "fg", "bg", "source", ":", "builtin", "caller",
        "declare", "typeset", "dirs", "pushd", "popd", "disown", "enable", "help", "history", "let",
        "logout", "mapfile", "readarray", "shopt", "suspend", "bind", "fc", "compgen", "complete",
        "compopt", "echo", "printf", "test", "[", "kill", "pwd", "true", "false"};
    for (auto b : words)
        if (w == b) return true;
    return false;
}

// One word of the line: where it is, and what its command-word check needs.
struct Word {
    std::size_t begin = 0, end = 0;
    std::string literal;  // its characters after quote removal, expansions left out
    bool expands = false;  // holds $…, ${…}, $(…), $((…)) or `…`
    bool globs = false;    // holds an unquoted * ? or [
};

struct ShellCommand {
    enum class Kind { unsure, no_command, runs_exec, command } kind = Kind::unsure;
    std::size_t command_word = 0;
};

// Each skip_* starts on the character that opens its construct, moves past
// its end and returns false when unsure.
class LineScanner {
  public:
    explicit LineScanner(std::string_view s) : s_(s) {}
    ShellCommand scan();

  private:
    bool at(std::size_t k, char c) const { return k < s_.size() && s_[k] == c; }
    bool skip_single();
    bool skip_escape();
    bool skip_double(Word* w);
    bool skip_backtick();
    bool skip_expansion(bool in_double_quotes);
    bool skip_command_subst();
    bool skip_arith();
    bool skip_braced(bool in_double_quotes);
    bool read_word(Word& w);
    bool redirection();
    ShellCommand command_word(const Word& w) const;

    // Quotes and substitutions nest by recursion: deeper than this is unsure,
    // so that no line (up to 128 KiB) can exhaust the stack.
    static constexpr int max_depth = 100;
    struct Nesting {
        int& depth;
        explicit Nesting(int& d) : depth(++d) {}
        ~Nesting() { --depth; }
    };

    std::string_view s_;
    std::size_t i_ = 0;
    int depth_ = 0;
};

bool LineScanner::skip_single() {
    std::size_t end = s_.find('\'', i_ + 1);
    if (end == std::string_view::npos) return false;
    i_ = end + 1;
    return true;
}

// A backslash-newline is a line continuation, a final backslash a literal: unsure.
bool LineScanner::skip_escape() {
    if (i_ + 1 >= s_.size() || s_[i_ + 1] == '\n') return false;
    i_ += 2;
    return true;
}

bool LineScanner::skip_double(Word* w) {
    Nesting nest(depth_);
    if (depth_ > max_depth) return false;
    ++i_;
    while (i_ < s_.size()) {
        char c = s_[i_];
        if (c == '"') {
            ++i_;
            return true;
        }
        if (c == '\\') {
            if (!skip_escape()) return false;
            char q = s_[i_ - 1];
            if (w && q != '$' && q != '`' && q != '"' && q != '\\') w->literal += '\\';
            if (w) w->literal += q;
        } else if (c == '$' || c == '`') {
            if (w) w->expands = true;
            if (!skip_expansion(true)) return false;
        } else {
            if (w) w->literal += c;
            ++i_;
        }
    }
    return false;
}

// `…` ends at the first backquote not escaped by a backslash, whatever it holds.
bool LineScanner::skip_backtick() {
    for (std::size_t k = i_ + 1; k < s_.size(); ++k) {
        if (s_[k] == '\n') return false;
        if (s_[k] == '\\') {
            if (k + 1 >= s_.size() || s_[k + 1] == '\n') return false;
            ++k;
        } else if (s_[k] == '`') {
            i_ = k + 1;
            return true;
        }
    }
    return false;
}

bool LineScanner::skip_expansion(bool in_double_quotes) {
    Nesting nest(depth_);
    if (depth_ > max_depth) return false;
    if (s_[i_] == '`') return skip_backtick();
    if (at(i_ + 1, '(')) return at(i_ + 2, '(') ? skip_arith() : skip_command_subst();
    if (at(i_ + 1, '{')) return skip_braced(in_double_quotes);
    if (!in_double_quotes && at(i_ + 1, '\'')) return false;  // bash's $'…'
    ++i_;  // $NAME, $1, $@, … or a lone $: the rest are word characters
    return true;
}

// $(…) holds a script: subshells nest. A comment, a here-document or a case
// pattern's ")" would need a full parser: unsure.
bool LineScanner::skip_command_subst() {
    i_ += 2;
    int depth = 0;
    bool word_start = true;
    while (i_ < s_.size()) {
        char c = s_[i_];
        if (c == '\n' || (c == '<' && at(i_ + 1, '<'))) return false;
        if (c == ')' && depth == 0) {
            ++i_;
            return true;
        }
        if (ends_word(c)) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            word_start = true;
            ++i_;
            continue;
        }
        if (word_start && c == '#') return false;
        if (word_start && s_.substr(i_, 4) == "case" && (i_ + 4 == s_.size() || ends_word(s_[i_ + 4]))) return false;
        word_start = false;
        bool ok = true;
        if (c == '\'') ok = skip_single();
        else if (c == '"') ok = skip_double(nullptr);
        else if (c == '\\') ok = skip_escape();
        else if (c == '$' || c == '`') ok = skip_expansion(false);
        else ++i_;
        if (!ok) return false;
    }
    return false;
}

// $((…)) ends at the "))" that closes it; a ")" alone there would be bash's
// $( (…) ) in disguise.
bool LineScanner::skip_arith() {
    i_ += 3;
    int depth = 0;
    while (i_ < s_.size()) {
        char c = s_[i_];
        if (c == '\'' || c == '"' || c == '\\' || c == '\n') return false;
        if (c == '$' || c == '`') {
            if (!skip_expansion(false)) return false;
            continue;
        }
        if (c == ')' && depth == 0) {
            if (!at(i_ + 1, ')')) return false;
            i_ += 2;
            return true;
        }
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        ++i_;
    }
    return false;
}

// ${…} ends at the first "}" outside quotes and nested expansions. Quotes
// inside a double-quoted ${…} and a bare "{" are read differently by dash and
// bash: unsure.
bool LineScanner::skip_braced(bool in_double_quotes) {
    i_ += 2;
    while (i_ < s_.size()) {
        char c = s_[i_];
        if (c == '}') {
            ++i_;
            return true;
        }
        bool ok = c != '{' && c != '\n' && !(in_double_quotes && (c == '\'' || c == '"'));
        if (!ok) return false;
        if (c == '\'') ok = skip_single();
        else if (c == '"') ok = skip_double(nullptr);
        else if (c == '\\') ok = skip_escape();
        else if (c == '$' || c == '`') ok = skip_expansion(in_double_quotes);
        else ++i_;
        if (!ok) return false;
    }
    return false;
}

bool LineScanner::read_word(Word& w) {
    w.begin = i_;
    while (i_ < s_.size() && !ends_word(s_[i_])) {
        char c = s_[i_];
        bool ok = true;
        if (c == '\'') {
            std::size_t open = i_;
            ok = skip_single();
            if (ok) w.literal += s_.substr(open + 1, i_ - open - 2);
        } else if (c == '"') {
            ok = skip_double(&w);
        } else if (c == '\\') {
            ok = skip_escape();
            if (ok) w.literal += s_[i_ - 1];
        } else if (c == '$' || c == '`') {
            w.expands = true;
            ok = skip_expansion(false);
        } else {
            w.globs = w.globs || c == '*' || c == '?' || c == '[';
            w.literal += c;
            ++i_;
        }
        if (!ok) return false;
    }
    w.end = i_;
    return true;
}

// < > >> >| <> <& >& and their target word; a here-document (<<) is unsure.
bool LineScanner::redirection() {
    char op = s_[i_++];
    if (op == '<' && at(i_, '<')) return false;
    if (at(i_, '&') || (op == '>' && (at(i_, '>') || at(i_, '|'))) || (op == '<' && at(i_, '>'))) ++i_;
    while (i_ < s_.size() && is_blank(s_[i_])) ++i_;
    if (i_ == s_.size() || ends_word(s_[i_]) || s_[i_] == '#') return false;
    Word target;
    if (!read_word(target)) return false;
    // "2>&1>x" is fine; ">2>x" would make the target a descriptor number.
    return !((at(i_, '<') || at(i_, '>')) && is_digits(s_.substr(target.begin, target.end - target.begin)));
}

ShellCommand LineScanner::command_word(const Word& w) const {
    using Kind = ShellCommand::Kind;
    std::string_view raw = s_.substr(w.begin, w.end - w.begin);
    if (raw.front() == '-') return {};  // an option of bash's exec
    // What an expansion or a glob makes of the word is known only when it
    // runs; with a "/" in it, it is a path, which neither a builtin nor a
    // reserved word can be.
    if (w.expands || w.globs) return {w.literal.find('/') != std::string::npos ? Kind::command : Kind::unsure, w.begin};
    if (w.literal == "exec") return {Kind::runs_exec, w.begin};
    if (w.literal.empty() || is_reserved_word(w.literal) || runs_differently_under_exec(w.literal)) return {};
    return {Kind::command, w.begin};
}

ShellCommand LineScanner::scan() {
    if (s_.find('\0') != std::string_view::npos) return {};
    ShellCommand found{ShellCommand::Kind::no_command, 0};
    while (true) {
        while (i_ < s_.size() && is_blank(s_[i_])) ++i_;
        if (i_ == s_.size()) return found;
        if (s_[i_] == '#')  // a comment, which ends at a newline
            return s_.find('\n', i_) == std::string_view::npos ? found : ShellCommand{};
        if (s_[i_] == '<' || s_[i_] == '>') {
            if (!redirection()) return {};
            continue;
        }
        if (ends_word(s_[i_])) return {};  // ; & | ( ) or a newline: not one simple command
        Word w;
        if (!read_word(w)) return {};
        std::string_view raw = s_.substr(w.begin, w.end - w.begin);
        if (at(i_, '<') || at(i_, '>')) {
            // dash takes one digit before < or > as the descriptor, bash more,
            // and bash reads {name}> as a descriptor held in a variable.
            if (is_digits(raw) && raw.size() > 1) return {};
            if (raw.front() == '{' && raw.back() == '}') return {};
            if (is_digits(raw)) {
                if (!redirection()) return {};
                continue;
            }
        }
        if (found.kind != ShellCommand::Kind::no_command) continue;  // an argument
        if (is_assignment(raw)) continue;
        if (is_bash_assignment(raw)) return {};
        found = command_word(w);
        if (found.kind == ShellCommand::Kind::unsure) return found;
    }
}

}  // namespace

bool is_simple_shell_command(std::string_view line) {
    auto kind = LineScanner(line).scan().kind;
    return kind == ShellCommand::Kind::command || kind == ShellCommand::Kind::runs_exec;
}

std::string prefix_exec(std::string_view line) {
    ShellCommand c = LineScanner(line).scan();
    if (c.kind != ShellCommand::Kind::command) return std::string(line);
    std::string out(line.substr(0, c.command_word));
    out += "exec ";
    out += line.substr(c.command_word);
    return out;
}

}  // namespace formation
