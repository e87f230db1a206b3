// Procfile reading, with the cases of foreman's and honcho's own test suites
// (inputs and expected results, cited per case) and the places where the two
// tools differ.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "import/procfile.hpp"

using namespace formation;

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

struct Case {
    const char* from;
    std::string text;
    Entries expected;  // empty: the Procfile is refused
};

Entries read(const std::string& text, Dialect d) {
    Entries out;
    for (const auto& e : parse_procfile(text, "Procfile", d).entries) out.emplace_back(e.name, e.command);
    return out;
}

// foreman's spec/spec_helper.rb write_procfile(), used by procfile_spec.rb.
const std::string foreman_procfile = "alpha: ./alpha\n\nbravo:\t./bravo\nfoo_bar:\t./foo_bar\nfoo-bar:\t./foo-bar\n# baz:\t./baz\n";

// Read alike by both tools: each case runs in both dialects.
const Case common[] = {
    {"foreman spec/foreman/procfile_spec.rb: can load from a file; only creates entries for lines matching regex",
     foreman_procfile,
     {{"alpha", "./alpha"}, {"bravo", "./bravo"}, {"foo_bar", "./foo_bar"}, {"foo-bar", "./foo-bar"}}},
    {"foreman spec/resources/Procfile (cli_spec.rb)",
     "echo: bin/echo echoing\nenv:  bin/env  FOO\ntest: bin/test\nutf8: bin/utf8\nps:   bin/echo PS env var is $PS\n",
     {{"echo", "bin/echo echoing"},
      {"env", "bin/env  FOO"},
      {"test", "bin/test"},
      {"utf8", "bin/utf8"},
      {"ps", "bin/echo PS env var is $PS"}}},
    {"foreman spec/resources/Procfile.bad", "good: sleep 1\nbad: false\n", {{"good", "sleep 1"}, {"bad", "false"}}},
    {"honcho tests/test_environ.py: Simple", "\nweb: command\n", {{"web", "command"}}},
    {"honcho tests/test_environ.py: Simple 2",
     "\nfoo: python foo.py\nbar: python bar.py\n",
     {{"foo", "python foo.py"}, {"bar", "python bar.py"}}},
    {"honcho tests/test_environ.py: No newline at EOF", "\nweb: command", {{"web", "command"}}},
    {"honcho tests/test_environ.py: Valid -/_ characters", "\n-foo_bar: command\n", {{"-foo_bar", "command"}}},
    {"honcho tests/test_environ.py: Shell metacharacters",
     "\nweb: sh -c \"echo $FOOBAR\" >/dev/null 2>&1\n",
     {{"web", "sh -c \"echo $FOOBAR\" >/dev/null 2>&1"}}},
    {"honcho tests/test_environ.py: test_parse_procfile_ordered",
     "\none: onecommand\ntwo: twocommand\nthree: twocommand\nfour: fourcommand\n",
     {{"one", "onecommand"}, {"two", "twocommand"}, {"three", "twocommand"}, {"four", "fourcommand"}}},
    // Ours: what the shared pattern ^([A-Za-z0-9_-]+):\s*(.+)$ implies.
    {"formation: CRLF line ends", "web: a\r\nworker: b\r\n", {{"web", "a"}, {"worker", "b"}}},
    {"formation: a colon inside the command", "web: x --bind 0.0.0.0:$PORT", {{"web", "x --bind 0.0.0.0:$PORT"}}},
    {"formation: no space after the colon", "web:x", {{"web", "x"}}},
    {"formation: indented, spaced and dotted names are not entries",
     "  web: a\nweb : b\nweb.1: c\nworker: d\n",
     {{"worker", "d"}}},
    {"formation: a name with nothing after the colon is not an entry", "web:\nclock:   \nworker: d\n",
     {{"worker", "d"}}},
    {"formation: trailing blanks stay in the command", "web: a  \t\n", {{"web", "a  \t"}}},
    {"formation: comments anywhere, uppercase names", "# top\nWeb: a\n  # indented comment\n", {{"Web", "a"}}},
};

// Refused by both readings.
const Case refused[] = {
    {"foreman spec/foreman/procfile_spec.rb: raises an error if Procfile is empty", "\n", {}},
    {"honcho tests/test_environ.py: Comments (no entry left)", "\n#commented: command\n", {}},
    {"honcho tests/test_environ.py: Invalid characters (no entry left)", "\n+foo: command\n", {}},
    {"honcho tests/test_environ.py: test_add_process_ensures_unique_name", "foo: echo 123\nfoo: echo 123\n", {}},
    {"formation: not UTF-8", "web: caf\xe9\n", {}},
};

}  // namespace

TEST_CASE("Procfile cases both tools read alike") {
    for (const auto& c : common) {
        for (Dialect d : {Dialect::foreman, Dialect::honcho}) {
            CAPTURE(c.from);
            CAPTURE(dialect_name(d));
            CHECK(read(c.text, d) == c.expected);
        }
    }
}

TEST_CASE("Procfiles both tools refuse (or import refuses)") {
    for (const auto& c : refused) {
        for (Dialect d : {Dialect::foreman, Dialect::honcho}) {
            CAPTURE(c.from);
            CHECK_THROWS_AS(parse_procfile(c.text, "Procfile", d), FormationError);
        }
    }
}

TEST_CASE("a name declared twice is refused with both line numbers") {
    try {
        parse_procfile("web: a\nworker: b\nweb: c\nworker: d\n", "app/Procfile", Dialect::foreman);
        FAIL("not refused");
    } catch (const FormationError& e) {
        REQUIRE(e.diagnostics().size() == 2);
        CHECK(e.diagnostics()[0].where.file == "app/Procfile");
        CHECK(e.diagnostics()[0].where.line == 3);
        CHECK(e.diagnostics()[0].message.find("\"web\" is declared twice (first on line 1)") != std::string::npos);
        CHECK(e.diagnostics()[1].where.line == 4);
    }
}

TEST_CASE("ignored lines are warned about, comments and blank lines are not") {
    auto pf = parse_procfile("# c\n\n  web: a\nweb.1: b\nworker:\nclock: c\n", "Procfile", Dialect::foreman);
    REQUIRE(pf.warnings.size() == 3);
    CHECK(pf.warnings[0].where.line == 3);
    CHECK(pf.warnings[0].message.find("indented") != std::string::npos);
    CHECK(pf.warnings[1].where.line == 4);
    CHECK(pf.warnings[2].where.line == 5);
    CHECK(pf.warnings[2].message.find("has no command") != std::string::npos);
}

TEST_CASE("dialects differ on line ends: honcho also splits at a lone CR, VT and FF") {
    const std::string text = "web: a\rworker: b\n";
    CHECK(read(text, Dialect::foreman) == Entries{{"web", "a\rworker: b"}});
    CHECK(read(text, Dialect::honcho) == Entries{{"web", "a"}, {"worker", "b"}});
    CHECK(read("web: a\fclock: c", Dialect::honcho) == Entries{{"web", "a"}, {"clock", "c"}});
    CHECK(read("web: a\xe2\x80\xa8" "clock: c", Dialect::honcho) == Entries{{"web", "a"}, {"clock", "c"}});
    // Split-off lines keep the number of the "\n" line they are on.
    CHECK(parse_procfile("x: 1\nweb: a\rweb: b\n", "Procfile", Dialect::foreman).entries.size() == 2);
    try {
        parse_procfile("x: 1\nweb: a\rweb: b\n", "Procfile", Dialect::honcho);
        FAIL("honcho reads web twice");
    } catch (const FormationError& e) {
        CHECK(e.diagnostics().front().where.line == 2);
    }
}

TEST_CASE("entries keep their line and the command's column") {
    auto pf = parse_procfile("\n\nweb:   run it\n", "Procfile", Dialect::foreman);
    REQUIRE(pf.entries.size() == 1);
    CHECK(pf.entries[0].line == 3);
    CHECK(pf.entries[0].column == 8);
}
