#!/bin/sh
# Installs docpipe into a temporary prefix, then builds an out-of-tree
# plugin against it twice (pkg-config, CMake package) and loads each through
# $DOCPIPE_PLUGIN_PATH. Usage: install_test.sh BUILD_DIR OOT_SRC TMP CMAKE
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

printf 'hello\nworld\n' >"$tmp/in.oot"

# 1. pkg-config
export PKG_CONFIG_PATH="$(dirname "$pc")"
mkdir -p "$tmp/pc"
# shellcheck disable=SC2046
$cc -shared -fPIC -fvisibility=hidden -o "$tmp/pc/oot.so" "$src/oot.c" $(pkg-config --cflags --libs docpipe) || {
    echo "FAIL: pkg-config build"; exit 1; }
[ "$(pkg-config --variable=plugindir docpipe)" -ef "$plugdir" ] || { echo "FAIL: pc plugindir"; exit 1; }
DOCPIPE_PLUGIN_PATH="$tmp/pc" "$docpipe" "$tmp/in.oot" -o "$tmp/out-pc.oot" -O tag=pc
[ "$(cat "$tmp/out-pc.oot")" = "pc: hello
pc: world" ] || { echo "FAIL: pkg-config plugin output:"; cat "$tmp/out-pc.oot"; exit 1; }
DOCPIPE_PLUGIN_PATH="$tmp/pc" "$docpipe" plugins | grep -q "oot.writer .*$tmp/pc/oot.so" || {
    echo "FAIL: plugins does not list the pkg-config plugin"; exit 1; }

# 2. CMake package
"$cmake" -S "$src" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cm.log" 2>&1 || {
    cat "$tmp/cm.log"; echo "FAIL: cmake configure against the package"; exit 1; }
"$cmake" --build "$tmp/cm" >>"$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; echo "FAIL: cmake build"; exit 1; }
so=$(find "$tmp/cm" -name oot.so | head -n 1)
[ -n "$so" ] || { echo "FAIL: no oot.so from the CMake build"; exit 1; }
# only the entry point is exported
exports=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDB]$/ {print $3}' | grep -v '^_' || true)
[ "$exports" = "docpipe_plugin_entry" ] || { echo "FAIL: exports: $exports"; exit 1; }
DOCPIPE_PLUGIN_PATH="$(dirname "$so")" "$docpipe" "$tmp/in.oot" -o "$tmp/out-cm.oot" -O tag=cmake
[ "$(cat "$tmp/out-cm.oot")" = "cmake: hello
cmake: world" ] || { echo "FAIL: CMake plugin output:"; cat "$tmp/out-cm.oot"; exit 1; }
echo "ok"
