// Errors about a formation file, carrying where they are.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "formation/model.hpp"

namespace formation {

struct Diagnostic {
    SourcePos where;
    std::string message;
};

// Thrown by the parser with every error it found (at least one), in file order.
class FormationError : public std::runtime_error {
public:
    explicit FormationError(std::vector<Diagnostic> diagnostics);
    explicit FormationError(Diagnostic diagnostic);
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

// "FILE:LINE:COL: error: MESSAGE" followed by the source line and a caret
// under the column, when the line is known and `source` holds it.
std::string format_diagnostic(const Diagnostic& d, std::string_view source,
                              std::string_view severity = "error");

}  // namespace formation
