// formation restart [TYPE…] [--parallel N]: a rolling restart of the app's
// desired instances (of the given types).
#include "cli/act.hpp"

namespace formation::cli {

void add_restart(CLI::App& root, const Globals& g, Run& run) {
    add_act(root, g, run,
            {app::Action::restart, "restart",
             "Rolling restart: each instance ready and held up for its min_ready before the next goes down",
             "restarted"});
}

}  // namespace formation::cli
