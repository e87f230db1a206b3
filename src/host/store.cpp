#include "host/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "formation/values.hpp"
#include "host/atomic_file.hpp"

namespace formation::host {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
    throw DiskError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

// APP from "APP.toml", or "" when the name is not that of a formation.
std::string app_of(const std::string& filename) {
    const std::string ext = ".toml";
    if (filename.size() <= ext.size() || filename[0] == '.' ||
        filename.compare(filename.size() - ext.size(), ext.size(), ext) != 0)
        return {};
    return filename.substr(0, filename.size() - ext.size());
}

std::optional<InstalledFile> read_installed(const fs::path& dir, const std::string& app, std::string* problem) {
    fs::path path = dir / (app + ".toml");
    struct stat st {};
    if (::stat(path.c_str(), &st) < 0) {
        if (errno != ENOENT && problem) *problem = path.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        if (problem) *problem = path.string() + ": not a regular file, skipped";
        return std::nullopt;
    }
    InstalledFile f;
    f.app = app;
    f.path = path;
    try {
        f.text = *read_file(path);
        f.last_good_path = dir / ".last-good" / (app + ".toml");
        f.last_good = read_file(f.last_good_path);
    } catch (const std::exception& e) {
        if (problem) *problem = e.what();
        return std::nullopt;
    }
    return f;
}

}  // namespace

Scan scan_installed(const Paths& paths) {
    Scan scan;
    std::map<std::string, fs::path> winner;  // app → directory, first on the search path
    for (const auto& dir : paths.config_dirs) {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::string name = it->path().filename().string();
            std::string app = app_of(name);
            if (app.empty()) continue;
            if (!is_valid_app_name(app)) {
                scan.problems.push_back(it->path().string() + ": \"" + app +
                                        "\" is not an app name ([a-z][a-z0-9-]*), skipped");
                continue;
            }
            winner.emplace(app, dir);
        }
    }
    for (const auto& [app, dir] : winner) {
        std::string problem;
        if (auto f = read_installed(dir, app, &problem))
            scan.files.push_back(std::move(*f));
        else if (!problem.empty())
            scan.problems.push_back(problem);
    }
    return scan;
}

AppLock::~AppLock() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<InstalledFile> Store::installed(const std::string& app) const {
    if (!is_valid_app_name(app)) return std::nullopt;
    for (const auto& dir : paths_.config_dirs) {
        std::string problem;
        if (auto f = read_installed(dir, app, &problem)) return f;
        if (!problem.empty()) throw DiskError(problem);
    }
    return std::nullopt;
}

std::vector<std::string> Store::apps() const {
    std::vector<std::string> out;
    for (auto& f : scan_installed(paths_).files) out.push_back(std::move(f.app));
    return out;
}

std::optional<std::string> Store::applied(const std::string& app) const {
    return read_file(paths_.applied_path(app));
}

void Store::set_applied(const std::string& app, const std::string& text) const {
    if (applied(app) != text) write_file_atomic(paths_.applied_path(app), text, 0644);
}

namespace {

// Temporary files an interrupted earlier write of `path` left beside it.
void remove_leftovers(const fs::path& path) {
    std::error_code ec;
    const std::string prefix = "." + path.filename().string() + ".formation-";
    for (fs::directory_iterator it(path.parent_path(), ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().starts_with(prefix)) fs::remove(it->path(), ec);
}

}  // namespace

void Store::install(const std::string& app, const std::string& text) const {
    remove_leftovers(paths_.installed_path(app));
    remove_leftovers(paths_.last_good_path(app));
    // The last-good copy first: whenever APP.toml is new, so is its fallback.
    if (read_file(paths_.last_good_path(app)) != text) write_file_atomic(paths_.last_good_path(app), text, 0644);
    if (read_file(paths_.installed_path(app)) != text) write_file_atomic(paths_.installed_path(app), text, 0644);
}

void Store::remove(const std::string& app) const {
    for (const auto& path : {paths_.installed_path(app), paths_.last_good_path(app), paths_.applied_path(app)}) {
        if (::unlink(path.c_str()) < 0 && errno != ENOENT) fail("remove", path, errno);
    }
}

std::vector<fs::path> Store::other_copies(const std::string& app) const {
    std::vector<fs::path> out;
    for (std::size_t i = 1; i < paths_.config_dirs.size(); ++i) {
        fs::path p = paths_.config_dirs[i] / (app + ".toml");
        std::error_code ec;
        if (fs::exists(p, ec)) out.push_back(p);
    }
    return out;
}

AppLock Store::lock(const std::string& app, int timeout_sec, const std::function<void()>& waiting) const {
    if (!is_valid_app_name(app)) throw DiskError("\"" + app + "\" is not an app name");
    std::error_code ec;
    fs::create_directories(paths_.lock_dir, ec);
    if (ec == std::errc::permission_denied && !paths_.user)
        throw DiskError("cannot create " + paths_.lock_dir.string() + ": permission denied: run as root, or use --user");
    if (ec) fail("create directory", paths_.lock_dir, ec.value());
    fs::path path = paths_.lock_path(app);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EACCES && !paths_.user)
        throw DiskError("cannot lock app " + app + " (" + path.string() + ": permission denied): run as root, or use --user");
    if (fd < 0) fail("open lock", path, errno);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_sec);
    bool told = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int err = errno;
            ::close(fd);
            fail("lock", path, err);
        }
        if (!told && waiting) waiting();
        told = true;
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            throw DiskError("another formation command is still working on app " + app + " (waited " +
                            std::to_string(timeout_sec) + " s for " + path.string() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return AppLock(fd);
}

}  // namespace formation::host
