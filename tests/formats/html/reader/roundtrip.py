#!/usr/bin/env python3
"""Round trips through the importers and the writers, shared by the HTML and
EPUB reader tests.

usage: roundtrip.py DOCPIPE SOURCE_DIR CASE
  speech-html-md   samples/speech.md -> html -> md: every seed word (in order),
                   the notes with their labels, the metadata
  html-stable      speech.md -> html H1; H1 -> tree T1; H1 -> html H2 -> tree T2; T1 == T2
  speech-epub-md   the same as speech-html-md through EPUB
  epub-stable      the same as html-stable through EPUB
  every-html-stable, every-epub-stable   the same from samples/every-node.json (every node kind)
  epub-notes-book-stable, epub-notes-inline-stable, epub2-stable   epub-stable with the writer's
                   notes: book / notes: inline / version: 2
  html-options-same  speech.md -> html with toc, number-sections, section-divs reads back to the
                   same tree as the default html (generated chrome is recognised)
Exit 0 pass, 1 fail, 77 skip (a plugin is not built / the seed is absent)."""
import json
import os
import subprocess
import sys
import tempfile

sys.setrecursionlimit(20000)


def run(cli, *args):
    r = subprocess.run([cli] + list(args), capture_output=True)
    if r.returncode != 0:
        print("FAIL: docpipe %s exited %d:\n%s" % (" ".join(args), r.returncode, r.stderr.decode(errors="replace")))
        sys.exit(1)
    return r


def formats(cli):
    r = subprocess.run([cli, "formats"], capture_output=True, text=True)
    read, write = set(), set()
    for line in r.stdout.splitlines()[1:]:
        f = line.split()
        if len(f) >= 3 and f[1] in ("yes", "-"):
            if f[1] == "yes":
                read.add(f[0])
            if f[2] == "yes":
                write.add(f[0])
        if not line.strip():
            break
    return read, write


def nodes(n, kind):
    out, stack = [], [n]
    while stack:
        x = stack.pop()
        if x.get("t") == kind:
            out.append(x)
        stack.extend(reversed(x.get("c", [])))
    return out


def tree(cli, path, fmt=None):
    args = [path, "-t", "json", "-o", "-"] + (["-f", fmt] if fmt else [])
    return json.loads(run(cli, *args).stdout)


def strip_volatile(t):
    """Nothing is removed: the trees must be equal as they are."""
    return t


WRITER_OPTS = {
    "epub-notes-book-stable": ["-O", "notes=book"],
    "epub-notes-inline-stable": ["-O", "notes=inline"],
    "epub2-stable": ["-O", "version=2"],
}


def main():
    cli, src, case = sys.argv[1:4]
    wopts = WRITER_OPTS.get(case, [])
    via = "epub" if "epub" in case else "html"
    read, write = formats(cli)
    need_read = {via, "json", "markdown"} if case.startswith("speech") else {via, "json"}
    need_write = {via, "markdown"} if case.startswith("speech") else {via, "json"}
    missing = sorted((need_read - read) | {w + " (writer)" for w in need_write - write})
    if missing:
        print("skipped: not built: %s" % ", ".join(missing))
        return 77
    speech = os.path.join(src, "samples", "every-node.json" if case.startswith("every") else "speech.md")
    if not os.path.exists(speech):
        print("skipped: %s absent" % speech)
        return 77
    env_date = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    os.environ.update(env_date)
    with tempfile.TemporaryDirectory() as d:
        mid = os.path.join(d, "speech." + via)
        run(cli, speech, "-o", mid, *wopts)
        if case == "html-options-same":
            rich = os.path.join(d, "rich.html")
            run(cli, speech, "-o", rich, "-O", "toc=true", "-O", "number-sections=true", "-O", "section-divs=true")
            run(cli, rich, "-t", "json", "-o", os.devnull, "--strict")
            if tree(cli, rich) != tree(cli, mid):
                print("FAIL: toc / number-sections / section-divs output reads back to another tree")
                return 1
            print("ok: html with toc, number-sections and section-divs reads back to the same tree")
            return 0
        if case.startswith("speech"):
            md = os.path.join(d, "back.md")
            run(cli, mid, "-o", md)
            seed = os.path.join(src, "tests", "common", "seed_words.py")
            r = subprocess.run([sys.executable, seed, md, "--in-order"], capture_output=True, text=True)
            if r.returncode == 77:
                print("skipped: " + r.stdout.strip())
                return 77
            fails = []
            if r.returncode != 0:
                fails.append("seed words lost:\n" + r.stdout + r.stderr)
            orig = tree(cli, speech)
            back = tree(cli, mid)
            ol = [n.get("label") for n in nodes(orig["body"], "note")]
            bl = [n.get("label") for n in nodes(back["body"], "note")]
            if ol != bl:
                fails.append("note labels %s became %s" % (ol, bl))
            # HTML keeps every key (maps as <meta name="key.sub">); EPUB's package
            # has no place for revision[] and flattens source{} into one dc:source
            keys = list(orig["meta"]) if via == "html" else [
                "title", "subtitle", "author", "translator", "editor", "contributor", "language", "date",
                "created", "publisher", "description", "identifier", "rights", "subject"]
            for key in keys:
                if key in orig["meta"] and orig["meta"][key] != back["meta"].get(key):
                    fails.append("metadata %s: %r became %r" % (key, orig["meta"][key], back["meta"].get(key)))
            final = tree(cli, md)
            fl = [n.get("label") for n in nodes(final["body"], "note")]
            if len(fl) != len(ol):
                fails.append("%d notes after -> md, expected %d" % (len(fl), len(ol)))
            if fails:
                print("FAIL:\n" + "\n".join(fails))
                return 1
            print("ok: %s keeps the seed words, %d notes %s and the metadata" % (case, len(bl), bl))
            return 0
        # stability: H1 -> T1 ; H1 -> H2 -> T2 ; T1 == T2. The writer's valid
        # output must import without a single warning (--strict).
        run(cli, mid, "-t", "json", "-o", os.devnull, "--strict")
        t1 = tree(cli, mid)
        again = os.path.join(d, "again." + via)
        run(cli, mid, "-o", again, *wopts)
        t2 = tree(cli, again)
        if strip_volatile(t1) != strip_volatile(t2):
            a = json.dumps(t1, indent=1, ensure_ascii=False).splitlines()
            b = json.dumps(t2, indent=1, ensure_ascii=False).splitlines()
            import difflib
            print("FAIL: tree changed on the second round trip:")
            print("\n".join(list(difflib.unified_diff(a, b, "T1", "T2", lineterm=""))[:80]))
            return 1
        print("ok: %s: tree stable through a second round trip" % case)
        return 0


if __name__ == "__main__":
    sys.exit(main())
