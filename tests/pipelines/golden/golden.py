#!/usr/bin/env python3
"""Golden tests: the exact output (and warnings) of a conversion, compared with
a reviewed copy in expected/. They catch any unintended change in what an
exporter writes or what it reports as lost; the validators and round trips
check that the output is right, these check that it did not move.

usage: golden.py DOCPIPE SOURCE_DIR NAME          compare one case
       golden.py DOCPIPE SOURCE_DIR --update      rewrite every expected file

After --update, read `git diff tests/pipelines/golden/expected` before committing: an
expected file is only as good as the review it got. The docpipe version and
the source directory are replaced by @VERSION@ and @SRC@ so that neither a
release nor a checkout path changes the files."""
import difflib, os, subprocess, sys

DOCPIPE, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (input relative to the source dir, output format)
INPUTS = {
    "md-basic": "tests/formats/markdown/cases/basic.md",
    "md-gfm": "tests/formats/markdown/cases/gfm.md",
    "md-html": "tests/formats/markdown/cases/html.md",
    "md-frontmatter": "tests/formats/markdown/cases/frontmatter.md",
    "every-node": "samples/every-node.json",
    "html-constructs": "tests/formats/html/reader/data/constructs.html",
    "tei-all-elements": "tests/formats/tei/data/all-elements.xml",
}
FORMATS = {"json": "json", "md": "md", "html": "html", "tei": "tei.xml"}
CASES = {f"{i}.{f}": (path, f, ext) for i, path in INPUTS.items() for f, ext in FORMATS.items()}


def version():
    out = subprocess.run([DOCPIPE, "--version"], capture_output=True, text=True).stdout.split()
    return out[1] if len(out) > 1 else "?"


def convert(path, fmt):
    p = subprocess.run([DOCPIPE, os.path.join(SRC, path), "-t", fmt], capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
    ver = version()
    norm = lambda s: s.replace(SRC + "/", "@SRC@/").replace(ver, "@VERSION@")
    return (f"exit {p.returncode}\n--- stderr\n" + norm(p.stderr) + "--- stdout\n" + norm(p.stdout))


def expected_path(name):
    path, fmt, ext = CASES[name]
    return os.path.join(HERE, "expected", f"{name.rsplit('.', 1)[0]}.{ext}.golden")


def main():
    if sys.argv[3] == "--update":
        for name, (path, fmt, _) in CASES.items():
            with open(expected_path(name), "w", encoding="utf-8") as f:
                f.write(convert(path, fmt))
        print(f"wrote {len(CASES)} expected files; review them with git diff")
        return 0
    name = sys.argv[3]
    path, fmt, _ = CASES[name]
    if not os.path.exists(expected_path(name)):
        print(f"FAIL: no expected file {expected_path(name)} (run golden.py --update and review it)")
        return 1
    with open(expected_path(name), encoding="utf-8") as f:
        want = f.read()
    got = convert(path, fmt)
    if got == want:
        print(f"ok {name}")
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               "expected", "actual", n=2))
    print(f"\nFAIL: {name} differs from {os.path.relpath(expected_path(name), SRC)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
