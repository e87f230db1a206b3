#include "cli/common.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "compile/compile.hpp"
#include "formation/parse.hpp"
#include "systemd/unit_dir.hpp"

namespace formation::cli {

std::string helper_path(bool this_binary) {
    if (const char* env = std::getenv("FORMATION_HELPER"); env && *env) return env;
    if (this_binary) {
        std::error_code ec;
        auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) return self.string();
    }
    return FORMATION_BINDIR "/formation";
}

int lock_timeout_sec() {
    const char* env = std::getenv("FORMATION_LOCK_TIMEOUT");
    if (!env || !*env) return 60;
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    return (*end == '\0' && v >= 0 && v <= 86400) ? static_cast<int>(v) : 60;
}

LoadedFormation parse_loaded(const std::string& path, std::string text) {
    try {
        Formation f = parse_formation(text, path);
        if (auto errors = unit_limit_errors(f); !errors.empty()) throw FormationError(std::move(errors));
        return {path, std::move(text), std::move(f)};
    } catch (const FormationError& e) {
        throw InvalidFormation{e, std::move(text)};
    }
}

LoadedFormation load_formation(const std::string& path) {
    std::optional<std::string> text;
    try {
        text = systemd::read_file(path);
    } catch (const std::exception& e) {
        throw CliError(e.what(), exit_usage);
    }
    if (!text) throw CliError(path + ": no such file (use -f FILE, or -a APP for an installed app)", exit_usage);
    return parse_loaded(path, std::move(*text));
}

}  // namespace formation::cli
