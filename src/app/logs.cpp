#include "app/logs.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <optional>

#include "app/context.hpp"
#include "compile/compile.hpp"
#include "compile/unit_name.hpp"
#include "formation/values.hpp"

namespace formation::app {

namespace {

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

struct Source {
    std::string type;
    int index = 0;
    std::string unit;
};

bool selected(const std::vector<LogSelector>& selectors, const std::string& type, int index) {
    if (selectors.empty()) return true;
    return std::any_of(selectors.begin(), selectors.end(),
                       [&type, index](const LogSelector& sel) { return sel.type == type && (!sel.index || sel.index == index); });
}

// The instances to read: desired and loaded ones alike (an instance scaled
// away still has logs worth reading while it is loaded), narrowed by the
// selectors; TYPE.N is read whether or not it exists now.
std::vector<Source> select_sources(const std::string& app, const UnitSet& set, const std::vector<LogSelector>& selectors,
                                   systemd::Manager& manager) {
    std::vector<Source> all;
    for (const auto& i : set.instances) all.push_back({i.type, i.index, i.unit});
    // A scheduled type's runs: index 0, named by the type alone.
    for (const auto& sch : set.scheduled) all.push_back({sch.type, 0, sch.service});
    for (const auto& unit : loaded_instances(manager, app)) {
        auto ref = parse_instance(app, unit);
        bool known = std::any_of(all.begin(), all.end(), [&unit](const Source& s) { return s.unit == unit; });
        if (ref && !known) all.push_back({ref->type, ref->index, unit});
    }
    std::vector<Source> out;
    for (const auto& s : all)
        if (selected(selectors, s.type, s.index)) out.push_back(s);
    for (const auto& sel : selectors) {
        bool present = std::any_of(out.begin(), out.end(),
                                   [&sel](const Source& s) { return s.type == sel.type && s.index == sel.index; });
        if (sel.index && !present) out.push_back({sel.type, sel.index, instance_name(app, sel.type, sel.index)});
    }
    return out;
}

}  // namespace

std::uint64_t parse_since(const std::string& text, std::uint64_t now_usec) {
    const std::string ago = " ago";
    std::string relative = text;
    if (relative.size() > ago.size() && relative.ends_with(ago)) relative.resize(relative.size() - ago.size());
    if (auto d = parse_duration(relative)) return *d < now_usec ? now_usec - *d : 0;
    if (auto t = parse_local_time(text)) return *t;
    throw Error("--since " + formation::quoted(text) +
                    ": expected a time ago (\"10min\", \"2h\") or a local time \"YYYY-MM-DD HH:MM:SS\"",
                exit_usage);
}

LogSelector parse_log_selector(const Formation& f, const std::string& s) {
    LogSelector sel;
    auto dot = s.find('.');
    sel.type = s.substr(0, dot);
    select_types(f, {sel.type});  // throws Error naming an unknown type
    if (dot == std::string::npos) return sel;
    for (const auto& p : f.processes)
        if (p.name == sel.type && p.schedule)
            throw Error("bad instance \"" + s + "\": " + sel.type + " is a scheduled type, without instances; `logs " +
                            sel.type + "` shows its runs",
                        exit_usage);
    std::string_view n = std::string_view(s).substr(dot + 1);
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), sel.index);
    if (ec != std::errc() || end != n.data() + n.size() || sel.index < 1)
        throw Error("bad instance \"" + s + "\": expected TYPE or TYPE.N with N >= 1", exit_usage);
    return sel;
}

LogSelection select_logs(Env& env, const LogsRequest& r) {
    InstalledFormation loaded = load_installed(env.store, env.user, r.app);
    const Formation& f = loaded.formation;
    std::vector<LogSelector> selectors;
    for (const auto& s : r.selectors) selectors.push_back(parse_log_selector(f, s));
    UnitSet set = compile(f, install_options(env.user, loaded));
    auto sources = select_sources(f.app, set, selectors, env.manager());

    LogSelection out;
    out.app = f.app;
    out.types = set.types;
    out.follow = r.follow;
    for (const auto& s : sources) out.instances.push_back(s.index ? s.type + "." + std::to_string(s.index) : s.type);
    systemd::JournalQuery& q = out.query;
    q.user = env.user;
    for (const auto& s : sources) q.units.push_back(s.unit);
    if (!r.since.empty()) q.since_usec = parse_since(r.since, now_realtime_usec());
    int lines = r.lines >= 0 ? r.lines : (r.since.empty() ? default_log_lines : 0);
    if (lines > 0) q.last = static_cast<std::size_t>(lines);
    // Instances started later (a scale-up, a surplus one) are followed too:
    // any instance of a selected type, or the selected TYPE.N.
    q.follow_units = [app = f.app, types = set.types, selectors](const std::string& unit) {
            auto ref = parse_instance(app, unit);
            if (!ref || std::find(types.begin(), types.end(), ref->type) == types.end()) return false;
            return selected(selectors, ref->type, ref->index);
        };
    return out;
}

LogLine log_line(const std::string& app, const systemd::JournalEntry& e) {
    if (auto ref = parse_instance(app, e.unit))
        return LogLine{e.realtime_usec, e.unit, ref->type + "." + std::to_string(ref->index), e.message};
    if (auto type = parse_scheduled(app, e.unit)) return LogLine{e.realtime_usec, e.unit, *type, e.message};
    return LogLine{e.realtime_usec, e.unit, e.unit, e.message};
}

void read_logs(const LogSelection& s, const LogSink& sink) {
    systemd::JournalQuery q = s.query;
    if (s.follow && sink.backlog_end) {
        // The backlog, the mark, then what comes after it: a reader merging
        // several hosts sorts the backlogs first.
        std::uint64_t from = now_realtime_usec();
        for (const auto& e : systemd::read_journal(q)) {
            sink.line(log_line(s.app, e));
            from = std::max(from, e.realtime_usec + 1);
        }
        sink.backlog_end();
        q.last.reset();
        q.since_usec = from;
    }
    if (!s.follow) {
        for (const auto& e : systemd::read_journal(q)) sink.line(log_line(s.app, e));
        return;
    }
    systemd::follow_journal(
        q, [&s, &sink](const systemd::JournalEntry& e) { return sink.line(log_line(s.app, e)); }, sink.ends);
}

}  // namespace formation::app
