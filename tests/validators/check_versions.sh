#!/bin/sh
# check_versions.sh — each validator starts and reports the version that
# quality-bar.md pins. Exit 77 when one is absent (1 under CI=true).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
nm=${DOCPIPE_VALIDATORS_DIR:-$repo/.validators}/node_modules
status=0
skipped=""

# check NAME EXPECTED COMMAND... : COMMAND's output must contain EXPECTED.
check() {
    name=$1
    expected=$2
    shift 2
    out=$("$@" 2>&1)
    if printf '%s\n' "$out" | grep -Fq "$expected"; then
        echo "ok: $name reports $expected"
    else
        echo "FAIL: $name: expected '$expected' in the output of: $*" >&2
        printf '%s\n' "$out" | head -n 5 >&2
        status=1
    fi
}

present() {
    [ -e "$1" ] && return 0
    skipped="$skipped $1"
    return 1
}

if command -v java >/dev/null 2>&1; then
    present /usr/share/java/epubcheck.jar &&
        check EPUBCheck "EPUBCheck v4.2.6" java -jar /usr/share/java/epubcheck.jar --version
    present "$nm/vnu-jar/build/dist/vnu.jar" &&
        check vnu "26.9.27" java -jar "$nm/vnu-jar/build/dist/vnu.jar" --version
else
    skipped="$skipped java"
fi
if command -v node >/dev/null 2>&1; then
    present "$nm/@likecoin/epubcheck-ts/bin/epubcheck.js" &&
        check epubcheck-ts "EPUBCheck-TS v0.7.0" node "$nm/@likecoin/epubcheck-ts/bin/epubcheck.js" --version
    present "$nm/@daisy/ace/bin/ace-puppeteer.js" &&
        check Ace "1.4.6" node "$nm/@daisy/ace/bin/ace-puppeteer.js" --version
else
    skipped="$skipped node"
fi
if command -v jing >/dev/null 2>&1; then
    check jing "Jing version" jing
else
    skipped="$skipped jing"
fi
if [ -x /usr/bin/chromium ]; then
    check Chromium "Chromium" /usr/bin/chromium --version
else
    skipped="$skipped /usr/bin/chromium"
fi

if [ -n "$skipped" ]; then
    echo "check_versions.sh: not installed:$skipped (scripts/install-deps.sh --tests)" >&2
    [ $status -ne 0 ] && exit 1
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
exit $status
