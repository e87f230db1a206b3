// A formation file's text → its units, with every reason it cannot be:
// parse, validate (systemd's limits, reserved names, the file's own name)
// and compile, in one pure step shared by check, apply, generate and the
// generator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/compile.hpp"
#include "compile/unit_set.hpp"
#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation {

struct Rendered {
    std::optional<Formation> formation;  // set when it parsed
    UnitSet set;                         // set when errors is empty
    std::vector<Diagnostic> errors;      // in file order
    bool ok() const { return errors.empty(); }
};

// `path` names the file in diagnostics. `expected_app`, when not empty, is
// the name the file is installed under (APP.toml): app = must equal it, so
// two files can never claim one unit name.
Rendered render(std::string_view text, const std::string& path, const CompileOptions& options,
                const std::string& expected_app = {});

// Validation only (no units): the errors render() would give.
// `zones`: the host's (a schedule's time zone must exist there).
std::vector<Diagnostic> validation_errors(const Formation& f, const CalendarZones& zones = {});

// "PATH:LINE:COL: MESSAGE" on one line, through terminal_safe() (tabs kept in
// the message), for logs.
std::string one_line(const Diagnostic& d);

}  // namespace formation
