#include <doctest/doctest.h>

#include "compile/escape.hpp"

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

TEST_CASE("simple shell commands get exec, compound ones do not") {
    CHECK(is_simple_shell_command("bundle exec puma -p $PORT"));
    CHECK(is_simple_shell_command("python3 -c 'import a; b()'"));
    CHECK(is_simple_shell_command("echo \"a && b\" > /dev/null"));
    CHECK(is_simple_shell_command("run --at $(date +%s; echo x)"));
    CHECK(is_simple_shell_command("FOO=bar run"));
    CHECK(is_simple_shell_command("exec run"));
    // Redirects are part of the one command: it still gets exec.
    CHECK(is_simple_shell_command("run 2>&1"));
    CHECK(is_simple_shell_command("run >>/var/log/x 2>&1 <&-"));
    CHECK(is_simple_shell_command("run >&2"));
    CHECK(is_simple_shell_command("run >| out"));
    CHECK(prefix_exec("run 2>&1") == "exec run 2>&1");
    CHECK_FALSE(is_simple_shell_command("run &>log"));  // dash: "run &" then ">log"
    CHECK_FALSE(is_simple_shell_command("run 2>&1 | tee x"));
    CHECK_FALSE(is_simple_shell_command("run & wait"));
    CHECK_FALSE(is_simple_shell_command("cd /srv && run"));
    CHECK_FALSE(is_simple_shell_command("a; b"));
    CHECK_FALSE(is_simple_shell_command("a | b"));
    CHECK_FALSE(is_simple_shell_command("a &"));
    CHECK_FALSE(is_simple_shell_command("(a)"));
    CHECK_FALSE(is_simple_shell_command("a\nb"));
    CHECK_FALSE(is_simple_shell_command("while :; do x; done"));
    CHECK_FALSE(is_simple_shell_command("if true"));
    CHECK_FALSE(is_simple_shell_command("'unterminated"));
    CHECK_FALSE(is_simple_shell_command("exit 3"));      // "exec exit 3" would be "exec: exit: not found"
    CHECK_FALSE(is_simple_shell_command("cd /srv"));
    CHECK_FALSE(is_simple_shell_command(". ./env.sh"));

    CHECK(prefix_exec("run -x") == "exec run -x");
    CHECK(prefix_exec("FOO=bar BAZ='a b' run") == "FOO=bar BAZ='a b' exec run");
    CHECK(prefix_exec("exec run") == "exec run");
    CHECK(prefix_exec("  run") == "  exec run");
}

TEST_CASE("list_word: one word of a list directive systemd unquotes (ReadWritePaths=)") {
    CHECK(list_word("/var/lib/app") == "/var/lib/app");
    CHECK(list_word("/var/lib/100%") == "/var/lib/100%%");
    // A space stays inside the word; quotes, backslashes and % are escaped; $ is not expanded there.
    CHECK(list_word("/srv/my data") == "\"/srv/my data\"");
    CHECK(list_word("/srv/'q'") == "\"/srv/'q'\"");
    CHECK(list_word("/srv/\"q\" \\b %i $x") == "\"/srv/\\\"q\\\" \\\\b %%i $x\"");
}
