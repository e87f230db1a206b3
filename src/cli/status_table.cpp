#include "cli/status_table.hpp"

#include <algorithm>

#include "cli/status_cells.hpp"

namespace formation::cli {

Table status_table(const app::StatusView& v, const StatusDetails& details) {
    bool sockets = false, health = false;
    for (const auto& t : v.types)
        for (const auto& i : t.instances) {
            sockets = sockets || i.socket.has_value();
            health = health || i.health.has_value();
        }
    // A column with an empty header is not shown: SOCKET only when some
    // instance has one, HEALTH when some type has health.
    Table table({{"UNIT", ""}, {"STATE", ""}, {"PID", "", true}, {"UPTIME", "", true}, {"STARTUP", "", true},
                 {"MEMORY", "", true}, {"RESTARTS", "", true}, {"PORT", "", true}, {sockets ? "SOCKET" : "", ""},
                 {health ? "HEALTH" : "", ""}, {"NOTE", ""}},
                2);
    for (const auto& t : v.types) {
        table.add_heading(app::summary_line(t));
        if (t.scheduled) {
            for (const auto& c : {timer_cells(*t.scheduled), run_cells(*t.scheduled)})
                table.add_row({c.unit, c.state, c.pid, c.uptime, c.startup, c.memory, c.restarts, c.port, c.socket,
                               c.health, c.note});
            if (auto d = details.find(t.scheduled->service); d != details.end())
                for (const auto& line : d->second) table.add_detail(line);
        }
        if (t.shared_socket) {
            auto c = shared_cells(t);
            table.add_row({c.unit, c.state, c.pid, c.uptime, c.startup, c.memory, c.restarts, c.port, c.socket, c.health, c.note});
        }
        for (const auto& i : t.instances) {
            auto c = cells(i);
            table.add_row({c.unit, c.state, c.pid, c.uptime, c.startup, c.memory, c.restarts, c.port, c.socket, c.health, c.note});
            if (auto d = details.find(i.unit); d != details.end())
                for (const auto& line : d->second) table.add_detail(line);
        }
    }
    return table;
}

Table hosts_status_table() {
    return Table({{"HOST", ""}, {"UNIT", ""}, {"STATE", ""}, {"PID", "", true}, {"UPTIME", "", true},
                  {"MEMORY", "", true}, {"RESTARTS", "", true}, {"PORT", "", true}, {"NOTE", ""}},
                 2);
}

void add_host_status(Table& table, const std::string& host, const app::StatusView& v) {
    if (v.types.empty()) table.add_heading(host + ": no instances");
    for (const auto& t : v.types) {
        table.add_heading(host + ": " + app::summary_line(t));
        if (t.scheduled)
            for (const auto& c : {timer_cells(*t.scheduled), run_cells(*t.scheduled)})
                table.add_row({text_cell(host), c.unit, c.state, c.pid, c.uptime, c.memory, c.restarts, c.port, c.note});
        if (t.shared_socket) {
            auto c = shared_cells(t);
            table.add_row({text_cell(host), c.unit, c.state, c.pid, c.uptime, c.memory, c.restarts, c.port, c.note});
        }
        for (const auto& i : t.instances) {
            auto c = cells(i);
            table.add_row({text_cell(host), c.unit, c.state, c.pid, c.uptime, c.memory, c.restarts, c.port, c.note});
        }
    }
}

}  // namespace formation::cli
