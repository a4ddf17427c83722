#!/usr/bin/env python3
"""Write small known-good and known-bad files for the validator self-tests.

Usage: make_fixtures.py OUTDIR

The files are generated rather than committed so that the EPUBs (zip files)
stay reviewable as text. Each "bad" file breaks exactly one rule that the
validator in question must catch; each "good" file is the smallest document
that the validator accepts, so a validator that rejects everything is caught
as well as one that accepts everything.
"""
import os
import sys
import zipfile

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


def package_opf(with_a11y=True, with_title=True):
    title = "<dc:title>Validator fixture</dc:title>" if with_title else ""
    a11y = ""
    if with_a11y:
        a11y = """
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">A one-chapter text with a table of contents.</meta>
    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>
    <meta property="a11y:certifiedBy">docpipe tests</meta>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"
         xml:lang="en" prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:0b6b1f9e-3c1a-4e55-9d7e-2f0c2a8c1d01</dc:identifier>
    {title}
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>{a11y}
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine>
    <itemref idref="c1"/>
  </spine>
</package>
"""


NAV = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="en" xml:lang="en">
<head><title>Contents</title></head>
<body>
<nav epub:type="toc" role="doc-toc" id="toc"><h1>Contents</h1>
<ol><li><a href="c1.xhtml">Chapter one</a></li></ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2>
<ol><li><a epub:type="bodymatter" href="c1.xhtml">Start</a></li></ol>
</nav>
</body>
</html>
"""


def chapter(body):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="en" xml:lang="en">
<head><title>Chapter one</title></head>
<body>
<section epub:type="bodymatter chapter" role="doc-chapter" aria-labelledby="h1">
<h1 id="h1">Chapter one</h1>
{body}
</section>
</body>
</html>
"""


GOOD_BODY = "<p>A paragraph of text.</p>"
# A link with no accessible name (and, through package_opf(with_a11y=False),
# no accessibility metadata): valid EPUB, but Ace must report violations.
ACE_BAD_BODY = '<p>A paragraph with an empty link: <a href="c1.xhtml"></a></p>'


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def write_epub(path, opf, chapter_xhtml, extra=None):
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("mimetype", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, "application/epub+zip")
        for name, data in (("META-INF/container.xml", CONTAINER),
                           ("OEBPS/package.opf", opf),
                           ("OEBPS/nav.xhtml", NAV),
                           ("OEBPS/c1.xhtml", chapter_xhtml),
                           *sorted((extra or {}).items())):
            zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


GOOD_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Validator fixture</title>
</head>
<body>
<main><h1>Validator fixture</h1><p>A paragraph of text.</p></main>
</body>
</html>
"""

# No <title>, a self-closed void element (a vnu info message, an error with
# --Werror) and a stray end tag.
BAD_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"></head>
<body><p>Text<br/></span></p></body>
</html>
"""

GOOD_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Validator fixture</title></titleStmt>
      <publicationStmt><p>Unpublished test file.</p></publicationStmt>
      <sourceDesc><p>Written for docpipe's tests.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div><head>One</head><p>A paragraph of text.</p></div>
    </body>
  </text>
</TEI>
"""

# <p> directly inside <TEI> and no teiHeader: invalid under every TEI schema.
BAD_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <text><body><div><paragraph>Not TEI.</paragraph></div></body></text>
</TEI>
"""


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: make_fixtures.py OUTDIR\n")
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_epub(os.path.join(out, "good.epub"), package_opf(), chapter(GOOD_BODY))
    # No dc:title: a package-document error for every EPUB checker.
    write_epub(os.path.join(out, "bad.epub"), package_opf(with_title=False),
               chapter(GOOD_BODY))
    # A file in the container that the manifest does not list: EPUBCheck 4.2.6
    # reports it as a WARNING (OPF-003) and still exits 0, which is exactly
    # what validate.sh must not let through.
    write_epub(os.path.join(out, "warn.epub"), package_opf(), chapter(GOOD_BODY),
               extra={"OEBPS/unlisted.txt": "not in the manifest\n"})
    # Structurally valid EPUB with accessibility violations only Ace sees.
    write_epub(os.path.join(out, "bad-a11y.epub"), package_opf(with_a11y=False),
               chapter(ACE_BAD_BODY))
    for name, text in (("good.html", GOOD_HTML), ("bad.html", BAD_HTML),
                       ("good.tei.xml", GOOD_TEI), ("bad.tei.xml", BAD_TEI)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
