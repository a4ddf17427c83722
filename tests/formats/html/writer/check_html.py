#!/usr/bin/env python3
"""Tests of the HTML exporter, run by ctest (tests/formats/html/writer/CMakeLists.txt).

usage: check_html.py CASE

Each case converts with the real CLI ($DOCPIPE_CLI), validates with the Nu
checker through tests/common/validate.sh (--Werror, zero messages) where the
case says so, and checks the structure of the output with html.parser.
Exit: 0 pass, 1 fail (reasons printed), 77 skipped (something absent:
a validator, a sample, the HTML reader module). Stdlib only.
"""

import glob
import html.parser
import json
import os
import subprocess
import sys

CLI = os.environ.get("DOCPIPE_CLI", "docpipe")
SRC = os.environ.get("DOCPIPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.environ.get("HTMLW_OUT", "/tmp/htmlw-tests")
PLUGIN_DIR = os.environ.get("DOCPIPE_PLUGIN_DIR", "")
SPEECH = os.path.join(SRC, "samples", "speech.md")
EVERY = os.path.join(SRC, "samples", "every-node.json")
VALIDATE = os.path.join(SRC, "tests", "common", "validate.sh")
SEED = os.path.join(SRC, "tests", "common", "seed_words.py")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
failures = []


class Skip(Exception):
    pass


def fail(msg):
    failures.append(msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


# ---------------------------------------------------------------- parsing

class Elem:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Elem or str

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        stack = [self]
        while stack:
            e = stack.pop()
            yield e
            stack.extend(reversed([c for c in e.children if isinstance(c, Elem)]))

    def find_all(self, pred):
        return [e for e in self.iter() if pred(e)]

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


class Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Elem("#root", {}, None)
        self.cur = self.root
        self.decls = []

    def handle_decl(self, decl):
        self.decls.append(decl)

    def handle_starttag(self, tag, attrs):
        e = Elem(tag, attrs, self.cur)
        self.cur.children.append(e)
        if tag not in VOID:
            self.cur = e

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Elem(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        e = self.cur
        while e is not None and e.tag != tag:
            e = e.parent
        if e is not None and e.parent is not None:
            self.cur = e.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    b = Builder()
    b.feed(src)
    b.close()
    return src, b


def by_tag(root, tag):
    return root.find_all(lambda e: e.tag == tag)


def has_token(e, attr, token):
    return token in (e.attrs.get(attr) or "").split()


# ---------------------------------------------------------------- running

def docpipe(args, expect_ok=True):
    os.makedirs(OUT, exist_ok=True)
    cmd = [CLI] + args
    if PLUGIN_DIR and os.path.isdir(PLUGIN_DIR):
        cmd[1:1] = ["--plugin-dir", PLUGIN_DIR]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if expect_ok and r.returncode != 0:
        raise AssertionError("docpipe %s failed (exit %d):\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r


def convert(src, name, *options):
    out = os.path.join(OUT, name)
    args = [src, "-o", out]
    if not name.endswith(".html"):
        args += ["-t", "html"]
    for o in options:
        args += ["-O", o]
    r = docpipe(args)
    return out, r


def validate(*paths):
    """The Nu checker with --Werror (one JVM for all paths)."""
    r = subprocess.run(["sh", VALIDATE, "html"] + list(paths), capture_output=True, text=True)
    if r.returncode == 77:
        raise Skip("Nu checker not installed: " + r.stderr.strip())
    check(r.returncode == 0, "vnu --Werror rejects %s:\n%s%s" % (" ".join(paths), r.stdout, r.stderr))


def need(path, what):
    if not os.path.exists(path):
        raise Skip("%s absent (%s)" % (what, path))


def unique_ids(root, label):
    seen = {}
    for e in root.iter():
        i = e.attrs.get("id")
        if i is not None:
            check(i not in seen, "%s: id %r used twice" % (label, i))
            seen[i] = e
    return seen


# ---------------------------------------------------------------- notes

def check_notes(root, label, expect_labels):
    """Noterefs carry the original labels and point at notes whose back links
    point back at them."""
    ids = unique_ids(root, label)
    refs = root.find_all(lambda e: e.tag == "a" and has_token(e, "role", "doc-noteref"))
    labels = [r.text().strip() for r in refs]
    check(sorted(labels) == sorted(expect_labels), "%s: noteref labels %r, expected %r" % (label, labels, expect_labels))
    for r in refs:
        href = r.attrs.get("href", "")
        if not check(href.startswith("#") and href[1:] in ids, "%s: noteref %r points nowhere" % (label, href)):
            continue
        note = ids[href[1:]]
        back = note.find_all(lambda e: e.tag == "a" and has_token(e, "role", "doc-backlink"))
        check(len(back) == 1 and back[0].attrs.get("href") == "#" + r.attrs.get("id", "?"),
              "%s: note %s has no back link to its reference" % (label, href))
    return refs


# ---------------------------------------------------------------- cases

def speech_html(name="speech.html", *options):
    need(SPEECH, "the speech sample")
    return convert(SPEECH, name, *options)


def case_speech_valid():
    out, _ = speech_html()
    validate(out)


def case_speech_structure():
    out, _ = speech_html()
    src, b = parse(out)
    root = b.root
    check(src.startswith("<!DOCTYPE html>"), "no <!DOCTYPE html> first")
    check("/>" not in src, "a '/>' in HTML5 output")
    htmls = by_tag(root, "html")
    check(len(htmls) == 1 and htmls[0].attrs.get("lang") == "en", "<html lang=en> missing")
    metas = by_tag(root, "meta")
    check(any(m.attrs.get("charset", "").lower() == "utf-8" for m in metas), "no <meta charset>")
    check(any(m.attrs.get("name") == "viewport" for m in metas), "no viewport meta")

    def meta(name):
        return [m.attrs.get("content") for m in metas if m.attrs.get("name") == name]

    check(meta("author") == ["Xi Jinping"], "meta author: %r" % meta("author"))
    check(len(meta("translator")) == 5 and "Elsa Kania" in meta("translator"), "meta translator: %r" % meta("translator"))
    check(meta("editor") == ["Graham Webster"], "meta editor: %r" % meta("editor"))
    check(meta("source") == ["http://www.qstheory.cn/dukan/qs/2021-03/15/c_1127209130.htm"], "meta source: %r" % meta("source"))
    title = by_tag(root, "title")
    check(len(title) == 1 and title[0].text().startswith("Xi Jinping: "), "<title> is not the metadata title")
    header = [e for e in by_tag(root, "header") if e.attrs.get("id") == "title-block-header"]
    if check(len(header) == 1, "no visible title block"):
        classes = [e.attrs.get("class") for e in header[0].iter()]
        check("title" in classes and "author" in classes and "translator" in classes and "editor" in classes,
              "title block lacks title/bylines: %r" % classes)
    for h in root.find_all(lambda e: e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")):
        if any(a.tag == "header" for a in h.ancestors()):
            continue  # the title block's title
        check(h.attrs.get("id"), "heading without id: %r" % h.text()[:40])
    zh = root.find_all(lambda e: e.attrs.get("lang") == "zh")
    check(any("世界科技强国" in e.text() for e in zh), "the zh term has no lang=zh element")
    check_notes(root, "speech", ["*", "1", "2", "3", "4", "5"])
    sections = root.find_all(lambda e: e.tag == "section" and has_token(e, "role", "doc-endnotes"))
    if check(len(sections) == 1, "no single <section role=doc-endnotes>"):
        lis = by_tag(sections[0], "li")
        check(len(lis) == 6 and all("role" not in li.attrs for li in lis), "endnotes are not 6 plain li")
    for bad in ('"doc-endnote"', '"endnote"', "doc-biblioentry", "doc-endnote "):
        check(bad not in src, "deprecated role %s in output" % bad)


def case_speech_seed():
    out, _ = speech_html()
    r = subprocess.run([sys.executable, SEED, out, "--in-order"], capture_output=True, text=True)
    if r.returncode == 77:
        raise Skip("seed absent: " + r.stderr.strip())
    check(r.returncode == 0, "seed words missing from %s:\n%s%s" % (out, r.stdout, r.stderr))


def need_module(pattern, what):
    if PLUGIN_DIR and not glob.glob(os.path.join(PLUGIN_DIR, pattern)):
        raise Skip("%s is not built (no %s in %s)" % (what, pattern, PLUGIN_DIR))


def case_every_node():
    need(EVERY, "the every-node sample")
    need_module("json*", "the JSON reader module")
    out, r = convert(EVERY, "every-node.html")
    validate(out)
    src, b = parse(out)
    unique_ids(b.root, "every-node")
    tags = {e.tag for e in b.root.iter()}
    for t in ("table", "caption", "thead", "tbody", "figure", "figcaption", "pre", "code", "blockquote", "dl",
              "ol", "ul", "em", "strong", "sup", "sub", "q", "img", "a", "br", "hr"):
        check(t in tags, "every-node: no <%s> in the output" % t)
    check(b.root.find_all(lambda e: has_token(e, "role", "doc-pagebreak")), "every-node: no page break marker")
    check(b.root.find_all(lambda e: has_token(e, "role", "doc-noteref")), "every-node: no noteref")


def case_fragment():
    out, _ = speech_html("speech-fragment.html", "fragment=true")
    src, b = parse(out)
    for t in ("html", "head", "body", "title", "meta"):
        check(not by_tag(b.root, t), "fragment has a <%s>" % t)
    check(not b.decls, "fragment has a DOCTYPE")
    check(not [e for e in by_tag(b.root, "header") if e.attrs.get("id") == "title-block-header"],
          "fragment has the title block")
    check(by_tag(b.root, "p"), "fragment has no paragraphs")
    check_notes(b.root, "fragment", ["*", "1", "2", "3", "4", "5"])
    # the fragment must be valid where it is embedded
    page = os.path.join(OUT, "speech-fragment-page.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Embed</title></head><body>\n')
        f.write(src)
        f.write("</body></html>\n")
    validate(page)


def case_options():
    out, _ = speech_html("speech-options.html", "toc=true", "number-sections=true", "section-divs=true",
                         "toc-title=Contents")
    validate(out)
    src, b = parse(out)
    ids = unique_ids(b.root, "options")
    navs = b.root.find_all(lambda e: e.tag == "nav" and has_token(e, "role", "doc-toc"))
    if check(len(navs) == 1, "no <nav role=doc-toc>"):
        links = [a.attrs.get("href", "") for a in by_tag(navs[0], "a")]
        body_headings = [h for h in b.root.find_all(lambda e: e.tag in ("h1", "h2", "h3"))
                         if not any(a.tag in ("header", "nav") for a in h.ancestors())]
        check(len(links) == len(body_headings) and len(links) > 0,
              "toc has %d links for %d headings" % (len(links), len(body_headings)))
        for l in links:
            check(l.startswith("#") and l[1:] in ids, "toc link %r points nowhere" % l)
    nums = b.root.find_all(lambda e: has_token(e, "class", "header-section-number"))
    check(len(nums) >= 2 and nums[0].text() == "1", "no section numbers: %r" % [n.text() for n in nums])
    check(by_tag(b.root, "section"), "section-divs: no <section>")
    for s in by_tag(b.root, "section"):
        if has_token(s, "role", "doc-endnotes"):
            continue
        first = [c for c in s.children if isinstance(c, Elem)]
        check(first and first[0].tag in ("h2", "h3", "h4", "h5", "h6"), "a <section> that does not start with its heading")


def case_css():
    linked, _ = speech_html("speech-css-link.html", "css=style.css")
    src, b = parse(linked)
    links = [l for l in by_tag(b.root, "link") if l.attrs.get("rel") == "stylesheet"]
    check(len(links) == 1 and links[0].attrs.get("href") == "style.css", "no <link rel=stylesheet href=style.css>")
    css = os.path.join(OUT, "embedded.css")
    os.makedirs(OUT, exist_ok=True)
    with open(css, "w", encoding="utf-8") as f:
        f.write("body { max-width: 40em; }\np > a[role=\"doc-noteref\"] { text-decoration: none; }\n")
    out, _ = speech_html("speech-css-embed.html", "css=" + css, "embed-css=true")
    validate(linked, out)
    src, b = parse(out)
    styles = by_tag(b.root, "style")
    check(len(styles) == 1 and 'a[role="doc-noteref"]' in styles[0].text(), "embedded stylesheet missing or escaped")
    check(not [l for l in by_tag(b.root, "link") if l.attrs.get("rel") == "stylesheet"], "embed-css still links")
    r = docpipe([SPEECH, "-o", os.path.join(OUT, "x.html"), "-O", "css=/nonexistent/x.css", "-O", "embed-css=true"],
                expect_ok=False)
    check(r.returncode != 0 and "x.css" in r.stderr, "a missing stylesheet to embed is not an error naming it")


def case_xhtml():
    """The XML serialisation (the EPUB exporter's flavour): well-formed,
    namespaced, lang + xml:lang, valid for the Nu checker in XML mode."""
    import xml.etree.ElementTree as ET
    outs = [speech_html("speech.xhtml", "syntax=xhtml")[0]]
    if os.path.exists(EVERY) and (not PLUGIN_DIR or glob.glob(os.path.join(PLUGIN_DIR, "json*"))):
        outs.append(convert(EVERY, "every-node.xhtml", "syntax=xhtml")[0])
    for out in outs:
        with open(out, encoding="utf-8") as f:
            src = f.read()
        check(src.startswith('<?xml version="1.0" encoding="UTF-8"?>'), "%s: no XML declaration" % out)
        try:
            root = ET.fromstring(src.encode("utf-8"))
        except ET.ParseError as e:
            fail("%s: not well-formed: %s" % (out, e))
            continue
        XH = "{http://www.w3.org/1999/xhtml}"
        XL = "{http://www.w3.org/XML/1998/namespace}lang"
        check(root.tag == XH + "html", "%s: root is not XHTML <html>" % out)
        check(root.get("lang") == "en" and root.get(XL) == "en", "%s: lang/xml:lang missing on <html>" % out)
        for e in root.iter():
            if e.get("lang") is not None:
                check(e.get(XL) == e.get("lang"), "%s: <%s lang=%s> without the same xml:lang" % (out, e.tag, e.get("lang")))
    validate(*outs)
    for out in outs:
        epubcheck_content(out, "3.0")  # the EPUB 3 content document rules


EPUBCHECK = os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")


def epubcheck_content(path, version):
    """EPUBCheck 4.2.6 on one content document (-mode xhtml): zero messages."""
    if not os.path.exists(EPUBCHECK):
        if os.environ.get("CI") == "true":
            raise AssertionError("EPUBCheck missing (%s) and CI=true" % EPUBCHECK)
        raise Skip("EPUBCheck not installed (%s)" % EPUBCHECK)
    r = subprocess.run(["java", "-jar", EPUBCHECK, path, "-mode", "xhtml", "-v", version],
                       capture_output=True, text=True)
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "0 fatals / 0 errors / 0 warnings" in out,
          "EPUBCheck (-mode xhtml -v %s) rejects %s:\n%s" % (version, path, out))


def case_xhtml11():
    """XHTML 1.1, the EPUB 2 content flavour: EPUBCheck's OPS 2.0.1 rules,
    with every option that adds HTML5-only markup in the other flavours."""
    import xml.etree.ElementTree as ET
    outs = [speech_html("speech11.xhtml", "syntax=xhtml11", "toc=true", "section-divs=true")[0],
            speech_html("speech11-inline.xhtml", "syntax=xhtml11", "notes=inline", "number-sections=true")[0]]
    if os.path.exists(EVERY) and (not PLUGIN_DIR or glob.glob(os.path.join(PLUGIN_DIR, "json*"))):
        outs.append(convert(EVERY, "every-node11.xhtml", "syntax=xhtml11", "toc=true", "section-divs=true")[0])
    for out in outs:
        with open(out, encoding="utf-8") as f:
            src = f.read()
        check('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"' in src, "%s: no XHTML 1.1 DOCTYPE" % out)
        try:
            root = ET.fromstring(src.encode("utf-8"))
        except ET.ParseError as e:
            fail("%s: not well-formed: %s" % (out, e))
            continue
        for e in root.iter():
            tag = e.tag.split("}")[-1]
            check(tag not in ("section", "aside", "nav", "header", "figure", "figcaption", "u", "input"),
                  "%s: <%s> is not XHTML 1.1" % (out, tag))
            for a in e.attrib:
                check(a in ("id", "class", "title", "style", "href", "src", "alt", "colspan", "rowspan", "content",
                            "{http://www.w3.org/XML/1998/namespace}lang", "http-equiv", "display", "dir", "cite",
                            "width", "height", "headers", "scope", "abbr", "span", "datetime", "name",
                            "type"),  # <style type="text/css">, required in XHTML 1.1
                      "%s: attribute %s on <%s>" % (out, a, tag))
        check("世界科技强国" not in src or 'xml:lang="zh"' in src, "%s: the zh term lost its xml:lang" % out)
        epubcheck_content(out, "2.0")


def case_notes_inline():
    out, _ = speech_html("speech-notes-inline.html", "notes=inline")
    validate(out)
    src, b = parse(out)
    asides = b.root.find_all(lambda e: e.tag == "aside" and has_token(e, "role", "doc-footnote"))
    check(len(asides) == 6, "notes=inline: %d asides, expected 6" % len(asides))
    check(not b.root.find_all(lambda e: has_token(e, "role", "doc-endnotes")), "notes=inline: an endnotes section remains")
    check_notes(b.root, "notes-inline", ["*", "1", "2", "3", "4", "5"])
    for a in asides:
        check(a.parent.tag not in ("p", "span", "a"), "aside inside <%s>" % a.parent.tag)


def walk_json(v):
    """Yield every dict in a JSON value (iteratively)."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            yield x
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def case_raw_loss():
    """Raw blocks of another format are dropped with a warning naming them;
    raw HTML passes through; --strict makes the loss fatal."""
    need(SPEECH, "the speech sample")
    need_module("json*", "the JSON module")
    tree = os.path.join(OUT, "speech-tree.json")
    docpipe([SPEECH, "-t", "json", "-o", tree])
    with open(tree, encoding="utf-8") as f:
        doc = json.load(f)
    # find the list that holds the body's blocks: the one with a "para"
    holder = None
    for d in walk_json(doc):
        for v in d.values():
            if isinstance(v, list) and any(isinstance(x, dict) and x.get("t") == "para" for x in v):
                holder = v
                break
        if holder is not None:
            break
    if holder is None:
        raise AssertionError("cannot find the body blocks in the JSON tree")
    # node objects as docs/TREE.md gives them: {"t": kind, "format": ..., "text": ...}
    holder.insert(1, {"t": "raw_block", "format": "tex", "text": "\\newpage RAWTEXSOURCE"})
    holder.insert(1, {"t": "raw_block", "format": "html", "text": "<div class=\"rawhtml\">RAW<b>HTML</b></div>"})
    src = os.path.join(OUT, "raw.json")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    out = os.path.join(OUT, "raw.html")
    r = docpipe([src, "-o", out])
    check("raw" in r.stderr and "tex" in r.stderr, "no warning about the dropped raw tex block:\n" + r.stderr)
    with open(out, encoding="utf-8") as f:
        html_text = f.read()
    check("RAWTEXSOURCE" not in html_text, "raw tex written into HTML")
    check('<div class="rawhtml">RAW<b>HTML</b></div>' in html_text, "raw HTML did not pass through")
    validate(out)
    r = docpipe([src, "-o", os.path.join(OUT, "raw-strict.html"), "--strict"], expect_ok=False)
    check(r.returncode == 7, "--strict with a lost raw block: exit %d, expected 7" % r.returncode)


def strip_positions(v):
    if isinstance(v, dict):
        return {k: strip_positions(x) for k, x in v.items() if k not in ("pos", "line", "column", "position")}
    if isinstance(v, list):
        return [strip_positions(x) for x in v]
    return v


def case_roundtrip():
    """html -> tree -> html -> tree is stable for the exporter's own output."""
    need_module("html_reader*", "the HTML reader module")
    need_module("json*", "the JSON module")
    html1, _ = speech_html("rt-1.html")
    t1 = os.path.join(OUT, "rt-1.json")
    docpipe([html1, "-t", "json", "-o", t1])
    html2 = os.path.join(OUT, "rt-2.html")
    docpipe([html1, "-o", html2])
    t2 = os.path.join(OUT, "rt-2.json")
    docpipe([html2, "-t", "json", "-o", t2])
    with open(t1, encoding="utf-8") as f:
        j1 = strip_positions(json.load(f))
    with open(t2, encoding="utf-8") as f:
        j2 = strip_positions(json.load(f))
    if not check(j1 == j2, "html -> tree -> html -> tree differs (%s vs %s)" % (t1, t2)):
        a = json.dumps(j1, indent=1, ensure_ascii=False).splitlines()
        b = json.dumps(j2, indent=1, ensure_ascii=False).splitlines()
        import difflib
        print("\n".join(list(difflib.unified_diff(a, b, "tree-1", "tree-2", lineterm=""))[:60]))
    validate(html2)


def case_minimal():
    """Documents without metadata (no title, no language), an empty one, and
    constructs in odd places (a note in a heading, task lists, aligned
    table) are still valid pages."""
    os.makedirs(OUT, exist_ok=True)
    empty = os.path.join(OUT, "empty.md")
    misc = os.path.join(OUT, "misc.md")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("")
    with open(misc, "w", encoding="utf-8") as f:
        f.write("# Title[^1] with *x*\n\n[^1]: note in a heading\n\n- [ ] a\n- [x] b\n\n"
                "3. three\n4. four\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n")
    outs = [convert(empty, "empty.html")[0], convert(misc, "misc.html", "toc=true", "section-divs=true")[0]]
    validate(*outs)
    src, b = parse(outs[0])
    check(by_tag(b.root, "html")[0].attrs.get("lang") == "und", "no language: <html lang=und> expected")
    check(by_tag(b.root, "title")[0].text() == "Untitled", "no title: <title>Untitled</title> expected")
    src, b = parse(outs[1])
    check(by_tag(b.root, "title")[0].text() == "Title with x", "<title> should fall back to the first heading")
    check(len(b.root.find_all(lambda e: e.tag == "input" and e.attrs.get("type") == "checkbox")) == 2,
          "task list checkboxes missing")
    lists = [o for o in by_tag(b.root, "ol")
             if not any(a.tag == "nav" or has_token(a, "role", "doc-endnotes") for a in o.ancestors())]
    check(len(lists) == 1 and lists[0].attrs.get("start") == "3", "ordered list start lost")
    check_notes(b.root, "minimal", ["1"])


def case_roundtrip_markdown():
    """speech.md -> html -> markdown keeps every word of the seed in order,
    the six notes with their labels and the metadata."""
    import re
    need_module("html_reader*", "the HTML reader module")
    html1, _ = speech_html("rt-md.html")
    md = os.path.join(OUT, "rt-md.md")
    docpipe([html1, "-o", md])
    r = subprocess.run([sys.executable, SEED, md, "--in-order"], capture_output=True, text=True)
    if r.returncode == 77:
        raise Skip("seed absent: " + r.stderr.strip())
    check(r.returncode == 0, "seed words lost in html -> markdown:\n%s%s" % (r.stdout, r.stderr))
    with open(md, encoding="utf-8") as f:
        text = f.read()
    labels = re.findall(r"^\[\^([^\]]+)\]:", text, re.M)
    check(sorted(labels) == sorted(["*", "1", "2", "3", "4", "5"]), "note labels after html -> markdown: %r" % labels)
    front = text.split("\n---\n", 1)[0]
    for needle in ("title:", "Ben Murphy", "Kevin Neville", "Graham Webster", "language: en",
                   "http://www.qstheory.cn/dukan/qs/2021-03/15/c_1127209130.htm"):
        check(needle in front, "metadata %r lost in html -> markdown" % needle)


def case_safe():
    """safe (the default) strips what runs script from raw HTML and links,
    reports each removal, keeps the text; with --unsafe raw HTML passes
    unchanged."""
    src = os.path.join(OUT, "unsafe.md")
    os.makedirs(OUT, exist_ok=True)
    with open(src, "w", encoding="utf-8") as f:
        f.write("<script>alert(1)</script>\n\nHi <img src=x alt=\"x\" onerror=\"alert(2)\"> [a](javascript:alert(3)) "
                "<a href=\"JaVa\tScript:x\">b</a> <iframe src=\"http://evil\"></iframe> "
                "<b onClick=\"x()\">bold</b> [ok](https://example.org) <img src=\"data:text/html,x\" alt=\"d\">\n")
    out, r = convert(src, "unsafe-safe.html", "safe=true")
    with open(out, encoding="utf-8") as f:
        html = f.read().lower()
    for bad in ["<script", "alert(1)", "onerror", "javascript:", "java%09script", "<iframe", "onclick",
                "data:text/html"]:
        check(bad not in html, "safe: %r survived:\n%s" % (bad, html))
    for good in ["hi", '<img src="x" alt="x">', ">a</a>", ">b</a>", "<b>bold</b>", 'href="https://example.org"']:
        check(good in html, "safe: %r lost:\n%s" % (good, html))
    check(r.stderr.count("safe:") >= 5, "safe: removals not reported:\n" + r.stderr)
    validate(out)
    # safe is the default (issue 16): the same output without the option
    out_default, r = convert(src, "unsafe-default.html")
    with open(out_default, encoding="utf-8") as f:
        check(f.read().lower() == html, "the default output differs from safe=true")
    # trusted input passes through with --unsafe (or -O safe=false)
    out = os.path.join(OUT, "unsafe-unsafe.html")
    r = docpipe([src, "-o", out, "--unsafe"])
    with open(out, encoding="utf-8") as f:
        html = f.read().lower()
    check("onerror" in html and "javascript:alert(3)" in html, "--unsafe must pass raw HTML through")


# ---------------------------------------------------------------- issue 20

def case_default_css():
    """The default stylesheet is in the page; css=none leaves it out; a css
    file replaces it; --css links come after it (they override it)."""
    out, _ = speech_html("speech-default-css.html")
    src, b = parse(out)
    styles = by_tag(b.root, "style")
    check(len(styles) == 1 and "max-width: 40em" in styles[0].text() and "prefers-color-scheme: dark" in
          styles[0].text() and "@media print" in styles[0].text() and ":lang(zh)" in styles[0].text(),
          "the default stylesheet (measure, dark mode, print, CJK faces) is not embedded")
    none, _ = speech_html("speech-css-none.html", "css=none")
    check("<style" not in parse(none)[0] and "stylesheet" not in parse(none)[0], "css=none still styles the page")
    own, _ = speech_html("speech-css-own.html", "css=own.css")
    check("<style" not in parse(own)[0], "css=FILE does not replace the default stylesheet")
    both = os.path.join(OUT, "speech-css-both.html")
    docpipe([SPEECH, "-o", both, "--css", "extra.css"])
    text = parse(both)[0]
    check(text.find("<style") < text.find('href="extra.css"') and text.find("<style") >= 0,
          "--css is not linked after the default stylesheet")
    validate(out, none, both)


def case_notes_placement():
    """Each note: label, content, then a ↩︎ back link with an accessible
    name; notes=section and chapter put them before the next heading."""
    out, _ = speech_html("speech-notes.html")
    src, b = parse(out)
    refs = check_notes(b.root, "notes", ["*", "1", "2", "3", "4", "5"])
    for r in refs:
        check((r.attrs.get("aria-label") or "").startswith("Note "), "noteref %s has no accessible name" % r.attrs)
        check(r.children and isinstance(r.children[0], Elem) and r.children[0].tag == "sup",
              "noteref is not a superscript")
    backs = b.root.find_all(lambda e: e.tag == "a" and has_token(e, "role", "doc-backlink"))
    check(backs and all(x.text() == "\u21a9\ufe0e" and x.attrs.get("aria-label") for x in backs),
          "back links are not a named \u21a9\ufe0e")
    labels = b.root.find_all(lambda e: e.tag == "span" and has_token(e, "class", "footnote-label"))
    check([x.text() for x in labels] == ["*", "1", "2", "3", "4", "5"], "note labels %r" % [x.text() for x in labels])
    # section: notes sections follow the parts whose references they hold
    sec, _ = speech_html("speech-notes-section.html", "notes=section")
    text = parse(sec)[0]
    parts = text.split('role="doc-endnotes"')
    check(len(parts) > 2, "notes=section wrote %d notes sections" % (len(parts) - 1))
    for i in range(1, len(parts)):
        # every note in a section is referenced before it and after the previous section
        ids = [m for m in __import__("re").findall(r'<li id="(fn\d+)"', parts[i].split("</section>")[0])]
        for nid in ids:
            check('href="#%s"' % nid in parts[i - 1], "notes=section: note %s is not in its section's notes" % nid)
    chap, _ = speech_html("speech-notes-chapter.html", "notes=chapter")
    check_notes(parse(chap)[1].root, "chapter", ["*", "1", "2", "3", "4", "5"])
    check_notes(parse(sec)[1].root, "section", ["*", "1", "2", "3", "4", "5"])
    validate(out, sec, chap)
    # the HTML reader drops label and back link: the notes come back as they were
    md1 = docpipe([SPEECH, "-t", "md"]).stdout
    md2 = docpipe([out, "-t", "md"]).stdout
    n1 = [l for l in md1.splitlines() if l.startswith("[^")]
    n2 = [l for l in md2.splitlines() if l.startswith("[^")]
    check(n1 == n2, "notes changed through HTML: %r / %r" % (n1[:2], n2[:2]))


TEMPLATE = """<!DOCTYPE html>
<html lang="$lang$"$if(dir)$ dir="$dir$"$endif$>
<head>
<meta charset="utf-8">
<title>$pagetitle$</title>
$-- a comment line leaves nothing
$if(document-css)$
<style>$styles.html()$</style>
$endif$
</head>
<body>
<h1>$title$</h1>
<p class="authors">$for(author)$$author$$sep$; $endfor$</p>
<p class="first">$for(keywords)$$it$$sep$, $endfor$</p>
$if(nothing)$
<p>never</p>
$elseif(subtitle)$
<p class="sub">$subtitle$</p>
$else$
<p>no subtitle</p>
$endif$
<p class="price">$$5</p>
$body$
</body>
</html>
"""

MD = """---
title: A <b>bold</b> & "quoted" title
subtitle: Sub
author: [Ann, Bob & Co]
keywords: [x, y]
language: en
---

Text with a note.[^1]

[^1]: The note.
"""


def case_template():
    """A pandoc-style template: escaping, if/elseif/else, for/sep, $$,
    comments, directives alone on their lines; errors name the line; the
    built-in template gives a valid page."""
    os.makedirs(OUT, exist_ok=True)
    tpl = os.path.join(OUT, "t.html5")
    md = os.path.join(OUT, "t.md")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(TEMPLATE)
    with open(md, "w", encoding="utf-8") as f:
        f.write(MD)
    out = os.path.join(OUT, "t.html")
    docpipe([md, "-o", out, "--template", tpl])
    text = parse(out)[0]
    check("<h1>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</h1>" in text, "title not escaped:\n" + text[:600])
    check('<p class="authors">Ann; Bob &amp; Co</p>' in text, "for/sep over authors")
    check('<p class="first">x, y</p>' in text, "for with $it$")
    check('<p class="sub">Sub</p>' in text and "never" not in text and "no subtitle" not in text, "if/elseif/else")
    check('<p class="price">$5</p>' in text, "$$ is not a dollar")
    check("comment" not in text and "\n\n<style>" not in text and "$endif$" not in text,
          "comment or directive lines left behind")
    check('role="doc-noteref"' in text and "\u21a9" in text, "$body$ lacks the notes")
    check("max-width: 40em" in text, "$styles.html()$ is not the default stylesheet")
    for bad, what in (("<p>$x/uppercase$</p>", "pipes"), ("$if(a)$ open", "$endif$"), ("$foo()$", "partials"),
                      ("a $ b", "opens nothing"), ("$endfor$", "$endfor$ without its opening")):
        with open(tpl, "w", encoding="utf-8") as f:
            f.write("line one\n" + bad + "\n")
        r = docpipe([md, "-o", os.path.join(OUT, "bad.html"), "--template", tpl], expect_ok=False)
        check(r.returncode != 0 and what in r.stderr and ":2" in r.stderr,
              "template %r: not an error naming %r and line 2: %s" % (bad, what, r.stderr))
    # the built-in template, printed and used again, gives a valid page
    r = docpipe(["--print-default-template", "html"])
    check(r.returncode == 0 and "$body$" in r.stdout, "--print-default-template html printed no template")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(r.stdout)
    page = os.path.join(OUT, "speech-default-template.html")
    docpipe([SPEECH, "-o", page, "--template", tpl, "--toc"])
    validate(page, out)
    r = docpipe([md, "-t", "md", "--template", tpl], expect_ok=False)
    check(r.returncode != 0 and "no templates" in r.stderr, "a writer without templates does not say so")


def case_plain_runs():
    """Two PLAIN blocks side by side (the <ab> lines of a TEI <quote>, The
    Waste Land's epigraph) stay two lines in HTML and XHTML, not one run
    of glued words ("Der Heimat zuMein Irisch Kind,")."""
    src = os.path.join(OUT, "plain-runs.json")
    os.makedirs(OUT, exist_ok=True)
    tree = {"docpipe-tree": 1, "meta": {"title": "T", "language": "de"}, "body": {"t": "root", "c": [
        {"t": "block_quote", "c": [{"t": "plain", "c": [{"t": "text", "text": "Der Heimat zu"}]},
                                   {"t": "plain", "c": [{"t": "text", "text": "Mein Irisch Kind,"}]}]}]},
            "resources": []}
    with open(src, "w", encoding="utf-8") as f:
        json.dump(tree, f)
    out, _ = convert(src, "plain-runs.html")
    text, b = parse(out)
    check("zuMein" not in text, "two plain blocks glued into one word")
    quote = by_tag(b.root, "blockquote")
    check(quote and by_tag(quote[0], "div"), "the second line is not a block of its own")


FORMATTED_MD = """---
title: "A *fine* title with `code` & more"
author: ["Ann **Bold**", Bob]
lang: en
---

Text.
"""


def case_template_formatted():
    """Formatted metadata (pandoc's MetaInlines, as pandoc -t json gives a
    Markdown title) is markup in $title$ and $author$, plain text in
    $pagetitle$ and $author-meta$ (<title>, attributes); plain strings stay
    escaped (case_template)."""
    os.makedirs(OUT, exist_ok=True)
    md = os.path.join(OUT, "formatted.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write(FORMATTED_MD)
    try:
        p = subprocess.run(["pandoc", md, "-t", "json"], capture_output=True, text=True)
    except FileNotFoundError:
        raise Skip("pandoc is absent (it makes the formatted metadata)")
    check(p.returncode == 0, "pandoc -t json failed: " + p.stderr)
    js = os.path.join(OUT, "formatted.pandoc.json")
    with open(js, "w", encoding="utf-8") as f:
        f.write(p.stdout)
    tpl = os.path.join(OUT, "formatted.html5")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html lang=\"$lang$\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>$pagetitle$</title>\n$for(author-meta)$\n<meta name=\"author\" content=\"$author-meta$\">\n"
                "$endfor$\n</head>\n<body>\n<h1>$title$</h1>\n$for(author)$\n<p class=\"author\">$author$</p>\n"
                "$endfor$\n$body$\n</body>\n</html>\n")
    out = os.path.join(OUT, "formatted.html")
    docpipe(["-f", "pandoc-json", js, "-o", out, "--template", tpl])
    text = parse(out)[0]
    check("<h1>A <em>fine</em> title with <code>code</code> &amp; more</h1>" in text,
          "formatted title not markup in $title$:\n" + text[:800])
    check('<p class="author">Ann <strong>Bold</strong></p>' in text, "formatted author not markup in $author$")
    check("<title>A fine title with code &amp; more</title>" in text, "$pagetitle$ not plain text")
    check('<meta name="author" content="Ann Bold">' in text, "$author-meta$ not plain text")
    validate(out)


def forbidden_in_html(text):
    """The characters HTML forbids in text and attribute values (controls
    but white space, noncharacters) that text holds."""
    bad = []
    for c in text:
        o = ord(c)
        if (o < 0x20 and c not in "\t\n\r\f") or 0x7F <= o <= 0x9F or 0xFDD0 <= o <= 0xFDEF \
                or (o & 0xFFFE) == 0xFFFE:
            bad.append("U+%04X" % o)
    return bad


def case_forbidden_chars():
    """Issue 17: a C1 control carried from a windows-1252 source (U+0097, an
    em dash) and other characters HTML forbids: none reaches the page in any
    syntax or mode, the C1 control is read as windows-1252, one warning says
    where the first was."""
    src = os.path.join(OUT, "forbidden.md")
    os.makedirs(OUT, exist_ok=True)
    with open(src, "w", encoding="utf-8") as f:
        f.write("---\ntitle: Forbidden\nlang: en\n---\n\nFAIRY STORIES\u0097MODERN TALES a\u0001b "
                "c\ufdd0d e\U0001FFFFf [x](http://example.org \"ti\u0085tle\")\n")
    for name, opts in (("forbidden.html", ()), ("forbidden-frag.html", ("fragment=true",)),
                       ("forbidden-x.html", ("syntax=xhtml",))):
        out, r = convert(src, name, *opts)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        check(not forbidden_in_html(text), "%s holds %s" % (name, forbidden_in_html(text)))
        check("STORIES\u2014MODERN" in text, "%s: U+0097 not read as windows-1252's em dash" % name)
        check("ab" in text and "cd" in text and "ef" in text, "%s: text around a removed character lost" % name)
        warns = [l for l in r.stderr.splitlines() if "not allowed in HTML" in l]
        check(len(warns) == 1 and "U+0097" in warns[0] and "FAIRY STORIES" in warns[0]
              and "3 removed, 2 C1 controls replaced" in warns[0],
              "%s: expected one warning naming U+0097 and where, got %r" % (name, warns))
    validate(os.path.join(OUT, "forbidden.html"))


CASES = {
    "forbidden-chars": case_forbidden_chars,
    "safe": case_safe,
    "roundtrip-markdown": case_roundtrip_markdown,
    "minimal": case_minimal,
    "speech-valid": case_speech_valid,
    "speech-structure": case_speech_structure,
    "speech-seed": case_speech_seed,
    "every-node": case_every_node,
    "fragment": case_fragment,
    "options": case_options,
    "css": case_css,
    "notes-inline": case_notes_inline,
    "xhtml": case_xhtml,
    "xhtml11": case_xhtml11,
    "raw-loss": case_raw_loss,
    "roundtrip": case_roundtrip,
    "default-css": case_default_css,
    "notes-placement": case_notes_placement,
    "template": case_template,
    "plain-runs": case_plain_runs,
    "template-formatted": case_template_formatted,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: check_html.py " + "|".join(CASES), file=sys.stderr)
        return 2
    try:
        CASES[sys.argv[1]]()
    except Skip as s:
        print("SKIP: %s" % s)
        return 77
    except AssertionError as e:
        fail(str(e))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
