#include "cli/log_lines.hpp"

#include <algorithm>

namespace formation::cli {

void LogPrinter::widen(std::string_view label) { width_ = std::max(width_, display_width(terminal_safe(label))); }

std::string LogPrinter::format(std::string_view label, std::string_view message, Color color) {
    widen(label);
    std::string shown = terminal_safe(label);
    shown += std::string(width_ - display_width(shown), ' ') + " |";
    const std::string prefix = colored(shown, color) + ' ';
    std::string_view rest = message;
    if (rest.size() > 1 && rest.back() == '\n') rest.remove_suffix(1);  // no empty last line
    std::string out;
    for (;;) {
        auto nl = rest.find('\n');
        out += prefix;
        out += terminal_safe(rest.substr(0, nl), true);
        out += '\n';
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return out;
}

}  // namespace formation::cli
