// Transient services, as `systemd-run --wait --collect` makes them: one
// StartTransientUnit call carrying every setting as a typed property, then
// JobRemoved for its start job and PropertiesChanged on the unit until it
// is inactive or failed. AddRef=yes keeps the ended unit (and its exit
// status) until we read it and Unref it; CollectMode=inactive-or-failed lets
// systemd forget it then, even when it failed.
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "systemd/bus.hpp"
#include "systemd/unit_properties.hpp"

namespace formation::systemd::bus {
namespace {

constexpr const char* unit_interface = "org.freedesktop.systemd1.Unit";
constexpr const char* service_interface = "org.freedesktop.systemd1.Service";

void append_property(sd_bus_message* m, const BusProperty& p) {
    const char* name = p.name.c_str();
    std::visit(
        [m, name](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                check_message(sd_bus_message_append(m, "(sv)", name, "b", int(v)), name);
            } else if constexpr (std::is_same_v<T, std::string>) {
                check_message(sd_bus_message_append(m, "(sv)", name, "s", v.c_str()), name);
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                check_message(sd_bus_message_append(m, "(sv)", name, "t", v), name);
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                check_message(sd_bus_message_append(m, "(sv)", name, "i", v), name);
            } else if constexpr (std::is_same_v<T, std::uint32_t>) {
                check_message(sd_bus_message_append(m, "(sv)", name, "u", v), name);
            } else {
                check_message(sd_bus_message_open_container(m, 'r', "sv"), name);
                check_message(sd_bus_message_append(m, "s", name), name);
                if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                    check_message(sd_bus_message_open_container(m, 'v', "as"), name);
                    append_strings(m, v);
                } else if constexpr (std::is_same_v<T, AllowList>) {
                    check_message(sd_bus_message_open_container(m, 'v', "(bas)"), name);
                    check_message(sd_bus_message_open_container(m, 'r', "bas"), name);
                    check_message(sd_bus_message_append(m, "b", int(v.allow)), name);
                    append_strings(m, v.items);
                    check_message(sd_bus_message_close_container(m), name);
                } else {
                    static_assert(std::is_same_v<T, FileList>);
                    check_message(sd_bus_message_open_container(m, 'v', "a(sb)"), name);
                    check_message(sd_bus_message_open_container(m, 'a', "(sb)"), name);
                    for (const auto& [path, optional] : v)
                        check_message(sd_bus_message_append(m, "(sb)", path.c_str(), int(optional)), name);
                    check_message(sd_bus_message_close_container(m), name);
                }
                check_message(sd_bus_message_close_container(m), name);
                check_message(sd_bus_message_close_container(m), name);
            }
        },
        p.value);
}

// ExecStartEx with "no-env-expand" (a unit file's ":" prefix): systemd
// would otherwise expand $VAR and turn "$$" into "$" in the words.
void append_exec_start(sd_bus_message* m, const std::vector<std::string>& argv) {
    check_message(sd_bus_message_open_container(m, 'r', "sv"), "ExecStartEx");
    check_message(sd_bus_message_append(m, "s", "ExecStartEx"), "ExecStartEx");
    check_message(sd_bus_message_open_container(m, 'v', "a(sasas)"), "ExecStartEx");
    check_message(sd_bus_message_open_container(m, 'a', "(sasas)"), "ExecStartEx");
    check_message(sd_bus_message_open_container(m, 'r', "sasas"), "ExecStartEx");
    check_message(sd_bus_message_append(m, "s", argv.at(0).c_str()), "ExecStartEx");
    append_strings(m, argv);
    append_strings(m, {"no-env-expand"});
    for (int i = 0; i < 4; ++i) check_message(sd_bus_message_close_container(m), "ExecStartEx");
}

void append_stdio(const Connection& c, sd_bus_message* m, const TransientSpec& spec) {
    if (!spec.tty_path.empty()) {
        for (const char* key : {"StandardInput", "StandardOutput", "StandardError"})
            append_property(m, {key, std::string("tty")});
        append_property(m, {"TTYPath", spec.tty_path});
        return;
    }
    if (sd_bus_can_send(c.get(), SD_BUS_TYPE_UNIX_FD) <= 0)
        throw SystemdError("StartTransientUnit " + spec.name + ": this connection cannot pass file descriptors", {}, 3);
    check_message(sd_bus_message_append(m, "(sv)", "StandardInputFileDescriptor", "h", spec.stdin_fd), "stdin");
    check_message(sd_bus_message_append(m, "(sv)", "StandardOutputFileDescriptor", "h", spec.stdout_fd), "stdout");
    check_message(sd_bus_message_append(m, "(sv)", "StandardErrorFileDescriptor", "h", spec.stderr_fd), "stderr");
}

// JobRemoved results by job path, seen while we wait for one.
struct Removed {
    std::map<std::string, std::string> results;
    static int on_signal(sd_bus_message* m, void* userdata, sd_bus_error*) {
        std::uint32_t id = 0;
        const char *path = nullptr, *unit = nullptr, *result = nullptr;
        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0) return 0;
        try {
            static_cast<Removed*>(userdata)->results[path] = result;
        } catch (...) {
        }
        return 0;
    }
};

std::string get_string(const Connection& c, const std::string& path, const char* interface, const char* name) {
    OwnedError error;
    char* raw = nullptr;
    int r = sd_bus_get_property_string(c.get(), manager_service, path.c_str(), interface, name, &error.error, &raw);
    if (r < 0) throw call_failed(describe_call("Get", name), &error.error, r);
    std::string out(raw);
    std::free(raw);
    return out;
}

std::int32_t get_int(const Connection& c, const std::string& path, const char* name) {
    OwnedError error;
    sd_bus_message* raw = nullptr;
    int r = sd_bus_get_property(c.get(), manager_service, path.c_str(), service_interface, name, &error.error, &raw,
                                "i");
    if (r < 0) throw call_failed(describe_call("Get", name), &error.error, r);
    MessagePtr reply(raw);
    std::int32_t v = 0;
    check_message(sd_bus_message_read(reply.get(), "i", &v), name);
    return v;
}

}  // namespace

void start_transient(const Connection& connection, const TransientSpec& spec) {
    std::string what = describe_call("StartTransientUnit", spec.name);
    auto m = connection.new_manager_call("StartTransientUnit");
    check_message(sd_bus_message_append(m.get(), "ss", spec.name.c_str(), "fail"), what);
    check_message(sd_bus_message_open_container(m.get(), 'a', "(sv)"), what);
    append_property(m.get(), {"Description", spec.description});
    append_property(m.get(), {"AddRef", true});
    append_property(m.get(), {"CollectMode", std::string("inactive-or-failed")});
    // Started once the command is exec'd: a command that cannot be run fails the start job.
    append_property(m.get(), {"Type", std::string("exec")});
    // As in a shell: `formation run … | head` ends the command with SIGPIPE.
    append_property(m.get(), {"IgnoreSIGPIPE", false});
    append_exec_start(m.get(), spec.argv);
    for (const auto& [key, value] : spec.settings) {
        auto props = transient_properties(key, value, spec.instance);
        if (!props) throw std::invalid_argument(key + "=: cannot be given to a one-off unit");
        for (const auto& p : *props) append_property(m.get(), p);
    }
    append_stdio(connection, m.get(), spec);
    check_message(sd_bus_message_close_container(m.get()), what);
    check_message(sd_bus_message_append(m.get(), "a(sa(sv))", 0), what);

    Removed removed;
    SlotPtr match = connection.match_signal(manager_path, manager_interface, "JobRemoved", Removed::on_signal, &removed);
    connection.subscribe();
    auto reply = connection.call(m.get(), what);
    const char* job = nullptr;
    check_message(sd_bus_message_read(reply.get(), "o", &job), what);
    std::string job_path = job;
    connection.process_until([&] { return removed.results.count(job_path) > 0; });
}

TransientExit wait_transient(const Connection& connection, const std::string& unit) {
    const std::string path = unit_path(unit);
    bool changed = true;  // read the state once before waiting: it may have ended already
    auto on_change = [](sd_bus_message*, void* userdata, sd_bus_error*) -> int {
        *static_cast<bool*>(userdata) = true;
        return 0;
    };
    SlotPtr match =
        connection.match_signal(path.c_str(), properties_interface, "PropertiesChanged", on_change, &changed);
    connection.subscribe();
    for (;;) {
        if (changed) {
            changed = false;
            std::string state = get_string(connection, path, unit_interface, "ActiveState");
            if (state == "inactive" || state == "failed") break;
        }
        connection.process_until([&] { return changed; });
    }
    TransientExit out;
    out.result = get_string(connection, path, service_interface, "Result");
    out.code = get_int(connection, path, "ExecMainCode");
    out.status = get_int(connection, path, "ExecMainStatus");
    // Let systemd collect it now (it would anyway when we disconnect).
    auto unref = connection.new_call(path.c_str(), unit_interface, "Unref");
    OwnedError error;
    sd_bus_call(connection.get(), unref.get(), 0, &error.error, nullptr);
    return out;
}

}  // namespace formation::systemd::bus
