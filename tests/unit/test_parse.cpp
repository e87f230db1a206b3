#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compile/render.hpp"
#include "formation/nesting.hpp"
#include "formation/parse.hpp"
#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

#ifndef FORMATION_CORPUS_DIR
#error "FORMATION_CORPUS_DIR is set by tests/meson.build"
#endif

using namespace formation;

namespace {

Formation parse(std::string_view text) { return parse_formation(text, "f.toml"); }

std::vector<Diagnostic> errors_of(std::string_view text) {
    try {
        parse(text);
    } catch (const FormationError& e) {
        return e.diagnostics();
    }
    return {};
}

std::string dump(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message + "\n";
    return out.empty() ? "(accepted)" : out;
}

// True when some diagnostic sits on `line` and contains `text`.
bool has_error(const std::vector<Diagnostic>& ds, int line, std::string_view text) {
    for (const auto& d : ds)
        if (d.where.line == line && d.message.find(text) != std::string::npos) return true;
    return false;
}

const ProcessType& type(const Formation& f, std::string_view name) {
    for (const auto& p : f.processes)
        if (p.name == name) return p;
    FAIL("no process type " << name);
    throw;
}

// Everything but positions, for "written differently, means the same".
std::string summary(const Formation& f) {
    std::ostringstream o;
    o << f.app << '|' << f.description << '\n';
    for (const auto& p : f.processes) {
        o << p.name << " shell=" << p.command.shell << " line=" << p.command.line << " argv=";
        for (const auto& a : p.command.argv) o << a << ',';
        o << " count=" << p.count << " port=" << p.port.value_or(-1) << " env=";
        for (const auto& [k, v] : p.env) o << k << '=' << v << ';';
        o << " files=";
        for (const auto& e : p.env_files) o << e << ',';
        o << " user=" << p.user << " group=" << p.group << " wd=" << p.working_directory
          << " restart=" << static_cast<int>(p.restart) << " delay=" << p.restart_delay_usec
          << " burst=" << p.start_limit_burst << " interval=" << p.start_limit_interval_usec
          << " stop=" << p.stop_timeout_usec << " sig=" << p.stop_signal << " start=" << p.start_timeout_usec
          << " ready=" << static_cast<int>(p.ready) << " mem=" << p.memory_max.value_or(0)
          << " quota=" << p.cpu_quota.value_or(0) << " weight=" << p.cpu_weight.value_or(0)
          << " tasks=" << p.tasks_max.value_or(0) << " nofile=" << p.nofile.value_or(0)
          << " nice=" << p.nice.value_or(99) << " hard=" << static_cast<int>(p.hardening) << " rw=";
        for (const auto& w : p.writable_paths) o << w << ',';
        o << " raw=";
        for (const auto& r : p.raw) o << r.section << ':' << r.line << ',';
        o << '\n';
    }
    return o.str();
}

const std::string design_example = R"(app = "shop"                       # required
description = "Shop storefront"
user = "shop"
group = "shop"
working_directory = "/srv/shop"
env_files = ["/etc/shop/secrets.env"]

[env]
RAILS_ENV = "production"

[defaults]
stop_timeout = "10s"

[process.web]
command = "bundle exec puma -p $PORT"
count = 3
port = 5000
ready = "port"
stop_timeout = "30s"
memory_max = "512M"

[process.worker]
command = ["bundle", "exec", "sidekiq"]
count = 2
)";

}  // namespace

TEST_CASE("the DESIGN example parses into the model") {
    Formation f = parse(design_example);
    CHECK(f.source_path == "f.toml");
    CHECK(f.app == "shop");
    CHECK(f.app_where.line == 1);
    CHECK(f.app_where.column == 7);
    CHECK(f.description == "Shop storefront");
    REQUIRE(f.processes.size() == 2);
    const auto& web = f.processes[0];
    CHECK(web.name == "web");
    CHECK(web.where.line == 14);
    CHECK(web.command.shell);
    CHECK(web.command.line == "bundle exec puma -p $PORT");
    CHECK(web.command_where.line == 15);
    CHECK(web.count == 3);
    CHECK(web.count_where.line == 16);
    CHECK(web.port == 5000);
    CHECK(web.port_where.line == 17);
    CHECK(web.port_where.column == 8);
    CHECK(web.ready == Readiness::port);
    CHECK(web.stop_timeout_usec == 30 * usec_per_sec);
    CHECK(web.memory_max == 512ull << 20);
    CHECK(web.user == "shop");
    CHECK(web.group == "shop");
    CHECK(web.working_directory == "/srv/shop");
    CHECK(web.env_files == std::vector<std::string>{"/etc/shop/secrets.env"});
    CHECK(web.env == Environment{{"RAILS_ENV", "production"}});
    const auto& worker = f.processes[1];
    CHECK(worker.name == "worker");
    CHECK_FALSE(worker.command.shell);
    CHECK(worker.command.argv == std::vector<std::string>{"bundle", "exec", "sidekiq"});
    CHECK(worker.stop_timeout_usec == 10 * usec_per_sec);  // from [defaults]
    CHECK_FALSE(worker.port);
}

TEST_CASE("defaults of the model apply when keys are absent") {
    Formation f = parse("app = \"a\"\n[process.web]\ncommand = \"run\"\n");
    const auto& p = f.processes.at(0);
    CHECK(p.count == 1);
    CHECK(p.count_where.line == 0);
    CHECK(p.restart == RestartPolicy::always);
    CHECK(p.hardening == Hardening::standard);
    CHECK(p.stop_signal == "SIGTERM");
    CHECK(p.ready == Readiness::simple);
    CHECK(p.env.empty());
    CHECK(p.raw.empty());
    CHECK(f.description.empty());
}

TEST_CASE("every per-process key, happy path") {
    Formation f = parse(R"(app = "a"
[process.web]
command = "run"
count = 0
port = 8080
env = { B = "2", A = 1, C = true, D = false }
env_files = ["/etc/a.env", "-/etc/optional.env"]
user = "www-data"
group = "1000"
working_directory = "/srv/a b"
restart = "on-failure"
restart_delay = "500ms"
start_limit_burst = 10
start_limit_interval = 120
stop_timeout = "1min 30s"
stop_signal = "INT"
start_timeout = "2m"
ready = "notify"
memory_max = 1073741824
cpu_quota = "150%"
cpu_weight = 200
tasks_max = 4194304
nofile = 65536
nice = -5
hardening = "strict"
writable_paths = ["/var/lib/a", "/tmp/a"]
systemd = { Service = ["LimitCORE=infinity", "OOMScoreAdjust=100"], Unit = ["After=db.service"] }
)");
    const auto& p = f.processes.at(0);
    CHECK(p.count == 0);
    CHECK(p.port == 8080);
    CHECK(p.env == Environment{{"A", "1"}, {"B", "2"}, {"C", "true"}, {"D", "false"}});
    CHECK(p.env_files == std::vector<std::string>{"/etc/a.env", "-/etc/optional.env"});
    CHECK(p.user == "www-data");
    CHECK(p.group == "1000");
    CHECK(p.working_directory == "/srv/a b");
    CHECK(p.restart == RestartPolicy::on_failure);
    CHECK(p.restart_delay_usec == 500000);
    CHECK(p.start_limit_burst == 10);
    CHECK(p.start_limit_interval_usec == 120 * usec_per_sec);
    CHECK(p.stop_timeout_usec == 90 * usec_per_sec);
    CHECK(p.stop_signal == "SIGINT");
    CHECK(p.start_timeout_usec == 120 * usec_per_sec);
    CHECK(p.ready == Readiness::notify);
    CHECK(p.memory_max == 1ull << 30);
    CHECK(p.cpu_quota == 150u);
    CHECK(p.cpu_weight == 200u);
    CHECK(p.tasks_max == 4194304u);
    CHECK(p.nofile == 65536u);
    CHECK(p.nice == -5);
    CHECK(p.hardening == Hardening::strict);
    CHECK(p.writable_paths == std::vector<std::string>{"/var/lib/a", "/tmp/a"});
    REQUIRE(p.raw.size() == 3);
    CHECK(p.raw[0].section == "Unit");
    CHECK(p.raw[0].line == "After=db.service");
    CHECK(p.raw[1].section == "Service");
    CHECK(p.raw[1].line == "LimitCORE=infinity");
    CHECK(p.raw[2].line == "OOMScoreAdjust=100");
}

TEST_CASE("small accepted variants of values") {
    auto one = [](const std::string& line) { return parse("app = \"a\"\n[process.web]\ncommand = \"run\"\n" + line + "\n").processes.at(0); };
    CHECK(one("restart = \"no\"").restart == RestartPolicy::no);
    CHECK(one("restart = \"always\"").restart == RestartPolicy::always);
    CHECK(one("hardening = \"none\"").hardening == Hardening::none);
    CHECK(one("hardening = \"default\"").hardening == Hardening::standard);
    CHECK(one("ready = \"simple\"").ready == Readiness::simple);
    CHECK(one("stop_signal = \"SIGKILL\"").stop_signal == "SIGKILL");
    CHECK(one("stop_signal = \"WINCH\"").stop_signal == "SIGWINCH");
    CHECK(one("cpu_quota = 250").cpu_quota == 250u);
    CHECK(one("memory_max = \"64K\"").memory_max == 65536u);
    CHECK(one("memory_max = \"2T\"").memory_max == 2ull << 40);
    CHECK(one("stop_timeout = 5").stop_timeout_usec == 5 * usec_per_sec);
    CHECK(one("stop_timeout = \"1ms\"").stop_timeout_usec == 1000);
    CHECK(one("stop_timeout = \"1h\"").stop_timeout_usec == 3600 * usec_per_sec);
    CHECK(one("port = 65535").port == 65535);
    CHECK(one("count = 1000").count == 1000);
    CHECK(one("nice = 19").nice == 19);
    CHECK(one("env.path = \"/bin\"").env == Environment{{"path", "/bin"}});
    CHECK(one("'count' = 4").count == 4);
    CHECK(one("\"count\" = 5").count == 5);
    CHECK(parse("app = \"a\"\n[process.web]\ncommand = [\"/usr/bin/env\", \"a b\", \"\"]\n").processes[0].command.argv ==
          std::vector<std::string>{"/usr/bin/env", "a b", ""});
    CHECK(one("ready = \"port\"\nport = 80").ready == Readiness::port);
}

TEST_CASE("strings are kept exactly: newlines, %, $, quotes, backslashes") {
    Formation f = parse(R"(app = "a"
[process.web]
command = "echo \"100%\" $HOME 'x' \\n\nsecond line"
env.MSG = """multi
line %i $X \\ "q" """
)");
    const auto& p = f.processes.at(0);
    CHECK(p.command.line == "echo \"100%\" $HOME 'x' \\n\nsecond line");
    CHECK(p.env == Environment{{"MSG", "multi\nline %i $X \\ \"q\" "}});
}

TEST_CASE("merge order: app env, then defaults env, then process env") {
    Formation f = parse(R"(app = "a"
env_files = ["/etc/a.env", "/etc/shared.env"]
user = "appuser"
group = "appgroup"
working_directory = "/srv/app"
[env]
A = "app"
B = "app"
C = "app"
[defaults]
env = { B = "defaults", C = "defaults" }
env_files = ["/etc/defaults.env", "/etc/a.env"]
user = "defuser"
count = 2
stop_timeout = "20s"
[process.web]
command = "run"
env = { C = "web", Z = "web" }
env_files = ["/etc/web.env", "/etc/shared.env"]
working_directory = "/srv/web"
[process.clock]
command = "tick"
count = 1
user = "clock"
)");
    const auto& web = type(f, "web");
    CHECK(web.env == Environment{{"A", "app"}, {"B", "defaults"}, {"C", "web"}, {"Z", "web"}});
    CHECK(web.env_files == std::vector<std::string>{"/etc/a.env", "/etc/shared.env", "/etc/defaults.env", "/etc/web.env"});
    CHECK(web.user == "defuser");
    CHECK(web.group == "appgroup");
    CHECK(web.working_directory == "/srv/web");
    CHECK(web.count == 2);
    CHECK(web.stop_timeout_usec == 20 * usec_per_sec);
    REQUIRE(web.env_where.size() == 4);
    CHECK(web.env_where[0].first == "A");
    CHECK(web.env_where[0].second.line == 7);
    CHECK(web.env_where[1].second.line == 11);
    CHECK(web.env_where[2].second.line == 18);
    const auto& clock = type(f, "clock");
    CHECK(clock.user == "clock");
    CHECK(clock.count == 1);
    CHECK(clock.working_directory == "/srv/app");
    CHECK(clock.env == Environment{{"A", "app"}, {"B", "defaults"}, {"C", "defaults"}});
    CHECK(f.processes[0].name == "clock");  // ordered by name
}

TEST_CASE("a type's own systemd and writable_paths replace those from [defaults]") {
    Formation f = parse(R"(app = "a"
[defaults]
writable_paths = ["/var/a"]
systemd.Service = ["LimitCORE=0"]
[process.web]
command = "run"
writable_paths = ["/var/web"]
systemd.Unit = ["After=x.service"]
[process.worker]
command = "work"
)");
    CHECK(type(f, "web").writable_paths == std::vector<std::string>{"/var/web"});
    REQUIRE(type(f, "web").raw.size() == 1);
    CHECK(type(f, "web").raw[0].line == "After=x.service");
    CHECK(type(f, "worker").writable_paths == std::vector<std::string>{"/var/a"});
    REQUIRE(type(f, "worker").raw.size() == 1);
    CHECK(type(f, "worker").raw[0].line == "LimitCORE=0");
}

TEST_CASE("port ranges of different types must not overlap") {
    auto ds = errors_of(R"(app = "a"
[process.web]
command = "run"
count = 3
port = 5000
[process.api]
command = "api"
port = 5002
)");
    CHECK_MESSAGE(has_error(ds, 8, "[process.api]"), dump(ds));
    CHECK_MESSAGE(has_error(ds, 8, "overlaps ports 5000-5002 of [process.web]"), dump(ds));
    // Adjacent ranges and count 0 are fine.
    CHECK_NOTHROW(parse("app = \"a\"\n[process.web]\ncommand = \"r\"\ncount = 2\nport = 5000\n[process.api]\ncommand = \"r\"\nport = 5002\n"));
    CHECK_NOTHROW(parse("app = \"a\"\n[process.web]\ncommand = \"r\"\ncount = 0\nport = 5000\n[process.api]\ncommand = \"r\"\nport = 5000\n"));
}

TEST_CASE("valid oddities mean the same as the plain form") {
    const std::string plain = "app = \"shop\"\n[process.web]\ncommand = \"run\"\ncount = 2\nenv = { A = \"1\" }\n[process.worker]\ncommand = \"work\"\n";
    const std::string expected = summary(parse(plain));
    const std::vector<std::pair<std::string, std::string>> forms = {
        {"BOM", "\xEF\xBB\xBF" + plain},
        {"CRLF", "app = \"shop\"\r\n[process.web]\r\ncommand = \"run\"\r\ncount = 2\r\nenv = { A = \"1\" }\r\n[process.worker]\r\ncommand = \"work\"\r\n"},
        {"comments", "# head\napp = \"shop\" # the app\n\n# web\n[process.web] # header\ncommand = \"run\" # cmd\ncount = 2 # two\n"
                     "env = { A = \"1\" } # env\n# worker\n[process.worker]\n  command = \"work\"   # indented\n# end"},
        {"inline tables", "app = \"shop\"\nprocess.web = { command = \"run\", count = 2, env = { A = \"1\" } }\nprocess.worker = { command = \"work\" }\n"},
        {"dotted keys", "app = \"shop\"\nprocess.web.command = \"run\"\nprocess.web.count = 2\nprocess.web.env.A = \"1\"\nprocess.worker.command = \"work\"\n"},
        {"[process] table", "app = \"shop\"\n[process]\nweb = { command = \"run\", count = 2, env.A = \"1\" }\nworker.command = \"work\"\n"},
        {"literal strings", "app = 'shop'\n[process.'web']\ncommand = 'run'\ncount = 2\nenv.'A' = '1'\n[process.\"worker\"]\ncommand = '''work'''\n"},
        {"no trailing newline", plain.substr(0, plain.size() - 1)},
    };
    for (const auto& form : forms) {
        CAPTURE(form.first);  // doctest captures by reference: no structured binding (clang 14)
        CHECK(summary(parse(form.second)) == expected);
    }
}

TEST_CASE("every problem is reported, in file order") {
    auto ds = errors_of(R"(app = "Bad_App"
bogus = 1
[process.web]
command = ""
count = -1
port = 70000
stop_timeout = "ten seconds"
[process.Worker]
command = "w"
)");
    REQUIRE_MESSAGE(ds.size() == 7, dump(ds));
    CHECK(ds[0].where.line == 1);
    CHECK(ds[1].where.line == 2);
    CHECK(ds[1].message == "unknown key \"bogus\" at the top level");
    CHECK(ds[2].where.line == 4);
    CHECK(ds[3].message == "count must be an integer between 0 and 1000 (got -1)");
    CHECK(ds[4].message == "port must be between 1 and 65535 (got 70000)");
    CHECK(ds[5].where.line == 7);
    CHECK(ds[5].message == "stop_timeout: \"ten seconds\" is not a duration (expected e.g. \"10s\", \"500ms\", \"1min 30s\")");
    CHECK(ds[6].where.line == 8);
    for (const auto& d : ds) CHECK(d.where.file == "f.toml");
    // [process.Worker] is reported too, though it sorts before the others in toml++'s table.
    auto more = errors_of("app = \"a\"\n[process.web]\ncommand = 1\n[process.Worker]\ncommand = \"w\"\n");
    REQUIRE_MESSAGE(more.size() == 2, dump(more));
    CHECK(more[0].where.line == 3);
    CHECK(more[1].where.line == 4);
}

TEST_CASE("exact messages for the common mistakes") {
    auto ds = errors_of("app = \"shop\"\n[process.web]\ncomand = \"run\"\n");
    REQUIRE_MESSAGE(ds.size() == 1, dump(ds));  // no extra "has no command" for a typo of it
    CHECK(ds[0].message == "unknown key \"comand\" in [process.web]; did you mean \"command\"?");
    CHECK(ds[0].where.line == 3);
    CHECK(ds[0].where.column == 1);
    ds = errors_of("app = \"shop\"\n[process.web]\ncommand = \"run\"\ncount = \"three\"\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "count must be an integer (got string \"three\")");
    CHECK(ds[0].where.column == 9);
    ds = errors_of("app = \"shop\"\n[process.\"web server\"]\ncommand = \"run\"\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "process type \"web server\" is not a valid name: use lowercase letters, digits and \"_\", starting with a letter");
    ds = errors_of("[process.web]\ncommand = \"run\"\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].where.line == 0);
    CHECK(ds[0].message.find("missing required key \"app\"") != std::string::npos);
    ds = errors_of("app = \"shop\"\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].where.line == 0);
    CHECK(ds[0].message.find("no process types") != std::string::npos);
    ds = errors_of("app = \"shop\"\n[process.web]\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "[process.web] has no command");
    CHECK(ds[0].where.line == 2);
}

TEST_CASE("the project corpus of bad files (tests/corpus/bad) is refused on the expected line") {
    const std::filesystem::path dir = std::filesystem::path(FORMATION_CORPUS_DIR) / "bad";
    REQUIRE(std::filesystem::is_directory(dir));
    int seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".toml") continue;
        ++seen;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        const std::string text = buf.str();
        const std::string marker = "# expect-line: ";
        REQUIRE_MESSAGE(text.rfind(marker, 0) == 0, entry.path().string());
        std::string expect = text.substr(marker.size(), text.find('\n') - marker.size());
        if (!expect.empty() && expect.back() == '\r') expect.pop_back();
        std::vector<Diagnostic> ds;
        try {
            // What `check` runs: the parser, then what systemd would refuse.
            ds = validation_errors(parse_formation(text, entry.path().string()));
        } catch (const FormationError& e) {
            ds = e.diagnostics();
        }
        CAPTURE(entry.path().string());
        REQUIRE_MESSAGE(!ds.empty(), "accepted");
        if (expect != "any") CHECK_MESSAGE(has_error(ds, std::stoi(expect), ""), dump(ds));
        for (const auto& d : ds) CHECK(d.where.file == entry.path().string());
    }
    CHECK(seen >= 10);
}

TEST_CASE("lint warns about inline env keys that look like secrets") {
    Formation f = parse(R"(app = "a"
[env]
API_KEY = "x"
KEYBOARD = "us"
[process.web]
command = "run"
env = { db_password = "p", GitHubToken = "t", MY_SECRET_THING = "s", PATH = "/bin" }
[process.worker]
command = "work"
)");
    auto ws = lint_formation(f);
    REQUIRE_MESSAGE(ws.size() == 4, dump(ws));  // API_KEY once, though both types inherit it
    CHECK(ws[0].where.line == 3);
    CHECK(ws[0].message.find("API_KEY") != std::string::npos);
    CHECK(ws[0].message.find("env_files") != std::string::npos);
    for (std::size_t i = 1; i < ws.size(); ++i) CHECK(ws[i].where.line == 7);
    CHECK(lint_formation(parse(design_example)).empty());
}

TEST_CASE("lint warns about URLs with credentials, whatever the name") {
    Formation f = parse(R"(app = "a"
[env]
DATABASE_URL = "postgres://shop:hunter2@db/shop"
SENTRY = "https://abc123@o1.ingest.sentry.io/5"
HOMEPAGE = "https://example.com/a@b"
MAILTO = "ops@example.com"
[process.web]
command = "run"
)");
    auto ws = lint_formation(f);
    REQUIRE_MESSAGE(ws.size() == 2, dump(ws));
    CHECK(ws[0].where.line == 3);
    CHECK(ws[0].message.find("DATABASE_URL") != std::string::npos);
    CHECK(ws[1].where.line == 4);
}

namespace {

struct Hostile {
    std::string name;
    std::string text;
    int line;
    std::string message;  // a substring of the expected diagnostic
};

const std::string head = "app = \"shop\"\n[process.web]\n";   // lines 1-2
const std::string H = head + "command = \"run\"\n";           // lines 1-3; the case is on line 4

std::vector<Hostile> hostile_inputs() {
    return {
        {"huge count", H + "count = 99999999999999999999\n", 4, "not representable in 64 bits"},
        {"2 MiB file", H + "description = \"" + std::string(2 << 20, 'x') + "\"\n", 0, "at most 1 MiB"},
        {"deeply nested arrays", H + "env.X = " + std::string(5000, '[') + std::string(5000, ']') + "\n", 4, "nested"},
        {"invalid UTF-8", H + "env.X = \"\xff\xfe\"\n", 4, "not UTF-8 (byte \\xff)"},
        {"duplicate key", H + "command = \"again\"\n", 4, "redefine"},
        {"duplicate table", H + "[process.web]\ncount = 1\n", 4, "redefin"},
        {"NUL in command", head + "command = \"a\\u0000b\"\n", 3, "command contains a NUL character"},
        {"NUL in env", H + "env.X = \"\\u0000\"\n", 4, "NUL character"},
        {"NUL in argv", head + "command = [\"/bin/x\", \"\\u0000\"]\n", 3, "NUL character"},
        {"raw NUL byte", H + std::string("env.X = \"a\0b\"\n", 14), 4, ""},
        {"Count in another case", H + "Count = 3\n", 4, "unknown key \"Count\" in [process.web]; did you mean \"count\"?"},
        {"quoted COMMAND", H + "\"COMMAND\" = \"x\"\n", 4, "did you mean \"command\"?"},
        {"key with newline escape", H + "\"com\\nmand\" = \"x\"\n", 4, "unknown key \"com\\nmand\""},
        {"count float", H + "count = 1.5\n", 4, "count must be an integer (got float 1.5)"},
        {"count bool", H + "count = true\n", 4, "count must be an integer (got boolean true)"},
        {"count array", H + "count = [1]\n", 4, "count must be an integer (got array)"},
        {"count too big", H + "count = 1001\n", 4, "between 0 and 1000 (got 1001)"},
        {"count date", H + "count = 1979-05-27\n", 4, "(got date)"},
        {"port string", H + "port = \"5000\"\n", 4, "port must be an integer (got string \"5000\")"},
        {"port zero", H + "port = 0\n", 4, "port must be between 1 and 65535 (got 0)"},
        {"port range past 65535", H + "count = 2\nport = 65535\n", 5, "runs past 65535"},
        {"command integer", head + "command = 42\n", 3, "command must be a string (a shell line) or an array of strings (got integer 42)"},
        {"command empty array", head + "command = []\n", 3, "command must not be an empty array"},
        {"command whitespace", head + "command = \" \\t\\n \"\n", 3, "command must not be empty"},
        {"argv0 empty", head + "command = [\"\", \"x\"]\n", 3, "command[0] must be an absolute path or a program name"},
        {"argv0 relative path", head + "command = [\"bin/run\"]\n", 3, "command[0] must be an absolute path"},
        {"argv0 with space", head + "command = [\"my prog\"]\n", 3, "without spaces"},
        {"argv element integer", head + "command = [\"/bin/x\", 1]\n", 3, "command must be a string (got integer 1)"},
        {"command table", head + "command = { a = 1 }\n", 3, "(got table)"},
        {"env not a table", H + "env = \"A=1\"\n", 4, "env must be a table"},
        {"env bad name", H + "env.1BAD = \"x\"\n", 4, "env name \"1BAD\" in [process.web.env] is not valid"},
        {"env dash name", H + "env = { \"A-B\" = \"x\" }\n", 4, "env name \"A-B\""},
        {"env float", H + "env.X = 1.5\n", 4, "env X must be a string, integer or boolean (got float 1.5)"},
        {"env array", H + "env.X = [\"a\"]\n", 4, "(got array)"},
        {"env table", H + "env.X = { a = 1 }\n", 4, "(got table)"},
        {"env date-time", H + "env.X = 1979-05-27T07:32:00Z\n", 4, "(got date-time)"},
        {"PORT with port", H + "port = 80\nenv.PORT = \"81\"\n", 5, "PORT must not be set in env for [process.web]"},
        {"PORT in app env", "app = \"a\"\n[env]\nPORT = \"1\"\n[process.web]\ncommand = \"r\"\nport = 80\n", 3, "PORT must not be set"},
        {"restart choice", H + "restart = \"sometimes\"\n", 4, "restart must be \"always\", \"on-failure\" or \"no\" (got \"sometimes\")"},
        {"restart integer", H + "restart = 1\n", 4, "restart must be a string (got integer 1)"},
        {"negative duration", H + "restart_delay = -1\n", 4, "non-negative number of seconds"},
        {"duration bool", H + "start_timeout = false\n", 4, "start_timeout must be a duration"},
        {"duration words", H + "start_timeout = \"1 fortnight\"\n", 4, "start_timeout: \"1 fortnight\" is not a duration"},
        {"duration float", H + "start_limit_interval = 1.5\n", 4, "(got float 1.5)"},
        {"stop_timeout too long", H + "stop_timeout = \"2h\"\n", 4, "stop_timeout must be between 1ms and 1h"},
        {"stop_timeout zero", H + "stop_timeout = 0\n", 4, "stop_timeout must be between 1ms and 1h"},
        {"stop_signal unknown", H + "stop_signal = \"SEGV\"\n", 4, "stop_signal must be one of SIGTERM"},
        {"stop_signal lowercase", H + "stop_signal = \"term\"\n", 4, "(got \"term\")"},
        {"ready port without port", H + "ready = \"port\"\n", 4, "ready = \"port\" needs port to be set in [process.web]"},
        {"ready choice", H + "ready = \"soon\"\n", 4, "ready must be \"simple\", \"notify\" or \"port\""},
        {"memory_max words", H + "memory_max = \"lots\"\n", 4, "memory_max must be a number of bytes or a size"},
        {"memory_max zero", H + "memory_max = 0\n", 4, "memory_max must be an integer between 1"},
        {"memory_max lowercase unit", H + "memory_max = \"512m\"\n", 4, "memory_max must be"},
        {"cpu_quota no percent", H + "cpu_quota = \"150\"\n", 4, "cpu_quota must be a percentage"},
        {"cpu_quota zero", H + "cpu_quota = 0\n", 4, "cpu_quota must be an integer between 1 and 100000 (got 0)"},
        {"cpu_quota huge", H + "cpu_quota = \"100001%\"\n", 4, "cpu_quota must be a percentage"},
        {"cpu_weight", H + "cpu_weight = 10001\n", 4, "cpu_weight must be an integer between 1 and 10000 (got 10001)"},
        {"tasks_max", H + "tasks_max = 0\n", 4, "tasks_max must be an integer between 1 and 4194304"},
        {"nofile", H + "nofile = 2000000\n", 4, "nofile must be an integer between 1 and 1048576"},
        {"nice", H + "nice = 20\n", 4, "nice must be an integer between -20 and 19 (got 20)"},
        {"start_limit_burst", H + "start_limit_burst = 0\n", 4, "start_limit_burst must be an integer between 1 and 1000"},
        {"hardening", H + "hardening = \"max\"\n", 4, "hardening must be \"none\", \"default\" or \"strict\""},
        {"writable_paths relative", H + "writable_paths = [\"/ok\", \"relative\"]\n", 4, "writable_paths must be an absolute path (got \"relative\")"},
        {"writable_paths string", H + "writable_paths = \"/x\"\n", 4, "writable_paths must be an array of absolute paths"},
        {"systemd bad key", H + "systemd = { Service = [\"lower=x\"] }\n", 4, "\"Key=value\""},
        {"systemd no equals", H + "systemd.Service = [\"Nope\"]\n", 4, "\"Key=value\""},
        {"systemd newline", H + "systemd.Service = [\"A=b\\nExecStartPre=/bin/evil\"]\n", 4, "control characters"},
        {"systemd section", H + "systemd.Install = [\"WantedBy=x\"]\n", 4, "unknown key \"Install\" in [process.web.systemd]"},
        {"systemd not table", H + "systemd = \"x\"\n", 4, "systemd must be a table"},
        {"systemd not array", H + "systemd.Service = \"A=b\"\n", 4, "systemd.Service must be an array"},
        {"user with space", H + "user = \"a b\"\n", 4, "user \"a b\" is not a valid name"},
        {"user too long", H + "user = \"" + std::string(32, 'u') + "\"\n", 4, "at most 31 characters"},
        {"group integer", H + "group = 5\n", 4, "group must be a string (got integer 5)"},
        {"working_directory relative", H + "working_directory = \"srv\"\n", 4, "working_directory must be an absolute path"},
        {"working_directory newline", H + "working_directory = \"/srv\\n\"\n", 4, "control characters"},
        {"env_files relative", H + "env_files = [\"x.env\"]\n", 4, "env_files must be an absolute path (got \"x.env\")"},
        {"env_files dash relative", H + "env_files = [\"-x.env\"]\n", 4, "env_files must be an absolute path"},
        {"env_files string", H + "env_files = \"/x\"\n", 4, "env_files must be an array"},
        {"app integer", "app = 5\n[process.web]\ncommand = \"r\"\n", 1, "app must be a string (got integer 5)"},
        {"app uppercase", "app = \"Shop\"\n[process.web]\ncommand = \"r\"\n", 1, "app \"Shop\" is not a valid name"},
        {"app slash", "app = \"a/b\"\n[process.web]\ncommand = \"r\"\n", 1, "is not a valid name"},
        {"app at", "app = \"web@1\"\n[process.web]\ncommand = \"r\"\n", 1, "is not a valid name"},
        {"app dot", "\n\napp = \".\"\n[process.web]\ncommand = \"r\"\n", 3, "is not a valid name"},
        {"app too long", "app = \"" + std::string(65, 'a') + "\"\n[process.web]\ncommand = \"r\"\n", 1, "at most 64 characters"},
        {"description newline", "app = \"a\"\ndescription = \"a\\nb\"\n[process.web]\ncommand = \"r\"\n", 2, "description must not contain control characters"},
        {"process not table", "app = \"a\"\nprocess = 5\n", 2, "process must be a table"},
        {"process empty", "app = \"a\"\n[process]\n", 2, "[process] has no process types"},
        {"type uppercase", "app = \"a\"\n[process.Web]\ncommand = \"r\"\n", 2, "process type \"Web\" is not a valid name"},
        {"type with dash", "app = \"a\"\n[process.web-api]\ncommand = \"r\"\n", 2, "no \"-\": units are named APP-TYPE@N.service"},
        {"type too long", "app = \"a\"\n[process." + std::string(65, 'w') + "]\ncommand = \"r\"\n", 2, "at most 64 characters"},
        {"type not table", "app = \"a\"\n[process]\nweb = 5\n", 3, "[process.web] must be a table (got integer 5)"},
        {"array of tables", "app = \"a\"\n[[process.web]]\ncommand = \"r\"\n", 2, "[process.web] must be a table (got array)"},
        {"command in defaults", "app = \"a\"\n[defaults]\ncommand = \"x\"\n[process.web]\ncommand = \"r\"\n", 3, "command cannot be set in [defaults]"},
        {"port in defaults", "app = \"a\"\n[defaults]\nport = 1\n[process.web]\ncommand = \"r\"\n", 3, "port cannot be set in [defaults]"},
        {"defaults bad value", "app = \"a\"\n[defaults]\nnice = 99\n[process.web]\ncommand = \"r\"\n", 3, "nice must be an integer between -20 and 19"},
        {"defaults unknown", "app = \"a\"\n[defaults]\nstop_timout = 1\n[process.web]\ncommand = \"r\"\n", 3, "unknown key \"stop_timout\" in [defaults]; did you mean \"stop_timeout\"?"},
        {"defaults not table", "app = \"a\"\ndefaults = 1\n[process.web]\ncommand = \"r\"\n", 2, "defaults must be a table"},
        {"top-level typo", "ap = \"a\"\n[process.web]\ncommand = \"r\"\n", 1, "unknown key \"ap\" at the top level; did you mean \"app\"?"},
        {"per-process key at top level", "app = \"a\"\ncount = 2\n[process.web]\ncommand = \"r\"\n", 2, "unknown key \"count\" at the top level"},
        // Paths systemd would ignore ("path is not normalized, ignoring").
        {"env_files dot dot", H + "env_files = [\"/etc/shop/../secrets.env\"]\n", 4, "has a \"..\" component"},
        {"env_files dash dot dot", H + "env_files = [\"-/etc/../x.env\"]\n", 4, "has a \"..\" component"},
        {"env_files dot", H + "env_files = [\"/etc/./x.env\"]\n", 4, "has a \".\" component"},
        {"env_files trailing dot", H + "env_files = [\"/etc/.\"]\n", 4, "has a \".\" component"},
        {"env_files double slash", H + "env_files = [\"/etc//x.env\"]\n", 4, "has an empty component (\"//\")"},
        {"working_directory dot dot", H + "working_directory = \"/srv/..\"\n", 4, "has a \"..\" component"},
        {"working_directory long component", H + "working_directory = \"/" + std::string(256, 'd') + "\"\n", 4,
         "has a component of 256 bytes (at most 255)"},
        {"writable_paths too long", H + "writable_paths = [\"" + [] { std::string p; for (int i = 0; i < 20; ++i) p += "/" + std::string(250, 'p'); return p; }() + "\"]\n",
         4, "is 5020 bytes long (at most 4095)"},
        {"writable_paths double slash", H + "writable_paths = [\"//srv\"]\n", 4, "\"//\""},
        {"working_directory tilde", H + "working_directory = \"~\"\n", 4, "working_directory must be an absolute path"},
        // Numeric ids systemd's parse_uid() refuses.
        {"user 4294967295", H + "user = \"4294967295\"\n", 4, "user \"4294967295\" is not a valid name"},
        {"user 65535", H + "user = \"65535\"\n", 4, "user \"65535\" is not a valid name"},
        {"group leading zero", H + "group = \"00\"\n", 4, "group \"00\" is not a valid name"},
        {"user past 32 bits", H + "user = \"4294967296\"\n", 4, "is not a valid name"},
        // Programs systemd would refuse or run differently.
        {"argv0 dot dot", head + "command = [\"..\"]\n", 3, "is not a program name"},
        {"argv0 root", head + "command = [\"/\"]\n", 3, "ends with \"/\""},
        {"argv0 trailing slash", head + "command = [\"/usr/bin/\"]\n", 3, "ends with \"/\""},
        {"argv0 long name", head + "command = [\"" + std::string(256, 'p') + "\"]\n", 3, "is 256 bytes long"},
        {"argv0 long component", head + "command = [\"/usr/" + std::string(256, 'p') + "\"]\n", 3, "component of 256 bytes"},
        {"argv0 dollar", head + "command = [\"/opt/$app/run\"]\n", 3, "has a \"$\""},
        {"argv0 quote", head + "command = [\"/opt/it's\"]\n", 3, "a quote, a backslash"},
        {"argv0 backslash", head + "command = [\"/opt/a\\\\b\"]\n", 3, "a quote, a backslash"},
        {"argv0 dot dot component", head + "command = [\"/usr/../bin/sh\"]\n", 3, "has a \"..\" component"},
        // Free text that systemd would not take as written.
        {"description backslash", "app = \"a\"\ndescription = \"ends in \\\\\"\n[process.web]\ncommand = \"r\"\n", 2, "must not end with a backslash"},
        {"description long", "app = \"a\"\ndescription = \"" + std::string(1025, '%') + "\"\n[process.web]\ncommand = \"r\"\n", 2, "description is 1025 bytes long; at most 1024"},
        // The raw escape hatch.
        {"systemd continuation", H + "systemd.Service = [\"Nice=1\\\\\"]\n", 4, "must not end with a backslash"},
        {"systemd unknown directive", H + "systemd.Service = [\"Restrat=no\"]\n", 4, "\"Restrat\" is not a [Service] directive systemd 252 knows"},
        {"systemd unit directive in Service", H + "systemd.Service = [\"After=x.service\"]\n", 4, "\"After\" is not a [Service] directive"},
        {"systemd legacy directive", H + "systemd.Service = [\"Capabilities=cap_net_raw+ep\"]\n", 4, "\"Capabilities\" is not a [Service] directive"},
        {"systemd carriage return", H + "systemd.Unit = [\"After=a\\rBefore=b\"]\n", 4, "control characters"},
        {"systemd NUL", H + "systemd.Unit = [\"After=a\\u0000\"]\n", 4, "NUL character"},
        {"unterminated string", "app = \"a\n[process.web]\n", 1, "invalid TOML"},
        {"bad escape", H + "env.X = \"\\q\"\n", 4, "invalid TOML"},
        {"missing value", H + "count =\n", 4, "invalid TOML"},
    };
}

}  // namespace

TEST_CASE("hostile and malformed inputs are refused with a precise message") {
    const auto cases = hostile_inputs();
    CHECK(cases.size() >= 40);
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto ds = errors_of(c.text);
        CHECK_MESSAGE(has_error(ds, c.line, c.message), dump(ds));
    }
}

TEST_CASE("raw directives systemd 252 knows are accepted, in either section") {
    Formation f = parse(R"(app = "a"
[process.web]
command = "run"
systemd.Unit = ["Documentation=https://x", "StartLimitIntervalSec=0", "ConditionPathExists=/x"]
systemd.Service = ["OOMScoreAdjust=100", "LimitCORE=infinity", "ExecStartPre=/bin/true", "MemoryHigh=1G", "KillMode=process", "Environment=A=1"]
)");
    CHECK(type(f, "web").raw.size() == 9);
    CHECK(is_known_directive("Service", "RuntimeDirectory"));
    CHECK(is_known_directive("Unit", "Wants"));
    CHECK_FALSE(is_known_directive("Unit", "ExecStart"));
    CHECK_FALSE(is_known_directive("Install", "WantedBy"));
}

TEST_CASE("paths systemd accepts as written are kept") {
    Formation f = parse(R"(app = "a"
working_directory = "/srv/shop/"
env_files = ["/etc/a.env", "-/etc/.hidden/b.env", "/etc/a.env"]
[process.web]
command = ["/usr/bin/.run/x", "a/../b"]
writable_paths = ["/", "/srv/..data"]
env_files = ["/etc/a.env", "/etc/c.env"]
)");
    const auto& p = type(f, "web");
    CHECK(p.working_directory == "/srv/shop/");
    CHECK(p.env_files == std::vector<std::string>{"/etc/a.env", "-/etc/.hidden/b.env", "/etc/c.env"});
    CHECK(p.writable_paths == std::vector<std::string>{"/", "/srv/..data"});
}

namespace {

std::string many_types(int n, const char* port_line) {
    std::string text = "app = \"a\"\n";
    for (int i = 0; i < n; ++i)
        text += "[process.t" + std::to_string(i) + "]\ncommand = \"run\"\n" + port_line;
    return text;
}

}  // namespace

TEST_CASE("a huge file sharing one port fails fast with a bounded number of errors") {
    auto ds = errors_of(many_types(4000, "port = 5000\n"));
    REQUIRE_FALSE(ds.empty());
    CHECK(ds.size() == 101);
    CHECK_MESSAGE(ds.back().message.find("more errors") != std::string::npos, ds.back().message);
    bool too_many = false;
    for (const auto& d : ds) too_many |= d.message.find("too many process types: 4000, at most 1000") != std::string::npos;
    CHECK_MESSAGE(too_many, dump(ds));
}

TEST_CASE("process types and instances are bounded") {
    CHECK_NOTHROW(parse(many_types(1000, "")));
    auto ds = errors_of(many_types(1001, ""));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message == "too many process types: 1001, at most 1000");
    CHECK(ds[0].where.line == 0);
    ds = errors_of(many_types(11, "count = 1000\n"));
    CHECK_MESSAGE(has_error(ds, 0, "too many instances: 11000 across all process types, at most 10000"), dump(ds));
    CHECK_NOTHROW(parse(many_types(10, "count = 1000\n")));
}

TEST_CASE("overlapping port ranges are each reported once, whatever their order") {
    auto ds = errors_of(R"(app = "a"
[process.a]
command = "r"
port = 100
count = 50
[process.b]
command = "r"
port = 120
[process.c]
command = "r"
port = 140
count = 3
[process.d]
command = "r"
port = 150
)");
    CHECK_MESSAGE(ds.size() == 2, dump(ds));
    CHECK_MESSAGE(has_error(ds, 8, "port 120 of [process.b] overlaps ports 100-149 of [process.a]"), dump(ds));
    CHECK_MESSAGE(has_error(ds, 11, "ports 140-142 of [process.c] overlap ports 100-149 of [process.a]"), dump(ds));
}

TEST_CASE("text over 1 MiB is refused before parsing") {
    std::string text = "app = \"a\"\n[process.web]\ncommand = \"run\"\n#" + std::string(1024 * 1024, 'x') + "\n";
    auto ds = errors_of(text);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].where.line == 0);
    CHECK(ds[0].message.find("at most 1 MiB") != std::string::npos);
}

namespace {

std::string man_page() {
    std::ifstream in(std::filesystem::path(FORMATION_CORPUS_DIR) / ".." / ".." / "man" / "formation.toml.5.scd");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The text from the "# TITLE" heading to the next heading.
std::string man_section(const std::string& page, const std::string& title) {
    auto start = page.find("\n# " + title + "\n");
    REQUIRE_MESSAGE(start != std::string::npos, "no section " << title);
    auto end = page.find("\n# ", start + 1);
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// scdoc writes a key as *working\_directory*, a table as [defaults],
// [process.*_NAME_*.systemd] or *Unit*.
bool documents(const std::string& text, std::string_view key) {
    std::string k;
    for (char ch : key) k += ch == '_' ? std::string("\\_") : std::string(1, ch);
    for (const std::string& form : {"*" + k + "*", "[" + k + "]", "[" + k + ".", "." + k + "]"})
        if (text.find(form) != std::string::npos) return true;
    return false;
}

// The term lines of a definition list (a key's own entry, "*count* (integer
// ...)"), not the indented text below them that may mention other keys.
std::string terms(const std::string& section) {
    std::istringstream in(section);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        // A term is followed by its tab-indented text, or by another term after "++".
        bool term = lines[i].starts_with("*") &&
                    (lines[i].ends_with("++") || (i + 1 < lines.size() && lines[i + 1].starts_with("\t")));
        if (term) out += lines[i] + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("every key the parser accepts is documented in formation.toml(5)") {
    using namespace formation::detail;
    const std::string page = man_page();
    const std::string top = man_section(page, "TOP-LEVEL KEYS");
    const std::string process = man_section(page, "PROCESS KEYS");
    for (auto key : top_level_names()) CHECK_MESSAGE(documents(terms(top), key), "top-level key " << key);
    for (auto key : setting_names(Scope::process)) CHECK_MESSAGE(documents(terms(process), key), "process key " << key);
    // [defaults] takes every per-process key but those the page names as exceptions.
    const auto in_defaults = setting_names(Scope::defaults);
    auto defaults_at = top.find("*[defaults]*");
    REQUIRE(defaults_at != std::string::npos);
    const std::string defaults = top.substr(defaults_at, top.find("\n\n", defaults_at) - defaults_at);
    for (auto key : setting_names(Scope::process)) {
        bool excepted = std::find(in_defaults.begin(), in_defaults.end(), key) == in_defaults.end();
        CHECK_MESSAGE(documents(defaults, key) == excepted, "[defaults] and " << key);
    }
    // Keys valid at the top level that are settings are listed as such.
    for (auto key : setting_names(Scope::app)) CHECK_MESSAGE(documents(terms(top), key), "app-level setting " << key);
    const std::string hatch = man_section(page, "ESCAPE HATCH");
    for (auto key : raw_section_names()) CHECK_MESSAGE(documents(hatch, key), "systemd." << key);
    CHECK_FALSE(documents(page, "comand"));  // the check can fail
}

// Issue 19: nesting is bounded before toml++ recurses (it overflowed the
// stack at ~100,000 levels), in every form, at the exact place.
namespace {

std::string repeat(std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// The one diagnostic parse_toml gives for `text` ("accepted" when none).
std::string toml_error(const std::string& text) {
    try {
        detail::parse_toml(text, "f.toml");
    } catch (const FormationError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        const auto& d = e.diagnostics().front();
        return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
    }
    return "accepted";
}

bool nested_at(const std::string& text, const std::string& line_col) {
    std::string got = toml_error(text);
    bool ok = got.starts_with(line_col + ": nested too deeply: this is level 65 of tables and arrays");
    if (!ok) MESSAGE("wanted nested too deeply at " << line_col << ", got " << got.substr(0, 200));
    return ok;
}

}  // namespace

TEST_CASE("nesting: 100,000 levels of every form are refused at the 65th level, without a crash") {
    const int deep = 100000;
    // a.a.….a = 1: part k starts at column 2k - 1.
    CHECK(nested_at(repeat("a.", deep) + "b = 1\n", "1:129"));
    // [a.a.…]: part k at column 2k.
    CHECK(nested_at("app = \"x\"\n[" + repeat("a.", deep) + "b]\n", "2:130"));
    // [[a.a.…]]: 64 parts, and the array's element is level 65.
    CHECK(nested_at("[[" + repeat("a.", 63) + "b]]\n", "1:1"));
    CHECK(toml_error("[[" + repeat("a.", 61) + "b]]\nc = 1\n") == "accepted");  // c is level 64
    // Arrays: x is level 1, the k-th "[" level k, at column 4 + k.
    CHECK(nested_at("x = " + repeat("[", deep) + repeat("]", deep) + "\n", "1:69"));
    // Inline tables: x = {a={a=…}}: the k-th "a" is level k + 1, at column 6 + 3(k - 1).
    CHECK(nested_at("x = " + repeat("{a=", deep) + "1" + repeat("}", deep) + "\n", "1:195"));
    // Mixed: a header, a dotted key, an inline table, arrays.
    const std::string mixed = "[" + repeat("h.", 20) + "h]\n" + repeat("k.", 19) + "k = { " + repeat("i.", 9) +
                              "i = " + repeat("[", 20) + "1" + repeat("]", 20) + " }\n";
    // h: 21 levels, k: 20 more (41), i: 10 more (51); the k-th "[" of line 2
    // (column 66 + k) is level 50 + k.
    CHECK(nested_at(mixed, "2:81"));
    // Arrays of inline tables of arrays, across lines and comments. Line
    // L > 1 is "  { y = [": its "{" is level 2L - 2, its y level 2L - 1.
    std::string lines = "x = ";
    for (int i = 0; i < 40; ++i) lines += "[ # [[[\n  { y = ";
    CHECK(nested_at(lines + "1", "33:5"));
}

TEST_CASE("nesting: 64 levels parse; brackets in strings and comments do not count") {
    // a.….a with 64 parts: level 64.
    CHECK(toml_error(repeat("a.", 63) + "b = 1\n") == "accepted");
    CHECK(nested_at(repeat("a.", 64) + "b = 1\n", "1:129"));
    // 63 nested arrays around 1: the innermost element is level 64.
    CHECK(toml_error("x = " + repeat("[", 63) + "1" + repeat("]", 63) + "\n") == "accepted");
    CHECK(nested_at("x = " + repeat("[", 64) + "1" + repeat("]", 64) + "\n", "1:69"));
    CHECK(toml_error("x = " + repeat("[", 64) + repeat("]", 64) + "\n") == "accepted");  // the 64th array is empty
    // Brackets, braces, dots and quotes inside strings and comments.
    const std::string decoys = repeat("[{", 50000);
    CHECK(toml_error("a = \"" + decoys + "\"\n") == "accepted");
    CHECK(toml_error("a = '" + decoys + "'\n") == "accepted");
    CHECK(toml_error("a = \"\"\"\n" + decoys + "\n\"\"\" # [[[\n") == "accepted");
    CHECK(toml_error("a = '''" + decoys + "''''' \n") == "accepted");  // two quotes of content before the end
    CHECK(toml_error("a = \"\\\"" + decoys + "\\\"\"\n") == "accepted");  // escaped quotes
    CHECK(toml_error("a = \"\"\"x\\\"\"\"" + decoys + "\"\"\"\n") == "accepted");  // \""" is not the end
    CHECK(toml_error("# " + decoys + "\na = [ # " + decoys + "\n 1, # ]]]\n]\n") == "accepted");
    CHECK(toml_error("\"" + repeat("a.", 100) + "\" = 1\n'" + repeat("[", 100) + "' = 2\n") == "accepted");
    CHECK(toml_error("d = 1979-05-27 07:32:00\nx = [1979-05-27 07:32:00, { a = \"}\" }]\n") == "accepted");
    // After an inline table holding brackets in a string, counting goes on
    // right: the outer array's elements start at column 24.
    CHECK(nested_at("x = [{ s = \"]]]}}}\" }, " + repeat("[", 64) + "]\n", "1:87"));
    // A real formation's deepest line is level 5.
    CHECK(toml_error("app = \"a\"\n[process.web.systemd]\nService = [\"A=1\"]\n") == "accepted");
    // Not TOML: the parser's own error; the scan stops where it stops.
    CHECK(toml_error("a = \"" + decoys + "\n").find("nested") == std::string::npos);
    CHECK(nested_at("x = " + repeat("[", 100) + "\"unterminated\n", "1:69"));
}

TEST_CASE("nesting: through parse_formation, after a byte order mark") {
    auto ds = errors_of("\xEF\xBB\xBF" + repeat("a.", 100) + "b = 1\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].where.line == 1);
    CHECK(ds[0].where.column == 129);  // the BOM takes no column, as in toml++
    CHECK(ds[0].message.find("at most 64") != std::string::npos);
}

// Issue 19: invalid UTF-8 at the line and column of the bad byte (toml++
// gave the character before it: the previous line's end at a line start).
TEST_CASE("invalid UTF-8 is reported where the bad byte is") {
    struct Case {
        std::string text;
        int line, column;
    };
    const std::vector<Case> cases = {
        {"a = 1\nb = 2\nc = \"x\"\n\xff = 1\n", 4, 1},                  // line start (was 3:8)
        {"a = 1\nb = \"ab\xff\"\n", 2, 8},                                // mid-line (was 2:7)
        {"a = \"\xc3\xa9\xe2\x9c\x93\xf0\x9f\x8e\x89\xfe\"\n", 1, 9},      // after é ✓ 🎉, one column each
        {"a = 1\r\nb = 2\r\n\xff\r\n", 3, 1},                             // after CRLF
        {"a = 1\r\nb = \"\xe2\x82\"\r\n", 2, 6},                          // a cut sequence
        {"\xEF\xBB\xBF" "a = \"\xc0\xaf\"\n", 1, 6},                      // an overlong "/", after a BOM
        {"a = \"\xed\xa0\x80\"\n", 1, 6},                                 // a surrogate
        {"a = \"\xf4\x90\x80\x80\"\n", 1, 6},                             // past U+10FFFF
        {"# \xe9t\xe9\n", 1, 3},                                         // Latin-1 in a comment
        {"a = \"x\"\n\xc3", 2, 1},                                       // cut at the end of the file
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto ds = errors_of(c.text);
        REQUIRE_MESSAGE(ds.size() == 1, dump(ds));
        CHECK(ds[0].where.line == c.line);
        CHECK(ds[0].where.column == c.column);
        CHECK(ds[0].message.find("not UTF-8") != std::string::npos);
    }
    CHECK_FALSE(detail::invalid_utf8("a = \"\xc3\xa9\xe2\x9c\x93\xf0\x9f\x8e\x89\xef\xbf\xbd\"\n", "f"));
}

// Issue 19: the source line echoed under an error is escaped as status and
// logs output is; the caret still points at the column.
TEST_CASE("format_diagnostic escapes the echoed line and keeps the caret under the column") {
    auto show = [](std::string_view source, int line, int column, std::string message = "m") {
        return format_diagnostic(Diagnostic{{"f.toml", line, column}, std::move(message)}, source);
    };
    auto caret = [](std::size_t spaces) { return "    " + std::string(spaces, ' ') + "^\n"; };
    // ESC, BEL in a comment; the caret under "-1".
    std::string out = show("count = -1 # \033]0;pwned\007\033[2J\n", 1, 9);
    CHECK(out == "f.toml:1:9: error: m\n    count = -1 # \\x1b]0;pwned\\x07\\x1b[2J\n" + caret(8));
    // Escapes before the column widen the caret line to match: x is column 13.
    out = show("a = \"\033[31m\" x\n", 1, 13);
    CHECK(out == "f.toml:1:13: error: m\n    a = \"\\x1b[31m\" x\n" + caret(15));
    // Multi-byte characters take one column each; tabs are kept: y is column 13.
    out = show("\tdésc = \"✓\" y\n", 1, 13);
    CHECK(out == "f.toml:1:13: error: m\n    \tdésc = \"✓\" y\n    \t" + std::string(11, ' ') + "^\n");
    // C1 controls and bidi controls (Trojan Source) are escaped too: z is column 18.
    out = show("a = \"\xc2\x9b" "2J \xe2\x80\xae" "evil\xe2\x81\xa6\" z\n", 1, 18);
    CHECK(out == "f.toml:1:18: error: m\n    a = \"\\u009b2J \\u202eevil\\u2066\" z\n" + caret(32));
    // The message and the file name are escaped as well; a CRLF line keeps no "\r".
    out = show("x = 1\r\n", 1, 1, "bad \033[2J");
    CHECK(out == "f.toml:1:1: error: bad \\x1b[2J\n    x = 1\n    ^\n");
    CHECK(format_diagnostic(Diagnostic{{"a\033b.toml", 0, 0}, "m"}, "") == "a\\x1bb.toml: error: m\n");
    // A line of 200,005 characters is shown cut to 160 around the column.
    const std::string longline = repeat("a.", 100000) + "b = 1";
    out = show(longline, 1, 129);
    CHECK(out == "f.toml:1:129: error: m\n    …" + longline.substr(48, 160) + "…\n" + caret(81));
    CHECK(show(longline, 1, 3).starts_with("f.toml:1:3: error: m\n    a.a." + longline.substr(4, 156) + "…\n" + caret(2)));
    // Whatever the bytes, nothing below 0x20 but "\t" and "\n" reaches the output.
    std::string hostile;
    for (int c = 0; c < 256; ++c) hostile += static_cast<char>(c == '\n' ? ' ' : c);
    out = show(hostile, 1, 200);
    for (char c : out) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n'));
}
