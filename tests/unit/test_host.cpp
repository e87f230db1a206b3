// The host-state module on a scratch directory: the search path, the last
// good copy, the per-app lock.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "host/atomic_file.hpp"
#include "host/store.hpp"

using namespace formation;
namespace fs = std::filesystem;

namespace {

struct Scratch {
    fs::path root;
    Scratch() {
        char tmpl[] = "/tmp/formation-host-XXXXXX";
        root = ::mkdtemp(tmpl);
    }
    ~Scratch() { fs::remove_all(root); }
    host::Paths paths() const {
        host::Paths p;
        p.config_dirs = {root / "etc", root / "run", root / "usr"};
        p.state_dir = root / "state";
        p.lock_dir = root / "lock";
        return p;
    }
    void put(const fs::path& rel, const std::string& text) const {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text;
    }
};

}  // namespace

TEST_CASE("earlier directories win by file name; dotfiles, other names and bad app names are skipped") {
    Scratch s;
    s.put("etc/shop.toml", "app = \"shop\" # etc\n");
    s.put("usr/shop.toml", "app = \"shop\" # usr\n");
    s.put("usr/blog.toml", "app = \"blog\"\n");
    s.put("run/.hidden.toml", "x");
    s.put("run/notes.txt", "x");
    s.put("run/Bad_Name.toml", "x");
    fs::create_directories(s.root / "run/dir.toml");
    host::Scan scan = host::scan_installed(s.paths());
    REQUIRE(scan.files.size() == 2);
    CHECK(scan.files[0].app == "blog");
    CHECK(scan.files[1].app == "shop");
    CHECK(scan.files[1].text == "app = \"shop\" # etc\n");
    CHECK(scan.problems.size() == 2);  // Bad_Name.toml and the directory
}

TEST_CASE("install writes the last good copy and the file; remove takes both and the applied copy") {
    Scratch s;
    host::Store store(s.paths());
    store.install("shop", "one\n");
    store.set_applied("shop", "one\n");
    auto in = store.installed("shop");
    REQUIRE(in);
    CHECK(in->text == "one\n");
    CHECK(in->last_good == std::optional<std::string>("one\n"));
    CHECK(in->path == s.root / "etc/shop.toml");
    CHECK(store.applied("shop") == std::optional<std::string>("one\n"));
    store.remove("shop");
    CHECK_FALSE(store.installed("shop"));
    CHECK_FALSE(store.applied("shop"));
    CHECK_FALSE(fs::exists(s.root / "etc/.last-good/shop.toml"));
}

TEST_CASE("names that are not app names never reach the disk") {
    Scratch s;
    host::Store store(s.paths());
    CHECK_FALSE(store.installed("../../etc/passwd"));
    CHECK_THROWS_AS(store.lock("../x", 0), host::DiskError);
}

TEST_CASE("the per-app lock excludes the same app only") {
    Scratch s;
    host::Store store(s.paths());
    auto a = store.lock("shop", 0);
    CHECK_THROWS_AS(store.lock("shop", 0), host::DiskError);
    auto b = store.lock("blog", 0);  // another app is never held up
    bool told = false;
    CHECK_THROWS_AS(store.lock("shop", 0, [&told] { told = true; }), host::DiskError);
    CHECK(told);
}

TEST_CASE("read_file refuses files over its limit instead of reading them whole") {
    Scratch s;
    s.put("big", std::string(2000, 'x'));
    CHECK_THROWS_AS(host::read_file(s.root / "big", 1000), host::DiskError);
    CHECK(host::read_file(s.root / "big", 4000)->size() == 2000);
    CHECK_THROWS_AS(host::read_file("/dev/zero", 1 << 20), host::DiskError);
    CHECK_FALSE(host::read_file(s.root / "absent"));
}

TEST_CASE("replace_file keeps a linked file a link and its mode") {
    Scratch s;
    s.put("real.toml", "old\n");
    fs::permissions(s.root / "real.toml", fs::perms::owner_read | fs::perms::owner_write);
    fs::create_symlink("real.toml", s.root / "link.toml");
    host::replace_file(s.root / "link.toml", "new\n");
    CHECK(fs::is_symlink(s.root / "link.toml"));
    CHECK(*host::read_file(s.root / "real.toml") == "new\n");
    CHECK((fs::status(s.root / "real.toml").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
}
