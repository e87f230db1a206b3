// Errors about a formation file, carrying where they are.
#pragma once

#include <cstddef>
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
// under the column (counted in characters, as the parser counts), when the
// line is known and `source` holds it. Everything is passed through
// terminal_safe(), the source line too: a formation file from a checkout may
// hold escape sequences in a comment or a value.
std::string format_diagnostic(const Diagnostic& d, std::string_view source,
                              std::string_view severity = "error");

// `s` made harmless for a terminal, as C escapes: valid UTF-8 printable text
// as it is; control characters (C0, DEL, and C1 as U+0080..U+009F), which
// could move the cursor, retitle the window or clear the screen, as "\x1b",
// "\r", "\u009b"…; the bidirectional controls (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069), which reorder what is shown, as
// "\u202e"…; a byte that is not UTF-8 as "\xff". Backslashes stay as they
// are (a JSON log line stays readable). Tabs are kept when keep_tabs.
// Every line formation echoes from an input or a process goes through it.
std::string terminal_safe(std::string_view s, bool keep_tabs = false);

}  // namespace formation
