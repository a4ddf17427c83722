#!/usr/bin/env python3
"""Mathematics end to end (issue 19).

  math_tests.py md_pandoc CLI SRC      every formula of the corpus (and of pandoc's MANUAL, from
                                       ../shared) read as pandoc's tex_math_dollars reads it
  math_tests.py counts CLI SRC         math nodes in = out for every reader x writer pair
  math_tests.py roundtrip CLI SRC      md->html->md, md->tei->md, md->epub->md give the same TeX;
                                       html (pandoc --mathml) -> md -> html gives equivalent MathML
  math_tests.py validate CLI SRC       outputs with math pass EPUBCheck, jing tei_all and Nu

Exit 77 (skip) when a tool a check needs (pandoc, a validator, ../shared) is absent.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

SKIP = 77
MML = "{http://www.w3.org/1998/Math/MathML}"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.decode(errors='replace')[:800]}")
    return r


def tree(cli, path, *opts):
    return json.loads(run([cli, path, "-t", "json", *opts]).stdout)


def maths(node, out=None):
    """The math nodes of a JSON tree (body and metadata), in document order."""
    if out is None:
        out = []
    if isinstance(node, dict):
        if node.get("t") == "math":
            out.append(node)
        for k, v in node.items():
            if k != "text":
                maths(v, out)
    elif isinstance(node, list):
        for v in node:
            maths(v, out)
    return out


def tex_of(m):
    return m["text"] if m.get("notation", "tex") == "tex" else m.get("tex")


def shared_dir(src):
    return os.environ.get("DOCPIPE_SHARED_DIR") or os.path.join(src, "..", "shared")


def pandoc_maths(path):
    r = run(["pandoc", "-f", "markdown", "-t", "json", path])
    out = []

    def walk(x):
        if isinstance(x, dict):
            if x.get("t") == "Math":
                out.append((x["c"][0]["t"] == "DisplayMath", x["c"][1]))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(r.stdout))
    return out


def ws(s):
    return " ".join(s.split())


def md_pandoc(cli, src):
    if not shutil.which("pandoc"):
        print("SKIP: pandoc is not installed")
        sys.exit(SKIP)
    files = [os.path.join(src, "tests", "math", "corpus.md")]
    manual = os.path.join(shared_dir(src), "samples", "markdown", "pandoc-MANUAL.md")
    if os.path.exists(manual):
        files.append(manual)
    else:
        print(f"note: {manual} absent: the corpus alone is compared")
    for f in files:
        ours = [(m["display"], m["text"]) for m in maths(tree(cli, f))]
        theirs = pandoc_maths(f)
        # pandoc folds whitespace runs of inline math into one space; docpipe keeps them
        if [(d, ws(t)) for d, t in ours] != [(d, ws(t)) for d, t in theirs]:
            for i, (a, b) in enumerate(zip(ours, theirs)):
                if (a[0], ws(a[1])) != (b[0], ws(b[1])):
                    fail(f"{f}: formula {i}: docpipe {a!r}, pandoc {b!r}")
            fail(f"{f}: docpipe read {len(ours)} formulas, pandoc {len(theirs)}")
        print(f"{os.path.basename(f)}: {len(ours)} formulas, as pandoc reads them")
    # byte for byte: whitespace and backslashes inside formulas are kept
    t = tree(cli, os.path.join(src, "tests", "math", "corpus.md"))
    texts = [m["text"] for m in maths(t)]
    for want in ["a\\,b\\;c\\quad d\\qquad e\\!f", "x \\text{ if } y", "\\text{costs \\$5}"]:
        if want not in texts:
            fail(f"formula {want!r} not read byte for byte: {texts}")
    g = maths(tree(cli, os.path.join(src, "tests", "math", "corpus-gitlab.md")))
    if [(m["display"], m["text"]) for m in g] != [(False, "a < b"), (False, "\\sqrt{x$}"), (True, "\\int_0^1 x\\,dx")]:
        fail(f"GitLab math: {g}")
    off = maths(tree(cli, os.path.join(src, "tests", "math", "corpus.md"), "-O", "math=false"))
    if off:
        fail(f"-O math=false still read {len(off)} formulas")
    print("GitLab $`...`$ and ```math read; -O math=false reads none")


def inputs(cli, src, tmp):
    """(name, path, format) of the inputs: the corpus in every format docpipe reads."""
    here = os.path.join(src, "tests", "math")
    ins = [("corpus.md", os.path.join(here, "corpus.md")),
           ("corpus-gitlab.md", os.path.join(here, "corpus-gitlab.md")),
           ("formulas.tei.xml", os.path.join(here, "formulas.tei.xml"))]
    if shutil.which("pandoc"):
        for name, args in [("pandoc-mathml.html", ["--mathml", "-s"]), ("pandoc-tex.html", ["-s"]),
                           ("pandoc.epub", ["-t", "epub3"]), ("pandoc-katex.html", ["--katex", "-s"])]:
            out = os.path.join(tmp, name)
            run(["pandoc", os.path.join(here, "corpus.md"), "-o", out, *args,
                 "--metadata", "title=Math corpus"])
            ins.append((name, out))
    # docpipe's own HTML (MathML with the TeX annotation)
    own = os.path.join(tmp, "docpipe.html")
    run([cli, os.path.join(here, "corpus.md"), "-o", own])
    ins.append(("docpipe.html", own))
    return ins


OUTS = [("md", "out.md"), ("html", "out.html"), ("epub", "out.epub"), ("tei", "out.tei.xml"), ("json", "out.json")]


def counts(cli, src):
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for name, path in inputs(cli, src, tmp):
            n_in = len(maths(tree(cli, path)))
            if n_in == 0:
                fail(f"{name}: no math read")
            row = [name, n_in]
            for fmt, out in OUTS:
                o = os.path.join(tmp, f"{name}.{out}")
                run([cli, path, "-o", o])
                n_out = len(maths(tree(cli, o)))
                row.append(n_out)
                if n_out != n_in:
                    fail(f"{name} -> {fmt}: {n_in} math nodes in, {n_out} out")
            rows.append(row)
        print("input                 in  " + "  ".join(f"{f:>4}" for f, _ in OUTS))
        for r in rows:
            print(f"{r[0]:<20} {r[1]:>3}  " + "  ".join(f"{c:>4}" for c in r[2:]))


STYLES = {"DOUBLE-STRUCK": "double-struck", "BOLD": "bold", "SCRIPT": "script", "FRAKTUR": "fraktur",
          "BLACK-LETTER": "fraktur"}


def styled(text, variant):
    """A styled letter as (style, letter): mathvariant="double-struck" R and U+211D are the same."""
    if variant in STYLES.values():
        return f"{variant}:{text}"
    if len(text) == 1:
        name = unicodedata.name(text, "")
        for key, style in STYLES.items():
            if key in name.split() or f"MATHEMATICAL {key}" in name:
                letter = name.split()[-1]
                return f"{style}:{letter.lower() if 'SMALL' in name else letter}"
    return text


# An accent is the same accent whether written as the combining character
# (texmath, pandoc) or its spacing form (docpipe, MathJax): U+0302 and "^".
ACCENT_SPELLINGS = {"\u0302": "^", "\u0303": "~", "\u0304": "\u00af", "\u203e": "\u00af",
                    "\u20d7": "\u2192", "\u0307": "\u02d9", "\u0308": "\u00a8", "\u030c": "\u02c7",
                    "\u0306": "\u02d8", "\u0301": "\u00b4", "\u0300": "`"}


def norm_mathml(m):
    """A MathML formula as its token sequence: element names and token text,
    without mrow wrappers, attributes, whitespace, semantics and annotations;
    accents in one spelling (ACCENT_SPELLINGS)."""
    root = ET.fromstring(m)
    out = []

    def walk(e):
        tag = e.tag.replace(MML, "")
        if tag in ("annotation", "annotation-xml"):
            return
        if tag == "mo" and e.text and len(e.text.strip()) > 1 and e.text.strip().isalpha():
            tag = "mi"  # a function name (lim, sin): mi in MathML 3, pandoc writes mo
        if tag not in ("mrow", "math", "semantics", "mstyle"):
            out.append(tag)
        if e.text and e.text.strip():
            text = ws(e.text)
            if tag == "mo":
                text = ACCENT_SPELLINGS.get(text, text)
            out.append(styled(text, e.get("mathvariant")))
        for c in e:
            walk(c)
        if tag not in ("mrow", "math", "semantics", "mstyle"):
            out.append("/")

    walk(root)
    return out


def roundtrip(cli, src):
    here = os.path.join(src, "tests", "math")
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in ("corpus.md", "corpus-gitlab.md"):
            base = [tex_of(m) for m in maths(tree(cli, os.path.join(here, corpus)))]
            for mid in ("html", "tei.xml", "epub", "json"):
                a = os.path.join(tmp, f"{corpus}.{mid}")
                b = os.path.join(tmp, f"{corpus}.{mid}.md")
                run([cli, os.path.join(here, corpus), "-o", a])
                run([cli, a, "-o", b])
                back = [tex_of(m) for m in maths(tree(cli, b))]
                if back != base:
                    for i, (x, y) in enumerate(zip(base, back)):
                        if x != y:
                            fail(f"{corpus} -> {mid} -> md: formula {i}: {x!r} came back {y!r}")
                    fail(f"{corpus} -> {mid} -> md: {len(base)} formulas, {len(back)} back")
                print(f"{corpus} -> {mid} -> md: {len(base)} formulas, same TeX byte for byte")
        if not shutil.which("pandoc"):
            print("SKIP: pandoc absent: html -> md -> html not checked")
            sys.exit(SKIP)
        html = os.path.join(tmp, "p.html")
        run(["pandoc", os.path.join(here, "corpus.md"), "--mathml", "-s", "-o", html, "--metadata", "title=t"])
        md = os.path.join(tmp, "p.md")
        html2 = os.path.join(tmp, "p2.html")
        run([cli, html, "-o", md])
        run([cli, md, "-o", html2])
        first = [m for m in maths(tree(cli, html)) if m["notation"] == "mathml"]
        second = maths(tree(cli, html2))
        if len(first) != len(second):
            fail(f"html -> md -> html: {len(first)} MathML formulas, {len(second)} back")
        same = 0
        for i, (x, y) in enumerate(zip(first, second)):
            # pandoc's MathML holds its TeX annotation: compare the presentation part
            nx, ny = norm_mathml(x["text"]), norm_mathml(y["text"])
            if nx != ny:
                fail(f"html -> md -> html: formula {i} ({x.get('tex')!r}):\n  {nx}\n  {ny}")
            same += 1
        print(f"html (pandoc --mathml) -> md -> html: {same} formulas, equivalent MathML")


def validate(cli, src):
    here = os.path.join(src, "tests", "math")
    schema = os.path.join(shared_dir(src), "schemas", "tei_all.rng")
    vnu = os.path.join(src, ".validators", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
    epubcheck = "/usr/share/java/epubcheck.jar"
    missing = [p for p in (schema, vnu, epubcheck) if not os.path.exists(p)]
    if missing or not shutil.which("jing") or not shutil.which("java"):
        print(f"SKIP: validators absent: {missing or 'jing/java'}")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        srcs = [os.path.join(here, "corpus.md"), os.path.join(here, "formulas.tei.xml")]
        pages, teis, epubs = [], [], []
        for s in srcs:
            stem = os.path.join(tmp, os.path.basename(s))
            for ext, lst, opts in ((".html", pages, []), (".tex.html", pages, ["-O", "math=tex"]),
                                   (".tei.xml", teis, []), (".epub", epubs, [])):
                run([cli, s, "-o", stem + ext, "-M", "language=en", *opts])
                lst.append(stem + ext)
        r = subprocess.run(["java", "-jar", vnu, "--Werror", *pages], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            fail("Nu: " + r.stdout.decode(errors="replace")[:2000])
        print(f"Nu: {len(pages)} pages clean")
        for t in teis:
            r = subprocess.run(["jing", schema, t], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode != 0:
                fail(f"jing tei_all {t}: " + r.stdout.decode(errors="replace")[:2000])
        print(f"jing tei_all: {len(teis)} files valid")
        for e in epubs:
            r = subprocess.run(["java", "-jar", epubcheck, e], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            out = r.stdout.decode(errors="replace")
            if r.returncode != 0 or "0 fatals / 0 errors / 0 warnings" not in out:
                fail(f"EPUBCheck {e}: " + out[-2000:])
        print(f"EPUBCheck: {len(epubs)} books clean (properties=\"mathml\" on their pages)")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    cmd, cli, src = sys.argv[1:]
    {"md_pandoc": md_pandoc, "counts": counts, "roundtrip": roundtrip, "validate": validate}[cmd](cli, src)


if __name__ == "__main__":
    main()
