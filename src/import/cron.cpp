// Cron schedules → systemd calendar events (OnCalendar=), minute for minute.
//
// piku (piku.py: CRON_REGEXP and parse_procfile) accepts, for Procfile names
// starting with "cron", five fields of `*`, `N` or `*/N` separated by single
// spaces, checks each number only against an upper bound (59 24 31 12 7) and
// hands the line to uWSGI's --cron. We read the crontab(5) field syntax as
// cronie does, a superset: `*`, `N`, `a-b`, `*/n`, `a-b/n`, `a/n`, lists
// `a,b`, jan..dec and sun..sat in any case, 0 and 7 both Sunday, and
// @yearly @annually @monthly @weekly @daily @midnight @hourly. Where cron
// implementations differ or a calendar event cannot follow, we chose:
//
//  - Day-of-month and day-of-week: when neither field starts with "*", cron
//    runs on days that match EITHER; when one does (`*`, `*/2`, `*,5`: cronie
//    and Vixie test the field's first character), days must match BOTH. A
//    calendar event always needs both, so the first kind is refused, unless
//    one of the two fields covers every day, which makes the other moot.
//  - `a/n` is `a-LAST/n`, LAST being the field's last value (Saturday for
//    day-of-week): systemd's own meaning. cronie and Debian's cron refuse it;
//    the original Vixie cron 3 reads it as `a`.
//  - A day-of-week range that ends in Sunday written 0 (`fri-sun`, `5-0`) runs
//    to 7, as in cronie; every other backwards range is refused.
//  - A step larger than its range is kept (`*/90` is minute 0), as cron keeps it.
//  - A command starting with "*" is refused, as cronie refuses it: a sixth
//    field (seconds, a year) typed by mistake.
//  - A line that can never fire (`0 0 30 2 *`) is refused rather than made a
//    timer that never elapses.
//
// Under piku the line runs in uWSGI's cron (core/master_utils.c,
// uwsgi_cron_task_needs_execution), which reads `*/N` in day-of-month and
// month as multiples of N (days N, 2N, …) where cron, and we, read 1, 1+N, …;
// minutes, hours and weekdays agree.
#include "import/cron.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace formation {

namespace {

using Bits = std::bitset<64>;  // bit v: value v is in the field

struct Field {
    std::string_view name;
    int first;                               // the first value; names count from here
    int last;                                // where `*` and `a/n` end
    int largest;                             // the largest value one may write (7: Sunday again)
    std::span<const std::string_view> names;  // jan.. or sun..; none for numeric fields
    std::string_view values;                 // for messages
    bool week = false;                       // day-of-week: 7 is Sunday, and `fri-sun` ends at 7
};

constexpr std::string_view month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::string_view weekday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const Field minute{"minute", 0, 59, 59, {}, "0-59"};
const Field hour{"hour", 0, 23, 23, {}, "0-23"};
const Field day_of_month{"day-of-month", 1, 31, 31, {}, "1-31"};
const Field month{"month", 1, 12, 12, month_names, "1-12 or jan-dec"};
const Field day_of_week{"day-of-week", 0, 6, 7, weekday_names, "0-7 or sun-sat, 0 and 7 both Sunday", true};

constexpr std::string_view syntax = "*, N, a-b, */n, a-b/n, a/n, or a comma-separated list of these";
constexpr std::string_view line_shape = "minute hour day-of-month month day-of-week, then the command";

[[noreturn]] void bad_field(const Field& f, std::string_view text, const std::string& why) {
    throw std::invalid_argument("cron " + std::string(f.name) + " field \"" + std::string(text) + "\": " + why +
                                " (accepted: " + std::string(f.values) + "; as " + std::string(syntax) + ")");
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view skip_blanks(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_blank(s[i])) ++i;
    return s.substr(i);
}

// The next blank-separated word of `rest`, which is left just after it.
std::string_view take_word(std::string_view& rest) {
    rest = skip_blanks(rest);
    std::size_t n = 0;
    while (n < rest.size() && !is_blank(rest[n])) ++n;
    std::string_view word = rest.substr(0, n);
    rest.remove_prefix(n);
    return word;
}

bool same_letters(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != b[i]) return false;  // b is lower case ASCII
    return true;
}

// A number written in digits only (saturating at a billion), else nullopt.
std::optional<long> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = std::min(v * 10 + (c - '0'), 1'000'000'000L);
    }
    return v;
}

int value(const Field& f, std::string_view text, std::string_view token) {
    if (auto n = digits(token)) {
        if (*n < f.first || *n > f.largest) bad_field(f, text, std::string(token) + " is out of range");
        return static_cast<int>(*n);
    }
    for (std::size_t i = 0; i < f.names.size(); ++i)
        if (same_letters(token, f.names[i])) return f.first + static_cast<int>(i);
    bad_field(f, text, quoted(token) + (f.names.empty() ? " is not a number" : " is neither a number nor a name"));
}

int step(const Field& f, std::string_view text, std::string_view token) {
    auto n = digits(token);
    if (!n) bad_field(f, text, token.empty() ? "no step after \"/\"" : "the step " + quoted(token) + " is not a number");
    if (*n == 0) bad_field(f, text, "a step of 0 never advances");
    return static_cast<int>(std::min(*n, 100L));  // past 59, every step stops at the first value
}

// The first and last value of `range` (`*`, `a`, `a-b`); `stepped`: a `/n` follows.
std::pair<int, int> bounds(const Field& f, std::string_view text, std::string_view range, bool stepped) {
    if (range == "*") return {f.first, f.last};
    auto dash = range.find('-');
    if (dash == std::string_view::npos) {
        int a = value(f, text, range);
        return {a, stepped ? std::max(a, f.last) : a};  // `a/n`: from a to the field's end
    }
    if (dash == 0 || dash + 1 == range.size())
        bad_field(f, text, "the range " + quoted(range) + " needs a value on each side of \"-\"");
    int a = value(f, text, range.substr(0, dash));
    int b = value(f, text, range.substr(dash + 1));
    if (b < a && b == 0 && f.week) b = 7;  // fri-sun
    if (b < a)
        bad_field(f, text, "the range " + quoted(range) + " runs backwards; write the low end first" +
                               (f.week ? " (a week that wraps is two ranges: fri-sun,mon)" : ""));
    return {a, b};
}

void add_item(const Field& f, std::string_view text, std::string_view item, Bits& bits) {
    if (item.empty()) bad_field(f, text, "an empty item in the list");
    auto slash = item.find('/');
    if (slash == 0) bad_field(f, text, "nothing before \"/\" in " + quoted(item));
    bool stepped = slash != std::string_view::npos;
    int every = stepped ? step(f, text, item.substr(slash + 1)) : 1;
    auto [from, to] = bounds(f, text, item.substr(0, slash), stepped);
    for (int v = from; v <= to; v += every) bits.set(static_cast<std::size_t>(v));
}

struct FieldValue {
    Bits bits;
    bool star = false;  // the field starts with "*": cron's test for "unrestricted" days
    std::string_view text;
};

FieldValue read_field(const Field& f, std::string_view text) {
    FieldValue out{{}, text.starts_with('*'), text};
    for (std::size_t start = 0;;) {
        auto comma = text.find(',', start);
        add_item(f, text, text.substr(start, comma == std::string_view::npos ? comma : comma - start), out.bits);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (f.week && out.bits.test(7)) {
        out.bits.reset(7);
        out.bits.set(0);
    }
    return out;
}

bool covers(const Bits& b, int first, int last) {
    for (int v = first; v <= last; ++v)
        if (!b.test(static_cast<std::size_t>(v))) return false;
    return true;
}

Bits every(int first, int last) {
    Bits b;
    for (int v = first; v <= last; ++v) b.set(static_cast<std::size_t>(v));
    return b;
}

struct Schedule {
    Bits minutes, hours, days, months, weekdays;  // weekdays: 0 = Sunday
};

// The days cron runs on, as a pair of sets that must both match.
void combine_days(const FieldValue& dom, const FieldValue& dow, Schedule& s) {
    s.days = dom.bits;
    s.weekdays = dow.bits;
    if (dom.star || dow.star) return;  // cron: both must match, as in a calendar event
    if (covers(dom.bits, 1, 31) || covers(dow.bits, 0, 6)) {  // either matches: every day
        s.days = every(1, 31);
        s.weekdays = every(0, 6);
        return;
    }
    throw std::invalid_argument(
        "cron day-of-month " + quoted(dom.text) + " and day-of-week " + quoted(dow.text) +
        " are both restricted, so cron runs the command on days that match either one, while a systemd calendar "
        "event fires only on days that match both; write it as two entries, one with day-of-week \"*\" and one "
        "with day-of-month \"*\"");
}

void check_fires(const Schedule& s, std::string_view dom_text, std::string_view month_text) {
    constexpr int days_in[] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; ++m)
        for (int d = 1; s.months.test(static_cast<std::size_t>(m)) && d <= days_in[m]; ++d)
            if (s.days.test(static_cast<std::size_t>(d))) return;
    throw std::invalid_argument("cron schedule never fires: no month in the month field " + quoted(month_text) +
                                " has a day in the day-of-month field " + quoted(dom_text));
}

std::string two_digits(int v) { return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

// How many of v[i], v[i+1], … go up by the same step.
std::size_t progression_length(const std::vector<int>& v, std::size_t i) {
    if (i + 1 >= v.size()) return 1;
    int d = v[i + 1] - v[i];
    std::size_t n = 2;
    while (i + n < v.size() && v[i + n] - v[i + n - 1] == d) ++n;
    return n;
}

// from, from+step, … to as systemd writes it: `a..b`, `a..b/n`, or `a/n` (to the
// field's end) when the steps come round to `a` again in the next hour, day or
// year (`*:00/5`, `*-01/3-*`). Only then: systemd 252 carries an open
// repetition's overshoot into the next unit and misses the first value there
// (`*:00/7` skips 00:00, `*-*-01/11` skips January 1st: systemd issues #22665,
// #40260), and months differ in length, so days always get `a..b/n`.
std::string progression(int from, int to, int step, int span) {
    if (step == 1) return two_digits(from) + ".." + two_digits(to);
    if (span > 0 && to + step - span == from) return two_digits(from) + "/" + std::to_string(step);
    return two_digits(from) + ".." + two_digits(to) + "/" + std::to_string(step);
}

// A calendar component: `*`, or items of three or more values in step, and
// single values. `span`: how many values the field has, 0 when that varies.
std::string component(const Bits& b, int first, int last, int span) {
    if (covers(b, first, last)) return "*";
    std::vector<int> v;
    for (int x = first; x <= last; ++x)
        if (b.test(static_cast<std::size_t>(x))) v.push_back(x);
    std::string out;
    for (std::size_t i = 0; i < v.size();) {
        if (!out.empty()) out += ',';
        std::size_t n = progression_length(v, i);
        if (n >= 3) {
            out += progression(v[i], v[i + n - 1], v[i + 1] - v[i], span);
            i += n;
        } else {
            out += two_digits(v[i++]);
        }
    }
    return out;
}

// systemd's week starts on Monday and its ranges do not wrap past Sunday.
std::string weekdays(const Bits& cron_days) {
    constexpr std::string_view names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (covers(cron_days, 0, 6)) return "";
    auto on = [&](int i) { return i < 7 && cron_days.test(static_cast<std::size_t>((i + 1) % 7)); };
    std::string out;
    for (int i = 0; i < 7;) {
        if (!on(i)) {
            ++i;
            continue;
        }
        int j = i;
        while (on(j + 1)) ++j;
        if (!out.empty()) out += ',';
        if (j - i >= 2) {
            out += std::string(names[i]) + ".." + std::string(names[j]);
        } else {
            out += names[i];
            if (j > i) out += "," + std::string(names[j]);
        }
        i = j + 1;
    }
    return out + " ";
}

std::string calendar(const Schedule& s) {
    return weekdays(s.weekdays) + "*-" + component(s.months, 1, 12, 12) + "-" + component(s.days, 1, 31, 0) + " " +
           component(s.hours, 0, 23, 24) + ":" + component(s.minutes, 0, 59, 60) + ":00";
}

CronLine convert(const std::array<std::string_view, 5>& fields, std::string_view command) {
    Schedule s;
    s.minutes = read_field(minute, fields[0]).bits;
    s.hours = read_field(hour, fields[1]).bits;
    FieldValue dom = read_field(day_of_month, fields[2]);
    s.months = read_field(month, fields[3]).bits;
    combine_days(dom, read_field(day_of_week, fields[4]), s);
    check_fires(s, fields[2], fields[3]);
    if (command.empty())
        throw std::invalid_argument("cron line has no command after its schedule (" + std::string(line_shape) + ")");
    if (command.starts_with('*'))
        throw std::invalid_argument("cron command " + quoted(command) +
                                    " starts with \"*\": a sixth schedule field? cron has five (" +
                                    std::string(line_shape) + "), with no seconds or year");
    return {calendar(s), std::string(command)};
}

constexpr std::pair<std::string_view, std::string_view> shorthands[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
};

std::array<std::string_view, 5> five_words(std::string_view s) {
    std::array<std::string_view, 5> out;
    for (auto& w : out) w = take_word(s);
    return out;
}

CronLine convert_shorthand(std::string_view line) {
    std::string_view rest = line;
    std::string_view word = take_word(rest);
    for (const auto& [name, fields] : shorthands)
        if (word == name) return convert(five_words(fields), skip_blanks(rest));
    if (word == "@reboot")
        throw std::invalid_argument(
            "cron @reboot runs the command once, when cron starts; formation has no boot-only run: make it an "
            "ordinary process type, or give it a schedule");
    throw std::invalid_argument("cron shorthand " + quoted(word) +
                                " is not known (accepted: @yearly, @annually, @monthly, @weekly, @daily, @midnight, "
                                "@hourly)");
}

}  // namespace

CronLine parse_cron_line(std::string_view line) {
    std::string_view rest = skip_blanks(line);
    if (rest.starts_with('@')) return convert_shorthand(rest);
    std::array<std::string_view, 5> fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        fields[i] = take_word(rest);
        if (fields[i].empty())
            throw std::invalid_argument(
                i == 0 ? "cron line is empty (expected " + std::string(line_shape) + ")"
                       : "cron line has " + std::to_string(i) + " schedule field" + (i == 1 ? "" : "s") +
                             " where five are needed (" + std::string(line_shape) + ")");
    }
    return convert(fields, skip_blanks(rest));
}

}  // namespace formation
