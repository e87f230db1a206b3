#include "cli/top_frame.hpp"

#include <sstream>

#include "cli/status_cells.hpp"

namespace formation::cli {

namespace {

Cell cpu_cell(const std::map<std::string, double>& cpu, const std::string& host, const app::InstanceStatus& i) {
    auto p = cpu.find(app::cpu_key(host, i.unit));
    if (p == cpu.end() || !app::is_running(i)) return null_cell();
    Color c = p->second >= 90 ? Color::red : p->second >= 50 ? Color::yellow : Color::none;
    Cell cell = text_cell(app::format_percent(p->second), c);
    cell.json = cell.text;
    return cell;
}

// `line` cut to `columns` columns: ANSI color sequences take none and are
// kept (a reset added after a cut), a UTF-8 sequence takes one.
std::string cut(const std::string& line, std::size_t columns) {
    std::string out;
    std::size_t used = 0;
    bool colored = false;
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
            std::size_t end = i + 2;
            while (end < line.size() && !(line[end] >= '@' && line[end] <= '~')) ++end;
            out.append(line, i, end + 1 - i);
            colored = true;
            i = end + 1;
            continue;
        }
        std::size_t n = utf8::sequence_length(line, i);
        if (n == 0) n = 1;
        if (used == columns) {
            if (colored) out += "\x1b[0m";
            return out;
        }
        out.append(line, i, n);
        ++used;
        i += n;
    }
    return out;
}

}  // namespace

Table top_table(const std::vector<app::TopSample>& samples, const std::map<std::string, double>& cpu) {
    bool hosts = false, health = false;
    for (const auto& s : samples) {
        hosts = hosts || !s.host.empty();
        if (s.view)
            for (const auto& t : s.view->types)
                for (const auto& i : t.instances) health = health || i.health.has_value();
    }
    Table table({{hosts ? "HOST" : "", ""}, {"INSTANCE", ""}, {"STATE", ""}, {"CPU%", "", true}, {"MEMORY", "", true},
                 {"RESTARTS", "", true}, {"UPTIME", "", true}, {health ? "HEALTH" : "", ""}, {"NOTE", ""}},
                2);
    for (const auto& s : samples) {
        const std::string at = s.host.empty() ? "" : s.host + ": ";
        if (!s.view) {
            table.add_heading(at + s.error);
            continue;
        }
        if (s.view->types.empty()) table.add_heading(at + "no instances");
        for (const auto& t : s.view->types) {
            table.add_heading(at + app::summary_line(t));
            if (t.scheduled && app::scheduled_running(*t.scheduled)) {
                auto c = run_cells(*t.scheduled);
                table.add_row({text_cell(s.host), text_cell(t.name + ".run"), c.state, null_cell(), c.memory, null_cell(),
                               c.uptime, null_cell(), c.note});
            }
            for (const auto& i : t.instances) {
                auto c = cells(i);
                table.add_row({text_cell(s.host), text_cell(i.type + "." + std::to_string(i.index)), c.state,
                               cpu_cell(cpu, s.host, i), c.memory, c.restarts, c.uptime, c.health, c.note});
            }
        }
    }
    return table;
}

std::string top_title(const std::string& app, const std::vector<app::TopSample>& samples) {
    std::size_t desired = 0, running = 0, failed = 0, unreachable = 0;
    for (const auto& s : samples) {
        if (!s.view) {
            ++unreachable;
            continue;
        }
        for (const auto& t : s.view->types)
            for (const auto& i : t.instances) {
                desired += i.desired ? 1 : 0;
                running += app::is_running(i) ? 1 : 0;
                failed += app::service_failing(i) ? 1 : 0;
            }
    }
    std::string out = app + ": " + std::to_string(running) + "/" + std::to_string(desired) + " running";
    if (failed) out += ", " + std::to_string(failed) + " failed";
    if (unreachable) out += ", " + std::to_string(unreachable) + (unreachable == 1 ? " host" : " hosts") + " not answering";
    return out;
}

std::vector<std::string> fit(const std::string& text, std::size_t columns, std::size_t lines) {
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(cut(line, columns));
    if (lines > 0 && all.size() > lines) {
        std::size_t more = all.size() - lines + 1;
        all.resize(lines - 1);
        all.push_back(cut("  … " + std::to_string(more) + " more lines (a taller terminal shows them)", columns));
    }
    return all;
}

}  // namespace formation::cli
