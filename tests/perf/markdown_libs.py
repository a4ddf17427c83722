#!/usr/bin/env python3
"""The Markdown plugin loads libxml2 only for a formula that needs it
(issue 23): usage  markdown_libs.py DOCPIPE WORKDIR

markdown.so used to link libxml2 (through plugins/mathconv, for MathML ->
TeX in the Markdown writer), so every Markdown read or write loaded libxml2,
ICU and libstdc++: about 3.7 M of the 4.7 M instructions of a one-word
md->json. The conversion now sits in the helper helpers/mathconv.so, opened
the first time a formula has MathML and no TeX. Checks, with the dynamic
loader's own report (LD_DEBUG=libs):

- one-word md->json and md->md load no libxml2;
- a formula with MathML alone (read from JSON, which loads no libxml2
  either) is still written as TeX, through the helper;
- markdown.so copied where no helper is: the formula is written as raw
  HTML with a warning that says why, never in silence.
"""
import os
import shutil
import subprocess
import sys


def die(code, msg):
    print(msg)
    sys.exit(code)


def run(argv, env, debug=False):
    env = dict(env)
    if debug:
        env["LD_DEBUG"] = "libs"
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)


def loaded(stderr):
    """The files the dynamic loader initialised (LD_DEBUG=libs lines 'calling init: PATH')."""
    return [l.split("calling init:", 1)[1].strip() for l in stderr.splitlines() if "calling init:" in l]


def main():
    if len(sys.argv) != 3:
        die(2, __doc__)
    dp, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.setdefault("DOCPIPE_CACHE_DIR", os.path.join(work, "cache"))
    failures = []

    word = os.path.join(work, "word.md")
    with open(word, "w", encoding="utf-8") as f:
        f.write("Word\n")
    # The first run fills the registry cache: discovery opens every plugin
    # file (libxml2's included), which a warm run does not.
    run([dp, "-q", word, "-o", os.path.join(work, "warm.json")], env)
    for ext in ("json", "md"):
        p = run([dp, "-q", word, "-o", os.path.join(work, "word-out." + ext)], env, debug=True)
        libs = loaded(p.stderr)
        if p.returncode != 0:
            die(1, "FAIL: one-word md->%s exited %d: %s" % (ext, p.returncode, p.stderr[-400:]))
        if not libs:
            die(77, "SKIP: the dynamic loader does not report what it loads (LD_DEBUG=libs: not glibc?)")
        xml = [l for l in libs if "libxml2" in os.path.basename(l)]
        if xml:
            failures.append("one-word md->%s loaded %s" % (ext, ", ".join(xml)))

    # A formula with MathML and no TeX, in JSON (the tree's own form).
    html = os.path.join(work, "math.html")
    with open(html, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><head><title>t</title></head><body>"
                "<p>x <math><mi>a</mi><mo>+</mo><mn>1</mn></math></p></body></html>\n")
    js = os.path.join(work, "math.json")
    p = run([dp, "-q", html, "-o", js], env)
    if p.returncode != 0:
        die(1, "FAIL: math.html -> json exited %d: %s" % (p.returncode, p.stderr[-400:]))
    with open(js, encoding="utf-8") as f:
        if "a+1" in f.read().replace(" ", ""):
            die(1, "FAIL: the JSON of math.html already holds TeX: the check below would prove nothing")
    out = os.path.join(work, "math.md")
    p = run([dp, js, "-o", out], env, debug=True)
    with open(out, encoding="utf-8") if os.path.exists(out) else open(os.devnull) as f:
        md = f.read()
    if p.returncode != 0 or "$a+1$" not in md:
        failures.append("MathML alone -> md: expected $a+1$, got %r (exit %d)" % (md.strip()[-200:], p.returncode))
    if not any(l.endswith("/helpers/mathconv.so") for l in loaded(p.stderr)):
        failures.append("MathML alone -> md did not go through helpers/mathconv.so")

    # markdown.so where no helper is: said, not silent.
    plugdir = os.path.join(work, "lone-plugins")
    os.makedirs(plugdir)
    real = subprocess.run([dp, "plugins", "-v"], capture_output=True, text=True, env=env).stdout
    src = [w for w in real.split() if w.endswith("/markdown.so")]
    if not src:
        die(1, "FAIL: `docpipe plugins -v` names no markdown.so:\n" + real[-600:])
    shutil.copy(src[0], plugdir)
    p = run([dp, "--no-cache", "--plugin-dir", plugdir, js, "-o", os.path.join(work, "lone.md")], env)
    with open(os.path.join(work, "lone.md"), encoding="utf-8") as f:
        lone = f.read()
    warns = [l for l in p.stderr.splitlines() if "MathML-to-TeX helper" in l]
    if p.returncode != 0 or "<math" not in lone or len(warns) != 1:
        failures.append("markdown.so without its helper: expected the MathML as raw HTML and one warning, got "
                        "exit %d, %r, %r" % (p.returncode, lone.strip()[-200:], p.stderr[-400:]))

    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("markdown.so loads libxml2 only through its helper, when a formula needs it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
