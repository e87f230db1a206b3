#include "formation/error.hpp"

namespace formation {

namespace {

std::string first_message(const std::vector<Diagnostic>& ds) {
    return ds.empty() ? std::string("invalid formation") : ds.front().message;
}

std::string_view line_of(std::string_view source, int line) {
    int current = 1;
    std::size_t start = 0;
    while (current < line) {
        std::size_t nl = source.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
        ++current;
    }
    std::size_t end = source.find('\n', start);
    std::string_view text = source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

}  // namespace

FormationError::FormationError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(first_message(diagnostics)), diagnostics_(std::move(diagnostics)) {}

FormationError::FormationError(Diagnostic diagnostic)
    : FormationError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

std::string format_diagnostic(const Diagnostic& d, std::string_view source, std::string_view severity) {
    std::string out = d.where.file;
    if (d.where.line > 0) {
        out += ':' + std::to_string(d.where.line);
        if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
    }
    out += ": ";
    out += severity;
    out += ": ";
    out += d.message;
    out += '\n';
    if (d.where.line > 0) {
        std::string_view text = line_of(source, d.where.line);
        if (!text.empty()) {
            out += "    ";
            out += text;
            out += '\n';
            if (d.where.column > 0) {
                out += "    ";
                // Keep tabs so the caret lines up under tabbed source.
                for (int i = 1; i < d.where.column && static_cast<std::size_t>(i - 1) < text.size(); ++i)
                    out += text[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
                out += "^\n";
            }
        }
    }
    return out;
}

}  // namespace formation
