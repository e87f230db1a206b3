#include "host/releases.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "host/atomic_file.hpp"
#include "host/tsv.hpp"

namespace formation::host {

namespace fs = std::filesystem;

namespace {

fs::path dir_of(const Paths& paths, const std::string& app) { return paths.state_dir / "releases" / app; }

}  // namespace

std::string text_digest(const std::string& text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char ch : text) {
        h ^= ch;
        h *= 1099511628211ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

std::string encode_releases(const std::vector<Release>& releases) {
    std::string out;
    for (const auto& r : releases)
        out += std::to_string(r.number) + "\t" + std::to_string(r.time_usec) + "\t" + tsv::field(r.who) + "\t" + tsv::field(r.digest) +
               "\t" + tsv::field(r.summary) + "\n";
    return out;
}

std::vector<Release> decode_releases(const std::string& text) {
    std::vector<Release> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto f = tsv::split(line);
        std::uint64_t number = 0, time = 0;
        if (f.size() != 5 || !tsv::to_u64(f[0], number) || number == 0 || number > 0xffffffffULL || !tsv::to_u64(f[1], time)) continue;
        out.push_back({static_cast<unsigned>(number), time, f[2], f[3], f[4]});
    }
    return out;
}

std::vector<Release> list_releases(const Paths& paths, const std::string& app) {
    auto text = read_file(dir_of(paths, app) / "index");
    return text ? decode_releases(*text) : std::vector<Release>{};
}

std::optional<std::string> release_text(const Paths& paths, const std::string& app, unsigned number) {
    return read_file(dir_of(paths, app) / (std::to_string(number) + ".toml"));
}

Release record_release(const Paths& paths, const std::string& app, const std::string& text, const std::string& who,
                       const std::string& summary, std::uint64_t now_usec) {
    fs::path dir = dir_of(paths, app);
    fs::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
    auto releases = list_releases(paths, app);
    Release r{releases.empty() ? 1 : releases.back().number + 1, now_usec, who, text_digest(text), summary};
    write_file_atomic(dir / (std::to_string(r.number) + ".toml"), text, 0600);
    releases.push_back(r);
    while (releases.size() > releases_kept) {
        std::error_code ec;
        fs::remove(dir / (std::to_string(releases.front().number) + ".toml"), ec);
        releases.erase(releases.begin());
    }
    write_file_atomic(dir / "index", encode_releases(releases), 0600);
    return r;
}

void remove_releases(const Paths& paths, const std::string& app) {
    std::error_code ec;
    fs::remove_all(dir_of(paths, app), ec);
}

}  // namespace formation::host
