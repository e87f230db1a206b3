// The crash guard of a type with socket = "shared" (`formation guard`, the
// instance's ExecStart= wrapper): systemd's start limit cannot be used there
// (reaching it fails the shared socket for every instance), so the guard
// counts the instance's starts itself and gives up as systemd would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace formation::app {

// Exit status of a guard that gives up; RestartPreventExitStatus= names it.
constexpr int guard_gave_up = 251;

struct GuardVerdict {
    bool give_up = false;
    std::vector<std::uint64_t> starts;  // what to keep: the starts within the interval, this one included
    std::string why;                    // when giving up: "5 starts within 10 s"
};

// `starts`: the earlier starts (CLOCK_MONOTONIC µs), any order; `burst`
// starts are allowed within `interval_usec`, as StartLimitBurst= and
// StartLimitIntervalSec= allow them.
GuardVerdict guard_start(std::vector<std::uint64_t> starts, std::uint64_t now_usec, unsigned burst,
                         std::uint64_t interval_usec);

// The state file: one decimal start time per line; other lines are skipped.
std::vector<std::uint64_t> decode_starts(const std::string& text);
std::string encode_starts(const std::vector<std::uint64_t>& starts);

}  // namespace formation::app
