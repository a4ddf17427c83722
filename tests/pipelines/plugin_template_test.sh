#!/bin/sh
# Installs docpipe into a temporary prefix, then builds the out-of-tree
# example transform examples/plugin-template against it twice (its
# CMakeLists.txt with the CMake package, its Makefile with pkg-config) and
# runs each build through $DOCPIPE_PLUGIN_PATH, alone and in a config.
# Usage: plugin_template_test.sh BUILD_DIR TEMPLATE_SRC TMP CMAKE
set -eu
build=$1 src=$2 tmp=$3 cmake=$4
command -v pkg-config >/dev/null || { echo "pkg-config missing: skip"; exit 77; }
cc=${CC:-cc}
rm -rf "$tmp"
mkdir -p "$tmp"
prefix="$tmp/prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || {
    cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }

fail=0
for f in bin/docpipe include/docpipe/docpipe.h include/docpipe/dp_registry.h include/docpipe/dp_pipeline.h; do
    [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
pc=$(find "$prefix" -name docpipe.pc | head -n 1)
cfg=$(find "$prefix" -name docpipeConfig.cmake | head -n 1)
lib=$(find "$prefix" -name 'libdocpipe.so*' | head -n 1)
plugdir=$(find "$prefix" -type d -path '*/docpipe/plugins' | head -n 1)
[ -n "$pc" ] || { echo "FAIL: docpipe.pc not installed"; fail=1; }
[ -n "$cfg" ] || { echo "FAIL: docpipeConfig.cmake not installed"; fail=1; }
[ -n "$lib" ] || { echo "FAIL: libdocpipe.so not installed"; fail=1; }
[ -n "$plugdir" ] || { echo "FAIL: no \${libdir}/docpipe/plugins directory"; fail=1; }
[ $fail = 0 ] || exit 1
docpipe="$prefix/bin/docpipe"
export DOCPIPE_CACHE_DIR="$tmp/cache"

# The installed CLI runs from the moved prefix and finds its installed plugins.
"$docpipe" --version || { echo "FAIL: installed docpipe does not run"; exit 1; }
"$docpipe" plugins >"$tmp/plugins0.txt"
n_inst=$(ls "$plugdir" | grep -c '\.so$' || true)
n_seen=$(grep -c "$plugdir" "$tmp/plugins0.txt" || true)
echo "installed plugins: $n_inst, listed from the installed dir: $n_seen"
[ "$n_seen" -ge "$n_inst" ] || { echo "FAIL: installed plugins not all found"; cat "$tmp/plugins0.txt"; exit 1; }

# a document of 12 words (the heading's 3 included)
printf '# Counting the words\n\nNine more words are in this paragraph, as promised.\n' >"$tmp/in.md"
command -v make >/dev/null || { echo "make missing: skip"; exit 77; }

check_build() { # check_build LABEL DIR_WITH_word_count.so
    so="$2/word_count.so"
    [ -f "$so" ] || { echo "FAIL: $1: no word_count.so in $2"; exit 1; }
    # only the entry point is exported
    exports=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDB]$/ {print $3}' | grep -v '^_' || true)
    [ "$exports" = "docpipe_plugin_entry" ] || { echo "FAIL: $1: exports: $exports"; exit 1; }
    DOCPIPE_PLUGIN_PATH="$2" "$docpipe" plugins | grep -q "template.word-count .*$so" || {
        echo "FAIL: $1: docpipe plugins does not list $so"; exit 1; }
    out=$(DOCPIPE_PLUGIN_PATH="$2" "$docpipe" "$tmp/in.md" -T word-count -t json) || {
        echo "FAIL: $1: conversion with -T word-count"; exit 1; }
    echo "$out" | grep -q '"word-count": *"12"' || { echo "FAIL: $1: no word-count 12 in: $out"; exit 1; }
    # options: key, and min (a warning naming the heading; --strict makes it fatal)
    err=$(DOCPIPE_PLUGIN_PATH="$2" "$docpipe" "$tmp/in.md" -T word-count -O key=words -O min=100 -t json 2>&1 >"$tmp/o.json")
    grep -q '"words": *"12"' "$tmp/o.json" || { echo "FAIL: $1: option key"; exit 1; }
    echo "$err" | grep -q "in.md:1:1: heading: only 12 words (min: 100) \[template.word-count\]" || {
        echo "FAIL: $1: min warning: $err"; exit 1; }
    if DOCPIPE_PLUGIN_PATH="$2" "$docpipe" "$tmp/in.md" -T word-count -O min=100 -t json --strict >/dev/null 2>&1; then
        echo "FAIL: $1: --strict did not fail on the warning"; exit 1
    fi
    # in a config, through plugin-path, with its options checked by the core
    cat >"$tmp/cfg.yaml" <<YAML
plugin-path: [$2]
jobs:
  - input: in.md
    transforms:
      - name: word-count
        options: {key: length}
    outputs: [out-$1.json]
YAML
    "$docpipe" run "$tmp/cfg.yaml" -q --allow-plugin-path || { echo "FAIL: $1: config run"; exit 1; }
    grep -q '"length": *"12"' "$tmp/out-$1.json" || { echo "FAIL: $1: config: no length 12"; exit 1; }
    sed -i 's/{key: length}/{kye: length}/' "$tmp/cfg.yaml"
    err=$("$docpipe" run "$tmp/cfg.yaml" --allow-plugin-path 2>&1) && { echo "FAIL: $1: bad option accepted"; exit 1; }
    echo "$err" | grep -q "cfg.yaml:6:19: unknown option 'kye' for template.word-count (did you mean 'key'?)" || {
        echo "FAIL: $1: bad option message: $err"; exit 1; }
    echo "$1 build: ok"
}

# 1. CMake package (the template's CMakeLists.txt)
"$cmake" -S "$src" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cm.log" 2>&1 || {
    cat "$tmp/cm.log"; echo "FAIL: cmake configure against the package"; exit 1; }
"$cmake" --build "$tmp/cm" >>"$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; echo "FAIL: cmake build"; exit 1; }
check_build cmake "$(dirname "$(find "$tmp/cm" -name word_count.so | head -n 1)")"

# 2. pkg-config (the template's Makefile), built in a copy of the template
export PKG_CONFIG_PATH="$(dirname "$pc")"
[ "$(pkg-config --variable=plugindir docpipe)" -ef "$plugdir" ] || { echo "FAIL: pc plugindir"; exit 1; }
mkdir -p "$tmp/mk"
cp "$src/Makefile" "$src/word_count.c" "$tmp/mk/"
make -C "$tmp/mk" CC="$cc" CFLAGS="-O2 -Wall -Wextra -Werror" >"$tmp/mk.log" 2>&1 || {
    cat "$tmp/mk.log"; echo "FAIL: make with pkg-config"; exit 1; }
check_build pkg-config "$tmp/mk"
# make install puts it where the installed docpipe finds it without any path
make -C "$tmp/mk" install >>"$tmp/mk.log" 2>&1 || { cat "$tmp/mk.log"; echo "FAIL: make install"; exit 1; }
"$docpipe" "$tmp/in.md" -T word-count -t json | grep -q '"word-count": *"12"' || {
    echo "FAIL: the installed plugin is not found by the installed docpipe"; exit 1; }
echo "ok"
