#!/usr/bin/env bash
# The README's examples are run: every ```console block's "$ command" lines are run from the
# source tree (build/resplint is the binary under test, ../shared/corpus the corpus) and their
# output must be the lines shown, where "..." in a line stands for any text.
# Usage: test_readme_examples.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin=$1 src=$2 corpus=${3:-}
[ -d "$corpus" ] || { echo "FAIL: corpus $corpus missing"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }
cd "$src" || exit 1
python3 - "$bin" "$src/README.md" "$corpus" <<'PY'
import re, subprocess, sys
binary, readme, corpus = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(readme, encoding="utf-8").read()
blocks = re.findall(r"```console\n(.*?)```", text, re.S)
cases, fails = 0, 0
for block in blocks:
    # one shell per block, so that "echo $?" sees the command before it
    cmds, want = [], []
    for line in block.splitlines():
        if line.startswith("$ "):
            cmds.append(line[2:])
            want.append([])
        elif cmds:
            want[-1].append(line)
    script = []
    for i, c in enumerate(cmds):
        c = c.replace("build/resplint", binary + " --no-config").replace("../shared/corpus", corpus)
        script.append("%s\n__rc=$?\necho '@@@%d'\n(exit $__rc)" % (c, i))
    out = subprocess.run(["bash", "-c", "\n".join(script)], capture_output=True, text=True,
                         timeout=120).stdout
    got = re.split(r"^@@@\d+\n", out, flags=re.M)
    for i, c in enumerate(cmds):
        cases += 1
        lines = got[i].splitlines() if i < len(got) else []
        exp = want[i]
        ok = len(lines) == len(exp)
        if ok:
            for g, w in zip(lines, exp):
                w = w.replace("../shared/corpus", corpus)
                pat = "^" + ".*".join(re.escape(part) for part in w.split("...")) + "$"
                if not re.match(pat, g):
                    ok = False
                    break
        if ok:
            print("ok   $ " + c[:100])
        else:
            fails += 1
            print("FAIL $ " + c)
            print("  want:\n    " + "\n    ".join(exp))
            print("  got:\n    " + "\n    ".join(lines))
print("%d README examples, %d failed" % (cases, fails))
sys.exit(1 if fails or cases < 5 else 0)
PY
