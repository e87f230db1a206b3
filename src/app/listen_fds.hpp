// The descriptors systemd passes a service (sd_listen_fds(3)): from 3 on,
// $LISTEN_FDS of them, named by $LISTEN_FDNAMES ("health:shared"). With
// socket = "shared" and health an instance gets two, in an order of
// systemd's own (not the order of Sockets=), and servers that take one
// descriptor take 3: `formation guard` puts the shared socket there. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation::app {

struct FdOrder {
    std::vector<unsigned> from;  // position k (descriptor 3 + k) takes what was at 3 + from[k]
    std::string names;           // $LISTEN_FDNAMES in the new order
};

// The order that puts the descriptor named `name` first, the others keeping
// theirs; nullopt when nothing is to move (it is first already, absent, or
// the names do not match the count).
std::optional<FdOrder> put_first(std::string_view fdnames, unsigned count, std::string_view name);

}  // namespace formation::app
