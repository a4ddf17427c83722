#!/usr/bin/env python3
"""The GFM spec 0.29 examples through docpipe, compared with cmark-gfm.

usage: gfm_spec.py DOCPIPE SPEC.txt [--work DIR] [--jobs N] [--list]

For each example of the spec (input before the line ".", cmark-gfm's HTML
after it; "→" stands for a tab; the 2 examples marked "disabled" are not run
by cmark-gfm's own spec test either and are left out):
  reference    the installed cmark-gfm command's rendering of the input
               (--unsafe, extensions table, strikethrough, autolink, tagfilter,
               tasklist: the set the spec is written for). The control figure
               says how often it equals the spec's own expected HTML, so a
               disagreement of the normaliser shows up there, not as docpipe's.
  md>html      docpipe's HTML fragment (-O fragment=true) of the input, read
               with -O tagfilter=true and written with safe off, as the
               reference is rendered
  md>tei>md    the input to TEI and back to Markdown with docpipe, rendered
               by the same cmark-gfm command
Each is compared with the reference after DOM normalisation (normalise()):
attribute order, entity spelling (&quot; / &#34; / "), whitespace between
block tags and around <br>, runs of whitespace outside <pre>, the final
newline of a <pre> (browsers show neither), void-element syntax (<br />),
the id of a heading (docpipe writes anchors; cmark-gfm writes none),
align="x" on a cell as style="text-align: x", and end tags that HTML lets
a page omit (</li>, </p>, </td> ...) as the DOM has them.
The conversions run in one `docpipe run` (a generated config, --jobs N).

As a module: run(docpipe, spec, work, jobs) -> results dict (corpus.py)."""

import html
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

FENCE = "`" * 32
CMARK = os.environ.get("CMARK_GFM", "cmark-gfm")
CMARK_ARGS = ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter",
              "-e", "tasklist"]
BLOCK = set("""address article aside blockquote body center dd details dialog dir div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu
meta nav noframes ol optgroup option p param pre section source summary table tbody td tfoot th
thead title tr track ul""".split())
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}


def examples(spec_text):
    """[(number, section, markdown, expected_html)] of the enabled examples."""
    out, number, section = [], 0, ""
    lines = spec_text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        if line.startswith(FENCE + " example"):
            number += 1
            j = lines.index(".", i + 1)
            k = lines.index(FENCE, j + 1)
            md = "\n".join(lines[i + 1:j]) + "\n"
            expected = "\n".join(lines[j + 1:k]) + "\n" if k > j + 1 else ""
            if "disabled" not in line:
                out.append((number, section, md.replace("→", "\t"), expected.replace("→", "\t")))
            i = k
        i += 1
    return out


class _Normaliser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.pre = 0
        self.open = []

    def _tag(self, tag, attrs):
        parts = [tag]
        if tag in ("td", "th") and any(k == "align" for k, _ in attrs):
            # The obsolete align (cmark-gfm) as the CSS it means (docpipe).
            attrs = [(k, v) for k, v in attrs if k != "align"] + [
                ("style", "text-align: " + dict(attrs)["align"])]
        for k, v in sorted(attrs, key=lambda a: a[0]):
            if k == "id" and re.fullmatch(r"h[1-6]", tag):
                continue  # a generated anchor, not content
            parts.append(k if v is None else '%s="%s"' % (k, html.escape(v, quote=True)))
        return "<" + " ".join(parts) + ">"

    def handle_starttag(self, tag, attrs):
        self._implied_ends(tag)
        self._block_edge(tag)
        self.out.append(self._tag(tag, attrs))
        if tag == "pre":
            self.pre += 1
        if tag not in VOID:
            self.open.append(tag)

    def _implied_ends(self, tag):
        """End tags HTML lets a page omit, as the DOM has them: <li> ends an
        open <li> of the same list, <dt>/<dd> one another, a block ends an
        open <p>, a cell or row the open cell or row."""
        closes = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
                  "td": {"td", "th"}, "th": {"td", "th"}}.get(tag, set())
        if tag in BLOCK and tag not in ("li", "dt", "dd", "td", "th", "tr"):
            closes = {"p"}
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] in closes:
                while len(self.open) > i:
                    self._close(self.open[-1])
                return
            if self.open[i] in BLOCK and self.open[i] not in ("p", "li", "dt", "dd", "td", "th", "tr"):
                return  # the list, table or block that holds them: nothing to end

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.open:  # close what the page left open inside it
            while self.open and self.open[-1] != tag:
                self._close(self.open[-1])
            self.open.pop()
        self._emit_end(tag)

    def _close(self, tag):
        self.open.pop()
        self._emit_end(tag)

    def _emit_end(self, tag):
        if self.pre and tag in ("pre", "code") and self.out and isinstance(self.out[-1], list):
            self.out[-1][0] = self.out[-1][0].rstrip("\n")  # a final newline shows nothing
        self._block_edge(tag)
        self.out.append("</%s>" % tag)
        if tag == "pre" and self.pre:
            self.pre -= 1

    def close(self):
        super().close()
        while self.open:
            self._close(self.open[-1])

    def _block_edge(self, tag):
        # Whitespace before a block tag is not content.
        if (tag in BLOCK or tag == "br") and not self.pre and self.out and isinstance(self.out[-1], list):
            self.out[-1][0] = self.out[-1][0].rstrip()

    def handle_data(self, data):
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            prev = self.out[-1] if self.out else ""
            if not isinstance(prev, list) and (not prev or re.match(r"</?(\w+)", prev) and
                                               re.match(r"</?(\w+)", prev).group(1) in BLOCK | {"br"}):
                data = data.lstrip()  # whitespace after a block tag
        if isinstance(self.out[-1] if self.out else None, list):
            self.out[-1][0] += html.escape(data, quote=False)
        else:
            self.out.append([html.escape(data, quote=False)])

    def handle_comment(self, data):
        self.out.append("<!--%s-->" % data)

    def handle_decl(self, decl):
        self.out.append("<!%s>" % decl)

    def handle_pi(self, data):
        self.out.append("<?%s>" % data)

    def unknown_decl(self, data):
        self.out.append("<![%s]>" % data)


def normalise(fragment):
    p = _Normaliser()
    p.feed(fragment)
    p.close()
    return "".join(x[0] if isinstance(x, list) else x for x in p.out).strip()


def cmark(md):
    p = subprocess.run([CMARK] + CMARK_ARGS, input=md.encode("utf-8"), capture_output=True)
    return p.stdout.decode("utf-8", "replace") if p.returncode == 0 else None


def convert_all(docpipe, exs, work, jobs):
    """One `docpipe run`: every example to an HTML fragment and to TEI, and
    the TEI back to Markdown. Returns {number: (html, md_back)} (None where a
    conversion failed) and the run's stderr."""
    src = os.path.join(work, "ex")
    os.makedirs(src, exist_ok=True)
    for n, _, md, _ in exs:
        with open(os.path.join(src, "%03d.md" % n), "w", encoding="utf-8") as f:
            f.write(md)
    config = os.path.join(work, "gfm.yaml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("""version: 1
jobs:
  - name: html
    # like for like: cmark-gfm runs with -e tagfilter, so docpipe reads with
    # tagfilter (GFM's disallowed raw HTML) ...
    input: {path: "ex/*.md", format: markdown, options: {tagfilter: true}}
    output-dir: out
    outputs:
      # ... and with --unsafe, so docpipe writes with safe off
      - {format: html, path: "html/{stem}.html", options: {fragment: true, safe: false}}
  - name: tei
    input: "ex/*.md"
    output-dir: out
    outputs: ["tei/{stem}.tei.xml"]
  - name: back
    input: {job: tei}
    output-dir: out
    outputs: ["back/{stem}.md"]
""")
    p = subprocess.run([docpipe, "run", config, "--jobs", str(jobs), "--force", "-q"],
                       capture_output=True, text=True)

    def read(path):
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except OSError:
            return None
    out = {}
    for n, _, _, _ in exs:
        out[n] = (read(os.path.join(work, "out", "html", "%03d.html" % n)),
                  read(os.path.join(work, "out", "back", "%03d.md" % n)))
    return out, p.stderr


def run(docpipe, spec, work, jobs=2):
    with open(spec, encoding="utf-8") as f:
        exs = examples(f.read())
    converted, log = convert_all(docpipe, exs, work, jobs)

    def check(ex):
        n, section, md, expected = ex
        ref = cmark(md)
        html_out, back = converted[n]
        back_html = cmark(back) if back is not None else None
        nref = normalise(ref) if ref is not None else None
        return (n, section,
                nref is not None and nref == normalise(expected),
                html_out is not None and normalise(html_out) == nref,
                back_html is not None and normalise(back_html) == nref)
    with ThreadPoolExecutor(jobs) as pool:
        rows = list(pool.map(check, exs))
    total = len(rows)

    def pct(i):
        return round(100.0 * sum(1 for r in rows if r[i]) / total, 2)
    return {
        "examples": total,
        "control": pct(2), "md>html": pct(3), "md>tei>md": pct(4),
        "control_failures": [(r[0], r[1]) for r in rows if not r[2]],
        "html_failures": [(r[0], r[1]) for r in rows if not r[3]],
        "rt_failures": [(r[0], r[1]) for r in rows if not r[4]],
        "log": log,
    }


def by_section(failures):
    counts = {}
    for n, section in failures:
        counts.setdefault(section, []).append(n)
    return "; ".join("%s: %s" % (s, " ".join(map(str, ns))) for s, ns in counts.items())


def main():
    args = sys.argv[1:]
    jobs, work = 2, None
    if "--jobs" in args:
        i = args.index("--jobs")
        jobs = int(args[i + 1])
        del args[i:i + 2]
    if "--work" in args:
        i = args.index("--work")
        work = args[i + 1]
        del args[i:i + 2]
    docpipe, spec = args[0], args[1]
    if not os.path.exists(spec):
        print("SKIP: %s is absent (the ../shared samples)" % spec)
        return 77
    tmp = work or tempfile.mkdtemp(prefix="dp-gfm-")
    r = run(docpipe, spec, tmp, jobs)
    print("GFM spec 0.29, %d examples: cmark-gfm = spec %.2f%%, docpipe md>html %.2f%%, md>tei>md %.2f%%"
          % (r["examples"], r["control"], r["md>html"], r["md>tei>md"]))
    if "--list" in args:
        print("md>html differs: " + by_section(r["html_failures"]))
        print("md>tei>md differs: " + by_section(r["rt_failures"]))
    if not work:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
