// start, stop and restart: one shape (app::act), as systemctl's
// start/stop/restart share verb_start; each verb file names its action.
#pragma once

#include <CLI/CLI.hpp>

#include "app/verbs.hpp"
#include "cli/common.hpp"

namespace formation::cli {

struct ActVerb {
    app::Action action;
    const char* name;
    const char* help;
    const char* done;  // "started", as the summary line says it
};

void add_act(CLI::App& root, const Globals& g, Run& run, const ActVerb& verb);

}  // namespace formation::cli
