// formation-generator: a systemd generator (systemd.generator(7)). At every
// boot and daemon-reload it turns each installed formation
// (/etc/formation/APP.toml, …; see formation-generator(8)) into units in the
// directory systemd gives it. It links no sd-bus, so it cannot call the
// manager it runs inside, and it takes no lock: apply holds the app's lock
// while it asks systemd to reload, and the reload runs this. Files are read
// in a child process (generate_one.hpp), so one that crashes the reader
// costs its own app alone.
//
//   formation-generator NORMAL [EARLY LATE]
//   formation-generator --dry-run [--user]      print the units to stdout
// As formation-user-generator (or with SYSTEMD_SCOPE=user) it serves a user manager.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "app/installed.hpp"
#include "generator/generate_one.hpp"
#include "host/paths.hpp"
#include "host/store.hpp"

using namespace formation;

namespace {

struct Args {
    std::string normal_dir;
    bool dry_run = false;
    bool user = false;
};

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<Args> parse_args(int argc, char** argv) {
    Args a;
    std::string self = argc > 0 ? argv[0] : "";
    const char* scope = std::getenv("SYSTEMD_SCOPE");
    a.user = ends_with(self, "user-generator") || (scope && std::strcmp(scope, "user") == 0);
    std::vector<std::string> dirs;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--dry-run") a.dry_run = true;
        else if (arg == "--user") a.user = true;
        else if (!arg.empty() && arg[0] == '-') return std::nullopt;
        else dirs.push_back(arg);
    }
    if (a.dry_run ? !dirs.empty() : (dirs.size() != 1 && dirs.size() != 3)) return std::nullopt;
    if (!a.dry_run) a.normal_dir = dirs[0];
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse_args(argc, argv);
    // stderr for people and tests ($FORMATION_GENERATOR_LOG=stderr, a
    // terminal, a dry run); the kernel log when systemd runs it.
    const char* target = std::getenv("FORMATION_GENERATOR_LOG");
    bool to_stderr = !args || args->dry_run || isatty(STDERR_FILENO) || (target && std::strcmp(target, "stderr") == 0);
    generator::Log log = generator::Log::open(to_stderr);
    if (!args) {
        log.error("takes one or three directories, or --dry-run [--user]");
        return 1;
    }
    try {
        host::Paths paths = host::paths(args->user);
        host::Scan scan = host::scan_installed(paths);
        for (const auto& p : scan.problems) log.error(p);
        generator::Options o{args->user, args->dry_run, app::helper_path()};
        std::optional<generator::GeneratorDir> out;
        if (!args->dry_run) out.emplace(args->normal_dir);
        int failed = generator::generate_all(scan.files, o, out ? &*out : nullptr, log);
        // Any error logged (a skipped file, an app on its last good
        // formation) makes systemd note that the generator failed.
        return failed || log.errors() ? 1 : 0;
    } catch (const std::exception& e) {
        log.error(e.what());
        return 1;
    }
}
