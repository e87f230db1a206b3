// A formation file the user names (FILE, or "-" for stdin), read and
// validated as the generator would (systemd's limits, reserved unit names).
#pragma once

#include <string>

#include "app/error.hpp"

namespace formation::app {

// Reads (at most 1 MiB; "-": stdin, read once) and parses; throws Error
// (unreadable, exit 2) or InvalidFormation.
LoadedFormation load_formation(const std::string& path);
LoadedFormation parse_loaded(const std::string& path, std::string text);

}  // namespace formation::app
