#include "app/on_failure.hpp"

#include <algorithm>

namespace formation::app {

std::vector<std::pair<std::string, std::string>> failure_environment(
    const std::function<const char*(const char*)>& getenv, const std::string& hostname) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::pair<const char*, const char*> from_monitor[] = {
        {"FORMATION_UNIT", "MONITOR_UNIT"},
        {"FORMATION_RESULT", "MONITOR_SERVICE_RESULT"},
        {"FORMATION_EXIT_CODE", "MONITOR_EXIT_CODE"},
        {"FORMATION_EXIT_STATUS", "MONITOR_EXIT_STATUS"},
        {"FORMATION_INVOCATION_ID", "MONITOR_INVOCATION_ID"},
    };
    for (const auto& [ours, theirs] : from_monitor)
        if (const char* v = getenv(theirs)) out.emplace_back(ours, v);
    if (const char* instance = getenv("FORMATION_INSTANCE")) {
        std::string i = instance;
        out.emplace_back("FORMATION_TYPE", i.substr(0, i.find('.')));
    }
    if (!hostname.empty()) out.emplace_back("FORMATION_HOST", hostname);
    return out;
}

std::string failure_journal_text(const std::vector<systemd::JournalEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        std::string line = e.message;
        std::replace(line.begin(), line.end(), '\n', ' ');
        out += (e.from_manager ? "systemd: " : "") + line + '\n';
    }
    return out;
}

bool has_failure_line(const std::vector<systemd::JournalEntry>& entries) {
    return std::any_of(entries.begin(), entries.end(),
                       [](const systemd::JournalEntry& e) { return e.from_manager && e.message_id == systemd::unit_failed_message_id; });
}

}  // namespace formation::app
