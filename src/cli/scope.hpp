// The global options as the app layer's scope: which host state (-u), how
// much is said (-q), which app (-a APP, or the app named in FILE).
#pragma once

#include <string>

#include "app/context.hpp"
#include "app/env.hpp"
#include "cli/common.hpp"

namespace formation::cli {

// The app layer's Env for this host and these options.
app::Env host_env(const Globals& g);

// -a APP (the verb's own, else the global one), checked to be an app name;
// without -a, the app named in FILE (which must then parse).
std::string resolve_app(const Globals& g, const std::string& verb_app);

// Who runs the verb, for the release history: $SUDO_USER, else $USER, $LOGNAME, "?".
std::string invoking_user();

// The installed formation of resolve_app(g, verb_app).
app::InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app);

}  // namespace formation::cli
