#!/bin/sh
# Long fuzzing run of one target (see README.md). Usage:
#   tests/fuzz/run_fuzz.sh BUILD_DIR TARGET CPU_SECONDS [WORK_DIR]
# Fuzzes BUILD_DIR/bin/fuzz_TARGET until it has used CPU_SECONDS of CPU time
# (not wall time: on a shared machine a niced fuzzer gets a fraction of a
# core, and the issue asks for CPU minutes), one worker, niced, starting
# from the seed corpus; the grown corpus stays in WORK_DIR/TARGET/corpus
# (a second run goes on from it), crashers in WORK_DIR/TARGET/artifacts, the
# log in WORK_DIR/TARGET/log, and the CPU time used on its last line.
# Do not rebuild BUILD_DIR while it runs: every fuzzing job dlopens the
# plugins afresh, and a half-relinked plugin directory makes jobs crash on
# start-up (false crashers).
# Merge the grown corpus back into the seed corpus with
#   fuzz_TARGET -merge=1 tests/fuzz/corpus/TARGET WORK_DIR/TARGET/corpus
set -eu
build=$1 target=$2 cpu_budget=$3 work=${4:-/tmp/docpipe-fuzz}
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
# The wall-time cap (-max_total_time) is only a backstop: the watchdog below
# stops the run when its CPU time reaches the budget.
setsid nice -n 10 "$build/bin/fuzz_$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time=$((cpu_budget * 20)) -max_len=$max_len -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$d/artifacts/" $dict \
    "$d/corpus" "$src/corpus/$target" >"$d/log" 2>&1 &
pid=$!
ticks=$(getconf CLK_TCK)
cpu=0
# CPU of the fuzzer: its own (utime, stime) and its reaped jobs' (cutime,
# cstime), fields 14-17 of /proc/PID/stat, plus the job running now (a
# child "sh -c" and its child, the fuzzing process).
children_of() {
    cat "/proc/$1/task/$1/children" 2>/dev/null || true
}
cpu_of() {
    total=0
    kids=$(children_of "$1")
    grandkids=$(for k in $kids; do children_of "$k"; done)
    for p in "$1" $kids $grandkids; do
        s=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
        set -- $s
        total=$((total + ${12} + ${13} + ${14} + ${15}))
    done
    echo $((total / ticks))
}
while kill -0 "$pid" 2>/dev/null; do
    cpu=$(cpu_of "$pid")
    if [ "$cpu" -ge "$cpu_budget" ]; then
        # The fork-mode parent ignores SIGINT (its jobs restart), so the
        # whole process group goes (setsid above made the fuzzer its
        # leader). The parent merges each finished job's new inputs into
        # the corpus as it goes; only the running job's are lost. Without
        # final statistics, the last status line gives executions and
        # coverage.
        pkill -TERM -g "$pid" 2>/dev/null || true
        break
    fi
    sleep 5
done
wait "$pid" 2>/dev/null || true
echo "cpu_seconds: $cpu (budget $cpu_budget)" >>"$d/log"
grep -E "^#[0-9]+: cov:" "$d/log" | tail -n 1 || true
tail -n 40 "$d/log" | grep -E "DONE|stat::|cpu_seconds|ERROR|SUMMARY" || true
