#include "app/env.hpp"

#include <unistd.h>

#include <iostream>

#include "app/context.hpp"
#include "app/progress.hpp"
#include "app/run.hpp"
#include "host/clock.hpp"
#include "host/paths.hpp"
#include "systemd/journal.hpp"

namespace formation::app {

namespace {

class HostJournal final : public Journal {
public:
    explicit HostJournal(bool user) : user_(user) {}

    std::string last_lines(const std::string& unit, std::size_t lines) override {
        return last_log_lines(unit, user_, lines);
    }

    // PID 1 hands its lines to journald before the job ends, but journald
    // may not have stored them yet: wait until some are there, for a while.
    std::string manager_lines(const std::string& unit, std::uint64_t since_usec) override {
        systemd::JournalQuery q;
        q.units = {unit};
        q.user = user_;
        q.last = 5;
        if (since_usec) q.since_usec = since_usec;
        std::string out;
        try {
            for (int tries = 0; tries < 40; ++tries) {
                auto entries = systemd::read_journal(q);
                for (const auto& e : entries) out += "    " + terminal_safe(e.message, true) + '\n';
                if (!out.empty()) break;
                real_sleep(50000);
            }
        } catch (const std::exception& e) {
            out = std::string("    (journal unreadable: ") + e.what() + ")\n";
        }
        return out;
    }

    std::vector<systemd::ConfigWarning> config_warnings(
        std::uint64_t since_usec, const std::function<bool(const std::string& unit)>& wanted) override {
        return systemd::config_warnings(user_, since_usec, wanted);
    }

private:
    bool user_;
};

}  // namespace

Env host_env(bool user, bool quiet) {
    auto connected = std::make_shared<std::unique_ptr<systemd::Manager>>();
    return Env{user,
               quiet,
               host_store(user),
               [connected, user, quiet]() -> systemd::Manager& {
                   if (!*connected) {
                       *connected = systemd::connect_manager(user);
                       attach_progress(**connected, quiet);
                   }
                   return **connected;
               },
               std::make_shared<HostJournal>(user),
               real_sleep,
               [](const std::string& line) { std::cerr << line << "\n"; },
               ::isatty(STDERR_FILENO) != 0,
               host::installed_generator(user),
               [user](const systemd::TransientSpec& spec) { return run_transient(user, spec, {}); },
               host::monotonic_usec};
}

}  // namespace formation::app
