#!/bin/sh
# config.sh CLI REPO WORKDIR: runs configs/speech-ebook.yaml (copied with the
# sample into WORKDIR, so its outputs land there) and checks both books.
set -u
cli=$1 repo=$2 workdir=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$workdir"
mkdir -p "$workdir/configs" "$workdir/samples" || exit 1
cp "$repo/configs/speech-ebook.yaml" "$workdir/configs/" || exit 1
cp "$repo/samples/speech.md" "$workdir/samples/" || exit 1
SOURCE_DATE_EPOCH=1700000000 "$cli" run "$workdir/configs/speech-ebook.yaml" --allow-outside || exit 1
status=0 skipped=0
python3 "$here/check_epub.py" "$workdir/out/speech.epub" --version 3 --notes chapter --epoch 1700000000 || status=1
python3 "$here/check_epub.py" "$workdir/out/speech-epub2.epub" --version 2 --epoch 1700000000 || status=1
# split-level 2: the introduction and the speech are two files
n=$(python3 -c "import zipfile,sys; print(sum(1 for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith('EPUB/ch')))" "$workdir/out/speech.epub")
if [ "$n" -lt 2 ]; then
    echo "config: split-level 2 gave $n chapter files, want 2 or more"
    status=1
fi
sh "$here/../../../common/validate.sh" epub "$workdir/out/speech.epub" "$workdir/out/speech-epub2.epub"
case $? in 0) ;; 77) skipped=1 ;; *) status=1 ;; esac
[ $status = 0 ] && [ $skipped = 1 ] && exit 77
exit $status
