// scale's TYPE=N arguments live in app/; verb files that parse them include this.
#pragma once

#include "app/count_changes.hpp"

namespace formation::cli {
using app::CountChange;
using app::parse_count_changes;
using app::resolve_counts;
using app::types_of;
}  // namespace formation::cli
