// What every verb shares: the global options, loading the formation file,
// and the errors main() turns into messages and exit codes.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include "formation/error.hpp"
#include "formation/model.hpp"

namespace CLI {
class App;
}

namespace formation::cli {

// Exit codes, documented in formation(1).
enum Exit : int { exit_ok = 0, exit_failed = 1, exit_usage = 2, exit_systemd = 3 };

struct Globals {
    std::string file = "formation.toml";
    bool file_given = false;
    bool user = false;
    std::string app;       // -a before the verb; a verb's own -a wins
    bool quiet = false;    // -q: only errors
    std::string host;      // -H NAME: only this one of the formation's [hosts]
    unsigned parallel_hosts = 1;  // hosts a verb acts on at a time
};

// A failure with a message for the user and the exit code it means.
class CliError : public std::runtime_error {
public:
    CliError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

// A formation file that was refused; main() prints it with the source lines.
struct InvalidFormation {
    FormationError error;
    std::string source;
};

struct LoadedFormation {
    std::string path;
    std::string text;
    Formation formation;
};

// Reads (at most 1 MiB; "-": stdin), parses and validates everything the generator
// would (systemd's limits, reserved unit names); throws CliError
// (unreadable) or InvalidFormation.
LoadedFormation load_formation(const std::string& path);
LoadedFormation parse_loaded(const std::string& path, std::string text);

// The installed formation binary that units run as a helper (ready =
// "port"), as the generator has it compiled in; $FORMATION_HELPER
// overrides both (tests, packagers).
std::string helper_path();

// How long to wait for another formation command on the same app:
// $FORMATION_LOCK_TIMEOUT seconds, default 300.
int lock_timeout_sec();

// Each verb adds its subcommand and sets `run` when it is chosen.
using Run = std::function<int()>;
void add_check(CLI::App& root, const Globals& g, Run& run);
void add_generate(CLI::App& root, const Globals& g, Run& run);
void add_status(CLI::App& root, const Globals& g, Run& run);
void add_logs(CLI::App& root, const Globals& g, Run& run);
void add_apply(CLI::App& root, const Globals& g, Run& run);
void add_scale(CLI::App& root, const Globals& g, Run& run);
void add_start(CLI::App& root, const Globals& g, Run& run);
void add_stop(CLI::App& root, const Globals& g, Run& run);
void add_restart(CLI::App& root, const Globals& g, Run& run);
void add_destroy(CLI::App& root, const Globals& g, Run& run);
void add_wait_ready(CLI::App& root, const Globals& g, Run& run);
void add_list(CLI::App& root, const Globals& g, Run& run);
void add_import(CLI::App& root, const Globals& g, Run& run);
void add_reload(CLI::App& root, const Globals& g, Run& run);
void add_run(CLI::App& root, const Globals& g, Run& run);
void add_complete(CLI::App& root, const Globals& g, Run& run);  // hidden, for the shell completions

}  // namespace formation::cli
