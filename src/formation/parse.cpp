// formation.toml → Formation: the top level, [defaults], the process table
// and the checks across process types. Per-process keys: parse_process.cpp.
#include "formation/parse.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "formation/nesting.hpp"
#include "formation/parse_internal.hpp"
#include "formation/secrets.hpp"
#include "formation/values.hpp"

namespace formation {

using namespace detail;

namespace {

constexpr std::size_t max_process_types = 1000;
constexpr long max_total_instances = 10000;
constexpr std::size_t max_reported = 100;

void read_app(Context& c, const toml::node& n, Formation& f) {
    f.app_where = c.pos(n.source());
    auto s = read_string(c, n, "app");
    if (!s) return;
    if (!is_valid_app_name(*s)) {
        c.error(n, "app " + quoted(*s) +
                       " is not a valid name: use lowercase letters and digits, with single \"-\" between "
                       "them, starting with a letter, at most 64 characters");
        return;
    }
    f.app = *s;
}

// Description= is copied verbatim, with "%" doubled; systemd refuses a unit
// line of 1 MiB or more, and a description is a sentence, not a document.
constexpr std::size_t max_description = 1024;

void read_description(Context& c, const toml::node& n, Formation& f) {
    auto s = read_string(c, n, "description");
    if (!s) return;
    if (has_control_chars(*s))
        c.error(n, "description must not contain control characters such as newlines");
    else if (s->size() > max_description)
        c.error(n, "description is " + std::to_string(s->size()) + " bytes long; at most " +
                       std::to_string(max_description));
    else if (!s->empty() && s->back() == '\\')
        c.error(n, "description must not end with a backslash, which systemd reads as a line continuation");
    else
        f.description = *s;
}

// Top-level memory_max/cpu_quota limit the whole app (its slice); the same
// keys in [defaults] or [process.NAME] limit each instance.
void read_app_limit(Context& c, const toml::key& k, const toml::node& v, Formation& f) {
    Draft d;
    apply_setting(c, k, v, Scope::process, d);
    if (k.str() == "memory_max") f.memory_max = d.pt.memory_max;
    else f.cpu_quota = d.pt.cpu_quota;
}

void read_defaults(Context& c, const toml::table& t, Draft& base) {
    for (const auto& [k, v] : t) {
        if (k.str() == "command" || k.str() == "port") {
            c.error(k, std::string(k.str()) + " cannot be set in [defaults]; set it in each [process.NAME]");
        } else if (k.str() == "on_failure") {
            c.error(k, "on_failure cannot be set in [defaults]; set it at the top level (every type) or in a "
                       "[process.NAME]");
        } else if (!apply_setting(c, k, v, Scope::defaults, base)) {
            unknown_key(c, k, "in [defaults]", setting_names(Scope::defaults));
        }
    }
}

bool check_type_name(Context& c, const toml::key& k) {
    if (is_valid_type_name(k.str())) return true;
    std::string msg = "process type " + quoted(k.str()) +
                      " is not a valid name: use lowercase letters, digits and \"_\", starting with a letter";
    if (k.str().size() > 64) msg += ", at most 64 characters";
    if (k.str().find('-') != std::string_view::npos)
        msg += " (no \"-\": units are named APP-TYPE@N.service, and a dash-free TYPE keeps apps such as "
               "\"api\" and \"api-gateway\" from ever sharing a unit name)";
    c.error(k, std::move(msg));
    return false;
}

// release = "bin/rails db:migrate" (or an argv array): the command, read as
// a type's; its context is the app level and [defaults] (base).
void read_release(Context& c, const toml::node& n, const Draft& base, Formation& f) {
    Draft d = base;
    d.pt.name = "release";
    d.pt.where = c.pos(n.source());
    d.pt.count = 0;
    const std::size_t before = c.diagnostics.size();
    command_setting(c, n, d);
    // Its messages speak of "command": this one is release.
    for (std::size_t i = before; i < c.diagnostics.size(); ++i) {
        std::string& m = c.diagnostics[i].message;
        if (m.starts_with("command")) m.replace(0, 7, "release");
    }
    if (c.diagnostics.size() != before) return;
    for (auto& [name, entry] : d.env) {
        d.pt.env.emplace_back(name, entry.value);
        d.pt.env_where.emplace_back(name, entry.where);
    }
    f.release = std::move(d.pt);
}

void read_release_timeout(Context& c, const toml::node& n, Formation& f) {
    auto v = read_duration(c, n, "release_timeout");
    if (!v) return;
    if (*v < usec_per_sec || *v > 24 * 3600 * usec_per_sec) {
        c.error(n, "release_timeout must be between 1s and 24h (got " + describe(n) + ")");
        return;
    }
    f.release_timeout_usec = *v;
}

void read_processes(Context& c, const toml::node& n, const Draft& base, Formation& f) {
    const auto* t = n.as_table();
    if (!t) {
        c.error(n, "process must be a table of process types, e.g. [process.web] (got " + describe(n) + ")");
        return;
    }
    if (t->empty()) c.error(n, "[process] has no process types; add e.g. [process.web] with a command");
    std::size_t seen = 0;
    for (const auto& [k, v] : *t) {
        if (++seen > max_process_types) {
            // The whole file's fault, not one line's: no position, so it
            // comes first and is never cut from a long list of errors.
            c.error(SourcePos{c.path, 0, 0}, "too many process types: " + std::to_string(t->size()) + ", at most " +
                           std::to_string(max_process_types));
            break;  // the rest would only cost time and repeat errors
        }
        if (!check_type_name(c, k)) continue;
        const std::string label = "[process." + std::string(k.str()) + "]";
        const auto* pt = v.as_table();
        if (!pt) {
            c.error(v, label + " must be a table (got " + describe(v) + ")");
            continue;
        }
        Draft d = base;
        d.pt.name = std::string(k.str());
        d.pt.where = c.pos(v.source());
        for (const auto& [pk, pv] : *pt) {
            if (apply_setting(c, pk, pv, Scope::process, d)) continue;
            auto guess = unknown_key(c, pk, "in " + label, setting_names(Scope::process));
            // A misspelt command was reported already; "has no command" would be noise.
            if (guess == "command") d.pt.command_where = c.pos(pk.source());
        }
        finish_process(c, *pt, d);
        f.processes.push_back(std::move(d.pt));
    }
}

bool before(const SourcePos& a, const SourcePos& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

// Two types' port ranges must not overlap; blame the one written later.
// Sorted by first port, each range is compared with the one reaching
// furthest among those before it: n log n, one error per overlapping type.
void check_port_overlap(Context& c, const Formation& f) {
    std::vector<const ProcessType*> ranged;
    for (const auto& p : f.processes)
        if (p.port && p.count > 0) ranged.push_back(&p);
    auto last = [](const ProcessType* p) { return last_port(*p); };
    auto ports = [&](const ProcessType* p) {  // "ports 5000-5002", "port 5000"
        return *p->port == last(p) ? "port " + std::to_string(*p->port)
                                   : "ports " + std::to_string(*p->port) + "-" + std::to_string(last(p));
    };
    std::sort(ranged.begin(), ranged.end(), [&](const ProcessType* a, const ProcessType* b) {
        return std::tie(*a->port, a->name) < std::tie(*b->port, b->name);
    });
    const ProcessType* furthest = nullptr;
    for (const ProcessType* p : ranged) {
        if (furthest && *p->port <= last(furthest)) {
            const ProcessType* a = furthest;
            const ProcessType* b = p;
            if (before(b->port_where, a->port_where)) std::swap(a, b);
            c.error(b->port_where, ports(b) + " of [process." + b->name + "] " +
                                       (*b->port == last(b) ? "overlaps " : "overlap ") + ports(a) + " of [process." +
                                       a->name + "]");
        }
        if (!furthest || last(p) > last(furthest)) furthest = p;
    }
}

// after = [...] names other process types of the file, without cycles
// (systemd would break a cycle by dropping a start job at random).
void check_after(Context& c, const Formation& f) {
    std::map<std::string, const ProcessType*> by_name;
    for (const auto& p : f.processes) by_name[p.name] = &p;
    for (const auto& p : f.processes) {
        for (const auto& name : p.after) {
            if (name == p.name) c.error(p.after_where, "[process." + p.name + "] cannot start after itself");
            else if (!by_name.count(name))
                c.error(p.after_where, "after: [process." + p.name + "] names \"" + name +
                                           "\", which is not a process type of this file");
        }
    }
    // Depth-first search; 0 unvisited, 1 on the stack, 2 done.
    std::map<std::string, int> mark;
    std::vector<std::string> stack;
    std::function<bool(const ProcessType&)> visit = [&](const ProcessType& p) {
        mark[p.name] = 1;
        stack.push_back(p.name);
        for (const auto& name : p.after) {
            auto it = by_name.find(name);
            if (it == by_name.end() || name == p.name) continue;
            if (mark[name] == 1) {
                std::string cycle;
                auto from = std::find(stack.begin(), stack.end(), name);
                for (auto i = from; i != stack.end(); ++i) cycle += *i + " → ";
                c.error(it->second->after_where, "after makes a cycle: " + cycle + name);
                return false;
            }
            if (mark[name] == 0 && !visit(*it->second)) return false;
        }
        stack.pop_back();
        mark[p.name] = 2;
        return true;
    };
    for (const auto& p : f.processes)
        if (mark[p.name] == 0 && !visit(p)) break;
}

// systemd and the machine, not the file format, set the real limits; these
// keep a mistyped count or a generated file from asking for absurd work.
void check_total_instances(Context& c, const Formation& f) {
    long total = 0;
    for (const auto& p : f.processes) total += p.count;
    if (total > max_total_instances)
        c.error(SourcePos{f.source_path, 0, 0}, "too many instances: " + std::to_string(total) +
                                                     " across all process types, at most " +
                                                     std::to_string(max_total_instances));
}

// At most max_reported errors, and a last line saying how many were left out.
void cap_diagnostics(std::vector<Diagnostic>& ds, const std::string& path) {
    if (ds.size() <= max_reported) return;
    std::size_t more = ds.size() - max_reported;
    ds.resize(max_reported);
    ds.push_back({{path, 0, 0}, "… and " + std::to_string(more) + " more errors"});
}

// File order; one message once even when a shared line (app-level env, a
// [defaults] key) was found wrong for several process types.
void sort_diagnostics(std::vector<Diagnostic>& ds) {
    std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) { return before(a.where, b.where); });
    ds.erase(std::unique(ds.begin(), ds.end(),
                         [](const Diagnostic& a, const Diagnostic& b) {
                             return a.where.line == b.where.line && a.where.column == b.where.column &&
                                    a.message == b.message;
                         }),
             ds.end());
}

}  // namespace

void detail::check_ports(Context& c, const Formation& f) { check_port_overlap(c, f); }

std::vector<std::string_view> detail::top_level_names() {
    std::vector<std::string_view> names{"app", "description", "defaults", "process", "memory_max", "cpu_quota", "hosts", "host",
                                        "release", "release_timeout"};
    for (auto name : setting_names(Scope::app)) names.push_back(name);
    return names;
}

// Refused before parsing so a hostile file cannot make toml++ allocate much.
constexpr std::size_t max_file_size = 1024 * 1024;

toml::table detail::parse_toml(std::string_view text, const std::string& path) {
    if (text.size() > max_file_size)
        throw FormationError(Diagnostic{{path, 0, 0}, "file is " + std::to_string(text.size()) +
                                                          " bytes; a formation file may be at most 1 MiB"});
    // Before toml++ reads a byte: it places invalid UTF-8 a character early,
    // and recurses once per level of nesting.
    if (auto d = invalid_utf8(text, path)) throw FormationError(std::move(*d));
    if (auto d = too_deep(text, path)) throw FormationError(std::move(*d));
    try {
        return toml::parse(text, std::string_view(path));
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw FormationError(Diagnostic{{path, static_cast<int>(b.line), static_cast<int>(b.column)},
                                        "invalid TOML: " + std::string(e.description())});
    }
}

Formation parse_formation(std::string_view text, const std::string& path) {
    const toml::table root = parse_toml(text, path);
    Context c{path, {}};
    Formation f;
    f.source_path = path;
    Draft base;
    const toml::node* defaults = nullptr;
    const toml::node* processes = nullptr;
    const toml::node *hosts = nullptr, *host = nullptr, *release = nullptr;
    const std::vector<std::string_view> top_names = top_level_names();

    for (const auto& [k, v] : root) {
        if (k.str() == "app") read_app(c, v, f);
        else if (k.str() == "description") read_description(c, v, f);
        else if (k.str() == "defaults") defaults = &v;
        else if (k.str() == "process") processes = &v;
        else if (k.str() == "memory_max" || k.str() == "cpu_quota") read_app_limit(c, k, v, f);
        else if (k.str() == "release") release = &v;
        else if (k.str() == "release_timeout") read_release_timeout(c, v, f);
        else if (k.str() == "hosts") hosts = &v;
        else if (k.str() == "host") host = &v;
        else if (!apply_setting(c, k, v, Scope::app, base)) unknown_key(c, k, "at the top level", top_names);
    }
    // Keys are visited sorted, so [defaults] waits until the app level is read.
    if (defaults && !defaults->is_table())
        c.error(*defaults, "defaults must be a table (got " + describe(*defaults) + ")");
    else if (defaults)
        read_defaults(c, *defaults->as_table(), base);
    if (release) read_release(c, *release, base, f);
    if (f.app_where.line == 0)
        c.error(SourcePos{path, 0, 0}, "missing required key \"app\" (the name every unit starts with, e.g. app = \"shop\")");
    if (processes) read_processes(c, *processes, base, f);
    else c.error(SourcePos{path, 0, 0}, "no process types: add e.g. [process.web] with command = \"...\"");
    // Before a host's share is taken: `after` may name a type placed on
    // other hosts (ordering then applies only among instances on one host).
    check_after(c, f);
    read_hosts(c, hosts, host, processes, f);  // with the port checks, per host
    check_total_instances(c, f);

    if (!c.diagnostics.empty()) {
        sort_diagnostics(c.diagnostics);
        cap_diagnostics(c.diagnostics, path);
        throw FormationError(std::move(c.diagnostics));
    }
    std::sort(f.processes.begin(), f.processes.end(),
              [](const ProcessType& a, const ProcessType& b) { return a.name < b.name; });
    return f;
}

std::vector<Diagnostic> lint_formation(const Formation& f) {
    std::vector<Diagnostic> out;
    for (const auto& pt : f.processes) {
        for (std::size_t i = 0; i < pt.env_where.size() && i < pt.env.size(); ++i) {
            const auto& [name, where] = pt.env_where[i];
            if (looks_secret(name, pt.env[i].second))
                out.push_back({where, "env " + name + " looks like a secret (its name, or a URL with credentials); "
                                      "inline env is written into world-readable unit files, so put it in a file "
                                      "listed in env_files"});
        }
    }
    sort_diagnostics(out);
    return out;
}

}  // namespace formation
