#!/usr/bin/env python3
"""Hostile configs and runs (issue 16): what a shared config may do without
the user's say-so, output permissions under --jobs, YAML alias bombs built
on one long string.

    hostile_config.py --list
    hostile_config.py CASE CLI WORKDIR [--sanitized]

The same harness as hostile.py (a child process with a timeout and a memory
budget, its inputs generated here). Each vector is first shown to work when
the user allows it, so a test that passes cannot be one that could not fail.
"""
import os
import shutil
import stat
import subprocess
import sys

import hostile
from hostile import Env, check, expect_error, read  # noqa: F401 (Env: the harness)

CASES = {}


def case(fn):
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


def expect_refused(r, flag, where=None, code=4):
    """Refused with exit code, the error naming flag (and FILE:LINE:COL)."""
    expect_error(r, (code,), [flag])
    if where:
        check(where in r.err, "the error does not give %s: %s" % (where, r.err))


# ---------------------------------------------------------------------------
# a config must not run code unless the user says so

EVIL_C = r'''#include <stdio.h>
__attribute__((constructor)) static void x(void)
{ FILE *f = fopen("%s", "w"); if (f) { fputs("ran\n", f); fclose(f); } }
'''


@case
def config_plugin_path(env):
    """plugin-path dlopened every .so (constructors run), even on --dry-run."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        print("needs a C compiler to build the library: skip")
        sys.exit(77)
    pwned = env.path("PWNED")
    env.write("evil.c", EVIL_C % pwned)
    os.makedirs(env.path("evilplugins"))
    subprocess.run([cc, "-shared", "-fPIC", "-o", env.path("evilplugins/evil.so"), env.path("evil.c")], check=True)
    os.chmod(env.path("evilplugins"), 0o755)
    env.write("in.md", "# hi\n")
    cfg = env.write("cfg.yaml", "plugin-path: [evilplugins]\njobs:\n  - input: in.md\n    outputs: [out.html]\n")
    for extra in (["--dry-run"], [], ["--allow-filter", "--allow-outside"]):
        r = env.run("run", cfg, *extra)
        expect_refused(r, "--allow-plugin-path", "cfg.yaml:1:14:")
        check(not os.path.exists(pwned), "the library's constructor ran (%s)" % " ".join(extra))
    # allowed, --dry-run still opens nothing from the config's plugin-path
    for flag in ("--allow-plugin-path", "--trust-config"):
        r = env.run("run", cfg, "--dry-run", flag)
        check(r.rc == 0, "--dry-run %s: exit %d" % (flag, r.rc))
        check(not os.path.exists(pwned), "--dry-run %s opened a plugin from the config's path" % flag)
    check(not os.path.exists(env.path("out.html")), "--dry-run wrote an output")
    # allowed for a real run: it is loaded, and -v says so before it runs
    r = env.run("run", cfg, "--allow-plugin-path", "-v", "--no-cache")
    check(r.rc == 0, "allowed run: exit %d" % r.rc)
    check(os.path.exists(pwned), "allowed: the library was not loaded (the test could not fail)")
    check("evil.so: opening plugin file" in r.err, "-v does not print the file it opens: %s" % r.err[-600:])


FILTER_CFG = """jobs:
  - input: in.md
    transforms:
      - name: %s
        options: {command: sh, args: ["-c", "id > %s; cat"]}
    outputs: [out.html]
"""


@case
def config_filter(env):
    """The filter transform in a config ran any command."""
    marker = env.path("X")
    env.write("in.md", "# hi\n")
    for name in ("filter", "json.filter"):  # its format and its id
        cfg = env.write("cfg.yaml", FILTER_CFG % (name, marker))
        for extra in ([], ["--dry-run"], ["--allow-plugin-path", "--allow-outside"]):
            r = env.run("run", cfg, *extra)
            expect_refused(r, "--allow-filter", "cfg.yaml:4:15:")
            check(not os.path.exists(marker), "the filter ran (%s %s)" % (name, " ".join(extra)))
    for flag in ("--allow-filter", "--trust-config"):
        r = env.run("run", cfg, flag, "--force")
        check(r.rc == 0, "%s: exit %d" % (flag, r.rc))
        check(os.path.exists(marker), "%s: the filter did not run (the test could not fail)" % flag)
        os.unlink(marker)


PANDOC_FILTER_CFG = """jobs:
  - input: in.md
    transforms:
      - name: pandoc-filter
        options: {command: %s}
    outputs: [out.html]
"""


@case
def config_pandoc_filter(env):
    """The pandoc-filter transform (what --filter adds) runs a program too:
    a config may run it only with --allow-filter."""
    marker = env.path("X")
    env.write("in.md", "# hi\n")
    script = env.write("f.sh", "#!/bin/sh\nid > %s\ncat\n" % marker)
    os.chmod(script, 0o755)
    cfg = env.write("cfg.yaml", PANDOC_FILTER_CFG % script)
    for extra in ([], ["--dry-run"], ["--allow-plugin-path", "--allow-outside"]):
        r = env.run("run", cfg, *extra)
        expect_refused(r, "--allow-filter", "cfg.yaml:4:15:")
        check(not os.path.exists(marker), "the pandoc filter ran (%s)" % " ".join(extra))
    r = env.run("run", cfg, "--allow-filter", "--force")
    check(r.rc == 0, "--allow-filter: exit %d: %s" % (r.rc, r.err))
    check(os.path.exists(marker), "--allow-filter: the pandoc filter did not run (the test could not fail)")


def victim(env):
    d = env.path("victim")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "target.html"), "w") as f:
        f.write("precious\n")
    return d


def victim_intact(d):
    check(sorted(os.listdir(d)) == ["target.html"], "written outside the config's folder: %s" % os.listdir(d))
    check(read(os.path.join(d, "target.html")) == b"precious\n", "a file outside the config's folder was replaced")


@case
def config_output_outside(env):
    """Config outputs went anywhere: '..', absolute paths, output-dir."""
    vic = victim(env)
    os.makedirs(env.path("cfg"))
    env.write("cfg/in.md", "# hi\n")
    tries = [('    outputs: ["../victim/x.html"]\n', "cfg.yaml:3:15:"),
             ('    outputs: ["%s/abs.html"]\n' % vic, "cfg.yaml:3:15:"),
             ('    outputs: ["sub/../../victim/{stem}.html"]\n', "cfg.yaml:3:15:"),
             ('    output-dir: ../victim\n    outputs: ["{stem}.html"]\n', "cfg.yaml:4:15:"),
             ('    output-dir: %s\n    outputs: ["{stem}.html"]\n' % vic, "cfg.yaml:3:17:"),
             ('    output-dir: out\n    outputs: ["../../victim/{stem}.html"]\n', "cfg.yaml:4:15:")]
    for body, where in tries:
        cfg = env.write("cfg/cfg.yaml", "jobs:\n  - input: in.md\n" + body)
        for extra in ([], ["--dry-run"], ["--allow-plugin-path", "--allow-filter"]):
            r = env.run("run", cfg, *extra)
            expect_refused(r, "--allow-outside", where)
        victim_intact(vic)
    # inside the folder is fine, ".." included
    cfg = env.write("cfg/cfg.yaml", 'jobs:\n  - input: in.md\n    output-dir: out\n    outputs: ["../a/{stem}.html"]\n')
    r = env.run("run", cfg)
    check(r.rc == 0 and os.path.exists(env.path("cfg/a/in.html")), "an output inside the folder: exit %d" % r.rc)
    # the user allows it
    for flag in ("--allow-outside", "--trust-config"):
        cfg = env.write("cfg/cfg.yaml", 'jobs:\n  - input: in.md\n    outputs: ["../victim/x.html"]\n')
        r = env.run("run", cfg, flag)
        check(r.rc == 0 and os.path.exists(os.path.join(vic, "x.html")), "%s: not written" % flag)
        os.unlink(os.path.join(vic, "x.html"))
    # the single-file command is the user's own: not restricted
    r = env.run(env.path("cfg/in.md"), "-o", os.path.join(vic, "cli.html"))
    check(r.rc == 0 and os.path.exists(os.path.join(vic, "cli.html")), "docpipe IN -o OUT outside refused")


@case
def config_output_symlink(env):
    """Outputs followed a symlink out of the config's folder (a folder link,
    or a link at the output path whose target the write replaced)."""
    vic = victim(env)
    os.makedirs(env.path("cfg/inside"))
    env.write("cfg/in.md", "# hi\n")
    os.symlink(vic, env.path("cfg/o-link"))
    os.symlink(os.path.join(vic, "target.html"), env.path("cfg/inside/link.html"))
    os.symlink("../victim", env.path("cfg/rel-link"))  # cfg/../victim: relative, still outside
    # ("rel-link/../x" is no escape: output paths are cleaned lexically
    # before use, so it names cfg/x)
    for out in ("o-link/y.html", "o-link/new/deeper/y.html", "inside/link.html", "rel-link/z.html"):
        cfg = env.write("cfg/cfg.yaml", 'jobs:\n  - input: in.md\n    outputs: ["%s"]\n' % out)
        r = env.run("run", cfg, "--force")
        check(r.rc in (4, 6), "%s: exit %d" % (out, r.rc))
        expect_error(r, (r.rc,), ["--allow-outside"])
        victim_intact(vic)
    # a link that stays inside the folder is followed as before
    env.write("cfg/inside/real.html", "old\n")
    os.symlink("real.html", env.path("cfg/inside/ok.html"))
    cfg = env.write("cfg/cfg.yaml", 'jobs:\n  - input: in.md\n    outputs: ["inside/ok.html"]\n')
    r = env.run("run", cfg)
    check(r.rc == 0 and b"<html" in read(env.path("cfg/inside/real.html")), "a link inside the folder: exit %d" % r.rc)
    # the user allows it: the link's target is written (the test could fail)
    cfg = env.write("cfg/cfg.yaml", 'jobs:\n  - input: in.md\n    outputs: ["inside/link.html"]\n')
    r = env.run("run", cfg, "--allow-outside")
    check(r.rc == 0 and b"<html" in read(os.path.join(vic, "target.html")), "--allow-outside: not written")


# ---------------------------------------------------------------------------
# outputs keep their owner's permissions

@case
def jobs_umask(env):
    """umask(0); umask(old) in the writer made outputs written by other
    threads 0666 and their folders 0777 (here 792 of 1 800 files)."""
    os.makedirs(env.path("in"))
    for i in range(1, 601):
        env.write("in/f%d.md" % i, "# t%d\n" % i)
    cfg = env.write("r.yaml", 'jobs:\n  - input: "in/*.md"\n    output-dir: out\n'
                    '    outputs: ["d{stem}/{stem}.html", "e{stem}/{stem}.json", "{stem}.md"]\n')
    old = os.umask(0o022)
    try:
        r = env.run("run", cfg, "-q", "--jobs", "8", timeout=300)
    finally:
        os.umask(old)
    check(r.rc == 0, "run: exit %d" % r.rc)
    files = dirs = stamps = 0
    bad = []
    for root, ds, fs in os.walk(env.path("out")):
        for name, want in [(d, 0o755) for d in ds] + [(f, 0o644) for f in fs]:
            mode = stat.S_IMODE(os.lstat(os.path.join(root, name)).st_mode)
            if want == 0o755:
                dirs += 1
            elif name.startswith(".") and name.endswith(".dpstamp"):
                stamps += 1  # the runner's stamp beside each output: the same mode rule
            else:
                files += 1
            if mode != want:
                bad.append("%s %o" % (os.path.relpath(os.path.join(root, name), env.path("out")), mode))
    print("%d files, %d folders checked" % (files, dirs))
    check(files == 1800 and dirs == 1200, "expected 1800 files and 1200 folders, got %d and %d" % (files, dirs))
    check(stamps == 1800, "expected a stamp beside each of the 1800 outputs, got %d" % stamps)
    check(not bad, "%d outputs without the umask's mode, e.g. %s" % (len(bad), bad[:5]))


# ---------------------------------------------------------------------------
# YAML alias bomb built on one long string

def long_string_bomb(size, count, indent=""):
    s = "x" * size
    return ('%sa0: &a0 "%s"\n%sa1: [%s]\n' % (indent, s, indent, ",".join(["*a0"] * count)))


@case
def yaml_alias_long_string(env):
    """The issue's reproduction: 10 KB aliased 50 000 times, 210 KB of front
    matter, gave 513 MB of HTML and 2 GB of memory."""
    src = env.write("fm.md", "---\n" + long_string_bomb(10 << 10, 50000) + "---\n# hi\n")
    out = env.path("fm.html")
    r = env.run(src, "-o", out, timeout=60, mem_mb=512)
    expect_error(r, (3,), ["max-input-bytes", "alias"])
    check("fm.md:3:" in r.err, "the error does not give the alias's line (fm.md:3:): %s" % r.err)
    check(not os.path.exists(out), "an output was written")
    # the bound is max-input-bytes of expanded text: just under / just over
    # (1 KiB + the keys "a0" "a1"; 1022 aliases: 1 047 556 bytes, 1024: 1 049 604)
    for count, ok in ((1022, True), (1024, False)):
        src = env.write("fm%d.md" % count, "---\n" + long_string_bomb(1024, count) + "---\n# hi\n")
        r = env.run(src, "-o", env.path("fm%d.json" % count), "--limit", "max-input-bytes=1M", timeout=60)
        if ok:
            check(r.rc == 0, "%d aliases of 1 KiB under max-input-bytes=1M refused: exit %d" % (count, r.rc))
        else:
            expect_error(r, (3,), ["max-input-bytes"])
            check("fm%d.md:3:" % count in r.err, "no alias line in: %s" % r.err)


@case
def yaml_alias_long_string_config(env):
    """The same bomb as the metadata of a config job."""
    env.write("in.md", "# hi\n")
    cfg = env.write("bomb.yaml", "jobs:\n  - input: in.md\n    outputs: [o.html]\n    metadata:\n" +
                    long_string_bomb(10 << 10, 50000, "      "))
    r = env.run("run", cfg, timeout=60, mem_mb=512)
    expect_error(r, (4,), ["max-input-bytes", "alias"])
    check("bomb.yaml:6:" in r.err, "the error does not give the alias's line (bomb.yaml:6:): %s" % r.err)
    check(not os.path.exists(env.path("o.html")), "an output was written")
    # a few aliases of the long string are fine
    cfg = env.write("ok.yaml", "jobs:\n  - input: in.md\n    outputs: [o.html]\n    metadata:\n" +
                    long_string_bomb(10 << 10, 3, "      "))
    r = env.run("run", cfg, timeout=60)
    check(r.rc == 0, "a config with 3 aliases of a 10 KB string refused: exit %d" % r.rc)


if __name__ == "__main__":
    sys.exit(hostile.main(CASES))
