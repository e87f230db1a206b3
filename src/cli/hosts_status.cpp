// formation status over [hosts.*]: every host's `status --json` at once,
// shown as one table with a HOST column (one JSON object with a "hosts"
// array). A host that does not answer is shown as such, the others still
// are, and the exit status is 1.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/hosts_internal.hpp"
#include "cli/table.hpp"
#include "remote/json.hpp"

namespace formation::cli::hosts {

namespace {

struct HostStatus {
    const Host* host;
    std::optional<remote::Json> status;  // the host's own status --json
    std::string error;                   // why there is none
    int exit_code = 0;
};

// Re-emits a value read from a host (numbers as written).
std::string dump(const remote::Json& j) {
    using K = remote::Json::Kind;
    switch (j.kind) {
        case K::null: return "null";
        case K::boolean: return j.boolean ? "true" : "false";
        case K::number: return j.string;
        case K::string: return json_quote(j.string);
        case K::array: {
            std::string out = "[";
            for (std::size_t i = 0; i < j.array.size(); ++i) out += (i ? "," : "") + dump(j.array[i]);
            return out + "]";
        }
        case K::object: {
            std::string out = "{";
            for (std::size_t i = 0; i < j.keys.size(); ++i)
                out += (i ? "," : "") + json_quote(j.keys[i]) + ":" + dump(j.values[i]);
            return out + "}";
        }
    }
    return "null";
}

Cell count_cell(const remote::Json& row, std::string_view key, std::string (*shown)(std::uint64_t)) {
    const remote::Json* v = row.get(key);
    if (!v || v->kind != remote::Json::Kind::number) return null_cell();
    std::uint64_t n = row.count(key);
    return shown ? number_cell(n, n || key == "port" ? shown(n) : "-") : number_cell(n);
}

std::string plain(std::uint64_t n) { return std::to_string(n); }

std::vector<Cell> row_cells(const std::string& host, const remote::Json& r) {
    std::string active = r.text("active_state"), sub = r.text("sub_state"), result = r.text("result");
    bool failed = active == "failed" || (sub == "auto-restart" && !result.empty() && result != "success");
    // A failed socket (its port taken) fails the instance, as status says.
    bool socket_failed = r.text("socket").starts_with("failed/");
    Color color = failed || socket_failed              ? Color::red
                  : active == "active" && sub == "running" ? Color::green
                                                         : Color::yellow;
    std::string note;
    if (failed) note = result;
    else if (socket_failed) note = "socket failed";
    else if (!r.flag("desired", true)) note = "surplus: not in the formation";
    else if (active == "inactive") note = "missing: not started";
    return {text_cell(host),
            text_cell(r.text("unit")),
            text_cell(active + "/" + sub, color),
            count_cell(r, "pid", [](std::uint64_t n) { return n ? std::to_string(n) : std::string("-"); }),
            count_cell(r, "uptime_usec", format_duration),
            count_cell(r, "memory_bytes", format_bytes),
            count_cell(r, "restarts", nullptr),
            count_cell(r, "port", plain),
            text_cell(note)};
}

}  // namespace

int status(const Context& c) {
    bool json = c.verb.get_option("--json")->count() > 0;
    std::vector<remote::Command> commands;
    for (const auto& h : c.hosts) commands.push_back(remote_command(c, h, {"-a", c.file.formation.app, "status", "--json"}));
    auto results = remote::run_all(commands);
    std::vector<HostStatus> hosts;
    int rc = exit_ok;
    for (std::size_t i = 0; i < results.size(); ++i) {
        HostStatus s{&c.hosts[i], std::nullopt, {}, results[i].exit_code};
        const auto& r = results[i];
        // status exits 1 when an instance fails, with its JSON all the same.
        if ((r.exit_code == 0 || r.exit_code == 1) && r.out.find_first_not_of(" \n") != std::string::npos) {
            try {
                s.status = remote::parse_json(r.out);
            } catch (const remote::JsonError& e) {
                s.error = std::string("answered no status: ") + e.what();
            }
        }
        if (!s.status && s.error.empty()) s.error = r.exit_code == 2 && !remote::last_line(r.err).empty() &&
                                                            r.err.find("version mismatch") == std::string::npos
                                                        ? remote::last_line(r.err)
                                                        : failure(c.hosts[i], r);
        if (!s.status || r.exit_code != 0) rc = exit_failed;
        hosts.push_back(std::move(s));
    }
    if (json) {
        std::cout << "{\"app\":" << json_quote(c.file.formation.app) << ",\"hosts\":[";
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            const auto& s = hosts[i];
            std::cout << (i ? "," : "") << "{\"host\":" << json_quote(s.host->name)
                      << ",\"address\":" << json_quote(s.host->address) << ",\"reachable\":" << (s.status ? "true" : "false");
            if (s.status) {
                const remote::Json* types = s.status->get("types");
                std::cout << ",\"types\":" << (types ? dump(*types) : "[]");
            } else {
                std::cout << ",\"error\":" << json_quote(s.error);
            }
            std::cout << "}";
        }
        std::cout << "]}\n";
        return rc;
    }
    Table table({{"HOST", ""}, {"UNIT", ""}, {"STATE", ""}, {"PID", "", true}, {"UPTIME", "", true},
                 {"MEMORY", "", true}, {"RESTARTS", "", true}, {"PORT", "", true}, {"NOTE", ""}},
                2);
    for (const auto& s : hosts) {
        if (!s.status) {
            table.add_heading(s.host->name + ": " + s.error);
            continue;
        }
        const remote::Json* types = s.status->get("types");
        if (!types || types->array.empty()) table.add_heading(s.host->name + ": no instances");
        for (const auto& t : types ? types->array : std::vector<remote::Json>{}) {
            std::uint64_t desired = t.count("desired"), running = t.count("running");
            table.add_heading(s.host->name + ": " + t.text("name") + " " + std::to_string(running) + "/" +
                              std::to_string(desired) + " running");
            const remote::Json* rows = t.get("instances");
            for (const auto& r : rows ? rows->array : std::vector<remote::Json>{}) table.add_row(row_cells(s.host->name, r));
        }
    }
    table.print_text(std::cout, stdout_wants_color());
    return rc;
}

}  // namespace formation::cli::hosts
