// Every unit name formation uses, made and parsed in one place, and the
// globs that find them. Pure string functions: what the compiler writes,
// what the planner and the verbs look for in systemd, and what the
// generator claims in its directory all come from here.
//
// App "shop" (a valid app name: [a-z][a-z0-9]*(-[a-z0-9]+)*), type "web"
// (a valid type name: [a-z][a-z0-9_]*, no "-"):
//   shop.target                               the app target
//   shop.slice  (my\x2dshop.slice)            the app's slice
//   shop-web@.service, shop-web@.socket       templates
//   shop-web@1.service, shop-web@1.socket     instance 1 and its socket
//   shop-web@1.service.d/50-formation.conf    an instance's drop-in
//   shop-web.socket, shop-web-socket.service  a shared socket and its holder
//   multi-user.target.wants/shop.target       the enablement link
//   shop-web-run-SUFFIX.service               a `formation run` unit
//   shop-nightly.timer, shop-nightly.service  a scheduled type's timer and run
// A type name has no "-", so the units of app "shop" and of app "shop-x"
// never parse as each other's; the globs do match both (systemd's globs
// cannot say "no dash"), so whatever they list goes through parse_*.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formation {

// Making names.
std::string app_target_name(const std::string& app);                                  // "shop.target"
// The app's health watcher (only when a type has `health`): no "@", so no
// instance of any type can have its name.
std::string health_unit_name(const std::string& app);                                 // "shop-health.service"
std::string slice_name(const std::string& app);                                       // "shop.slice", "my\\x2dshop.slice"
std::string template_name(const std::string& app, const std::string& type);           // "shop-web@.service"
std::string socket_template_name(const std::string& app, const std::string& type);    // "shop-web@.socket"
std::string instance_name(const std::string& app, const std::string& type, int index);  // "shop-web@1.service"
std::string socket_name(const std::string& app, const std::string& type, int index);    // "shop-web@1.socket"
// socket = "shared": the type's one socket, and the unit it names as its
// Service= (a holder with no process: no instance may be the socket's
// service, or one instance's start limit would fail the socket). Neither
// has "@", and a type name has no "-", so no instance, template or other
// app's unit can have these names.
std::string shared_socket_name(const std::string& app, const std::string& type);  // "shop-web.socket"
std::string shared_holder_name(const std::string& app, const std::string& type);  // "shop-web-socket.service"
// socket = "shared" with health: each instance's own health socket (its
// unit is the instance's socket, "shop-web@1.socket"), a unix socket under
// the manager's runtime directory (%t: /run, or $XDG_RUNTIME_DIR). `index`
// is "1", or "%i" in a template: "formation/.health/shop-web@1.sock".
std::string health_socket_path(const std::string& app, const std::string& type, const std::string& index);
// The longest a unix socket path may be (sun_path, its NUL excluded), and
// the longest runtime directory a user manager has (/run/user/4294967295).
constexpr std::size_t unix_path_max = 107;
constexpr std::size_t runtime_dir_max = 20;
// A scheduled type: its timer and the oneshot service the timer starts. No
// "@", and a type name has no "-": no instance, template or holder has these
// names (a scheduled type is never named "health" nor "socket").
std::string timer_name(const std::string& app, const std::string& type);      // "shop-nightly.timer"
std::string scheduled_name(const std::string& app, const std::string& type);  // "shop-nightly.service"
// "APP-TYPE.timer", or "APP-TYPE.service" of a possible scheduled type
// (not the health watcher), of the app: TYPE.
std::optional<std::string> parse_timer(const std::string& app, std::string_view unit);
std::optional<std::string> parse_scheduled(const std::string& app, std::string_view unit);
std::string timer_glob(const std::string& app);      // "shop-*.timer"
std::string scheduled_glob(const std::string& app);  // "shop-*.service" (instances too: parse)
// The instance name a scheduled run's on_failure handler has: "run".
constexpr std::string_view scheduled_run_instance = "run";
std::string scheduled_on_failure_name(const std::string& app, const std::string& type);  // "shop-nightly.on-failure@run.service"
// on_failure: the handler template of a type, and the handler of whichever
// instance a template runs as. A "." is in no app or type name, so no
// instance or other app's unit can have these names.
std::string on_failure_template_name(const std::string& app, const std::string& type);  // "shop-web.on-failure@.service"
std::string on_failure_in_template(const std::string& app, const std::string& type);    // "shop-web.on-failure@%i.service"
// "APP-TYPE.on-failure@N.service" (or "…@run.service", or the template,
// "…@.service") of the app: TYPE.
std::optional<std::string> parse_on_failure(const std::string& app, std::string_view unit);
std::string on_failure_glob(const std::string& app);  // "shop-*.on-failure@*.service"
// The socket of whichever instance a template runs as: "shop-web@%i.socket".
std::string socket_name_in_template(const std::string& app, const std::string& type);
// The socket of an instance: "shop-web@1.service" → "shop-web@1.socket";
// empty when `service` is no ".service" unit.
std::string socket_of(const std::string& service);
// A unit's drop-in written by formation: "shop-web@1.service.d/50-formation.conf".
std::string dropin_path(const std::string& unit);
// The enablement link of the app target in `wanted_by` ("multi-user.target"):
// its path "multi-user.target.wants/shop.target" and its target "../shop.target".
std::string enable_link_path(const std::string& wanted_by, const std::string& app);
std::string enable_link_target(const std::string& app);
// A transient unit of `formation run`: "shop-web-run-1a2b3c.service".
std::string run_unit_name(const std::string& app, const std::string& type, const std::string& suffix);

// Parsing names: nullopt for any unit that is not the app's.
struct InstanceRef {
    std::string unit;  // the instance's service, "shop-web@3.service"
    std::string type;
    int index = 0;
};
// "APP-TYPE@N.service" of the app.
std::optional<InstanceRef> parse_instance(const std::string& app, std::string_view unit);
// "APP-TYPE@N.socket" of the app: the instance it belongs to (unit is its
// service, "….service").
std::optional<InstanceRef> parse_socket(const std::string& app, std::string_view unit);
// "APP-TYPE.socket" of the app (a shared socket): TYPE.
std::optional<std::string> parse_shared_socket(const std::string& app, std::string_view unit);
// "APP-TYPE-socket.service" of the app (a shared socket's holder): TYPE.
std::optional<std::string> parse_shared_holder(const std::string& app, std::string_view unit);
// "APP-TYPE@.service" or "APP-TYPE@.socket" of the app: TYPE.
std::optional<std::string> parse_template(const std::string& app, std::string_view unit);

// Globs for systemd's ListUnitsByPatterns; they also match units of apps
// whose name starts with "APP-", so filter what they find with parse_*.
std::string instance_glob(const std::string& app);  // "shop-*@*.service"
std::string socket_glob(const std::string& app);    // "shop-*@*.socket"
std::string shared_socket_glob(const std::string& app);  // "shop-*.socket" (per-instance sockets too: parse)
std::string shared_holder_glob(const std::string& app);  // "shop-*-socket.service"
// Every loaded unit of the app: its instances of any type, their sockets,
// its target and its timers. Not its scheduled runs (scheduled_glob): a run
// in progress holds a start job for as long as it runs, and nothing waits
// for it.
std::vector<std::string> app_unit_globs(const std::string& app);

}  // namespace formation
