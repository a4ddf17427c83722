#!/usr/bin/env python3
"""Links, anchors and generated metadata across writers (issue 18, "Links and
identifiers" and "No invented metadata"; issue 17's EPUB link loss).

    links_meta_tests.py CASE --docpipe BIN --tmp DIR

Each case converts a small input and checks the output and the warnings."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile

EPUBCHECK = "/usr/share/java/epubcheck.jar"


def run(args, inp=None):
    p = subprocess.run([A.docpipe] + args, input=inp, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"docpipe {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p.stdout, p.stderr


def write(name, text):
    path = os.path.join(A.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def chapter_text(epub):
    with zipfile.ZipFile(epub) as z:
        return "".join(z.read(n).decode() for n in sorted(z.namelist()) if n.endswith(".xhtml")
                       and "/ch" in n)


def epubcheck(epub):
    if not shutil.which("java") or not os.path.exists(EPUBCHECK):
        print("(epubcheck not installed: validity not checked)")
        return
    p = subprocess.run(["java", "-jar", EPUBCHECK, epub], capture_output=True, text=True)
    check(p.returncode == 0 and "0 errors / 0 warnings" in p.stdout + p.stderr,
          "EPUBCheck: " + p.stdout + p.stderr)


def tree(path, fmt=None):
    out, _ = run(([path] if not fmt else ["-f", fmt, path]) + ["-t", "json"])
    return json.loads(out)


def nodes(n):
    yield n
    for c in n.get("c", []):
        yield from nodes(c)


LINKS_MD = ("# First Head\n\nSee [page two](?page=2), [here](), [other](other.html), "
            "[mail](mailto:a@b.org) and [lost](#nowhere).\n")


def case_epub_links():
    """EPUB: a same-document query link names the page it went to (was: text);
    links EPUB cannot hold are reported by their text; the book stays valid."""
    src = write("links.md", LINKS_MD)
    epub = os.path.join(A.tmp, "links.epub")
    _, err = run([src, "-o", epub])
    ch = chapter_text(epub)
    check('href="ch001.xhtml?page=2">page two</a>' in ch, "?page=2 link not kept in the EPUB: " + ch)
    check('href="">here</a>' in ch and 'href="mailto:a@b.org">mail</a>' in ch, "'' or mailto link lost: " + ch)
    check('link "other" to \'other.html\'' in err, "dropped link not reported by its text: " + err)
    check('link "lost" to \'#nowhere\'' in err, "link to a missing anchor not reported: " + err)
    epubcheck(epub)


def case_html_dangling():
    """HTML keeps every link as written and reports one that leads nowhere."""
    src = write("links.md", LINKS_MD)
    out, err = run([src, "-t", "html"])
    for href in ('href="?page=2"', 'href=""', 'href="other.html"', 'href="mailto:a@b.org"', 'href="#nowhere"'):
        check(href in out, f"{href} not written as the source had it")
    check('link "lost" to \'#nowhere\': no element of the document carries that id' in err,
          "dangling link not reported: " + err)
    check("page two" not in err, "a link to another document reported as dangling: " + err)


def case_tei_renamed_id():
    """TEI renames an id that is no XML name; links to it follow."""
    src = write("ids.html", '<html><body><p><a href="#1a">one</a></p><h2 id="1a">Head</h2></body></html>')
    out, err = run([src, "-t", "tei"])
    check('xml:id="id-1a"' in out, "id not renamed as expected: " + out)
    check('<ref target="#id-1a">one</ref>' in out, "link not rewritten to the renamed id: " + out)
    check("no element of the document carries" not in err, "renamed target reported missing: " + err)


ANCHORS_HTML = ('<html><head><title>T</title></head><body><p><a href="#h">h</a> <a href="#p1">p</a> '
                '<a href="#q">q</a> <a href="#li">li</a></p>'
                '<h2 id="h">Head</h2><h2 id="unused">Other</h2><p id="p1">para</p>'
                '<blockquote id="q"><p>quoted</p></blockquote><ul><li id="li">item</li></ul></body></html>')


def case_md_anchors():
    """Markdown keeps the ids that links use ({#id}, empty span anchors) and
    reads them back: every link of the Markdown output has its target."""
    src = write("anchors.html", ANCHORS_HTML)
    md, err = run([src, "-t", "md"])
    check("## Head {#h}" in md, "heading id not written as {#h}: " + md)
    check("{#unused}" not in md, "an id no link uses written: " + md)
    check('<span id="p1"></span>para' in md, "paragraph anchor missing: " + md)
    check('<span id="q"></span>quoted' in md and '<span id="li"></span>item' in md, "container anchors: " + md)
    path = write("anchors.md", md)
    html, err2 = run([path, "-t", "html"])
    check('<h2 id="h">Head</h2>' in html, "heading id not read back: " + html)
    check("no element of the document carries" not in err2, "a link lost its target: " + err2)
    ids = {n.get("id") for n in nodes(tree(path)["body"])}
    check({"h", "p1", "q", "li"} <= ids, f"ids read back: {ids}")


def case_md_heading_attribute():
    """The Markdown reader reads pandoc's heading attribute {#id}."""
    path = write("attr.md", "# Title {#my-id}\n\n## Not a{#attr}\n")
    body = tree(path)["body"]["c"]
    check(body[0].get("id") == "my-id" and body[0]["c"] == [{"t": "text", "text": "Title"}],
          f"heading attribute not read: {body[0]}")
    check("id" not in body[1], f"text glued to braces read as an attribute: {body[1]}")


def case_epub_generated_meta():
    """An EPUB needs a title and a language: made up from the best real source,
    said once, marked generated, and not read back as the author's."""
    src = write("untitled.md", "# First Head\n\ntext\n")
    epub = os.path.join(A.tmp, "untitled.epub")
    _, err = run([src, "-o", epub])
    check('no title: using the first heading "First Head"' in err, "no warning for the title: " + err)
    check(err.count("no title") == 1, "title warning not given once: " + err)
    with zipfile.ZipFile(epub) as z:
        opf = z.read("EPUB/package.opf").decode()
    check("<dc:language>und</dc:language>" in opf, "language not 'und': " + opf)
    check('<meta name="docpipe:generated" content="title language"/>' in opf, "no generated marker: " + opf)
    epubcheck(epub)
    meta = tree(epub)["meta"]
    check("title" not in meta and "language" not in meta, f"generated metadata read back as authored: {meta}")
    md, _ = run([epub, "-t", "md"])
    check("First Head" not in md.split("---")[1], "generated title in the Markdown front matter: " + md)
    check(md.count("First Head") == 1, "heading doubled by a title page: " + md)


def case_html_generated_title():
    """HTML's required <title>, made up from the first heading, is not read back as metadata."""
    src = write("untitled.md", "# First Head\n\ntext\n")
    html, _ = run([src, "-t", "html"])
    check('<meta name="docpipe:generated" content="title">' in html, "no generated marker: " + html)
    path = write("untitled.html", html)
    meta = tree(path)["meta"]
    check("title" not in meta and "language" not in meta, f"generated metadata read back: {meta}")
    titled = write("titled.html", html.replace('<meta name="docpipe:generated" content="title">\n', ""))
    check(tree(titled)["meta"].get("title") == "First Head", "an authored <title> is no longer read")


SOURCEDOC_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<sourceDoc xml:id="sd1"><surface><zone><line>Transcribed manuscript words</line>
<line><choice><orig>Olde spellinge</orig><reg>Old spelling</reg></choice></line></zone></surface></sourceDoc>
<text><body><p>Reading text.</p></body></text></TEI>
"""


def case_tei_sourcedoc():
    """TEI <sourceDoc> transcriptions reach the tree (issue 17: 5.6% recall on
    stylesheets-test32), and the TEI writer writes them back as <sourceDoc>
    with every word (it used to leave them out, with a warning)."""
    src = write("sourcedoc.xml", SOURCEDOC_TEI)
    md, _ = run([src, "-t", "md"])
    for words in ("Reading text.", "Transcribed manuscript words", "Olde spellinge", "Old spelling"):
        check(words in md, f"{words!r} lost: " + md)
    tei, err = run([src, "-t", "tei"])
    check('<sourceDoc xml:id="sd1"' in tei, "the transcription is not written back as <sourceDoc>: " + tei)
    for words in ("Transcribed manuscript words", "Olde spellinge", "Old spelling", "Reading text."):
        check(words in tei, f"{words!r} lost in TEI: " + tei)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--docpipe", required=True)
    ap.add_argument("--tmp", required=True)
    A = ap.parse_args()
    A.tmp = os.path.join(A.tmp, A.case)
    os.makedirs(A.tmp, exist_ok=True)
    globals()["case_" + A.case]()
    print("ok", A.case)
