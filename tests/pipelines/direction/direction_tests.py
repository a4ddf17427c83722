#!/usr/bin/env python3
"""Direction and writing mode end to end (issue 20): the tree's metadata `dir`
and the `dir` attribute of blocks and runs, read by every reader and written
by every writer, checked by the validators.

  direction_tests.py CLI CASE

  arabic-epub     the right-to-left sample EPUB -> EPUB and HTML: dir="rtl" on
                  every page, page-progression-direction="rtl"; EPUBCheck,
                  epubcheck-ts, Ace, Nu clean
  md-rtl          Markdown with front matter `dir: rtl` through every writer
                  (HTML, EPUB 3, EPUB 2, TEI, Markdown, JSON, pandoc-json)
  mixed-runs      an English run in Arabic and an Arabic run in English keep
                  their dir through HTML, EPUB, TEI, JSON and back to Markdown
  readers         HTML <html dir>/<body dir>, TEI <text style>, TEI xml:lang of a
                  right-to-left script, EPUB spine direction
  guess-once      Arabic text that declares nothing: dir="rtl", said once
  vertical        an EPUB written vertical-rl (CSS writing-mode and the
                  primary-writing-mode meta) stays so through EPUB -> EPUB

Exit 0 pass, 1 fail, 77 when a sample or validator is missing.
"""
import json
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "common"))
from conversion_checks import REPO, Checks  # noqa: E402

SHARED = os.environ.get("DOCPIPE_SHARED_DIR") or os.path.join(REPO, "..", "shared")
C = Checks("docpipe-dir-")
TMP, check, run, write, validate = C.tmp, C.check, C.run, C.write, C.validate


def convert(cli, src, fmt, name, *extra):
    out = os.path.join(TMP, name)
    r = run([cli, src, "-t", fmt, "-o", out] + list(extra))
    check(r.returncode == 0, "%s -> %s failed: %s" % (src, fmt, r.stderr.decode()))
    return out, r.stderr.decode()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def vnu_except_nfc(page):
    """Nu with --Werror, but for the sample's own text not in Unicode NFC (docpipe keeps the
    source's characters as written: the accepted reason in tests/corpus/floors.json)."""
    jar = os.path.join(os.environ.get("DOCPIPE_VALIDATORS_DIR") or os.path.join(REPO, ".validators"),
                       "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
    if not os.path.exists(jar):
        C.skipped = True
        print("note: vnu is missing (%s)" % jar)
        return
    r = run(["java", "-jar", jar, "--Werror", "--filterpattern", ".*Unicode Normalization Form C.*", page])
    check(r.returncode == 0, "vnu: %s\n%s" % (page, (r.stdout + r.stderr).decode()[-3000:]))


def epub_parts(path):
    with zipfile.ZipFile(path) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
        pages = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
        css = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".css")}
    return opf, pages, css


def html_tag(page):
    m = re.search(r"<html[^>]*>", page)
    return m.group(0) if m else ""


def content_pages(pages):
    """The spine's pages: every XHTML file but the navigation document."""
    return {n: p for n, p in pages.items() if 'epub:type="toc"' not in p}


# ---- cases ------------------------------------------------------------------------------

def arabic_epub(cli):
    src = os.path.join(SHARED, "samples", "epub", "regime-anticancer-arabic.epub")
    if not os.path.exists(src):
        print("SKIP: %s is missing" % src)
        sys.exit(77)
    book, _ = convert(cli, src, "epub", "arabic.epub")
    opf, pages, _ = epub_parts(book)
    check(re.search(r'<spine[^>]*page-progression-direction="rtl"', opf), "spine: page-progression-direction=rtl")
    for name, page in content_pages(pages).items():
        check('dir="rtl"' in html_tag(page), "%s: <html dir=rtl>: %s" % (name, html_tag(page)))
    page, _ = convert(cli, src, "html", "arabic.html")
    check('dir="rtl"' in html_tag(read(page)), "HTML: <html dir=rtl>: %s" % html_tag(read(page)))
    tree, _ = convert(cli, src, "json", "arabic.json")
    check(json.loads(read(tree))["meta"].get("dir") == "rtl", "EPUB reader: metadata dir from the spine")
    validate("epub", book)
    validate("epub-ace", book)
    vnu_except_nfc(page)


MD_RTL = """---
title: عنوان
dir: rtl
---
# مقدمة

نص عربي قصير.
"""


def md_rtl(cli):
    src = write("rtl.md", MD_RTL)
    page, _ = convert(cli, src, "html", "rtl.html")
    check('dir="rtl"' in html_tag(read(page)), "HTML: <html dir=rtl>")
    for fmt in ("epub", "epub2"):
        book, _ = convert(cli, src, fmt, "rtl-%s.epub" % fmt)
        opf, pages, _ = epub_parts(book)
        if fmt == "epub":
            check(re.search(r'<spine[^>]*page-progression-direction="rtl"', opf), "EPUB 3 spine direction")
        else:
            check("page-progression-direction" not in opf, "EPUB 2: no EPUB 3 spine attribute")
        for name, p in pages.items():
            check('dir="rtl"' in html_tag(p), "%s %s: <html dir=rtl>" % (fmt, name))
        validate("epub", book)
    tei, _ = convert(cli, src, "tei", "rtl.tei.xml")
    check('<text style="direction: rtl"' in read(tei), "TEI: <text style=direction: rtl>")
    md, _ = convert(cli, src, "markdown", "rtl.out.md")
    check(re.search(r"^dir: rtl$", read(md), re.M), "Markdown: front matter dir")
    js, _ = convert(cli, src, "json", "rtl.json")
    check(json.loads(read(js))["meta"].get("dir") == "rtl", "JSON: metadata dir")
    pj, _ = convert(cli, src, "pandoc-json", "rtl.pandoc.json")
    check(json.loads(read(pj))["meta"].get("dir", {}).get("c") in ("rtl", [{"t": "Str", "c": "rtl"}]),
          "pandoc-json: meta dir: %r" % json.loads(read(pj))["meta"].get("dir"))
    # and back: each writer's output read again still says rtl
    for path, fmt in ((page, "html"), (tei, "tei"), (md, "markdown"), (js, "json")):
        back, _ = convert(cli, path, "json", os.path.basename(path) + ".back.json", "-f", fmt)
        check(json.loads(read(back))["meta"].get("dir") == "rtl", "%s read back: metadata dir" % fmt)
    validate("html", page)
    validate("tei", tei)


MIXED = """---
title: Mixed
lang: ar
dir: rtl
---
# عنوان

قال <span lang="en" dir="ltr">Hello, world</span> ثم سكت.

<div dir="ltr" lang="en">

An English paragraph with <span lang="ar" dir="rtl">كلمة عربية</span> inside.

</div>
"""


def mixed_runs(cli):
    src = write("mixed.md", MIXED)
    first = read(convert(cli, src, "markdown", "mixed.1.md")[0])
    check('<span lang="en" dir="ltr">Hello, world</span>' in first, "Markdown: <span dir> kept: %s" % first)
    check('<span lang="ar" dir="rtl">كلمة عربية</span>' in first, "Markdown: the Arabic run kept")
    _, err = convert(cli, src, "markdown", "mixed.2.md")
    check("span with attributes" not in err, "a span with lang and dir is no loss: %s" % err)
    page, _ = convert(cli, src, "html", "mixed.html")
    h = read(page)
    check(re.search(r'<span(?=[^>]*lang="en")(?=[^>]*dir="ltr")[^>]*>Hello, world</span>', h), "HTML: the English run")
    check(re.search(r'<div[^>]*dir="ltr"', h), "HTML: the English block")
    tei, _ = convert(cli, src, "tei", "mixed.tei.xml")
    t = read(tei)
    check(re.search(r'style="direction: ltr"[^>]*>Hello, world<|<[^>]*style="direction: ltr"', t),
          "TEI: the English run's direction in @style")
    validate("html", page)
    validate("tei", tei)
    book, _ = convert(cli, src, "epub", "mixed.epub")
    validate("epub", book)
    for path, fmt in ((page, "html"), (tei, "tei"), (book, "epub")):
        back = read(convert(cli, path, "markdown", os.path.basename(path) + ".md", "-f", fmt)[0])
        check(re.search(r'<span lang="en" dir="ltr">Hello, world</span>', back),
              "%s -> Markdown: the English run keeps its dir: %s" % (fmt, back))
        check(re.search(r'<span lang="ar" dir="rtl">كلمة عربية</span>', back),
              "%s -> Markdown: the Arabic run keeps its dir" % fmt)
    js = convert(cli, src, "json", "mixed.json")[0]
    back = read(convert(cli, js, "markdown", "mixed.json.md")[0])
    check(back == first, "Markdown -> JSON -> Markdown is the same:\n%s\n%s" % (first, back))


def readers(cli):
    cases = [
        ("html-dir.html", '<!DOCTYPE html><html dir="rtl"><head><title>t</title></head><body><p>x</p></body></html>',
         "rtl"),
        ("body-dir.html", '<!DOCTYPE html><html><head><title>t</title></head><body dir="rtl"><p>x</p></body></html>',
         "rtl"),
        ("ltr.html", '<!DOCTYPE html><html dir="ltr" lang="ar"><head><title>t</title></head><body><p>x</p></body></html>',
         "ltr"),
        ("text-style.tei.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t'
         '</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
         '</teiHeader><text style="direction: rtl"><body><p>x</p></body></text></TEI>', "rtl"),
    ]
    for name, text, want in cases:
        src = write(name, text)
        fmt = "tei" if name.endswith(".tei.xml") else "html"
        js = json.loads(read(convert(cli, src, "json", name + ".json", "-f", fmt)[0]))
        check(js["meta"].get("dir") == want, "%s: metadata dir %r, want %r" % (name, js["meta"].get("dir"), want))
        page = read(convert(cli, src, "html", name + ".out.html", "-f", fmt)[0])
        check('dir="%s"' % want in html_tag(page), "%s -> HTML: %s" % (name, html_tag(page)))
    # a TEI document in Hebrew says nothing but its language: right to left
    src = write("he.tei.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="he"><teiHeader><fileDesc>'
                '<titleStmt><title>t</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>'
                '</sourceDesc></fileDesc></teiHeader><text><body><p>שלום</p></body></text></TEI>')
    page = read(convert(cli, src, "html", "he.html", "-f", "tei")[0])
    check('dir="rtl"' in html_tag(page), "TEI xml:lang=he -> HTML dir=rtl: %s" % html_tag(page))
    book = convert(cli, src, "epub", "he.epub", "-f", "tei")[0]
    opf, _, _ = epub_parts(book)
    check('page-progression-direction="rtl"' in opf, "TEI xml:lang=he -> EPUB spine direction")
    # a paragraph's own direction in HTML and TEI, read and written back
    src = write("p-dir.html", '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                '<p>English.</p><p dir="rtl" lang="ar">عربي</p></body></html>')
    tei = read(convert(cli, src, "tei", "p-dir.tei.xml")[0])
    check(re.search(r'<p[^>]*style="direction: rtl"', tei), "HTML <p dir> -> TEI @style: %s" % tei[-400:])
    page = read(convert(cli, os.path.join(TMP, "p-dir.tei.xml"), "html", "p-dir.back.html", "-f", "tei")[0])
    check(re.search(r'<p[^>]*dir="rtl"', page), "TEI @style -> HTML <p dir>")
    validate("tei", os.path.join(TMP, "p-dir.tei.xml"))


def guess_once(cli):
    src = write("guess.md", "# عنوان\n\nنص عربي طويل بعض الشيء مع كلمة English واحدة.\n\nفقرة ثانية.\n")
    for fmt, name in (("html", "guess.html"), ("epub", "guess.epub"), ("tei", "guess.tei.xml")):
        out, err = convert(cli, src, fmt, name)
        said = [l for l in err.splitlines() if "right-to-left" in l]
        check(len(said) == 1, "%s: the guess said exactly once: %r" % (fmt, err))
        if fmt == "html":
            check('dir="rtl"' in html_tag(read(out)), "guessed HTML dir")
        elif fmt == "epub":
            opf, _, _ = epub_parts(out)
            check('page-progression-direction="rtl"' in opf, "guessed EPUB spine direction")
        else:
            check('<text style="direction: rtl"' in read(out), "guessed TEI direction")
    # a document that says its direction, or is mostly left to right, is not guessed
    for name, text in (("said.md", "---\ndir: ltr\n---\nنص عربي\n"), ("latin.md", "Mostly English, عربي.\n")):
        _, err = convert(cli, write(name, text), "html", name + ".html")
        check("right-to-left" not in err, "%s: no guess: %r" % (name, err))


OPF_VERTICAL = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="ja">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:0b9a3c43-6a7e-4a7c-9b51-3c0f9f2e8d11</dc:identifier>
<dc:title>縦書き</dc:title><dc:language>ja</dc:language>
<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
<meta name="primary-writing-mode" content="vertical-rl"/>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="css" href="style/vertical.css" media-type="text/css"/>
<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine page-progression-direction="rtl"><itemref idref="c1"/></spine>
</package>
"""
PAGE_VERTICAL = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="ja" xml:lang="ja"><head><title>縦書き</title>
<link rel="stylesheet" type="text/css" href="style/vertical.css"/></head>
<body><h1>第一章</h1><p>吾輩は猫である。名前はまだ無い。</p></body></html>
"""
NAV_VERTICAL = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="ja" xml:lang="ja">
<head><title>目次</title></head><body><nav epub:type="toc"><ol><li><a href="c1.xhtml">第一章</a></li></ol></nav>
</body></html>
"""


def vertical(cli):
    src = os.path.join(TMP, "vertical.epub")
    with zipfile.ZipFile(src, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                   'container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/'
                   'oebps-package+xml"/></rootfiles></container>')
        z.writestr("OEBPS/content.opf", OPF_VERTICAL)
        z.writestr("OEBPS/style/vertical.css", "html { writing-mode: vertical-rl; -epub-writing-mode: vertical-rl; }\n")
        z.writestr("OEBPS/c1.xhtml", PAGE_VERTICAL)
        z.writestr("OEBPS/nav.xhtml", NAV_VERTICAL)
    book, _ = convert(cli, src, "epub", "vertical.out.epub")
    opf, pages, css = epub_parts(book)
    check('<meta name="primary-writing-mode" content="vertical-rl"/>' in opf, "OPF: primary-writing-mode kept")
    check(re.search(r'<spine[^>]*page-progression-direction="rtl"', opf), "OPF: the spine's direction kept")
    sheets = [n for n, c in css.items() if "writing-mode: vertical-rl" in c]
    check(sheets, "the stylesheet with writing-mode: vertical-rl is in the package: %r" % list(css))
    for name, page in content_pages(pages).items():
        if "吾輩" in page:
            check(any(os.path.basename(s) in page for s in sheets), "%s links the vertical stylesheet" % name)
    validate("epub", book)


CASES = {"arabic-epub": arabic_epub, "md-rtl": md_rtl, "mixed-runs": mixed_runs, "readers": readers,
         "guess-once": guess_once, "vertical": vertical}


if __name__ == "__main__":
    sys.exit(C.main(CASES, __doc__))
