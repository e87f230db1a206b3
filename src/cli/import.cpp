// formation import PROCFILE: a Procfile and its .env files → formation.toml
// (and APP.env for the secrets), doing what `foreman start` does.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <map>

#include "cli/common.hpp"
#include "import/import.hpp"
#include "formation/values.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

namespace {

namespace fs = std::filesystem;

struct ImportArgs {
    std::string procfile;
    std::vector<std::string> env;
    std::string scale;
    std::string output;
    std::string dialect = "foreman";
    std::string app;
    bool force = false;
};

// The Procfile, by the name positions use, to show an offending line. The
// lines of env files are never shown: they may hold secrets, so their
// diagnostics name the variable and the line instead.
using Sources = std::map<std::string, std::string>;

// format_diagnostic() escapes what it shows (terminal_safe): a Procfile
// from a checkout may hold ESC or BEL.
void print(const std::vector<Diagnostic>& ds, const Sources& src, std::string_view severity) {
    for (const auto& d : ds) {
        auto it = src.find(d.where.file);
        std::cerr << format_diagnostic(d, it != src.end() ? std::string_view(it->second) : std::string_view(),
                                       severity);
    }
}

std::string read_input(const std::string& path) {
    std::optional<std::string> text;
    try {
        text = host::read_file(path);
    } catch (const std::exception& e) {
        throw CliError(e.what(), exit_usage);
    }
    if (!text) throw CliError(path + ": no such file", exit_usage);
    return std::move(*text);
}

// -e a.env,b.env as foreman and honcho take it, or repeated; without -e,
// the .env beside the Procfile when there is one, as both do.
std::vector<std::string> env_paths(const ImportArgs& a, const fs::path& procfile) {
    std::vector<std::string> out;
    for (const auto& arg : a.env) {
        std::size_t start = 0;
        while (start <= arg.size()) {
            std::size_t comma = arg.find(',', start);
            std::string p = arg.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!p.empty()) out.push_back(p);
            start = comma == std::string::npos ? arg.size() + 1 : comma + 1;
        }
    }
    if (a.env.empty()) {
        fs::path dflt = procfile.parent_path() / ".env";
        std::error_code ec;
        if (fs::is_regular_file(dflt, ec)) out.push_back(dflt.string());
    }
    return out;
}

std::string choose_app(const ImportArgs& a, const Globals& g, const fs::path& dir) {
    std::string given = !a.app.empty() ? a.app : g.app;
    if (!given.empty()) {
        if (!is_valid_app_name(given))
            throw CliError("--app " + formation::quoted(given) +
                               " is not a valid app name: lowercase letters and digits, starting with a letter, "
                               "with single \"-\" between them",
                           exit_usage);
        return given;
    }
    auto derived = app_name_from_directory(dir.filename().string());
    if (!derived)
        throw CliError("cannot make an app name from the directory name " + formation::quoted(dir.filename().string()) +
                           "; give one with --app NAME",
                       exit_usage);
    if (!g.quiet)
        std::cerr << "formation: app " << *derived << " (from the directory name; --app NAME to choose another)\n";
    return *derived;
}

// Absolute, without "." or a trailing "/" ("./Procfile" → "/srv/shop").
fs::path procfile_dir(const std::string& procfile) {
    fs::path dir = fs::absolute(procfile).parent_path().lexically_normal();
    if (!dir.has_filename() && dir != dir.root_path()) dir = dir.parent_path();
    return dir;
}

// Checked for both files before either is written; create_file checks
// again as it puts each in place. Nothing is written through a link, nor
// replaces one.
void refuse_existing(const fs::path& p, bool force) {
    std::error_code ec;
    auto st = fs::symlink_status(p, ec);
    if (fs::is_symlink(st))
        throw CliError(p.string() + " is a symbolic link; import neither writes through a link nor replaces one: "
                                    "remove it, or write elsewhere",
                       exit_failed);
    if (!fs::exists(st)) return;
    if (!force) throw CliError(p.string() + " exists; use --force to replace it", exit_failed);
    if (!fs::is_regular_file(st))
        throw CliError(p.string() + " is not a regular file; import replaces only a regular file", exit_failed);
}

int run_import(const Globals& g, const ImportArgs& a) {
    Dialect dialect = *parse_dialect(a.dialect);
    Sources src;
    const std::string procfile_text = src[a.procfile] = read_input(a.procfile);
    std::vector<std::string> env_names = env_paths(a, a.procfile);
    std::vector<std::string> env_texts;
    for (const auto& p : env_names) env_texts.push_back(read_input(p));

    fs::path dir = procfile_dir(a.procfile);
    ImportOptions o;
    o.dialect = dialect;
    o.app = choose_app(a, g, dir);
    o.procfile = a.procfile;
    o.env_files = env_names;
    o.working_directory = dir.string();
    if (!a.scale.empty()) o.scale = a.scale;
    fs::path out = a.output.empty() ? fs::path() : fs::absolute(a.output).lexically_normal();
    fs::path secrets = (a.output.empty() ? dir : out.parent_path()) / (o.app + ".env");
    o.secrets_path = secrets.string();

    ImportResult r;
    try {
        Procfile pf = parse_procfile(procfile_text, a.procfile, dialect);
        if (!g.quiet) print(pf.warnings, src, "warning");
        std::vector<EnvFile> envs;
        for (std::size_t i = 0; i < env_names.size(); ++i) {
            try {
                envs.push_back(parse_dotenv(env_texts[i], env_names[i], dialect));
            } catch (const FormationError& e) {
                print(e.diagnostics(), {}, "error");
                return exit_usage;
            }
            if (!g.quiet) print(envs.back().warnings, {}, "warning");
        }
        r = import_formation(pf, merge_env(envs), o);
    } catch (const FormationError& e) {
        print(e.diagnostics(), src, "error");
        return exit_usage;
    }
    if (!g.quiet) print(r.warnings, src, "warning");
    if (!g.quiet) print(r.notes, src, "note");

    if (a.output.empty()) {
        if (!r.secrets.empty()) {
            std::string names;
            for (const auto& n : r.secret_names) names += (names.empty() ? "" : ", ") + n;
            throw CliError("the env files hold secrets (" + names + "), which never go into the formation file; "
                           "use -o FILE to write them to " + o.app + ".env beside it, mode 0600",
                           exit_usage);
        }
        std::cout << r.formation;
        return exit_ok;
    }
    if (!r.secrets.empty() && secrets == out)
        throw CliError(a.output + " is where the secrets go (" + o.app + ".env); write the formation elsewhere",
                       exit_usage);
    refuse_existing(out, a.force);
    if (!r.secrets.empty()) refuse_existing(secrets, a.force);
    // The secrets first: a formation file never names an env file that is missing.
    if (!r.secrets.empty()) {
        host::create_file(secrets, r.secrets, 0600, a.force);
        std::cout << "wrote " << secrets.string() << " (mode 0600): " << r.secret_names.size() << " secret"
                  << (r.secret_names.size() == 1 ? "" : "s") << '\n';
    }
    host::create_file(out, r.formation, 0644, a.force);
    std::cout << "wrote " << a.output << ": app " << o.app << '\n';
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
