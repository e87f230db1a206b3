// piku cron lines → systemd calendar events: the text we write for each form
// of crontab(5), and the lines we refuse with what the message says. That the
// events fire at cron's minutes is tests/cli/cron.sh, against systemd-analyze.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "import/cron.hpp"

using namespace formation;

namespace {

struct Converts {
    const char* line;
    const char* calendar;
};

const Converts conversions[] = {
    // piku's own forms: *, N, */N (examples/Procfile: "cron1: */5 * * * * python batch.py").
    {"*/5 * * * * python batch.py", "*-*-* *:00/5:00"},
    {"* * * * * x", "*-*-* *:*:00"},
    {"0 0 * * * x", "*-*-* 00:00:00"},
    {"0 */6 * * * x", "*-*-* 00/6:00:00"},
    // An open repetition (`a/n`) only where its steps come round to `a` again:
    // systemd 252 misses the first value after an uneven wrap.
    {"*/7 * * * * x", "*-*-* *:00..56/7:00"},
    {"0 */5 * * * x", "*-*-* 00..20/5:00:00"},
    {"0 0 1 */5 * x", "*-01..11/5-01 00:00:00"},
    {"0 0 */11 * * x", "*-*-01..23/11 00:00:00"},
    {"0 0 */1 * * x", "*-*-* 00:00:00"},
    {"15 3 */2 * * x", "*-*-01..31/2 03:15:00"},  // cron counts days from 1
    {"0 0 1 */3 * x", "*-01/3-01 00:00:00"},      // and months from 1
    {"0 0 * * 7 x", "Sun *-*-* 00:00:00"},
    // Ranges, lists, steps.
    {"30 3 * * 1-5 x", "Mon..Fri *-*-* 03:30:00"},
    {"0 0 1 jan,jul * x", "*-01,07-01 00:00:00"},
    {"10-40/7 * * * * x", "*-*-* *:10..38/7:00"},  // a-b/n: the last value reached
    {"0-59/15 * * * * x", "*-*-* *:00/15:00"},
    {"5/15 * * * * x", "*-*-* *:05/15:00"},          // a/n: to the end of the field
    {"0 9-17 * * * x", "*-*-* 09..17:00:00"},
    {"0 8,12,18 * * * x", "*-*-* 08,12,18:00:00"},
    {"0,30 * * * * x", "*-*-* *:00,30:00"},
    {"0,1,2,5,10,15 * * * * x", "*-*-* *:00..02,05..15/5:00"},
    {"*/90 * * * * x", "*-*-* *:00:00"},             // a step past the range: its first value
    {"0-59 0-23 1-31 1-12 0-7 x", "*-*-* *:*:00"},
    {"*,5 * * * * x", "*-*-* *:*:00"},
    // Names, any case; Sunday as 0, 7 and sun; a week range may end in Sunday-as-0.
    {"0 0 * JAN-Mar,Oct * x", "*-01..03,10-* 00:00:00"},
    {"0 9 * * MON-FRI x", "Mon..Fri *-*-* 09:00:00"},
    {"0 0 * * sat,sun x", "Sat,Sun *-*-* 00:00:00"},
    {"0 0 * * 0,6 x", "Sat,Sun *-*-* 00:00:00"},
    {"0 0 * * fri-sun x", "Fri..Sun *-*-* 00:00:00"},
    {"0 0 * * 5-0 x", "Fri..Sun *-*-* 00:00:00"},
    {"0 0 * * 5-7 x", "Fri..Sun *-*-* 00:00:00"},
    {"0 0 * * 0,1,5 x", "Mon,Fri,Sun *-*-* 00:00:00"},
    {"0 0 * * */2 x", "Tue,Thu,Sat,Sun *-*-* 00:00:00"},
    {"0 0 * * 1/2 x", "Mon,Wed,Fri *-*-* 00:00:00"},   // a/n ends on Saturday
    {"0 0 * * 0-7 x", "*-*-* 00:00:00"},
    // Day-of-month and day-of-week: a field starting with "*" makes cron want both.
    {"0 0 */2 * mon x", "Mon *-*-01..31/2 00:00:00"},
    {"0 0 13 * */1 x", "*-*-13 00:00:00"},
    {"0 0 1-7 * *,1 x", "*-*-01..07 00:00:00"},
    // Both restricted, but one covers every day: cron runs every day.
    {"0 0 1-31 * 1 x", "*-*-* 00:00:00"},
    {"0 0 13 * 0-6 x", "*-*-* 00:00:00"},
    // Shorthands.
    {"@yearly x", "*-01-01 00:00:00"},
    {"@annually x", "*-01-01 00:00:00"},
    {"@monthly x", "*-*-01 00:00:00"},
    {"@weekly x", "Sun *-*-* 00:00:00"},
    {"@daily x", "*-*-* 00:00:00"},
    {"@midnight x", "*-*-* 00:00:00"},
    {"@hourly x", "*-*-* *:00:00"},
    // Blanks: tabs and runs of spaces between fields, leading blanks.
    {"  0\t0 \t *  *  * x", "*-*-* 00:00:00"},
    {"0 0 29 2 * x", "*-02-29 00:00:00"},             // leap years only, as in cron
    {"007 05 01 01 * x", "*-01-01 05:07:00"},
};

struct Refused {
    const char* line;
    const char* says;  // part of the message
};

const Refused refusals[] = {
    {"", "cron line is empty"},
    {"* * * *", "has 4 schedule fields where five are needed"},
    {"* * * * *", "no command after its schedule"},
    {"* * * * *   ", "no command after its schedule"},
    {"@daily", "no command after its schedule"},
    {"* * * * * * x", "starts with \"*\": a sixth schedule field?"},
    {"60 * * * * x", "cron minute field \"60\": 60 is out of range (accepted: 0-59;"},
    {"* 24 * * * x", "cron hour field \"24\": 24 is out of range"},
    {"* * 0 * * x", "cron day-of-month field \"0\": 0 is out of range"},
    {"* * 32 * * x", "day-of-month field \"32\""},
    {"* * * 13 * x", "cron month field \"13\": 13 is out of range (accepted: 1-12 or jan-dec;"},
    {"* * * 0 * x", "month field \"0\""},
    {"* * * * 8 x", "cron day-of-week field \"8\": 8 is out of range (accepted: 0-7 or sun-sat"},
    {"10-5 * * * * x", "the range \"10-5\" runs backwards"},
    {"* * * * 6-1 x", "a week that wraps is two ranges"},
    {"*/0 * * * * x", "a step of 0 never advances"},
    {"*/ * * * * x", "no step after \"/\""},
    {"*/x * * * * x", "the step \"x\" is not a number"},
    {"/5 * * * * x", "nothing before \"/\""},
    {"1,,2 * * * * x", "an empty item in the list"},
    {"1, * * * * x", "an empty item in the list"},
    {",1 * * * * x", "an empty item in the list"},
    {"-5 * * * * x", "needs a value on each side of \"-\""},
    {"5- * * * * x", "needs a value on each side of \"-\""},
    {"jan * * * * x", "cron minute field \"jan\": \"jan\" is not a number"},
    {"* * * * funday x", "\"funday\" is neither a number nor a name"},
    {"* * * * 1/mon x", "the step \"mon\" is not a number"},
    {"* * * * ~ x", "\"~\" is neither a number nor a name"},
    {"99999999999 * * * * x", "99999999999 is out of range"},
    {"0 0 30 2 * x", "never fires: no month in the month field \"2\" has a day in the day-of-month field \"30\""},
    {"0 0 31 4,6,9,11 * x", "never fires"},
    {"@reboot x", "formation has no boot-only run"},
    {"@every5m x", "cron shorthand \"@every5m\" is not known (accepted: @yearly,"},
    {"@DAILY x", "is not known"},
};

std::string refusal(const char* line) {
    try {
        parse_cron_line(line);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(not refused)";
}

}  // namespace

TEST_CASE("cron lines become calendar events") {
    for (const auto& c : conversions) {
        CAPTURE(c.line);
        CHECK(parse_cron_line(c.line).calendar == c.calendar);
    }
}

TEST_CASE("the command is what follows the fields, leading blanks trimmed") {
    CHECK(parse_cron_line("*/5 * * * * python tick.py").command == "python tick.py");
    CHECK(parse_cron_line("0 0 * * *\t  sh -c 'a  b' # c  ").command == "sh -c 'a  b' # c  ");
    CHECK(parse_cron_line("@hourly   ./run --at 5 * * *").command == "./run --at 5 * * *");
    CHECK(parse_cron_line("0 0 * * * 2024 x").command == "2024 x");  // a command may start with a number
}

TEST_CASE("lines cron refuses or a calendar event cannot express are refused, saying why") {
    for (const auto& r : refusals) {
        CAPTURE(r.line);
        std::string message = refusal(r.line);
        CAPTURE(message);
        CHECK(message.find(r.says) != std::string::npos);
    }
}

TEST_CASE("day-of-month and day-of-week both restricted: cron's either-or is refused, with the way out") {
    std::string m = refusal("0 0 1,15 * mon x");
    CHECK(m.find("day-of-month \"1,15\" and day-of-week \"mon\" are both restricted") != std::string::npos);
    CHECK(m.find("match either one") != std::string::npos);
    CHECK(m.find("two entries, one with day-of-week \"*\" and one with day-of-month \"*\"") != std::string::npos);
    CHECK(refusal("0 0 1 * 1-5 x").find("both restricted") != std::string::npos);
    CHECK(refusal("@weekly x") == "(not refused)");  // "0 0 * * 0": day-of-month is "*"
}
