// Output for verbs that list things: one Table prints both the aligned human
// table and JSON, so the two views never drift apart. Plus the small human
// formats (uptime, memory) and the terminal color decision.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "formation/error.hpp"
#include "json/json.hpp"
#include "text/utf8.hpp"

namespace formation::cli {

enum class Color { none, green, red, yellow, blue, magenta, cyan };

// True when stdout is a terminal and $NO_COLOR is unset (no-color.org; an empty
// NO_COLOR counts as set too, the stricter reading).
bool stdout_wants_color();

// `text` wrapped in the ANSI sequence for `c`; unchanged for Color::none.
std::string colored(std::string_view text, Color c);

// `s` made harmless for a terminal (control and bidi characters as C
// escapes): one helper for the table, logs and diagnostics, in the core.
using formation::terminal_safe;

// Columns a terminal shows for `s`: UTF-8 continuation bytes take none.
inline std::size_t display_width(std::string_view s) { return utf8::columns(s); }

// 5s, 3m12s, 2h04m, 3d02h.
std::string format_duration(std::uint64_t usec);

// 512B, 64K, 12.3M, 1.5G (base 1024, as systemd counts memory).
std::string format_bytes(std::uint64_t bytes);

// One cell: what the human table shows, and the JSON literal for the same value.
struct Cell {
    std::string text;
    std::string json;
    Color color = Color::none;
};

Cell text_cell(std::string s, Color c = Color::none);
Cell number_cell(std::uint64_t n);
// A number shown some other way in the table (an uptime, a size).
Cell number_cell(std::uint64_t n, std::string shown);
Cell bool_cell(bool b);
Cell null_cell(std::string shown = "-");

// A column with an empty header is JSON only; one with an empty key is
// shown only in the human table.
struct Column {
    std::string header;
    std::string key;
    bool right = false;  // right-aligned (numbers)
};

class Table {
public:
    explicit Table(std::vector<Column> columns, std::size_t indent = 0)
        : columns_(std::move(columns)), indent_(indent) {}

    // Rows must have one cell per column. Returns the row's index.
    std::size_t add_row(std::vector<Cell> cells);
    // Text-only lines: a heading before the next row, details after the last.
    void add_heading(std::string line);
    void add_detail(std::string line);

    std::size_t rows() const { return rows_.size(); }

    // Header, then rows with headings and details, columns aligned across
    // every row. No trailing blanks.
    void print_text(std::ostream& os, bool color) const;

    // Row `i` as a JSON object of the keyed columns, in column order.
    std::string row_json(std::size_t i) const;
    // Every row, as a JSON array.
    void print_json(std::ostream& os) const;

private:
    struct Row {
        std::vector<std::string> before, after;
        std::vector<Cell> cells;
    };
    std::vector<Column> columns_;
    std::size_t indent_;
    std::vector<Row> rows_;
    std::vector<std::string> pending_headings_;

    std::string text_line(const std::vector<std::string>& texts, const std::vector<Color>& colors,
                          const std::vector<std::size_t>& widths, bool color) const;
};

}  // namespace formation::cli
