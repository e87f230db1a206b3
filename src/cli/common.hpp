// What every verb shares: the global options, loading the formation file,
// and the errors main() turns into messages and exit codes.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/error.hpp"
#include "app/formation_file.hpp"
#include "app/installed.hpp"
#include "formation/error.hpp"
#include "formation/model.hpp"

namespace CLI {
class App;
}

namespace formation::cli {

// Replaces this process with `command` (the unit's main process stays this
// PID); when it cannot, says so as `who` and returns 203, systemd's own
// EXIT_EXEC. For the helpers units run: guard, on-failure-exec.
inline int exec_in_place(const char* who, const std::vector<std::string>& command) {
    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::cerr << "formation " << who << ": cannot run " << command[0] << ": " << std::strerror(errno) << std::endl;
    return 203;
}

// Exit codes (formation(1)), failures and loaded files are the app layer's.
using app::Exit;
using app::exit_ok;
using app::exit_failed;
using app::exit_usage;
using app::exit_systemd;
using CliError = app::Error;
using app::InvalidFormation;
using app::LoadedFormation;
using app::load_formation;
using app::parse_loaded;
using app::helper_path;
using app::lock_timeout_sec;

struct Globals {
    std::string file = "formation.toml";
    bool file_given = false;
    bool user = false;
    std::string app;       // -a before the verb; a verb's own -a wins
    bool quiet = false;    // -q: only errors
    std::string host;      // -H NAME: only this one of the formation's [hosts]
    unsigned parallel_hosts = 1;  // hosts a verb acts on at a time
};

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
void add_releases(CLI::App& root, const Globals& g, Run& run);
void add_rollback(CLI::App& root, const Globals& g, Run& run);
void add_health_wait(CLI::App& root, const Globals& g, Run& run);
void add_guard(CLI::App& root, const Globals& g, Run& run);
void add_on_failure(CLI::App& root, const Globals& g, Run& run);
void add_health_watch(CLI::App& root, const Globals& g, Run& run);
void add_list(CLI::App& root, const Globals& g, Run& run);
void add_metrics(CLI::App& root, const Globals& g, Run& run);
void add_top(CLI::App& root, const Globals& g, Run& run);
void add_import(CLI::App& root, const Globals& g, Run& run);
void add_reload(CLI::App& root, const Globals& g, Run& run);
void add_run(CLI::App& root, const Globals& g, Run& run);
void add_complete(CLI::App& root, const Globals& g, Run& run);  // hidden, for the shell completions
void add_calendar_check(CLI::App& root, const Globals& g, Run& run);  // hidden, for tests/cli/calendar.sh
void add_cron_check(CLI::App& root, const Globals& g, Run& run);      // hidden, for tests/cli/cron.sh

}  // namespace formation::cli
