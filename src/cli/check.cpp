// formation check [--json]: validate the formation file; errors as file:line:col.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "compile/escape.hpp"
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

// What a type's port and socket mean, one line per type with a port.
std::string explain_ports(const ProcessType& p) {
    const std::string n = std::to_string(p.count);
    const std::string ports = p.count > 1 ? "ports " + std::to_string(*p.port) + "-" + std::to_string(last_port(p))
                                          : "port " + std::to_string(*p.port);
    switch (p.socket) {
        case SocketMode::shared:
            return "one socket on port " + std::to_string(*p.port) + " shared by its " + n +
                   " instances (socket = \"shared\": systemd holds the port; every instance accepts on it, "
                   "so scale changes how many accept, never the address; one upstream per host)" +
                   (has_health_socket(p) ? "; health checks each instance on a unix socket of its own "
                                           "($FORMATION_HEALTH_SOCKET), which the server must accept on too"
                                         : "");
        case SocketMode::per_instance:
            return "a socket per instance on " + ports +
                   " (socket = true: systemd holds each port, so a restart refuses nothing; a load balancer "
                   "lists every port, and a scale changes them)";
        case SocketMode::none: break;
    }
    return ports + ", bound by the processes themselves (no socket: a restart refuses connections for a moment; "
                   "socket = true or \"shared\" has systemd hold the port)";
}

// What a scheduled type does: its schedule as systemd reads it.
std::string explain_schedule(const ProcessType& p) {
    const Schedule& s = *p.schedule;
    std::string out = "runs on a timer, at \"" + s.calendar + "\"";
    if (s.calendar != s.written) out += " (systemd's form of \"" + s.written + "\")";
    out += ", one run at a time";
    if (s.timeout_usec) out += ", each stopped after " + format_timespan(*s.timeout_usec);
    if (s.persistent) out += "; a run missed while the host was down happens at boot";
    if (s.random_delay_usec) out += "; each delayed by up to " + format_timespan(s.random_delay_usec);
    return out + " (`systemd-analyze calendar` shows the next times)";
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
            w.object().key("name").string(p.name).key("count").integer(p.count);
            w.key("socket").string(p.socket == SocketMode::shared ? "shared" : p.socket == SocketMode::per_instance ? "per-instance" : "none");
            w.key("schedule");
            if (p.schedule) w.string(p.schedule->calendar);
            else w.null();
            w.end_object();
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
    int instances = 0, scheduled = 0;
    for (const auto& p : f.processes) {
        instances += p.count;
        scheduled += p.schedule.has_value();
    }
    std::cout << g.file << ": ok: app " << f.app << ", " << f.processes.size() << " process type"
              << (f.processes.size() == 1 ? "" : "s") << ", " << instances << " instance"
              << (instances == 1 ? "" : "s");
    if (scheduled) std::cout << ", " << scheduled << " scheduled";
    std::cout << '\n';
    for (const auto& p : f.processes)
        if (p.port) std::cout << "  " << p.name << ": " << explain_ports(p) << '\n';
        else if (p.schedule) std::cout << "  " << p.name << ": " << explain_schedule(p) << '\n';
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
