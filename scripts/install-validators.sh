#!/bin/sh
# install-validators.sh — install the npm validators pinned by
# tests/validators/package-lock.json (vnu-jar 26.9.27, @likecoin/epubcheck-ts
# 0.7.0, @daisy/ace 1.4.6) into <repo>/.validators/node_modules with `npm ci`.
#
# --ignore-scripts: Ace's dependencies would otherwise download their own
# browsers (puppeteer's Chrome, Electron); we use Debian's Chromium instead
# (PUPPETEER_SKIP_DOWNLOAD=1 as well). vnu-jar's postinstall only looks for a
# Java runtime, which apt provides. Quick when the installed tree already
# matches the lock file.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
lock="$repo/tests/validators/package-lock.json"
dest=${DOCPIPE_VALIDATORS_DIR:-$repo/.validators}
stamp="$dest/.installed-lock"

if ! command -v npm >/dev/null 2>&1; then
    echo "install-validators: npm is missing (scripts/install-deps.sh --tests installs it)" >&2
    exit 1
fi

if [ -f "$stamp" ] && cmp -s "$lock" "$stamp" &&
    [ -f "$dest/node_modules/vnu-jar/build/dist/vnu.jar" ] &&
    [ -f "$dest/node_modules/@likecoin/epubcheck-ts/bin/epubcheck.js" ] &&
    [ -f "$dest/node_modules/@daisy/ace/bin/ace-puppeteer.js" ]; then
    exit 0
fi

echo "install-validators: npm ci into $dest"
mkdir -p "$dest"
cp "$repo/tests/validators/package.json" "$lock" "$dest/"
(cd "$dest" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$lock" "$stamp"
