// formation cron-check LINE...: how a piku cron line ("MIN HOUR DOM MON DOW
// COMMAND") reads as a systemd calendar event (import/cron.hpp). Hidden: for
// tests/cli/cron.sh, which compares the events' firing times from
// systemd-analyze with cron's. One result a line, in argument order:
// "ok<TAB>CALENDAR<TAB>COMMAND" or "error<TAB>MESSAGE"; exits 1 when any is an error.
#include <CLI/CLI.hpp>

#include <iostream>
#include <stdexcept>

#include "cli/common.hpp"
#include "import/cron.hpp"

namespace formation::cli {

namespace {

bool print_one(const std::string& line) {
    try {
        CronLine c = parse_cron_line(line);
        std::cout << "ok\t" << c.calendar << '\t' << c.command << '\n';
        return true;
    } catch (const std::invalid_argument& e) {
        std::cout << "error\t" << e.what() << '\n';
        return false;
    }
}

}  // namespace

void add_cron_check(CLI::App& root, const Globals&, Run& run) {
    auto lines = std::make_shared<std::vector<std::string>>();
    auto* cmd = root.add_subcommand("cron-check", "Show each cron line as a systemd calendar event (for tests)");
    cmd->group("");  // internal: hidden from --help
    cmd->add_option("line", *lines, "A cron line: MIN HOUR DOM MON DOW COMMAND (after --)")->required();
    cmd->callback([&run, lines] {
        run = [lines] {
            bool all_ok = true;
            for (const auto& line : *lines) all_ok = print_one(line) && all_ok;
            return all_ok ? exit_ok : exit_failed;
        };
    });
}

}  // namespace formation::cli
