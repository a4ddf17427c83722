#!/usr/bin/env python3
"""heading_ids.py CLI WORKDIR: generated heading ids are XML names (XML 1.0
names, which EPUB 2 requires), the same in every flavour (html, xhtml,
xhtml11), unique, and stable: digits first get "id-", punctuation such as
U+2019 becomes "-", letters of any script stay."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

cli, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
src = os.path.join(work, "heading-ids.md")
with open(src, "w", encoding="utf-8") as f:
    f.write("# 2021 plan\n\n# The world\u2019s primary center\n\n# \u4e2d\u56fd\u6587\u5316\n\n"
            "# \u00bfQu\u00e9?\n\n# 2021 plan\n\n# \u2014\n\n# .hidden\n")
want = ["id-2021-plan", "the-world-s-primary-center", "\u4e2d\u56fd\u6587\u5316", "qu\u00e9",
        "id-2021-plan-1", "section", "id-.hidden"]
# an XML name: the ASCII part exactly; beyond ASCII the writer keeps only letters, digits and marks
name = re.compile(r"^[A-Za-z_\u00c0-\uffff][A-Za-z0-9._\-\u00b7\u00c0-\uffff]*$")
fails = 0
for syntax in ("html", "xhtml", "xhtml11"):
    p = subprocess.run([cli, src, "-t", "html", "-O", "syntax=" + syntax], capture_output=True, text=True)
    ids = re.findall(r'<h1 id="([^"]*)"', p.stdout)
    ok = p.returncode == 0 and ids == want and all(name.match(i) for i in ids)
    if syntax != "html":
        ET.fromstring(p.stdout.encode("utf-8"))  # well-formed XML, or an exception
    print("%s: %s %r" % ("ok" if ok else "FAIL", syntax, ids))
    fails += not ok
sys.exit(1 if fails else 0)
