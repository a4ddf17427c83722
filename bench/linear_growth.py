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
    """One run: (wall s, CPU s, peak KiB) or an error string. output: the
    file the command must write (removed first: zip would add to an old
    archive), or None for a floor writing to /dev/null."""
    import bench  # the caller's module: run_once lives there
    if output and os.path.exists(output):
        os.unlink(output)
    wall, peak, code, err, cpu = bench.run_once(argv, rss=True)
    if code != 0 or (output and not os.path.exists(output)):
        return "exit %d: %s" % (code, err.strip().splitlines()[0] if err.strip() else "no output file")
    return wall, cpu, peak


def _measure_all(cmds):
    """docpipe, then each part of its floor: {"docpipe": (wall, cpu, peak), "floor": (sum, sum, max)}
    or an error string."""
    got = _measure(*cmds["docpipe"])
    if isinstance(got, str):
        return got
    parts = []
    for argv, output in cmds["floor"]:
        part = _measure(argv, output)
        if isinstance(part, str):
            return "floor %s: %s" % (argv[0], part)
        parts.append(part)
    out = {"docpipe": got}
    if parts:
        out["floor"] = (sum(p[0] for p in parts), sum(p[1] for p in parts), max(p[2] for p in parts))
    return out


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
            floor = [(argv, argv[4] if argv[0] == "zip" else None)
                     for _, argv in bench.floor_parts(conv, sources, base)]
            cmds[base] = {"docpipe": (bench.docpipe_cmd(dp, src[0], dst), dst), "floor": floor}
            row["floor_name"] = bench.floor_name(bench.floor_parts(conv, sources, base))
            row[base + "_bytes"] = os.path.getsize(src[0])
        if "error" in row:
            rows.append(row)
            continue
        figures = {base: [] for base in cmds}
        log("linear %s: warm-up, then %d alternating rounds of 10 MB and 100 MB" % (conv.name, runs))
        order = list(cmds)
        for i in range(runs + 1):
            for base in (order if i % 2 == 0 else order[::-1]):
                got = _measure_all(cmds[base])
                if isinstance(got, str):
                    row["error"] = "%s: %s" % (base, got)
                    break
                if i > 0:  # round 0 is the warm-up
                    figures[base].append(got)
            if "error" in row:
                break
        if "error" not in row:
            for base, runs_ in figures.items():
                for tool, prefix in (("docpipe", base), ("floor", "floor_" + base)):
                    figs = [r[tool] for r in runs_ if tool in r]
                    if not figs:
                        continue
                    row[prefix + "_wall"] = statistics.median(f[0] for f in figs)
                    row[prefix + "_cpu"] = statistics.median(f[1] for f in figs)
                    row[prefix + "_peak_mib"] = statistics.median(f[2] for f in figs) / 1024.0
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
    L.append("Target: the 100 MB input costs at most %.1f× the 10 MB one, in time and in peak memory. "
             "The floor (the same parse floor as in the tables above, run in the same rounds right after "
             "docpipe) shows what the machine itself does with ten times the data: on this virtual machine "
             "a page fault costs about 17 µs and the caches hold neither size, so even the parsers alone do "
             "not grow exactly 10×. \"vs floor\" divides docpipe's growth by the floor's: what docpipe's own "
             "work adds beyond what parsing the input does. Verdict \"met\" is against %.1f× only." % (LIMIT, LIMIT))
    L.append("")
    L.append("| conversion | input 10 MB / 100 MB bytes | wall ms 10 / 100 | wall × | CPU ms 10 / 100 | CPU × | "
             "peak RSS MiB 10 / 100 | RSS × | floor | floor CPU ms 10 / 100 | floor CPU × | CPU × vs floor | verdict |")
    L.append("|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|---|")
    for r in rows:
        if r.get("error"):
            L.append("| %s |%s not available (%s) |" % (r["conversion"], " — |" * 11, r["error"].replace("|", "\\|")))
            continue
        a, b = "speech-10mb", "speech-100mb"
        ratios = [r[b + k] / r[a + k] for k in ("_wall", "_cpu", "_peak_mib")]
        missed = [n for n, x in zip(("wall", "CPU", "RSS"), ratios) if x > LIMIT]
        fa, fb = r.get("floor_" + a + "_cpu"), r.get("floor_" + b + "_cpu")
        fx = fb / fa if fa and fb else None
        L.append("| %s | %s / %s | %.0f / %.0f | %.2f× | %.0f / %.0f | %.2f× | %.0f / %.0f | %.2f× | %s | %s | %s | %s | %s |" % (
            r["conversion"], format(r[a + "_bytes"], ","), format(r[b + "_bytes"], ","),
            1000 * r[a + "_wall"], 1000 * r[b + "_wall"], ratios[0],
            1000 * r[a + "_cpu"], 1000 * r[b + "_cpu"], ratios[1],
            r[a + "_peak_mib"], r[b + "_peak_mib"], ratios[2],
            r.get("floor_name") or "—",
            "%.0f / %.0f" % (1000 * fa, 1000 * fb) if fx else "—",
            "%.2f×" % fx if fx else "—",
            "%.2f" % (ratios[1] / fx) if fx else "—",
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
