// Which app a read-only verb means: -a APP (checked to be an app name), or
// without it the app named in FILE (which must then parse).
#pragma once

#include <string>

namespace formation::app {

// `app`: the verb's -a, else the global one (empty: none given). Throws
// Error (exit 2) for a name that is not an app name; FILE's errors as
// load_formation() throws them.
std::string app_named(const std::string& app, const std::string& file);

}  // namespace formation::app
