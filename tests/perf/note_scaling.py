#!/usr/bin/env python3
"""The Markdown writer's notes grow linearly (issue 23): usage

    note_scaling.py DOCPIPE WORKDIR

Writes two Markdown documents of N_SMALL and N_LARGE notes, converts each to
Markdown under callgrind counting only the instructions spent inside
mdw_note_enter (the writer's handling of one note, inclusive), and fails when
the large document costs more than LIMIT times the small one. The notes are
8 times as many, so linear work gives about 8x; looking every label up among
all earlier ones gave 27x (the 100 MB bench input, 20,460 notes, spent 209 M
string comparisons there). Instruction counts, not time: repeatable on a busy
machine. Skips (77) without valgrind.
"""
import os
import re
import shutil
import subprocess
import sys

N_SMALL, N_LARGE = 1000, 8000
LIMIT = 10.0


def document(n):
    body = "".join("Sentence %d with a note.[^n%d]\n\n" % (k, k) for k in range(n))
    notes = "".join("[^n%d]: Note number %d.\n\n" % (k, k) for k in range(n))
    return body + notes


def count(dp, work, n):
    src = os.path.join(work, "notes-%d.md" % n)
    with open(src, "w", encoding="utf-8") as f:
        f.write(document(n))
    out = os.path.join(work, "notes-%d.out.md" % n)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        "--toggle-collect=mdw_note_enter", dp, "-q", src, "-o", out],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    if p.returncode != 0 or not m:
        print("FAIL: docpipe on %d notes exited %d: %s" % (n, p.returncode, p.stderr.strip()[-600:]))
        sys.exit(1)
    with open(out, encoding="utf-8") as f:
        written = f.read().count("[^")
    if written < 2 * n:  # every reference and every definition
        print("FAIL: %d notes written as %d footnote marks, expected %d" % (n, written, 2 * n))
        sys.exit(1)
    return int(m.group(1))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    dp, work = sys.argv[1], sys.argv[2]
    if not shutil.which("valgrind"):
        print("SKIP: valgrind is not installed")
        return 77
    os.makedirs(work, exist_ok=True)
    small, large = count(dp, work, N_SMALL), count(dp, work, N_LARGE)
    if small == 0:
        print("FAIL: no instructions counted in mdw_note_enter (was it renamed?)")
        return 1
    ratio = large / small
    print("mdw_note_enter: %d notes %d instructions, %d notes %d instructions: %.2fx for %dx the notes (limit %.1fx)"
          % (N_SMALL, small, N_LARGE, large, ratio, N_LARGE // N_SMALL, LIMIT))
    if ratio > LIMIT:
        print("FAIL: the notes' cost grows faster than their number")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
