// A StatusView as a table: the local one of `status`, and the rows of one
// host in the multi-host table. The same cells and notes for both.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/status_view.hpp"
#include "cli/table.hpp"

namespace formation::cli {

// Journal lines shown under a failing instance's row, by unit.
using StatusDetails = std::map<std::string, std::vector<std::string>>;

// UNIT STATE PID UPTIME STARTUP MEMORY RESTARTS PORT [SOCKET] NOTE, a
// heading per type ("web 2/3 running, 1 failed").
Table status_table(const app::StatusView& v, const StatusDetails& details);

// HOST UNIT STATE PID UPTIME MEMORY RESTARTS PORT NOTE.
Table hosts_status_table();
// One host's headings ("alpha: web 2/2 running") and rows.
void add_host_status(Table& table, const std::string& host, const app::StatusView& v);

}  // namespace formation::cli
