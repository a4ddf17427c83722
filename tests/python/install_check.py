#!/usr/bin/env python3
"""The two ways to install the Python package, each checked by converting.

    install_check.py cmake BUILD_DIR WORKDIR PYTHON
        cmake --install BUILD_DIR into WORKDIR/prefix; PYTHON (the
        interpreter the package was configured for) imports docpipe from the
        prefix's site-packages and must load the library installed beside it
        (and the plugins beside that), with no DOCPIPE_* variable set.
    install_check.py pip BINDINGS WORKDIR PYTHON LIBRARY
        pip install --no-build-isolation --no-index of a copy of BINDINGS
        into a venv of PYTHON (offline: setuptools from the system); the
        package must find the library through DOCPIPE_LIBRARY=LIBRARY.

Exits 0 when the conversion works, 77 (skip) when a tool is missing."""
import os
import shutil
import subprocess
import sys

CHECK = r"""
import docpipe, sys
epub = docpipe.convert("# Title\n\nBody text.", "md", "epub", metadata={"title": "T", "language": "en"})
assert isinstance(epub, bytes) and epub[:2] == b"PK", epub[:10]
html = docpipe.convert(epub, "epub", "html")
assert "Body text." in html
print(docpipe.__file__, docpipe.library_path(), docpipe.version())
"""


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCPIPE_") and k != "PYTHONPATH"}
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    return env


def run(cmd, env=None, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def via_cmake(build, work, python):
    prefix = os.path.join(work, "prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    run(["cmake", "--install", build, "--prefix", prefix])
    site = run([python, "-c", "import sysconfig, sys; p = sys.argv[1]; "
                "print(sysconfig.get_path('purelib', 'posix_prefix', vars={'base': p, 'platbase': p}))", prefix])
    env = clean_env()
    env["PYTHONPATH"] = site.strip()
    env["DOCPIPE_CACHE_DIR"] = os.path.join(work, "cache")
    out = run([python, "-c", CHECK], env=env, cwd=work)
    pkg, lib = out.split()[:2]
    if not pkg.startswith(prefix) or not lib.startswith(prefix):
        sys.exit(f"FAIL: not the installed package and library: {out}")
    print("ok cmake --install:", out.strip())


def via_pip(bindings, work, python, library):
    venv = os.path.join(work, "venv")
    src = os.path.join(work, "src")
    for d in (venv, src):
        shutil.rmtree(d, ignore_errors=True)
    p = subprocess.run([python, "-m", "venv", "--system-site-packages", venv], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"SKIP: {python} -m venv failed (python3-venv missing?): {p.stderr.strip()}")
        sys.exit(77)
    # pip builds in the source folder: a copy keeps the repository clean
    shutil.copytree(bindings, src, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    vpy = os.path.join(venv, "bin", "python")
    env = clean_env()
    p = subprocess.run([vpy, "-m", "pip", "--version"], capture_output=True, text=True)
    if p.returncode != 0:
        print("SKIP: no pip for", python, "(python3-pip missing?)")
        sys.exit(77)
    run([vpy, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", "-q", src], env=env)
    env["DOCPIPE_LIBRARY"] = library
    env["DOCPIPE_CACHE_DIR"] = os.path.join(work, "cache")
    out = run([vpy, "-c", CHECK], env=env, cwd=work)
    pkg, lib = out.split()[:2]
    if not pkg.startswith(venv) or os.path.realpath(lib) != os.path.realpath(library):
        sys.exit(f"FAIL: not the pip-installed package with DOCPIPE_LIBRARY: {out}")
    print("ok pip install:", out.strip())


def main():
    mode, where, work, python = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    if mode == "cmake":
        via_cmake(where, work, python)
    else:
        via_pip(where, work, python, sys.argv[5])


main()
