// formation import PROCFILE: a Procfile and its .env files → formation.toml
// (and APP.env for the secrets), doing what `foreman start` does. Reading,
// converting and writing: import/import_files.hpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "import/import_files.hpp"

namespace formation::cli {

namespace {

// format_diagnostic() escapes what it shows (terminal_safe): a Procfile
// from a checkout may hold ESC or BEL. Only the Procfile's lines are shown.
void print(const ImportNotice& n, const ImportInput& in) {
    for (const auto& d : n.diagnostics) {
        bool shown = n.procfile_source && d.where.file == in.options.procfile;
        std::cerr << format_diagnostic(d, shown ? std::string_view(in.procfile_text) : std::string_view(), n.severity);
    }
}

int run_import(const Globals& g, const ImportArgs& a) {
    ImportInput in = read_import(a, g.app);
    if (in.app_from_directory && !g.quiet)
        std::cerr << "formation: app " << in.options.app << " (from the directory name; --app NAME to choose another)\n";
    Conversion c = convert_import(in);
    for (const auto& n : c.notices)
        if (n.severity == "error" || !g.quiet) print(n, in);
    if (!c.result) return exit_usage;
    const ImportResult& r = *c.result;
    check_outputs(in, r, a);
    if (a.output.empty()) {
        std::cout << r.formation;
        return exit_ok;
    }
    if (!r.secrets.empty()) {
        write_secrets(in, r, a.force);
        std::cout << "wrote " << in.secrets.string() << " (mode 0600): " << r.secret_names.size() << " secret"
                  << (r.secret_names.size() == 1 ? "" : "s") << '\n';
    }
    write_formation(in, r, a.force);
    std::cout << "wrote " << a.output << ": app " << in.options.app << '\n';
    return exit_ok;
}

}  // namespace

void add_import(CLI::App& root, const Globals& g, Run& run) {
    auto a = std::make_shared<ImportArgs>();
    auto* cmd = root.add_subcommand("import", "Turn a Procfile and .env files into a formation file");
    cmd->add_option("procfile", a->procfile, "The Procfile")->required();
    cmd->add_option("-e,--env", a->env, "An env file (repeatable, or FILE,FILE; default: .env beside the Procfile)");
    cmd->add_option("-m,--formation", a->scale, "Counts as foreman takes them: web=2,worker=1 or all=2");
    cmd->add_option("-o,--output", a->output, "Write the formation here (default: stdout)");
    cmd->add_option("--dialect", a->dialect, "Read the files as foreman (default) or honcho does")
        ->check(CLI::IsMember({"foreman", "honcho"}));
    cmd->add_option("-a,--app", a->app, "The app name (default: from the Procfile's directory)");
    cmd->add_flag("--force", a->force, "Replace existing output files");
    cmd->callback([&g, &run, a] { run = [&g, a] { return run_import(g, *a); }; });
}

}  // namespace formation::cli
