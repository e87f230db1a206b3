#include "host/atomic_file.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>

namespace formation::host {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
    throw DiskError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

std::string read_fd(int fd, const fs::path& path, std::size_t limit) {
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("read", path, errno);
        }
        if (n == 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > limit)
            throw DiskError(path.string() + ": larger than " + std::to_string(limit / 1024) +
                            " KiB; formation reads no file that large");
    }
}

void sync_dir(int dir_fd, const fs::path& dir) {
    if (::fsync(dir_fd) < 0) fail("sync directory", dir, errno);
}

// The directory a new file goes into, made when missing, opened once.
Fd open_dir(const fs::path& path) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("create directory", dir, ec.value());
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) fail("open directory", dir, errno);
    return fd;
}

// ".NAME.formation-XXXXXX" in the directory, made with O_EXCL and removed
// again unless it was renamed into place.
class Temp {
public:
    Temp(int dir_fd, const fs::path& target) : dir_fd_(dir_fd) {
        static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        std::random_device rd;
        std::string base = "." + target.filename().string().substr(0, 200) + ".formation-";
        for (int attempt = 0; attempt < 100; ++attempt) {
            name_ = base;
            for (int i = 0; i < 6; ++i) name_ += chars[rd() % (sizeof chars - 1)];
            fd_ = Fd(::openat(dir_fd, name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            if (fd_.get() >= 0) return;
            if (errno != EEXIST) break;
        }
        fail("create a temporary file beside", target, errno);
    }
    Temp(const Temp&) = delete;
    Temp& operator=(const Temp&) = delete;
    ~Temp() {
        if (!name_.empty()) ::unlinkat(dir_fd_, name_.c_str(), 0);
    }
    int fd() const { return fd_.get(); }
    const std::string& name() const { return name_; }
    void placed() { name_.clear(); }

private:
    int dir_fd_;
    Fd fd_;
    std::string name_;
};

enum class Replace { anything, regular_file, nothing };

// The temporary file, written and synced, becomes `target`'s name in the
// directory: by rename, or (Replace::nothing) by a rename or link that
// fails when the name exists.
void put_in_place(int dir_fd, Temp& tmp, const fs::path& target, Replace replace) {
    std::string name = target.filename().string();
    if (replace == Replace::regular_file) {
        struct stat st {};
        if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
            throw DiskError(target.string() + (S_ISLNK(st.st_mode) ? " is a symbolic link" : " is not a regular file") +
                            ": not replaced, and not written through; remove it first");
    }
    if (replace != Replace::nothing) {
        if (::renameat(dir_fd, tmp.name().c_str(), dir_fd, name.c_str()) < 0) fail("rename into place", target, errno);
        tmp.placed();
        return;
    }
    int r = ::renameat2(dir_fd, tmp.name().c_str(), dir_fd, name.c_str(), RENAME_NOREPLACE);
    if (r < 0 && (errno == EINVAL || errno == ENOSYS)) {  // a file system without RENAME_NOREPLACE
        r = ::linkat(dir_fd, tmp.name().c_str(), dir_fd, name.c_str(), 0);
        if (r == 0) return;  // ~Temp removes the other name
    }
    if (r < 0 && errno == EEXIST) throw DiskError(target.string() + " exists (it appeared meanwhile); nothing replaced");
    if (r < 0) fail("put into place", target, errno);
    tmp.placed();
}

void publish(const fs::path& path, std::string_view content, unsigned mode, Replace replace) {
    Fd dir = open_dir(path);
    Temp tmp(dir.get(), path);
    write_all(tmp.fd(), content, path);
    if (::fchmod(tmp.fd(), static_cast<mode_t>(mode)) < 0) fail("chmod", path, errno);
    if (::fsync(tmp.fd()) < 0) fail("sync", path, errno);
    put_in_place(dir.get(), tmp, path, replace);
    sync_dir(dir.get(), path.parent_path());
}

std::string user_name(uid_t uid) {
    if (const struct passwd* pw = ::getpwuid(uid)) return pw->pw_name;
    return "uid " + std::to_string(uid);
}

std::string group_name(gid_t gid) {
    if (const struct group* gr = ::getgrgid(gid)) return gr->gr_name;
    return "gid " + std::to_string(gid);
}

// How a directory lets someone other than `uid` and root rename entries.
std::optional<std::string> directory_control(const struct stat& d, uid_t uid) {
    if (d.st_uid != uid && d.st_uid != 0) return "owned by " + user_name(d.st_uid);
    if (d.st_mode & S_ISVTX) return std::nullopt;  // only an entry's owner may rename it
    if (d.st_mode & S_IWOTH) return "every user may write to";
    if ((d.st_mode & S_IWGRP) && d.st_gid != 0) return "group " + group_name(d.st_gid) + " may write to";
    return std::nullopt;
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
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("read", path, errno);
    }
    return read_fd(fd.get(), path, limit);
}

void write_file_atomic(const fs::path& path, std::string_view content, unsigned mode) {
    publish(path, content, mode, Replace::anything);
}

void create_file(const fs::path& path, std::string_view content, unsigned mode, bool replace) {
    publish(path, content, mode, replace ? Replace::regular_file : Replace::nothing);
}

std::optional<EditedFile> EditedFile::open(const fs::path& path, std::size_t limit) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) {
        if (errno == ENOENT) return std::nullopt;
        fail("resolve", path, errno);
    }
    EditedFile f;
    f.path_ = path;
    f.resolved_ = real;
    std::free(real);
    fs::path dir = f.resolved_.parent_path();
    f.dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (f.dir_fd_ < 0) fail("open directory", dir, errno);
    std::string name = f.resolved_.filename().string();
    // O_NONBLOCK: a FIFO swapped in must not hang the read.
    Fd fd(::openat(f.dir_fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        if (errno == ELOOP) throw FileChanged(path.string() + " became a symbolic link as it was opened; nothing read");
        fail("read", path, errno);
    }
    if (::fstat(fd.get(), &f.st_) < 0) fail("stat", path, errno);
    if (!S_ISREG(f.st_.st_mode)) throw DiskError(path.string() + ": not a regular file");
    f.text_ = read_fd(fd.get(), path, limit);
    return f;
}

EditedFile::EditedFile(EditedFile&& o) noexcept
    : path_(std::move(o.path_)),
      resolved_(std::move(o.resolved_)),
      dir_fd_(std::exchange(o.dir_fd_, -1)),
      text_(std::move(o.text_)),
      st_(o.st_) {}

EditedFile& EditedFile::operator=(EditedFile&& o) noexcept {
    std::swap(path_, o.path_);
    std::swap(resolved_, o.resolved_);
    std::swap(dir_fd_, o.dir_fd_);
    std::swap(text_, o.text_);
    std::swap(st_, o.st_);
    return *this;
}

EditedFile::~EditedFile() {
    if (dir_fd_ >= 0) ::close(dir_fd_);
}

std::optional<std::string> EditedFile::controlled_by_other(uid_t uid) const {
    const std::string shown = path_.string();
    auto foreign = [uid](uid_t owner) { return owner != uid && owner != 0; };
    if (foreign(st_.st_uid)) return shown + " is owned by " + user_name(st_.st_uid);
    struct stat d {};
    if (::fstat(dir_fd_, &d) < 0) return shown + ": its directory cannot be examined";
    if (auto why = directory_control(d, uid)) return shown + " is in " + resolved_.parent_path().string() + ", a directory " + *why;
    // The name as given, when a link led to the file: the link and its directory.
    struct stat l {};
    if (::lstat(path_.c_str(), &l) == 0 && S_ISLNK(l.st_mode) && foreign(l.st_uid))
        return shown + " is a symbolic link owned by " + user_name(l.st_uid);
    fs::path given_dir = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
    struct stat g {};
    if (::stat(given_dir.c_str(), &g) < 0) return shown + ": its directory cannot be examined";
    if (auto why = directory_control(g, uid)) return shown + " is in " + given_dir.string() + ", a directory " + *why;
    return std::nullopt;
}

void EditedFile::check_unchanged() const {
    struct stat now {};
    std::string name = resolved_.filename().string();
    bool same = ::fstatat(dir_fd_, name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st_.st_dev &&
                now.st_ino == st_.st_ino && now.st_size == st_.st_size &&
                now.st_mtim.tv_sec == st_.st_mtim.tv_sec && now.st_mtim.tv_nsec == st_.st_mtim.tv_nsec;
    if (!same)
        throw FileChanged(path_.string() + " is no longer the file that was read (changed, replaced, moved or made "
                                           "a link since)");
}

void EditedFile::replace(std::string_view content) {
    check_unchanged();
    Temp tmp(dir_fd_, resolved_);
    write_all(tmp.fd(), content, path_);
    // Owner first: chown clears the set-id bits that the chmod then restores.
    if (::fchown(tmp.fd(), st_.st_uid, st_.st_gid) < 0 && errno != EPERM) fail("chown", path_, errno);
    if (::fchmod(tmp.fd(), st_.st_mode & 07777) < 0) fail("chmod", path_, errno);
    if (::fsync(tmp.fd()) < 0) fail("sync", path_, errno);
    check_unchanged();
    put_in_place(dir_fd_, tmp, resolved_, Replace::anything);
    sync_dir(dir_fd_, resolved_.parent_path());
    if (::fstat(tmp.fd(), &st_) < 0) fail("stat", path_, errno);
    text_ = std::string(content);
}

}  // namespace formation::host
