#!/usr/bin/env python3
"""docpipe's side-by-side benchmark (issue 8). Run it through bench/run.sh.

Times docpipe, pandoc and the raw library floors (the cmark-gfm CLI for
Markdown, gumbo and xmllint for HTML and XML parsing, plus the output library's
own serialiser writing docpipe's output: bench/floors/) on the same files,
alternating the tools run by run, and writes docs/PERFORMANCE.md with medians, ratios, peak
RSS, callgrind instruction counts for the speech, the machine and the versions,
plus an SVG chart of the ratios. A conversion docpipe (or pandoc) cannot do is
reported as "not available"; nothing is estimated.

Wall time: time.perf_counter around spawning and waiting for the whole process.
Peak RSS: `/usr/bin/time -f %M` ("Maximum resident set size" of time -v) on
one extra run of each command (the report shows one cross-check against
`/usr/bin/time -v` itself).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# --------------------------------------------------------------------------
# Running and measuring


def run_once(argv, stdout_path=None, env=None, rss=False):
    """Run argv once; return (seconds, peak_rss_kib or None, exit_status, stderr_text, cpu_seconds).

    cpu_seconds is user + system time of the command as the kernel accounts
    it (wait4's rusage of this one child): on a shared machine it moves far
    less than the wall time, which includes waiting for a core.
    With rss=True the command runs under `/usr/bin/time -f %M`, whose wait4()
    sees only the command itself. (wait4() of our own child would count the
    Python interpreter's resident pages that the child had before exec.)
    The command's standard output goes to stdout_path, or to /dev/null.
    """
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    rss_file = None
    if rss:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + list(argv)
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        peak = None
        if rss_file:
            with open(rss_file, encoding="utf-8") as f:
                lines = [x for x in f.read().split() if x.isdigit()]
            peak = int(lines[-1]) if lines else None
    finally:
        if stdout_path:
            out.close()
        err.close()
        if rss_file:
            os.unlink(rss_file)
    return elapsed, peak, proc.returncode, text, cpu


class Cmd:
    """One tool doing one conversion on one input."""

    def __init__(self, tool, argv, stdout_path=None, shell_note=None, max_runs=None, output=None, self_timed=False):
        self.tool = tool
        self.argv = argv
        self.stdout_path = stdout_path
        self.max_runs = max_runs
        self.output = output  # file the command must produce
        self.times = []
        self.cpus = []
        self.warm = False  # the first run is a warm-up, not counted
        self.rss = []
        self.error = None
        self.note = shell_note
        # Long runs (pandoc on 10 MB) are measured under /usr/bin/time
        # directly: its few milliseconds do not matter there, and a separate
        # memory run would cost another minute.
        self.rss_in_timed_runs = False
        # The serialise floor (bench/floors/serialise.c) times its own
        # serialisation and prints "wall_ms=W cpu_ms=C" on stdout
        # (stdout_path): those are its times, not the whole process's.
        self.self_timed = self_timed

    def display(self):
        return " ".join(self.argv)

    def run(self, rss=False):
        if self.error:
            return
        if self.output and os.path.exists(self.output):
            os.unlink(self.output)
        elapsed, peak, code, err, cpu = run_once(self.argv, self.stdout_path, rss=rss)
        if code != 0:
            first = err.strip().splitlines()[:3]
            self.error = "exit %d: %s" % (code, " / ".join(first) if first else "(no message)")
            return
        if self.output and not os.path.exists(self.output):
            self.error = "exit 0 but no output file"
            return
        if self.self_timed:
            with open(self.stdout_path, encoding="utf-8") as f:
                m = re.search(r"wall_ms=([0-9.]+) cpu_ms=([0-9.]+)", f.read())
            if not m:
                self.error = "no wall_ms=/cpu_ms= line on its output"
                return
            elapsed, cpu = float(m.group(1)) / 1e3, float(m.group(2)) / 1e3
        if peak is not None:
            self.rss.append(peak)
        if not self.warm and not self.rss_in_timed_runs:
            self.warm = True
            return
        if not rss or self.rss_in_timed_runs:
            self.times.append(elapsed)
            self.cpus.append(cpu)

    def measure_rss(self):
        """Peak RSS: the timed runs themselves when they are long, else one extra run."""
        if not self.error and not self.rss:
            self.run(rss=True)

    def wants_more(self, runs):
        limit = runs if self.max_runs is None else min(runs, self.max_runs)
        return self.error is None and len(self.times) < limit

    def median(self):
        return statistics.median(self.times) if self.times else None

    def cpu_median(self):
        return statistics.median(self.cpus) if self.cpus else None

    def peak_rss_mib(self):
        return max(self.rss) / 1024.0 if self.rss else None


def alternate(cmds, runs):
    """Run the commands round-robin, rotating the order each round."""
    rnd = 0
    while any(c.wants_more(runs) for c in cmds):
        order = cmds[rnd % len(cmds):] + cmds[: rnd % len(cmds)]
        for c in order:
            if c.wants_more(runs):
                c.run(rss=c.rss_in_timed_runs)
        rnd += 1
    for c in cmds:
        c.measure_rss()


def callgrind_instructions(argv, stdout_path=None):
    """Instructions executed by the whole process (callgrind's 'Collected')."""
    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        proc = subprocess.run(vg + argv, stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.PIPE, check=False)
    finally:
        if stdout_path:
            out.close()
    text = proc.stderr.decode("utf-8", "replace")
    m = re.search(r"Collected\s*:\s*(\d+)", text)
    if proc.returncode != 0 or not m:
        return None, "exit %d" % proc.returncode
    return int(m.group(1)), None


def first_line(argv):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             check=False).stdout.decode("utf-8", "replace")
        return out.strip().splitlines()[0] if out.strip() else "?"
    except OSError:
        return "not installed"


# --------------------------------------------------------------------------
# The conversions


SIZES = [("speech", "speech"), ("1 MB", "speech-1mb"), ("10 MB", "speech-10mb"), ("100 MB", "speech-100mb")]
# A document of one word, in every input format: what a conversion costs
# before the document's size counts (start, loading, writing a file). It runs
# in the same rounds as the speech, so both meet the same caches.
ONE_WORD = "one-word"


class Conversion:
    def __init__(self, name, src_kind, dst_ext, pandoc_from, pandoc_to):
        self.name = name
        self.src_kind = src_kind  # md html epub tei
        self.dst_ext = dst_ext
        self.pandoc_from = pandoc_from
        self.pandoc_to = pandoc_to  # None: pandoc cannot do it


CONVERSIONS = [
    Conversion("md->html", "md", "html", "markdown", "html5"),
    Conversion("md->epub", "md", "epub", "markdown", "epub3"),
    Conversion("md->tei", "md", "tei.xml", "markdown", "tei"),
    Conversion("html->md", "html", "md", "html", "markdown"),
    Conversion("epub->md", "epub", "md", "epub", "markdown"),
    # pandoc 2.17 has no TEI reader.
    Conversion("tei->html", "tei", "html", None, None),
    Conversion("tei->md", "tei", "md", None, None),
]

# The HTML floor: bench/floors/gumbo_parse.c, built by bench/run.sh (the HTML
# reader parses with gumbo; xmllint has no HTML5 parser). Set by main().
GUMBO_PARSE = None
# The serialise floor: bench/floors/serialise.c, built by bench/run.sh. Set by main().
SERIALISE = None


def floor_parts(conv, sources, base):
    """The floor of one conversion: [(name, argv)], run separately, their medians summed.

    The parse of the input: cmark-gfm for Markdown (tables, strikethrough,
    autolinks, raw HTML; output to /dev/null), gumbo's parse for HTML,
    `xmllint --noout` for TEI; for EPUB input, inflating every entry
    (`unzip -p`) and `xmllint --noout` on its XHTML files. For EPUB output,
    plus deflating the XHTML docpipe writes (`zip -6` of the files of
    docpipe's own EPUB of the same text): the least any converter must do.
    """
    src = sources.get((base, conv.src_kind))
    if not src:
        return []
    path = src[0]
    parts = []
    if conv.src_kind == "md":
        parts.append(("cmark-gfm", ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink", "--unsafe", path]))
    elif conv.src_kind == "html":
        if GUMBO_PARSE:
            parts.append(("gumbo parse", [GUMBO_PARSE, path]))
        else:
            parts.append(("xmllint --html", ["xmllint", "--html", "--noout", "--nowarning", path]))
    elif conv.src_kind == "tei":
        parts.append(("xmllint", ["xmllint", "--noout", path]))
    elif conv.src_kind == "epub":
        xhtml = sources.get((base, "epub-xhtml"))
        if not xhtml:
            return []
        parts.append(("unzip -p", ["unzip", "-p", path]))
        parts.append(("xmllint (XHTML)", ["xmllint", "--noout"] + xhtml[0]))
    if conv.dst_ext == "epub":
        xhtml = sources.get((base, "epub-xhtml"))
        if not xhtml:
            return []
        parts.append(("zip -6", ["zip", "-6", "-q", "-X", xhtml[1]] + xhtml[0]))
    return parts


def serialise_part(conv, sources, base, output):
    """The floor's second part: the output library's serialiser writing docpipe's output of this conversion.

    (name, argv) of bench/floors/serialise.c on `output` (the file docpipe
    writes in the rounds), or None. For EPUB output, the XHTML content
    documents of docpipe's EPUB of the same text (those `zip -6` deflates).
    For Markdown input to HTML there is none: the cmark-gfm CLI of the parse
    floor already renders the HTML, and a second render would count the
    output twice; to TEI and EPUB the output library is libxml2, not cmark,
    so its serialiser is added.
    """
    if not SERIALISE:
        return None
    if conv.dst_ext == "md":
        return ("serialise md (cmark_render_commonmark)", [SERIALISE, "md", output])
    if conv.dst_ext == "html":
        if conv.src_kind == "md":
            return None
        return ("serialise html (htmlDocContentDumpFormatOutput)", [SERIALISE, "html", output])
    if conv.dst_ext == "tei.xml":
        return ("serialise xml (xmlSaveDoc)", [SERIALISE, "xml", output])
    if conv.dst_ext == "epub":
        xhtml = sources.get((base, "epub-xhtml"))
        if xhtml:
            return ("serialise xhtml (xmlSaveDoc)", [SERIALISE, "xhtml"] + xhtml[0])
    return None


def floor_name(parts):
    return " + ".join(n for n, _ in parts) if parts else None


def docpipe_cmd(dp, src, dst):
    return [dp, "-q", src, "-o", dst]


def pandoc_cmd(conv, src, dst):
    argv = ["pandoc", "-f", conv.pandoc_from, "-t", conv.pandoc_to, src, "-o", dst]
    if conv.pandoc_to in ("html5", "tei"):
        argv.insert(5, "-s")
    return argv


# --------------------------------------------------------------------------


def prepare_sources(dp, inputs, work, log):
    """Derive the HTML, EPUB and TEI inputs from each Markdown input.

    docpipe's own output is used when docpipe can write the format (both tools
    then read the same file); otherwise pandoc's, when pandoc can.
    Returns {(size_file, kind): (path, made_by)}.
    """
    sources = {}
    one_word = os.path.join(work, "src", ONE_WORD + ".md")
    os.makedirs(os.path.dirname(one_word), exist_ok=True)
    with open(one_word, "w", encoding="utf-8") as f:
        f.write("Word\n")
    for base in [b for _, b in SIZES] + [ONE_WORD]:
        md = one_word if base == ONE_WORD else os.path.join(inputs, base + ".md")
        if not os.path.exists(md):
            log("no input %s (bench/gen_inputs.py --100mb makes the 100 MB one)" % md)
            continue
        sources[(base, "md")] = (md, "one word" if base == ONE_WORD else "generated from samples/speech.md")
        for kind, ext, pto in (("html", "html", "html5"), ("epub", "epub", "epub3"), ("tei", "tei.xml", "tei")):
            dst = os.path.join(work, "src", "%s.%s" % (base, ext))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            _, _, code, err, _ = run_once(docpipe_cmd(dp, md, dst))
            if code == 0 and os.path.exists(dst):
                sources[(base, kind)] = (dst, "docpipe")
                if kind == "epub":
                    sources[(base, "epub-xhtml")] = epub_xhtml(dst, work, base)
                continue
            log("docpipe cannot write %s from %s: %s" % (kind, base, err.strip()[:200]))
            if kind == "tei":
                continue  # pandoc's TEI is invalid and it cannot read TEI anyway
            argv = ["pandoc", "-f", "markdown", "-t", pto, md, "-o", dst]
            if pto == "html5":
                argv.insert(5, "-s")
            _, _, code, err, _ = run_once(argv)
            if code == 0 and os.path.exists(dst):
                sources[(base, kind)] = (dst, "pandoc")
    return sources


def epub_xhtml(epub, work, base):
    """The XHTML files of an EPUB, extracted once: ([paths], the zip the floor writes)."""
    import zipfile
    d = os.path.join(work, "src", base + "-epub")
    shutil.rmtree(d, ignore_errors=True)
    with zipfile.ZipFile(epub) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml")]
        z.extractall(d, names)
    return [os.path.join(d, n) for n in names], os.path.join(work, "src", base + "-floor.zip")


def runs_for(base, args):
    return {"speech": args.runs_speech, "speech-1mb": args.runs_1mb, "speech-10mb": args.runs_10mb,
            "speech-100mb": args.runs_100mb}[base]


def measure_conversions(dp, sources, work, args, log):
    """docpipe against its floor, in alternating rounds; pandoc afterwards, on its own.

    pandoc is never in the same rounds: its 10 MB runs take 1-4 GB, and on a
    virtual machine whose balloon reports freed memory to the host (this
    one's does: virtio-balloon's free-page reporting) the next process
    faults every page back in from the host. Each command's first run is a
    warm-up that is not counted, and a floor writes to /dev/null.
    """
    results = []  # dicts
    pandoc_cmds = []
    for size_label, base in SIZES:
        runs = runs_for(base, args)
        for conv in CONVERSIONS:
            src = sources.get((base, conv.src_kind))
            parts = floor_parts(conv, sources, base)
            xhtml_in = sources.get((base, "epub-xhtml")) if conv.src_kind == "epub" else None
            row = {"size": size_label, "base": base, "conversion": conv.name,
                   "input_bytes": os.path.getsize(src[0]) if src else None,
                   # EPUB input: what its content documents take uncompressed
                   "input_uncompressed_bytes": sum(os.path.getsize(x) for x in xhtml_in[0]) if xhtml_in
                   else (os.path.getsize(src[0]) if src else None),
                   "input_from": src[1] if src else None,
                   "floor_name": floor_name(parts)}
            if not src:
                row["docpipe_error"] = "no %s input (docpipe cannot write %s yet)" % (conv.src_kind, conv.src_kind)
                results.append(row)
                continue
            outdir = os.path.join(work, "out", base)
            os.makedirs(outdir, exist_ok=True)
            cmds = {}
            stem = "%s.%s" % (conv.name.replace("->", "-to-"), conv.dst_ext)
            dst = os.path.join(outdir, "docpipe-" + stem)
            cmds["docpipe"] = Cmd("docpipe", docpipe_cmd(dp, src[0], dst), output=dst)
            one = sources.get((ONE_WORD, conv.src_kind)) if base == "speech" else None
            if one:
                odst = os.path.join(outdir, "docpipe-one-word-" + stem)
                cmds["one_word"] = Cmd("docpipe (one word)", docpipe_cmd(dp, one[0], odst), output=odst)
            for i, (name, fargv) in enumerate(parts):
                zip_out = fargv[4] if fargv[0] == "zip" else None
                cmds["floor%d" % i] = Cmd(name, fargv, output=zip_out)
            # Reads dst, which docpipe (first in the first round) has written.
            ser = serialise_part(conv, sources, base, dst) if parts else None
            if ser:
                row["serialise_name"] = ser[0]
                cmds["serialise"] = Cmd(ser[0], ser[1], stdout_path=os.path.join(outdir, "serialise-" + stem + ".txt"),
                                        self_timed=True)
            if conv.pandoc_to and base != "speech-100mb" and not args.skip_pandoc:
                pdst = os.path.join(outdir, "pandoc-" + stem)
                max_runs = args.pandoc_runs_10mb if base == "speech-10mb" else None
                p = Cmd("pandoc", pandoc_cmd(conv, src[0], pdst), output=pdst, max_runs=max_runs)
                p.rss_in_timed_runs = base == "speech-10mb"
                pandoc_cmds.append((row, p, runs))
            log("%s %s: %d rounds, %s" % (size_label, conv.name, runs, ", ".join(c.tool for c in cmds.values())))
            alternate(list(cmds.values()), runs)
            for key, c in cmds.items():
                if key.startswith("floor"):
                    continue
                row[key + "_s"] = c.median()
                row[key + "_cpu_s"] = c.cpu_median()
                row[key + "_runs"] = len(c.times)
                row[key + "_rss_mib"] = c.peak_rss_mib()
                row[key + "_error"] = c.error
                row[key + "_cmd"] = c.display()
                if c.error:
                    log("  %s: %s" % (key, c.error))
            floors = [c for k, c in cmds.items() if k.startswith("floor")]
            if floors:
                err = next((c.error for c in floors if c.error), None)
                row["floor_error"] = err
                if not err:
                    row["floor_s"] = sum(c.median() for c in floors)
                    row["floor_cpu_s"] = sum(c.cpu_median() for c in floors)
                    row["floor_rss_mib"] = max(c.peak_rss_mib() or 0 for c in floors) or None
                    row["floor_parts_s"] = [(c.tool, c.median()) for c in floors]
                else:
                    log("  floor: %s" % err)
                # parse + serialise: the parse floor plus the output library's
                # serialiser (none for Markdown to HTML: see serialise_part)
                serr = row.get("serialise_error") if "serialise" in cmds else None
                row["floor2_error"] = err or serr
                if not (err or serr):
                    extra = "serialise" in cmds
                    row["floor2_s"] = row["floor_s"] + (row["serialise_s"] if extra else 0)
                    row["floor2_cpu_s"] = row["floor_cpu_s"] + (row["serialise_cpu_s"] if extra else 0)
            if not conv.pandoc_to:
                row["pandoc_error"] = "pandoc 2.17 has no TEI reader"
            elif args.skip_pandoc:
                row["pandoc_error"] = "not run (--skip-pandoc)"
            results.append(row)
    for row, p, runs in pandoc_cmds:
        log("%s %s: pandoc, %d runs on its own" % (row["size"], row["conversion"], runs))
        alternate([p], runs)
        row["pandoc_s"], row["pandoc_cpu_s"], row["pandoc_runs"] = p.median(), p.cpu_median(), len(p.times)
        row["pandoc_rss_mib"], row["pandoc_error"], row["pandoc_cmd"] = p.peak_rss_mib(), p.error, p.display()
    return results


def measure_batch(dp, inputs, work, args, log):
    """1000 copies to HTML + EPUB + TEI: docpipe in one `docpipe run`, pandoc one process per file and format."""
    # Relative paths in a config resolve against the config's directory.
    batch_dir = os.path.abspath(os.path.join(inputs, "batch"))
    files = sorted(f for f in os.listdir(batch_dir) if f.endswith(".md"))
    res = {"files": len(files)}
    out = os.path.abspath(os.path.join(work, "batch-out"))
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    config = os.path.join(work, "batch.yaml")
    with open(config, "w", encoding="utf-8") as f:
        f.write(args.batch_config_template.format(input=os.path.join(batch_dir, "*.md"), out=out))
    times, rss, err = [], [], None
    for _ in range(args.runs_batch):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        # the outputs are absolute paths: allowed by the user (docs/CONFIG.md)
        t, r, code, text, _ = run_once([dp, "run", "-q", "--force", "--allow-outside", config], rss=True)
        produced = sum(len(fs) for _, _, fs in os.walk(out))
        if code != 0 or produced < 3 * len(files):
            err = "exit %d, %d of %d files written: %s" % (code, produced, 3 * len(files), text.strip()[:300])
            break
        times.append(t)
        rss.append(r)
    res["docpipe_s"] = statistics.median(times) if times else None
    res["docpipe_rss_mib"] = max(rss) / 1024.0 if rss and None not in rss else None
    res["docpipe_error"] = err
    res["docpipe_runs"] = len(times)
    res["config"] = open(config, encoding="utf-8").read()
    log("batch docpipe: %s" % (err or "%.2f s" % res["docpipe_s"]))

    if args.skip_pandoc_batch:
        res["pandoc_error"] = "skipped (--skip-pandoc-batch)"
        return res
    # pandoc: one process per file and format, two at a time (both cores).
    script = os.path.join(work, "pandoc-batch.sh")
    pout = os.path.join(work, "batch-pandoc")
    shutil.rmtree(pout, ignore_errors=True)
    os.makedirs(pout)
    with open(script, "w", encoding="utf-8") as f:
        f.write('set -e\nf=$1; b=$(basename "$f" .md)\n'
                'pandoc -f markdown -t html5 -s "$f" -o "%s/$b.html"\n'
                'pandoc -f markdown -t epub3 "$f" -o "%s/$b.epub"\n'
                'pandoc -f markdown -t tei -s "$f" -o "%s/$b.tei.xml"\n' % (pout, pout, pout))
    # --pandoc-batch-files N: pandoc converts only the first N copies (its
    # full batch takes many minutes); the report says how many it did.
    pfiles = files[: max(1, min(args.pandoc_batch_files, len(files)))]
    res["pandoc_files"] = len(pfiles)
    listing = os.path.join(work, "batch-files.txt")
    with open(listing, "w", encoding="utf-8") as f:
        f.write("\n".join(os.path.join(batch_dir, x) for x in pfiles) + "\n")
    t, r, code, text, _ = run_once(["sh", "-c", 'xargs -P 2 -n 1 sh "$0" < "$1"', script, listing])
    produced = len(os.listdir(pout))
    if code != 0 or produced < 3 * len(pfiles):
        res["pandoc_error"] = "exit %d, %d files: %s" % (code, produced, text.strip()[:200])
    else:
        res["pandoc_s"] = t
    log("batch pandoc: %s" % (res.get("pandoc_error") or "%.1f s" % t))
    return res


def measure_instructions(dp, sources, work, log, args):
    """Callgrind instruction counts on the speech, and docpipe's start-up cost."""
    rows = []
    out = os.path.join(work, "cg")
    os.makedirs(out, exist_ok=True)
    for conv in CONVERSIONS:
        src = sources.get(("speech", conv.src_kind))
        row = {"conversion": conv.name}
        if src:
            dst = os.path.join(out, "dp." + conv.dst_ext)
            row["docpipe"], row["docpipe_error"] = callgrind_instructions(docpipe_cmd(dp, src[0], dst))
            if conv.pandoc_to and not args.skip_pandoc:
                pdst = os.path.join(out, "pd." + conv.dst_ext)
                row["pandoc"], row["pandoc_error"] = callgrind_instructions(pandoc_cmd(conv, src[0], pdst))
            parts = floor_parts(conv, sources, "speech")
            if parts:
                row["floor_name"] = floor_name(parts)
                total = 0
                for _, fargv in parts:
                    if fargv[0] == "zip" and os.path.exists(fargv[4]):
                        os.unlink(fargv[4])
                    n, err = callgrind_instructions(fargv)
                    if n is None:
                        row["floor_error"] = err
                        break
                    total += n
                else:
                    row["floor"] = total
        else:
            row["docpipe_error"] = "no input"
        log("callgrind %s: %s" % (conv.name, {k: v for k, v in row.items() if k in ("docpipe", "pandoc", "floor")}))
        rows.append(row)

    startup = []
    empty = os.path.join(work, "empty.md")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("x\n")
    startup_cmds = (
            ("/bin/true (process start floor)", ["/bin/true"]),
            ("docpipe --version (start, no plugin)", [dp, "--version"]),
            ("docpipe formats (discovery: every plugin known)", [dp, "formats"]),
            ("docpipe one-word md -> html (start + discovery + 2 plugins)", [dp, "-q", empty, "-o", os.path.join(out, "empty.html")]),
            ("docpipe one-word md -> json", [dp, "-q", empty, "-o", os.path.join(out, "empty.json")]),
            ("cmark-gfm one-word md -> html", ["cmark-gfm", empty]),
            ("xmllint --version (loading libxml2 with ICU, what any libxml2 plugin pays)", ["xmllint", "--version"]))
    walls = hyperfine_medians([argv for _, argv in startup_cmds], os.path.join(work, "hyperfine.json"))
    for (label, argv), wall in zip(startup_cmds, walls):
        n, err = callgrind_instructions(argv)
        startup.append({"what": label, "instructions": n, "error": err, "wall_s": wall})
        log("callgrind %s: %s" % (label, n if n is not None else err))
    return rows, startup


def hyperfine_medians(cmds, json_path):
    """Median wall time of short commands, by hyperfine without a shell (-N)."""
    if not shutil.which("hyperfine"):
        return [None] * len(cmds)
    argv = ["hyperfine", "-N", "--warmup", "5", "--runs", "40", "-i", "--style", "none",
            "--export-json", json_path] + [" ".join(c) for c in cmds]
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if proc.returncode != 0 or not os.path.exists(json_path):
        return [None] * len(cmds)
    with open(json_path, encoding="utf-8") as f:
        data = json.load(f)["results"]
    out = []
    for r in data:
        failed = any(code != 0 for code in (r.get("exit_codes") or []))
        out.append(None if failed else r.get("median"))
    return out


def cross_check_rss(dp, sources):
    """`/usr/bin/time -v` on one command, next to the `-f %M` figure used in the tables."""
    src = sources.get(("speech-10mb", "md"))
    if not src:
        return None
    argv = ["cmark-gfm", "-e", "table", "--unsafe", src[0]]
    proc = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr.decode())
    _, peak, _, _, _ = run_once(argv, rss=True)
    if m and peak:
        return {"cmd": "cmark-gfm speech-10mb.md", "time_v_kib": int(m.group(1)), "wait4_kib": peak}
    return None


# --------------------------------------------------------------------------
# Report


def fmt_ms(s):
    return "—" if s is None else ("%.1f" % (s * 1000) if s < 10 else "%.0f" % (s * 1000))


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return "%.0f×" % r if r >= 100 else "%.1f×" % r if r >= 10 else "%.2f×" % r


def fmt_mib(x):
    return "—" if x is None else "%.0f" % x if x >= 10 else "%.1f" % x


def fmt_int(n):
    return "—" if n is None else "{:,}".format(n)


def serialise_cell(row):
    """The serialise part of a row: its medians, or why there is none."""
    if not row.get("serialise_name"):
        return "none (in the cmark-gfm CLI)" if row["conversion"] == "md->html" else "—"
    if row.get("serialise_error"):
        return "not available"
    s, c = row.get("serialise_s"), row.get("serialise_cpu_s")
    return "%s / %s" % (fmt_ms(s), fmt_ms(c)) if s is not None and c is not None else "—"


def cell_time(row, key):
    if row.get(key + "_error"):
        return "not available"
    if row.get(key + "_s") is None:
        return "—"
    return fmt_ms(row[key + "_s"])


def machine_info():
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = int(f.readline().split()[1])
            mem = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem,
            "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
            "load_at_start": "%.2f %.2f %.2f" % load, "page_fault_us": page_fault_cost_us(),
            "true_ms": process_start_ms()}


def page_fault_cost_us(pages=4000, reps=5):
    """Wall time of one page fault on fresh anonymous memory, in microseconds.

    A start-up of a few milliseconds takes 300-500 faults (the loader, the
    heap), so this one figure moves every small conversion from machine to
    machine: touching `pages` new pages, minus touching one page as often."""
    import mmap

    def touch(fresh):
        m = mmap.mmap(-1, pages * 4096)
        t = time.perf_counter()
        if fresh:
            for off in range(0, pages * 4096, 4096):
                m[off] = 1
        else:
            for _ in range(pages):
                m[0] = 1
        dt = time.perf_counter() - t
        m.close()
        return dt

    return statistics.median(touch(True) - touch(False) for _ in range(reps)) / pages * 1e6


def process_start_ms(runs=50):
    """Median wall time of spawning /bin/true and waiting for it, timed as every command is."""
    return statistics.median(run_once(["/bin/true"])[0] for _ in range(runs)) * 1000


def versions(dp, build_dir):
    cc = "?"
    cache = os.path.join(build_dir, "CMakeCache.txt")
    if os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            for line in f:
                if line.startswith("CMAKE_C_COMPILER:"):
                    cc = first_line([line.split("=", 1)[1].strip(), "--version"])
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    cc_type = line.split("=", 1)[1].strip()
                    cc = cc + " (" + cc_type + ")" if cc != "?" else cc
    return [("docpipe", first_line([dp, "--version"]) + "; compiler: " + cc),
            ("pandoc", first_line(["pandoc", "--version"])),
            ("cmark-gfm", first_line(["cmark-gfm", "--version"])),
            ("xmllint", first_line(["xmllint", "--version"])),
            ("valgrind", first_line(["valgrind", "--version"])),
            ("python", platform.python_version())]


def svg_chart(results, path):
    """Horizontal bars, log scale: pandoc/docpipe and docpipe/floor per conversion and size."""
    bars = []
    for r in results:
        label = "%s %s" % (r["conversion"], r["size"])
        dp = r.get("docpipe_s") if not r.get("docpipe_error") else None
        pd = r.get("pandoc_s") if not r.get("pandoc_error") else None
        fl = r.get("floor_s") if not r.get("floor_error") else None
        bars.append((label, pd / dp if pd and dp else None, dp / fl if dp and fl else None, r.get("floor_name")))
    import math
    width, left, right, row_h, top = 980, 190, 30, 18, 70
    panel_w = (width - left - right - 40) // 2
    height = top + row_h * len(bars) + 60
    lo, hi = 0.1, 1000.0

    def x_of(v, x0):
        v = min(max(v, lo), hi)
        return x0 + panel_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11" role="img" aria-labelledby="t d">' % (width, height, width, height),
           '<title id="t">docpipe benchmark ratios</title>',
           '<desc id="d">Left: how many times faster docpipe is than pandoc (wall time, median). '
           'Right: docpipe time divided by the raw library floor time. Logarithmic scales.</desc>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14" font-weight="bold">docpipe: speed-up over pandoc, and cost over the raw library floor (median wall time, log scale)</text>' % 10]
    panels = ((left, "pandoc time / docpipe time (higher is better; target ≥ 20× on the speech)", 1, "#2b6cb0", 20.0),
              (left + panel_w + 40, "docpipe time / floor time (lower is better)", 2, "#c05621", None))
    for x0, title, idx, colour, target in panels:
        out.append('<text x="%d" y="%d" font-weight="bold">%s</text>' % (x0, top - 30, title))
        for v in (0.1, 1, 10, 100, 1000):
            x = x_of(v, x0)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ccc"/>' % (x, top - 12, x, top + row_h * len(bars)))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g×</text>' % (x, top - 15, v))
        if target:
            x = x_of(target, x0)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e53e3e" stroke-dasharray="4 3"/>' % (x, top - 12, x, top + row_h * len(bars)))
        for i, b in enumerate(bars):
            y = top + i * row_h
            v = b[idx]
            if v is None:
                out.append('<text x="%.1f" y="%d" fill="#888">not available</text>' % (x0 + 4, y + 12))
                continue
            x1 = x_of(1.0 if v >= 1 else v, x0)
            x2 = x_of(v if v >= 1 else 1.0, x0)
            if idx == 1 and v < 1:
                fill = "#e53e3e"
            else:
                fill = colour
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>' % (x1, y + 3, max(x2 - x1, 1), row_h - 6, fill))
            out.append('<text x="%.1f" y="%d">%s</text>' % (x_of(max(v, 1.0), x0) + 4, y + 12, fmt_ratio(v, 1).replace("×", "×")))
    for i, b in enumerate(bars):
        y = top + i * row_h
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y + 12, b[0].replace(">", "&gt;")))
    out.append('<text x="10" y="%d" fill="#555">Measured by bench/run.sh; figures and method in docs/PERFORMANCE.md.</text>' % (height - 15))
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def targets(results, batch, instr, startup):
    """Issue 8's targets, each checked against the figures of this run."""
    t = []

    def row(target, measured, ok):
        t.append((target, measured, "not available" if ok is None else ("met" if ok else "**missed**")))

    by = {(r["base"], r["conversion"]): r for r in results}
    for conv in CONVERSIONS:
        r = by.get(("speech", conv.name), {})
        dp, pd = r.get("docpipe_s"), r.get("pandoc_s")
        if r.get("pandoc_error") and not r.get("docpipe_error") and dp:
            row("speech %s ≥ 20× faster than pandoc" % conv.name, "pandoc cannot do it; docpipe %s ms" % fmt_ms(dp), None)
        elif dp and pd and not r.get("docpipe_error") and not r.get("pandoc_error"):
            one = r.get("one_word_s") if not r.get("one_word_error") else None
            measured = fmt_ratio(pd, dp) + (" (one word alone: %s×)" % fmt_ratio(pd, one).rstrip("×") if one else "")
            row("speech %s ≥ 20× faster than pandoc" % conv.name, measured, pd / dp >= 20)
        else:
            row("speech %s ≥ 20× faster than pandoc" % conv.name, "not available", None)
    ih = next((x for x in instr if x["conversion"] == "md->html"), {})
    if ih.get("docpipe") and ih.get("floor"):
        row("speech md->html ≤ 2× cmark-gfm's instructions", fmt_ratio(ih["docpipe"], ih["floor"]), ih["docpipe"] <= 2 * ih["floor"])
    else:
        row("speech md->html ≤ 2× cmark-gfm's instructions", "not available", None)
    if ih.get("docpipe") and ih.get("pandoc"):
        row("speech md->html ≥ 100× fewer instructions than pandoc", fmt_ratio(ih["pandoc"], ih["docpipe"]), ih["pandoc"] >= 100 * ih["docpipe"])
    else:
        row("speech md->html ≥ 100× fewer instructions than pandoc", "not available", None)
    for name, mbps in (("md->html", 40), ("html->md", 20), ("md->epub", 20), ("tei->html", 20)):
        r = by.get(("speech-10mb", name), {})
        if r.get("docpipe_s") and not r.get("docpipe_error"):
            v = r["input_bytes"] / r["docpipe_s"] / 1e6
            row("10 MB %s ≥ %d MB/s" % (name, mbps), "%.1f MB/s" % v, v >= mbps)
        else:
            row("10 MB %s ≥ %d MB/s" % (name, mbps), "not available", None)
    for conv in CONVERSIONS:
        a, b = by.get(("speech-1mb", conv.name), {}), by.get(("speech-10mb", conv.name), {})
        if a.get("docpipe_s") and b.get("docpipe_s") and not a.get("docpipe_error") and not b.get("docpipe_error"):
            ratio = b["docpipe_s"] / a["docpipe_s"]
            size_ratio = b["input_bytes"] / a["input_bytes"]
            row("%s: 10 MB time ≤ 12× the 1 MB time (inputs %.1f× larger)" % (conv.name, size_ratio), "%.1f×" % ratio, ratio <= 12)
    for conv in CONVERSIONS:
        r = by.get(("speech-10mb", conv.name), {})
        if r.get("docpipe_rss_mib") and r.get("floor_rss_mib") and not r.get("docpipe_error") and not r.get("floor_error"):
            row("10 MB %s peak RSS ≤ 2× %s's" % (conv.name, r["floor_name"]),
                "%s MiB vs %s MiB (%s)" % (fmt_mib(r["docpipe_rss_mib"]), fmt_mib(r["floor_rss_mib"]),
                                        fmt_ratio(r["docpipe_rss_mib"], r["floor_rss_mib"])),
                r["docpipe_rss_mib"] <= 2 * r["floor_rss_mib"])
    if batch and batch.get("docpipe_s") and not batch.get("docpipe_error"):
        row("batch of %d to HTML+EPUB+TEI < 5 s" % batch["files"], "%.2f s" % batch["docpipe_s"], batch["docpipe_s"] < 5)
    else:
        row("batch of 1000 to HTML+EPUB+TEI < 5 s", "not available", None)
    # Both start-up figures are targets: the one without libxml2 measures
    # docpipe's own start (process, discovery, loading two plugins); the
    # md -> html one adds loading libxml2 with ICU and libstdc++, whose cost
    # the "xmllint --version" row shows on its own.
    st = {s["what"]: s["instructions"] for s in startup}
    for label, key in (("one-word md -> json: plugins without libxml2", "docpipe one-word md -> json"),
                       ("one-word md -> html: loads libxml2, ICU, libstdc++",
                        "docpipe one-word md -> html (start + discovery + 2 plugins)")):
        n = st.get(key)
        if n is not None:
            row("start-up + discovery + loading < 1 M instructions (%s)" % label, fmt_int(n), n < 1_000_000)
    # Issue 23: every pair within 1.5x its floor on 10 MB (wall and CPU
    # medians), peak memory within 4x the input plus the start-up (the one-
    # word run's peak), and 100 MB at most 10.5x the 10 MB run.
    for conv in CONVERSIONS:
        r = by.get(("speech-10mb", conv.name), {})
        for key, what in (("_s", "wall"), ("_cpu_s", "CPU")):
            dp, fl = r.get("docpipe" + key), r.get("floor" + key)
            if dp and fl and not r.get("docpipe_error") and not r.get("floor_error"):
                row("10 MB %s ≤ 1.5× its floor (%s, %s)" % (conv.name, r["floor_name"], what), fmt_ratio(dp, fl), dp <= 1.5 * fl)
            else:
                row("10 MB %s ≤ 1.5× its floor (%s)" % (conv.name, what), "not available", None)
    # The revised floor: the parse floor plus the output library's own
    # serialiser writing docpipe's output (bench/floors/serialise.c).
    for conv in CONVERSIONS:
        r = by.get(("speech-10mb", conv.name), {})
        for key, what in (("_s", "wall"), ("_cpu_s", "CPU")):
            dp, fl = r.get("docpipe" + key), r.get("floor2" + key)
            label = "10 MB %s ≤ 1.5× parse + library serialise floor (%s)" % (conv.name, what)
            if dp and fl and not r.get("docpipe_error") and not r.get("floor2_error"):
                row(label, fmt_ratio(dp, fl), dp <= 1.5 * fl)
            else:
                row(label, "not available", None)
    for conv in CONVERSIONS:
        one = by.get(("speech", conv.name), {}).get("one_word_rss_mib")
        r = by.get(("speech-10mb", conv.name), {})
        if one and r.get("docpipe_rss_mib") and r.get("input_bytes"):
            limit = 4 * r["input_bytes"] / 2 ** 20 + one
            row("10 MB %s peak RSS ≤ 4× input + start-up (%s MiB)" % (conv.name, fmt_mib(limit)),
                "%s MiB" % fmt_mib(r["docpipe_rss_mib"]), r["docpipe_rss_mib"] <= limit)
    # The same with the input uncompressed: for EPUB input its content
    # documents (the .epub is about 2.7x smaller than its XHTML), so the
    # limit is the size of what has to be parsed. The floor's own peaks
    # (parse, serialise: whole processes) are given beside.
    for conv in CONVERSIONS:
        one = by.get(("speech", conv.name), {}).get("one_word_rss_mib")
        r = by.get(("speech-10mb", conv.name), {})
        size = r.get("input_uncompressed_bytes")
        if one and r.get("docpipe_rss_mib") and size and not r.get("docpipe_error"):
            limit = 4 * size / 2 ** 20 + one
            floor = "parse floor %s MiB" % fmt_mib(None if r.get("floor_error") else r.get("floor_rss_mib"))
            if r.get("serialise_name"):
                floor += ", serialise %s MiB" % fmt_mib(None if r.get("serialise_error") else r.get("serialise_rss_mib"))
            row("10 MB %s peak RSS ≤ 4× uncompressed input (%s MiB) + start-up (%s MiB): %s MiB" % (
                conv.name, fmt_mib(size / 2 ** 20), fmt_mib(one), fmt_mib(limit)),
                "%s MiB (%s)" % (fmt_mib(r["docpipe_rss_mib"]), floor), r["docpipe_rss_mib"] <= limit)
    for conv in CONVERSIONS:
        a, b = by.get(("speech-10mb", conv.name), {}), by.get(("speech-100mb", conv.name), {})
        if not (a.get("docpipe_s") and b.get("docpipe_s")) or a.get("docpipe_error") or b.get("docpipe_error"):
            continue
        size = b["input_bytes"] / a["input_bytes"]
        for key, what in (("_s", "wall"), ("_cpu_s", "CPU"), ("_rss_mib", "peak RSS")):
            if a.get("docpipe" + key) and b.get("docpipe" + key):
                ratio = b["docpipe" + key] / a["docpipe" + key]
                row("%s: 100 MB %s ≤ 10.5× the 10 MB one (input %.2f× larger)" % (conv.name, what, size),
                    "%.2f×" % ratio, ratio <= 10.5)
    return t


def read_before(path, label):
    """The 10 MB rows and the speech instruction counts of an earlier report."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    before = {"label": label, "tenmb": {}, "instr": {}}
    sec = text.split("### 10 MB", 1)[1].split("\n### ", 1)[0] if "### 10 MB" in text else ""
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 9 and "->" in cells[0]:
            # old layout: conversion | docpipe ms | pandoc ms | floor | floor ms | pandoc/docpipe | docpipe/floor | MB/s | RSS
            before["tenmb"][cells[0]] = {"docpipe_ms": cells[1], "floor": cells[3], "floor_ms": cells[4],
                                         "ratio": cells[6], "rss": cells[-1].split(" / ")[0]}
    sec = text.split("## Instructions (callgrind, the speech)", 1)[1].split("\n## ", 1)[0] if "## Instructions" in text else ""
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and "->" in cells[0]:
            before["instr"][cells[0]] = {"docpipe": cells[1], "floor": cells[3], "floor_instr": cells[4], "ratio": cells[6]}
    return before


def before_after(L, ctx):
    b = ctx.get("before")
    if not b:
        return
    by = {(r["base"], r["conversion"]): r for r in ctx["results"]}
    L.append("## Before and after (%s)" % b["label"])
    L.append("")
    L.append("Before: the figures %s's docs/PERFORMANCE.md reports (the old method: pandoc in the same rounds, "
             "the floor writing to a file, `xmllint --html` as the HTML floor, no EPUB floor). After: this run. "
             "The code measured is the same unless the commit log says otherwise; what changed is the method and "
             "the floors." % b["label"])
    L.append("")
    L.append("| 10 MB | before: docpipe ms | before: floor | floor ms | docpipe / floor | after: docpipe ms | after: floor | floor ms | docpipe / floor | CPU: docpipe / floor | peak RSS MiB before / after |")
    L.append("|---|--:|---|--:|--:|--:|---|--:|--:|--:|--:|")
    for conv in CONVERSIONS:
        o = b["tenmb"].get(conv.name, {})
        r = by.get(("speech-10mb", conv.name), {})
        dp = None if r.get("docpipe_error") else r.get("docpipe_s")
        fl = None if r.get("floor_error") else r.get("floor_s")
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            conv.name, o.get("docpipe_ms", "—"), o.get("floor", "—"), o.get("floor_ms", "—"), o.get("ratio", "—"),
            fmt_ms(dp) if dp else "—", r.get("floor_name") or "—", fmt_ms(fl) if fl else "—", fmt_ratio(dp, fl),
            fmt_ratio(r.get("docpipe_cpu_s"), r.get("floor_cpu_s")), o.get("rss", "—"), fmt_mib(r.get("docpipe_rss_mib"))))
    L.append("")
    L.append("| speech, instructions | before: docpipe | before: floor | floor instructions | docpipe / floor | after: docpipe | after: floor | floor instructions | docpipe / floor |")
    L.append("|---|--:|---|--:|--:|--:|---|--:|--:|")
    for r in ctx["instr"]:
        o = b["instr"].get(r["conversion"], {})
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["conversion"], o.get("docpipe", "—"), o.get("floor", "—"), o.get("floor_instr", "—"), o.get("ratio", "—"),
            fmt_int(r["docpipe"]) if r.get("docpipe") else "—", r.get("floor_name") or "—",
            fmt_int(r["floor"]) if r.get("floor") else "—", fmt_ratio(r.get("docpipe"), r.get("floor"))))
    L.append("")


def guard_section(L):
    L.append("## The instruction-count guard in CI")
    L.append("")
    L.append("The test `perf.instructions` (tests/perf/instructions.py, normal build only, about a minute) counts the "
             "instructions of whole docpipe processes under `valgrind --tool=callgrind --trace-children=no`: the speech "
             "in all 16 pairs of Markdown, HTML, EPUB and TEI, and the 1 MB Markdown input to HTML, EPUB and TEI. It "
             "fails when a count grows by more than 10 % over `bench/instructions-baseline.json` and reports a count "
             "that fell by more than 10 %. The baseline holds the build type and compiler it was recorded with; "
             "another build skips (exit 77), as does a machine without valgrind. Beside it, `perf.note_scaling` "
             "and `perf.tei-divisions_scaling` (tests/perf/scaling.py) count the instructions inside the Markdown "
             "writer's note handling for 1,000 and 8,000 notes, and inside the TEI reader for 1,000 and 8,000 sibling "
             "divisions, and fail above 10×: growth a fixed input cannot show. And `perf.markdown_libs` "
             "(tests/perf/markdown_libs.py) checks with the dynamic loader's report (`LD_DEBUG=libs`) that a Markdown "
             "run without MathML loads no libxml2.")
    L.append("")
    L.append("Re-record the baseline, only in a commit that says why the counts moved (after a merge that changes "
             "readers or writers, or a change that makes docpipe faster), from the normal build "
             "(RelWithDebInfo, as scripts/run-tests.sh configures it):")
    L.append("")
    L.append("```sh")
    L.append("cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j2")
    L.append("cd build && DOCPIPE_RECORD_INSTRUCTIONS=1 ctest -R '^perf\\.instructions$' -V")
    L.append("git add ../bench/instructions-baseline.json   # commit message: why the counts moved")
    L.append("```")
    L.append("")


def write_report(path, svg_name, ctx):
    results, batch, instr, startup = ctx["results"], ctx["batch"], ctx["instr"], ctx["startup"]
    L = []
    L.append("# Performance")
    L.append("")
    L.append("Written by `bench/run.sh` on %s; every figure below was measured in that run. "
             "Re-run it to refresh this file. What bounds these figures: `bench/NOTES.md`; earlier runs: "
             "`git log -p docs/PERFORMANCE.md`." % ctx["date"])
    L.append("")
    L.append("![Ratios](%s)" % svg_name)
    L.append("")
    L.append("## Method")
    L.append("")
    L.append("- Each tool runs as a whole process (start-up, plugin loading, reading, writing the file); docpipe and the "
             "parts of its floor run round-robin on the same input, the order rotated each round, after one uncounted "
             "warm-up run each; the tables give medians of wall time and of CPU time (user + system, the kernel's "
             "accounting of that one process, which moves far less than wall time on a shared machine) "
             "(runs: speech %d, 1 MB %d, 10 MB %d, 100 MB %d). pandoc runs afterwards in rounds of its own "
             "(at most %d on 10 MB, none on 100 MB): its runs take up to 4 GB, and this virtual machine's balloon "
             "reports freed memory to the host, so a process run after pandoc pays a host fault for every page it "
             "touches. That, with pandoc in the same rounds, is why earlier runs of this bench timed cmark-gfm on "
             "10 MB at 347 ms where a shell loop takes about 107 ms." %
             (ctx["args"].runs_speech, ctx["args"].runs_1mb, ctx["args"].runs_10mb, ctx["args"].runs_100mb,
              ctx["args"].pandoc_runs_10mb))
    L.append("- Peak RSS: `/usr/bin/time -f %%M` (the \"Maximum resident set size\" of `time -v`) on one extra run of each "
             "command after its timed runs; pandoc's 10 MB runs are timed under it directly%s." % (
                 "" if not ctx["rss_check"] else " (cross-check, `%s`: time -v %d KiB, time -f %%M %d KiB)" % (
                     ctx["rss_check"]["cmd"], ctx["rss_check"]["time_v_kib"], ctx["rss_check"]["wait4_kib"])))
    L.append("- Floors, the least any converter must do, output to /dev/null: the `cmark-gfm` CLI (tables, "
             "strikethrough, autolinks, raw HTML; the Debian CLI has no footnote switch) for Markdown input; gumbo's "
             "parse alone (`bench/floors/gumbo_parse.c`, the HTML reader's parser; `xmllint --html` has no HTML5 parser) "
             "for HTML input; `xmllint --noout` for TEI input; for EPUB input, `unzip -p` (inflating every entry) plus "
             "`xmllint --noout` on its XHTML files; for EPUB output, plus `zip -6` of the XHTML files of docpipe's EPUB "
             "of the same text (deflating what is written). A floor of several parts is the sum of their medians.")
    L.append("- The revised floor, parse + serialise: docpipe writes through the libraries' own serialisers (the house "
             "rule), so the least a converter built this way must pay is the parse floor above plus the output library "
             "writing exactly docpipe's output of the same rounds, timed inside `bench/floors/serialise.c` around the "
             "serialisation alone (`cmark_render_commonmark` for Markdown, libxml2's `htmlDocContentDumpFormatOutput` "
             "for HTML, `xmlSaveDoc` for TEI and for EPUB's XHTML content documents; CPU and monotonic clocks, bytes "
             "dropped), its median added to the parse floor's. For Markdown input to HTML nothing is added, because "
             "the cmark-gfm CLI of the parse floor already renders the HTML (a second render would count the output "
             "twice); to TEI and EPUB the output library is libxml2, not cmark, so its serialiser is added.")
    L.append("- Inputs: `samples/speech.md`; the speech scaled to 1 MB and 10 MB (the body repeated as \"Part k\" sections, "
             "every footnote relabelled per part and defined at its end, so notes run throughout); HTML, EPUB and TEI inputs are "
             "docpipe's own output from those files (pandoc's where docpipe cannot write the format), so both tools read the same file.")
    L.append("- Start-up in the same rounds: with the speech, docpipe also converts a document of one word "
             "(\"Word\", written to each input format by docpipe itself), so that what the size of the document adds can be "
             "told from what every run pays.")
    L.append("- Instruction counts: `valgrind --tool=callgrind`, whole process, repeatable on a busy machine.")
    L.append("- pandoc options: `-f markdown` (or html/epub) `-t html5 -s` / `epub3` / `tei -s` / `markdown`. "
             "The machine is shared: wall times carry noise, instruction counts do not.")
    L.append("")
    before_after(L, ctx)
    guard_section(L)
    L.append("## Machine and versions")
    L.append("")
    m = ctx["machine"]
    L.append("- CPU: %s, %s cores; memory %s; %s, kernel %s; load average (1, 5, 15 min) at start %s, at the end %s" %
             (m["cpu"], m["cores"], m["memory"], m["os"], m["kernel"], m["load_at_start"], ctx.get("load_at_end", "?")))
    L.append("- Cost of a page fault on fresh memory: %.1f µs; spawning `/bin/true` and waiting for it: %.1f ms. "
             "These two set the floor of every small conversion and differ several-fold between machines "
             "(see \"The speech against its 20× budget\" below)." % (m["page_fault_us"], m["true_ms"]))
    for name, v in ctx["versions"]:
        L.append("- %s: %s" % (name, v))
    L.append("")
    L.append("## Wall time and memory")
    L.append("")
    for size_label, base in SIZES:
        rows = [r for r in results if r["base"] == base]
        if not rows:
            continue
        nbytes = next((r["input_bytes"] for r in rows if r["conversion"] == "md->html" and r.get("input_bytes")), None)
        L.append("### %s%s" % (size_label, " (%s bytes of Markdown)" % fmt_int(nbytes) if nbytes else ""))
        L.append("")
        L.append("| conversion | docpipe ms | docpipe CPU ms | pandoc ms | floor | floor ms | floor CPU ms | pandoc / docpipe | docpipe / floor | docpipe / floor, CPU | docpipe MB/s "
                 "| serialise (output library) ms / CPU ms | parse + serialise floor ms | parse + serialise floor CPU ms "
                 "| docpipe / (parse + serialise) | docpipe / (parse + serialise), CPU | peak RSS MiB docpipe / pandoc / floor |")
        L.append("|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in rows:
            dp = None if r.get("docpipe_error") else r.get("docpipe_s")
            pd = None if r.get("pandoc_error") else r.get("pandoc_s")
            fl = None if r.get("floor_error") else r.get("floor_s")
            mbps = "%.1f" % (r["input_bytes"] / dp / 1e6) if dp and r.get("input_bytes") else "—"
            rss = " / ".join(fmt_mib(None if r.get(k + "_error") else r.get(k + "_rss_mib")) for k in ("docpipe", "pandoc", "floor"))
            pcell = cell_time(r, "pandoc")
            if r.get("pandoc_runs") and r["pandoc_runs"] < 3 and pd:
                pcell += " (n=%d)" % r["pandoc_runs"]
            dpc = None if r.get("docpipe_error") else r.get("docpipe_cpu_s")
            flc = None if r.get("floor_error") else r.get("floor_cpu_s")
            f2 = None if r.get("floor2_error") else r.get("floor2_s")
            f2c = None if r.get("floor2_error") else r.get("floor2_cpu_s")
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r["conversion"], cell_time(r, "docpipe"), fmt_ms(dpc) if dpc else "—", pcell, r.get("floor_name") or "—",
                cell_time(r, "floor") if r.get("floor_name") else "—", fmt_ms(flc) if flc else "—",
                fmt_ratio(pd, dp), fmt_ratio(dp, fl), fmt_ratio(dpc, flc), mbps, serialise_cell(r),
                fmt_ms(f2) if f2 else "—", fmt_ms(f2c) if f2c else "—", fmt_ratio(dp, f2), fmt_ratio(dpc, f2c), rss))
        L.append("")
    budget_rows = [r for r in results if r["base"] == "speech" and r.get("pandoc_s") and r.get("docpipe_s")
                   and r.get("one_word_s") and not any(r.get(k + "_error") for k in ("docpipe", "pandoc", "one_word"))]
    if budget_rows:
        L.append("### The speech against its 20× budget")
        L.append("")
        L.append("The budget is pandoc's time divided by 20. \"one word\" is docpipe converting a document of one word "
                 "in the same format, in the same rounds: the part of the time that the document's size does not change.")
        L.append("")
        L.append("| conversion | pandoc ms | budget ms | docpipe, speech ms | docpipe, one word ms | one word / budget |")
        L.append("|---|--:|--:|--:|--:|--:|")
        for r in budget_rows:
            budget = r["pandoc_s"] / 20
            L.append("| %s | %s | %s | %s | %s | %.0f %% |" % (
                r["conversion"], fmt_ms(r["pandoc_s"]), fmt_ms(budget), fmt_ms(r["docpipe_s"]),
                fmt_ms(r["one_word_s"]), 100 * r["one_word_s"] / budget))
        L.append("")
    notes = [r for r in results if r.get("docpipe_error") or (r.get("pandoc_error") and "TEI reader" not in r["pandoc_error"])]
    if notes:
        L.append("Not available:")
        L.append("")
        seen = set()
        for r in notes:
            for k in ("docpipe", "pandoc"):
                e = r.get(k + "_error")
                if e and "TEI reader" not in e and (k, r["conversion"], e) not in seen:
                    seen.add((k, r["conversion"], e))
                    L.append("- %s %s (%s): %s" % (k, r["conversion"], r["size"], e.replace("|", "\\|")))
        L.append("")
    L.append("pandoc 2.17 has no TEI reader: tei->html and tei->md have no pandoc column.")
    L.append("")
    L.append("## Batch: %d copies of the speech to HTML + EPUB + TEI" % batch.get("files", 0))
    L.append("")
    L.append("| tool | wall time | peak RSS MiB |")
    L.append("|---|--:|--:|")
    L.append("| docpipe, one `docpipe run` | %s | %s |" % (
        "not available (%s)" % batch["docpipe_error"].replace("|", "\\|") if batch.get("docpipe_error") else "%.2f s (median of %d)" % (batch["docpipe_s"], batch["docpipe_runs"]),
        fmt_mib(batch.get("docpipe_rss_mib"))))
    pn = batch.get("pandoc_files", batch.get("files", 0))
    L.append("| pandoc, one process per file and format, 2 in parallel%s | %s | — |" % (
        "" if pn == batch.get("files") else ", **first %d files only**" % pn,
        batch["pandoc_error"] if batch.get("pandoc_error") else "%.1f s (one run)" % batch["pandoc_s"]))
    if batch.get("docpipe_s") and batch.get("pandoc_s") and pn == batch.get("files"):
        L.append("")
        L.append("pandoc / docpipe: %s." % fmt_ratio(batch["pandoc_s"], batch["docpipe_s"]))
    L.append("")
    L.append("Config used:")
    L.append("")
    L.append("```yaml")
    L.append(batch.get("config", "").rstrip())
    L.append("```")
    L.append("")
    L.append("## Instructions (callgrind, the speech)")
    L.append("")
    L.append("| conversion | docpipe | pandoc | floor | floor instructions | pandoc / docpipe | docpipe / floor |")
    L.append("|---|--:|--:|---|--:|--:|--:|")
    for r in instr:
        dp, pd, fl = r.get("docpipe"), r.get("pandoc"), r.get("floor")
        L.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["conversion"], fmt_int(dp) if dp else "not available",
            fmt_int(pd) if pd else ("not available" if CONVERSION_BY_NAME[r["conversion"]].pandoc_to else "no TEI reader"),
            r.get("floor_name") or "—", fmt_int(fl) if fl else "—", fmt_ratio(pd, dp), fmt_ratio(dp, fl)))
    L.append("")
    L.append("Start-up (whole process, callgrind):")
    L.append("")
    L.append("| what | instructions | wall ms (hyperfine -N, median of 40) |")
    L.append("|---|--:|--:|")
    for s in startup:
        L.append("| %s | %s | %s |" % (s["what"], fmt_int(s["instructions"]) if s["instructions"] else "not available (%s)" % s["error"],
                                       fmt_ms(s.get("wall_s")) if s.get("wall_s") is not None else "—"))
    L.append("")
    import linear_growth  # its section, written by a --linear run, is kept
    L.extend(linear_growth.kept_section(path))
    L.append("## Targets, checked against this run")
    L.append("")
    L.append("| target | measured | verdict |")
    L.append("|---|--:|---|")
    for target, measured, verdict in targets(results, batch, instr, startup):
        L.append("| %s | %s | %s |" % (target, measured, verdict))
    L.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


CONVERSION_BY_NAME = {c.name: c for c in CONVERSIONS}

DEFAULT_BATCH_CONFIG = """\
# Generated by bench/bench.py (see docs/CONFIG.md): each copy is parsed once
# and written to three formats; files run in parallel on all cores.
version: 1
jobs:
  - name: batch
    input: "{input}"
    outputs:
      - "{out}/html/{{stem}}.html"
      - "{out}/epub/{{stem}}.epub"
      - "{out}/tei/{{stem}}.tei.xml"
"""


def linear_mode(dp, args, log):
    """--linear: the 100 MB against 10 MB check alone, its section spliced into the report."""
    import linear_growth
    global SIZES
    SIZES = [sz for sz in SIZES if sz[1] in ("speech-10mb", "speech-100mb")]
    started, load_start = linear_growth.now(), "%.2f %.2f %.2f" % os.getloadavg()
    sources = prepare_sources(dp, args.inputs, args.work, log)
    rows = linear_growth.measure(dp, sources, args.work, args.runs_100mb, log)
    command = "python3 bench/bench.py " + " ".join(
        os.path.relpath(a) if os.path.exists(a) else a for a in sys.argv[1:])
    lines = linear_growth.section(rows, command, started, load_start, "%.2f %.2f %.2f" % os.getloadavg(), args.runs_100mb)
    linear_growth.splice(args.report, lines)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    log("wrote the linear-growth section of %s" % args.report)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docpipe", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--svg", required=True)
    ap.add_argument("--notes")
    ap.add_argument("--json", help="also dump the raw figures here")
    ap.add_argument("--runs-speech", type=int, default=11)
    ap.add_argument("--runs-1mb", type=int, default=5)
    ap.add_argument("--runs-10mb", type=int, default=3)
    ap.add_argument("--runs-100mb", type=int, default=3)
    ap.add_argument("--pandoc-runs-10mb", type=int, default=1)
    ap.add_argument("--skip-pandoc", action="store_true", help="no pandoc at all (its columns say so)")
    ap.add_argument("--gumbo-parse", help="the HTML floor program (bench/floors/gumbo_parse.c, built by bench/run.sh)")
    ap.add_argument("--serialise", help="the serialise floor program (bench/floors/serialise.c, built by bench/run.sh)")
    ap.add_argument("--runs-batch", type=int, default=3)
    ap.add_argument("--skip-pandoc-batch", action="store_true")
    ap.add_argument("--pandoc-batch-files", type=int, default=1000,
                    help="pandoc converts only this many of the batch files (default: all)")
    ap.add_argument("--sizes", default="speech,1mb,10mb,100mb",
                    help="comma-separated subset of speech,1mb,10mb,100mb (for trying the script quickly)")
    ap.add_argument("--before", help="an earlier docs/PERFORMANCE.md (git show REV:docs/PERFORMANCE.md): its 10 MB "
                    "table and speech instruction counts become the report's before/after table")
    ap.add_argument("--before-label", default="before", help="what --before is, e.g. 'main ce2ae43'")
    ap.add_argument("--from-json", help="write the report from the figures a run saved with --json, measuring nothing")
    ap.add_argument("--linear", action="store_true",
                    help="only the linear-growth check (bench/linear_growth.py): docpipe on the 10 MB and the 100 MB "
                    "inputs, alternating; replaces that section of --report and leaves the rest")
    ap.add_argument("--batch-config-template", default=None,
                    help="file with a YAML template; {input} and {out} are replaced")
    args = ap.parse_args()
    if args.batch_config_template:
        with open(args.batch_config_template, encoding="utf-8") as f:
            args.batch_config_template = f.read()
    else:
        args.batch_config_template = DEFAULT_BATCH_CONFIG

    def log(msg):
        print("bench: " + msg, flush=True)

    global SIZES, GUMBO_PARSE, SERIALISE
    GUMBO_PARSE = os.path.abspath(args.gumbo_parse) if args.gumbo_parse and os.path.exists(args.gumbo_parse) else None
    SERIALISE = os.path.abspath(args.serialise) if args.serialise and os.path.exists(args.serialise) else None
    if args.skip_pandoc:
        args.skip_pandoc_batch = True
    wanted = {"speech": "speech", "1mb": "speech-1mb", "10mb": "speech-10mb", "100mb": "speech-100mb"}
    keep = {wanted[x.strip()] for x in args.sizes.split(",") if x.strip() in wanted}
    SIZES = [sz for sz in SIZES if sz[1] in keep]
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as f:
            ctx = json.load(f)
        ctx["args"], ctx["notes"] = args, args.notes
        ctx["before"] = read_before(args.before, args.before_label) if args.before else None
        svg_chart(ctx["results"], args.svg)
        write_report(args.report, os.path.relpath(args.svg, os.path.dirname(args.report)), ctx)
        log("wrote %s and %s from %s" % (args.report, args.svg, args.from_json))
        return 0
    os.makedirs(args.work, exist_ok=True)
    dp = os.path.abspath(args.docpipe)
    if args.linear:
        return linear_mode(dp, args, log)
    ctx = {"args": args, "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "machine": machine_info(), "versions": versions(dp, args.build_dir), "notes": args.notes}
    sources = prepare_sources(dp, args.inputs, args.work, log)
    ctx["rss_check"] = cross_check_rss(dp, sources)
    ctx["results"] = measure_conversions(dp, sources, args.work, args, log)
    ctx["batch"] = measure_batch(dp, args.inputs, args.work, args, log)
    ctx["instr"], ctx["startup"] = measure_instructions(dp, sources, args.work, log, args)
    ctx["load_at_end"] = "%.2f %.2f %.2f" % os.getloadavg()
    ctx["before"] = read_before(args.before, args.before_label) if args.before else None
    svg_chart(ctx["results"], args.svg)
    write_report(args.report, os.path.relpath(args.svg, os.path.dirname(args.report)), ctx)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({k: v for k, v in ctx.items() if k not in ("args",)}, f, indent=1, default=str)
    log("wrote %s and %s" % (args.report, args.svg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
