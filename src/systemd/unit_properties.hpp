// [Service] settings in unit-file syntax turned into the typed D-Bus
// properties StartTransientUnit takes, as `systemd-run -p KEY=VALUE` does
// (systemd's bus-unit-util.c). Pure: no bus. Only the keys formation's
// units use are known; values are decoded as systemd reads a unit file
// (quotes, C escapes in lists, "%%" and the instance specifiers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace formation::systemd {

// "(bas)": SystemCallFilter=, RestrictAddressFamilies=.
struct AllowList {
    bool allow = true;  // false: the list was prefixed with "~"
    std::vector<std::string> items;
};
// "a(sb)": EnvironmentFile= (path, missing ok).
using FileList = std::vector<std::pair<std::string, bool>>;

struct BusProperty {
    std::string name;
    // D-Bus types b, s, t, i, u, as, (bas), a(sb).
    std::variant<bool, std::string, std::uint64_t, std::int32_t, std::uint32_t, std::vector<std::string>, AllowList,
                 FileList>
        value;
};

// Whether `key` is one that transient_properties() can carry.
bool transient_key_known(const std::string& key);

// The properties one assignment makes (LimitNOFILE= makes two), or nullopt
// when the key is not known. Throws std::invalid_argument naming the key
// for a value it cannot decode (bad quoting, an unknown specifier, a bad
// number or capability name).
std::optional<std::vector<BusProperty>> transient_properties(const std::string& key, const std::string& value,
                                                             const std::string& instance);

// The capability numbers (CAP_CHOWN is 0) of a space-separated list; throws
// std::invalid_argument on an unknown name.
std::uint64_t capability_mask(const std::string& names);

}  // namespace formation::systemd
