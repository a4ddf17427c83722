#!/usr/bin/env python3
"""The front matter keys pandoc users write (issue 21), each through every
writer: HTML, EPUB 3, TEI, Markdown (front matter again), JSON; and pandoc's
--epub-metadata=FILE.

  frontmatter_tests.py CLI CASE

Cases: title, author, date, lang, dir, abstract, keywords, subject,
description, rights, publisher, identifier, cover-image, css, valid (every
key at once: Nu, EPUBCheck + epubcheck-ts, Ace, jing tei_all clean),
epub-metadata.
Exit 0 pass, 1 fail, 77 when a validator is missing.
"""
import json
import os
import re
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "common"))
from conversion_checks import Checks  # noqa: E402

C = Checks("docpipe-fm-")
TMP, check, run, validate = C.tmp, C.check, C.run, C.validate


def write(name, text, mode="w"):
    return C.write(name, text)


def tiny_png():
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


class Outputs:
    """One front matter converted by every writer; the texts to check."""

    def __init__(self, cli, name, front, extra=()):
        self.src = write(name + ".md", "---\n" + front + "\n---\n# Heading\n\nSome text.\n")
        self.err = {}
        self.files = {}
        for fmt, ext in (("html", "html"), ("epub", "epub"), ("tei", "tei.xml"), ("markdown", "out.md"),
                         ("json", "json")):
            out = os.path.join(TMP, "%s.%s" % (name, ext))
            r = run([cli, self.src, "-t", fmt, "-o", out] + list(extra))
            check(r.returncode == 0, "%s -> %s: %s" % (name, fmt, r.stderr.decode()))
            self.err[fmt] = r.stderr.decode()
            self.files[fmt] = out
        self.html = open(self.files["html"], encoding="utf-8").read()
        with zipfile.ZipFile(self.files["epub"]) as z:
            self.opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
            self.names = z.namelist()
            self.css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
            self.pages = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
        self.tei = open(self.files["tei"], encoding="utf-8").read()
        self.md = open(self.files["markdown"], encoding="utf-8").read()
        self.meta = json.load(open(self.files["json"], encoding="utf-8"))["meta"]
        # the Markdown written reads back to the same metadata
        back = os.path.join(TMP, name + ".back.json")
        run([cli, self.files["markdown"], "-t", "json", "-o", back])
        self.back = json.load(open(back, encoding="utf-8"))["meta"] if os.path.exists(back) else {}

    def has(self, where, pattern, what):
        text = getattr(self, where)
        check(re.search(pattern, text, re.S), "%s: %s: /%s/ not found" % (where, what, pattern))

    def kept(self, key):
        check(key in self.meta, "JSON: metadata %s kept" % key)
        check(self.back.get(key) == self.meta.get(key), "Markdown round trip keeps %s: %r != %r" %
              (key, self.back.get(key), self.meta.get(key)))

    def unreported(self, key):
        for fmt, err in self.err.items():
            check(not re.search(r"'%s'.*(no place|not written|dropped)" % re.escape(key), err),
                  "%s reports %s as lost: %s" % (fmt, key, err))


def c_title(cli):
    o = Outputs(cli, "title", "title: The Title\nsubtitle: The Subtitle")
    o.has("html", r"<title>The Title</title>", "title")
    o.has("html", r'class="subtitle">The Subtitle<', "visible subtitle")
    o.has("opf", r'<dc:title id="title">The Title</dc:title>', "dc:title")
    o.has("opf", r'<dc:title id="subtitle">The Subtitle</dc:title>', "subtitle as a dc:title")
    o.has("tei", r'<title type="main">The Title</title>\s*<title type="sub">The Subtitle</title>', "TEI titles")
    o.kept("title")
    o.kept("subtitle")


def c_author(cli):
    for name, front in (("author-string", "title: T\nauthor: Ann Author"),
                        ("author-list", "title: T\nauthor: [Ann Author, Bob Builder]"),
                        ("author-maps", "title: T\nauthor:\n  - name: Ann Author\n    affiliation: Uni A\n"
                                        "  - name: Bob Builder")):
        o = Outputs(cli, name, front)
        o.has("html", r'<meta name="author" content="Ann Author">', name)
        o.has("opf", r"<dc:creator[^>]*>Ann Author</dc:creator>", name)
        o.has("tei", r"<author>(<persName>)?Ann Author", name)
        if name != "author-string":
            o.has("html", r'<meta name="author" content="Bob Builder">', name)
            o.has("opf", r"<dc:creator[^>]*>Bob Builder</dc:creator>", name)
            o.has("tei", r"<author>Bob Builder</author>", name)
        if name == "author-maps":
            o.has("tei", r"<affiliation>Uni A</affiliation>", "TEI affiliation")
            tei_back = os.path.join(TMP, "author-maps.tei.json")
            run([cli, o.files["tei"], "-f", "tei", "-t", "json", "-o", tei_back])
            authors = json.load(open(tei_back, encoding="utf-8"))["meta"].get("author")
            check(authors and authors[0] == {"name": "Ann Author", "affiliation": "Uni A"},
                  "TEI reads the affiliation back: %r" % authors)
        o.kept("author")


def c_date(cli):
    o = Outputs(cli, "date", "title: T\ndate: 2024-05-01")
    o.has("html", r'<meta name="date" content="2024-05-01">', "date")
    o.has("opf", r"<dc:date>2024-05-01</dc:date>", "dc:date")
    o.has("tei", r'<date when="2024-05-01">', "TEI date")
    o.kept("date")


def c_lang(cli):
    o = Outputs(cli, "lang", "title: T\nlang: fr")
    o.has("html", r'<html lang="fr"', "html lang")
    o.has("opf", r"<dc:language>fr</dc:language>", "dc:language")
    check(all('xml:lang="fr"' in p for p in o.pages), "EPUB pages: xml:lang")
    o.has("tei", r'<TEI[^>]*xml:lang="fr"', "TEI xml:lang")
    o.has("tei", r'<langUsage>\s*<language ident="fr">', "TEI langUsage")
    o.unreported("lang")
    o.kept("lang")


def c_dir(cli):
    o = Outputs(cli, "dir", "title: T\nlang: he\ndir: rtl")
    o.has("html", r'<html lang="he" dir="rtl"', "html dir")
    o.has("opf", r'page-progression-direction="rtl"', "spine direction")
    check(all('dir="rtl"' in p for p in o.pages), "EPUB pages: dir")
    o.has("tei", r'<text style="direction: rtl"', "TEI text direction")
    check('n="dir"' not in o.tei, "TEI: dir not also a docpipe-meta note")
    o.unreported("dir")
    o.kept("dir")


def c_abstract(cli):
    o = Outputs(cli, "abstract", "title: T\nabstract: An abstract here.")
    o.has("html", r'<meta name="(abstract|description)" content="An abstract here.">', "abstract")
    o.has("opf", r"<dc:description>An abstract here.</dc:description>", "dc:description")
    o.has("tei", r"<abstract>\s*<p>An abstract here.</p>", "TEI abstract")
    o.unreported("abstract")
    o.kept("abstract")


def c_keywords(cli):
    for name, front, words in (("keywords-list", "title: T\nkeywords: [kw1, kw2]", ["kw1", "kw2"]),
                               ("keywords-string", "title: T\nkeywords: kw1", ["kw1"])):
        o = Outputs(cli, name, front)
        o.has("html", r'<meta name="keywords" content="%s">' % ", ".join(words), name)
        for w in words:
            o.has("opf", r"<dc:subject>%s</dc:subject>" % w, name)
            o.has("tei", r"<term>%s</term>" % w, name)
        o.unreported("keywords")
        o.kept("keywords")


def one_key(key, value, html, opf, tei):
    """A case for a key that each writer holds in one place: the front
    matter "title: T" plus key: value, and the pattern each output must have
    ((pattern, what) for html, the EPUB package, TEI)."""
    def case(cli):
        o = Outputs(cli, key, "title: T\n%s: %s" % (key, value))
        for fmt, (pattern, what) in (("html", html), ("opf", opf), ("tei", tei)):
            o.has(fmt, pattern, what)
        o.kept(key)
    return case


c_subject = one_key("subject", "Subj", (r'<meta name="keywords" content="Subj">', "subject"),
                    (r"<dc:subject>Subj</dc:subject>", "dc:subject"), (r"<term>Subj</term>", "TEI term"))
c_description = one_key("description", "A description.",
                        (r'<meta name="description" content="A description.">', "description"),
                        (r"<dc:description>A description.</dc:description>", "dc:description"),
                        (r"<abstract>\s*<p>A description.</p>", "TEI abstract"))
c_rights = one_key("rights", "CC BY 4.0", (r'content="CC BY 4.0"', "rights"),
                   (r"<dc:rights>CC BY 4.0</dc:rights>", "dc:rights"),
                   (r"<availability>\s*<p>CC BY 4.0</p>", "TEI availability"))
c_publisher = one_key("publisher", "Pub House", (r'<meta name="publisher" content="Pub House">', "publisher"),
                      (r"<dc:publisher>Pub House</dc:publisher>", "dc:publisher"),
                      (r"<publisher>Pub House</publisher>", "TEI publisher"))
c_identifier = one_key("identifier", "urn:isbn:9780000000002",
                       (r'<meta name="identifier" content="urn:isbn:9780000000002">', "identifier"),
                       (r'<dc:identifier id="pub-id">urn:isbn:9780000000002</dc:identifier>', "dc:identifier"),
                       (r"<idno>urn:isbn:9780000000002</idno>", "TEI idno"))


def c_cover_image(cli):
    write("cover.png", tiny_png(), "wb")
    o = Outputs(cli, "cover", "title: T\ncover-image: cover.png")
    o.has("opf", r'<item id="cover-image" href="[^"]*cover.png" media-type="image/png" properties="cover-image"/>',
          "EPUB cover image")
    o.has("html", r'<meta name="cover-image" content="cover.png">', "HTML")
    o.kept("cover-image")
    # pandoc's --epub-cover-image is the same metadata: one mechanism
    src = write("cover-cli.md", "---\ntitle: T\n---\ntext\n")
    out = os.path.join(TMP, "cover-cli.epub")
    r = run([cli, src, "--epub-cover-image", "cover.png", "-o", out])
    check(r.returncode == 0, "--epub-cover-image: %s" % r.stderr.decode())
    with zipfile.ZipFile(out) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
    check('properties="cover-image"' in opf, "--epub-cover-image gives the same cover")


def c_css(cli):
    write("extra.css", "p { text-indent: 1.5em; }\n")
    o = Outputs(cli, "css", "title: T\ncss: extra.css")
    o.has("html", r'<link rel="stylesheet" href="extra.css">', "HTML link")
    o.has("css", r"text-indent: 1.5em", "EPUB: the sheet is in the book")
    o.unreported("css")
    o.kept("css")
    # --css is the same metadata
    src = write("css-cli.md", "---\ntitle: T\n---\ntext\n")
    r = run([cli, src, "--css", "extra.css", "-t", "html"])
    check('href="extra.css"' in r.stdout.decode(), "--css links the same sheet")
    # a URL cannot go into the book: reported
    o = Outputs(cli, "css-url", "title: T\ncss: https://example.org/s.css")
    check("https://example.org/s.css" in o.err["epub"], "EPUB reports a stylesheet URL it cannot include")


ALL = """title: The Title
subtitle: The Subtitle
author:
  - name: Ann Author
    affiliation: Uni A
  - Bob Builder
date: 2024-05-01
lang: fr
dir: ltr
abstract: An abstract here.
keywords: [kw1, kw2]
subject: Subj
rights: CC BY 4.0
publisher: Pub House
identifier: urn:isbn:9780000000002
cover-image: cover.png
css: extra.css"""


def c_valid(cli):
    write("cover.png", tiny_png(), "wb")
    write("extra.css", "p { text-indent: 1.5em; }\n")
    o = Outputs(cli, "all", ALL)
    validate("html", o.files["html"])
    validate("epub", o.files["epub"])
    validate("epub-ace", o.files["epub"])
    validate("tei", o.files["tei"])


DC_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<dc:rights>Creative Commons BY-SA</dc:rights>
<dc:language>es-AR</dc:language>
<dc:source>A printed edition</dc:source>
<dc:subject>First</dc:subject>
<dc:subject>Second</dc:subject>
<dc:publisher>From the file</dc:publisher>
"""


def c_epub_metadata(cli):
    dc = write("dc.xml", DC_FILE)
    src = write("epm.md", "---\ntitle: T\nlang: en\npublisher: From the document\n---\ntext\n")
    out = os.path.join(TMP, "epm.epub")
    r = run([cli, src, "--epub-metadata", dc, "-o", out])
    err = r.stderr.decode()
    check(r.returncode == 0, "--epub-metadata: %s" % err)
    with zipfile.ZipFile(out) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
    check("<dc:rights>Creative Commons BY-SA</dc:rights>" in opf, "dc:rights added from the file")
    check("<dc:source>A printed edition</dc:source>" in opf, "dc:source added")
    check("<dc:subject>First</dc:subject>" in opf and "<dc:subject>Second</dc:subject>" in opf,
          "both dc:subject added")
    check("<dc:language>en</dc:language>" in opf and "es-AR" not in opf, "the document's language wins")
    check("From the document" in opf and "From the file" not in opf, "the document's publisher wins")
    check(re.search(r"dc:language in the 'epub-metadata' file", err) and
          re.search(r"dc:publisher in the 'epub-metadata' file", err), "what is not used is reported: %s" % err)
    validate("epub", out)
    # a document without a language takes the file's, and is not told 'en' is assumed
    src = write("epm-nolang.md", "---\ntitle: T\n---\ntext\n")
    out2 = os.path.join(TMP, "epm-nolang.epub")
    r = run([cli, src, "-o", out2, "-O", "epub-metadata=" + dc])
    with zipfile.ZipFile(out2) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
    check("<dc:language>es-AR</dc:language>" in opf, "the file's dc:language stands in")
    check("'en' is assumed" not in r.stderr.decode(), "no 'en assumed' warning: %s" % r.stderr.decode())
    # not well-formed: a clear error naming the file, nothing written
    bad = write("bad.xml", "<dc:rights>unclosed\n")
    out3 = os.path.join(TMP, "bad.epub")
    r = run([cli, src, "-o", out3, "--epub-metadata", bad])
    check(r.returncode != 0 and "bad.xml" in r.stderr.decode() and not os.path.exists(out3),
          "a broken file is an error: %s" % r.stderr.decode())
    # not EPUB output: said
    r = run([cli, src, "-t", "html", "--epub-metadata", dc])
    check(r.returncode == 0 and "--epub-metadata is for EPUB output" in r.stderr.decode(), "HTML: ignored, said")


CASES = {"title": c_title, "author": c_author, "date": c_date, "lang": c_lang, "dir": c_dir,
         "abstract": c_abstract, "keywords": c_keywords, "subject": c_subject, "description": c_description,
         "rights": c_rights, "publisher": c_publisher, "identifier": c_identifier, "cover-image": c_cover_image,
         "css": c_css, "valid": c_valid, "epub-metadata": c_epub_metadata}


if __name__ == "__main__":
    sys.exit(C.main(CASES, __doc__))
