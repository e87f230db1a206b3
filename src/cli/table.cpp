#include "cli/table.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace formation::cli {

bool stdout_wants_color() {
    if (std::getenv("NO_COLOR")) return false;  // set at all, even empty
    return isatty(STDOUT_FILENO) == 1;
}

std::string colored(std::string_view text, Color c) {
    const char* code = nullptr;
    switch (c) {
        case Color::none: return std::string(text);
        case Color::green: code = "32"; break;
        case Color::red: code = "31"; break;
        case Color::yellow: code = "33"; break;
        case Color::blue: code = "34"; break;
        case Color::magenta: code = "35"; break;
        case Color::cyan: code = "36"; break;
    }
    return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

std::string format_duration(std::uint64_t usec) {
    std::uint64_t s = usec / 1000000;
    char buf[48];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(s));
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    else if (s < 86400)
        std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                      static_cast<unsigned long long>(s % 3600 / 60));
    else
        std::snprintf(buf, sizeof buf, "%llud%02lluh", static_cast<unsigned long long>(s / 86400),
                      static_cast<unsigned long long>(s % 86400 / 3600));
    return buf;
}

std::string format_bytes(std::uint64_t bytes) {
    char buf[48];
    if (bytes < 1024) {
        std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
        return buf;
    }
    if (bytes < 1024 * 1024) {
        std::snprintf(buf, sizeof buf, "%lluK", static_cast<unsigned long long>(bytes / 1024));
        return buf;
    }
    static const char units[] = "MGTPE";
    double v = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units - 1) {
        v /= 1024.0;
        ++u;
    }
    std::snprintf(buf, sizeof buf, "%.1f%c", v, units[u]);
    return buf;
}

Cell text_cell(std::string s, Color c) {
    std::string json = json::quote(s);
    return {std::move(s), std::move(json), c};
}

Cell number_cell(std::uint64_t n) { return {std::to_string(n), std::to_string(n), Color::none}; }

Cell number_cell(std::uint64_t n, std::string shown) { return {std::move(shown), std::to_string(n), Color::none}; }

Cell bool_cell(bool b) { return {b ? "yes" : "no", b ? "true" : "false", Color::none}; }

Cell null_cell(std::string shown) { return {std::move(shown), "null", Color::none}; }

std::size_t Table::add_row(std::vector<Cell> cells) {
    cells.resize(columns_.size());
    rows_.push_back({std::move(pending_headings_), {}, std::move(cells)});
    pending_headings_.clear();
    return rows_.size() - 1;
}

void Table::add_heading(std::string line) { pending_headings_.push_back(std::move(line)); }

void Table::add_detail(std::string line) {
    if (rows_.empty())
        pending_headings_.push_back(std::move(line));
    else
        rows_.back().after.push_back(std::move(line));
}

std::string Table::text_line(const std::vector<std::string>& texts, const std::vector<Color>& colors,
                             const std::vector<std::size_t>& widths, bool color) const {
    std::string line(indent_, ' ');
    bool first = true;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        if (columns_[c].header.empty()) continue;  // JSON only
        if (!first) line += "  ";
        first = false;
        std::string pad(widths[c] - display_width(texts[c]), ' ');
        std::string shown = color ? colored(texts[c], colors[c]) : texts[c];
        line += columns_[c].right ? pad + shown : shown + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

// Every text goes through terminal_safe(): cells, headings and details may
// hold what a unit's process wrote (its journal lines, for instance).
void Table::print_text(std::ostream& os, bool color) const {
    std::vector<std::size_t> widths(columns_.size());
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> texts(rows_.size());
    for (std::size_t r = 0; r < rows_.size(); ++r)
        for (const auto& cell : rows_[r].cells) texts[r].push_back(terminal_safe(cell.text));
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        headers.push_back(columns_[c].header);
        widths[c] = display_width(columns_[c].header);
        for (const auto& row : texts) widths[c] = std::max(widths[c], display_width(row[c]));
    }
    std::vector<Color> plain(columns_.size(), Color::none);
    os << text_line(headers, plain, widths, false) << '\n';
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        for (const auto& h : rows_[r].before) os << terminal_safe(h, true) << '\n';
        std::vector<Color> colors;
        for (const auto& cell : rows_[r].cells) colors.push_back(cell.color);
        os << text_line(texts[r], colors, widths, color) << '\n';
        for (const auto& d : rows_[r].after) os << terminal_safe(d, true) << '\n';
    }
    for (const auto& h : pending_headings_) os << terminal_safe(h, true) << '\n';
}

std::string Table::row_json(std::size_t i) const {
    std::string out = "{";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        if (columns_[c].key.empty()) continue;  // text only
        if (out.size() > 1) out += ',';
        out += json::quote(columns_[c].key) + ':' + rows_[i].cells[c].json;
    }
    return out + "}";
}

void Table::print_json(std::ostream& os) const {
    os << '[';
    for (std::size_t i = 0; i < rows_.size(); ++i) os << (i ? "," : "") << row_json(i);
    os << "]\n";
}

}  // namespace formation::cli
