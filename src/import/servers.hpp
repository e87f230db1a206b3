// The web servers formation.toml(5) SOCKETS names, recognised in a Procfile
// command, and how each takes its socket from systemd: `import` writes it
// as a comment above the type, so turning socket = true on is one edit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation {

struct SocketHint {
    std::string server;                 // "gunicorn", "uvicorn", "puma", "node"
    std::vector<std::string> comment;   // lines, without "# "
};

// The hint for a Procfile command run by one of those servers (after
// "bundle exec", "exec", "python -m" and VAR=value words), or nullopt.
std::optional<SocketHint> socket_hint(std::string_view command);

}  // namespace formation
