#!/usr/bin/env python3
"""Markdown plugin tests, run through the docpipe CLI.

usage: md_tests.py DOCPIPE TEST [ARGS...]

  roundtrip FILE      md -> tree (json) and md -> md -> tree give the same JSON;
                      md -> md -> md is byte-stable after the first pass
  md-stable FILE      the md -> md -> md part alone (used while no JSON writer exists)
  words FORMAT        samples/speech.md converted to FORMAT keeps every seed word
                      (seed_words.py --in-order); 77 when FORMAT is not built
  frontmatter         the speech's metadata survives md -> json and md -> md -> json
  labels              footnote labels survive (speech: *, 1..5; cases/gfm.md: a, long-label, *)
  rawhtml             raw HTML kept, <span lang> pairs become spans, <div> pairs divs
  losses FILE         exporting FILE (every-node.json) to Markdown warns, naming the
                      node kinds Markdown cannot hold; --strict then fails with exit 7
  unused-footnote     an unreferenced footnote definition is reported with file:line
  yaml-error          a YAML error in front matter fails with file:line:column
  line-space          text starting or ending a line with white space (from TEI,
                      JSON...) reads back as text, not a list, heading or break
Exit: 0 pass, 1 fail, 77 skipped (with the reason printed).
"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SPEECH = os.path.join(ROOT, "samples", "speech.md")
SEED_WORDS = os.path.join(ROOT, "tests", "common", "seed_words.py")
SKIP = 77

EXTENSION = {"markdown": "md", "md": "md", "json": "json", "html": "html", "epub": "epub", "tei": "xml"}


class Failure(Exception):
    pass


def run(cli, *args, check=True, input_text=None):
    p = subprocess.run([cli] + list(args), capture_output=True, text=True, input=input_text)
    if check and p.returncode != 0:
        raise Failure("docpipe %s exited %d:\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def writable_formats(cli):
    """Formats the build can write, from `docpipe formats`."""
    out = run(cli, "formats").stdout
    fmts = set()
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 3 and cols[2] == "yes":
            fmts.add(cols[0])
    return fmts


def readable_formats(cli):
    out = run(cli, "formats").stdout
    return {line.split()[0] for line in out.splitlines() if len(line.split()) >= 3 and line.split()[1] == "yes"}


def need_json(cli):
    if "json" not in writable_formats(cli):
        print("skipped: no json writer in this build")
        sys.exit(SKIP)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------------ JSON helpers
# The tests look for values, not for one JSON layout: a node is any object
# with a string value naming its kind.

def walk(obj):
    stack = [obj]
    while stack:
        o = stack.pop()
        yield o
        if isinstance(o, dict):
            stack.extend(reversed(list(o.values())))
        elif isinstance(o, list):
            stack.extend(reversed(o))


def strings(obj):
    return [o for o in walk(obj) if isinstance(o, str)]


def kind_of(o):
    for key in ("t", "kind", "type"):
        if isinstance(o.get(key), str):
            return o[key]
    return None


def nodes_of_kind(tree, kind):
    return [o for o in walk(tree) if isinstance(o, dict) and kind_of(o) == kind]


def first_value(tree, key):
    for o in walk(tree):
        if isinstance(o, dict) and key in o:
            return o[key]
    return None


# ------------------------------------------------------------------ tests

def t_roundtrip(cli, path, with_json=True):
    if with_json:
        need_json(cli)
    with tempfile.TemporaryDirectory() as tmp:
        md1, md2, md3 = (os.path.join(tmp, "%d.md" % i) for i in (1, 2, 3))
        run(cli, path, "-t", "markdown", "-o", md1)
        run(cli, md1, "-t", "markdown", "-o", md2)
        run(cli, md2, "-t", "markdown", "-o", md3)
        if read(md2) != read(md3):
            raise Failure("Markdown not stable after the first pass: %s differs from %s" % (md2, md3))
        if with_json:
            j0, j1 = os.path.join(tmp, "0.json"), os.path.join(tmp, "1.json")
            run(cli, path, "-t", "json", "-o", j0)
            run(cli, md1, "-t", "json", "-o", j1)
            a, b = read(j0), read(j1)
            if a != b:
                la, lb = a.splitlines(), b.splitlines()
                for i, (x, y) in enumerate(zip(la, lb)):
                    if x != y:
                        raise Failure("tree changed by md -> md at JSON line %d:\n  - %s\n  + %s" % (i + 1, x, y))
                raise Failure("tree changed by md -> md (JSON lengths %d / %d)" % (len(la), len(lb)))
    print("ok: %s round trip%s" % (os.path.basename(path), " (tree and text)" if with_json else " (text)"))


def t_words(cli, fmt):
    if not os.path.isfile(SPEECH):
        raise Failure("samples/speech.md missing")
    if fmt not in writable_formats(cli):
        print("skipped: no %s writer in this build" % fmt)
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "speech." + EXTENSION.get(fmt, fmt))
        run(cli, SPEECH, "-t", fmt, "-o", out)
        p = subprocess.run([sys.executable, SEED_WORDS, out, "--in-order"], capture_output=True, text=True)
        sys.stdout.write(p.stdout + p.stderr)
        if p.returncode == SKIP:
            return SKIP
        if p.returncode != 0:
            raise Failure("seed words missing in the %s conversion" % fmt)
        # and back, where the format can also be read
        if fmt in readable_formats(cli) and fmt not in ("markdown", "md"):
            back = os.path.join(tmp, "back.md")
            run(cli, out, "-f", fmt, "-t", "markdown", "-o", back)
            p = subprocess.run([sys.executable, SEED_WORDS, back, "--in-order"], capture_output=True, text=True)
            sys.stdout.write(p.stdout + p.stderr)
            if p.returncode != 0:
                raise Failure("seed words missing after %s -> markdown" % fmt)
    return 0


SPEECH_META = {
    "title": ["Xi Jinping: \u2018Strive to Become the World\u2019s Primary Center for Science and High Ground "
              "for Innovation\u2019"],
    "author": ["Xi Jinping"],
    "translator": ["Ben Murphy", "Rogier Creemers", "Elsa Kania", "Paul Triolo", "Kevin Neville"],
    "editor": ["Graham Webster"],
    "language": ["en"],
    "created": ["2018-05-28"],
    "publisher": ["DigiChina"],
    "source": ["Xi Jinping", "http://www.qstheory.cn/dukan/qs/2021-03/15/c_1127209130.htm", "Qiushi",
               "2021-03-15", "zh"],
    "revision": ["2021-03-19", "2021-04-05"],
}


def check_speech_meta(tree, where):
    for key, expected in SPEECH_META.items():
        value = first_value(tree, key)
        if value is None:
            raise Failure("%s: metadata key %r missing" % (where, key))
        got = strings(value)
        pos = 0
        for e in expected:  # in order, as subsequence of the value's strings
            while pos < len(got) and got[pos] != e:
                pos += 1
            if pos == len(got):
                raise Failure("%s: metadata %r lacks %r (has %r)" % (where, key, e, got[:12]))
            pos += 1


def t_frontmatter(cli):
    need_json(cli)
    with tempfile.TemporaryDirectory() as tmp:
        j0, md1, j1 = (os.path.join(tmp, n) for n in ("0.json", "1.md", "1.json"))
        run(cli, SPEECH, "-t", "json", "-o", j0)
        check_speech_meta(json.loads(read(j0)), "speech.md -> json")
        run(cli, SPEECH, "-t", "markdown", "-o", md1)
        text = read(md1)
        if not text.startswith("---\n") or "\n---\n" not in text[4:]:
            raise Failure("written Markdown has no YAML front matter block")
        run(cli, md1, "-t", "json", "-o", j1)
        check_speech_meta(json.loads(read(j1)), "speech.md -> md -> json")
        # typed values: bools stay bools, quoted "true" stays a string
        case = os.path.join(HERE, "cases", "frontmatter.md")
        j2 = os.path.join(tmp, "fm.json")
        run(cli, case, "-t", "json", "-o", j2)
        tree = json.loads(read(j2))
        if True not in [o for o in walk(first_value(tree, "draft"))]:
            raise Failure("front matter 'draft: true' is not a bool true in the tree: %r"
                          % first_value(tree, "draft"))
        if False not in [o for o in walk(first_value(tree, "published"))]:
            raise Failure("front matter 'published: False' is not a bool false")
        if "true" not in strings(first_value(tree, "quoted-bool")):
            raise Failure("front matter 'quoted-bool: \"true\"' did not stay a string")
    print("ok: front matter metadata preserved")


def t_labels(cli):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s.md")
        run(cli, SPEECH, "-t", "markdown", "-o", out)
        text = read(out)
        for label in ["*", "1", "2", "3", "4", "5"]:
            ref = "[^%s]" % label
            if ref not in text or ("\n" + ref + ":") not in text:
                raise Failure("footnote label %s lost in the speech's Markdown" % ref)
        gfm = os.path.join(HERE, "cases", "gfm.md")
        out2 = os.path.join(tmp, "g.md")
        run(cli, gfm, "-t", "markdown", "-o", out2)
        text = read(out2)
        for label in ["a", "long-label", "*"]:
            if ("\n[^%s]:" % label) not in text:
                raise Failure("footnote label [^%s] lost in cases/gfm.md" % label)
        if text.count("[^a]") != 3:  # two references to one definition
            raise Failure("[^a] should appear 3 times (2 references, 1 definition), found %d" % text.count("[^a]"))
        if "json" in writable_formats(cli):
            j = os.path.join(tmp, "s.json")
            run(cli, SPEECH, "-t", "json", "-o", j)
            tree = json.loads(read(j))
            labels = [n.get("label") for n in nodes_of_kind(tree, "note")]
            if labels != ["*", "1", "2", "3", "4", "5"]:
                raise Failure("note labels in the tree: %r" % labels)
    print("ok: footnote labels preserved")


def report_warnings(path):
    """The warning records of a --report file (JSON lines)."""
    with open(path, encoding="utf-8") as f:
        return [r for r in map(json.loads, f) if r.get("type") == "warning"]


def t_rawhtml(cli):
    case = os.path.join(HERE, "cases", "html.md")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "h.md")
        report = os.path.join(tmp, "h.jsonl")
        p = run(cli, case, "-t", "markdown", "-o", out, "--report", report)
        # every warning, whatever its class, is in the report (presentation
        # ones reach stderr only with -v)
        reported = "\n".join(w["message"] for w in report_warnings(report))
        text = read(out)
        for needle in ["<table>\n<tr><td>raw html block</td></tr>\n</table>", "<b>bold</b>",
                       '<span lang="zh">中文</span>', '<span lang="it">opener.', "</span> closer", "<!-- note -->",
                       '<div lang="de" id="d1" class="box">', 'data-k="v&amp;w"']:
            if needle not in text:
                raise Failure("raw HTML %r not kept:\n%s" % (needle, text))
        if "span with attributes" not in reported or "div" not in reported:
            raise Failure("no loss warning for the attributed span / div:\n" + reported)
        if '<span lang="zh">' in reported:
            raise Failure("a lang-only span is no loss, yet it was reported")
        if "json" in writable_formats(cli):
            j = os.path.join(tmp, "h.json")
            run(cli, case, "-t", "json", "-o", j)
            tree = json.loads(read(j))
            spans = nodes_of_kind(tree, "span")
            langs = sorted(str(s.get("lang")) for s in spans)
            if langs != ["de", "fr", "zh"]:
                raise Failure("spans with lang in the tree: %r" % langs)
            divs = nodes_of_kind(tree, "div")
            if len(divs) != 1 or divs[0].get("lang") != "de":
                raise Failure("div pair not read as one div with lang de: %r" % divs)
            if "v&w" not in strings(spans):
                raise Failure("span attribute data-k not decoded to 'v&w'")
    print("ok: raw HTML kept, span/div pairs read")


def t_losses(cli, path):
    if not os.path.isfile(path):
        print("skipped: %s does not exist yet" % path)
        return SKIP
    if "json" not in readable_formats(cli):
        print("skipped: no json reader in this build")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "e.md")
        report = os.path.join(tmp, "e.jsonl")
        run(cli, path, "-t", "markdown", "-o", out, "--report", report)
        # every warning, content and presentation alike (stderr shows the
        # presentation class only with -v)
        warnings = [w["message"] for w in report_warnings(report)]
        tree = json.loads(read(path))
        expected = []
        for kind, word in [("div", "div"), ("def-list", "definition list"), ("figure", "figure"),
                           ("underline", "underline"), ("superscript", "superscript"),
                           ("subscript", "subscript"), ("small-caps", "small caps"),
                           ("custom", "custom node"), ("line-block", "line block"), ("quoted", "quotation"),
                           ("cite", "citation"), ("page-break", "page break")]:
            if nodes_of_kind(tree, kind) or nodes_of_kind(tree, kind.replace("-", "_")):
                expected.append(word)
        missing = [w for w in expected if not any(w in l for l in warnings)]
        if missing:
            raise Failure("no loss warning mentioning %r; warnings were:\n%s" % (missing, "\n".join(warnings)))
        if not warnings:
            raise Failure("every-node.json exported to Markdown without a single loss warning")
        # math is no loss in Markdown any more: it is written as TeX between dollars
        for m in nodes_of_kind(tree, "math"):
            tex = m.get("tex") if m.get("notation") == "mathml" else m.get("text")
            if tex and tex not in read(out):
                raise Failure("math %r not written to Markdown" % tex)
        q = run(cli, path, "-t", "markdown", "-o", os.path.join(tmp, "strict.md"), "--strict", check=False)
        if q.returncode != 7 or os.path.exists(os.path.join(tmp, "strict.md")):
            raise Failure("--strict with losses: exit %d (want 7) and no output" % q.returncode)
        # the written Markdown reads back, and is stable from then on
        again, again2 = os.path.join(tmp, "again.md"), os.path.join(tmp, "again2.md")
        run(cli, out, "-t", "markdown", "-o", again)
        run(cli, again, "-t", "markdown", "-o", again2)
        if read(again) != read(again2):
            raise Failure("Markdown written from every-node.json is not stable after a second pass")
    print("ok: %d loss warnings, covering %s" % (len(warnings), ", ".join(expected)))
    return 0


def t_unused_footnote(cli):
    case = os.path.join(HERE, "unused-footnote.md")
    p = run(cli, case, "-t", "markdown")
    if not re.search(r"unused-footnote\.md:5:1: .*\[\^unused\] is never referenced", p.stderr):
        raise Failure("no warning for the unreferenced footnote at line 5:\n" + p.stderr)
    print("ok: unreferenced footnote reported")


def t_yaml_error(cli):
    case = os.path.join(HERE, "yaml-error.md")
    p = run(cli, case, "-t", "markdown", check=False)
    if p.returncode == 0 or not re.search(r"yaml-error\.md:4:1: front matter: YAML", p.stderr):
        raise Failure("YAML error not reported at yaml-error.md:4:1 (exit %d):\n%s" % (p.returncode, p.stderr))
    print("ok: front matter YAML error located")


def t_list_ends(cli):
    """A list followed by a list or a code block: the Markdown written renders
    as the same blocks, with no "<!-- end list -->" comment (cmark-gfm's
    renderer's, which HTML shows as a comment the source did not have)."""
    cases = {
        "- a\n- b\n+ c\n": "<ul><li>a</li><li>b</li></ul><ul><li>c</li></ul>",
        "10) foo\n   - bar\n": '<ol start="10"><li>foo</li></ol><ul><li>bar</li></ul>',
        "1. a\n\n  2. b\n\n    3. c\n": "<ol><li><p>a</p></li><li><p>b</p></li></ol><pre><code>3. c</code></pre>",
        " -    one\n\n     two\n": "<ul><li>one</li></ul><pre><code> two</code></pre>",
    }
    for src, want in cases.items():
        md = run(cli, "-f", "markdown", "-t", "markdown", "-", input_text=src).stdout
        html = run(cli, "-f", "markdown", "-t", "html", "-O", "fragment=true", "-", input_text=md).stdout
        flat = re.sub(r">\s+<", "><", re.sub(r"\n</code>", "</code>", html)).strip()
        if "end list" in md or flat != want:
            raise Failure("list end for %r: wrote %r, renders %r" % (src, md, flat))
    print("ok: lists end without a rendered comment")


def t_html_block_in_item(cli):
    """A list item holding a block written as raw HTML (a <div> with
    attributes) and text after it: in a tight list the text, and a note
    reference in it, became part of the HTML block, and cmark-gfm dropped
    the note (stylesheets-test27 via EPUB: 'the reading of the last word is
    uncertain' lost in silence)."""
    src = ('<ul><li>Fol.<div class="locus">26r</div> heiter.<a href="#fn1" id="fnref1" role="doc-noteref">'
           '<sup>1</sup></a></li><li>two</li></ul>'
           '<section role="doc-endnotes"><ol><li id="fn1"><p>the reading is uncertain.</p></li></ol></section>')
    md = run(cli, "-f", "html", "-t", "markdown", "-", input_text=src).stdout
    html = run(cli, "-f", "markdown", "-t", "html", "-O", "fragment=true", "-", input_text=md).stdout
    if "the reading is uncertain" not in html or "doc-noteref" not in html:
        raise Failure("the note after a raw HTML block in a list item is lost: wrote %r, renders %r" % (md, html))
    print("ok: a note after a raw HTML block in a list item is kept")


def t_line_space(cli):
    """A paragraph line whose text starts with white space: written with the
    space, the renderer did not escape the line-start "1825." / "-" / "+",
    so the line read back as a list (stylesheets-test32: ' 1825. XIII' became
    an ordered list starting at 1825, the number lost); spaces before a soft
    break read back as a hard break. Markdown strips them anyway."""
    if "json" not in readable_formats(cli):
        print("skipped: no json reader in this build")
        return SKIP

    def text(t):
        return {"t": "text", "text": t}

    def para(*c):
        return {"t": "para", "c": list(c)}

    cases = [
        (para(text(" "), text("1825. XIII ")), "<p>1825. XIII</p>"),
        (para({"t": "emph", "c": [text(" - x")]}), "<p><em>- x</em></p>"),
        (para(text("p"), {"t": "line_break"}, text("  + q")), "<p>p<br>+ q</p>"),
        (para(text("p"), {"t": "soft_break"}, text(" 1) r")), "<p>p\n1) r</p>"),
        (para(text("a  "), {"t": "soft_break"}, text("b")), "<p>a\nb</p>"),
        ({"t": "heading", "level": 2, "c": [text(" # y ")]}, "<h2 id=\"y\"># y</h2>"),
        ({"t": "list", "list": "bullet", "c": [{"t": "list_item", "c": [{"t": "plain", "c": [text(" 1. x")]}]}]},
         "<ul><li>1. x</li></ul>"),
    ]
    for node, want in cases:
        tree = json.dumps({"docpipe-tree": 1, "meta": {}, "body": {"t": "root", "c": [node]}})
        md = run(cli, "-f", "json", "-t", "markdown", "-", input_text=tree).stdout
        html = run(cli, "-f", "markdown", "-t", "html", "-O", "fragment=true", "-", input_text=md).stdout
        flat = re.sub(r">\s+<", "><", html).strip()
        if flat != want:
            raise Failure("white space at a line edge: %s wrote %r, renders %r (want %r)" % (json.dumps(node), md, flat, want))
    print("ok: white space at line edges is not written; the line reads back as text")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cli, test, args = argv[0], argv[1], argv[2:]
    try:
        if test == "roundtrip":
            rc = t_roundtrip(cli, args[0])
        elif test == "md-stable":
            rc = t_roundtrip(cli, args[0], with_json=False)
        elif test == "words":
            rc = t_words(cli, args[0])
        elif test == "frontmatter":
            rc = t_frontmatter(cli)
        elif test == "labels":
            rc = t_labels(cli)
        elif test == "rawhtml":
            rc = t_rawhtml(cli)
        elif test == "losses":
            rc = t_losses(cli, args[0])
        elif test == "unused-footnote":
            rc = t_unused_footnote(cli)
        elif test == "yaml-error":
            rc = t_yaml_error(cli)
        elif test == "list-ends":
            rc = t_list_ends(cli)
        elif test == "html-block-in-item":
            rc = t_html_block_in_item(cli)
        elif test == "line-space":
            rc = t_line_space(cli)
        else:
            print("unknown test " + test)
            return 2
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    return rc or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
