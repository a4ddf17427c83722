#!/usr/bin/env python3
"""Work that must grow linearly with the document (issue 23): usage

    scaling.py CASE DOCPIPE WORKDIR

Writes two documents of N_SMALL and N_LARGE repeated parts, converts each
under callgrind counting only the instructions inside the case's function
(inclusive), and fails when the large document costs more than LIMIT times
the small one. The parts are 8 times as many, so linear work gives about 8x.
Instruction counts, not time: repeatable on a busy machine. Skips (77)
without valgrind. Cases:

notes: the Markdown writer's handling of one note (mdw_note_enter), md -> md.
  Looking every label up among all earlier ones gave 27x (the 100 MB bench
  input, 20,460 notes, spent 209 M string comparisons there).
tei-divisions: the TEI reader (tei_import, with libxml2's parse), TEI with
  sibling <div>s -> HTML. Each division scanned all its following siblings
  for something other than a division: 100 MB tei->html took 15.7x the time
  of 10 MB.
epub-chapters: the EPUB reader (epub_import), an EPUB that docpipe writes
  from Markdown of one chapter per part, each linking to the next and the
  previous -> Markdown. Each link searched every file by name, and each
  navigation entry every earlier one: 100 MB epub->md took 10.6x the
  instructions of 10 MB; and which walk reads a chapter last was found by
  passes over the links repeated once per step of a chain.
"""
import os
import re
import shutil
import subprocess
import sys

N_SMALL, N_LARGE = 1000, 8000
LIMIT = 10.0


def notes_document(n):
    body = "".join("Sentence %d with a note.[^n%d]\n\n" % (k, k) for k in range(n))
    notes = "".join("[^n%d]: Note number %d.\n\n" % (k, k) for k in range(n))
    return body + notes


def divisions_document(n):
    divs = "".join('<div><head>Part %d</head><p>Text of part %d.</p></div>\n' % (k, k) for k in range(n))
    return ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
            '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
            '</teiHeader><text><body>\n' + divs + '</body></text></TEI>\n')


def chapters_document(n):
    # no link from the last chapter back to the first: with it, the old
    # passes over the links settled in two
    def links(k):
        return "".join(" [%s](#chapter-%d)" % (name, j) for name, j in (("previous", k - 1), ("next", k + 1))
                       if 0 <= j < n)
    return "".join("# Chapter %d\n\nText of chapter %d:%s.\n\n" % (k, k, links(k)) for k in range(n))


# case: (function counted, document(n), written as, converted first to (None: read as written),
#        output suffix, marks expected in the output per part)
CASES = {
    "notes": ("mdw_note_enter", notes_document, "md", None, "out.md", "[^", 2),
    "tei-divisions": ("tei_import", divisions_document, "tei.xml", None, "html", "<h1", 1),
    "epub-chapters": ("epub_import", chapters_document, "md", "epub", "out.md", "](#chapter-", 1),
}


def count(case, dp, work, n):
    func, document, suffix, via, out_suffix, mark, per_part = CASES[case]
    src = os.path.join(work, "%s-%d.%s" % (case, n, suffix))
    with open(src, "w", encoding="utf-8") as f:
        f.write(document(n))
    if via:  # the input is docpipe's own conversion of the document, not counted
        made = os.path.join(work, "%s-%d.%s" % (case, n, via))
        p = subprocess.run([dp, "-q", src, "-o", made], stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if p.returncode != 0:
            print("FAIL: docpipe could not write the %s input: %s" % (via, p.stderr.strip()[-600:]))
            sys.exit(1)
        src = made
    out = os.path.join(work, "%s-%d.%s" % (case, n, out_suffix))
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        "--toggle-collect=" + func, dp, "-q", src, "-o", out],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    if p.returncode != 0 or not m:
        print("FAIL: docpipe on %d parts exited %d: %s" % (n, p.returncode, p.stderr.strip()[-600:]))
        sys.exit(1)
    with open(out, encoding="utf-8") as f:
        written = f.read().count(mark)
    if written < per_part * n:
        print("FAIL: %d parts written with %d marks %r, expected %d" % (n, written, mark, per_part * n))
        sys.exit(1)
    return int(m.group(1))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in CASES:
        print(__doc__)
        return 2
    case, dp, work = sys.argv[1:]
    if not shutil.which("valgrind"):
        print("SKIP: valgrind is not installed")
        return 77
    os.makedirs(work, exist_ok=True)
    func = CASES[case][0]
    small, large = count(case, dp, work, N_SMALL), count(case, dp, work, N_LARGE)
    if small == 0:
        print("FAIL: no instructions counted in %s (was it renamed?)" % func)
        return 1
    ratio = large / small
    print("%s: %d parts %d instructions, %d parts %d instructions: %.2fx for %dx the parts (limit %.1fx)"
          % (func, N_SMALL, small, N_LARGE, large, ratio, N_LARGE // N_SMALL, LIMIT))
    if ratio > LIMIT:
        print("FAIL: the cost grows faster than the number of parts")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
