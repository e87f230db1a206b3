// A port of systemd 252's calendar_spec_from_string() and
// calendar_spec_to_string() (src/shared/calendarspec.c of systemd-stable
// v252.39) and of the helpers they lean on: strtoul(),
// parse_fractional_part_u() and the name check of timezone_is_valid().
// Each function names the one it ports. The order of the checks is systemd's,
// so the error is the first one systemd would hit; the words are ours
// (systemd only says "Invalid argument" or "Numerical result out of range").
#include "formation/calendar_252.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace formation {

namespace {

constexpr int min_year = 1970;      // MIN_YEAR
constexpr int max_year = 2199;      // MAX_YEAR
constexpr int every_weekday = 127;  // BITS_WEEKDAYS
constexpr int usec_per_sec = 1000000;
constexpr std::size_t max_nesting = 240;  // CALENDARSPEC_COMPONENTS_MAX
constexpr std::size_t path_max = 4096;
constexpr int int_max = std::numeric_limits<int>::max();

using Problem = std::optional<std::string>;  // why systemd refuses, or nullopt

// CalendarComponent: start, start..stop, start/repeat or start..stop/repeat.
// Compared as component_compare() does: start, then stop, then repeat.
struct Component {
    int start = 0;
    int stop = -1;   // none
    int repeat = 0;  // none
    Component() = default;
    constexpr Component(int start_, int stop_ = -1, int repeat_ = 0) : start(start_), stop(stop_), repeat(repeat_) {}
    auto operator<=>(const Component&) const = default;
};
// A chain of components; empty is "*", a NULL chain in systemd.
using Chain = std::vector<Component>;

// CalendarSpec. Seconds are kept in microseconds.
struct Spec {
    int weekdays = 0;  // bit 0 Monday … bit 6 Sunday; -1 after normalizing: any day
    bool end_of_month = false;
    bool utc = false;
    int dst = -1;          // 0 or 1: the local zone's tzname[dst] was named
    std::string timezone;  // empty: none
    Chain year, month, day, hour, minute, usec;
};

// ---- text ---------------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_no_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}
bool starts_with_no_case(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && equals_no_case(s.substr(0, prefix.size()), prefix);
}
bool ends_with_no_case(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && equals_no_case(s.substr(s.size() - suffix.size()), suffix);
}

// The text being parsed, read as systemd reads its C string: '\0' past the
// end (there is none inside: parse_calendar_252() refuses those).
class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
    bool at_end() const { return pos_ >= s_.size(); }
    void advance(std::size_t n = 1) { pos_ = std::min(s_.size(), pos_ + n); }
    void skip_spaces() {
        while (peek() == ' ') ++pos_;
    }
    std::string_view rest() const { return s_.substr(pos_); }
    // What was read since `from`, a copy of this cursor taken earlier.
    std::string_view since(const Cursor& from) const { return s_.substr(from.pos_, pos_ - from.pos_); }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

// `text` in double quotes for a message: control characters escaped, cut
// after 24 bytes (not inside a UTF-8 sequence).
std::string quote(std::string_view text) {
    std::size_t cut = text.size();
    if (cut > 24) {
        cut = 24;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    }
    std::string out = "\"";
    for (char c : text.substr(0, cut)) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (u < 0x20 || u == 0x7F) {
            const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        } else
            out += c;
    }
    return out + (cut < text.size() ? "…\"" : "\"");
}

// "at \"rest\"", or "at the end".
std::string at(const Cursor& c) { return c.at_end() ? "at the end" : "at " + quote(c.rest()); }

// ---- numbers ------------------------------------------------------------

// The digits strtoul() reads, the first being one; nullopt past 2^64-1
// (ERANGE), all of them read either way.
std::optional<std::uint64_t> read_digits(Cursor& c) {
    std::uint64_t value = 0;
    bool overflow = false;
    for (; is_digit(c.peek()); c.advance()) {
        auto digit = static_cast<std::uint64_t>(c.peek() - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) overflow = true;
        value = value * 10 + digit;
    }
    if (overflow) return std::nullopt;
    return value;
}

// parse_fractional_part_u(p, 6, …): up to six digits after the point, padded
// with zeros, rounded up when the seventh is 5 or more, the rest skipped.
Problem read_micros(Cursor& c, unsigned& micros) {
    unsigned value = 0;
    for (int i = 0; i < 6; ++i) {
        if (!is_digit(c.peek())) {
            if (i == 0) return "expected digits after the decimal point " + at(c);
            for (; i < 6; ++i) value *= 10;
            break;
        }
        value = value * 10 + static_cast<unsigned>(c.peek() - '0');
        c.advance();
    }
    if (c.peek() >= '5' && c.peek() <= '9') ++value;
    while (is_digit(c.peek())) c.advance();
    micros = value;
    return std::nullopt;
}

// parse_component_decimal(): a decimal number; in the seconds (`usec`) a
// fraction may follow, and the value is in microseconds.
Problem read_decimal(Cursor& c, bool usec, int& result) {
    if (!is_digit(c.peek())) return "expected a number " + at(c);
    Cursor begin = c;
    auto value = read_digits(c);
    auto too_large = [&] { return "the number " + quote(c.since(begin)) + " is too large"; };
    if (!value) return too_large();
    if (usec) {
        if (*value > std::numeric_limits<std::uint64_t>::max() / usec_per_sec) return too_large();
        *value *= usec_per_sec;
        // One "." is a decimal point, ".." a range.
        if (c.peek() == '.' && c.peek(1) != '.') {
            c.advance();
            unsigned micros = 0;
            if (auto p = read_micros(c, micros)) return p;
            if (micros > std::numeric_limits<std::uint64_t>::max() - *value) return too_large();
            *value += micros;
        }
    }
    if (*value > static_cast<std::uint64_t>(int_max)) return too_large();
    result = static_cast<int>(*value);
    return std::nullopt;
}

// ---- chains -------------------------------------------------------------

// One item of prepend_component(): START[..STOP][/REPEAT].
Problem read_component(Cursor& c, bool usec, Component& out) {
    Cursor begin = c;
    int start = 0, stop = -1, repeat = 0;
    if (auto p = read_decimal(c, usec, start)) return p;
    if (c.peek() == '.' && c.peek(1) == '.') {
        c.advance(2);
        if (auto p = read_decimal(c, usec, stop)) return p;
        repeat = usec ? usec_per_sec : 1;
    }
    if (c.peek() == '/') {
        c.advance();
        if (auto p = read_decimal(c, usec, repeat)) return p;
        if (repeat == 0) return "the repetition in " + quote(c.since(begin)) + " is zero";
    } else {
        if (start > int_max - repeat) return quote(c.since(begin)) + " is too large";
        // Without "/", seconds repeat every second: a range must span one.
        if (usec && stop >= 0 && start + repeat > stop)
            return "the range " + quote(c.since(begin)) + " is shorter than a second and has no /repetition";
    }
    const char next = c.peek();
    if (next != '\0' && next != ' ' && next != ',' && next != '-' && next != '~' && next != ':')
        return "unexpected " + quote(c.rest()) + " after " + quote(c.since(begin));
    out = {start, stop, repeat};
    return std::nullopt;
}

// prepend_component(), its recursion over "," a loop: at most 241 items.
Problem read_components(Cursor& c, bool usec, Chain& chain) {
    for (std::size_t nesting = 0;; ++nesting) {
        if (nesting > max_nesting) return "a list has more than " + std::to_string(max_nesting + 1) + " items";
        Component item;
        if (auto p = read_component(c, usec, item)) return p;
        chain.push_back(item);
        if (c.peek() != ',') return std::nullopt;
        c.advance();
    }
}

// parse_chain(): "*" or a list. In the seconds "*" is 0/1, not "any".
Problem read_chain(Cursor& c, bool usec, Chain& chain) {
    chain.clear();
    if (c.peek() == '*') {
        if (usec) chain.push_back({0, -1, usec_per_sec});
        c.advance();
        return std::nullopt;
    }
    return read_components(c, usec, chain);
}

// ---- weekdays, date, time -----------------------------------------------

// parse_weekdays(): "Mon", "Mon,Wed", "Mon..Fri" (or "Mon-Fri"), any case,
// full names too; a trailing "," is fine, an open range is not. No weekday
// at all is fine: the date follows.
Problem read_weekdays(Cursor& c, Spec& spec) {
    // Full names first: "Monday" must not be read as "Mon" and "day".
    static constexpr std::pair<std::string_view, int> names[] = {
        {"Monday", 0}, {"Mon", 0}, {"Tuesday", 1}, {"Tue", 1}, {"Wednesday", 2}, {"Wed", 2}, {"Thursday", 3},
        {"Thu", 3}, {"Friday", 4}, {"Fri", 4}, {"Saturday", 5}, {"Sat", 5}, {"Sunday", 6}, {"Sun", 6},
    };
    int range_from = -1;
    for (bool first = true;; first = false) {
        const auto* found = std::find_if(std::begin(names), std::end(names),
                                         [&](const auto& n) { return starts_with_no_case(c.rest(), n.first); });
        if (found == std::end(names)) {
            if (first) return std::nullopt;
            return "expected a weekday " + at(c);
        }
        const auto [name, day] = *found;
        const char after = c.peek(name.size());
        if (after != '\0' && after != '-' && after != '.' && after != ',' && after != ' ')
            return quote(c.rest().substr(0, c.rest().find_first_of(" ,.-"))) + " is not a weekday";
        spec.weekdays |= 1 << day;
        if (range_from >= 0) {
            if (range_from > day) return "the weekday range ends before it starts at " + quote(c.rest());
            for (int d = range_from + 1; d < day; ++d) spec.weekdays |= 1 << d;
        }
        c.advance(name.size());
        if (c.at_end()) return std::nullopt;
        if (c.peek() == ' ') {
            c.skip_spaces();
            return std::nullopt;
        }
        if (c.peek() == '.') {
            if (range_from >= 0) return "a weekday range cannot go on " + at(c);
            if (c.peek(1) != '.') return "expected \"..\" " + at(c);
            range_from = day;
            c.advance(2);
        } else if (c.peek() == '-') {  // the old way of writing ".."
            if (range_from >= 0) return "a weekday range cannot go on " + at(c);
            range_from = day;
            c.advance();
        } else if (c.peek() == ',') {
            range_from = -1;
            c.advance();
        }
        if (c.at_end() || c.peek() == ' ') {
            c.skip_spaces();
            if (range_from >= 0) return "the weekday range has no end";
            return std::nullopt;
        }
    }
}

// calendarspec_from_time_t(): the date and time of a UNIX time in UTC, as
// gmtime_r() gives it (proleptic Gregorian, any year an int holds).
Problem set_from_time(std::int64_t time, Spec& spec) {
    std::int64_t days = time / 86400, secs = time % 86400;
    if (secs < 0) {  // before 1970: round the day down
        secs += 86400;
        --days;
    }
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t mday = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year - 1900 < std::numeric_limits<int>::min() || year > int_max) return "the timestamp is out of range";
    spec.utc = true;
    spec.year = {{static_cast<int>(year)}};
    spec.month = {{static_cast<int>(month)}};
    spec.day = {{static_cast<int>(mday)}};
    spec.hour = {{static_cast<int>(secs / 3600)}};
    spec.minute = {{static_cast<int>(secs / 60 % 60)}};
    spec.usec = {{static_cast<int>(secs % 60) * usec_per_sec}};
    return std::nullopt;
}

// The "@" branch of parse_date(): the number strtoul() reads (blanks, a sign
// and all), as a time_t.
Problem read_timestamp(Cursor& c, Spec& spec) {
    while (c.peek() == ' ' || (c.peek() >= '\t' && c.peek() <= '\r')) c.advance();
    const bool negative = c.peek() == '-';
    if (c.peek() == '+' || c.peek() == '-') c.advance();
    if (!is_digit(c.peek())) return "expected a number after \"@\"";
    auto value = read_digits(c);
    if (!value) return "the timestamp is out of range";
    if (negative) *value = 0 - *value;  // as strtoul() does, modulo 2^64
    return set_from_time(static_cast<std::int64_t>(*value), spec);
}

// parse_date(): [[YEAR-]MONTH-DAY], "~" for the last days of the month, or
// "@EPOCH". Sets `whole` when the spec had a timestamp: no time follows.
Problem read_date(Cursor& c, Spec& spec, bool& whole) {
    Cursor t = c;
    if (t.at_end()) return std::nullopt;
    if (t.peek() == '@') {
        t.advance();
        if (auto p = read_timestamp(t, spec)) return p;
        c = t;
        whole = true;
        return std::nullopt;
    }
    Chain first, second, third;
    if (auto p = read_chain(t, false, first)) return p;
    if (t.at_end() || t.peek() == ':') return std::nullopt;  // a time, not a date
    if (t.peek() == '~')
        spec.end_of_month = true;
    else if (t.peek() != '-')
        return "expected \"-\" or \"~\" in the date " + at(t);
    t.advance();
    if (auto p = read_chain(t, false, second)) return p;
    if (t.at_end() || t.peek() == ' ') {  // MONTH-DAY
        t.skip_spaces();
        c = t;
        spec.month = std::move(first);
        spec.day = std::move(second);
        return std::nullopt;
    }
    if (spec.end_of_month) return "\"~\" may only stand between the month and the day";
    if (t.peek() == '~')
        spec.end_of_month = true;
    else if (t.peek() != '-')
        return "expected \"-\" or \"~\" in the date " + at(t);
    t.advance();
    if (auto p = read_chain(t, false, third)) return p;
    if (!t.at_end() && t.peek() != ' ') return "unexpected " + quote(t.rest()) + " after the date";
    t.skip_spaces();
    c = t;
    spec.year = std::move(first);
    spec.month = std::move(second);
    spec.day = std::move(third);
    return std::nullopt;
}

// parse_calendar_time(): HOUR:MINUTE[:SECOND]; none at all is 00:00:00.
Problem read_time(Cursor& c, Spec& spec) {
    const Chain zero = {{0}};
    Chain hour = zero, minute = zero, second = zero;
    if (!c.at_end()) {
        if (auto p = read_chain(c, false, hour)) return p;
        if (c.peek() != ':') return "expected \":\" after the hour " + at(c);
        c.advance();
        if (auto p = read_chain(c, false, minute)) return p;
        if (!c.at_end()) {
            if (c.peek() != ':') return "expected \":\" after the minute " + at(c);
            c.advance();
            if (auto p = read_chain(c, true, second)) return p;
            if (!c.at_end()) return "unexpected " + quote(c.rest()) + " after the seconds";
        }
    }
    spec.hour = std::move(hour);
    spec.minute = std::move(minute);
    spec.usec = std::move(second);
    return std::nullopt;
}

// The branches of calendar_spec_from_string() for the shorthands; false
// when `text` is none of them.
bool read_shorthand(std::string_view text, Spec& spec) {
    auto is = [&](std::initializer_list<std::string_view> names) {
        return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return equals_no_case(text, n); });
    };
    const Chain zero = {{0}}, first = {{1}};
    auto at_midnight = [&] { spec.hour = spec.minute = spec.usec = zero; };
    if (is({"minutely"})) {
        spec.usec = zero;
    } else if (is({"hourly"})) {
        spec.minute = spec.usec = zero;
    } else if (is({"daily"})) {
        at_midnight();
    } else if (is({"monthly"})) {
        spec.day = first;
        at_midnight();
    } else if (is({"annually", "yearly", "anually"})) {
        spec.month = spec.day = first;
        at_midnight();
    } else if (is({"weekly"})) {
        spec.weekdays = 1;
        at_midnight();
    } else if (is({"quarterly"})) {
        spec.month = {{1}, {4}, {7}, {10}};
        spec.day = first;
        at_midnight();
    } else if (is({"biannually", "bi-annually", "semiannually", "semi-annually"})) {
        spec.month = {{1}, {7}};
        spec.day = first;
        at_midnight();
    } else {
        return false;
    }
    return true;
}

// ---- the time zone ------------------------------------------------------

// timezone_is_valid(): the name check, then the zone file.
bool zone_is_valid(std::string_view name, const CalendarZones& zones) {
    if (name.empty()) return false;
    if (name == "UTC") return true;  // always, zone files or not
    if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos) return false;
    if (!std::all_of(name.begin(), name.end(), [](char c) {
            return is_digit(c) || is_alpha(c) || c == '-' || c == '_' || c == '+' || c == '/';
        }))
        return false;
    if (name.size() >= path_max) return false;
    return zones.file_exists && zones.file_exists(name);
}

// The start of calendar_spec_from_string(): a trailing " UTC" (any case),
// else the local zone's standard or daylight name after a space, else a
// valid zone name after the last space. Returns the text before it.
std::string_view take_zone(std::string_view spec, const CalendarZones& zones, Spec& out) {
    if (ends_with_no_case(spec, " UTC")) {
        out.utc = true;
        return spec.substr(0, spec.size() - 4);
    }
    const std::string_view local[] = {zones.local_standard, zones.local_daylight};
    for (int dst = 0; dst <= 1; ++dst) {
        const std::string_view name = local[dst];
        if (name.empty() || !ends_with_no_case(spec, name)) continue;
        const std::size_t e = spec.size() - name.size();
        if (e == 0 || spec[e - 1] != ' ') continue;
        out.dst = dst;
        return spec.substr(0, e - 1);
    }
    const std::size_t last_space = spec.rfind(' ');
    if (last_space != std::string_view::npos && zone_is_valid(spec.substr(last_space + 1), zones)) {
        out.timezone = std::string(spec.substr(last_space + 1));
        return spec.substr(0, last_space);
    }
    return spec;
}

// ---- normalizing and checking -------------------------------------------

// fix_year(): two-digit years, 70 → 1970 … 69 → 2069.
void fix_year(Chain& years) {
    auto fix = [](int& y) {
        if (y >= 0 && y < 70)
            y += 2000;
        else if (y >= 70 && y < 100)
            y += 1900;
    };
    for (auto& c : years) {
        fix(c.start);
        fix(c.stop);
    }
}

// normalize_chain(): a range's stop brought down to its last repetition, a
// repetition that never fires or a one-value range dropped, sorted, no
// duplicates.
void normalize_chain(Chain& chain) {
    for (auto& i : chain) {
        if (i.stop > i.start && i.repeat > 0) i.stop -= (i.stop - i.start) % i.repeat;
        if ((i.stop > i.start && i.repeat > 0 && i.start + i.repeat > i.stop) || i.start == i.stop) {
            i.repeat = 0;
            i.stop = -1;
        }
    }
    std::sort(chain.begin(), chain.end());
    chain.erase(std::unique(chain.begin(), chain.end()), chain.end());
}

// calendar_spec_normalize()
void normalize(Spec& spec) {
    if (spec.timezone == "UTC") {
        spec.utc = true;
        spec.timezone.clear();
    }
    if (spec.weekdays <= 0 || spec.weekdays >= every_weekday) spec.weekdays = -1;
    if (spec.end_of_month && spec.day.empty()) spec.end_of_month = false;
    fix_year(spec.year);
    for (Chain* c : {&spec.year, &spec.month, &spec.day, &spec.hour, &spec.minute, &spec.usec}) normalize_chain(*c);
}

// "%0*i": zero-padded to `width`, the sign first.
void append_padded(std::string& out, int width, long long value) {
    if (value < 0) {
        out += '-';
        value = -value;
        --width;
    }
    std::string digits = std::to_string(value);
    if (digits.size() < static_cast<std::size_t>(std::max(width, 0)))
        out.append(static_cast<std::size_t>(width) - digits.size(), '0');
    out += digits;
}

// A value as the normalized form writes it ("%0*i", then ".%06i" for the
// microseconds of a second).
std::string show(int value, int width, bool usec) {
    const int d = usec ? usec_per_sec : 1;
    std::string out;
    append_padded(out, width, value / d);
    if (value % d > 0) {
        out += '.';
        append_padded(out, 6, value % d);
    }
    return out;
}

// One field for chain_valid(): its name and range, whether it holds
// microseconds, whether its values count from the end of the month.
struct Field {
    std::string_view name;
    int from;
    int to;
    bool usec;
    bool end_of_month;

    std::string value(int v) const { return (end_of_month ? "~" : "") + show(v, name == "year" ? 4 : 2, usec); }
    std::string repeat(int v) const { return "/" + show(v, 1, usec); }
};

// chain_valid(): each value within the field, a repetition that fires at
// least twice inside it. Days from the end of the month stop at the 28th
// last one, and as chain_valid() takes 3 off again at each item it recurses
// to, the second item (in order) must be within ~25, the third ~22…
Problem chain_problem(const Chain& chain, Field f) {
    const std::string name(f.name);
    for (const auto& c : chain) {
        if (f.end_of_month) f.to -= 3;
        const std::string range = f.value(f.from) + ".." + f.value(f.to);
        if (c.start < f.from || c.start > f.to) return name + " " + f.value(c.start) + " is out of range " + range;
        if (c.repeat > f.to - f.from) return "the repetition " + f.repeat(c.repeat) + " is too long for the " + name;
        if (c.stop >= 0) {
            if (c.stop < f.from || c.stop > f.to) return name + " " + f.value(c.stop) + " is out of range " + range;
            if (c.start + c.repeat > c.stop)
                return "the " + name + " range " + f.value(c.start) + ".." + f.value(c.stop) + " ends before it starts";
        } else if (f.end_of_month ? c.start - c.repeat < f.from : c.start + c.repeat > f.to) {
            return f.value(c.start) + f.repeat(c.repeat) + " never repeats within " + range;
        }
    }
    return std::nullopt;
}

// calendar_spec_valid()
Problem spec_problem(const Spec& s) {
    if (auto p = chain_problem(s.year, {"year", min_year, max_year, false, false})) return p;
    if (auto p = chain_problem(s.month, {"month", 1, 12, false, false})) return p;
    if (auto p = chain_problem(s.day, {"day", 1, 31, false, s.end_of_month})) return p;
    if (auto p = chain_problem(s.hour, {"hour", 0, 23, false, false})) return p;
    if (auto p = chain_problem(s.minute, {"minute", 0, 59, false, false})) return p;
    return chain_problem(s.usec, {"second", 0, 60 * usec_per_sec - 1, true, false});
}

// ---- the normalized form ------------------------------------------------

// format_weekdays(): runs of three days or more as "Mon..Wed", of two as
// "Mon,Tue".
void format_weekdays(std::string& out, int bits) {
    static constexpr const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    bool comma = false;
    for (int x = 0; x < 7;) {
        if (!(bits & (1 << x))) {
            ++x;
            continue;
        }
        int end = x;
        while (end + 1 < 7 && (bits & (1 << (end + 1)))) ++end;
        if (comma) out += ',';
        comma = true;
        out += days[x];
        if (end > x) {
            out += end > x + 1 ? ".." : ",";
            out += days[end];
        }
        x = end + 1;
    }
}

// _format_chain(): "*" for no chain or, in the seconds, for one with a
// plain "every second" (0/1) in it; else the items, "," between them.
void format_chain(std::string& out, int width, const Chain& chain, bool usec) {
    const bool star = chain.empty() || (usec && std::any_of(chain.begin(), chain.end(), [](const Component& c) {
                                            return c.start == 0 && c.stop < 0 && c.repeat == usec_per_sec;
                                        }));
    if (star) {
        out += '*';
        return;
    }
    const int d = usec ? usec_per_sec : 1;
    auto fraction = [&](int v) {
        if (v % d > 0) {
            out += '.';
            append_padded(out, 6, v % d);
        }
    };
    bool comma = false;
    for (const auto& c : chain) {
        if (comma) out += ',';
        comma = true;
        append_padded(out, width, c.start / d);
        fraction(c.start);
        if (c.stop > 0) {
            out += "..";
            append_padded(out, width, c.stop / d);
        }
        fraction(c.stop);
        if (c.repeat > 0 && !(c.stop > 0 && c.repeat == d)) out += "/" + std::to_string(c.repeat / d);
        fraction(c.repeat);
    }
}

// calendar_spec_to_string()
std::string format(const Spec& s, const CalendarZones& zones) {
    std::string out;
    if (s.weekdays > 0 && s.weekdays <= every_weekday) {
        format_weekdays(out, s.weekdays);
        out += ' ';
    }
    format_chain(out, 4, s.year, false);
    out += '-';
    format_chain(out, 2, s.month, false);
    out += s.end_of_month ? '~' : '-';
    format_chain(out, 2, s.day, false);
    out += ' ';
    format_chain(out, 2, s.hour, false);
    out += ':';
    format_chain(out, 2, s.minute, false);
    out += ':';
    format_chain(out, 2, s.usec, true);
    if (s.utc) {
        out += " UTC";
    } else if (!s.timezone.empty()) {
        out += ' ' + s.timezone;
    } else if (s.dst == 0 || s.dst == 1) {
        const std::string& name = s.dst == 0 ? zones.local_standard : zones.local_daylight;
        if (!name.empty()) out += ' ' + name;
    }
    return out;
}

// The rest of calendar_spec_from_string(), after the time zone: a
// shorthand, or weekdays, a date and a time.
Problem read_spec(std::string_view text, Spec& spec) {
    if (read_shorthand(text, spec)) return std::nullopt;
    Cursor c(text);
    if (auto p = read_weekdays(c, spec)) return p;
    bool whole = false;
    if (auto p = read_date(c, spec, whole)) return p;
    if (!whole) {
        if (auto p = read_time(c, spec)) return p;
    }
    if (!c.at_end()) return "unexpected " + quote(c.rest()) + " after the timestamp";
    return std::nullopt;
}

}  // namespace

CalendarParse parse_calendar_252(std::string_view spec, const CalendarZones& zones) {
    auto refuse = [](std::string why) { return CalendarParse{std::nullopt, std::move(why)}; };
    if (spec.find('\0') != std::string_view::npos) return refuse("a calendar spec cannot hold a NUL byte");
    Spec s;
    const std::string_view text = take_zone(spec, zones, s);
    if (text.empty()) return refuse(spec.empty() ? "the calendar spec is empty" : "nothing comes before the time zone");
    if (auto p = read_spec(text, s)) return refuse(*p);
    normalize(s);
    if (auto p = spec_problem(s)) return refuse(*p);
    return {format(s, zones), {}};
}

}  // namespace formation
