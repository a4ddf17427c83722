#!/usr/bin/env python3
"""Self-test of tests/common/seed_words.py: for each format it extracts,
a faithful rendering of the seed passes, and the same rendering with one
word removed, or with two paragraphs swapped (--in-order), fails with
exit 1 naming the word. Exit 77 when the seed is absent."""

import html
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "..", "common", "seed_words.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "common"))
import seed_words  # noqa: E402


def paragraphs(seed):
    return [p.strip() for p in seed.split("\n\n") if p.strip()]


def as_markdown(paras):
    return "---\ntitle: x\n---\n\n" + "\n\n".join(p.replace("*", "\\*") for p in paras) + "\n"


def as_html(paras):
    body = "".join("<p>%s</p>\n" % re.sub(r"S&amp;T\b", "<abbr>S&amp;T</abbr>", html.escape(p)) for p in paras)
    return "<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head><body>%s</body></html>" % body


def as_xml(paras):
    body = "".join("<p>%s</p>" % html.escape(p, quote=False) for p in paras)
    return '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>%s</body></text></TEI>' % body


def as_json(paras):
    blocks = [{"t": "para", "c": [{"t": "text", "text": p}]} for p in paras]
    return json.dumps({"meta": {}, "blocks": blocks}, ensure_ascii=False)


def write_epub(path, paras):
    half = len(paras) // 2
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
                   '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                   '</rootfiles></container>')
        z.writestr("OEBPS/content.opf",
                   '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
                   '<item id="b" href="text/b%20part.xhtml" media-type="application/xhtml+xml"/>'
                   '<item id="a" href="text/a.xhtml" media-type="application/xhtml+xml"/>'
                   '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
                   '</manifest><spine><itemref idref="a"/><itemref idref="b"/></spine></package>')
        z.writestr("OEBPS/text/a.xhtml", as_html(paras[:half]))
        z.writestr("OEBPS/text/b part.xhtml", as_html(paras[half:]))
        # not in the spine: its words must not count
        z.writestr("OEBPS/nav.xhtml", "<html><body><p>Mohist</p></body></html>")


def run(path, *extra):
    p = subprocess.run([sys.executable, TOOL, path] + list(extra), capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def main():
    seed_path = seed_words.find_seed(None)
    if not os.path.isfile(seed_path):
        print("seed absent at %s: skipped" % seed_path)
        return 77
    seed = open(seed_path, encoding="utf-8").read()
    good = paragraphs(seed)
    dropped = [p.replace("Mohist canon", "canon") for p in good]
    swapped = list(good)
    swapped[20], swapped[21] = swapped[21], swapped[20]

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        writers = {
            "md": lambda path, ps: open(path, "w", encoding="utf-8").write(as_markdown(ps)),
            "html": lambda path, ps: open(path, "w", encoding="utf-8").write(as_html(ps)),
            "xhtml": lambda path, ps: open(path, "w", encoding="utf-8").write(as_html(ps)),
            "tei": lambda path, ps: open(path, "w", encoding="utf-8").write(as_xml(ps)),
            "json": lambda path, ps: open(path, "w", encoding="utf-8").write(as_json(ps)),
            "epub": write_epub,
        }
        for ext, write in writers.items():
            cases = [("good", good, ["--in-order"], 0, None),
                     ("word dropped", dropped, [], 1, "'Mohist'"),
                     ("paragraphs swapped", swapped, ["--in-order"], 1, "out of order"),
                     ("paragraphs swapped, multiset only", swapped, [], 0, None)]
            for name, ps, flags, want, needle in cases:
                path = os.path.join(tmp, "%s-%s.%s" % (ext, name.replace(" ", "_").replace(",", ""), ext))
                write(path, ps)
                rc, out = run(path, *flags)
                ok = rc == want and (needle is None or needle in out)
                print("%s %s: %s (exit %d)" % ("ok  " if ok else "FAIL", ext, name, rc))
                if not ok:
                    print(out)
                    failures += 1
        # an explicit missing seed is a skip, not a pass
        rc, out = run(os.path.join(tmp, "md-good.md"), "--seed", os.path.join(tmp, "none.txt"))
        if rc != 77:
            print("FAIL missing seed gave exit %d, want 77" % rc)
            failures += 1
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
