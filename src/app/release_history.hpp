// Release history (host/releases.hpp) as the verbs use it: what each
// release changed, in one line, and rollback's choice of release.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formation/model.hpp"
#include "host/releases.hpp"

namespace formation::app {

// "web 3→5; env RELEASE v1→v2; +clock ×1". Pure. `before` nullptr: the
// first release ("web ×3, worker ×1"). Values that look like secrets, or
// are long, are not shown ("env DATABASE_URL changed").
std::string summarize_changes(const Formation* before, const Formation& after);

// Which release `rollback [N]` applies: N, which must be kept; without N,
// the one before the last. Throws Error (exit 2) saying why there is none.
const host::Release& rollback_target(const std::vector<host::Release>& kept, std::optional<unsigned> n,
                                     const std::string& app);

}  // namespace formation::app
