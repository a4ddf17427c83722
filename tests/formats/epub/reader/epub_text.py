#!/usr/bin/env python3
"""Check that an imported EPUB keeps the text of its spine documents.

usage: epub_text.py DOCPIPE BOOK.epub

Runs `DOCPIPE BOOK.epub -t json` and compares words: every word of the
spine's XHTML (extracted here with zipfile + html.parser, independently of
docpipe) must occur in the tree at least as often (multiset inclusion).
What the importer drops on purpose is left out of the reference too:
<head>, script/style/template, generated navigation (nav toc / landmarks /
page-list) and note back links. Note labels count as tree text (the label of
a note replaces the text of its reference). Exit 0 ok, 1 words missing,
2 error, 77 input absent.
"""
import collections
import html.parser
import json
import os
import posixpath
import re
import subprocess
import sys
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

WORD = re.compile(r"\w+")
SKIP_ALWAYS = {"head", "script", "style", "template"}


def words(text):
    return WORD.findall(unicodedata.normalize("NFC", text))


class Extract(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.stack = []   # (tag, skipping)

    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        tokens = (a.get("epub:type", "") + " " + a.get("role", "") + " " + a.get("class", "")).split()
        skip = self.skipping() or tag in SKIP_ALWAYS
        if tag == "nav" and any(t in tokens for t in ("toc", "landmarks", "page-list", "doc-toc", "doc-pagelist")):
            skip = True
        if tag == "a" and any(t in tokens for t in ("doc-backlink", "footnote-back", "footnote-backref")):
            skip = True
        if tag in ("br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"):
            self.out.append(" ")
            if tag == "img" and not skip:
                self.out.append(" " + a.get("alt", "") + " ")
            return
        self.stack.append((tag, skip))
        self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag and tag not in ("br", "img", "hr", "meta", "link"):
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        self.out.append(" ")

    def handle_data(self, data):
        if not self.skipping():
            self.out.append(data)


def spine_text(path):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    container = ET.fromstring(z.read("META-INF/container.xml"))
    ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "o": "http://www.idpf.org/2007/opf"}
    opf_path = container.find(".//c:rootfile", ns).get("full-path")
    opf = ET.fromstring(z.read(opf_path))
    base = posixpath.dirname(opf_path)
    items = {i.get("id"): i for i in opf.find("o:manifest", ns)}
    text = []
    for ref in opf.find("o:spine", ns):
        item = items.get(ref.get("idref"))
        if item is None:
            continue
        href = posixpath.normpath(posixpath.join(base, urllib.parse.unquote(item.get("href"))))
        if href not in names or "html" not in item.get("media-type", ""):
            continue
        p = Extract()
        p.feed(z.read(href).decode("utf-8", "replace"))
        text.append("".join(p.out))
    return " ".join(text)


def tree_text(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("text", "label") and isinstance(v, str):
                out.append(" " + v + " ")
            elif k == "c":
                tree_text(v, out)
    elif isinstance(node, list):
        for x in node:
            tree_text(x, out)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    cli, book = sys.argv[1], sys.argv[2]
    if not os.path.exists(book):
        print("skipped: %s absent" % book)
        return 77
    r = subprocess.run([cli, book, "-t", "json", "-o", "-"], capture_output=True)
    if r.returncode != 0:
        print("docpipe failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")))
        return 1
    tree = json.loads(r.stdout)
    out = []
    tree_text(tree["body"], out)
    got = collections.Counter(words("".join(out)))
    want = collections.Counter(words(spine_text(book)))
    missing = {w: n - got[w] for w, n in want.items() if got[w] < n}
    total = sum(want.values())
    if missing:
        print("%d of %d words missing: %s" % (sum(missing.values()), total,
                                               ", ".join("%s x%d" % kv for kv in sorted(missing.items())[:60])))
        return 1
    print("ok: all %d words of the spine are in the tree" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
