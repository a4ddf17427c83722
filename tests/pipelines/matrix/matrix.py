#!/usr/bin/env python3
"""The conversion matrix: usage matrix.py DOCPIPE REPO

Makes the speech in each format from samples/speech.md with docpipe, converts
each of those to each format (16 pairs), and checks every output for:
  words  every word of the seed (tests/common/seed_words.py)
  notes  the five numbered notes and the asterisk note, with their labels
  meta   title, author, the five translators and the language
  valid  the format's validator (tests/common/validate.sh); for Markdown,
         CommonMark stability: re-rendering gives the same tree
Prints the 16-cell table; exits 1 if any cell fails, 77 without the seed."""
import json, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

DOCPIPE, REPO = sys.argv[1], sys.argv[2]
FORMATS = [("md", "speech.md"), ("html", "speech.html"), ("epub", "speech.epub"), ("tei", "speech.tei.xml")]
EXT = dict(FORMATS)
SEED_WORDS = os.path.join(REPO, "tests", "common", "seed_words.py")
VALIDATE = os.path.join(REPO, "tests", "common", "validate.sh")
TMP = tempfile.mkdtemp(prefix="dp-matrix-")


def sh(*cmd):
    p = subprocess.run(list(cmd), capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


def tree(path):
    rc, out = sh(DOCPIPE, path, "-t", "json", "-q")
    if rc != 0:
        raise RuntimeError(f"cannot read back {os.path.basename(path)}: {out[-300:]}")
    return json.loads(out)


def walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.get("c", [])))


def texts(v):
    """Strings of a metadata value (a string, a list, or formatted text)."""
    if isinstance(v, str):
        return [v]
    if isinstance(v, list):
        return [s for x in v for s in texts(x)]
    if isinstance(v, dict):
        if "t" in v:
            return ["".join(n.get("text", "") for n in walk(v) if n.get("t") == "text")]
        return [s for x in v.values() for s in texts(x)]
    return [str(v)]


def check_words(path):
    rc, out = sh(sys.executable, SEED_WORDS, path)
    return None if rc == 0 else "words: " + out.splitlines()[-1][:200] if out else "words"


def check_tree(path):
    t = tree(path)
    labels = sorted(n.get("label", "") for n in walk(t["body"]) if n.get("t") == "note")
    problems = []
    if not {"1", "2", "3", "4", "5", "*"} <= set(labels):
        problems.append(f"notes: labels {labels}")
    meta = t.get("meta", {})
    title = " ".join(texts(meta.get("title", "")))
    if "Strive to Become the World" not in title:
        problems.append(f"meta: title {title[:60]!r}")
    if "Xi Jinping" not in texts(meta.get("author", [])):
        problems.append(f"meta: author {texts(meta.get('author', []))}")
    translators = texts(meta.get("translator", []))
    if not all(n in translators for n in ["Ben Murphy", "Rogier Creemers", "Elsa Kania", "Paul Triolo",
                                          "Kevin Neville"]):
        problems.append(f"meta: translators {translators}")
    if texts(meta.get("language", "")) != ["en"]:
        problems.append(f"meta: language {meta.get('language')!r}")
    return problems


def check_markdown_stable(path):
    again = path + ".again.md"
    rc, out = sh(DOCPIPE, path, "-o", again, "-q")
    if rc != 0:
        return f"valid: re-render failed: {out[-200:]}"
    return None if tree(path) == tree(again) else "valid: Markdown re-parse gives another tree"


def cell(src_fmt, dst_fmt):
    out = os.path.join(TMP, f"{src_fmt}-to-{EXT[dst_fmt]}")
    rc, msg = sh(DOCPIPE, os.path.join(TMP, "src", EXT[src_fmt]), "-o", out, "-q")
    if rc != 0:
        return out, [f"convert: exit {rc}: {msg[-300:]}"]
    problems = [p for p in [check_words(out)] if p]
    try:
        problems += check_tree(out)
    except RuntimeError as e:
        problems.append(str(e))
    if dst_fmt == "md":
        p = check_markdown_stable(out)
        if p:
            problems.append(p)
    return out, problems


def validate(kind, paths):
    rc, out = sh("sh", VALIDATE, kind, *paths)
    if rc == 77:
        print(out)
        sys.exit(77)
    return None if rc == 0 else "valid: " + out[-400:]


def main():
    rc, out = sh(sys.executable, SEED_WORDS, os.path.join(REPO, "samples", "speech.md"))
    if rc == 77:
        print(f"SKIP: {out}")
        return 77
    os.makedirs(os.path.join(TMP, "src"))
    for fmt, name in FORMATS:
        rc, out = sh(DOCPIPE, os.path.join(REPO, "samples", "speech.md"), "-o", os.path.join(TMP, "src", name), "-q")
        if rc != 0:
            print(f"FAIL: making the {fmt} source: {out}")
            return 1
    pairs = [(s, d) for s, _ in FORMATS for d, _ in FORMATS]
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(pairs, pool.map(lambda p: cell(*p), pairs)))
    # Validators: one JVM for all HTML, one for all TEI, one EPUBCheck run per book.
    by_dst = {d: [results[(s, d)][0] for s, _ in FORMATS if os.path.exists(results[(s, d)][0])] for d, _ in FORMATS}
    verdicts = {}
    for kind, dst in [("html", "html"), ("tei", "tei")]:
        if by_dst[dst]:
            bad = validate(kind, by_dst[dst])
            for path in by_dst[dst]:  # on failure, find which file(s)
                verdicts[path] = None if not bad else validate(kind, [path])
    with ThreadPoolExecutor(2) as pool:
        for path, v in zip(by_dst["epub"], pool.map(lambda p: validate("epub", [p]), by_dst["epub"])):
            verdicts[path] = v
    failed = 0
    width = 10
    print("from \\ to".ljust(width) + "".join(d.ljust(width) for d, _ in FORMATS))
    details = []
    for s, _ in FORMATS:
        row = s.ljust(width)
        for d, _ in FORMATS:
            path, problems = results[(s, d)]
            if verdicts.get(path):
                problems = problems + [verdicts[path]]
            row += ("ok" if not problems else "FAIL").ljust(width)
            if problems:
                failed += 1
                details.append(f"{s} -> {d}: " + "; ".join(problems))
        print(row)
    for line in details:
        print(line)
    print(f"{16 - failed} of 16 pairs pass (words, notes, metadata, validator)")
    return 1 if failed else 0


sys.exit(main())
