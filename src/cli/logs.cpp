// formation logs [-a APP] [TYPE[.N]…] [-f] [-n N] [--since T]: the app's
// journal, merged across instances in time order, each line prefixed with
// the instance ("web.1 | ").
//
// -n N is the last N journal entries across every selected instance taken
// together (as journalctl -n), not N per instance; a multi-line message is
// one entry. Default 100, or all entries when --since is given; -n 0: all.
// --since takes a relative time meaning "that long ago" ("30s", "10min",
// "2h", "1h 30min", optionally followed by " ago"), or an absolute local
// time "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD".
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <functional>
#include <ctime>
#include <iostream>
#include <optional>

#include "app/log_view.hpp"
#include "cli/app_context.hpp"
#include "cli/common.hpp"
#include "cli/log_lines.hpp"
#include "compile/compile.hpp"
#include "formation/values.hpp"
#include "plan/plan.hpp"
#include "systemd/journal.hpp"

namespace formation::cli {

namespace {

constexpr int default_lines = 100;

struct LogsOptions {
    std::string app;
    std::vector<std::string> selectors;  // TYPE or TYPE.N
    bool follow = false;
    int lines = -1;  // -1: not given
    std::string since;
    bool json = false;
};

struct Selector {
    std::string type;
    int index = 0;  // 0: every instance of the type
};

Selector parse_selector(const Formation& f, const std::string& s) {
    Selector sel;
    auto dot = s.find('.');
    sel.type = s.substr(0, dot);
    select_types(f, {sel.type});  // throws CliError naming an unknown type
    if (dot == std::string::npos) return sel;
    std::string_view n = std::string_view(s).substr(dot + 1);
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), sel.index);
    if (ec != std::errc() || end != n.data() + n.size() || sel.index < 1)
        throw CliError("bad instance \"" + s + "\": expected TYPE or TYPE.N with N >= 1", exit_usage);
    return sel;
}

std::uint64_t now_usec() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

std::optional<std::uint64_t> parse_local_time(const std::string& text) {
    for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"}) {
        std::tm tm{};
        const char* end = strptime(text.c_str(), format, &tm);
        if (!end || *end) continue;
        tm.tm_isdst = -1;  // let mktime decide, as a local wall-clock time
        std::time_t t = std::mktime(&tm);
        if (t == static_cast<std::time_t>(-1) || t < 0) return std::nullopt;
        return static_cast<std::uint64_t>(t) * 1000000;
    }
    return std::nullopt;
}

std::uint64_t parse_since(std::string text) {
    const std::string ago = " ago";
    std::string relative = text;
    if (relative.size() > ago.size() && relative.ends_with(ago)) relative.resize(relative.size() - ago.size());
    if (auto d = parse_duration(relative)) {
        std::uint64_t now = now_usec();
        return *d < now ? now - *d : 0;
    }
    if (auto t = parse_local_time(text)) return *t;
    throw CliError("--since " + formation::quoted(text) + ": expected a time ago (\"10min\", \"2h\") or a local time \"YYYY-MM-DD HH:MM:SS\"",
                   exit_usage);
}

struct Source {
    std::string type;
    int index = 0;
    std::string unit;
};

// The instances to read: desired and loaded ones alike (an instance scaled
// away still has logs worth reading while it is loaded), narrowed by the
// selectors; TYPE.N is read whether or not it exists now.
std::vector<Source> select_sources(const Formation& f, const UnitSet& set, const std::vector<Selector>& selectors,
                                   bool user) {
    std::vector<Source> all;
    for (const auto& i : set.instances) all.push_back({i.type, i.index, i.unit});
    auto manager = systemd::connect_manager(user);
    for (const auto& unit : loaded_instances(*manager, f.app)) {
        auto ref = parse_instance(f.app, unit);
        bool known = std::any_of(all.begin(), all.end(), [&unit](const Source& s) { return s.unit == unit; });
        if (ref && !known) all.push_back({ref->type, ref->index, unit});
    }
    std::vector<Source> out;
    auto wanted = [&selectors](const Source& s) {
        if (selectors.empty()) return true;
        return std::any_of(selectors.begin(), selectors.end(),
                           [&s](const Selector& sel) { return sel.type == s.type && (!sel.index || sel.index == s.index); });
    };
    for (const auto& s : all)
        if (wanted(s)) out.push_back(s);
    for (const auto& sel : selectors) {
        bool present = std::any_of(out.begin(), out.end(),
                                   [&sel](const Source& s) { return s.type == sel.type && s.index == sel.index; });
        if (sel.index && !present) out.push_back({sel.type, sel.index, instance_name(f.app, sel.type, sel.index)});
    }
    return out;
}

// The label of each entry, "web.1", colored per type (in the formation's
// order); one width from the start for the instances read.
class Labels {
public:
    Labels(const std::string& app, const std::vector<Source>& sources, const UnitSet& set, bool color)
        : app_(app), types_(set.types), color_(color) {
        for (const auto& s : sources) printer_.widen(s.type + "." + std::to_string(s.index));
    }

    void print(const systemd::JournalEntry& e) {
        static const Color palette[] = {Color::cyan, Color::magenta, Color::blue, Color::yellow, Color::green};
        std::string out;
        if (auto ref = parse_instance(app_, e.unit)) {
            auto rank = static_cast<std::size_t>(std::find(types_.begin(), types_.end(), ref->type) - types_.begin());
            out = printer_.format(ref->type + "." + std::to_string(ref->index), e.message,
                                  color_ ? palette[rank % std::size(palette)] : Color::none);
        } else {
            out = printer_.format(e.unit, e.message);
        }
        std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    }

private:
    std::string app_;
    std::vector<std::string> types_;
    bool color_;
    LogPrinter printer_;
};

// --json: one object a line, the message as logged (what formation on
// another host answers for a logs across [hosts]).
void print_entry_json(const systemd::JournalEntry& e, const std::string& app) {
    auto ref = parse_instance(app, e.unit);
    std::string out =
        app::encode(app::LogLine{e.realtime_usec, e.unit, ref ? ref->type + "." + std::to_string(ref->index) : e.unit, e.message}) + "\n";
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
}

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int) { stop_requested = 1; }

// No SA_RESTART, so a signal interrupts the journal wait (EINTR) and -f
// ends cleanly; SA_RESETHAND, so a second signal still kills if the first
// landed in the instant before the wait began.
void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int run_logs(const Globals& g, const LogsOptions& o) {
    InstalledFormation loaded = resolve_formation(g, o.app);
    const Formation& f = loaded.formation;
    std::vector<Selector> selectors;
    for (const auto& s : o.selectors) selectors.push_back(parse_selector(f, s));
    UnitSet set = compile(f, install_options(g, loaded));
    auto sources = select_sources(f, set, selectors, g.user);

    systemd::JournalQuery q;
    q.user = g.user;
    for (const auto& s : sources) q.units.push_back(s.unit);
    if (!o.since.empty()) q.since_usec = parse_since(o.since);
    int lines = o.lines >= 0 ? o.lines : (o.since.empty() ? default_lines : 0);
    if (lines > 0) q.last = static_cast<std::size_t>(lines);

    Labels labels(f.app, sources, set, stdout_wants_color());
    std::function<void(const systemd::JournalEntry&)> print = [&labels](const auto& e) { labels.print(e); };
    if (o.json) print = [&f](const auto& e) { print_entry_json(e, f.app); };
    if (o.json && o.follow) {
        // The backlog, a {"following":true} line, then what comes after it:
        // a reader merging several hosts sorts the backlogs first.
        std::uint64_t from = now_usec();
        for (const auto& e : systemd::read_journal(q)) {
            print(e);
            from = std::max(from, e.realtime_usec + 1);
        }
        std::cout << app::following_mark << std::endl;
        q.last.reset();
        q.since_usec = from;
    }
    if (!o.follow) {
        for (const auto& e : systemd::read_journal(q)) print(e);
        std::cout.flush();
        return exit_ok;
    }
    // Instances started later (a scale-up, a surplus one) are followed too:
    // any instance of a selected type, or the selected TYPE.N.
    q.follow_units = [&f, &set, &selectors](const std::string& unit) {
        auto ref = parse_instance(f.app, unit);
        if (!ref || std::find(set.types.begin(), set.types.end(), ref->type) == set.types.end()) return false;
        if (selectors.empty()) return true;
        return std::any_of(selectors.begin(), selectors.end(), [&ref](const Selector& sel) {
            return sel.type == ref->type && (!sel.index || sel.index == ref->index);
        });
    };
    install_stop_handlers();
    systemd::follow_journal(q, [&print](const systemd::JournalEntry& e) {
        if (stop_requested) return false;
        print(e);
        std::cout.flush();  // a reader at the other end of a pipe sees each line now
        return true;
    });
    return exit_ok;
}

}  // namespace

void add_logs(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<LogsOptions>();
    auto* cmd = root.add_subcommand("logs", "Show the app's logs from journald, prefixed \"web.1 |\"");
    cmd->add_option("-a,--app", opts->app, "An installed app, as last applied (instead of -f FILE)");
    cmd->add_option("instances", opts->selectors, "TYPE (every instance) or TYPE.N (one)");
    cmd->add_flag("-f,--follow", opts->follow, "Keep printing new lines until interrupted");
    cmd->add_option("-n,--lines", opts->lines, "The last N entries across all instances (default 100; 0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--since", opts->since, "\"10min\", \"2h ago\" or local \"YYYY-MM-DD HH:MM:SS\"");
    cmd->add_flag("--json", opts->json, "One JSON object a line: realtime_usec, unit, instance, message");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_logs(g, *opts); }; });
}

}  // namespace formation::cli
