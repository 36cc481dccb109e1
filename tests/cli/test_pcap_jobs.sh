#!/usr/bin/env bash
# --jobs N on one capture shares its connections out over N threads (shards by tcp.stream,
# lib/capture/pcap.c; merged in cli/jobs.c): the report is byte for byte the one of --jobs 1,
# on every capture of the fixtures and the corpus, on a generated capture of many connections,
# on one frame that gives more records than a shard may queue,
# with RL5012 across connections of different shards, and where a limit that depends on every
# connection makes a shard give up (the check then finishes unsharded). strace shows that the
# capture really was shared out (the shared reading and each of N shards open it) and read
# once (the bytes read from it), so that a silent fall-back to one job, or shards each reading
# the whole file, cannot pass.
# usage: test_pcap_jobs.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -uo pipefail
bin=$1 src=$2 corpus=$3
. "$src/tests/cli/skip.sh"
need_corpus "$corpus/pcap"
command -v strace >/dev/null || skip "strace missing (scripts/bootstrap installs it)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
fx=$src/fixtures/pcap

# same NAME ARGS...: --jobs 2 and 3 give the output and exit status of --jobs 1
same() {
  local name=$1
  shift
  timeout 120 "$bin" --no-config --jobs 1 "$@" >"$tmp/one" 2>"$tmp/one.err"
  local rc1=$?
  for j in 2 3; do
    timeout 120 "$bin" --no-config --jobs $j "$@" >"$tmp/many" 2>"$tmp/many.err"
    local rc=$?
    if [ $rc != $rc1 ] || ! cmp -s "$tmp/one" "$tmp/many" || ! cmp -s "$tmp/one.err" "$tmp/many.err"; then
      echo "FAIL $name: --jobs $j (exit $rc) differs from --jobs 1 (exit $rc1):"
      diff "$tmp/one" "$tmp/many" | head -8
      diff "$tmp/one.err" "$tmp/many.err" | head -4
      fail=1
      return
    fi
  done
  echo "ok   $name"
}

# opens FILE ARGS...: how many times resplint --jobs 2 ARGS... FILE opens FILE
opens() {
  local f=$1
  shift
  strace -f -qq -e trace=openat -o "$tmp/trace" "$bin" --jobs 2 "$@" "$f" >/dev/null 2>&1
  grep -cF "\"$f\"" "$tmp/trace"
}

# read_bytes FILE ARGS...: the bytes resplint --jobs 2 ARGS... FILE reads from FILE in all
read_bytes() {
  local f=$1
  shift
  rm -f "$tmp"/rtrace.*
  # a file per thread (-ff): no call cut in two by another thread's
  strace -ff -qq -y -e trace=read,pread64 -o "$tmp/rtrace" "$bin" --jobs 2 "$@" "$f" >/dev/null 2>&1
  cat "$tmp"/rtrace.* | grep -F "<$f>" | sed -n 's/.*) *= *\([0-9][0-9]*\)$/\1/p' |
    awk '{s += $1} END {print s + 0}'
}

# shards NAME WANT FILE ARGS...: --jobs 2 opens FILE WANT times (a look at its first bytes, the
# shared reading, then each shard, which only looks at the first bytes; a fall-back adds one
# unsharded check), and reads it once (a fall-back: the shared reading stops when the shards
# give up, then the unsharded check reads it whole)
shards() {
  local name=$1 want=$2 f=$3
  shift 3
  local n b size reads=1
  n=$(opens "$f" "$@")
  b=$(read_bytes "$f" "$@")
  size=$(stat -c %s "$f")
  [ "$want" -gt 4 ] && reads=2
  # each look at the first bytes reads up to 4 KiB
  if [ "$n" != "$want" ]; then
    echo "FAIL $name: $f opened $n times with --jobs 2, not $want"
    fail=1
  elif [ "$size" -le $((want * 4096)) ]; then
    # the looks at the first bytes are as big as the file: the bytes read tell nothing
    echo "ok   $name ($n opens)"
  elif [ "$b" -lt "$size" ] || [ "$b" -gt $((reads * size + want * 4096)) ]; then
    echo "FAIL $name: $b bytes read from $f ($size bytes) with --jobs 2, more than $reads time(s) its size"
    fail=1
  else
    echo "ok   $name ($n opens, $b bytes read)"
  fi
}

# every capture of the fixtures and the corpus, as JSON Lines
for f in "$fx"/*.pcap "$fx"/*.pcapng "$fx"/*.pcap.gz "$corpus"/pcap/*; do
  [ -f "$f" ] || continue
  same "jsonl $(basename "$f")" --fail-on never --format jsonl "$f"
done
# the other reports on the capture made for it
for fmt in text json sarif junit github gitlab; do
  same "$fmt shards-interleaved.pcap" --format $fmt "$fx/shards-interleaved.pcap"
done

# RL5012 across shards: the 304s of tcp.stream 1 and 3 (shard 1 of 2) lack fields of the 200
# of tcp.stream 0 (shard 0)
"$bin" --no-config --jobs 2 --fail-on never --format jsonl "$fx/shards-interleaved.pcap" \
  >"$tmp/si.jsonl"
n=$(grep '"rule":"RL5012"' "$tmp/si.jsonl" | grep -c '"tcp_stream":[13],')
if [ "$n" != 2 ]; then
  echo "FAIL RL5012 across shards: $n findings on tcp.stream 1 and 3, not 2"
  grep RL5012 "$tmp/si.jsonl" | head -3
  fail=1
else
  echo "ok   RL5012 across shards"
fi

# a generated capture of many interleaved keep-alive connections (the bench's mix)
python3 "$src/bench/gen-pcap.py" "$tmp/gen.pcap" 4 >/dev/null 2>&1
same "generated capture" --fail-on never --format jsonl "$tmp/gen.pcap"
same "generated capture, SARIF" --fail-on never --format sarif "$tmp/gen.pcap"
# one frame releasing 26,000 records at once (held out-of-order data): more than a shard queues
# ahead of the merge; the merge once waited for that shard to publish a later step, and hung
python3 "$src/tests/pcap/make_held_burst.py" "$tmp/burst.pcap"
same "one step of 26,000 records" --fail-on never --format jsonl "$tmp/burst.pcap"
# every record from one shard, then 10 MB that give nobody a record: the merge once waited for
# a record of the other shards, which waited for the shared reading, which waited for the
# first shard, which waited for the merge
python3 "$src/tests/pcap/make_one_shard.py" "$tmp/one.pcap"
same "all records from one shard, then 10 MB of nothing" --fail-on never --format jsonl "$tmp/one.pcap"

# the capture was shared out: a look at its first bytes, the shared reading, each shard's look;
# a gzip'd capture too (inflated once, by the shared reading)
shards "sharded" 4 "$fx/shards-interleaved.pcap" --no-config
shards "generated capture, sharded, read once" 4 "$tmp/gen.pcap" --no-config
shards "gzip'd, sharded" 4 "$fx/pipeline-head-304-chunked.pcap.gz" --no-config

# limits that depend on every connection: the shard gives up, the rest comes unsharded
limits() {
  local name=$1 setting=$2 f=$3
  printf '[limits]\n%s\n' "$setting" >"$tmp/limits.ini"
  timeout 60 "$bin" --config "$tmp/limits.ini" --jobs 1 --fail-on never --format jsonl "$f" \
    >"$tmp/one" 2>&1
  timeout 60 "$bin" --config "$tmp/limits.ini" --jobs 2 --fail-on never --format jsonl "$f" \
    >"$tmp/many" 2>&1
  if ! grep -q RL9004 "$tmp/one"; then
    echo "FAIL $name: $setting gives no RL9004 on $f"
    fail=1
  elif ! cmp -s "$tmp/one" "$tmp/many"; then
    echo "FAIL $name: --jobs 2 differs from --jobs 1 with $setting:"
    diff "$tmp/one" "$tmp/many" | head -6
    fail=1
  else
    echo "ok   $name"
  fi
}
limits "connections limit" "flows = 2" "$fx/shards-interleaved.pcap"
limits "connections limit, midway: the rest unsharded, what was merged skipped" "flows = 20" \
  "$tmp/gen.pcap"
limits "reassembly memory" "flow-buffer = 1" "$fx/ooo-overlap-wrap.pcap"
limits "exchange memory (decided by the merge)" "exchange-urls = 1" "$fx/shards-interleaved.pcap"
printf '[limits]\nflows = 20\n' >"$tmp/limits.ini"
shards "connections limit: unsharded after the shards" 5 "$tmp/gen.pcap" --config "$tmp/limits.ini"

# one step of 33,000 responses (132,000 findings) on one shard, then a DSB of 6 MiB of key log
# while the other shard is idle, the burst on either shard: the reading once waited for room in
# the burst's ring while the idle shard could not say it was past that step (a hang)
printf '[limits]\nflow-buffer = 16777216\n' >"$tmp/kb.ini"
for heavy in 1 0; do
  python3 "$src/tests/pcap/make_keylog_burst.py" "$tmp/kb.pcapng" 33000 6 $heavy
  timeout 60 "$bin" --config "$tmp/kb.ini" --jobs 1 --fail-on never --format jsonl "$tmp/kb.pcapng" \
    >"$tmp/one" 2>&1
  kb_ok=1
  for j in 2 3; do
    timeout 60 "$bin" --config "$tmp/kb.ini" --jobs $j --fail-on never --format jsonl \
      "$tmp/kb.pcapng" >"$tmp/many" 2>&1
    rc=$?
    if [ $rc != 0 ] || ! cmp -s "$tmp/one" "$tmp/many"; then
      echo "FAIL a key log after one step's burst on tcp.stream $heavy: --jobs $j (exit $rc, 124: hung)"
      fail=1
      kb_ok=0
    fi
  done
  [ $kb_ok = 1 ] && echo "ok   a key log after one step's burst on tcp.stream $heavy"
done

# the flows limit met at a new connection's first segment, whose record crosses a batch of the
# shared reading (tests/pcap/make_flows_limit_race.py): its shard must give up before taking it
python3 "$src/tests/pcap/make_flows_limit_race.py" "$tmp/race"
printf '[limits]\nflows = 2\n' >"$tmp/limits.ini"
race_bad=0
for f in "$tmp"/race/race-*.pcap; do
  timeout 60 "$bin" --config "$tmp/limits.ini" --jobs 1 --fail-on never --format jsonl "$f" \
    >"$tmp/one" 2>&1
  for r in 1 2 3; do
    timeout 60 "$bin" --config "$tmp/limits.ini" --jobs 2 --fail-on never --format jsonl "$f" \
      >"$tmp/many" 2>&1
    if ! cmp -s "$tmp/one" "$tmp/many"; then
      [ $race_bad = 0 ] && { echo "FAIL flows limit at a batch's edge: $(basename "$f"):"; diff "$tmp/one" "$tmp/many" | head -6; }
      race_bad=$((race_bad + 1))
    fi
  done
done
if [ $race_bad != 0 ]; then
  echo "FAIL flows limit at a batch's edge: $race_bad runs differ from --jobs 1"
  fail=1
else
  echo "ok   flows limit at a batch's edge ($(ls "$tmp"/race | wc -l) captures, 3 runs each)"
fi
exit $fail
