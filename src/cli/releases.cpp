// formation releases [-a APP] [--json]: the app's release history on this
// host, oldest first (host/releases.hpp). Read-only: no lock, no write.
#include <CLI/CLI.hpp>
#include <time.h>

#include <iostream>

#include "cli/common.hpp"
#include "cli/scope.hpp"
#include "cli/table.hpp"
#include "host/releases.hpp"

namespace formation::cli {

namespace {

struct ReleasesOptions {
    std::string app;
    bool json = false;
};

// "2026-12-03 10:04:05" local time.
std::string local_time(std::uint64_t usec) {
    time_t t = static_cast<time_t>(usec / 1000000);
    tm parts{};
    localtime_r(&t, &parts);
    char out[32];
    strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &parts);
    return out;
}

int run_releases(const Globals& g, const ReleasesOptions& o) {
    std::string app = resolve_app(g, o.app);
    auto kept = host::list_releases(host::paths(g.user), app);
    Table table({{"RELEASE", "number", true}, {"TIME", "time_usec"}, {"WHO", "who"}, {"DIGEST", "digest"},
                 {"CHANGES", "summary"}});
    for (const auto& r : kept)
        table.add_row({number_cell(r.number), number_cell(r.time_usec, local_time(r.time_usec)), text_cell(r.who),
                       text_cell(r.digest), text_cell(r.summary)});
    if (o.json) table.print_json(std::cout);
    else if (kept.empty()) std::cout << "no releases of " << app << " recorded on this host\n";
    else table.print_text(std::cout, stdout_wants_color());
    return exit_ok;
}

}  // namespace

void add_releases(CLI::App& root, const Globals& g, Run& run) {
    auto o = std::make_shared<ReleasesOptions>();
    auto* cmd = root.add_subcommand("releases", "The app's releases on this host (each successful apply), oldest first");
    cmd->add_option("-a,--app", o->app, "An installed app (no formation file needed)");
    cmd->add_flag("--json", o->json, "A JSON array instead of the table");
    cmd->callback([&g, &run, o] { run = [&g, o] { return run_releases(g, *o); }; });
}

}  // namespace formation::cli
