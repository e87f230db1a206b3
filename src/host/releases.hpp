// The app's release history on this host: every successful apply (and
// rollback) that installed a new formation is a numbered release, kept in
// Paths::releases_dir(APP) (/var/lib/formation/releases/APP/, root-only):
// N.toml, the formation as installed, and `index`, one line per release.
// The last `keep` releases are kept. Survives reboots (state, not /run).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/paths.hpp"

namespace formation::host {

struct Release {
    unsigned number = 0;
    std::uint64_t time_usec = 0;  // CLOCK_REALTIME
    std::string who;              // SUDO_USER, else USER
    std::string digest;           // of the formation text (text_digest)
    std::string summary;          // "web 3→5; env RELEASE v1→v2"
    bool operator==(const Release&) const = default;
};

constexpr unsigned releases_kept = 20;

// Pure: a 64-bit FNV-1a of the text, 16 hex digits (tells releases apart;
// not a security digest).
std::string text_digest(const std::string& text);
std::string encode_releases(const std::vector<Release>& releases);
std::vector<Release> decode_releases(const std::string& text);  // skips lines that do not parse

// Oldest first; empty when there is none.
std::vector<Release> list_releases(const Paths& paths, const std::string& app);
// The formation of release `number`; nullopt when it is not kept.
std::optional<std::string> release_text(const Paths& paths, const std::string& app, unsigned number);
// Records a release (number: the last one's + 1), drops all but the last
// releases_kept. Files 0600 in a 0700 directory; atomic writes.
Release record_release(const Paths& paths, const std::string& app, const std::string& text, const std::string& who,
                       const std::string& summary, std::uint64_t now_usec);

// destroy: the app's history goes with it.
void remove_releases(const Paths& paths, const std::string& app);

}  // namespace formation::host
