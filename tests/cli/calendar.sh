#!/bin/bash
# formation reads OnCalendar= expressions with its own port of systemd 252's
# parser (src/formation/calendar_252.cpp): for each expression of the cases
# file, `formation calendar-check` must agree with `systemd-analyze calendar`
# on valid or not and, when valid, on the normalized form. Once in the
# host's time zone, once in Europe/Berlin (its CET and CEST are then local
# zone names), when that zone is installed.
#   calendar.sh FORMATION CASES [SYSTEMD-ANALYZE]
set -u
formation=$1 cases=$2 analyze=${3:-systemd-analyze}
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# systemd's verdict on one expression: "ok<TAB>NORMALIZED" or "error".
systemd_verdict() {
    local out normalized
    out=$(SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat "$analyze" calendar -- "$1" 2>&1)
    normalized=$(printf '%s\n' "$out" | sed -n 's/^ *Normalized form: //p')
    if [ -n "$normalized" ]; then
        printf 'ok\t%s' "$normalized"
    elif printf '%s\n' "$out" | grep -q '^Failed to parse calendar specification'; then
        printf 'error'
    else
        printf 'unexpected output: %s' "$out"
    fi
}

# systemd's verdicts on all of them in one run, in $wanted: its tables,
# one per valid expression, are separated by blank lines, and a refused one
# leaves an empty part and a "Failed to parse" line on stderr. $wanted is
# left empty when the output does not split that way (an expression with
# a blank line in it, a failure of another kind): each is then asked alone.
systemd_verdicts() {
    local part=0 valid=0 refused line
    wanted=()
    SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat "$analyze" calendar -- "${exprs[@]}" >"$work/sa.out" 2>"$work/sa.err"
    for i in "${!exprs[@]}"; do wanted[i]=error; done
    while IFS= read -r line; do
        if [ -z "$line" ]; then
            part=$((part + 1))
        elif [[ "$line" =~ ^\ *Normalized\ form:\ (.*)$ ]]; then
            wanted[part]="ok"$'\t'"${BASH_REMATCH[1]}"
            valid=$((valid + 1))
        fi
    done <"$work/sa.out"
    refused=$(grep -c "^Failed to parse calendar specification '" "$work/sa.err")
    if [ $((part + 1)) != "${#exprs[@]}" ] || [ $((valid + refused)) != "${#exprs[@]}" ]; then
        echo "($1: systemd-analyze's output does not split into one part per expression; asking one at a time)"
        wanted=()
        for i in "${!exprs[@]}"; do wanted[i]=$(systemd_verdict "${exprs[i]}"); done
    fi
}

# formation's verdicts on all of them at once, in $verdicts: the same, its
# reason left out.
formation_verdicts() {
    local rc=0 line
    verdicts=()
    "$formation" calendar-check -- "${exprs[@]}" >"$work/stdout" 2>"$work/stderr" || rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "exit $rc" >>"$work/stderr"; return; }
    while IFS= read -r line; do
        case "$line" in ok$'\t'*) verdicts+=("$line") ;; error$'\t'*) verdicts+=(error) ;; *) verdicts+=("unexpected: $line") ;; esac
    done <"$work/stdout"
}

exprs=()
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    if [ "$line" = '<empty>' ]; then exprs+=(''); else expr=$(printf '%b_' "$line"); exprs+=("${expr%_}"); fi
done <"$cases"

zones=(host)
[ -f /usr/share/zoneinfo/Europe/Berlin ] && zones+=(Europe/Berlin)
for zone in "${zones[@]}"; do
    if [ "$zone" = host ]; then unset TZ; else export TZ=$zone; fi
    systemd_verdicts "$zone"
    formation_verdicts
    if [ "${#verdicts[@]}" != "${#exprs[@]}" ]; then
        echo "FAIL ($zone) formation calendar-check gave ${#verdicts[@]} lines for ${#exprs[@]} expressions:"
        sed 's/^/    /' "$work/stderr"
        failed=$((failed + 1))
        continue
    fi
    for i in "${!exprs[@]}"; do
        if [ "${wanted[i]}" = "${verdicts[i]}" ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            printf 'FAIL (%s) [%q]\n    systemd-analyze: %s\n    formation:       %s\n' "$zone" "${exprs[i]}" "${wanted[i]}" "${verdicts[i]}"
            "$formation" calendar-check -- "${exprs[i]}" | sed 's/^/    formation says:  /'
        fi
    done
done

echo "calendar: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
