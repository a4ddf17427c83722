#!/usr/bin/env python3
"""--template FILE for the EPUB content pages (issue 20).

- pandoc's own templates (pandoc -D epub3 / epub2) wrap the speech's chapter
  and notes pages; the books pass EPUBCheck and epubcheck-ts (and Ace for
  EPUB 3), keep every seed word in order, and the pages carry the template's
  markup with the body, lang/xml:lang and the stylesheet link;
- a template of our own: formatted metadata (pandoc's MetaInlines) is markup
  in $title$ and $author$, plain text in $pagetitle$ (<title>); $for(css)$
  lists the book's stylesheet; $dir$ and $lang$ are the book's;
- a template that gives XHTML that is not well-formed is an input error
  naming the template file and its line (after directives and loops have
  moved the page's lines), and no book is written; so is a template without
  $body$ where content may go.

usage: template.py DOCPIPE SOURCE_DIR WORKDIR
Exit 0 pass, 1 fail, 77 skip (pandoc or a validator not installed)."""
import os
import re
import shutil
import subprocess
import sys
import zipfile

OWN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="$lang$" xml:lang="$lang$"$if(dir)$ dir="$dir$"$endif$>
<head>
<title>$pagetitle$</title>
$for(css)$
<link rel="stylesheet" type="text/css" href="$css$"/>
$endfor$
</head>
<body epub:type="$body-type$">
<header class="own-template">
<p class="book-title">$title$</p>
$for(author)$
<p class="author">$author$</p>
$endfor$
</header>
$body$
</body>
</html>
"""

FORMATTED = """---
title: "A *fine* title with `code` & more"
author: ["Ann **Bold**", Bob, Cy]
lang: en
---

# One

Text with a note.[^1]

[^1]: The note.
"""

# The faulty line is the 11th of the template; the page has more lines
# before it (three authors) and fewer (the directive lines go).
BROKEN = """<html xmlns="http://www.w3.org/1999/xhtml">
$if(title)$
<head><title>$pagetitle$</title></head>
$endif$
<body>
$for(author)$
<p>$author$</p>
$endfor$
$body$
<p>unclosed
</body></html>
"""


def main():
    cli, src, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    speech = os.path.join(src, "samples", "speech.md")
    validate = os.path.join(src, "tests", "common", "validate.sh")
    fails = []

    def check(cond, what):
        if not cond:
            fails.append(what)
            print("FAIL: " + what)

    def docpipe(*args, ok=True):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        p = subprocess.run([cli] + list(args), capture_output=True, text=True, env=env)
        if ok and p.returncode != 0:
            print("docpipe %s failed:\n%s" % (" ".join(args), p.stderr))
            sys.exit(1)
        return p

    def write(name, text):
        path = os.path.join(work, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def pages(book):
        with zipfile.ZipFile(book) as z:
            return {n: z.read(n).decode("utf-8") for n in z.namelist()
                    if re.search(r"/(ch\d+|notes)\.xhtml$", n)}

    try:
        t3 = subprocess.run(["pandoc", "-D", "epub3"], capture_output=True, text=True)
        t2 = subprocess.run(["pandoc", "-D", "epub2"], capture_output=True, text=True)
    except FileNotFoundError:
        print("SKIP: pandoc is absent (pandoc -D epub3 gives the template)")
        return 77
    tpl3, tpl2 = write("pandoc.epub3", t3.stdout), write("pandoc.epub2", t2.stdout)

    # pandoc's templates on the speech: notes per chapter and in a notes file
    books3, books2 = [], []
    for notes in ("chapter", "book"):
        book = os.path.join(work, "speech-pandoc-%s.epub" % notes)
        docpipe(speech, "-o", book, "--template", tpl3, "-O", "split-level=2", "-O", "notes=" + notes)
        books3.append(book)
        got = pages(book)
        check(len(got) >= 2, "%s: %d content pages" % (book, len(got)))
        for name, text in got.items():
            check('<meta name="generator" content="pandoc"/>' in text, "%s: not the template's page" % name)
            check(re.search(r'<html [^>]*lang="en"', text) and 'xml:lang="en"' in text,
                  "%s: no lang and xml:lang on <html>" % name)
            check('href="css/docpipe.css"' in text, "%s: $css$ does not link the stylesheet" % name)
            check("docpipe-body" not in text, "%s: the body placeholder is left" % name)
        if notes == "book":
            check('epub:type="backmatter"' in got.get("EPUB/notes.xhtml", ""), "notes.xhtml: body-type")
            check('role="doc-endnotes"' in got.get("EPUB/notes.xhtml", ""), "notes.xhtml: no notes")
        else:
            check(any('role="doc-endnotes"' in t for t in got.values()), "chapter notes missing")
    book2 = os.path.join(work, "speech-pandoc-epub2.epub")
    docpipe(speech, "-t", "epub2", "-o", book2, "--template", tpl2, "-O", "split-level=2")
    books2.append(book2)
    check(all("XHTML 1.1" in t for t in pages(book2).values()), "EPUB 2 pages without the XHTML 1.1 doctype")

    # our own template, formatted metadata from pandoc's JSON
    md = write("formatted.md", FORMATTED)
    js = os.path.join(work, "formatted.pandoc.json")
    p = subprocess.run(["pandoc", md, "-t", "json", "-o", js], capture_output=True, text=True)
    check(p.returncode == 0, "pandoc -t json: " + p.stderr)
    own = write("own.xhtml", OWN)
    book = os.path.join(work, "formatted.epub")
    docpipe("-f", "pandoc-json", js, "-o", book, "--template", own)
    books3.append(book)
    text = "".join(pages(book).values())
    check('<p class="book-title">A <em>fine</em> title with <code>code</code> &amp; more</p>' in text,
          "formatted $title$ is not markup:\n" + text[:900])
    check('<p class="author">Ann <strong>Bold</strong></p>' in text, "formatted $author$ is not markup")
    check("<title>One</title>" in text, "$pagetitle$ is not the chapter's title")
    check(text.count('rel="stylesheet"') == len(pages(book)), "$for(css)$ did not give the stylesheet once a page")

    # the Arabic sample: the book's direction on every templated page
    arabic = os.path.join(os.environ.get("DOCPIPE_SHARED_DIR", os.path.join(src, "..", "shared")),
                          "samples", "epub", "regime-anticancer-arabic.epub")
    if os.path.exists(arabic):
        book = os.path.join(work, "arabic-pandoc.epub")
        docpipe(arabic, "-o", book, "--template", tpl3)
        books3.append(book)
        got = pages(book)
        check(got and all(re.search(r'<html [^>]*dir="rtl"', t) for t in got.values()),
              "Arabic pages through pandoc's template are not dir=rtl")
    else:
        print("note: %s absent: the right-to-left case is not run" % arabic)

    # errors: the template's line, and nothing written
    broken = write("broken.xhtml", BROKEN)
    out = os.path.join(work, "broken.epub")
    r = docpipe(md, "-o", out, "--template", broken, ok=False)
    check(r.returncode == 3 and re.search(r"broken\.xhtml:11\b.*not well-formed XHTML", r.stderr),
          "a broken template is not an input error at broken.xhtml:11: %s" % r.stderr)
    check(not os.path.exists(out), "a broken template left a book behind")
    for name, text, what in (("nobody.xhtml", OWN.replace("$body$", ""), "$body$ 0 times"),
                             ("attr.xhtml", OWN.replace('<header class="own-template">',
                                                        '<header class="$body$">'), "not well-formed")):
        r = docpipe(md, "-o", out, "--template", write(name, text), ok=False)
        check(r.returncode == 3 and name in r.stderr and what in r.stderr,
              "%s: not an input error saying %r: %s" % (name, what, r.stderr))
        check(not os.path.exists(out), "%s left a book behind" % name)

    # validators: one run per kind for all the books
    for kind, books in (("epub", books3 + books2), ("epub-ace", books3)):
        p = subprocess.run(["sh", validate, kind] + books, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sys.stdout.write(p.stdout.decode("utf-8", "replace"))
        if p.returncode == 77:
            print("SKIP: %s validator not installed" % kind)
            return 77
        check(p.returncode == 0, "%s rejects a templated book" % kind)
    seed = os.path.join(src, "tests", "common", "seed_words.py")
    for book in books3[:2] + books2:
        p = subprocess.run([sys.executable, seed, book, "--in-order"], capture_output=True, text=True)
        if p.returncode == 77:
            break
        check(p.returncode == 0, "%s loses seed words: %s" % (book, p.stdout[-400:]))
    print("%d books checked, %d failures" % (len(books3) + len(books2), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
