#!/usr/bin/env python3
"""Checks for the TEI plugin's tests (stdlib only).

  tei_check.py text IN.xml OUT.xml [--any-order]
      every word of IN's <text> (notes included, teiHeader excluded) occurs in
      OUT's <text> at least as often (multiset inclusion), and in the same order
      unless --any-order (notes collected in <back> move to their references)
  tei_check.py tree-text IN.xml OUT.json
      the same against a docpipe JSON tree ("text" string values); the
      alternatives of <choice> (sic, abbr, orig) are attributes in the tree
      and are left out of IN's words
  tei_check.py elements IN.xml OUT.xml
      the elements of IN's <text> come back in OUT: the same multiset of
      (element name, attribute names) — xml:id aside, which the writer adds to
      notes — and the same words in the same order
  tei_check.py notes FILE.json LABEL...
      the tree holds notes with exactly these labels, in this order
  tei_check.py meta A.json B.json KEY...
      the metadata values of KEY are equal in both trees
  tei_check.py header FILE.xml
      the speech's header: title, author, five translators (respStmt), editor,
      publisher, source bibl with ref target, appInfo naming docpipe, creation
      date, langUsage with en and zh, two revisionDesc changes

Exit 0 ok, 1 failure (what differs is printed), 2 usage.
"""
import collections
import json
import re
import sys
import xml.etree.ElementTree as ET

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
WORD = re.compile(r"\w+", re.UNICODE)


def local(tag):
    return tag.split("}", 1)[1] if "}" in tag else tag


def text_element(path):
    root = ET.parse(path).getroot()
    for el in root.iter():
        if local(el.tag) == "text":
            return el
    # a fragment: the whole document is text
    return root


def words_of_element(el, skip=()):
    """Words of el's text. The text of a ref pointing at a note is the note's
    label (which the note keeps in @n), not words of the text: skipped."""
    out = []
    note_ids = {n.get(XML_ID) for n in el.iter() if local(n.tag) == "note" and n.get(XML_ID)}

    def is_note_ref(e):
        t = e.get("target") or ""
        return local(e.tag) == "ref" and t.startswith("#") and t[1:] in note_ids

    def walk(e):
        if local(e.tag) in skip or is_note_ref(e):
            if e.tail:
                out.extend(WORD.findall(e.tail))
            return
        if e.text:
            out.extend(WORD.findall(e.text))
        for c in e:
            walk(c)
        if e.tail:
            out.extend(WORD.findall(e.tail))

    if el.text:
        out.extend(WORD.findall(el.text))
    for c in el:
        walk(c)
    return out


def json_nodes(node):
    """Yields every dict in a docpipe JSON tree, in document order."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from json_nodes(v)
    elif isinstance(node, list):
        for v in node:
            yield from json_nodes(v)


def json_words(tree):
    out = []
    for n in json_nodes(tree.get("body", tree)):
        t = n.get("text")
        if isinstance(t, str):
            out.extend(WORD.findall(t))
    return out


def node_kind(n):
    for k in ("type", "t", "kind", "node"):
        if isinstance(n.get(k), str):
            return n[k]
    return None


def compare_words(a, b, what, in_order=True):
    missing = collections.Counter(a) - collections.Counter(b)
    if missing:
        print(f"{what}: {sum(missing.values())} word(s) lost, e.g. {list(missing.items())[:12]}")
        return 1
    if not in_order:
        return 0
    # order: a must be a subsequence of b
    it = iter(b)
    for i, w in enumerate(a):
        for x in it:
            if x == w:
                break
        else:
            print(f"{what}: word order differs near {' '.join(a[max(0, i - 5):i + 5])!r}")
            return 1
    return 0


def signature(el):
    sig = collections.Counter()
    for e in el.iter():
        attrs = sorted(local(k) if not k.startswith("{http://www.w3.org/XML/1998/namespace}")
                       else "xml:" + local(k) for k in e.attrib if k != XML_ID)
        sig[(local(e.tag), tuple(attrs))] += 1
    return sig


def cmd_text(a, b, in_order=True):
    wa = words_of_element(text_element(a))
    wb = words_of_element(text_element(b))
    rc = compare_words(wa, wb, f"{a} -> {b}", in_order)
    if rc == 0:
        print(f"ok: {len(wa)} words of {a} kept in {b}")
    return rc


def cmd_tree_text(a, j):
    with open(j, encoding="utf-8") as f:
        tree = json.load(f)
    wa = words_of_element(text_element(a), skip=("sic", "abbr", "orig", "teiHeader"))
    wb = json_words(tree)
    rc = compare_words(wa, wb, f"{a} -> tree {j}")
    if rc == 0:
        print(f"ok: {len(wa)} words of {a} in the tree")
    return rc


def cmd_elements(a, b):
    ta, tb = text_element(a), text_element(b)
    sa, sb = signature(ta), signature(tb)
    rc = 0
    if sa != sb:
        lost, extra = sa - sb, sb - sa
        if lost:
            print(f"{b}: elements lost or changed: {sorted(lost.items())}")
        if extra:
            print(f"{b}: elements added or changed: {sorted(extra.items())}")
        rc = 1
    rc |= compare_words(words_of_element(ta), words_of_element(tb), f"{a} -> {b}")
    if rc == 0:
        print(f"ok: {sum(sa.values())} elements and their words round-trip")
    return rc


def cmd_notes(j, labels):
    with open(j, encoding="utf-8") as f:
        tree = json.load(f)
    found = [n.get("label") for n in json_nodes(tree.get("body", tree)) if node_kind(n) == "note"]
    if found != labels:
        print(f"{j}: note labels {found}, expected {labels}")
        return 1
    print(f"ok: notes {found}")
    return 0


def cmd_meta(a, b, keys):
    with open(a, encoding="utf-8") as f:
        ma = json.load(f).get("meta", {})
    with open(b, encoding="utf-8") as f:
        mb = json.load(f).get("meta", {})
    rc = 0
    for k in keys:
        if ma.get(k) != mb.get(k):
            print(f"metadata {k!r} differs:\n  {a}: {ma.get(k)!r}\n  {b}: {mb.get(k)!r}")
            rc = 1
        elif k not in ma:
            print(f"metadata {k!r} missing from both")
            rc = 1
    if rc == 0:
        print(f"ok: {len(keys)} metadata keys equal")
    return rc


def cmd_header(path):
    root = ET.parse(path).getroot()
    h = root.find(TEI + "teiHeader")
    problems = []

    def need(xpath, what, count=None):
        found = h.findall(xpath.replace("t:", TEI)) if h is not None else []
        if not found or (count is not None and len(found) != count):
            problems.append(f"{what}: found {len(found)} of {xpath}")
        return found

    need("t:fileDesc/t:titleStmt/t:title[@type='main']", "title")
    need("t:fileDesc/t:titleStmt/t:author", "author")
    need("t:fileDesc/t:titleStmt/t:editor", "editor")
    need("t:fileDesc/t:titleStmt/t:respStmt/t:resp[@key='trl']", "translators", 5)
    need("t:fileDesc/t:publicationStmt/t:publisher", "publisher")
    need("t:fileDesc/t:sourceDesc/t:bibl/t:ref[@target]", "source url")
    need("t:fileDesc/t:sourceDesc/t:bibl/t:title", "source title")
    need("t:encodingDesc/t:appInfo/t:application[@ident='docpipe']", "appInfo")
    need("t:encodingDesc/t:editorialDecl", "editorialDecl")
    need("t:profileDesc/t:creation/t:date[@when='2018-05-28']", "creation date")
    langs = [l.get("ident") for l in need("t:profileDesc/t:langUsage/t:language", "langUsage")]
    if "en" not in langs or "zh" not in langs:
        problems.append(f"langUsage lists {langs}, expected en and zh")
    need("t:revisionDesc/t:change[@when]", "revisions", 2)
    if root.get("{http://www.w3.org/XML/1998/namespace}lang") != "en":
        problems.append("TEI@xml:lang is not en")
    for p in problems:
        print(f"{path}: {p}")
    if not problems:
        print(f"ok: {path} header complete")
    return 1 if problems else 0


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd = argv[1]
    if cmd == "text" and len(argv) == 4:
        return cmd_text(argv[2], argv[3])
    if cmd == "text" and len(argv) == 5 and argv[4] == "--any-order":
        return cmd_text(argv[2], argv[3], in_order=False)
    if cmd == "tree-text" and len(argv) == 4:
        return cmd_tree_text(argv[2], argv[3])
    if cmd == "elements" and len(argv) == 4:
        return cmd_elements(argv[2], argv[3])
    if cmd == "notes" and len(argv) >= 3:
        return cmd_notes(argv[2], argv[3:])
    if cmd == "meta" and len(argv) >= 5:
        return cmd_meta(argv[2], argv[3], argv[4:])
    if cmd == "header" and len(argv) == 3:
        return cmd_header(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
