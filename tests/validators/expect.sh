#!/bin/sh
# expect.sh VERDICT KIND FILE — run tests/common/validate.sh KIND FILE and
# check its verdict: "valid" wants exit 0, "invalid" wants exit 1. A skip (77:
# validator absent) is passed on, so ctest shows it as skipped. This is what
# keeps a broken validator (one that accepts or rejects everything) from
# silently turning every format test green.
set -u
verdict=$1
kind=$2
file=$3
if [ ! -f "$file" ]; then
    # validate.sh would call a missing file invalid: that must not count.
    echo "expect.sh: fixture $file was not generated" >&2
    exit 1
fi
validate="$(cd "$(dirname "$0")/../common" && pwd)/validate.sh"
"$validate" "$kind" "$file"
rc=$?
case "$verdict:$rc" in
valid:0 | invalid:1)
    echo "expect.sh: $kind $(basename "$file"): $verdict as expected"
    exit 0
    ;;
*:77)
    exit 77
    ;;
*)
    echo "expect.sh: $kind $(basename "$file"): expected $verdict, validate.sh exited $rc" >&2
    exit 1
    ;;
esac
