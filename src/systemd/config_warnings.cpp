// config_warnings.hpp over sd-journal.
#include "systemd/config_warnings.hpp"

#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <optional>
#include <set>

namespace formation::systemd {
namespace {

// SD_MESSAGE_INVALID_CONFIGURATION: what log_syntax() tags a unit file's
// "…, ignoring" lines with.
constexpr const char* invalid_configuration = "MESSAGE_ID=c772d24e9a884cbeb9ea12625c306c01";

struct JournalClose {
    void operator()(sd_journal* j) const { sd_journal_close(j); }
};

std::optional<std::string> field(sd_journal* j, const char* name) {
    const void* data = nullptr;
    std::size_t length = 0;
    if (sd_journal_get_data(j, name, &data, &length) < 0) return std::nullopt;
    std::size_t prefix = std::strlen(name) + 1;
    if (length < prefix) return std::nullopt;
    return std::string(static_cast<const char*>(data) + prefix, length - prefix);
}

}  // namespace

std::vector<ConfigWarning> config_warnings(bool user, std::uint64_t since_usec,
                                           const std::function<bool(const std::string& unit)>& wanted) {
    std::vector<ConfigWarning> out;
    sd_journal* raw = nullptr;
    int flags = user ? SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_CURRENT_USER : SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM;
    if (sd_journal_open(&raw, flags) < 0) return out;
    std::unique_ptr<sd_journal, JournalClose> j(raw);
    // Only the manager's own entries: any process may log UNIT=.
    std::string source = user ? "_UID=" + std::to_string(getuid()) : std::string("_PID=1");
    if (sd_journal_add_match(j.get(), invalid_configuration, 0) < 0 ||
        sd_journal_add_match(j.get(), source.c_str(), 0) < 0 || sd_journal_seek_realtime_usec(j.get(), since_usec) < 0)
        return out;
    std::set<std::string> seen;
    while (sd_journal_next(j.get()) > 0) {
        std::uint64_t at = 0;
        if (sd_journal_get_realtime_usec(j.get(), &at) < 0 || at < since_usec) continue;
        auto unit = field(j.get(), user ? "USER_UNIT" : "UNIT");
        auto message = field(j.get(), "MESSAGE");
        if (!unit || !message || !wanted(*unit)) continue;
        if (seen.insert(*message).second) out.push_back({*unit, *message});
    }
    return out;
}

}  // namespace formation::systemd
