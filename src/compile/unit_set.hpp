// What a formation compiles to: unit files, as bytes, with their paths
// relative to a unit directory. A plain value: nothing here touches a disk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace formation {

struct UnitFile {
    std::string path;      // relative: "shop.target", "shop-web@1.service.d/50-formation.conf"
    std::string content;   // exact bytes to write; for a symlink, its target
    bool symlink = false;  // the enablement link "multi-user.target.wants/shop.target"
};

// One running process: instance `index` of process type `type`.
struct Instance {
    std::string type;
    int index = 0;
    std::string unit;                // "shop-web@1.service"
    std::vector<std::string> files;  // paths (in UnitSet::files) that configure it
    // What decides a restart: the service configuration of the instance, its
    // unit files without comments, Description= and SourcePath=. A changed
    // description, comment or source file name restarts nothing.
    std::string config;
    // With socket = true: "shop-web@1.socket", which holds the instance's
    // port, and its listen configuration (what decides restarting the
    // socket). With socket = "shared" and health: the same name for the
    // instance's health socket. Empty without a socket.
    std::string socket;
    std::string socket_config;
    // How long a rolling restart holds it up before the next goes down.
    std::uint64_t min_ready_usec = 0;
    // With socket = "shared": "shop-web.socket", the type's socket (then
    // `socket` is empty, or its health socket).
    std::string shared_socket;
    // How many of the type's instances a rolling restart takes down at a
    // time unless --parallel says: 1; with a shared socket a quarter of the
    // type's count (at least 1), since the others keep accepting on the port.
    unsigned batch = 1;
    // Its own socket is a health socket: only formation's checks use it, and
    // a server that does not may have removed its file (puma closing an
    // "unused activated socket"), so each start of the instance gets it
    // afresh (a restart does through the socket's PartOf=).
    bool fresh_socket() const { return !socket.empty() && !shared_socket.empty(); }
};

// socket = "shared": a type's one socket (while the type has instances).
struct SharedSocket {
    std::string type;
    std::string unit;    // "shop-web.socket"
    std::string holder;  // "shop-web-socket.service", its Service=
    std::string config;  // its listen configuration: what decides moving it
};

// A scheduled type: its timer and the run the timer starts.
struct Scheduled {
    std::string type;
    std::string timer;    // "shop-nightly.timer"
    std::string service;  // "shop-nightly.service"
    std::string config;   // the timer's settings (what decides restarting it)
};

struct UnitSet {
    std::string app;
    std::string app_target;            // "shop.target"
    std::string health_unit;           // "shop-health.service" when a type has health; else empty
    std::vector<UnitFile> files;       // ordered by path, unique
    std::vector<Instance> instances;   // ordered by type, then index
    std::vector<std::string> types;    // process type names, ordered
    std::vector<SharedSocket> shared_sockets;  // ordered by type
    std::vector<Scheduled> scheduled;          // ordered by type

    const UnitFile* find(const std::string& path) const;
};

}  // namespace formation
