// [hosts]: parsing and checks, each host's share, and the pure parts of
// reaching hosts (ssh argv, the JSON a remote formation answers).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "formation/hosts.hpp"
#include "formation/parse.hpp"
#include "formation/parse_internal.hpp"
#include "remote/ssh.hpp"

using namespace formation;

namespace {

std::vector<Diagnostic> errors_of(std::string_view text) {
    try {
        parse_formation(text, "f.toml");
    } catch (const FormationError& e) {
        return e.diagnostics();
    }
    return {};
}

bool has_error(const std::vector<Diagnostic>& ds, int line, int column, std::string_view text) {
    for (const auto& d : ds)
        if (d.where.line == line && (column == 0 || d.where.column == column) && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

std::string dump(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message + "\n";
    return out.empty() ? "(accepted)" : out;
}

const char* two_hosts = R"(app = "shop"
[process.web]
command = "run"
count = 2
port = 5000
hosts = ["alpha"]
[process.worker]
command = "work"
[process.api]
command = "api"
port = 5000
hosts = ["beta"]
[hosts.alpha]
address = "root@10.0.0.11"
[hosts.beta]
address = "deploy@beta.example.com"
port = 2222
)";

}  // namespace

TEST_CASE("hosts and placement are parsed; ports only clash on a shared host") {
    Formation f = parse_formation(two_hosts, "f.toml");
    REQUIRE(f.hosts.size() == 2);
    CHECK(f.hosts[0].name == "alpha");
    CHECK(f.hosts[0].address == "root@10.0.0.11");
    CHECK_FALSE(f.hosts[0].port);
    CHECK(f.hosts[1].port == 2222);
    CHECK(f.hosts[1].where.line == 15);
    REQUIRE(f.processes.size() == 3);
    CHECK(f.processes[0].name == "api");
    CHECK(f.processes[0].hosts == std::vector<std::string>{"beta"});
    CHECK(f.processes[2].name == "worker");
    CHECK(f.processes[2].hosts.empty());
    CHECK(runs_on(f.processes[2], "alpha"));
    CHECK(runs_on(f.processes[2], "beta"));
    CHECK_FALSE(runs_on(f.processes[0], "alpha"));
}

TEST_CASE("a host's share keeps its types, with their counts, and no [hosts]") {
    Formation f = parse_formation(two_hosts, "f.toml");
    Formation a = share_of(f, "alpha");
    CHECK(a.hosts.empty());
    REQUIRE(a.processes.size() == 2);
    CHECK(a.processes[0].name == "web");
    CHECK(a.processes[0].count == 2);
    CHECK(a.processes[1].name == "worker");
    Formation b = share_of(f, "beta");
    REQUIRE(b.processes.size() == 2);
    CHECK(b.processes[0].name == "api");
}

TEST_CASE("share_text: the file with host = NAME first parses as that host's share, lines of the file one down") {
    std::string text = share_text(two_hosts, "beta");
    CHECK(text.starts_with("host = \"beta\""));
    Formation f = parse_formation(text, "f.toml");
    CHECK(f.hosts.empty());
    REQUIRE(f.processes.size() == 2);
    CHECK(f.processes[0].name == "api");
    CHECK(f.processes[0].where.line == 10);  // [process.api] was line 9
    CHECK(f.processes[1].name == "worker");
    // A BOM stays first: the text still parses.
    CHECK_NOTHROW(parse_formation(share_text("\xEF\xBB\xBF" + std::string(two_hosts), "alpha"), "f.toml"));
}

TEST_CASE("host = NAME must name one of the file's hosts") {
    auto ds = errors_of(share_text(two_hosts, "gamma"));
    CHECK_MESSAGE(has_error(ds, 1, 8, "names no [hosts.gamma]"), dump(ds));
    ds = errors_of("host = \"alpha\"\napp = \"a\"\n[process.web]\ncommand = \"x\"\n");
    CHECK_MESSAGE(has_error(ds, 1, 8, "names no [hosts.alpha]"), dump(ds));
}

TEST_CASE("ports clashing on one host are refused, naming the later type") {
    std::string text = two_hosts;
    text.replace(text.find("hosts = [\"beta\"]"), 16, "hosts = [\"alpha\", \"beta\"]");
    auto ds = errors_of(text);
    CHECK_MESSAGE(has_error(ds, 11, 8, "port 5000 of [process.api] overlaps ports 5000-5001 of [process.web]"), dump(ds));
    CHECK(ds.size() == 1);  // one message, not one per host
}

TEST_CASE("placement errors point at the host name in the array") {
    auto ds = errors_of(R"(app = "a"
[process.web]
command = "x"
hosts = ["alpha", "gama"]
[hosts.alpha]
address = "a.example"
)");
    CHECK_MESSAGE(has_error(ds, 4, 19, "names host \"gama\", which has no [hosts.gama] table"), dump(ds));
    ds = errors_of("app = \"a\"\n[process.web]\ncommand = \"x\"\nhosts = [\"alpha\", \"alpha\"]\n[hosts.alpha]\naddress = \"a\"\n");
    CHECK_MESSAGE(has_error(ds, 4, 19, "names \"alpha\" twice"), dump(ds));
    ds = errors_of("app = \"a\"\n[process.web]\ncommand = \"x\"\nhosts = []\n[hosts.alpha]\naddress = \"a\"\n");
    CHECK_MESSAGE(has_error(ds, 4, 9, "at least one host"), dump(ds));
    ds = errors_of("app = \"a\"\n[process.web]\ncommand = \"x\"\nhosts = \"alpha\"\n[hosts.alpha]\naddress = \"a\"\n");
    CHECK_MESSAGE(has_error(ds, 4, 9, "must be an array"), dump(ds));
}

TEST_CASE("a type placed on hosts in a file without [hosts] is refused") {
    auto ds = errors_of("app = \"a\"\n[process.web]\ncommand = \"x\"\nhosts = [\"alpha\"]\n");
    CHECK_MESSAGE(has_error(ds, 4, 9, "no [hosts.NAME] tables"), dump(ds));
}

TEST_CASE("hosts is per process type, not a [defaults] key") {
    auto ds = errors_of("app = \"a\"\n[defaults]\nhosts = [\"alpha\"]\n[process.web]\ncommand = \"x\"\n[hosts.alpha]\naddress = \"a\"\n");
    CHECK_MESSAGE(has_error(ds, 3, 1, "unknown key \"hosts\" in [defaults]"), dump(ds));
}

TEST_CASE("[hosts.NAME] tables are checked") {
    auto base = std::string("app = \"a\"\n[process.web]\ncommand = \"x\"\n");
    auto ds = errors_of(base + "[hosts.alpha]\nport = 22\n");
    CHECK_MESSAGE(has_error(ds, 4, 1, "[hosts.alpha] has no address"), dump(ds));
    ds = errors_of(base + "[hosts.alpha]\naddress = \"a\"\nport = 0\n");
    CHECK_MESSAGE(has_error(ds, 6, 8, "port must be an integer between 1 and 65535"), dump(ds));
    ds = errors_of(base + "[hosts.alpha]\naddress = \"a\"\nuser = \"x\"\n");
    CHECK_MESSAGE(has_error(ds, 6, 1, "unknown key \"user\" in [hosts.alpha]"), dump(ds));
    ds = errors_of(base + "[hosts.Alpha]\naddress = \"a\"\n");
    CHECK_MESSAGE(has_error(ds, 4, 8, "host name \"Alpha\" is not valid"), dump(ds));
    ds = errors_of(base + "[hosts]\n");
    CHECK_MESSAGE(has_error(ds, 4, 1, "[hosts] has no hosts"), dump(ds));
    ds = errors_of(base + "[hosts.alpha]\naddress = \"root@10.0.0.1\"\n[hosts.beta]\naddress = \"ROOT@10.0.0.1\"\n"
                          "[hosts.gamma]\naddress = \"root@10.0.0.1\"\nport = 2222\n");
    CHECK_MESSAGE(has_error(ds, 7, 11, "[hosts.beta] has the same address as [hosts.alpha]"), dump(ds));
    CHECK(ds.size() == 1);  // another port is another destination
}

TEST_CASE("an address is an ssh destination and nothing ssh could take for an option") {
    for (const char* good : {"a", "root@10.0.0.11", "deploy@web-1.example.com", "fe80::1", "user@2001:db8::2",
                             "web1", "u.ser_x-1@h"})
        CHECK_MESSAGE(!address_problem(good), good);
    for (const char* bad : {"", "-oProxyCommand=sh", "root@-oProxyCommand=x", "a b", "a\nb", "root@", "@host",
                            "-@h", "ssh://root@h", "root@h:22", "h;reboot", "$(reboot)", "root@h@x",
                            "host.", ".host", "-host", "a..b", "us er@h"})
        CHECK_MESSAGE(address_problem(bad), bad);
    auto ds = errors_of("app = \"a\"\n[process.web]\ncommand = \"x\"\n[hosts.alpha]\naddress = \"-oProxyCommand=sh\"\n");
    CHECK_MESSAGE(has_error(ds, 5, 11, "starts with \"-\""), dump(ds));
}

TEST_CASE("ssh argv: options, then --, the address, and one quoted remote command") {
    Host h{"beta", "deploy@beta", 2222, {}};
    auto argv = remote::ssh_argv(h, {"-a", "shop", "restart", "it's"});
    REQUIRE(argv.size() >= 5);
    CHECK(argv[0] == "ssh");
    auto dashes = std::find(argv.begin(), argv.end(), "--");
    REQUIRE(dashes != argv.end());
    CHECK(std::find(argv.begin(), dashes, "BatchMode=yes") != dashes);
    CHECK(std::find(argv.begin(), dashes, "2222") != dashes);
    REQUIRE(argv.end() - dashes == 3);
    CHECK(dashes[1] == "deploy@beta");
    CHECK(dashes[2] == "'formation' '-a' 'shop' 'restart' 'it'\\''s'");
    CHECK(remote::shell_quote("") == "''");
}

TEST_CASE("run_all: every command at once, stdin fed, exit codes and lines") {
    std::vector<remote::Command> cs{{{"sh", "-c", "cat; echo done >&2; exit 3"}, "a\nb\n"},
                                    {{"sh", "-c", "printf 'x\\ny'"}, ""},
                                    {{"/nonexistent/program"}, ""}};
    std::vector<std::pair<std::size_t, std::string>> lines;
    auto rs = remote::run_all(cs, [&lines](std::size_t i, std::string_view l) { lines.emplace_back(i, std::string(l)); });
    CHECK(rs[0].exit_code == 3);
    CHECK(rs[0].err == "done\n");
    CHECK(rs[1].exit_code == 0);
    CHECK(remote::unreachable(rs[2]));
    CHECK(std::count(lines.begin(), lines.end(), std::make_pair(std::size_t{0}, std::string("b"))) == 1);
    CHECK(std::count(lines.begin(), lines.end(), std::make_pair(std::size_t{1}, std::string("y"))) == 1);
    auto big = remote::run_all({{{"wc", "-c"}, std::string(1 << 20, 'x')}});
    CHECK(big[0].out == "1048576\n");
}

TEST_CASE("every [hosts.NAME] key is documented in formation.toml(5)") {
    std::ifstream in(std::filesystem::path(FORMATION_CORPUS_DIR) / ".." / ".." / "man" / "formation.toml.5.scd");
    REQUIRE(in);
    std::ostringstream page;
    page << in.rdbuf();
    auto start = page.str().find("\n# HOSTS\n");
    REQUIRE(start != std::string::npos);
    std::string section = page.str().substr(start, page.str().find("\n# ", start + 1) - start);
    for (auto key : detail::host_key_names()) CHECK_MESSAGE(section.find("*" + std::string(key) + "*") != std::string::npos, key);
    CHECK(section.find("*hosts*") != std::string::npos);
    CHECK(section.find("*adress*") == std::string::npos);  // the check can fail
}
