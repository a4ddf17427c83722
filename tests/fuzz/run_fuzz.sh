#!/bin/sh
# Long fuzzing run of one target (see README.md). Usage:
#   tests/fuzz/run_fuzz.sh BUILD_DIR TARGET SECONDS [WORK_DIR]
# Fuzzes BUILD_DIR/bin/fuzz_TARGET for SECONDS of wall time, one worker,
# niced, starting from the seed corpus; the grown corpus stays in
# WORK_DIR/TARGET/corpus, crashers in WORK_DIR/TARGET/artifacts, the log in
# WORK_DIR/TARGET/log and the CPU time (from /usr/bin/time) at its end.
# Do not rebuild BUILD_DIR while it runs: every fuzzing job dlopens the
# plugins afresh, and a half-relinked plugin directory makes jobs crash on
# start-up (false crashers).
# Merge the grown corpus back into the seed corpus with
#   fuzz_TARGET -merge=1 tests/fuzz/corpus/TARGET WORK_DIR/TARGET/corpus
set -eu
build=$1 target=$2 seconds=$3 work=${4:-/tmp/docpipe-fuzz}
src=$(cd "$(dirname "$0")" && pwd)
d=$work/$target
mkdir -p "$d/corpus" "$d/artifacts"
max_len=16384
[ "$target" = epub ] && max_len=65536
dict=""
[ -f "$src/dict/$target.dict" ] && dict="-dict=$src/dict/$target.dict"
cd "$d"
# -fork=1: one worker process at a time (one core, like -jobs=1) that goes
# on after a crash, so one run collects every finding, not just the first.
/usr/bin/time -v nice -n 10 "$build/bin/fuzz_$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -max_len=$max_len -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$d/artifacts/" $dict \
    "$d/corpus" "$src/corpus/$target" >"$d/log" 2>&1 || true
tail -n 40 "$d/log" | grep -E "DONE|stat::|Elapsed|User time|System time|Maximum resident|ERROR|SUMMARY" || true
