// Progress while formation waits for systemd's jobs: on stderr, only when
// it is a terminal and never with -q. One line, rewritten in place ("\r",
// then erase to the end of the line) and erased when the jobs are done, so
// what is printed after it starts on a clean line.
#pragma once

#include <cstddef>
#include <string>

#include "systemd/manager.hpp"

namespace formation::app {

// Makes `m` report its job waits on stderr, when stderr is a terminal and
// `quiet` is off; otherwise leaves it silent.
void attach_progress(systemd::Manager& m, bool quiet);

// The text of the line (no "\r", no newline), at most `width` columns:
//   "formation: starting 3 units: 1/3 done"
// and once a job has waited 3 s, what is still waiting:
//   "formation: starting 3 units: 1/3 done; waiting 4 s for shop-web@2.service, shop-web@3.service"
std::string progress_line(const systemd::JobProgress& p, std::size_t width);

}  // namespace formation::app
