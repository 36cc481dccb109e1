#!/usr/bin/env bash
# README.md's rule table is generated from rules/rules.def (scripts/rule-table) and must be up to
# date; the table, the compiled catalogue (--list-rules) and rules.def name the same rules.
# Usage: test_readme_rules.sh RESPLINT_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin=$1 src=$2
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. the README block is what the generator prints
if ! python3 "$src/scripts/rule-table" --check; then
  err "README.md's rules block is stale: run scripts/rule-table --update"
fi

# 2. the generator, the compiled catalogue and rules.def agree on the ids, in order
python3 "$src/scripts/rule-table" > "$tmp/table.md" || err "scripts/rule-table failed"
grep -o '^| \[RL[0-9]\{4\}\]' "$tmp/table.md" | grep -o 'RL[0-9]\{4\}' > "$tmp/table.ids"
timeout 10 "$bin" --list-rules | head -c 200000 | awk '{print $1}' > "$tmp/cli.ids"
grep -o '^ *[A-Z_]*RULE( *RL[0-9]\{4\}' "$src/rules/rules.def" | grep -o 'RL[0-9]\{4\}' > "$tmp/def.ids"
[ -s "$tmp/def.ids" ] || err "no rules found in rules.def"
cmp -s "$tmp/table.ids" "$tmp/def.ids" || err "table ids differ from rules.def: $(diff "$tmp/table.ids" "$tmp/def.ids" | head -5 | tr '\n' ' ')"
cmp -s "$tmp/cli.ids" "$tmp/def.ids" || err "--list-rules ids differ from rules.def: $(diff "$tmp/cli.ids" "$tmp/def.ids" | head -5 | tr '\n' ' ')"

# every row names the rule, its severity and links its page
while read -r id; do
  name=$(timeout 10 "$bin" --list-rules | awk -v id="$id" '$1 == id {print $2}')
  grep -q "^| \[$id\](rules/docs/$id.md) | \`$name\` | " "$tmp/table.md" || err "$id: row without name '$name' or page link"
  [ -f "$src/rules/docs/$id.md" ] || err "$id: table links rules/docs/$id.md, which does not exist"
done < "$tmp/def.ids"

# 3. --update rewrites a stale block and leaves the rest of the README alone; --check then passes
mkdir -p "$tmp/repo/scripts" "$tmp/repo/rules"
cp "$src/scripts/rule-table" "$tmp/repo/scripts/"
cp "$src/rules/rules.def" "$tmp/repo/rules/"
printf '# Title\n\nbefore\n\n<!-- rules:begin -->\n| stale |\n<!-- rules:end -->\n\nafter\n' > "$tmp/repo/README.md"
python3 "$tmp/repo/scripts/rule-table" --check 2>/dev/null && err "--check passed on a stale block"
python3 "$tmp/repo/scripts/rule-table" --update || err "--update failed"
python3 "$tmp/repo/scripts/rule-table" --check || err "--check fails right after --update"
grep -q '^before$' "$tmp/repo/README.md" && grep -q '^after$' "$tmp/repo/README.md" || err "--update lost text around the block"
grep -qx '| stale |' "$tmp/repo/README.md" && err "--update left the stale table"

# 4. a README without markers is an error, not a silent pass
printf '# no markers\n' > "$tmp/repo/README.md"
python3 "$tmp/repo/scripts/rule-table" --check 2>/dev/null
[ $? -eq 2 ] || err "--check without markers should exit 2"

exit $fail
