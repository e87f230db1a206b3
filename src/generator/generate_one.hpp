// One installed formation file → its units in a generator directory: the
// generator's whole decision for one app, shared with its tests. The
// decision is made in a child process (isolate.hpp), so a file that crashes
// the parser costs that app alone; this process logs and writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// What reading one installed file decided: the lines to log, in order, and
// the units, if the app gets any (from the file, else its last good copy).
struct Outcome {
    std::vector<Log::Record> log;
    std::optional<std::vector<UnitFile>> files;
};

// The decision, without writing or logging anything. With last_good_only
// (the installed file crashed the process reading it) only the last good
// copy is read. Never throws: an exception becomes a logged error.
Outcome decide(const host::InstalledFile& in, const Options& o, bool last_good_only = false);

// An Outcome as bytes, to cross the pipe from the child; nullopt when the
// bytes are not one (cut short).
std::string encode(const Outcome& r);
std::optional<Outcome> decode(std::string_view bytes);

// Every installed file, each decided in a child process, its lines logged
// and its units written into `out` (printed when dry_run or !out). Returns
// how many apps got no units.
int generate_all(const std::vector<host::InstalledFile>& files, const Options& o, GeneratorDir* out, Log& log);

}  // namespace formation::generator
