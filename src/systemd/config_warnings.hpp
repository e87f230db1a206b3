// What systemd said about unit files it loaded: "FILE:LINE: … ignoring"
// warnings (MESSAGE_ID=SD_MESSAGE_INVALID_CONFIGURATION), which are logged,
// not returned over D-Bus. Knows units, not formations.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace formation::systemd {

struct ConfigWarning {
    std::string unit;     // UNIT= (USER_UNIT= under a user manager): the unit being loaded
    std::string message;  // "/run/systemd/generator/x@.service:51: Failed to parse …, ignoring"
};

// Warnings the manager (PID 1, or the calling user's manager) logged since
// `since_usec` (CLOCK_REALTIME) about units `wanted` accepts, oldest first,
// each message once (a template's warning repeats for every instance).
// Empty when the journal cannot be read: a best effort, never an error.
std::vector<ConfigWarning> config_warnings(bool user, std::uint64_t since_usec,
                                           const std::function<bool(const std::string& unit)>& wanted);

}  // namespace formation::systemd
