#!/bin/sh
# run-tests.sh — install what is missing (with the validators), then configure,
# build and run the whole ctest suite twice:
#   build/       the normal build
#   build-asan/  AddressSanitizer + UndefinedBehaviorSanitizer, LeakSanitizer on
# Warnings are errors when CI=true. Prints both ctest summaries and ends with
# one line "N passed, N failed, N skipped" summed over both runs; exits non-zero
# when anything failed (a build that fails counts as one failure).
#
# Environment: CI=true (warnings are errors, absent validators fail);
# DOCPIPE_ASAN_CC (compiler for the sanitizer build; default gcc, the
# compiler of the normal build; clang works too, with libclang-rt-14-dev);
# DOCPIPE_TEST_JOBS (default 2: the machine has two cores).
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
jobs=${DOCPIPE_TEST_JOBS:-2}

scripts/install-deps.sh --tests || {
    echo "run-tests: installing dependencies failed" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

werror=OFF
[ "${CI:-}" = true ] && werror=ON

# gcc 12's ASan handles the dlopen'ed plugins well (they stay loaded until
# exit, so leak reports name plugin functions and lines), so the sanitizer
# build uses the same compiler as the normal one unless told otherwise.
asan_cc=${DOCPIPE_ASAN_CC:-gcc}

# Sanitizer settings for every process the tests start. LeakSanitizer is on
# (detect_leaks=1) and any report fails the test (halt_on_error).
# fast_unwind_on_malloc=0: libxml2, libzip and cmark-gfm are built without
# frame pointers, so the fast unwinder stops inside them and a leak report
# would not show which of our functions made the allocation.
supp="$repo/scripts/sanitizers/lsan.supp"
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:fast_unwind_on_malloc=0:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:report_error_type=1"
LSAN_OPTIONS="print_suppressions=0"
if [ -s "$supp" ]; then
    LSAN_OPTIONS="$LSAN_OPTIONS:suppressions=$supp"
fi

total_pass=0
total_fail=0
total_skip=0
summaries=""

# count_junit FILE: prints "passed failed skipped" from ctest's JUnit report,
# counted as ctest counts them: a test skipped by its SKIP_RETURN_CODE (or
# disabled) is skipped, but "Not Run" for any other reason (executable
# missing, a fixture that failed) is a failure.
count_junit() {
    python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    status = case.get("status", "")
    skip = case.find("skipped")
    if status == "run":
        passed += 1
    elif status == "disabled":
        skipped += 1
    elif status == "notrun" and skip is not None and skip.get("message", "").startswith("SKIP_"):
        skipped += 1
    else:
        failed += 1
print(passed, failed, skipped)
PY
}

# run_suite LABEL BUILDDIR CMAKE_ARGS... (environment set by the caller)
run_suite() {
    label=$1
    dir=$2
    shift 2
    echo
    echo "======== $label: configure and build ($dir/) ========"
    if ! cmake -S . -B "$dir" -G "Unix Makefiles" -DDOCPIPE_WERROR=$werror "$@"; then
        echo "run-tests: $label: configuring failed" >&2
        total_fail=$((total_fail + 1))
        summaries="$summaries
$label ($dir/): CONFIGURE FAILED"
        return
    fi
    # -k: build every target that can be built, so the tests of the parts
    # that compile still run; the failed build itself counts as one failure.
    build_failed=false
    if ! cmake --build "$dir" -j"$jobs" -- -k; then
        echo "run-tests: $label: the build failed (the errors are above); running the tests of what was built" >&2
        build_failed=true
        total_fail=$((total_fail + 1))
    fi
    echo
    echo "======== $label: ctest ($dir/) ========"
    junit="$repo/$dir/ctest-junit.xml"
    rm -f "$junit"
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" --output-junit "$junit" \
        >"$dir/ctest.log" 2>&1
    ctest_rc=$?
    cat "$dir/ctest.log"
    if [ -f "$junit" ] && counts=$(count_junit "$junit"); then
        set -- $counts
        p=$1 f=$2 s=$3
    else
        p=0 f=1 s=0
    fi
    # ctest failing with no failed test (no tests found, a crash): a failure.
    if [ "$ctest_rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    if [ $((p + f + s)) -eq 0 ]; then
        echo "run-tests: $label: ctest ran no test" >&2
        f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + s))
    summary=$(grep -E 'tests passed|tests failed' "$dir/ctest.log" | tail -n 1)
    $build_failed && summary="BUILD FAILED (counted as 1 failure); ctest: ${summary:-no ctest summary}"
    summaries="$summaries
$label ($dir/): ${summary:-no ctest summary}; $p passed, $f failed, $s skipped"
}

run_suite "normal build" build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCPIPE_SANITIZE=OFF

export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
CC=$asan_cc run_suite "ASan+UBSan build ($asan_cc)" build-asan \
    -DCMAKE_BUILD_TYPE=Debug -DDOCPIPE_SANITIZE=ON -DCMAKE_C_COMPILER="$asan_cc"
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

echo
echo "======== summary ========"
echo "$summaries" | sed '/^$/d'
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
