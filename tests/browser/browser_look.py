#!/usr/bin/env python3
"""What docpipe writes, opened in a real browser (issue 20; issue 19's math).

    browser_look.py CLI SOURCE_DIR WORKDIR CASE

CASE is one of:
  speech-html    the speech as standalone HTML: the default stylesheet is
                 applied (computed body max-width set, body font not the
                 browser's default, measured on a blank page in the same
                 browser), every note link jumps to its note and the note's
                 back link jumps back (the :target after each click)
  speech-epub    the speech as EPUB 3, each chapter opened as XHTML: the
                 EPUB stylesheet is loaded and applied (h1 at 1.6em, not the
                 browser's 2em), the notes both ways, images load
  arabic-epub    ../shared/samples/epub/regime-anticancer-arabic.epub to
                 EPUB: stylesheet, notes, every image loads
  arabic-dir     the same sample to EPUB and to HTML: the computed direction
                 of the pages is rtl (writing direction is helper `dir`'s
                 part of issue 20)
  math-html      tests/math/corpus.md as HTML: every <math> is laid out as
                 math (computed display "math"/"block math") and every
                 fraction has its numerator above its denominator
  template-html  the speech through pandoc's own html5 template
                 (pandoc -D html5): stylesheet and notes as in speech-html

Each page gets, from this harness, a script at the top of its <head> that
does the checks after the load event and writes a JSON record into the DOM,
which chromium's --dump-dom returns. A screenshot of each page is saved in
WORKDIR (the test artefacts). Exit 77 when Chromium is absent (unless
CI=true), or when ../shared is absent for the Arabic cases.
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
from headless import chromium  # noqa: E402

# Written without "<", "&" so that it is well-formed inside XHTML too (CDATA).
HOOK = r"""<script>//<![CDATA[
(function () {
  var rec = {notes: [], images: [], math: [], errors: []};
  function tick(ms) { return new Promise(function (r) { setTimeout(r, ms || 30); }); }
  function frag(a) {
    var h = a.getAttribute('href') || '';
    var i = h.indexOf('#');
    return i >= 0 ? decodeURIComponent(h.slice(i + 1)) : null;
  }
  function sameFile(a) {
    var h = a.getAttribute('href') || '';
    return h.charAt(0) === '#';
  }
  function target() { return document.querySelector(':target'); }
  async function run() {
    var b = document.body, cs = getComputedStyle(b);
    rec.maxWidth = cs.maxWidth;
    rec.fontFamily = cs.fontFamily;
    rec.direction = getComputedStyle(document.documentElement).direction;
    rec.bodyDirection = cs.direction;
    rec.sheets = Array.prototype.map.call(document.styleSheets, function (s) {
      var n = 0; try { n = s.cssRules.length; } catch (e) {}
      return {href: s.href, rules: n};
    });
    var h1 = document.querySelector('h1');
    if (h1) rec.h1Ratio = parseFloat(getComputedStyle(h1).fontSize) / parseFloat(cs.fontSize);
    var refs = document.querySelectorAll('a[role~="doc-noteref"], a.footnote-ref');
    for (var i = 0; i !== refs.length; i++) {
      var a = refs[i], id = frag(a), n = {ref: a.id, to: id, label: a.textContent};
      rec.notes.push(n);
      if (!sameFile(a)) { n.crossFile = a.getAttribute('href'); continue; }
      a.click(); await tick();
      var t = target();
      n.landed = t ? t.id : null;
      var note = document.getElementById(id);
      var back = note ? note.querySelector('a[role~="doc-backlink"], a.footnote-back') : null;
      n.backText = back ? back.textContent : null;
      n.backName = back ? back.getAttribute('aria-label') : null;
      n.refName = a.getAttribute('aria-label');
      if (back) {
        back.click(); await tick();
        t = target();
        n.back = t ? t.id : null;
      }
    }
    document.querySelectorAll('img').forEach(function (im) {
      rec.images.push({src: im.getAttribute('src'), ok: im.complete && im.naturalWidth > 0});
    });
    var maths = document.getElementsByTagNameNS('http://www.w3.org/1998/Math/MathML', 'math');
    for (var m = 0; m !== maths.length; m++) {
      var el = maths[m], r = {display: getComputedStyle(el).display, fracs: 0, stacked: 0};
      var fr = el.getElementsByTagNameNS('http://www.w3.org/1998/Math/MathML', 'mfrac');
      for (var k = 0; k !== fr.length; k++) {
        var num = fr[k].children[0], den = fr[k].children[1];
        if (!num || !den) continue;
        r.fracs++;
        if (num.getBoundingClientRect().bottom - 1 <= den.getBoundingClientRect().top) r.stacked++;
      }
      rec.math.push(r);
    }
    document.documentElement.setAttribute('data-look', JSON.stringify(rec));
  }
  window.addEventListener('load', function () {
    setTimeout(function () { run().catch(function (e) {
      rec.errors.push(String(e));
      document.documentElement.setAttribute('data-look', JSON.stringify(rec));
    }); }, 300);
  });
})();
//]]></script>"""


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, timeout=300):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def convert(cli, src, out, *extra):
    args = [cli, src, "-o", out] + list(extra)
    p = run(args)
    check(p.returncode == 0, "%s failed (exit %d): %s" % (" ".join(args), p.returncode, p.stderr[-800:]))
    return out


def hook_in_place(page):
    """Puts the hook first in <head> of page itself (a link back to
    "this-file.xhtml#id" must stay in the hooked document), keeping the
    page as it was in a copy for the screenshot. Returns the copy."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<head[^>]*>", text)
    check(m is not None, "%s has no <head>" % page)
    base, ext = os.path.splitext(page)
    plain = base + ".plain" + ext
    shutil.copyfile(page, plain)
    with open(page, "w", encoding="utf-8") as f:
        f.write(text[:m.end()] + HOOK + text[m.end():])
    return plain


def look(page, work, shot=True):
    """The hook's record for page, and its screenshot (WORKDIR/NAME.png)."""
    plain = hook_in_place(page)
    p = chromium(["--virtual-time-budget=10000", "--dump-dom", "file://" + os.path.abspath(page)], work)
    m = re.search(r'data-look="([^"]*)"', p.stdout)
    check(m is not None, "the hook left no record in %s (exit %d; did the page load?): %s"
          % (page, p.returncode, (p.stderr or p.stdout)[-600:]))
    rec = json.loads(html.unescape(m.group(1)))
    check(not rec["errors"], "%s: the check script failed: %s" % (page, rec["errors"]))
    if shot:
        png = os.path.join(work, os.path.basename(page).replace(".", "-") + ".png")
        chromium(["--window-size=1100,1400", "--screenshot=" + png, "file://" + os.path.abspath(plain)], work)
        check(os.path.getsize(png) > 1000 if os.path.exists(png) else False, "no screenshot of %s" % page)
        print("screenshot: %s" % png)
    return rec


def ua_default_font(work):
    blank = os.path.join(work, "blank.html")
    with open(blank, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>b</title></head>"
                "<body><h1>h</h1><p>p</p></body></html>")
    return look(blank, work, shot=False)


def check_notes(name, rec, expect):
    notes = rec["notes"]
    check(len(notes) >= expect, "%s: %d note references, expected %d" % (name, len(notes), expect))
    for n in notes:
        if n.get("crossFile"):
            continue
        check(n["landed"] == n["to"], "%s: note link %s (#%s) landed on %r" % (name, n["ref"], n["to"], n["landed"]))
        check(n["backText"] == "\u21a9\ufe0e", "%s: note %s has no \u21a9\ufe0e back link (%r)" % (name, n["to"], n["backText"]))
        check(n["backName"] and n["refName"], "%s: note %s: a link without an accessible name" % (name, n["to"]))
        check(n["back"] == n["ref"], "%s: back link of %s landed on %r, not %s" % (name, n["to"], n["back"], n["ref"]))
    same = [n for n in notes if not n.get("crossFile")]
    print("%s: %d note links jump to their notes and back" % (name, len(same)))
    return len(same)


def check_images(name, rec):
    bad = [i["src"] for i in rec["images"] if not i["ok"]]
    check(not bad, "%s: broken images: %s" % (name, bad[:5]))
    return len(rec["images"])


def epub_pages(book, work):
    """The XHTML pages of an EPUB (extracted into WORKDIR), in zip order."""
    out = os.path.join(work, os.path.splitext(os.path.basename(book))[0])
    shutil.rmtree(out, ignore_errors=True)
    with zipfile.ZipFile(book) as z:
        z.extractall(out)
        names = [n for n in z.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")]
    return [os.path.join(out, n) for n in names]


def case_html(cli, src, work, page, notes_expected):
    blank = ua_default_font(work)
    rec = look(page, work)
    check(rec["maxWidth"] not in ("none", ""), "body max-width is not set: %r" % rec["maxWidth"])
    check(rec["fontFamily"] != blank["fontFamily"],
          "body font is the browser's default (%r)" % rec["fontFamily"])
    print("body max-width %s, font-family %s (browser default %s)" % (rec["maxWidth"], rec["fontFamily"],
                                                                        blank["fontFamily"]))
    check_notes(os.path.basename(page), rec, notes_expected)
    check_images(os.path.basename(page), rec)


def case_epub(cli, book, work, notes_expected, images_expected, own_sheets_only=True):
    blank = ua_default_font(work)
    notes = images = styled = 0
    for page in epub_pages(book, work):
        rec = look(page, work)
        name = os.path.relpath(page, work)
        sheets = [s for s in rec["sheets"] if s["href"] and s["href"].endswith("docpipe.css")]
        check(sheets and sheets[0]["rules"] > 20, "%s: the stylesheet is not loaded: %s" % (name, rec["sheets"]))
        # the h1 rule shows the sheet applies, where no stylesheet of the
        # source's own (linked after ours) decides the size
        if rec.get("h1Ratio") is not None and len(rec["sheets"]) == 1 and "title" not in name:
            check(abs(rec["h1Ratio"] - 1.6) < 0.05, "%s: h1 is %.2fem, not the stylesheet's 1.6em"
                  % (name, rec["h1Ratio"]))
            styled += 1
        check(rec["maxWidth"] == blank["maxWidth"], "%s: the EPUB sheet sets the page width (%s): the reading "
              "system owns it" % (name, rec["maxWidth"]))
        notes += check_notes(name, rec, 0)
        images += check_images(name, rec)
    check(styled > 0 or not own_sheets_only, "no page of %s has a styled h1" % book)
    check(notes >= notes_expected, "%s: %d working note links, expected %d" % (book, notes, notes_expected))
    check(images >= images_expected, "%s: %d images loaded, expected %d" % (book, images, images_expected))
    print("%s: %d images load, %d note links work" % (os.path.basename(book), images, notes))


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    cli, src, work, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]), sys.argv[4]
    status = headless.missing_status()
    if status is not None:
        return status
    shared = os.environ.get("DOCPIPE_SHARED_DIR") or os.path.join(src, "..", "shared")
    arabic = os.path.join(shared, "samples", "epub", "regime-anticancer-arabic.epub")
    if case.startswith("arabic") and not os.path.exists(arabic):
        print("SKIP: %s is absent (../shared)" % arabic)
        return 77
    work = os.path.join(work, case)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    speech = os.path.join(src, "samples", "speech.md")
    try:
        if case == "speech-html":
            case_html(cli, src, work, convert(cli, speech, os.path.join(work, "speech.html")), 6)
        elif case == "template-html":
            p = run(["pandoc", "-D", "html5"])
            if p.returncode != 0:
                print("SKIP: pandoc is absent (pandoc -D html5 gives the template)")
                return 77
            tpl = os.path.join(work, "pandoc.html5")
            with open(tpl, "w", encoding="utf-8") as f:
                f.write(p.stdout)
            case_html(cli, src, work, convert(cli, speech, os.path.join(work, "speech-template.html"),
                                              "--template", tpl), 6)
        elif case == "speech-epub":
            case_epub(cli, convert(cli, speech, os.path.join(work, "speech.epub")), work, 6, 0)
        elif case == "arabic-epub":
            case_epub(cli, convert(cli, arabic, os.path.join(work, "arabic.epub")), work, 0, 2, own_sheets_only=False)
        elif case == "arabic-dir":
            pages = [convert(cli, arabic, os.path.join(work, "arabic.html"))]
            pages += [p for p in epub_pages(convert(cli, arabic, os.path.join(work, "arabic.epub")), work)
                      if "cover" not in p]
            for page in pages:
                rec = look(page, work)
                check(rec["direction"] == "rtl" and rec["bodyDirection"] == "rtl",
                      "%s: computed direction is %s (html) / %s (body), not rtl"
                      % (os.path.relpath(page, work), rec["direction"], rec["bodyDirection"]))
            print("%d Arabic pages laid out right to left" % len(pages))
        elif case == "math-html":
            rec = look(convert(cli, os.path.join(src, "tests", "math", "corpus.md"),
                               os.path.join(work, "math.html")), work)
            maths = rec["math"]
            check(len(maths) >= 10, "only %d <math> elements in the page" % len(maths))
            flat = [m["display"] for m in maths if "math" not in m["display"]]
            check(not flat, "%d formulas not laid out as math (display %s)" % (len(flat), flat[:3]))
            fracs = sum(m["fracs"] for m in maths)
            stacked = sum(m["stacked"] for m in maths)
            check(fracs > 0 and stacked == fracs, "%d of %d fractions stacked" % (stacked, fracs))
            print("%d formulas rendered as math, %d fractions stacked" % (len(maths), fracs))
        else:
            print("unknown case %s" % case)
            return 2
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL: timeout: %s" % e)
        return 1
    print("ok browser-look %s" % case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
