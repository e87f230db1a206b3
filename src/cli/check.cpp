// formation check [--json]: validate the formation file; errors as file:line:col.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "formation/error.hpp"
#include "json/json.hpp"
#include "formation/parse.hpp"

namespace formation::cli {

namespace {

void write_diagnostics(json::Writer& w, const std::vector<Diagnostic>& ds) {
    w.array();
    for (const auto& d : ds) {
        w.object().key("file").string(d.where.file).key("line");
        if (d.where.line > 0) w.integer(d.where.line);
        else w.null();
        w.key("column");
        if (d.where.column > 0) w.integer(d.where.column);
        else w.null();
        w.key("message").string(d.message).end_object();
    }
    w.end_array();
}

// A refused file: no app, no types, every problem.
std::string refused_json(const std::string& file, const std::vector<Diagnostic>& errors) {
    json::Writer w;
    w.object().key("file").string(file).key("ok").boolean(false).key("app").null().key("types").array().end_array();
    w.key("instances").null().key("errors");
    write_diagnostics(w, errors);
    w.key("warnings").array().end_array().end_object();
    return w.text();
}

// One object on stdout whether the file is valid or not; the exit status
// is the same as without --json.
int run_check_json(const Globals& g) {
    try {
        LoadedFormation loaded = load_formation(g.file);
        const Formation& f = loaded.formation;
        json::Writer w;
        w.object().key("file").string(g.file).key("ok").boolean(true).key("app").string(f.app).key("types").array();
        int instances = 0;
        for (const auto& p : f.processes) {
            w.object().key("name").string(p.name).key("count").integer(p.count).end_object();
            instances += p.count;
        }
        w.end_array().key("instances").integer(instances).key("errors").array().end_array().key("warnings");
        write_diagnostics(w, lint_formation(f));
        w.end_object();
        std::cout << w.text() << '\n';
        return exit_ok;
    } catch (const InvalidFormation& e) {
        std::cout << refused_json(g.file, e.error.diagnostics()) << '\n';
        return exit_usage;
    } catch (const CliError& e) {  // unreadable, missing
        std::cout << refused_json(g.file, {{{g.file, 0, 0}, e.what()}}) << '\n';
        return e.code();
    }
}

int run_check(const Globals& g, bool json) {
    if (json) return run_check_json(g);
    LoadedFormation loaded = load_formation(g.file);
    if (g.quiet) return exit_ok;
    for (const auto& d : lint_formation(loaded.formation)) std::cerr << format_diagnostic(d, loaded.text, "warning");
    const Formation& f = loaded.formation;
    int instances = 0;
    for (const auto& p : f.processes) instances += p.count;
    std::cout << g.file << ": ok: app " << f.app << ", " << f.processes.size() << " process type"
              << (f.processes.size() == 1 ? "" : "s") << ", " << instances << " instance"
              << (instances == 1 ? "" : "s") << '\n';
    return exit_ok;
}

}  // namespace

void add_check(CLI::App& root, const Globals& g, Run& run) {
    auto json = std::make_shared<bool>(false);
    auto* cmd = root.add_subcommand("check", "Validate the formation file (errors as FILE:LINE:COL)");
    cmd->add_flag("--json", *json, "One JSON object with the result, errors and warnings");
    cmd->callback([&g, &run, json] { run = [&g, json] { return run_check(g, *json); }; });
}

}  // namespace formation::cli
