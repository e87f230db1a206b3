#include "generator/generator_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/atomic_file.hpp"

namespace formation::generator {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
    throw WriteError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

void make_parent(const fs::path& path) {
    fs::path parent = path.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) fail("create directory", parent, ec.value());
}

void write_new_file(const fs::path& path, const std::string& content) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) fail("create", path, errno);
    try {
        host::write_all(fd, content, path);
    } catch (const host::DiskError& e) {
        ::close(fd);
        throw WriteError(e.what());
    }
    if (::close(fd) < 0) fail("close", path, errno);
}

}  // namespace

void GeneratorDir::write(const UnitSet& set, const std::string& source) {
    for (const auto& f : set.files) {
        if (auto it = written_.find(f.path); it != written_.end())
            throw WriteError(f.path + " is made by both " + it->second + " and " + source);
        fs::path path = dir_ / f.path;
        make_parent(path);
        if (f.symlink) {
            if (::symlink(f.content.c_str(), path.c_str()) < 0) fail("create symlink", path, errno);
        } else {
            write_new_file(path, f.content);
        }
        written_.emplace(f.path, source);
    }
}

}  // namespace formation::generator
