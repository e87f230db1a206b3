// The cells of one status row, shared by `status` (one host and across
// [hosts]) and `top`: the same words and colors everywhere.
#pragma once

#include "app/status_view.hpp"
#include "cli/table.hpp"

namespace formation::cli {

struct InstanceCells {
    Cell unit, state, pid, uptime, startup, memory, restarts, port, socket, health, note;
};

// An instance's row; a shared socket's row under its type's heading; a
// scheduled type's timer row (when it runs next) and run row (the last or
// current run).
InstanceCells cells(const app::InstanceStatus& i);
InstanceCells shared_cells(const app::TypeStatus& t);
InstanceCells timer_cells(const app::ScheduledStatus& s);
InstanceCells run_cells(const app::ScheduledStatus& s);

// "active/running" green, failing red, anything else yellow.
Cell state_cell(const app::InstanceStatus& i);
// healthy green, unhealthy red, "-" not checked yet; null without health.
Cell health_cell(const app::InstanceStatus& i);

}  // namespace formation::cli
