// Connection, error mapping and the call pipeline shared by bus_*.cpp.
#include "systemd/bus.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <system_error>
#include <unistd.h>

#include "host/clock.hpp"

namespace formation::systemd::bus {
namespace {

std::string errno_text(int r) { return std::system_category().message(r < 0 ? -r : r); }

std::string manager_name(bool user) { return user ? "user manager" : "system manager"; }

// Where sd_bus_open_* looks, so a failed connect says which socket it tried.
std::string bus_address(bool user) {
    const char* env = std::getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");
    if (env && *env) return env;
    if (!user) return "/run/dbus/system_bus_socket";
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    if (runtime && *runtime) return std::string(runtime) + "/bus";
    return "XDG_RUNTIME_DIR is not set";
}

}  // namespace

std::string describe_call(std::string_view method, std::string_view unit) {
    std::string s(method);
    if (!unit.empty()) {
        s += ' ';
        s += unit;
    }
    return s;
}

bool is_permission_error(const sd_bus_error* e) {
    return sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED) ||
           sd_bus_error_has_name(e, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED);
}

SystemdError call_failed(std::string_view what, const sd_bus_error* e, int r) {
    std::string prefix = std::string(what) + ": ";
    if (e && sd_bus_error_is_set(e)) {
        if (is_permission_error(e))
            return SystemdError(prefix + "permission denied: run as root or use --user", e->name, 3);
        return SystemdError(prefix + (e->message ? e->message : e->name), e->name, 3);
    }
    return SystemdError(prefix + errno_text(r), {}, 3);
}

void check_message(int r, std::string_view what) {
    if (r < 0) throw SystemdError("malformed D-Bus message (" + std::string(what) + "): " + errno_text(r));
}

void append_strings(sd_bus_message* m, const std::vector<std::string>& strings) {
    check_message(sd_bus_message_open_container(m, 'a', "s"), "open as");
    for (const auto& s : strings) check_message(sd_bus_message_append(m, "s", s.c_str()), "append s");
    check_message(sd_bus_message_close_container(m), "close as");
}

// systemd's own socket, which systemctl uses when there is no bus daemon.
std::string private_socket(bool user) {
    if (!user) return "/run/systemd/private";
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    return runtime && *runtime ? std::string(runtime) + "/systemd/private" : std::string();
}

int open_private(bool user, sd_bus** out) {
    std::string path = private_socket(user);
    if (path.empty()) return -ENXIO;
    sd_bus* raw = nullptr;
    int r = sd_bus_new(&raw);
    if (r < 0) return r;
    BusPtr bus(raw);
    if ((r = sd_bus_set_address(raw, ("unix:path=" + path).c_str())) < 0) return r;
    if ((r = sd_bus_start(raw)) < 0) return r;
    *out = bus.release();
    return 0;
}

// As systemctl does (bus_connect_transport_systemd): root talks to the
// system manager, and a user to their own manager, straight through
// systemd's private socket, which the manager answers itself; the bus daemon
// is the fallback (and the way for anyone else, e.g. `apply --dry-run` as a
// normal user). The direct socket spares every call and signal a hop through
// dbus-daemon: at 500 instances that was most of formation's overhead over
// systemctl.
Connection::Connection(bool user, bool bus_first) : user_(user) {
    sd_bus* raw = nullptr;
    bool direct_first = !bus_first && (user || ::geteuid() == 0);
    int pr = direct_first ? open_private(user, &raw) : -EPERM;
    if (pr >= 0) {
        bus_.reset(raw);
        return;
    }
    int r = user ? sd_bus_open_user(&raw) : sd_bus_open_system(&raw);
    // sd_bus_open_* connects at once: a missing or refusing bus socket fails here.
    if (r >= 0) {
        bus_.reset(raw);
        return;
    }
    int bus_error = r < 0 ? r : -ECONNREFUSED;
    if (!direct_first) pr = open_private(user, &raw);
    if (pr >= 0) {
        bus_.reset(raw);
        return;
    }
    std::string priv = private_socket(user);
    throw SystemdError("cannot connect to the " + manager_name(user) + " (" + bus_address(user) + ": " +
                           errno_text(bus_error) + (priv.empty() ? "" : "; " + priv + ": " + errno_text(pr)) +
                           "); is systemd running" + (user ? " for this user (loginctl enable-linger)?" : "?"),
                       {}, 3);
}

MessagePtr Connection::new_call(const char* path, const char* interface, const char* member) const {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus_.get(), &raw, manager_service, path, interface, member);
    if (r < 0) throw SystemdError(std::string("cannot create ") + member + " call: " + errno_text(r));
    return MessagePtr(raw);
}

MessagePtr Connection::new_manager_call(const char* member) const {
    return new_call(manager_path, manager_interface, member);
}

MessagePtr Connection::call(sd_bus_message* m, std::string_view what, std::uint64_t timeout_usec) const {
    OwnedError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call(bus_.get(), m, timeout_usec, &error.error, &reply);
    if (r < 0) throw call_failed(what, &error.error, r);
    return MessagePtr(reply);
}

void Connection::subscribe() const {
    if (subscribed_) return;
    auto m = new_manager_call("Subscribe");
    call(m.get(), "Subscribe");
    subscribed_ = true;
}

SlotPtr Connection::match_signal(const char* path, const char* interface, const char* member,
                                 sd_bus_message_handler_t callback, void* userdata) const {
    sd_bus_slot* raw = nullptr;
    const char* sender = through_bus_daemon() ? manager_service : nullptr;
    int r = sd_bus_match_signal(bus_.get(), &raw, sender, path, interface, member, callback, userdata);
    if (r < 0) throw call_failed(std::string("AddMatch ") + member, nullptr, r);
    return SlotPtr(raw);
}

bool Connection::process_until(const std::function<bool()>& done, std::uint64_t deadline_usec) const {
    auto lost = [this](int r) {
        return SystemdError("lost the connection to the " + manager_name(user_) + ": " + errno_text(r), {}, 3);
    };
    for (;;) {
        int r;
        while ((r = sd_bus_process(bus_.get(), nullptr)) > 0) {
        }
        if (r < 0) throw lost(r);
        if (done()) return true;
        std::uint64_t wait = UINT64_MAX;
        if (deadline_usec) {
            std::uint64_t now = host::monotonic_usec();
            if (now >= deadline_usec) return false;
            wait = deadline_usec - now;
        }
        r = sd_bus_wait(bus_.get(), wait);
        if (r < 0 && r != -EINTR) throw lost(r);
    }
}

Pipeline::Pipeline(const Connection& connection, std::size_t window)
    : connection_(connection), window_(window == 0 ? 1 : window) {}

void Pipeline::add(MessagePtr call, ReplyHandler on_reply) {
    calls_.push_back(Call{this, std::move(call), std::move(on_reply), nullptr});
}

void Pipeline::send_more() {
    while (in_flight_ < window_ && next_to_send_ < calls_.size()) {
        Call& call = calls_[next_to_send_];
        sd_bus_slot* slot = nullptr;
        int r = sd_bus_call_async(connection_.get(), &slot, call.message.get(), reply_callback, &call, 0);
        if (r < 0) {
            const char* member = sd_bus_message_get_member(call.message.get());
            throw SystemdError(std::string("cannot send ") + (member ? member : "call") + ": " + errno_text(r));
        }
        call.slot.reset(slot);
        call.message.reset();  // sd-bus keeps its own reference until written
        ++next_to_send_;
        ++in_flight_;
    }
}

// Runs inside sd_bus_process (C frames): exceptions must not escape.
int Pipeline::reply_callback(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* call = static_cast<Call*>(userdata);
    Pipeline& self = *call->owner;
    --self.in_flight_;
    ++self.replied_;
    try {
        call->on_reply(reply);
    } catch (...) {
        if (!self.first_failure_) self.first_failure_ = std::current_exception();
    }
    try {
        self.send_more();
    } catch (...) {
        if (!self.first_failure_) self.first_failure_ = std::current_exception();
        self.send_failed_ = true;
    }
    return 0;
}

bool Pipeline::run(const std::function<bool()>& also_done, std::uint64_t deadline_usec) {
    send_more();
    bool done = connection_.process_until([&] {
        bool replies_in = in_flight_ == 0 && (send_failed_ || next_to_send_ == calls_.size());
        return replies_in && (send_failed_ || !also_done || also_done());
    }, deadline_usec);
    if (first_failure_) std::rethrow_exception(first_failure_);
    return done;
}

}  // namespace formation::systemd::bus
