#!/usr/bin/env python3
"""One text extractor for every format the corpus test compares.

usage: text_extract.py FILE [--format md|html|epub|tei] [--words]

Prints the counts (and with --words the word multiset) of FILE as JSON.

Every format is reduced to the same event stream (start tag, text, end tag)
and read by ONE walker, so a difference between a source and its conversion
is docpipe's, not the extractor's:
  Markdown  rendered to HTML by the cmark-gfm command (the reference
            CommonMark + GFM implementation, with its table, strikethrough,
            autolink, tasklist and footnotes extensions and raw HTML kept),
            after a leading YAML front matter block (metadata) is removed,
            and a heading's trailing " {#id}" (pandoc's attribute, an id) is
            dropped as docpipe's reader drops it; so markup syntax (`*`, `#`, `|`, `[..](url)`) is never text
  HTML      Python's html.parser events; the <body> (the <head> is metadata)
  EPUB      the XHTML documents of the OPF spine in spine order, each parsed
            as XML; the navigation document (manifest property "nav") is left
            out: every format generates its table of contents from headings
  TEI       the XML events of the document but its <teiHeader> (metadata):
            <text>, and <sourceDoc> / <facsimile> transcriptions
Words: the text nodes and image alt text (<img alt>, the counterpart of TEI
<figDesc>), normalised as tests/common/seed_words.py does (NFC, curly quotes
and dashes folded, every punctuation or symbol character separates words,
case kept). Element boundaries separate words except for inline elements
(em, a, hi, foreign ...), so "<em>wo</em>rd" stays one word as a reader sees
it, and two blocks never read as one word; the alternatives of a TEI
<choice> (sic/corr, orig/reg, abbr/expan) are separate words. Note reference labels and back
links ("1", "↩") are markup of the note, not text, and are not counted.
Metadata (title, author ...) is outside the comparison in every format.

A TEI <egXML> (an example of markup, shown as code) reads as the words of
its XML text, tags included, and nothing in it is counted.

Counts: notes (references: role doc-noteref, epub:type noteref, cmark-gfm's
footnote-ref; TEI <note>), tables, images (<img>, SVG <image>, TEI
<graphic>), links (<a href> that are not note references or back links;
TEI <ref>/<ptr> with target, P4 <xref>/<xptr>), math (MathML <math>; TEI
<formula>; in Markdown, pandoc's TeX math between dollars, which cmark-gfm
leaves as text), headings (h1-h6; TEI <head> of a division), list items
(<li> and <dd> outside a notes section; TEI <item>).
"""

import collections
import html.parser
import json
import os
import posixpath
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import xml.sax.saxutils
import zipfile

sys.dont_write_bytecode = True  # importing must not write into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from seed_words import words_of  # noqa: E402  (the shared word normalisation)

CMARK = os.environ.get("CMARK_GFM", "cmark-gfm")
CMARK_ARGS = ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink",
              "-e", "tasklist", "-e", "footnotes"]
COUNTS = ["notes", "tables", "images", "links", "math", "headings", "items"]

# Elements inside which no word is counted.
SKIP = {"script", "style", "template", "teiheader"}  # and the HTML <head> (see start)
# Inline elements: their boundaries do not separate words.
INLINE = set("""a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup
time u var del ins ruby rb rt rp font tt strike big wbr
hi emph foreign ref ptr xref xptr name persname placename orgname geogname rs term gloss said quote
socalled mentioned title abbr expan choice sic corr orig reg add unclear supplied seg date num measure
c w pc g am ex distinct damage""".split())
# Containers whose list items are notes, not list items; and the markers of
# a list item that is a note itself.
NOTE_SECTIONS = {"doc-endnotes", "doc-footnotes", "endnotes", "footnotes", "rearnotes"}
NOTE_ITEMS = {"doc-endnote", "doc-footnote", "endnote", "footnote", "rearnote"}
NOTEREF = {"doc-noteref", "noteref", "footnote-ref"}
BACKLINK = {"doc-backlink", "footnote-backref", "backlink"}
TEI_DIVS = re.compile(r"^div\d?$")
# pandoc's TeX math: $$display$$, or $inline$ with no space inside the
# dollars and no digit right after the closing one.
TEX_MATH = re.compile(r"\$\$.+?\$\$|\$(?=\S)(?:[^$\\\n]|\\.)+?(?<=\S)\$(?!\d)", re.S)


def local(name):
    """Local name, lower case: '{ns}persName' and 'm:math' -> 'persname', 'math'."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def markers(attrs):
    """The role / epub:type / class tokens of an element, as one set (and
    cmark-gfm's data-footnote-ref / data-footnote-backref attributes)."""
    out = set()
    for k, v in attrs.items():
        if local(k) in ("role", "type", "class") and v:
            out.update(v.split())
        elif k == "data-footnote-ref":
            out.add("footnote-ref")
        elif k == "data-footnote-backref":
            out.add("footnote-backref")
    return out


class Walker:
    """Reads start/text/end events of any format into words and counts."""

    def __init__(self, tex_math=False):
        self.chunks = []
        self.counts = collections.Counter()
        self.stack = []  # (name, skip its text, is a notes section)
        self.tex_math = tex_math

    def _state(self):
        return self.stack[-1] if self.stack else ("", False, False)

    def start(self, name, attrs, empty=False):
        name = local(name)
        parent, skipping, notes = self._state()
        m = markers(attrs)
        is_ref = bool(m & NOTEREF) and not skipping
        # The HTML <head> is metadata; TEI's <head> (in a div, list, table) is a heading.
        html_head = name == "head" and parent in ("html", "")
        skip = skipping or name in SKIP or html_head or bool(m & NOTEREF) or bool(m & BACKLINK)
        # A list item is a note when it says so, or when its list is the
        # notes section (or directly in it); lists inside a note are lists.
        grand = self.stack[-2][2] if len(self.stack) > 1 else False
        note_item = name == "li" and (bool(m & NOTE_ITEMS) or parent in ("ol", "ul") and (notes or grand))
        # Alternatives of a TEI <choice> (sic/corr, orig/reg, abbr/expan) are separate words.
        if name not in INLINE or parent == "choice":
            self.chunks.append("\n")
        if not skipping:
            self._count(name, attrs, parent, is_ref, m, note_item)
            alt = attrs.get("alt")
            if name == "img" and alt:
                self.chunks.append(" " + alt + " ")
        if not empty:
            self.stack.append((name, skip, bool(m & NOTE_SECTIONS)))

    def _count(self, name, attrs, parent, is_ref, m, note_item):
        c = self.counts
        if is_ref or name == "note":
            c["notes"] += 1
        elif name == "table":
            c["tables"] += 1
        elif name in ("img", "image", "graphic"):
            c["images"] += 1
        elif name == "a" and attrs.get("href") is not None and not (m & BACKLINK):
            c["links"] += 1
        elif name in ("ref", "ptr") and attrs.get("target") or name in ("xref", "xptr") and (
                attrs.get("url") or attrs.get("doc") or attrs.get("target") or attrs.get("to")):
            c["links"] += 1
        elif name in ("math", "formula"):
            c["math"] += 1
        elif re.fullmatch(r"h[1-6]", name) or name == "head" and (TEI_DIVS.match(parent) or parent in (
                "body", "front", "back")):
            c["headings"] += 1
        elif name in ("li", "dd", "item") and not note_item:
            c["items"] += 1

    def end(self, name):
        name = local(name)
        # Pop to the matching element (HTML may leave elements unclosed).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == name:
                del self.stack[i:]
                break
        if name not in INLINE or self._state()[0] == "choice":
            self.chunks.append("\n")

    def text(self, data):
        if self._state()[1]:
            return
        if self.tex_math and not any(n in ("code", "pre") for n, _, _ in self.stack):
            self.counts["math"] += len(TEX_MATH.findall(data))
        self.chunks.append(data)

    def result(self):
        words = words_of("".join(self.chunks))
        counts = {k: self.counts.get(k, 0) for k in COUNTS}
        return words, counts


class _HTMLEvents(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self, walker):
        super().__init__(convert_charrefs=True)
        self.w = walker

    def handle_starttag(self, tag, attrs):
        self.w.start(tag, dict(attrs), empty=tag in self.VOID)

    def handle_startendtag(self, tag, attrs):
        self.w.start(tag, dict(attrs), empty=True)
        self.w.end(tag) if tag not in self.VOID else None

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.w.end(tag)

    def handle_data(self, data):
        self.w.text(data)


def html_events(data, walker):
    """The <body> of an HTML page (everything outside <head> if it has no body)."""
    p = _HTMLEvents(walker)
    p.feed(data)
    p.close()


# TEI's markup examples: <egXML> holds markup meant to be shown as it is
# written (the TEI Consortium's stylesheets print it as XML text), so its
# words are those of its serialisation, tags included, and its elements are
# not structure (a <head> or <ref> in an example is no heading or link).
TEI_EXAMPLES = "{http://www.tei-c.org/ns/Examples}"


def example_text(el):
    """An egXML's content as XML text, example elements unprefixed."""
    copy = ET.fromstring(ET.tostring(el))
    for e in copy.iter():
        if isinstance(e.tag, str) and e.tag.startswith(TEI_EXAMPLES):
            e.tag = e.tag[len(TEI_EXAMPLES):]
    return xml.sax.saxutils.escape(copy.text or "") + "".join(
        ET.tostring(c, encoding="unicode") for c in copy)


def xml_events(el, walker):
    stack = [(el, True)]
    while stack:
        node, entering = stack.pop()
        if not isinstance(node.tag, str):  # comment or processing instruction
            if not entering or node.tail is None:
                continue
            walker.text(node.tail)
            continue
        if entering and node.tag == TEI_EXAMPLES + "egXML":
            walker.start("pre", {}, empty=True)  # a block boundary, and no count
            walker.text(example_text(node))
            walker.end("pre")
            if node.tail:
                walker.text(node.tail)
            continue
        if entering:
            walker.start(node.tag, {k: v for k, v in node.attrib.items()})
            if node.text:
                walker.text(node.text)
            stack.append((node, False))
            for child in reversed(list(node)):
                stack.append((child, True))
        else:
            walker.end(node.tag)
            if node.tail:
                walker.text(node.tail)


def strip_front_matter(text):
    """Removes a leading YAML front matter block if it is one: closed, with
    no blank line inside, and a mapping whose keys are names (title,
    author-note ...). Otherwise the text is Markdown as CommonMark reads it
    ("---\nIntro paragraph: with a colon.\n\n---" is a paragraph between
    thematic breaks, not metadata)."""
    m = re.match(r"---[ \t]*\n((?:[^\n]*\S[^\n]*\n)*?)(?:---|\.\.\.)[ \t]*(?:\n|$)", text)
    if not m:
        return text
    try:
        import yaml
        meta = yaml.safe_load(m.group(1))
    except Exception:  # not YAML: Markdown
        return text
    if not isinstance(meta, dict) or not all(isinstance(k, str) and re.fullmatch(r"[A-Za-z_][\w.-]*", k)
                                             for k in meta):
        return text
    return text[m.end():]


# pandoc's heading attribute "# Title {#id}", which docpipe's Markdown dialect
# reads as the heading's id (docs/formats/markdown.md) and cmark-gfm leaves as
# text: an id is markup, not words, whichever side of a conversion it is on.
HEADING_ID = re.compile(r"(<h[1-6][^>]*>.*?) \{#[^\s{}<>]+\}(</h[1-6]>)")


def render_markdown(text):
    p = subprocess.run([CMARK] + CMARK_ARGS, input=text.encode("utf-8"), capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("cmark-gfm failed: " + p.stderr.decode("utf-8", "replace")[-200:])
    return HEADING_ID.sub(r"\1\2", p.stdout.decode("utf-8"))


def epub_documents(path):
    """The spine XHTML documents of an EPUB, without the nav document."""
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(el.get("full-path") for el in container.iter() if local(el.tag) == "rootfile")
        opf = ET.fromstring(z.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {el.get("id"): el for el in opf.iter() if local(el.tag) == "item"}
        docs = []
        for ref in (el for el in opf.iter() if local(el.tag) == "itemref"):
            item = manifest.get(ref.get("idref"))
            if item is None or "nav" in (item.get("properties") or "").split():
                continue
            href = urllib.parse.unquote(item.get("href", ""))
            docs.append(z.read(posixpath.normpath(posixpath.join(base, href))))
        return docs


def fmt_of(path):
    p = path.lower()
    for ext, fmt in ((".md", "md"), (".markdown", "md"), (".txt", "md"), (".epub", "epub"),
                     (".html", "html"), (".htm", "html"), (".xhtml", "html"), (".xml", "tei")):
        if p.endswith(ext):
            return fmt
    raise ValueError(f"{path}: unknown format")


def extract(path, fmt=None):
    """(word list, counts) of FILE."""
    fmt = fmt or fmt_of(path)
    if fmt == "md":
        with open(path, encoding="utf-8") as f:
            w = Walker(tex_math=True)
            html_events(render_markdown(strip_front_matter(f.read())), w)
    elif fmt == "html":
        with open(path, encoding="utf-8", errors="replace") as f:
            w = Walker()
            html_events(f.read(), w)
    elif fmt == "epub":
        w = Walker()
        for doc in epub_documents(path):
            try:
                root = ET.fromstring(doc)
            except ET.ParseError:  # not well-formed XHTML: read it as HTML
                html_events(doc.decode("utf-8", "replace"), w)
                continue
            body = next((el for el in root.iter() if local(el.tag) == "body"), root)
            xml_events(body, w)
    elif fmt == "tei":
        root = ET.parse(path).getroot()
        w = Walker()
        xml_events(root, w)  # everything but the teiHeader: text, sourceDoc, facsimile
    else:
        raise ValueError(fmt)
    return w.result()


def recall(src_words, out_words):
    """Share of the source's word multiset found in the output, and the
    missing words (word -> how many), most frequent first."""
    s, o = collections.Counter(src_words), collections.Counter(out_words)
    total = sum(s.values())
    kept = sum(min(n, o[w]) for w, n in s.items())
    missing = collections.Counter({w: n - o[w] for w, n in s.items() if n > o[w]})
    return (100.0 * kept / total if total else 100.0), missing


if __name__ == "__main__":
    args = sys.argv[1:]
    fmt = None
    if "--format" in args:
        i = args.index("--format")
        fmt = args[i + 1]
        del args[i:i + 2]
    show_words = "--words" in args
    words, counts = extract(args[0], fmt)
    out = {"words": len(words), "counts": counts}
    if show_words:
        out["multiset"] = dict(collections.Counter(words).most_common())
    print(json.dumps(out, ensure_ascii=False, indent=1))
