#!/usr/bin/env python3
"""Core CLI / loader / config tests. One case per ctest test:

    core_tests.py CASE --docpipe BIN --good DIR --bad DIR --tmp DIR

Only the test plugins (tests/core/plugins) are used, so these tests do not
depend on the format plugins. Exit 0 pass, 1 fail, 77 skip."""
import argparse
import os
import shutil
import stat
import subprocess
import sys

A = None
FAILS = []

EXIT = {"ok": 0, "internal": 1, "usage": 2, "input": 3, "config": 4, "plugin": 5, "output": 6, "loss": 7}


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def run(args, stdin=None, env_extra=None, cwd=None, plugin_dir=True, wrap=True):
    env = dict(os.environ)
    env.pop("DOCPIPE_PLUGIN_PATH", None)
    env["DOCPIPE_CACHE_DIR"] = os.path.join(A.work, "cache")
    if env_extra:
        env.update(env_extra)
    # e.g. DOCPIPE_TEST_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full"
    cmd = (os.environ.get("DOCPIPE_TEST_WRAPPER", "").split() if wrap else []) + [A.docpipe]
    if args and args[0] in ("run", "plugins", "formats"):
        cmd.append(args[0])
        args = args[1:]
    if plugin_dir:
        cmd += ["--plugin-dir", A.good]
    cmd += args
    p = subprocess.run(cmd, input=stdin, capture_output=True, env=env, cwd=cwd or A.work)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def write(name, text):
    path = os.path.join(A.work, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def read(name):
    with open(os.path.join(A.work, name), encoding="utf-8") as f:
        return f.read()


def outputs_only(names):
    """File names without the runner's stamps (.NAME.dpstamp beside each output)."""
    return [n for n in names if not (n.startswith(".") and n.endswith(".dpstamp"))]


def outputs_in(folder):
    return outputs_only(os.listdir(folder))


def expect(rc, err, code, fragment, what):
    ok = check(rc == EXIT[code], "%s: exit %d, expected %d (%s); stderr: %s" % (what, rc, EXIT[code], code, err))
    if fragment is not None:
        ok = check(fragment in err, "%s: stderr lacks %r; got: %s" % (what, fragment, err)) and ok
    return ok


# ---------------------------------------------------------------- loader

BROKEN = {
    "broken-noentry": "no entry symbol docpipe_plugin_entry",
    "broken-major": "(other major version)",
    "broken-minor": "sets module fields beyond",
    "broken-short": "module descriptor is",
    "broken-shortdesc": "(short struct)",
    "broken-nullfn": "exporter without an export function",
    "broken-nullid": "id is NULL",
    "broken-undef": "undefined symbol: docpipe_test_undefined_function",
}


def case_plugins_refusals():
    rc, out, err = run(["plugins", "--plugin-dir", A.bad])
    check(rc == 0, "docpipe plugins exits 0 despite refusals (got %d: %s)" % (rc, err))
    for name, reason in BROKEN.items():
        line = [l for l in out.splitlines() if "/%s.so:" % name in l]
        if check(len(line) == 1, "%s listed once as refused; output:\n%s" % (name, out)):
            check(reason in line[0], "%s refused with %r; got %r" % (name, reason, line[0]))
    # discovery went on: the good plugins are still there
    check("testtext.reader" in out and "testtext.writer" in out, "good plugins still listed:\n" + out)
    # -v shows option tables and the search path
    rc, out, err = run(["plugins", "-v"])
    check("option prefix" in out and "search path:" in out, "plugins -v shows options and path:\n" + out)
    rc, out, err = run(["formats"])
    check(rc == 0 and "testtext" in out and "upper" in out, "formats lists testtext and upper:\n" + out)


def case_config_refused():
    src = write("in.ttxt", "hello\n")
    for name, reason in BROKEN.items():
        cfg = write("refused-%s.yaml" % name,
                    "plugin-path: %s\njobs:\n  - input: in.ttxt\n    outputs:\n      - format: %s\n        path: out.x\n"
                    % (A.bad, name))
        rc, out, err = run(["run", cfg, "--allow-plugin-path"])
        expect(rc, err, "plugin", "%s:5:17: output format '%s': plugin %s/%s.so was refused: " % (
            cfg, name, A.bad, name), "config naming " + name)
        check(reason in err, "config naming %s: reason %r in %s" % (name, reason, err))
    # the CLI too
    rc, out, err = run(["--plugin-dir", A.bad, src, "-t", "broken-major"])
    expect(rc, err, "plugin", "(other major version)", "-t broken-major")


# ---------------------------------------------------------------- CLI

def case_convert_file():
    src = write("a.ttxt", "first line\nsecond line\n")
    rc, out, err = run([src, "-o", os.path.join(A.work, "b.ttxt")])
    expect(rc, err, "ok", None, "convert a.ttxt -> b.ttxt")
    check(read("b.ttxt") == "first line\nsecond line\n", "b.ttxt content: %r" % read("b.ttxt"))
    # -f/-t override inference, aliases work, a transform runs
    write("c.data", "x y\n")
    rc, out, err = run(["-f", "tt", "-t", "testtext", "-T", "upper", os.path.join(A.work, "c.data")])
    expect(rc, err, "ok", None, "-f tt -t testtext -T upper")
    check(out == "X Y\n", "transform output %r" % out)
    # the CLI takes file names literally, brackets and stars included
    odd = write("odd[1]*.ttxt", "odd name\n")
    rc, out, err = run([odd, "-t", "testtext"])
    check(rc == 0 and out == "odd name\n", "literal file name with glob characters: %d %r" % (rc, err))
    # unknown extension: a usage error naming -f
    rc, out, err = run([os.path.join(A.work, "c.data"), "-t", "testtext"])
    expect(rc, err, "usage", "use -f FORMAT", "unknown input extension")
    # unknown output format with did-you-mean
    rc, out, err = run([src, "-t", "testtxt"])
    expect(rc, err, "plugin", "did you mean 'testtext'", "unknown -t")


def case_long_text_run():
    """Text runs of every size survive a conversion (arena chunk boundaries)."""
    text = "".join("%s\n" % ("w%d " % n * (n // 4))[:n] for n in (10, 40000, 5000, 17000, 20000, 60000, 70000, 300))
    src = write("long.ttxt", text)
    rc, out, err = run([src, "-t", "testtext"])
    check(rc == 0, "long runs convert: exit %d, %s" % (rc, err[-600:]))
    check(out == text, "long runs come out unchanged")


def case_convert_stdio():
    rc, out, err = run(["-f", "testtext", "-t", "testtext"], stdin=b"one\ntwo\n")
    expect(rc, err, "ok", None, "stdin -> stdout")
    check(out == "one\ntwo\n", "stdout %r" % out)
    rc, out, err = run(["-", "-f", "testtext", "-o", os.path.join(A.work, "s.ttxt")], stdin=b"z\n")
    expect(rc, err, "ok", None, "- -> file")
    check(read("s.ttxt") == "z\n", "s.ttxt")
    rc, out, err = run(["-t", "testtext"], stdin=b"z\n")
    expect(rc, err, "usage", "-f FORMAT", "stdin without -f")


def no_temp_files(d, what):
    left = [n for n in os.listdir(d) if ".dptmp-" in n]
    check(not left, "%s: temporary files left behind: %s" % (what, left))


def case_atomic_output():
    src = write("in.ttxt", "new content\n")
    outp = write("out/prev.ttxt", "PREVIOUS\n")
    rc, out, err = run([src, "-o", outp, "-O", "fail-write=true"])
    expect(rc, err, "output", "asked to fail by option 'fail-write' [testtext.writer]", "exporter failure")
    check(read("out/prev.ttxt") == "PREVIOUS\n", "previous output untouched after a failed run")
    no_temp_files(os.path.dirname(outp), "failed export")
    # input failure: the output is untouched too
    rc, out, err = run([os.path.join(A.work, "missing.ttxt"), "-o", outp])
    expect(rc, err, "input", "missing.ttxt: cannot read input", "missing input")
    check(read("out/prev.ttxt") == "PREVIOUS\n", "previous output untouched after a missing input")
    # a full disk
    if os.path.exists("/dev/full"):
        rc, out, err = run([src, "-t", "testtext", "-o", "/dev/full"])
        expect(rc, err, "output", "/dev/full: write failed: No space left on device", "/dev/full")
    # output directory missing
    rc, out, err = run([src, "-o", os.path.join(A.work, "nodir", "x.ttxt")])
    expect(rc, err, "output", "cannot create a file in", "missing output directory")
    # a directory where no file can be created
    rc, out, err = run([src, "-o", "/proc/docpipe-test.ttxt"])
    expect(rc, err, "output", "/proc/docpipe-test.ttxt: cannot create a file in /proc", "unwritable directory")
    # output equal to input
    rc, out, err = run([src, "-o", src])
    expect(rc, err, "output", "output is the input file", "output == input")
    check(read("in.ttxt") == "new content\n", "input untouched")
    # success replaces, keeps the mode, leaves no temp file
    os.chmod(outp, 0o640)
    rc, out, err = run([src, "-o", outp])
    expect(rc, err, "ok", None, "successful replace")
    check(read("out/prev.ttxt") == "new content\n", "replaced content")
    check(stat.S_IMODE(os.stat(outp).st_mode) == 0o640, "mode kept: %o" % stat.S_IMODE(os.stat(outp).st_mode))
    no_temp_files(os.path.dirname(outp), "successful export")
    # through a symlink: the link stays, its target is replaced
    link = os.path.join(A.work, "out", "link.ttxt")
    os.symlink(outp, link)
    write("in2.ttxt", "via link\n")
    rc, out, err = run([os.path.join(A.work, "in2.ttxt"), "-o", link])
    expect(rc, err, "ok", None, "write through a symlink")
    check(os.path.islink(link) and read("out/prev.ttxt") == "via link\n", "symlink kept, target replaced")


def fsyncs(args, what):
    """Runs docpipe under strace; the number of fsync/fdatasync calls."""
    log = os.path.join(A.work, "strace.log")
    cmd = ["strace", "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", log, A.docpipe]
    if args and args[0] == "run":
        cmd.append("run")
        args = args[1:]
    env = dict(os.environ, DOCPIPE_CACHE_DIR=os.path.join(A.work, "cache"))
    env.pop("DOCPIPE_PLUGIN_PATH", None)
    # LeakSanitizer cannot work in a process that is already being traced
    # (it stops the world with ptrace): off for these strace'd runs only;
    # every other test checks the same code for leaks.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    p = subprocess.run(cmd + ["--plugin-dir", A.good] + args, capture_output=True, env=env, cwd=A.work)
    check(p.returncode == 0, "%s: exit %d: %s" % (what, p.returncode, p.stderr.decode(errors="replace")))
    with open(log, encoding="utf-8") as f:
        return sum(1 for line in f if "fsync(" in line or "fdatasync(" in line)


def case_durable_writes():
    """Outputs are atomic always, durable (fsync of file and directory) on request."""
    if not shutil.which("strace"):
        print("SKIP: strace is not installed (needed to count fsync calls)")
        sys.exit(77)
    src = write("dur.ttxt", "durable\n")
    outp = os.path.join(A.work, "dur-out.ttxt")
    n = fsyncs([src, "-o", outp], "default write")
    check(n == 0, "no fsync by default (atomic rename only); saw %d" % n)
    check(read("dur-out.ttxt") == "durable\n", "default write wrote the file")
    n = fsyncs([src, "-o", outp, "--durable"], "--durable")
    check(n == 2, "--durable: fsync of the file and of its directory; saw %d" % n)
    cfg = write("durable.yaml", "durable: true\njobs:\n  - input: dur.ttxt\n    outputs: [dur-cfg.ttxt]\n")
    n = fsyncs(["run", "--force", cfg], "config durable: true")
    check(n == 2, "config 'durable: true': two fsyncs; saw %d" % n)
    cfg = write("durable-off.yaml", "durable: false\njobs:\n  - input: dur.ttxt\n    outputs: [dur-cfg.ttxt]\n")
    n = fsyncs(["run", "--force", cfg], "config durable: false")
    check(n == 0, "config 'durable: false': no fsync; saw %d" % n)
    n = fsyncs(["run", "--force", "--durable", cfg], "run --durable")
    check(n == 2, "run --durable overrides durable: false in the config; saw %d" % n)
    cfg = write("durable-bad.yaml", "durable: maybe\njobs:\n  - input: dur.ttxt\n    outputs: [x.ttxt]\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "config", "durable-bad.yaml:1:10: durable must be true or false", "durable: maybe")


def case_exit_codes():
    src = write("in.ttxt", "x\n")
    rc, out, err = run(["--bogus"])
    expect(rc, err, "usage", "docpipe: error: unknown option '--bogus'", "unknown flag")
    rc, out, err = run([src])
    expect(rc, err, "usage", "no output format", "no -o/-t")
    rc, out, err = run([src, "x", "-t", "testtext"])
    expect(rc, err, "usage", "one input at a time", "two inputs")
    d = os.path.join(A.work, "adir.ttxt")
    os.makedirs(d, exist_ok=True)
    rc, out, err = run([d, "-t", "testtext"])
    expect(rc, err, "input", "is a directory", "directory as input")
    rc, out, err = run([src, "-t", "testtext", "--limit", "max-input-bytes=1"])
    expect(rc, err, "input", "over the limit max-input-bytes=1", "input over the size limit")
    rc, out, err = run([src, "-f", "testtext", "-t", "testtext", "-O", "fail=true"])
    expect(rc, err, "input", "in.ttxt:1:1: asked to fail by option 'fail' [testtext.reader]", "importer failure")
    rc, out, err = run(["run", os.path.join(A.work, "nope.yaml")])
    expect(rc, err, "config", "nope.yaml: cannot open", "missing config")


def case_help_version():
    rc, out, err = run(["--help"], plugin_dir=False)
    check(rc == 0, "--help exits 0")
    for word in ("Exit codes", "usage", "input", "config", "plugin", "output", "loss", "--strict", "-M"):
        check(word in out, "--help mentions %r" % word)
    rc, out, err = run(["--version"], plugin_dir=False)
    check(rc == 0 and out.startswith("docpipe ") and "plugin ABI 1." in out, "--version: %r" % out)


def case_metadata_and_options():
    src = write("in.ttxt", "body\n")
    rc, out, err = run([src, "-t", "testtext", "-M", "title=Hello World", "-O", "prefix=>>", "-O", "repeat=3"])
    expect(rc, err, "ok", None, "-M and -O")
    check(out == ">>title: Hello World\nrepeat: 3\nbody\n", "output %r" % out)
    rc, out, err = run([src, "-t", "testtext", "-O", "repeat=three"])
    expect(rc, err, "usage", "option 'repeat' of testtext.writer expects an integer, got 'three'", "bad int")
    rc, out, err = run([src, "-t", "testtext", "-O", "style=weird"])
    expect(rc, err, "usage", "must be one of plain|fancy", "bad enum")
    rc, out, err = run([src, "-t", "testtext", "-O", "nosuch=1"])
    expect(rc, err, "usage", "option 'nosuch' is not declared by any plugin", "undeclared -O")
    rc, out, err = run([src, "-t", "testtext", "-M", "novalue"])
    expect(rc, err, "usage", "-M needs KEY=VALUE", "-M without =")


def case_strict_loss():
    src = write("in.ttxt", "a\nb\n")
    outp = write("strict.ttxt", "OLD\n")
    rc, out, err = run([src, "-o", outp, "-O", "warn-write=true"])
    # the two warnings share their message: one line with the count and both positions
    expect(rc, err, "ok", "2\u00d7 para: test exporter loss", "warning without --strict")
    check("in.ttxt:1:1, " in err and "in.ttxt:2:1)" in err, "warning names the node and its position: " + err)
    rc, out, err = run([src, "-o", outp, "-O", "warn-write=true", "-q"])
    check(rc == 0 and err == "", "-q silences warnings: %r" % err)
    write("strict.ttxt", "OLD\n")
    rc, out, err = run([src, "-o", outp, "-O", "warn-write=true", "--strict"])
    expect(rc, err, "loss", "2 loss warnings from testtext.writer under --strict; output not written", "--strict")
    check(read("strict.ttxt") == "OLD\n", "--strict failure leaves the output untouched")
    # an importer's loss fails before anything is exported
    rc, out, err = run([src, "-o", outp, "-O", "warn=true", "--strict"])
    expect(rc, err, "loss", "1 loss warning from testtext.reader under --strict; nothing written", "--strict importer")
    check(read("strict.ttxt") == "OLD\n", "--strict importer failure leaves the output untouched")


# ---------------------------------------------------------------- configs

CONFIG_ERRORS = [
    # (yaml, expected code, expected "line:col: message" fragment)
    ("jobs:\n  - input: in.ttxt\n    outptus: [out.ttxt]\n", "config",
     "3:5: unknown key 'outptus' in job (did you mean 'outputs'?)"),
    ("jbos: []\n", "config", "1:1: unknown key 'jbos' in the config (did you mean 'jobs'?)"),
    ("jobs:\n  - input: in.ttxt\n    outputs:\n      - path: o.ttxt\n        options: {prefx: a}\n", "config",
     "5:19: unknown option 'prefx' for testtext.writer (did you mean 'prefix'?)"),
    ("jobs:\n  - input: in.ttxt\n    outputs:\n      - path: o.ttxt\n        options:\n          repeat: many\n",
     "config", "6:19: option 'repeat' of testtext.writer expects an integer, got 'many'"),
    ("jobs:\n  - input: in.ttxt\n    outputs:\n      - path: o.ttxt\n        options:\n          fail-write: maybe\n",
     "config", "6:23: option 'fail-write' of testtext.writer expects a bool (true/false), got 'maybe'"),
    ("jobs:\n  - input: in.ttxt\n    outputs:\n      - path: o.ttxt\n        options:\n          prefix: [a, b]\n",
     "config", "6:19: option 'prefix' of testtext.writer expects a string, got a list"),
    ("jobs:\n  - input: in.ttxt\n    outputs:\n      - format: textile\n        path: o.ttxt\n", "config",
     "4:17: unknown output format 'textile'"),
    ("jobs:\n  - input: in.ttxt\n    transforms: [uper]\n    outputs: [o.ttxt]\n", "config",
     "3:18: unknown transform 'uper' (did you mean 'upper'?)"),
    ("jobs:\n  - input: missing.ttxt\n    outputs: [o.ttxt]\n", "input",
     "2:12: input 'missing.ttxt': No such file or directory"),
    ("jobs:\n  - input: 'none/*.ttxt'\n    outputs: [o.ttxt]\n", "input",
     "2:12: no file matches the input 'none/*.ttxt'"),
    ("jobs:\n  - input: in.ttxt\n    outputs: [o.unknownext]\n", "config",
     "3:15: cannot tell the output format of 'o.unknownext' from its extension"),
    ("jobs:\n  - input: in.ttxt\n    outputs: {path: [x]}\n", "config", "3:21: output path must be a string, not a list"),
    ("jobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n    metadata: [a]\n", "config",
     "4:15: metadata must be a mapping, not a list"),
    ("jobs:\n  - input: in.ttxt\n    outputs: [o.ttxt\n", "config", "4:1: YAML syntax error: did not find expected"),
    ("jobs:\n  - input: in.ttxt\n   outputs: [o.ttxt]\n", "config", "3:4: YAML syntax error"),
    ("jobs:\n  - outputs: [o.ttxt]\n", "config", "2:5: job needs an input"),
    ("limits:\n  max-dept: 3\njobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n", "config",
     "2:3: unknown limit 'max-dept' (did you mean 'max-depth'?)"),
    ("limits:\n  max-depth: -3\njobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n", "config",
     "2:14: limit max-depth expects a positive number, got '-3'"),
    ("jobs:\n  - name: a\n    input: {job: b}\n    outputs: [a.ttxt]\n  - name: b\n    input: {job: a}\n"
     "    outputs: [b.ttxt]\n", "config", "is part of a cycle of chained jobs"),
    ("jobs:\n  - name: a\n    input: {job: bb}\n    outputs: [a.ttxt]\n  - name: b\n    input: in.ttxt\n"
     "    outputs: [b.ttxt]\n", "config", "3:18: no job named 'bb' (did you mean 'b'?)"),
    ("jobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n    outputs: [p.ttxt]\n", "config",
     "4:5: duplicate key 'outputs' in job"),
    ("jobs:\n  - input: in.ttxt\n    outputs: ['{stm}.ttxt']\n", "config", "3:15: unknown placeholder in output path"),
    ("jobs:\n  - input: in.ttxt\n    outputs: [a.ttxt, a.ttxt]\n", "config", "outputs collide: "),
    ("jobs: &a [*a]\n", "config", "1:7: a job must be a mapping, not a list"),
    ("", "config", "1:1: the config is empty"),
    # libyaml is quadratic in flow nesting: deep nesting is refused before it parses
    ("jobs: " + "[" * 300 + "]" * 300 + "\n", "config", "1:263: config nested deeper than 256 levels"),
]


def case_config_errors():
    write("in.ttxt", "x\n")
    for i, (text, code, frag) in enumerate(CONFIG_ERRORS):
        cfg = write("err%02d.yaml" % i, text)
        rc, out, err = run(["run", cfg])
        expect(rc, err, code, "docpipe: error: %s:%s" % (cfg, frag) if frag[0].isdigit() else frag,
               "config error #%d (%s)" % (i, frag))
    # brackets inside quoted scalars and comments do not count as nesting
    cfg = write("brackets.yaml", "jobs:\n  - input: in.ttxt  # " + "[" * 300 + "\n    outputs: [o.ttxt]\n"
                "    metadata:\n      title: \"" + "[" * 300 + "\"\n      note: don't " + "{" * 10 + "\n")
    rc, out, err = run(["run", cfg, "--force"])
    expect(rc, err, "ok", None, "brackets in strings and comments")
    deep = "jobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n    metadata:\n      deep: " + "[" * 200 + "]" * 200 + "\n"
    cfg = write("deep.yaml", deep)
    rc, out, err = run(["run", cfg])
    expect(rc, err, "config", "metadata nested deeper than 64 levels", "deep metadata")
    lines = ["jobs:", "  - input: in.ttxt", "    outputs: [o.ttxt]", "    metadata:",
             "      l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
    for k in range(1, 8):
        lines.append("      l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]" %
                     ((k, k) + (k - 1,) * 10))
    cfg = write("bomb3.yaml", "\n".join(lines) + "\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "config", "too large or too deeply aliased", "YAML alias bomb in metadata")


def case_pipeline_run():
    os.makedirs(os.path.join(A.work, "cfg", "src"), exist_ok=True)
    write("cfg/src/doc.ttxt", "alpha\nbeta\n")
    cfg = write("cfg/pipe.yaml", """\
# relative paths resolve against this file's directory
version: 1
jobs:
  - name: main
    input: src/doc.ttxt
    metadata:
      title: From Config
    transforms:
      - name: upper
    outputs:
      - path: out/doc.ttxt
        options: {prefix: "# ", tags: [a, b]}
      - format: testtext
        path: out/plain.txt
""")
    rc, out, err = run(["run", cfg, "-q"], cwd="/")
    expect(rc, err, "ok", None, "pipeline run from another cwd")
    check(read("cfg/out/doc.ttxt") == "# title: From Config\ntag: a\ntag: b\nALPHA\nBETA\n",
          "first output: %r" % read("cfg/out/doc.ttxt"))
    check(read("cfg/out/plain.txt") == "title: From Config\nALPHA\nBETA\n", "second output")
    # one failing output does not stop the other; exit code says so
    cfg2 = write("cfg/pipe2.yaml", """\
jobs:
  - input: src/doc.ttxt
    outputs:
      - path: out/bad.ttxt
        options: {fail-write: true}
      - out/good.ttxt
""")
    rc, out, err = run(["run", cfg2])
    expect(rc, err, "output", "asked to fail by option 'fail-write'", "one output fails")
    check(os.path.exists(os.path.join(A.work, "cfg/out/good.ttxt")), "the other output was written")
    check(not os.path.exists(os.path.join(A.work, "cfg/out/bad.ttxt")), "the failed output was not")
    check("1 failed" in err, "summary counts the failure: " + err)


def case_pipeline_glob_patterns():
    for p in ("g/a.ttxt", "g/sub/b.ttxt", "g/sub/deep/c.ttxt", "g/skip.other"):
        write(p, p + "\n")
    cfg = write("glob.yaml", """\
jobs:
  - input: "g/**/*.ttxt"
    output-dir: gout
    outputs:
      - "{dir}/{stem}.ttxt"
      - format: testtext
        path: "flat/{stem}-{format}.{ext}"
""")
    rc, out, err = run(["run", cfg, "-q"])
    expect(rc, err, "ok", None, "glob run")
    for p in ("gout/a.ttxt", "gout/sub/b.ttxt", "gout/sub/deep/c.ttxt", "gout/flat/a-testtext.ttxt",
              "gout/flat/c-testtext.ttxt"):
        check(os.path.exists(os.path.join(A.work, p)), "glob output %s exists" % p)
    check(read("gout/sub/deep/c.ttxt") == "g/sub/deep/c.ttxt\n", "glob output content")
    check(not os.path.exists(os.path.join(A.work, "gout/skip.ttxt")), "non-matching file skipped")


def case_pipeline_chain():
    write("ch/in.ttxt", "chain me\n")
    cfg = write("ch/chain.yaml", """\
jobs:
  - name: last
    input: {job: middle}
    outputs: ["final/{stem}.ttxt"]
  - name: first
    input: in.ttxt
    transforms: [upper]
    outputs: ["step1/{stem}.ttxt"]
  - name: middle
    input: {job: first}
    outputs:
      - path: step2/{stem}.ttxt
        options: {prefix: "> "}
""")
    rc, out, err = run(["run", cfg, "-q"])
    expect(rc, err, "ok", None, "chained jobs in dependency order")
    check(read("ch/final/in.ttxt") == "> CHAIN ME\n", "chained result %r" % read("ch/final/in.ttxt"))


def case_dry_run():
    write("d/in.ttxt", "x\n")
    cfg = write("d/dry.yaml", "jobs:\n  - name: j\n    input: in.ttxt\n    outputs: [o.ttxt]\n")
    rc, out, err = run(["run", cfg, "--dry-run"])
    expect(rc, err, "ok", None, "dry run")
    check("in.ttxt [testtext.reader]" in out and "-> %s/d/o.ttxt [testtext.writer]" % A.work in out,
          "plan text: " + out)
    check(not os.path.exists(os.path.join(A.work, "d/o.ttxt")), "dry run writes nothing")


def case_incremental_force():
    write("inc/in.ttxt", "x\n")
    cfg = write("inc/inc.yaml", "jobs:\n  - input: in.ttxt\n    outputs: [o.ttxt]\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "ok", "1 converted, 0 skipped", "first run")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "ok", "0 converted, 1 skipped", "second run skips")
    rc, out, err = run(["run", cfg, "--force"])
    expect(rc, err, "ok", "1 converted, 0 skipped", "--force rebuilds")
    os.utime(os.path.join(A.work, "inc/in.ttxt"), None)
    t = os.stat(os.path.join(A.work, "inc/o.ttxt")).st_mtime
    os.utime(os.path.join(A.work, "inc/in.ttxt"), (t + 5, t + 5))
    rc, out, err = run(["run", cfg])
    expect(rc, err, "ok", "1 converted, 0 skipped", "newer input rebuilds")


def case_report_and_jobs():
    for i in range(12):
        write("rj/in/f%02d.ttxt" % i, "file %d\n" % i)
    cfg = write("rj/rj.yaml", "jobs:\n  - input: 'in/*.ttxt'\n    output-dir: out\n    transforms: [upper]\n"
                "    outputs: ['{stem}.ttxt']\n")
    report = os.path.join(A.work, "rj/report.jsonl")
    rc, out, err = run(["run", cfg, "--jobs", "4", "--force", "--report", report])
    expect(rc, err, "ok", "12 converted", "parallel run")
    import json
    with open(report) as f:
        rows = [json.loads(l) for l in f]
    check(len(rows) == 12 and all(r["status"] == "ok" for r in rows), "12 ok report rows")
    check(all("milliseconds" in r and r["outputs"][0].endswith(".ttxt") for r in rows), "report fields")
    par = {n: read("rj/out/" + n) for n in outputs_in(os.path.join(A.work, "rj/out"))}
    rc, out, err = run(["run", cfg, "--jobs", "1", "--force"])
    seq = {n: read("rj/out/" + n) for n in outputs_in(os.path.join(A.work, "rj/out"))}
    check(par == seq and len(seq) == 12, "results do not depend on --jobs")
    rc, out, err = run(["run", cfg, "--jobs", "0"])
    expect(rc, err, "usage", "--jobs needs a number", "bad --jobs")


def case_fail_fast():
    for i in range(3):
        write("ff/in/f%d.ttxt" % i, "x\n")
    cfg = write("ff/ff.yaml", "jobs:\n  - input: 'in/*.ttxt'\n    input: {path: 'in/*.ttxt', format: testtext, "
                "options: {fail: true}}\n    outputs: ['{stem}.out.ttxt']\n")
    rc, out, err = run(["run", cfg])
    expect(rc, err, "config", "duplicate key 'input'", "duplicate input key")
    cfg = write("ff/ff.yaml", "jobs:\n  - input: {path: 'in/*.ttxt', format: testtext, options: {fail: true}}\n"
                "    outputs: ['{stem}.out.ttxt']\n")
    rc, out, err = run(["run", cfg, "--jobs", "1"])
    expect(rc, err, "input", "0 converted, 0 skipped (up to date), 3 failed", "all fail without --fail-fast")
    rc, out, err = run(["run", cfg, "--jobs", "1", "--fail-fast"])
    expect(rc, err, "input", "0 converted, 0 skipped (up to date), 1 failed", "--fail-fast stops at the first")


def case_shard():
    import json
    for i in range(30):
        write("sh/in/d%d/f%02d.ttxt" % (i % 3, i), "file %d\n" % i)
    cfg = write("sh/sh.yaml", "jobs:\n  - input: 'in/**/*.ttxt'\n    output-dir: out\n    transforms: [upper]\n"
                "    outputs: ['{dir}/{stem}.ttxt']\n")
    seen = []
    for k in (1, 2, 3):
        report = os.path.join(A.work, "sh/r%d.jsonl" % k)
        rc, out, err = run(["run", cfg, "--shard", "%d/3" % k, "--report", report, "-q"])
        expect(rc, err, "ok", None, "shard %d/3" % k)
        with open(report) as f:
            rows = [json.loads(l)["input"] for l in f]
        check(len(rows) > 0, "shard %d/3 is not empty" % k)
        seen += rows
    check(len(seen) == 30 and len(set(seen)) == 30, "the 3 shards cover the 30 inputs exactly once (%d, %d)" %
          (len(seen), len(set(seen))))
    sharded = {}
    for root, _, files in os.walk(os.path.join(A.work, "sh/out")):
        for n in outputs_only(files):
            with open(os.path.join(root, n), "rb") as f:
                sharded[os.path.relpath(os.path.join(root, n), os.path.join(A.work, "sh/out"))] = f.read()
    shutil.rmtree(os.path.join(A.work, "sh/out"))
    rc, out, err = run(["run", cfg, "-q"])
    single = {}
    for root, _, files in os.walk(os.path.join(A.work, "sh/out")):
        for n in outputs_only(files):
            with open(os.path.join(root, n), "rb") as f:
                single[os.path.relpath(os.path.join(root, n), os.path.join(A.work, "sh/out"))] = f.read()
    check(len(single) == 30 and sharded == single, "union of the shards equals a single run, byte for byte")
    rc, out, err = run(["run", cfg, "--shard", "4/3"])
    expect(rc, err, "usage", "--shard needs K/N", "bad --shard")


# ---------------------------------------------------------------- lazy loading and cache

def ld_files(args, cache):
    rc, out, err = run(args, env_extra={"LD_DEBUG": "files", "DOCPIPE_CACHE_DIR": cache}, wrap=False)
    opened = set()
    for line in err.splitlines():
        if "calling init:" in line:
            opened.add(os.path.basename(line.split("calling init:")[1].strip()))
    return rc, opened, err


def case_lazy_loading():
    src = write("lz.ttxt", "lazy\n")
    cache = os.path.join(A.work, "lazycache")
    shutil.rmtree(cache, ignore_errors=True)
    args = [src, "-t", "testtext"]
    rc, cold, err = ld_files(args, cache)
    check(rc == 0, "cold run ok: " + err[-500:])
    # without a cache every plugin file has to be opened once to learn what it provides
    check("never.so" in cold, "cold run opens never.so to learn what it provides: %s" % sorted(cold))
    check(any(n.startswith("plugins-") for n in os.listdir(cache)), "a cache file was written")
    rc, warm, err = ld_files(args, cache)
    check(rc == 0, "warm run ok")
    check("testtext.so" in warm, "warm run opens the plugin it uses: %s" % sorted(warm))
    check("never.so" not in warm, "warm run does not open never.so: %s" % sorted(warm))
    # the build tree's format plugins (EPUB: libzip, OpenSSL) are not opened either
    check(not any(n.startswith(("epub", "libzip", "libcrypto", "libssl")) for n in warm),
          "md->html style run opens no EPUB/zip/crypto code: %s" % sorted(warm))
    # the cache goes stale when a plugin changes: touching it makes the run re-read it
    never = os.path.join(A.good, "never.so")
    st = os.stat(never)
    os.utime(never, ns=(st.st_atime_ns, st.st_mtime_ns + 1000))
    rc, after_touch, err = ld_files(args, cache)
    check("never.so" in after_touch, "a changed plugin file is re-inspected")
    rc, again, err = ld_files(args, cache)
    check("never.so" not in again, "and then cached again")
    # -v names the opened files
    rc, out, err = run(args + ["-v"], env_extra={"DOCPIPE_CACHE_DIR": cache})
    check("testtext.so" in err and "1 plugin file opened" in err, "-v lists opened plugin files: " + err)
    # an unwritable cache dir is silently skipped
    rc, out, err = run(args, env_extra={"DOCPIPE_CACHE_DIR": "/proc/docpipe-cache"})
    check(rc == 0 and err == "", "unwritable cache dir is skipped silently: %r" % err)


def libraries_tried(args, cache):
    """Every file the dynamic loader tried while running docpipe (LD_DEBUG=libs)."""
    rc, out, err = run(args, env_extra={"LD_DEBUG": "libs", "DOCPIPE_CACHE_DIR": cache},
                       plugin_dir=False, wrap=False)
    return rc, [line.split("trying file=", 1)[1].strip() for line in err.splitlines() if "trying file=" in line], err


def case_library_search_path():
    """The loader never looks for a library in the current directory.

    CMake used to leave an empty entry at the end of the build tree's RUNPATH
    ("/build/lib:"), and the dynamic loader reads an empty entry as ".": from
    any directory, a file named libc.so.6 or libxml2.so.2 would have been
    loaded into docpipe ahead of the system's."""
    cache = os.path.join(A.work, "ldcache")
    shutil.rmtree(cache, ignore_errors=True)
    rc, out, err = run(["formats"], plugin_dir=False, env_extra={"DOCPIPE_CACHE_DIR": cache})
    if rc != 0 or "markdown" not in out or "epub" not in out:
        print("SKIP: the format plugins are not built next to %s" % A.docpipe)
        sys.exit(77)
    src = write("ld.md", "# Title\n\nOne word.\n")
    outp = os.path.join(A.work, "ld.epub")
    for label, args in (("--version", ["--version"]), ("md -> epub", [src, "-o", outp])):
        rc, tried, err = libraries_tried(args, cache)
        check(rc == 0, "%s ran: %s" % (label, err[-300:]))
        check(len(tried) > 0, "%s: LD_DEBUG=libs listed the files tried" % label)
        relative = [t for t in tried if not t.startswith("/")]
        check(not relative, "%s: libraries looked for relative to the current directory: %s"
              % (label, relative[:5]))


def case_cache_corrupt():
    src = write("cc.ttxt", "c\n")
    cache = os.path.join(A.work, "cc-cache")
    shutil.rmtree(cache, ignore_errors=True)
    rc, out, err = run([src, "-t", "testtext"], env_extra={"DOCPIPE_CACHE_DIR": cache})
    check(rc == 0, "populate cache")
    for name in os.listdir(cache):
        with open(os.path.join(cache, name), "w") as f:
            f.write("docpipe-plugin-cache\t1\tgarbage\n\\q\tbroken\n")
    rc, out, err = run([src, "-t", "testtext"], env_extra={"DOCPIPE_CACHE_DIR": cache})
    check(rc == 0 and out == "c\n", "a corrupt cache is ignored: %d %r %r" % (rc, out, err))


def case_unsafe_plugin_dir():
    d = os.path.join(A.work, "unsafe")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    shutil.copy(os.path.join(A.good, "testtext.so"), os.path.join(d, "testtext.so"))
    os.chmod(d, 0o777)
    rc, out, err = run(["plugins", "--plugin-dir", d, "--no-cache"], plugin_dir=False)
    check("%s: plugin directory is writable by all users; not searched" % d in out, "world-writable dir: " + out)
    check("warning" in err and d in err, "warning printed for an unsafe --plugin-dir: " + err)
    os.chmod(d, 0o755)
    os.chmod(os.path.join(d, "testtext.so"), 0o666)
    rc, out, err = run(["plugins", "--plugin-dir", d, "--no-cache"], plugin_dir=False)
    check("testtext.so: plugin file is writable by all users; not loaded" in out, "world-writable file: " + out)
    # the current directory is never searched implicitly
    os.chmod(os.path.join(d, "testtext.so"), 0o755)
    rc, out, err = run(["plugins", "--no-cache"], plugin_dir=False, cwd=d)
    check(os.path.join(d, "testtext.so") not in out, "cwd is not searched: " + out)
    # but DOCPIPE_PLUGIN_PATH is
    rc, out, err = run(["plugins", "--no-cache"], plugin_dir=False, env_extra={"DOCPIPE_PLUGIN_PATH": "::" + d})
    check(os.path.join(d, "testtext.so") in out, "$DOCPIPE_PLUGIN_PATH is searched: " + out)


# ---------------------------------------------------------------- the real formats

def case_speech_config():
    """configs/speech.yaml, copied next to a copy of the sample, writes every format."""
    rc, out, err = run(["formats"], plugin_dir=False)
    needed = ["markdown", "json", "html", "epub", "tei"]
    have = {l.split()[0]: l.split()[1:3] for l in out.splitlines()[1:] if l.strip()}
    missing = [f for f in needed if have.get(f, ["-", "-"])[1] != "yes" or have["markdown"][0] != "yes"]
    if missing:
        print("format plugins not built yet: %s; skip" % missing)
        sys.exit(77)
    os.makedirs(os.path.join(A.work, "configs"))
    os.makedirs(os.path.join(A.work, "samples"))
    shutil.copy(os.path.join(A.src, "configs", "speech.yaml"), os.path.join(A.work, "configs"))
    shutil.copy(os.path.join(A.src, "samples", "speech.md"), os.path.join(A.work, "samples"))
    # the shipped configs write to ../out, beside their folder: the user allows it
    rc, out, err = run(["run", os.path.join(A.work, "configs", "speech.yaml"), "--allow-outside"], plugin_dir=False,
                       cwd="/")
    expect(rc, err, "ok", "1 converted, 0 skipped (up to date), 0 failed", "configs/speech.yaml")
    seed = os.path.join(A.src, "tests", "common", "seed_words.py")
    for name in ("speech.md", "speech.json", "speech.html", "speech.epub", "speech.tei.xml"):
        path = os.path.join(A.work, "out", name)
        if not check(os.path.getsize(path) > 1000 if os.path.exists(path) else False, "%s written" % name):
            continue
        if os.path.exists(seed):
            p = subprocess.run([sys.executable, seed, path], capture_output=True, text=True)
            check(p.returncode in (0, 77), "%s keeps every seed word: %s%s" % (name, p.stdout[-800:], p.stderr[-300:]))
    # the same conversion through the single-file CLI, stdin to stdout, equals the config's output
    with open(os.path.join(A.work, "samples", "speech.md"), "rb") as f:
        rc, out, err = run(["-f", "md", "-t", "json"], stdin=f.read(), plugin_dir=False)
    check(rc == 0 and out == read("out/speech.json"), "stdin -> stdout JSON equals the config's JSON")


# ---------------------------------------------------------------- ABI

def case_abi_compat():
    """A plugin built against the frozen ABI 1.0 headers (smaller module
    struct) and one from a newer minor that leaves its unknown fields at zero
    both load and run; a newer minor that sets them is refused (plugins_refusals)."""
    rc, out, err = run(["plugins"])
    check(rc == 0, "docpipe plugins ok: " + err)
    for name in ("abi10.so", "newer-minor.so"):
        check(not any(name in l and "refused" in l.lower() for l in out.splitlines()),
              "%s is not refused:\n%s" % (name, out))
    check("abi10.writer" in out, "the ABI 1.0 plugin is listed:\n" + out)
    check("newer-minor.writer" in out, "the zero-tail newer-minor plugin is listed:\n" + out)
    src = write("abi.ttxt", "first paragraph\nsecond one\n")
    rc, out, err = run([src, "-t", "abi10"])
    check(rc == 0 and out == "abi10: first paragraph\nabi10: second one\n",
          "the ABI 1.0 plugin converts: rc %d out %r err %r" % (rc, out, err))
    rc, out, err = run([src, "-t", "newer-minor"])
    check(rc == 0 and out == "x", "the newer-minor plugin converts: rc %d out %r err %r" % (rc, out, err))


def case_module_hooks():
    """A module's init runs once per process however many inputs and threads
    use it; an init that fails refuses the plugin with its own message."""
    os.makedirs(os.path.join(A.work, "hk"), exist_ok=True)
    for i in range(12):
        write("hk/in%02d.ttxt" % i, "para %d\n" % i)
    cfg = write("hooks.yaml", "jobs:\n  - input: \"hk/*.ttxt\"\n    output-dir: hk-out\n"
                "    outputs: [\"{stem}.hooks\"]\n")
    rc, out, err = run(["run", cfg, "--jobs", "4", "--force"])
    check(rc == 0, "hooks batch ok: " + err)
    outs = sorted(outputs_in(os.path.join(A.work, "hk-out"))) if rc == 0 else []
    check(len(outs) == 12, "12 outputs: %s" % outs)
    for name in outs:
        check(read(os.path.join("hk-out", name)) == "inits: 1\n",
              "%s saw exactly one init: %r" % (name, read(os.path.join("hk-out", name))))
    src = write("hk1.ttxt", "x\n")
    rc, out, err = run([src, "-t", "hooks-fail", "--plugin-dir", A.bad])
    expect(rc, err, "plugin", "failed to initialise: the test library is missing (on purpose)",
           "a failing init refuses the plugin")


def case_runs_programs_flag():
    """A config may use a transform that declares DP_PLUGIN_RUNS_PROGRAMS only
    with --allow-filter or --trust-config, whatever it is called; a transform
    called "filter" that declares nothing needs neither. Run twice: the second
    run reads the plugin's flags from the registry cache, as --dry-run does."""
    trust_dir = os.path.join(os.path.dirname(os.path.abspath(A.good)), "plugins-trust")
    write("doc.ttxt", "alpha\n")
    flagged = write("flagged.yaml", "jobs:\n  - input: doc.ttxt\n    transforms: [tidy-up]\n"
                                    "    outputs: [out/flagged.ttxt]\n")
    named = write("named.yaml", "jobs:\n  - input: doc.ttxt\n    transforms: [filter]\n"
                                "    outputs: [out/named.ttxt]\n")
    for attempt in ("cold cache", "warm cache"):
        for extra in ([], ["--dry-run"]):
            rc, out, err = run(["run", "--plugin-dir", trust_dir, flagged, "--force"] + extra)
            expect(rc, err, "config", "flagged.yaml:3:18: the transform 'tidy-up' runs an external program",
                   "%s %s: a declared program-runner without --allow-filter" % (attempt, extra))
            check("--allow-filter" in err, "the refusal names the flag: " + err)
        for allow in ("--allow-filter", "--trust-config"):
            rc, out, err = run(["run", "--plugin-dir", trust_dir, flagged, "--force", allow])
            expect(rc, err, "ok", None, "%s: a declared program-runner with %s" % (attempt, allow))
        rc, out, err = run(["run", "--plugin-dir", trust_dir, named, "--force"])
        expect(rc, err, "ok", None, "%s: a transform called filter that declares nothing" % attempt)
    check(os.path.exists(os.path.join(A.work, "out", "flagged.ttxt")), "the allowed run wrote its output")


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--docpipe", required=True)
    ap.add_argument("--good", required=True)
    ap.add_argument("--bad", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    A = ap.parse_args()
    A.work = os.path.realpath(os.path.join(A.tmp, A.case))
    shutil.rmtree(A.work, ignore_errors=True)
    os.makedirs(A.work)
    fn = globals().get("case_" + A.case)
    if not fn:
        print("unknown case", A.case)
        return 1
    fn()
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
