#!/usr/bin/env python3
"""HTML importer tests: each case imports pages from data/ (or made here)
with the docpipe CLI (-t json) and checks the tree.

usage: check_html.py DOCPIPE DATA_DIR CASE
Exit 0 pass, 1 fail, 77 skip (a plugin this case needs is not built)."""
import json
import os
import subprocess
import sys
import tempfile

CLI = DATA = None
sys.setrecursionlimit(20000)  # the JSON of a depth-capped tree is still ~1000 levels deep
failures = []


def run(*args, ok=True):
    r = subprocess.run([CLI] + list(args), capture_output=True)
    if ok and r.returncode != 0:
        raise SystemExit("FAIL: docpipe %s exited %d:\n%s" % (" ".join(args), r.returncode,
                                                             r.stderr.decode(errors="replace")))
    return r


def tree(name, *extra):
    path = name if os.path.isabs(name) else os.path.join(DATA, name)
    r = run(path, "-f", "html", "-t", "json", "-o", "-", *extra)
    return json.loads(r.stdout), r.stderr.decode(errors="replace")


def nodes(n, kind=None):
    """All nodes of a subtree, document order (iterative: trees may be deep)."""
    out, stack = [], [n]
    while stack:
        x = stack.pop()
        if kind is None or x.get("t") == kind:
            out.append(x)
        stack.extend(reversed(x.get("c", [])))
    return out


def text(n):
    return "".join(x.get("text", "") for x in nodes(n) if x.get("t") == "text")


def check(cond, what):
    if not cond:
        failures.append(what)


# ---- cases ---------------------------------------------------------------

def case_constructs():
    t, err = tree("constructs.html", "-v")
    body = t["body"]
    hs = nodes(body, "heading")
    check([h["level"] for h in hs] == [1, 2, 3, 4, 5, 6], "six heading levels: %s" % [h["level"] for h in hs])
    check(hs[0].get("id") == "h-one" and hs[0].get("classes") == ["chapter"], "heading id and class kept")
    kinds = {x["t"] for x in nodes(body)}
    for k in ("emph", "strong", "subscript", "superscript", "strikeout", "underline", "small_caps",
              "quoted", "code", "link", "line_break", "thematic_break", "list", "def_list", "block_quote",
              "code_block", "table", "figure", "caption", "image", "div", "span", "math", "page_break"):
        check(k in kinds, "node kind %s produced" % k)
    q = nodes(body, "quoted")
    check(q[0]["quote"] == "double" and q[1]["quote"] == "single", "nested q: double then single")
    abbr = [s for s in nodes(body, "span") if "abbr" in s.get("classes", [])]
    check(abbr and abbr[0].get("attrs", {}).get("title") == "HyperText Markup Language", "abbr title kept")
    check(any("cite" in s.get("classes", []) and text(s) == "The Cited Work" for s in nodes(body, "span")),
          "cite kept as span.cite")
    link = nodes(body, "link")[0]
    check(link["url"] == "https://example.org/" and link.get("title") == "Example", "link url and title")
    paras = nodes(body, "para")
    check(any("line two & entities \u00e9\u00e9\u263a \u00a0end." in text(p) for p in paras),
          "character references decoded")
    lists = nodes(body, "list")
    check(lists[0]["list"] == "ordered" and lists[0]["start"] == 3 and lists[0]["style"] == "lower-alpha",
          "ol start/type: %s" % {k: lists[0].get(k) for k in ("list", "start", "style")})
    check(lists[1]["list"] == "bullet", "nested ul")
    tasks = [i.get("task") for i in nodes(lists[2], "list_item")]
    check(tasks == ["checked", "unchecked"], "task list: %s" % tasks)
    dl = nodes(body, "def_item")
    check(len(dl) == 2 and [x["t"] for x in dl[0]["c"]] == ["def_term", "def_term", "def_desc"],
          "definition list grouping (dt dt dd, div group)")
    bq = nodes(body, "block_quote")[0]
    check(bq.get("attrs", {}).get("cite") == "https://example.org/q", "blockquote cite kept")
    cb = nodes(body, "code_block")[0]
    check(cb.get("classes", [None])[0] == "python", "code language from class language-python")
    check("    return x  # keep   spacing\n" in cb["text"], "pre keeps white space")
    tb = nodes(body, "table")[0]
    check([c["t"] for c in tb["c"]] == ["caption", "table_head", "table_body", "table_foot"],
          "table sections reordered: %s" % [c["t"] for c in tb["c"]])
    check(len(tb["cols"]) == 2 and abs(tb["cols"][0]["width"] - 0.4) < 1e-9, "col width 40%%: %s" % tb["cols"])
    cells = nodes(tb, "table_cell")
    check(cells[0]["header"] and cells[0]["align"] == "left", "th align=left")
    check(cells[1]["align"] == "right", "style text-align:right")
    check(cells[2]["rowspan"] == 2 and cells[3]["align"] == "center", "rowspan / align center")
    check(cells[5]["colspan"] == 2 and text(cells[5]) == "Footer cell", "tfoot colspan")
    fig = nodes(body, "figure")[0]
    img = nodes(fig, "image")[0]
    check(img["url"] == "images/pic.png" and img.get("title") == "Picture title" and
          text(img) == "Alt text of picture", "image src/title/alt")
    check(text(nodes(fig, "caption")[0]) == "Figure caption text", "figcaption")
    d1 = [d for d in nodes(body, "div") if d.get("id") == "d1"][0]
    check(d1["classes"] == ["box", "note"] and d1["attrs"].get("data-kind") == "aside", "div attributes")
    check(any(s.get("lang") == "fr" for s in nodes(body, "span")), "lang on span")
    check(any(d.get("lang") == "de" for d in nodes(body, "div")), "lang on section")
    maths = nodes(body, "math")
    check(maths[0]["notation"] == "mathml" and maths[0]["display"] and "<mi>x</mi>" in maths[0]["text"],
          "MathML kept as mathml")
    check(maths[1]["notation"] == "tex" and maths[1]["text"] == "a^2", "pandoc TeX math span")
    alltext = text(body)
    check("Custom element words" in alltext and "inline unknown words" in alltext,
          "unknown elements keep their text")
    check("unknown element <custom-widget>" in err and "unknown element <my-inline>" in err,
          "unknown elements reported under -v")
    check("scripted words" not in alltext and "template words" not in alltext, "script/template dropped")
    check("<script> dropped" in err and "<style> dropped" in err, "dropped script/style reported under -v")
    lb = nodes(body, "line_block")
    check(lb and [text(l) for l in nodes(lb[0], "line")] == ["Roses are red,", "violets & blue,", "lines stay lines."],
          "pandoc line block (<br>-separated) -> line_block/line")
    cite = nodes(body, "cite")
    check(cite and [c["id"] for c in cite[0].get("citations", [])] == ["knuth1984", "lamport1994"] and
          text(cite[0]) == "(Knuth 1984; Lamport 1994)", "span.citation[data-cites] -> cite with its ids")
    pb = nodes(body, "page_break")[0]
    check(pb.get("label") == "7", "page break label")
    check(t["meta"].get("title") == "Every construct" and t["meta"].get("language") == "en", "title/lang meta")


def notes_case(name, expect):
    t, _ = tree(name)
    ns = nodes(t["body"], "note")
    got = [(n.get("label"), " ".join(text(p) for p in n["c"])) for n in ns]
    check(len(got) == len(expect), "%s: %d notes, expected %d: %s" % (name, len(got), len(expect), got))
    for (gl, gt), (el, et) in zip(got, expect):
        check(gl == el, "%s: label %r, expected %r" % (name, gl, el))
        check(gt == et, "%s: note text %r, expected %r" % (name, gt, et))
    # the notes list is gone from the body: note texts appear only inside notes
    outside = []
    stack = [t["body"]]
    while stack:
        x = stack.pop()
        if x.get("t") == "note":
            continue
        if x.get("t") == "text":
            outside.append(x["text"])
        stack.extend(x.get("c", []))
    for _, et in expect:
        check(not any(et.split()[0] in o and et.split()[-1] in o for o in outside),
              "%s: notes list still in the body (%r)" % (name, et))
    # the reference sits in its paragraph
    check(all(any(n in p.get("c", []) for p in nodes(t["body"], "para")) for n in ns),
          "%s: notes stand at their reference" % name)
    return t


def case_notes_dpub():
    notes_case("notes-dpub.html", [("1", "Dpub note one."),
                                   ("2", "Dpub note two. Second paragraph of note two."),
                                   ("*", "Star note body.")])


def case_notes_epubtype():
    notes_case("notes-epubtype.html", [("a", "Epub footnote alpha."), ("b", "Epub endnote beta.")])


def case_notes_pandoc():
    t = notes_case("notes-pandoc.html", [("1", "Pandoc note one."), ("2", "Pandoc note two with emphasis.")])
    check(not nodes(t["body"], "thematic_break"), "pandoc's <hr> before the notes dropped with them")


def case_notes_cmark_gfm():
    t = notes_case("notes-cmark-gfm.html", [("1", "GFM note one"), ("2", "GFM note two")])
    check(not nodes(t["body"], "heading"), "sr-only 'Footnotes' heading dropped with the list")


def case_notes_plain():
    t = notes_case("notes-plain.html", [("1", "Plain note one."), ("*", "Plain starred note.")])
    links = nodes(t["body"], "link")
    check(len(links) == 1 and links[0]["url"] == "#section2", "an ordinary internal link stays a link")


def case_notes_edge():
    t, err = tree("notes-edge.html")
    ns = nodes(t["body"], "note")
    first = [(n.get("label"), text(n)) for n in ns]
    check(first[:2] == [("1", "Shared note text."), ("1", "Shared note text.")],
          "a note referenced twice is at both references: %s" % first[:2])
    outer = [n for n in ns if "Outer note" in text(n)]
    check(outer and any(x.get("label") == "3" and text(x) == "Inner note text." for x in nodes(outer[0], "note")[1:]),
          "a note referenced from a note nests: %s" % first)
    check("note referenced from inside itself" in err, "a note cycle is reported, not followed: %s" % err)
    links = nodes(t["body"], "link")
    check(len(links) == 1 and links[0]["url"] == "#nowhere" and "does not exist" in err,
          "a note reference to a missing id stays a link, with a warning")
    alltext = text(t["body"])
    for w in ("Cycle note A", "Cycle note B", "Inner note text."):
        check(w in alltext, "note text %r kept" % w)


def case_malformed():
    t, err = tree("malformed.html")
    alltext = text(t["body"])
    for w in ("Unclosed paragraph one", "bold italic", "italic only", "Stray end tags words", "item two",
              "cell two", "inside link", "inner div words", "Final words", "done"):
        check(w in alltext, "malformed: %r kept" % w)
    check("recovered HTML error" in err and "malformed.html:4:" in err, "parse errors reported with line:col")
    check(len(nodes(t["body"], "list_item")) == 2 and len(nodes(t["body"], "table_cell")) == 2,
          "unclosed li/td recovered")


def case_malformed_structure():
    # found by fuzzing: a <dd> with no <dt> (a definition item needs a term) and
    # note references standing directly in ul / line blocks / tr
    t, _ = tree("malformed-structure.html")
    body = t["body"]
    items = nodes(body, "def_item")
    check(items and items[0]["c"][0]["t"] == "def_term", "a description without term gets an empty term")
    alltext = text(body)
    for w in ("Description without a term", "Late term", "List item words", "Line words", "Cell words"):
        check(w in alltext, "%r kept" % w)
    labels = sorted(n.get("label") for n in nodes(body, "note"))
    check(labels == ["1", "2", "3"], "notes referenced from list / line block / table row: %s" % labels)


def case_xhtml():
    # read as XML: the self-closed <a id/> does not swallow the text after it
    t, err = tree("page.xhtml")
    body = t["body"]
    check("not well-formed" not in err and "recovered HTML error" not in err, "parsed as XML: %s" % err)
    first = body["c"][0]
    a = first["c"][0]
    check(first["t"] == "para" and a["t"] == "span" and a.get("id") == "anchor" and not a.get("c"),
          "self-closed anchor is an empty span: %s" % first["c"][:1])
    check(text(first).startswith("Text after a self-closed anchor\u00a0and a note"), "text after it kept")
    check([n.get("label") for n in nodes(body, "note")] == ["1"], "epub:type noteref in XHTML")
    check(t["meta"].get("author") == ["X. Author"] and t["meta"].get("title") == "An XHTML page", "XHTML head")


def case_deep():
    with tempfile.TemporaryDirectory() as d:
        for tag in ("div", "span", "blockquote", "li", "table"):
            depth = 100000
            p = os.path.join(d, "deep-%s.html" % tag)
            opener = {"table": "<table><tr><td>", "li": "<ul><li>"}.get(tag, "<%s>" % tag)
            with open(p, "w") as f:
                f.write("<html><body><p>start words</p>")
                for i in range(depth):
                    f.write(opener + ("w%d " % i if i % 10000 == 0 else ""))
                f.write("deepest words</body></html>")
            r = run(p, "-f", "html", "-t", "json", "-o", "-", ok=False)
            check(r.returncode == 0, "%d-deep <%s>: exit %d %s" % (depth, tag, r.returncode, r.stderr[-300:]))
            if r.returncode != 0:
                continue
            t = json.loads(r.stdout)
            alltext = text(t["body"])
            for w in ["start words", "deepest words"] + ["w%d" % i for i in range(0, depth, 10000)]:
                check(w in alltext, "%d-deep <%s>: %r kept" % (depth, tag, w))
            check(b"nested deeper than" in r.stderr, "%d-deep <%s>: depth cap reported" % (depth, tag))


def case_charset():
    t, _ = tree("latin1.html")
    check(text(t["body"]) == "Caf\u00e9 cr\u00e8me na\u00efve \u00a9", "meta charset iso-8859-1 decoded: %r"
          % text(t["body"]))
    t, _ = tree("utf8-undeclared.html")
    check(text(t["body"]) == "Caf\u00e9 \u4e2d\u6587 \u201cok\u201d", "undeclared UTF-8 read as UTF-8: %r"
          % text(t["body"]))
    t, _ = tree("cp1252-undeclared.html")
    check(text(t["body"]) == "Caf\u00e9 cr\u00e8me \u201cquoted\u201d",
          "undeclared non-UTF-8 read as windows-1252: %r" % text(t["body"]))
    # forced ISO-8859-1 reads 0x93/0x94 as the C1 controls U+0093/U+0094, which the HTML5 parser
    # (gumbo) replaces by U+FFFD: not the quotes windows-1252 would give
    t, _ = tree("cp1252-undeclared.html", "-O", "encoding=iso-8859-1")
    check(text(t["body"]) == "Caf\u00e9 cr\u00e8me \ufffdquoted\ufffd", "encoding option forces: %r"
          % text(t["body"]))


def case_meta():
    t, _ = tree("meta.html")
    m = t["meta"]
    check(m.get("title") == "The Real Article Title", "citation_title wins over <title>")
    check(m.get("author") == ["Doe, Jane", "Roe, Richard"], "citation_author list: %s" % m.get("author"))
    check(m.get("date") == "2021/05/04" and m.get("publisher") == "Test Press", "date/publisher")
    check(m.get("rights") == "CC BY 4.0" and m.get("identifier") == "doi:10.1234/test", "dc.rights/identifier")
    check(m.get("subject") == ["alpha", "beta", "gamma"], "keywords split: %s" % m.get("subject"))
    check(m.get("description") == "A page describing itself.", "description")
    check(m.get("citation_journal_title") == "Journal of Tests", "other citation_* kept")
    check(m.get("language") == "en-GB", "html lang")
    check("viewport" not in m, "viewport is not document metadata")


def main():
    global CLI, DATA
    CLI, DATA, case = sys.argv[1], sys.argv[2], sys.argv[3]
    globals()["case_" + case.replace("-", "_")]()
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("ok:", case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
