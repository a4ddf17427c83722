#!/usr/bin/env python3
"""Tests of the corpus test's extractor (text_extract.py): the same text in
Markdown, HTML, EPUB and TEI reads as the same words and counts; markup is
never a word; a glued block, a lost word or a lost note is seen. Without
these the corpus figures could be the extractor's, not docpipe's.
Exit 0 pass, 1 fail, 77 without the cmark-gfm command (Markdown is read
through it)."""

import os
import shutil
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True  # importing must not write into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import text_extract as tx  # noqa: E402

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Meta
Title</title></titleStmt></fileDesc></teiHeader><text><body><div><head>Fruit list</head>
<p><hi rend="bold"><ref target="http://x.org">Download</ref></hi> now<note place="foot" n="1">A
note.</note></p><list><item>red fruit</item><item>computer</item></list>
<figure><graphic url="a.png"/><figDesc>A tree</figDesc></figure></div></body></text></TEI>"""

MD = """---
title: Meta Title
---

# Fruit list

**[Download](http://x.org)** now[^1]

- red fruit
- computer

![A tree](a.png)

[^1]: A note.
"""

HTML = """<!DOCTYPE html><html lang="en"><head><title>Meta Title</title></head><body>
<h1 id="fruit-list">Fruit list</h1>
<p><strong><a href="http://x.org">Download</a></strong> now<a href="#n1" role="doc-noteref">1</a></p>
<ul><li>red fruit</li><li>computer</li></ul><p><img src="a.png" alt="A tree"></p>
<section role="doc-endnotes"><ol><li id="n1"><p>A note. <a href="#r1" role="doc-backlink">↩</a></p></li></ol></section>
</body></html>"""

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Meta
Title</title></head><body><h1>Fruit list</h1><p><b><a href="http://x.org">Download</a></b> now<a
epub:type="noteref" href="#n1">1</a></p><ul><li>red fruit</li><li>computer</li></ul>
<img src="a.png" alt="A tree"/><aside epub:type="footnote" id="n1"><p>A note.</p></aside></body></html>"""

NAV = """<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t
</title></head><body><nav><ol><li><a href="c.xhtml">Contents words</a></li></ol></nav></body></html>"""

OPF = """<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>
<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>
<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="nav"/><itemref idref="c"/></spine></package>"""

CONTAINER = """<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
version="1.0"><rootfiles><rootfile full-path="OEBPS/p.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

WORDS = ["Fruit", "list", "Download", "now", "A", "note", "red", "fruit", "computer", "A", "tree"]
COUNTS = {"notes": 1, "tables": 0, "images": 1, "links": 1, "math": 0, "headings": 1, "items": 2}


def write(d, name, text):
    path = os.path.join(d, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def epub(d, doc):
    path = os.path.join(d, "b.epub")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/p.opf", OPF)
        z.writestr("OEBPS/nav.xhtml", NAV)
        z.writestr("OEBPS/c.xhtml", doc)
    return path


def main():
    if not shutil.which(tx.CMARK):
        print("SKIP: the cmark-gfm command is absent (apt-get install cmark-gfm)")
        return 77
    d = tempfile.mkdtemp(prefix="dp-extract-")
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")
    try:
        same = {"tei": write(d, "a.tei.xml", TEI), "md": write(d, "a.md", MD),
                "html": write(d, "a.html", HTML), "epub": epub(d, XHTML)}
        for fmt, path in same.items():
            words, counts = tx.extract(path)
            # Same words whatever the markup; metadata, note labels, back
            # links, the nav document and markup syntax are not words.
            expect(f"{fmt} words", sorted(words), sorted(WORDS))
            expect(f"{fmt} counts", counts, COUNTS)
        # Two blocks glued into one run of text are seen (issue 17's dd case).
        glued = write(d, "g.tei.xml", TEI.replace("<item>red fruit</item><item>computer</item>",
                                                  "<item>red fruitcomputer</item>"))
        rec, missing = tx.recall(tx.extract(same["md"])[0], tx.extract(glued)[0])
        expect("glued recall below 100", rec < 100, True)
        expect("glued missing", dict(missing), {"fruit": 1, "computer": 1})
        # A lost note: its words and its count.
        lost = write(d, "l.html", HTML.replace("A note. ", ""))
        rec, missing = tx.recall(tx.extract(same["html"])[0], tx.extract(lost)[0])
        expect("lost note missing", dict(missing), {"A": 1, "note": 1})
        # Literal asterisks around a link (issue 17's TEI writer defect) are
        # not words, so they cannot hide or invent a difference...
        stars = write(d, "s.md", MD.replace("**[Download](http://x.org)**", "** [Download](http://x.org) **"))
        expect("asterisks are not words", sorted(tx.extract(stars)[0]), sorted(WORDS))
        # ... and an inline element inside a word does not split it.
        split = write(d, "w.html", HTML.replace("computer", "com<em>put</em>er"))
        expect("inline inside a word", sorted(tx.extract(split)[0]), sorted(WORDS))
        # TeX math in Markdown is counted, not in code.
        math = write(d, "m.md", "Euler: $e^{i\\pi}+1=0$ costs `$5$` and $$x$$.\n")
        expect("tex math", tx.extract(math)[1]["math"], 2)
        # A heading's {#id} attribute is the id, not words (pandoc's MANUAL
        # has "### Extension: `citations` (org) {#org-citations}"); "a{#b}"
        # without the space stays text, as the Markdown reader reads it.
        ids = write(d, "i.md", "## Extension: `citations` (org) {#org-citations}\n\n# Glued{#x}\n")
        expect("heading id not words", sorted(tx.extract(ids)[0]), sorted(["Extension", "citations", "org",
                                                                         "Glued", "x"]))
        # A document that starts with --- but is not front matter is text.
        nofm = write(d, "f.md", "---\nIntro paragraph: with a colon, more.\n\n---\n\nBody.\n")
        expect("not front matter", "Intro" in tx.extract(nofm)[0], True)
        # A TEI markup example (egXML) is shown as code: the words of its
        # XML text, tags included, as the HTML shows it; its <head> and
        # <ref> are no heading or link.
        ex = ('<div><head>Ex</head><p>v<ex>oro</ex> <ref target="http://x.org">here</ref></p></div>')
        tei_ex = write(d, "e.tei.xml", TEI.replace(
            "<list>", '<egXML xmlns="http://www.tei-c.org/ns/Examples">%s</egXML><list>' % ex))
        html_ex = write(d, "e.html", HTML.replace(
            "<ul>", "<pre><code>%s</code></pre><ul>" % ex.replace("&", "&amp;").replace("<", "&lt;")))
        expect("egXML words", sorted(tx.extract(tei_ex)[0]), sorted(tx.extract(html_ex)[0]))
        expect("egXML words are its markup", "oro" in tx.extract(tei_ex)[0], True)
        expect("egXML counts nothing", tx.extract(tei_ex)[1], COUNTS)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    print(f"{'FAIL' if failures else 'ok'}: text_extract ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
