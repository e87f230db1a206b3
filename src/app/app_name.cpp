#include "app/app_name.hpp"

#include "app/error.hpp"
#include "app/formation_file.hpp"
#include "formation/values.hpp"

namespace formation::app {

std::string app_named(const std::string& app, const std::string& file) {
    if (app.empty()) return load_formation(file).formation.app;
    if (!is_valid_app_name(app))
        throw Error("-a " + app + ": not an app name (lowercase letters, digits and single dashes, e.g. shop)",
                    exit_usage);
    return app;
}

}  // namespace formation::app
