// Procfile lines run under /bin/sh -c in formation (dash on Debian). foreman
// start hands them to Ruby's Process.spawn, which uses /bin/sh -c too, but
// foreman's systemd export runs them with /bin/bash -lc: bash syntax works
// there, and the login profile puts version managers' shims on PATH. These
// are the constructs that then break, found by pattern, so a warning, not
// an error.
#include <regex>

#include "import/import.hpp"

namespace formation {

namespace {

struct ShellRule {
    const char* pattern;  // group 1 is the construct
    const char* message;  // what to tell; "%" is replaced by the construct
    bool syntax = true;   // bash syntax, rather than something the environment lacks
};

constexpr const char* before_word = R"((?:^|[\s;&|(!]))";

const ShellRule rules[] = {
    {"(source)\\s", "\"%\" is a bash builtin that /bin/sh lacks; use \".\""},
    {"(\\[\\[)\\s", "\"%\" is bash syntax; use \"[ ... ]\""},
    {"(function)\\s+[A-Za-z_]", "\"%\" is bash syntax; use NAME() { ...; }"},
    {"(shopt|declare|typeset|pushd|popd|let|select)\\s", "\"%\" is a bash builtin that /bin/sh lacks"},
};

// Patterns that need no word boundary before them.
const ShellRule anywhere_rules[] = {
    {"([<>]\\()", "process substitution \"%...)\" is bash syntax"},
    {"(&>)", "\"&>\" is bash syntax; /bin/sh reads it as \"&\" then \">\" (use \">FILE 2>&1\")"},
    {"(\\$')", "$'...' quoting is bash syntax"},
    {"(\\$\\{[A-Za-z_][A-Za-z0-9_]*(?:/|:[0-9]))", "\"%...}\" is a bash expansion"},
    {"(?:^|[^$])(\\(\\()", "\"((\" arithmetic is bash syntax; use $((...)) or test"},
    {"([A-Za-z_][A-Za-z0-9_]*=\\()", "\"%...)\" array assignment is bash syntax"},
    {"(?:^|[^A-Za-z0-9_-])(rbenv|rvm|nvm|asdf|pyenv|nodenv|chruby|goenv|jenv|volta|fnm)(?:[^A-Za-z0-9_-]|$)",
     "% works through a login shell's profile (foreman's systemd export ran bash -lc); /bin/sh under systemd "
     "reads no profile: set shell = \"/bin/bash -l\", or give the interpreter's full path or PATH in [env]", false},
    {"(\\.bashrc|\\.bash_profile|\\.profile|\\.zshrc)",
     "reads %, written for an interactive or login shell, which systemd does not start", false},
};

std::string fill(const char* message, const std::string& construct) {
    std::string out;
    for (const char* p = message; *p; ++p) {
        if (*p == '%')
            out += construct;
        else
            out += *p;
    }
    return out;
}

void check(const ShellRule& rule, const std::string& pattern, const ProcfileEntry& e, const std::string& file,
           std::vector<Diagnostic>& out) {
    static thread_local std::vector<std::pair<std::string, std::regex>> cache;
    const std::regex* re = nullptr;
    for (const auto& [p, r] : cache)
        if (p == pattern) re = &r;
    if (!re) re = &cache.emplace_back(pattern, std::regex(pattern)).second;
    std::smatch m;
    if (!std::regex_search(e.command, m, *re)) return;
    int column = e.column + static_cast<int>(m.position(1));
    out.push_back({{file, e.line, column},
                   e.name + ": " + fill(rule.message, m.str(1)) +
                       (rule.syntax ? " (formation runs Procfile lines with /bin/sh unless shell is set, e.g. "
                                      "shell = \"/bin/bash -l\")"
                                    : "")});
}

}  // namespace

std::vector<Diagnostic> shell_warnings(const ProcfileEntry& entry, const std::string& file) {
    std::vector<Diagnostic> out;
    for (const auto& r : rules) check(r, std::string(before_word) + r.pattern, entry, file, out);
    for (const auto& r : anywhere_rules) check(r, r.pattern, entry, file, out);
    return out;
}

}  // namespace formation
