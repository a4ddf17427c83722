#!/usr/bin/env python3
"""The parallel batch under ThreadSanitizer.

    tsan_batch.py DOCPIPE WORKDIR [--inputs N] [--jobs 1,2,4,8] [--src REPO] [--shared DIR]

Builds a batch of N mixed inputs (Markdown, HTML/XHTML, TEI, JSON, EPUB,
copied from samples/, the tests' data and ../shared/samples, plus a few
inputs that must fail) and one config per --jobs value that converts each
input to several formats, with transforms, through `docpipe run`. Then, for
every --jobs value:

  * ThreadSanitizer must report nothing (TSAN_OPTIONS log_path: any report
    file, or "ThreadSanitizer" on stderr, is a failure);
  * the exit code, the set of failed inputs and every output file must be
    identical to the --jobs 1 run (byte for byte).

DOCPIPE must be a docpipe built with -fsanitize=thread (the plugins too);
the script checks that the binary links the TSan runtime, and exits 77
(skip) when it does not. Exits 0 when all holds, 1 otherwise.
"""
import argparse
import filecmp
import glob
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sources(src, shared):
    """(format, path) of every input to copy, good ones first."""
    def g(pattern, base=src):
        return sorted(glob.glob(os.path.join(base, pattern)))
    md = [p for p in g("samples/*.md") + g("tests/formats/markdown/cases/*.md") + g("tests/formats/tei/md/*.md")
          + g("tests/formats/markdown/unused-footnote.md")]
    html = g("tests/formats/html/reader/data/*.html") + g("tests/formats/html/reader/data/*.xhtml")
    tei = g("tests/formats/tei/data/*.xml") + g("tests/formats/tei/inputs/*.xml")
    if shared:
        tei += g("samples/tei/*.xml", shared)
    js = g("samples/*.json") + g("tests/formats/json/cases/*.json")
    epub = g("samples/epub/wasteland.epub", shared) if shared else []
    # inputs that must fail, so error reporting runs concurrently too
    bad = [("json", p) for p in g("tests/formats/json/errors/*.json")[:6]] + [("markdown", p) for p in g("tests/formats/markdown/yaml-error.md")]
    good = [("markdown", p) for p in md] + [("html", p) for p in html] + [("tei", p) for p in tei] + \
           [("json", p) for p in js] + [("epub", p) for p in epub]
    return good, bad


EXT = {"markdown": "md", "html": "html", "tei": "xml", "json": "json", "epub": "epub"}

# per input format: transforms and output formats (every exporter runs
# concurrently with every other)
PLAN = {
    "markdown": (["toc", "ids", "smart-quotes", "lang-detect"], ["html", "json", "tei", "epub", "markdown"]),
    "html": (["notes", "ids"], ["markdown", "json", "tei"]),
    "tei": (["number-sections"], ["html", "json", "markdown"]),
    "json": ([], ["markdown", "html", "json"]),
    "epub": (["lang-detect"], ["json", "html"]),
}


def make_batch(work, n, src, shared):
    good, bad = sources(src, shared)
    if not good:
        sys.exit("no inputs found under %s" % src)
    inputs = os.path.join(work, "inputs")
    shutil.rmtree(inputs, ignore_errors=True)
    chosen = list(bad)
    i = 0
    while len(chosen) < n:
        chosen.append(good[i % len(good)])
        i += 1
    counts = {}
    for k, (fmt, path) in enumerate(chosen):
        d = os.path.join(inputs, fmt)
        os.makedirs(d, exist_ok=True)
        base = os.path.basename(path)
        stem = base[: -len(EXT[fmt]) - 1] if base.endswith("." + EXT[fmt]) else base.rsplit(".", 1)[0]
        shutil.copyfile(path, os.path.join(d, "%03d-%s.%s" % (k, stem, EXT[fmt])))
        counts[fmt] = counts.get(fmt, 0) + 1
    return counts, len(bad)


def write_config(work, jobs):
    lines = ["version: 1", "jobs:"]
    for fmt, (transforms, outs) in PLAN.items():
        if not glob.glob(os.path.join(work, "inputs", fmt, "*")):
            continue
        lines.append("  - name: %s" % fmt)
        lines.append("    input: {path: \"inputs/%s/*.%s\", format: %s}" % (fmt, EXT[fmt], fmt))
        if transforms:
            lines.append("    transforms: [%s]" % ", ".join(transforms))
        lines.append("    output-dir: out-%d/%s" % (jobs, fmt))
        lines.append("    outputs:")
        for o in outs:
            lines.append("      - {format: %s, path: \"{stem}.%s.{outext}\"}" % (o, o))
    cfg = os.path.join(work, "batch-%d.yaml" % jobs)
    with open(cfg, "w") as f:
        f.write("\n".join(lines) + "\n")
    return cfg


def links_tsan(docpipe):
    """clang links the TSan runtime statically (gcc: libtsan.so): look for
    its entry point in the binary itself, then in ldd's list."""
    try:
        with open(docpipe, "rb") as f:
            if b"__tsan_init" in f.read():
                return True
        out = subprocess.run(["ldd", docpipe], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libtsan" in out


def run(docpipe, work, cfg, jobs):
    out = os.path.join(work, "out-%d" % jobs)
    shutil.rmtree(out, ignore_errors=True)
    tsan_dir = os.path.join(work, "tsan-%d" % jobs)
    shutil.rmtree(tsan_dir, ignore_errors=True)
    os.makedirs(tsan_dir)
    env = dict(os.environ)
    env["TSAN_OPTIONS"] = ("halt_on_error=0 exitcode=66 second_deadlock_stack=1 history_size=4 "
                           "suppressions=%s log_path=%s/report" % (os.path.join(HERE, "tsan.supp"), tsan_dir))
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    env["DOCPIPE_CACHE_DIR"] = os.path.join(work, "cache")
    report = os.path.join(work, "report-%d.jsonl" % jobs)
    cmd = [docpipe, "run", cfg, "--jobs", str(jobs), "--force", "--report", report]
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, errors="replace")
    secs = time.monotonic() - t0
    with open(os.path.join(work, "stderr-%d.txt" % jobs), "w") as f:
        f.write(p.stderr)
    reports = sorted(glob.glob(os.path.join(tsan_dir, "report*")))
    failed = []
    statuses = {}
    if os.path.exists(report):
        for line in open(report):
            rec = json.loads(line)
            statuses[rec["input"]] = rec["status"]
            if rec["status"] == "failed":
                failed.append(rec["input"])
    return dict(jobs=jobs, rc=p.returncode, secs=secs, out=out, reports=reports, stderr=p.stderr,
                failed=sorted(failed), statuses=statuses)


def tree_files(d):
    res = []
    for root, _, files in os.walk(d):
        for f in files:
            res.append(os.path.relpath(os.path.join(root, f), d))
    return sorted(res)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("docpipe")
    ap.add_argument("work")
    ap.add_argument("--inputs", type=int, default=200)
    ap.add_argument("--jobs", default="1,2,4,8")
    ap.add_argument("--src", default=os.path.normpath(os.path.join(HERE, "..", "..", "..")))
    ap.add_argument("--shared", default=os.environ.get("DOCPIPE_SHARED_DIR", ""))
    ap.add_argument("--require-tsan", action="store_true", help="fail instead of skipping without TSan")
    a = ap.parse_args()

    docpipe = os.path.abspath(a.docpipe)
    if not links_tsan(docpipe):
        print("%s is not built with -fsanitize=thread (no TSan runtime in it): skip" % docpipe)
        sys.exit(1 if a.require_tsan else 77)
    shared = a.shared if a.shared and os.path.isdir(a.shared) else ""
    if not shared:
        print("note: no ../shared: the batch has no EPUB and no shared TEI samples")
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    counts, nbad = make_batch(work, a.inputs, a.src, shared)
    print("batch: %d inputs %s (%d expected to fail)" % (sum(counts.values()), counts, nbad))

    jobs = [int(j) for j in a.jobs.split(",")]
    if 1 not in jobs:
        jobs.insert(0, 1)
    ok = True
    results = {}
    for j in jobs:
        r = run(docpipe, work, write_config(work, j), j)
        results[j] = r
        nout = len(tree_files(r["out"])) if os.path.isdir(r["out"]) else 0
        print("--jobs %d: exit %d, %.1fs, %d outputs, %d failed inputs, %d TSan reports" % (
            j, r["rc"], r["secs"], nout, len(r["failed"]), len(r["reports"])))
        if r["reports"] or "ThreadSanitizer" in r["stderr"]:
            ok = False
            for rep in r["reports"]:
                print("==== %s ====" % rep)
                print(open(rep, errors="replace").read())
            if not r["reports"]:
                print(r["stderr"])
        if r["rc"] == 66 or r["rc"] < 0:
            ok = False
            print("--jobs %d: exit %d (TSan exit code or a signal)" % (j, r["rc"]))
            if not r["reports"]:
                print(r["stderr"][-3000:])

    base = results[1]
    if base["rc"] != 0 and not base["failed"]:
        ok = False
        print("--jobs 1 failed (exit %d) with no failed input in the report:\n%s" % (base["rc"], base["stderr"][-3000:]))
    # the inputs that must fail are the first nbad (numbered 000..); every
    # other one must convert, or the batch would not exercise its plugins
    expected = {"%03d" % k for k in range(nbad)}
    got = {os.path.basename(f)[:3] for f in base["failed"]}
    if got != expected:
        ok = False
        print("--jobs 1: failed inputs are not the %d expected ones: unexpected failures %s, missing failures %s" % (
            nbad, sorted(f for f in base["failed"] if os.path.basename(f)[:3] not in expected),
            sorted(expected - got)))
    base_files = tree_files(base["out"]) if os.path.isdir(base["out"]) else []
    if not base_files:
        ok = False
        print("--jobs 1 wrote no output")
    for j in jobs:
        if j == 1:
            continue
        r = results[j]
        if r["rc"] != base["rc"] and r["rc"] != 66:  # 66: TSan's exit code, reported above
            ok = False
            print("--jobs %d: exit %d, --jobs 1: exit %d" % (j, r["rc"], base["rc"]))
        if [os.path.basename(f) for f in r["failed"]] != [os.path.basename(f) for f in base["failed"]]:
            ok = False
            print("--jobs %d: failed inputs differ from --jobs 1:\n  %s\n  %s" % (j, r["failed"], base["failed"]))
        files = tree_files(r["out"]) if os.path.isdir(r["out"]) else []
        if files != base_files:
            ok = False
            print("--jobs %d: output file list differs: only in 1: %s; only in %d: %s" % (
                j, sorted(set(base_files) - set(files))[:10], j, sorted(set(files) - set(base_files))[:10]))
        diff = [f for f in base_files if f in files and
                not filecmp.cmp(os.path.join(base["out"], f), os.path.join(r["out"], f), shallow=False)]
        if diff:
            ok = False
            print("--jobs %d: %d outputs differ from --jobs 1, e.g. %s" % (j, len(diff), diff[:10]))
        else:
            print("--jobs %d: %d outputs byte-identical to --jobs 1" % (j, len(base_files)))
    print("TSan batch: %s" % ("PASS" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
