#!/usr/bin/env python3
"""Pipelines end to end with the real format plugins (issue 6). One case per
ctest test:

    pipelines_tests.py CASE --docpipe BIN --src REPO --tmp DIR

tests/core covers the same features with its test plugin; these cases check
that they hold with Markdown, HTML, EPUB, TEI and JSON (binary EPUB,
warnings from real exporters, parse failures of real importers), and the
ready configs (configs/speech-chain.yaml, configs/batch.yaml).
Exit 0 pass, 1 fail, 77 skip."""
import argparse
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time

A = None
FAILS = []
EPOCH = "1764374400"  # SOURCE_DATE_EPOCH: EPUBs are byte-identical across runs


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def env():
    e = dict(os.environ)
    e.pop("DOCPIPE_PLUGIN_PATH", None)
    e["DOCPIPE_CACHE_DIR"] = os.path.join(A.work, "cache")
    e["SOURCE_DATE_EPOCH"] = EPOCH
    return e


def run(args, cwd=None):
    cmd = os.environ.get("DOCPIPE_TEST_WRAPPER", "").split() + [A.docpipe] + args
    p = subprocess.run(cmd, capture_output=True, env=env(), cwd=cwd or A.work)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def path(*parts):
    return os.path.join(A.work, *parts)


def write(name, text):
    p = path(name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def read_bytes(p):
    with open(p, "rb") as f:
        return f.read()


def tree(p):
    rc, out, err = run([p, "-t", "json", "-q"])
    if not check(rc == 0, "read back %s: %s" % (p, err[-300:])):
        return {"meta": {}, "body": {}}
    return json.loads(out)


def words(t):
    """The words of a tree's text, in order."""
    out = []
    stack = [t.get("body", {})]
    while stack:
        n = stack.pop()
        if n.get("t") == "text":
            out += re.findall(r"\w+", n.get("text", ""))
        stack.extend(reversed(n.get("c", [])))
    return out


def outputs_only(names):
    """File names without the runner's stamps (.NAME.dpstamp beside each output)."""
    return [n for n in names if not (n.startswith(".") and n.endswith(".dpstamp"))]


def snapshot(root):
    """{relative path: bytes} of every file under root (the stamps left out)."""
    got = {}
    for d, _, files in os.walk(root):
        for n in outputs_only(files):
            p = os.path.join(d, n)
            got[os.path.relpath(p, root)] = read_bytes(p)
    return got


def need_formats():
    rc, out, err = run(["formats"])
    have = {l.split()[0]: l.split()[1:3] for l in out.splitlines()[1:] if l.strip()}
    missing = [f for f in ("markdown", "json", "html", "epub", "tei") if have.get(f, ["-", "-"]) != ["yes", "yes"]]
    if missing:
        print("format plugins not built: %s; skip" % missing)
        sys.exit(77)


def copy_repo_part(*names):
    for n in names:
        src = os.path.join(A.src, n)
        dst = path(n)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(src, dst)


MIXED = {
    "in/a.md": "---\ntitle: Alpha\nlanguage: en\n---\n\n# Alpha\n\nFirst *file* with a note.[^1]\n\n[^1]: Alpha note.\n",
    "in/sub/b.md": "# Beta\n\nSecond file, one directory down.\n\n- one\n- two\n",
    "in/sub/deep/c.html": "<!DOCTYPE html><html lang=\"en\"><head><title>Gamma</title></head><body>"
                          "<h1>Gamma</h1><p>Third file, <strong>HTML</strong>.</p></body></html>",
    "in/d.tei.xml": "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>Delta</title>"
                    "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>"
                    "</fileDesc></teiHeader><text><body><div><head>Delta</head><p>Fourth file, TEI.</p></div>"
                    "</body></text></TEI>\n",
}


def make_mixed(prefix=""):
    for name, text in MIXED.items():
        write(prefix + name, text)


# ---------------------------------------------------------------- configs features

def case_jobs_globs_patterns():
    """Several jobs per file, ** globs, output-dir + {stem}/{dir}/{ext},
    per-job and per-output options, real formats."""
    make_mixed()
    cfg = write("cfg.yaml", """\
jobs:
  - name: web
    input: "in/**/*.md"
    output-dir: out/web
    transforms:
      - name: toc
        options: {depth: 2}
    outputs:
      - format: html
        path: "{dir}/{stem}.html"
      - format: html
        path: "{dir}/{stem}.fragment.html"
        options: {fragment: true}
  - name: archive
    input: "in/**/*"
    output-dir: out/archive
    metadata: {publisher: Batch Press}
    outputs:
      - "{dir}/{stem}-from-{ext}.tei.xml"
      - format: json
""")
    rc, out, err = run(["run", cfg, "-q"])
    check(rc == 0, "run: %d %s" % (rc, err))
    expect = ["out/web/a.html", "out/web/a.fragment.html", "out/web/sub/b.html", "out/web/sub/b.fragment.html",
              "out/archive/a-from-md.tei.xml", "out/archive/sub/b-from-md.tei.xml",
              "out/archive/sub/deep/c-from-html.tei.xml", "out/archive/d-from-tei.xml.tei.xml",
              "out/archive/a.json", "out/archive/sub/deep/c.json", "out/archive/d.json"]
    for e in expect:
        check(os.path.exists(path(e)), "%s written" % e)
    got = sorted(os.path.relpath(os.path.join(d, n), A.work) for d, _, fs in os.walk(path("out"))
                 for n in outputs_only(fs))
    check(len(got) == 4 + 8, "exactly the expected outputs: %s" % got)
    if os.path.exists(path("out/web/a.html")):
        full = read_bytes(path("out/web/a.html")).decode()
        frag = read_bytes(path("out/web/a.fragment.html")).decode()
        check("<html" in full and "<html" not in frag, "per-output option fragment applies to one output only")
        check('<div id="toc" class="toc">' in full and '<div id="toc" class="toc">' in frag,
              "the job's transform (toc) ran once for both outputs: %s" % full[:300])
    t = tree(path("out/archive/sub/deep/c-from-html.tei.xml"))
    check(str(t["meta"].get("publisher")) == "Batch Press", "job metadata reaches the output: %s" % t["meta"])
    check(words(t) == words(tree(path("in/sub/deep/c.html"))), "HTML -> TEI keeps the words")


def case_one_parse():
    """One parse feeds every output: a filter transform (run between the
    parse and the exporters) runs once per input, not once per output."""
    make_mixed()
    counter = path("count.txt")
    filt = write("count_filter.py", "import sys\nopen(%r, 'a').write(sys.argv[1] + '\\n')\n"
                 "sys.stdout.write(sys.stdin.read())\n" % counter)
    cfg = write("cfg.yaml", """\
jobs:
  - input: "in/**/*.md"
    output-dir: out
    transforms:
      - name: filter
        options: {command: %s, args: [%s, once]}
    outputs: ["{stem}.html", "{stem}.epub", "{stem}.tei.xml", "{stem}.md", "{stem}.json"]
""" % (sys.executable, filt))
    rc, out, err = run(["run", cfg, "--jobs", "2", "--allow-filter"])
    check(rc == 0 and "2 converted" in err and "10 files written" in err, "run: %d %s" % (rc, err))
    with open(counter) as f:
        calls = f.read().split()
    check(len(calls) == 2, "the filter ran once per input (2), not per output: %d" % len(calls))


def case_chain_cycle():
    """md -> html -> epub -> tei -> md as one config; closing the loop is a
    config error at the exact line:column of the `job:` that closes it."""
    write("s.md", "---\ntitle: Loop\n---\n\n# Loop\n\nText with a note.[^1]\n\n[^1]: The note.\n")
    text = """\
jobs:
  - name: to-md
    input: {job: to-tei}
    outputs: ["md/{stem}.md"]
  - name: to-html
    input: s.md
    outputs: ["html/{stem}.html"]
  - name: to-epub
    input: {job: to-html}
    outputs: ["epub/{stem}.epub"]
  - name: to-tei
    input: {job: to-epub}
    outputs: ["tei/{stem}.tei.xml"]
"""
    cfg = write("chain.yaml", text)
    rc, out, err = run(["run", cfg, "-q"])
    check(rc == 0, "chain in dependency order despite file order: %d %s" % (rc, err))
    check(os.path.exists(path("md/s.md")), "the chain's last output exists")
    if os.path.exists(path("md/s.md")):
        check(words(tree(path("md/s.md"))) == words(tree(path("s.md"))), "the chain keeps the words")
    # close the loop: to-html reads to-md
    bad = write("cycle.yaml", text.replace("    input: s.md\n", "    input: {job: to-md}\n"))
    rc, out, err = run(["run", bad])
    check(rc == 4, "a cycle is a config error (exit 4): %d" % rc)
    m = re.search(r"cycle\.yaml:(\d+):(\d+): job '([\w-]+)' is part of a cycle", err)
    if check(m is not None, "cycle error names file:line:column: %s" % err):
        line, col, job = int(m.group(1)), int(m.group(2)), m.group(3)
        lines = read_bytes(bad).decode().splitlines()
        check(lines[line - 1][col - 1:].startswith("to-") and "{job:" in lines[line - 1],
              "the position points at a `job:` value: %r col %d" % (lines[line - 1], col))
        check(job in lines[line - 3] or job in lines[line - 2], "the named job is the one at that line")
    check(not os.path.exists(path("html2")), "nothing ran")


def case_chain_source_failed():
    """A chained job does not convert a stale file whose producer failed in
    this run: the earlier output stays as it was, the failure is reported."""
    write("in/a.md", "# A\n\nalpha\n")
    write("in/b.md", "# B\n\nbeta\n")
    text = """\
%sjobs:
  - name: one
    input: "in/*.md"
    outputs: ["html/{stem}.html"]
  - name: two
    input: {job: one}
    outputs: ["tei/{stem}.tei.xml"]
"""
    cfg = write("c.yaml", text % "")
    rc, out, err = run(["run", cfg, "-q"])
    check(rc == 0, "first run: %s" % err)
    old_tei = read_bytes(path("tei/b.tei.xml"))
    # b.md now over the size limit below; a.md's HTML (with its default
    # stylesheet, about 6 KB) stays under it, so job two reads it
    write("in/b.md", "# B2\n\n" + "gamma " * 4000 + "\n")
    cfg = write("c.yaml", text % "limits: {max-input-bytes: 16K}\n")
    rc, out, err = run(["run", cfg])
    check(rc == 3, "exit code of the input failure: %d %s" % (rc, err))
    check(read_bytes(path("tei/b.tei.xml")) == old_tei, "the chained output of the failed input is untouched")
    check("gamma" not in read_bytes(path("html/b.html")).decode(), "html/b.html untouched")
    check(re.search(r"html/b\.html: not converted: its source .*in/b\.md.* failed", err) is not None,
          "the chained input is reported as not converted because its source failed: %s" % err)
    check("2 converted, 0 skipped (up to date), 2 failed" in err, "summary: %s" % err)


MIXED_CFG = """\
jobs:
  - input: "in/**/*"
    output-dir: out
    outputs:
      - "{dir}/{stem}.md"
      - "{dir}/{stem}.html"
      - "{dir}/{stem}.epub"
      - "{dir}/{stem}.tei.xml"
      - "{dir}/{stem}.json"
"""


def case_jobs_identical():
    """--jobs 1 and --jobs 4 write byte-identical outputs (all five formats)."""
    for i in range(3):
        make_mixed("in/copy%d/" % i)
    write("in/speech.md", open(os.path.join(A.src, "samples", "speech.md"), encoding="utf-8").read())
    cfg = write("cfg.yaml", MIXED_CFG)
    results = {}
    for n in ("1", "4", "2"):
        shutil.rmtree(path("out"), ignore_errors=True)
        rc, out, err = run(["run", cfg, "--jobs", n, "-q"])
        check(rc == 0, "--jobs %s: %d %s" % (n, rc, err[-500:]))
        results[n] = snapshot(path("out"))
    check(len(results["1"]) == 13 * 5, "65 outputs: %d" % len(results["1"]))
    for n in ("4", "2"):
        diff = [k for k in results["1"] if results["1"][k] != results[n].get(k)]
        check(not diff and results["1"].keys() == results[n].keys(),
              "--jobs %s equals --jobs 1 byte for byte; differing: %s" % (n, diff[:5]))


def case_jobs_markdown_extensions():
    """Markdown with GFM extensions converts the same with --jobs 8 as with
    --jobs 1. cmark-gfm switches its extensions' inline characters on and off
    in a global table per parse, so two parses at once in two threads turned
    autolinks, strikethrough and table cells into plain text in a few percent
    of the files, silently (seen on the GFM spec's autolink examples)."""
    para = ("Visit www.example.org/a_(b) and ~~gone~~, $x^2$ and <http://x.org>.\n\n"
            "| a | www.t.org ~~z~~ |\n|---|---|\n| 1 | https://u.org/ |\n\n- [x] done www.d.org\n\n")
    for i in range(200):
        write("in/%03d.md" % i, "# File %d\n\n" % i + para * 12)
    cfg = write("cfg.yaml", "jobs:\n  - input: \"in/*.md\"\n    output-dir: out\n"
                "    outputs: [\"{stem}.html\", \"{stem}.md\"]\n")
    results = {}
    for n in ("1", "8"):
        shutil.rmtree(path("out"), ignore_errors=True)
        rc, out, err = run(["run", cfg, "--jobs", n, "-q"])
        check(rc == 0, "--jobs %s: %d %s" % (n, rc, err[-500:]))
        results[n] = snapshot(path("out"))
    check(len(results["1"]) == 400, "400 outputs: %d" % len(results["1"]))
    one = results["1"].get("000.html", b"").decode("utf-8", "replace")
    check(one.count("<del>") == 24 and one.count('href="http://www.example.org/a_(b)"') == 12,
          "--jobs 1 renders the extensions (24 <del>, 12 autolinks)")
    diff = [k for k in results["1"] if results["1"][k] != results["8"].get(k)]
    check(not diff, "--jobs 8 equals --jobs 1 byte for byte; %d files differ: %s" % (len(diff), diff[:5]))


def case_progress_summary_report():
    """Non-tty progress (one line per file), -q, the summary with failures
    and their reasons, warnings, exit code, --report JSON lines."""
    make_mixed()
    write("in/broken.tei.xml", "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>unclosed</body></TEI>\n")
    write("in/broken.html", "")  # an empty HTML file: let the reader decide
    write("in/zz-bad.epub", "this is not a zip archive")
    cfg = write("cfg.yaml", "jobs:\n  - input: \"in/**/*\"\n    output-dir: out\n"
                "    outputs: [\"{dir}/{stem}.{ext}.md\", \"{dir}/{stem}.{ext}.epub\"]\n")
    report = path("report.jsonl")
    rc, out, err = run(["run", cfg, "--jobs", "3", "--report", report])
    lines = err.splitlines()
    prog = [l for l in lines if re.match(r"docpipe: \[\d+/\d+\] ", l)]
    total = len(MIXED) + 3
    check(len(prog) == total, "one progress line per file (%d): %s" % (total, prog))
    check(sorted(int(re.match(r"docpipe: \[(\d+)/", l).group(1)) for l in prog) == list(range(1, total + 1)),
          "progress counts 1..N")
    check(all(re.search(r"\(\d+ ms(, warnings)?\)$", l) for l in prog), "each line has its time")
    ok_lines = [l for l in prog if " ok " in l]
    check(all(" -> " in l and l.count(".md") >= 1 for l in ok_lines), "ok lines name the outputs")
    failed_inputs = [l for l in prog if " FAILED " in l]
    with open(report) as f:
        all_rows = [json.loads(l) for l in f]
    rows = [r for r in all_rows if r["type"] == "input"]
    warn_rows = [r for r in all_rows if r["type"] == "warning"]
    check(len(rows) == total, "one report line per input: %d" % len(rows))
    keys = {"input", "outputs", "status", "warnings", "milliseconds"}
    check(all(keys <= set(r) for r in rows), "report fields %s" % keys)
    check(all(isinstance(r["milliseconds"], (int, float)) and r["milliseconds"] >= 0 for r in rows), "ms")
    bad = [r for r in rows if r["status"] == "failed"]
    check(all(r.get("error") for r in bad), "failed rows carry the error")
    check(any(r["input"].endswith("zz-bad.epub") for r in bad), "the bad EPUB failed")
    check(any(r["input"].endswith("broken.tei.xml") for r in bad), "the broken TEI failed")
    check(len(failed_inputs) == len(bad), "FAILED lines match failed rows")
    good = [r for r in rows if r["status"] == "ok"]
    check(len(good) == total - len(bad) and all(len(r["outputs"]) == 2 for r in good), "others converted")
    for r in good:
        for o in r["outputs"]:
            check(os.path.exists(o), "report output %s exists" % o)
    # warnings are grouped: a line stands for its count ("12\u00d7 ..."), and the
    # summary line counts those -v would show too
    grouped = [l for l in lines if l.startswith("docpipe: warning:")]
    in_all = [int(m.group(1)) for m in (re.match(r"docpipe: warnings: \d+ kinds?, (\d+) in all", l) for l in lines) if m]
    nwarn = in_all[0] if in_all else sum(
        int(m.group(1)) if m else 1 for m in (re.match(r"docpipe: warning: (\d+)\u00d7 ", l) for l in grouped))
    check(sum(r["warnings"] for r in rows) == nwarn, "report warnings (%d) = warnings printed (%d)" %
          (sum(r["warnings"] for r in rows), nwarn))
    check(len(warn_rows) == nwarn, "one report line per warning: %d, %d" % (len(warn_rows), nwarn))
    summary = [l for l in lines if re.match(r"docpipe: \d+ converted", l)]
    want = "docpipe: %d converted, 0 skipped (up to date), %d failed, %d warning%s, %d files written" % (
        len(good), len(bad), nwarn, "" if nwarn == 1 else "s", 2 * len(good))
    check(summary == [want], "summary %r, expected %r" % (summary, want))
    reasons = [l for l in lines if l.startswith("docpipe:   failed ")]
    check(len(reasons) == len(bad) and all(": " in l[18:] for l in reasons), "one reason line per failure: %s" % reasons)
    check(lines and lines[-len(reasons) - 1] == want if reasons else False, "the summary ends the run")
    check(rc == 3, "exit code says a file failed (input: 3): %d" % rc)
    # -q: errors only
    rc, out, err = run(["run", cfg, "--force", "-q"])
    check(rc == 3, "-q keeps the exit code: %d" % rc)
    check(all(l.startswith("docpipe: error: ") for l in err.splitlines()) and len(err.splitlines()) == len(bad),
          "-q prints only the errors: %r" % err)
    # a clean run under -q is silent (warnings included)
    # (a metadata key that neither EPUB nor TEI can place: a content warning)
    write("clean.yaml", "jobs:\n  - input: in/a.md\n    outputs: [x/a.epub, x/a.tei.xml]\n    metadata: {x-unplaced: [a]}\n")
    rc, out, err = run(["run", path("clean.yaml"), "-q"])
    check(rc == 0 and err == "" and out == "", "-q: nothing at all: %r" % err)
    rc, out, err = run(["run", path("clean.yaml"), "--force"])
    check("warning" in err, "the same run without -q warns (so -q did silence something): %r" % err)
    # --fail-fast: the first failure stops the rest
    rc, out, err = run(["run", cfg, "--force", "--jobs", "1", "--fail-fast", "--report", report])
    with open(report) as f:
        rows = [json.loads(l) for l in f]
    check(rc == 3 and rows[-1]["status"] == "failed" and len(rows) < total,
          "--fail-fast stops at the first failure: %d rows, last %s" % (len(rows), rows[-1:]))


def case_progress_tty():
    """On a terminal: one rewritten line with done/total, rate, ETA and the
    current file, ending with a newline before the summary."""
    make_mixed()
    write("in/0bad.epub", "not a zip")  # first in the plan: --fail-fast stops before the end
    cfg = write("cfg.yaml", "jobs:\n  - input: \"in/**/*\"\n    output-dir: out\n    outputs: [\"{dir}/{stem}.json\"]\n")
    for extra in ([], ["--fail-fast"]):
        master, slave = pty.openpty()
        p = subprocess.Popen([A.docpipe, "run", cfg, "--jobs", "1"] + extra, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=slave, env=env(), cwd=A.work)
        os.close(slave)
        buf = b""
        deadline = time.time() + 60
        while time.time() < deadline:
            r, _, _ = select.select([master], [], [], 1)
            if r:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
            elif p.poll() is not None:
                break
        p.wait()
        os.close(master)
        text = buf.decode("utf-8", "replace").replace("\r\n", "\n")
        what = "tty%s" % (" " + extra[0] if extra else "")
        check(re.search(r"\r\x1b\[K\[1/5\] [\d.]+ files/s, ETA \d+s  \S*in/", text) is not None,
              "%s: updating progress line: %r" % (what, text[:300]))
        check("docpipe: [" not in text, "%s: no per-file lines on a terminal" % what)
        summary = re.search(r"(^|\n)docpipe: \d+ converted", text)
        check(summary is not None, "%s: the summary starts on its own line: %r" % (what, text[-400:]))
        check(re.search(r"\ndocpipe: error: \S*0bad.epub", "\n" + text) is not None or "\x1b[Kdocpipe: error:" in text,
              "%s: the error is on its own line: %r" % (what, text[-400:]))


def case_incremental():
    """Skip when every output is newer than the input, the config and the
    plugins; --force rebuilds; a touched input, config or plugin rebuilds."""
    make_mixed()
    plugdir = path("plugins")
    shutil.copytree(os.path.join(os.path.dirname(os.path.dirname(A.docpipe)), "lib", "docpipe", "plugins"), plugdir)
    cfg = write("cfg.yaml", "plugin-path: plugins\njobs:\n  - input: \"in/**/*\"\n    output-dir: out\n"
                "    outputs: [\"{dir}/{stem}.html\", \"{dir}/{stem}.epub\"]\n")
    n = len(MIXED)

    def counts(args=()):
        rc, out, err = run(["run", cfg, "--allow-plugin-path"] + list(args))
        m = re.search(r"(\d+) converted, (\d+) skipped", err)
        check(rc == 0 and m, "run ok: %s" % err[-400:])
        return (int(m.group(1)), int(m.group(2))) if m else None

    check(counts() == (n, 0), "first run converts all")
    before = snapshot(path("out"))
    mt = {k: os.stat(path("out", k)).st_mtime_ns for k in before}
    check(counts() == (0, n), "second run skips all")
    check({k: os.stat(path("out", k)).st_mtime_ns for k in before} == mt, "skipped outputs are not rewritten")
    check(counts(["--force"]) == (n, 0), "--force rebuilds all")
    check(snapshot(path("out")) == before, "a rebuild writes the same bytes")

    def touch(p):
        # now, not the future: a future mtime would stay newer than every
        # output and rebuild on every run (correctly)
        time.sleep(0.05)
        os.utime(p, None)

    touch(path("in/sub/b.md"))
    check(counts() == (1, n - 1), "a touched input rebuilds that input only")
    touch(cfg)
    check(counts() == (n, 0), "a touched config rebuilds all")
    touch(os.path.join(plugdir, "html_reader.so"))
    check(counts() == (1, n - 1), "a touched importer plugin rebuilds the inputs it reads (the one HTML)")
    touch(os.path.join(plugdir, "epub_writer.so"))
    check(counts() == (n, 0), "a touched exporter plugin rebuilds every input writing through it")
    os.unlink(path("out/d.epub"))
    check(counts() == (1, n - 1), "a missing output rebuilds its input")


def case_atomic():
    """A failing real importer or exporter leaves the previous outputs
    byte for byte and no temporary file."""
    make_mixed()
    cfg = write("cfg.yaml", "jobs:\n  - input: \"in/**/*\"\n    output-dir: out\n"
                "    outputs: [\"{dir}/{stem}.html\", \"{dir}/{stem}.epub\", \"{dir}/{stem}.tei.xml\"]\n")
    rc, out, err = run(["run", cfg, "-q"])
    check(rc == 0, "first run: %s" % err)
    before = snapshot(path("out"))
    # the TEI input becomes malformed: its three outputs must stay as they were
    write("in/d.tei.xml", "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>half a docu")
    rc, out, err = run(["run", cfg, "-q"])
    check(rc == 3, "malformed TEI fails (exit 3): %d %s" % (rc, err))
    check(snapshot(path("out")) == before, "previous outputs untouched, byte for byte")
    # an exporter failure: an unknown css file for the EPUB writer
    write("in/d.tei.xml", MIXED["in/d.tei.xml"])
    cfg2 = write("cfg2.yaml", "jobs:\n  - input: \"in/**/*\"\n    output-dir: out\n"
                 "    outputs:\n      - \"{dir}/{stem}.html\"\n      - path: \"{dir}/{stem}.epub\"\n"
                 "        options: {css: /nonexistent/style.css}\n      - \"{dir}/{stem}.tei.xml\"\n")
    write("in/a.md", MIXED["in/a.md"] + "\nMore text.\n")
    rc, out, err = run(["run", cfg2, "--force", "-q"])
    after = snapshot(path("out"))
    check(rc != 0, "the EPUB exporter fails: %d %s" % (rc, err[-300:]))
    check(all(after[k] == before[k] for k in before if k.endswith(".epub")), "EPUBs untouched")
    check(after["a.html"] != before["a.html"] and b"More text" in after["a.html"],
          "the other outputs of the same input were written")
    left = [k for k in after if ".dptmp-" in k]
    check(not left, "no temporary files: %s" % left)


# ---------------------------------------------------------------- ready configs

def case_speech_chain():
    """configs/speech-chain.yaml: md -> html -> epub -> tei -> md, then the
    check that the last Markdown's tree equals the first's (documented loss
    aside)."""
    copy_repo_part("configs/speech-chain.yaml", "samples/speech.md")
    rc, out, err = run(["run", path("configs/speech-chain.yaml"), "--allow-outside"], cwd="/")
    check(rc == 0 and "6 converted, 0 skipped (up to date), 0 failed" in err, "chain config: %d %s" % (rc, err))
    for f in ("html/speech.html", "epub/speech.epub", "tei/speech.tei.xml", "md/speech.md"):
        check(os.path.exists(path("out/chain", f)), "%s written" % f)
    p = subprocess.run([sys.executable, os.path.join(A.src, "tests", "pipelines", "chain_check.py"),
                        path("out/chain")], capture_output=True, text=True)
    print(p.stdout, p.stderr)
    check(p.returncode == 0, "chain check passes")
    check(p.stdout.count("documented loss:") <= 3, "at most the three documented differences")
    # the check can fail: a changed body is caught
    t = json.loads(read_bytes(path("out/chain/speech.last.json")))
    t["body"]["c"][1]["c"][0]["text"] += " (altered)"
    with open(path("out/chain/speech.last.json"), "w") as f:
        json.dump(t, f)
    p = subprocess.run([sys.executable, os.path.join(A.src, "tests", "pipelines", "chain_check.py"),
                        path("out/chain")], capture_output=True, text=True)
    check(p.returncode == 1 and "DIFFERENCE: body" in p.stdout, "an altered body is reported: %s" % p.stdout)
    # rerun: everything up to date
    rc, out, err = run(["run", path("configs/speech-chain.yaml"), "--allow-outside"])
    check("0 converted, 6 skipped" in err, "second run skips: %s" % err)


def case_batch():
    """configs/batch.yaml: samples/batch (Markdown, HTML, TEI, EPUB, nested)
    to EPUB + TEI + HTML; every word of every input in every output; the
    validators on the outputs (skipped when not installed)."""
    copy_repo_part("configs/batch.yaml", "samples/batch")
    inputs = sorted(os.path.relpath(os.path.join(d, n), path("samples/batch"))
                    for d, _, fs in os.walk(path("samples/batch")) for n in fs)
    exts = {os.path.basename(i).split(".", 1)[1] for i in inputs}
    check({"md", "html", "tei.xml", "epub"} <= exts, "mixed inputs: %s" % exts)
    rc, out, err = run(["run", path("configs/batch.yaml"), "--allow-outside", "--jobs", "2", "--report", path("r.jsonl")], cwd="/")
    check(rc == 0 and "%d converted, 0 skipped (up to date), 0 failed" % len(inputs) in err, "batch: %d %s" % (rc, err))
    outs = {"epub": [], "tei": [], "html": []}
    for i in inputs:
        stem = i.rsplit("/", 1)[-1].split(".", 1)[0]
        d = os.path.dirname(i)
        src_words = words(tree(path("samples/batch", i)))
        for kind, ext in (("epub", "epub"), ("tei", "tei.xml"), ("html", "html")):
            o = path("out/batch", d, "%s.%s" % (stem, ext))
            if not check(os.path.exists(o), "%s written" % o):
                continue
            outs[kind].append(o)
            got = set(words(tree(o)))
            missing = [w for w in src_words if w not in got]
            check(not missing, "%s keeps every word of %s; missing %s" % (o, i, missing[:10]))
    validate = os.path.join(A.src, "tests", "common", "validate.sh")
    for kind, files in outs.items():
        if not files:
            continue
        results = []
        for group in ([files] if kind != "epub" else [[f] for f in files]):
            p = subprocess.run(["sh", validate, kind] + group, capture_output=True, text=True)
            results.append(p.returncode)
            if p.returncode == 1:
                print(p.stdout[-2000:], p.stderr[-1000:])
        if all(r == 77 for r in results):
            print("validator for %s not installed: not checked" % kind)
            continue
        check(all(r == 0 for r in results), "%s outputs valid: %s" % (kind, results))
        print("%s: %d files validated" % (kind, len(files)))


CASES = {n[5:]: f for n, f in globals().items() if n.startswith("case_")}


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--docpipe", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--tmp", required=True)
    A = ap.parse_args()
    A.work = os.path.realpath(os.path.join(A.tmp, A.case))
    shutil.rmtree(A.work, ignore_errors=True)
    os.makedirs(A.work)
    if A.case not in CASES:
        print("unknown case", A.case)
        return 2
    need_formats()
    CASES[A.case]()
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
