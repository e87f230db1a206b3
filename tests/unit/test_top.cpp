// formation top: CPU % between two looks, the frame's table and how it
// fits a terminal.
#include <doctest/doctest.h>

#include <sstream>

#include "app/top_view.hpp"
#include "cli/top_frame.hpp"
#include "compile/compile.hpp"
#include "formation/parse.hpp"

using namespace formation;

namespace {

app::InstanceStatus instance(std::string unit, std::uint32_t pid, std::optional<std::uint64_t> cpu) {
    app::InstanceStatus i;
    i.unit = std::move(unit);
    i.type = "web";
    i.index = 1;
    i.active_state = "active";
    i.sub_state = "running";
    i.pid = pid;
    i.cpu_nsec = cpu;
    i.desired = true;
    i.load_state = "loaded";
    return i;
}

app::TopSample sample(std::string host, std::vector<app::InstanceStatus> instances, std::uint64_t at) {
    app::StatusView v;
    v.app = "shop";
    app::TypeStatus t;
    t.name = "web";
    t.desired = static_cast<int>(instances.size());
    for (auto& i : instances) {
        t.running += app::is_running(i) ? 1 : 0;
        t.instances.push_back(std::move(i));
    }
    v.types.push_back(std::move(t));
    return {std::move(host), std::move(v), "", at};
}

}  // namespace

TEST_CASE("top: CPU % of an instance between two looks") {
    auto a = instance("shop-web@1.service", 10, 1'000'000'000);
    auto b = instance("shop-web@1.service", 10, 1'500'000'000);
    CHECK(*app::cpu_percent(a, b, 1'000'000) == doctest::Approx(50.0));
    CHECK(*app::cpu_percent(a, b, 250'000) == doctest::Approx(200.0));  // two cores busy
    CHECK_FALSE(app::cpu_percent(a, b, 0));
    CHECK_FALSE(app::cpu_percent(a, instance("shop-web@1.service", 11, 1'500'000'000), 1'000'000));  // another process
    CHECK_FALSE(app::cpu_percent(b, a, 1'000'000));                                                  // counter went back
    CHECK_FALSE(app::cpu_percent(a, instance("shop-web@1.service", 10, std::nullopt), 1'000'000));  // no cpuacct

    // By host and unit: the same unit on two hosts is two instances.
    std::vector<app::TopSample> before{sample("alpha", {a}, 1'000'000), sample("beta", {a}, 1'000'000)};
    std::vector<app::TopSample> now{sample("alpha", {b}, 2'000'000),
                                    sample("beta", {instance("shop-web@1.service", 10, 1'100'000'000)}, 3'000'000)};
    auto cpu = app::cpu_percents(before, now);
    REQUIRE(cpu.size() == 2);
    CHECK(cpu[app::cpu_key("alpha", "shop-web@1.service")] == doctest::Approx(50.0));
    CHECK(cpu[app::cpu_key("beta", "shop-web@1.service")] == doctest::Approx(5.0));
    // A host that did not answer before, or now, has no figure.
    now[1].view.reset();
    CHECK(app::cpu_percents(before, now).size() == 1);
    CHECK(app::cpu_percents({}, now).empty());

    CHECK(app::format_percent(0) == "0.0");
    CHECK(app::format_percent(12.345) == "12.3");
    CHECK(app::format_percent(99.94) == "99.9");
    CHECK(app::format_percent(250.4) == "250");
}

TEST_CASE("top: the frame's table and title, one host and across hosts") {
    auto a = instance("shop-web@1.service", 10, 1'000'000'000);
    auto b = instance("shop-web@1.service", 10, 1'250'000'000);
    b.memory_bytes = 3 * 1024 * 1024;
    b.restarts = 2;
    b.uptime_usec = 125'000'000;
    auto failed = instance("shop-web@2.service", 0, std::nullopt);
    failed.index = 2;
    failed.active_state = "failed";
    failed.sub_state = "failed";
    failed.result = "exit-code";
    std::vector<app::TopSample> before{sample("", {a}, 1'000'000)};
    std::vector<app::TopSample> now{sample("", {b, failed}, 2'000'000)};
    std::ostringstream text;
    cli::top_table(now, app::cpu_percents(before, now)).print_text(text, false);
    CHECK(text.str() ==
          "  INSTANCE  STATE           CPU%  MEMORY  RESTARTS  UPTIME  NOTE\n"
          "web 1/2 running, 1 failed\n"
          "  web.1     active/running  25.0    3.0M         2   2m05s\n"
          "  web.2     failed/failed      -       -         0       -  exit-code: main process exited with a non-zero status\n");
    CHECK(cli::top_title("shop", now) == "shop: 1/2 running, 1 failed");

    // Across hosts: a HOST column, headings and a host that did not answer.
    std::vector<app::TopSample> hosts{sample("alpha", {b}, 2'000'000), {"beta", std::nullopt, "unreachable: ssh: connect to host 10.0.0.2 port 22: Connection refused", 2'000'000}};
    std::ostringstream across;
    cli::top_table(hosts, {}).print_text(across, false);
    CHECK(across.str() ==
          "  HOST   INSTANCE  STATE           CPU%  MEMORY  RESTARTS  UPTIME  NOTE\n"
          "alpha: web 1/1 running\n"
          "  alpha  web.1     active/running     -    3.0M         2   2m05s\n"
          "beta: unreachable: ssh: connect to host 10.0.0.2 port 22: Connection refused\n");
    CHECK(cli::top_title("shop", hosts) == "shop: 1/1 running, 1 host not answering");
}

TEST_CASE("top: a frame fits the terminal, colors kept and cut cleanly") {
    auto lines = cli::fit("abcdef\n\x1b[32mgreen text\x1b[0m\nh\xc3\xa9llo w\xc3\xb6rld\n", 5, 0);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "abcde");
    CHECK(lines[1] == "\x1b[32mgreen\x1b[0m");
    CHECK(lines[2] == "h\xc3\xa9llo");
    CHECK(cli::fit("ab\x1b[31mc\x1b[0m\n", 3, 0)[0] == "ab\x1b[31mc\x1b[0m");  // fits: nothing added

    auto cut = cli::fit("1\n2\n3\n4\n5\n", 80, 3);
    REQUIRE(cut.size() == 3);
    CHECK(cut[0] == "1");
    CHECK(cut[1] == "2");
    CHECK(cut[2] == "  … 3 more lines (a taller terminal shows them)");
    CHECK(cli::fit("1\n2\n3\n", 80, 3).size() == 3);
}

TEST_CASE("top across hosts: a host's status JSON carries CPU time; an older host's without it reads as unknown") {
    auto s = sample("", {instance("shop-web@1.service", 10, 1'234'567'891)}, 1);
    std::string text = app::encode(*s.view, true);
    CHECK(text.find(R"("cpu_nsec":1234567891)") != std::string::npos);
    CHECK(app::decode(text).types[0].instances[0].cpu_nsec == 1'234'567'891ULL);
    std::string older = text;
    older.replace(older.find(R"("cpu_nsec":1234567891,)"), std::string(R"("cpu_nsec":1234567891,)").size(), "");
    CHECK_FALSE(app::decode(older).types[0].instances[0].cpu_nsec);
}
