// Jobs run in a child process, so that a crash while reading one installed
// file (a signal, an abort, a hang) costs only that file. One child does the
// jobs in order and hands each result back through a pipe as it finishes;
// when it dies, the job it was on is reported and a new child goes on from
// the next one. So the healthy case costs one fork, not one per file.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace formation::generator {

struct Crash {
    std::size_t job;  // the job the child was on
    std::string why;  // "was killed by signal 11 (SIGSEGV)", "exited with status 1", …
};

// Runs work(first) … work(count - 1) in one child process and calls done(j,
// bytes) in this process with each result, in order. Returns the job during
// which the child died or ran longer than `timeout_ms` on one job (then
// killed), and nullopt when every job finished. `work` must not throw. When
// no child can be made (fork fails), the jobs run here, unprotected.
std::optional<Crash> run_isolated(std::size_t first, std::size_t count,
                                  const std::function<std::string(std::size_t)>& work,
                                  const std::function<void(std::size_t, std::string)>& done, int timeout_ms);

}  // namespace formation::generator
