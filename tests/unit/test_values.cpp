#include <doctest/doctest.h>

#include "formation/values.hpp"

using namespace formation;

TEST_CASE("parse_duration: units and combinations") {
    CHECK(parse_duration("10s") == 10000000u);
    CHECK(parse_duration("10sec") == 10000000u);
    CHECK(parse_duration("500ms") == 500000u);
    CHECK(parse_duration("250us") == 250u);
    CHECK(parse_duration("2m") == 120000000u);
    CHECK(parse_duration("1min 30s") == 90000000u);
    CHECK(parse_duration("1min30s") == 90000000u);
    CHECK(parse_duration("2h") == 7200000000u);
    CHECK(parse_duration("1hr") == 3600000000u);
    CHECK(parse_duration("1d") == 86400000000u);
    CHECK(parse_duration("1.5s") == 1500000u);
    CHECK(parse_duration(" 3s ") == 3000000u);
    CHECK(parse_duration("0s") == 0u);
}

TEST_CASE("parse_duration: refusals") {
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("   "));
    CHECK_FALSE(parse_duration("10"));  // a string needs a unit; a bare number is an integer in TOML
    CHECK_FALSE(parse_duration("ten seconds"));
    CHECK_FALSE(parse_duration("10 seconds"));
    CHECK_FALSE(parse_duration("-5s"));
    CHECK_FALSE(parse_duration("5S"));
    CHECK_FALSE(parse_duration("5s,"));
    CHECK_FALSE(parse_duration("1.s"));
    CHECK_FALSE(parse_duration(".5s"));
    CHECK_FALSE(parse_duration("99999999999999999999s"));
    CHECK_FALSE(parse_duration("999999999999999d"));
}

TEST_CASE("parse_size") {
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("64K") == 65536u);
    CHECK(parse_size("512M") == 512ull << 20);
    CHECK(parse_size("1G") == 1ull << 30);
    CHECK(parse_size("2T") == 2ull << 40);
    CHECK(parse_size("1.5G") == 3ull << 29);
    CHECK_FALSE(parse_size(""));
    CHECK_FALSE(parse_size("M"));
    CHECK_FALSE(parse_size("512 MB"));
    CHECK_FALSE(parse_size("512m"));
    CHECK_FALSE(parse_size("-1G"));
    CHECK_FALSE(parse_size("99999999E"));
}

TEST_CASE("app names") {
    for (const char* ok : {"shop", "a", "api-gateway", "a1-b2-c3", "x9"}) CHECK_MESSAGE(is_valid_app_name(ok), ok);
    for (const char* bad : {"", "Shop", "1shop", "-shop", "shop-", "a--b", "a_b", "../..", "/", "a@b", "a.b", "a b"})
        CHECK_MESSAGE(!is_valid_app_name(bad), bad);
    CHECK(is_valid_app_name(std::string(64, 'a')));
    CHECK_FALSE(is_valid_app_name(std::string(65, 'a')));
}

TEST_CASE("type names") {
    for (const char* ok : {"web", "worker_2", "a", "clock"}) CHECK_MESSAGE(is_valid_type_name(ok), ok);
    for (const char* bad : {"", "web-api", "Web", "2web", "_web", "web server", "web.x", "web@1"})
        CHECK_MESSAGE(!is_valid_type_name(bad), bad);
    CHECK(is_valid_type_name(std::string(64, 'w')));
    CHECK_FALSE(is_valid_type_name(std::string(65, 'w')));
}

TEST_CASE("env, user and directive names") {
    CHECK(is_valid_env_name("RAILS_ENV"));
    CHECK(is_valid_env_name("_x1"));
    CHECK_FALSE(is_valid_env_name("1X"));
    CHECK_FALSE(is_valid_env_name("A-B"));
    CHECK_FALSE(is_valid_env_name(""));
    CHECK(is_valid_user_name("shop"));
    CHECK(is_valid_user_name("_svc.web-1"));
    CHECK(is_valid_user_name("1000"));
    CHECK_FALSE(is_valid_user_name("-shop"));
    CHECK_FALSE(is_valid_user_name("a b"));
    CHECK_FALSE(is_valid_user_name(std::string(32, 'a')));
    // Numeric ids as systemd's parse_uid() and uid_is_valid() take them.
    CHECK(is_valid_user_name("0"));
    CHECK(is_valid_user_name("65534"));  // nobody
    CHECK(is_valid_user_name("4294967294"));
    CHECK_FALSE(is_valid_user_name("65535"));
    CHECK_FALSE(is_valid_user_name("4294967295"));
    CHECK_FALSE(is_valid_user_name("4294967296"));
    CHECK_FALSE(is_valid_user_name("00"));
    CHECK_FALSE(is_valid_user_name("0100"));
    CHECK_FALSE(is_valid_user_name("99999999999"));
    CHECK(is_valid_directive_key("LimitCORE"));
    CHECK_FALSE(is_valid_directive_key("limitCore"));
    CHECK_FALSE(is_valid_directive_key("Limit-Core"));
}

TEST_CASE("signals normalize to SIGxxx") {
    CHECK(normalize_signal("TERM") == "SIGTERM");
    CHECK(normalize_signal("SIGINT") == "SIGINT");
    CHECK(normalize_signal("WINCH") == "SIGWINCH");
    CHECK(normalize_signal("KILL") == "SIGKILL");
    CHECK_FALSE(normalize_signal("term"));
    CHECK_FALSE(normalize_signal("SIGSEGV"));
    CHECK_FALSE(normalize_signal("SIG"));
    CHECK_FALSE(normalize_signal(""));
}

TEST_CASE("edit distance and did-you-mean") {
    CHECK(edit_distance("comand", "command") == 1);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("prot", "port") == 1);
    const std::vector<std::string_view> keys{"command", "count", "port", "nice"};
    CHECK(did_you_mean("comand", keys) == "command");
    CHECK(did_you_mean("Count", keys) == "count");
    CHECK(did_you_mean("COMMAND", keys) == "command");
    CHECK(did_you_mean("prot", keys) == "port");
    CHECK_FALSE(did_you_mean("zzzzzz", keys));
    CHECK_FALSE(did_you_mean("ab", keys));
}

TEST_CASE("control characters and quoting") {
    CHECK(has_control_chars(std::string("a\0b", 3)));
    CHECK(has_control_chars("a\nb"));
    CHECK(has_control_chars("\x7f"));
    CHECK_FALSE(has_control_chars("/srv/shop ü"));
    CHECK(quoted("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\x01\"");
}

TEST_CASE("path_problem: what systemd's path_is_normalized() and path_is_valid() refuse") {
    CHECK_FALSE(path_problem("/"));
    CHECK_FALSE(path_problem("/srv/shop"));
    CHECK_FALSE(path_problem("/srv/shop/"));  // path_is_normalized() takes a trailing slash
    CHECK_FALSE(path_problem("/srv/.hidden/..x/x.."));
    CHECK_FALSE(path_problem("/" + std::string(255, 'a')));
    CHECK(path_problem("srv") == "is not absolute");
    CHECK(path_problem("") == "is not absolute");
    CHECK(path_problem("/srv/..") == "has a \"..\" component");
    CHECK(path_problem("/../x") == "has a \"..\" component");
    CHECK(path_problem("/srv/./x") == "has a \".\" component");
    CHECK(path_problem("/.") == "has a \".\" component");
    CHECK(path_problem("//srv") == "has an empty component (\"//\")");
    CHECK(path_problem("/srv//") == "has an empty component (\"//\")");
    CHECK(path_problem("/" + std::string(256, 'a')) == "has a component of 256 bytes (at most 255)");
    std::string long_path;
    while (long_path.size() < 4095) long_path += "/a";
    long_path.resize(4095);
    if (long_path.back() == '/') long_path.back() = 'b';
    CHECK_FALSE(path_problem(long_path));
    CHECK(path_problem(long_path + "c") == "is 4096 bytes long (at most 4095)");
}

TEST_CASE("program_problem: what systemd refuses as the program of ExecStart=") {
    CHECK_FALSE(program_problem("/usr/bin/python3"));
    CHECK_FALSE(program_problem("python3"));
    CHECK_FALSE(program_problem("/opt/my app/run"));  // quoted in the unit
    CHECK_FALSE(program_problem("/opt/100%/run"));    // written %%
    CHECK_FALSE(program_problem(std::string(255, 'p')));
    CHECK(program_problem(""));
    CHECK(program_problem("."));
    CHECK(program_problem(".."));
    CHECK(program_problem("/"));
    CHECK(program_problem("/usr/bin/"));
    CHECK(program_problem("bin/run"));
    CHECK(program_problem("my prog"));
    CHECK(program_problem(std::string(256, 'p')));
    CHECK(program_problem("/usr/" + std::string(256, 'p')));
    CHECK(program_problem("/usr/../bin/sh"));
    CHECK(program_problem("$HOME/run"));
    CHECK(program_problem("/opt/$x"));
    CHECK(program_problem("/opt/\"q\""));
    CHECK(program_problem("/opt/it's"));
    CHECK(program_problem("/opt/a\\b"));
    CHECK(program_problem("/opt/a\x7f"));
    for (char prefix : std::string("-@:+!|")) CHECK(program_problem(std::string(1, prefix) + "sleep"));
}
