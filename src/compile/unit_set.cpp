#include "compile/unit_set.hpp"

#include <algorithm>

namespace formation {

const UnitFile* UnitSet::find(const std::string& path) const {
    auto it = std::lower_bound(files.begin(), files.end(), path,
                               [](const UnitFile& f, const std::string& p) { return f.path < p; });
    return it != files.end() && it->path == path ? &*it : nullptr;
}

}  // namespace formation
