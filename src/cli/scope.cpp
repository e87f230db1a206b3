#include "cli/scope.hpp"

#include <cstdlib>

#include "app/context.hpp"
#include "app/app_name.hpp"

namespace formation::cli {

app::Env host_env(const Globals& g) { return app::host_env(g.user, g.quiet); }

std::string resolve_app(const Globals& g, const std::string& verb_app) {
    return app::app_named(verb_app.empty() ? g.app : verb_app, g.file);
}

app::InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app) {
    return app::load_installed(app::host_store(g.user), g.user, resolve_app(g, verb_app));
}

std::string invoking_user() {
    for (const char* var : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char* v = std::getenv(var); v && *v) return v;
    return "?";
}

}  // namespace formation::cli
