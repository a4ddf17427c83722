#!/usr/bin/env python3
"""Structural checks of an EPUB written by docpipe's epub writer: the points
of quality-bar.md (EPUB) that the validators do not check themselves.

usage: check_epub.py BOOK.epub [--version 3|2] [--epoch N] [--pages]
                     [--notes chapter|section|book|inline] [--endnote-sections N] [--cover generate|image|none]
                     [--title TEXT] [--css-contains TEXT]... [--css-lacks TEXT]... [--expect-ref URL]...

Checks:
  container  mimetype is the first entry, stored, without extra field, exactly
             "application/epub+zip"; every other entry deflated; with --epoch
             every entry carries that time (UTC, DOS 2-second precision)
  package    version; unique-identifier names the dc:identifier; dc:title,
             dc:language; EPUB 3: xml:lang on <package>, exactly one
             dcterms:modified (equal to --epoch when given), a marc:relators
             role refining every dc:creator/dc:contributor, the accessibility
             metadata; EPUB 2: opf:role on creators, a guide, no nav item
  navigation the NCX exists and its dtb:uid is the identifier; EPUB 3: one nav
             document with toc (role doc-toc) and landmarks; --pages: a
             page-list nav and an NCX pageList whose targets exist
  content    every spine document: lang and xml:lang on <html> (EPUB 2:
             xml:lang), a non-empty <title> that is not a file name; EPUB 3:
             each epub:type with a DPUB-ARIA equivalent has that role, no
             deprecated endnote/doc-endnote, noterefs and back links
  notes      chapter, section: endnotes sections in chapter files, no notes file
             (--endnote-sections N: exactly N of them in the book);
             book: notes.xhtml holds the endnotes and noterefs point into it;
             inline: asides role="doc-footnote" in the chapters
  cover      generate: an SVG cover image; image: a raster cover image with an
             accessible name; none: no cover
  links      every href/src inside the book resolves to a manifest item
             (and, for fragments, to an element with that id)
Exit 0 when every check passes, 1 with the failures listed, 2 on usage.
"""

import argparse
import posixpath
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{%s}type" % NS["epub"]
# epub:type -> the DPUB-ARIA role it must be paired with (quality bar)
ROLE_OF = {
    "noteref": "doc-noteref", "footnote": "doc-footnote", "endnotes": "doc-endnotes",
    "pagebreak": "doc-pagebreak", "toc": "doc-toc", "cover": "doc-cover", "backlink": "doc-backlink",
    "page-list": "doc-pagelist", "chapter": "doc-chapter", "introduction": "doc-introduction",
}

failures = []


def fail(msg):
    failures.append(msg)


def check_container(z, epoch):
    infos = z.infolist()
    if not infos or infos[0].filename != "mimetype":
        fail("container: the first entry is %r, not 'mimetype'" % (infos[0].filename if infos else None))
        return
    first = infos[0]
    if first.compress_type != zipfile.ZIP_STORED:
        fail("container: mimetype is compressed")
    with open(z.filename, "rb") as f:
        head = f.read(30 + 8 + 20)
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    if head[:4] != b"PK\x03\x04" or name_len != 8 or head[30:38] != b"mimetype":
        fail("container: the archive does not start with the mimetype local header")
    if extra_len != 0 or first.extra:
        fail("container: mimetype has an extra field (%d bytes)" % extra_len)
    if z.read("mimetype") != b"application/epub+zip":
        fail("container: mimetype content is %r" % z.read("mimetype"))
    for info in infos[1:]:
        if info.compress_type != zipfile.ZIP_DEFLATED:
            fail("container: %s is not deflated" % info.filename)
    if epoch is not None:
        t = time.gmtime(epoch)
        want = (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)
        for info in infos:
            if info.date_time != want:
                fail("container: %s has time %s, not %s" % (info.filename, info.date_time, want))
                break


def parse(z, name):
    try:
        return ET.fromstring(z.read(name))
    except KeyError:
        fail("missing file %s" % name)
    except ET.ParseError as e:
        fail("%s is not well-formed: %s" % (name, e))
    return None


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


class Book:
    def __init__(self, z, args):
        self.z = z
        self.args = args
        container = parse(z, "META-INF/container.xml")
        rootfile = container.find(".//c:rootfile", NS) if container is not None else None
        if rootfile is None:
            fail("container.xml names no rootfile")
            raise SystemExit(report())
        self.opf_path = rootfile.get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = parse(z, self.opf_path)
        if self.opf is None:
            raise SystemExit(report())
        self.items = {}
        self.by_href = {}
        for it in self.opf.findall("opf:manifest/opf:item", NS):
            full = posixpath.normpath(posixpath.join(self.base, it.get("href")))
            self.items[it.get("id")] = (full, it.get("media-type"), it.get("properties") or "")
            self.by_href[full] = it.get("id")
        self.spine = [self.items[r.get("idref")][0] for r in self.opf.findall("opf:spine/opf:itemref", NS)
                      if r.get("idref") in self.items]
        self.docs = {}

    def doc(self, path):
        if path not in self.docs:
            self.docs[path] = parse(self.z, path)
        return self.docs[path]


def check_package(b, args):
    opf = b.opf
    version = opf.get("version")
    want = "3.0" if args.version == "3" else "2.0"
    if version != want:
        fail("package: version %s, want %s" % (version, want))
    uid = opf.get("unique-identifier")
    ident = None
    for el in opf.findall("opf:metadata/dc:identifier", NS):
        if el.get("id") == uid:
            ident = text_of(el)
    if not ident:
        fail("package: unique-identifier %r names no dc:identifier" % uid)
    md = opf.find("opf:metadata", NS)
    titles = [text_of(t) for t in md.findall("dc:title", NS)]
    if not titles or not titles[0]:
        fail("package: no dc:title")
    if args.title and args.title not in titles[0]:
        fail("package: dc:title %r does not hold %r" % (titles[0], args.title))
    if not text_of(md.find("dc:language", NS)):
        fail("package: no dc:language")
    people = md.findall("dc:creator", NS) + md.findall("dc:contributor", NS)
    if args.version == "3":
        if not opf.get(XML_LANG):
            fail("package: no xml:lang on <package>")
        modified = [text_of(m) for m in md.findall("opf:meta", NS) if m.get("property") == "dcterms:modified"]
        if len(modified) != 1:
            fail("package: %d dcterms:modified, want 1" % len(modified))
        elif args.epoch is not None:
            want_mod = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(args.epoch))
            if modified[0] != want_mod:
                fail("package: dcterms:modified %s, want %s" % (modified[0], want_mod))
        roles = {m.get("refines"): text_of(m) for m in md.findall("opf:meta", NS)
                 if m.get("property") == "role" and m.get("scheme") == "marc:relators"}
        for p in people:
            if "#%s" % p.get("id") not in roles:
                fail("package: %s has no marc:relators role" % text_of(p))
        props = {m.get("property") for m in md.findall("opf:meta", NS)}
        for p in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                  "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"):
            if p not in props:
                fail("package: no %s" % p)
        if any("nav" in v[2].split() for v in b.items.values()) is False:
            fail("package: no nav item")
    else:
        opf_role = "{%s}role" % NS["opf"]
        for p in people:
            if not p.get(opf_role):
                fail("package: %s has no opf:role" % text_of(p))
        if any("nav" in v[2].split() for v in b.items.values()) or \
                any(v[0].endswith("nav.xhtml") for v in b.items.values()):
            fail("package: an EPUB 2 book carries an EPUB 3 nav")
        if opf.find("opf:guide", NS) is None:
            fail("package: EPUB 2 without a guide")
    return ident


def check_ncx(b, ident, args):
    spine_toc = b.opf.find("opf:spine", NS).get("toc")
    if spine_toc not in b.items:
        fail("ncx: spine toc=%r names no item" % spine_toc)
        return
    ncx = b.doc(b.items[spine_toc][0])
    if ncx is None:
        return
    uid = [m.get("content") for m in ncx.findall("ncx:head/ncx:meta", NS) if m.get("name") == "dtb:uid"]
    if uid != [ident]:
        fail("ncx: dtb:uid %r, want [%r]" % (uid, ident))
    if not ncx.findall(".//ncx:navPoint", NS):
        fail("ncx: no navPoint")
    if args.pages and not ncx.findall("ncx:pageList/ncx:pageTarget", NS):
        fail("ncx: no pageList although the source has page breaks")


def check_nav(b, args):
    navs = [v[0] for v in b.items.values() if "nav" in v[2].split()]
    if len(navs) != 1:
        fail("nav: %d nav documents" % len(navs))
        return
    nav = b.doc(navs[0])
    if nav is None:
        return
    types = {}
    for n in nav.iter("{%s}nav" % NS["h"]):
        types[n.get(EPUB_TYPE)] = n
    toc = types.get("toc")
    if toc is None or toc.get("role") != "doc-toc":
        fail("nav: no <nav epub:type=toc role=doc-toc>")
    if "landmarks" not in types:
        fail("nav: no landmarks")
    else:
        lm = {a.get(EPUB_TYPE) for a in types["landmarks"].iter("{%s}a" % NS["h"])}
        for t in ("toc", "bodymatter"):
            if t not in lm:
                fail("nav: landmarks without %s" % t)
        if args.cover != "none" and "cover" not in lm:
            fail("nav: landmarks without cover")
    if args.pages and "page-list" not in types:
        fail("nav: no page-list although the source has page breaks")
    if not args.pages and "page-list" in types:
        fail("nav: a page-list without page breaks")


def ids_of(root):
    return {el.get("id") for el in root.iter() if el.get("id")}


def check_links(b):
    for path in b.by_href:
        if not (path.endswith(".xhtml") or path.endswith(".ncx")):
            continue
        root = b.doc(path)
        if root is None:
            continue
        for el in root.iter():
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is None or url == "" or ":" in url.split("/")[0].split("#")[0]:
                    continue
                file, _, frag = url.partition("#")
                target = path if file == "" else posixpath.normpath(posixpath.join(posixpath.dirname(path), file))
                if target not in b.by_href:
                    fail("links: %s: %s=%r points outside the manifest" % (path, attr, url))
                    continue
                if frag and target.endswith(".xhtml"):
                    troot = b.doc(target)
                    if troot is not None and frag not in ids_of(troot):
                        fail("links: %s: %r: no id %r in %s" % (path, url, frag, target))
        # content src in the NCX
        for c in root.iter("{%s}content" % NS["ncx"]):
            src = c.get("src")
            file, _, frag = src.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), file))
            if target not in b.by_href:
                fail("links: ncx content %r outside the manifest" % src)
            elif frag and frag not in ids_of(b.doc(target)):
                fail("links: ncx content %r: no such id" % src)


def check_content(b, args):
    noterefs = asides = endnote_sections = backlinks = 0
    notes_file_refs = 0
    nav_docs = {v[0] for v in b.items.values() if "nav" in v[2].split()}
    for path in b.spine:
        root = b.doc(path)
        if root is None:
            continue
        if args.version == "3" and not root.get("lang"):
            fail("content: %s: no lang on <html>" % path)
        if not root.get(XML_LANG):
            fail("content: %s: no xml:lang on <html>" % path)
        title = text_of(root.find("h:head/h:title", NS))
        if not title or title == posixpath.basename(path) or title.endswith(".xhtml"):
            fail("content: %s: title %r" % (path, title))
        for el in root.iter():
            t = el.get(EPUB_TYPE)
            role = el.get("role")
            if args.version == "2" and (t or role):
                fail("content: %s: EPUB 2 content with epub:type/role (%s)" % (path, t or role))
                continue
            for tok in (t or "").split():
                if tok in ("endnote", "rearnote"):
                    fail("content: %s: deprecated epub:type %s" % (path, tok))
                # landmark links name a kind of place; they take no role
                landmark = path in nav_docs and el.tag == "{%s}a" % NS["h"]
                if tok in ROLE_OF and role != ROLE_OF[tok] and not landmark:
                    fail("content: %s: epub:type %s without role %s (role=%r)" % (path, tok, ROLE_OF[tok], role))
            if role == "doc-endnote":
                fail("content: %s: deprecated role doc-endnote" % path)
            if role == "doc-noteref":
                noterefs += 1
                if el.get("href", "").startswith("notes.xhtml#"):
                    notes_file_refs += 1
            if role == "doc-footnote":
                asides += 1
            if role == "doc-endnotes":
                endnote_sections += 1
            if role == "doc-backlink":
                backlinks += 1
    if args.notes and args.version == "3":
        has_notes_file = any(p.endswith("notes.xhtml") for p in b.by_href)
        if noterefs == 0:
            fail("notes: no noteref (role doc-noteref)")
        if backlinks == 0:
            fail("notes: no back link (role doc-backlink)")
        if args.notes in ("chapter", "section") and (endnote_sections == 0 or has_notes_file):
            fail("notes: %s mode wants endnotes sections in the chapters and no notes file "
                 "(sections %d, notes file %s)" % (args.notes, endnote_sections, has_notes_file))
        if args.notes == "book" and (not has_notes_file or notes_file_refs == 0):
            fail("notes: book mode wants notes.xhtml and noterefs into it (refs into it: %d of %d)"
                 % (notes_file_refs, noterefs))
        if args.notes == "inline" and asides == 0:
            fail("notes: inline mode wants asides role=doc-footnote")
    if args.endnote_sections is not None and endnote_sections != args.endnote_sections:
        fail("notes: %d endnotes sections, not %d" % (endnote_sections, args.endnote_sections))


def check_cover(b, args):
    covers = [v for v in b.items.values() if "cover-image" in v[2].split()]
    if args.version == "2":
        md = b.opf.find("opf:metadata", NS)
        ids = [m.get("content") for m in md.findall("opf:meta", NS) if m.get("name") == "cover"]
        covers = [b.items[i] for i in ids if i in b.items]
    if args.cover == "none":
        if covers:
            fail("cover: a cover although cover: none")
        return
    if len(covers) != 1:
        fail("cover: %d cover images" % len(covers))
        return
    mt = covers[0][1]
    if args.cover == "generate" and mt != "image/svg+xml":
        fail("cover: generated cover is %s, not SVG" % mt)
    if args.cover == "image" and mt == "image/svg+xml":
        fail("cover: the cover is the generated SVG, not the document's image")
    # the page showing it gives it an accessible name
    found = False
    for path in b.spine:
        root = b.doc(path)
        for img in root.iter("{%s}img" % NS["h"]) if root is not None else []:
            src = posixpath.normpath(posixpath.join(posixpath.dirname(path), img.get("src", "")))
            if src == covers[0][0]:
                found = True
                if not (img.get("alt") or "").strip():
                    fail("cover: the cover image has no alt text")
    if not found:
        fail("cover: no spine page shows the cover image")


def report():
    for f in failures:
        print("check_epub: %s" % f)
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("book")
    ap.add_argument("--version", choices=["2", "3"], default="3")
    ap.add_argument("--epoch", type=int)
    ap.add_argument("--pages", action="store_true")
    ap.add_argument("--notes", choices=["chapter", "section", "book", "inline"])
    ap.add_argument("--endnote-sections", type=int,
                    help="the spine holds exactly this many endnotes sections (role doc-endnotes)")
    ap.add_argument("--cover", choices=["generate", "image", "none"], default="generate")
    ap.add_argument("--title")
    ap.add_argument("--css-contains", action="append", default=[],
                    help="the book's stylesheet holds this text (repeatable)")
    ap.add_argument("--expect-ref", action="append", default=[],
                    help="some href or src in a spine document equals this (repeatable)")
    ap.add_argument("--css-lacks", action="append", default=[],
                    help="the book's stylesheet does not hold this text (repeatable)")
    args = ap.parse_args()
    try:
        z = zipfile.ZipFile(args.book)
    except (OSError, zipfile.BadZipFile) as e:
        print("check_epub: %s: %s" % (args.book, e))
        return 1
    with z:
        check_container(z, args.epoch)
        b = Book(z, args)
        ident = check_package(b, args)
        check_ncx(b, ident, args)
        if args.version == "3":
            check_nav(b, args)
        check_content(b, args)
        check_cover(b, args)
        check_links(b)
        refs = set()
        for path in b.spine:
            root = b.doc(path)
            for el in root.iter() if root is not None else []:
                refs.update(v for k, v in el.attrib.items() if k in ("href", "src"))
        for ref in args.expect_ref:
            if ref not in refs:
                fail("refs: no href or src %r in the spine documents" % ref)
        css = b"".join(z.read(v[0]) for v in b.items.values() if v[1] == "text/css")
        for text in args.css_contains:
            if text.encode("utf-8") not in css:
                fail("css: the stylesheet does not hold %r" % text)
        for text in args.css_lacks:
            if text.encode("utf-8") in css:
                fail("css: the stylesheet holds %r" % text)
    rc = report()
    if rc == 0:
        print("check_epub: %s: all structural checks pass" % args.book)
    return rc


if __name__ == "__main__":
    sys.exit(main())
