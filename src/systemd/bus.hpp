// sd-bus plumbing private to src/systemd: owning handles, one connection
// type that knows how to reach the Manager, and a pipeline that keeps many
// method calls in flight. Nothing outside src/systemd includes this.
#pragma once

#include <systemd/sd-bus.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "systemd/manager.hpp"

namespace formation::systemd::bus {

struct BusUnref {
    void operator()(sd_bus* b) const { sd_bus_flush_close_unref(b); }
};
struct MessageUnref {
    void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
struct SlotUnref {
    void operator()(sd_bus_slot* s) const { sd_bus_slot_unref(s); }
};
using BusPtr = std::unique_ptr<sd_bus, BusUnref>;
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotUnref>;

// An sd_bus_error that frees itself.
struct OwnedError {
    sd_bus_error error{};  // = SD_BUS_ERROR_NULL, without its C99 compound literal
    OwnedError() = default;
    OwnedError(const OwnedError&) = delete;
    OwnedError& operator=(const OwnedError&) = delete;
    ~OwnedError() { sd_bus_error_free(&error); }
};

inline constexpr const char* manager_service = "org.freedesktop.systemd1";
inline constexpr const char* manager_path = "/org/freedesktop/systemd1";
inline constexpr const char* manager_interface = "org.freedesktop.systemd1.Manager";
inline constexpr const char* properties_interface = "org.freedesktop.DBus.Properties";

// "StartUnit of x.service" and the like: what a failed call was doing.
std::string describe_call(std::string_view method, std::string_view unit);

// A method error reply (or failed send) turned into a SystemdError.
// Permission problems get the hint to use root or --user.
SystemdError call_failed(std::string_view what, const sd_bus_error* e, int r);
bool is_permission_error(const sd_bus_error* e);

// Throws SystemdError when a message read/append returned r < 0.
void check_message(int r, std::string_view what);

// Appends an "as" argument.
void append_strings(sd_bus_message* m, const std::vector<std::string>& strings);

class Connection {
public:
    // bus_first: the bus daemon before the private socket (see connect_manager).
    explicit Connection(bool user, bool bus_first = false);

    sd_bus* get() const { return bus_.get(); }
    bool user() const { return user_; }

    // A method call on the Manager object (or `path` for another object).
    MessagePtr new_manager_call(const char* member) const;
    MessagePtr new_call(const char* path, const char* interface, const char* member) const;

    // Blocking call; throws SystemdError naming `what` on an error reply.
    MessagePtr call(sd_bus_message* m, std::string_view what, std::uint64_t timeout_usec = 0) const;

    // Dispatches incoming messages and waits for more until `done()`, or
    // until CLOCK_MONOTONIC reaches `deadline_usec` (0: no deadline); false
    // on the deadline. Throws SystemdError when the connection breaks.
    bool process_until(const std::function<bool()>& done, std::uint64_t deadline_usec = 0) const;

    // Through dbus-daemon (signals then carry the manager's bus name), or
    // straight to systemd's private socket.
    bool through_bus_daemon() const { return sd_bus_is_bus_client(bus_.get()) > 0; }

    // The manager sends job and unit signals only to subscribed clients;
    // Subscribe once per connection (a second one is refused).
    void subscribe() const;

    // A match on one of the manager's signals (on the private socket signals
    // carry no sender, so none is matched there).
    SlotPtr match_signal(const char* path, const char* interface, const char* member,
                         sd_bus_message_handler_t callback, void* userdata) const;

private:
    BusPtr bus_;
    bool user_;
    mutable bool subscribed_ = false;
};


// The object path of a unit ("/org/freedesktop/systemd1/unit/shop_2dweb_401_2eservice").
std::string unit_path(const std::string& unit);

// Keeps up to `window` method calls awaiting replies: enough to hide round
// trips, and below dbus-daemon's max_replies_per_connection (128 on the
// system bus) so a batch of 500 is never refused with LimitsExceeded.
class Pipeline {
public:
    using ReplyHandler = std::function<void(sd_bus_message* reply)>;

    explicit Pipeline(const Connection& connection, std::size_t window = 64);
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // `on_reply` sees the method return or the error reply. Should it throw,
    // the other replies are still handled and run() rethrows the first.
    void add(MessagePtr call, ReplyHandler on_reply);

    // Sends everything and processes the bus until every call has had its
    // reply and `also_done()` (if given) holds, or `deadline_usec`
    // (CLOCK_MONOTONIC, 0: none) passes; false on the deadline.
    bool run(const std::function<bool()>& also_done = {}, std::uint64_t deadline_usec = 0);

private:
    struct Call {
        Pipeline* owner;
        MessagePtr message;
        ReplyHandler on_reply;
        SlotPtr slot;  // owning it cancels the call if we unwind early
    };
    static int reply_callback(sd_bus_message* reply, void* userdata, sd_bus_error* ret_error);
    void send_more();

    const Connection& connection_;
    std::size_t window_;
    std::deque<Call> calls_;  // deque: Call addresses are userdata and must not move
    std::size_t next_to_send_ = 0;
    std::size_t in_flight_ = 0;
    std::size_t replied_ = 0;
    bool send_failed_ = false;  // the connection broke: stop waiting for the rest
    std::exception_ptr first_failure_;
};

// Queues jobs and waits for their JobRemoved signals (bus_jobs.cpp).
class JobRunner {
public:
    explicit JobRunner(const Connection& connection) : connection_(connection) {}
    std::vector<JobOutcome> run(const std::vector<JobRequest>& jobs, std::uint64_t timeout_usec);
    void queue(const JobRequest& job);  // no wait
    void set_observer(JobObserver observer) { observer_ = std::move(observer); }

private:
    struct Batch;
    void subscribe_once();
    static int job_removed(sd_bus_message* m, void* userdata, sd_bus_error* ret_error);

    const Connection& connection_;
    SlotPtr job_removed_match_;
    Batch* batch_ = nullptr;  // the run() in progress, if any
    JobObserver observer_;
};

// Transient services: start one and wait for its end (bus_transient.cpp).
void start_transient(const Connection& connection, const TransientSpec& spec);
TransientExit wait_transient(const Connection& connection, const std::string& unit);

// Unit and Service properties of each unit, pipelined (bus_properties.cpp).
std::vector<UnitState> read_unit_states(const Connection& connection,
                                        const std::vector<std::string>& units);

}  // namespace formation::systemd::bus
