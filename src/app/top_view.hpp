// `formation top`: what changed between two looks at an app (CPU use),
// pure. The verb samples (locally or over [hosts]) and draws.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/status_view.hpp"

namespace formation::app {

// One host's view at one moment; `host` is empty for this host alone.
struct TopSample {
    std::string host;
    std::optional<StatusView> view;  // none when the host did not answer
    std::string error;               // then, why
    std::uint64_t at_usec = 0;       // CLOCK_MONOTONIC when it was taken
};

// CPU % of one instance over `elapsed_usec` (100 = one core busy), or
// nullopt when it cannot be told: no CPU figure in either look, another
// process than before (PID changed, counter went back), or no time passed.
std::optional<double> cpu_percent(const InstanceStatus& before, const InstanceStatus& now, std::uint64_t elapsed_usec);

// Every instance's CPU % between two rounds of samples, by host and unit
// ("alpha\tshop-web@1.service"; "\tshop-web@1.service" for this host).
std::map<std::string, double> cpu_percents(const std::vector<TopSample>& before, const std::vector<TopSample>& now);
std::string cpu_key(const std::string& host, const std::string& unit);

// "12.5", "0.0", "103" (tenths below 100, whole above).
std::string format_percent(double p);

}  // namespace formation::app
