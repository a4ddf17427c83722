#!/bin/sh
# run-main.sh — on a fresh Debian 12 machine: install what is missing, build
# docpipe (build/), and run the speech pipeline `docpipe run configs/speech.yaml --allow-outside`
# (samples/speech.md to EPUB, TEI, HTML and Markdown; configs/speech.yaml says
# where the files go). Extra arguments are passed to `docpipe run`.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
# --allow-outside: the config writes to ../out, beside its folder (docs/CONFIG.md)
echo "run-main: build/bin/docpipe run configs/speech.yaml --allow-outside $*"
exec build/bin/docpipe run configs/speech.yaml --allow-outside "$@"
