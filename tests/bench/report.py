#!/usr/bin/env python3
"""Tables, targets and pictures from one run of tests/bench/run.

    python3 tests/bench/report.py WORKDIR OUTDIR

Reads WORKDIR/results.tsv (and machine, hardening-groups), prints markdown to
stdout and WORKDIR/report.md, and draws OUTDIR/start.png and
OUTDIR/hardening.png with gnuplot. Only what the run measured is printed.
"""
import collections
import os
import subprocess
import sys

work, outdir = sys.argv[1], sys.argv[2]
SETTLE_MS = 500.0  # formation's default settle (apply --settle, scale) after starts
HOLD_MS = 2000.0   # rolling-restart hold per instance: the default min_ready (2s, model.hpp), above the settle

rows = collections.OrderedDict()  # (section, case, n, subject) -> value (µs, or exposure, or KiB)
samples = {}
for line in open(os.path.join(work, "results.tsv")):
    f = line.rstrip("\n").split("\t")
    if len(f) < 5:
        continue
    sec, case, n, subj, val = f[0], f[1], int(f[2]), f[3], float(f[4])
    rows[(sec, case, n, subj)] = val
    samples[(sec, case, n, subj)] = f[5] if len(f) > 5 else "-"

out = []


def p(s=""):
    out.append(s)


def ms(us):
    v = us / 1000.0
    return f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms"


def ratio(a, b):
    r = a / b
    return f"{r:.2f}×"


def get(sec, case, n, subj):
    return rows.get((sec, case, n, subj))


def runs(sec, case, n, subj="formation"):
    return len(samples.get((sec, case, n, subj), "").split(","))


def sample_values(sec, case, n, subj):
    raw = samples.get((sec, case, n, subj), "-")
    return [float(v) for v in raw.split(",") if v not in ("", "-")]


def spread(sec, case, n, wait):
    """The range of formation/systemctl over the runs, waits taken out:
    (lowest formation sample / highest systemctl one, highest / lowest)."""
    f = sample_values(sec, case, n, "formation")
    b = sample_values(sec, case, n, "systemctl")
    if len(f) < 2 or len(b) < 2:
        return None
    return ((min(f) - wait) / max(b), (max(f) - wait) / min(b))


def ns_of(sec):
    return sorted({k[2] for k in rows if k[0] == sec})


def cases_of(sec):
    seen = []
    for k in rows:
        if k[0] == sec and k[1] not in seen:
            seen.append(k[1])
    return seen


machine = open(os.path.join(work, "machine")).read().strip() if os.path.exists(os.path.join(work, "machine")) else ""
p("## formation benchmark")
p()
p("```")
p(machine)
p("```")
p()
p("Every time is the median wall time of whole processes (samples in results.tsv).")

# ---------------------------------------------------------------- overhead
targets = []
if ns_of("overhead"):
    p()
    p("### formation's own overhead: formation against systemctl doing the same work on the same generated units")
    p()
    p("One type `web`, `command = [\"/bin/sleep\", \"infinity\"]`, `port = 5000`, default hardening, N instances. "
      "systemctl: `install` the same file into /etc/formation, `systemctl daemon-reload` (the generator writes the same "
      "units), one `systemctl start` of every instance and the app target; `show -p` of the properties `status` prints; "
      "scale: stop the upper half then install + reload / install + reload then start them; restart: one "
      "`systemctl restart` per instance in turn; stop/start: one systemctl call. formation's deliberate waits "
      "(500 ms settle after apply/scale starts; 2 s hold per instance in a rolling restart, the default `min_ready`) are in its time; "
      "the last column takes them out.")
    p()
    p("| verb | N | runs | formation | systemctl | ratio | ratio without the waits |")
    p("|---|---|---|---|---|---|---|")
    for case in cases_of("overhead"):
        for n in ns_of("overhead"):
            f = get("overhead", case, n, "formation")
            b = get("overhead", case, n, "systemctl")
            if f is None:
                continue
            if b is None:
                p(f"| {case} | {n} | {runs('overhead', case, n)} | {ms(f)} | – | – | – |")
                continue
            wait = 0.0
            if case in ("apply", "scale up"):
                wait = SETTLE_MS * 1000
            elif case == "restart":
                wait = HOLD_MS * 1000 * n
            nowait = ratio(f - wait, b) if wait else ""
            p(f"| {case} | {n} | {runs('overhead', case, n)} | {ms(f)} | {ms(b)} | {ratio(f, b)} | {nowait} |")
    # ≤ 1.05× systemctl doing the same work, at the largest N each verb was measured at, waits taken out.
    for case in cases_of("overhead"):
        n_meas = [n for n in ns_of("overhead") if get("overhead", case, n, "systemctl")]
        if not n_meas:
            continue
        N = max(n_meas)
        f, b = get("overhead", case, N, "formation"), get("overhead", case, N, "systemctl")
        wait = (HOLD_MS * 1000 * N if case == "restart" else SETTLE_MS * 1000) if case in ("apply", "scale up", "restart") else 0
        detail = ratio(f - wait, b) + (f" ({ratio(f, b)} with formation's waits)" if wait else "")
        # The verdict reads the median, and says when the runs' spread
        # straddles the target: a median over it that the spread reaches
        # down to is noise, not a miss; one under it that the spread
        # exceeds is not a sure pass either.
        sp = spread("overhead", case, N, wait)
        ok = (f - wait) / b <= 1.05
        if sp:
            detail += f"; over the runs {sp[0]:.2f}–{sp[1]:.2f}×"
            if not ok and sp[0] <= 1.05:
                ok = None  # within the spread
        targets.append((f"{case} ≤ 1.05× systemctl at N={N}" + (" (waits taken out)" if wait else ""),
                        ok, detail))

# ---------------------------------------------------------------- everyday
if ns_of("everyday"):
    p()
    p("### A user's everyday latency (20 `web` instances, 3 `worker`, default hardening)")
    p()
    p("`formation scale web=+1` from 20 (and `web=-1` back, untimed); systemctl: install the file with 21, "
      "daemon-reload, start `web@21`. The no-op "
      "apply's floors are formation's process start-up (`formation --version`) and one `systemctl list-units` of "
      "the app. The rolling restart of the 3 workers: `formation restart worker` (each instance back and held "
      "2 s, the default `min_ready`, before the next) against three `systemctl restart` in turn. Waits: 500 ms "
      "settle for scale, 3 × 2 s holds for the restart.")
    p()
    p("| what | formation | baseline | ratio | ratio without the waits |")
    p("|---|---|---|---|---|")
    waits = {"scale web=+1": SETTLE_MS * 1000, "restart 3 workers": 3 * HOLD_MS * 1000}
    for case in cases_of("everyday"):
        ks = [k for k in rows if k[0] == "everyday" and k[1] == case]
        f = next((rows[k] for k in ks if k[3] == "formation"), None)
        for k in ks:
            if k[3] == "formation":
                continue
            w = waits.get(case)
            p(f"| {case} | {ms(f)} | {ms(rows[k])} ({k[3]}) | {ratio(f, rows[k])} | "
              f"{ratio(f - w, rows[k]) if w else ''} |")

# ---------------------------------------------------------------- peers
peer_subjects = ["formation", "systemctl", "supervisord", "pm2"]
if ns_of("peers"):
    p()
    p("### Peers: start, list and stop N processes")
    p()
    p("`/bin/sleep infinity` N times, all inside the container. formation: the app installed and stopped, then "
      "`formation start`, `status`, `stop` (hardening \"none\": the peers isolate nothing); systemctl: the same units, "
      "`start`, `show -p …`, `stop`; supervisord: one program with `numprocs=N`, `startsecs=0`, "
      "`supervisorctl start web:*`, `status`, `stop web:*`; PM2: one app with `instances: N` in fork mode, "
      "`pm2 start eco.config.js`, `pm2 list`, `pm2 stop all`. Daemons (supervisord, PM2's God) run before timing.")
    p()
    p("| N | verb | " + " | ".join(peer_subjects) + " |")
    p("|---|---|" + "---|" * len(peer_subjects))
    for n in ns_of("peers"):
        for verb in ("start", "list", "stop"):
            cells = []
            for s in peer_subjects:
                v = get("peers", verb, n, s)
                cells.append(ms(v) if v is not None else "–")
            p(f"| {n} | {verb} | " + " | ".join(cells) + " |")
    if ns_of("peers") and get("peers", "list", ns_of("peers")[0], "pm2 jlist") is not None:
        p()
        p("`pm2 list` draws a table with host metrics; `pm2 jlist` (JSON, no table): " +
          ", ".join(f"{ms(get('peers', 'list', n, 'pm2 jlist'))} at N={n}" for n in ns_of("peers")) + ".")
    # start time against N
    with open(os.path.join(work, "start.dat"), "w") as d:
        d.write("# N formation-none systemctl-none supervisord pm2 formation-default systemctl-default\n")
        for n in ns_of("peers"):
            vals = [get("peers", "start", n, s) for s in peer_subjects]
            vals += [get("overhead", "start", n, "formation"), get("overhead", "start", n, "systemctl")]
            d.write(str(n) + " " + " ".join("NaN" if v is None else f"{v / 1000:.2f}" for v in vals) + "\n")

# ---------------------------------------------------------------- hardening
hv = {k[1]: v for k, v in rows.items() if k[0] == "hardening" and k[3] == "start"}
hc = {k[1]: v for k, v in rows.items() if k[0] == "hardening" and k[3] == "cpu"}
he = {k[1]: v for k, v in rows.items() if k[0] == "hardening" and k[3] == "exposure"}
if hv:
    M = next(k[2] for k in rows if k[0] == "hardening")
    hruns = runs("hardening", "none", M, "start")
    gfile = os.path.join(work, "hardening-groups")
    groups = [g.strip() for g in open(gfile)] if os.path.exists(gfile) else []
    wall = {v: hv[v] / M / 1000.0 for v in hv}  # ms per instance start
    cpu = {v: hc[v] / M / 1000.0 for v in hc}   # CPU ms per instance start (PID 1 + the instance)
    none_e = he["none"]
    p()
    p(f"### What hardening costs per instance start, group by group ({M} instances per `systemctl start`, "
      f"median of {hruns} runs)")
    p()
    p("Each variant is a template `Type=exec`, `ExecStart=/bin/sleep infinity` (as root, like formation's units "
      "without `user`) plus the directives; *wall* is one `systemctl start` of the instances divided by their number, "
      "*CPU* is what PID 1 and the instances' own cgroup used for it (per instance; steadier than wall time on a "
      "shared machine); both over the same template without hardening. Exposure is `systemd-analyze security` of "
      "an instance (10 = nothing hardened). *Alone*: the group on top of nothing; *left out*: the default level "
      "without that group. The mount-namespace options (PrivateTmp, PrivateDevices, ProtectSystem/Home, "
      "ProtectKernel*, ProtectControlGroups, ProtectProc) share one namespace set-up, so their costs alone do not add up.")
    p()
    p("| group | directives | alone: wall ms | alone: CPU ms | exposure saved | saved per CPU ms | "
      "left out: CPU ms saved | left out: exposure lost |")
    p("|---|---|---|---|---|---|---|---|")
    directives = {}
    dfile = os.path.join(work, "hardening-directives")
    if os.path.exists(dfile):
        for line in open(dfile):
            g, _, d = line.rstrip("\n").partition("\t")
            directives[g] = d if len(d) < 90 else d[:d.find("=") + 2] + f"… ({len(d.split())} capabilities)"
    ranked = []
    for g in groups:
        a, lo = f"only-{g}", f"default-minus-{g}"
        if a not in wall:
            continue
        w = wall[a] - wall["none"]
        c = cpu[a] - cpu["none"] if a in cpu else None
        saved = none_e - he[a]
        eff = saved / c if c is not None and c > 0.05 else float("inf")
        lo_c = cpu["default"] - cpu[lo] if lo in cpu and "default" in cpu else None
        lo_e = he[lo] - he["default"] if lo in he and "default" in he else None
        ranked.append((g, c if c is not None else w, saved, eff))
        p(f"| {g} | {directives.get(g, '')} | {w:+.2f} | {'' if c is None else f'{c:+.2f}'} | {saved:.1f} | "
          f"{'∞ (no measurable cost)' if eff == float('inf') else f'{eff:.2f}'} | "
          f"{'' if lo_c is None else f'{lo_c:+.2f}'} | {'' if lo_e is None else f'{lo_e:+.1f}'} |")
    p()
    p("| level / candidate | exposure | wall ms per start | CPU ms per start | CPU ms over none |")
    p("|---|---|---|---|---|")
    levels = ("none", "default", "nomount", "nomount-plus", "nomount-devices-kernel", "strict")
    labels = {"nomount": "nomount: default without its mount-namespace groups (tmp devices fs kernel proc)",
              "nomount-plus": "nomount-plus: nomount + PrivateIPC, RemoveIPC, strict's system-call deny list",
              "nomount-devices-kernel": "default without tmp, fs, proc"}
    for v in levels:
        if v in wall:
            c = f"{cpu[v]:.2f} | {cpu[v] - cpu['none']:+.2f}" if v in cpu else " | "
            p(f"| {labels.get(v, v)} | {he[v]:.1f} | {wall[v]:.2f} | {c} |")
    with open(os.path.join(work, "hardening.dat"), "w") as d:
        d.write("# group cost_ms exposure_saved\n")
        for g, c, saved, _ in ranked:
            d.write(f"{g} {c:.3f} {saved:.2f}\n")
    with open(os.path.join(work, "levels.dat"), "w") as d:
        for v in levels[1:]:
            if v in cpu:
                d.write(f"{v} {cpu[v] - cpu['none']:.3f} {none_e - he[v]:.2f}\n")
    p()
    order = sorted(ranked, key=lambda r: -r[3])
    p("Exposure saved per CPU ms of start, best first: " +
      ", ".join(f"{g} ({'∞' if e == float('inf') else f'{e:.2f}'})" for g, _, _, e in order) + ".")
    if "default" in he:
        targets.append(("default level exposure ≤ 4.0", he["default"] <= 4.0, f"{he['default']:.1f}"))

# ---------------------------------------------------------------- generate
if ns_of("generate"):
    p()
    p("### `generate -o` into a fresh directory (host disk, ext4)")
    p()
    p("`web` with N instances and `port` (one drop-in each), `worker` with 2. foreman: `foreman export systemd DIR "
      "-m web=N,worker=2` of the equivalent Procfile; `cp -a` of generate's own output tree is the I/O floor; "
      "generate ends with one syncfs, so `cp -a` + `sync -f` is the floor with the same durability.")
    p()
    subj = ["formation", "foreman export systemd", "cp -a", "cp -a + sync -f"]
    p("| N | files | " + " | ".join(subj) + " | formation / cp -a | formation / (cp -a + sync -f) |")
    p("|---|---|" + "---|" * (len(subj) + 2))
    for n in ns_of("generate"):
        case = next(k[1] for k in rows if k[0] == "generate" and k[2] == n)
        files = case[case.find("(") + 1:case.find(" files")]
        v = [get("generate", case, n, s) for s in subj]
        p(f"| {n} | {files} | " + " | ".join(ms(x) for x in v) + f" | {ratio(v[0], v[2])} | {ratio(v[0], v[3])} |")
    N = max(ns_of("generate"))
    case = next(k[1] for k in rows if k[0] == "generate" and k[2] == N)
    f, c, cs = get("generate", case, N, "formation"), get("generate", case, N, "cp -a"), get("generate", case, N, "cp -a + sync -f")
    targets.append((f"generate -o ≤ 1.3× cp -a at N={N}", f / c <= 1.3, f"{ratio(f, c)} ({ratio(f, cs)} of cp -a + sync -f)"))

# ---------------------------------------------------------------- generator
if ns_of("generator"):
    p()
    p("### The generator at daemon-reload, 50 installed formations (2 `web` + 1 `worker` each)")
    p()
    d = get("generator", "generator run directly", 50, "formation")
    w, wo = get("generator", "daemon-reload", 50, "with 50 formations"), get("generator", "daemon-reload", 50, "without")
    p("| what | time |")
    p("|---|---|")
    p(f"| formation-generator run directly (FORMATION_CONFIG_DIRS, three fresh directories on tmpfs) | {ms(d)} |")
    p(f"| systemctl daemon-reload with the 50 formations installed | {ms(w)} |")
    p(f"| systemctl daemon-reload without them | {ms(wo)} |")
    targets.append(("generator for 50 formations < 50 ms", d < 50000, ms(d)))

# ---------------------------------------------------------------- coldread
if ns_of("coldread"):
    n = ns_of("coldread")[0]
    p()
    p(f"### The first read of units a daemon-reload has just loaded ({n} instances, hardening none)")
    p()
    p("`apply --settle 0s`, then the same read twice: `systemctl show -p …` of every instance, or "
      "`formation status`. The first read costs PID 1 more, whoever reads; the sections above time "
      "both sides on warm units.")
    p()
    p("| | first read | next read | first / next |")
    p("|---|---|---|---|")
    for subj, label in (("systemctl", "systemctl show"), ("formation", "formation status")):
        a, b = get("coldread", "first read", n, subj), get("coldread", "next read", n, subj)
        if a is not None and b is not None:
            p(f"| {label} | {ms(a)} | {ms(b)} | {ratio(a, b)} |")

# ---------------------------------------------------------------- rss
rss = [(k[1], k[2], v) for k, v in rows.items() if k[0] == "rss"]
if rss:
    p()
    p("### Peak RSS (`/usr/bin/time -f %M`)")
    p()
    p("| verb | N | peak RSS |")
    p("|---|---|---|")
    for verb, n, v in rss:
        p(f"| {verb} | {n} | {v / 1024:.1f} MiB |")

if targets:
    p()
    p("### Targets")
    p()
    for name, ok, detail in targets:
        word = "met" if ok else "within the spread" if ok is None else "MISSED"
        p(f"- [{word}] {name}: {detail}")

text = "\n".join(out) + "\n"
sys.stdout.write(text)
open(os.path.join(work, "report.md"), "w").write(text)

# ---------------------------------------------------------------- pictures
gp = []
if os.path.exists(os.path.join(work, "start.dat")):
    gp.append(f"""
set terminal pngcairo size 880,560 font 'sans,11'
set output '{outdir}/start.png'
set title 'Starting N × /bin/sleep (one command, until all run)'
set xlabel 'N processes'
set ylabel 'wall time (ms)'
set logscale xy
set key top left
set grid
plot '{work}/start.dat' u 1:6 w lp lw 2 t 'formation start (default hardening)', \
     '' u 1:7 w lp lw 2 dt 2 t 'systemctl start (same units)', \
     '' u 1:2 w lp lw 2 t 'formation start (hardening none)', \
     '' u 1:3 w lp lw 2 dt 2 t 'systemctl start (same units, none)', \
     '' u 1:4 w lp lw 2 t 'supervisorctl start (numprocs)', \
     '' u 1:5 w lp lw 2 t 'pm2 start (fork instances)'
""")
if os.path.exists(os.path.join(work, "hardening.dat")):
    gp.append(f"""
set terminal pngcairo size 880,560 font 'sans,11'
set output '{outdir}/hardening.png'
set title 'Hardening: exposure saved against start cost per instance'
set xlabel 'extra CPU ms per instance start (PID 1 + instance, over no hardening)'
set ylabel 'systemd-analyze security exposure saved'
unset logscale
set offsets 0, graph 0.25, graph 0.08, 0
set key bottom right
set grid
plot '{work}/hardening.dat' u 2:3 w p pt 7 ps 1 t 'one group alone', \
     '' u 2:3:1 w labels offset 0.8,0.6 left notitle, \
     '{work}/levels.dat' u 2:3 w p pt 5 ps 1.3 t 'levels', \
     '' u 2:3:1 w labels offset 0.8,-0.6 left tc rgb '#b00000' notitle
""")
if gp:
    r = subprocess.run(["gnuplot"], input="\n".join(gp), text=True, capture_output=True)
    if r.returncode != 0:
        sys.stderr.write("report: gnuplot failed:\n" + r.stderr)
        sys.exit(1)
