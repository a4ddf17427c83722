#!/usr/bin/env python3
"""epub:type vocabulary prefixes (issue 17): re-writing a valid EPUB whose
pages use prefixed vocabularies (z3998:, se: as in Standard Ebooks) gives a
valid EPUB, every prefix written being declared; a prefix with no known
vocabulary is dropped with a warning.

usage: prefixes.py DOCPIPE SOURCE_DIR WORKDIR
Exit 0 pass, 1 fail, 77 skip (EPUBCheck not installed)."""
import os
import re
import shutil
import subprocess
import sys
import zipfile

CONTAINER = ('<?xml version="1.0"?>\n<container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>\n')
PREFIXES = ("z3998: http://www.daisy.org/z3998/2012/vocab/structure/# "
            "se: https://standardebooks.org/vocab/1.0")
OPF = ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
       'unique-identifier="id" xml:lang="en" prefix="%s">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
       '<dc:identifier id="id">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier><dc:title>Poems'
       '</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2020-01-01T00:00:00Z</meta>'
       '</metadata>\n<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
       'properties="nav"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>\n'
       '<spine><itemref idref="c1"/></spine></package>\n' % PREFIXES)
NAV = ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
       'xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en"><head><title>Nav</title></head><body>'
       '<nav epub:type="toc"><ol><li><a href="c1.xhtml">Poem</a></li></ol></nav></body></html>\n')
PAGE = ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en" epub:prefix="%s"><head><title>Poem'
        '</title></head><body>\n<section epub:type="z3998:poem" id="poem"><h2 epub:type="title">A Poem</h2>\n'
        '<p><span epub:type="z3998:roman">IV</span> lines by <b epub:type="z3998:personal-name">Ann</b> on the '
        '<i epub:type="se:name.vessel.ship">Argo</i>%s.</p>\n</section></body></html>\n')


def book(path, extra):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in (("META-INF/container.xml", CONTAINER), ("OEBPS/content.opf", OPF),
                           ("OEBPS/nav.xhtml", NAV), ("OEBPS/c1.xhtml", PAGE % (PREFIXES, extra))):
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def main():
    cli, src, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    validate = os.path.join(src, "tests", "common", "validate.sh")
    fails = []

    def valid(*paths):
        # one validator run for every book (a JVM start is seconds)
        p = subprocess.run(["sh", validate, "epub"] + list(paths), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sys.stdout.write(p.stdout.decode("utf-8", "replace"))
        if p.returncode == 77:
            print("SKIP: EPUBCheck not installed")
            sys.exit(77)
        return p.returncode == 0

    def convert(inp, out):
        p = subprocess.run([cli, inp, "-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = p.stderr.decode("utf-8", "replace")
        sys.stdout.write(err)
        if p.returncode != 0:
            fails.append("docpipe %s exited %d" % (inp, p.returncode))
        return err

    # a valid book: valid again after docpipe, its prefixes declared
    good, good_out = os.path.join(work, "se.epub"), os.path.join(work, "se-out.epub")
    book(good, "")
    convert(good, good_out)
    if os.path.exists(good_out):
        with zipfile.ZipFile(good_out) as z:
            pages = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")]
        page = next((p for p in pages if "z3998:poem" in p), "")
        if not page:
            fails.append("the z3998 types were not carried")
        m = re.search(r'epub:prefix="([^"]*)"', page)
        if not m or "z3998: http://www.daisy.org/z3998/2012/vocab/structure/#" not in m.group(1) or \
                "se: https://standardebooks.org/vocab/1.0" not in m.group(1):
            fails.append("prefixes not declared: %s" % (m.group(0) if m else "no epub:prefix"))

    # an undeclared, unknown prefix: dropped with a warning, the output valid
    odd, odd_out = os.path.join(work, "odd.epub"), os.path.join(work, "odd-out.epub")
    book(odd, ' and <span epub:type="foo:bar">odd</span>')
    err = convert(odd, odd_out)
    if not re.search(r'epub:type "foo:bar".*"foo" is not known.*dropped', err):
        fails.append("no warning for the unknown prefix: %r" % err)
    if os.path.exists(odd_out):
        with zipfile.ZipFile(odd_out) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
        if "foo:bar" in text or ">odd</span>" not in text:
            fails.append("the unknown type was not dropped, or its text was")
    # the input is valid EPUB, and so are both books docpipe wrote from it
    if os.path.exists(good_out) and os.path.exists(odd_out) and not valid(good, good_out, odd_out):
        fails.append("EPUBCheck / epubcheck-ts: the input or an output is not valid (messages above)")
    for f in fails:
        print("FAIL:", f)
    print("ok" if not fails else "")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
