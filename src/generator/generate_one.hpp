// One installed formation file → its units in a generator directory: the
// generator's whole decision for one app, shared with its tests.
#pragma once

#include <string>

#include "compile/compile.hpp"
#include "generator/generator_dir.hpp"
#include "generator/log.hpp"
#include "host/store.hpp"

namespace formation::generator {

struct Options {
    bool user = false;
    bool dry_run = false;       // print the units instead of writing them
    std::string helper_path;    // the installed formation binary
};

// Compile options for an installed file: the same ones apply and
// `generate -o` use, so the three give the same bytes.
CompileOptions compile_options(const Options& o, const std::string& source_path);

// Returns false when the app gets no units at all. An invalid file with a
// last good copy is logged, and the last good copy is generated instead.
bool generate_one(const host::InstalledFile& in, const Options& o, GeneratorDir* out, Log& log);

}  // namespace formation::generator
