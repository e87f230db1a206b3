#include "app/metrics.hpp"

#include <cstdio>
#include <functional>
#include <map>

namespace formation::app {

namespace {

// A label value: backslash, double quote and line feed escaped.
std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

// Seconds from microseconds, exactly ("1.5", "1700000000.123456", "0").
std::string seconds(std::uint64_t usec) {
    std::string s = std::to_string(usec / 1000000);
    if (std::uint64_t frac = usec % 1000000) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(frac));
        std::string f = buf;
        while (f.back() == '0') f.pop_back();
        s += "." + f;
    }
    return s;
}

std::string nanoseconds_as_seconds(std::uint64_t nsec) {
    std::string s = std::to_string(nsec / 1000000000);
    if (std::uint64_t frac = nsec % 1000000000) {
        char buf[12];
        std::snprintf(buf, sizeof buf, "%09llu", static_cast<unsigned long long>(frac));
        std::string f = buf;
        while (f.back() == '0') f.pop_back();
        s += "." + f;
    }
    return s;
}

struct Family {
    const char* name;
    const char* type;  // gauge, counter
    const char* help;
};

// One family: its HELP and TYPE, then its samples (possibly none).
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    void family(const Family& f, const std::function<void(const std::function<void(const std::string&, const std::string&)>&)>& each) {
        out_ += std::string("# HELP ") + f.name + " " + f.help + "\n";
        out_ += std::string("# TYPE ") + f.name + " " + f.type + "\n";
        each([this, &f](const std::string& labels, const std::string& value) {
            out_ += std::string(f.name) + "{" + labels + "} " + value + "\n";
        });
    }

private:
    std::string& out_;
};

std::string labels(const AppMetrics& a, const std::string& type, const std::string& instance = {}) {
    std::string l = "app=\"" + label_value(a.view.app) + "\",type=\"" + label_value(type) + "\"";
    if (!instance.empty()) l += ",instance=\"" + label_value(instance) + "\"";
    return l + ",host=\"" + label_value(a.host) + "\"";
}

using Sample = std::function<void(const std::string&, const std::string&)>;

// Each instance of each app, with its labels.
void each_instance(const std::vector<AppMetrics>& apps,
                   const std::function<void(const std::string&, const InstanceStatus&)>& f) {
    for (const auto& a : apps)
        for (const auto& t : a.view.types)
            for (const auto& i : t.instances) f(labels(a, t.name, t.name + "." + std::to_string(i.index)), i);
}

void each_scheduled(const std::vector<AppMetrics>& apps,
                    const std::function<void(const std::string&, const ScheduledStatus&)>& f) {
    for (const auto& a : apps)
        for (const auto& t : a.view.types)
            if (t.scheduled) f(labels(a, t.name), *t.scheduled);
}

}  // namespace

std::string render_metrics(const std::vector<AppMetrics>& apps, std::uint64_t now_usec) {
    std::string out;
    Writer w(out);
    w.family({"formation_instance_up", "gauge", "Whether the instance is active (1) or not (0)."}, [&](const Sample& s) {
        each_instance(apps, [&](const std::string& l, const InstanceStatus& i) { s(l, is_running(i) ? "1" : "0"); });
    });
    w.family({"formation_instance_ready", "gauge",
              "Whether the instance is active and not failing its health check (1) or not (0)."},
             [&](const Sample& s) {
                 each_instance(apps, [&](const std::string& l, const InstanceStatus& i) {
                     bool ready = is_running(i) && health_word(i) != "unhealthy";
                     s(l, ready ? "1" : "0");
                 });
             });
    w.family({"formation_instance_cpu_seconds_total", "counter", "CPU time used by the instance's processes."},
             [&](const Sample& s) {
                 each_instance(apps, [&](const std::string& l, const InstanceStatus& i) {
                     if (i.cpu_nsec) s(l, nanoseconds_as_seconds(*i.cpu_nsec));
                 });
             });
    w.family({"formation_instance_memory_bytes", "gauge", "Memory used by the instance's processes."},
             [&](const Sample& s) {
                 each_instance(apps, [&](const std::string& l, const InstanceStatus& i) {
                     if (i.memory_bytes) s(l, std::to_string(*i.memory_bytes));
                 });
             });
    w.family({"formation_instance_restarts_total", "counter", "Times systemd restarted the instance (NRestarts)."},
             [&](const Sample& s) {
                 each_instance(apps, [&](const std::string& l, const InstanceStatus& i) { s(l, std::to_string(i.restarts)); });
             });
    w.family({"formation_instance_start_time_seconds", "gauge", "When the instance's current run began, in seconds since the epoch."},
             [&](const Sample& s) {
                 each_instance(apps, [&](const std::string& l, const InstanceStatus& i) {
                     if (is_running(i) && i.uptime_usec <= now_usec) s(l, seconds(now_usec - i.uptime_usec));
                 });
             });
    w.family({"formation_type_desired_instances", "gauge", "How many instances of the type the formation asks for."},
             [&](const Sample& s) {
                 for (const auto& a : apps)
                     for (const auto& t : a.view.types)
                         if (!t.scheduled) s(labels(a, t.name), std::to_string(t.desired));
             });
    w.family({"formation_scheduled_running", "gauge", "Whether a run of the scheduled type is going (1) or not (0)."},
             [&](const Sample& s) {
                 each_scheduled(apps, [&](const std::string& l, const ScheduledStatus& x) { s(l, scheduled_running(x) ? "1" : "0"); });
             });
    w.family({"formation_scheduled_last_run_timestamp_seconds", "gauge", "When the last run of the scheduled type began."},
             [&](const Sample& s) {
                 each_scheduled(apps, [&](const std::string& l, const ScheduledStatus& x) {
                     if (x.last_start_usec) s(l, seconds(x.last_start_usec));
                 });
             });
    w.family({"formation_scheduled_last_run_success", "gauge", "Whether the last run that ended succeeded (1) or failed (0)."},
             [&](const Sample& s) {
                 each_scheduled(apps, [&](const std::string& l, const ScheduledStatus& x) {
                     if (x.last_end_usec) s(l, x.active_state == "failed" ? "0" : "1");
                 });
             });
    w.family({"formation_scheduled_last_run_duration_seconds", "gauge", "How long the last run that ended took."},
             [&](const Sample& s) {
                 each_scheduled(apps, [&](const std::string& l, const ScheduledStatus& x) {
                     if (x.last_end_usec && x.last_end_usec >= x.last_start_usec)
                         s(l, seconds(x.last_end_usec - x.last_start_usec));
                 });
             });
    w.family({"formation_scheduled_next_run_timestamp_seconds", "gauge", "When the scheduled type runs next."},
             [&](const Sample& s) {
                 each_scheduled(apps, [&](const std::string& l, const ScheduledStatus& x) {
                     if (x.next_usec) s(l, seconds(x.next_usec));
                 });
             });
    return out;
}

}  // namespace formation::app
