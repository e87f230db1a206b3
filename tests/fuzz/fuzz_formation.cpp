// libFuzzer target: any bytes through render (parse → validate → compile,
// what the generator does) → lint → unit names → plan → count editing. A refusal (FormationError) is fine; a crash, a leak,
// a sanitizer report or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "compile/compile.hpp"
#include "compile/render.hpp"
#include "formation/count_edit.hpp"
#include "formation/parse.hpp"
#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    formation::Formation f;
    try {
        f = formation::parse_formation(text, "fuzz.toml");
    } catch (const formation::FormationError& e) {
        if (e.diagnostics().empty()) __builtin_trap();
        return 0;
    }
    formation::lint_formation(f);
    // The generator's path: the same bytes must render the same way.
    formation::Rendered r = formation::render(text, "fuzz.toml", {}, f.app);
    if (r.ok() != formation::validation_errors(f).empty()) __builtin_trap();
    formation::UnitSet set = formation::compile(f, {false, "/usr/bin/formation"});
    if (set.instances.empty() && !f.processes.empty()) {
        int total = 0;
        for (const auto& p : f.processes) total += p.count;
        if (total != 0) __builtin_trap();
    }
    // Every name compile() makes parses back as what it names.
    for (const auto& i : set.instances) {
        auto ref = formation::parse_instance(set.app, i.unit);
        if (!ref || ref->type != i.type || ref->index != i.index) __builtin_trap();
        if (!i.socket.empty() && formation::parse_socket(set.app, i.socket)->unit != i.unit) __builtin_trap();
    }
    formation::Plan plan = formation::make_plan(nullptr, set, formation::Observed{}, true);
    if (plan.start.size() != set.instances.size()) __builtin_trap();
    // Against itself, running: nothing to do.
    formation::Observed running;
    for (const auto& i : set.instances) running.active[i.unit] = "active";
    running.active[set.app_target] = "active";
    if (!formation::make_plan(&set, set, running, false).empty()) __builtin_trap();
    // Scaling every type to 2 must give text that parses to the same app.
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& p : f.processes) counts.emplace_back(p.name, 2);
    try {
        std::string scaled = formation::set_counts(text, "fuzz.toml", counts);
        formation::Formation g = formation::parse_formation(scaled, "fuzz.toml");
        if (g.app != f.app) __builtin_trap();
        for (const auto& p : g.processes)
            if (p.count != 2) __builtin_trap();
    } catch (const formation::FormationError&) {
        // Inline tables and dotted keys are refused by design.
    }
    return 0;
}
