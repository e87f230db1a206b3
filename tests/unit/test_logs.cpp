// logs' pure parts: --since and the TYPE / TYPE.N selectors.
#include <doctest/doctest.h>

#include "app/error.hpp"
#include "app/log_view.hpp"
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

TEST_CASE("LogMerge: backlogs held until every host sent its own, the last N by time, then lines as they come") {
    using formation::app::LogMerge;
    using formation::app::MergedLine;
    auto labels = [](const std::vector<MergedLine>& v) {
        std::string out;
        for (const auto& l : v) out += l.label + ":" + l.message + " ";
        return out;
    };
    LogMerge m(2, 3);
    CHECK(m.add({30, "alpha/web.1", "c"}).empty());
    CHECK(m.add({10, "beta/web.2", "a"}).empty());
    CHECK(m.add({20, "alpha/web.1", "b"}).empty());
    CHECK(m.add({5, "beta/web.2", "old"}).empty());
    CHECK(m.backlog_done(0).empty());  // beta has not finished its backlog
    CHECK_FALSE(m.streaming());
    CHECK(labels(m.backlog_done(1)) == "beta/web.2:a alpha/web.1:b alpha/web.1:c ");  // the last 3, oldest first
    CHECK(m.streaming());
    CHECK(m.backlog_done(1).empty());  // a host's end after its mark: nothing more
    CHECK(labels(m.add({1, "beta/web.2", "live"})) == "beta/web.2:live ");  // as it comes, whatever its time
    CHECK(m.finish().empty());
}

TEST_CASE("LogMerge: without -f, what a host sent comes out at the end; 0 lines keeps all") {
    formation::app::LogMerge m(1, 0);
    m.add({2, "a/web.1", "y"});
    m.add({1, "a/web.1", "x"});
    auto out = m.finish();
    REQUIRE(out.size() == 2);
    CHECK(out[0].message == "x");
    CHECK(m.finish().empty());
}
