#include "app/installed.hpp"

#include <cstdlib>

#include "host/zoneinfo.hpp"

namespace formation::app {

std::string helper_path() {
    if (const char* env = std::getenv("FORMATION_HELPER"); env && *env == '/') return env;
    return FORMATION_HELPER_PATH;
}

CompileOptions compile_options(bool user, const std::string& installed_path) {
    return CompileOptions{user, helper_path(), installed_path, host::calendar_zones(), {}};
}

Resolved resolve_installed(const host::InstalledFile& in, const CompileOptions& options, bool last_good_only) {
    Resolved out;
    if (!last_good_only) {
        out.path = in.path.string();
        out.text = in.text;
        out.rendered = render(in.text, out.path, options, in.app);
        if (out.rendered.ok()) return out;
        out.installed_errors = out.rendered.errors;
        if (!in.last_good) return out;
    }
    if (!in.last_good) return out;  // last_good_only without one: nothing tried, not ok()
    out.on_last_good = true;
    out.path = in.last_good_path.string();
    out.text = *in.last_good;
    out.rendered = render(out.text, out.path, options, in.app);
    return out;
}

}  // namespace formation::app
