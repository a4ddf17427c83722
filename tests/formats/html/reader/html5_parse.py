#!/usr/bin/env python3
"""The HTML reader parses text/html as browsers do (WHATWG, gumbo) and keeps links (issue 17).

Usage: html5_parse.py DOCPIPE CASE
Cases:
  entities     "AT&T" is text, with no parser message (libxml2 said "htmlParseEntityRef: expecting ';'")
  misnested    <b>1<i>2</b>3</i>: the adoption agency's tree, as browsers build it
  implied      implied end tags: <li>a<li>b, <p> closed by <div>, a table without tbody (a guard:
               libxml2's HTML 4 parser built these too)
  foreign      svg keeps its camelCase names and namespace, math is MathML
  links        href="" stays as written (md -> epub -> md), not "#<document id>"
Exit 0 pass, 1 fail.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "common"))
from named_cases import expect, main  # noqa: E402


def run(cli, *args, data=None):
    p = subprocess.run([cli] + list(args), input=data.encode() if data is not None else None, capture_output=True)
    if p.returncode != 0:
        raise AssertionError("docpipe %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout.decode(), p.stderr.decode()


def html_to_html(cli, page):
    # --unsafe: these cases test the tree the reader builds; what the HTML
    # writer's safe mode removes (foreignObject) is tested in tests/hostile
    return run(cli, "-f", "html", "-t", "html", "-O", "fragment=true", "--unsafe", data=page)



def case_entities(cli):
    out, err = html_to_html(cli, "<!DOCTYPE html><title>t</title><p>AT&T &copy; 2024 &amp; R&D</p>")
    expect(out, r"<p>AT&amp;T © 2024 &amp; R&amp;D</p>", "text of the paragraph")
    if "warning" in err or "htmlParse" in err or "error" in err:
        raise AssertionError("parser messages for valid HTML5:\n" + err)


def case_misnested(cli):
    out, _ = html_to_html(cli, "<p><b>1<i>2</b>3</i></p>")
    expect(out, r"<p><strong>1<em>2</em></strong><em>3</em></p>", "misnested formatting")


def case_implied(cli):
    out, _ = html_to_html(cli, "<ul><li>a<li>b</ul><p>x<div>y</div><table><tr><td>c</table>")
    expect(out, r"<li>a</li>\s*<li>b</li>", "two list items")
    expect(out, r"<p>x</p>", "paragraph closed by <div>")
    expect(out, r"<tbody>\s*<tr>\s*<td>c</td>", "implied tbody")


def case_foreign(cli):
    out, _ = html_to_html(cli, '<p>x <svg viewBox="0 0 2 2"><foreignObject width="1"/><clipPath/></svg></p>'
                               "<p><math><mi>y</mi></math></p>")
    expect(out, r'<svg[^>]*viewBox="0 0 2 2"', "svg attribute case")
    expect(out, r"<foreignObject", "svg element case")
    expect(out, r'<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>y</mi></math>', "MathML")


def case_links(cli):
    with tempfile.TemporaryDirectory() as tmp:
        md = os.path.join(tmp, "l.md")
        with open(md, "w") as f:
            f.write("---\ntitle: L\nlanguage: en\n---\n\n[self]() and [next](other.xhtml)\n")
        epub = os.path.join(tmp, "l.epub")
        run(cli, md, "-o", epub)
        out, _ = run(cli, epub, "-t", "md")
    if "[self]()" not in out:
        raise AssertionError("href=\"\" rewritten:\n" + out)


CASES = {"entities": case_entities, "misnested": case_misnested, "implied": case_implied,
         "foreign": case_foreign, "links": case_links}

if __name__ == "__main__":
    sys.exit(main(CASES, __doc__))
