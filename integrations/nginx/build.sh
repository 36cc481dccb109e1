#!/usr/bin/env bash
# Builds ngx_http_resplint_module.so against Debian's nginx-dev (/usr/share/nginx/src) with
# Debian's configure flags, so that the stock nginx loads it with load_module.
# Usage: build.sh OUT_DIR RESPLINT_INC RESPLINT_LIB
#   OUT_DIR: where the nginx tree is configured and the module is written (OUT_DIR/ngx_http_resplint_module.so)
#   RESPLINT_INC: the folder holding resplint.h; RESPLINT_LIB: libresplint.a (with llhttp inside)
# Exit status 77 when nginx-dev is not installed.
set -euo pipefail

mkdir -p "$1"
out=$(cd "$1" && pwd)
RESPLINT_INC=$(cd "$2" && pwd)
RESPLINT_LIB=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
export RESPLINT_INC RESPLINT_LIB
here=$(cd "$(dirname "$0")" && pwd)
ngxsrc=${NGINX_DEV_SRC:-/usr/share/nginx/src}

if [ ! -x "$ngxsrc/configure" ] || [ ! -f "$ngxsrc/conf_flags" ]; then
  echo "build.sh: nginx-dev is not installed ($ngxsrc/configure missing)" >&2
  exit 77
fi

tree=$out/nginx-src
stamp=$out/configure.stamp
# Reconfigure (and so recompile) when the module's config, the library paths, the library's
# public headers (a struct layout the module was compiled against) or nginx-dev change.
want="$RESPLINT_INC $RESPLINT_LIB $(cksum <"$here/config") $(cksum <"$ngxsrc/conf_flags")"
want="$want $(find "$RESPLINT_INC" -name '*.h' -type f | sort | xargs cat | cksum)"
if [ ! -f "$tree/objs/Makefile" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$tree"
  cp -r "$ngxsrc" "$tree"
  # conf_flags defines NGX_CONF_FLAGS, the flags Debian's nginx was configured with.
  # shellcheck disable=SC1091
  . "$ngxsrc/conf_flags"
  (cd "$tree" && ./configure "${NGX_CONF_FLAGS[@]}" \
      --with-cc-opt="-g -O2 -fPIC -fstack-protector-strong -Wformat -Werror=format-security -D_FORTIFY_SOURCE=2" \
      --with-ld-opt="-Wl,-z,relro -Wl,-z,now -fPIC" \
      --add-dynamic-module="$here") >"$out/configure.log" 2>&1 || {
    tail -n 30 "$out/configure.log" >&2
    echo "build.sh: nginx configure failed (log: $out/configure.log)" >&2
    exit 1
  }
  echo "$want" >"$stamp"
fi
# Neither the library nor resplint.h is a make prerequisite of the module: recompile and
# relink every time (an object built against an older resplint_response reads a struct of
# another size, and the module then checks garbage).
rm -f "$tree/objs/ngx_http_resplint_module.so"
find "$tree/objs/addon" -name '*.o' -delete 2>/dev/null || true
make -C "$tree" -f objs/Makefile -j"${JOBS:-2}" modules >"$out/make.log" 2>&1 || {
  tail -n 40 "$out/make.log" >&2
  echo "build.sh: module build failed (log: $out/make.log)" >&2
  exit 1
}
cp "$tree/objs/ngx_http_resplint_module.so" "$out/ngx_http_resplint_module.so"
echo "$out/ngx_http_resplint_module.so"
