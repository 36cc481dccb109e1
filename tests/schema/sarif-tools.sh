# Sourced by the CLI tests that validate SARIF: installs (once, under a lock, into npm-tools/
# beside the binary in the build tree, never into the repository) ajv, ajv-formats and
# @microsoft/sarif-multitool (which ships the SARIF 2.1.0 schema), then sets $tools and $schema
# and defines sarif_validate FILE... Usage: sarif_tools_setup BINARY SOURCE_DIR TMPDIR; returns
# non-zero after saying why when the tools cannot be installed (the caller fails: a SARIF test
# never passes without validating).
sarif_tools_setup() {
    local bin=$1 tmpd=$3
    sarif_src=$2
    tools=$(cd "$(dirname "$bin")" && pwd)/npm-tools
    command -v node >/dev/null || { echo "FAIL: node not found (Debian nodejs)"; return 1; }
    mkdir -p "$tools"
    (
        flock 9
        schema=$(find "$tools/node_modules/@microsoft" -name 'sarif-2.1.0.json' 2>/dev/null | head -1)
        if [ -z "$schema" ] || [ ! -d "$tools/node_modules/ajv-formats" ]; then
            command -v npm >/dev/null || { echo "FAIL: npm not found (Debian npm), cannot install ajv"; exit 1; }
            echo "installing ajv, ajv-formats, @microsoft/sarif-multitool into $tools"
            if ! timeout 500 npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
                ajv@8 ajv-formats@3 @microsoft/sarif-multitool@5 >"$tmpd/npm.log" 2>&1; then
                echo "FAIL: npm install of the SARIF validation tools failed (is the npm registry reachable?):"
                tail -20 "$tmpd/npm.log"
                exit 1
            fi
        fi
    ) 9>"$tools/.install.lock" || return 1
    schema=$(find "$tools/node_modules/@microsoft" -name 'sarif-2.1.0.json' 2>/dev/null | head -1)
    if [ -z "$schema" ]; then
        echo "FAIL: sarif-2.1.0.json not found under $tools/node_modules/@microsoft"; return 1
    fi
    echo "schema: $schema"
}

sarif_validate() {
    NODE_PATH=$tools/node_modules timeout 120 node "$sarif_src/tests/schema/validate-sarif.js" "$schema" "$@"
}
