// What the app layer acts through, given to it rather than found: the
// host's store of installed formations, the Manager (connected on first
// use, so an app that is not installed is reported before an unreachable
// systemd), the journal that explains failures, the clock, and where
// warnings go. host_env() makes the real one; tests give fakes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/store.hpp"
#include "systemd/config_warnings.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

// What failure reports read from the journal.
class Journal {
public:
    virtual ~Journal() = default;
    // The instance's last `lines` lines, each "    line\n".
    virtual std::string last_lines(const std::string& unit, std::size_t lines) = 0;
    // What systemd itself logged about `unit` since `since_usec` (a socket
    // that could not listen), each "    line\n"; empty when nothing.
    virtual std::string manager_lines(const std::string& unit, std::uint64_t since_usec) = 0;
    // Settings systemd ignored while loading units `wanted` accepts.
    virtual std::vector<systemd::ConfigWarning> config_warnings(
        std::uint64_t since_usec, const std::function<bool(const std::string& unit)>& wanted) = 0;
};

struct Env {
    bool user = false;   // the user's manager and formations
    bool quiet = false;  // -q: no warnings, notes or progress
    host::Store store;
    std::function<systemd::Manager&()> manager;
    std::shared_ptr<Journal> journal;
    std::function<void(std::uint64_t usec)> sleep;
    std::function<void(const std::string& line)> say;  // a line on stderr
    bool tty = false;              // stderr is a terminal: deploy says what it does
    std::filesystem::path generator;  // formation's generator as systemd finds it; empty: not installed
    // Runs a one-off transient service to its end (the release phase):
    // app::run_transient on this host.
    std::function<systemd::TransientExit(const systemd::TransientSpec&)> one_off;
    // The monotonic clock (µs) that times a roll's holds; empty: a hold
    // counts only what `sleep` slept (fakes).
    std::function<std::uint64_t()> clock = {};
};

// This host: host::paths(user) (exit 2 when a user path cannot be found),
// systemd over sd-bus with progress on a terminal, sd-journal, real time.
Env host_env(bool user, bool quiet);

}  // namespace formation::app
