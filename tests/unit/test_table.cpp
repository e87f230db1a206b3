#include <doctest/doctest.h>

#include <sstream>

#include "cli/table.hpp"

using namespace formation::cli;

TEST_CASE("json::quote escapes what JSON requires") {
    CHECK(formation::json::quote("") == "\"\"");
    CHECK(formation::json::quote("web") == "\"web\"");
    CHECK(formation::json::quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(formation::json::quote("1\n2\t3\r") == "\"1\\n2\\t3\\r\"");
    CHECK(formation::json::quote(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
    CHECK(formation::json::quote(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}

TEST_CASE("json::quote keeps valid UTF-8 and replaces the rest") {
    CHECK(formation::json::quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
    CHECK(formation::json::quote("\xe2\x82\xac \xf0\x9f\x98\x80") == "\"\xe2\x82\xac \xf0\x9f\x98\x80\"");
    CHECK(formation::json::quote("\xff") == "\"\\ufffd\"");
    CHECK(formation::json::quote("a\xc3") == "\"a\\ufffd\"");                  // truncated
    CHECK(formation::json::quote("\xc0\xaf") == "\"\\ufffd\\ufffd\"");         // overlong
    CHECK(formation::json::quote("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
    CHECK(formation::json::quote("\xf4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // past U+10FFFF
    CHECK(formation::json::quote("\x80x") == "\"\\ufffdx\"");
}

TEST_CASE("human durations and sizes") {
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(5'400'000) == "5s");
    CHECK(format_duration(192'000'000) == "3m12s");
    CHECK(format_duration((2 * 3600 + 4 * 60 + 59) * 1'000'000ULL) == "2h04m");
    CHECK(format_duration((3 * 86400 + 2 * 3600) * 1'000'000ULL) == "3d02h");
    CHECK(format_bytes(512) == "512B");
    CHECK(format_bytes(64 * 1024) == "64K");
    CHECK(format_bytes(12 * 1024 * 1024 + 300 * 1024) == "12.3M");
    CHECK(format_bytes(1536ULL * 1024 * 1024) == "1.5G");
}

TEST_CASE("display_width counts characters, not bytes") {
    CHECK(display_width("web.1") == 5);
    CHECK(display_width("caf\xc3\xa9") == 4);
}

TEST_CASE("one table, two views") {
    Table t({{"NAME", "name"}, {"", "id"}, {"COUNT", "count", true}, {"NOTE", ""}}, 2);
    t.add_heading("group a");
    t.add_row({text_cell("x"), number_cell(1), number_cell(5), text_cell("")});
    t.add_detail("    detail");
    t.add_row({text_cell("longer"), number_cell(2), null_cell(), text_cell("hi \"you\"")});

    std::ostringstream text;
    t.print_text(text, false);
    CHECK(text.str() ==
          "  NAME    COUNT  NOTE\n"
          "group a\n"
          "  x           5\n"
          "    detail\n"
          "  longer      -  hi \"you\"\n");

    std::ostringstream json;
    t.print_json(json);
    CHECK(json.str() == "[{\"name\":\"x\",\"id\":1,\"count\":5},{\"name\":\"longer\",\"id\":2,\"count\":null}]\n");
}

TEST_CASE("colors are only in the text and do not shift columns") {
    Table t({{"A", "a"}, {"B", "b"}});
    t.add_row({text_cell("ok", Color::green), text_cell("1")});
    t.add_row({text_cell("failed", Color::red), text_cell("2")});
    std::ostringstream text;
    t.print_text(text, true);
    CHECK(text.str() == "A       B\n\033[32mok\033[0m      1\n\033[31mfailed\033[0m  2\n");
    CHECK(t.row_json(0) == "{\"a\":\"ok\",\"b\":\"1\"}");
}

TEST_CASE("terminal_safe: control characters become C escapes, text stays") {
    CHECK(terminal_safe("plain text, ünïcødé ✓ 日本語 🎉") == "plain text, ünïcødé ✓ 日本語 🎉");
    CHECK(terminal_safe("\033]0;pwned\007") == "\\x1b]0;pwned\\x07");
    CHECK(terminal_safe("\033[2J\033[H") == "\\x1b[2J\\x1b[H");
    CHECK(terminal_safe("a\rb\nc") == "a\\rb\\nc");
    CHECK(terminal_safe("a\tb") == "a\\tb");
    CHECK(terminal_safe("a\tb", true) == "a\tb");
    CHECK(terminal_safe(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(terminal_safe("del\x7f") == "del\\x7f");
    CHECK(terminal_safe("c1 csi \xc2\x9b" "2J") == "c1 csi \\u009b2J");  // U+009B, CSI
    CHECK(terminal_safe("nbsp\xc2\xa0") == "nbsp\xc2\xa0");              // U+00A0 is printable
    CHECK(terminal_safe("bad \xff\xfe utf8 \xe2\x82") == "bad \\xff\\xfe utf8 \\xe2\\x82");
    CHECK(terminal_safe("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
    CHECK(terminal_safe("{\"msg\":\"a \\\"b\\\"\"}") == "{\"msg\":\"a \\\"b\\\"\"}");  // backslashes kept
    CHECK(terminal_safe("") == "");
}

TEST_CASE("the text table never sends a control character to the terminal") {
    Table t({{"NAME", "name"}, {"NOTE", "note"}});
    t.add_heading("type \033[2J");
    t.add_row({text_cell("web\033]0;pwned\007"), text_cell("ok")});
    t.add_detail("log\tline \033[31mred\033[0m \xff");
    std::ostringstream out;
    t.print_text(out, false);
    const std::string text = out.str();
    for (char c : text) CHECK_MESSAGE((static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t'), text);
    CHECK(text.find("web\\x1b]0;pwned\\x07  ok") != std::string::npos);
    CHECK(text.find("type \\x1b[2J") != std::string::npos);
    CHECK(text.find("log\tline \\x1b[31mred\\x1b[0m \\xff") != std::string::npos);
    // Columns are aligned on what is shown: the header's NOTE above "ok".
    CHECK(text.find("NAME") + (text.find("ok") - text.find("web")) == text.find("NOTE"));
    // JSON keeps its own escaping.
    CHECK(t.row_json(0) == "{\"name\":\"web\\u001b]0;pwned\\u0007\",\"note\":\"ok\"}");
}
