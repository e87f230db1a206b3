// Reading a Procfile as foreman and honcho do, for `formation import`. Pure:
// the caller reads the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "import/dialect.hpp"
#include "formation/error.hpp"

namespace formation {

struct ProcfileEntry {
    std::string name;     // as written: [A-Za-z0-9_-]+
    std::string command;  // the rest of the line after ":" and any whitespace
    int line = 0;
    int column = 0;       // where the command starts, 1-based
};

struct Procfile {
    std::vector<ProcfileEntry> entries;  // in file order
    std::vector<Diagnostic> warnings;    // lines the tools would ignore, with why
};

// Throws FormationError with every error found (a name declared twice, text
// that is not UTF-8, no entry at all), positioned in `file`.
Procfile parse_procfile(std::string_view text, const std::string& file, Dialect dialect);

}  // namespace formation
