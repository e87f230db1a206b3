#include "cli/common.hpp"

#include <cstdlib>

#include "compile/render.hpp"
#include "formation/parse.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

std::string helper_path() {
    if (const char* env = std::getenv("FORMATION_HELPER"); env && *env == '/') return env;
    return FORMATION_HELPER_PATH;
}

int lock_timeout_sec() {
    const char* env = std::getenv("FORMATION_LOCK_TIMEOUT");
    if (!env || !*env) return 300;
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    return (*end == '\0' && v >= 0 && v <= 86400) ? static_cast<int>(v) : 300;
}

LoadedFormation parse_loaded(const std::string& path, std::string text) {
    try {
        Formation f = parse_formation(text, path);
        if (auto errors = validation_errors(f); !errors.empty()) throw FormationError(std::move(errors));
        return {path, std::move(text), std::move(f)};
    } catch (const FormationError& e) {
        throw InvalidFormation{e, std::move(text)};
    }
}

LoadedFormation load_formation(const std::string& path) {
    std::optional<std::string> text;
    try {
        text = host::read_file(path);
    } catch (const std::exception& e) {
        throw CliError(e.what(), exit_usage);
    }
    if (!text) throw CliError(path + ": no such file (use -f FILE, or -a APP for an installed app)", exit_usage);
    return parse_loaded(path, std::move(*text));
}

}  // namespace formation::cli
