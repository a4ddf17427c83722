#!/usr/bin/env python3
"""pandoc interop, pandoc filters and pandoc's command-line spellings
(issue 21), through the docpipe CLI and the real pandoc (stdlib only).

  pandoc_tests.py interop CLI FILE...   pandoc -t json | docpipe -f pandoc-json -t pandoc-json
                                        | pandoc -f json -t native == pandoc -t native
  pandoc_tests.py render CLI SPEECH     docpipe -t pandoc-json | pandoc -t html has docpipe's
                                        own HTML's words, headings and notes
  pandoc_tests.py api CLI               1.23 (Figure) and 1.22 (implicit figure) written and read
  pandoc_tests.py reader CLI            malformed pandoc JSON: file:line:column errors; losses reported
  pandoc_tests.py filters CLI DIR       --filter with python3-pandocfilters filters, order with -T,
                                        argv/environment, a failing filter
  pandoc_tests.py options CLI           -s --toc -N --css --metadata-file -V --wrap ... and hints
  pandoc_tests.py frontmatter CLI       lang/dir/keywords/abstract/css in HTML, EPUB and TEI
  pandoc_tests.py completion CLI        docpipe completion bash|zsh|fish (bash run for real)

Exit 0 when every check holds, 1 when one fails, 77 when what a test needs
(pandoc, pandocfilters, a sample) is missing.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

failures = 0
TMP = tempfile.mkdtemp(prefix="docpipe-pandoc-")


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def run(cmd, stdin=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=300, env=e)


def need_pandoc():
    if not shutil.which("pandoc"):
        print("SKIP: pandoc is not installed (scripts/install-deps.sh --tests)")
        sys.exit(77)


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return "line %d:\n  pandoc  %r\n  docpipe %r" % (i + 1, x[:160], y[:160])
    return "lengths differ (%d vs %d lines)" % (len(al), len(bl))


# ---- interop ---------------------------------------------------------------

def interop(cli, files):
    need_pandoc()
    tested = 0
    for path in files:
        if not os.path.exists(path):
            print("skip (absent):", path)
            continue
        tested += 1
        want = run(["pandoc", "-f", "markdown", "-t", "native", path])
        ast = run(["pandoc", "-f", "markdown", "-t", "json", path])
        if not check(want.returncode == 0 and ast.returncode == 0, "%s: pandoc failed" % path):
            continue
        ours = run([cli, "-f", "pandoc-json", "-t", "pandoc-json", "-O", "pandoc-api=1.22", "--strict"],
                   stdin=ast.stdout)
        if not check(ours.returncode == 0, "%s: docpipe failed: %s" % (path, ours.stderr.decode())):
            continue
        got = run(["pandoc", "-f", "json", "-t", "native"], stdin=ours.stdout)
        if not check(got.returncode == 0, "%s: pandoc cannot read docpipe's JSON: %s" % (path, got.stderr.decode())):
            continue
        a, b = want.stdout.decode(), got.stdout.decode()
        if check(a == b, "%s: the AST changed, %s" % (path, first_diff(a, b))):
            print("ok %s: same AST (%d lines of native)" % (os.path.basename(path), a.count("\n")))
    if tested == 0:
        print("SKIP: none of the samples is here")
        sys.exit(77)


# ---- render ------------------------------------------------------------------

class Digest(html.parser.HTMLParser):
    """Words, headings and note count of an HTML body."""

    def __init__(self):
        super().__init__()
        self.words, self.headings, self.notes = [], [], 0
        self.in_heading, self.skip = None, 0
        self.heading_text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "title", "head"):
            self.skip += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading, self.heading_text = tag, []
        # a note reference: pandoc's a.footnote-ref, docpipe's role=doc-noteref
        if tag == "a" and ("footnote-ref" in (a.get("class") or "") or a.get("role") == "doc-noteref"):
            self.notes += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "head"):
            self.skip -= 1
        if tag == self.in_heading:
            self.headings.append(" ".join("".join(self.heading_text).split()))
            self.in_heading = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_heading:
            self.heading_text.append(data)
        # words with a letter in them: note numbers and back-link arrows differ by design
        self.words += [w for w in re.findall(r"\w[\w’'-]*", data) if re.search(r"[^\W\d_]", w)]


def digest(text):
    d = Digest()
    d.feed(text)
    return d


def render(cli, speech):
    need_pandoc()
    if not os.path.exists(speech):
        print("SKIP: no speech at", speech)
        sys.exit(77)
    own = run([cli, speech, "-t", "html", "-O", "fragment=true"])
    ast = run([cli, speech, "-t", "pandoc-json", "-O", "pandoc-api=1.22"])
    if not check(own.returncode == 0 and ast.returncode == 0, "docpipe failed: %s" % (own.stderr + ast.stderr)):
        return
    theirs = run(["pandoc", "-f", "json", "-t", "html"], stdin=ast.stdout)
    if not check(theirs.returncode == 0, "pandoc could not read the AST: %s" % theirs.stderr.decode()):
        return
    a, b = digest(own.stdout.decode()), digest(theirs.stdout.decode())
    check(a.headings == b.headings, "headings differ: %r vs %r" % (a.headings[:5], b.headings[:5]))
    check(a.notes == b.notes and a.notes > 0, "note references: docpipe %d, pandoc %d" % (a.notes, b.notes))
    check(a.words == b.words, "words differ: %d vs %d words, first difference %r" % (
        len(a.words), len(b.words), next(((x, y) for x, y in zip(a.words, b.words) if x != y), None)))
    print("ok render: %d words, %d headings, %d notes alike" % (len(a.words), len(a.headings), a.notes))


# ---- api versions -------------------------------------------------------------

def api(cli):
    # a figure as docpipe's tree holds it (the HTML and TEI readers make them)
    src = write("fig.json", json.dumps({"docpipe-tree": 1, "body": {"t": "root", "c": [
        {"t": "heading", "level": 1, "c": [{"t": "text", "text": "H"}]},
        {"t": "figure", "c": [
            {"t": "plain", "c": [{"t": "image", "url": "pic.png", "title": "T", "c": [{"t": "text", "text": "A caption"}]}]},
            {"t": "caption", "c": [{"t": "plain", "c": [{"t": "text", "text": "A caption"}]}]}]},
        {"t": "para", "c": [{"t": "text", "text": "text"}]}]}}))
    r23 = run([cli, src, "-t", "pandoc-json"])
    doc = json.loads(r23.stdout)
    check(doc["pandoc-api-version"][:2] == [1, 23], "default api 1.23: %r" % doc["pandoc-api-version"])
    kinds = [b["t"] for b in doc["blocks"]]
    figure = next((b for b in doc["blocks"] if b["t"] == "Figure"), None)
    if check(figure is not None, "1.23: a Figure block, got %r" % kinds):
        caption = figure["c"][1][1]
        check(caption and caption[0]["t"] in ("Plain", "Para"), "Figure caption: %r" % caption)
    r22 = run([cli, src, "-t", "pandoc-json", "-O", "pandoc-api=1.22"])
    doc = json.loads(r22.stdout)
    check(doc["pandoc-api-version"][:2] == [1, 22], "api 1.22: %r" % doc["pandoc-api-version"])
    para = [b for b in doc["blocks"] if b["t"] == "Para" and b["c"] and b["c"][0]["t"] == "Image"]
    if check(para, "1.22: an implicit figure (Para [Image]) in %r" % [b["t"] for b in doc["blocks"]]):
        check(para[0]["c"][0]["c"][2][1] == "fig:T", "1.22 figure title 'fig:T': %r" % para[0]["c"][0]["c"][2])
    # each read back to the same tree
    for version, data in (("1.23", r23.stdout), ("1.22", r22.stdout)):
        back = run([cli, "-f", "pandoc-json", "-t", "json"], stdin=data)
        tree = run([cli, src, "-t", "json"])
        check(back.returncode == 0, "%s read back: %s" % (version, back.stderr.decode()))
        check(b'"t": "figure"' in back.stdout, "%s: read back as a figure" % version)
        check(back.stdout.count(b'"t": "caption"') == tree.stdout.count(b'"t": "caption"'),
              "%s: one caption as in the tree" % version)


# ---- reader errors and losses ------------------------------------------------------

def reader(cli):
    cases = [
        ('{"blocks": []}', "no \"pandoc-api-version\""),
        ('{"pandoc-api-version":[1,17],"meta":{},"blocks":[]}', "1.17 is not supported"),
        ('{"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Bogus"}]}', "1:50: unknown pandoc block \"Bogus\""),
        ('{"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":1}]}]}',
         "a Str must be a string"),
        ('{"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Header","c":[1,["",[]],[]]}]}',
         "an Attr must have 3 items"),
    ]
    for text, want in cases:
        r = run([cli, "-f", "pandoc-json", "-t", "json"], stdin=text.encode())
        check(r.returncode == 3 and want in r.stderr.decode(),
              "malformed %r: exit %d, stderr %r (want %r)" % (text[:60], r.returncode, r.stderr.decode(), want))
    # losses are reported, with where
    lossy = ('{"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Header","c":[7,["",[],[]],[{"t":"Str","c":"x"}]]},'
             '{"t":"OrderedList","c":[[1,{"t":"Example"},{"t":"TwoParens"}],[[{"t":"Plain","c":[]}]]]}]}')
    r = run([cli, "-f", "pandoc-json", "-t", "json"], stdin=lossy.encode())
    err = r.stderr.decode()
    check(r.returncode == 0 and "heading level 7" in err and "example lists" in err and "(1)" in err,
          "losses reported: %r" % err)
    r = run([cli, "-f", "pandoc-json", "-t", "json", "--strict"], stdin=lossy.encode())
    check(r.returncode == 7, "--strict on a loss: exit %d" % r.returncode)
    # what pandoc has no element for: reported, written as a stand-in
    src = write("task.md", "- [ ] open\n- [x] done\n")
    r = run([cli, src, "-t", "pandoc-json"])
    check(r.returncode == 0 and "task list item" in r.stderr.decode() and "\u2610".encode() in r.stdout,
          "task items: a ballot box, reported: %r" % r.stderr.decode())


# ---- filters -------------------------------------------------------------------------

def filters(cli, fdir):
    need_pandoc()
    if run(["/usr/bin/python3", "-c", "import pandocfilters"]).returncode != 0:
        print("SKIP: Debian's python3-pandocfilters is not installed")
        sys.exit(77)
    upper, drop = os.path.join(fdir, "upper.py"), os.path.join(fdir, "drop_images.py")
    fail_f, whoami = os.path.join(fdir, "fail.py"), os.path.join(fdir, "whoami.py")
    src = write("f.md", "# Title\n\nSome text with ![an image](pic.png) here.\n")
    r = run([cli, src, "-t", "markdown", "--filter", upper, "--filter", drop])
    out = r.stdout.decode()
    check(r.returncode == 0, "two filters: %s" % r.stderr.decode())
    check("# TITLE" in out and "SOME TEXT WITH" in out and "HERE." in out, "upper-case filter ran: %r" % out)
    check("pic.png" not in out and "IMAGE" not in out, "drop-images filter ran: %r" % out)
    # order, mixed with -T: ids before the filter see the lower-case title
    r = run([cli, src, "-t", "pandoc-json", "-T", "ids", "--filter", upper])
    doc = json.loads(r.stdout)
    check(doc["blocks"][0]["c"][1][0] == "title", "-T ids then --filter: id from the original text: %r" % doc["blocks"][0]["c"][1])
    r = run([cli, src, "-t", "pandoc-json", "--filter", upper, "-T", "ids"])
    doc = json.loads(r.stdout)
    check(doc["blocks"][0]["c"][1][0] == "title" or doc["blocks"][0]["c"][1][0] == "title-1" or
          doc["blocks"][0]["c"][1][0].lower() == "title", "--filter then -T ids: %r" % doc["blocks"][0]["c"][1])
    # what a filter is given: the format name, PANDOC_VERSION, PANDOC_READER_OPTIONS
    r = run([cli, src, "-t", "md", "--filter", whoami, "-o", os.path.join(TMP, "w.json"), "-t", "json"])
    meta = json.load(open(os.path.join(TMP, "w.json")))["meta"]
    check(meta.get("filter-format") == "json" and meta.get("filter-pandoc-version", "").startswith("3.")
          and meta.get("filter-reader-options") is True and meta.get("filter-api", "").startswith("1.23"),
          "filter argv/environment: %r" % meta)
    r = run([cli, src, "-t", "html", "-O", "pandoc-api=1.22", "--filter", whoami, "-o", os.path.join(TMP, "w.html")])
    page = open(os.path.join(TMP, "w.html"), encoding="utf-8").read()
    check('content="html"' in page and 'content="2.17' in page and 'content="1.22' in page,
          "filter with -O pandoc-api=1.22 (pandoc 2's API and version)")
    # a failing filter: clear error, nothing written
    dst = os.path.join(TMP, "failed.html")
    r = run([cli, src, "-o", dst, "--filter", upper, "--filter", fail_f])
    err = r.stderr.decode()
    check(r.returncode == 5 and "fail.py' failed (exit status 3): fail.py: this filter always fails" in err,
          "failing filter: exit %d, %r" % (r.returncode, err))
    check(not os.path.exists(dst), "failing filter: nothing written")
    r = run([cli, src, "-t", "html", "--filter", os.path.join(TMP, "no-such-filter")])
    check(r.returncode == 5 and "no-such-filter" in r.stderr.decode(), "missing filter: %r" % r.stderr.decode())
    r = run([cli, src, "-t", "html", "--filter", "x.lua"])
    check(r.returncode != 0 and "Lua" in r.stderr.decode(), "lua filter refused: %r" % r.stderr.decode())
    # a filter printing garbage
    bad = write("bad.sh", "#!/bin/sh\ncat >/dev/null\necho not-json\n")
    os.chmod(bad, 0o755)
    r = run([cli, src, "-t", "html", "--filter", bad])
    check(r.returncode in (3, 5) and "output of filter '%s':1:1:" % bad in r.stderr.decode(), "garbage: exit %d %r" % (r.returncode, r.stderr.decode()))
    print("ok filters")


# ---- options ----------------------------------------------------------------------

def options(cli):
    src = write("o.md", "---\ntitle: T\n---\n# A\n\n## B\n\ntext *x* and a long line that goes on and on and on "
                "and on and on and on and on and on and on and on\n")

    def conv(*args):
        r = run([cli, src, *args])
        check(r.returncode == 0, "%s: exit %d %s" % (" ".join(args), r.returncode, r.stderr.decode()))
        return r.stdout.decode()

    out = conv("-t", "html", "-s", "--toc", "--toc-depth=1", "-N", "--css", "a.css", "--css=b.css")
    check('role="doc-toc"' in out, "--toc: HTML nav")
    check('href="#a"' in out and 'href="#b"' not in out, "--toc-depth=1 lists only level 1")
    check("header-section-number" in out, "-N numbers headings")
    check(out.index('href="a.css"') < out.index('href="b.css"'), "--css twice: two links in order")
    out = conv("-t", "markdown", "--toc", "-N")
    check("Contents" in out and "1.1" in out, "--toc/-N on Markdown: the toc and number-sections transforms")
    out = conv("-t", "markdown", "--shift-heading-level-by=1")
    check("## A" in out and "### B" in out, "--shift-heading-level-by=1: %r" % out)
    out = conv("-t", "markdown", "--wrap=auto", "--columns=30")
    check(max(len(l) for l in out.splitlines()) <= 30, "--wrap=auto --columns=30 wraps")
    out = conv("-t", "markdown", "--wrap=none")
    check(any(len(l) > 80 for l in out.splitlines()), "--wrap=none keeps long lines")
    meta = write("meta.yaml", "subtitle: From a file\nkeywords: [k1, k2]\ntitle: File title\n")
    out = conv("-t", "json", "--metadata-file", meta, "-M", "title=CLI title", "-V", "vkey=vvalue")
    doc = json.loads(out)["meta"]
    check(doc.get("subtitle") == "From a file" and doc.get("keywords") == ["k1", "k2"],
          "--metadata-file keeps lists: %r" % doc)
    check(doc.get("title") == "CLI title", "-M wins over --metadata-file: %r" % doc.get("title"))
    check(doc.get("vkey") == "vvalue", "-V sets metadata while there are no templates")
    r = run([cli, src, "-t", "epub", "-o", os.path.join(TMP, "o.epub"), "--fail-if-warnings"])
    check(r.returncode == 7, "--fail-if-warnings = --strict (EPUB without a language warns): %d" % r.returncode)
    # lists
    r = run([cli, "--list-input-formats"])
    names = r.stdout.decode().split()
    check(r.returncode == 0 and "markdown" in names and "pandoc-json" in names, "--list-input-formats: %r" % names)
    r = run([cli, "--list-output-formats"])
    check("epub" in r.stdout.decode().split(), "--list-output-formats")
    r = run([cli, "--list-extensions"])
    check("+footnotes" in r.stdout.decode().split() and "-smart" in r.stdout.decode().split(),
          "--list-extensions: %r" % r.stdout.decode())
    out = conv("-f", "markdown+smart", "-t", "html", "-O", "fragment=true")
    r = run([cli, write("q.md", "\"quoted\" -- dash\n"), "-f", "markdown+smart", "-t", "html", "-O", "fragment=true"])
    check("\u201c" in r.stdout.decode(), "-f markdown+smart turns smart on: %r" % r.stdout.decode())
    r = run([cli, src, "-f", "markdown+nosuch", "-t", "html"])
    check(r.returncode == 2 and "'nosuch' is not an extension" in r.stderr.decode(), "unknown extension")
    # hints
    r = run([cli, "--tocc"])
    check(r.returncode == 2 and "unknown option '--tocc' (did you mean --toc?)" in r.stderr.decode(),
          "did you mean: %r" % r.stderr.decode())
    r = run([cli, "--citeproc"])
    check(r.returncode == 2 and "pandoc's --citeproc is not supported" in r.stderr.decode()
          and "docs/PANDOC.md" in r.stderr.decode(), "pandoc-only option: %r" % r.stderr.decode())
    r = run([cli, "--extract-media=m"])  # an option now (tests/media): only the input is missing
    check(r.returncode == 2 and "unknown option" not in r.stderr.decode() and "pandoc's" not in r.stderr.decode(),
          "--extract-media is an option: %r" % r.stderr.decode())
    r = run([cli, "-V"])
    check(r.returncode == 2 and "--version" in r.stderr.decode(), "-V alone: points to --version")
    r = run([cli, "run", "--dry-runn", "x.yaml"])
    check(r.returncode == 2 and "did you mean --dry-run?" in r.stderr.decode(), "run: did you mean")
    print("ok options")


# ---- front matter ---------------------------------------------------------------------

def frontmatter(cli):
    src = write("fm.md", "---\ntitle: T\nlang: ar\ndir: rtl\nkeywords: [k1, k2]\nabstract: An abstract.\n"
                "css: [s1.css, s2.css]\nauthor:\n  - name: Ann\n    affiliation: Uni\n---\n# A\n\ntext\n")
    r = run([cli, src, "-t", "html"])
    page = r.stdout.decode()
    check('<html lang="ar" dir="rtl">' in page, "HTML <html lang dir>: %r" % page[:80])
    check('name="keywords" content="k1, k2"' in page, "HTML keywords")
    check('href="s1.css"' in page and 'href="s2.css"' in page, "HTML css links")
    check('name="author" content="Ann"' in page, "HTML author from a map")
    epub = os.path.join(TMP, "fm.epub")
    r = run([cli, src, "-o", epub])
    check(r.returncode == 0, "epub: %s" % r.stderr.decode())
    with zipfile.ZipFile(epub) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
        xhtml = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
    check("<dc:language>ar</dc:language>" in opf, "EPUB dc:language from lang")
    check('page-progression-direction="rtl"' in opf, "EPUB page-progression-direction")
    check("<dc:subject>k1</dc:subject>" in opf and "<dc:description>An abstract.</dc:description>" in opf,
          "EPUB subject from keywords, description from abstract")
    check(all('dir="rtl"' in x for x in xhtml), "EPUB pages: dir=rtl")
    check("no place in the EPUB package" not in r.stderr.decode() or "'lang'" not in r.stderr.decode(),
          "EPUB: lang is not reported as unmapped")
    r = run([cli, src, "-t", "tei"])
    tei = r.stdout.decode()
    check('xml:lang="ar"' in tei and '<language ident="ar">' in tei, "TEI xml:lang and langUsage")
    check("<term>k1</term>" in tei and "An abstract." in tei, "TEI keywords and abstract")
    print("ok front matter")


# ---- completion ------------------------------------------------------------------------

def completion(cli):
    if not shutil.which("bash"):
        print("SKIP: no bash")
        sys.exit(77)
    script = run([cli, "completion", "bash"]).stdout.decode()
    check(run(["bash", "-n"], stdin=script.encode()).returncode == 0, "bash script parses")

    def complete(*words):
        line = " ".join(words)
        prog = ("%s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_docpipe\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n"
                % (script.replace("complete -o filenames -F _docpipe docpipe", ""),
                   " ".join("'%s'" % w for w in (cli,) + words), len(words)))
        r = run(["bash", "-c", prog])
        return r.stdout.decode().split()

    check("pandoc-json" in complete("-f", "pan"), "bash: -f completes input formats: %r" % complete("-f", "pan"))
    check(complete("-t", "ep") == ["epub", "epub3", "epub2"] or "epub" in complete("-t", "ep"),
          "bash: -t completes output formats")
    check("pandoc-filter" in complete("-T", "pan"), "bash: -T completes transforms (from the plugins)")
    check("pandoc-api=" in complete("-O", "pandoc"), "bash: -O completes plugin option names")
    check("--toc-depth" in complete("--toc"), "bash: options: %r" % complete("--toc"))
    check("completion" in complete("comp"), "bash: subcommands")
    for shell, want in (("zsh", "#compdef docpipe"), ("fish", "complete -c docpipe -l toc")):
        out = run([cli, "completion", shell]).stdout.decode()
        check(want in out, "%s script: %r" % (shell, out[:80]))
        if shutil.which(shell):
            check(run([shell, "-n"] if shell == "zsh" else [shell, "--no-execute"], stdin=out.encode()).returncode == 0,
                  "%s script parses" % shell)
    r = run([cli, "completion", "tcsh"])
    check(r.returncode == 2, "unknown shell: usage error")
    print("ok completion")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    what, cli, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    {"interop": lambda: interop(cli, rest), "render": lambda: render(cli, rest[0]), "api": lambda: api(cli),
     "reader": lambda: reader(cli), "filters": lambda: filters(cli, rest[0]), "options": lambda: options(cli),
     "frontmatter": lambda: frontmatter(cli), "completion": lambda: completion(cli)}[what]()
    shutil.rmtree(TMP, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % failures)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
