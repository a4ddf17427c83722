#!/usr/bin/env python3
"""GFM spec examples: docpipe's Markdown -> HTML against cmark-gfm's own rendering.

Usage: gfm_spec.py DOCPIPE [--spec FILE] [--cmark CMARK] [--json] [--floor PCT] [--via tei]
                   [--show N] [--example N]

Every example of the GFM spec 0.29 (../shared/samples/markdown/gfm-spec-0.29.txt, 673 examples) is
rendered by `cmark-gfm --unsafe` with the extensions docpipe's reader enables (table, strikethrough,
autolink, tasklist; no tagfilter: docpipe filters tags only with -O tagfilter=true) and by `docpipe -f md -t html -O
fragment=true`, and the two are compared as DOMs: each is parsed as browsers do (html5lib, the WHATWG
algorithm, as the content of <body>: implied end tags and `/>` are alike) and written as a token
stream with attributes sorted, character references decoded, runs of whitespace collapsed (outside
<pre>), whitespace next to block-level tags and after <br> dropped, and the newline that ends each of
cmark-gfm's code blocks dropped (docpipe's tree holds code without it), as is the whitespace that
ends the output. <!DOCTYPE> declarations, which
fragment parsing drops, are compared on their own. docpipe's additions are not differences: the id of
each heading, the rest of a code block's info string (data-info on <pre>), the class and aria-label of
task-list items; HTML5's `style="text-align: X"` stands for cmark-gfm's obsolete `align="X"`.

With --via tei the Markdown goes md -> tei -> md first (docpipe), then md -> html.

Prints a summary line (and each failing example's number and section; --show N prints the first N
diffs); --json prints one JSON object instead: {"total", "passed", "percent", "failed": [{"example",
"section", "markdown", "expected", "got"}]}. Exit 0, or 1 when --floor is given and the percentage is
below it; 77 (skip) when the spec or cmark-gfm is missing.
"""
import argparse
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = "`" * 32
BLOCK_TAGS = {
    "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map", "button",
    "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd", "progress", "div",
    "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea", "fieldset", "tfoot", "figcaption",
    "th", "figure", "thead", "footer", "tr", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "video",
    "script", "style", "details", "summary", "nav", "section", "main", "html", "head", "title", "meta",
    "link", "menu", "address", "legend", "optgroup", "option", "source", "track", "base", "basefont",
    "center", "dialog", "dir", "frame", "frameset", "noframes", "param", "search",
}


def parse_spec(path):
    """[(number, section, markdown, html)] from the spec text."""
    examples = []
    section = ""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"#{1,6} (.*)", line)
        if m and not line.startswith(FENCE):
            section = m.group(1).strip()
        if line.startswith(FENCE + " example"):
            md, out = [], []
            i += 1
            while lines[i] != ".":
                md.append(lines[i])
                i += 1
            i += 1
            while lines[i] != FENCE:
                out.append(lines[i])
                i += 1
            text = "\n".join(md) + "\n" if md else ""
            examples.append((len(examples) + 1, section, text.replace("\u2192", "\t"),
                             ("\n".join(out) + "\n").replace("\u2192", "\t")))
        i += 1
    return examples


def import_html5lib():
    """html5lib (Debian's python3-html5lib), also when python3 is not Debian's own (pyenv)."""
    try:
        import html5lib
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import html5lib
        except ImportError:
            return None
    return html5lib


class Declarations(html.parser.HTMLParser):
    """The <!DOCTYPE ...> declarations of a markup, which HTML5 fragment parsing drops."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.decls = []

    def handle_decl(self, decl):
        self.decls.append(("decl", re.sub(r"\s+", " ", decl)))


def tokens(node, out, pre):
    """A document-order token stream of an html5lib etree fragment."""
    tag = node.tag
    if not isinstance(tag, str):  # a comment (etree gives it the Comment factory as tag)
        out.append(("comment", node.text or ""))
    else:
        attrs = []
        for k, v in node.attrib.items():
            if k == "id" and re.fullmatch(r"h[1-6]", tag):
                continue  # docpipe gives every heading an id
            if tag == "input" and k == "aria-label":
                continue  # docpipe names task-list checkboxes
            if tag == "pre" and k == "data-info":
                continue  # docpipe keeps the rest of a code block's info string
            if k == "class" and tag == "li" and v == "task-list-item":
                continue
            if tag == "input" and k in ("disabled", "checked"):
                v = ""
            if k == "align" and tag in ("td", "th"):  # HTML5 has no align: docpipe writes the style
                k, v = "style", "text-align: " + v
            attrs.append((k, v))
        out.append(("start", tag, tuple(sorted(attrs))))
        text(out, node.text, pre or tag == "pre")
        for child in node:
            tokens(child, out, pre or tag == "pre")
        out.append(("end", tag))
    text(out, node.tail, pre)


def text(out, data, pre):
    if not data:
        return
    if not pre:
        data = re.sub(r"\s+", " ", data)
    if out and out[-1][0] == "text":
        out[-1] = ("text", out[-1][1] + data)
    else:
        out.append(("text", data))


def normalise(markup, code_newline=False):
    """The DOM of markup (parsed as browsers do, as the content of <body>) as a token list, with the
    normalisations of the module comment. code_newline: drop the newline that ends each code block
    (cmark-gfm writes it; docpipe's tree holds code without it)."""
    # trailing whitespace is layout; parsed, it would reopen a formatting element left open
    # (<a>, <b>) after the last block
    # (a whole document opened at <body>, not parseFragment: html5lib's fragments lose what foster
    # parenting moves out of a table)
    doc = html5lib_mod.parse("<body>" + markup.rstrip(), namespaceHTMLElements=False)
    root = doc.find("body")
    toks = []
    text(toks, root.text, False)
    for child in root:
        tokens(child, toks, False)
    decls = Declarations()
    decls.feed(markup)
    decls.close()
    for i, t in enumerate(toks):
        if t[0] != "text":
            continue
        s = t[1]
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        # whitespace next to block-level tags, <br> and both ends is layout
        if prev is None or (prev[0] in ("start", "end") and (prev[1] in BLOCK_TAGS or prev[1] == "br")):
            if not (prev and prev[1] in ("pre", "code") and prev[0] == "start"):
                s = s.lstrip(" \n")
        if nxt is None or (nxt[0] in ("start", "end") and nxt[1] in BLOCK_TAGS):
            if not (nxt and nxt[1] in ("pre", "code") and nxt[0] == "end"):
                s = s.rstrip(" \n")
        if code_newline and nxt == ("end", "code") and i + 2 < len(toks) and toks[i + 2] == ("end", "pre"):
            s = s[:-1] if s.endswith("\n") else s
        toks[i] = ("text", s)
    return decls.decls + [t for t in toks if not (t[0] == "text" and t[1] == "")]


def run(cmd, data):
    r = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def docpipe_html(docpipe, md, via):
    if via:
        rc, mid, err = run([docpipe, "-q", "-f", "md", "-t", via], md)
        if rc != 0:
            return None, err
        rc, md, err = run([docpipe, "-q", "-f", via, "-t", "md"], mid)
        if rc != 0:
            return None, err
    rc, out, err = run([docpipe, "-q", "-f", "md", "-t", "html", "-O", "fragment=true", "--unsafe"], md)
    return (out if rc == 0 else None), err


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("DOCPIPE_SHARED_DIR") or os.path.join(here, "..", "..", "..", "..", "shared")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("docpipe")
    ap.add_argument("--spec", default=os.path.join(shared, "samples", "markdown", "gfm-spec-0.29.txt"))
    ap.add_argument("--cmark", default=shutil.which("cmark-gfm"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--floor", type=float)
    ap.add_argument("--via")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--example", type=int, action="append")
    a = ap.parse_args()
    if not os.path.exists(a.spec):
        print(f"SKIP: {a.spec} not found (../shared/samples)")
        return 77
    global html5lib_mod
    html5lib_mod = import_html5lib()
    if not html5lib_mod:
        print("SKIP: python3-html5lib not installed (scripts/install-deps.sh --tests)")
        return 77
    if not a.cmark:
        print("SKIP: cmark-gfm not installed")
        return 77
    cmark = [a.cmark, "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist"]
    examples = parse_spec(a.spec)
    failed = []
    for num, section, md, _ in examples:
        if a.example and num not in a.example:
            continue
        _, want, _ = run(cmark, md)
        got, err = docpipe_html(a.docpipe, md, a.via)
        # the newline that ends a code block: cmark-gfm's <pre><code> and a raw one look alike, so
        # either reading of the expected HTML may match
        if got is None or (normalise(want, code_newline=True) != normalise(got) and
                           normalise(want) != normalise(got)):
            failed.append({"example": num, "section": section, "markdown": md, "expected": want,
                           "got": got if got is not None else "(failed) " + err})
    total = len(a.example) if a.example else len(examples)
    passed = total - len(failed)
    pct = 100.0 * passed / total if total else 0.0
    if a.json:
        print(json.dumps({"total": total, "passed": passed, "percent": round(pct, 2), "via": a.via,
                          "failed": failed}, ensure_ascii=False, indent=1))
    else:
        print(f"GFM spec{' via ' + a.via if a.via else ''}: {passed}/{total} examples equal to cmark-gfm "
              f"({pct:.2f}%)")
        for f in failed:
            print(f"  example {f['example']} ({f['section']})")
        for f in failed[:a.show]:
            print(f"--- example {f['example']} ({f['section']})\n{f['markdown']}--- cmark-gfm\n"
                  f"{f['expected']}--- docpipe\n{f['got']}")
    if a.floor is not None and pct < a.floor:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
