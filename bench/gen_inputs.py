#!/usr/bin/env python3
"""Generate the benchmark's Markdown inputs from samples/speech.md.

Usage: gen_inputs.py SPEECH.md OUTDIR [--batch N] [--100mb]

Writes into OUTDIR:
  speech.md        the sample itself (about 30 KB)
  speech-1mb.md    the speech scaled to at least 1 MB
  speech-10mb.md   the speech scaled to at least 10 MB
  speech-100mb.md  with --100mb: the speech scaled to at least 100 MB (the
                   bench's linear-growth check; generated, never committed)
  batch/NNNN.md    N copies of the speech (default 1000)

A scaled file keeps the front matter once, then repeats the body as "Part k"
sections: every heading is demoted one level under a new "# Part k" heading,
and every footnote label is renamed per part ([^3] -> [^p12-3]) with its
definition written at the end of that part, so notes occur throughout the
document and labels stay unique, as in a long real book.
"""
import os
import re
import shutil
import sys

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")


def split_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[: end + 5], text[end + 5:]
    return "", text


def split_notes(body):
    """Separate footnote definitions (with their continuation lines) from the rest."""
    main, notes = [], []
    in_note = False
    for line in body.splitlines(keepends=True):
        if FOOTNOTE_DEF.match(line):
            in_note = True
            notes.append(line)
        elif in_note and (line.startswith("    ") or line.strip() == ""):
            notes.append(line)
        else:
            in_note = False
            main.append(line)
    return "".join(main).strip("\n") + "\n", "".join(notes).strip("\n") + "\n"


def relabel(text, part):
    return FOOTNOTE_REF.sub(lambda m: "[^p%d-%s]" % (part, m.group(1).replace("*", "star")), text)


def demote(text):
    out = []
    in_fence = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```") or line.startswith("~~~"):
            in_fence = not in_fence
        if not in_fence and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "".join(out)


def scaled(text, target_bytes):
    front, body = split_front_matter(text)
    main, notes = split_notes(body)
    main = demote(main)
    parts = [front]
    size = len(front.encode("utf-8"))
    part = 0
    while size < target_bytes:
        part += 1
        chunk = "\n# Part %d\n\n%s\n%s\n" % (part, relabel(main, part), relabel(notes, part))
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(parts), part


def main():
    args = sys.argv[1:]
    batch = 1000
    sizes = [("speech-1mb.md", 1 << 20), ("speech-10mb.md", 10 << 20)]
    if "--100mb" in args:
        args.remove("--100mb")
        sizes.append(("speech-100mb.md", 100 << 20))
    if "--batch" in args:
        i = args.index("--batch")
        batch = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    speech_path, out = args
    with open(speech_path, encoding="utf-8") as f:
        text = f.read()
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(speech_path, os.path.join(out, "speech.md"))
    for name, target in sizes:
        doc, parts = scaled(text, target)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(doc)
        print("%s: %d bytes, %d parts" % (name, len(doc.encode("utf-8")), parts))
    batch_dir = os.path.join(out, "batch")
    shutil.rmtree(batch_dir, ignore_errors=True)
    os.makedirs(batch_dir)
    for i in range(batch):
        shutil.copyfile(speech_path, os.path.join(batch_dir, "%04d.md" % i))
    print("batch: %d copies of %s" % (batch, os.path.basename(speech_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
