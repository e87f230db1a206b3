// logs' pure parts: --since and the TYPE / TYPE.N selectors.
#include <doctest/doctest.h>

#include "app/error.hpp"
#include "app/logs.hpp"
#include "formation/parse.hpp"

using namespace formation;

TEST_CASE("--since: a time ago counts back from now") {
    const std::uint64_t now = 10'000ULL * 1000000;
    CHECK(app::parse_since("30s", now) == now - 30ULL * 1000000);
    CHECK(app::parse_since("10min", now) == now - 600ULL * 1000000);
    CHECK(app::parse_since("2h ago", now) == now - 7200ULL * 1000000);
    CHECK(app::parse_since("1h 30min", now) == now - 5400ULL * 1000000);
    CHECK(app::parse_since("1000h", now) == 0);  // before the epoch: from the start
}

TEST_CASE("--since: anything else is a usage error") {
    for (const char* bad : {"", "yesterday", "10 parsecs", "2026-13-45", " ago"}) {
        CAPTURE(bad);
        try {
            app::parse_since(bad, 1000);
            FAIL("accepted");
        } catch (const app::Error& e) {
            CHECK(e.code() == app::exit_usage);
        }
    }
}

TEST_CASE("logs selectors: TYPE, TYPE.N, and what is refused") {
    Formation f = parse_formation("app = \"shop\"\n[process.web]\ncommand = \"x\"\ncount = 2\n", "t.toml");
    CHECK(app::parse_log_selector(f, "web").index == 0);
    auto one = app::parse_log_selector(f, "web.2");
    CHECK(one.type == "web");
    CHECK(one.index == 2);
    for (const char* bad : {"web.0", "web.x", "web.1x", "api", "api.1"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(app::parse_log_selector(f, bad), app::Error);
    }
}
