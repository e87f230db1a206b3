#include "systemd/unit_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace formation::systemd {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view manifest_header = "# formation manifest v1: the files this app owns in the unit directory\n";

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
    throw DiskError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

void write_all(int fd, std::string_view data, const fs::path& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open directory", dir, errno);
    int r = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (r < 0) fail("sync directory", dir, err);
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("create directory", dir, ec.value());
}

bool safe_relative(const std::string& rel) {
    fs::path p(rel);
    if (rel.empty() || p.is_absolute()) return false;
    return std::none_of(p.begin(), p.end(), [](const fs::path& part) { return part == ".." || part == "."; });
}

void check_relative(const std::string& rel) {
    if (!safe_relative(rel)) throw DiskError("refusing path outside the unit directory: " + rel);
}

}  // namespace

namespace {

// A temporary file beside `path` holding `content`, synced when `sync`.
std::string write_temporary(const fs::path& path, std::string_view content, unsigned mode, bool sync) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    make_dirs(dir);
    std::string tmpl = (dir / ("." + path.filename().string() + ".formation-XXXXXX")).string();
    int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) fail("create a temporary file in", dir, errno);
    try {
        write_all(fd, content, tmpl);
        if (::fchmod(fd, static_cast<mode_t>(mode)) < 0) fail("chmod", tmpl, errno);
        if (sync && ::fsync(fd) < 0) fail("sync", tmpl, errno);
    } catch (...) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw;
    }
    ::close(fd);
    return tmpl;
}

}  // namespace

void write_file_atomic(const fs::path& path, std::string_view content, unsigned mode) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::string tmpl = write_temporary(path, content, mode, true);
    if (::rename(tmpl.c_str(), path.c_str()) < 0) {
        int err = errno;
        ::unlink(tmpl.c_str());
        fail("rename into place", path, err);
    }
    fsync_dir(dir);
}

void replace_file(const fs::path& path, std::string_view content) {
    struct stat st {};
    if (::stat(path.c_str(), &st) < 0) fail("stat", path, errno);
    write_file_atomic(path, content, st.st_mode & 07777);
    if (::chown(path.c_str(), st.st_uid, st.st_gid) < 0 && errno != EPERM) fail("chown", path, errno);
}

std::optional<std::string> read_file(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("read", path, errno);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

UnitDir::UnitDir(fs::path root) : root_(std::move(root)) {}

UnitDir::Lock::~Lock() {
    if (fd_ >= 0) ::close(fd_);
}

UnitDir::Lock UnitDir::lock(int timeout_sec) const {
    make_dirs(state_dir());
    fs::path path = state_dir() / "lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("open lock", path, errno);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_sec);
    while (::flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int err = errno;
            ::close(fd);
            fail("lock", path, err);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            throw DiskError("another formation command holds " + path.string() + " (waited " +
                            std::to_string(timeout_sec) + " s)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Lock(fd);
}

std::optional<std::string> UnitDir::read(const std::string& rel) const {
    check_relative(rel);
    return read_file(root_ / rel);
}

void UnitDir::write_many(const std::vector<Entry>& entries) const {
    // Every new version is written and made durable (one syncfs for all,
    // not an fsync each: 500 drop-ins cost 500 syncs), then renamed into
    // place: an interruption leaves each file old or new, never partial.
    std::vector<std::pair<std::string, fs::path>> staged;  // temporary → final
    try {
        for (const auto& e : entries) {
            check_relative(e.path);
            fs::path path = root_ / e.path;
            if (e.symlink) {
                make_dirs(path.parent_path());
                fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".formation-link");
                std::error_code ec;
                fs::remove(tmp, ec);
                if (::symlink(e.content.c_str(), tmp.c_str()) < 0) fail("create symlink", tmp, errno);
                staged.emplace_back(tmp.string(), path);
            } else {
                staged.emplace_back(write_temporary(path, e.content, 0644, false), path);
            }
        }
        int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) fail("open directory", root_, errno);
        int r = ::syncfs(fd);
        int err = errno;
        ::close(fd);
        if (r < 0) fail("sync the file system of", root_, err);
    } catch (...) {
        for (const auto& [tmp, path] : staged) ::unlink(tmp.c_str());
        throw;
    }
    std::set<fs::path> dirs;
    for (const auto& [tmp, path] : staged) {
        if (::rename(tmp.c_str(), path.c_str()) < 0) fail("rename into place", path, errno);
        dirs.insert(path.parent_path());
    }
    for (const auto& d : dirs) fsync_dir(d);
}

std::optional<std::string> UnitDir::read_entry(const std::string& rel) const {
    check_relative(rel);
    fs::path path = root_ / rel;
    std::error_code ec;
    auto status = fs::symlink_status(path, ec);
    if (ec || !fs::exists(status)) return std::nullopt;
    if (fs::is_symlink(status)) return fs::read_symlink(path).string();
    return read_file(path);
}

void UnitDir::remove(const std::string& rel) const {
    check_relative(rel);
    fs::path path = root_ / rel;
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) fail("remove", path, ec.value());
    fs::path parent = path.parent_path();
    if (parent != root_ && parent.extension() == ".d" && fs::is_empty(parent, ec)) {
        fs::remove(parent, ec);
        fsync_dir(parent.parent_path());
    } else if (fs::exists(parent)) {
        fsync_dir(parent);
    }
}

void UnitDir::remove_stale_temporaries() const {
    std::error_code ec;
    auto is_temp = [](const std::string& name) {
        return name.size() > 1 && name[0] == '.' && name.find(".formation-") != std::string::npos;
    };
    for (auto it = fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        // Only our own levels: the unit dir, its *.d / *.wants dirs, and .formation.
        if (it.depth() > 1) { it.disable_recursion_pending(); continue; }
        if (is_temp(it->path().filename().string())) fs::remove(it->path(), ec);
    }
}

std::vector<std::string> UnitDir::manifest(const std::string& app) const {
    auto text = read_file(state_dir() / (app + ".manifest"));
    std::vector<std::string> paths;
    if (!text) return paths;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#' && safe_relative(line)) paths.push_back(line);
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    return paths;
}

void UnitDir::write_manifest(const std::string& app, const std::vector<std::string>& paths) const {
    std::vector<std::string> sorted = paths;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string text(manifest_header);
    for (const auto& p : sorted) {
        check_relative(p);
        text += p + '\n';
    }
    write_file_atomic(state_dir() / (app + ".manifest"), text);
}

std::optional<std::string> UnitDir::stored_formation(const std::string& app) const {
    return read_file(state_dir() / (app + ".toml"));
}

void UnitDir::store_formation(const std::string& app, std::string_view toml, const std::string& source_path) const {
    // Inline env values may be in it: readable by root only.
    write_file_atomic(state_dir() / (app + ".toml"), toml, 0600);
    if (stored_source_path(app) != source_path) write_file_atomic(state_dir() / (app + ".source"), source_path + "\n");
}

std::string UnitDir::stored_source_path(const std::string& app) const {
    auto text = read_file(state_dir() / (app + ".source"));
    if (!text || text->empty()) return {};
    return text->substr(0, text->find('\n'));
}

void UnitDir::forget(const std::string& app) const {
    std::error_code ec;
    fs::remove(state_dir() / (app + ".manifest"), ec);
    fs::remove(state_dir() / (app + ".toml"), ec);
    fs::remove(state_dir() / (app + ".source"), ec);
    if (fs::exists(state_dir())) fsync_dir(state_dir());
}

std::vector<std::string> UnitDir::apps() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(state_dir(), ec))
        if (entry.path().extension() == ".manifest") out.push_back(entry.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace formation::systemd
