// What `formation top` draws each second: one table of every instance of
// every host sampled, with its CPU % since the last look. Pure: the verb
// samples and writes to the terminal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/top_view.hpp"
#include "cli/table.hpp"

namespace formation::cli {

// [HOST] INSTANCE STATE CPU% MEMORY RESTARTS UPTIME [HEALTH] NOTE, a
// heading per type ("web 2/3 running, 1 failed", "alpha: web …" across
// hosts), a host that did not answer as a heading saying why. HOST only
// when a sample names its host; HEALTH when some type has health.
Table top_table(const std::vector<app::TopSample>& samples, const std::map<std::string, double>& cpu);

// The line above the table: "shop: 5/5 running, 1 failed" (instances of
// every host sampled).
std::string top_title(const std::string& app, const std::vector<app::TopSample>& samples);

// `text`'s lines cut to `columns` display columns and at most `lines`
// lines (the last one saying how many more there were when it cut).
std::vector<std::string> fit(const std::string& text, std::size_t columns, std::size_t lines);

}  // namespace formation::cli
