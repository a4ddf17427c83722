#!/usr/bin/env python3
"""check-layers.py [ROOT] — the include directions of docs/ARCHITECTURE.md.

The core has three layers, each in its folder, and a front end:

    core/tree/      the document tree             may include: tree
    core/host/      registry, loader, contexts    may include: host, tree
    core/pipeline/  configs, plans, runner        may include: pipeline, host, tree
    core/cli/       the command line              may include: cli (and the public API)
    plugins/        every format and transform    may include: the public API only

Every file may include the public headers (<docpipe/...> or "docpipe/...")
and system or library headers. A quoted include that names a core folder
("host/host.h") or a core-private header is checked against the table.
Prints each violation as FILE:LINE: message and exits 1 when there is one.
--self-test builds a small tree with one violation per rule and checks that
each is found (so the check itself can fail)."""
import os
import re
import sys
import tempfile

ALLOWED = {
    "core/tree": {"tree"},
    "core/host": {"host", "tree"},
    "core/pipeline": {"pipeline", "host", "tree"},
    "core/cli": {"cli"},
}
LAYERS = ("tree", "host", "pipeline", "cli")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def core_private_headers(root):
    """Names of the headers inside core/<layer>/, which only the core may use."""
    names = {}
    for layer in LAYERS:
        d = os.path.join(root, "core", layer)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.endswith(".h"):
                    names[f] = layer
    return names


def layer_of_include(target, here_layer, private):
    """The layer a quoted include reaches, or None for the public API / local files."""
    if target.startswith("docpipe/"):
        return None
    head = target.split("/", 1)[0]
    if "/" in target and head in LAYERS:
        return head
    base = os.path.basename(target)
    if base in private and private[base] != here_layer:
        return private[base]
    return None


def check(root):
    problems = []
    private = core_private_headers(root)
    for top in ("core", "plugins"):
        for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(dirpath, root)
            if rel_dir.startswith("plugins"):
                allowed, here = set(), "plugins"
            else:
                parts = rel_dir.split(os.sep)
                key = "/".join(parts[:2])
                if key not in ALLOWED:
                    if len(parts) == 1 and any(f.endswith((".c", ".h")) for f in files):
                        problems.append(f"{rel_dir}: C files directly in core/ (put them in a layer's folder)")
                    continue
                allowed, here = ALLOWED[key], parts[1]
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for lineno, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        reached = layer_of_include(m.group(1), here, private)
                        if here == "plugins":
                            if reached is not None:
                                problems.append(f"{os.path.relpath(path, root)}:{lineno}: a plugin includes "
                                                f"the core's private \"{m.group(1)}\" (use include/docpipe/)")
                        elif reached is not None and reached not in allowed:
                            problems.append(f"{os.path.relpath(path, root)}:{lineno}: core/{here} may not "
                                            f"include \"{m.group(1)}\" (layer {reached})")
    return problems


def self_test():
    cases = {
        "core/tree/a.c": '#include "host/host.h"\n',
        "core/host/b.c": '#include "pipeline/pipeline_priv.h"\n',
        "core/cli/c.c": '#include "tree/tree_internal.h"\n',
        "plugins/x/d.c": '#include "host.h"\n',
    }
    ok_files = {
        "core/tree/tree_internal.h": "",
        "core/host/host.h": '#include "docpipe/docpipe.h"\n',
        "core/pipeline/pipeline_priv.h": '#include "host/host.h"\n',
        "core/pipeline/e.c": '#include "tree/tree_internal.h"\n#include "pipeline/pipeline_priv.h"\n',
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in {**cases, **ok_files}.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(tmp, name), "w") as fh:
                fh.write(text)
        found = check(tmp)
    missed = [name for name in cases if not any(p.startswith(name + ":") for p in found)]
    wrong = [p for p in found if not any(p.startswith(name + ":") for name in cases)]
    for name in missed:
        print(f"self-test: the violation in {name} was not found")
    for p in wrong:
        print(f"self-test: false alarm: {p}")
    return 1 if missed or wrong else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    print(f"check-layers: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
