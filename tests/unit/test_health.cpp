// health: the key (every form, every refusal at its place), what it
// compiles to, the HTTP status line, and the readiness rule on fakes.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <map>
#include <thread>

#include "app/crash_guard.hpp"
#include "app/health.hpp"
#include "app/health_watch.hpp"
#include "app/listen_fds.hpp"
#include "app/on_failure.hpp"
#include "compile/render.hpp"
#include "host/health_state.hpp"
#include "host/main_process.hpp"
#include "compile/compile.hpp"
#include "formation/parse.hpp"
#include "host/http_probe.hpp"

using namespace formation;

namespace {

std::string web(const std::string& health, const std::string& port = "port = 5000\n") {
    return "app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\n" + port + "health = " + health + "\n";
}

std::vector<Diagnostic> errors_of(const std::string& text) {
    try {
        parse_formation(text, "f.toml");
    } catch (const FormationError& e) {
        return e.diagnostics();
    }
    return {};
}

std::string first_error(const std::string& text) {
    auto ds = errors_of(text);
    REQUIRE_MESSAGE(!ds.empty(), text);
    const auto& d = ds.front();
    return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
}

}  // namespace

TEST_CASE("health: a path alone takes the defaults; the table sets each") {
    auto f = parse_formation(web("\"/healthz\""), "f.toml");
    REQUIRE(f.processes.front().health);
    CHECK(*f.processes.front().health == HealthCheck{"/healthz", 5000000, 2000000, 3});
    f = parse_formation(web("{ path = \"/up?deep=1\", interval = \"2s\", timeout = \"500ms\", failures = 5 }"), "f.toml");
    CHECK(*f.processes.front().health == HealthCheck{"/up?deep=1", 2000000, 500000, 5});
    f = parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\nport = 5000\n[process.web.health]\n"
                        "path = \"/\"\nfailures = 1\n", "f.toml");
    CHECK(f.processes.front().health->failures == 1u);
    // A short interval alone: the timeout follows it down.
    f = parse_formation(web("{ path = \"/up\", interval = \"500ms\" }"), "f.toml");
    CHECK(f.processes.front().health->timeout_usec == 500000u);
}

TEST_CASE("health: bad values are refused where they are written") {
    CHECK(first_error(web("\"/healthz\"", "")) == "4:10: health needs port to be set in [process.web]: the check asks 127.0.0.1:$PORT");
    CHECK(first_error(web("\"healthz\"")).starts_with("5:10: health path must start with \"/\""));
    CHECK(first_error(web("\"/a b\"")).starts_with("5:10: health path must start with"));
    CHECK(first_error(web("\"/a\\r\\nX: y\"")).starts_with("5:10: health path must start with"));
    CHECK(first_error(web("true")).starts_with("5:10: health must be a path"));
    CHECK(first_error(web("{ interval = \"5s\" }")) == "5:10: health needs a path, e.g. { path = \"/healthz\" }");
    CHECK(first_error(web("{ path = \"/\", intervall = \"5s\" }")).find("did you mean \"interval\"") != std::string::npos);
    CHECK(first_error(web("{ path = \"/\", interval = \"10ms\" }")).starts_with("5:35: health interval must be between 100ms and 1h"));
    CHECK(first_error(web("{ path = \"/\", timeout = \"2min\" }")).starts_with("5:34: health timeout must be between"));
    CHECK(first_error(web("{ path = \"/\", failures = 0 }")).find("failures") != std::string::npos);
    CHECK(first_error(web("{ path = \"/\", interval = \"1s\", timeout = \"2s\" }")).find("must not exceed its interval") !=
          std::string::npos);
}

TEST_CASE("health compiles to the last ExecStartPost, after the ready rule's") {
    auto f = parse_formation(web("{ path = \"/100%\", interval = \"2s\", timeout = \"1s\", failures = 4 }") +
                                 "ready = \"port\"\n", "f.toml");
    CompileOptions o;
    o.helper_path = "/usr/bin/formation";
    auto set = compile(f, o);
    std::string unit;
    for (const auto& u : set.files)
        if (u.path == "shop-web@.service") unit = u.content;
    auto wait = unit.find("ExecStartPost=\"/usr/bin/formation\" \"wait-ready\" \"--port\" ${PORT}\n");
    auto health = unit.find("ExecStartPost=\"/usr/bin/formation\" \"health-wait\" \"--path\" \"/100%%\" "
                            "\"--interval-ms\" \"2000\" \"--timeout-ms\" \"1000\" \"--failures\" \"4\" "
                            "\"--port\" ${PORT}\n");
    REQUIRE(wait != std::string::npos);
    REQUIRE(health != std::string::npos);
    CHECK(wait < health);
}

TEST_CASE("the HTTP status line") {
    CHECK(host::parse_status_line("HTTP/1.1 200 OK") == 200);
    CHECK(host::parse_status_line("HTTP/1.0 503 Service Unavailable") == 503);
    CHECK(host::parse_status_line("HTTP/1.1 204") == 204);
    CHECK(host::parse_status_line("HTTP/2 200") == 0);
    CHECK(host::parse_status_line("HTTP/1.1 20 OK") == 0);
    CHECK(host::parse_status_line("HTTP/1.1 2000 OK") == 0);
    CHECK(host::parse_status_line("SSH-2.0-OpenSSH_9.2") == 0);
    CHECK(host::parse_status_line("") == 0);
}

TEST_CASE("an unanswered port is a no-answer, quickly, and never healthy") {
    auto r = host::probe_all({{1, "/", ""}}, 200000).front();  // port 1: nothing listens there in a test
    CHECK(r.outcome == host::ProbeOutcome::no_answer);
}

namespace {

struct Script {
    std::deque<host::ProbeResult> answers;
    std::vector<std::string> said;
    std::uint64_t slept = 0;
    app::HealthWaitIo io() {
        app::HealthWaitIo io;
        io.probe = [this](const host::ProbeTarget&, std::uint64_t) {
            REQUIRE(!answers.empty());
            auto r = answers.front();
            answers.pop_front();
            return r;
        };
        io.sleep = [this](std::uint64_t usec) { slept += usec; };
        io.say = [this](const std::string& line) { said.push_back(line); };
        return io;
    }
};

const host::ProbeResult ok{host::ProbeOutcome::healthy, 200, "HTTP 200 OK"};
const host::ProbeResult bad{host::ProbeOutcome::unhealthy, 500, "HTTP 500 Internal Server Error"};
const host::ProbeResult none{host::ProbeOutcome::no_answer, 0, "Connection refused"};

}  // namespace

TEST_CASE("readiness: not listening yet does not count; a pass is ready") {
    Script s;
    s.answers = {none, none, none, bad, none, ok};
    CHECK(app::wait_healthy({5000, "", ""}, HealthCheck{"/healthz", 5000000, 2000000, 2}, s.io()));
    CHECK(s.said.back() == "health: GET /healthz on port 5000: HTTP 200 OK: ready");
}

TEST_CASE("readiness: `failures` bad answers in a row fail it, a second apart at most") {
    Script s;
    s.answers = {bad, bad, bad};
    CHECK_FALSE(app::wait_healthy({5000, "", ""}, HealthCheck{"/healthz", 5000000, 2000000, 3}, s.io()));
    CHECK(s.answers.empty());
    CHECK(s.slept == 2000000);  // two waits of 1 s between three answers
    CHECK(s.said.back() == "health: not ready: 3 bad answers in a row");
}

TEST_CASE("readiness: a main process that exited fails the start at once, not at its timeout") {
    Script s;
    s.answers = {none, none, none};
    int looks = 0;
    auto io = s.io();
    io.gone = [&looks] { return ++looks == 2; };
    CHECK_FALSE(app::wait_healthy({5000, "", ""}, HealthCheck{"/healthz", 5000000, 2000000, 3}, io));
    CHECK(s.answers.size() == 1);
    CHECK(s.said.back() == "health: not ready: the main process exited before it answered");
}

TEST_CASE("main process: gone when its PID is not there or is in another control group") {
    const std::string own = "0::/system.slice/shop-web@1.service\n";
    CHECK_FALSE(host::main_process_gone("1234", true, own, own));
    CHECK(host::main_process_gone("1234", false, std::nullopt, own));
    CHECK(host::main_process_gone("1234", true, std::string("0::/user.slice/other.scope\n"), own));
    // There, but /proc hides it (another user's, ProtectProc=invisible): not gone.
    CHECK_FALSE(host::main_process_gone("1234", true, std::nullopt, own));
    CHECK_FALSE(host::main_process_gone("1234", true, own, std::nullopt));
    // Nothing to go by: never gone (the unit's timeout bounds the wait).
    CHECK_FALSE(host::main_process_gone(nullptr, false, std::nullopt, own));
    CHECK_FALSE(host::main_process_gone("", false, std::nullopt, own));
    CHECK_FALSE(host::main_process_gone("12x", false, std::nullopt, own));
    CHECK_FALSE(host::main_process_gone("-5", false, std::nullopt, own));
}

TEST_CASE("liveness: failures in a row restart, a pass starts the count over, a restart is remembered") {
    app::HealthTracker t;
    HealthCheck h{"/healthz", 2000000, 1000000, 3};
    host::ProbeTarget web2{5001, "/healthz", ""};
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, bad, 10).restart);
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, bad, 20).restart);
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, ok, 30).restart);  // the count starts over
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, bad, 40).restart);
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, none, 50).restart);  // no answer fails a running instance
    auto v = t.record("shop-web@2.service", web2, h, bad, 60);
    CHECK(v.restart);
    CHECK(v.reason == "3 failed checks in a row: GET /healthz on port 5001: HTTP 500 Internal Server Error");
    auto r = t.records();
    REQUIRE(r.size() == 1);
    CHECK(r[0].restarts == 1u);
    CHECK(r[0].restarted_usec == 60u);
    CHECK(r[0].restart_reason == v.reason);
    CHECK(r[0].healthy);  // when it runs again, its start passed a check
    CHECK(r[0].failures == 0u);
    // Not running (restarting): two more bad answers afterwards do not restart it again.
    t.not_running("shop-web@2.service");
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, bad, 70).restart);
    CHECK_FALSE(t.record("shop-web@2.service", web2, h, bad, 80).restart);
    t.keep_only({});
    CHECK(t.records().empty());
}

TEST_CASE("health state: written and read back; a garbled line is skipped") {
    host::HealthRecord a{"shop-web@1.service", true, 0, "GET / on port 5000: HTTP 200 OK", 123, 0, "", 0};
    host::HealthRecord b{"shop-web@2.service", false, 2, "GET / on port 5001: HTTP 500 \tbad\nline", 456, 3, "3 failed", 400};
    auto text = host::encode_health({a, b});
    auto back = host::decode_health(text + "garbage\tline\n");
    REQUIRE(back.size() == 2);
    CHECK(back[0] == a);
    CHECK(back[1].last_answer == "GET / on port 5001: HTTP 500 ?bad?line");
    CHECK(back[1].restarts == 3u);
}

TEST_CASE("the app's health watcher: a unit with health, wanted by the app target; none without") {
    auto f = parse_formation(web("\"/healthz\""), "f.toml");
    CompileOptions o;
    o.helper_path = "/usr/bin/formation";
    auto set = compile(f, o);
    CHECK(set.health_unit == "shop-health.service");
    const UnitFile* unit = set.find("shop-health.service");
    REQUIRE(unit);
    CHECK(unit->content.find("ExecStart=\"/usr/bin/formation\" \"-a\" \"shop\" \"health-watch\"\n") != std::string::npos);
    CHECK(unit->content.find("PartOf=shop.target\n") != std::string::npos);
    CHECK(set.find("shop.target")->content.find("Wants=shop-health.service\n") != std::string::npos);
    o.user_manager = true;
    CHECK(compile(f, o).find("shop-health.service")->content.find("\"--user\" \"-a\" \"shop\"") != std::string::npos);
    auto plain = compile(parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\nport = 5000\n", "f.toml"), {});
    CHECK(plain.health_unit.empty());
    CHECK_FALSE(plain.find("shop-health.service"));
}

TEST_CASE("release: a shell line or an argv array, in the app's context; bad values refused where written") {
    auto f = parse_formation("app = \"shop\"\nuser = \"deploy\"\nrelease = \"bin/rails db:migrate\"\n[env]\nA = \"1\"\n"
                             "[defaults]\nworking_directory = \"/srv/shop\"\n[process.web]\ncommand = \"/bin/web\"\n", "f.toml");
    REQUIRE(f.release);
    CHECK(f.release->command.shell);
    CHECK(f.release->command.line == "bin/rails db:migrate");
    CHECK(f.release->user == "deploy");
    CHECK(f.release->working_directory == "/srv/shop");
    CHECK(f.release->env == Environment{{"A", "1"}});
    CHECK(f.release_timeout_usec == 600000000u);
    f = parse_formation("app = \"shop\"\nrelease = [\"/srv/shop/bin/migrate\", \"--all\"]\nrelease_timeout = \"90s\"\n"
                        "[process.web]\ncommand = \"/bin/web\"\n", "f.toml");
    CHECK(f.release->command.argv == std::vector<std::string>{"/srv/shop/bin/migrate", "--all"});
    CHECK(f.release_timeout_usec == 90000000u);
    CHECK(first_error("app = \"shop\"\nrelease = 5\n[process.web]\ncommand = \"/bin/web\"\n").starts_with(
        "2:11: release must be a string (a shell line) or an array of strings"));
    CHECK(first_error("app = \"shop\"\nrelease = \" \"\n[process.web]\ncommand = \"/bin/web\"\n") == "2:11: release must not be empty");
    CHECK(first_error("app = \"shop\"\nrelease_timeout = \"0s\"\n[process.web]\ncommand = \"/bin/web\"\n").starts_with(
        "2:19: release_timeout must be between 1s and 24h"));
}

TEST_CASE("crash guard: burst starts within the interval, then it gives up; old starts fall out") {
    const std::uint64_t s = 1000000;
    auto v = app::guard_start({}, 100 * s, 3, 10 * s);
    CHECK_FALSE(v.give_up);
    CHECK(v.starts == std::vector<std::uint64_t>{100 * s});
    v = app::guard_start({100 * s, 102 * s}, 104 * s, 3, 10 * s);
    CHECK_FALSE(v.give_up);
    CHECK(v.starts.size() == 3);
    v = app::guard_start({104 * s, 100 * s, 102 * s}, 105 * s, 3, 10 * s);
    CHECK(v.give_up);
    CHECK(v.why == "3 starts within 10 s");
    // One fell out of the interval: allowed again, and forgotten.
    v = app::guard_start({100 * s, 102 * s, 104 * s}, 110 * s + 1, 3, 10 * s);
    CHECK_FALSE(v.give_up);
    CHECK(v.starts == std::vector<std::uint64_t>{102 * s, 104 * s, 110 * s + 1});
    // A time from the future (another boot's clock) is not counted.
    v = app::guard_start({500 * s}, 5 * s, 1, 10 * s);
    CHECK_FALSE(v.give_up);
    CHECK(app::guard_start({}, 1, 1, 1500000).starts.size() == 1);
    CHECK(app::guard_start({0}, 1, 1, 1500000).why == "1 start within 1500 ms");
    CHECK(app::decode_starts("12\nx\n\n-3\n99999999999999999999\n7\n") == std::vector<std::uint64_t>{12, 7});
    CHECK(app::decode_starts(app::encode_starts({1, 2})) == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("listen fds: the shared socket goes to descriptor 3, the others keep their order") {
    auto o = app::put_first("health:shared", 2, "shared");
    REQUIRE(o);
    CHECK(o->from == std::vector<unsigned>{1, 0});
    CHECK(o->names == "shared:health");
    o = app::put_first("a:b:shared:c", 4, "shared");
    REQUIRE(o);
    CHECK(o->from == std::vector<unsigned>{2, 0, 1, 3});
    CHECK(o->names == "shared:a:b:c");
    CHECK_FALSE(app::put_first("shared:health", 2, "shared"));  // first already
    CHECK_FALSE(app::put_first("health", 1, "shared"));         // absent
    CHECK_FALSE(app::put_first("health:shared", 3, "shared"));  // names and count disagree
    CHECK_FALSE(app::put_first("", 0, "shared"));
}

TEST_CASE("shared port with health: each instance gets its own health socket, and the check asks it there") {
    auto f = parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\nport = 5000\ncount = 2\n"
                             "socket = \"shared\"\nready = \"notify\"\nhealth = \"/healthz\"\n", "f.toml");
    CompileOptions o;
    o.helper_path = "/usr/bin/formation";
    auto set = compile(f, o);
    const UnitFile* tpl = set.find("shop-web@.service");
    REQUIRE(tpl);
    const std::string& t = tpl->content;
    CHECK(t.find("Requires=shop-web.socket shop-web@%i.socket\nAfter=shop-web.socket shop-web@%i.socket\n") != std::string::npos);
    CHECK(t.find("Sockets=shop-web.socket shop-web@%i.socket\n") != std::string::npos);
    CHECK(t.find("Environment=FORMATION_HEALTH_SOCKET=%t/formation/.health/shop-web@%i.sock\n") != std::string::npos);
    CHECK(t.find("\"--failures\" \"3\" \"--socket\" ${FORMATION_HEALTH_SOCKET}\n") != std::string::npos);
    CHECK(t.find("--port") == std::string::npos);
    const UnitFile* sock = set.find("shop-web@.socket");
    REQUIRE(sock);
    CHECK(sock->content.find("ListenStream=%t/formation/.health/shop-web@%i.sock\n") != std::string::npos);
    CHECK(sock->content.find("FileDescriptorName=health\n") != std::string::npos);
    CHECK(sock->content.find("PartOf=shop.target\n") != std::string::npos);
    REQUIRE(set.instances.size() == 2);
    CHECK(set.instances[1].socket == "shop-web@2.socket");
    CHECK(set.instances[1].shared_socket == "shop-web.socket");
    CHECK(set.instances[1].socket_config.find("ListenStream=%t/formation/.health/shop-web@%i.sock\n") != std::string::npos);
    CHECK(set.health_unit == "shop-health.service");
    // Without health: no socket per instance.
    auto plain = compile(parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\nport = 5000\n"
                                         "socket = \"shared\"\n", "f.toml"), o);
    CHECK_FALSE(plain.find("shop-web@.socket"));
    CHECK(plain.instances[0].socket.empty());
}

TEST_CASE("shared port with health: names too long for a unix socket path are refused at health") {
    const std::string type(40, 'w');
    auto text = "app = \"shop-and-a-very-long-name\"\n[process." + type + "]\ncommand = \"/bin/web\"\nport = 5000\n"
                "socket = \"shared\"\nhealth = \"/healthz\"\n";
    auto r = render(text, "f.toml", {});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].where.line == 6);
    CHECK(r.errors[0].message.find("over the 107 a unix socket allows") != std::string::npos);
    // A realistic name is fine.
    CHECK(render("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\nport = 5000\nsocket = \"shared\"\n"
                 "health = \"/healthz\"\n", "f.toml", {}).ok());
}

namespace {

// A unix socket in a scratch directory; `answer` is what one accepted
// connection gets (nothing: it is never accepted).
struct UnixServer {
    std::string dir, path;
    int fd = -1;
    std::thread thread;
    explicit UnixServer(std::string answer) {
        char tmpl[] = "/tmp/formation-probe-XXXXXX";
        dir = ::mkdtemp(tmpl);
        path = dir + "/h.sock";
        fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::memcpy(a.sun_path, path.data(), path.size());
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 4) == 0);
        if (!answer.empty())
            thread = std::thread([this, answer] {
                int c = ::accept(fd, nullptr, nullptr);
                if (c < 0) return;
                char buf[1024];
                ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n > 0 && std::string(buf, static_cast<std::size_t>(n)).find("GET /healthz HTTP/1.1\r\nHost: localhost\r\n") == 0)
                    (void)::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
                ::close(c);
            });
    }
    ~UnixServer() {
        if (thread.joinable()) thread.join();
        ::close(fd);
        ::unlink(path.c_str());
        ::rmdir(dir.c_str());
    }
};

}  // namespace

TEST_CASE("probe: a unix socket answers; one nobody accepts on is a no-answer within the bound; a missing one too") {
    {
        UnixServer s("HTTP/1.1 503 Service Unavailable\r\n\r\n");
        const host::ProbeTarget t{0, "/healthz", s.path};
        auto r = host::probe_all({t}, 2000000).front();
        CHECK(r.outcome == host::ProbeOutcome::unhealthy);
        CHECK(r.status == 503);
        CHECK(app::describe_probe(t, r) == "GET /healthz on " + s.path + ": HTTP 503 Service Unavailable");
    }
    {
        UnixServer s("");
        const host::ProbeTarget t{0, "/healthz", s.path};
        auto r = host::probe_all({t}, 200000).front();
        CHECK(r.outcome == host::ProbeOutcome::no_answer);
        CHECK(r.detail == "no answer within 200ms");
    }
    host::ProbeTarget missing;
    missing.path = "/";
    missing.socket = "/nonexistent/formation/h.sock";
    CHECK(host::probe_all({missing}, 200000).front().outcome == host::ProbeOutcome::no_answer);
}

TEST_CASE("readiness on a health socket: still silent after 5 s, it says why that may be") {
    Script s;
    for (int i = 0; i < 60; ++i) s.answers.push_back(none);
    s.answers.push_back(ok);
    host::ProbeTarget where;
    where.socket = "/run/formation/.health/shop-web@1.sock";
    CHECK(app::wait_healthy(where, HealthCheck{"/healthz", 5000000, 1000000, 3}, s.io()));
    REQUIRE(s.said.size() >= 3);
    CHECK(s.said[0] == "health: GET /healthz on /run/formation/.health/shop-web@1.sock: Connection refused; waiting");
    CHECK(s.said[1].find("the server must accept on every socket systemd passes it") != std::string::npos);
    CHECK(s.said.back() == "health: GET /healthz on /run/formation/.health/shop-web@1.sock: HTTP 200 OK: ready");
}

TEST_CASE("on_failure: what the command gets from systemd's MONITOR_* and the journal") {
    std::map<std::string, std::string> env{{"MONITOR_UNIT", "shop-web@3.service"},
                                           {"MONITOR_SERVICE_RESULT", "exit-code"},
                                           {"MONITOR_EXIT_CODE", "exited"},
                                           {"MONITOR_EXIT_STATUS", "251"},
                                           {"FORMATION_INSTANCE", "web.3"}};
    auto get = [&env](const char* n) -> const char* {
        auto it = env.find(n);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    auto out = app::failure_environment(get, "alpha");
    std::vector<std::pair<std::string, std::string>> want{{"FORMATION_UNIT", "shop-web@3.service"},
                                                          {"FORMATION_RESULT", "exit-code"},
                                                          {"FORMATION_EXIT_CODE", "exited"},
                                                          {"FORMATION_EXIT_STATUS", "251"},
                                                          {"FORMATION_TYPE", "web"},
                                                          {"FORMATION_HOST", "alpha"}};
    CHECK(out == want);  // no MONITOR_INVOCATION_ID: left out
    systemd::JournalEntry app_line, failed;
    app_line.message = "boom\nsecond";
    failed.message = "shop-web@3.service: Failed with result 'exit-code'.";
    failed.from_manager = true;
    CHECK_FALSE(app::has_failure_line({app_line, failed}));
    failed.message_id = std::string(systemd::unit_failed_message_id);
    CHECK(app::has_failure_line({app_line, failed}));
    CHECK(app::failure_journal_text({app_line, failed}) ==
          "boom second\nsystemd: shop-web@3.service: Failed with result 'exit-code'.\n");
}

TEST_CASE("on_failure: top level for every type, replaced or turned off per type; refusals at their place") {
    auto f = parse_formation("app = \"shop\"\non_failure = \"mail ops\"\n[process.web]\ncommand = \"/bin/web\"\n"
                             "[process.clock]\ncommand = \"/bin/clock\"\non_failure = [\"/bin/page\", \"-x\"]\n"
                             "[process.worker]\ncommand = \"/bin/worker\"\non_failure = false\n", "f.toml");
    REQUIRE(f.processes.size() == 3);  // clock, web, worker
    REQUIRE(f.processes[0].on_failure);
    CHECK(f.processes[0].on_failure->argv == std::vector<std::string>{"/bin/page", "-x"});
    REQUIRE(f.processes[1].on_failure);
    CHECK(f.processes[1].on_failure->line == "mail ops");
    CHECK_FALSE(f.processes[2].on_failure);
    CHECK(first_error("app = \"shop\"\non_failure = []\n[process.web]\ncommand = \"/bin/web\"\n").starts_with("2:14: on_failure"));
}
