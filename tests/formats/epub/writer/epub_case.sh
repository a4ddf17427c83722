#!/bin/sh
# epub_case.sh CLI WORKDIR NAME INPUT FORMAT [--ace] [--seed] [--check ARGS] [--make-cover-doc] [-- DOCPIPE-ARGS...]
#
# Converts INPUT to WORKDIR/NAME.epub with `docpipe -t FORMAT` (SOURCE_DATE_EPOCH
# fixed), then checks it: check_epub.py (structure; ARGS are passed on),
# EPUBCheck 4.2.6 + epubcheck-ts 0.7.0 (validate.sh epub), DAISY Ace -E
# (--ace, EPUB 3), and the speech seed words in order (--seed).
# --make-cover-doc: INPUT is Markdown; it is turned into a JSON tree carrying
# two PNG resources (the cover and a figure) made here, and that is converted.
# Exit 0 all pass; 1 a check failed; 77 INPUT or a validator is absent
# (after running every check that could run).
set -u
cli=$1 workdir=$2 name=$3 input=$4 format=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
common=$here/../../../common
ace=0 seed=0 check_args="" cover_doc=0
while [ $# -gt 0 ]; do
    case $1 in
    --ace) ace=1 ;;
    --seed) seed=1 ;;
    --check) check_args=$2; shift ;;
    --make-cover-doc) cover_doc=1 ;;
    --) shift; break ;;
    *) echo "epub_case.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
if [ ! -f "$input" ]; then
    echo "epub_case.sh: $input does not exist (yet): skipped"
    exit 77
fi
mkdir -p "$workdir" || exit 1
book=$workdir/$name.epub
epoch=1700000000
if [ $cover_doc = 1 ]; then
    json=$workdir/$name.json
    "$cli" "$input" -t json -o "$workdir/$name.base.json" || exit 1
    python3 "$here/add_resources.py" "$workdir/$name.base.json" "$json" || exit 1
    input=$json
fi
rm -f "$book"
SOURCE_DATE_EPOCH=$epoch "$cli" "$input" -t "$format" -o "$book" "$@" || {
    echo "epub_case.sh: docpipe failed" >&2
    exit 1
}
status=0 skipped=0
version=3
[ "$format" = epub2 ] && version=2
# shellcheck disable=SC2086
python3 "$here/check_epub.py" "$book" --version $version --epoch $epoch $check_args || status=1
run() {
    "$@"
    rc=$?
    case $rc in
    0) ;;
    77) skipped=1 ;;
    *) status=1 ;;
    esac
}
run sh "$common/validate.sh" epub "$book"
[ $ace = 1 ] && run sh "$common/validate.sh" epub-ace "$book"
[ $seed = 1 ] && run python3 "$common/seed_words.py" "$book" --in-order
if [ $status = 0 ] && [ $skipped = 1 ]; then
    echo "epub_case.sh: a validator is not installed: skipped"
    exit 77
fi
exit $status
