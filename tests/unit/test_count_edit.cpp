#include <doctest/doctest.h>

#include <sstream>

#include "formation/count_edit.hpp"
#include "formation/parse.hpp"

using namespace formation;

namespace {

using Counts = std::vector<std::pair<std::string, int>>;

// Everything the edit must not change, with counts listed separately.
std::string summary_without_counts(const Formation& f) {
    std::ostringstream o;
    o << f.app << '|' << f.description << '\n';
    for (const auto& p : f.processes) {
        o << p.name << ' ' << p.command.line << ' ' << p.port.value_or(-1) << ' ' << p.stop_timeout_usec << ' ';
        for (const auto& [k, v] : p.env) o << k << '=' << v << ';';
        o << '\n';
    }
    return o.str();
}

std::vector<int> counts_of(const Formation& f) {
    std::vector<int> out;
    for (const auto& p : f.processes) out.push_back(p.count);
    return out;
}

// Edits, then checks the result means the same formation with new counts.
std::string edit(const std::string& text, const Counts& counts, const std::vector<int>& expected_counts) {
    std::string out = set_counts(text, "f.toml", counts);
    Formation before = parse_formation(text, "f.toml");
    Formation after = parse_formation(out, "f.toml");
    CHECK(summary_without_counts(after) == summary_without_counts(before));
    CHECK(counts_of(after) == expected_counts);
    return out;
}

SourcePos refusal(const std::string& text, const Counts& counts, std::string_view message) {
    try {
        set_counts(text, "f.toml", counts);
    } catch (const FormationError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        const auto& d = e.diagnostics()[0];
        CHECK_MESSAGE(d.message.find(message) != std::string::npos, d.message);
        CHECK(d.where.file == "f.toml");
        return d.where;
    }
    FAIL("accepted");
    return {};
}

const std::string shop = R"(# The shop.
app = "shop"

[process.web]   # front end
command = "run web"
count   =  3    # three of them
port = 5000

[process.worker]
command = "work"
# no count here: defaults to one

[process.clock]
command = "tick"
count=1
)";

}  // namespace

TEST_CASE("an existing count is replaced in place, everything else byte for byte") {
    std::string out = edit(shop, {{"web", 5}}, {1, 5, 1});
    std::string expected = shop;
    expected.replace(expected.find("count   =  3"), 12, "count   =  5");
    CHECK(out == expected);
    out = edit(shop, {{"clock", 0}}, {0, 3, 1});
    CHECK(out.find("\ncount=0\n") != std::string::npos);
    CHECK(out.size() == shop.size());
}

TEST_CASE("a missing count is inserted right after the header") {
    std::string out = edit(shop, {{"worker", 4}}, {1, 3, 4});
    std::string expected = shop;
    expected.insert(expected.find("[process.worker]\n") + 17, "count = 4\n");
    CHECK(out == expected);
}

TEST_CASE("several types at once; the last TYPE=N for a type wins") {
    std::string out = edit(shop, {{"web", 10}, {"worker", 2}, {"clock", 7}, {"web", 12}}, {7, 12, 2});
    CHECK(out.find("count   =  12    # three of them") != std::string::npos);
    CHECK(out.find("[process.worker]\ncount = 2\ncommand") != std::string::npos);
}

TEST_CASE("CRLF files stay CRLF") {
    std::string crlf;
    for (char c : shop) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    std::string out = edit(crlf, {{"web", 2}, {"worker", 9}}, {1, 2, 9});
    CHECK(out.find("[process.worker]\r\ncount = 9\r\ncommand") != std::string::npos);
    CHECK(out.find("count   =  2    # three of them\r\n") != std::string::npos);
    for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i] == '\n') CHECK((i > 0 && out[i - 1] == '\r'));
}

TEST_CASE("header forms: BOM, spacing, quotes, last line without newline") {
    // A BOM before the header itself (this file has no app, so only the text is checked).
    CHECK(set_counts("\xEF\xBB\xBF[process.web]\ncommand = \"r\"\n", "f.toml", {{"web", 2}}) ==
          "\xEF\xBB\xBF[process.web]\ncount = 2\ncommand = \"r\"\n");
    edit("\xEF\xBB\xBF" "app = \"a\"\n[process.web]\ncommand = \"r\"\ncount = 1\n", {{"web", 2}}, {2});
    std::string out = edit("app = \"a\"\n[ process . \"web\" ]  # hi\ncommand = \"r\"\n", {{"web", 3}}, {3});
    CHECK(out == "app = \"a\"\n[ process . \"web\" ]  # hi\ncount = 3\ncommand = \"r\"\n");
    out = edit("app = \"a\"\n[process.web]\ncommand = \"r\"\n[process.idle]\ncommand = \"i\"", {{"web", 0}}, {1, 0});
    CHECK(out == "app = \"a\"\n[process.web]\ncount = 0\ncommand = \"r\"\n[process.idle]\ncommand = \"i\"");
    CHECK(set_counts("app = \"a\"\n[process.idle]", "f.toml", {{"idle", 0}}) == "app = \"a\"\n[process.idle]\ncount = 0");
    out = edit("app = \"a\"\n[process.'web']\ncommand = \"r\"\n'count' = 1\n", {{"web", 6}}, {6});
    CHECK(out == "app = \"a\"\n[process.'web']\ncommand = \"r\"\n'count' = 6\n");
    out = edit("app = \"a\"\n[process.web]\ncommand = \"r\"\n\"count\"=0x10 # hex\n", {{"web", 8}}, {8});
    CHECK(out == "app = \"a\"\n[process.web]\ncommand = \"r\"\n\"count\"=8 # hex\n");
}

TEST_CASE("a subtable after the header does not confuse the insert") {
    std::string text = "app = \"a\"\n[process.web]\ncommand = \"r\"\n[process.web.env]\nA = \"1\"\n";
    std::string out = edit(text, {{"web", 2}}, {2});
    CHECK(out == "app = \"a\"\n[process.web]\ncount = 2\ncommand = \"r\"\n[process.web.env]\nA = \"1\"\n");
}

TEST_CASE("a header written after its subtable is still found") {
    std::string text = "app = \"a\"\n[process.web.env]\nA = \"1\"\n[process.web]\ncommand = \"r\"\n";
    std::string out = edit(text, {{"web", 4}}, {4});
    CHECK(out == "app = \"a\"\n[process.web.env]\nA = \"1\"\n[process.web]\ncount = 4\ncommand = \"r\"\n");
}

TEST_CASE("unknown types are refused at the app line, naming the type") {
    SourcePos at = refusal(shop, {{"web", 2}, {"mailer", 1}}, "no process type \"mailer\"");
    CHECK(at.line == 2);
    CHECK(at.column == 7);
    at = refusal("[process.web]\ncommand = \"r\"\n", {{"db", 1}}, "no process type \"db\"");
    CHECK(at.line == 0);
}

TEST_CASE("counts outside 0..1000 are refused") {
    refusal(shop, {{"web", -1}}, "between 0 and 1000 (got -1)");
    refusal(shop, {{"web", 1001}}, "between 0 and 1000 (got 1001)");
}

TEST_CASE("forms that cannot be edited safely are refused, not guessed at") {
    SourcePos at = refusal("app = \"a\"\nprocess.web = { command = \"r\", count = 1 }\n", {{"web", 2}}, "inline table");
    CHECK(at.line == 2);
    refusal("app = \"a\"\n[process]\nweb = { command = \"r\" }\n", {{"web", 2}}, "inline table");
    at = refusal("app = \"a\"\nprocess.web.command = \"r\"\nprocess.web.count = 1\n", {{"web", 2}}, "dotted keys");
    CHECK(at.line == 2);
    refusal("app = \"a\"\n[process]\nweb.command = \"r\"\n", {{"web", 2}}, "dotted keys");
    refusal("app = \"a\"\n[process.web.env]\nA = \"1\"\n", {{"web", 2}}, "dotted keys");
    refusal("app = \"a\"\n[process.web]\ncommand = \"r\"\ncount = \"three\"\n", {{"web", 2}}, "count = N");
}

TEST_CASE("invalid TOML is refused with its position") {
    SourcePos at = refusal("app = \"a\n[process.web]\n", {{"web", 1}}, "invalid TOML");
    CHECK(at.line == 1);
}

TEST_CASE("an empty list of counts changes nothing") {
    CHECK(set_counts(shop, "f.toml", {}) == shop);
}
