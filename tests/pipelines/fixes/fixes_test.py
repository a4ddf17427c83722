#!/usr/bin/env python3
"""Regression tests for the bugs of /work/team/bugs-*.md fixed by the "fixer"
(one case per bug where no hostile/fuzz test pins the exact behaviour).

    fixes_test.py --list
    fixes_test.py CASE CLI WORKDIR

Each case generates its inputs, runs the CLI and checks the exit code, the
messages and the output. stdlib only. Exit 0 pass, 1 fail.
"""
import json
import re
import os
import shutil
import subprocess
import sys
import time
import zipfile

CASES = {}


def case(fn):
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Env:
    def __init__(self, cli, work):
        self.cli, self.work = cli, work

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    def run(self, *args, timeout=60):
        t = time.monotonic()
        p = subprocess.run([self.cli] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        err = p.stderr.decode("utf-8", "replace")
        sys.stdout.write("$ docpipe %s -> exit %d in %.2fs\n%s" % (" ".join(args), p.returncode,
                                                                    time.monotonic() - t, err))
        return p.returncode, p.stdout, err


def read(p):
    with open(p, "rb") as f:
        return f.read()


# --- EPUB building (the reader only needs a package, a nav and chapters)

CONTAINER = ('<?xml version="1.0"?>\n<container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>\n')


def xhtml(body):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">'
            '<head><title>t</title></head><body>%s</body></html>\n' % body)


def opf(spine):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" '
            'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>T</dc:title><dc:language>en</dc:language>'
            '<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata><manifest>'
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            '<item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c2" href="ch2.xhtml" media-type="application/xhtml+xml"/>'
            '</manifest><spine>%s</spine></package>\n' % spine)


NAV = xhtml('<nav xmlns:epub="http://www.idpf.org/2007/ops" epub:type="toc"><ol><li>'
            '<a href="ch1.xhtml">1</a></li></ol></nav>')


def epub(path, files):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            z.writestr("META-INF/container.xml", CONTAINER)
            for name, data in files:
                z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


# --- cases -----------------------------------------------------------------

@case
def md_nul_bytes(env):
    """M1: NUL bytes are replaced by U+FFFD with a warning at their position; --strict refuses."""
    src = env.write("nul.md", b"# title\n\nok \x00 nul \x00 end\n")
    rc, _, err = env.run(src, "-o", env.path("nul.json"))
    check(rc == 0, "exit %d" % rc)
    check("nul.md:3:4: NUL byte: replaced by U+FFFD (2 bytes)" in err, "no NUL warning with position and count")
    text = read(env.path("nul.json"))
    check(b"\x00" not in text and "ok \ufffd nul \ufffd end".encode() in json.dumps(
        json.loads(text), ensure_ascii=False).encode(), "NUL not replaced by U+FFFD in the tree")
    rc, _, _ = env.run(src, "-o", env.path("nul.strict.json"), "--strict")
    check(rc == 7 and not os.path.exists(env.path("nul.strict.json")), "--strict accepted NUL bytes")


@case
def md_cmark_cut_character(env):
    """M3: valid input that cmark-gfm cuts inside a character (an unmatched footnote
    reference spanning lines) still gives a valid tree, with a warning."""
    src = env.write("cut.md", " t[^a\n\ufffd\ufffd\ufffd]".encode())
    rc, out, err = env.run(src, "-t", "json")
    check(rc == 0, "exit %d: the tree was refused" % rc)
    check("cmark-gfm cut a character" in err, "the cut is not reported")
    out.decode("utf-8")  # strict: raises on invalid UTF-8
    # and the fuzzer's invalid-input version: invalid bytes, NUL, the same cut
    src = env.write("cut2.md", b" t[^a\n\xbc\xbf\x00]")
    rc, out, err = env.run(src, "-t", "json")
    check(rc == 0 and "invalid UTF-8" in err and "NUL byte" in err, "exit %d or missing warnings" % rc)
    out.decode("utf-8")


@case
def md_front_matter_deep_flow(env):
    """M2: deep flow YAML in front matter is refused in linear time by the core's pre-scan
    (dp_yaml_flow_too_deep), naming the limit; shallow flow YAML still reads."""
    deep = 200000
    src = env.write("deep.md", "---\ntitle: " + "[" * deep + "]" * deep + "\n---\n\ntext\n")
    t = time.monotonic()
    rc, _, err = env.run(src, "-o", env.path("deep.json"), timeout=30)
    secs = time.monotonic() - t
    check(rc == 3 and "front matter nested deeper than the limit of 1000 (limit max-depth)" in err,
          "deep front matter not refused with the (default) limit named")
    check("deep.md:2:1008:" in err, "not the position of the bracket past the limit")
    check(secs < 5, "took %.1f s: not linear" % secs)
    rc, _, err = env.run(src, "-o", env.path("deep.json"), "--limit", "max-depth=10", timeout=30)
    check("limit of 10" in err, "the max-depth limit is not the one applied")
    src = env.write("ok.md", "---\ntitle: T\nkeywords: [[a, b], {c: [d]}]\n---\n\ntext\n")
    rc, out, err = env.run(src, "-t", "json")
    check(rc == 0 and b'"keywords"' in out, "shallow flow YAML refused")
    # and the config parser (the same function) still refuses deep configs
    cfg = env.write("deep.yaml", "jobs:\n  - input: ok.md\n    outputs: [o.html]\n    metadata: {x: " +
                    "[" * 1000 + "]" * 1000 + "}\n")
    rc, _, err = env.run("run", cfg)
    check(rc == 4 and "nested deeper than 256" in err, "deep config not refused")


@case
def epub_duplicate_entry(env):
    """E1: two archive entries with one name: reported, the first one read."""
    src = epub(env.path("dup.epub"), [("OEBPS/content.opf", opf('<itemref idref="c1"/>')),
                                      ("OEBPS/nav.xhtml", NAV),
                                      ("OEBPS/ch1.xhtml", xhtml("<p>first copy</p>")),
                                      ("OEBPS/ch1.xhtml", xhtml("<p>second copy</p>"))])
    rc, _, err = env.run(src, "-o", env.path("dup.json"))
    check(rc == 0, "exit %d" % rc)
    check(err.count("duplicate entry OEBPS/ch1.xhtml in the archive: the first one is read") == 1,
          "the duplicate is not reported once")
    out = read(env.path("dup.json"))
    check(b"first copy" in out and b"second copy" not in out, "not the first copy that was read")
    rc, _, _ = env.run(src, "-o", env.path("dup.strict.json"), "--strict")
    check(rc == 7, "--strict accepted the duplicate")


@case
def epub_spine_repeats(env):
    """E2: an item listed many times in the spine: read once, one warning with the count."""
    spine = '<itemref idref="c1"/>' * 1000 + '<itemref idref="c2"/>' + '<itemref idref="c1"/>' * 5
    src = epub(env.path("rep.epub"), [("OEBPS/content.opf", opf(spine)), ("OEBPS/nav.xhtml", NAV),
                                      ("OEBPS/ch1.xhtml", xhtml("<p>chapter one</p>")),
                                      ("OEBPS/ch2.xhtml", xhtml("<p>chapter two</p>"))])
    rc, _, err = env.run(src, "-o", env.path("rep.json"))
    check(rc == 0, "exit %d" % rc)
    lines = [l for l in err.splitlines() if "spine lists" in l]
    check(len(lines) == 1 and "spine lists OEBPS/ch1.xhtml 1005 times: read once" in lines[0],
          "expected one warning with the count, got %d" % len(lines))
    out = read(env.path("rep.json")).decode()
    check(out.count("chapter one") == 1 and out.count("chapter two") == 1, "chapters not read once each")


@case
def epub_writer_control_chars(env):
    """E3: a control character in the title/headings: every package file stays XML."""
    src = env.write("c.md", b"---\ntitle: \"T\\x02itle\"\n---\n\n# A\x01B\n\ntext\n")
    rc, _, err = env.run(src, "-o", env.path("c.epub"))
    check(rc == 0, "export failed: exit %d" % rc)
    check("package.opf:" in err and "not allowed in XML" in err, "the removal is not reported")
    with zipfile.ZipFile(env.path("c.epub")) as z:
        for n in z.namelist():
            data = z.read(n)
            if n.endswith((".opf", ".xhtml", ".ncx", ".xml", ".svg")):
                bad = [c for c in data if c < 0x20 and c not in (9, 10, 13)]
                check(not bad, "%s holds control characters" % n)
    rc, _, err = env.run(env.path("c.epub"), "-o", env.path("c.json"))
    check(rc == 0, "the EPUB does not read back: exit %d" % rc)
    check(b"AB" in read(env.path("c.json")), "the heading text around the control character was lost")


@case
def epub_writer_c1_controls(env):
    """Issue 17: a C1 control (U+0097, windows-1252's em dash) and a noncharacter in the text: HTML forbids
    them in content documents too; read as windows-1252 / removed, reported once with where."""
    src = env.write("c1.md", "---\ntitle: T\nlang: en\n---\n\n# H\n\nSTORIES\u0097MODERN c\ufdd0d\n".encode())
    rc, _, err = env.run(src, "-o", env.path("c1.epub"))
    check(rc == 0, "export failed: exit %d" % rc)
    warns = [l for l in err.splitlines() if "not allowed in HTML" in l]
    check(len(warns) == 1 and "U+0097" in warns[0] and "STORIES" in warns[0], "not reported once with where: %r" % warns)
    with zipfile.ZipFile(env.path("c1.epub")) as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    check("\u0097" not in text and "\ufdd0" not in text, "a forbidden character reached a content document")
    check("STORIES\u2014MODERN" in text and "cd" in text, "the text around them is not kept")


@case
def epub_ncx_repeated_pages(env):
    """Issue 17: a source numbering two pages alike (TEI <pb n="2"/> twice): the NCX pageTarget values stay
    unique (EPUBCheck RSC-005 "combination of value and type is not unique"), both pages stay, said once."""
    tei = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
           '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'
           '<text><body><p>a <pb n="1"/> b <pb n="2"/> c <pb n="2"/> d <pb n="3"/> e</p></body></text></TEI>\n')
    src = env.write("pages.xml", tei.encode())
    rc, _, err = env.run(src, "-o", env.path("pages.epub"))
    check(rc == 0, "export failed: exit %d" % rc)
    with zipfile.ZipFile(env.path("pages.epub")) as z:
        ncx = next(z.read(n).decode() for n in z.namelist() if n.endswith(".ncx"))
    values = re.findall(r'<pageTarget[^>]*\bvalue="([^"]*)"', ncx)
    check(len(values) == len(set(values)), "pageTarget values repeat: %r" % values)
    check(ncx.count("<pageTarget") == 4, "a page target was lost: %d" % ncx.count("<pageTarget"))
    warns = [l for l in err.splitlines() if "page number" in l and "repeat" in l]
    check(len(warns) == 1 and '"2"' in warns[0], "not reported once: %r" % warns)


@case
def tei_writer_control_chars(env):
    """T2: a control character in a link URL: the TEI attribute drops it, the file reads back."""
    src = env.write("m.md", b"# T\n\n[link](http://a\x19b)\n")
    rc, _, err = env.run(src, "-o", env.path("m.tei.xml"))
    check(rc == 0, "exit %d" % rc)
    check("target attribute of <ref>" in err, "the removal is not reported with its place")
    check(b"\x19" not in read(env.path("m.tei.xml")), "control character written")
    rc, _, _ = env.run(env.path("m.tei.xml"), "-o", env.path("back.json"))
    check(rc == 0, "the TEI does not read back: exit %d" % rc)
    check(b"http://ab" in read(env.path("back.json")), "the URL around the control character was lost")


@case
def tei_entity_limit_message(env):
    """T1: the entity-expansion error names the option to raise."""
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE TEI [ <!ENTITY e "%s"> ]>\n'
           '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
           '</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>'
           '</fileDesc></teiHeader><text><body><p>%s</p></body></text></TEI>\n' % ("y" * 1000, "&e;" * 200))
    src = env.write("ent.tei.xml", doc)
    rc, _, err = env.run(src, "-o", env.path("ent.json"), "--limit", "max-entity-expansion=100000")
    check(rc != 0, "over the limit but accepted")
    check("exceeds the limit of 100000 bytes (max-entity-expansion)" in err, "the option is not named")


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(sorted(CASES)))
        return 0
    if len(argv) != 4 or argv[1] not in CASES:
        sys.stderr.write(__doc__)
        return 2
    name, cli, work = argv[1], argv[2], os.path.join(argv[3], argv[1])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        CASES[name](Env(cli, work))
    except Failure as e:
        print("FAIL %s: %s" % (name, e))
        return 1
    print("PASS %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
