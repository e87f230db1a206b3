// How a journal entry is shown, for `logs` here and across [hosts]: each
// line of the message after its instance's label, "web.1 | …" or
// "alpha/web.1 | …", labels padded to one width.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cli/table.hpp"

namespace formation::cli {

class LogPrinter {
public:
    // The labels are at least as wide as `label` from now on.
    void widen(std::string_view label);

    // Each line of `message` (a last "\n" dropped) as "LABEL | line\n". A
    // process may log anything: control characters (an escape sequence that
    // retitles the terminal or clears it) and bytes that are not UTF-8 are
    // shown as C escapes ("\x1b]0;…\x07"), not sent to the terminal; tabs
    // and valid UTF-8 text are kept. (journalctl hides such a message as
    // "[N blob data]" unless --all; an escape keeps the line readable.)
    std::string format(std::string_view label, std::string_view message, Color color = Color::none);

private:
    std::size_t width_ = 0;
};

}  // namespace formation::cli
