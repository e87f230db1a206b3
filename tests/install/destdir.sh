#!/bin/bash
# `meson install` with a prefix that is not the default, into a DESTDIR:
# the whole installed tree, exactly (every path, its type and mode, the
# user generator's link), the man pages render, the installed programs know
# their prefix, and the shell completions complete from where they are
# installed (bash, zsh, fish: verbs, options, app names, type names).
#
#   destdir.sh SOURCE_ROOT BUILD_ROOT
# Builds in BUILD_ROOT/install-test (kept between runs, so a rerun only
# rebuilds what changed).
set -u
shopt -s lastpipe   # `cmd | expect …` counts in this shell, not in a subshell
src=$1 build=$2/install-test
prefix=/opt/formation-test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$src/tests/cli/lib.sh"    # t, has, hasnt, ok
umask 022

same() {  # same NAME EXPECTED-FILE ACTUAL-FILE
    if diff -u "$2" "$3" >"$work/diff"; then passed=$((passed+1)); else
        echo "FAIL $1:"; sed 's/^/    /' "$work/diff" | head -40; failed=$((failed+1)); fi
}

# --- build and install -------------------------------------------------------
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$src" --prefix "$prefix" -Dtests=false -Dman=enabled >"$work/setup" 2>&1 ||
        { cat "$work/setup"; echo "FAIL meson setup"; exit 1; }
fi
root=$work/root
if ! DESTDIR=$root meson install -C "$build" >"$work/install" 2>&1; then
    tail -30 "$work/install"; echo "FAIL meson install"; exit 1
fi

# --- the tree, exactly --------------------------------------------------------
p=${prefix#/}
# PATH TYPE MODE [-> LINK TARGET]. The zsh directory: Debian's
# vendor-completions only for prefix /usr.
cat >"$work/expected" <<EOF
opt d 755
$p d 755
$p/bin d 755
$p/bin/formation f 755
$p/lib d 755
$p/lib/systemd d 755
$p/lib/systemd/system d 755
$p/lib/systemd/system/formation-metrics.socket f 644
$p/lib/systemd/system/formation-metrics@.service f 644
$p/lib/systemd/system-generators d 755
$p/lib/systemd/system-generators/formation-generator f 755
$p/lib/systemd/user-generators d 755
$p/lib/systemd/user-generators/formation-user-generator l 777 -> $prefix/lib/systemd/system-generators/formation-generator
$p/share d 755
$p/share/bash-completion d 755
$p/share/bash-completion/completions d 755
$p/share/bash-completion/completions/formation f 644
$p/share/doc d 755
$p/share/doc/formation d 755
$p/share/doc/formation/examples d 755
$p/share/doc/formation/examples/formation.toml f 644
$p/share/fish d 755
$p/share/fish/vendor_completions.d d 755
$p/share/fish/vendor_completions.d/formation.fish f 644
$p/share/man d 755
$p/share/man/man1 d 755
$p/share/man/man1/formation.1 f 644
$p/share/man/man5 d 755
$p/share/man/man5/formation.toml.5 f 644
$p/share/man/man8 d 755
$p/share/man/man8/formation-generator.8 f 644
$p/share/man/man8/formation-user-generator.8 l 777 -> formation-generator.8
$p/share/zsh d 755
$p/share/zsh/site-functions d 755
$p/share/zsh/site-functions/_formation f 644
EOF
(cd "$root" && find . -mindepth 1 -printf '%P %y %m -> %l\n' | sed 's/ -> $//' | LC_ALL=C sort) >"$work/actual"
LC_ALL=C sort -o "$work/expected" "$work/expected"
same tree "$work/expected" "$work/actual"

bin=$root$prefix/bin
gen=$root$prefix/lib/systemd/system-generators/formation-generator
# The link resolves to the system generator once DESTDIR is the root.
ok test -x "$root$(readlink "$root$prefix/lib/systemd/user-generators/formation-user-generator")"
ok cmp -s "$src/data/example/formation.toml" "$root$prefix/share/doc/formation/examples/formation.toml"

# --- the programs know their prefix ------------------------------------------
t version 0 "$bin/formation" --version
has version "$work/out" "^formation [0-9]"
# The units name the installed binary as their ready = "port" helper.
mkdir -p "$work/etc"
printf 'app = "shop"\n[process.web]\ncommand = "run"\nport = 5000\nready = "port"\n' >"$work/etc/shop.toml"
t generator-helper 0 env FORMATION_CONFIG_DIRS="$work/etc" FORMATION_HELPER= "$gen" --dry-run
has generator-helper "$work/out" "ExecStartPost=\"$prefix/bin/formation\" \"wait-ready\""
# An ops tree is for hosts that may not have formation: the shell's check,
# no formation path, unless --helper names one.
t generate-plain 0 env FORMATION_CONFIG_DIRS="$work/etc" FORMATION_HELPER= "$bin/formation" -f "$work/etc/shop.toml" generate -o "$work/units"
has generate-plain "$work/units/shop-web@.service" '^ExecStartPost="/bin/sh" "-c" '
hasnt generate-plain "$work/units/shop-web@.service" "formation\" \"wait-ready"
t generate-helper 0 "$bin/formation" -f "$work/etc/shop.toml" generate -o "$work/units-helper" --helper /usr/bin/formation
has generate-helper "$work/units-helper/shop-web@.service" '^ExecStartPost="/usr/bin/formation" "wait-ready"'

# The metrics service runs the installed binary; both units pass systemd's checks.
has metrics-unit "$root$prefix/lib/systemd/system/formation-metrics@.service" "^ExecStart=$prefix/bin/formation metrics --http\$"
has metrics-socket "$root$prefix/lib/systemd/system/formation-metrics.socket" "^ListenStream=127.0.0.1:9469\$"
if command -v systemd-analyze >/dev/null; then
    # systemd-analyze's --root does not search PREFIX/lib/systemd/system, so
    # the two units are checked from a copy whose ExecStart names the binary
    # in DESTDIR (verify fails when that is not executable); --man=no: the
    # pages are not installed on this machine.
    mkdir -p "$work/verify"
    for unit in formation-metrics.socket formation-metrics@.service; do
        sed "s|^ExecStart=$prefix/|ExecStart=$root$prefix/|" "$root$prefix/lib/systemd/system/$unit" >"$work/verify/$unit"
    done
    t metrics-verify 0 systemd-analyze verify --man=no "$work/verify/formation-metrics.socket" "$work/verify/formation-metrics@.service"
fi

# --- man pages render -----------------------------------------------------------
for page in man1/formation.1 man5/formation.toml.5 man8/formation-generator.8 man8/formation-user-generator.8; do
    file=$root$prefix/share/man/$page
    t "man $page" 0 env MANWIDTH=80 man --warnings -l "$file"
    has "man $page" "$work/out" "^NAME"
    ok test ! -s "$work/err"          # no groff warning
done
MANWIDTH=80 man -l "$root$prefix/share/man/man1/formation.1" >"$work/man1" 2>/dev/null
has "man formation.1 shell completion" "$work/man1" "SHELL COMPLETION"

# --- completions ------------------------------------------------------------------
# Two installed apps, in two directories of the search path.
mkdir -p "$work/apps/a" "$work/apps/b"
printf 'app = "shop"\n[process.web]\ncommand = "w"\ncount = 3\n[process.worker]\ncommand = "k"\n' >"$work/apps/a/shop.toml"
printf 'app = "blog"\n[process.web]\ncommand = "w"\n' >"$work/apps/b/blog.toml"
export FORMATION_CONFIG_DIRS=$work/apps/a:$work/apps/b
export PATH=$bin:$PATH
export XDG_DATA_DIRS=$root$prefix/share HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$HOME"
cd "$work" || exit 1   # no formation.toml here: types come from -a only

expect() {  # expect NAME EXPECTED-WORDS... < actual words, one a line
    local name=$1; shift
    printf '%s\n' "$@" >"$work/want"
    LC_ALL=C sort >"$work/got"
    same "$name" "$work/want" "$work/got"
}

# bash, plain: the file sourced, the function called as bash would.
bash_complete() {  # bash_complete [--bash-completion] WORD... (the last is the one completed)
    local loader=
    if [ "$1" = --bash-completion ]; then loader=1; shift; fi
    # shellcheck disable=SC2016
    bash --norc --noprofile -c '
        if [ -n "$1" ]; then
            source /usr/share/bash-completion/bash_completion
            _completion_loader formation   # finds ours through $XDG_DATA_DIRS
        else
            source "$2"
        fi
        shift 2
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _formation formation "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$loader" "$root$prefix/share/bash-completion/completions/formation" "$@"
}
bash_complete formation sc | expect "bash: formation sc" scale
bash_complete formation -a "" | expect "bash: formation -a" blog shop
bash_complete formation -a shop scale "" | expect "bash: formation -a shop scale" web= worker=
bash_complete formation -a shop logs web. | expect "bash: formation -a shop logs web." web.1 web.2 web.3
bash_complete formation -a blog restart "" | expect "bash: formation -a blog restart" web
bash_complete formation status --j | expect "bash: formation status --j" --json
bash_complete formation --us | expect "bash: formation --us" --user
if [ -f /usr/share/bash-completion/bash_completion ]; then
    bash_complete --bash-completion formation sc | expect "bash-completion: formation sc" scale
    bash_complete --bash-completion formation -a "" | expect "bash-completion: formation -a" blog shop
    bash_complete --bash-completion formation -a shop scale w | expect "bash-completion: formation -a shop scale w" web= worker=
    bash_complete --bash-completion formation -a shop stop "" | expect "bash-completion: formation -a shop stop" web worker
else
    echo "FAIL bash-completion is not installed (tests/setup-deps installs it)"; failed=$((failed+1))
fi

# fish: found through $XDG_DATA_DIRS/fish/vendor_completions.d.
if command -v fish >/dev/null; then
    fish_complete() { fish -c "complete -C '$1'" | cut -f1; }
    fish_complete "formation sc" | expect "fish: formation sc" scale
    fish_complete "formation -a " | expect "fish: formation -a" blog shop
    fish_complete "formation -a shop scale " | expect "fish: formation -a shop scale" web= worker=
    fish_complete "formation -a shop start w" | expect "fish: formation -a shop start w" web worker
    fish_complete "formation list --" | expect "fish: formation list --" --app --file --help --host --json --parallel-hosts --quiet --user
else
    echo "FAIL fish is not installed (tests/setup-deps installs it)"; failed=$((failed+1))
fi

# zsh: the syntax, then real completion in an interactive zsh on a pty
# (zsh/zpty), with compinit and our directory first in $fpath.
if command -v zsh >/dev/null; then
    zcomp=$root$prefix/share/zsh/site-functions
    ok zsh -n "$zcomp/_formation"
    zsh_complete() {  # zsh_complete LINE [TABS]: what the terminal shows after LINE<TAB>…
        # shellcheck disable=SC2016
        timeout 20 zsh -f -c '
            zmodload zsh/zpty
            zpty z zsh -f -i
            zpty -w z "PS1=\"> \"; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; print READY-\$((6*7))"
            zpty -r -m z out "*READY-42*"
            zpty -n -w z "$2$3"
            sleep 1
            all=
            while zpty -r -t z chunk; do all+=$chunk; done
            zpty -d z
            print -r -- "$all"' zsh "$zcomp" "$1" "${2:-$'\t'}" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tr -d '\r'
    }
    zsh_complete "formation sc" >"$work/z1"
    has "zsh: formation sc" "$work/z1" "formation scale"
    zsh_complete "formation -a " >"$work/z2"
    has "zsh: formation -a (blog)" "$work/z2" "blog"
    has "zsh: formation -a (shop)" "$work/z2" "shop"
    zsh_complete "formation -a shop scale " $'\t\t' >"$work/z3"   # the second TAB lists
    has "zsh: formation -a shop scale (web=)" "$work/z3" "web="
    has "zsh: formation -a shop scale (worker=)" "$work/z3" "worker="
    zsh_complete "formation -a shop scale wo" >"$work/z4"
    has "zsh: formation -a shop scale wo (no space)" "$work/z4" "formation -a shop scale worker=\$"
else
    echo "FAIL zsh is not installed (tests/setup-deps installs it)"; failed=$((failed+1))
fi

echo "install: $passed passed, $failed failed"
[ "$failed" = 0 ]
