#include "cli/app_context.hpp"

#include <iostream>

#include "app/installed.hpp"
#include "formation/values.hpp"

namespace formation::cli {

host::Store host_store(const Globals& g) { return app::host_store(g.user); }

app::Env host_env(const Globals& g) { return app::host_env(g.user, g.quiet); }

std::string resolve_app(const Globals& g, const std::string& verb_app) {
    const std::string& app = verb_app.empty() ? g.app : verb_app;
    if (app.empty()) return load_formation(g.file).formation.app;
    if (!is_valid_app_name(app))
        throw CliError("-a " + app + ": not an app name (lowercase letters, digits and single dashes, e.g. shop)",
                       exit_usage);
    return app;
}

InstalledFormation load_installed(const Globals& g, const std::string& app) {
    return app::load_installed(host_store(g), g.user, app);
}

void warn_if_last_good(const Globals& g, const InstalledFormation& f) {
    if (f.on_last_good && !g.quiet) std::cerr << app::last_good_warning(f) << "\n";
}

InstalledFormation resolve_formation(const Globals& g, const std::string& verb_app) {
    return load_installed(g, resolve_app(g, verb_app));
}

CompileOptions install_options(const Globals& g, const std::string& installed_path) {
    return app::compile_options(g.user, installed_path);
}

CompileOptions install_options(const Globals& g, const InstalledFormation& f) {
    return app::install_options(g.user, f);
}

std::vector<PortClaim> other_apps_ports(const Globals& g, const std::string& app) {
    return app::other_apps_ports(g.user, app);
}

}  // namespace formation::cli
