// formation status over [hosts.*]: every host's StatusView at once (its own
// `status`, sent as JSON), shown as one table with a HOST column, or one
// JSON object with a "hosts" array. The notes and headings are the local
// ones: the same view, the same rules. A host that does not answer is shown
// as such, the others still are, and the exit status is 1.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/status_view.hpp"
#include "cli/hosts_internal.hpp"
#include "cli/status_table.hpp"
#include "json/json.hpp"

namespace formation::cli::hosts {

namespace {

struct HostStatus {
    const Host* host;
    std::optional<app::StatusView> view;
    std::string error;  // why there is none
};

std::string hosts_json(const std::string& app, const std::vector<HostStatus>& hosts) {
    json::Writer w;
    w.object().key("app").string(app).key("hosts").array();
    for (const auto& s : hosts) {
        w.object().key("host").string(s.host->name).key("address").string(s.host->address);
        w.key("reachable").boolean(s.view.has_value());
        if (s.view) w.key("types").raw(app::encode_types(*s.view, false));
        else w.key("error").string(s.error);
        w.end_object();
    }
    w.end_array().end_object();
    return w.text();
}

}  // namespace

int status(const Context& c) {
    bool json = c.verb.get_option("--json")->count() > 0;
    std::vector<remote::Command> commands;
    for (const auto& h : c.hosts)
        commands.push_back(remote_command(c, h, {"-a", c.file.formation.app, "status", "--json-full"}));
    auto results = remote::run_all(commands);
    std::vector<HostStatus> hosts;
    int rc = exit_ok;
    for (std::size_t i = 0; i < results.size(); ++i) {
        HostStatus s{&c.hosts[i], std::nullopt, {}};
        const auto& r = results[i];
        // status exits 1 when an instance fails, with its view all the same.
        if (auto answer = answer_of(r)) {
            try {
                s.view = app::decode(*answer);
            } catch (const json::Error& e) {
                s.error = std::string("answered no status: ") + e.what();
            }
        }
        if (!s.view && s.error.empty()) s.error = refusal(c.hosts[i], r);
        if (!s.view || r.exit_code != 0) rc = exit_failed;
        hosts.push_back(std::move(s));
    }
    if (json) {
        std::cout << hosts_json(c.file.formation.app, hosts) << '\n';
        return rc;
    }
    Table table = hosts_status_table();
    for (const auto& s : hosts) {
        if (s.view) add_host_status(table, s.host->name, *s.view);
        else table.add_heading(s.host->name + ": " + s.error);
    }
    table.print_text(std::cout, stdout_wants_color());
    return rc;
}

}  // namespace formation::cli::hosts
