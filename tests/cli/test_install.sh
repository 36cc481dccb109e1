#!/usr/bin/env bash
# Installs the build into a prefix under the build dir, checks what is installed (libraries,
# SONAMEs, exported symbols, headers, CMake package, pkg-config files, rule pages), then builds
# examples/lint_structured.c against the installed tree with CMake and with pkg-config and runs it.
# Usage: test_install.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -euo pipefail

bin=$(readlink -f "$1")
src=$(readlink -f "$2")
build=$(dirname "$bin")
work=$build/test-install
prefix=$work/prefix
rm -rf "$work"
mkdir -p "$work"
log=$work/log.txt

# A sanitizer build installs instrumented libraries: their consumers need the same flags.
san=
if grep -qx 'RESPLINT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  san="-fsanitize=address,undefined"
fi

if grep -qx 'RESPLINT_INSTALL:BOOL=OFF' "$build/CMakeCache.txt" 2>/dev/null; then
  . "$src/tests/cli/skip.sh"
  skip "test_install: RESPLINT_INSTALL=OFF"
fi

fail() { echo "test_install: FAIL: $*" >&2; exit 1; }
run() { timeout 120 "$@" >>"$log" 2>&1 || { tail -c 4000 "$log" >&2; fail "$*"; }; }

run cmake --install "$build" --prefix "$prefix"

so_link=$(find "$prefix" -name libresplint.so -print -quit)
[ -n "$so_link" ] || fail "libresplint.so not installed"
libdir=$(dirname "$so_link")
version=$(sed -n 's/^#define RESPLINT_VERSION_STRING "\(.*\)"/\1/p' "$src/lib/include/resplint.h")
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then soversion=0.$minor; else soversion=$major; fi

for f in bin/resplint include/resplint.h include/resplint/capture.h include/resplint/report.h; do
  [ -f "$prefix/$f" ] || fail "$f not installed"
done
for lib in resplint resplint-capture resplint-report; do
  [ -f "$libdir/lib$lib.a" ] || fail "lib$lib.a not installed"
  so=$libdir/lib$lib.so.$version
  [ -f "$so" ] || fail "lib$lib.so.$version not installed"
  [ -L "$libdir/lib$lib.so.$soversion" ] || fail "lib$lib.so.$soversion link missing"
  [ -L "$libdir/lib$lib.so" ] || fail "lib$lib.so link missing"
  soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
  [ "$soname" = "lib$lib.so.$soversion" ] || fail "SONAME of lib$lib is '$soname'"
  # Only the public API is exported: every defined dynamic symbol starts with resplint_.
  nm -D --defined-only "$so" | awk '{print $NF}' >"$work/syms-$lib.txt"
  [ -s "$work/syms-$lib.txt" ] || fail "lib$lib exports nothing"
  if grep -v '^resplint_' "$work/syms-$lib.txt" >"$work/bad-$lib.txt"; then
    head -20 "$work/bad-$lib.txt" >&2
    fail "lib$lib.so exports symbols outside resplint_*"
  fi
  ! readelf -d "$so" | grep -qi llhttp || fail "lib$lib.so needs an llhttp library"
  # the libraries inputs need are loaded when one does (lib/core/lazylib.h), never linked
  if readelf -d "$so" | grep NEEDED | grep -E '\[lib(z|yajl|pcap|crypto|yaml|nghttp2|brotli|zstd)'; then
    fail "lib$lib.so links a library that is loaded when an input needs it"
  fi
done
grep -qx resplint_check_response "$work/syms-resplint.txt" || fail "resplint_check_response not exported"
! nm -D --undefined-only "$libdir/libresplint.so" | grep -q llhttp || fail "libresplint.so has undefined llhttp symbols"

# Rule pages, and every page of the source tree.
for page in "$src"/rules/docs/RL*.md; do
  [ -f "$prefix/share/doc/resplint/rules/$(basename "$page")" ] || fail "rule page $(basename "$page") not installed"
done
# the generated man page, and that man can read it
[ -s "$prefix/share/man/man1/resplint.1" ] || fail "man page resplint.1 not installed"
grep -q '^\.TH RESPLINT' "$prefix/share/man/man1/resplint.1" || fail "resplint.1 installed is not the man page"
for man in "$src"/man/*.1 "$src"/docs/*.1 "$src"/doc/*.1; do
  [ -f "$man" ] || continue
  [ -f "$prefix/share/man/man1/$(basename "$man")" ] || fail "man page $(basename "$man") not installed"
done

# The package and the pkg-config files do not require llhttp.
cmakedir=$libdir/cmake/resplint
for f in resplintConfig.cmake resplintConfigVersion.cmake resplintTargets.cmake; do
  [ -f "$cmakedir/$f" ] || fail "$f not installed"
done
! grep -qi llhttp "$cmakedir"/*.cmake "$libdir"/pkgconfig/*.pc || fail "installed package mentions llhttp"

# Version file: same minor while the major is 0.
cat >"$work/version_check.cmake" <<'CM'
string(REPLACE "." ";" _parts "${PACKAGE_FIND_VERSION}")
list(GET _parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(GET _parts 1 PACKAGE_FIND_VERSION_MINOR)
list(GET _parts 2 PACKAGE_FIND_VERSION_PATCH)
set(PACKAGE_FIND_VERSION_COUNT 3)
include(${F})
message("compatible=${PACKAGE_VERSION_COMPATIBLE}")
CM
check_version() {
  cmake -DPACKAGE_FIND_VERSION="$1" -DF="$cmakedir/resplintConfigVersion.cmake" -P "$work/version_check.cmake" 2>&1
}
check_version "$version" | grep -q 'compatible=TRUE' || fail "version file rejects $version"
check_version "$major.$((minor + 1)).0" | grep -q 'compatible=FALSE' || fail "version file accepts a newer minor"

expect_output() {
  local out=$1
  grep -q '^301-without-location: RL2001 error' "$out" || fail "example: no RL2001 in $out"
  grep -q '^204-with-length: RL2011 error' "$out" || fail "example: no RL2011 in $out"
  ! grep -q '^200-ok:' "$out" || fail "example: a finding on the good response"
  grep -q "^resplint $version\$" "$out" || fail "example: wrong version line"
}

# CMake consumer: shared (default) and static.
for kind in shared static; do
  static=OFF
  [ "$kind" = static ] && static=ON
  run cmake -S "$src/examples" -B "$work/cmake-$kind" -DCMAKE_PREFIX_PATH="$prefix" \
    -DRESPLINT_EXAMPLE_STATIC=$static -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$san"
  run cmake --build "$work/cmake-$kind"
  timeout 10 "$work/cmake-$kind/lint_structured" >"$work/out-cmake-$kind.txt" 2>&1 || fail "cmake $kind example failed"
  expect_output "$work/out-cmake-$kind.txt"
done
if readelf -d "$work/cmake-static/lint_structured" | grep -q 'libresplint'; then
  fail "the static example needs a shared libresplint"
fi

# pkg-config consumer, against the shared libraries.
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${CC:-cc}
# shellcheck disable=SC2046
# shellcheck disable=SC2086
run "$cc" $san -std=c11 -Wall -Werror -o "$work/lint_structured-pc" "$src/examples/lint_structured.c" \
  $(pkg-config --cflags --libs resplint)
LD_LIBRARY_PATH=$libdir timeout 10 "$work/lint_structured-pc" >"$work/out-pc.txt" 2>&1 || fail "pkg-config example failed"
expect_output "$work/out-pc.txt"
readelf -d "$work/lint_structured-pc" | grep -q "libresplint.so.$soversion" || fail "pkg-config example not linked to the shared library"

# The capture and report libraries resolve through their .pc files too.
cat >"$work/report_probe.c" <<'C'
#include <resplint/report.h>
#include <string.h>
int main(void) { return strcmp(resplint_input_kind_name(RESPLINT_INPUT_RAW), "raw") != 0; }
C
# shellcheck disable=SC2046
# shellcheck disable=SC2086
run "$cc" $san -std=c11 -o "$work/report_probe" "$work/report_probe.c" $(pkg-config --cflags --libs resplint-report)
LD_LIBRARY_PATH=$libdir timeout 10 "$work/report_probe" || fail "report probe failed"

timeout 10 "$prefix/bin/resplint" --version >"$work/version.txt" 2>&1 || fail "installed resplint --version failed"
grep -q "$version" "$work/version.txt" || fail "installed resplint reports another version"
echo "test_install: ok ($prefix)"
