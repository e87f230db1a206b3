#include "app/listen_fds.hpp"

namespace formation::app {

std::optional<FdOrder> put_first(std::string_view fdnames, unsigned count, std::string_view name) {
    std::vector<std::string_view> names;
    for (std::size_t at = 0;;) {
        std::size_t colon = fdnames.find(':', at);
        names.push_back(fdnames.substr(at, colon == std::string_view::npos ? std::string_view::npos : colon - at));
        if (colon == std::string_view::npos) break;
        at = colon + 1;
    }
    if (count == 0 || names.size() != count) return std::nullopt;
    unsigned first = 0;
    while (first < count && names[first] != name) ++first;
    if (first == 0 || first == count) return std::nullopt;
    FdOrder order;
    order.from.push_back(first);
    for (unsigned i = 0; i < count; ++i)
        if (i != first) order.from.push_back(i);
    for (unsigned k = 0; k < count; ++k) order.names += (k ? ":" : "") + std::string(names[order.from[k]]);
    return order;
}

}  // namespace formation::app
