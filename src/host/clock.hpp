// The clocks formation reads, in µs: CLOCK_MONOTONIC for deadlines and
// intervals, CLOCK_REALTIME as the journal and systemd stamp events.
// Header-only: every layer that waits or stamps reads them the same way.
#pragma once

#include <time.h>

#include <cstdint>

namespace formation::host {

inline std::uint64_t clock_usec(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000 + static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

inline std::uint64_t monotonic_usec() { return clock_usec(CLOCK_MONOTONIC); }
inline std::uint64_t realtime_usec() { return clock_usec(CLOCK_REALTIME); }

}  // namespace formation::host
