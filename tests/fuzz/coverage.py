#!/usr/bin/env python3
"""Edge coverage of a fuzz target's own sources, from libFuzzer's
-print_coverage=1 report (stdlib only). Usage:

    fuzz_T -runs=0 -print_coverage=1 CORPUS 2>&1 | coverage.py PREFIX...

PREFIX: source paths relative to the repository (plugins/markdown/,
core/config.c ...). Prints covered/total edges and functions over the
functions whose file starts with one of the prefixes."""
import re
import sys

LINE = re.compile(r"^(COVERED|UNCOVERED)_FUNC: hits: \d+ edges: (\d+)/(\d+) (\S+) (\S+?):\d+")


def main():
    prefixes = sys.argv[1:]
    if not prefixes:
        print(__doc__)
        return 2
    # A static library linked into several plugins (plugins/xhtml/read) has
    # one copy of each function per plugin: count each function once, with
    # its best-covered copy.
    best = {}
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        kind, e, t, name, path = m.groups()
        rel = path
        for marker in ("/plugins/", "/core/"):
            if marker in path:
                rel = path[path.index(marker) + 1:]
        if not any(rel.startswith(p) for p in prefixes):
            continue
        key = (rel, name)
        if key not in best or int(e) > best[key][0]:
            best[key] = (int(e), int(t), kind == "COVERED")
    edges = sum(v[0] for v in best.values())
    total = sum(v[1] for v in best.values())
    funcs = len(best)
    covered_funcs = sum(1 for v in best.values() if v[2])
    if not total:
        print("no function under %s in the report" % " ".join(prefixes))
        return 1
    print("edges %d/%d (%.1f%%), functions %d/%d (%.1f%%) in %s" % (
        edges, total, 100.0 * edges / total, covered_funcs, funcs, 100.0 * covered_funcs / funcs,
        " ".join(prefixes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
