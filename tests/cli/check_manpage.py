#!/usr/bin/env python3
"""Keeps docs/docpipe.1 true to the program it documents.

Checks, each problem printed on its own line:
  - groff -man -ww -z -t PAGE prints no warning and succeeds (skipped, with a
    note, when groff is not installed);
  - every long option of 'docpipe --help' appears as \\-\\-name, every short
    option as \\-x, and the page names no long option --help does not have;
  - SYNOPSIS shows the four forms (convert, run, plugins, formats);
  - EXIT STATUS has every 'N  meaning' line of --help, with the same meaning;
  - SAFETY LIMITS names every limit key of --help's --limit option;
  - ENVIRONMENT names every $VARIABLE --help mentions;
  - FORMATS names every format and transform of 'docpipe formats' and every
    option of every plugin of 'docpipe plugins -v'.
Exit 0 when all hold, 1 when any fails, 77 when nothing could be checked.

usage: check_manpage.py --docpipe PATH [--manpage PATH]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PAGE = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "docpipe.1"))


def roff_to_text(roff):
    """Plain text of roff source, good enough to compare words and phrases:
    comments and macro names dropped, escapes for hyphens, fonts and
    non-breaking spaces resolved, whitespace collapsed."""
    lines = []
    for line in roff.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if line.startswith("."):
            parts = line.split(None, 1)
            line = parts[1] if len(parts) > 1 else ""
            line = line.replace('"', "")
        lines.append(line)
    text = " ".join(lines)
    text = re.sub(r"\\f(\(..|\[[^\]]*\]|.)", "", text)  # font changes
    text = text.replace("\\-", "-").replace("\\e", "\\").replace("\\~", " ")
    text = text.replace("\\ ", " ").replace("\\&", "").replace("\\%", "")
    text = text.replace("\\(em", "\u2014").replace("\\(en", "\u2013")
    return re.sub(r"\s+", " ", text).strip()


def sections(roff):
    """{SECTION NAME: roff source of that section}, from the .SH lines."""
    out, name, buf = {}, None, []
    for line in roff.splitlines():
        m = re.match(r'\.SH\s+"?([^"]*)"?\s*$', line)
        if m:
            if name is not None:
                out[name] = "\n".join(buf)
            name, buf = m.group(1).strip(), []
        elif name is not None:
            buf.append(line)
    if name is not None:
        out[name] = "\n".join(buf)
    return out


def has_word(text, word):
    """word occurs in text, not as part of a longer name (hyphens included)."""
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def run(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if p.returncode != 0:
        return None, "%s exited with %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip())
    return p.stdout, None


def check_groff(page, problems, notes):
    groff = shutil.which("groff")
    if not groff:
        notes.append("groff is not installed: the roff warning check was skipped")
        return False
    p = subprocess.run([groff, "-man", "-ww", "-z", "-t", page], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    for line in p.stdout.splitlines():
        problems.append("groff: " + line)
    if p.returncode != 0:
        problems.append("groff -man -ww -z -t exited with %d" % p.returncode)
    return True


def check_help(helptext, roff, secs, problems, counts):
    # Options: '  -o, --output FILE' / '      --durable' lines, plus any other
    # --name the help text mentions (e.g. in the usage lines).
    longs = sorted(set(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", helptext)))
    shorts = sorted(set(re.findall(r"^\s+-([A-Za-z]),\s+--", helptext, re.M)))
    counts["long options"], counts["short options"] = len(longs), len(shorts)
    if not longs:
        problems.append("could not find any --option in 'docpipe --help'")
    options = secs.get("OPTIONS", "")
    for name in longs:
        escaped = "\\-\\-" + name.replace("-", "\\-")
        if escaped not in roff:
            problems.append("option --%s (docpipe --help) is missing from the page (as %s)" % (name, escaped))
        elif escaped not in options:
            problems.append("option --%s (docpipe --help) is not described in OPTIONS" % name)
    for letter in shorts:
        if not re.search(r"\\-" + letter + r"(?![A-Za-z0-9]|\\-)", options):
            problems.append("option -%s (docpipe --help) is missing from OPTIONS (as \\-%s)" % (letter, letter))
    page_longs = set(n.replace("\\-", "-") for n in re.findall(r"\\-\\-([a-z](?:[a-z0-9]|\\-)*)", roff))
    for name in sorted(page_longs - set(longs)):
        problems.append("the page documents --%s, which 'docpipe --help' does not have" % name)

    # SYNOPSIS: the four forms.
    syn = roff_to_text(secs.get("SYNOPSIS", ""))
    for form in ("docpipe run", "docpipe plugins", "docpipe formats"):
        if form not in syn:
            problems.append("SYNOPSIS lacks the form '%s'" % form)
    if not re.search(r"docpipe \[ ?OPTION ?\]", syn):
        problems.append("SYNOPSIS lacks the conversion form 'docpipe [OPTION]... [INPUT]'")

    # EXIT STATUS: '  N  meaning' lines, same meaning.
    codes = re.findall(r"^\s+([0-9])\s\s+(\S.*?)\s*$", helptext, re.M)
    counts["exit codes"] = len(codes)
    if [c for c, _ in codes] != [str(i) for i in range(8)]:
        problems.append("expected exit codes 0..7 in 'docpipe --help', found %s" % [c for c, _ in codes])
    exit_text = roff_to_text(secs.get("EXIT STATUS", ""))
    if not exit_text:
        problems.append("the page has no EXIT STATUS section")
    for code, meaning in codes:
        if not re.search(r"(?<!\S)" + code + r" " + re.escape(meaning) + r"(?!\S)", exit_text):
            problems.append("EXIT STATUS lacks '%s  %s' (as in docpipe --help)" % (code, meaning))

    # SAFETY LIMITS: the keys listed with --limit (its line and continuation lines).
    m = re.search(r"^\s+--limit\b(.*?)(?=^\s+-)", helptext, re.M | re.S)
    keys = re.findall(r"max-[a-z-]*[a-z]", m.group(1)) if m else []
    counts["limit keys"] = len(keys)
    if not keys:
        problems.append("could not find the limit keys on the --limit line of 'docpipe --help'")
    limits_text = roff_to_text(secs.get("SAFETY LIMITS", ""))
    for key in keys:
        if not has_word(limits_text, key):
            problems.append("SAFETY LIMITS lacks the limit key %s (docpipe --help, --limit)" % key)

    # ENVIRONMENT: every $VARIABLE the help mentions.
    env_text = roff_to_text(secs.get("ENVIRONMENT", ""))
    envs = sorted(set(re.findall(r"\$([A-Z][A-Z0-9_]+)", helptext)))
    counts["variables"] = len(envs)
    for var in envs:
        if not has_word(env_text, var):
            problems.append("ENVIRONMENT lacks $%s (docpipe --help)" % var)


def check_formats(formats_out, plugins_out, secs, problems, counts):
    fmt_text = roff_to_text(secs.get("FORMATS", ""))
    if not fmt_text:
        problems.append("the page has no FORMATS section")
    names, table = [], None
    for line in formats_out.splitlines():
        if line.startswith("FORMAT ") or line.startswith("TRANSFORM "):
            table = line.split()[0].lower()
            continue
        if table and line.strip():
            names.append((table, line.split()[0]))
        elif not line.strip():
            table = None
    counts["formats and transforms"] = len(names)
    counts["plugin options"] = 0
    if not names:
        problems.append("could not read any format from 'docpipe formats'")
    # Each format and transform has an entry of its own: a .TP label
    # ("markdown, md"), not just a mention somewhere (html has a toc option).
    lines = secs.get("FORMATS", "").splitlines()
    labels = set()
    for i, line in enumerate(lines[:-1]):
        if line.strip() == ".TP":
            labels.update(w.strip() for w in roff_to_text(lines[i + 1]).split(","))
    for table, name in names:
        if name not in labels:
            problems.append("FORMATS has no entry (.TP label) for the %s '%s' (docpipe formats)" % (table, name))
    plugin = None
    for line in (plugins_out or "").splitlines():
        m = re.match(r"^(\S+)\s+(importer|exporter|transform)\s", line)
        if m:
            plugin = m.group(1)
            continue
        m = re.match(r"^\s+option\s+(\S+)", line)
        counts["plugin options"] += 1 if m else 0
        if m and not has_word(fmt_text, m.group(1)):
            problems.append("FORMATS lacks the option '%s' of %s (docpipe plugins -v)" % (m.group(1), plugin))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docpipe", help="the docpipe executable")
    ap.add_argument("--manpage", default=DEFAULT_PAGE, help="the page to check (default: docs/docpipe.1)")
    args = ap.parse_args()

    try:
        with open(args.manpage, encoding="utf-8") as f:
            roff = f.read()
    except OSError as e:
        print("FAIL: cannot read the manual page: %s" % e)
        return 1
    secs = sections(roff)
    problems, notes, counts = [], [], {}
    checked = check_groff(args.manpage, problems, notes)

    for required in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "PIPELINE CONFIGURATION",
                     "FORMATS", "SAFETY LIMITS", "OUTPUT", "ENVIRONMENT", "FILES", "EXIT STATUS",
                     "DIAGNOSTICS", "EXAMPLES", "SEE ALSO"):
        if required not in secs:
            problems.append("the page has no %s section" % required)

    if args.docpipe and not os.access(args.docpipe, os.X_OK):
        problems.append("docpipe executable %s not found (is it built?)" % args.docpipe)
    elif args.docpipe:
        helptext, err = run([args.docpipe, "--help"])
        if helptext is None:
            problems.append("docpipe --help failed: " + err)
        else:
            check_help(helptext, roff, secs, problems, counts)
            checked = True
        # --no-cache: the check must not depend on (or write) a user's cache.
        formats_out, err = run([args.docpipe, "formats", "--no-cache"])
        plugins_out, err2 = run([args.docpipe, "plugins", "-v", "--no-cache"])
        if formats_out is None:
            problems.append("docpipe formats failed: " + err)
        else:
            if plugins_out is None:
                problems.append("docpipe plugins -v failed: " + err2)
            check_formats(formats_out, plugins_out, secs, problems, counts)
    else:
        notes.append("no docpipe executable given (--docpipe): the comparison with --help was skipped")

    for n in notes:
        print("note: " + n)
    if not checked:
        for p in problems:
            print("note: " + p)
        print("SKIP: neither groff nor docpipe is available; nothing was checked")
        return 77
    for p in problems:
        print("FAIL: " + p)
    if problems:
        print("%d problem%s in %s" % (len(problems), "" if len(problems) == 1 else "s", args.manpage))
        return 1
    print("ok: %s (groff clean: %s; compared with docpipe --help, formats, plugins -v: %s)"
          % (args.manpage, "yes" if shutil.which("groff") else "not checked",
             "yes" if args.docpipe and os.access(args.docpipe, os.X_OK) else "no"))
    if counts:
        print("checked: " + ", ".join("%d %s" % (v, k) for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
