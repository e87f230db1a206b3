#!/bin/bash
# The man pages cannot drift from the code where that can be checked
# mechanically:
#   - every verb `formation --help` lists has a "## VERB" section in
#     formation(1), and every "## VERB" section there is a verb;
#   - every long option `formation --help` and `formation VERB --help` print
#     is in formation(1): a verb's own in its "## VERB" section or a
#     "# VERB" section of its own (or, when it is also a global option, in
#     GLOBAL OPTIONS), a global one in GLOBAL OPTIONS; and
#     every long option formation(1) mentions is one of them;
#   - every option formation-generator parses is in formation-generator(8);
#   - every environment variable src/ reads (getenv("NAME"), env("NAME")) is
#     in the ENVIRONMENT section of one of the pages;
#   - formation-generator(8) exists, is registered in man/meson.build as
#     section 8, and is built; every page passes scdoc.
#
#   man.sh FORMATION SOURCE_ROOT
set -u
formation=$1 root=$2
man=$root/man
page1=$man/formation.1.scd page5=$man/formation.toml.5.scd page8=$man/formation-generator.8.scd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# scdoc source → plain words: "\_" → "_", no bold/underline marks.
plain() { sed 's/\\_/_/g; s/[*]//g' "$@"; }

# Lines of one section of a page: from the heading matching $2 (an ERE for
# the whole heading line) to the next heading of the same or a higher level.
section() {  # section FILE HEADING_ERE
    awk -v re="$2" '
        function level(l) { match(l, /^#+/); return RLENGTH }
        /^#+ / { if (inside && level($0) <= lvl) inside = 0 }
        !inside && $0 ~ re { inside = 1; lvl = level($0); next }
        inside { print }' "$1"
}

# Long options in `--help` output: the --name of each "  -x,--name ..." line.
help_options() { sed -n '/^Options:/,/^[A-Z][a-z]*:/p' | grep -oE '(^|[ ,])--[a-z][a-z0-9-]*' | sed 's/^[ ,]//' | sort -u; }

# A long option as a whole word in text (not the start of a longer option).
mentions() {  # mentions OPTION FILE...
    local opt=$1; shift
    plain "$@" | grep -qE -- "(^|[^a-z0-9-])$opt([^a-z0-9-]|\$)"
}

for f in "$page1" "$page5" "$page8"; do
    if [ ! -f "$f" ]; then fail "page: $f does not exist"; continue; fi
    pass
done

# --- verbs -----------------------------------------------------------------
if ! "$formation" --help >"$work/help" 2>&1; then fail "verbs: $formation --help failed"; fi
sed -n '/^Subcommands:/,$p' "$work/help" | sed 1d | awk 'NF { print $1 }' >"$work/verbs"
[ -s "$work/verbs" ] || fail "verbs: no subcommand in $formation --help"
while read -r verb; do
    if grep -qE "^## $verb( |\$)" "$page1"; then pass; else fail "verb: $verb is in formation --help but formation(1) has no \"## $verb\" section"; fi
done <"$work/verbs"
section "$page1" '^# COMMANDS$' | sed -n 's/^## \([a-z][a-z-]*\).*/\1/p' >"$work/sections"
while read -r s; do
    if grep -qx -- "$s" "$work/verbs"; then pass; else fail "verb: formation(1) documents \"## $s\", which formation --help does not list"; fi
done <"$work/sections"

# --- options -----------------------------------------------------------------
help_options <"$work/help" >"$work/global-options"
section "$page1" '^# GLOBAL OPTIONS$' >"$work/global-section"
while read -r opt; do
    if mentions "$opt" "$work/global-section"; then pass; else fail "option: global $opt is not in formation(1) GLOBAL OPTIONS"; fi
done <"$work/global-options"
cp "$work/global-options" "$work/all-options"
while read -r verb; do
    if ! "$formation" "$verb" --help >"$work/verb-help" 2>&1; then fail "option: $formation $verb --help failed"; continue; fi
    # Its "## VERB" section, and a "# VERB" section of its own if it has one.
    { section "$page1" "^## $verb( |\$)"; section "$page1" "^# $(tr a-z- A-Z' ' <<<"$verb")\$"; } >"$work/verb-section"
    help_options <"$work/verb-help" >"$work/verb-options"
    cat "$work/verb-options" >>"$work/all-options"
    while read -r opt; do
        if mentions "$opt" "$work/verb-section"; then pass
        elif grep -qx -- "$opt" "$work/global-options" && mentions "$opt" "$work/global-section"; then pass
        else fail "option: $verb $opt is in formation $verb --help but not in formation(1) \"## $verb\""; fi
    done <"$work/verb-options"
done <"$work/verbs"
# The other way: no option formation(1) mentions is gone from the code.
# Other programs' options the page quotes are not formation's: systemctl's
# --now; uvicorn's --fd, --host and --port (IMPORT's socket hints).
plain "$page1" | grep -oE -- '(^|[^a-z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' |
    grep -vxE -- '--(now|fd|host|port)' | sort -u >"$work/mentioned"
while read -r opt; do
    if grep -qx -- "$opt" "$work/all-options"; then pass; else fail "option: formation(1) mentions $opt, which no --help prints"; fi
done <"$work/mentioned"

# --- the generator's options ------------------------------------------------
grep -ohE 'arg == "--[a-z][a-z0-9-]*"' "$root/src/generator/main.cpp" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$work/gen-options"
[ -s "$work/gen-options" ] || fail "generator: no option found in src/generator/main.cpp"
while read -r opt; do
    if mentions "$opt" "$page8"; then pass; else fail "generator: $opt is parsed by formation-generator but not in formation-generator(8)"; fi
done <"$work/gen-options"

# --- environment --------------------------------------------------------------
# getenv("A"), getenv(x ? "A" : "B"), and paths.cpp's env("A") helper.
grep -rhoE --include='*.cpp' --include='*.hpp' '(getenv|[^a-z_]env)\([^;{]*' "$root/src" |
    grep -oE '"[A-Z][A-Z0-9_]*"' | tr -d '"' | sort -u >"$work/env"
[ -s "$work/env" ] || fail "environment: no getenv(\"...\") found in $root/src"
for f in "$page1" "$page5" "$page8"; do [ -f "$f" ] && section "$f" '^# ENVIRONMENT$'; done | plain >"$work/env-sections"
while read -r var; do
    if grep -qw -- "$var" "$work/env-sections"; then pass; else fail "environment: src/ reads \$$var, which no page's ENVIRONMENT section documents"; fi
done <"$work/env"

# --- formation-generator(8) is registered and built ------------------------
if grep -qE "\[ *'formation-generator' *, *'8' *\]" "$man/meson.build"; then pass; else fail "build: man/meson.build does not build formation-generator.8"; fi
build=$(dirname "$formation")
if [ -f "$build/man/formation.1" ]; then
    # This build makes man pages: the generator's must be among them.
    for p in formation.1 formation.toml.5 formation-generator.8; do
        if [ -s "$build/man/$p" ]; then pass; else fail "build: $build/man/$p was not built"; fi
    done
else
    echo "note: $build/man has no built pages (no scdoc?); only man/meson.build was checked"
fi
if command -v scdoc >/dev/null; then
    for f in "$page1" "$page5" "$page8"; do
        [ -f "$f" ] || continue
        if scdoc <"$f" >/dev/null 2>"$work/scdoc"; then pass; else fail "scdoc: $(basename "$f"): $(cat "$work/scdoc")"; fi
    done
fi

echo "man: $passed passed, $failed failed"
[ "$failed" = 0 ]
