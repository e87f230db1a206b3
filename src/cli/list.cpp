// formation list [--json]: the installed apps, their types with counts, and
// how many instances run. Read-only: no lock, no write.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include "app/context.hpp"
#include "cli/common.hpp"
#include "cli/table.hpp"
#include "json/json.hpp"
#include "compile/render.hpp"
#include "host/store.hpp"
#include "plan/plan.hpp"
#include "systemd/manager.hpp"

namespace formation::cli {

namespace {

bool running(const std::string& active) { return active == "active" || active == "reloading"; }

int run_list(const Globals& g, bool json) {
    host::Store store = app::host_store(g.user);
    host::Scan scan = host::scan_installed(store.paths());
    std::unique_ptr<systemd::Manager> m;
    std::string unreachable;
    try {
        m = systemd::connect_manager(g.user);
    } catch (const systemd::SystemdError& e) {
        unreachable = e.what();
    }
    Table table({{"APP", "app"}, {"TYPES", "types"}, {"DESIRED", "desired", true}, {"RUNNING", "running", true},
                 {"FORMATION", "formation"}, {"NOTE", "note"}});
    for (const auto& in : scan.files) {
        app::InstalledFormation f;
        std::string note;
        try {
            f = app::load_installed(store, g.user, in.app);
            if (f.on_last_good) note = "invalid file; on its last good formation";
        } catch (const InvalidFormation&) {
            note = "invalid file; no units";
        }
        std::string types;
        json::Writer types_json;
        types_json.array();
        int desired = 0;
        for (const auto& p : f.formation.processes) {
            types += (types.empty() ? "" : " ") + p.name + "=" + std::to_string(p.count);
            types_json.object().key("name").string(p.name).key("count").integer(p.count).end_object();
            desired += p.count;
        }
        types_json.end_array();
        Cell run_cell = null_cell("?");
        if (m) {
            std::uint64_t n = 0;
            for (const auto& s : m->list_unit_states({instance_glob(in.app)}))
                n += parse_instance(in.app, s.name) && running(s.active_state);
            run_cell = number_cell(n);
        }
        table.add_row({text_cell(in.app), {types, types_json.text()}, number_cell(static_cast<std::uint64_t>(desired)),
                       run_cell, text_cell(in.path.string()), note.empty() ? null_cell("") : text_cell(note)});
    }
    if (json)
        table.print_json(std::cout);
    else if (table.rows() == 0)
        std::cout << "no apps installed in " << store.paths().install_dir().string() << "\n";
    else
        table.print_text(std::cout, stdout_wants_color());
    for (const auto& p : scan.problems) std::cerr << "formation: warning: " << p << "\n";
    if (!unreachable.empty()) std::cerr << "formation: " << unreachable << "\n";
    return unreachable.empty() ? exit_ok : exit_systemd;
}

}  // namespace

void add_list(CLI::App& root, const Globals& g, Run& run) {
    auto json = std::make_shared<bool>(false);
    auto* cmd = root.add_subcommand("list", "The installed apps, their counts, and how many instances run");
    cmd->add_flag("--json", *json, "A JSON array instead of the table");
    cmd->callback([&g, &run, json] { run = [&g, json] { return run_list(g, *json); }; });
}

}  // namespace formation::cli
