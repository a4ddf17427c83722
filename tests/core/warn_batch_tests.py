#!/usr/bin/env python3
"""Warnings a person can read and batches that never clobber (issue 18).

Cases run through the testtext plugin (tests/core/plugins/testtext.c) with the
helpers of core_tests.py; the EPUB cases use the format plugins of the build
and skip (77) when a sample of ../shared is absent.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import core_tests as ct  # noqa: E402
from core_tests import check, expect, read, run, write  # noqa: E402

SKIP = 77


def report_rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def case_warnings_grouped():
    src = write("in.ttxt", "".join("line %d\n" % i for i in range(40)))
    rc, out, err = run([src, "-o", os.path.join(ct.A.work, "o.ttxt"), "-O", "warn-write=true"])
    lines = err.splitlines()
    expect(rc, err, "ok", "40\u00d7 para: test exporter loss (option 'warn-write') (", "grouped line")
    check(len(lines) == 2, "one grouped line and the summary, got %d: %s" % (len(lines), err))
    check("in.ttxt:1:1, " in err and "in.ttxt:3:1, \u2026)" in err, "first three locations: " + err)
    check("in.ttxt:4:1" not in err, "only the first three locations: " + err)
    check("warnings: 1 kind, 40 in all (40 content, 0 presentation); --report FILE lists every one" in err,
          "summary line: " + err)
    # --report for a single conversion: every warning, with its fields
    rep = os.path.join(ct.A.work, "r.jsonl")
    rc, out, err = run([src, "-o", os.path.join(ct.A.work, "o.ttxt"), "-O", "warn-write=true", "--report", rep])
    check(rc == 0 and ("%s lists every one" % rep) in err, "summary names the report: " + err)
    rows = report_rows(rep)
    warns = [r for r in rows if r["type"] == "warning"]
    inputs = [r for r in rows if r["type"] == "input"]
    check(len(warns) == 40 and len(inputs) == 1, "40 warning rows and 1 input row: %d %d" % (len(warns), len(inputs)))
    w = warns[5]
    check(w["class"] == "content" and w["code"] is None and w["plugin"] == "testtext.writer", "fields: %r" % w)
    check(w["line"] == 6 and w["column"] == 1 and w["node"] == "/para[6]" and w["file"].endswith("in.ttxt"),
          "location and node path: %r" % w)
    check(w["message"] == "para: test exporter loss (option 'warn-write')", "message: %r" % w)
    # distinct messages stay apart; one warning keeps the FILE:LINE:COL: form
    src1 = write("one.ttxt", "a\n")
    rc, out, err = run([src1, "-t", "testtext", "-O", "warn-write=true"])
    check(err.endswith("one.ttxt:1:1: para: test exporter loss (option 'warn-write') [testtext.writer]\n"),
          "a single warning reads as before: " + err)
    check("warnings:" not in err, "no summary for one warning: " + err)


def case_warnings_classes():
    src = write("in.ttxt", "a\nb\nc\n")
    outp = write("o.ttxt", "OLD\n")
    rc, out, err = run([src, "-o", outp, "-O", "warn-style=true"])
    check(rc == 0 and "test class not kept" not in err, "presentation hidden by default: " + err)
    check("warnings: 1 kind, 3 in all (0 content, 3 presentation: shown with -v)" in err, "but counted: " + err)
    rc, out, err = run([src, "-o", outp, "-O", "warn-style=true", "-v"])
    check("3\u00d7 para: test class not kept (option 'warn-style')" in err, "-v shows them: " + err)
    rc, out, err = run([src, "-o", outp, "-O", "warn-style=true", "--strict"])
    check(rc == 0 and read("o.ttxt") == "a\nb\nc\n", "presentation never fails --strict: %d %s" % (rc, err))
    write("o.ttxt", "OLD\n")
    rc, out, err = run([src, "-o", outp, "-O", "warn-style=true", "-O", "warn-write=true", "--strict"])
    expect(rc, err, "loss", "3 loss warnings from testtext.writer under --strict", "content still fails --strict")
    check(read("o.ttxt") == "OLD\n", "nothing written")
    rep = os.path.join(ct.A.work, "r.jsonl")
    run([src, "-o", outp, "-O", "warn-style=true", "-O", "warn-write=true", "--report", rep])
    classes = sorted({(r["class"], r["code"]) for r in report_rows(rep) if r["type"] == "warning"},
                     key=lambda t: (t[0], t[1] or ""))
    check(classes == [("content", None), ("presentation", "test.style")], "report classes: %r" % classes)


def samples(name):
    path = os.path.join(ct.A.src, "..", "shared", "samples", "epub", name)
    if not os.path.exists(path):
        print("skipped: %s absent (../shared)" % path)
        sys.exit(SKIP)
    return os.path.realpath(path)


def case_warnings_books():
    """The done check of issue 18: at most 30 lines for a real book."""
    for name, inner in (("accessible_epub_3.epub", "EPUB/"), ("wasteland.epub", "EPUB/wasteland-content.xhtml:")):
        book = samples(name)
        rep = os.path.join(ct.A.work, name + ".jsonl")
        rc, out, err = run([book, "-o", os.path.join(ct.A.work, name + ".md"), "--report", rep], plugin_dir=False)
        lines = err.splitlines()
        rows = [r for r in report_rows(rep) if r["type"] == "warning"]
        check(rc == 0 and len(lines) <= 30, "%s: %d lines (at most 30): %s" % (name, len(lines), err))
        check(len(rows) > 100, "%s: the report holds every warning (%d)" % (name, len(rows)))
        rc, out, verr = run([book, "-o", os.path.join(ct.A.work, name + ".md"), "-v"], plugin_dir=False)
        check(("%s!/%s" % (book, inner)) in verr, "%s: locations name the file inside the container: %s" % (name, verr))
        check(all(r["file"].startswith(book + "!/") for r in rows if r["plugin"] == "markdown.writer"),
              "%s: writer warnings carry the inner file" % name)
        summary = [line for line in lines if line.startswith("docpipe: warnings: ")]
        check(len(summary) == 1 and ("%d in all" % len(rows)) in summary[0], "%s: summary counts all: %s" % (name, summary))


def case_global_options_first():
    src = write("g/in.ttxt", "a\n")
    cfg = write("g/c.yaml", "jobs:\n  - input: in.ttxt\n    outputs: [out.ttxt]\n")
    # run() puts the subcommand first: call docpipe with the global options before it
    env = dict(os.environ, DOCPIPE_CACHE_DIR=os.path.join(ct.A.work, "cache"))
    p = subprocess.run([ct.A.docpipe, "-q", "--plugin-dir", ct.A.good, "run", cfg], capture_output=True, env=env)
    check(p.returncode == 0 and p.stderr == b"", "docpipe -q --plugin-dir D run CONFIG: %d %r" % (p.returncode, p.stderr))
    check(read("g/out.ttxt") == "a\n", "converted")
    p = subprocess.run([ct.A.docpipe, "-v", "--plugin-dir", ct.A.good, "plugins"], capture_output=True, env=env)
    check(p.returncode == 0 and b"testtext" in p.stdout, "docpipe -v plugins: %d %r" % (p.returncode, p.stderr))


def case_list_option_repeats():
    src = write("in.ttxt", "a\n")
    rc, out, err = run([src, "-t", "testtext", "-O", "tags=x,y", "-O", "tags=z"])
    check(rc == 0 and out.startswith("tag: x\ntag: y\ntag: z\n"), "repeats and comma lists add up: %r %s" % (out, err))
    rc, out, err = run([src, "-t", "testtext", "-O", "tags= p , q"])
    check(out.startswith("tag: p\ntag: q\na"), "items are trimmed: %r" % out)


def case_unclaimed_and_exclude():
    write("u/src/a.ttxt", "a\n")
    write("u/src/notes.txt", "not a document\n")
    write("u/src/drafts/b.ttxt", "b\n")
    cfg = write("u/c.yaml", "jobs:\n  - input: 'src/**/*'\n    outputs: ['out/{stem}.ttxt']\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "ok", "/u/src/notes.txt' matches the input 'src/**/*' but no importer reads it: skipped",
           "an unclaimed file is skipped with a warning")
    check("2 converted" in err and "1 warning," in err, "counted in the summary: " + err)
    check(os.path.exists(os.path.join(ct.A.work, "u/out/a.ttxt")), "the others converted")
    cfg = write("u/c.yaml", "jobs:\n  - input: 'src/**/*'\n    exclude: ['src/drafts/*', '*.txt']\n"
                "    outputs: ['out2/{stem}.ttxt']\n")
    rc, out, err = run(["run", cfg])
    check(rc == 0 and "1 converted" in err and "0 warnings" in err, "exclude leaves files out quietly: " + err)
    check(not os.path.exists(os.path.join(ct.A.work, "u/out2/b.ttxt")), "excluded file not converted")
    cfg = write("u/c.yaml", "jobs:\n  - input: 'src/*'\n    exclude: {a: b}\n    outputs: ['o/{stem}.ttxt']\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "config", "3:14: exclude must be a glob or a list of globs", "exclude of the wrong type")


def case_strict_job_writes_nothing():
    write("s/a.ttxt", "a\n")
    write("s/b.ttxt", "b\n")
    # b's second output warns: under --strict neither of b's outputs is written, a's are
    cfg = write("s/c.yaml", "jobs:\n  - input: '*.ttxt'\n    outputs:\n      - 'o/{stem}.1.ttxt'\n"
                "      - path: 'o/{stem}.2.ttxt'\n        options: {warn-write: true}\n"
                "  - input: a.ttxt\n    outputs: ['o/solo.ttxt']\n")
    rc, out, err = run(["run", cfg, "--strict", "--jobs", "1"])
    expect(rc, err, "loss", "--strict: none of the job's 2 outputs written", "strict job fails whole")
    made = sorted(ct.outputs_in(os.path.join(ct.A.work, "s/o"))) if os.path.isdir(os.path.join(ct.A.work, "s/o")) else []
    check(made == ["solo.ttxt"], "a failing job writes nothing, the others go on: %r" % made)
    check("a failing input wrote none of its outputs (--strict); the other inputs went on" in err, "summary: " + err)
    rc, out, err = run(["run", cfg, "--strict", "--fail-fast", "--jobs", "1"])
    check("--fail-fast: stopped at the first failure; 2 inputs not started" in err, "fail-fast summary: " + err)


def case_stamps():
    write("st/in.ttxt", "a\n")
    one = write("st/one.yaml", "jobs:\n  - name: one\n    input: in.ttxt\n    outputs: [out.ttxt]\n")
    two = write("st/two.yaml", "jobs:\n  - name: two\n    input: in.ttxt\n    outputs:\n"
                "      - path: out.ttxt\n        options: {prefix: 'TWO '}\n")
    rc, out, err = run(["run", one])
    check(rc == 0 and read("st/out.ttxt") == "a\n", "first config writes: " + err)
    rc, out, err = run(["run", two])
    check("1 converted" in err and read("st/out.ttxt") == "TWO a\n",
          "the second config is not 'up to date' with the first one's file: %r %s" % (read("st/out.ttxt"), err))
    check("out.ttxt was written by another job (" in err and "one.yaml#one)" in err, "and says so: " + err)
    rc, out, err = run(["run", two])
    check("1 skipped" in err and "warning:" not in err, "its own output is up to date: " + err)
    # same mtime order, other content: not up to date
    time.sleep(0.01)
    write("st/in.ttxt", "b\n")
    os.utime(os.path.join(ct.A.work, "st/in.ttxt"), (1, 1))
    rc, out, err = run(["run", two])
    check("1 converted" in err and read("st/out.ttxt") == "TWO b\n", "new input content rebuilds: " + err)
    # another option: not up to date
    write("st/two.yaml", "jobs:\n  - name: two\n    input: in.ttxt\n    outputs:\n"
          "      - path: out.ttxt\n        options: {prefix: 'TWO '}\n")
    os.utime(os.path.join(ct.A.work, "st/two.yaml"), (1, 1))
    write("st/two.yaml", "jobs:\n  - name: two\n    input: in.ttxt\n    outputs:\n"
          "      - path: out.ttxt\n        options: {prefix: '2 '}\n")
    os.utime(os.path.join(ct.A.work, "st/two.yaml"), (1, 1))
    rc, out, err = run(["run", two])
    check("1 converted" in err and read("st/out.ttxt") == "2 b\n", "changed options rebuild: " + err)
    check(os.path.exists(os.path.join(ct.A.work, "st/.out.ttxt.dpstamp")), "the stamp lives beside the output")


if __name__ == "__main__":
    for name in dir(sys.modules[__name__]):
        if name.startswith("case_"):
            setattr(ct, name, getattr(sys.modules[__name__], name))
    sys.exit(ct.main())
