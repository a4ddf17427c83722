#!/bin/sh
# bench/run.sh — the benchmark in one command (issue 8).
#
# Installs the comparison tools if missing (pandoc, cmark-gfm, xmllint,
# hyperfine, GNU time, valgrind: for the benchmark only), builds docpipe in
# Release mode into build-bench/, generates the inputs (the speech, the speech
# scaled to 1 MB, 10 MB and 100 MB, a batch of 1000 copies) under build-bench/bench/,
# runs docpipe, pandoc and the raw floors side by side and writes
# docs/PERFORMANCE.md and docs/performance-ratios.svg.
#
# Options are passed to bench/bench.py, e.g. --runs-speech 21,
# --skip-pandoc-batch (the pandoc batch alone takes several minutes),
# --skip-pandoc, --sizes speech,1mb,10mb (no 100 MB runs).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build=${DOCPIPE_BENCH_BUILD:-build-bench}

scripts/install-deps.sh --bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDOCPIPE_TESTS=OFF >/dev/null
# Keep going past a plugin that does not build (the tree is shared and
# changing): its conversions are then reported as not available.
cmake --build "$build" -j2 -- -k || echo "bench: some targets did not build; their conversions will show as not available" >&2
[ -x "$build/bin/docpipe" ] || { echo "bench: $build/bin/docpipe was not built" >&2; exit 1; }

work="$build/bench"
python3 bench/gen_inputs.py samples/speech.md "$work/inputs" --batch 1000 --100mb
# The HTML floor: gumbo's parse alone (the HTML reader's parser).
mkdir -p "$work"
cc -O2 -std=c11 bench/floors/gumbo_parse.c $(pkg-config --cflags --libs gumbo) -o "$work/gumbo-parse"
# The floor's second part: the output library's serialiser writing docpipe's output.
cc -O2 -std=c11 bench/floors/serialise.c $(pkg-config --cflags --libs libcmark-gfm libxml-2.0) -o "$work/serialise"

python3 bench/bench.py --docpipe "$build/bin/docpipe" --build-dir "$build" \
    --inputs "$work/inputs" --work "$work/run" --gumbo-parse "$work/gumbo-parse" \
    --serialise "$work/serialise" \
    --report docs/PERFORMANCE.md --svg docs/performance-ratios.svg \
    --notes bench/NOTES.md --json "$work/results.json" "$@"
