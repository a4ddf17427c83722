#!/usr/bin/env python3
"""Safe HTML output, checked in a real browser (issue 16).

    browser_safe.py CLI WORKDIR

One Markdown file with every script vector we know of (raw <script>, on*
handlers, javascript: links and images, <img src="javascript:...">, <svg
onload>, SVG <animate> setting href to a javascript: URL, CSS url() with
javascript:, an entity-encoded scheme, srcdoc, form action, object data,
MathML xlink:href), one EPUB chapter (<svg onload>, handlers, javascript:
links) and one TEI file (<ref target="javascript:...">, <graphic url=...>)
are converted with the default settings (safe) and opened in headless
Chromium. The test harness, not the document, puts a hook at the top of
each page: alert/confirm/prompt are recorded; after the load event every
element gets click, mouseover and focus events; 1.5 s later (animations
have run) every attribute named on* or holding a javascript:/vbscript:
URL, every animated SVG href and every computed CSS background with a
javascript: URL is recorded too. The record is written into the DOM,
which --dump-dom returns. Safe output must record nothing and keep the
ordinary text. To show the test can fail, the same inputs converted with
--unsafe must be caught. The EPUB output is checked the same way without
a browser (its XHTML is XML; the attributes are scanned).

Exit 77 when Chromium is absent, unless CI=true (then a failure).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import headless  # noqa: E402

VECTORS_MD = """# Vectors

<script>alert('V-script')</script>

<p onclick="alert('V-onclick')" onmouseover="alert('V-onmouseover')">para</p>

[md link](javascript:alert('V-mdlink')) and <a href=" java&#9;script:alert('V-tab')">tab</a>

![md image](javascript:alert('V-mdimg'))

<img src="javascript:alert('V-imgsrc')" alt="i"> <img src="missing-x.png" onerror="alert('V-onerror')" alt="e">

<svg onload="alert('V-svgonload')" width="60" height="30"><a><animate attributeName="href" values="javascript:alert('V-animate')" begin="0s" fill="freeze"/><text x="5" y="20">svg</text></a></svg>

<div style="background:url(javascript:alert('V-style'))">styled</div>

<a href="&#106;avascript:alert('V-entity')">entity</a> <a href="vbscript:msgbox('V-vb')">vb</a>

<iframe srcdoc="&lt;script&gt;parent.alert('V-srcdoc')&lt;/script&gt;"></iframe>

<form action="javascript:alert('V-form')"><button formaction="javascript:alert('V-formaction')">go</button></form>

<object data="javascript:alert('V-object')"></object> <embed src="javascript:alert('V-embed')">

<details open ontoggle="alert('V-ontoggle')"><summary>s</summary>d</details>

kept words
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">
<head><title>c</title></head><body>
<h1>Chapter</h1>
<p onclick="alert('V-epub-onclick')">para <a href="javascript:alert('V-epub-link')">link</a></p>
<svg xmlns="http://www.w3.org/2000/svg" onload="alert('V-epub-svg')" width="40" height="20"><rect width="10" height="10"/></svg>
<p><img src="javascript:alert('V-epub-img')" alt="i"/> kept words</p>
</body></html>
"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:1</dc:identifier>
<dc:title>T</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml" properties="svg"/></manifest>
<spine><itemref idref="c1"/></spine></package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>n</title></head>
<body><nav epub:type="toc"><ol><li><a href="ch1.xhtml">1</a></li></ol></nav></body></html>
"""

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
"""

TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>A <ref target="javascript:alert('V-tei-ref')">ref</ref> and
<ref target=" JavaScript:alert('V-tei-ref2')">ref2</ref>.</p>
<figure><graphic url="javascript:alert('V-tei-graphic')"/></figure><p>kept words</p></body></text></TEI>
"""

# Runs before anything in the page (first child of <head>). Written without
# the characters "javascript:" so that its own text never matches.
HOOK = """<script>(function () {
  var rec = [];
  function r(m) { rec.push(String(m)); }
  window.alert = r; window.confirm = r; window.prompt = r;
  var bad = /^(java|vb)script:/;
  function url(v) { return v.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase(); }
  // ordinary links must not take the page away before the record is
  // written; script URLs are left to run
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a, area, form, button') : null;
    var h = a && (a.getAttribute('href') || a.getAttribute('action') || a.getAttribute('formaction') || '');
    if (a && !bad.test(url(h))) e.preventDefault();
  }, true);
  window.addEventListener('load', function () {
    document.querySelectorAll('body *').forEach(function (el) {
      ['click', 'mouseover', 'focus'].forEach(function (t) {
        try { el.dispatchEvent(new MouseEvent(t, {bubbles: true, cancelable: true})); } catch (e) {}
      });
    });
    setTimeout(function () {
      document.querySelectorAll('body *').forEach(function (el) {
        for (var i = 0; i < el.attributes.length; i++) {
          var a = el.attributes[i];
          if (/^on/i.test(a.name)) r('handler ' + a.name + ' on ' + el.localName);
          if (bad.test(url(a.value)) || url(a.value).indexOf('script:') >= 0) r('script url in ' + a.name + ' of ' + el.localName);
        }
        if (el.href && el.href.animVal !== undefined && bad.test(url(el.href.animVal))) r('animated href');
        var bg = getComputedStyle(el).backgroundImage || '';
        if (bg.toLowerCase().indexOf('script:') >= 0) r('css url');
      });
      document.documentElement.setAttribute('data-xss-record', JSON.stringify(rec));
    }, 1500);
  });
})();</script>"""


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)
    return p


def convert(cli, src, out, unsafe):
    args = [cli, src, "-o", out] + (["--unsafe"] if unsafe else [])
    p = run(args)
    check(p.returncode == 0, "%s failed (exit %d): %s" % (" ".join(args), p.returncode, p.stderr[-800:]))
    if not unsafe:
        check("safe:" in p.stderr, "safe removals are not reported: %s" % p.stderr[-400:])
    return out


def with_hook(page, work):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<head[^>]*>", text)
    check(m is not None, "%s has no <head>" % page)
    hooked = text[:m.end()] + HOOK + text[m.end():]
    out = os.path.join(work, "hooked-" + os.path.basename(page))
    with open(out, "w", encoding="utf-8") as f:
        f.write(hooked)
    return out


def browse(page, work):
    """The calls recorded by the hook in page (a list), from the DOM."""
    p = headless.chromium(["--virtual-time-budget=5000", "--dump-dom", "file://" + os.path.abspath(page)], work)
    m = re.search(r'data-xss-record="([^"]*)"', p.stdout)
    check(m is not None, "the hook left no record in %s (exit %d; did the page load?): %s"
          % (page, p.returncode, (p.stderr or p.stdout)[-600:]))
    return json.loads(html.unescape(m.group(1))), p.stdout


def scan_epub(path):
    """(part, what) for every on* attribute or script URL in an EPUB's XHTML."""
    found = []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if not n.endswith((".xhtml", ".html", ".svg")):
                continue
            text = z.read(n).decode("utf-8", "replace")
            for m in re.finditer(r'\s(on[a-z]+)\s*=', text):
                found.append((n, "handler " + m.group(1)))
            for m in re.finditer(r'=\s*"([^"]*)"', text):
                v = re.sub(r"[\s\x00-\x1f]", "", html.unescape(m.group(1))).lower()
                if "script:" in v:
                    found.append((n, "script url " + m.group(1)[:40]))
            if "<script" in text:
                found.append((n, "script element"))
    return found


def inputs(work):
    md = os.path.join(work, "vectors.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write(VECTORS_MD)
    ep = os.path.join(work, "vectors.epub")
    with zipfile.ZipFile(ep, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/content.opf", OPF)
        z.writestr("OEBPS/nav.xhtml", NAV)
        z.writestr("OEBPS/ch1.xhtml", CHAPTER)
    tei = os.path.join(work, "vectors.tei.xml")
    with open(tei, "w", encoding="utf-8") as f:
        f.write(TEI)
    return [("md", md), ("epub", ep), ("tei", tei)]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    cli, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    status = headless.missing_status()
    if status is not None:
        return status
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        for name, src in inputs(work):
            # default (safe) output: nothing may run, the text stays
            page = convert(cli, src, os.path.join(work, name + "-safe.html"), unsafe=False)
            rec, dom = browse(with_hook(page, work), work)
            print("%s, safe: %d call(s) recorded %s" % (name, len(rec), rec))
            check(rec == [], "%s: script ran or survives in safe output: %s" % (name, rec))
            check("kept words" in dom, "%s: safe output lost the ordinary text" % name)
            book = convert(cli, src, os.path.join(work, name + "-safe.epub"), unsafe=False)
            found = scan_epub(book)
            check(not found, "%s: script-capable content in the safe EPUB: %s" % (name, found[:5]))
            # the same with --unsafe: the hook must see it (the test can fail)
            page = convert(cli, src, os.path.join(work, name + "-unsafe.html"), unsafe=True)
            rec, _ = browse(with_hook(page, work), work)
            print("%s, --unsafe: %d call(s) recorded %s" % (name, len(rec), rec))
            check(rec, "%s: the hook saw nothing in --unsafe output: it cannot see a vector" % name)
            if name == "md":
                # the animated href is recorded when the animation clock has
                # run (not always under load): its values attribute always is
                for v in ("V-script", "V-onerror", "V-svgonload", "V-onclick", "script url in style",
                          "script url in values of animate", "script url in src of img"):
                    check(any(v in c for c in rec), "the hook missed %r in --unsafe output" % v)
            check(scan_epub(convert(cli, src, os.path.join(work, name + "-unsafe.epub"), unsafe=True)),
                  "%s: the EPUB scan saw nothing in --unsafe output" % name)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL: timeout: %s" % e)
        return 1
    print("ok browser-safe-output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
