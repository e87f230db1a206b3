#!/bin/bash
# Cron lines → calendar events, checked against the real systemd: for each
# "ok" line of cron-cases.txt, the event `formation cron-check` writes must
# fire, by `systemd-analyze calendar`, at the very minutes cron would run the
# line, as a reference cron written here from crontab(5) and cronie's
# entry.c/cron.c computes them, minute by minute from the same start. For
# each "refuse" line, formation must refuse. All in UTC, from fixed start
# times (--base-time) so that runs repeat; a systemd-analyze without
# --base-time is compared from "now", retried when a minute boundary passes.
#
#   cron.sh FORMATION [CASES]
set -u
formation=$1
cases=${2:-$(dirname "$0")/cron-cases.txt}
exec /usr/bin/python3 - "$formation" "$cases" <<'PY'
import datetime as dt
import os
import re
import subprocess
import sys

formation, cases_file = sys.argv[1], sys.argv[2]
ITERATIONS = 50
# UTC, with seconds so that "the next minute" is unambiguous; the ends of
# hours, days, months of each length and years, where calendar events go wrong.
BASES = ["2025-02-27 23:57:30", "2024-02-28 22:10:30", "2024-02-29 23:59:30", "2025-01-31 23:59:30",
         "2025-04-30 23:52:30", "2025-12-24 22:59:30", "2027-12-31 23:58:30", "2026-06-15 13:41:30"]
SYSTEMD_LAST_YEAR = 2199  # calendar events stop there
ENV = dict(os.environ, TZ="UTC", LC_ALL="C")

# ---- the reference: crontab(5), as cronie reads it ----

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
WEEKDAYS = "sun mon tue wed thu fri sat".split()
# (first value, last value "*" covers, names); day-of-week runs 0-7 as in cronie.
FIELDS = [(0, 59, None), (0, 23, None), (1, 31, None), (1, 12, MONTHS), (0, 7, WEEKDAYS)]
SHORTHANDS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
              "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
              "@hourly": "0 * * * *"}


class NotCron(Exception):
    pass


def number(token, first, last, names):
    if token.isdigit():
        v = int(token)
    elif names and token.lower() in names:
        v = first + names.index(token.lower())
    else:
        raise NotCron(token)
    if not first <= v <= last:
        raise NotCron(token)
    return v


def values(text, index):
    first, last, names = FIELDS[index]
    out = set()
    for item in text.split(","):
        span, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise NotCron(item)
            step = int(step_text)
        if span == "*":
            lo, hi = first, last
        elif "-" in span:
            parts = span.split("-")
            if len(parts) != 2:
                raise NotCron(item)
            lo, hi = (number(p, first, last, names) for p in parts)
            if index == 4 and hi == 0 and lo > 0:  # fri-sun, as cronie
                hi = 7
            if lo > hi:
                raise NotCron(item)
        else:
            lo = hi = number(span, first, last, names)
            if slash:  # a/n: to the field's end (formation's reading; Saturday for weekdays)
                hi = max(lo, 6 if index == 4 else last)
        out.update(range(lo, hi + 1, step))
    if index == 4 and 7 in out:
        out.add(0)
    return out


def read_cron(line):
    """(minutes, hours, days, months, weekdays, days_and_weekdays_both, command)"""
    line = line.lstrip(" \t")
    if line.startswith("@"):
        word, rest = re.match(r"([^ \t]*)(.*)$", line, re.S).groups()
        if word not in SHORTHANDS:
            raise NotCron(word)
        fields, command = SHORTHANDS[word].split(), rest.lstrip(" \t")
    else:
        m = re.match(r"([^ \t]+)[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]*(.*)$", line, re.S)
        if not m:
            raise NotCron(line)
        fields, command = list(m.groups()[:5]), m.group(6)
    if not command or command.startswith("*"):
        raise NotCron(line)
    sets = [values(f, i) for i, f in enumerate(fields)]
    # cronie's DOM_STAR / DOW_STAR: a field starting with "*" does not restrict
    # the days, and then a day must match both fields; otherwise either.
    both = fields[2].startswith("*") or fields[4].startswith("*")
    return sets + [both, command]


def runs_on(day, cron):
    minutes, hours, days, months, weekdays, both, _ = cron
    if day.month not in months:
        return False
    dom, dow = day.day in days, day.isoweekday() % 7 in weekdays
    return (dom and dow) if both else (dom or dow)


def cron_minutes(cron, start, count):
    """The first `count` minutes from `start` (included) at which cron runs the line: every
    minute in turn, passing over a whole day or hour when that cannot match."""
    minutes, hours = cron[0], cron[1]
    out, day = [], start.date()
    while len(out) < count and day.year <= SYSTEMD_LAST_YEAR + 10:
        for h in range(24) if runs_on(day, cron) else ():
            for m in range(60) if h in hours else ():
                t = dt.datetime(day.year, day.month, day.day, h, m)
                if t >= start and m in minutes and len(out) < count:
                    out.append(t)
        day += dt.timedelta(days=1)
    return out

# ---- systemd ----

NORMALIZED = re.compile(r"^Normalized form: .*$", re.M)
ELAPSE = re.compile(r"^\s*(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$", re.M)


def analyze(events, base):
    """systemd's next firing times of each event from `base` (None: now); None for one it refuses."""
    args = ["systemd-analyze", "calendar", "--iterations=%d" % ITERATIONS]
    if base:
        args.append("--base-time=%s UTC" % base)
    r = subprocess.run(args + ["--"] + events, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    blocks = NORMALIZED.split(r.stdout)[1:]  # one per event it read
    if r.returncode == 0 and len(blocks) == len(events):
        return [[dt.datetime.strptime(t, "%Y-%m-%d %H:%M:%S") for t in ELAPSE.findall(b)] for b in blocks]
    if len(events) == 1:
        return [None]
    return [analyze([e], base)[0] for e in events]


def has_base_time():
    r = subprocess.run(["systemd-analyze", "--help"], env=ENV, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    return "--base-time" in r.stdout


def minute_now():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, second=0, microsecond=0)


def firings(events):
    """{event: [(first minute a cron run may fall on, systemd's firing times from there)]}"""
    starts = []
    if has_base_time():
        for b in BASES:
            start = dt.datetime.strptime(b, "%Y-%m-%d %H:%M:%S").replace(second=0) + dt.timedelta(minutes=1)
            starts.append((start, analyze(events, b)))
    else:
        for _ in range(5):  # "now" must be the same minute before and after
            before = minute_now()
            times = analyze(events, None)
            if minute_now() == before:
                starts.append((before + dt.timedelta(minutes=1), times))
                break
        else:
            sys.exit("cron: the minute kept changing under systemd-analyze")
    return {e: [(start, times[i]) for start, times in starts] for i, e in enumerate(events)}


def compare(cron, runs):
    """None when systemd fires at cron's minutes from every start, else what differs."""
    for start, times in runs:
        if times is None:
            return "systemd-analyze refuses the event"
        if not times:
            return "systemd never fires (from %s)" % start
        want = cron_minutes(cron, start, len(times) + 1)
        for i, t in enumerate(times):
            if i >= len(want) or want[i] != t:
                return "from %s, firing #%d: systemd %s, cron %s" % (start, i + 1, t,
                                                                       want[i] if i < len(want) else "none")
        if len(times) < ITERATIONS and len(want) > len(times) and want[len(times)].year <= SYSTEMD_LAST_YEAR:
            return "from %s systemd stops after %d firings, cron goes on at %s" % (start, len(times),
                                                                                   want[len(times)])
    return None

# ---- the cases ----


def read_cases(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.rstrip("\n")
            if not raw.strip() or raw.startswith("#"):
                continue
            kind, _, line = raw.partition(" ")
            if kind not in ("ok", "refuse"):
                sys.exit("%s:%d: a case starts with \"ok \" or \"refuse \"" % (path, n))
            out.append((n, kind, line))
    return out


def cron_check(lines):
    """formation's reading of each line: ["ok", EVENT, COMMAND] or ["error", MESSAGE]."""
    r = subprocess.run([formation, "cron-check", "--"] + lines, env=ENV, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    results = [l.split("\t") for l in r.stdout.splitlines()]
    if len(results) != len(lines) or r.returncode not in (0, 1):
        sys.exit("cron: cron-check printed %d results for %d lines (exit %d): %s" % (
            len(results), len(lines), r.returncode, r.stderr))
    return results


def check(kind, line, result, runs):
    if kind == "refuse":
        return None if result[0] == "error" else "not refused: %s" % "\t".join(result)
    if result[0] != "ok":
        return "refused: %s" % result[1]
    event, command = result[1], result[2] if len(result) > 2 else ""
    try:
        cron = read_cron(line)
    except NotCron as e:
        return "the reference cron refuses it (%s) though the case says ok" % e
    if command != cron[-1]:
        return "command %r, cron runs %r" % (command, cron[-1])
    why = compare(cron, runs[event])
    return None if why is None else "%s: %s" % (event, why)


cases = read_cases(cases_file)
results = cron_check([line for _, _, line in cases])
runs = firings(sorted({r[1] for (_, kind, _), r in zip(cases, results) if kind == "ok" and r[0] == "ok"}))
passed, failures = 0, []
for (n, kind, line), result in zip(cases, results):
    why = check(kind, line, result, runs)
    if why is None:
        passed += 1
    else:
        failures.append("%s:%d: %s %r: %s" % (os.path.basename(cases_file), n, kind, line, why))
for f in failures:
    print("FAIL " + f)
print("cron: %d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
PY
