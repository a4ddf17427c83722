#!/bin/sh
# validate.sh KIND FILE... — run the validator that quality-bar.md names for KIND.
#
#   html      Nu HTML Checker (vnu-jar 26.9.27) with --Werror; all FILEs in one JVM
#   epub      EPUBCheck 4.2.6 (zero errors AND zero warnings, read from its summary)
#             and epubcheck-ts 0.7.0 with --fail-on-warnings
#   epub-ace  DAISY Ace 1.4.6 (ace-puppeteer -E) in headless Debian Chromium
#   tei       jing against tei_all.rng (TEI P5 4.12.0); all FILEs in one JVM
#   tei-lite  jing against tei_lite.rng
#
# Exit: 0 valid; 1 invalid (the validator's messages are printed) or FILE
# missing; 77 when a validator or schema is not installed — unless CI=true,
# where a missing validator is a failure (exit 1, saying what is missing);
# 2 on a usage error.
#
# Environment: DOCPIPE_SHARED_DIR (default <repo>/../shared) for the schemas;
# DOCPIPE_VALIDATORS_DIR (default <repo>/.validators) for the npm validators,
# installed by scripts/install-validators.sh; CHROMIUM (default /usr/bin/chromium).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${DOCPIPE_SHARED_DIR:-$repo/../shared}
node_modules=${DOCPIPE_VALIDATORS_DIR:-$repo/.validators}/node_modules
epubcheck_jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
chromium=${CHROMIUM:-/usr/bin/chromium}

usage() {
    echo "usage: validate.sh html|epub|epub-ace|tei|tei-lite FILE..." >&2
    exit 2
}

# missing WHAT HOW: the validator cannot run here.
missing() {
    if [ "${CI:-}" = true ]; then
        echo "validate.sh: $kind: $1 is missing (install: $2); CI=true, so this is a failure" >&2
        exit 1
    fi
    echo "validate.sh: $kind: $1 is missing (install: $2); skipping" >&2
    exit 77
}

need_cmd() {
    command -v "$1" >/dev/null 2>&1 || missing "$1" "$2"
}

need_file() {
    [ -e "$1" ] || missing "$1" "$2"
}

[ $# -ge 2 ] || usage
kind=$1
shift
for f in "$@"; do
    if [ ! -f "$f" ]; then
        echo "validate.sh: $kind: $f: no such file (nothing to validate)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/docpipe-validate.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# jing's Debian wrapper complains about optional jars it does not need.
run_jing() {
    schema=$1
    shift
    jing "$schema" "$@" >"$tmp/jing.out" 2>&1
    rc=$?
    grep -v '^\[warning\] /usr/bin/jing: Unable to locate' "$tmp/jing.out"
    if [ $rc -ne 0 ]; then
        echo "validate.sh: $kind: invalid against $(basename "$schema") (jing exit $rc)" >&2
        return 1
    fi
    return 0
}

# EPUBCheck 4.2.6 exits 0 when it only has warnings; the bar is zero of
# both, so its closing summary is read. A run without that summary (a crash)
# is a failure too.
run_epubcheck() {
    book=$1
    java -jar "$epubcheck_jar" "$book" >"$tmp/epubcheck.out" 2>&1
    rc=$?
    summary=$(grep -E '^Messages: [0-9]+ fatals? / [0-9]+ errors? / [0-9]+ warnings? / [0-9]+ infos?' "$tmp/epubcheck.out" | tail -n 1)
    if [ $rc -eq 0 ] && [ -n "$summary" ] &&
        echo "$summary" | grep -Eq '^Messages: 0 fatals / 0 errors / 0 warnings'; then
        return 0
    fi
    cat "$tmp/epubcheck.out"
    echo "validate.sh: epub: EPUBCheck 4.2.6 rejects $book (exit $rc; ${summary:-no summary line})" >&2
    return 1
}

run_epubcheck_ts() {
    book=$1
    # NO_COLOR/FORCE_COLOR=0: plain text in ctest logs.
    NO_COLOR=1 FORCE_COLOR=0 node "$node_modules/@likecoin/epubcheck-ts/bin/epubcheck.js" \
        "$book" --fail-on-warnings >"$tmp/epubcheck-ts.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        return 0
    fi
    cat "$tmp/epubcheck-ts.out"
    echo "validate.sh: epub: epubcheck-ts 0.7.0 rejects $book (exit $rc)" >&2
    return 1
}

# Ace drives Chromium through puppeteer. As root Chromium needs --no-sandbox,
# which ace-axe-runner-puppeteer 1.4.6 always passes; puppeteer's default flags
# already include --disable-background-networking, --disable-component-update
# and --disable-sync, which this offline machine needs. Its 5 s launch timeout
# is too short on a loaded 2-core machine, hence ACE_TIMEOUT_INITIAL.
run_ace() {
    book=$1
    out="$tmp/ace"
    rm -rf "$out"
    home=${HOME:-}
    if [ -z "$home" ] || [ ! -w "$home" ]; then
        home="$tmp/home"
        mkdir -p "$home"
    fi
    HOME=$home PUPPETEER_EXECUTABLE_PATH=$chromium PUPPETEER_SKIP_DOWNLOAD=1 \
        ACE_TIMEOUT_INITIAL=${ACE_TIMEOUT_INITIAL:-60000} NO_COLOR=1 \
        node "$node_modules/@daisy/ace/bin/ace-puppeteer.js" -E -s -f -o "$out" "$book" \
        >"$tmp/ace.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        return 0
    fi
    cat "$tmp/ace.out"
    if [ -f "$out/report.json" ]; then
        # The violations, one line each: impact, rule, file.
        python3 - "$out/report.json" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    report = json.load(f)
for assertion in report.get("assertions", []):
    where = assertion.get("earl:testSubject", {}).get("url", "?")
    for a in assertion.get("assertions", []):
        result = a.get("earl:result", {})
        if result.get("earl:outcome") != "fail":
            continue
        test = a.get("earl:test", {})
        print("ace: %s: %s [%s]: %s" % (where, test.get("dct:title", "?"),
              test.get("earl:impact", "?"),
              result.get("dct:description", "").strip().replace("\n", " ")))
EOF
    fi
    echo "validate.sh: epub-ace: Ace 1.4.6 reports violations in $book (exit $rc)" >&2
    return 1
}

case $kind in
html)
    need_cmd java "apt-get install default-jre-headless"
    need_file "$node_modules/vnu-jar/build/dist/vnu.jar" "scripts/install-validators.sh"
    java -jar "$node_modules/vnu-jar/build/dist/vnu.jar" --Werror "$@" >"$tmp/vnu.out" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        cat "$tmp/vnu.out"
        echo "validate.sh: html: vnu --Werror rejects $* (exit $rc)" >&2
        exit 1
    fi
    exit 0
    ;;
epub)
    need_cmd java "apt-get install default-jre-headless"
    need_file "$epubcheck_jar" "apt-get install epubcheck"
    need_cmd node "apt-get install nodejs"
    need_file "$node_modules/@likecoin/epubcheck-ts/bin/epubcheck.js" "scripts/install-validators.sh"
    status=0
    for book in "$@"; do
        run_epubcheck "$book" || status=1
        run_epubcheck_ts "$book" || status=1
    done
    exit $status
    ;;
epub-ace)
    need_cmd node "apt-get install nodejs"
    need_cmd python3 "apt-get install python3"
    need_file "$node_modules/@daisy/ace/bin/ace-puppeteer.js" "scripts/install-validators.sh"
    need_file "$chromium" "apt-get install chromium"
    status=0
    for book in "$@"; do
        run_ace "$book" || status=1
    done
    exit $status
    ;;
tei | tei-lite)
    need_cmd jing "apt-get install jing"
    if [ "$kind" = tei ]; then schema=$shared/schemas/tei_all.rng; else schema=$shared/schemas/tei_lite.rng; fi
    need_file "$schema" "the ../shared folder beside the repository, or DOCPIPE_SHARED_DIR"
    run_jing "$schema" "$@" || exit 1
    exit 0
    ;;
*)
    usage
    ;;
esac
