#!/usr/bin/env python3
"""Regression tests for the TEI defects of issue 17 (documents from the wild):
one minimal input per defect, generated here.

    fidelity_test.py --list
    fidelity_test.py CASE CLI SOURCE_DIR WORKDIR

Exit 0 pass, 1 fail, 77 skip (jing or the schemas absent, for the cases that
validate). stdlib only.
"""
import os
import re
import shutil
import subprocess
import sys

CASES = {}


def case(fn):
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Env:
    def __init__(self, cli, src, work):
        self.cli, self.src, self.work = cli, src, work

    def write(self, name, data):
        p = os.path.join(self.work, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(data)
        return p

    def read(self, name):
        with open(os.path.join(self.work, name), encoding="utf-8") as f:
            return f.read()

    def run(self, *args, ok=True):
        p = subprocess.run([self.cli] + list(args), cwd=self.work, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        sys.stdout.write("$ docpipe %s -> exit %d\n%s" % (" ".join(args), p.returncode, err))
        if ok:
            check(p.returncode == 0, "docpipe %s exited %d" % (" ".join(args), p.returncode))
        return p.returncode, out, err

    def valid_tei(self, *names, schema="tei"):
        """jing tei_all (schema="tei-lite": tei_lite) through tests/common/validate.sh (77: not installed)."""
        p = subprocess.run(["sh", os.path.join(self.src, "tests", "common", "validate.sh"), schema] +
                           [os.path.join(self.work, n) for n in names],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sys.stdout.write(p.stdout.decode("utf-8", "replace"))
        if p.returncode == 77:
            raise Skip("jing or tei_all.rng not installed")
        check(p.returncode == 0, "not valid against %s: %s" % (schema, " ".join(names)))


def tei(body, ns='xmlns="http://www.tei-c.org/ns/1.0"', root="TEI", prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s<%s %s><teiHeader><fileDesc><titleStmt><title>T</title>'
            '</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>'
            '</teiHeader>\n<text><body>\n%s\n</body></text></%s>\n' % (prolog, root, ns, body, root))


def body_of(xml):
    m = re.search(r"<body>(.*)</body>", xml, re.S)
    return m.group(1) if m else ""


# --- TEI writer

@case
def writer_mixed_content(e):
    """Indentation is never added inside an element that holds text: md ->
    tei -> md gives the same emphasis and links back."""
    src = "**[Download](http://x.org)**\n\n- *[a](b)*\n"
    e.write("n.md", src)
    e.run("n.md", "-o", "n.tei.xml")
    tei_out = e.read("n.tei.xml")
    check("<p><hi rend=\"bold\"><ref target=\"http://x.org\">Download</ref></hi></p>" in tei_out,
          "whitespace inside <p>/<hi>: %s" % body_of(tei_out))
    check('<item><hi rend="italic"><ref target="b">a</ref></hi></item>' in tei_out,
          "whitespace inside <item>/<hi>")
    check("\n      <list" in tei_out, "element-only content (body) no longer indented")
    _, md, _ = e.run("n.tei.xml", "-t", "md")
    check("**[Download](http://x.org)**" in md, "bold link not kept: %r" % md)
    check(re.search(r"^\s*- \*\[a\]\(b\)\*$", md, re.M), "italic link item not kept: %r" % md)
    _, html, _ = e.run("n.tei.xml", "-t", "html")
    check('<strong><a href="http://x.org">Download</a></strong>' in html, "html: %r" % html)
    e.valid_tei("n.tei.xml")


@case
def writer_blocks_separate(e):
    """Two blocks that land in one TEI element (the dd's of one term, the
    divs of a blockquote) stay two blocks, never one run of text."""
    e.write("g.html", "<!DOCTYPE html><html lang=en><head><title>g</title></head><body>"
            "<dl><dt>apple</dt><dd>red fruit</dd><dd>computer</dd></dl>"
            "<blockquote><div><div>Der Heimat zu</div><div>Mein Irisch Kind,</div></div></blockquote>"
            "</body></html>")
    e.run("g.html", "-o", "g.tei.xml")
    out = e.read("g.tei.xml")
    check("fruitcomputer" not in out and "zuMein" not in out, "blocks glued: %s" % body_of(out))
    check("<ab>red fruit</ab><ab>computer</ab>" in out, "dd's not separate blocks: %s" % body_of(out))
    check("<ab>Der Heimat zu</ab><ab>Mein Irisch Kind,</ab>" in out, "divs not separate: %s" % body_of(out))
    _, md, _ = e.run("g.tei.xml", "-t", "md")
    check("Der Heimat zu\n" in md and "fruitcomputer" not in md, "md from the TEI: %r" % md)
    e.valid_tei("g.tei.xml")


@case
def writer_no_text_in_figure(e):
    """Inline content in an element that holds no text (figure, sp) is an
    <ab>, not bare text or phrases (jing: element ref not allowed here)."""
    e.write("f.html", '<!DOCTYPE html><html lang=en><head><title>f</title></head><body>'
            '<figure><a href="http://example.org"><img src="a.png" alt="ad"></a></figure>'
            '<figure><span id="cover"><img src="c.png" alt="cover"></span></figure>'
            '<div><div><p>deep</p></div><p>after a nested div</p></div>'
            '</body></html>')
    e.run("f.html", "-o", "f.tei.xml")
    e.valid_tei("f.tei.xml")
    out = e.read("f.tei.xml")
    check("after a nested div" in out, "text lost")


@case
def writer_valid_restructure(e):
    """What P4 allowed and P5 does not is restructured, not written invalid:
    a <signed> before a nested div, a type with spaces; a head inside an
    element kept as itself (msDesc) stays a head."""
    e.write("r.xml", tei('<div type="half title note"><head>Note</head><p>n</p></div>'
                         '<div type="preface"><head>Preface</head><p>words</p>'
                         '<signed>Their faithful Friend</signed><div type="toc"><p>contents</p></div></div>'
                         '<div><head>Manuscript</head><msDesc><msIdentifier><idno>74</idno></msIdentifier>'
                         '<head>Saga of Olaf</head><msContents><p>1ra-51va</p></msContents></msDesc></div>',
                         ns='lang="en"', root="TEI.2"))
    _, _, err = e.run("r.xml", "-o", "r.tei.xml")
    e.valid_tei("r.tei.xml")
    out = e.read("r.tei.xml")
    check('type="half-title-note"' in out, "type not made one token")
    check('<ab type="signed">Their faithful Friend</ab>' in out and "<signed>" in err, "signed: %s" % body_of(out))
    check("<head>Saga of Olaf</head>" in out, "msDesc head not kept")


@case
def writer_body_not_only_milestones(e):
    """A body holding only milestones (Markdown "---"), or only a figure,
    gets the prose tei_all requires (jing: element "body" incomplete; GFM
    spec examples 11, 13, 17, 20-24, 68); md -> tei -> md keeps the breaks."""
    e.write("m.md", "***\n---\n___\n")
    e.write("i.md", "![alt](a.png)\n")
    for name in ("m", "i"):
        e.run(name + ".md", "-o", name + ".tei.xml")
    e.valid_tei("m.tei.xml", "i.tei.xml")
    _, md, _ = e.run("m.tei.xml", "-t", "md")
    check(len(re.findall(r"^(\* \* \*|-{3,}|\*{3,}|_{3,})$", md, re.M)) == 3, "thematic breaks not kept: %r" % md)


@case
def writer_link_targets_uri(e):
    """A link's address that is no URI as written (Markdown takes any text:
    [a](foo\\)\\:), <http://x/\\[\\>, <my file>) is written as one tei_all accepts
    (percent-encoded; "./" before a first segment with a colon), and
    md -> tei -> md gives the same links (GFM spec examples 508, 611)."""
    src = ("[link](foo\\)\\:)\n\n<http://example.com/\\[\\>\n\n[a](<my file.html>) "
           "[c](http://[::1]/a[1]) ![d](<1:img.png>)\n\n[e](#x#y) [f](100%)\n")
    e.write("l.md", src)
    e.run("l.md", "-o", "l.tei.xml")
    e.valid_tei("l.tei.xml")
    _, md, _ = e.run("l.tei.xml", "-t", "md")
    e.write("back.md", md)

    def hrefs(name):
        _, html, _ = e.run(name, "-t", "html", "-O", "fragment=true")
        return re.findall(r'(?:href|src)="([^"]*)"', html)
    want, got = hrefs("l.md"), hrefs("back.md")
    # "#x#y" and "100%" are no URIs: written (and read back) as "#x%23y" and
    # "100%25", the same addresses in a browser
    check(want[:-2] == got[:-2] and got[-2:] == ["#x%23y", "100%25"], "addresses changed: %r -> %r" % (want, got))


@case
def writer_image_in_image(e):
    """An image inside an image's description (![foo ![bar](/url)](/url2)):
    <figDesc> holds no <figure> (jing, GFM spec example 582); its
    description is written as text, the lost address reported."""
    e.write("n.md", "![foo ![bar](/url)](/url2)\n")
    _, _, err = e.run("n.md", "-o", "n.tei.xml")
    e.valid_tei("n.tei.xml")
    check("/url)" in err or "(/url)" in err, "lost inner address not reported: %r" % err)
    _, md, _ = e.run("n.tei.xml", "-t", "md")
    check("![foo bar](/url2)" in md, "description or image lost: %r" % md)


@case
def writer_raw_html(e):
    """Raw HTML (a block and inline tags) has no TEI element: it is kept
    verbatim as the text of <seg type="raw" notation="html"> (a block in
    <ab type="raw">, Lite <p rend="raw">), reported once, valid in both
    profiles, and read back as raw HTML: md -> tei -> md gives it back."""
    src = "<table><tr><td>\n<pre>\nx\n</pre>\n</td></tr></table>\n\nA <b>bold</b> <!-- c --> word.\n"
    e.write("r.md", src)
    _, _, err = e.run("r.md", "-o", "r.tei.xml")
    e.run("r.md", "-o", "rl.tei.xml", "-O", "profile=lite")
    out = e.read("r.tei.xml")
    check('<ab type="raw"><seg type="raw" notation="html" xml:space="preserve">&lt;table&gt;' in out,
          "raw block not carried: %s" % body_of(out))
    check('<seg type="raw" notation="html" xml:space="preserve">&lt;b&gt;</seg>bold' in out,
          "raw inline not carried: %s" % body_of(out))
    check('<p rend="raw"><seg type="raw"' in e.read("rl.tei.xml"), "Lite raw block: %s" % body_of(e.read("rl.tei.xml")))
    check(err.count("raw html kept verbatim") == 1, "not reported once: %r" % err)
    e.valid_tei("r.tei.xml")
    e.valid_tei("rl.tei.xml", schema="tei-lite")
    for name in ("r.tei.xml", "rl.tei.xml"):
        _, md, _ = e.run(name, "-t", "md")
        check("<table><tr><td>\n<pre>\nx\n</pre>\n</td></tr></table>\n" in md, "raw block back: %r" % md)
        check("A <b>bold</b> <!-- c --> word." in md, "raw inlines back: %r" % md)


@case
def link_title(e):
    """A link's title is the @n of its <ref> (as the TEI Consortium's HTML
    stylesheets read it), and a ref's @n comes back as the title; a link to
    "" is <ref type="empty-link"> and comes back."""
    e.write("t.md", '[a](/u "The title") and ![i](p.png "img title") and [e]()\n')
    e.run("t.md", "-o", "t.tei.xml")
    out = e.read("t.tei.xml")
    check('<ref target="/u" n="The title">a</ref>' in out, "title not written: %s" % body_of(out))
    e.valid_tei("t.tei.xml")
    _, md, _ = e.run("t.tei.xml", "-t", "md")
    check('[a](/u "The title")' in md, "title not read back: %r" % md)
    check('"img title")' in md, "image title not read back: %r" % md)
    # a link to "" (TEI has no empty pointer; a ref without one is no link)
    check('<ref type="empty-link">e</ref>' in out, "empty link: %s" % body_of(out))
    check('[e]()' in md, "empty link not read back: %r" % md)
    e.write("n.xml", tei('<p><ref target="http://x.org" n="Site">x</ref></p>'))
    _, html, _ = e.run("n.xml", "-t", "html")
    check('title="Site"' in html, "ref@n not a title in HTML: %r" % html)


# --- TEI reader

SAID = ('<p>He felt here and there. <said who="#lb" aloud="false"><quote xml:lang="it">Voglio e non vorrei.'
        '</quote> Wonder did she pull.</said> He stooped.</p>\n'
        '<p>\u2014 <said who="#a">Where are you going?</said> \u2014 asked Anna.</p>')


@case
def reader_said_inline(e):
    """Inline said/quote stay inline with their spaces; who/aloud stay on
    <said>; dialogue marked with dashes gains no quotation marks."""
    e.write("s.xml", tei(SAID))
    e.run("s.xml", "-o", "s.tei.xml")
    out = e.read("s.tei.xml")
    check('<p>He felt here and there. <said who="#lb" aloud="false"><quote xml:lang="it">Voglio e non vorrei.'
          '</quote> Wonder did she pull.</said> He stooped.</p>' in out, "said not kept inline: %s" % body_of(out))
    check("<quote rend=\"said\"" not in out, "said written as a block quote")
    e.valid_tei("s.tei.xml")
    _, html, _ = e.run("s.xml", "-t", "html")
    check("<blockquote" not in html, "html: said became a block quote")
    check("He felt here and there. <span" in html and "</q> Wonder" in html, "html: spaces lost: %r" % html)
    check("\u2014 <span" in html and "<q>Where" not in html, "html: dashed dialogue gained <q>")
    _, md, _ = e.run("s.xml", "-t", "md")
    check("\u201cWhere" not in md and "Where are you going?" in md, "md: dashed dialogue gained quotes: %r" % md)


@case
def reader_links(e):
    """TEI P4 xref/xptr (url, doc, IDREF target) and P5 ref/ptr are links."""
    p4 = tei('<p id="top">See <xref url="http://www.tei-c.org/">the TEI</xref>, <xptr url="http://example.org/a"/>, '
             '<xref doc="manual">the manual</xref>, <ref target="top">the top</ref>.</p>'
             '<list><item><xref url="http://example.org/item">in an item</xref></item></list>',
             ns='lang="en"', root="TEI.2",
             prolog='<!DOCTYPE TEI.2 [\n<!NOTATION xml SYSTEM "xml">\n'
                    '<!ENTITY manual SYSTEM "http://example.org/manual.xml" NDATA xml>\n]>\n')
    e.write("p4.xml", p4)
    _, html, _ = e.run("p4.xml", "-t", "html")
    for href, text in (("http://www.tei-c.org/", "the TEI"), ("http://example.org/manual.xml", "the manual"),
                       ("#top", "the top"), ("http://example.org/item", "in an item")):
        check('<a href="%s">%s</a>' % (href, text) in html, "no link %s -> %s in %r" % (text, href, html))
    check('<a href="http://example.org/a">' in html, "xptr not a link")
    check("data-custom" not in html, "xref kept as a custom element")
    e.write("p5.xml", tei('<p><ref target="http://example.org/r">r</ref> <ptr target="http://example.org/p"/></p>'))
    _, html, _ = e.run("p5.xml", "-t", "html")
    check('<a href="http://example.org/r">r</a>' in html and 'href="http://example.org/p"' in html,
          "P5 ref/ptr: %r" % html)
    e.run("p4.xml", "-o", "p4.tei.xml")
    e.valid_tei("p4.tei.xml")


@case
def reader_link_target_list(e):
    """@target is a list of pointers; an href holds one URL (vnu, EPUBCheck RSC-020 on "http://a http://b"):
    an empty <ptr/> gives a link to each, a <ref> with text links the first and says what it dropped."""
    e.write("tl.xml", tei('<p>See <ptr target="http://a.example/ http://b.example/"/> and '
                          '<ref target="http://c.example/ http://d.example/">two</ref>.</p>'))
    _, html, err = e.run("tl.xml", "-t", "html")
    hrefs = re.findall(r'href="([^"]*)"', html)
    check(all(" " not in h and "%20" not in h for h in hrefs), "an href with several URLs: %r" % hrefs)
    for h in ("http://a.example/", "http://b.example/", "http://c.example/"):
        check(h in hrefs, "no link to %s in %r" % (h, hrefs))
    check("http://d.example/" in err and "several targets" in err, "the dropped target is not reported: %r" % err)


@case
def writer_link_with_space(e):
    """A Markdown link whose address holds a space ([a](</my uri>), GFM spec 495) is one pointer in TEI:
    written percent-encoded, it comes back as one link, not two."""
    e.write("sp.md", "[a](</my uri>) [b](<x y z>)\n")
    e.run("sp.md", "-o", "sp.tei.xml")
    targets = re.findall(r'target="([^"]*)"', body_of(e.read("sp.tei.xml")))
    check(targets == ["/my%20uri", "x%20y%20z"], "targets %r" % targets)
    _, html, _ = e.run("sp.tei.xml", "-t", "html")
    check('href="/my%20uri"' in html and 'href="x%20y%20z"' in html and html.count("<a ") == 2,
          "not two links back: %r" % re.findall(r"<a [^>]*>", html))
    e.valid_tei("sp.tei.xml")


@case
def reader_private_uri(e):
    """Private URI schemes ("psn:fred") become the address the header's
    prefixDef says (as in the TEI stylesheets' test file); without a
    prefixDef, or when the pattern does not match, the pointer is kept."""
    defs = ('<encodingDesc><listPrefixDef>'
            '<prefixDef ident="psn" matchPattern="([a-z]+)" '
            'replacementPattern="http://example.com/people.html#$1"><p>people</p></prefixDef>'
            '<prefixDef ident="bibl" matchPattern="([A-z]+)([0-9]*)" '
            'replacementPattern="http://example.com/b?name=$1&amp;year=$2"><p>books</p></prefixDef>'
            '</listPrefixDef></encodingDesc>')
    doc = tei('<p><ref target="psn:fred">Fred</ref>, <ref target="bibl:Jones76">Jones</ref>, '
              '<ref target="psn:NOT-LOWER">kept</ref>, <ref target="other:x">other</ref>.</p>')
    doc = doc.replace("</fileDesc>", "</fileDesc>" + defs)
    e.write("pd.xml", doc)
    _, html, _ = e.run("pd.xml", "-t", "html", "--unsafe")
    check('<a href="http://example.com/people.html#fred">Fred</a>' in html, "psn:fred not expanded: %r" % html)
    check('<a href="http://example.com/b?name=Jones&amp;year=76">Jones</a>' in html,
          "bibl:Jones76 not expanded: %r" % html)
    check('href="psn:NOT-LOWER"' in html and 'href="other:x"' in html, "unmatched pointers not kept: %r" % html)
    _, safe_html, _ = e.run("pd.xml", "-t", "html")
    check('href="http://example.com/people.html#fred"' in safe_html, "safe output lost the expanded link")


BROKEN = ('<p xml:id="1st">First paragraph kept.</p>\n'
          '<p>Second <hi rend="italic">mismatched</emph> paragraph.</p>\n'
          '<p>Third paragraph after the damage.</p>')


@case
def reader_fatal_error(e):
    """A malformed tag: the message names the fatal mismatch with its
    line:column; the non-fatal xml:id problem is a warning; nothing is
    repaired by default."""
    e.write("b.xml", tei(BROKEN))
    rc, out, err = e.run("b.xml", "-t", "md", ok=False)
    check(rc == 3, "exit %d, want 3 (input error)" % rc)
    check(re.search(r"error: b\.xml:5:\d+: tei: .*mismatch", err), "fatal error not named with line:col: %r" % err)
    check(re.search(r"warning: b\.xml:4:\d+: tei: .*NCName", err), "xml:id problem not a warning: %r" % err)
    check("recover=true" in err, "the message does not say how to recover")
    check(out == "", "output written from a malformed file")


@case
def reader_recover(e):
    """-O recover=true salvages the text with a warning for each repair."""
    e.write("b.xml", tei(BROKEN))
    _, md, err = e.run("b.xml", "-t", "md", "-O", "recover=true")
    for t in ("First paragraph kept.", "mismatched", "Third paragraph after the damage."):
        check(t in md, "text lost in recover mode: %s" % t)
    check(re.search(r"warning: b\.xml:5:\d+: tei: recover: repaired: .*mismatch", err), "repair not listed: %r" % err)
    check("recover mode after 1 repair" in err, "no summary warning: %r" % err)


@case
def reader_mathml_source(e):
    """Namespaced MathML in <formula> is read as MathML source, not
    flattened to its text (writers said it 'does not parse')."""
    e.write("m.xml", tei('<p>Energy <formula notation="MathML"><m:math xmlns:m="http://www.w3.org/1998/Math/MathML">'
                         '<m:mi>x</m:mi><m:mo>=</m:mo><m:mfrac><m:mn>2</m:mn><m:mi>z</m:mi></m:mfrac></m:math>'
                         '</formula> here.</p>'))
    _, html, err = e.run("m.xml", "-t", "html")
    check("does not parse" not in err, "MathML said not to parse: %r" % err)
    check("<mfrac><mn>2</mn><mi>z</mi></mfrac>" in html, "MathML structure lost: %r" % html)


@case
def writer_source_doc(e):
    """A <sourceDoc> transcription survives TEI -> TEI as <sourceDoc> (it
    was left out, 94% of stylesheets-test32's words), valid: its closing
    notes need no <ab>, and a child tei_all does not allow in <line> (the
    source's lone <reg>) becomes <seg type> with a warning naming it."""
    e.write("s.xml", tei('<p>Edition text.</p>').replace(
        "<text>", '<sourceDoc xml:id="sd1"><surface><zone>'
        '<line xml:id="l1">Faithful <reg>regular spelling</reg> here</line>'
        '<line xml:id="l2">second line</line></zone></surface>'
        '<note target="#l1">A note on the first line.</note></sourceDoc><text>'))
    _, _, err = e.run("s.xml", "-o", "t.tei.xml")
    out = e.read("t.tei.xml")
    for t in ("Faithful", "regular spelling", "second line", "A note on the first line", "Edition text"):
        check(t in out, "text lost: %s" % t)
    check(re.search(r'<sourceDoc xml:id="sd1"[^>]*>\s*<surface', out), "no <sourceDoc> with its surface: %r" % out)
    check(out.index("<sourceDoc") < out.index("<text"), "<sourceDoc> must come before <text>")
    check(re.search(r"<reg> is not allowed in a transcription's <line>", err), "lone <reg> not reported: %r" % err)
    e.valid_tei("t.tei.xml")

@case
def reader_ref_without_address(e):
    """A <ref> with no target (a manuscript's shelfmark, stylesheets-test27)
    is not a link: it came out as [AM 394 fol.]() in Markdown."""
    e.write("r.xml", tei('<p>In <ref type="ms">AM 394 fol.</ref>, see <ref target="http://x.org/">x</ref>.</p>'))
    _, md, _ = e.run("r.xml", "-t", "md")
    check("[x](http://x.org/)" in md, "the real link lost: %r" % md)
    check("]()" not in md and "AM 394 fol." in md, "a ref without target became a link: %r" % md)
    _, out, _ = e.run("r.xml", "-t", "tei")
    check('<ref type="ms">AM 394 fol.</ref>' in out, "the ref not kept as itself: %r" % body_of(out))


@case
def reader_record_fields(e):
    """The fields of a name, a bibliography entry or a size, and the
    alternatives of a <choice>, written side by side stay separate words
    (stylesheets-test27: "NancyIde", "Tryggvason18", "25084",
    "gvnnhilldegvnnhilldr")."""
    e.write("f.xml", tei('<p><persName><forename>Nancy</forename><surname>Ide</surname></persName> in '
                         '<bibl><ref target="#b1">The Saga</ref><biblScope unit="page">18</biblScope></bibl>, '
                         '<dimensions><height>250</height><width>84</width></dimensions> mm, '
                         '<choice><sic>gvn<ex>n</ex>hillde</sic><corr>gvn<ex>n</ex>hilldr</corr></choice>, '
                         '<name><hi rend="bold">J</hi><hi rend="italic">ohn</hi></name>.</p>'))
    _, md, _ = e.run("f.xml", "-t", "md")
    check("Nancy Ide" in md, "name parts glued: %r" % md)
    check("250 84" in md, "height and width glued: %r" % md)
    check("gvnnhillde gvnnhilldr" in md, "the alternatives of a <choice> kept whole glued: %r" % md)
    check(re.search(r"\*\*J\*\*\S", md), "styled parts of one word pulled apart: %r" % md)
    check(re.search(r"\]\(#b1\) 18", md), "bibliography fields glued: %r" % md)
    e.run("f.xml", "-o", "f.tei.xml")
    e.valid_tei("f.tei.xml")


# --- TEI markup examples (egXML)

EGXML = ('<div><head>Choice</head>\n'
         '  <egXML xmlns="http://www.tei-c.org/ns/Examples">\n'
         '          <p>v<ex>oro</ex> syskin\n'
         '\t    <choice><sic>gvnhillde</sic><corr>gvnhilldr</corr></choice>\n'
         '          <ref target="http://x.org/?a=1&amp;b=2">Fred</ref></p>\n'
         '  </egXML>\n'
         '  <p>Write <egXML xmlns="http://www.tei-c.org/ns/Examples"><gi>lb</gi></egXML> for a line, and\n'
         '  <egXML xmlns="http://www.tei-c.org/ns/Examples" valid="feasible"><lg>\n'
         '    <l>first</l>\n  </lg></egXML> for lines.</p></div>')


def cmark_html(md):
    """cmark-gfm's own rendering of Markdown (the reference implementation)."""
    if not shutil.which("cmark-gfm"):
        raise Skip("the cmark-gfm command is absent")
    p = subprocess.run(["cmark-gfm", "--unsafe"], input=md.encode("utf-8"), stdout=subprocess.PIPE)
    return p.stdout.decode("utf-8")


@case
def reader_egxml_html(e):
    """An egXML (markup meant to be shown) is code in HTML: a block one a
    <pre><code class="language-xml"> of its XML text, without the
    indentation of the TEI around it; a one-line one inside a paragraph
    inline <code>; a multi-line one splits the paragraph as <eg> does.
    It was raw XML, dropped ('raw xml content dropped')."""
    e.write("x.xml", tei(EGXML))
    _, _, err = e.run("x.xml", "-o", "x.html")
    html = e.read("x.html")
    check("raw xml content dropped" not in err, "example dropped: %s" % err)
    check('<code class="language-xml">&lt;p&gt;v&lt;ex&gt;oro&lt;/ex&gt; syskin\n'
          '  &lt;choice&gt;&lt;sic&gt;gvnhillde&lt;/sic&gt;' in html,
          "block example not code, or indentation not re-based: %s" % html)
    check('&lt;ref target="http://x.org/?a=1&amp;amp;b=2"&gt;Fred&lt;/ref&gt;&lt;/p&gt;</code></pre>' in html,
          "example text: %s" % html)
    check(re.search(r'Write <code class="xml"[^>]*>&lt;gi&gt;lb&lt;/gi&gt;</code> for a line', html),
          "inline example not inline code: %s" % html)
    check(re.search(r'and</p>\s*<pre[^>]*><code class="language-xml">&lt;lg&gt;\n  &lt;l&gt;first', html),
          "multi-line example in a paragraph not a block: %s" % html)
    check('href="http://x.org' not in html, "a link inside an example became a link")
    e.valid_tei("x.html", schema="html")


@case
def reader_egxml_markdown(e):
    """An egXML is a fenced code block (language xml) in Markdown, inline
    code when inline: cmark-gfm renders the example's words as code. It was
    raw XML, which cmark-gfm reads as HTML tags (the words were lost)."""
    e.write("x.xml", tei(EGXML))
    _, md, _ = e.run("x.xml", "-t", "md")
    check(re.search(r"^```+ ?xml\n<p>v<ex>oro</ex> syskin$", md, re.M), "no fenced xml code block: %r" % md)
    check("`<gi>lb</gi>`" in md, "inline example not inline code: %r" % md)
    html = cmark_html(md)
    check('<code class="language-xml">&lt;p&gt;v&lt;ex&gt;oro&lt;/ex&gt; syskin' in html,
          "cmark-gfm does not render the example as code: %s" % html)
    check("<code>&lt;gi&gt;lb&lt;/gi&gt;</code>" in html, "inline example: %s" % html)


@case
def writer_egxml(e):
    """TEI -> TEI keeps an egXML as an <egXML> element in the Examples
    namespace (its text parsed back with libxml2), inline ones inline,
    valid against tei_all and stable on a second pass (TEI Lite, which has no egXML: <eg> text, reported); a prefix declared
    on the TEI root is declared in the example. Example text that is not
    well-formed (an edited tree) is written as <eg> text, with a warning."""
    e.write("x.xml", tei(EGXML + '<egXML xmlns="http://www.tei-c.org/ns/Examples"><x:foo>bar</x:foo></egXML>',
                         ns='xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="http://example.org/x"'))
    e.run("x.xml", "-o", "x.tei.xml")
    out = e.read("x.tei.xml")
    check('<egXML xmlns="http://www.tei-c.org/ns/Examples">\n<p>v<ex>oro</ex> syskin\n'
          '  <choice><sic>gvnhillde</sic>' in out, "block example not an egXML: %s" % body_of(out))
    check('<p>Write <egXML xmlns="http://www.tei-c.org/ns/Examples"><gi>lb</gi></egXML> for a line' in out,
          "inline example not inline: %s" % body_of(out))
    check('<egXML xmlns="http://www.tei-c.org/ns/Examples" valid="feasible">' in out,
          "egXML attributes lost: %s" % body_of(out))
    check('<x:foo xmlns:x="http://example.org/x">bar</x:foo>' in out, "prefixed example: %s" % body_of(out))
    check("<eg" not in out.replace("<egXML", ""), "an example became <eg>: %s" % body_of(out))
    e.valid_tei("x.tei.xml")
    e.run("x.tei.xml", "-o", "y.tei.xml")
    check(body_of(e.read("y.tei.xml")) == body_of(out), "second pass differs: %s" % body_of(e.read("y.tei.xml")))
    e.write("b.json", '{"docpipe-tree": 1, "body": {"t": "root", "c": [{"t": "code_block", "classes": ["xml"], '
            '"attrs": {"tei:element": "egXML"}, "text": "<p>broken"}]}}')
    _, _, err = e.run("b.json", "-o", "b.tei.xml")
    check("not well-formed" in err, "no warning for an example that does not parse: %s" % err)
    check('<eg rend="xml" xml:space="preserve">&lt;p&gt;broken</eg>' in e.read("b.tei.xml"),
          "broken example not <eg> text: %s" % body_of(e.read("b.tei.xml")))
    e.valid_tei("b.tei.xml")
    _, _, err = e.run("x.xml", "-o", "l.tei.xml", "-O", "profile=lite")
    check("TEI Lite has no <egXML>" in err, "Lite: no warning: %s" % err)
    e.valid_tei("l.tei.xml", schema="tei-lite")


@case
def reader_flatten_keeps_id(e):
    """A block element flattened where only inlines may go (a <p> in a
    <quote> in a <cit>) keeps its attributes: its xml:id is what a link
    points at (stylesheets-test: the EPUB dropped the link to
    #thisParagraph, 'an id that nothing in the book carries')."""
    e.write("c.xml", tei('<p>See <ref target="#thisParagraph">it</ref>.</p>'
                         '<cit><quote><p xml:id="thisParagraph" xml:lang="la">Lorem.</p></quote>'
                         '<bibl>In X.</bibl></cit>'))
    _, html, _ = e.run("c.xml", "-t", "html")
    check(re.search(r'id="thisParagraph"[^>]*lang="la"|lang="la"[^>]*id="thisParagraph"', html),
          "flattened <p> lost its id or language: %s" % html)
    _, _, err = e.run("c.xml", "-o", "c.epub")
    check("thisParagraph" not in err, "EPUB: %s" % err)


@case
def reader_header_name_fields(e):
    """The fields of a name in the teiHeader are separate words, as in the
    body (stylesheets-test: author "CharlesDickens", on the EPUB's cover
    and in dc:creator); text around inline elements gains no space."""
    e.write("h.xml", tei("<p>x</p>").replace(
        "<title>T</title>", "<title>T</title><author><name><forename>Charles</forename><surname>Dickens"
        "</surname></name></author>").replace(
        "<publicationStmt><p>p</p>", "<publicationStmt><p>by <name>Lou</name>, <hi>J</hi>ohn</p>"))
    _, md, _ = e.run("h.xml", "-t", "md")
    check("Charles Dickens" in md, "name fields glued: %r" % md)
    check("by Lou, John" in md, "spaces added around inline elements: %r" % md)


# --- TEI attributes through HTML and EPUB (the writers carry them as data-tei-*)

ATTRS = ('<p corresp="#c1" sameAs="#p0" xml:space="preserve">Kept attributes.</p>\n'
         '<egXML xmlns="http://www.tei-c.org/ns/Examples" valid="feasible"><lg><l>first</l></lg></egXML>\n'
         '<p>Write <egXML xmlns="http://www.tei-c.org/ns/Examples"><gi>lb</gi></egXML> for a line.</p>')


@case
def roundtrip_data_tei(e):
    """The TEI attributes a node keeps (tei:NAME) are written in HTML as
    data-tei-* and read back as tei:NAME: TEI -> HTML -> TEI and
    TEI -> EPUB -> TEI keep them (corresp, a camelCase sameAs, xml:space, and
    the egXML marker, so both examples come back as <egXML>), valid."""
    e.write("a.xml", tei(ATTRS))
    e.run("a.xml", "-o", "a.html")
    e.run("a.xml", "-o", "a.epub")
    html = e.read("a.html")
    check('data-tei-element="egXML"' in html, "egXML marker not in the HTML: %s" % html)
    for src in ("a.html", "a.epub"):
        out_name = src.replace(".", "-") + ".tei.xml"
        e.run(src, "-o", out_name)
        out = body_of(e.read(out_name))
        for want in ('corresp="#c1"', 'sameAs="#p0"', 'xml:space="preserve"', 'valid="feasible"'):
            check(want in out, "%s -> TEI: %s lost: %s" % (src, want, out))
        check(out.count("<egXML") == 2, "%s -> TEI: examples not <egXML>: %s" % (src, out))
        check("data-tei" not in out and "tei.attrs" not in out, "%s -> TEI: %s" % (src, out))
        e.valid_tei(out_name)
    # HTML -> HTML keeps the names as they were
    e.run("a.html", "-o", "b.html")
    back = e.read("b.html")
    for name in ("data-tei-corresp", "data-tei-same_as", "data-tei-xml.space", 'data-tei-element="egXML"'):
        check(name in back, "HTML -> HTML: %s lost: %s" % (name, back))


# --- The empty-body filler

FRAMES = {
    "opener": '<opener><salute>Dear Sir,</salute></opener>',
    "opener-closer": '<opener><dateline>London</dateline></opener><closer><signed>J. S.</signed></closer>',
    "byline-epigraph": '<byline>by A. Writer</byline><epigraph><p>An epigraph.</p></epigraph>',
    "argument-trailer": '<argument><p>The argument.</p></argument><trailer>The end.</trailer>',
    "doc-postscript": '<docAuthor>A. Writer</docAuthor><docDate>1900</docDate><postscript><p>P.S.</p></postscript>',
}


@case
def writer_body_only_frame(e):
    """A body holding only the elements that frame a division's prose
    (opener, closer, byline, epigraph, argument, trailer, docAuthor,
    postscript ...: model.divTop/divBottom of tei_all) gets the <p/> tei_all
    requires, after the opening ones and before the closing ones; an
    <opener> was taken for prose and the body left invalid."""
    names = []
    for key, body in FRAMES.items():
        e.write(key + ".xml", tei(body))
        e.run(key + ".xml", "-o", key + ".tei.xml")
        names.append(key + ".tei.xml")
        out = body_of(e.read(key + ".tei.xml"))
        check(re.search(r"<p/>", out), "%s: no filler: %s" % (key, out))
        for word in re.findall(r">([^<>]+)<", body):
            check(word in out, "%s: %r lost: %s" % (key, word, out))
    out = body_of(e.read("opener-closer.tei.xml"))
    check(re.search(r"</opener>\s*<p/>\s*<closer>", out), "filler not between opener and closer: %s" % out)
    e.valid_tei(*names)


# --- <cit> holding blocks

CIT = ('<p>Before.</p>\n<cit><quote><lg><l>First line,</l><l>second line.</l></lg></quote>'
       '<bibl>Poet, <title>Poem</title></bibl></cit>\n'
       '<cit><quote><p>Para one.</p><p>Para two.</p></quote><bibl>Source</bibl></cit>\n'
       '<p>Inline <cit><quote>short</quote> <bibl>B</bibl></cit> here, and in a paragraph '
       '<cit><quote><lg><l>Inner one,</l><l>inner two.</l></lg></quote><bibl>Bard</bibl></cit> after.</p>')


@case
def reader_cit_block(e):
    """A <cit> quoting verse or paragraphs is a block (a block quote and its
    bibl, in a custom tei:cit block), one quoting a phrase stays inline: the
    lines of verse stayed one run of text ("First line, second line." in a
    <q>), the paragraphs were glued ("Para one.Para two."), two cits became
    one <ab>. A block one inside a <p> splits it, as a block <quote> does."""
    e.write("c.xml", tei(CIT))
    e.run("c.xml", "-o", "c.tei.xml")
    out = body_of(e.read("c.tei.xml"))
    check("<cit><quote><lg><l>First line,</l><l>second line.</l></lg></quote><bibl>Poet, <title>Poem</title>"
          "</bibl></cit>" in out, "verse cit not kept: %s" % out)
    check("<cit><quote><p>Para one.</p><p>Para two.</p></quote><bibl>Source</bibl></cit>" in out,
          "paragraph cit not kept: %s" % out)
    check("<p>Inline <cit><quote>short</quote> <bibl>B</bibl></cit> here, and in a paragraph</p>" in out,
          "inline cit not kept inline: %s" % out)
    check(re.search(r"<cit><quote><lg><l>Inner one,</l><l>inner two.</l></lg></quote><bibl>Bard</bibl></cit>"
                    r"\s*<p>after.</p>", out), "cit in a paragraph does not split it: %s" % out)
    e.valid_tei("c.tei.xml")
    _, _, _ = e.run("c.xml", "-o", "c.html")
    html = e.read("c.html")
    check(re.search(r'<blockquote>\s*<div class="line-block"><div class="line">First line,</div>\s*'
                    r'<div class="line">second line.</div>', html), "verse lines lost in HTML: %s" % html)
    check(re.search(r"<blockquote>\s*<p>Para one.</p>\s*<p>Para two.</p>", html), "paragraphs glued: %s" % html)
    check("<p>Inline <span" in html and "<q" in html, "inline cit not inline: %s" % html)
    e.valid_tei("c.html", schema="html")
    _, md, _ = e.run("c.xml", "-t", "md")
    check(re.search(r"^> First line, *\\?\n> second line\.$", md, re.M), "md verse: %r" % md)
    check(re.search(r"^> Para one\.\n> ?\n> Para two\.$", md, re.M), "md paragraphs: %r" % md)
    check("Para one.Para two" not in md and "PoemPara" not in md.replace("\n", ""), "md glued: %r" % md)


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(sorted(CASES)))
        return 0
    name, cli, src, work = sys.argv[1:5]
    work = os.path.join(work, name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        CASES[name](Env(cli, src, work))
    except Failure as f:
        print("FAIL: %s" % f)
        return 1
    except Skip as s:
        print("SKIP: %s" % s)
        return 77
    print("ok: %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
