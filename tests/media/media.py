#!/usr/bin/env python3
"""media.py CLI WORKDIR CASE: images and other resources travel with the
document (issue 18, "Images and other resources"; host/media.c).

Cases:
  html_files      the picture book (cole-voyage-of-life.epub) to HTML: every
                  image written into cole_files/ with the EPUB's bytes, every
                  <img src> resolving to one; Nu checker clean; in headless
                  Chromium no image is broken (when Chromium is there)
  md_files        the same to Markdown, read back into an EPUB: all images
                  and the cover packed again
  self_contained  -O self-contained=true: data: URIs with the exact bytes, no
                  folder written
  stdout          to standard output: one warning per kind with the count;
                  --strict exits 7 and writes nothing
  extract_media   --extract-media DIR elsewhere: references relative to the
                  output; a failed output leaves no media behind
  tei_graphic     Markdown image -> TEI <figure><graphic url><figDesc> (jing
                  clean) -> Markdown and HTML with the same url and alt; TEI
                  -> EPUB packs the graphic (the TEI reader loads it)
  cover           EPUB cover (properties="cover-image") through epub -> epub
                  and md -> epub with --epub-cover-image (EPUBCheck clean)
  resource_root   an image above the input's folder is not packed (the EPUB
                  writer names resource-root), and is with -O resource-root
  unsafe_names    a resource named "../../x.png" (JSON input) lands inside
                  the media folder under a generated name

Exit 77 when ../shared (the samples) is absent for the cases that need it."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tiny_png import png  # noqa: E402
import headless  # noqa: E402

cli, work, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
shared = os.environ.get("DOCPIPE_SHARED_DIR", os.path.join(repo, "..", "shared"))
validate = os.path.join(repo, "tests", "common", "validate.sh")
book = os.path.join(shared, "samples", "epub", "cole-voyage-of-life.epub")
failures = []


def check(cond, msg):
    print(("ok: " if cond else "FAIL: ") + msg)
    if not cond:
        failures.append(msg)


def run(*args, cwd=None):
    return subprocess.run([cli] + list(args), capture_output=True, text=True, timeout=300, cwd=cwd)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def validator(kind, *files):
    p = subprocess.run(["sh", validate, kind] + list(files), capture_output=True, text=True, timeout=900)
    if p.returncode == 77:
        print("skip: %s validator not installed" % kind)
        return
    check(p.returncode == 0, "%s validator clean on %s: %s" % (kind, ", ".join(map(os.path.basename, files)),
                                                               (p.stdout + p.stderr)[-800:]))


def book_images():
    """{name relative to the package folder: bytes} of the picture book."""
    with zipfile.ZipFile(book) as z:
        return {n[len("EPUB/"):]: z.read(n) for n in z.namelist() if n.endswith(".jpg")}


def need_book():
    if not os.path.exists(book):
        print("SKIP: %s is absent (../shared samples)" % book)
        sys.exit(77)


def fresh(name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def img_srcs(html):
    return re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', html)


def files_under(d):
    return sorted(os.path.relpath(os.path.join(a, f), d) for a, _, fs in os.walk(d) for f in fs)


def broken_in_browser(page):
    """Images Chromium could not show in page (a list of src), or None without Chromium."""
    if not os.access(headless.CHROMIUM, os.X_OK):
        print("skip: %s is absent: no browser check" % headless.CHROMIUM)
        return None
    text = open(page, encoding="utf-8").read()
    probe = ("<script>window.addEventListener('load', function () {"
             " var b = []; for (var i of document.images) if (!i.complete || !i.naturalWidth) b.push(i.src);"
             " document.body.setAttribute('data-broken', JSON.stringify(b)); });</script>")
    hooked = os.path.join(os.path.dirname(page), "probe-" + os.path.basename(page))
    write(hooked, text.replace("</body>", probe + "</body>"))
    p = headless.chromium(["--virtual-time-budget=5000", "--dump-dom", "file://" + hooked], work)
    m = re.search(r"data-broken=\"([^\"]*)\"", p.stdout)
    check(m is not None, "the browser probe ran on %s (exit %d)" % (page, p.returncode))
    return json.loads(m.group(1).replace("&quot;", '"')) if m else []


def case_html_files():
    need_book()
    d = fresh("html")
    images = book_images()
    p = run(book, "-o", os.path.join(d, "cole.html"))
    check(p.returncode == 0, "cole -> html exits 0 (%d): %s" % (p.returncode, p.stderr[-400:]))
    html = open(os.path.join(d, "cole.html"), encoding="utf-8").read()
    srcs = img_srcs(html)
    check(len(srcs) >= len(images), "%d <img> for %d images" % (len(srcs), len(images)))
    for s in srcs:
        f = os.path.join(d, s)
        check(s.startswith("cole_files/") and os.path.isfile(f), "img src %s resolves to a file" % s)
    for name, data in images.items():
        f = os.path.join(d, "cole_files", name)
        check(os.path.isfile(f) and open(f, "rb").read() == data,
              "%s written beside the page with its %d bytes" % (name, len(data)))
    check(not [f for f in os.listdir(d) if ".dptmp" in f], "no temporary file left")
    validator("html", os.path.join(d, "cole.html"))
    broken = broken_in_browser(os.path.join(d, "cole.html"))
    if broken is not None:
        check(broken == [], "no broken image in Chromium (broken: %s)" % broken)


def case_md_files():
    need_book()
    d = fresh("md")
    images = book_images()
    p = run(book, "-o", os.path.join(d, "cole.md"))
    check(p.returncode == 0, "cole -> md exits 0 (%d)" % p.returncode)
    md = open(os.path.join(d, "cole.md"), encoding="utf-8").read()
    refs = re.findall(r"!\[[^\]]*\]\(([^)\s]*)", md)
    check(len(refs) >= len(images), "%d Markdown images for %d" % (len(refs), len(images)))
    for r in refs:
        check(os.path.isfile(os.path.join(d, r)), "image %s resolves beside the Markdown" % r)
    for name, data in images.items():
        f = os.path.join(d, "cole_files", name)
        check(os.path.isfile(f) and os.path.getsize(f) == len(data), "%s written (%d bytes)" % (name, len(data)))
    check("cover-image: cole_files/images/portrait.jpg" in md, "the front matter's cover-image names the copy")
    # and back into a book: every picture packed again, the cover too
    p = run(os.path.join(d, "cole.md"), "-o", os.path.join(d, "back.epub"))
    check(p.returncode == 0, "cole.md -> epub exits 0 (%d): %s" % (p.returncode, p.stderr[-400:]))
    with zipfile.ZipFile(os.path.join(d, "back.epub")) as z:
        packed = sorted(z.read(n) for n in z.namelist() if n.endswith(".jpg"))
        opf = [z.read(n).decode() for n in z.namelist() if n.endswith(".opf")][0]
    check(packed == sorted(images.values()), "the book read back from Markdown packs the 9 images (%d)" % len(packed))
    check('properties="cover-image"' in opf, "its cover is the picture book's cover image")


def case_self_contained():
    need_book()
    d = fresh("self")
    images = book_images()
    p = run(book, "-o", os.path.join(d, "cole.html"), "-O", "self-contained=true")
    check(p.returncode == 0, "self-contained exits 0 (%d)" % p.returncode)
    check(os.listdir(d) == ["cole.html"], "only the page is written (%s)" % os.listdir(d))
    srcs = img_srcs(open(os.path.join(d, "cole.html"), encoding="utf-8").read())
    got = set()
    for s in srcs:
        m = re.match(r"data:image/jpeg;base64,(.*)$", s)
        check(m is not None, "img src is a data: URI (%s...)" % s[:40])
        if m:
            got.add(base64.b64decode(m.group(1)))
    check(got == set(images.values()), "the data: URIs hold the 9 images' exact bytes")
    validator("html", os.path.join(d, "cole.html"))
    broken = broken_in_browser(os.path.join(d, "cole.html"))
    if broken is not None:
        check(broken == [], "no broken image in Chromium (broken: %d)" % len(broken))


def case_stdout():
    need_book()
    d = fresh("stdout")
    for fmt in ("html", "markdown"):
        p = run(book, "-t", fmt, cwd=d)
        lines = [l for l in p.stderr.splitlines() if "not written anywhere" in l]
        check(p.returncode == 0 and len(lines) == 1 and "9 images" in lines[0] and "standard output" in lines[0],
              "%s to stdout: one warning with the count: %s" % (fmt, lines))
        p = run("--strict", book, "-t", fmt, cwd=d)
        check(p.returncode == 7 and p.stdout == "", "%s to stdout --strict exits 7, writes nothing (%d)"
              % (fmt, p.returncode))
    check(os.listdir(d) == [], "nothing written in the current folder")


def case_extract_media():
    need_book()
    d = fresh("extract")
    p = run(book, "-o", os.path.join(d, "out", "cole.html"), "--extract-media", os.path.join(d, "media"))
    check(p.returncode != 0, "an output folder that does not exist fails (exit %d)" % p.returncode)
    check(not os.path.exists(os.path.join(d, "media")), "and leaves no media behind")
    os.makedirs(os.path.join(d, "out"))
    p = run(book, "-o", os.path.join(d, "out", "cole.html"), "--extract-media", os.path.join(d, "media"))
    check(p.returncode == 0, "--extract-media exits 0 (%d): %s" % (p.returncode, p.stderr[-300:]))
    srcs = img_srcs(open(os.path.join(d, "out", "cole.html"), encoding="utf-8").read())
    check(srcs and all(s.startswith("../media/images/") for s in srcs), "references relative to the output: %s"
          % srcs[:2])
    check(all(os.path.isfile(os.path.join(d, "out", s)) for s in srcs), "each resolves")
    check(os.listdir(os.path.join(d, "out")) == ["cole.html"], "no default folder beside the output")


def case_tei_graphic():
    d = fresh("tei")
    write(os.path.join(d, "img", "p.png"), png(5, 3, (10, 120, 200)))
    write(os.path.join(d, "a.md"), "---\ntitle: Graphics\nlanguage: en\n---\n\n# Pictures\n\n"
          "Inline ![A small blue picture](img/p.png) in text.\n\n![The same, as a figure](img/p.png)\n")
    p = run(os.path.join(d, "a.md"), "-o", os.path.join(d, "a.xml"))
    check(p.returncode == 0, "md -> tei exits 0 (%d): %s" % (p.returncode, p.stderr[-300:]))
    tei = open(os.path.join(d, "a.xml"), encoding="utf-8").read()
    check('<figure><graphic url="img/p.png"/><figDesc>A small blue picture</figDesc></figure>' in tei,
          "the image is <figure><graphic url><figDesc> in TEI")
    validator("tei", os.path.join(d, "a.xml"))
    p = run(os.path.join(d, "a.xml"), "-o", os.path.join(d, "b.md"))
    md = open(os.path.join(d, "b.md"), encoding="utf-8").read()
    check("![A small blue picture](img/p.png)" in md and "![The same, as a figure](img/p.png)" in md,
          "TEI -> Markdown: alt and url back")
    p = run(os.path.join(d, "a.xml"), "-t", "html")
    check('<img src="img/p.png" alt="A small blue picture">' in p.stdout, "TEI -> HTML: img src and alt")
    os.makedirs(os.path.join(d, "sub"))
    p = run(os.path.join(d, "a.xml"), "-o", os.path.join(d, "sub", "c.xml"))
    tei2 = open(os.path.join(d, "sub", "c.xml"), encoding="utf-8").read()
    check('url="c_files/img/p.png"' in tei2 and os.path.isfile(os.path.join(d, "sub", "c_files", "img", "p.png")),
          "TEI written elsewhere takes its graphic along")
    p = run(os.path.join(d, "a.xml"), "-o", os.path.join(d, "a.epub"))
    with zipfile.ZipFile(os.path.join(d, "a.epub")) as z:
        pngs = [z.read(n) for n in z.namelist() if n.endswith(".png")]
    check(pngs == [png(5, 3, (10, 120, 200))], "TEI -> EPUB packs the graphic (%d png)" % len(pngs))
    check("not among the document's resources" not in p.stderr, "no missing-image warning")


def epub_cover(path):
    with zipfile.ZipFile(path) as z:
        opf = [z.read(n).decode() for n in z.namelist() if n.endswith(".opf")][0]
        m = re.search(r'<item\b[^>]*properties="cover-image"[^>]*>', opf)
        href = re.search(r'href="([^"]*)"', m.group(0)).group(1) if m else None
        base = [n for n in z.namelist() if n.endswith(".opf")][0].rpartition("/")[0]
        return z.read((base + "/" if base else "") + href) if href else None


def case_cover():
    need_book()
    d = fresh("cover")
    portrait = book_images()["images/portrait.jpg"]
    check(epub_cover(book) == portrait, "the sample's cover is its portrait")
    p = run(book, "-o", os.path.join(d, "again.epub"))
    check(p.returncode == 0 and epub_cover(os.path.join(d, "again.epub")) == portrait,
          "epub -> epub keeps the cover image")
    write(os.path.join(d, "cover.png"), png(60, 90, (200, 30, 30)))
    write(os.path.join(d, "b.md"), "---\ntitle: With a cover\nlanguage: en\n---\n\n# One\n\nText.\n")
    p = run(os.path.join(d, "b.md"), "-o", os.path.join(d, "b.epub"), "--epub-cover-image", os.path.join(d, "cover.png"))
    check(p.returncode == 0 and "cover" not in p.stderr, "md -> epub with --epub-cover-image: no warning (%s)"
          % p.stderr[-300:])
    check(epub_cover(os.path.join(d, "b.epub")) == png(60, 90, (200, 30, 30)),
          "--epub-cover-image=FILE is the book's cover-image")
    p = run(os.path.join(d, "b.md"), "-o", os.path.join(d, "x.epub"), "--epub-cover-image", os.path.join(d, "b.md"))
    check(p.returncode != 0 and "not a PNG" in p.stderr, "a cover that is not an image is refused (%d)" % p.returncode)
    validator("epub", os.path.join(d, "again.epub"), os.path.join(d, "b.epub"))


def case_resource_root():
    d = fresh("root")
    write(os.path.join(d, "shared", "p.png"), png(4, 4, (1, 2, 3)))
    write(os.path.join(d, "doc", "a.md"), "---\ntitle: Up\nlanguage: en\n---\n\n# Up\n\n![Up there](../shared/p.png)\n")
    p = run(os.path.join(d, "doc", "a.md"), "-o", os.path.join(d, "a.epub"))
    with zipfile.ZipFile(os.path.join(d, "a.epub")) as z:
        n = len([x for x in z.namelist() if x.endswith(".png")])
    check(n == 0 and "resource-root" in p.stderr, "a path above the input's folder is refused and reported (%s)"
          % p.stderr[-300:])
    p = run(os.path.join(d, "doc", "a.md"), "-o", os.path.join(d, "b.epub"), "-O", "resource-root=" + d)
    with zipfile.ZipFile(os.path.join(d, "b.epub")) as z:
        pngs = [z.read(x) for x in z.namelist() if x.endswith(".png")]
    check(pngs == [png(4, 4, (1, 2, 3))] and p.returncode == 0, "-O resource-root=DIR lets it in")
    validator("epub", os.path.join(d, "b.epub"))


def case_unsafe_names():
    d = fresh("names")
    data = base64.b64encode(png(2, 2, (5, 5, 5))).decode()
    tree = {"docpipe-tree": 1, "meta": {"title": "Names", "language": "en"},
            "body": {"t": "root", "c": [{"t": "para", "c": [
                {"t": "image", "url": "../../evil.png", "c": [{"t": "text", "text": "x"}]}]}]}}
    tree["resources"] = [{"name": "../../evil.png", "mime": "image/png", "data": data}]
    write(os.path.join(d, "in", "doc.json"), json.dumps(tree))
    os.makedirs(os.path.join(d, "in", "out"))
    p = run(os.path.join(d, "in", "doc.json"), "-o", os.path.join(d, "in", "out", "doc.html"))
    check(p.returncode == 0, "json -> html exits 0 (%d): %s" % (p.returncode, p.stderr[-300:]))
    written = files_under(d)
    check(written == ["in/doc.json", "in/out/doc.html", "in/out/doc_files/resource-1.png"],
          "the resource stays inside the media folder: %s" % written)


if __name__ == "__main__":
    globals()["case_" + case]()
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)
