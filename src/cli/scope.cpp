#include "cli/scope.hpp"

#include "app/context.hpp"
#include "formation/values.hpp"

namespace formation::cli {

app::Env host_env(const Globals& g) { return app::host_env(g.user, g.quiet); }

std::string resolve_app(const Globals& g, const std::string& verb_app) {
    const std::string& app = verb_app.empty() ? g.app : verb_app;
    if (app.empty()) return load_formation(g.file).formation.app;
    if (!is_valid_app_name(app))
        throw CliError("-a " + app + ": not an app name (lowercase letters, digits and single dashes, e.g. shop)",
                       exit_usage);
    return app;
}

app::InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app) {
    return app::load_installed(app::host_store(g.user), g.user, resolve_app(g, verb_app));
}

}  // namespace formation::cli
