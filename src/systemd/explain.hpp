// One table of what systemd's result words mean, for every report that
// shows them (deploy failures, status).
#pragma once

#include <string>
#include <string_view>

namespace formation::systemd {

// A job's result (JobRemoved): "timeout" → "the job timed out".
std::string explain_job_result(std::string_view result);

// A service's Result property: "exit-code" → "main process exited with a non-zero status".
std::string explain_service_result(std::string_view result);

// A socket's Result property: "resources" → "systemd could not listen on its address (…)".
std::string explain_socket_result(std::string_view result);

}  // namespace formation::systemd
