// formation run's pure parts: unit-file settings decoded into typed
// transient properties, the one-off spec made from a compiled type, and the
// progress line.
#include <doctest/doctest.h>

#include <algorithm>

#include "app/progress.hpp"
#include "app/run_spec.hpp"
#include "formation/parse.hpp"
#include "formation/values.hpp"
#include "systemd/unit_properties.hpp"

using namespace formation;
using systemd::AllowList;
using systemd::BusProperty;
using systemd::FileList;

namespace {

BusProperty one(const std::string& key, const std::string& value, const std::string& instance = "run") {
    auto p = systemd::transient_properties(key, value, instance);
    REQUIRE(p);
    REQUIRE(p->size() == 1);
    return (*p)[0];
}

template <typename T>
T value_of(const BusProperty& p) {
    REQUIRE(std::holds_alternative<T>(p.value));
    return std::get<T>(p.value);
}

}  // namespace

TEST_CASE("settings decode as systemd reads a unit file") {
    CHECK(value_of<bool>(one("PrivateTmp", "yes")));
    CHECK_FALSE(value_of<bool>(one("NoNewPrivileges", "no")));
    CHECK(value_of<std::string>(one("WorkingDirectory", "/srv/100%%")) == "/srv/100%");
    CHECK(value_of<std::vector<std::string>>(one("Environment", R"("A=x y\\z\n" "B=%i")")) ==
          std::vector<std::string>{"A=x y\\z\n", "B=run"});
    CHECK(value_of<std::vector<std::string>>(one("ReadWritePaths", R"(/a "/b c")")) ==
          std::vector<std::string>{"/a", "/b c"});
    auto filter = value_of<AllowList>(one("SystemCallFilter", "~@mount @swap"));
    CHECK_FALSE(filter.allow);
    CHECK(filter.items == std::vector<std::string>{"@mount", "@swap"});
    CHECK(value_of<std::uint64_t>(one("RestrictNamespaces", "yes")) == 0);
    CHECK(value_of<std::uint64_t>(one("MemoryMax", "512M")) == 512ULL << 20);
    CHECK(value_of<std::uint32_t>(one("UMask", "0077")) == 077);
    CHECK(value_of<std::int32_t>(one("SystemCallErrorNumber", "EPERM")) == 1);
    CHECK(value_of<std::int32_t>(one("Nice", "-5")) == -5);
    CHECK(value_of<std::uint64_t>(one("CapabilityBoundingSet", "")) == 0);
    CHECK(value_of<std::uint64_t>(one("CapabilityBoundingSet", "~CAP_SYS_ADMIN")) == ~(1ULL << 21));
    auto files = one("EnvironmentFile", "-/etc/a.env");
    CHECK(files.name == "EnvironmentFiles");
    CHECK(value_of<FileList>(files) == FileList{{"/etc/a.env", true}});
    auto quota = systemd::transient_properties("CPUQuota", "50%", "run");
    REQUIRE(quota);
    CHECK((*quota)[0].name == "CPUQuotaPerSecUSec");
    CHECK(std::get<std::uint64_t>((*quota)[0].value) == 500000);
    auto nofile = systemd::transient_properties("LimitNOFILE", "1024:4096", "run");
    REQUIRE(nofile);
    REQUIRE(nofile->size() == 2);
    CHECK(std::get<std::uint64_t>((*nofile)[0].value) == 4096);
    CHECK(std::get<std::uint64_t>((*nofile)[1].value) == 1024);
}

TEST_CASE("what a one-off unit cannot carry is said, not dropped") {
    CHECK_FALSE(systemd::transient_properties("BindPaths", "/a", "run"));
    CHECK_FALSE(systemd::transient_key_known("BindPaths"));
    CHECK_THROWS_WITH_AS(one("User", "%u"), doctest::Contains("specifier %u"), std::invalid_argument);
    CHECK_THROWS_AS(one("PrivateTmp", "maybe"), std::invalid_argument);
    CHECK_THROWS_AS(one("Environment", "\"A=1"), std::invalid_argument);
    CHECK_THROWS_AS(one("CapabilityBoundingSet", "CAP_NOPE"), std::invalid_argument);
}

TEST_CASE("every setting formation compiles can be carried, at every hardening level, system and user") {
    for (const char* level : {"none", "default", "strict"}) {
        for (bool user : {false, true}) {
            std::string text = std::string("app = \"shop\"\nuser = \"shop\"\nworking_directory = \"/srv/shop\"\n") +
                               "env_files = [\"/etc/shop.env\"]\n[env]\nA = \"1 %\"\n[process.web]\n" +
                               "command = \"bundle exec puma -p $PORT\"\nport = 5000\nmemory_max = \"1G\"\n" +
                               "cpu_quota = \"50%\"\nnice = 5\nreload_signal = \"SIGHUP\"\nhardening = \"" + level +
                               "\"\nwritable_paths = [\"/srv/shop/tmp\"]\n";
            Formation f = parse_formation(text, "shop.toml");
            CompileOptions o;
            o.user_manager = user;
            auto rs = app::make_run_spec(f, f.processes[0], o, {"rake", "db:migrate"}, "abcd", "");
            CAPTURE(level);
            CAPTURE(user);
            CHECK(rs.spec.name == "shop-web-run-abcd.service");
            CHECK(rs.spec.argv.back() == "db:migrate");
            CHECK(rs.skipped_raw.empty());
            for (const auto& setting : rs.spec.settings) {
                // Not a structured binding: clang 14 cannot capture one in doctest's lambdas.
                const std::string& key = setting.first;
                const std::string& value = setting.second;
                CAPTURE(key);
                CHECK_NOTHROW(CHECK(systemd::transient_properties(key, value, "run")));
                CHECK(key != "ExecStart");
                CHECK(key != "Restart");
            }
            auto has = [&rs](const std::string& key) {
                return std::any_of(rs.spec.settings.begin(), rs.spec.settings.end(),
                                   [&key](const auto& kv) { return kv.first == key; });
            };
            CHECK(has("EnvironmentFile"));
            CHECK(has("WorkingDirectory"));
            CHECK(has("MemoryMax"));
            CHECK(has("NoNewPrivileges") == (std::string(level) != "none"));
        }
    }
}

namespace {

ProcessType raw_type(std::vector<std::string> raw_service) {
    ProcessType p;
    p.name = "web";
    p.command = {true, "run", {}};
    for (auto& line : raw_service) p.raw.push_back({"Service", std::move(line), {}});
    return p;
}

Formation with(const ProcessType& p) {
    Formation f;
    f.app = "shop";
    f.processes = {p};
    return f;
}

}  // namespace

TEST_CASE("a raw line with a specifier a one-off unit cannot resolve is left out with its reason, not refused") {
    ProcessType p = raw_type({"Environment=HN=%H", "Environment=KEPT=%i", "OOMScoreAdjust=100",
                              "SystemCallErrorNumber=EROFS"});
    Formation f = with(p);
    app::RunSpec rs;
    REQUIRE_NOTHROW(rs = app::make_run_spec(f, f.processes[0], {}, {"rake", "db:migrate"}, "abcd", ""));
    REQUIRE(rs.skipped_raw.size() == 3);
    CHECK(rs.skipped_raw[0].line == "Environment=HN=%H");
    CHECK(rs.skipped_raw[0].why.find("specifier %H") != std::string::npos);
    CHECK(rs.skipped_raw[1].line == "OOMScoreAdjust=100");
    CHECK(rs.skipped_raw[1].why.find("cannot carry OOMScoreAdjust=") != std::string::npos);
    CHECK(rs.skipped_raw[2].line == "SystemCallErrorNumber=EROFS");
    bool kept = std::any_of(rs.spec.settings.begin(), rs.spec.settings.end(),
                            [](const auto& kv) { return kv.first == "Environment" && kv.second == "KEPT=%i"; });
    CHECK(kept);  // %i is "run", as formation(1) says
}

TEST_CASE("run never refuses a type for its raw lines: every key, every specifier") {
    const auto keys = raw_keys_allowed("Service");
    const std::string specifiers = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%";
    for (auto key : keys) {
        for (char c : specifiers) {
            std::string line = std::string(key) + "=/srv/%" + std::string(1, c) + "x";
            Formation f = with(raw_type({line}));
            CAPTURE(line);
            app::RunSpec rs;
            REQUIRE_NOTHROW(rs = app::make_run_spec(f, f.processes[0], {}, {"true"}, "abcd", ""));
            bool carried = std::any_of(rs.spec.settings.begin(), rs.spec.settings.end(),
                                       [&](const auto& kv) { return kv.first + "=" + kv.second == line; });
            bool skipped = rs.skipped_raw.size() == 1 && rs.skipped_raw[0].line == line && !rs.skipped_raw[0].why.empty();
            bool instance_only = !carried && rs.skipped_raw.empty();  // Restart=, ExecStartPre=, … are not a one-off's
            CHECK((carried || skipped || instance_only));
            if (carried) CHECK_NOTHROW(systemd::transient_properties(std::string(key), line.substr(key.size() + 1), "run"));
        }
    }
}

TEST_CASE("the progress line: what, how many done, and after 3 s what still waits") {
    std::vector<systemd::JobRequest> jobs{{systemd::JobType::stop, "shop-web@1.service"},
                                          {systemd::JobType::stop, "shop-web@2.service"}};
    systemd::JobProgress p;
    p.total = 2;
    p.done = 1;
    p.waiting = {&jobs[1]};
    p.elapsed_usec = 1000000;
    CHECK(app::progress_line(p, 200) == "formation: stopping 2 units: 1/2 done");
    p.elapsed_usec = 4500000;
    CHECK(app::progress_line(p, 200) == "formation: stopping 2 units: 1/2 done; waiting 4 s for shop-web@2.service");
    CHECK(app::progress_line(p, 20) == "formation: stoppi...");
}
