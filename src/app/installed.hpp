// An installed formation file → the formation and units the app runs on:
// APP.toml, or its last good copy when APP.toml does not render. One
// decision, shared by the generator (which makes the units from it) and
// every verb that acts on an installed app, so the two never disagree.
// No bus, no lock: the generator links this.
#pragma once

#include <string>
#include <vector>

#include "compile/render.hpp"
#include "host/store.hpp"

namespace formation::app {

// The installed formation binary that units run as a helper (ready =
// "port"), as built in; $FORMATION_HELPER (an absolute path) overrides it
// for tests and packagers.
std::string helper_path();

// The compile options of an installed file: what the generator, apply and
// `generate -o` use, so the three give the same bytes.
CompileOptions compile_options(bool user, const std::string& installed_path);

struct Resolved {
    // The file used, or when none renders, the last one tried (its errors).
    Rendered rendered;
    std::string path;
    std::string text;
    bool on_last_good = false;                 // the last good copy was tried
    std::vector<Diagnostic> installed_errors;  // why APP.toml was not used
    bool ok() const { return !path.empty() && rendered.ok(); }
};

// With last_good_only (APP.toml crashed the process reading it) only the
// last good copy is tried. `options.source_path` is the installed path.
Resolved resolve_installed(const host::InstalledFile& in, const CompileOptions& options, bool last_good_only = false);

}  // namespace formation::app
