#!/usr/bin/env python3
"""The instruction-count guard (issue 23): usage

    instructions.py DOCPIPE REPO WORKDIR BUILD_ID [--record] [--baseline FILE]

Counts the instructions of whole docpipe processes under callgrind
(`valgrind --tool=callgrind --trace-children=no`) for the speech in each of
the 16 pairs of Markdown, HTML, EPUB and TEI, and for the 1 MB Markdown input
(bench/gen_inputs.py) to HTML, EPUB and TEI, and compares each count with the
committed baseline (bench/instructions-baseline.json). Fails when any count
grew by more than 10 %; a count that fell by more than 10 % is reported (the
baseline should then be re-recorded to keep the guard tight) but passes.

Instruction counts repeat to about 0.01 % on a busy machine, where wall time
does not, so this is the throughput check CI can afford. They depend on the
compiler and the build type: BUILD_ID (e.g. "RelWithDebInfo GNU 12.2.0",
given by CMake) must be the baseline's, else the test skips (exit 77) and says
why, as it does without valgrind.

--record (or DOCPIPE_RECORD_INSTRUCTIONS=1 in the environment, so that
`DOCPIPE_RECORD_INSTRUCTIONS=1 ctest -R '^perf\.instructions$' -V` records
with the build's own arguments) writes the counts as the new baseline
instead of comparing. Record
only in a commit that says why the counts moved (docs/PERFORMANCE.md has the
command). The inputs in HTML, EPUB and TEI are docpipe's own output from
samples/speech.md, made (uncounted) in WORKDIR first; callgrind's files stay
in WORKDIR/callgrind/ for `callgrind_annotate` when a count grows.
"""
import json
import os
import re
import shutil
import subprocess
import sys

TOLERANCE = 0.10
FORMATS = [("md", "md"), ("html", "html"), ("epub", "epub"), ("tei", "tei.xml")]
LARGE_TARGETS = ["html", "epub", "tei"]
# A fixed date: the EPUB and TEI writers stamp the conversion time; the same
# date every run makes the same work every run.
ENV_FIXED = {"SOURCE_DATE_EPOCH": "1700000000", "LC_ALL": "C.UTF-8"}


def die(code, msg):
    print(msg)
    sys.exit(code)


def run(argv, env):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        die(1, "FAIL: %s exited %d: %s" % (" ".join(argv), p.returncode, (p.stdout + p.stderr).strip()[-600:]))
    return p


def make_inputs(dp, repo, work, env):
    """The speech in each format and the 1 MB Markdown input; returns {name: path}."""
    src = os.path.join(work, "inputs")
    os.makedirs(src, exist_ok=True)
    speech = os.path.join(repo, "samples", "speech.md")
    inputs = {"speech.md": os.path.join(src, "speech.md")}
    shutil.copyfile(speech, inputs["speech.md"])
    for fmt, ext in FORMATS[1:]:
        path = os.path.join(src, "speech." + ext)
        run([dp, "-q", inputs["speech.md"], "-o", path], env)
        inputs["speech." + fmt] = path
    sys.path.insert(0, os.path.join(repo, "bench"))
    from gen_inputs import scaled  # the bench's own 1 MB input, made the same way
    with open(speech, encoding="utf-8") as f:
        doc, _ = scaled(f.read(), 1 << 20)
    inputs["1mb.md"] = os.path.join(src, "speech-1mb.md")
    with open(inputs["1mb.md"], "w", encoding="utf-8") as f:
        f.write(doc)
    return inputs


def cases(inputs):
    """(key, input path, output extension) for every counted conversion."""
    out = []
    for sfmt, _ in FORMATS:
        for dfmt, dext in FORMATS:
            out.append(("speech %s->%s" % (sfmt, dfmt), inputs["speech." + sfmt], dext))
    for dfmt in LARGE_TARGETS:
        out.append(("1mb md->%s" % dfmt, inputs["1mb.md"], dict(FORMATS)[dfmt]))
    return out


def count(dp, key, src, ext, work, env):
    slug = re.sub(r"[^a-z0-9]+", "-", key)
    dst = os.path.join(work, "out", slug + "." + ext)
    cg = os.path.join(work, "callgrind", slug + ".out")
    argv = ["valgrind", "--tool=callgrind", "--trace-children=no", "--callgrind-out-file=" + cg,
            dp, "-q", src, "-o", dst]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    if p.returncode != 0 or not m or not os.path.exists(dst):
        die(1, "FAIL: %s: %s exited %d: %s" % (key, " ".join(argv), p.returncode, p.stderr.strip()[-600:]))
    return int(m.group(1)), cg


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    record = "--record" in sys.argv or os.environ.get("DOCPIPE_RECORD_INSTRUCTIONS") == "1"
    baseline_path = None
    if "--baseline" in sys.argv:
        baseline_path = sys.argv[sys.argv.index("--baseline") + 1]
        args.remove(baseline_path)
    if len(args) != 4:
        die(2, __doc__)
    dp, repo, work, build_id = args
    baseline_path = baseline_path or os.path.join(repo, "bench", "instructions-baseline.json")
    if not shutil.which("valgrind"):
        die(77, "SKIP: valgrind is not installed (scripts/install-deps.sh --tests installs it)")
    baseline = None
    if not record:
        if not os.path.exists(baseline_path):
            die(1, "FAIL: no baseline %s: record one (docs/PERFORMANCE.md)" % baseline_path)
        with open(baseline_path, encoding="utf-8") as f:
            baseline = json.load(f)
        if baseline.get("build") != build_id:
            die(77, "SKIP: the baseline was recorded with the build %r and this build is %r; instruction counts "
                "depend on the compiler and its options, so only the normal build (scripts/run-tests.sh) is "
                "compared" % (baseline.get("build"), build_id))
    env = dict(os.environ, **ENV_FIXED)
    env.setdefault("DOCPIPE_CACHE_DIR", os.path.join(work, "cache"))
    for d in ("out", "callgrind"):
        shutil.rmtree(os.path.join(work, d), ignore_errors=True)
        os.makedirs(os.path.join(work, d))
    # Making the inputs also fills the registry cache, so every counted run
    # finds it filled: the first run after a build would otherwise count the
    # plugin scan.
    inputs = make_inputs(dp, repo, work, env)

    counts, files = {}, {}
    for key, src, ext in cases(inputs):
        counts[key], files[key] = count(dp, key, src, ext, work, env)

    if record:
        data = {"about": "Instructions of whole docpipe processes under callgrind, written by "
                         "tests/perf/instructions.py --record; the test perf.instructions fails when any "
                         "count grows by more than %d %%. Re-record only in a commit that says why "
                         "(docs/PERFORMANCE.md)." % round(TOLERANCE * 100),
                "build": build_id, "valgrind": run(["valgrind", "--version"], env).stdout.strip(),
                "instructions": counts}
        with open(baseline_path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        for key, n in counts.items():
            print("%-22s %14s" % (key, format(n, ",")))
        print("recorded %d counts in %s" % (len(counts), baseline_path))
        return 0

    base = baseline["instructions"]
    grew, fell, missing = [], [], []
    print("%-22s %14s %14s %8s" % ("conversion", "baseline", "now", "change"))
    for key, n in counts.items():
        b = base.get(key)
        if b is None:
            missing.append(key)
            print("%-22s %14s %14s" % (key, "—", format(n, ",")))
            continue
        change = n / b - 1
        flag = ""
        if change > TOLERANCE:
            grew.append(key)
            flag = "  GREW (callgrind_annotate %s)" % files[key]
        elif change < -TOLERANCE:
            fell.append(key)
            flag = "  fell: re-record the baseline"
        print("%-22s %14s %14s %+7.1f%%%s" % (key, format(b, ","), format(n, ","), 100 * change, flag))
    stale = sorted(set(base) - set(counts))
    if stale:
        print("in the baseline but no longer counted: %s" % ", ".join(stale))
    if fell:
        print("%d counts fell by more than %d %%: the guard is loose until the baseline is re-recorded "
              "(docs/PERFORMANCE.md)" % (len(fell), round(TOLERANCE * 100)))
    if grew or missing or stale:
        print("FAIL: %d grew by more than %d %%, %d not in the baseline, %d in the baseline only"
              % (len(grew), round(TOLERANCE * 100), len(missing), len(stale)))
        return 1
    print("%d counts within +%d %% of the baseline" % (len(counts), round(TOLERANCE * 100)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
