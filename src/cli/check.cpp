// formation check [--json]: validate the formation file; errors as file:line:col.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "cli/table.hpp"
#include "formation/parse.hpp"

namespace formation::cli {

namespace {

std::string diagnostics_json(const std::vector<Diagnostic>& ds) {
    std::string out = "[";
    for (const auto& d : ds) {
        if (out.size() > 1) out += ',';
        out += "{\"file\":" + json_quote(d.where.file) + ",\"line\":" +
               (d.where.line > 0 ? std::to_string(d.where.line) : "null") + ",\"column\":" +
               (d.where.column > 0 ? std::to_string(d.where.column) : "null") +
               ",\"message\":" + json_quote(d.message) + "}";
    }
    return out + "]";
}

// One object on stdout whether the file is valid or not; the exit status
// is the same as without --json.
int run_check_json(const Globals& g) {
    std::string out = "{\"file\":" + json_quote(g.file);
    try {
        LoadedFormation loaded = load_formation(g.file);
        const Formation& f = loaded.formation;
        std::string types = "[";
        int instances = 0;
        for (const auto& p : f.processes) {
            if (types.size() > 1) types += ',';
            types += "{\"name\":" + json_quote(p.name) + ",\"count\":" + std::to_string(p.count) + "}";
            instances += p.count;
        }
        out += ",\"ok\":true,\"app\":" + json_quote(f.app) + ",\"types\":" + types + "],\"instances\":" +
               std::to_string(instances) + ",\"errors\":[],\"warnings\":" +
               diagnostics_json(lint_formation(f)) + "}";
        std::cout << out << '\n';
        return exit_ok;
    } catch (const InvalidFormation& e) {
        out += ",\"ok\":false,\"app\":null,\"types\":[],\"instances\":null,\"errors\":" +
               diagnostics_json(e.error.diagnostics()) + ",\"warnings\":[]}";
        std::cout << out << '\n';
        return exit_usage;
    } catch (const CliError& e) {  // unreadable, missing
        out += ",\"ok\":false,\"app\":null,\"types\":[],\"instances\":null,\"errors\":" +
               diagnostics_json({{{g.file, 0, 0}, e.what()}}) + ",\"warnings\":[]}";
        std::cout << out << '\n';
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
