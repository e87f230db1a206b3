#include "compile/unit_name.hpp"

#include <algorithm>

#include "formation/values.hpp"

namespace formation {

namespace {

constexpr std::string_view service_suffix = ".service";
constexpr std::string_view socket_suffix = ".socket";

std::string type_prefix(const std::string& app, const std::string& type) { return app + "-" + type + "@"; }

// "1".."999999" without a leading zero, as instance_name writes them.
std::optional<int> parse_index(std::string_view s) {
    if (s.empty() || s.size() > 6 || s[0] == '0' ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
}

struct Parts {
    std::string type;
    std::string_view index;  // between "@" and the suffix; empty for a template
};

// "APP-TYPE@INDEX" + suffix of the app, TYPE a valid type name.
std::optional<Parts> split(const std::string& app, std::string_view unit, std::string_view suffix) {
    if (!unit.starts_with(app) || !unit.ends_with(suffix) || unit.size() < app.size() + 1 + suffix.size() ||
        unit[app.size()] != '-')
        return std::nullopt;
    std::string_view rest = unit.substr(app.size() + 1, unit.size() - app.size() - 1 - suffix.size());
    auto at = rest.find('@');
    if (at == std::string_view::npos || !is_valid_type_name(rest.substr(0, at))) return std::nullopt;
    return Parts{std::string(rest.substr(0, at)), rest.substr(at + 1)};
}

std::optional<InstanceRef> parse_numbered(const std::string& app, std::string_view unit, std::string_view suffix) {
    auto parts = split(app, unit, suffix);
    if (!parts) return std::nullopt;
    auto index = parse_index(parts->index);
    if (!index) return std::nullopt;
    return InstanceRef{instance_name(app, parts->type, *index), parts->type, *index};
}

}  // namespace

std::string app_target_name(const std::string& app) { return app + ".target"; }

std::string health_unit_name(const std::string& app) { return app + "-health.service"; }

std::string slice_name(const std::string& app) {
    // "-" in a slice name means nesting (my-shop.slice would sit inside
    // my.slice, under app "my"'s limits): escape it as systemd-escape does.
    std::string out;
    for (char c : app) out += c == '-' ? std::string("\\x2d") : std::string(1, c);
    return out + ".slice";
}

std::string template_name(const std::string& app, const std::string& type) {
    return type_prefix(app, type) + std::string(service_suffix);
}

std::string socket_template_name(const std::string& app, const std::string& type) {
    return type_prefix(app, type) + std::string(socket_suffix);
}

std::string shared_socket_name(const std::string& app, const std::string& type) {
    return app + "-" + type + std::string(socket_suffix);
}

std::string shared_holder_name(const std::string& app, const std::string& type) {
    return app + "-" + type + "-socket" + std::string(service_suffix);
}

namespace {

// "APP-TYPE" + suffix of the app, TYPE a valid type name: TYPE.
std::optional<std::string> parse_plain(const std::string& app, std::string_view unit, std::string_view suffix) {
    if (!unit.starts_with(app) || !unit.ends_with(suffix) || unit.size() < app.size() + 1 + suffix.size() ||
        unit[app.size()] != '-')
        return std::nullopt;
    std::string_view type = unit.substr(app.size() + 1, unit.size() - app.size() - 1 - suffix.size());
    if (!is_valid_type_name(type)) return std::nullopt;
    return std::string(type);
}

constexpr std::string_view timer_suffix = ".timer";

}  // namespace

std::optional<std::string> parse_shared_socket(const std::string& app, std::string_view unit) {
    return parse_plain(app, unit, socket_suffix);
}

std::optional<std::string> parse_shared_holder(const std::string& app, std::string_view unit) {
    constexpr std::string_view tail = "-socket.service";
    if (!unit.ends_with(tail)) return std::nullopt;
    return parse_shared_socket(app, std::string(unit.substr(0, unit.size() - tail.size())) + std::string(socket_suffix));
}


std::string timer_name(const std::string& app, const std::string& type) {
    return app + "-" + type + std::string(timer_suffix);
}

std::string scheduled_name(const std::string& app, const std::string& type) {
    return app + "-" + type + std::string(service_suffix);
}

std::optional<std::string> parse_timer(const std::string& app, std::string_view unit) {
    return parse_plain(app, unit, timer_suffix);
}

std::optional<std::string> parse_scheduled(const std::string& app, std::string_view unit) {
    auto type = parse_plain(app, unit, service_suffix);
    if (type && is_taken_scheduled_name(*type)) return std::nullopt;
    return type;
}

std::string timer_glob(const std::string& app) { return app + "-*" + std::string(timer_suffix); }

std::string scheduled_glob(const std::string& app) { return app + "-*" + std::string(service_suffix); }

std::string scheduled_on_failure_name(const std::string& app, const std::string& type) {
    return app + "-" + type + ".on-failure@" + std::string(scheduled_run_instance) + std::string(service_suffix);
}

std::string instance_name(const std::string& app, const std::string& type, int index) {
    return type_prefix(app, type) + std::to_string(index) + std::string(service_suffix);
}

std::string socket_name(const std::string& app, const std::string& type, int index) {
    return type_prefix(app, type) + std::to_string(index) + std::string(socket_suffix);
}

std::string socket_name_in_template(const std::string& app, const std::string& type) {
    return type_prefix(app, type) + "%i" + std::string(socket_suffix);
}

std::string health_socket_path(const std::string& app, const std::string& type, const std::string& index) {
    return "formation/.health/" + type_prefix(app, type) + index + ".sock";
}

std::string on_failure_template_name(const std::string& app, const std::string& type) {
    return app + "-" + type + ".on-failure@" + std::string(service_suffix);
}

std::string on_failure_in_template(const std::string& app, const std::string& type) {
    return app + "-" + type + ".on-failure@%i" + std::string(service_suffix);
}

std::optional<std::string> parse_on_failure(const std::string& app, std::string_view unit) {
    constexpr std::string_view middle = ".on-failure@";
    if (!unit.starts_with(app) || unit.size() <= app.size() || unit[app.size()] != '-' || !unit.ends_with(service_suffix))
        return std::nullopt;
    std::string_view rest = unit.substr(app.size() + 1, unit.size() - app.size() - 1 - service_suffix.size());
    auto at = rest.find(middle);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view type = rest.substr(0, at), index = rest.substr(at + middle.size());
    if (!is_valid_type_name(type) ||
        (index != scheduled_run_instance && index.find_first_not_of("0123456789") != std::string_view::npos))
        return std::nullopt;
    return std::string(type);
}

std::string on_failure_glob(const std::string& app) { return app + "-*.on-failure@*" + std::string(service_suffix); }

std::string socket_of(const std::string& service) {
    if (!std::string_view(service).ends_with(service_suffix)) return {};
    return service.substr(0, service.size() - service_suffix.size()) + std::string(socket_suffix);
}

std::string dropin_path(const std::string& unit) { return unit + ".d/50-formation.conf"; }

std::string enable_link_path(const std::string& wanted_by, const std::string& app) {
    return wanted_by + ".wants/" + app_target_name(app);
}

std::string enable_link_target(const std::string& app) { return "../" + app_target_name(app); }

std::string run_unit_name(const std::string& app, const std::string& type, const std::string& suffix) {
    return app + "-" + type + "-run-" + suffix + std::string(service_suffix);
}

std::optional<InstanceRef> parse_instance(const std::string& app, std::string_view unit) {
    return parse_numbered(app, unit, service_suffix);
}

std::optional<InstanceRef> parse_socket(const std::string& app, std::string_view unit) {
    return parse_numbered(app, unit, socket_suffix);
}

std::optional<std::string> parse_template(const std::string& app, std::string_view unit) {
    for (auto suffix : {service_suffix, socket_suffix})
        if (auto parts = split(app, unit, suffix); parts && parts->index.empty()) return parts->type;
    return std::nullopt;
}

std::string instance_glob(const std::string& app) { return app + "-*@*" + std::string(service_suffix); }

std::string socket_glob(const std::string& app) { return app + "-*@*" + std::string(socket_suffix); }

std::string shared_socket_glob(const std::string& app) { return app + "-*" + std::string(socket_suffix); }

std::string shared_holder_glob(const std::string& app) { return app + "-*-socket" + std::string(service_suffix); }

std::vector<std::string> app_unit_globs(const std::string& app) {
    return {instance_glob(app), socket_glob(app), shared_socket_glob(app), shared_holder_glob(app),
            app_target_name(app), health_unit_name(app), timer_glob(app)};
}

}  // namespace formation
