// Procfile + .env → formation.toml with what `foreman start` would do:
// foreman's -m counts, its port numbering, its working directory, and the
// .env variables, the secret ones moved to an env file of their own.
#include "import/import.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "compile/render.hpp"
#include "formation/parse.hpp"
#include "formation/secrets.hpp"
#include "formation/values.hpp"
#include "import/cron.hpp"
#include "import/import_text.hpp"
#include "import/servers.hpp"
#include "text/utf8.hpp"

namespace formation {

namespace {

constexpr int default_base_port = 5000;  // foreman's and honcho's
constexpr int port_step = 100;           // per process type, in Procfile order
constexpr int max_count = 1000;          // formation's limit on count

struct TypePlan {
    const ProcfileEntry* entry = nullptr;
    std::string name;  // formation's type name
    int count = 1;
    std::optional<int> port;
    bool release = false;
    std::optional<CronLine> cron;  // piku's `cronN: MIN HOUR DOM MON DOW command`: a scheduled type
};

// piku runs a Procfile entry whose name starts with "cron" on the schedule
// its line begins with. A line that does not begin like a schedule (a
// number, "*" or "@") is an ordinary process, as piku would run it.
bool looks_like_cron(const ProcfileEntry& e) {
    if (!e.name.starts_with("cron")) return false;
    const auto at = e.command.find_first_not_of(" \t");
    if (at == std::string::npos) return false;
    const char c = e.command[at];
    return (c >= '0' && c <= '9') || c == '*' || c == '@';
}

// Comments must stay one valid UTF-8 line whatever a path holds.
std::string comment_text(std::string_view s) {
    std::string out;
    bool utf8 = utf8::is_valid(s);
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f || (!utf8 && u >= 0x80)) ? '?' : c;
    }
    return out;
}

std::vector<TypePlan> name_types(const Procfile& pf, const std::string& file, std::vector<Diagnostic>& errors,
                                 std::vector<Diagnostic>& notes) {
    std::vector<TypePlan> out;
    std::map<std::string, const ProcfileEntry*> taken;
    for (const auto& e : pf.entries) {
        SourcePos where{file, e.line, 1};
        std::string name = e.name;
        for (char& c : name) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c == '-') c = '_';
        }
        if (!is_valid_type_name(name)) {
            errors.push_back({where, "process type " + quoted(e.name) + " cannot be a formation type: names start "
                                     "with a letter and have at most 64 characters; rename it in the Procfile"});
            continue;
        }
        if (auto it = taken.find(name); it != taken.end()) {
            errors.push_back({where, "process types " + quoted(it->second->name) + " (line " +
                                         std::to_string(it->second->line) + ") and " + quoted(e.name) +
                                         " would both be " + quoted(name) + " in formation; rename one"});
            continue;
        }
        taken.emplace(name, &e);
        if (name != e.name)
            notes.push_back({where, "process type " + quoted(e.name) + " is " + name +
                                        " in formation (type names are lowercase letters, digits and \"_\")"});
        TypePlan t;
        t.entry = &e;
        t.name = name;
        // Heroku runs `release` once per deploy, before the new release
        // starts; as a service it would rerun on every restart.
        t.release = e.name == "release";
        if (looks_like_cron(e)) {
            try {
                t.cron = parse_cron_line(e.command);
            } catch (const std::invalid_argument& x) {
                errors.push_back({where, "process type " + quoted(e.name) + " is a piku cron entry, but: " + x.what()});
                continue;
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::optional<int> parse_count(std::string_view s) {
    if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    int n = std::stoi(std::string(s));
    return n <= max_count ? std::optional<int>(n) : std::nullopt;
}

// foreman's -m: "all=N" sets every type not named, and once -m is given a
// type it does not name gets 0 (Engine#parse_formation's Hash.new(0));
// honcho's -c leaves unnamed types at 1. Unlike both, an unknown name is
// an error rather than ignored, as it is most likely a typo.
void apply_scale(std::vector<TypePlan>& types, const std::optional<std::string>& scale, Dialect dialect,
                 std::vector<Diagnostic>& errors) {
    if (!scale) return;
    SourcePos where{"-m", 0, 0};
    std::string spec;
    for (char c : *scale)
        if (!import_text::is_space(c)) spec += c;
    std::optional<int> all;
    std::map<const TypePlan*, int> named;
    std::size_t start = 0;
    while (start <= spec.size()) {
        std::size_t comma = spec.find(',', start);
        std::size_t len = comma == std::string::npos ? std::string::npos : comma - start;
        std::string_view piece = std::string_view(spec).substr(start, len);
        start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
        std::size_t eq = piece.find('=');
        auto n = eq == std::string_view::npos ? std::nullopt : parse_count(piece.substr(eq + 1));
        if (!n || eq == 0) {
            errors.push_back({where, quoted(piece) + " is not TYPE=N (N from 0 to 1000), as in -m web=2,worker=1"});
            continue;
        }
        std::string_view name = piece.substr(0, eq);
        if (name == "all") {
            all = *n;
            continue;
        }
        auto it = std::find_if(types.begin(), types.end(),
                               [&](const TypePlan& t) { return t.entry->name == name || t.name == name; });
        if (it == types.end()) {
            std::string known;
            for (const auto& t : types) known += (known.empty() ? "" : ", ") + t.entry->name;
            errors.push_back({where, "no process type " + quoted(name) + " in the Procfile (it has " + known + ")"});
            continue;
        }
        named[&*it] = *n;
    }
    int fallback = all.value_or(dialect == Dialect::foreman ? 0 : 1);
    for (auto& t : types) {
        auto it = named.find(&t);
        t.count = it != named.end() ? it->second : fallback;
    }
}

// PORT from the .env files is the base, as foreman's Engine#base_port and
// honcho's expand_processes take it; it then leaves the env, since each
// instance gets its own.
int base_port(std::vector<EnvEntry>& env, std::vector<Diagnostic>& errors) {
    auto it = std::find_if(env.begin(), env.end(), [](const EnvEntry& e) { return e.name == "PORT"; });
    if (it == env.end()) return default_base_port;
    EnvEntry port = *it;
    env.erase(it);
    const std::string& v = port.value;
    bool digits = !v.empty() && v.size() <= 5 &&
                  std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    int value = digits ? std::stoi(v) : 0;
    if (value < 1 || value > 65535) {
        errors.push_back({port.where, "PORT must be a port number from 1 to 65535: the first process's port"});
        return default_base_port;
    }
    return value;
}

void assign_ports(std::vector<TypePlan>& types, int base, std::vector<Diagnostic>& errors) {
    for (std::size_t k = 0; k < types.size(); ++k) {
        if (types[k].release || types[k].cron) continue;  // runs no instance, so needs no port
        int port = base + port_step * static_cast<int>(k);
        int last = port + std::max(types[k].count, 1) - 1;
        if (last > 65535) {
            errors.push_back({{"-m", 0, 0}, "process type " + types[k].entry->name + " would get ports up to " +
                                                 std::to_string(last) + ", past 65535 (base PORT " +
                                                 std::to_string(base) + " + 100 per type)"});
            continue;
        }
        types[k].port = port;
    }
    // More than 100 instances of a type reach into the next type's ports;
    // foreman hands out the same port twice, formation refuses the file.
    for (std::size_t a = 0; a < types.size(); ++a) {
        for (std::size_t b = a + 1; b < types.size(); ++b) {
            const auto& x = types[a];
            const auto& y = types[b];
            if (!x.port || !y.port || x.count == 0 || y.count == 0) continue;
            if (*x.port + x.count - 1 >= *y.port && *y.port + y.count - 1 >= *x.port)
                errors.push_back({{"-m", 0, 0}, x.entry->name + "=" + std::to_string(x.count) +
                                                    " gives it ports that overlap those of " + y.entry->name +
                                                    " (each type gets 100 ports from its base)"});
        }
    }
}

}  // namespace

namespace {

struct Rendering {
    const ImportOptions& o;
    const std::vector<TypePlan>& types;
    const std::vector<EnvEntry>& plain;
    const std::vector<std::string>& secret_names;
    int base;
};

// "Procfile, a.env and b.env", for comments.
std::string sources(std::vector<std::string> files) {
    std::string s;
    for (std::size_t i = 0; i < files.size(); ++i)
        s += (i == 0 ? "" : i + 1 == files.size() ? " and " : ", ") + comment_text(files[i]);
    return s;
}

std::string render(const Rendering& r) {
    const ImportOptions& o = r.o;
    std::string t;
    std::vector<std::string> read = {o.procfile};
    read.insert(read.end(), o.env_files.begin(), o.env_files.end());
    t += "# Imported by `formation import` from " + sources(read) + ",\n";
    t += "# read as " + std::string(dialect_name(o.dialect)) +
         " reads them. Review, then `formation check` and `formation apply`.\n";
    t += "# Under systemd the processes run as root unless you set user (and group), e.g.\n";
    t += "# user = \"" + o.app + "\"\n";
    t += "app = \"" + o.app + "\"\n";
    t += o.dialect == Dialect::foreman
             ? "# foreman tells each process its name in PS (web.1), as formation does in FORMATION_INSTANCE.\n"
               "instance_env = [\"PS\"]\n"
             : "# honcho tells each process its name in HONCHO_PROCESS_NAME (web.1), as formation does in\n"
               "# FORMATION_INSTANCE.\ninstance_env = [\"HONCHO_PROCESS_NAME\"]\n";
    t += "# As with foreman, the processes run in the Procfile's directory.\n";
    t += "working_directory = " + toml_string(o.working_directory) + "\n";
    for (const auto& tp : r.types)
        if (tp.release) {
            t += "# Heroku's release phase (the Procfile's " + quoted(tp.entry->name) + "): run once per deploy, before any\n"
                 "# instance restarts; a failure stops the deploy with nothing changed.\n";
            t += "release = " + toml_string(tp.entry->command) + "\n";
        }
    if (!r.secret_names.empty()) {
        std::string names;
        for (const auto& n : r.secret_names) names += (names.empty() ? "" : ", ") + n;
        t += "# Secrets, kept out of this file and of the units (mode 0600): " + names + "\n";
        t += "env_files = [" + toml_string(o.secrets_path) + "]\n";
    }
    if (!r.plain.empty()) {
        t += "\n[env]\n";
        for (const auto& e : r.plain) t += e.name + " = " + toml_string(e.value) + "\n";
    }
    t += "\n# Ports as foreman and honcho number them: from " + std::to_string(r.base) +
         " (PORT in the env files, else 5000),\n"
         "# 100 more for each type in Procfile order; instance i gets port + i - 1.\n";
    for (const auto& tp : r.types) {
        if (tp.release) continue;  // the top-level release above
        t += "\n";
        if (tp.name != tp.entry->name) t += "# " + quoted(tp.entry->name) + " in the Procfile.\n";
        t += "[process." + tp.name + "]\n";
        if (tp.cron) {
            t += "# piku's cron entry " + quoted(comment_text(tp.entry->command)) + ": a scheduled type, run by a timer.\n";
            t += "command = " + toml_string(tp.cron->command) + "\n";
            t += "schedule = " + toml_string(tp.cron->calendar) + "\n";
            continue;
        }
        // Heroku routes HTTP to the web type only: the hint goes there.
        if (auto hint = socket_hint(tp.entry->command); hint && tp.entry->name == "web")
            for (const auto& line : hint->comment) t += "# " + comment_text(line) + "\n";
        t += "command = " + toml_string(tp.entry->command) + "\n";
        t += "count = " + std::to_string(tp.count) + "\n";
        if (tp.port) t += "port = " + std::to_string(*tp.port) + "\n";
    }
    return t;
}

std::string render_secrets(const ImportOptions& o, const std::vector<EnvEntry>& secret) {
    std::string s =
        "# Secrets of app " + o.app + ", imported by `formation import` from " + sources(o.env_files) + ".\n";
    s += "# systemd reads this file (EnvironmentFile=) when an instance starts. Keep it mode 0600.\n";
    for (const auto& e : secret) s += env_file_line(e.name, e.value);
    return s;
}

}  // namespace

ImportResult import_formation(const Procfile& procfile, const std::vector<EnvEntry>& env_in,
                              const ImportOptions& o) {
    ImportResult out;
    std::vector<Diagnostic> errors;
    std::vector<TypePlan> types = name_types(procfile, o.procfile, errors, out.notes);
    apply_scale(types, o.scale, o.dialect, errors);
    std::vector<EnvEntry> env = env_in;
    int base = base_port(env, errors);
    assign_ports(types, base, errors);
    if (!errors.empty()) throw FormationError(std::move(errors));

    for (const auto& tp : types) {
        for (auto& w : shell_warnings(*tp.entry, o.procfile)) out.warnings.push_back(std::move(w));
        if (tp.cron)
            out.notes.push_back({{o.procfile, tp.entry->line, 1},
                                 tp.entry->name + " is a piku cron entry: imported as a scheduled type (schedule = " +
                                     quoted(tp.cron->calendar) + "), run by a timer, one run at a time"});
        if (tp.release)
            out.notes.push_back({{o.procfile, tp.entry->line, 1},
                                 "release is Heroku's release phase: imported as the top-level release, which "
                                 "`formation apply` runs once per deploy before any instance restarts"});
    }
    std::vector<EnvEntry> plain;
    std::vector<EnvEntry> secret;
    for (auto& e : env) (looks_secret(e.name, e.value) ? secret : plain).push_back(std::move(e));
    for (const auto& e : secret) out.secret_names.push_back(e.name);
    std::sort(out.secret_names.begin(), out.secret_names.end());

    out.formation = render({o, types, plain, out.secret_names, base});
    if (!secret.empty()) out.secrets = render_secrets(o, secret);
    // The promise of import is a file `formation check` accepts, checked as
    // check does (parse, then what the generator refuses): a path formation
    // cannot take (not UTF-8, ending in a space, …) or an app name that
    // would make one of systemd's own units ("default", "network") is
    // reported here, before anything is written.
    std::vector<Diagnostic> invalid;
    try {
        invalid = validation_errors(parse_formation(out.formation, "formation.toml"));
    } catch (const FormationError& e) {
        invalid = e.diagnostics();
    }
    if (!invalid.empty()) {
        std::vector<Diagnostic> ds;
        for (const auto& d : invalid)
            ds.push_back({SourcePos{o.procfile, 0, 0}, "the imported formation would not pass `formation check`: " +
                                                           d.message});
        throw FormationError(std::move(ds));
    }
    return out;
}

}  // namespace formation
