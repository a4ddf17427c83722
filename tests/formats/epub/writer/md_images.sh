#!/bin/sh
# md_images.sh CLI WORKDIR NAME FORMAT [--ace]
#
# The Markdown route to an illustrated e-book: cover-book.md is copied into
# WORKDIR/NAME.src/ next to its pictures (cover.png, images/figure.png drawn
# here, and an SVG diagram the copy also shows), and converted straight from
# Markdown: the Markdown reader must load the local images into the
# document's resources (plugins/resload), so the EPUB carries them. Checks:
# no image warning at all (nor a broken link); the container holds each picture byte for byte,
# listed in the manifest with its sniffed type; then epub_case.sh (check_epub,
# EPUBCheck + epubcheck-ts, Ace with --ace).
set -u
cli=$1 workdir=$2 name=$3 format=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
src=$workdir/$name.src
rm -rf "$src"
mkdir -p "$src/images" || exit 1
# Markdown cannot give the heading an id: link to its generated one
sed 's/(#second)/(#the-second-chapter)/' "$here/cover-book.md" >"$src/book.md" || exit 1
printf '\nA diagram: ![A grey square with a dark frame](images/diagram.svg)\n' >>"$src/book.md"
python3 - "$here" "$src" <<'PY' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
from add_resources import png
src = sys.argv[2]
with open(src + "/cover.png", "wb") as f:
    f.write(png(300, 450, (122, 38, 38)))
with open(src + "/images/figure.png", "wb") as f:
    f.write(png(120, 40, (20, 90, 160)))
with open(src + "/images/diagram.svg", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="60" height="60" viewBox="0 0 60 60">'
            '<title>A grey square</title><rect x="5" y="5" width="50" height="50" fill="#888" stroke="#222"/>'
            '</svg>\n')
PY
mkdir -p "$workdir" || exit 1
err=$workdir/$name.stderr
SOURCE_DATE_EPOCH=1700000000 "$cli" "$src/book.md" -t "$format" -o "$workdir/$name.probe.epub" 2>"$err" || {
    cat "$err"
    echo "md_images.sh: docpipe failed" >&2
    exit 1
}
status=0
if grep -e "image '" -e "cover image" -e "an id that nothing" "$err"; then
    echo "md_images.sh: FAIL: image warnings above (a local image was not loaded or not packed)" >&2
    status=1
fi
python3 - "$workdir/$name.probe.epub" "$src" <<'PY' || status=1
import sys, zipfile, xml.etree.ElementTree as ET
book, src = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(book)
opf_name = [n for n in z.namelist() if n.endswith(".opf")][0]
base = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
opf = ET.fromstring(z.read(opf_name))
ns = {"opf": "http://www.idpf.org/2007/opf"}
items = {i.get("href"): i.get("media-type") for i in opf.findall(".//opf:manifest/opf:item", ns)}
bad = 0
for name, mime in (("cover.png", "image/png"), ("images/figure.png", "image/png"),
                   ("images/diagram.svg", "image/svg+xml")):
    want = open(src + "/" + name, "rb").read()
    if items.get(name) != mime:
        print("FAIL: manifest item %s: %r, expected %s" % (name, items.get(name), mime)); bad = 1
    elif z.read(base + name) != want:
        print("FAIL: %s in the container differs from the file" % name); bad = 1
    else:
        print("ok: %s (%s, %d bytes) is in the container" % (name, mime, len(want)))
sys.exit(bad)
PY
sh "$here/epub_case.sh" "$cli" "$workdir" "$name" "$src/book.md" "$format" "$@" \
    --check "--cover image --expect-ref images/figure.png --expect-ref images/diagram.svg
             --expect-ref ch002.xhtml#the-second-chapter"
rc=$?
[ $rc = 0 ] || { [ $rc = 77 ] && [ $status = 0 ]; } || status=1
[ $status = 0 ] && [ $rc = 77 ] && exit 77
exit $status
