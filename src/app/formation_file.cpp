#include "app/formation_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <optional>

#include "compile/render.hpp"
#include "formation/parse.hpp"
#include "host/atomic_file.hpp"
#include "host/zoneinfo.hpp"

namespace formation::app {

LoadedFormation parse_loaded(const std::string& path, std::string text) {
    try {
        Formation f = parse_formation(text, path);
        if (auto errors = validation_errors(f, host::calendar_zones()); !errors.empty())
            throw FormationError(std::move(errors));
        return {path, std::move(text), std::move(f)};
    } catch (const FormationError& e) {
        throw InvalidFormation{e, std::move(text)};
    }
}

namespace {

// `-f -`: the formation on stdin (what a remote apply reads), read once.
std::string read_stdin_once() {
    static std::optional<std::string> text;
    if (text) return *text;
    text.emplace();
    char buf[65536];
    // A byte past the limit is enough for the parser to refuse the size.
    while (text->size() <= 1024 * 1024) {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("-f -: cannot read stdin", exit_usage);
        if (n == 0) break;
        text->append(buf, static_cast<std::size_t>(n));
    }
    return *text;
}

}  // namespace

LoadedFormation load_formation(const std::string& path) {
    if (path == "-") return parse_loaded(path, read_stdin_once());
    std::optional<std::string> text;
    try {
        text = host::read_file(path);
    } catch (const std::exception& e) {
        throw Error(e.what(), exit_usage);
    }
    if (!text) throw Error(path + ": no such file (use -f FILE, or -a APP for an installed app)", exit_usage);
    return parse_loaded(path, std::move(*text));
}

}  // namespace formation::app
