#!/usr/bin/env python3
"""local_images.py CLI WORKDIR: the Markdown and HTML readers load local
images into the document's resources (plugins/resload), safely.

A document next to images of every sniffed type (PNG, JPEG, GIF, WebP, SVG;
a file name with a space, percent-encoded), and next to everything that must
not load: a missing file, a text file named .png, a directory named .png,
a FIFO, "../" above the input's directory, an absolute path, a symbolic
link leading outside, a file over the max-input-bytes limit; remote and
data: URLs are left alone. Checked through `-t json` (the resources: names,
sniffed types, bytes) and the messages: a file that is there but unusable is
a warning naming the image; a missing file or a path not followed (absolute,
"..") is information under -v (the tree loses nothing; an EPUB writer warns).
Then the options: images-outside=true loads the outside ones,
local-images=false loads nothing; and the HTML reader's <img> the same way."""
import base64
import json
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))
from tiny_png import png  # noqa: E402

cli, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(cond, msg):
    print(("ok: " if cond else "FAIL: ") + msg)
    if not cond:
        failures.append(msg)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


root = os.path.join(work, "local-images")
subprocess.run(["rm", "-rf", root], check=True)
doc = os.path.join(root, "doc")
files = {
    "img/ok.png": png(4, 4, (200, 0, 0)),
    "img/two words.png": png(3, 3, (0, 200, 0)),
    "img/pic.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
    "img/pic.gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00"
                   b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "img/pic.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
    "img/cover.svg": b'<?xml version="1.0"?>\n<!-- a cover -->\n<svg xmlns="http://www.w3.org/2000/svg" '
                     b'width="6" height="9"><rect width="6" height="9"/></svg>\n',
    "img/fake.png": b"this is text, not a picture\n",
    "img/big.png": png(4, 4, (1, 2, 3)) + b"\x00" * 6000,
}
for name, data in files.items():
    write(os.path.join(doc, name), data)
write(os.path.join(root, "outside.png"), png(2, 2, (9, 9, 9)))
os.makedirs(os.path.join(doc, "img", "dir.png"))
os.mkfifo(os.path.join(doc, "img", "fifo.png"))
os.symlink(os.path.join(root, "outside.png"), os.path.join(doc, "img", "link.png"))
outside_abs = os.path.join(root, "outside.png")

md = """---
title: Local images
cover-image: img/cover.svg
---

![ok](img/ok.png) ![again](img/ok.png) ![space](img/two%20words.png)
![jpeg](img/pic.jpg) ![gif](img/pic.gif) ![webp](img/pic.webp)

![missing](img/missing.png) ![fake](img/fake.png) ![dir](img/dir.png) ![fifo](img/fifo.png)

![up](../outside.png) ![abs](OUTSIDE_ABS) ![link](img/link.png) ![big](img/big.png)

![remote](https://example.com/remote.png) ![data](data:image/png;base64,iVBORw0KGgo=)
""".replace("OUTSIDE_ABS", outside_abs)
write(os.path.join(doc, "book.md"), md.encode("utf-8"))


def run(src, *opts):
    out = os.path.join(root, "out-%d.json" % len(os.listdir(root)))
    p = subprocess.run([cli, src, "-t", "json", "-o", out] + list(opts), capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 0:
        print(p.stderr)
        check(False, "docpipe %s %s exits 0 (got %d)" % (src, " ".join(opts), p.returncode))
        return {}, p.stderr
    with open(out, encoding="utf-8") as f:
        tree = json.load(f)
    return {r["name"]: (r["mime"], base64.b64decode(r["data"])) for r in tree.get("resources", [])}, p.stderr


loaded = {"img/ok.png": "image/png", "img/two%20words.png": "image/png", "img/pic.jpg": "image/jpeg",
          "img/pic.gif": "image/gif", "img/pic.webp": "image/webp", "img/cover.svg": "image/svg+xml"}
# files there but unusable: warnings; no file taken (missing, path not
# followed): -v information only, since the tree loses nothing
warned = ["img/fake.png", "img/dir.png", "img/fifo.png", "img/link.png", "img/big.png"]
informed = ["img/missing.png", "../outside.png", outside_abs]


def lines(err, kind):
    return "\n".join(l for l in err.splitlines() if l.startswith("docpipe: %s:" % kind))


res, err = run(os.path.join(doc, "book.md"), "--limit", "max-input-bytes=4000", "-v")
for name, mime in loaded.items():
    disk = os.path.join(doc, name.replace("%20", " "))
    check(name in res and res[name][0] == mime and res[name][1] == open(disk, "rb").read(),
          "markdown: %s loaded as %s, bytes equal" % (name, mime))
for name in warned:
    check(name not in res, "markdown: %s not loaded" % name)
    check("image '%s'" % name in lines(err, "warning"), "markdown: a warning names %s" % name)
for name in informed:
    check(name not in res, "markdown: %s not loaded" % name)
    check("image '%s'" % name in lines(err, "info") and "image '%s'" % name not in lines(err, "warning"),
          "markdown: %s reported with -v (info), not as a warning" % name)
check(len(res) == len(loaded), "markdown: exactly %d resources (got %d: %s)" % (len(loaded), len(res), sorted(res)))
check("remote.png" not in err and "data:" not in err, "markdown: remote and data: URLs left alone, not reported")
check("images-outside" in lines(err, "warning") and "images-outside" in lines(err, "info"),
      "markdown: the refusals name the images-outside option")
check(lines(run(os.path.join(doc, "book.md"), "--limit", "max-input-bytes=4000")[1], "info") == "",
      "markdown: without -v no information lines")

res, err = run(os.path.join(doc, "book.md"), "-O", "images-outside=true")
for name in ("../outside.png", outside_abs, "img/link.png", "img/big.png"):
    check(name in res and res[name][0] == "image/png", "images-outside=true: %s loaded" % name)

res, err = run(os.path.join(doc, "book.md"), "-O", "local-images=false")
check(res == {} and "img/missing.png" not in err, "local-images=false: nothing loaded, nothing reported")

html = """<!DOCTYPE html><html lang="en"><head><title>Local images</title></head><body>
<p><img src="img/ok.png" alt="ok"> <img src="../outside.png" alt="up">
<img src="img/missing.png" alt="missing"> <img src="https://example.com/r.png" alt="remote"></p>
</body></html>
"""
write(os.path.join(doc, "page.html"), html.encode("utf-8"))
res, err = run(os.path.join(doc, "page.html"), "-v")
check(res.get("img/ok.png", ("", b""))[0] == "image/png", "html: img/ok.png loaded")
check("../outside.png" not in res and "image '../outside.png'" in lines(err, "info"),
      "html: ../outside.png refused and named")
check("image 'img/missing.png'" in lines(err, "info"), "html: img/missing.png reported missing")
check(len(res) == 1, "html: exactly one resource (got %s)" % sorted(res))
# a page naming images that are elsewhere imports cleanly under --strict
p = subprocess.run([cli, os.path.join(doc, "page.html"), "-t", "json", "-o", os.devnull, "--strict"],
                   capture_output=True, text=True, timeout=60)
check(p.returncode == 0, "html: missing and outside images are no loss under --strict (exit %d)" % p.returncode)

# stdin: relative to the current directory
p = subprocess.run([cli, "-", "-f", "markdown", "-t", "json"], input="![ok](img/ok.png)\n", cwd=doc,
                   capture_output=True, text=True, timeout=60)
names = [r["name"] for r in json.loads(p.stdout).get("resources", [])] if p.returncode == 0 else None
check(names == ["img/ok.png"], "stdin: img/ok.png loaded from the current directory (got %r)" % names)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
