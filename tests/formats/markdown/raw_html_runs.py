#!/usr/bin/env python3
"""Markdown raw HTML and front matter, one minimal input per defect (issue 17).

Usage: raw_html_runs.py DOCPIPE CASE
Cases:
  details        <details> around a blank-line-separated paragraph keeps it inside
  table          a raw <table> with blank lines between its rows stays one table
  unclosed-a     an unclosed inline <a href> holds the rest of its paragraph
  raw-urls       URLs in raw attributes are written as written (no percent-encoding)
  cdata-pi       <![CDATA[...]]> and <?php ... ?> are markup, not escaped visible text
  frontmatter-prose   "---" + a sentence with a colon + "---" is Markdown, not metadata
  frontmatter-empty   "---" "---" is two thematic breaks
  verbatim       with --unsafe, raw HTML is written byte for byte as cmark-gfm --unsafe
                 writes it (no tbody added, stray end tags, <?php ?>, CDATA, <!DOCTYPE>,
                 entities in attributes, <a/> all kept as written)
  verbatim-epub  the same Markdown to EPUB (XHTML) is still parsed: well-formed XML
  tagfilter      -O tagfilter=true: the tags of GFM's disallowed elements (script, style,
                 title, xmp ...) become text ("&lt;"), in blocks and inline; off, they stay
Each converts with -f md -t html -O fragment=true (safe mode, the default, unless said).
Exit 0 pass, 1 fail.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))
from named_cases import expect, main  # noqa: E402


def html(cli, md, *extra):
    p = subprocess.run([cli, "-f", "md", "-t", "html", "-O", "fragment=true"] + list(extra), input=md.encode(),
                       capture_output=True)
    if p.returncode != 0:
        raise AssertionError("docpipe exited %d: %s" % (p.returncode, p.stderr.decode()))
    return p.stdout.decode(), p.stderr.decode()



def case_details(cli):
    out, _ = html(cli, "<details>\n<summary>More</summary>\n\nHidden *text* here.\n\n</details>\n")
    expect(out, r"<details>\s*<summary>More</summary>\s*<p>Hidden <em>text</em> here\.</p>\s*</details>",
           "paragraph inside <details>")


def case_table(cli):
    out, _ = html(cli, "<table>\n\n<tr>\n\n<td>\nHi\n</td>\n\n</tr>\n\n</table>\n")
    expect(out, r"^<table>\s*<tbody>\s*<tr>\s*<td>\s*Hi\s*</td>\s*</tr>\s*</tbody>\s*</table>\s*$",
           "one table, cell inside its row")


def case_unclosed_a(cli):
    out, _ = html(cli, "Foo\n<a href=\"bar\">\nbaz\n")
    expect(out, r"<p>Foo\s*<a href=\"bar\">\s*baz</a></p>", "text after an unclosed <a> inside it")


def case_raw_urls(cli):
    out, _ = html(cli, "<a href=\"&ouml;\\*?q=1&amp;r=2\">x</a> <img src=\"a b.png\" alt=\"\">\n")
    expect(out, r'href="ö\\\*\?q=1&amp;r=2"', "raw href kept as written")
    expect(out, r'src="a b\.png"', "raw src kept as written")
    if "%C3%B6" in out or "%5C" in out or "%20" in out:
        raise AssertionError("raw URL percent-encoded:\n" + out)


def case_cdata_pi(cli):
    out, _ = html(cli, "foo <![CDATA[>&<]]>\n\n<?php echo 1; ?>\nokay\n")
    if "&lt;![CDATA[" in out or "&lt;?php" in out:
        raise AssertionError("CDATA / processing instruction escaped into visible text:\n" + out)
    expect(out, r"<p>okay</p>", "the paragraph after the processing instruction")


def case_frontmatter_prose(cli):
    out, err = html(cli, "---\nIntro paragraph: with a colon.\n\n---\n\nBody.\n")
    expect(out, r"^<hr>\s*<p>Intro paragraph: with a colon\.</p>\s*<hr>\s*<p>Body\.</p>\s*$",
           "rule, paragraph, rule, paragraph")
    if "not a metadata name" not in err:
        raise AssertionError("reading the block as Markdown not reported:\n" + err)


def case_frontmatter_empty(cli):
    out, _ = html(cli, "---\n---\n")
    expect(out, r"^<hr>\s*<hr>\s*$", "two thematic breaks")


# HTML that a browser's tree building would change (tbody added, a stray end
# tag dropped, a processing instruction or CDATA turned into a comment, an
# unfinished tag at the end dropped, an entity in an attribute decoded).
VERBATIM = ("<table>\n\n<tr>\n\n<td>\nHi\n</td>\n\n</tr>\n\n</table>\n\n</div>\n*foo*\n\n"
            "<?php\n\n  echo '>';\n\n?>\n\nfoo <![CDATA[>&<]]> <a href=\"&ouml;\\\">x <a/>\n\n"
            "<!DOCTYPE html>\n\n<div id=\"foo\"\n*hi*\n")


def case_verbatim(cli):
    out, _ = html(cli, VERBATIM, "--unsafe")
    for kept in ["<table>\n<tr>\n<td>\nHi\n</td>\n</tr>\n</table>\n</div>\n*foo*\n",
                 "<?php\n\n  echo '>';\n\n?>\n", "<p>foo <![CDATA[>&<]]> <a href=\"&ouml;\\\">x <a/></p>",
                 "<!DOCTYPE html>\n", "<div id=\"foo\"\n*hi*"]:
        if kept not in out:
            raise AssertionError("raw HTML not written as written: %r missing in:\n%s" % (kept, out))
    if "tbody" in out:
        raise AssertionError("tbody added to raw HTML:\n" + out)


def case_verbatim_epub(cli):
    import tempfile
    import zipfile
    import xml.dom.minidom
    with tempfile.TemporaryDirectory() as tmp:
        src, book = os.path.join(tmp, "v.md"), os.path.join(tmp, "v.epub")
        with open(src, "w", encoding="utf-8") as f:
            f.write("# Raw\n\n" + VERBATIM)
        p = subprocess.run([cli, src, "-o", book, "--unsafe"], capture_output=True)
        if p.returncode != 0:
            raise AssertionError("docpipe exited %d: %s" % (p.returncode, p.stderr.decode()))
        with zipfile.ZipFile(book) as z:
            pages = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
            if not pages:
                raise AssertionError("no content document in " + ", ".join(z.namelist()))
            for name in pages:
                xml.dom.minidom.parseString(z.read(name))  # raises if not well-formed


def case_tagfilter(cli):
    md = ("<style\n  type=\"text/css\">\np {color:blue;}\n</style>\nokay\n\n"
          "<strong> <title> <em>\n\n<div>\n  <XMP> and <scripts> </script\n</div>\n")
    out, _ = html(cli, md, "--unsafe", "-O", "tagfilter=true")
    for shown in ["&lt;style\n", "&lt;/style>", "<strong> &lt;title> <em>", "&lt;XMP> and <scripts> &lt;/script"]:
        if shown not in out:
            raise AssertionError("disallowed tag not filtered: %r missing in:\n%s" % (shown, out))
    out, _ = html(cli, md, "--unsafe")
    if "&lt;" in out or "<style" not in out:
        raise AssertionError("tags filtered without -O tagfilter=true:\n" + out)


CASES = {
    "details": case_details,
    "table": case_table,
    "unclosed-a": case_unclosed_a,
    "raw-urls": case_raw_urls,
    "cdata-pi": case_cdata_pi,
    "frontmatter-prose": case_frontmatter_prose,
    "frontmatter-empty": case_frontmatter_empty,
    "verbatim": case_verbatim,
    "verbatim-epub": case_verbatim_epub,
    "tagfilter": case_tagfilter,
}

if __name__ == "__main__":
    sys.exit(main(CASES, __doc__))
