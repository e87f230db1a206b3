#include "compile/render.hpp"

#include "formation/error.hpp"
#include "formation/parse.hpp"
#include "formation/values.hpp"

namespace formation {

std::vector<Diagnostic> validation_errors(const Formation& f, const CalendarZones& zones) {
    std::vector<Diagnostic> out = reserved_name_errors(f);
    for (auto& d : unit_limit_errors(f)) out.push_back(std::move(d));
    for (const auto& p : f.processes) {
        if (!p.schedule) continue;
        CalendarParse parsed = parse_calendar_252(p.schedule->written, zones);
        if (!parsed.normalized)
            out.push_back({p.schedule_where, "schedule " + quoted(p.schedule->written) +
                                                 " is not a calendar event systemd accepts on this host: " +
                                                 parsed.error});
    }
    return out;
}

Rendered render(std::string_view text, const std::string& path, const CompileOptions& options,
                const std::string& expected_app) {
    Rendered r;
    try {
        r.formation = parse_formation(text, path);
    } catch (const FormationError& e) {
        r.errors = e.diagnostics();
        return r;
    }
    r.errors = validation_errors(*r.formation, options.zones);
    if (!expected_app.empty() && r.formation->app != expected_app)
        r.errors.push_back({r.formation->app_where, "app = \"" + r.formation->app + "\" in a file installed as " +
                                                        expected_app + ".toml; the two must be the same name"});
    if (r.errors.empty()) r.set = compile(*r.formation, options);
    return r;
}

// Escaped as format_diagnostic() escapes for a terminal: a log line is read
// on one too (journalctl), and the file may come from anyone's checkout.
std::string one_line(const Diagnostic& d) {
    std::string out = terminal_safe(d.where.file.empty() ? std::string("formation.toml") : d.where.file);
    if (d.where.line > 0) out += ":" + std::to_string(d.where.line);
    if (d.where.line > 0 && d.where.column > 0) out += ":" + std::to_string(d.where.column);
    return out + ": " + terminal_safe(d.message, true);
}

}  // namespace formation
