// observe_installed(): the status of every installed app, for `metrics`.
#include <unistd.h>

#include "app/context.hpp"
#include "app/metrics.hpp"
#include "host/store.hpp"

namespace formation::app {

std::vector<AppMetrics> observe_installed(bool user, std::vector<std::string>& problems) {
    host::Store store = host_store(user);
    host::Scan scan = host::scan_installed(store.paths());
    problems = scan.problems;
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
    std::vector<AppMetrics> out;
    for (const auto& in : scan.files) {
        try {
            InstalledFormation f = load_installed(store, user, in.app);
            out.push_back({local_status(user, f), name});
        } catch (const InvalidFormation&) {
            problems.push_back(in.path.string() + " is invalid and has no last good copy: app " + in.app + " left out");
        }
    }
    return out;
}

}  // namespace formation::app
