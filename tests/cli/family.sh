# Sourced by the command-line tests of one rule family (test_caching.sh, test_security.sh),
# after setting bin and src: a scratch folder ($tmp, removed at exit), fail, expect, rules_of,
# and family_listed, the check that the catalogue, --list-rules and --explain agree.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect NAME GOT WANT
expect() {
    if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; fail=1; fi
}

# The rule ids a report on stdin names, sorted, each once, space-separated.
rules_of() { grep -o 'RL[0-9]\{4\}' | sort | uniq | tr '\n' ' '; }

# family_listed PREFIX PROFILE: every rule of rules.def whose id starts with PREFIX (RL5) is
# listed by --list-rules --profile PROFILE, and --explain prints its page. Sets family to the
# ids (space-separated) for the test's own checks.
family_listed() {
    local prefix=$1 profile=$2 got id
    family=$(grep -o "^RULE($prefix[0-9]\{3\}" "$src/rules/rules.def" | grep -o 'RL[0-9]*' | tr '\n' ' ')
    got=$(timeout 10 "$bin" --list-rules --profile "$profile" | awk '{print $1}' | grep "^$prefix" | tr '\n' ' ')
    expect "--list-rules --profile $profile lists the family" "$got" "$family"
    [ -n "$family" ] || { echo "FAIL: no ${prefix}xxx rule in rules.def"; fail=1; }
    for id in $family; do
        timeout 10 "$bin" --explain "$id" | head -1 | grep -q "^# $id " || { echo "FAIL: --explain $id"; fail=1; }
    done
}
