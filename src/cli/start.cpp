// formation start [TYPE…]: start the app's desired instances (of the given
// types), each start counter reset first, under the app's lock.
#include "cli/act.hpp"

namespace formation::cli {

void add_start(CLI::App& root, const Globals& g, Run& run) {
    add_act(root, g, run,
            {app::Action::start, "start", "Start the app's instances, or those of the given types", "started"});
}

}  // namespace formation::cli
