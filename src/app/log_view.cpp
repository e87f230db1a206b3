#include "app/log_view.hpp"

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

}  // namespace formation::app
