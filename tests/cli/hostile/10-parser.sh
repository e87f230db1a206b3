# The parser against hostile formation files (issue 19, items 1, 9, 12):
# 100,000 levels of nesting of every form are refused at file:line:col with
# exit 2 (they overflowed toml++'s stack: SIGSEGV) by check, generate and
# list; escape sequences in a formation line never reach the terminal raw
# when the line is echoed under an error; invalid UTF-8 is placed at its own
# line and column. Sourced by hostile.sh ($formation, $work, t/has/hasnt/ok);
# names here start with ps_.

ps_esc=$'\e' ps_bel=$'\a' ps_csi=$'\xc2\x9b' ps_rlo=$'\xe2\x80\xae'
ps_head='app = "shop"
[process.web]
command = "run"'
# ps_repeat TEXT N: TEXT N times, on one line.
ps_repeat() { yes -- "$1" | head -n "$2" | tr -d '\n'; }
# ps_refused NAME FILE LINE:COL: check and generate -o exit 2 naming
# FILE:LINE:COL, nothing written; installed (FORMATION_CONFIG_DIRS), status
# -a refuses it the same way, and list shows it as invalid (exit 0, or 3
# where no systemd runs, as here) instead of dying of SIGSEGV.
ps_refused() {
    local name=$1 file=$2 at=$3
    t "$name-check" 2 "$formation" -f "$file" check
    has "$name-check" "$work/err" "^$file:$at: error: nested too deeply"
    t "$name-generate" 2 "$formation" -f "$file" generate -o "$work/units"
    has "$name-generate" "$work/err" "^$file:$at: error: nested too deeply"
    ok test ! -e "$work/units"
    rm -rf "$work/etc" && mkdir -p "$work/etc" && cp "$file" "$work/etc/shop.toml"
    t "$name-status" 2 env FORMATION_CONFIG_DIRS="$work/etc" "$formation" -a shop status
    has "$name-status" "$work/err" "^$work/etc/shop.toml:$at: error: nested too deeply"
    local rc=0
    FORMATION_CONFIG_DIRS="$work/etc" "$formation" list >"$work/out" 2>"$work/err" || rc=$?
    ok test "$rc" = 0 -o "$rc" = 3
    has "$name-list" "$work/out" "^shop .*invalid file; no units"
}

## 1. Deep nesting, every form, 100,000 levels (about 200 KB, under the 1 MiB cap).
ps_deep=100000
{ echo "$ps_head"; ps_repeat a. $ps_deep; echo "b = 1"; } >"$work/dotted.toml"
ps_refused ps-dotted "$work/dotted.toml" 4:125  # under [process.web]: part 63 is level 65
{ echo "$ps_head"; printf '['; ps_repeat t. $ps_deep; echo "t]"; } >"$work/header.toml"
ps_refused ps-header "$work/header.toml" 4:130
{ echo "$ps_head"; printf '[['; ps_repeat t. $ps_deep; echo "t]]"; } >"$work/aot.toml"
ps_refused ps-aot "$work/aot.toml" 4:131
# env.X is level 4 under [process.web]: the 62nd "[" is level 65, at column 8 + 62.
{ echo "$ps_head"; printf 'env.X = '; ps_repeat '[' $ps_deep; ps_repeat ']' $ps_deep; echo; } >"$work/arrays.toml"
ps_refused ps-arrays "$work/arrays.toml" 4:70
# env is level 3: the k-th "a" is level 3 + k, at column 9 + 6(k - 1); k = 62.
{ echo "$ps_head"; printf 'env = '; ps_repeat '{ a = ' $ps_deep; printf 1; ps_repeat ' }' $ps_deep; echo; } >"$work/inline.toml"
ps_refused ps-inline "$work/inline.toml" 4:375
# Mixed, across lines and comments: line 4 "env.X = [ # [[[", then lines
# "{ y = [ # [[[": on line L the "{" is level 2L - 5, so line 35 holds level 65.
{ echo "$ps_head"; echo 'env.X = [ # [[['; yes -- '{ y = [ # [[[' | head -n 60000; echo 1; } >"$work/mixed.toml"
ps_refused ps-mixed "$work/mixed.toml" 35:1
ok test "$(stat -c %s "$work/dotted.toml")" -gt 190000

## 2. Escape sequences on an echoed line: escaped, never raw, on either stream.
ps_no_control() {  # ps_no_control NAME: no ESC, BEL, C1 CSI or RLO in out or err
    local f
    for f in "$work/out" "$work/err"; do
        if LC_ALL=C grep -q -e "$ps_esc" -e "$ps_bel" -e "$ps_csi" -e "$ps_rlo" "$f"; then
            echo "FAIL $1: a raw control character in $(basename "$f"):"; cat -v "$f" | sed 's/^/    /' | head -5
            failed=$((failed + 1))
        else
            passed=$((passed + 1))
        fi
    done
}
# ESC and BEL in a comment: toml++ refuses them there, at the ESC, and the
# line it echoes would set the terminal's title and clear the screen.
printf '%s\ncount = 1 # \e]0;pwned\a\e[2J\e[H\n' "$ps_head" >"$work/esc-comment.toml"
t ps-esc-check 2 "$formation" -f "$work/esc-comment.toml" check
ps_no_control ps-esc-check
has ps-esc-check "$work/err" "esc-comment.toml:4:13: error"
has ps-esc-check "$work/err" '^    count = 1 # \\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\[H$'
has ps-esc-check "$work/err" '^                \^$'
t ps-esc-generate 2 "$formation" -f "$work/esc-comment.toml" generate -o "$work/units"
ps_no_control ps-esc-generate
# C1 CSI and the right-to-left override are valid in a comment: the line is
# echoed for the error in count, escaped, the caret under -1.
printf '%s\ncount = -1 # %s2J %sevil\n' "$ps_head" "$ps_csi" "$ps_rlo" >"$work/c1-comment.toml"
t ps-c1-check 2 "$formation" -f "$work/c1-comment.toml" check
ps_no_control ps-c1-check
has ps-c1-check "$work/err" "c1-comment.toml:4:9: error: count"
has ps-c1-check "$work/err" '^    count = -1 # \\u009b2J \\u202eevil$'
has ps-c1-check "$work/err" '^            \^$'
# Raw control characters inside a string: toml++ refuses them, the line is escaped.
printf '%s\ndescription = "\e[31mred\a"\n' "$ps_head" >"$work/esc-value.toml"
t ps-esc-value 2 "$formation" -f "$work/esc-value.toml" check
ps_no_control ps-esc-value
has ps-esc-value "$work/err" 'description = "\\x1b\[31mred\\x07"'
# apply refuses the file before anything else (no systemd needed to see it).
t ps-esc-apply 2 "$formation" -f "$work/esc-comment.toml" apply
ps_no_control ps-esc-apply
has ps-esc-apply "$work/err" "esc-comment.toml:4:13: error"
# Bidi controls in a key: escaped in the message and in the echoed line.
printf '%s\n"co%sunt" = 1\n' "$ps_head" "$ps_rlo" >"$work/bidi.toml"
t ps-bidi 2 "$formation" -f "$work/bidi.toml" check
ps_no_control ps-bidi

## 3. Invalid UTF-8 where the byte is (toml++ said the previous line's end,
## or one column early), through check.
ps_utf8() {  # ps_utf8 NAME LINE:COL PRINTF-FORMAT
    printf "$3" >"$work/$1.toml"
    t "$1" 2 "$formation" -f "$work/$1.toml" check
    has "$1" "$work/err" "^$work/$1.toml:$2: error: invalid TOML: not UTF-8"
    ps_no_control "$1"
}
ps_utf8 ps-utf8-line-start 4:1 'app = "shop"\n[process.web]\ncommand = "run"\n\xff = 1\n'
ps_utf8 ps-utf8-mid-line 3:14 'app = "shop"\n[process.web]\ncommand = "ru\xfe"\n'
ps_utf8 ps-utf8-after-multibyte 2:21 'app = "shop"\ndescription = "é ✓ 🎉\xe2\x82"\n'
ps_utf8 ps-utf8-after-crlf 3:1 'app = "shop"\r\n[process.web]\r\n\xc3\r\n'
