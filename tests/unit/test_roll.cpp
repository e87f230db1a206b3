// The roll across hosts, with a fake runner: batches, the first failure
// stops it, and what it says about done, failed and unreached hosts.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "remote/roll.hpp"

using namespace formation;

namespace {

struct Fake {
    std::map<std::string, remote::Result> answers;  // by host name (argv[0]); absent: exit 0
    std::vector<std::vector<std::string>> batches;
    std::ostringstream out, err;

    int roll(const std::vector<Host>& hosts, unsigned parallel, bool quiet = false, int* changed = nullptr) {
        std::vector<remote::RollStep> steps;
        for (const auto& h : hosts) steps.push_back({&h, remote::Command{{h.name}, ""}});
        remote::RollIo io{out, err,
                          [this](const std::vector<remote::Command>& batch, const remote::LineSink& live) {
                              std::vector<std::string> names;
                              std::vector<remote::Result> rs;
                              for (std::size_t i = 0; i < batch.size(); ++i) {
                                  names.push_back(batch[i].argv[0]);
                                  auto it = answers.find(batch[i].argv[0]);
                                  remote::Result r = it == answers.end() ? remote::Result{0, "ok\n", ""} : it->second;
                                  if (live) {
                                      live(i, "ok");
                                      r.out.clear();
                                  }
                                  rs.push_back(r);
                              }
                              batches.push_back(names);
                              return rs;
                          },
                          [](const Host&, const remote::Result& r) { return "exit " + std::to_string(r.exit_code); },
                          [](const Host& h) { return h.name + " (" + h.address + ")"; }};
        return remote::roll("apply", steps, parallel, quiet, io, changed);
    }
};

std::vector<Host> three() {
    std::vector<Host> hs(3);
    hs[0].name = "a", hs[0].address = "10.0.0.1";
    hs[1].name = "b", hs[1].address = "10.0.0.2";
    hs[2].name = "c", hs[2].address = "10.0.0.3";
    return hs;
}

}  // namespace

TEST_CASE("roll: one host at a time, all done") {
    Fake f;
    auto hs = three();
    int changed = 0;
    CHECK(f.roll(hs, 1, false, &changed) == 0);
    CHECK(f.batches.size() == 3);
    CHECK(changed == 3);
    CHECK(f.out.str() == "a: ok\nb: ok\nc: ok\nformation: apply done on a, b, c\n");
    CHECK(f.err.str().empty());
}

TEST_CASE("roll: the first failure stops it, done hosts stay done") {
    Fake f;
    f.answers["b"] = remote::Result{3, "", "boom\n"};
    auto hs = three();
    int changed = 0;
    CHECK(f.roll(hs, 1, false, &changed) == 3);
    CHECK(f.batches.size() == 2);
    CHECK(changed == 2);
    CHECK(f.err.str() ==
          "b: boom\n"
          "formation: apply failed on host b (10.0.0.2): exit 3\n"
          "formation: the roll stopped at b; done: a (running the new formation); not reached: c (run it again once the "
          "cause is fixed)\n");
}

TEST_CASE("roll: batches of K, each host's output in one piece; an odd exit is 1") {
    Fake f;
    f.answers["a"] = remote::Result{255, "", "ssh: connect to host a: Connection refused\n"};
    auto hs = three();
    CHECK(f.roll(hs, 2, true) == 1);
    REQUIRE(f.batches.size() == 1);
    CHECK(f.batches[0] == std::vector<std::string>{"a", "b"});
    CHECK(f.out.str() == "b: ok\n");
    CHECK(f.err.str().find("the roll stopped at a; done: b (running the new formation); not reached: c (run it again once "
                          "the host is back)") != std::string::npos);
}
