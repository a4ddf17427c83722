"""Linear growth (issue 23): does a 100 MB input cost at most 10.5x the 10 MB one?

`bench/bench.py --linear` runs this instead of the full bench: for every
conversion, docpipe on the 10 MB input and on the 100 MB input (both made by
bench/gen_inputs.py --100mb; HTML, EPUB and TEI derived by docpipe as in the
full bench), alternating 10, 100, 100, 10, ... after one uncounted warm-up
each, every run under `/usr/bin/time -f %M` so that each gives wall time, CPU
time (user + system from wait4) and peak RSS. The section it writes replaces
the one of the same heading in docs/PERFORMANCE.md; the rest of the file is
left as the last full run wrote it.
"""
import datetime
import os
import statistics

LIMIT = 10.5
HEADING = "## Linear growth: 100 MB against 10 MB"


def _measure(argv, output):
    """One run: (wall s, CPU s, peak KiB) or an error string."""
    import bench  # the caller's module: run_once lives there
    if os.path.exists(output):
        os.unlink(output)
    wall, peak, code, err, cpu = bench.run_once(argv, rss=True)
    if code != 0 or not os.path.exists(output):
        return "exit %d: %s" % (code, err.strip().splitlines()[0] if err.strip() else "no output file")
    return wall, cpu, peak


def measure(dp, sources, work, runs, log):
    import bench
    rows = []
    outdir = os.path.join(work, "out", "linear")
    os.makedirs(outdir, exist_ok=True)
    for conv in bench.CONVERSIONS:
        row = {"conversion": conv.name}
        cmds = {}
        for base in ("speech-10mb", "speech-100mb"):
            src = sources.get((base, conv.src_kind))
            if not src:
                row["error"] = "no %s input for %s" % (conv.src_kind, base)
                break
            dst = os.path.join(outdir, "%s-%s.%s" % (base, conv.name.replace("->", "-to-"), conv.dst_ext))
            cmds[base] = (bench.docpipe_cmd(dp, src[0], dst), dst)
            row[base + "_bytes"] = os.path.getsize(src[0])
        if "error" in row:
            rows.append(row)
            continue
        figures = {base: [] for base in cmds}
        log("linear %s: warm-up, then %d alternating rounds of 10 MB and 100 MB" % (conv.name, runs))
        order = list(cmds)
        for i in range(runs + 1):
            for base in (order if i % 2 == 0 else order[::-1]):
                got = _measure(*cmds[base])
                if isinstance(got, str):
                    row["error"] = "%s: %s" % (base, got)
                    break
                if i > 0:  # round 0 is the warm-up
                    figures[base].append(got)
            if "error" in row:
                break
        if "error" not in row:
            for base, runs_ in figures.items():
                row[base + "_wall"] = statistics.median(r[0] for r in runs_)
                row[base + "_cpu"] = statistics.median(r[1] for r in runs_)
                row[base + "_peak_mib"] = statistics.median(r[2] for r in runs_) / 1024.0
                row[base + "_runs"] = len(runs_)
        else:
            log("  " + row["error"])
        rows.append(row)
    return rows


def section(rows, command, started, load_start, load_end, runs):
    """The report's section, as a list of lines."""
    L = [HEADING, ""]
    L.append("Written on %s by `%s` (run from the repository's root, inputs from "
             "`bench/gen_inputs.py samples/speech.md build-bench-inputs --100mb`; never committed). "
             "%d alternating rounds (10 MB, 100 MB, then 100 MB, 10 MB, ...) after one uncounted warm-up each; "
             "medians; every run under `/usr/bin/time -f %%M`. Load average (1, 5, 15 min) at start %s, at the end %s "
             "on 2 cores shared with other work: wall times carry that load, CPU times (user + system) far less."
             % (started, command, runs, load_start, load_end))
    L.append("")
    L.append("Target: the 100 MB input costs at most %.1f× the 10 MB one, in time and in peak memory." % LIMIT)
    L.append("")
    L.append("| conversion | input 10 MB / 100 MB bytes | wall ms 10 / 100 | wall × | CPU ms 10 / 100 | CPU × | "
             "peak RSS MiB 10 / 100 | RSS × | verdict |")
    L.append("|---|--:|--:|--:|--:|--:|--:|--:|---|")
    for r in rows:
        if r.get("error"):
            L.append("| %s | — | — | — | — | — | — | — | not available (%s) |" % (r["conversion"], r["error"].replace("|", "\\|")))
            continue
        a, b = "speech-10mb", "speech-100mb"
        ratios = [r[b + k] / r[a + k] for k in ("_wall", "_cpu", "_peak_mib")]
        missed = [n for n, x in zip(("wall", "CPU", "RSS"), ratios) if x > LIMIT]
        L.append("| %s | %s / %s | %.0f / %.0f | %.2f× | %.0f / %.0f | %.2f× | %.0f / %.0f | %.2f× | %s |" % (
            r["conversion"], format(r[a + "_bytes"], ","), format(r[b + "_bytes"], ","),
            1000 * r[a + "_wall"], 1000 * r[b + "_wall"], ratios[0],
            1000 * r[a + "_cpu"], 1000 * r[b + "_cpu"], ratios[1],
            r[a + "_peak_mib"], r[b + "_peak_mib"], ratios[2],
            "met" if not missed else "**missed** (%s)" % ", ".join(missed)))
    L.append("")
    return L


def splice(path, lines):
    """Replace the section under HEADING in the report at path (or append it)."""
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    new = "\n".join(lines)
    if HEADING in text:
        head, rest = text.split(HEADING, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1:] if nxt >= 0 else ""
        text = head + new + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + new
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n")


def kept_section(path):
    """The section as the last --linear run wrote it, for a full run to carry over ([] if none)."""
    if not os.path.exists(path):
        return []
    text = open(path, encoding="utf-8").read()
    if HEADING not in text:
        return []
    rest = HEADING + text.split(HEADING, 1)[1]
    nxt = rest.find("\n## ")
    return (rest[:nxt] if nxt >= 0 else rest).rstrip("\n").split("\n") + [""]


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
