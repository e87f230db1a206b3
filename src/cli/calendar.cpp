// formation calendar-check SPEC...: each spec as systemd 252 reads a timer's
// OnCalendar= (formation/calendar_252.hpp) with this host's zones, one line
// each: "ok<TAB>NORMALIZED" or "error<TAB>REASON". Exits 0 when all are
// valid, 1 otherwise. Hidden: tests/cli/calendar.sh compares it with
// `systemd-analyze calendar`.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "formation/calendar_252.hpp"
#include "host/zoneinfo.hpp"

namespace formation::cli {

void add_calendar_check(CLI::App& root, const Globals&, Run& run) {
    auto specs = std::make_shared<std::vector<std::string>>();
    auto* cmd = root.add_subcommand("calendar-check", "Check calendar specs as systemd 252 reads OnCalendar=");
    cmd->group("");  // internal: hidden from --help
    cmd->add_option("spec", *specs, "Calendar specs (put -- before them)")->required();
    cmd->callback([&run, specs] {
        run = [specs] {
            const CalendarZones zones = host::calendar_zones();
            int rc = exit_ok;
            for (const auto& spec : *specs) {
                const CalendarParse parsed = parse_calendar_252(spec, zones);
                if (parsed.normalized) {
                    std::cout << "ok\t" << *parsed.normalized << '\n';
                } else {
                    std::cout << "error\t" << parsed.error << '\n';
                    rc = exit_failed;
                }
            }
            std::cout << std::flush;
            return rc;
        };
    });
}

}  // namespace formation::cli
