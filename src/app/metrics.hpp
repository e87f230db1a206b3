// `formation metrics`: what status sees of every installed app, in
// Prometheus's text exposition format (version 0.0.4). Pure: the caller
// observes each app (local_status) and writes the text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/status_view.hpp"

namespace formation::app {

struct AppMetrics {
    StatusView view;
    std::string host;  // the host label: this machine's name
};

// Every family once, with HELP and TYPE, samples sorted by app, type and
// instance:
//   formation_instance_up                      1 while active
//   formation_instance_ready                   1 while active and not failing its health check
//                                              (its start waited for readiness and health)
//   formation_instance_cpu_seconds_total       counter (CPUAccounting=)
//   formation_instance_memory_bytes            gauge
//   formation_instance_restarts_total          counter (NRestarts)
//   formation_instance_start_time_seconds      gauge: when the current run began
//   formation_type_desired_instances           gauge: the formation's count
//   formation_scheduled_last_run_timestamp_seconds, _last_run_duration_seconds,
//   formation_scheduled_last_run_success (1/0), formation_scheduled_running,
//   formation_scheduled_next_run_timestamp_seconds
// Labels app, type, instance ("web.2"), host; escaped as the format says.
std::string render_metrics(const std::vector<AppMetrics>& apps, std::uint64_t now_usec);

}  // namespace formation::app

namespace formation::app {

// Every app installed on this host (-u: the user's), observed as `status`
// observes one; an app whose file is invalid and has no last good copy is
// left out, with a line in `problems`. Throws SystemdError when the manager
// is unreachable.
std::vector<AppMetrics> observe_installed(bool user, std::vector<std::string>& problems);

}  // namespace formation::app
