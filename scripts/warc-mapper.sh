#!/bin/sh
# A map task for linting a WARC collection on Hadoop Streaming or Spark pipe(): reads WARC paths
# (hdfs://, s3a://, file paths; one per line) on stdin and writes resplint's findings as JSON
# Lines on stdout. Each WARC is streamed through a named pipe, so nothing is written to local
# disk and memory stays that of one record. Findings never fail the task (--fail-on never); an
# unreadable WARC is counted (Hadoop counter resplint/input_errors) and skipped.
#
# Environment: RESPLINT (the binary, default ./resplint beside this script's working directory),
# FETCH (command printing a path's bytes, default "hadoop fs -cat"; "aws s3 cp --quiet {} -"
# style commands work through a wrapper), RESPLINT_FORMAT (default jsonl), RESPLINT_ARGS (extra
# options, e.g. "--disable RL9008").
set -u
RESPLINT=${RESPLINT:-./resplint}
FETCH=${FETCH:-hadoop fs -cat}
FORMAT=${RESPLINT_FORMAT:-jsonl}
case $RESPLINT in /*) ;; *) RESPLINT=$PWD/$RESPLINT ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/resplint-map.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

while IFS= read -r line; do
  # NLineInputFormat hands "offset<TAB>path" unless stream.map.input.ignoreKey=true
  path=${line#*	}
  [ -n "$path" ] || continue
  # the findings name the WARC by its file name, as Common Crawl and CDX indexes do
  name=$work/$(basename "$path")
  rm -f "$name"
  mkfifo "$name" || exit 2
  $FETCH "$path" > "$name" &
  fetch=$!
  # shellcheck disable=SC2086 # RESPLINT_ARGS is a list of options
  (cd "$work" && "$RESPLINT" --format "$FORMAT" --fail-on never ${RESPLINT_ARGS:-} \
      "$(basename "$path")")
  rc=$?
  # resplint may have stopped before opening the pipe (bad option): do not wait on the writer
  [ "$rc" -le 1 ] || kill "$fetch" 2>/dev/null
  wait "$fetch" || rc=2
  rm -f "$name"
  if [ "$rc" -gt 1 ]; then
    echo "reporter:counter:resplint,input_errors,1" >&2
    echo "resplint: $path: could not be read (exit $rc)" >&2
  else
    echo "reporter:counter:resplint,warcs,1" >&2
  fi
done
exit 0
