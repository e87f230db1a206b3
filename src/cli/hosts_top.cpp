// formation top over [hosts.*]: every host's status (its own `status`, as
// JSON over ssh) each refresh, drawn as one table with a HOST column. A host
// that does not answer is a heading saying why; the others still show.
#include <CLI/CLI.hpp>

#include "app/status_view.hpp"
#include "cli/hosts_internal.hpp"
#include "cli/top.hpp"
#include "host/clock.hpp"
#include "json/json.hpp"

namespace formation::cli::hosts {

int top(const Context& c) {
    TopOptions o = top_options(c.verb);
    auto sample = [&c] {
        std::vector<remote::Command> commands;
        for (const auto& h : c.hosts)
            commands.push_back(remote_command(c, h, {"-a", c.file.formation.app, "status", "--json-full"}));
        auto results = remote::run_all(commands);
        std::uint64_t at = host::monotonic_usec();
        std::vector<app::TopSample> out;
        for (std::size_t i = 0; i < results.size(); ++i) {
            app::TopSample s{c.hosts[i].name, std::nullopt, {}, at};
            if (auto answer = answer_of(results[i])) {
                try {
                    s.view = app::decode(*answer);
                } catch (const json::Error& e) {
                    s.error = std::string("answered no status: ") + e.what();
                }
            }
            if (!s.view && s.error.empty()) s.error = refusal(c.hosts[i], results[i]);
            out.push_back(std::move(s));
        }
        return out;
    };
    return run_top(c.file.formation.app, o, sample);
}

}  // namespace formation::cli::hosts
