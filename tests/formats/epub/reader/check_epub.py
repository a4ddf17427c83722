#!/usr/bin/env python3
"""EPUB importer tests: books (valid, damaged and hostile) are generated here
with zipfile at test time, imported with the docpipe CLI (-t json) and the
tree, the messages and the exit status are checked.

usage: check_epub.py DOCPIPE CASE
Exit 0 pass, 1 fail, 77 skip."""
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

sys.setrecursionlimit(20000)
CLI = None
TMP = None
failures = []

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def xhtml(body, title="t"):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>%s</title></head><body>%s</body></html>""" % (title, body)).encode()


def opf(items, spine, metadata=None, version="3.0", toc=None):
    md = metadata or """<dc:identifier id="uid">urn:test:1</dc:identifier>
<dc:title>Test Book</dc:title><dc:language>en</dc:language>"""
    man = "\n".join('<item id="%s" href="%s" media-type="%s"%s/>' % (i, h, m, (' properties="%s"' % p) if p else "")
                    for i, h, m, p in items)
    sp = "\n".join('<itemref idref="%s"/>' % i for i in spine)
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" xmlns:opf="http://www.idpf.org/2007/opf" version="%s" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">%s</metadata>
<manifest>%s</manifest><spine%s>%s</spine></package>""" % (version, md, man, (' toc="%s"' % toc) if toc else "", sp)).encode()


def build(name, entries, mimetype=True, mimetype_compressed=False):
    """entries: list of (name, bytes[, compress_type])"""
    path = os.path.join(TMP, name)
    with zipfile.ZipFile(path, "w") as z:
        if mimetype:
            z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip",
                       compress_type=zipfile.ZIP_DEFLATED if mimetype_compressed else zipfile.ZIP_STORED)
        for e in entries:
            info = zipfile.ZipInfo(e[0])
            z.writestr(info, e[1], compress_type=e[2] if len(e) > 2 else zipfile.ZIP_DEFLATED)
    return path


def simple_book(name, chapters, extra_entries=(), extra_items=(), **kw):
    entries = [("META-INF/container.xml", CONTAINER.encode())]
    items, spine = [], []
    for i, (fname, body) in enumerate(chapters):
        entries.append(("OEBPS/" + fname, body if isinstance(body, bytes) else xhtml(body)))
        items.append(("c%d" % i, fname, "application/xhtml+xml", None))
        spine.append("c%d" % i)
    items += list(extra_items)
    entries.append(("OEBPS/content.opf", opf(items, spine, **kw)))
    entries += list(extra_entries)
    return build(name, entries)


def run(path, *extra):
    t0 = time.time()
    r = subprocess.run([CLI, path, "-f", "epub", "-t", "json", "-o", "-"] + list(extra), capture_output=True)
    return r, time.time() - t0


def imported(path, *extra):
    r, _ = run(path, *extra)
    err = r.stderr.decode(errors="replace")
    if r.returncode != 0:
        failures.append("import of %s failed (%d): %s" % (os.path.basename(path), r.returncode, err))
        return None, err
    return json.loads(r.stdout), err


def nodes(n, kind=None):
    out, stack = [], [n]
    while stack:
        x = stack.pop()
        if kind is None or x.get("t") == kind:
            out.append(x)
        stack.extend(reversed(x.get("c", [])))
    return out


def text(n):
    return " ".join(x.get("text", "") for x in nodes(n) if x.get("t") == "text")


def check(cond, what):
    if not cond:
        failures.append(what)


# ---- hostile archives -------------------------------------------------------

def case_zip_bomb():
    # 200 MiB of zeros deflate to about 200 KiB: ratio ~1000, above the default 100
    big = b"\0" * (200 << 20)
    p = simple_book("bomb.epub", [("c1.xhtml", "<p>bomb book words</p>")],
                    extra_entries=[("OEBPS/zeros.bin", big)])
    del big
    r, secs = run(p)
    err = r.stderr.decode(errors="replace")
    check(r.returncode != 0, "zip bomb: import must fail, exit %d" % r.returncode)
    check("zip bomb" in err and "max-archive-ratio" in err, "zip bomb: clear error naming the limit: %s" % err)
    check(secs < 10, "zip bomb: fails fast (%.1f s)" % secs)


def case_archive_limits():
    p = simple_book("limits.epub", [("c%d.xhtml" % i, "<p>chapter %d words</p>" % i) for i in range(8)],
                    extra_entries=[("OEBPS/random.bin", os.urandom(300000), zipfile.ZIP_STORED)])
    r, _ = run(p, "--limit", "max-archive-entries=5")
    err = r.stderr.decode(errors="replace")
    check(r.returncode != 0 and "max-archive-entries" in err, "entry count limit: %d %s" % (r.returncode, err))
    r, _ = run(p, "--limit", "max-archive-bytes=200000")
    err = r.stderr.decode(errors="replace")
    check(r.returncode != 0 and "max-archive-bytes" in err, "total size limit: %d %s" % (r.returncode, err))
    t, _ = imported(p)
    check(t is not None and "chapter 7 words" in text(t["body"]), "within the limits it imports")


def unsafe_case(entry_name, href, label):
    entries = [("META-INF/container.xml", CONTAINER.encode()),
               ("OEBPS/c1.xhtml", xhtml("<p>Safe chapter words.</p>")),
               (entry_name, xhtml("<p>EVIL ESCAPED CONTENT</p>"))]
    items = [("c1", "c1.xhtml", "application/xhtml+xml", None), ("evil", href, "application/xhtml+xml", None)]
    entries.append(("OEBPS/content.opf", opf(items, ["c1", "evil"])))
    p = build("unsafe-%s.epub" % label, entries)
    t, err = imported(p)
    if t is None:
        return
    check("Safe chapter words." in text(t["body"]), "%s: the safe chapter imports" % label)
    check("EVIL" not in json.dumps(t), "%s: the unsafe entry is never read" % label)
    check("refused" in err, "%s: refusal reported: %s" % (label, err))


def case_dotdot_entry():
    unsafe_case("../evil.xhtml", "../../evil.xhtml", "dotdot")


def case_absolute_entry():
    unsafe_case("/abs/evil.xhtml", "/abs/evil.xhtml", "absolute")


def case_backslash_entry():
    unsafe_case("OEBPS\\evil.xhtml", "..\\OEBPS\\evil.xhtml", "backslash")


def case_truncated():
    p = simple_book("whole.epub", [("c1.xhtml", "<p>%s</p>" % ("words " * 2000))])
    data = open(p, "rb").read()
    for cut in (len(data) // 2, len(data) - 10, 30):
        q = os.path.join(TMP, "trunc-%d.epub" % cut)
        open(q, "wb").write(data[:cut])
        r, _ = run(q)
        err = r.stderr.decode(errors="replace")
        check(r.returncode != 0 and "error" in err and r.returncode < 128,
              "truncated at %d: clean failure, exit %d: %s" % (cut, r.returncode, err))


def case_lying_sizes():
    # a local header and central directory that understate the size of a
    # deflated entry: libzip must not be trusted blindly, and nothing crashes
    p = simple_book("liar.epub", [("c1.xhtml", "<p>%s</p>" % ("liar words " * 500))])
    data = bytearray(open(p, "rb").read())
    name = b"OEBPS/c1.xhtml"
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + n] == name:
            data[i + 24:i + 28] = (100).to_bytes(4, "little")  # uncompressed size
        i = data.find(b"PK\x01\x02", i + 4)
    q = os.path.join(TMP, "liar2.epub")
    open(q, "wb").write(bytes(data))
    r, _ = run(q)
    err = r.stderr.decode(errors="replace")
    check(r.returncode < 128, "lying sizes: no crash (exit %d)" % r.returncode)
    check(r.returncode != 0 or "liar words" not in r.stdout.decode(errors="replace")
          or "size" in err, "lying sizes: detected: %s" % err)


# ---- damaged but readable -----------------------------------------------------

def case_missing_container():
    entries = [("OEBPS/c1.xhtml", xhtml("<h1>Found</h1><p>Words found without a container.</p>")),
               ("OEBPS/content.opf", opf([("c1", "c1.xhtml", "application/xhtml+xml", None)], ["c1"]))]
    p = build("nocontainer.epub", entries)
    t, err = imported(p)
    if t:
        check("Words found without a container." in text(t["body"]), "OPF found by search: text imported")
        check("container.xml" in err and "search" in err, "missing container reported: %s" % err)
        check(t["meta"].get("title") == "Test Book", "metadata read from the found OPF")


def case_no_package():
    p = build("nopackage.epub", [("a.xhtml", xhtml("<p>Loose file alpha.</p>")),
                                 ("b.xhtml", xhtml("<p>Loose file beta.</p>"))])
    t, err = imported(p)
    if t:
        check("Loose file alpha." in text(t["body"]) and "Loose file beta." in text(t["body"]),
              "no OPF: XHTML files read in order")
        check("no package document" in err, "no OPF reported")


def case_damaged():
    bad = b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>Broken <b>markup</p><p>still read words</body></html>"
    entries = [("META-INF/container.xml", CONTAINER.encode()),
               ("OEBPS/c1.xhtml", bad),
               ("OEBPS/c2.xhtml", xhtml("<p id='dup'>Second chapter &nbsp;words &mdash; here.</p><p id='dup'>Dup id.</p>")),
               ("OEBPS/content.opf", opf([("c1", "c1.xhtml", "application/xhtml+xml", None),
                                          ("c2", "c2.xhtml", "application/xhtml+xml", None),
                                          ("gone", "missing.xhtml", "application/xhtml+xml", None)],
                                         ["c1", "gone", "c2", "nosuch"]))]
    p = build("damaged.epub", entries[:0] + entries, mimetype_compressed=True)
    t, err = imported(p)
    if not t:
        return
    body = text(t["body"])
    check("still read words" in body and "Broken" in body, "malformed XHTML recovered")
    check("OEBPS/c1.xhtml" in err and "HTML parser" in err, "malformed XHTML reported naming the file: %s" % err)
    check("missing.xhtml does not exist" in err, "missing manifest item reported")
    check("nosuch" in err, "spine itemref to nothing reported")
    check("mimetype: compressed" in err, "compressed mimetype reported")
    check("Second chapter \u00a0words \u2014 here." in body, "undeclared XHTML entities decoded: %r" % body)
    check("duplicate id" in err, "duplicate id reported")
    ids = [n.get("id") for n in nodes(t["body"]) if n.get("id")]
    check(len(ids) == len(set(ids)), "ids unique after import: %s" % ids)


# ---- structure across files ------------------------------------------------------

NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="urn:test:2"/></head><docTitle><text>NCX Title</text></docTitle>
<navMap><navPoint id="p1" playOrder="1"><navLabel><text>Opening Chapter</text></navLabel><content src="text/ch1.xhtml"/></navPoint>
<navPoint id="p2" playOrder="2"><navLabel><text>Second Chapter</text></navLabel><content src="text/ch2.xhtml"/></navPoint>
</navMap></ncx>"""


def cross_book():
    ch1 = xhtml("""<p id="intro">Chapter one text with a note<a epub:type="noteref" href="notes.xhtml#n1" id="r1">1</a>
and a link to <a href="ch2.xhtml#target">the second chapter</a> and to <a href="ch2.xhtml">its start</a>.
<img src="../images/pic.png" alt="A picture"/></p><p id="same">Same id as in chapter two.</p>""")
    ch2 = xhtml("""<h1 id="target">Two</h1><p id="same">Chapter two text<sup><a href="notes.xhtml#n2">2</a></sup>.</p>""")
    notes = xhtml("""<h1>Notes</h1><section epub:type="endnotes"><ol>
<li id="n1"><p>Cross file note one. <a href="ch1.xhtml#r1">\u21a9</a></p></li>
<li id="n2"><p>Cross file note two.</p></li></ol></section>""")
    md = """<dc:identifier id="uid">urn:test:2</dc:identifier><dc:title>Cross Book</dc:title><dc:language>fr</dc:language>
<dc:creator opf:role="aut">Auteur Un</dc:creator><dc:contributor opf:role="trl">Traducteur</dc:contributor>
<dc:contributor opf:role="edt">Editrice</dc:contributor><dc:contributor opf:role="ill">Illustrator</dc:contributor>
<dc:date opf:event="publication">2020-01-02</dc:date><dc:rights>Public domain</dc:rights>
<meta name="cover" content="img"/>"""
    entries = [("META-INF/container.xml", CONTAINER.encode()),
               ("OEBPS/text/ch1.xhtml", ch1), ("OEBPS/text/ch2.xhtml", ch2), ("OEBPS/text/notes.xhtml", notes),
               ("OEBPS/images/pic.png", b"\x89PNG\r\n\x1a\nfakepng"), ("OEBPS/toc.ncx", NCX.encode()),
               ("OEBPS/style.css", b"p { margin: 0 }"),
               ("OEBPS/content.opf", opf([("c1", "text/ch1.xhtml", "application/xhtml+xml", None),
                                          ("c2", "text/ch2.xhtml", "application/xhtml+xml", None),
                                          ("nt", "text/notes.xhtml", "application/xhtml+xml", None),
                                          ("img", "images/pic.png", "image/png", None),
                                          ("css", "style.css", "text/css", None),
                                          ("ncx", "toc.ncx", "application/x-dtbncx+xml", None)],
                                         ["c1", "c2", "nt"], metadata=md, version="2.0", toc="ncx"))]
    return build("cross.epub", entries)


def case_cross_files():
    t, err = imported(cross_book(), "-v")
    if not t:
        return
    body = t["body"]
    notes = nodes(body, "note")
    check([(n.get("label"), text(n).strip()) for n in notes] == [("1", "Cross file note one."),
                                                               ("2", "Cross file note two.")],
          "notes across files at their references: %s" % [(n.get("label"), text(n)) for n in notes])
    paras = nodes(body, "para")
    check(any(notes[0] in p["c"] for p in paras) if notes else False, "note 1 inside chapter one's paragraph")
    outside, stack = [], [body]
    while stack:
        x = stack.pop()
        if x.get("t") == "note":
            continue
        outside.append(x.get("text", ""))
        stack.extend(x.get("c", []))
    check("Cross file note" not in " ".join(outside), "notes list removed from the body")
    ids = {n.get("id") for n in nodes(body) if n.get("id")}
    links = nodes(body, "link")
    urls = [l["url"] for l in links]
    check(len(urls) == 2 and all(u.startswith("#") and u[1:] in ids for u in urls),
          "cross-file links rewritten to ids in the document: %s (ids %s)" % (urls, sorted(ids)))
    check(urls and urls[0] == "#target", "link to ch2.xhtml#target -> #target: %s" % urls)
    same = [n.get("id") for n in nodes(body) if (n.get("id") or "").startswith("same")]
    check(len(same) == 2 and len(set(same)) == 2, "same id in two files made unique: %s" % same)
    img = nodes(body, "image")
    res = {r["name"]: r for r in t["resources"]}
    check(img and img[0]["url"] == "images/pic.png" and "images/pic.png" in res,
          "image url is its resource name: %s / %s" % (img and img[0]["url"], list(res)))
    check("style.css" in res and res["style.css"]["mime"] == "text/css", "CSS kept as a resource")
    m = t["meta"]
    check(m.get("author") == ["Auteur Un"] and m.get("translator") == ["Traducteur"] and
          m.get("editor") == ["Editrice"], "EPUB 2 opf:role creators: %s" % m)
    check(m.get("contributor") == [{"name": "Illustrator", "role": "ill"}], "other roles as contributor")
    check(m.get("language") == "fr" and m.get("date") == "2020-01-02" and m.get("rights") == "Public domain",
          "language/date/rights")
    check(m.get("cover-image") == "images/pic.png", "EPUB 2 cover meta -> cover-image")
    top_langs = {b.get("lang") for b in body["c"]}
    check(top_langs == {"en"}, "chapters in English in a French book keep their language: %s" % top_langs)
    heads = [text(h) for h in nodes(body, "heading")]
    check("Opening Chapter" in heads, "NCX title used for the chapter without heading: %s" % heads)
    check(heads.count("Two") == 1 and "Second Chapter" not in heads, "a chapter with a heading keeps its own")


def case_epub3_metadata():
    md = """<dc:identifier id="other">isbn-not-unique</dc:identifier><dc:identifier id="uid">urn:uuid:1234</dc:identifier>
<dc:title id="t1">Main Title</dc:title><meta refines="#t1" property="title-type">main</meta>
<dc:title id="t2">The Subtitle</dc:title><meta refines="#t2" property="title-type">subtitle</meta>
<dc:creator id="a1">First Author</dc:creator><meta refines="#a1" property="role" scheme="marc:relators">aut</meta>
<dc:contributor id="t">A Translator</dc:contributor><meta refines="#t" property="role" scheme="marc:relators">trl</meta>
<dc:language>de</dc:language><meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
<meta property="schema:accessMode">textual</meta><meta property="schema:accessibilityFeature">tableOfContents</meta>
<meta property="schema:accessibilitySummary">Summary text.</meta><dc:subject>One</dc:subject><dc:subject>Two</dc:subject>"""
    nav = xhtml("""<nav epub:type="toc"><ol><li><a href="c1.xhtml">Nav Label</a></li></ol></nav>""")
    p = simple_book("meta3.epub", [("c1.xhtml", "<p>Body words.</p>")], metadata=md,
                    extra_entries=[("OEBPS/nav.xhtml", nav)],
                    extra_items=[("nav", "nav.xhtml", "application/xhtml+xml", "nav")])
    t, _ = imported(p)
    if not t:
        return
    m = t["meta"]
    check(m.get("title") == "Main Title" and m.get("subtitle") == "The Subtitle", "title-type main/subtitle")
    check(m.get("identifier") == "urn:uuid:1234", "unique-identifier chosen: %s" % m.get("identifier"))
    check(m.get("author") == ["First Author"] and m.get("translator") == ["A Translator"], "refines roles")
    check(m.get("subject") == ["One", "Two"] and m.get("language") == "de", "subjects, language")
    acc = m.get("accessibility", {})
    check(acc.get("accessMode") == ["textual"] and acc.get("accessibilitySummary") == "Summary text.",
          "accessibility metadata: %s" % acc)
    check([text(h) for h in nodes(t["body"], "heading")] == ["Nav Label"], "EPUB 3 nav title as heading")


def case_notes_section_kept():
    # A recognised notes section (epub:type rearnotes) keeps its heading,
    # introduction and part headings in the body; only the notes become
    # notes. The table of contents links to the section's heading: such a
    # link is not a note reference.
    chapter = xhtml('<p>April is the cruellest month<a epub:type="noteref" href="notes.xhtml#n1">1</a>.</p>')
    notes = xhtml('<section epub:type="rearnotes"><h2 id="notes-head">NOTES ON THE POEM</h2>'
                  '<p>Not only the title was suggested by Miss Weston.</p>'
                  '<section><h3 id="part1">I. THE BURIAL</h3>'
                  '<aside epub:type="rearnote" id="n1"><p>Line 1. Cf. Chaucer.</p></aside></section>'
                  '</section>')
    nav = xhtml('<nav epub:type="toc"><ol><li><a href="ch.xhtml">Poem</a></li>'
                '<li><a href="notes.xhtml#notes-head">Notes</a><ol><li><a href="notes.xhtml#part1">I</a></li></ol>'
                '</li></ol></nav>')
    # the nav in the spine, as docpipe's own EPUB writer puts it
    items = [("nav", "nav.xhtml", "application/xhtml+xml", "nav"), ("ch", "ch.xhtml", "application/xhtml+xml", None),
             ("notes", "notes.xhtml", "application/xhtml+xml", None)]
    path = build("notes-section.epub", [("META-INF/container.xml", CONTAINER.encode()), ("OEBPS/nav.xhtml", nav),
                                        ("OEBPS/ch.xhtml", chapter), ("OEBPS/notes.xhtml", notes),
                                        ("OEBPS/content.opf", opf(items, ["nav", "ch", "notes"]))])
    t, err = imported(path)
    if t is None:
        return
    in_notes = " ".join(text(n) for n in nodes(t["body"], "note"))
    heads = [text(h) for h in nodes(t["body"], "heading")]
    check("NOTES ON THE POEM" in heads and "I. THE BURIAL" in heads, "notes section headings lost: %r" % heads)
    check("Miss Weston" in text(t["body"]) and "Miss Weston" not in in_notes,
          "introduction of the notes section lost or made a note")
    check(len(nodes(t["body"], "note")) == 1 and "Cf. Chaucer" in in_notes, "the note is not a note")
    check("NOTES ON" not in in_notes, "the section heading was taken into a note")


def case_dom_lifetimes():
    # Each file's libxml2 tree is freed once no later walk reads it
    # (xr_session_run). Here the last file's note reference reads a note
    # body of the first file, whose own note reference and link read the
    # second file: both trees must outlive the third file's walk although
    # no later file links to the second directly (under ASan a tree freed
    # too early is a use after free; in any build the inner note and the
    # link's target would be lost).
    notes1 = xhtml('<aside epub:type="footnote" id="n1"><p>Outer note, with its own'
                   '<a epub:type="noteref" href="notes2.xhtml#n2">2</a> and a link to'
                   ' <a href="notes2.xhtml#far">the far heading</a>.</p></aside>')
    notes2 = xhtml('<h2 id="far">Far heading</h2>'
                   '<aside epub:type="footnote" id="n2"><p>Inner note.</p></aside>')
    chapter = xhtml('<p>Chapter text<a epub:type="noteref" href="notes1.xhtml#n1">1</a>.</p>')
    items = [("a", "notes1.xhtml", "application/xhtml+xml", None), ("b", "notes2.xhtml", "application/xhtml+xml", None),
             ("c", "ch.xhtml", "application/xhtml+xml", None)]
    path = build("dom-lifetimes.epub", [("META-INF/container.xml", CONTAINER.encode()),
                                        ("OEBPS/notes1.xhtml", notes1), ("OEBPS/notes2.xhtml", notes2),
                                        ("OEBPS/ch.xhtml", chapter),
                                        ("OEBPS/content.opf", opf(items, ["a", "b", "c"]))])
    t, err = imported(path)
    if t is None:
        return
    notes = nodes(t["body"], "note")
    texts = " | ".join(text(n) for n in notes)
    check("Outer note" in texts and "Inner note." in texts, "notes read across three files: %r" % texts)
    far = [h.get("id") for h in nodes(t["body"], "heading") if text(h) == "Far heading"]
    urls = [l["url"] for l in nodes(t["body"], "link")]
    check(far and far[0] and ("#" + far[0]) in urls, "link in a note to another file's heading: %r -> %r" % (urls, far))


def case_wasteland_roundtrip():
    # The reproduction: wasteland.epub -> epub -> md keeps the notes
    # section's heading and every line naming Weston (as md straight from
    # the source does).
    src = os.path.join(os.environ.get("DOCPIPE_SHARED_DIR", ""), "samples", "epub", "wasteland.epub")
    if not os.path.isfile(src):
        print("skipped: no ../shared/samples/epub/wasteland.epub")
        sys.exit(77)
    wl, md, direct = (os.path.join(TMP, n) for n in ("wl.epub", "wl.md", "direct.md"))
    for args in ([src, "-o", wl], [wl, "-o", md], [src, "-o", direct]):
        r = subprocess.run([CLI] + args, capture_output=True)
        check(r.returncode == 0, "docpipe %s: exit %d" % (" ".join(args), r.returncode))
    if failures:
        return
    text_rt, text_direct = (open(p, encoding="utf-8").read() for p in (md, direct))
    check(text_rt.count("NOTES ON") == 1, "NOTES ON in epub -> epub -> md: %d, want 1" % text_rt.count("NOTES ON"))
    check(text_rt.count("Weston") == text_direct.count("Weston"),
          "lines naming Weston: %d after the round trip, %d straight" % (text_rt.count("Weston"),
                                                                          text_direct.count("Weston")))


def case_samples():
    shared = os.environ.get("DOCPIPE_SHARED_DIR", "")
    d = os.path.join(shared, "samples", "epub")
    books = sorted(f for f in os.listdir(d) if f.endswith(".epub")) if os.path.isdir(d) else []
    if not books:
        print("skipped: no ../shared/samples/epub")
        sys.exit(77)
    here = os.path.dirname(os.path.abspath(__file__))
    for b in books:
        r = subprocess.run([sys.executable, os.path.join(here, "epub_text.py"), CLI, os.path.join(d, b)],
                           capture_output=True, text=True)
        print(b + ": " + r.stdout.strip())
        check(r.returncode == 0, "%s: %s" % (b, r.stdout + r.stderr))
        # valid IDPF samples: not a single warning
        r2, _ = run(os.path.join(d, b), "--strict")
        check(r2.returncode == 0, "%s: warnings under --strict: %s" % (b, r2.stderr.decode(errors="replace")))


def main():
    global CLI, TMP
    CLI, case = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        TMP = d
        globals()["case_" + case.replace("-", "_")]()
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("ok:", case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
