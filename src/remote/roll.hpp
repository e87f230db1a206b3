// The roll of a verb that changes hosts: one host at a time (`parallel` at
// a time), each finished before the next; the first host that fails stops
// the roll and is named, and the hosts already done stay done. Each host's
// output is shown prefixed with its name.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "formation/model.hpp"
#include "remote/ssh.hpp"

namespace formation::remote {

struct RollStep {
    const Host* host = nullptr;
    Command command;
};

struct RollIo {
    std::ostream& out;
    std::ostream& err;
    // Runs a batch at once (run_all; tests give a fake).
    std::function<std::vector<Result>(const std::vector<Command>&, const LineSink&)> run;
    // Why a host's command failed, in a few words; "NAME (ADDRESS)".
    std::function<std::string(const Host&, const Result&)> failure;
    std::function<std::string(const Host&)> label;
};

// Returns the first failed host's exit code (1-3, else 1), or 0. `changed`
// (when given) counts the hosts whose formation ran: the done ones, and
// failed ones unless ssh or the version check stopped them first.
int roll(const std::string& what, const std::vector<RollStep>& steps, unsigned parallel, bool quiet, const RollIo& io,
         int* changed = nullptr);

// Each line of `text` as "NAME: line" on `os`.
void print_prefixed(std::ostream& os, const std::string& name, std::string_view text);

}  // namespace formation::remote
