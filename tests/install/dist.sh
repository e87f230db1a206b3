#!/bin/bash
# The release tarball (`meson dist`): it holds exactly the committed files,
# and it configures, builds and passes its tests from the tarball alone, in a
# directory with no git checkout and no build of the source tree.
#
#   dist.sh SOURCE_ROOT BUILD_ROOT
#
# `meson dist` archives the git HEAD (committed files only: with a dirty tree
# this tests HEAD, and says so), so it needs a git checkout; in an unpacked
# tarball this test is skipped (exit 77). It runs `meson dist --no-tests` and
# then builds the tarball and runs its unit and cli suites itself, rather
# than letting meson dist run every suite: the integration suite boots
# containers (it has its own runs in tests/run-all) and the install suite
# makes a second full build (it runs on the checkout); building the tarball
# is what proves it complete. `meson dist` with its own tests works as well:
# its check build takes this build's options, so a build configured with
# -Dintegration=false skips the containers.
set -u
src=$1 build=$2/dist-test
if ! git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "SKIP: $src is not a git checkout, and meson dist archives git's HEAD"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
    echo "note: the tree has uncommitted changes; the tarball (and this test) is HEAD $(git -C "$src" rev-parse --short HEAD)"
fi
# meson dist needs a configured build directory, not a built one.
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$src" -Dintegration=false >"$work/setup" 2>&1 || { cat "$work/setup"; fail "meson setup"; exit 1; }
fi
rm -rf "$build/meson-dist"
if meson dist -C "$build" --no-tests --allow-dirty --formats xztar >"$work/dist" 2>&1; then pass; else
    sed 's/^/    /' "$work/dist" | tail -20; fail "meson dist"; exit 1; fi
tarballs=("$build"/meson-dist/*.tar.xz)
if [ ${#tarballs[@]} = 1 ] && [ -f "${tarballs[0]}" ]; then pass; else fail "meson dist made no single .tar.xz: ${tarballs[*]}"; exit 1; fi
tarball=${tarballs[0]}
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
top=formation-$version
if [ "$(basename "$tarball")" = "$top.tar.xz" ]; then pass; else fail "tarball is $(basename "$tarball"), wanted $top.tar.xz"; fi
if [ -f "$tarball.sha256sum" ] && (cd "$(dirname "$tarball")" && sha256sum -c --quiet "$(basename "$tarball").sha256sum"); then pass; else
    fail "no valid $tarball.sha256sum"; fi

# Exactly the committed files, under one top directory.
# Names as bytes on both sides: git and tar would quote a "\" differently
# (golden trees hold my\x2dshop.slice).
git -C "$src" ls-tree -r -z --name-only HEAD | tr '\0' '\n' | LC_ALL=C sort >"$work/committed"
tar --quoting-style=literal -tJf "$tarball" | grep -v '/$' | LC_ALL=C sort >"$work/listed"
if sed "s|^|$top/|" "$work/committed" | diff -u - "$work/listed" >"$work/diff"; then pass; else
    fail "the tarball is not exactly HEAD's files:"; head -40 "$work/diff" | sed 's/^/    /'; fi

# Build and test it with nothing else at hand.
tar -xJf "$tarball" -C "$work" || { fail "tar -x"; exit 1; }
if [ -e "$work/$top/.git" ]; then fail "the tarball holds .git"; else pass; fi
cd "$work" || exit 1
if meson setup "$work/build" "$work/$top" -Dintegration=false -Dman=enabled >"$work/setup" 2>&1; then pass; else
    sed 's/^/    /' "$work/setup" | tail -20; fail "meson setup from the tarball"; exit 1; fi
if ninja -C "$work/build" >"$work/ninja" 2>&1; then pass; else
    grep -E 'error|FAILED' "$work/ninja" | head -20; fail "ninja from the tarball"; exit 1; fi
if meson test -C "$work/build" --suite unit --suite cli --print-errorlogs >"$work/test" 2>&1; then pass; else
    tail -40 "$work/test"; fail "meson test --suite unit --suite cli from the tarball"; fi
grep -E '^(Ok|Fail|Skipped|Timeout):' "$work/test" | tr '\n' ' '; echo
if grep -qE '^Ok: +[1-9]' "$work/test" && grep -qE '^Fail: +0' "$work/test"; then pass; else fail "no passing test from the tarball"; fi

echo "dist: $passed passed, $failed failed"
[ "$failed" = 0 ]
