#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formation/calendar_252.hpp"
#include "host/zoneinfo.hpp"

using namespace formation;

namespace {

// A host with a few zone files, in UTC unless told otherwise.
CalendarZones zones(std::string standard = "UTC", std::string daylight = "UTC") {
    CalendarZones z;
    z.file_exists = [](std::string_view name) {
        for (std::string_view known : {"Europe/Berlin", "Etc/UTC", "EST", "CET", "Etc/GMT+5", "posix/Asia/Tokyo"})
            if (name == known) return true;
        return false;
    };
    z.local_standard = std::move(standard);
    z.local_daylight = std::move(daylight);
    return z;
}

// The normalized form, or "error: REASON".
std::string norm(std::string_view spec, const CalendarZones& z = zones()) {
    auto r = parse_calendar_252(spec, z);
    if (r.normalized) {
        CHECK_MESSAGE(r.error.empty(), spec);
        return *r.normalized;
    }
    CHECK_MESSAGE(!r.error.empty(), spec);
    return "error: " + r.error;
}

void check_all(const std::vector<std::pair<std::string_view, std::string_view>>& cases) {
    for (const auto& c : cases) CHECK_MESSAGE(norm(c.first) == c.second, "spec: ", c.first);  // no binding: clang 14
}

void check_refused(std::initializer_list<std::string_view> specs, const CalendarZones& z = zones()) {
    for (auto spec : specs) CHECK_MESSAGE(!parse_calendar_252(spec, z).normalized, "spec: ", spec);
}

}  // namespace

TEST_CASE("calendar: shorthands") {
    check_all({
        {"minutely", "*-*-* *:*:00"},
        {"hourly", "*-*-* *:00:00"},
        {"daily", "*-*-* 00:00:00"},
        {"DAILY", "*-*-* 00:00:00"},
        {"weekly", "Mon *-*-* 00:00:00"},
        {"monthly", "*-*-01 00:00:00"},
        {"yearly", "*-01-01 00:00:00"},
        {"annually", "*-01-01 00:00:00"},
        {"anually", "*-01-01 00:00:00"},
        {"quarterly", "*-01,04,07,10-01 00:00:00"},
        {"semiannually", "*-01,07-01 00:00:00"},
        {"semi-annually", "*-01,07-01 00:00:00"},
        {"bi-annually", "*-01,07-01 00:00:00"},
        {"daily UTC", "*-*-* 00:00:00 UTC"},
    });
    check_refused({"fortnightly", "daily 03:00", "daily daily", "today", "now", "tomorrow", "+5min"});
}

TEST_CASE("calendar: weekdays") {
    check_all({
        {"Mon", "Mon *-*-* 00:00:00"},
        {"monday 12:00", "Mon *-*-* 12:00:00"},
        {"Mon,Tue", "Mon,Tue *-*-* 00:00:00"},
        {"Mon..Fri", "Mon..Fri *-*-* 00:00:00"},
        {"Mon-Fri", "Mon..Fri *-*-* 00:00:00"},
        {"Mon,Tue,Wed", "Mon..Wed *-*-* 00:00:00"},
        {"Mon..Wed,Fri", "Mon..Wed,Fri *-*-* 00:00:00"},
        {"Sat,Sun", "Sat,Sun *-*-* 00:00:00"},
        {"Mon..Sun", "*-*-* 00:00:00"},  // every day is no weekday
        {"Mon,", "Mon *-*-* 00:00:00"},  // a trailing comma is fine
        {"Mon, 12:00", "Mon *-*-* 12:00:00"},
        {"Mon  12:00", "Mon *-*-* 12:00:00"},
    });
    check_refused({"Fri..Mon", "Mon..Wed..Fri", "Mon..", "Mon-", "Mon.Tue", "Mond", "Mon;Tue", "Mon, Tue", "Montag"});
}

TEST_CASE("calendar: dates") {
    check_all({
        {"2023-01-01", "2023-01-01 00:00:00"},
        {"23-01-01", "2023-01-01 00:00:00"},
        {"70-1-1", "1970-01-01 00:00:00"},
        {"69-1-1", "2069-01-01 00:00:00"},
        {"2199-12-31", "2199-12-31 00:00:00"},
        {"12-25 08:00", "*-12-25 08:00:00"},
        {"*-02-30", "*-02-30 00:00:00"},  // valid, if never due
        {"2020..2025-01-01", "2020..2025-01-01 00:00:00"},
        {"2023,2021,2023-06-15", "2021,2023-06-15 00:00:00"},
        {"*-*-* ", "*-*-* 00:00:00"},
    });
    check_refused({"2200-01-01", "1969-12-31", "100-1-1", "*-13-01", "*-00-01", "*-01-00", "*-02-32", "2023-01-01-01", "2023-01"});
}

TEST_CASE("calendar: the last days of the month") {
    check_all({
        {"*-02~03", "*-02~03 00:00:00"},
        {"*-*~28", "*-*~28 00:00:00"},
        {"*-05~1..7", "*-05~01..07 00:00:00"},
        {"*-*~07/6", "*-*~07/6 00:00:00"},
        {"*~*", "*-*-* 00:00:00"},  // no day: "~" goes
        {"*-*~1,25", "*-*~01,25 00:00:00"},
    });
    // ~29 is beyond the 28 days; "~1/2" would repeat before the last day;
    // systemd takes 3 more days off at each further item of the list.
    check_refused({"*-*~29", "*-*~01/2", "2023~01-01", "*-*~7..3", "*-*~1,26", "*-*~1,4,23"});
}

TEST_CASE("calendar: times, ranges and repetitions") {
    check_all({
        {"12:00", "*-*-* 12:00:00"},
        {"1:2:3", "*-*-* 01:02:03"},
        {"*:*", "*-*-* *:*:00"},
        {"*:0/15", "*-*-* *:00/15:00"},
        {"*:0,15,30,45", "*-*-* *:00,15,30,45:00"},
        {"*:30,15,0,15", "*-*-* *:00,15,30:00"},
        {"8..18:00", "*-*-* 08..18:00:00"},
        {"9..17/2:30", "*-*-* 09..17/2:30:00"},
        {"9..18/2:30", "*-*-* 09..17/2:30:00"},  // the stop comes down to the last repetition
        {"1..5/10:00", "*-*-* 01:00:00"},        // a repetition that never fires goes
        {"*:05..05", "*-*-* *:05:00"},
        {"0/23:00", "*-*-* 00/23:00:00"},
        {"00001:00", "*-*-* 01:00:00"},
    });
    check_refused({"24:00", "23:60", "12/12:00", "0/24:00", "5..1:00", "*/2", "*-*-* *:*/15", "12", "12:", "12:00:",
                   "1,:00", ",1:00", "1/:00", "1..2..3:00", "2147483648:00", "99999999999999999999:00"});
}

TEST_CASE("calendar: seconds") {
    check_all({
        {"*:*:*", "*-*-* *:*:*"},
        {"*:*:0/1", "*-*-* *:*:*"},
        {"*:*:0/1,5", "*-*-* *:*:*"},  // one "every second" makes all of it "*"
        {"*:*:00..59", "*-*-* *:*:00..59"},
        {"*:*:1.5", "*-*-* *:*:01.500000"},
        {"*:*:0.1234567", "*-*-* *:*:00.123457"},  // rounded to microseconds
        {"*:*:0.12", "*-*-* *:*:00.120000"},
        {"0:0:0.9999995", "*-*-* 00:00:01"},
        {"*:*:10..20/0.5", "*-*-* *:*:10..20/0.500000"},
        {"*:*:0/0.5", "*-*-* *:*:00/0.500000"},
        {"*:*:59.999999", "*-*-* *:*:59.999999"},
    });
    check_refused({"*:*:60", "*:*:59.9999995", "*:*:5.", "*:*:.5", "*:*:*,5", "*:*:10..10", "*:*:1.5..2", "*:*:0/0",
                   "*:*:0/0.0000001", "*:*:2148"});
}

TEST_CASE("calendar: @ timestamps") {
    check_all({
        {"@0", "1970-01-01 00:00:00 UTC"},
        {"@1234567890", "2009-02-13 23:31:30 UTC"},
        {"@7258118399", "2199-12-31 23:59:59 UTC"},
        {"@ 5", "1970-01-01 00:00:05 UTC"},                 // strtoul() skips blanks
        {"@-0", "1970-01-01 00:00:00 UTC"},                 // and takes a sign
        {"@-18446744073709551615", "1970-01-01 00:00:01 UTC"},  // modulo 2^64
        {"@-62135596800", "2001-01-01 00:00:00 UTC"},       // year 1, then two-digit years
        {"Mon @0", "Mon 1970-01-01 00:00:00 UTC"},
        {"@0 Europe/Berlin", "1970-01-01 00:00:00 UTC"},     // the zone is dropped
    });
    check_refused({"@7258118400", "@-1", "@", "@x", "@0x10", "@1.5", "@99999999999999999999", "@5 12:00"});
}

TEST_CASE("calendar: time zones") {
    check_all({
        {"daily utc", "*-*-* 00:00:00 UTC"},
        {"daily Europe/Berlin", "*-*-* 00:00:00 Europe/Berlin"},
        {"12:00 Etc/GMT+5", "*-*-* 12:00:00 Etc/GMT+5"},
        {"daily posix/Asia/Tokyo", "*-*-* 00:00:00 posix/Asia/Tokyo"},
        {"daily EST", "*-*-* 00:00:00 EST"},
    });
    // A zone the callback does not know, and names that never reach it.
    check_refused({"daily Europe/Paris", "daily europe/berlin", "daily Europe//Berlin", "daily Europe/", "daily /UTC",
                   "daily zone.tab", "daily ../etc/passwd", "daily  UTC", "UTC", " UTC", "daily UTC UTC",
                   "daily Europe/Berlin UTC"});
    CHECK(norm("daily " + std::string(4096, 'A')).starts_with("error: "));  // PATH_MAX

    CalendarZones none;  // the default: no zone files, local zone UTC
    CHECK(norm("daily UTC", none) == "*-*-* 00:00:00 UTC");
    CHECK(norm("daily Europe/Berlin", none).starts_with("error: "));
}

TEST_CASE("calendar: the local zone's names") {
    const CalendarZones berlin = zones("CET", "CEST");
    CHECK(norm("daily CET", berlin) == "*-*-* 00:00:00 CET");
    CHECK(norm("daily cest", berlin) == "*-*-* 00:00:00 CEST");
    CHECK(norm("Mon 12:00 CEST", berlin) == "Mon *-*-* 12:00:00 CEST");
    CHECK(norm("daily CEST").starts_with("error: "));  // in UTC, no such zone file
    CHECK(norm("daily CET") == "*-*-* 00:00:00 CET");  // the zone file
}

TEST_CASE("calendar: blanks, unicode and odd text") {
    check_refused({"", " ", "  daily", "daily ", "daily\t", "\tdaily", "Mon\t12:00", "*-*-* 03:00 ", "12:00\n", "Mön",
                   "１２:00", "daily\xc2\xa0UTC", "Mon…Fri", "🙂", "**", "-", ":", "0x10:00", "-1:00", "+1:00"});
    CHECK(norm("*-*-*  03:00") == "*-*-* 03:00:00");
    CHECK(norm(std::string_view("daily\0UTC", 9)).starts_with("error: "));  // a NUL, which systemd never sees
}

TEST_CASE("calendar: lists are at most 241 items long") {
    auto list = [](int n) {
        std::string s = "*:";
        for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(i % 60);
        return s;
    };
    CHECK(norm(list(241)).starts_with("*-*-* *:00,01,02,"));
    CHECK(norm(list(242)) == "error: a list has more than 241 items");
}

TEST_CASE("calendar: reasons say what is wrong") {
    CHECK(norm("") == "error: the calendar spec is empty");
    CHECK(norm(" UTC") == "error: nothing comes before the time zone");
    CHECK(norm("x") == "error: expected a number at \"x\"");
    CHECK(norm("24:00") == "error: hour 24 is out of range 00..23");
    CHECK(norm("2200-01-01") == "error: year 2200 is out of range 1970..2199");
    CHECK(norm("*:*:60") == "error: second 60 is out of range 00..59.999999");
    CHECK(norm("*-*~29") == "error: day ~29 is out of range ~01..~28");
    CHECK(norm("5..1:00") == "error: the hour range 05..01 ends before it starts");
    CHECK(norm("12/12:00") == "error: 12/12 never repeats within 00..23");
    CHECK(norm("0/24:00") == "error: the repetition /24 is too long for the hour");
    CHECK(norm("*:0/0") == "error: the repetition in \"0/0\" is zero");
    CHECK(norm("Fri..Mon") == "error: the weekday range ends before it starts at \"Mon\"");
    CHECK(norm("Mon..") == "error: the weekday range has no end");
    CHECK(norm("Mond") == "error: \"Mond\" is not a weekday");
    CHECK(norm("Monxyz,Tue 12:00") == "error: \"Monxyz\" is not a weekday");
    CHECK(norm("12:00 PM") == "error: expected \":\" after the minute at \" PM\"");
    CHECK(norm("12:00:00 PM") == "error: unexpected \" PM\" after the seconds");
    CHECK(norm("12:00x") == "error: unexpected \"x\" after \"00\"");
    CHECK(norm("99999999999:00") == "error: the number \"99999999999\" is too large");
    CHECK(norm("*:*:5.") == "error: expected digits after the decimal point at the end");
    CHECK(norm("*:*:10..10") ==
          "error: the range \"10..10\" is shorter than a second and has no /repetition");
    CHECK(norm("2023~01-01") == "error: \"~\" may only stand between the month and the day");
    CHECK(norm("daily\n") == "error: expected a number at \"daily\\n\"");
    CHECK(norm("@5 12:00") == "error: unexpected \" 12:00\" after the timestamp");
}

TEST_CASE("calendar: this host's zone files") {
    namespace fs = std::filesystem;
    if (!fs::is_regular_file("/usr/share/zoneinfo/Etc/UTC")) return;  // no tzdata here
    CHECK(host::zoneinfo_file_is_tzif("Etc/UTC"));
    CHECK_FALSE(host::zoneinfo_file_is_tzif("Etc/Nowhere"));
    CHECK_FALSE(host::zoneinfo_file_is_tzif("Etc"));  // a directory
    if (fs::exists("/usr/share/zoneinfo/zone.tab")) CHECK_FALSE(host::zoneinfo_file_is_tzif("zone.tab"));  // not TZif
    const CalendarZones z = host::calendar_zones();
    CHECK(parse_calendar_252("daily Etc/UTC", z).normalized == "*-*-* 00:00:00 Etc/UTC");
}
