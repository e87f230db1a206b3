#include "app/log_view.hpp"

#include <algorithm>
#include <utility>

#include "json/json.hpp"

namespace formation::app {

std::string encode(const LogLine& l) {
    json::Writer w;
    w.object()
        .key("realtime_usec").uint(l.realtime_usec)
        .key("unit").string(l.unit)
        .key("instance").string(l.instance)
        .key("message").string(l.message)
        .end_object();
    return w.text();
}

std::optional<LogLine> decode_log_line(std::string_view line) {
    json::Value j = json::parse(line);
    if (const json::Value* f = j.get("following"); f && f->kind == json::Value::Kind::boolean && f->boolean)
        return std::nullopt;
    LogLine l;
    try {
        l.realtime_usec = j.at("realtime_usec").as_uint();
        l.unit = j.at("unit").as_string();
        l.instance = j.at("instance").as_string();
        l.message = j.at("message").as_string();
    } catch (const json::Error& e) {
        throw json::Error(std::string("a log line: ") + e.what());
    }
    return l;
}

std::vector<MergedLine> LogMerge::release() {
    std::stable_sort(backlog_.begin(), backlog_.end(),
                     [](const MergedLine& a, const MergedLine& b) { return a.realtime_usec < b.realtime_usec; });
    if (lines_ > 0 && backlog_.size() > static_cast<std::size_t>(lines_))
        backlog_.erase(backlog_.begin(), backlog_.end() - lines_);
    streaming_ = true;
    return std::exchange(backlog_, {});
}

std::vector<MergedLine> LogMerge::add(MergedLine line) {
    if (streaming_) return {std::move(line)};
    backlog_.push_back(std::move(line));
    return {};
}

std::vector<MergedLine> LogMerge::backlog_done(std::size_t host) {
    if (host >= past_backlog_.size() || past_backlog_[host]) return {};
    past_backlog_[host] = true;
    if (streaming_ || !std::all_of(past_backlog_.begin(), past_backlog_.end(), [](bool b) { return b; })) return {};
    return release();
}

std::vector<MergedLine> LogMerge::finish() { return streaming_ ? std::vector<MergedLine>{} : release(); }

}  // namespace formation::app
