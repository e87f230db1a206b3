#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "formation/secrets.hpp"
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
    CHECK(has_control_chars("/srv/\u202Eshop"));  // and what find_hidden_char() finds
    CHECK(has_control_chars("\u0085"));
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

TEST_CASE("find_hidden_char: bidirectional, zero-width and C1 characters, with where they are") {
    CHECK_FALSE(find_hidden_char("Shop storefront"));
    CHECK_FALSE(find_hidden_char("Café ✓ 🎉 שלום"));  // other scripts, symbols and emoji are text
    CHECK_FALSE(find_hidden_char("a\tb\n"));            // C0 is has_control_chars()'s
    auto rlo = find_hidden_char("Shop \u202Eevil");
    REQUIRE(rlo);
    CHECK(rlo->code_point == 0x202E);
    CHECK(rlo->index == 5);
    CHECK(rlo->name == "U+202E (right-to-left override)");
    auto after_multibyte = find_hidden_char("é\u200B");
    REQUIRE(after_multibyte);
    CHECK(after_multibyte->index == 1);  // characters, not bytes
    for (std::uint32_t cp : {0x80u, 0x9Bu, 0x9Fu, 0x61Cu, 0x200Bu, 0x200Cu, 0x200Du, 0x200Eu, 0x200Fu, 0x2028u,
                             0x2029u, 0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2060u, 0x2064u, 0x2066u,
                             0x2067u, 0x2068u, 0x2069u, 0xFEFFu}) {
        std::string s = "x";
        if (cp < 0x800) {
            s += char(0xC0 | (cp >> 6));
        } else {
            s += char(0xE0 | (cp >> 12));
            s += char(0x80 | ((cp >> 6) & 0x3F));
        }
        s += char(0x80 | (cp & 0x3F));
        CAPTURE(cp);
        auto h = find_hidden_char(s);
        REQUIRE(h);
        CHECK(h->code_point == cp);
        CHECK(h->index == 1);
    }
    CHECK_FALSE(find_hidden_char("\u00A0\u2065\u206A\uFEFE"));  // next to the ranges: not hidden
}

TEST_CASE("quoted() shows hidden characters as escapes, so a message cannot reorder the terminal") {
    CHECK(quoted("a\u202Eb") == "\"a\\u202eb\"");
    CHECK(quoted("\u0085") == "\"\\u0085\"");
    CHECK(quoted("é ✓") == "\"é ✓\"");
    CHECK(quoted(std::string("\xff", 1)) == "\"\xff\"");  // invalid UTF-8 passes as a byte
}

TEST_CASE("reserved_env_name: what systemd sets for a service process") {
    for (const char* name : {"LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET", "WATCHDOG_PID",
                             "WATCHDOG_USEC", "MAINPID", "MANAGERPID", "SYSTEMD_EXEC_PID", "INVOCATION_ID",
                             "JOURNAL_STREAM", "LOG_NAMESPACE", "SERVICE_RESULT", "EXIT_CODE", "EXIT_STATUS",
                             "MONITOR_SERVICE_RESULT", "MONITOR_UNIT", "TRIGGER_UNIT", "TRIGGER_TIMER_REALTIME_USEC",
                             "PIDFILE", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY", "LOGS_DIRECTORY",
                             "CONFIGURATION_DIRECTORY", "CREDENTIALS_DIRECTORY", "REMOTE_ADDR", "REMOTE_PORT", "USER",
                             "LOGNAME"}) {
        CAPTURE(name);
        auto why = reserved_env_name(name);
        REQUIRE(why);
        CHECK(why->starts_with("is set by"));
    }
    // Defaults systemd sets that a formation may change, and anything else.
    for (const char* name : {"PATH", "HOME", "SHELL", "LANG", "TERM", "TZ", "XDG_RUNTIME_DIR", "PORT", "RAILS_ENV",
                             "LISTEN", "MAINPID_FILE", "USERNAME"})
        CHECK_FALSE(reserved_env_name(name));
    CHECK(reserved_env_name("USER")->find("set user instead") != std::string::npos);
}

TEST_CASE("instance_env_problem: names that can carry \"web.2\"") {
    for (const char* name : {"PS", "DYNO", "HONCHO_PROCESS_NAME", "INSTANCE", "WORKER_ID"}) CHECK_FALSE(instance_env_problem(name));
    for (const char* name : {"PATH", "HOME", "SHELL", "TERM", "TZ", "TMPDIR", "IFS", "ENV", "LANG", "LC_ALL", "LD_PRELOAD",
                             "XDG_CONFIG_HOME", "MALLOC_ARENA_MAX", "PORT", "FORMATION_X", "LISTEN_FDS",
                             "NOTIFY_SOCKET", "USER", "INVOCATION_ID", "PS1"}) {
        CAPTURE(name);
        CHECK(instance_env_problem(name));
    }
}

TEST_CASE("raw_line_problem: keys formation writes, deprecated names and USB gadgets are refused whatever the value") {
    for (const auto& entry : std::vector<std::pair<std::string, std::string>>{
             {"Service", "Type"}, {"Service", "ExecStart"}, {"Service", "User"}, {"Service", "Group"},
             {"Service", "WorkingDirectory"}, {"Service", "Slice"}, {"Service", "SyslogIdentifier"},
             {"Service", "StandardOutput"}, {"Service", "StandardError"}, {"Service", "MemoryAccounting"}, {"Service", "CPUAccounting"},
             {"Unit", "SourcePath"}, {"Service", "CPUShares"}, {"Service", "MemoryLimit"},
             {"Unit", "RequiresOverridable"}, {"Unit", "OnFailureIsolate"}, {"Service", "USBFunctionStrings"}}) {
        const std::string& section = entry.first;  // no structured binding: CAPTURE's lambda cannot use one (clang 14)
        const std::string& key = entry.second;
        CAPTURE(key);
        CHECK(raw_line_problem(section, key, "x"));
        const auto allowed = raw_keys_allowed(section);
        CHECK(std::find(allowed.begin(), allowed.end(), key) == allowed.end());
    }
    CHECK(raw_line_problem("Service", "Type", "exec")->find("set ready instead") != std::string::npos);
    CHECK(raw_line_problem("Service", "ExecStart", "/bin/true")->find("set command instead") != std::string::npos);
    CHECK(raw_line_problem("Service", "CPUShares", "5")->find("CPUWeight=") != std::string::npos);
    // Everything else systemd 252 knows is allowed, with a good value.
    CHECK(raw_keys_allowed("Unit").size() == 113 - 4);
    CHECK(raw_keys_allowed("Service").size() == 243 - 19);
    CHECK_FALSE(raw_line_problem("Service", "OOMScoreAdjust", "100"));
    CHECK_FALSE(raw_line_problem("Service", "Restart", "no"));  // overrides formation's line, as documented
    CHECK_FALSE(raw_line_problem("Unit", "Documentation", "https://example.com/100%%25"));
    // "%2" is a specifier to systemd (any letter or digit is), an unknown one: the line would be ignored.
    CHECK(raw_line_problem("Unit", "Documentation", "https://example.com/100%25"));
}

TEST_CASE("raw_line_problem: command lines as systemd 252's config_parse_exec() reads them") {
    auto ok = [](const char* v) { return !raw_line_problem("Service", "ExecStartPre", v); };
    CHECK(ok("/bin/true"));
    CHECK(ok("true"));  // a file name: looked up in systemd's search path
    CHECK(ok("-/usr/bin/migrate --fast"));
    CHECK(ok("+/bin/chown app /run/app"));
    CHECK(ok("!!/bin/true"));
    CHECK(ok("-+/bin/true"));
    CHECK(ok(":-@/bin/true foo"));
    CHECK(ok("@/bin/sh sh -c \"echo $PORT; exit 0\""));
    CHECK(ok("/bin/true ; /bin/false"));
    CHECK(ok("/bin/true ;"));
    CHECK(ok(";"));
    CHECK(ok("/bin/echo \\; 'single quoted' \"\\x41\\u00e9\""));
    CHECK(ok("/bin/echo %i %n %H %% 100% %-"));
    CHECK(ok("/a/../b"));  // valid, merely not found
    auto why = [](const char* v) { return raw_line_problem("Service", "ExecStartPost", v).value_or(""); };
    CHECK(why("/bin/true \"unterminated").find("unbalanced double quote") != std::string::npos);
    CHECK(why("\"unterminated").find("unbalanced") != std::string::npos);
    CHECK(why("/bin/true 'a").find("unbalanced single quote") != std::string::npos);
    CHECK(why("/bin/true ; /bin/x \"a").find("unbalanced") != std::string::npos);
    CHECK(why("/bin/true %Z").find("%Z is not a specifier") != std::string::npos);
    CHECK(why("-/bin/true %Z").find("%Z") != std::string::npos);  // ignored with a warning: refused too
    CHECK(why("/bin/t%Zrue").find("%Z") != std::string::npos);
    CHECK(why("/bin/echo \\x25Z").find("%Z") != std::string::npos);  // escapes are decoded first
    CHECK(why("./relative").find("neither an absolute path nor a file name") != std::string::npos);
    CHECK(why("/bin/true ; ./x").find("neither") != std::string::npos);
    CHECK(why("/bin/").find("directory") != std::string::npos);
    CHECK(why("+").find("no program") != std::string::npos);
    CHECK(why("--/bin/true").find("neither") != std::string::npos);
    CHECK(why("@/bin/true").find("argv[0]") != std::string::npos);
    CHECK(why("/bin/tr\\x01ue").find("control character") != std::string::npos);
    CHECK(why("/bin/tr\\x1bue").find("\"/bin/tr\\x1bue\"") != std::string::npos);  // shown escaped, never raw
    CHECK(why("/bin/true \\q").find("escape") != std::string::npos);
    CHECK(why("/bin/true \\x00").find("escape") != std::string::npos);
    CHECK(why("/bin/true \\").find("backslash") != std::string::npos);
    CHECK(why(("/" + std::string(256, 'p')).c_str()).find("neither") != std::string::npos);
}

TEST_CASE("raw_line_problem: the other values that make systemd 252 refuse the unit or drop the line") {
    auto why = [](const char* section, const char* key, const char* v) {
        return raw_line_problem(section, key, v).value_or("");
    };
    CHECK(why("Service", "RootDirectory", "relative").find("absolute") != std::string::npos);
    CHECK(why("Service", "RootImage", "-/srv/x").find("absolute") != std::string::npos);
    CHECK(why("Service", "RootVerity", "/srv/../x").find("..") != std::string::npos);
    CHECK(why("Service", "RootVerity", "/srv//../x").find("..") != std::string::npos);
    CHECK(why("Service", "RootDirectory", "/srv/./x//y") == "");  // simplified by systemd, then fine
    CHECK(why("Service", "RootDirectory", "") == "");
    CHECK(why("Service", "PIDFile", "/run/../x").find("..") != std::string::npos);
    CHECK(why("Service", "PIDFile", "../x").find("..") != std::string::npos);
    CHECK(why("Service", "PIDFile", "shop.pid") == "");  // under /run
    CHECK(why("Service", "DynamicUser", "maybe").find("boolean") != std::string::npos);
    CHECK(why("Service", "DynamicUser", "YES") == "");
    CHECK(why("Service", "KillMode", "none").find("deprecated") != std::string::npos);
    CHECK(why("Service", "KillMode", "process") == "");
    CHECK(why("Service", "SupplementaryGroups", "adm bad!name").find("bad!name") != std::string::npos);
    CHECK(why("Service", "SupplementaryGroups", "adm %g") == "");
    CHECK(why("Service", "SELinuxContext", "%Z").find("%Z") != std::string::npos);
    CHECK(why("Service", "AppArmorProfile", "-%Z").find("%Z") != std::string::npos);
    CHECK(why("Service", "Environment", "").find("UnsetEnvironment") != std::string::npos);
    CHECK(why("Service", "EnvironmentFile", "").find("env_files") != std::string::npos);
    CHECK(why("Service", "Environment", "A=1 \"NOTIFY_SOCKET=/x\"").find("NOTIFY_SOCKET") != std::string::npos);
    CHECK(why("Service", "Environment", "FORMATION_INSTANCE=x").find("formation") != std::string::npos);
    CHECK(why("Service", "Environment", "\"A=1").find("unbalanced") != std::string::npos);
    CHECK(why("Service", "Environment", "A=1 HOME=/srv PATH=/opt/bin:/usr/bin") == "");
    CHECK(why("Service", "PassEnvironment", "LANG MAINPID").find("MAINPID") != std::string::npos);
    // Unit names expand fewer specifiers.
    CHECK(why("Unit", "After", "%h.service").find("unit name") != std::string::npos);
    CHECK(why("Unit", "After", "%p-db.service") == "");
    CHECK(why("Unit", "Description", "%h").empty());
    CHECK(why("Unit", "Description", "%Q").find("%Q") != std::string::npos);
    CHECK(raw_environment_names("A=1 \"B=x y\" 'C=%i'") == std::vector<std::string>{"A", "B", "C"});
}

TEST_CASE("looks_secret") {
    CHECK(looks_secret("API_KEY", "x"));
    CHECK(looks_secret("secret_key_base", "x"));
    CHECK(looks_secret("SMTP_PASSWORD", "x"));
    CHECK(looks_secret("SMTP_PASS", "x"));
    CHECK(looks_secret("ACCESS_TOKEN", "x"));
    CHECK(looks_secret("X", "amqp://guest:guest@rabbit//"));
    CHECK(looks_secret("X", "a,https://tok@h/x"));
    CHECK_FALSE(looks_secret("KEYBOARD", "x"));
    CHECK_FALSE(looks_secret("PASSENGER_MAX", "4"));
    CHECK_FALSE(looks_secret("URL", "https://example.com/a@b"));  // "@" in the path is no credential
    CHECK_FALSE(looks_secret("MAIL_FROM", "shop@example.com"));
}
