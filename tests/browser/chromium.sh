# Sourced by tests that open pages in a browser: installs playwright-core (once, under a
# lock) from the npm registry into npm-browser/ beside the binary in the build tree, never
# into the repository, and drives Debian's /usr/bin/chromium with it (no browser download).
# Usage: browser_setup BINARY SOURCE_DIR TMPDIR, then browser_render OUT_DIR FILE... [options
# of tests/browser/render.js]. browser_setup returns 77 (ctest SKIP_RETURN_CODE) after saying
# why when chromium or node is missing, and 1 when npm cannot install playwright-core.
browser_setup() {
    local bin=$1 tmpd=$3
    browser_src=$2
    browser_tools=$(cd "$(dirname "$bin")" && pwd)/npm-browser
    command -v node >/dev/null || { echo "SKIP: node not found (Debian nodejs; scripts/bootstrap)"; return 77; }
    [ -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
        { echo "SKIP: ${CHROMIUM:-/usr/bin/chromium} not found (Debian chromium; scripts/bootstrap)"; return 77; }
    mkdir -p "$browser_tools"
    (
        flock 9
        if [ ! -d "$browser_tools/node_modules/playwright-core" ]; then
            command -v npm >/dev/null || { echo "FAIL: npm not found (Debian npm), cannot install playwright-core"; exit 1; }
            echo "installing playwright-core into $browser_tools"
            if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 npm install --prefix "$browser_tools" \
                --no-audit --no-fund --loglevel=error playwright-core@1 >"$tmpd/npm.log" 2>&1; then
                echo "FAIL: npm install of playwright-core failed (is the npm registry reachable?):"
                tail -20 "$tmpd/npm.log"
                exit 1
            fi
        fi
    ) 9>"$browser_tools/.install.lock" || return 1
}

browser_render() {
    NODE_PATH=$browser_tools/node_modules timeout 300 node "$browser_src/tests/browser/render.js" "$@"
}
