#!/bin/sh
# reproducible.sh CLI INPUT WORKDIR: the same input and SOURCE_DATE_EPOCH give
# byte-identical EPUB 3 and EPUB 2 files (fixed zip times and order, an
# identifier derived from the content); another epoch gives another file
# (so the epoch really is what the bytes depend on, not a constant).
set -u
cli=$1 input=$2 workdir=$3
mkdir -p "$workdir" || exit 1
status=0
for fmt in epub epub2; do
    a=$workdir/repro-a.$fmt.epub b=$workdir/repro-b.$fmt.epub c=$workdir/repro-c.$fmt.epub
    rm -f "$a" "$b" "$c"
    SOURCE_DATE_EPOCH=1700000000 "$cli" "$input" -t $fmt -o "$a" -q || exit 1
    sleep 1 # a clock-dependent writer would now differ
    SOURCE_DATE_EPOCH=1700000000 "$cli" "$input" -t $fmt -o "$b" -q || exit 1
    SOURCE_DATE_EPOCH=1600000000 "$cli" "$input" -t $fmt -o "$c" -q || exit 1
    if cmp -s "$a" "$b"; then
        echo "reproducible: $fmt: two runs with the same SOURCE_DATE_EPOCH are byte-identical ($(wc -c <"$a") bytes)"
    else
        echo "reproducible: $fmt: two runs with the same SOURCE_DATE_EPOCH differ:"
        cmp "$a" "$b"
        status=1
    fi
    if cmp -s "$a" "$c"; then
        echo "reproducible: $fmt: another SOURCE_DATE_EPOCH gave the same bytes (the epoch is ignored)"
        status=1
    fi
done
exit $status
