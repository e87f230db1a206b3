#!/usr/bin/env python3
"""Byte-exact round trip of hostile values through formation and systemd.

One table (below) is the only source of the test: `gen DIR` writes the
formation file and the refusal files from it; `verify DIR` reads the formation
file back with tomllib (the source of truth for what the TOML says), derives
what every running instance must have received, and compares that byte for
byte with /proc/MAINPID/environ and /proc/MAINPID/cmdline.

    cases.py gen DIR              write DIR/roundtrip.toml and DIR/refuse-*.toml
    cases.py mkdirs               create the directories the paths case needs (in the sandbox)
    cases.py verify DIR APP       compare the running instances (run inside the sandbox)
    cases.py refusals DIR FORMATION  `formation check` each refuse-*.toml: exit 2, FILE:LINE:COL
"""
import json
import os
import string
import subprocess
import sys
import time
import tomllib

# The process every case runs: it writes nothing, ignores its arguments and
# sleeps, so what /proc shows is exactly what systemd (or /bin/sh) exec'd.
SLEEPER = "import time\ntime.sleep(1e9)"
PY = "/usr/bin/python3"

ALL_CONTROLS = "".join(chr(c) for c in range(1, 32)) + "\x7f"

# (label, value): each becomes an env var T_<label> and an argv word.
VALUES = [(f"pct_{c}", "%" + c) for c in string.ascii_letters] + [
    ("pct_all", " ".join("%" + c for c in string.ascii_letters)),
    ("pct_pct", "%%"),
    ("pct_lone", "%"),
    ("pct_end", "100%"),
    ("pct_brace", "%{x}%"),
    ("dollar_var", "$HOME"),
    ("dollar_brace", "${HOME}"),
    ("dollar_dollar", "$$"),
    ("dollar_lone", "$"),
    ("dollar_end", "cost: 5$"),
    ("dollar_pct", "$%i%$"),
    ("dollar_undefined", "$NOPE_NOT_SET"),
    ("dollar_default", "${X:-fallback}"),
    ("dollar_port", "$PORT ${PORT}"),
    ("subst", "$(id) `id`"),
    ("squote", "it's"),
    ("dquote", 'say "hi"'),
    ("quotes", "'\"'\"''\"\""),
    ("backslash", "C:\\path\\to"),
    ("backslash_n", "\\n"),
    ("backslash_end", "end\\"),
    ("backslash_lone", "\\"),
    ("backslash_escapes", "\\x41\\101\\u0041\\t\\\\"),
    ("backslash_quote", '\\"'),
    ("backslash_semi", "\\;"),
    ("backslash_pct", "\\%i"),
    ("backslash_dollar", "\\$HOME"),
    ("spaces", "  leading and trailing  "),
    ("space_lone", " "),
    ("hash", "# not a comment"),
    ("hash_mid", "a #b"),
    ("semi", "a;b"),
    ("semi_lone", ";"),
    ("semi_spaced", " ; "),
    ("eq", "a=b=c"),
    ("eq_lone", "="),
    ("prefixes", "-@:+!"),
    ("unicode", "ünïcødé ✓ 日本語 🎉 \u2028 \ufeff"),
    ("empty", ""),
    ("newline", "line1\nline2"),
    ("newline_end", "x\n"),
    ("crlf", "a\r\nb"),
    ("tab", "a\tb"),
    ("c01", "\x01"),
    ("c1f", "\x1f"),
    ("c7f", "\x7f"),
    ("escape_seq", "\x1b[31mred\x1b[0m"),
    ("controls", ALL_CONTROLS),
    ("everything", "%i $HOME ${X} $$ $ ' \" \\ \\n  # ; = é\n\t\x01\x1f\x7f%"),
]
# Values that only an [env] table can hold: TOML integers and booleans.
TYPED_ENV = [("T_int", 42, "42"), ("T_negative", -7, "-7"), ("T_true", True, "true"), ("T_false", False, "false")]

# Shell-form commands: (type, line, expected argv of the main process). In the
# expectations, ("env", NAME) stands for the value of env var NAME as the TOML
# says it (the shell expands it inside double quotes, byte for byte), and
# ("pid",) for the shell's $$, which exec makes the main PID.
SHELL = [
    ("sh_exec",
     'exec /usr/bin/python3 -c "$T_SLEEPER" "%i" \'$HOME\' \\$x "${T_dquote}" \'%%\' \';\' \'a;b\' '
     '"$T_newline" "$T_controls" "$T_everything" "" \'\\n\' "a\\\\b" %n 100% \\%\\%',
     [PY, "-c", ("env", "T_SLEEPER"), "%i", "$HOME", "$x", ("env", "T_dquote"), "%%", ";", "a;b",
      ("env", "T_newline"), ("env", "T_controls"), ("env", "T_everything"), "", "\\n", "a\\b", "%n", "100%",
      "%%"]),
    # A simple command without exec: formation puts "exec " in front.
    ("sh_auto_exec",
     '/usr/bin/python3 -c "$T_SLEEPER" %a%Z \'${HOME}\' "$T_pct_all" "$T_quotes" "$T_backslash_end" '
     '"$T_unicode" "$$" \'#\' x#y \'\t\' "$T_empty"',
     [PY, "-c", ("env", "T_SLEEPER"), "%a%Z", "${HOME}", ("env", "T_pct_all"), ("env", "T_quotes"),
      ("env", "T_backslash_end"), ("env", "T_unicode"), ("pid",), "#", "x#y", "\t", ""]),
    # Leading assignments stay in front of exec and reach the program's environment.
    ("sh_assign",
     'SH_ASSIGNED=\'it\'\\\'\'s %i $x "q" \\\' SH_TWO="$T_tab" /usr/bin/python3 -c "$T_SLEEPER" assigned',
     [PY, "-c", ("env", "T_SLEEPER"), "assigned"]),
]
SHELL_EXTRA_ENV = {"sh_assign": {"SH_ASSIGNED": "it's %i $x \"q\" \\", "SH_TWO": ("env", "T_tab")}}
# A compound line (a real newline) keeps /bin/sh as the main process, so its
# cmdline shows the whole line as systemd passed it. The comment lines carry
# every hostile byte but NUL; sh ignores them.
COMPOUND_LINE = ('/usr/bin/python3 -c "$T_SLEEPER" child\n'
                 "# " + "\t".join(v for _, v in VALUES if "\n" not in v and "\r" not in v) + "\n"
                 "#\t%a%b%Z $HOME ${HOME} $$ $ ' \" \\ \\n ; = \x01\x1f\x7f\r\u00e9 ;")

# Paths that must arrive as written: WorkingDirectory= (taken verbatim to the
# end of the line) and ReadWritePaths= (a quoted list). Created by `mkdirs`.
PATH_WD = "/srv/rt paths/wd %i $x 'q' \"dq\" \\b é #;="
PATH_W2 = "/srv/rt paths/w2 %n \"only\" writable"
PATHS_PROBE = """import os, time
for d in %r:
    try:
        open(os.path.join(d, "ok"), "w").write("x"); print("wrote", d, flush=True)
    except OSError as e:
        print("refused", d, e.errno, flush=True)
time.sleep(1e9)""" % ([PATH_WD, PATH_W2],)

APP = "rt"
BIG_WORD = "%$\\\x01" * ((131072 - 1) // 4) + "w" * ((131072 - 1) % 4)
BIG_VALUE = "%$\\\x01" * ((131072 - 1 - len("T_BIG=")) // 4) + "v" * ((131072 - 1 - len("T_BIG=")) % 4)
MAX_ARG_STRLEN = 131072  # linux/binfmts.h: the longest argv/environ string, NUL included
ARGV_PORT = 7100


def toml_str(s):
    """A TOML basic string for any str without NUL: \\u escapes for controls."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_str_list(words):
    return "[" + ", ".join(toml_str(w) for w in words) + "]"


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return toml_str(v)


def formation_toml():
    lines = [f'app = "{APP}"', 'description = "round trip of hostile bytes: 100% $HOME"', "", "[env]"]
    lines.append(f"T_SLEEPER = {toml_str(SLEEPER)}")
    # Half the values at app level, half per process, to cover the merge.
    for i, (label, value) in enumerate(VALUES):
        if i % 2 == 0:
            lines.append(f"T_{label} = {toml_str(value)}")
    for name, raw, _ in TYPED_ENV:
        lines.append(f"{name} = {toml_value(raw)}")
    # The same newline, written as a TOML multi-line string with a real newline
    # and as a literal string (no escapes at all).
    lines.append('T_multiline = """\nfirst\nsecond\\\\ "quoted" %i $x\n"""')
    lines.append("T_literal = '%i $HOME \\n \\\\ \"x\"'")
    lines.append("")

    def process_env(extra=()):
        out = []
        for i, (label, value) in enumerate(VALUES):
            if i % 2 == 1:
                out.append(f"T_{label} = {toml_str(value)}")
        out.extend(extra)
        return out

    # Exec'd directly: every value as an argv word, two instances with ports.
    lines += ["[process.argv]",
              "command = [" + ", ".join(toml_str(w) for w in [PY, "-c", SLEEPER] + [v for _, v in VALUES]) + "]",
              "count = 2", f"port = {ARGV_PORT}", "hardening = \"default\"", "", "[process.argv.env]"]
    lines += process_env() + [""]
    # A relative program name (looked up in PATH) and the strict level.
    lines += ["[process.relative]",
              "command = " + "[" + ", ".join(toml_str(w) for w in ["python3", "-c", SLEEPER, "%i", "$1", ";"]) + "]",
              'hardening = "strict"', "", "[process.relative.env]"]
    lines += process_env() + [""]
    for name, line, _ in SHELL:
        lines += [f"[process.{name}]", f"command = {toml_str(line)}", "", f"[process.{name}.env]"]
        lines += process_env() + [""]
    # At the kernel's limit exactly: a 131071-byte argv word and NAME=value.
    lines += ["[process.big]",
              "command = " + "[" + ", ".join(toml_str(w) for w in [PY, "-c", SLEEPER, BIG_WORD]) + "]",
              "", "[process.big.env]", f"T_BIG = {toml_str(BIG_VALUE)}", ""]
    lines += ["[process.paths]", f"command = {toml_str_list([PY, '-c', PATHS_PROBE])}", 'hardening = "strict"',
              f"working_directory = {toml_str(PATH_WD)}", f"writable_paths = {toml_str_list([PATH_WD, PATH_W2])}", ""]
    lines += ["[process.sh_compound]", f"command = {toml_str(COMPOUND_LINE)}", "", "[process.sh_compound.env]"]
    lines += process_env() + [""]
    return "\n".join(lines) + "\n"


# Values systemd cannot carry: `formation check` must refuse them, naming the
# file, line and column of the value. (label, toml text, marker, message part):
# the error must point at the first character of marker (its first occurrence).
def refusals():
    head = f'app = "{APP}"\n'
    big = "x" * (MAX_ARG_STRLEN - len("BIG="))  # one byte too many with the NUL
    out = [
        # NUL: no C string (argv, environ, unit file) can hold it.
        ("nul_env_app", head + '[env]\nA = "x\\u0000y"\n[process.p]\ncommand = ["/bin/true"]\n', '"x', "NUL"),
        ("nul_env_process", head + '[process.p]\ncommand = ["/bin/true"]\n[process.p.env]\nA = "\\u0000"\n',
         '"\\u0000', "NUL"),
        ("nul_argv", head + '[process.p]\ncommand = ["/bin/true", "ok", "a\\u0000"]\n', '"a', "NUL"),
        ("nul_argv0", head + '[process.p]\ncommand = ["/bin/true\\u0000"]\n', '"/bin', "NUL"),
        ("nul_shell", head + '[process.p]\ncommand = "echo \\u0000"\n', '"echo', "NUL"),
        # The kernel refuses a single argv word or environment string of
        # MAX_ARG_STRLEN bytes or more (NUL included): execve fails with E2BIG.
        ("huge_env", head + f'[env]\nBIG = "{big}"\n[process.p]\ncommand = ["/bin/true"]\n', '"xxx', "long"),
        ("huge_argv", head + f'[process.p]\ncommand = ["/bin/true", "{big}____"]\n', '"xxx', "long"),
        # A shell line is one word of /bin/sh, with room kept for "exec ".
        ("huge_shell", head + f'[process.p]\ncommand = "echo {big[:MAX_ARG_STRLEN - 10]}"\n', '"echo', "long"),
        # Together, argv and environ (with a pointer each) must stay within
        # the kernel's limit: 340000 empty words make 3 MB.
        ("many_words", head + '[process.p]\ncommand = ["/bin/true"' + ',""' * 340000 + ']\n', '["/bin', "long"),
        # systemd refuses a unit with a line of 1 MiB or more: 5 words of
        # 120000 "%" are 600 kB in the file and 1.2 MB once escaped.
        ("long_unit_line", head + '[process.p]\ncommand = ["/bin/true"' + (', "' + "%" * 120000 + '"') * 5 + ']\n',
         '["/bin', "1 MiB"),
    ]
    # systemd strips a unit line's trailing blanks and joins a line ending in "\\" with the next.
    out.append(("wd_trailing_backslash", head + 'working_directory = "/srv/x\\\\"\n[process.p]\ncommand = ["/bin/true"]\n',
                '"/srv', "backslash"))
    out.append(("wd_trailing_space", head + '[process.p]\ncommand = ["/bin/true"]\nworking_directory = "/srv/x "\n',
                '"/srv', "space"))
    out.append(("env_file_trailing_space", head + 'env_files = ["/etc/x.env "]\n[process.p]\ncommand = ["/bin/true"]\n',
                '"/etc', "space"))
    # Paths systemd would ignore ("path is not normalized, ignoring"), so the
    # instance would run without its secrets or in the wrong directory.
    out.append(("env_file_dot_dot", head + 'env_files = ["/etc/rt/../rt.env"]\n[process.p]\ncommand = ["/bin/true"]\n',
                '"/etc', "component"))
    out.append(("env_file_double_slash", head + 'env_files = ["-/etc//rt.env"]\n[process.p]\ncommand = ["/bin/true"]\n',
                '"-/etc', "//"))
    out.append(("wd_dot", head + '[process.p]\ncommand = ["/bin/true"]\nworking_directory = "/srv/./x"\n', '"/srv', "component"))
    out.append(("writable_long_component", head + '[process.p]\ncommand = ["/bin/true"]\nwritable_paths = ["/srv/' + "w" * 256 + '"]\n',
                '"/srv', "256 bytes"))
    # Numeric ids systemd refuses (uid_is_valid(), no leading zeros).
    for i, uid in enumerate(["4294967295", "65535", "00"]):
        out.append((f"user_numeric_{i}", head + f'user = "{uid}"\n[process.p]\ncommand = ["/bin/true"]\n', f'"{uid}"', "numeric id"))
    # Programs systemd refuses, or would look for under another name.
    for i, prog in enumerate(["..", "/", "/usr/bin/", "/opt/$x/run", "p" * 256]):
        out.append((f"argv0_invalid_{i}", head + f'[process.p]\ncommand = ["{prog}", "1"]\n', f'"{prog[:10]}', "command[0]"))
    # A trailing backslash joins the next line of the unit.
    out.append(("description_backslash", head + 'description = "x \\\\"\n[process.p]\ncommand = ["/bin/true"]\n',
                '"x', "backslash"))
    out.append(("raw_backslash", head + '[process.p]\ncommand = ["/bin/true"]\nsystemd.Service = ["Nice=1\\\\"]\n',
                '"Nice', "backslash"))
    out.append(("raw_unknown", head + '[process.p]\ncommand = ["/bin/true"]\nsystemd.Unit = ["Afterr=x.service"]\n',
                '"Afterr', "systemd 252"))
    # An argv[0] starting with one of systemd's ExecStart= prefixes would be
    # taken as the prefix, not as part of the program name.
    for i, p in enumerate("-@:+!"):
        out.append((f"argv0_prefix_{i}", head + f'[process.p]\ncommand = ["{p}sleep", "1"]\n', f'"{p}', "command[0]"))
    result = []
    for label, text, marker, msg in out:
        at = text.index(marker)
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        result.append((label, text, line, col, msg))
    return result


def gen(d):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "roundtrip.toml"), "w", encoding="utf-8") as f:
        f.write(formation_toml())
    for label, text, line, col, msg in refusals():
        with open(os.path.join(d, f"refuse-{label}.toml"), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(d, "refusals.json"), "w") as f:
        json.dump([[label, line, col, msg] for label, _, line, col, msg in refusals()], f)
    # The TOML must say exactly what the table says (else the test tests nothing).
    doc = load(d)
    env = doc["env"] | doc["process"]["argv"]["env"]
    for label, value in VALUES:
        assert env[f"T_{label}"] == value, label
    assert doc["process"]["argv"]["command"][3:] == [v for _, v in VALUES]
    for name, line, _ in SHELL:
        assert doc["process"][name]["command"] == line, name
    assert doc["process"]["sh_compound"]["command"] == COMPOUND_LINE


def load(d):
    with open(os.path.join(d, "roundtrip.toml"), "rb") as f:
        return tomllib.load(f)


def env_string(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def expectations(doc):
    """{type: (count, port, expected env dict, expected argv or None)} from the parsed TOML."""
    out = {}
    for name, p in doc["process"].items():
        env = {k: env_string(v) for k, v in (doc.get("env", {}) | p.get("env", {})).items()}
        resolve = lambda w: env[w[1]] if isinstance(w, tuple) and w[0] == "env" else w
        cmd = p["command"]
        if isinstance(cmd, list):
            argv = cmd
        elif name == "sh_compound":
            argv = ["/bin/sh", "-c", cmd]
        else:
            [(_, line, want)] = [s for s in SHELL if s[0] == name]
            assert line == cmd
            argv = [resolve(w) for w in want]
            for k, v in SHELL_EXTRA_ENV.get(name, {}).items():
                env[k] = resolve(v)
        out[name] = (p.get("count", 1), p.get("port"), env, argv)
    return out


# What systemd (and /bin/sh, which exports PWD) may add on its own.
MANAGER_ENV = {"PATH", "LANG", "INVOCATION_ID", "JOURNAL_STREAM", "SYSTEMD_EXEC_PID", "PWD", "LANGUAGE",
               "LC_ALL", "LC_CTYPE", "NOTIFY_SOCKET", "HOME", "USER", "LOGNAME", "SHELL", "MAINPID",
               "MANAGERPID", "CREDENTIALS_DIRECTORY", "MONITOR_SERVICE_RESULT"}


def show(b):
    return repr(b) if len(b) < 200 else repr(b[:200]) + f"… ({len(b)} bytes)"


def verify(d, app):
    doc = load(d)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
        return ok

    for typ, (count, port, env, argv) in expectations(doc).items():
        for i in range(1, count + 1):
            unit = f"{app}-{typ}@{i}.service"
            pid = subprocess.run(["systemctl", "show", "-p", "MainPID", "--value", unit],
                                 capture_output=True, text=True).stdout.strip()
            if not check(f"{unit} running", pid not in ("", "0"), f"MainPID={pid!r}"):
                subprocess.run(["systemctl", "status", "--no-pager", "-n", "5", unit])
                continue
            # /proc bytes, decoded as the kernel holds them (no text decoding).
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                got_argv = f.read().split(b"\0")[:-1]
            with open(f"/proc/{pid}/environ", "rb") as f:
                got_env_list = f.read().split(b"\0")[:-1]
            want_argv = [(pid if isinstance(w, tuple) else w).encode() for w in argv]
            if not check(f"{unit} argc", len(got_argv) == len(want_argv), f"{len(got_argv)} != {len(want_argv)}"):
                print("    got ", [show(w) for w in got_argv])
            for k, (g, w) in enumerate(zip(got_argv, want_argv)):
                check(f"{unit} argv[{k}]", g == w, f"got {show(g)}, want {show(w)}")
            got_env = {}
            for e in got_env_list:
                k, _, v = e.partition(b"=")
                check(f"{unit} env {k!r} once", k not in got_env)
                got_env[k] = v
            want_env = {k.encode(): v.encode() for k, v in env.items()}
            if port is not None:
                want_env[b"PORT"] = str(port + i - 1).encode()
            # Who the instance is (formation.toml(5), ENVIRONMENT).
            want_env[b"FORMATION_APP"] = doc["app"].encode()
            want_env[b"FORMATION_INSTANCE"] = f"{typ}.{i}".encode()
            for name in doc["process"][typ].get("instance_env", doc.get("instance_env", [])):
                want_env[name.encode()] = f"{typ}.{i}".encode()
            for k, w in sorted(want_env.items()):
                g = got_env.get(k)
                check(f"{unit} env {k.decode()}", g == w, f"got {show(g) if g is not None else 'nothing'}, want {show(w)}")
            extra = sorted(k.decode() for k in got_env if k not in want_env and k.decode() not in MANAGER_ENV)
            check(f"{unit} no stray env", not extra, f"{extra}")
            if "working_directory" in doc["process"][typ]:
                want_cwd = doc["process"][typ]["working_directory"]
                got_cwd = os.readlink(f"/proc/{pid}/cwd")
                check(f"{unit} cwd", got_cwd == want_cwd, f"got {got_cwd!r}, want {want_cwd!r}")
            for d in doc["process"][typ].get("writable_paths", []):
                for _ in range(50):
                    if os.path.exists(os.path.join(d, "ok")):
                        break
                    time.sleep(0.1)
                check(f"{unit} wrote into writable path {d!r}", os.path.exists(os.path.join(d, "ok")))
    print(f"roundtrip-values: {passed} passed, {failed} failed")
    return failed == 0


def refusals_check(d, formation):
    passed = failed = 0
    with open(os.path.join(d, "refusals.json")) as f:
        cases = json.load(f)
    for label, line, col, msg in cases:
        path = f"refuse-{label}.toml"
        r = subprocess.run([formation, "-f", path, "check"], cwd=d, capture_output=True, text=True)
        where = f"{path}:{line}:{col}:"
        first = r.stderr.splitlines()[0] if r.stderr else ""
        ok = r.returncode == 2 and first.startswith(where) and msg in first
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL refuse {label}: exit {r.returncode}, wanted 2 and {where} …{msg}…; got: {first[:200]}")
    print(f"roundtrip-refusals: {passed} passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "gen":
        gen(sys.argv[2])
    elif verb == "mkdirs":
        for d in (PATH_WD, PATH_W2):
            os.makedirs(d, exist_ok=True)
    elif verb == "verify":
        sys.exit(0 if verify(sys.argv[2], sys.argv[3]) else 1)
    elif verb == "refusals":
        sys.exit(0 if refusals_check(sys.argv[2], sys.argv[3]) else 1)
    else:
        sys.exit(__doc__)
