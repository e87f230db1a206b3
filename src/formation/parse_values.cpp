// Typed readers for single TOML values, each reporting a precise error.
#include <algorithm>
#include <cinttypes>
#include <sstream>

#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation::detail {

namespace {

// Long values are cut so one bad line does not flood the terminal.
std::string shown(std::string_view s) {
    constexpr std::size_t max = 60;
    if (s.size() <= max) return quoted(s);
    return quoted(s.substr(0, max)) + "…";
}

std::string join_choices(const std::vector<std::string_view>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
        out += quoted(choices[i]);
    }
    return out;
}

}  // namespace

std::string describe(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string: return "string " + shown(n.as_string()->get());
        case toml::node_type::integer: return "integer " + std::to_string(n.as_integer()->get());
        case toml::node_type::floating_point: {
            std::ostringstream out;
            out << n.as_floating_point()->get();
            return "float " + out.str();
        }
        case toml::node_type::boolean: return n.as_boolean()->get() ? "boolean true" : "boolean false";
        case toml::node_type::array: return "array";
        case toml::node_type::table: return "table";
        case toml::node_type::date: return "date";
        case toml::node_type::time: return "time";
        case toml::node_type::date_time: return "date-time";
        default: return "nothing";
    }
}

std::optional<std::string> read_string(Context& c, const toml::node& n, std::string_view key) {
    const auto* s = n.as_string();
    if (!s) {
        c.error(n, std::string(key) + " must be a string (got " + describe(n) + ")");
        return std::nullopt;
    }
    if (s->get().find('\0') != std::string::npos) {
        c.error(n, std::string(key) + " contains a NUL character, which systemd cannot carry");
        return std::nullopt;
    }
    // Text formation writes into units or shows (descriptions, paths, raw
    // lines, names) ends up where someone reads it: nothing in it may hide
    // text or reorder it. A command and an env value are the process's
    // data, passed byte for byte as formation.toml(5) promises (control
    // characters included), and are not refused.
    const bool data = key == "command" || key.starts_with("env ");
    if (auto h = data ? std::nullopt : find_hidden_char(s->get())) {
        c.error(n, std::string(key) + " contains " + h->name + " at character " + std::to_string(h->index + 1) +
                       ", which hides text or changes the order it is shown in; remove it");
        return std::nullopt;
    }
    return s->get();
}

std::optional<std::int64_t> read_int(Context& c, const toml::node& n, std::string_view key,
                                     std::int64_t lo, std::int64_t hi) {
    const auto* i = n.as_integer();
    if (!i) {
        c.error(n, std::string(key) + " must be an integer (got " + describe(n) + ")");
        return std::nullopt;
    }
    if (i->get() < lo || i->get() > hi) {
        c.error(n, std::string(key) + " must be an integer between " + std::to_string(lo) + " and " +
                       std::to_string(hi) + " (got " + std::to_string(i->get()) + ")");
        return std::nullopt;
    }
    return i->get();
}

std::optional<std::uint64_t> read_duration(Context& c, const toml::node& n, std::string_view key) {
    constexpr std::int64_t max_seconds = 100LL * 365 * 86400;  // far beyond any sane timeout
    if (const auto* i = n.as_integer()) {
        if (i->get() < 0 || i->get() > max_seconds) {
            c.error(n, std::string(key) + " must be a non-negative number of seconds (got " +
                           std::to_string(i->get()) + ")");
            return std::nullopt;
        }
        return static_cast<std::uint64_t>(i->get()) * usec_per_sec;
    }
    if (const auto* s = n.as_string()) {
        auto d = parse_duration(s->get());
        if (!d) {
            c.error(n, std::string(key) + ": " + shown(s->get()) +
                           " is not a duration (expected e.g. \"10s\", \"500ms\", \"1min 30s\")");
        }
        return d;
    }
    c.error(n, std::string(key) + " must be a duration such as \"10s\" or a number of seconds (got " +
                   describe(n) + ")");
    return std::nullopt;
}

std::optional<std::string> read_choice(Context& c, const toml::node& n, std::string_view key,
                                       const std::vector<std::string_view>& choices) {
    auto s = read_string(c, n, key);
    if (!s) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *s) == choices.end()) {
        c.error(n, std::string(key) + " must be " + join_choices(choices) + " (got " + shown(*s) + ")");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> read_path(Context& c, const toml::node& n, std::string_view key, bool allow_dash) {
    auto s = read_string(c, n, key);
    if (!s) return std::nullopt;
    std::string_view p = *s;
    if (allow_dash && !p.empty() && p.front() == '-') p.remove_prefix(1);
    if (p.empty() || p.front() != '/') {
        c.error(n, std::string(key) + " must be an absolute path (got " + shown(*s) + ")");
        return std::nullopt;
    }
    if (has_control_chars(p)) {
        c.error(n, std::string(key) + " must not contain control characters (got " + shown(*s) + ")");
        return std::nullopt;
    }
    // systemd logs "path is not normalized, ignoring" (or "has invalid
    // length") and runs the process without the setting: refuse it here.
    if (auto problem = path_problem(p)) {
        c.error(n, std::string(key) + " " + shown(*s) + " " + *problem +
                       "; systemd ignores a path that is not normalized and runs the process without it");
        return std::nullopt;
    }
    // systemd strips trailing blanks off a unit line and joins a line ending
    // in "\" with the next one: such a path would not arrive as written.
    if (p.back() == ' ' || p.back() == '\\') {
        c.error(n, std::string(key) + " must not end with a space or a backslash, which systemd would drop or "
                                      "read as a line continuation (got " + shown(*s) + ")");
        return std::nullopt;
    }
    return s;
}

std::optional<std::vector<std::string>> read_path_array(Context& c, const toml::node& n,
                                                        std::string_view key, bool allow_dash) {
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, std::string(key) + " must be an array of absolute paths (got " + describe(n) + ")");
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& item : *arr) {
        auto p = read_path(c, item, key, allow_dash);
        if (p) out.push_back(std::move(*p));
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::string> read_user(Context& c, const toml::node& n, std::string_view key) {
    auto s = read_string(c, n, key);
    if (!s) return std::nullopt;
    bool numeric = !s->empty() && s->find_first_not_of("0123456789") == std::string::npos;
    if (numeric && !is_valid_user_name(*s)) {
        c.error(n, std::string(key) + " " + shown(*s) +
                       " is not a valid name or numeric id: systemd takes ids from 0 to 4294967294, written "
                       "without leading zeros, except 65535");
        return std::nullopt;
    }
    if (!is_valid_user_name(*s)) {
        c.error(n, std::string(key) + " " + shown(*s) +
                       " is not a valid name: use letters, digits, \"_\", \".\" and \"-\", "
                       "starting with a letter or \"_\", at most 31 characters, or a numeric id");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> unknown_key(Context& c, const toml::key& key, std::string_view label,
                                       const std::vector<std::string_view>& candidates) {
    std::string msg = "unknown key " + shown(key.str()) + " " + std::string(label);
    auto guess = did_you_mean(key.str(), candidates);
    if (guess) msg += "; did you mean " + quoted(*guess) + "?";
    c.error(key, std::move(msg));
    return guess;
}

}  // namespace formation::detail
