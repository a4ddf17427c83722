#!/usr/bin/env python3
"""The example config at the top of docs/CONFIG.md must run as written.

    check_config_example.py --docpipe BIN --src SOURCE_DIR --tmp DIR

Builds the layout the example expects around a copy of it (the speech as
../samples/speech.md, the ../my-plugins directory, a docs/**/*.md batch),
runs it, and checks that every output it names was written. A renamed
option, key or placeholder in the example fails the run (exit 4) and so
this test. Exit 0 pass, 1 fail."""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docpipe", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--tmp", required=True)
    a = ap.parse_args()
    with open(os.path.join(a.src, "docs", "CONFIG.md"), encoding="utf-8") as f:
        m = re.search(r"```yaml\n(.*?)```", f.read(), re.S)
    if not m:
        print("FAIL: docs/CONFIG.md has no ```yaml example")
        return 1
    root = os.path.abspath(a.tmp)
    shutil.rmtree(root, ignore_errors=True)
    for d in ("docs/docs/guide", "samples", "my-plugins"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(os.path.join(a.src, "samples", "speech.md"), os.path.join(root, "samples"))
    with open(os.path.join(root, "docs/docs/guide/intro.md"), "w", encoding="utf-8") as f:
        f.write("# Guide\n\nSome text.\n")
    cfg = os.path.join(root, "docs", "pipeline.yaml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(m.group(1))
    env = dict(os.environ, DOCPIPE_CACHE_DIR=os.path.join(root, "cache"))
    # the example adds a plugin directory: the user allows it (docs/SECURITY.md)
    p = subprocess.run([a.docpipe, "run", "-q", "--allow-plugin-path", cfg], capture_output=True, env=env)
    err = p.stderr.decode("utf-8", "replace")
    fails = []
    if p.returncode != 0:
        fails.append("the example config exits %d: %s" % (p.returncode, err.strip()))
    for out in ("out/speech.epub", "out/speech.html", "build/docs/guide/intro.html",
                "build/docs/tei/guide/intro.tei.xml", "roundtrip/speech-from-epub.md",
                "roundtrip/speech-from-html.md"):
        if not os.path.isfile(os.path.join(root, "docs", out)):
            fails.append("the example config did not write %s" % out)
    if p.returncode == 0 and b'"type"' not in p.stdout and b"{" not in p.stdout:
        fails.append("the json output to standard output is missing")
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("the CONFIG.md example ran: 3 jobs, every named output written")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
