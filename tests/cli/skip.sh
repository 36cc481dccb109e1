# Sourced by the shell tests: how a test that cannot run says so. Never exit 0 for it.
# ctest reports exit 77 as "Skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt), not "Passed".

# skip REASON...: the test cannot run here (a tool or a build option is missing)
skip() {
  echo "SKIP: $*"
  exit 77
}

# need_corpus DIR: ../shared/corpus (or a folder of it) is needed. CI always has it, so under
# CI=true (.ci/run) a missing corpus fails the test; elsewhere the test is skipped.
need_corpus() {
  [ -d "$1" ] && return 0
  if [ "${CI:-}" = true ]; then
    echo "FAIL: corpus $1 is missing (CI=true: CI always has ../shared/corpus)" >&2
    exit 1
  fi
  skip "no corpus at $1"
}
