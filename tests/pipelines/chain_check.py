#!/usr/bin/env python3
"""The end of configs/speech-chain.yaml: does the Markdown that comes back
from Markdown -> HTML -> EPUB -> TEI -> Markdown equal the first one?

    chain_check.py OUT_DIR        (OUT_DIR = the config's out/chain)

Compares OUT_DIR/speech.first.json and OUT_DIR/speech.last.json, the
document trees the config dumps of the first and the last Markdown:
  body       equal node for node (every kind, attribute, text, note)
  resources  equal
  metadata   equal, except the documented differences in DOCUMENTED (each one
             a warning during the run or a rule in docs/formats/)
Prints every difference; exit 0 equal (documented loss aside), 1 not."""
import json
import os
import sys

# key -> (what happens, where it is documented / reported)
DOCUMENTED = {
    "revision": ("dropped", "EPUB has no place for it: the EPUB writer warns "
                 "\"metadata 'revision' has no place in the EPUB package\""),
    "source": ("a map becomes one citation string", "docs/formats/epub-writer.md: "
               "`source` {author, title, publisher, date, url} -> one dc:source citation"),
    "identifier": ("added", "docs/formats/epub-writer.md: without an identifier the writer derives "
                   "a urn:uuid (v5) from the title and text"),
}


def strings(v):
    if isinstance(v, dict):
        return [s for x in v.values() for s in strings(x)]
    if isinstance(v, list):
        return [s for x in v for s in strings(x)]
    return [str(v)]


def diff_nodes(a, b, path, out):
    """First differences between two JSON trees, with a readable path."""
    if type(a) is not type(b):
        out.append("%s: %r != %r" % (path, a, b))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k, "first" if k in a else "last"))
            else:
                diff_nodes(a[k], b[k], "%s.%s" % (path, k), out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append("%s: %d items != %d items" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            t = x.get("t", "") if isinstance(x, dict) else ""
            diff_nodes(x, y, "%s[%d]%s" % (path, i, ":" + t if t else ""), out)
    elif a != b:
        out.append("%s: %r != %r" % (path, a, b))
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    with open(os.path.join(d, "speech.first.json"), encoding="utf-8") as f:
        first = json.load(f)
    with open(os.path.join(d, "speech.last.json"), encoding="utf-8") as f:
        last = json.load(f)
    problems = []
    diff_nodes(first["body"], last["body"], "body", problems)
    diff_nodes(first.get("resources", []), last.get("resources", []), "resources", problems)
    m1, m2 = first.get("meta", {}), last.get("meta", {})
    documented = []
    for key in sorted(set(m1) | set(m2)):
        a, b = m1.get(key), m2.get(key)
        if a == b:
            continue
        if key in DOCUMENTED:
            what, where = DOCUMENTED[key]
            if key == "source" and (not isinstance(b, str) or not all(s in b for s in strings(a)
                                                                       if s != a.get("language"))):
                problems.append("meta.source: the citation %r lacks part of %r" % (b, a))
                continue
            if what == "dropped" and b is not None or what == "added" and a is not None:
                problems.append("meta.%s: expected %s, got %r -> %r" % (key, what, a, b))
                continue
            documented.append("meta.%s: %s (%s)" % (key, what, where))
        else:
            diff_nodes(a, b, "meta." + key, problems)
    nodes = sum(1 for _ in walk(first["body"]))
    print("body: %d nodes compared; metadata: %d keys first, %d last" % (nodes, len(m1), len(m2)))
    for line in documented:
        print("documented loss:", line)
    for line in problems:
        print("DIFFERENCE:", line)
    print("chain check: %s" % ("the last Markdown equals the first" if not problems
                               else "%d undocumented difference(s)" % len(problems)))
    return 1 if problems else 0


def walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.get("c", []))


if __name__ == "__main__":
    sys.exit(main())
