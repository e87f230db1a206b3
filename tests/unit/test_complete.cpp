// The completion candidates for types, instances and scale's TYPE= (app/complete).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "app/complete.hpp"
#include "host/listening.hpp"

using formation::app::Candidate;
using formation::app::count_candidates;
using formation::app::type_candidates;

namespace {

const formation::app::TypeCounts types = {{"web", 2, ""}, {"worker", 1, ""}, {"clock", 0, ""}, {"report", 0, "daily"}};

std::string words(const std::vector<Candidate>& cs) {
    std::string out;
    for (const auto& c : cs) out += c.word + "|" + c.description + ";";
    return out;
}

}  // namespace

TEST_CASE("complete: types with their counts, filtered by the word typed") {
    CHECK(words(type_candidates("types", "", types)) ==
          "web|2 instances;worker|1 instance;clock|0 instances;report|scheduled (daily);");
    CHECK(words(type_candidates("type", "w", types)) == "web|2 instances;worker|1 instance;");
    CHECK(words(type_candidates("instances", "wo", types)) == "worker|1 instance;");
    CHECK(type_candidates("command", "", types).empty());
}

TEST_CASE("complete: instances once the word has a dot") {
    CHECK(words(type_candidates("instances", "web.", types)) == "web.1|instance;web.2|instance;");
    CHECK(words(type_candidates("instances", "web.2", types)) == "web.2|instance;");
    CHECK(type_candidates("instances", "clock.", types).empty());
    CHECK(type_candidates("instances", "report.", types).empty());  // a scheduled type has no instances
    // Only `instances` takes TYPE.N.
    CHECK(type_candidates("types", "web.", types).empty());
}

TEST_CASE("complete: scale's TYPE= with the count now") {
    // Not a scheduled type: scale refuses it.
    CHECK(words(count_candidates("", types)) == "web=|now 2;worker=|now 1;clock=|now 0;");
    CHECK(count_candidates("rep", types).empty());
    CHECK(words(count_candidates("c", types)) == "clock=|now 0;");
    CHECK(count_candidates("web=", types).empty());
}

TEST_CASE("listening_inodes: listening sockets on the port, from one /proc/net/tcp table") {
    std::string path = "/tmp/formation-test-tcp-" + std::to_string(::getpid());
    {
        std::ofstream out(path);
        out << "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            << "   0: 00000000:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n"
            << "   1: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1\n"
            << "   2: 00000000:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1\n"
            << "   3: 00000000:13zz 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4545 1\n";
    }
    auto inodes = formation::host::listening_inodes(path.c_str(), 5000);
    REQUIRE(inodes);
    CHECK(*inodes == std::set<std::string>{"4242"});
    CHECK(formation::host::listening_inodes(path.c_str(), 5002)->empty());
    std::remove(path.c_str());
    CHECK_FALSE(formation::host::listening_inodes(path.c_str(), 5000));
}
