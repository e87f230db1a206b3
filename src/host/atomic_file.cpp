#include "host/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace formation::host {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
    throw DiskError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open directory", dir, errno);
    int r = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (r < 0) fail("sync directory", dir, err);
}

}  // namespace

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

std::optional<std::string> read_file(const fs::path& path, std::size_t limit) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("read", path, errno);
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            fail("read", path, err);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > limit) {
            ::close(fd);
            throw DiskError(path.string() + ": larger than " + std::to_string(limit / 1024) +
                            " KiB; formation reads no file that large");
        }
    }
    ::close(fd);
    return out;
}

void write_file_atomic(const fs::path& path, std::string_view content, unsigned mode) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("create directory", dir, ec.value());
    std::string tmp = (dir / ("." + path.filename().string() + ".formation-XXXXXX")).string();
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) fail("create a temporary file in", dir, errno);
    try {
        write_all(fd, content, tmp);
        if (::fchmod(fd, static_cast<mode_t>(mode)) < 0) fail("chmod", tmp, errno);
        if (::fsync(fd) < 0) fail("sync", tmp, errno);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        fail("rename into place", path, err);
    }
    fsync_dir(dir);
}

void replace_file(const fs::path& path, std::string_view content) {
    std::error_code ec;
    fs::path target = fs::canonical(path, ec);
    if (ec) fail("resolve", path, ec.value());
    struct stat st {};
    if (::stat(target.c_str(), &st) < 0) fail("stat", target, errno);
    write_file_atomic(target, content, st.st_mode & 07777);
    if (::chown(target.c_str(), st.st_uid, st.st_gid) < 0 && errno != EPERM) fail("chown", target, errno);
}

}  // namespace formation::host
