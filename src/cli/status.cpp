// formation status [-a APP] [--json]: every instance of the app, desired or
// not, with its state as systemd sees it. Exit 1 when any is failing.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/app_context.hpp"
#include "systemd/explain.hpp"
#include "compile/render.hpp"
#include "cli/common.hpp"
#include "cli/table.hpp"
#include "compile/compile.hpp"
#include "plan/plan.hpp"
#include "systemd/journal.hpp"

namespace formation::cli {

namespace {

struct StatusOptions {
    std::string app;
    bool json = false;
};

struct InstanceRow {
    std::string type;
    int index = 0;
    std::string unit;
    bool desired = false;
    std::optional<int> port;  // PORT the formation gives it; surplus instances get none
    systemd::UnitState state;
    // The PORT its main process was started with, read from the process:
    // an env file may set another one, and a process started before an
    // edit keeps its own. Unset when the process cannot be read.
    std::optional<std::optional<int>> running_port;
    // Its socket (socket = true, or one still loaded): systemd holds the
    // port there; unset when it has none.
    std::optional<systemd::UnitState> socket;
};

constexpr std::size_t journal_lines_of_failed = 5;

bool is_running(const systemd::UnitState& s) { return s.active_state == "active"; }

// Failing means systemd gave up ("failed", e.g. exit-code or start-limit-hit)
// or is about to try again after an unclean exit (auto-restart with a
// result other than success): an instance in a crash loop spends most of
// its time in auto-restart, and must not pass for healthy between crashes.
bool is_failing(const systemd::UnitState& s) {
    if (s.active_state == "failed") return true;
    return s.sub_state == "auto-restart" && !s.result.empty() && s.result != "success";
}

// Its socket failed (the port was taken, say): the instance cannot start,
// whatever the service's own state, which stays "inactive".
bool socket_failed(const InstanceRow& r) { return r.socket && r.socket->active_state == "failed"; }

bool is_failing(const InstanceRow& r) { return is_failing(r.state) || socket_failed(r); }

// Desired but not there: never loaded (unit files missing) or stopped.
bool is_missing(const InstanceRow& r) {
    return r.desired && (r.state.load_state != "loaded" || r.state.active_state == "inactive");
}

std::string note_for(const InstanceRow& r) {
    const auto& s = r.state;
    if (socket_failed(r) && !is_failing(s))
        return "socket " + r.socket->name + " failed: " + r.socket->result + ": " +
               systemd::explain_socket_result(r.socket->result);
    if (is_failing(s)) {
        // systemd 252 keeps the first failure's Result when the start limit
        // is hit ("exit-code", not "start-limit-hit"); restarts tell.
        std::string note = s.result + ": " + systemd::explain_service_result(s.result);
        if (s.active_state == "failed" && s.n_restarts > 0 && s.result != "start-limit-hit")
            note += "; restarted " + std::to_string(s.n_restarts) + " times, then systemd gave up";
        return s.sub_state == "auto-restart" ? note + "; restarting" : note;
    }
    if (!r.desired) return "surplus: not in the formation";
    if (s.load_state != "loaded") return "missing: unit " + s.load_state;
    if (s.active_state == "inactive") return "missing: not started";
    if (s.sub_state == "auto-restart") return "restarting";
    return "";
}

Cell state_cell(const systemd::UnitState& s) {
    Color c = Color::yellow;
    if (is_failing(s)) c = Color::red;
    else if (s.active_state == "active" && s.sub_state == "running") c = Color::green;
    return text_cell(s.active_state + "/" + s.sub_state, c);
}

// A socket column in the table only when some instance has a socket; in
// JSON always ("socket": null without one).
std::vector<Column> status_columns(bool sockets) {
    return {{"UNIT", "unit"},      {"", "type"},          {"", "index"},       {"STATE", ""},
            {"", "active_state"},  {"", "sub_state"},     {"", "result"},      {"PID", "pid", true},
            {"UPTIME", "uptime_usec", true}, {"STARTUP", "startup_usec", true},
            {"MEMORY", "memory_bytes", true}, {"RESTARTS", "restarts", true},
            {"PORT", "port", true}, {"", "port_source"},   {sockets ? "SOCKET" : "", "socket"},
            {"", "desired"},       {"NOTE", ""}};
}

// "active/listening" (no service holds it now), "active/running", "failed/failed".
Cell socket_cell(const InstanceRow& r) {
    if (!r.socket) return null_cell();
    const auto& s = *r.socket;
    Color c = s.active_state == "active" ? Color::green : s.active_state == "failed" ? Color::red : Color::yellow;
    return text_cell(s.active_state + "/" + s.sub_state, c);
}

// From "starting" to "started" (ready, for ready = notify/port) of the
// current run; twelve-factor processes should take seconds at most. An
// automatic restart goes through "activating", never "inactive", so
// InactiveExitTimestamp stays at the first start: after one, the current
// run began when its main process did (ExecMainStartTimestamp).
std::optional<std::uint64_t> startup_usec(const systemd::UnitState& s) {
    if (!is_running(s) || !s.active_enter_usec || !s.inactive_exit_usec || s.active_enter_usec < s.inactive_exit_usec)
        return std::nullopt;
    std::uint64_t began = s.inactive_exit_usec;
    if (s.n_restarts > 0 && s.exec_main_start_usec > began && s.exec_main_start_usec <= s.active_enter_usec)
        began = s.exec_main_start_usec;
    return s.active_enter_usec - began;
}

// PORT=N in /proc/PID/environ, the environment the process was started
// with. nullopt when it cannot be read (another user's process, unless we
// are root); an empty optional inside when it has no valid PORT.
std::optional<std::optional<int>> process_port(std::uint32_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream read;
    read << in.rdbuf();
    const std::string env = read.str();
    if (env.empty()) return std::nullopt;  // unreadable: systemd always sets some variables
    std::optional<int> port;
    for (std::size_t at = 0; at < env.size();) {
        std::size_t end = env.find('\0', at);
        if (end == std::string::npos) end = env.size();
        std::string_view var(env.data() + at, end - at);
        if (var.starts_with("PORT=")) {
            int p = 0;
            auto value = var.substr(5);
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
            port = (ec == std::errc() && ptr == value.data() + value.size() && p >= 1 && p <= 65535)
                       ? std::optional<int>(p) : std::nullopt;
        }
        at = end + 1;
    }
    return port;
}

// The port as the instance has it: its process's own when readable; else
// the formation's, marked "?" while the process runs (it may differ).
Cell port_cell(const InstanceRow& r) {
    if (r.running_port) return *r.running_port ? number_cell(static_cast<std::uint64_t>(**r.running_port)) : null_cell();
    if (!r.port) return null_cell();
    auto port = static_cast<std::uint64_t>(*r.port);
    return r.state.main_pid ? number_cell(port, std::to_string(port) + "?") : number_cell(port);
}

Cell port_source_cell(const InstanceRow& r) { return text_cell(r.running_port ? "process" : "formation"); }

std::string format_startup(std::uint64_t usec) {
    if (usec < 10'000'000) {
        std::uint64_t ms = (usec + 500) / 1000;
        return ms < 1000 ? std::to_string(ms) + "ms" : std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + "s";
    }
    return format_duration(usec);
}

// pid and uptime_usec are 0 when there is no main process / the unit is not
// active, as systemd reports them; memory and port are null when unknown.
// port_source says whether port was read from the running process.
std::vector<Cell> row_cells(const InstanceRow& r, std::uint64_t now_usec) {
    const auto& s = r.state;
    std::uint64_t uptime = 0;
    if (is_running(s) && s.active_enter_usec && now_usec > s.active_enter_usec) uptime = now_usec - s.active_enter_usec;
    return {text_cell(r.unit),
            text_cell(r.type),
            number_cell(static_cast<std::uint64_t>(r.index)),
            state_cell(s),
            text_cell(s.active_state),
            text_cell(s.sub_state),
            text_cell(s.result),
            s.main_pid ? number_cell(s.main_pid) : number_cell(0, "-"),
            is_running(s) ? number_cell(uptime, format_duration(uptime)) : number_cell(0, "-"),
            startup_usec(s) ? number_cell(*startup_usec(s), format_startup(*startup_usec(s))) : null_cell(),
            s.memory_current == systemd::unknown_value ? null_cell() : number_cell(s.memory_current, format_bytes(s.memory_current)),
            number_cell(s.n_restarts),
            port_cell(r),
            port_source_cell(r),
            socket_cell(r),
            bool_cell(r.desired),
            text_cell(note_for(r))};
}

// Desired instances plus the surplus ones systemd has loaded, by type (in
// the formation's order) then index. One ListUnits, one pipelined batch of
// property reads, whatever the number of instances.
std::vector<InstanceRow> gather(const Formation& f, const UnitSet& set, systemd::Manager& m) {
    std::vector<InstanceRow> rows;
    for (const auto& i : set.instances) {
        InstanceRow r{i.type, i.index, i.unit, true, std::nullopt, {}, {}, {}};
        for (const auto& p : f.processes)
            if (p.name == i.type && p.port) r.port = *p.port + i.index - 1;
        rows.push_back(std::move(r));
    }
    for (auto& unit : loaded_instances(m, f.app)) {
        bool desired = std::any_of(rows.begin(), rows.end(), [&unit](const InstanceRow& r) { return r.unit == unit; });
        auto ref = parse_instance(f.app, unit);
        if (!desired && ref) rows.push_back({ref->type, ref->index, unit, false, std::nullopt, {}, {}, {}});
    }
    // Sockets: the formation's, and any other of the app systemd has loaded.
    std::vector<std::string> sockets;
    for (const auto& i : set.instances)
        if (!i.socket.empty()) sockets.push_back(i.socket);
    for (const auto& s : m.list_unit_states({f.app + "-*@*.socket"}))
        if (parse_socket(f.app, s.name) && std::find(sockets.begin(), sockets.end(), s.name) == sockets.end())
            sockets.push_back(s.name);
    auto type_rank = [&set](const std::string& t) { return std::find(set.types.begin(), set.types.end(), t) - set.types.begin(); };
    std::stable_sort(rows.begin(), rows.end(), [&type_rank](const InstanceRow& a, const InstanceRow& b) {
        auto ra = type_rank(a.type), rb = type_rank(b.type);
        return ra != rb ? ra < rb : a.index < b.index;
    });
    std::vector<std::string> units;
    for (const auto& r : rows) units.push_back(r.unit);
    std::vector<std::size_t> socket_row;  // the row of each socket asked for
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (std::find(sockets.begin(), sockets.end(), socket_of(rows[i].unit)) != sockets.end()) {
            units.push_back(socket_of(rows[i].unit));
            socket_row.push_back(i);
        }
    if (units.empty()) return rows;
    auto states = m.unit_states(units);  // one pipelined batch
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].state = std::move(states[i]);
        if (rows[i].state.main_pid) rows[i].running_port = process_port(rows[i].state.main_pid);
    }
    for (std::size_t k = 0; k < socket_row.size(); ++k)
        if (states[rows.size() + k].load_state == "loaded") rows[socket_row[k]].socket = std::move(states[rows.size() + k]);
    return rows;
}

struct TypeSummary {
    std::string name;
    int desired = 0, running = 0, failed = 0, missing = 0, surplus = 0;
    std::vector<std::size_t> rows;  // indexes into the table
};

std::string summary_line(const TypeSummary& t) {
    std::ostringstream s;
    s << t.name << ' ' << t.running << '/' << t.desired << " running";
    if (t.failed) s << ", " << t.failed << " failed";
    if (t.missing) s << ", " << t.missing << " missing";
    if (t.surplus) s << ", " << t.surplus << " surplus";
    return s.str();
}

std::vector<TypeSummary> summarize(const std::vector<std::string>& types, const std::vector<InstanceRow>& rows) {
    std::vector<TypeSummary> out;
    for (const auto& t : types) {
        TypeSummary s;
        s.name = t;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& r = rows[i];
            if (r.type != t) continue;
            s.rows.push_back(i);
            s.desired += r.desired;
            s.running += r.desired && is_running(r.state);
            s.failed += is_failing(r);
            s.missing += is_missing(r) && !is_failing(r);
            s.surplus += !r.desired;
        }
        out.push_back(std::move(s));
    }
    return out;
}

void print_json(const std::string& app, const std::vector<TypeSummary>& types, const Table& table) {
    std::cout << "{\"app\":" << json_quote(app) << ",\"types\":[";
    for (std::size_t t = 0; t < types.size(); ++t) {
        const auto& s = types[t];
        std::cout << (t ? "," : "") << "{\"name\":" << json_quote(s.name) << ",\"desired\":" << s.desired
                  << ",\"running\":" << s.running << ",\"instances\":[";
        for (std::size_t k = 0; k < s.rows.size(); ++k) std::cout << (k ? "," : "") << table.row_json(s.rows[k]);
        std::cout << "]}";
    }
    std::cout << "]}\n";
}

void add_journal_details(Table& table, const std::string& unit, bool user) {
    std::istringstream lines(last_log_lines(unit, user, journal_lines_of_failed));
    for (std::string line; std::getline(lines, line);) table.add_detail(line);
}

// A failed socket: what systemd said about it ("Failed to create listening
// socket ([::]:5000): Address already in use"), its processes having none.
void add_socket_details(Table& table, const std::string& socket, bool user) {
    systemd::JournalQuery q;
    q.units = {socket};
    q.user = user;
    q.last = journal_lines_of_failed;
    try {
        for (const auto& e : systemd::read_journal(q)) table.add_detail("    " + terminal_safe(e.message, true));
    } catch (const std::exception& e) {
        table.add_detail(std::string("    (journal unreadable: ") + e.what() + ")");
    }
}

int run_status(const Globals& g, const StatusOptions& o) {
    InstalledFormation loaded = resolve_formation(g, o.app);
    const Formation& f = loaded.formation;
    UnitSet set = compile(f, install_options(g, loaded));
    auto manager = systemd::connect_manager(g.user);
    auto rows = gather(f, set, *manager);
    // Types the formation no longer lists still show, with what runs of them.
    std::vector<std::string> shown = set.types;
    for (const auto& r : rows)
        if (std::find(shown.begin(), shown.end(), r.type) == shown.end()) shown.push_back(r.type);
    auto types = summarize(shown, rows);

    auto now = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    bool sockets = std::any_of(rows.begin(), rows.end(), [](const InstanceRow& r) { return r.socket.has_value(); });
    Table table(status_columns(sockets), 2);
    for (const auto& t : types) {
        table.add_heading(summary_line(t));
        for (auto i : t.rows) {
            table.add_row(row_cells(rows[i], now));
            if (o.json || !rows[i].desired) continue;
            if (is_failing(rows[i].state))
                add_journal_details(table, rows[i].unit, g.user);
            else if (socket_failed(rows[i]))
                add_socket_details(table, rows[i].socket->name, g.user);
        }
    }
    if (o.json)
        print_json(f.app, types, table);
    else
        table.print_text(std::cout, stdout_wants_color());
    if (loaded.on_last_good) {
        // As the generator does: an invalid installed file never takes the app down.
        std::cerr << "formation: " << loaded.installed_path << " is invalid; " << f.app
                  << " runs on its last good formation (" << loaded.path << "):\n";
        for (const auto& d : loaded.installed_errors) std::cerr << "  " << one_line(d) << "\n";
    }
    bool failing = std::any_of(rows.begin(), rows.end(), [](const InstanceRow& r) { return is_failing(r); });
    return failing ? exit_failed : exit_ok;
}

}  // namespace

void add_status(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<StatusOptions>();
    auto* cmd = root.add_subcommand("status", "Show every instance: state, PID, uptime, memory, restarts, port");
    cmd->add_option("-a,--app", opts->app, "An installed app, as last applied (instead of -f FILE)");
    cmd->add_flag("--json", opts->json, "One JSON object instead of the table");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_status(g, *opts); }; });
}

}  // namespace formation::cli
