#!/bin/sh
# run-tsan.sh — the parallel batch under ThreadSanitizer.
#
# Usage: scripts/run-tsan.sh [--no-build] [--inputs N] [--jobs LIST]
#
# Builds build-tsan/ with clang -fsanitize=thread (library, CLI and every
# plugin; DOCPIPE_SANITIZE_THREAD=ON also registers the ctest test
# tsan.batch), then runs tests/core/tsan/tsan_batch.py: N mixed inputs (default
# 200: Markdown, HTML/XHTML, TEI, JSON, EPUB from samples/, the tests' data
# and ../shared/samples, and 7 inputs that must fail) converted by one
# `docpipe run` config to 3-5 formats each, with transforms, at --jobs 1, 2,
# 4 and 8. Passes when ThreadSanitizer reports nothing in any run and every
# output, the exit code and the failed inputs are identical to --jobs 1.
#
# Environment: DOCPIPE_TSAN_BUILD (default build-tsan), DOCPIPE_TSAN_CC
# (default clang), CI=true (warnings are errors).
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
build=${DOCPIPE_TSAN_BUILD:-build-tsan}
case $build in /*) ;; *) build="$repo/$build" ;; esac
do_build=true
inputs=200
jobs=1,2,4,8
while [ $# -gt 0 ]; do
    case $1 in
    --no-build) do_build=false ;;
    --inputs) inputs=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run-tsan: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
werror=OFF
[ "${CI:-}" = true ] && werror=ON
if $do_build; then
    flags="-fsanitize=thread"
    CC=${DOCPIPE_TSAN_CC:-clang} cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DDOCPIPE_WERROR=$werror \
        -DDOCPIPE_SANITIZE=OFF -DDOCPIPE_SANITIZE_THREAD=ON \
        "-DCMAKE_C_FLAGS=$flags -fno-omit-frame-pointer" "-DCMAKE_EXE_LINKER_FLAGS=$flags" \
        "-DCMAKE_SHARED_LINKER_FLAGS=$flags" "-DCMAKE_MODULE_LINKER_FLAGS=$flags" >/dev/null ||
        { echo "run-tsan: configure failed" >&2; exit 2; }
    cmake --build "$build" -j2 --target docpipe-cli -- -k >/dev/null ||
        { echo "run-tsan: building docpipe failed" >&2; exit 2; }
    # every plugin; one that does not build is reported, the batch then
    # fails on the inputs that need it
    cmake --build "$build" -j2 -- -k >"$build/run-tsan-build.log" 2>&1 ||
        echo "run-tsan: some targets did not build (see $build/run-tsan-build.log)" >&2
fi
shared=${DOCPIPE_SHARED_DIR:-$repo/../shared}
exec python3 "$repo/tests/core/tsan/tsan_batch.py" "$build/bin/docpipe" "$build/tsan/batch" \
    --inputs "$inputs" --jobs "$jobs" --src "$repo" --shared "$shared" --require-tsan
