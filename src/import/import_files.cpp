#include "import/import_files.hpp"

#include "app/error.hpp"
#include "formation/values.hpp"
#include "host/atomic_file.hpp"

namespace formation {

namespace {

namespace fs = std::filesystem;
using app::Error;
using app::exit_failed;
using app::exit_usage;

std::string read_input(const std::string& path) {
    std::optional<std::string> text;
    try {
        text = host::read_file(path);
    } catch (const std::exception& e) {
        throw Error(e.what(), exit_usage);
    }
    if (!text) throw Error(path + ": no such file", exit_usage);
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

// The app name given, checked; else one made from the directory's name.
std::optional<std::string> given_app(const ImportArgs& a, const std::string& global_app) {
    std::string given = !a.app.empty() ? a.app : global_app;
    if (given.empty()) return std::nullopt;
    if (!is_valid_app_name(given))
        throw Error("--app " + formation::quoted(given) +
                        " is not a valid app name: lowercase letters and digits, starting with a letter, "
                        "with single \"-\" between them",
                    exit_usage);
    return given;
}

std::string derived_app(const fs::path& dir) {
    auto derived = app_name_from_directory(dir.filename().string());
    if (!derived)
        throw Error("cannot make an app name from the directory name " + formation::quoted(dir.filename().string()) +
                        "; give one with --app NAME",
                    exit_usage);
    return *derived;
}

// Absolute, without "." or a trailing "/" ("./Procfile" → "/srv/shop").
fs::path procfile_dir(const std::string& procfile) {
    fs::path dir = fs::absolute(procfile).parent_path().lexically_normal();
    if (!dir.has_filename() && dir != dir.root_path()) dir = dir.parent_path();
    return dir;
}

// Nothing is written through a link, nor replaces one.
void refuse_existing(const fs::path& p, bool force) {
    std::error_code ec;
    auto st = fs::symlink_status(p, ec);
    if (fs::is_symlink(st))
        throw Error(p.string() + " is a symbolic link; import neither writes through a link nor replaces one: "
                                 "remove it, or write elsewhere",
                    exit_failed);
    if (!fs::exists(st)) return;
    if (!force) throw Error(p.string() + " exists; use --force to replace it", exit_failed);
    if (!fs::is_regular_file(st))
        throw Error(p.string() + " is not a regular file; import replaces only a regular file", exit_failed);
}

}  // namespace

ImportInput read_import(const ImportArgs& a, const std::string& global_app) {
    ImportInput in;
    in.options.dialect = *parse_dialect(a.dialect);
    in.procfile_text = read_input(a.procfile);
    in.options.env_files = env_paths(a, a.procfile);
    for (const auto& p : in.options.env_files) in.env_texts.push_back(read_input(p));

    fs::path dir = procfile_dir(a.procfile);
    auto given = given_app(a, global_app);
    in.app_from_directory = !given;
    in.options.app = given ? *given : derived_app(dir);
    in.options.procfile = a.procfile;
    in.options.working_directory = dir.string();
    if (!a.scale.empty()) in.options.scale = a.scale;
    in.output = a.output.empty() ? fs::path() : fs::absolute(a.output).lexically_normal();
    in.secrets = (a.output.empty() ? dir : in.output.parent_path()) / (in.options.app + ".env");
    in.options.secrets_path = in.secrets.string();
    return in;
}

Conversion convert_import(const ImportInput& in) {
    Conversion c;
    const ImportOptions& o = in.options;
    try {
        Procfile pf = parse_procfile(in.procfile_text, o.procfile, o.dialect);
        c.notices.push_back({pf.warnings, "warning", true});
        std::vector<EnvFile> envs;
        for (std::size_t i = 0; i < o.env_files.size(); ++i) {
            try {
                envs.push_back(parse_dotenv(in.env_texts[i], o.env_files[i], o.dialect));
            } catch (const FormationError& e) {
                c.notices.push_back({e.diagnostics(), "error", false});
                return c;
            }
            c.notices.push_back({envs.back().warnings, "warning", false});
        }
        c.result = import_formation(pf, merge_env(envs), o);
    } catch (const FormationError& e) {
        c.notices.push_back({e.diagnostics(), "error", true});
        return c;
    }
    c.notices.push_back({c.result->warnings, "warning", true});
    c.notices.push_back({c.result->notes, "note", true});
    return c;
}

void check_outputs(const ImportInput& in, const ImportResult& r, const ImportArgs& a) {
    const std::string& app = in.options.app;
    if (a.output.empty()) {
        if (r.secrets.empty()) return;
        std::string names;
        for (const auto& n : r.secret_names) names += (names.empty() ? "" : ", ") + n;
        throw Error("the env files hold secrets (" + names + "), which never go into the formation file; "
                    "use -o FILE to write them to " + app + ".env beside it, mode 0600",
                    exit_usage);
    }
    if (!r.secrets.empty() && in.secrets == in.output)
        throw Error(a.output + " is where the secrets go (" + app + ".env); write the formation elsewhere", exit_usage);
    refuse_existing(in.output, a.force);
    if (!r.secrets.empty()) refuse_existing(in.secrets, a.force);
}

void write_secrets(const ImportInput& in, const ImportResult& r, bool force) {
    host::create_file(in.secrets, r.secrets, 0600, force);
}

void write_formation(const ImportInput& in, const ImportResult& r, bool force) {
    host::create_file(in.output, r.formation, 0644, force);
}

}  // namespace formation
