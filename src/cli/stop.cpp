// formation stop [TYPE…]: stop every loaded instance of the app (of the
// given types), listed in the formation or not, and then their sockets.
#include "cli/act.hpp"

namespace formation::cli {

void add_stop(CLI::App& root, const Globals& g, Run& run) {
    add_act(root, g, run,
            {app::Action::stop, "stop", "Stop the app's instances (any that run), or those of the given types",
             "stopped"});
}

}  // namespace formation::cli
