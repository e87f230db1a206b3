#include <doctest/doctest.h>

#include "compile/escape.hpp"
#include "compile/shell_line.hpp"

using namespace formation;

TEST_CASE("exec words are quoted so systemd gives back the exact bytes") {
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"plain", R"("plain")"},
        {"", R"("")"},
        {"%i %n %%", R"("%%i %%n %%%%")"},
        {"$PORT ${X} $$ $", R"("$$PORT $${X} $$$$ $$")"},
        {"it's \"quoted\"", R"("it's \"quoted\"")"},
        {"back\\slash \\n", R"("back\\slash \\n")"},
        {"new\nline\ttab\rcr", R"("new\nline\ttab\rcr")"},
        {"\x01\x1f\x7f", R"("\x01\x1f\x7f")"},
        {";", R"(";")"},
        {"a;b # c = d", R"("a;b # c = d")"},
        {"  spaced  ", R"("  spaced  ")"},
        {"ünïcødé ✓", "\"ünïcødé ✓\""},
        {"ends with \\", R"("ends with \\")"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        CHECK(quote_exec_word(c.in) == c.out);
    }
}

TEST_CASE("environment assignments keep $ but escape % and quotes") {
    CHECK(quote_env_assignment("A", "$HOME 100%") == R"("A=$HOME 100%%")");
    CHECK(quote_env_assignment("B", "") == R"("B=")");
    CHECK(quote_env_assignment("C", "x\"y\\z\n") == R"("C=x\"y\\z\n")");
}

TEST_CASE("specifiers in verbatim values") {
    CHECK(escape_specifiers("/srv/100%/app") == "/srv/100%%/app");
    CHECK(printable("a\nb\tc") == "a b c");
}

TEST_CASE("time spans") {
    CHECK(format_timespan(0) == "0");
    CHECK(format_timespan(10'000'000) == "10s");
    CHECK(format_timespan(500'000) == "500ms");
    CHECK(format_timespan(90'000'000) == "1min 30s");
    CHECK(format_timespan(3'600'000'001ULL) == "1h 1us");
}

TEST_CASE("exec goes right before the command word, where the shell sees it") {
    struct Case {
        const char* line;
        const char* out;  // nullptr: left as written
    };
    const Case cases[] = {
        // Simple commands, with and without leading assignments.
        {"bundle exec puma -p $PORT", "exec bundle exec puma -p $PORT"},
        {"python3 -c 'import a; b()'", "exec python3 -c 'import a; b()'"},
        {"run \"a && b\" > /dev/null", "exec run \"a && b\" > /dev/null"},
        {"run --at $(date +%s; echo x)", "exec run --at $(date +%s; echo x)"},
        {"run -x", "exec run -x"},
        {"  run", "  exec run"},
        {"FOO=bar run", "FOO=bar exec run"},
        {"FOO=bar BAZ='a b' run", "FOO=bar BAZ='a b' exec run"},
        {"A=1\tB=2\trun", "A=1\tB=2\texec run"},
        {"run 'a b' \"c d\" e\\ f", "exec run 'a b' \"c d\" e\\ f"},
        {"\"run\" x", "exec \"run\" x"},
        {"\\run x", "exec \\run x"},
        {"'/usr/bin/my app' x", "exec '/usr/bin/my app' x"},
        {"run 'a\nb'", "exec run 'a\nb'"},  // a newline inside quotes is part of the word
        {"run\r", "exec run\r"},
        {"X=1 run X=2", "X=1 exec run X=2"},
        // Issue 19, item 3: substitutions in leading assignments.
        {"G=$(echo hello world) printenv G", "G=$(echo hello world) exec printenv G"},
        {"G=`echo a b` run", "G=`echo a b` exec run"},
        {"G=`echo \\`echo a\\`` run", "G=`echo \\`echo a\\`` exec run"},
        {"G=${X:-a b} run", "G=${X:-a b} exec run"},
        {"G=${X:-$(echo a) b} run", "G=${X:-$(echo a) b} exec run"},
        {"G=${X:-'}'} run", "G=${X:-'}'} exec run"},
        {"G=$(echo $(echo a) \"b)\" ')') run", "G=$(echo $(echo a) \"b)\" ')') exec run"},
        {"G=$( (echo a) ) run", "G=$( (echo a) ) exec run"},
        {"G=$(echo a | tr a b; echo c) run", "G=$(echo a | tr a b; echo c) exec run"},
        {"G=$((1 + (2*3))) run", "G=$((1 + (2*3))) exec run"},
        {"G=$((1<<2)) run", "G=$((1<<2)) exec run"},
        {"G=\"a $(echo \"b c\") d\" run", "G=\"a $(echo \"b c\") d\" exec run"},
        {"G=\"${X:-a b}\" run", "G=\"${X:-a b}\" exec run"},
        {"G='$(x) y' run", "G='$(x) y' exec run"},
        {"G=a\\ b run", "G=a\\ b exec run"},
        {"G=\"a\\\"b\" run", "G=\"a\\\"b\" exec run"},
        // Issue 19, item 4: redirections before the command word stay where they are.
        {"2>/dev/null G=hi printenv G", "2>/dev/null G=hi exec printenv G"},
        {">out run", ">out exec run"},
        {"<in run", "<in exec run"},
        {"2>&1 run", "2>&1 exec run"},
        {">|out run", ">|out exec run"},
        {"<>rw run", "<>rw exec run"},
        {"2>err >out G=1 H=2 run a b", "2>err >out G=1 H=2 exec run a b"},
        {"2>&1 >out run", "2>&1 >out exec run"},
        {"G=1>out run", "G=1>out exec run"},
        {"> 'a b' run", "> 'a b' exec run"},
        // Redirections after it belong to the one command too.
        {"run 2>&1", "exec run 2>&1"},
        {"run>out", "exec run>out"},
        {"run >>/var/log/x 2>&1 <&-", "exec run >>/var/log/x 2>&1 <&-"},
        {"run >&2", "exec run >&2"},
        {"run >| out", "exec run >| out"},
        // Comments.
        {"run # a; b | c", "exec run # a; b | c"},
        {"run a#b", "exec run a#b"},
        {"run # c\nrun2", nullptr},  // a comment ends at the newline
        {"x=1 # c\nrun", nullptr},
        // A command word made by an expansion: only a path is sure.
        {"$HOME/bin/run x", "exec $HOME/bin/run x"},
        {"\"$APP_ROOT\"/bin/run", "exec \"$APP_ROOT\"/bin/run"},
        {"./bin/run*", "exec ./bin/run*"},
        {"$CMD arg", nullptr},
        {"${CMD} arg", nullptr},
        {"ru* x", nullptr},
        // Already exec: kept.
        {"exec run", "exec run"},
        {"G=1 exec run", "G=1 exec run"},
        {">out exec run", ">out exec run"},
        // No command word: assignments, redirections, comments only.
        {"x=1", nullptr},
        {"x=1 y=$(echo 2)", nullptr},
        {"x=1 # comment", nullptr},
        {"2>/dev/null", nullptr},
        {">out", nullptr},
        {"# only a comment", nullptr},
        {"", nullptr},
        {"   ", nullptr},
        // Lists, pipelines, background, subshells, compound commands, functions.
        {"run &>log", nullptr},  // dash: "run &" then ">log"
        {"run 2>&1 | tee x", nullptr},
        {"run & wait", nullptr},
        {"cd /srv && run", nullptr},
        {"a; b", nullptr},
        {"a | b", nullptr},
        {"a || b", nullptr},
        {"a &", nullptr},
        {"(a)", nullptr},
        {"a\nb", nullptr},
        {"run ()", nullptr},
        {"f() { run; }", nullptr},
        {"while :; do x; done", nullptr},
        {"for i in 1; do run; done", nullptr},
        {"if true", nullptr},
        {"if true; then run; fi", nullptr},
        {"{ run; }", nullptr},
        {"! run", nullptr},
        {"x=1 if", nullptr},
        {"time run", nullptr},
        {"[[ -n x ]]", nullptr},
        {"function f", nullptr},
        // Builtins: no program of that name, or one that behaves differently.
        {"exit 3", nullptr},  // "exec exit 3" would be "exec: exit: not found"
        {"cd /srv", nullptr},
        {". ./env.sh", nullptr},
        {"source x", nullptr},
        {"eval run", nullptr},
        {"export A=1", nullptr},
        {"set -e", nullptr},
        {": noop", nullptr},
        {"G=1 cd /srv", nullptr},
        {"\"cd\" /srv", nullptr},
        {"echo \"a && b\" > /dev/null", nullptr},  // /bin/echo does not decode "\n" as dash's echo does
        {"printf '%s\\n' x", nullptr},
        {"test -f x", nullptr},
        {"[ -f x ]", nullptr},
        {"true", nullptr},
        {"kill 1", nullptr},
        {"pwd", nullptr},
        // Unbalanced or unfinished.
        {"'unterminated", nullptr},
        {"run \"unterminated", nullptr},
        {"run $(echo", nullptr},
        {"run ${X", nullptr},
        {"run `echo", nullptr},
        {"run $((1+2)", nullptr},
        {"run \\", nullptr},
        {"run a\\\nb", nullptr},  // a line continuation
        {"run >", nullptr},
        {"run > ;", nullptr},
        {"''", nullptr},
        // Here-documents, forms read differently by dash and bash, parsing we skip.
        {"run <<EOF", nullptr},
        {"run <<-EOF", nullptr},
        {"run <<<x", nullptr},
        {"G=$(cat <<EOF) run", nullptr},
        {"G=$(case x in x) echo;; esac) run", nullptr},
        {"G=$(echo a # x) run", nullptr},
        {"G=$(echo a\necho b) run", nullptr},
        {"G=$((1) + (2)) run", nullptr},
        {"G=\"${X:-'a'}\" run", nullptr},
        {"G=${X:-{a}} run", nullptr},
        {">#x run", nullptr},
        {"run $'a\\tb'", nullptr},
        {"-x", nullptr},
        {"X+=1 run", nullptr},
        {"a[1]=/x run", nullptr},
        {"10>out run", nullptr},
        {"{fd}>out run", nullptr},
        {">2>x run", nullptr},
        {"2>&1>out run", nullptr},  // dash: "Syntax error: redirection unexpected"; bash runs it
    };
    for (const auto& c : cases) {
        const std::string line = c.line;
        CAPTURE(line);
        const std::string out = c.out ? c.out : line;
        CHECK(prefix_exec(line) == out);
        CHECK(is_simple_shell_command(line) == (c.out != nullptr));
    }
    // Nesting deeper than the scanner follows: unsure, and no stack overflow.
    std::string deep = "G=";
    for (int i = 0; i < 60000; ++i) deep += i % 2 ? "\"$(" : "${X:-";
    deep += " run";
    CHECK(prefix_exec(deep) == deep);
    std::string nested = "G=";
    for (int i = 0; i < 50; ++i) nested += "\"$(";
    nested += "echo";
    for (int i = 0; i < 50; ++i) nested += ")\"";
    CHECK(prefix_exec(nested + " run") == nested + " exec run");
    const std::string nul("run\0x", 5);  // no shell line can carry it
    CHECK(prefix_exec(nul) == nul);
    CHECK_FALSE(is_simple_shell_command(nul));
}

TEST_CASE("exec is inserted as one whole word and nowhere else") {
    const std::string line = "G=$(echo a) 2>/dev/null H=\"${X:-b}\" run `echo c` $(echo d)";
    const std::string out = prefix_exec(line);
    CHECK(out.size() == line.size() + 5);
    CHECK(out.find("exec ") == line.find("run"));
    CHECK(out.substr(0, line.find("run")) + out.substr(line.find("run") + 5) == line);
}

TEST_CASE("list_word: one word of a list directive systemd unquotes (ReadWritePaths=)") {
    CHECK(list_word("/var/lib/app") == "/var/lib/app");
    CHECK(list_word("/var/lib/100%") == "/var/lib/100%%");
    // A space stays inside the word; quotes, backslashes and % are escaped; $ is not expanded there.
    CHECK(list_word("/srv/my data") == "\"/srv/my data\"");
    CHECK(list_word("/srv/'q'") == "\"/srv/'q'\"");
    CHECK(list_word("/srv/\"q\" \\b %i $x") == "\"/srv/\\\"q\\\" \\\\b %%i $x\"");
}
