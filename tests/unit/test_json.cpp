#include <doctest/doctest.h>

#include <string>

#include "json/json.hpp"
#include "text/utf8.hpp"

using namespace formation;

TEST_CASE("json: quote escapes what JSON requires and keeps the output UTF-8") {
    CHECK(json::quote("") == "\"\"");
    CHECK(json::quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json::quote(std::string("\x01\x1f\x7f\0", 4)) == "\"\\u0001\\u001f\\u007f\\u0000\"");
    CHECK(json::quote("\x1b]0;owned\x07") == "\"\\u001b]0;owned\\u0007\"");
    CHECK(json::quote("caf\xc3\xa9 \xf0\x9f\x98\x80") == "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    // Not UTF-8: a lone continuation, an overlong, a surrogate, past U+10FFFF, cut short.
    for (const char* bad : {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
        CHECK_MESSAGE(json::quote(bad).find("\\ufffd") != std::string::npos, bad);
    CHECK(utf8::is_valid(json::quote("\xff\xfe a \xc3")));
}

TEST_CASE("json: the writer places commas and colons") {
    json::Writer w;
    w.object().key("a").array().uint(1).integer(-2).boolean(true).null().end_array();
    w.key("b").object().end_object().key("c").string("x").key("d").uint_or_null(std::nullopt);
    w.key("e").raw("[1]").end_object();
    CHECK(w.text() == R"({"a":[1,-2,true,null],"b":{},"c":"x","d":null,"e":[1]})");
}

TEST_CASE("json: what is written reads back the same") {
    std::string hostile = std::string("\x00\x01\n\t\"\\/\x7f", 8) + "caf\xc3\xa9 \xe2\x80\xae \xf0\x9f\x98\x80";
    json::Writer w;
    w.object().key(hostile).string(hostile).key("n").uint(18446744073709551615ull).key("m").integer(INT64_MIN);
    w.key("list").array().string("").null().boolean(false).end_array().end_object();
    json::Value v = json::parse(w.text());
    CHECK(v.at(hostile).as_string() == hostile);
    CHECK(v.at("n").as_uint() == 18446744073709551615ull);
    CHECK(v.at("m").as_int() == INT64_MIN);
    CHECK(v.at("list").as_array().size() == 3);
    CHECK(json::write(v) == w.text());
}

TEST_CASE("json: escapes and surrogates") {
    CHECK(json::parse(R"("\u00e9\ud83d\ude00\/")").as_string() == "\xc3\xa9\xf0\x9f\x98\x80/");
    // A lone surrogate is U+FFFD; the escape after an unpaired high one stands on its own.
    CHECK(json::parse(R"("\ud800")").as_string() == "\xef\xbf\xbd");
    CHECK(json::parse(R"("\udc00x")").as_string() == "\xef\xbf\xbdx");
    CHECK(json::parse(R"("\ud800\u0041")").as_string() == "\xef\xbf\xbd" "A");
}

TEST_CASE("json: numbers are read as written and typed strictly") {
    CHECK(json::parse("18446744073709551615").as_uint() == 18446744073709551615ull);
    CHECK_THROWS_AS(json::parse("18446744073709551616").as_uint(), json::Error);  // 2^64
    CHECK_THROWS_AS(json::parse("-1").as_uint(), json::Error);
    CHECK_THROWS_AS(json::parse("1.5").as_uint(), json::Error);
    CHECK_THROWS_AS(json::parse("1e3").as_uint(), json::Error);
    CHECK(json::parse("-0.5e-3").string == "-0.5e-3");
    CHECK_THROWS_AS(json::parse("\"7\"").as_uint(), json::Error);
    CHECK_THROWS_AS(json::parse("{}").at("x"), json::Error);
    CHECK_THROWS_AS(json::parse("[]").at("x"), json::Error);
    std::string huge(5000, '9');
    CHECK_THROWS_AS(json::parse(huge).as_uint(), json::Error);
}

TEST_CASE("json: what is not JSON is refused") {
    for (const char* bad : {"", " ", "{", "}", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "\"\x01\"",
                            "\"a\nb\"", "tru", "nul", "1 2", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "01", "+1",
                            "1.", ".5", "1e", "-", "--1", "0x10", "NaN", "Infinity", "'a'", "\"abc",
                            "{\"a\":1,\"a\":2}", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "[1]x"})
        CHECK_THROWS_AS_MESSAGE(json::parse(bad), json::Error, bad);
}

TEST_CASE("json: nesting is bounded") {
    CHECK_NOTHROW(json::parse(std::string(60, '[') + std::string(60, ']')));
    CHECK_THROWS_AS(json::parse(std::string(100000, '[') + std::string(100000, ']')), json::Error);
    CHECK_THROWS_AS(json::parse(std::string(100000, '[')), json::Error);
}

TEST_CASE("utf8: one validator, one encoder") {
    CHECK(utf8::is_valid(""));
    CHECK(utf8::is_valid(std::string("a\0b", 3)));
    CHECK(utf8::is_valid("\xf4\x8f\xbf\xbf"));
    CHECK_FALSE(utf8::is_valid("\xf4\x90\x80\x80"));
    CHECK_FALSE(utf8::is_valid("\xe0\x80\x80"));
    CHECK_FALSE(utf8::is_valid("\xf5\x80\x80\x80"));
    for (std::uint32_t cp : {0x41u, 0xe9u, 0x20acu, 0x1f600u, 0x10ffffu}) {
        std::string s;
        utf8::append(s, cp);
        REQUIRE(utf8::is_valid(s));
        CHECK(utf8::code_point(s, 0, utf8::sequence_length(s, 0)) == cp);
    }
    std::string s;
    utf8::append(s, 0xd800);
    CHECK(s == "\xef\xbf\xbd");
    CHECK(utf8::columns("caf\xc3\xa9") == 4);
}
