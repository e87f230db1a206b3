#include "app/run_spec.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

#include "compile/directives.hpp"
#include "compile/escape.hpp"
#include "systemd/unit_properties.hpp"

namespace formation::app {

namespace {

// What makes a long-running, supervised instance rather than a one-off
// process: its command, restarts, timeouts, stop signal, journal output.
constexpr std::array<std::string_view, 22> instance_only{
    "Type", "ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost",
    "Restart", "RestartSec", "TimeoutStartSec", "TimeoutStopSec", "TimeoutSec", "KillMode", "KillSignal",
    "StandardInput", "StandardOutput", "StandardError", "SyslogIdentifier", "NotifyAccess", "WatchdogSec",
    "RemainAfterExit", "Sockets"};

// The Key=value lines of the [Service] section of a unit file's text.
std::vector<std::string> service_lines(std::string_view text) {
    std::vector<std::string> out;
    bool in_service = false;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line[0] == '[') {
            in_service = line == "[Service]";
            continue;
        }
        if (in_service && line.find('=') != std::string_view::npos) out.emplace_back(line);
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        if (nl > at) out.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return out;
}

}  // namespace

RunSpec make_run_spec(const Formation& f, const ProcessType& p, const CompileOptions& options,
                      const std::vector<std::string>& command, const std::string& suffix, const std::string& term) {
    UnitSet set = compile(f, options);
    const UnitFile* tpl = set.find(template_name(f.app, p.name));
    if (!tpl) throw std::logic_error("no template unit for process type " + p.name);
    auto raw = lines_of(raw_service_directives(p));

    RunSpec out;
    auto& s = out.spec;
    s.name = run_unit_name(f.app, p.name, suffix);
    std::string shown;
    for (const auto& w : command) shown += (shown.empty() ? "" : " ") + w;
    s.description = printable((f.description.empty() ? f.app : f.description) + " (" + p.name + " one-off: " + shown + ")");
    // Through /bin/sh, so COMMAND is looked up in the PATH the process gets
    // (its env and env files), and a relative one in its working directory;
    // `exec` leaves the command itself as the main process.
    s.argv = {"/bin/sh", "-c", "exec \"$@\"", "formation-run"};
    s.argv.insert(s.argv.end(), command.begin(), command.end());
    s.instance = "run";
    // A terminal program needs to know the terminal; the type's own env,
    // after it, still wins.
    if (!term.empty()) s.settings.emplace_back("Environment", quote_env_assignment("TERM", term));
    for (const auto& line : service_lines(tpl->content)) {
        std::string key = line.substr(0, line.find('='));
        std::string value = line.substr(line.find('=') + 1);
        if (std::find(instance_only.begin(), instance_only.end(), key) != instance_only.end()) continue;
        const bool is_raw = std::find(raw.begin(), raw.end(), line) != raw.end();
        // Decoded here, as start_transient() will: a raw value it cannot
        // carry (Environment=HN=%H: no host name is known for a one-off
        // unit) is left out, not a failure of the whole run.
        std::string why;
        if (!systemd::transient_key_known(key)) {
            why = "a one-off unit cannot carry " + key + "=";
        } else {
            try {
                systemd::transient_properties(key, value, s.instance);
            } catch (const std::invalid_argument& e) {
                why = e.what();
            }
        }
        if (!why.empty()) {
            if (!is_raw) throw std::logic_error("formation compiles " + line + ", which `formation run` cannot carry: " + why);
            out.skipped_raw.push_back({line, why});
            continue;
        }
        s.settings.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

}  // namespace formation::app
