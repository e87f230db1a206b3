// The host-state module on a scratch directory: the search path, the last
// good copy, the per-app lock.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <thread>

#include "host/atomic_file.hpp"
#include "host/store.hpp"
#include "host/tsv.hpp"

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

TEST_CASE("an edited file reached through a link: the target changes, the link stays, mode and owner kept") {
    Scratch s;
    s.put("real.toml", "old\n");
    fs::permissions(s.root / "real.toml", fs::perms::owner_read | fs::perms::owner_write);
    fs::create_symlink("real.toml", s.root / "link.toml");
    auto f = host::EditedFile::open(s.root / "link.toml");
    REQUIRE(f);
    CHECK(f->text() == "old\n");
    f->replace("new\n");
    CHECK(fs::is_symlink(s.root / "link.toml"));
    CHECK(*host::read_file(s.root / "real.toml") == "new\n");
    CHECK((fs::status(s.root / "real.toml").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    f->replace("newer\n");  // it is the file read now
    CHECK(*host::read_file(s.root / "real.toml") == "newer\n");
    CHECK_FALSE(host::EditedFile::open(s.root / "absent.toml"));
    CHECK_THROWS_AS(host::EditedFile::open(s.root), host::DiskError);
    // Nothing is left behind in the directory but the two names.
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(s.root)) ++entries;
    CHECK(entries == 2);
}

TEST_CASE("an edited file swapped for a link, replaced, moved or changed after the read is not written") {
    Scratch s;
    s.put("victim", "root only\n");
    fs::permissions(s.root / "victim", fs::perms::owner_read | fs::perms::owner_write);
    auto swapped = [&](const std::function<void()>& swap) {
        s.put("formation.toml", "count = 1\n");
        auto f = host::EditedFile::open(s.root / "formation.toml");
        REQUIRE(f);
        swap();
        CHECK_THROWS_AS(f->replace("count = 2\n"), host::FileChanged);
        CHECK(*host::read_file(s.root / "victim") == "root only\n");
        CHECK((fs::status(s.root / "victim").permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write));
        fs::remove(s.root / "formation.toml");
    };
    swapped([&] {  // the attack: the name now a link to a file of root's
        fs::remove(s.root / "formation.toml");
        fs::create_symlink(s.root / "victim", s.root / "formation.toml");
    });
    CHECK(fs::is_symlink(s.root / "victim") == false);
    swapped([&] {  // an editor's save: a new file renamed over the name
        s.put("new.toml", "count = 7\n");
        fs::rename(s.root / "new.toml", s.root / "formation.toml");
    });
    swapped([&] { fs::rename(s.root / "formation.toml", s.root / "moved.toml"); });
    swapped([&] { std::ofstream(s.root / "formation.toml", std::ios::app) << "# edited meanwhile\n"; });
    CHECK(*host::read_file(s.root / "moved.toml") == "count = 1\n");
}

TEST_CASE("a file an edit would reach through a link it did not resolve at the read is refused") {
    Scratch s;
    s.put("victim", "secret\n");
    fs::create_symlink(s.root / "victim", s.root / "formation.toml");
    // Resolved once at the read: the link's target is what gets edited, by
    // name in its directory; a name that became a link meanwhile is refused.
    auto f = host::EditedFile::open(s.root / "formation.toml");
    REQUIRE(f);
    fs::rename(s.root / "victim", s.root / "victim.old");
    fs::create_symlink(s.root / "elsewhere", s.root / "victim");
    CHECK_THROWS_AS(f->replace("x\n"), host::FileChanged);
    CHECK_FALSE(fs::exists(s.root / "elsewhere"));
    CHECK(*host::read_file(s.root / "victim.old") == "secret\n");
}

TEST_CASE("who else controls an edited file: its owner, its directory's, a directory others may write to") {
    Scratch s;
    s.put("app/formation.toml", "x\n");
    fs::path file = s.root / "app" / "formation.toml";
    uid_t me = ::geteuid();
    CHECK_FALSE(host::EditedFile::open(file)->controlled_by_other(me));
    fs::permissions(s.root / "app", fs::perms::all);
    auto why = host::EditedFile::open(file)->controlled_by_other(me);
    REQUIRE(why);
    CHECK(why->find("a directory every user may write to") != std::string::npos);
    fs::permissions(s.root / "app", fs::perms::sticky_bit, fs::perm_options::add);
    CHECK_FALSE(host::EditedFile::open(file)->controlled_by_other(me));
    fs::permissions(s.root / "app", fs::perms::owner_all);
    if (me != 0) return;  // the rest gives files away, which only root can
    uid_t other = 65534;
    REQUIRE(::chown(file.c_str(), other, other) == 0);
    why = host::EditedFile::open(file)->controlled_by_other(0);
    REQUIRE(why);
    CHECK(why->find(file.string() + " is owned by ") == 0);
    REQUIRE(::chown(file.c_str(), 0, 0) == 0);
    REQUIRE(::chown((s.root / "app").c_str(), other, other) == 0);
    why = host::EditedFile::open(file)->controlled_by_other(0);
    REQUIRE(why);
    CHECK(why->find(" is in " + (s.root / "app").string() + ", a directory owned by ") != std::string::npos);
    // Reached through a link in a directory of the other user's.
    REQUIRE(::chown((s.root / "app").c_str(), 0, 0) == 0);
    fs::create_directories(s.root / "theirs");
    fs::create_symlink(file, s.root / "theirs" / "formation.toml");
    REQUIRE(::chown((s.root / "theirs").c_str(), other, other) == 0);
    why = host::EditedFile::open(s.root / "theirs" / "formation.toml")->controlled_by_other(0);
    REQUIRE(why);
    CHECK(why->find("a directory owned by ") != std::string::npos);
}

TEST_CASE("create_file never writes through a link, and replaces only with replace and only a file") {
    Scratch s;
    s.put("victim", "keep\n");
    fs::create_symlink(s.root / "victim", s.root / "out.toml");
    CHECK_THROWS_AS(host::create_file(s.root / "out.toml", "new\n", 0644, false), host::DiskError);
    CHECK_THROWS_AS(host::create_file(s.root / "out.toml", "new\n", 0644, true), host::DiskError);
    CHECK(*host::read_file(s.root / "victim") == "keep\n");
    CHECK(fs::is_symlink(s.root / "out.toml"));
    fs::remove(s.root / "out.toml");
    mode_t umask_was = ::umask(077);  // the mode given is the mode made, whatever the umask
    host::create_file(s.root / "config.toml", "x\n", 0644, false);
    CHECK((fs::status(s.root / "config.toml").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
    ::umask(umask_was);
    host::create_file(s.root / "app.env", "S=1\n", 0600, false);
    CHECK((fs::status(s.root / "app.env").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_THROWS_AS(host::create_file(s.root / "app.env", "S=2\n", 0600, false), host::DiskError);
    CHECK(*host::read_file(s.root / "app.env") == "S=1\n");
    host::create_file(s.root / "app.env", "S=2\n", 0600, true);
    CHECK(*host::read_file(s.root / "app.env") == "S=2\n");
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(s.root)) ++entries;
    CHECK(entries == 3);  // victim, config.toml and app.env: no temporary file left
}

TEST_CASE("tsv: fields never split a record; numbers are digits that fit") {
    CHECK(host::tsv::field("a\tb\nc\x7f") == "a?b?c?");
    CHECK(host::tsv::split("a\t\tb") == std::vector<std::string>{"a", "", "b"});
    CHECK(host::tsv::split("") == std::vector<std::string>{""});
    std::uint64_t v = 7;
    CHECK(host::tsv::to_u64("18446744073709551615", v));
    CHECK(v == UINT64_MAX);
    v = 7;
    CHECK_FALSE(host::tsv::to_u64("18446744073709551616", v));
    CHECK_FALSE(host::tsv::to_u64("99999999999999999999", v));
    CHECK_FALSE(host::tsv::to_u64("", v));
    CHECK_FALSE(host::tsv::to_u64("-1", v));
    CHECK_FALSE(host::tsv::to_u64(" 1", v));
    CHECK(v == 7);
}
