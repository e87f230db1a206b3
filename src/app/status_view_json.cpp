// StatusView as JSON and back: the keys of `status --json` written and
// read in one place, so what a host sends is what this one shows.
#include <limits>

#include "app/status_view.hpp"
#include "compile/unit_name.hpp"
#include "json/json.hpp"

namespace formation::app {

namespace {

// "active/listening": a socket's state as status --json has always shown it.
std::string socket_state(const SocketStatus& s) { return s.active_state + "/" + s.sub_state; }

void write_instance(json::Writer& w, const InstanceStatus& i, bool full) {
    w.object()
        .key("unit").string(i.unit)
        .key("type").string(i.type)
        .key("index").integer(i.index)
        .key("active_state").string(i.active_state)
        .key("sub_state").string(i.sub_state)
        .key("result").string(i.result)
        .key("pid").uint(i.pid)
        .key("uptime_usec").uint(i.uptime_usec)
        .key("startup_usec").uint_or_null(i.startup_usec)
        .key("memory_bytes").uint_or_null(i.memory_bytes)
        .key("cpu_nsec").uint_or_null(i.cpu_nsec)
        .key("restarts").uint(i.restarts);
    w.key("port");
    if (i.port) w.integer(*i.port);
    else w.null();
    w.key("port_source").string(i.port_source == PortSource::process ? "process" : "formation");
    w.key("socket");
    if (i.socket) w.string(socket_state(*i.socket));
    else w.null();
    w.key("desired").boolean(i.desired);
    w.key("health");
    if (!i.health) {
        w.null();
    } else {
        const auto& h = *i.health;
        w.object().key("state").string(health_word(i));
        w.key("failures").uint(h.failures).key("last_answer").string(h.last_answer);
        w.key("checked_usec").uint(h.checked_usec).key("restarts").uint(h.restarts);
        w.key("restart_reason").string(h.restart_reason).key("restarted_usec").uint(h.restarted_usec);
        w.end_object();
    }
    if (full) {
        w.key("load_state").string(i.load_state);
        w.key("socket_result");
        if (i.socket) w.string(i.socket->result);
        else w.null();
    }
    w.end_object();
}

void write_types(json::Writer& w, const StatusView& v, bool full) {
    w.array();
    for (const auto& t : v.types) {
        w.object().key("name").string(t.name).key("desired").integer(t.desired).key("running").integer(t.running);
        w.key("instances").array();
        for (const auto& i : t.instances) write_instance(w, i, full);
        w.end_array().key("shared_socket");
        if (!t.shared_socket) {
            w.null();
        } else {
            const auto& s = *t.shared_socket;
            w.object().key("unit").string(s.unit).key("active_state").string(s.active_state);
            w.key("sub_state").string(s.sub_state).key("result").string(s.result).key("port");
            if (s.port) w.integer(*s.port);
            else w.null();
            w.key("waiting").uint_or_null(s.waiting).end_object();
        }
        w.key("scheduled");
        if (!t.scheduled) {
            w.null();
        } else {
            const auto& s = *t.scheduled;
            w.object().key("schedule").string(s.schedule).key("timer").string(s.timer);
            w.key("timer_state").string(s.timer_active_state + "/" + s.timer_sub_state);
            w.key("next_usec").uint(s.next_usec).key("unit").string(s.service);
            w.key("active_state").string(s.active_state).key("sub_state").string(s.sub_state);
            w.key("result").string(s.result).key("pid").uint(s.pid);
            w.key("last_start_usec").uint(s.last_start_usec).key("last_end_usec").uint(s.last_end_usec);
            w.key("exit_status").integer(s.exit_status).key("memory_bytes").uint_or_null(s.memory_bytes);
            w.key("now_usec").uint(s.now_usec);
            if (full) w.key("load_state").string(s.load_state);
            w.end_object();
        }
        w.end_object();
    }
    w.end_array();
}

// ---- decoding: every key of the schema must be there, of its kind ----

// Rethrown with the key it concerns: "types[0].instances[1].pid: expected a number, got a string".
template <typename F>
auto member(const json::Value& object, std::string_view key, const std::string& where, F read) {
    try {
        return read(object.at(key));
    } catch (const json::Error& e) {
        throw json::Error(where + (where.empty() ? "" : ".") + std::string(key) + ": " + e.what());
    }
}

std::string text(const json::Value& o, std::string_view key, const std::string& where) {
    return member(o, key, where, [](const json::Value& v) { return v.as_string(); });
}

std::uint64_t number(const json::Value& o, std::string_view key, const std::string& where, std::uint64_t max) {
    return member(o, key, where, [max](const json::Value& v) {
        std::uint64_t n = v.as_uint();
        if (n > max) throw json::Error("out of range: " + v.string);
        return n;
    });
}

template <typename T>
T small(const json::Value& o, std::string_view key, const std::string& where) {
    return static_cast<T>(number(o, key, where, static_cast<std::uint64_t>(std::numeric_limits<T>::max())));
}

std::optional<std::uint64_t> number_or_null(const json::Value& o, std::string_view key, const std::string& where) {
    return member(o, key, where,
                  [](const json::Value& v) { return v.is_null() ? std::nullopt : std::optional<std::uint64_t>(v.as_uint()); });
}

InstanceStatus read_instance(const json::Value& o, const std::string& where) {
    InstanceStatus i;
    i.unit = text(o, "unit", where);
    i.type = text(o, "type", where);
    i.index = small<int>(o, "index", where);
    i.active_state = text(o, "active_state", where);
    i.sub_state = text(o, "sub_state", where);
    i.result = text(o, "result", where);
    i.pid = small<std::uint32_t>(o, "pid", where);
    i.uptime_usec = number(o, "uptime_usec", where, std::numeric_limits<std::uint64_t>::max());
    i.startup_usec = number_or_null(o, "startup_usec", where);
    i.memory_bytes = number_or_null(o, "memory_bytes", where);
    if (o.get("cpu_nsec")) i.cpu_nsec = number_or_null(o, "cpu_nsec", where);  // absent from older formations
    i.restarts = small<std::uint32_t>(o, "restarts", where);
    if (!o.at("port").is_null()) i.port = static_cast<int>(number(o, "port", where, 65535));
    std::string source = text(o, "port_source", where);
    if (source != "process" && source != "formation")
        throw json::Error(where + ".port_source: expected \"process\" or \"formation\"");
    i.port_source = source == "process" ? PortSource::process : PortSource::formation;
    i.desired = member(o, "desired", where, [](const json::Value& v) { return v.as_bool(); });
    i.load_state = o.get("load_state") ? text(o, "load_state", where) : "loaded";
    if (const json::Value* h = o.get("health"); h && !h->is_null()) {
        std::string at = where + ".health";
        host::HealthRecord r;
        std::string state = text(*h, "state", at);
        if (state != "healthy" && state != "unhealthy" && state != "-")
            throw json::Error(at + ".state: expected \"healthy\", \"unhealthy\" or \"-\"");
        r.failures = small<unsigned>(*h, "failures", at);
        r.last_answer = text(*h, "last_answer", at);
        r.checked_usec = number(*h, "checked_usec", at, std::numeric_limits<std::uint64_t>::max());
        r.restarts = small<unsigned>(*h, "restarts", at);
        r.restart_reason = text(*h, "restart_reason", at);
        r.restarted_usec = number(*h, "restarted_usec", at, std::numeric_limits<std::uint64_t>::max());
        r.healthy = state != "unhealthy";
        if (state != "-" || r.checked_usec) r.unit = i.unit;  // seen by the watcher
        i.health = std::move(r);
    }
    if (!o.at("socket").is_null()) {
        std::string state = text(o, "socket", where);
        auto slash = state.find('/');
        if (slash == std::string::npos || state.find('/', slash + 1) != std::string::npos)
            throw json::Error(where + ".socket: expected \"ACTIVE/SUB\"");
        SocketStatus s;
        s.unit = socket_of(i.unit).empty() ? i.unit : socket_of(i.unit);
        s.active_state = state.substr(0, slash);
        s.sub_state = state.substr(slash + 1);
        const json::Value* result = o.get("socket_result");
        if (result && !result->is_null()) s.result = text(o, "socket_result", where);
        i.socket = std::move(s);
    }
    return i;
}

SharedSocketStatus read_shared_socket(const json::Value& o, const std::string& where) {
    SharedSocketStatus s;
    s.unit = text(o, "unit", where);
    s.active_state = text(o, "active_state", where);
    s.sub_state = text(o, "sub_state", where);
    s.result = text(o, "result", where);
    if (!o.at("port").is_null()) s.port = static_cast<int>(number(o, "port", where, 65535));
    s.waiting = number_or_null(o, "waiting", where);
    return s;
}

ScheduledStatus read_scheduled(const json::Value& o, const std::string& where) {
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    ScheduledStatus s;
    s.schedule = text(o, "schedule", where);
    s.timer = text(o, "timer", where);
    std::string state = text(o, "timer_state", where);
    auto slash = state.find('/');
    if (slash == std::string::npos) throw json::Error(where + ".timer_state: expected \"ACTIVE/SUB\"");
    s.timer_active_state = state.substr(0, slash);
    s.timer_sub_state = state.substr(slash + 1);
    s.next_usec = number(o, "next_usec", where, max);
    s.service = text(o, "unit", where);
    s.active_state = text(o, "active_state", where);
    s.sub_state = text(o, "sub_state", where);
    s.result = text(o, "result", where);
    s.pid = small<std::uint32_t>(o, "pid", where);
    s.last_start_usec = number(o, "last_start_usec", where, max);
    s.last_end_usec = number(o, "last_end_usec", where, max);
    s.exit_status = member(o, "exit_status", where, [](const json::Value& v) {
        auto n = v.as_int();
        if (n < std::numeric_limits<std::int32_t>::min() || n > std::numeric_limits<std::int32_t>::max())
            throw json::Error("out of range: " + v.string);
        return static_cast<std::int32_t>(n);
    });
    s.memory_bytes = number_or_null(o, "memory_bytes", where);
    s.now_usec = number(o, "now_usec", where, max);
    s.load_state = o.get("load_state") ? text(o, "load_state", where) : "loaded";
    return s;
}

}  // namespace

std::string encode_types(const StatusView& v, bool full) {
    json::Writer w;
    write_types(w, v, full);
    return w.text();
}

std::string encode(const StatusView& v, bool full) {
    json::Writer w;
    w.object().key("app").string(v.app).key("types");
    write_types(w, v, full);
    w.end_object();
    return w.text();
}

StatusView decode(std::string_view in) {
    json::Value doc = json::parse(in);
    StatusView v;
    v.app = text(doc, "app", "");
    const auto& types = member(doc, "types", "", [](const json::Value& t) { return t.as_array(); });
    for (std::size_t k = 0; k < types.size(); ++k) {
        std::string where = "types[" + std::to_string(k) + "]";
        TypeStatus t;
        t.name = text(types[k], "name", where);
        t.desired = small<int>(types[k], "desired", where);
        t.running = small<int>(types[k], "running", where);
        const auto& instances = member(types[k], "instances", where, [](const json::Value& a) { return a.as_array(); });
        for (std::size_t n = 0; n < instances.size(); ++n)
            t.instances.push_back(read_instance(instances[n], where + ".instances[" + std::to_string(n) + "]"));
        if (const json::Value* s = types[k].get("shared_socket"); s && !s->is_null())
            t.shared_socket = read_shared_socket(*s, where + ".shared_socket");
        if (const json::Value* s = types[k].get("scheduled"); s && !s->is_null())
            t.scheduled = read_scheduled(*s, where + ".scheduled");
        v.types.push_back(std::move(t));
    }
    return v;
}

}  // namespace formation::app
