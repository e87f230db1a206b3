#include "host/health_state.hpp"

#include <filesystem>
#include <sstream>

#include "host/atomic_file.hpp"
#include "host/tsv.hpp"

namespace formation::host {

std::string encode_health(const std::vector<HealthRecord>& records) {
    std::string out;
    for (const auto& r : records)
        out += tsv::field(r.unit) + "\t" + (r.healthy ? "healthy" : "unhealthy") + "\t" + std::to_string(r.failures) + "\t" +
               tsv::field(r.last_answer) + "\t" + std::to_string(r.checked_usec) + "\t" + std::to_string(r.restarts) + "\t" +
               tsv::field(r.restart_reason) + "\t" + std::to_string(r.restarted_usec) + "\n";
    return out;
}

std::vector<HealthRecord> decode_health(const std::string& text) {
    std::vector<HealthRecord> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto f = tsv::split(line);
        if (f.size() != 8 || f[0].empty() || (f[1] != "healthy" && f[1] != "unhealthy")) continue;
        HealthRecord r;
        std::uint64_t failures = 0, restarts = 0;
        r.unit = f[0];
        r.healthy = f[1] == "healthy";
        r.last_answer = f[3];
        r.restart_reason = f[6];
        if (!tsv::to_u64(f[2], failures) || !tsv::to_u64(f[4], r.checked_usec) || !tsv::to_u64(f[5], restarts) ||
            !tsv::to_u64(f[7], r.restarted_usec))
            continue;
        r.failures = static_cast<unsigned>(failures);
        r.restarts = static_cast<unsigned>(restarts);
        out.push_back(std::move(r));
    }
    return out;
}

void write_health(const Paths& paths, const std::string& app, const std::vector<HealthRecord>& records) {
    auto path = paths.health_path(app);
    std::filesystem::create_directories(path.parent_path());
    write_file_atomic(path, encode_health(records));
}

void remove_health(const Paths& paths, const std::string& app) {
    std::error_code ec;
    std::filesystem::remove(paths.health_path(app), ec);
}

std::vector<HealthRecord> read_health(const Paths& paths, const std::string& app) {
    std::optional<std::string> text;
    try {
        text = read_file(paths.health_path(app));
    } catch (const std::exception&) {
        return {};
    }
    return text ? decode_health(*text) : std::vector<HealthRecord>{};
}

}  // namespace formation::host
