#!/usr/bin/env python3
"""Check that every word of the speech seed survives in a converted file.

usage: seed_words.py FILE [--in-order] [--seed PATH] [--format FMT]

The text of FILE is extracted according to its extension (or --format):
  .md .markdown  raw text; HTML tags removed, entities decoded, Markdown
                 punctuation is punctuation like any other (see below)
  .html .htm .xhtml  text content (html.parser), element boundaries separate words
  .xml .tei      XML text content (no tags, no attribute values)
  .epub          every XHTML document of the OPF spine, in spine order
  .json          the docpipe JSON tree: the string values of "text" fields in
                 document order (every string value if there is no "text" field)

Both sides are normalised the same way: Unicode NFC; curly quotes, primes and
dashes folded to their ASCII forms; every punctuation or symbol character
(Unicode categories P* and S*, so Markdown markup and escapes too) separates
words; format characters (soft hyphen, zero-width space) are removed; case is
kept. In the seed, note markers "[1]".."[5]" are markup of the plain text, not
words, and are not counted (formats number notes with attributes or list
numbering).

Checks:
  always      every seed word occurs in FILE at least as often as in the seed
              (multiset inclusion);
  --in-order  additionally, each part of the seed is a subsequence of FILE's
              words: the main text (title .. last paragraph), the closing
              asterisk note, and each numbered note separately. Notes are
              checked separately because formats legitimately move them: the
              JSON tree and TEI keep a note at its point of reference, HTML and
              Markdown collect them at the end.

Exit status: 0 all words present; 1 words missing (listed with their seed
context); 2 usage or unreadable FILE; 77 the seed is absent (test skipped).
The seed is --seed PATH, else $DOCPIPE_SHARED_DIR/speech/speech-seed.txt, else
../../../shared/speech/speech-seed.txt relative to this script. Stdlib only.
"""

import argparse
import bisect
import collections
import html
import html.parser
import json
import os
import posixpath
import re
import sys
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

EXIT_OK, EXIT_MISSING, EXIT_USAGE, EXIT_SKIP = 0, 1, 2, 77
MAX_REPORTED = 40
SEP = "\n"  # inserted at element boundaries; any whitespace separates words

FOLD = {}
for ch in "\u2018\u2019\u201a\u201b\u2032\u02bc":
    FOLD[ord(ch)] = "'"
for ch in "\u201c\u201d\u201e\u201f\u2033":
    FOLD[ord(ch)] = '"'
for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
    FOLD[ord(ch)] = "-"
FOLD[0x00A0] = " "


def words_of(text):
    """Normalised word list of a text (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).translate(FOLD)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "PS":
            out.append(" ")
        elif cat == "Cf":
            continue
        else:
            out.append(ch)
    return "".join(out).split()


# ---------------------------------------------------------------- seed

NOTE_MARKER = re.compile(r"\[\d+\]")


def seed_parts(seed_text):
    """Splits the seed into (name, text) parts: main text, the asterisk
    note, and each numbered note; note markers removed."""
    main, star, notes = [], [], []
    section = "main"
    for line in seed_text.splitlines():
        stripped = line.strip()
        if section == "main" and stripped.startswith("*"):
            section = "star"
        elif section in ("main", "star") and re.match(r"\[\d+\]", stripped):
            section = "notes"
        if section == "main":
            main.append(line)
        elif section == "star":
            star.append(line)
        else:
            m = re.match(r"\[(\d+)\]", stripped)
            if m:
                notes.append(["note [%s]" % m.group(1), []])
            if notes:
                notes[-1][1].append(line)
            elif stripped:
                main.append(line)
    parts = [("main text", "\n".join(main))]
    if star:
        parts.append(("asterisk note", "\n".join(star)))
    for name, lines in notes:
        parts.append((name, "\n".join(lines)))
    return [(name, NOTE_MARKER.sub(" ", text)) for name, text in parts]


def find_seed(explicit):
    if explicit:
        return explicit
    shared = os.environ.get("DOCPIPE_SHARED_DIR")
    if shared:
        return os.path.join(shared, "speech", "speech-seed.txt")
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "speech", "speech-seed.txt"))


# ---------------------------------------------------------------- extraction

class _HTMLText(html.parser.HTMLParser):
    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.chunks.append(SEP)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        self.chunks.append(SEP)

    def handle_startendtag(self, tag, attrs):
        self.chunks.append(SEP)

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def text_of_html(data):
    p = _HTMLText()
    p.feed(data)
    p.close()
    return "".join(p.chunks)


def text_of_xml(data):
    root = ET.fromstring(data)
    chunks = []
    # Iterative walk: (element, entering) pairs; element boundaries separate.
    stack = [(root, True)]
    while stack:
        el, entering = stack.pop()
        if entering:
            chunks.append(SEP)
            if el.text:
                chunks.append(el.text)
            stack.append((el, False))
            for child in reversed(list(el)):
                stack.append((child, True))
        else:
            chunks.append(SEP)
            if el.tail:
                chunks.append(el.tail)
    return "".join(chunks)


# An HTML tag or comment; not an autolink such as <https://example.org/>.
HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)


def text_of_markdown(data):
    return html.unescape(HTML_TAG.sub(" ", data))


def text_of_epub(path):
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = None
        for el in container.iter():
            if el.tag.endswith("rootfile") and el.get("full-path"):
                opf_path = el.get("full-path")
                break
        if not opf_path:
            raise ValueError("no rootfile in META-INF/container.xml")
        opf = ET.fromstring(z.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {}
        for el in opf.iter():
            if el.tag.endswith("}item") or el.tag == "item":
                manifest[el.get("id")] = (el.get("href"), el.get("media-type", ""))
        chunks = []
        for el in opf.iter():
            if el.tag.endswith("}itemref") or el.tag == "itemref":
                href, mime = manifest.get(el.get("idref"), (None, ""))
                if not href:
                    continue
                name = posixpath.normpath(posixpath.join(base, urllib.parse.unquote(href)))
                if "html" not in mime and not name.endswith((".xhtml", ".html", ".htm")):
                    continue
                chunks.append(text_of_html(z.read(name).decode("utf-8")))
                chunks.append(SEP)
        return "".join(chunks)


def text_of_json(data):
    tree = json.loads(data)
    text_fields, all_strings = [], []
    # Iterative walk in document order; every container boundary separates.
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            all_strings.append(item)
            continue
        if isinstance(item, dict):
            text_fields.append(SEP)
            all_strings.append(SEP)
            pending = []
            for key, value in item.items():
                if key == "text" and isinstance(value, str):
                    text_fields.append(value)
                    text_fields.append(SEP)
                pending.append(value)
            stack.extend(reversed(pending))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    if any(chunk != SEP for chunk in text_fields):
        return "".join(text_fields)
    return SEP.join(all_strings)


FORMATS = {
    "md": "markdown", "markdown": "markdown",
    "html": "html", "htm": "html", "xhtml": "html",
    "xml": "xml", "tei": "xml",
    "epub": "epub",
    "json": "json",
}


def extract(path, fmt):
    if fmt == "epub":
        return text_of_epub(path)
    with open(path, "r", encoding="utf-8") as f:
        data = f.read()
    if fmt == "markdown":
        return text_of_markdown(data)
    if fmt == "html":
        return text_of_html(data)
    if fmt == "xml":
        return text_of_xml(data)
    if fmt == "json":
        return text_of_json(data)
    raise ValueError("unknown format " + fmt)


# ---------------------------------------------------------------- checks

def context(words, i, width=6):
    lo, hi = max(0, i - width), min(len(words), i + width + 1)
    return " ".join(words[lo:i] + ["[" + words[i] + "]"] + words[i + 1:hi])


def check_multiset(seed_words, file_words):
    have = collections.Counter(file_words)
    need = collections.Counter(seed_words)
    problems = []
    for word, count in need.items():
        if have[word] < count:
            first = seed_words.index(word)
            problems.append("missing %r: seed has %d, file has %d; e.g. \u201c%s\u201d"
                            % (word, count, have[word], context(seed_words, first)))
    return problems


def check_in_order(part_name, seed_words, file_words):
    """Greedy subsequence match (greedy is exact for a subsequence test).
    Reports the first seed word that cannot be matched in order; words
    missing altogether are listed by the multiset check."""
    index = collections.defaultdict(list)
    for i, w in enumerate(file_words):
        index[w].append(i)
    pos = 0
    for i, word in enumerate(seed_words):
        positions = index.get(word, [])
        k = bisect.bisect_left(positions, pos)
        if k == len(positions):
            return ["%s: out of order or missing from seed word %d of %d, %r (file matched up to word %d);"
                    " seed: \u201c%s\u201d" % (part_name, i + 1, len(seed_words), word, pos,
                                                context(seed_words, i))]
        pos = positions[k] + 1
    return []


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--in-order", action="store_true",
                    help="also require each seed part (main text, each note) in order")
    ap.add_argument("--seed", help="seed text (default: the shared speech seed)")
    ap.add_argument("--format", choices=sorted(set(FORMATS.values())),
                    help="text extraction to use (default: from the extension)")
    args = ap.parse_args(argv)

    seed_path = find_seed(args.seed)
    if not os.path.isfile(seed_path):
        print("seed_words: seed not found at %s (set DOCPIPE_SHARED_DIR or --seed); skipping" % seed_path)
        return EXIT_SKIP
    fmt = args.format or FORMATS.get(os.path.splitext(args.file)[1].lstrip(".").lower())
    if not fmt:
        print("seed_words: cannot tell the format of %s (use --format)" % args.file, file=sys.stderr)
        return EXIT_USAGE
    try:
        text = extract(args.file, fmt)
    except (OSError, ValueError, KeyError, ET.ParseError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        print("seed_words: cannot read %s as %s: %s" % (args.file, fmt, e), file=sys.stderr)
        return EXIT_USAGE

    with open(seed_path, "r", encoding="utf-8") as f:
        parts = [(name, words_of(t)) for name, t in seed_parts(f.read())]
    file_words = words_of(text)
    all_seed = [w for _, ws in parts for w in ws]

    problems = check_multiset(all_seed, file_words)
    if args.in_order:
        for name, ws in parts:
            problems += check_in_order(name, ws, file_words)
    if problems:
        print("seed_words: %s: %d problem(s) against %s (%d seed words, %d file words):"
              % (args.file, len(problems), seed_path, len(all_seed), len(file_words)))
        for p in problems[:MAX_REPORTED]:
            print("  " + p)
        if len(problems) > MAX_REPORTED:
            print("  ... and %d more" % (len(problems) - MAX_REPORTED))
        return EXIT_MISSING
    print("seed_words: %s: all %d seed words present%s (%d parts)"
          % (args.file, len(all_seed), ", in order" if args.in_order else "", len(parts)))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
