// The two steps of on_failure's handler (app/on_failure.hpp), run by
// systemd in APP-TYPE.on-failure@N.service:
//   formation [--user] on-failure-journal --out FILE   ExecStartPre=+ (full
//     privileges: the app's user may not read the system journal): the
//     failed unit's last lines, once journald has its failure line, into
//     FILE, owned by FILE's directory's owner (the handler's user).
//   formation on-failure-exec --journal FILE -- COMMAND…   ExecStart=: FILE
//     as stdin, the failure's variables set, COMMAND exec'd.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "app/on_failure.hpp"
#include "cli/common.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

namespace {

int write_journal(bool user, const std::string& out) {
    std::string text;
    const char* unit = std::getenv("MONITOR_UNIT");
    if (!unit) {
        text = "(no failed unit: $MONITOR_UNIT is not set; started by hand?)\n";
    } else {
        systemd::JournalQuery q;
        q.units = {unit};
        q.user = user;
        q.last = 50;
        try {
            // PID 1 logs the failure before it starts this unit, but
            // journald may not have stored it yet: wait for it, 2 s at most.
            std::vector<systemd::JournalEntry> entries;
            for (int tries = 0; tries < 40; ++tries) {
                entries = systemd::read_journal(q);
                if (app::has_failure_line(entries)) break;
                timespec ts{0, 50000000};
                nanosleep(&ts, nullptr);
            }
            text = app::failure_journal_text(entries);
        } catch (const std::exception& e) {
            text = std::string("(journal not readable: ") + e.what() + ")\n";
        }
    }
    const std::filesystem::path file = out;
    host::write_file_atomic(file, text, 0600);
    struct stat dir {};
    if (::stat(file.parent_path().c_str(), &dir) == 0 && ::chown(file.c_str(), dir.st_uid, dir.st_gid) != 0)
        std::cerr << "formation on-failure-journal: cannot hand " << out << " over: " << std::strerror(errno) << std::endl;
    return exit_ok;
}

int exec_command(const std::string& journal, const std::vector<std::string>& command) {
    int fd = ::open(journal.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::dup2(fd, 0);
        if (fd != 0) ::close(fd);
    }
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    for (const auto& [name, value] : app::failure_environment([](const char* n) { return std::getenv(n); }, host))
        ::setenv(name.c_str(), value.c_str(), 1);
    return exec_in_place("on-failure-exec", command);
}

}  // namespace

void add_on_failure(CLI::App& root, const Globals& g, Run& run) {
    auto out = std::make_shared<std::string>();
    auto* j = root.add_subcommand("on-failure-journal", "Save a failed unit's last journal lines (used by units)");
    j->group("");  // internal: hidden from --help
    j->add_option("--out", *out, "Where to write them")->required();
    j->callback([&run, &g, out] { run = [&g, out] { return write_journal(g.user, *out); }; });

    auto journal = std::make_shared<std::string>();
    auto command = std::make_shared<std::vector<std::string>>();
    auto* x = root.add_subcommand("on-failure-exec", "Run on_failure's command (used by units)");
    x->group("");
    x->add_option("--journal", *journal, "The saved journal lines, its stdin")->required();
    x->add_option("command", *command, "The command")->required();
    x->callback([&run, journal, command] { run = [journal, command] { return exec_command(*journal, *command); }; });
}

}  // namespace formation::cli
