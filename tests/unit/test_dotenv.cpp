// .env reading in both dialects. Each case cites its source: foreman's
// spec/foreman/engine_spec.rb and spec/resources/.env, honcho's
// tests/test_environ.py, or formation's own (the dialect differences; their
// honcho column was checked against honcho/environ.py's parse(), their
// foreman column follows lib/foreman/env.rb's pattern and unescaping).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "import/dotenv.hpp"

using namespace formation;

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

struct Reading {
    Env env;
    bool refused = false;
};

const Reading refused{{}, true};

struct Case {
    const char* from;
    std::string text;
    Reading foreman;
    Reading honcho;
};

Reading read(const std::string& text, Dialect d) {
    try {
        Reading r;
        for (const auto& e : parse_dotenv(text, ".env", d).entries) r.env.emplace_back(e.name, e.value);
        return r;
    } catch (const FormationError&) {
        return refused;
    }
}

const Case cases[] = {
    // foreman spec/foreman/engine_spec.rb, "environment"
    {"foreman engine_spec: should read env files", "FOO=baz\n", {{{"FOO", "baz"}}}, {{{"FOO", "baz"}}}},
    {"foreman engine_spec: should handle quoted values",
     "FOO=bar\nBAZ=\"qux\"\nFRED='barney'\nOTHER=\"escaped\\\"quote\"\nURL=\"http://example.com/api?foo=bar&baz=1\"\n",
     {{{"FOO", "bar"}, {"BAZ", "qux"}, {"FRED", "barney"}, {"OTHER", "escaped\"quote"},
       {"URL", "http://example.com/api?foo=bar&baz=1"}}},
     {{{"FOO", "bar"}, {"BAZ", "qux"}, {"FRED", "barney"}, {"OTHER", "escaped\"quote"},
       {"URL", "http://example.com/api?foo=bar&baz=1"}}}},
    {"foreman engine_spec: should handle multiline strings", "FOO=\"bar\\nbaz\"\n", {{{"FOO", "bar\nbaz"}}},
     {{{"FOO", "bar\nbaz"}}}},
    {"foreman spec/resources/.env", "FOO=bar\n", {{{"FOO", "bar"}}}, {{{"FOO", "bar"}}}},

    // honcho tests/test_environ.py, test_environ_parse
    {"honcho test_environ: simple", "\nFOO=bar\n", {{{"FOO", "bar"}}}, {{{"FOO", "bar"}}}},
    {"honcho test_environ: two", "\nFOO=bar\nBAZ=qux\n", {{{"FOO", "bar"}, {"BAZ", "qux"}}},
     {{{"FOO", "bar"}, {"BAZ", "qux"}}}},
    {"honcho test_environ: No newline at EOF", "\nFOO=bar", {{{"FOO", "bar"}}}, {{{"FOO", "bar"}}}},
    {"honcho test_environ: Comments", "\n#commented: command\n", {}, {}},
    {"honcho test_environ: Invalid characters", "\n-foo=command\n", {}, {}},
    {"honcho test_environ: Single quoted", "\nMYVAR='hello\"world'\n", {{{"MYVAR", "hello\"world"}}},
     {{{"MYVAR", "hello\"world"}}}},
    {"honcho test_environ: Double quoted", "\nMYVAR=\"hello'world\"\n", {{{"MYVAR", "hello'world"}}},
     {{{"MYVAR", "hello'world"}}}},
    {"honcho test_environ: Quotation mark surrounded", "\nMYVAR='\"surrounded\"'\n",
     {{{"MYVAR", "\"surrounded\""}}}, {{{"MYVAR", "\"surrounded\""}}}},
    {"honcho test_environ: Escaped quotation mark surrounded", "\nMYVAR=\\\"escaped\\\"\n",
     {{{"MYVAR", "\\\"escaped\\\""}}}, {{{"MYVAR", "\"escaped\""}}}},
    {"honcho test_environ: At-sign in value", "\nMYVAR=user@domain.com\n", {{{"MYVAR", "user@domain.com"}}},
     {{{"MYVAR", "user@domain.com"}}}},
    {"honcho test_environ: Much punctuation in value", "\nMYVAR=~pun|u@|0n$=\n", {{{"MYVAR", "~pun|u@|0n$="}}},
     {{{"MYVAR", "~pun|u@|0n$="}}}},
    {"honcho test_environ: Unicode values", "\nMYVAR=⋃ñᴉ—☪ó∂ǝ\n", {{{"MYVAR", "⋃ñᴉ—☪ó∂ǝ"}}}, {{{"MYVAR", "⋃ñᴉ—☪ó∂ǝ"}}}},
    {"honcho test_environ: Unicode keys", "\nṀẎṾẠṚ=value\n", {}, {}},
    {"honcho test_environ: Quoted space in value", "\nMYVAR='sp ace'\n", {{{"MYVAR", "sp ace"}}},
     {{{"MYVAR", "sp ace"}}}},
    {"honcho test_environ: Escaped characters in value",
     "\nTABS='foo\\tbar'\nNEWLINES='foo\\nbar'\nDOLLAR='foo\\$bar'\n",
     {{{"TABS", "foo\\tbar"}, {"NEWLINES", "foo\\nbar"}, {"DOLLAR", "foo\\$bar"}}},
     {{{"TABS", "foo\tbar"}, {"NEWLINES", "foo\nbar"}, {"DOLLAR", "foo\\$bar"}}}},

    // formation: where the dialects differ (the table in src/formation/dotenv.cpp)
    {"formation: unquoted words", "FOO=a b\n", {{{"FOO", "a b"}}}, {{{"FOO", "ab"}}}},
    {"formation: trailing comment", "FOO=a #c\n", {{{"FOO", "a #c"}}}, {{{"FOO", "a"}}}},
    {"formation: # inside a word", "FOO=a#c\n", {{{"FOO", "a#c"}}}, {{{"FOO", "a"}}}},
    {"formation: \\t in double quotes", "FOO=\"a\\tb\"\n", {{{"FOO", "atb"}}}, {{{"FOO", "a\tb"}}}},
    {"formation: \\n in single quotes", "FOO='a\\nb'\n", {{{"FOO", "a\\nb"}}}, {{{"FOO", "a\nb"}}}},
    {"formation: \\$ in double quotes", "FOO=\"a\\$b\"\n", {{{"FOO", "a$b"}}}, {{{"FOO", "a\\$b"}}}},
    {"formation: \\\\ in double quotes", "FOO=\"x\\\\y\"\n", {{{"FOO", "x\\y"}}}, {{{"FOO", "x\\y"}}}},
    {"formation: \\\\n in double quotes (foreman turns \\n into a newline first)", "FOO=\"a\\\\nb\"\n",
     {{{"FOO", "a\\\nb"}}}, {{{"FOO", "a\nb"}}}},
    {"formation: quoted value then a comment", "FOO=\"a\" # c\n", {{{"FOO", "\"a\" # c"}}}, {{{"FOO", "a"}}}},
    {"formation: quotes joined to text", "FOO='a'\"b\"c\n", {{{"FOO", "'a'\"b\"c"}}}, {{{"FOO", "abc"}}}},
    {"formation: empty value", "FOO=\n", {{{"FOO", ""}}}, {}},
    {"formation: empty quoted value", "FOO=\"\"\n", {{{"FOO", ""}}}, {{{"FOO", ""}}}},
    {"formation: indented", " FOO=a\n", {}, {{{"FOO", "a"}}}},
    {"formation: spaces around =", "FOO = a\n", {}, {{{"FOO", "a"}}}},
    {"formation: a name starting with a digit", "1FOO=a\n", refused, {}},
    {"formation: a name with a Latin-1 letter", "FOO\xc3\xa9=1\n", {}, refused},
    {"formation: values containing = # $", "A=a=b=c\nB=$HOME/x\nC=\"x # y\"\n",
     {{{"A", "a=b=c"}, {"B", "$HOME/x"}, {"C", "x # y"}}}, {{{"A", "a=b=c"}, {"B", "$HOME/x"}, {"C", "x # y"}}}},
    {"formation: export prefix (both tools skip the line; import reads it)", "export FOO=a\nexport\tBAR='b c'\n",
     {{{"FOO", "a"}, {"BAR", "b c"}}}, {{{"FOO", "a"}, {"BAR", "b c"}}}},
    {"formation: a variable named export", "export=1\n", {{{"export", "1"}}}, {{{"export", "1"}}}},
    {"formation: multi-line double-quoted value", "FOO=\"a\nb\"\nBAR=c\n", {{{"FOO", "a\nb"}, {"BAR", "c"}}},
     {{{"FOO", "a\nb"}, {"BAR", "c"}}}},
    {"formation: multi-line single-quoted value", "KEY='-----BEGIN-----\nabc\n-----END-----'\n",
     {{{"KEY", "-----BEGIN-----\nabc\n-----END-----"}}}, {{{"KEY", "-----BEGIN-----\nabc\n-----END-----"}}}},
    {"formation: a quote never closed", "FOO=\"abc\nBAR=d\n", {{{"FOO", "\"abc"}, {"BAR", "d"}}}, refused},
    {"formation: text after a closing quote on a later line", "FOO=\"a\nb\" c\n", refused, {{{"FOO", "a\nbc"}}}},
    {"formation: trailing backslash", "FOO=abc\\\n", {{{"FOO", "abc\\"}}}, refused},
    {"formation: CRLF", "A=1\r\nB=\"2\"\r\n", {{{"A", "1"}, {"B", "2"}}}, {{{"A", "1"}, {"B", "2"}}}},
    {"formation: set twice, the later wins", "A=1\nB=2\nA=3\n", {{{"A", "3"}, {"B", "2"}}},
     {{{"A", "3"}, {"B", "2"}}}},
    {"formation: NUL in a value", std::string("A=a\0b\n", 6), refused, refused},
    {"formation: not UTF-8", "A=caf\xe9\n", refused, refused},
};

bool has_warning(const EnvFile& f, int line, std::string_view text) {
    for (const auto& w : f.warnings)
        if (w.where.line == line && w.message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE(".env cases in both dialects") {
    for (const auto& c : cases) {
        CAPTURE(c.from);
        Reading f = read(c.text, Dialect::foreman);
        Reading h = read(c.text, Dialect::honcho);
        CHECK(f.refused == c.foreman.refused);
        CHECK(f.env == c.foreman.env);
        CHECK(h.refused == c.honcho.refused);
        CHECK(h.env == c.honcho.env);
    }
}

TEST_CASE("foreman engine_spec: should read more than one if specified (a later file wins)") {
    auto a = parse_dotenv("FOO=bar\nX=1\n", "env1", Dialect::foreman);
    auto b = parse_dotenv("BAZ=qux\nX=2\n", "env2", Dialect::foreman);
    auto merged = merge_env({a, b});
    REQUIRE(merged.size() == 3);
    CHECK(merged[0].name == "FOO");
    CHECK(merged[1].name == "X");
    CHECK(merged[1].value == "2");
    CHECK(merged[1].where.file == "env2");
    CHECK(merged[2].value == "qux");
}

TEST_CASE("readings that differ from the dialect's tool are warned about") {
    auto f = parse_dotenv("export A=1\nB=x # y\nC=\"m\nn\"\n D=1\n", ".env", Dialect::foreman);
    CHECK(has_warning(f, 1, "foreman ignores lines starting with \"export \""));
    CHECK(has_warning(f, 2, "foreman keeps \" #...\""));
    CHECK(has_warning(f, 3, "several lines"));
    CHECK(has_warning(f, 5, "line ignored"));
    auto h = parse_dotenv("export A=1\nB=x y\nC=\"m\nn\"\nD=\n", ".env", Dialect::honcho);
    CHECK(has_warning(h, 1, "honcho ignores lines starting with \"export \""));
    CHECK(has_warning(h, 2, "joins the words"));
    CHECK(has_warning(h, 3, "several lines"));
    CHECK(has_warning(h, 5, "empty value"));
    CHECK(parse_dotenv("# c\n\nA=1\n", ".env", Dialect::honcho).warnings.empty());
    CHECK(parse_dotenv("# c\n\nA=1\n", ".env", Dialect::foreman).warnings.empty());
}

TEST_CASE("errors name the file and line") {
    try {
        parse_dotenv("A=1\nB=\"open\n", "prod.env", Dialect::honcho);
        FAIL("not refused");
    } catch (const FormationError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].where.file == "prod.env");
        CHECK(e.diagnostics()[0].where.line == 2);
        CHECK(e.diagnostics()[0].message.find("no closing quotation") != std::string::npos);
    }
}
