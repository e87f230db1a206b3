// The escape hatch, [process.NAME.systemd]: raw "Key=value" lines copied
// verbatim into the unit. Each line alone is checked against systemd 252
// (directives_252.cpp); check_raw_lines() checks the lines together with
// the type's other keys.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation::detail {

namespace {

void raw_section(Context& c, const toml::key& section, const toml::node& n, std::vector<RawDirective>& out) {
    const std::string label = "systemd." + std::string(section.str());
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, label + " must be an array of \"Key=value\" strings (got " + describe(n) + ")");
        return;
    }
    for (const auto& item : *arr) {
        auto line = read_string(c, item, label);
        if (!line) continue;
        auto eq = line->find('=');
        if (eq == std::string::npos || !is_valid_directive_key(std::string_view(*line).substr(0, eq))) {
            c.error(item, label + " entries must look like \"Key=value\" with Key in [A-Z][A-Za-z0-9]* (got " +
                              quoted(*line) + ")");
        } else if (has_control_chars(*line)) {
            c.error(item, label + " entries must not contain control characters such as newlines (got " +
                              quoted(*line) + ")");
        } else if (line->back() == '\\') {
            c.error(item, label + " entries must not end with a backslash, which systemd reads as a line "
                                  "continuation, joining the next generated line (got " + quoted(*line) + ")");
        } else if (std::string_view key = std::string_view(*line).substr(0, eq);
                   !is_known_directive(section.str(), key)) {
            c.error(item, label + ": " + quoted(key) + " is not a [" + std::string(section.str()) +
                              "] directive systemd 252 knows; it would ignore the line");
        } else if (auto problem = raw_line_problem(section.str(), key, std::string_view(*line).substr(eq + 1))) {
            c.error(item, label + ": " + *problem);
        } else {
            out.push_back({std::string(section.str()), std::move(*line), c.pos(item.source())});
        }
    }
}

}  // namespace

std::vector<std::string_view> raw_section_names() { return {"Unit", "Service"}; }

// The escape hatch: raw directives copied verbatim. A process's own table
// replaces the one from [defaults], like every other key.
void systemd_setting(Context& c, const toml::node& n, Draft& d) {
    const auto* t = n.as_table();
    if (!t) {
        c.error(n, "systemd must be a table with Unit and/or Service arrays (got " + describe(n) + ")");
        return;
    }
    std::vector<RawDirective> raw;
    for (const auto& [k, v] : *t) {
        const auto sections = raw_section_names();
        if (std::find(sections.begin(), sections.end(), k.str()) != sections.end()) raw_section(c, k, v, raw);
        else unknown_key(c, k, "in " + table_label(d, "systemd") + " (only Unit and Service)", sections);
    }
    // toml++ iterates keys sorted; put Unit first, keeping file order within each.
    std::stable_sort(raw.begin(), raw.end(), [](const RawDirective& a, const RawDirective& b) {
        return a.section == "Unit" && b.section != "Unit";
    });
    d.pt.raw = std::move(raw);
}

// What a raw line cannot say alone: with formation's own lines and the
// type's other raw lines (the last assignment of a key wins, an empty one
// clears a list). Each refusal is one systemd would make at load time, or a
// line that takes away what a formation key wrote.
void check_raw_lines(Context& c, const ProcessType& pt) {
    const std::string label = "[process." + pt.name + "]";
    std::map<std::string, const RawDirective*> last;  // "Service.KillMode" → its last line
    std::map<std::string, std::set<std::string>> deps;  // "OnFailure" → units
    auto value_of = [](const RawDirective& r) { return std::string_view(r.line).substr(r.line.find('=') + 1); };
    for (const auto& r : pt.raw) {
        const std::string key = r.line.substr(0, r.line.find('='));
        const std::string_view value = value_of(r);
        last[r.section + "." + key] = &r;
        if (r.section == "Service" && value.empty() && key == "ExecStartPost" && pt.ready == Readiness::port)
            c.error(r.where, "an empty ExecStartPost= clears the port check formation writes for ready = \"port\" in " +
                                 label);
        if (r.section == "Service" && value.empty() && key == "ExecReload" && pt.reload_signal)
            c.error(r.where, "an empty ExecReload= clears the line reload_signal writes in " + label +
                                 ", so formation reload could no longer reload it");
        if (r.section == "Service" && key == "Environment") {
            for (const auto& name : raw_environment_names(value)) {
                if (name == "PORT" && pt.port)
                    c.error(r.where, "PORT must not be set by a raw Environment= for " + label +
                                         ", which sets port: each instance gets PORT = port + N - 1");
                if (std::find(pt.instance_env.begin(), pt.instance_env.end(), name) != pt.instance_env.end())
                    c.error(r.where, name + " must not be set by a raw Environment= for " + label +
                                         ": instance_env gives it each instance's name (" + pt.name + ".N)");
            }
        }
        if (r.section == "Unit" && (key == "OnFailure" || key == "OnSuccess")) {
            std::string_view rest = value;
            while (!rest.empty()) {
                auto start = rest.find_first_not_of(" \t");
                if (start == std::string_view::npos) break;
                auto end = rest.find_first_of(" \t", start);
                deps[key].insert(std::string(rest.substr(start, end == std::string_view::npos ? end : end - start)));
                rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
            }
        }
    }
    auto value_at = [&](const std::string& k) -> std::optional<std::string_view> {
        auto it = last.find(k);
        if (it == last.end()) return std::nullopt;
        return value_of(*it->second);
    };
    // service_verify(): PAM needs the stop signal to reach every process.
    auto kill = value_at("Service.KillMode");
    auto pam = value_at("Service.PAMName");
    if (pam && !pam->empty() && kill && (*kill == "process" || *kill == "none"))
        c.error(last["Service.KillMode"]->where,
                "KillMode=" + std::string(*kill) + " with PAMName=: systemd refuses a unit with PAM unless KillMode= "
                "is control-group or mixed, which formation writes");
    // unit_load(): "isolate" starts one unit and stops every other.
    for (const char* dep : {"OnFailure", "OnSuccess"}) {
        std::string mode_key = std::string("Unit.") + dep + "JobMode";
        auto mode = value_at(mode_key);
        if (mode && *mode == "isolate" && deps[dep].size() > 1)
            c.error(last[mode_key]->where, std::string(dep) + "JobMode=isolate with more than one " + dep +
                                               "= unit: systemd refuses the unit (isolate starts exactly one)");
    }
    auto extra = value_at("Service.RuntimeRandomizedExtraSec");
    auto max = value_at("Service.RuntimeMaxSec");
    if (extra && !extra->empty() && (!max || max->empty() || *max == "infinity"))
        c.error(last["Service.RuntimeRandomizedExtraSec"]->where,
                "RuntimeRandomizedExtraSec= does nothing without RuntimeMaxSec= (systemd ignores it with a warning)");
}

}  // namespace formation::detail
