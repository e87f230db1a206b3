// formation list [--json]: the installed apps, their types with counts, and
// how many instances run. Read-only: no lock, no write (app/app_list.hpp).
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/app_list.hpp"
#include "cli/common.hpp"
#include "cli/table.hpp"
#include "json/json.hpp"

namespace formation::cli {

namespace {

int run_list(const Globals& g, bool json) {
    app::AppList list = app::list_apps(g.user);
    Table table({{"APP", "app"}, {"TYPES", "types"}, {"DESIRED", "desired", true}, {"RUNNING", "running", true},
                 {"FORMATION", "formation"}, {"NOTE", "note"}});
    for (const auto& a : list.apps) {
        std::string types;
        json::Writer types_json;
        types_json.array();
        for (const auto& [name, count] : a.types) {
            types += (types.empty() ? "" : " ") + name + "=" + std::to_string(count);
            types_json.object().key("name").string(name).key("count").integer(count).end_object();
        }
        types_json.end_array();
        table.add_row({text_cell(a.app), {types, types_json.text()}, number_cell(static_cast<std::uint64_t>(a.desired)),
                       a.running ? number_cell(*a.running) : null_cell("?"), text_cell(a.path),
                       a.note.empty() ? null_cell("") : text_cell(a.note)});
    }
    if (json)
        table.print_json(std::cout);
    else if (table.rows() == 0)
        std::cout << "no apps installed in " << list.install_dir << "\n";
    else
        table.print_text(std::cout, stdout_wants_color());
    for (const auto& p : list.problems) std::cerr << "formation: warning: " << p << "\n";
    if (!list.unreachable.empty()) std::cerr << "formation: " << list.unreachable << "\n";
    return list.unreachable.empty() ? exit_ok : exit_systemd;
}

}  // namespace

void add_list(CLI::App& root, const Globals& g, Run& run) {
    auto json = std::make_shared<bool>(false);
    auto* cmd = root.add_subcommand("list", "The installed apps, their counts, and how many instances run");
    cmd->add_flag("--json", *json, "A JSON array instead of the table");
    cmd->callback([&g, &run, json] { run = [&g, json] { return run_list(g, *json); }; });
}

}  // namespace formation::cli
