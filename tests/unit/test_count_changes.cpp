#include <doctest/doctest.h>

#include "app/error.hpp"
#include "app/count_changes.hpp"

using namespace formation;
using namespace formation::app;

namespace {
Formation shop() {
    Formation f;
    f.app = "shop";
    ProcessType web;
    web.name = "web";
    web.count = 20;
    ProcessType worker;
    worker.name = "worker";
    worker.count = 0;
    f.processes = {web, worker};
    return f;
}
int usage_error(const std::vector<std::string>& args) {
    try {
        resolve_counts(parse_count_changes(args), shop());
    } catch (const Error& e) {
        return e.code();
    }
    return 0;
}
}  // namespace

TEST_CASE("scale counts: absolute and relative") {
    using Counts = std::vector<std::pair<std::string, int>>;
    CHECK(resolve_counts(parse_count_changes({"web=3"}), shop()) == Counts{{"web", 3}});
    CHECK(resolve_counts(parse_count_changes({"web=+1"}), shop()) == Counts{{"web", 21}});
    CHECK(resolve_counts(parse_count_changes({"web=-20", "worker=+2"}), shop()) == Counts{{"web", 0}, {"worker", 2}});
    CHECK(resolve_counts(parse_count_changes({"web=+0"}), shop()) == Counts{{"web", 20}});
    // A type named twice: the second change starts from the first's result.
    CHECK(resolve_counts(parse_count_changes({"web=5", "web=+1"}), shop()) == Counts{{"web", 5}, {"web", 6}});
    auto c = parse_count_changes({"worker=-0"});
    CHECK(c[0].relative);
    CHECK(c[0].text == "worker=-0");
}

TEST_CASE("scale counts: what is refused") {
    for (const char* bad : {"web", "=3", "web=", "web=+", "web=-", "web=x", "web=1.5", "web=+-1", "web=1001",
                            "web=+1001", "web=12345", "web= 3", "web=0x10"})
        CHECK_MESSAGE(usage_error({bad}) == exit_usage, bad);
    CHECK(usage_error({"web=-21"}) == exit_usage);       // below 0
    CHECK(usage_error({"worker=-1"}) == exit_usage);
    CHECK(usage_error({"web=+981"}) == exit_usage);      // above 1000
    CHECK(usage_error({"db=+1"}) == exit_usage);         // no such type
    CHECK(usage_error({"web=+980", "worker=1000"}) == 0);
    try {
        resolve_counts(parse_count_changes({"web=-21"}), shop());
        FAIL("accepted web=-21");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "scale: web=-21 would make web's count -1 (it is 20); counts go from 0 to 1000");
    }
}
