#!/usr/bin/env python3
"""The real-world corpus test (issue 17): fidelity of docpipe on documents
written by others, measured and held at floors.

usage: corpus.py DOCPIPE REPO [--part samples|gfm|all] [--no-validators]
                 [--jobs N] [--write-doc] [--raise-floors] [--keep DIR]
                 [--only TEXT]

samples  every file of ../shared/samples (EPUB, TEI, HTML, Markdown; the GFM
         spec read as Markdown too) converted to md, html, epub and tei, and
         the round trips X -> tei -> X and X -> epub -> md. For each: word
         recall (text_extract.py, one extractor for every format), counts of
         notes, tables, images, links, math, headings, list items (source ->
         output), docpipe's warnings, and the validator of the output: Nu
         (vnu) for HTML, EPUBCheck 4.2.6 and epubcheck-ts for EPUB, jing
         tei_all for TEI (each run once over all its files).
gfm      the GFM spec examples: md -> html and md -> tei -> md against
         cmark-gfm (gfm_spec.py); the TEI of every example validated with
         jing tei_all (one run), the invalid files counted.
Prints one table; --write-doc writes it to docs/FIDELITY.md (the test itself
never writes into the source tree). Every figure is checked against
tests/corpus/floors.json: recall and kept counts must not fall below their
floor, validator errors and warnings must not rise above theirs; a row or
figure without a floor fails too. --raise-floors raises the floors to the
measured figures (never lowers one; new rows need a reason written by hand).
--no-validators (the sanitizer build) converts and measures without them.
--only TEXT measures only the samples whose name holds TEXT (while working
on one; not with --write-doc, which writes the whole table).

Exit: 0 all figures at or above their floors; 1 a figure below its floor;
77 the samples (../shared, or DOCPIPE_SHARED_DIR) are absent."""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # importing must not write into the source tree
sys.path.insert(0, HERE)
import text_extract  # noqa: E402
import gfm_spec  # noqa: E402

FORMATS = ["md", "html", "epub", "tei"]
EXT = {"md": ".md", "html": ".html", "epub": ".epub", "tei": ".tei.xml"}
COUNTS = text_extract.COUNTS
FLOORS = os.path.join(HERE, "floors.json")


def fmt_of_sample(name):
    return {"epub": "epub", "tei": "tei", "html": "html", "markdown": "md"}[name.split("/")[0]]


class Corpus:
    def __init__(self, docpipe, shared, work, jobs, validators, only=None):
        self.docpipe, self.shared, self.work, self.jobs = docpipe, shared, work, jobs
        self.only = only
        self.validators = validators
        self.samples_dir = os.path.join(shared, "samples")

    def samples(self):
        out = []
        for sub in ("epub", "tei", "html", "markdown"):
            d = os.path.join(self.samples_dir, sub)
            for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                if not self.only or self.only in sub + "/" + name:
                    out.append(sub + "/" + name)
        return out

    def convert(self, src, dst, src_fmt):
        """Runs docpipe; returns (ok, number of warnings, message)."""
        cmd = [self.docpipe, src, "-o", dst]
        if src.endswith(".txt"):
            cmd += ["-f", "md"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        warnings = sum(1 for line in p.stderr.splitlines() if line.startswith("docpipe: warning:"))
        return p.returncode == 0 and os.path.exists(dst), warnings, p.stderr.strip()[-300:]

    def rows_of(self, sample):
        """[(pair, [(src, dst, fmt)...], output format)] for one sample."""
        fmt = fmt_of_sample(sample)
        src = os.path.join(self.samples_dir, sample)
        stem = os.path.join(self.work, sample.replace("/", "__"))
        rows = []
        for d in FORMATS:
            rows.append((d, [(src, stem + ".to" + EXT[d], fmt)], d))
        if fmt != "tei":
            rows.append(("tei>" + fmt, [(src, stem + ".to.tei.xml", fmt),
                                        (stem + ".to.tei.xml", stem + ".rt" + EXT[fmt], "tei")], fmt))
        rows.append(("epub>md", [(src, stem + ".to.epub", fmt),
                                 (stem + ".to.epub", stem + ".via-epub.md", "epub")], "md"))
        return rows

    def run(self):
        samples = self.samples()
        # Direct conversions first (the round trips start from their outputs).
        direct = {}
        jobs_direct = [(s, r) for s in samples for r in self.rows_of(s)[:4]]
        with ThreadPoolExecutor(self.jobs) as pool:
            for (s, r), res in zip(jobs_direct, pool.map(lambda j: self.convert(*j[1][1][0]), jobs_direct)):
                direct[r[1][0][1]] = res
        second = {}
        jobs_rt = [(s, r) for s in samples for r in self.rows_of(s)[4:]]

        def rt(job):
            first = direct[job[1][1][0][1]]
            return self.convert(*job[1][1][1]) if first[0] else (False, 0, "first step failed")
        with ThreadPoolExecutor(self.jobs) as pool:
            for (s, r), res in zip(jobs_rt, pool.map(rt, jobs_rt)):
                second[(s, r[0])] = res
        # Extraction (sources once).
        extracted = {}

        def extract(path_fmt):
            path, fmt = path_fmt
            try:
                return path, text_extract.extract(path, "md" if path.endswith(".txt") else fmt)
            except Exception as e:  # an output the extractor cannot read is a failed conversion
                return path, e
        todo = {(os.path.join(self.samples_dir, s), fmt_of_sample(s)) for s in samples}
        results = []
        for s in samples:
            for pair, steps, out_fmt in self.rows_of(s):
                ok, warnings, msg = direct[steps[0][1]]
                if len(steps) == 2:
                    ok2, w2, msg2 = second[(s, pair)]
                    ok, warnings, msg = ok and ok2, warnings + w2, msg2 if not ok2 else msg
                out = steps[-1][1]
                if ok:
                    todo.add((out, out_fmt))
                results.append({"sample": s, "pair": pair, "out": out, "out_fmt": out_fmt, "ok": ok,
                                "warnings": warnings, "message": msg if not ok else ""})
        with ThreadPoolExecutor(self.jobs) as pool:
            for path, res in pool.map(extract, sorted(todo)):
                extracted[path] = res
        verdicts = self.validate([r["out"] for r in results if r["ok"]]) if self.validators else {}
        for r in results:
            src = extracted[os.path.join(self.samples_dir, r["sample"])]
            if isinstance(src, Exception):
                raise RuntimeError(f"{r['sample']}: the extractor cannot read the source: {src}")
            out = extracted.get(r["out"]) if r["ok"] else None
            if isinstance(out, Exception):
                r["ok"], r["message"], out = False, f"output unreadable: {out}", None
            r["src_counts"] = src[1]
            if out is None:
                r["recall"], r["missing"], r["out_counts"] = 0.0, {}, {k: 0 for k in COUNTS}
            else:
                rec, missing = text_extract.recall(src[0], out[0])
                r["recall"], r["missing"], r["out_counts"] = round(rec, 2), dict(missing.most_common(8)), out[1]
            r["validator"] = verdicts.get(r["out"])
        return results

    # ------------------------------------------------------------ validators

    def validate(self, paths):
        """{path: {"name": ..., "errors": n, "warnings": n, "messages": [...]}}"""
        kinds = collections.defaultdict(list)
        for p in paths:
            for fmt, ext in EXT.items():
                if p.endswith(ext) and fmt != "md":
                    kinds[fmt].append(p)
        tasks = [(self.vnu, kinds["html"]), (self.jing, kinds["tei"]),
                 (self.epubcheck, kinds["epub"]), (self.epubcheck_ts, kinds["epub"])]
        verdicts = {}
        with ThreadPoolExecutor(self.jobs) as pool:
            for part in pool.map(lambda t: t[0](t[1]) if t[1] else {}, tasks):
                for path, v in part.items():
                    cur = verdicts.setdefault(path, {"name": [], "errors": 0, "warnings": 0, "messages": []})
                    cur["name"].append(v["name"])
                    cur["errors"] += v["errors"]
                    cur["warnings"] += v["warnings"]
                    cur["messages"] += v["messages"][:5]
        for v in verdicts.values():
            v["name"] = "+".join(v["name"])
        return verdicts

    def need(self, what, path, how):
        if shutil.which(path) or os.path.exists(path):
            return True
        if os.environ.get("CI") == "true":
            raise SystemExit(f"FAIL: {what} is missing (install: {how}); CI=true, so this is a failure")
        print(f"note: {what} is missing (install: {how}); its outputs are not validated")
        return False

    def vnu(self, files):
        jar = os.path.join(self.validators_dir(), "vnu-jar", "build", "dist", "vnu.jar")
        if not (self.need("java", "java", "apt-get install default-jre-headless")
                and self.need("vnu.jar", jar, "scripts/install-validators.sh")):
            return {}
        p = subprocess.run(["java", "-jar", jar, "--format", "json"] + files, capture_output=True, text=True)
        out = {f: {"name": "vnu", "errors": 0, "warnings": 0, "messages": []} for f in files}
        by_url = {"file:" + os.path.abspath(f): f for f in files}
        try:
            messages = json.loads(p.stderr or p.stdout)["messages"]
        except (ValueError, KeyError):
            raise SystemExit("FAIL: vnu gave no JSON report: " + (p.stderr + p.stdout)[-500:])
        for m in messages:
            f = by_url.get(m.get("url", ""))
            if f is None:
                if m.get("type") in ("error", "non-document-error"):  # never drop an error unseen
                    raise SystemExit("FAIL: vnu reports on an unknown file: %s" % m)
                continue
            if m.get("type") in ("error", "non-document-error"):
                out[f]["errors"] += 1
            elif m.get("subType") == "warning":
                out[f]["warnings"] += 1
            else:
                continue
            out[f]["messages"].append("vnu %s: %s" % (m.get("type"), m.get("message", "")[:160]))
        return out

    def jing(self, files):
        schema = os.path.join(self.shared, "schemas", "tei_all.rng")
        if not (self.need("jing", "jing", "apt-get install jing")
                and self.need("tei_all.rng", schema, "the ../shared folder")):
            return {}
        p = subprocess.run(["jing", schema] + files, capture_output=True, text=True)
        out = {f: {"name": "jing", "errors": 0, "warnings": 0, "messages": []} for f in files}
        for line in (p.stdout + p.stderr).splitlines():
            m = re.match(r"(.+?):\d+:\d+: (error|fatal|warning): (.*)", line)
            if m and m.group(1) in out:
                key = "warnings" if m.group(2) == "warning" else "errors"
                out[m.group(1)][key] += 1
                out[m.group(1)]["messages"].append("jing: " + m.group(3)[:160])
        if p.returncode != 0 and not any(v["errors"] for v in out.values()):
            raise SystemExit("FAIL: jing failed without naming a file: " + (p.stdout + p.stderr)[-500:])
        return out

    def epubcheck(self, files):
        jar = os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
        if not (self.need("java", "java", "apt-get install default-jre-headless")
                and self.need("EPUBCheck", jar, "apt-get install epubcheck")):
            return {}
        p = subprocess.run(["java", "-cp", jar, os.path.join(HERE, "EpubCheckBatch.java")] + files,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out, pending = {}, []
        for line in p.stdout.splitlines():
            parts = line.split("\t")
            if parts[0] == "EPUBCHECK" and len(parts) == 5:
                fatal, err, warn = map(int, parts[2:])
                out[parts[1]] = {"name": "epubcheck", "errors": fatal + err, "warnings": warn,
                                 "messages": ["epubcheck: " + m[:160] for m in pending if
                                              m.startswith(("ERROR", "FATAL", "WARNING"))]}
                pending = []
            else:
                pending.append(line)
        missing = [f for f in files if f not in out]
        if missing:
            raise SystemExit("FAIL: EPUBCheck gave no verdict on %s: %s" % (missing, p.stdout[-500:]))
        return out

    def epubcheck_ts(self, files):
        modules = self.validators_dir()
        if not (self.need("node", "node", "apt-get install nodejs")
                and self.need("epubcheck-ts", os.path.join(modules, "@likecoin", "epubcheck-ts"),
                              "scripts/install-validators.sh")):
            return {}
        p = subprocess.run(["node", os.path.join(HERE, "epubcheck_ts_batch.mjs"), modules] + files,
                           capture_output=True, text=True)
        out = {}
        for line in p.stdout.splitlines():
            v = json.loads(line)
            out[v["path"]] = {"name": "epubcheck-ts", "errors": v["fatal"] + v["error"],
                              "warnings": v["warning"], "messages": ["epubcheck-ts " + m[:160] for m in v["messages"]]}
        missing = [f for f in files if f not in out]
        if missing:
            raise SystemExit("FAIL: epubcheck-ts gave no verdict on %s: %s" % (missing, p.stderr[-500:]))
        return out

    def validators_dir(self):
        return os.path.join(os.environ.get("DOCPIPE_VALIDATORS_DIR", os.path.join(REPO, ".validators")),
                            "node_modules")


# ---------------------------------------------------------------- figures

def figures(r, validators):
    """The figures of one row that have floors: name -> (value, kind)."""
    f = {"recall": (r["recall"], "min")}
    for k in COUNTS:
        src = r["src_counts"][k]
        if src:
            f[k] = (round(100.0 * min(src, r["out_counts"][k]) / src, 2), "min")
    # No verdict: the validator is not installed (outside CI, said once).
    if validators and r["out_fmt"] != "md" and r["validator"] is not None:
        f["validator_errors"] = (r["validator"]["errors"], "max")
        f["validator_warnings"] = (r["validator"]["warnings"], "max")
    return f


def check_floors(results, gfm, floors, validators):
    failures = []
    rows = floors.get("samples", {})
    for r in results:
        key = r["sample"] + " " + r["pair"]
        floor = rows.get(key)
        if floor is None:
            failures.append(f"{key}: no floor recorded in floors.json")
            continue
        for name, (value, kind) in figures(r, validators).items():
            if name not in floor:
                failures.append(f"{key}: {name} = {value}: no floor recorded")
            elif kind == "min" and value < floor[name]:
                failures.append(f"{key}: {name} {value} is below its floor {floor[name]}"
                                + (f" (missing: {r['missing']})" if name == "recall" else ""))
            elif kind == "max" and value > floor[name]:
                msgs = "; ".join((r["validator"] or {}).get("messages", [])[:3])
                failures.append(f"{key}: {name} {value} is above its ceiling {floor[name]} ({msgs})")
        if not r["ok"]:
            failures.append(f"{key}: conversion failed: {r['message']}")
    if gfm is not None:
        for name in ("md>html", "md>tei>md"):
            floor = floors.get("gfm", {}).get(name, {}).get("floor")
            if floor is None or gfm[name] < floor:
                failures.append(f"GFM spec {name}: {gfm[name]}% is below its floor {floor}")
        if "tei_invalid" in gfm:
            ceiling = floors.get("gfm", {}).get("tei invalid", {}).get("ceiling")
            if ceiling is None or len(gfm["tei_invalid"]) > ceiling:
                failures.append("GFM spec TEI: %d files invalid against tei_all, above the ceiling %s (%s)"
                                % (len(gfm["tei_invalid"]), ceiling, "; ".join(gfm["tei_invalid"][:3])))
    return failures


def raise_floors(results, gfm, floors, validators):
    rows = floors.setdefault("samples", {})
    for r in results:
        key = r["sample"] + " " + r["pair"]
        floor = rows.setdefault(key, {"reason": "(write the reason)"})
        for name, (value, kind) in figures(r, validators).items():
            if name not in floor:
                floor[name] = value
            elif kind == "min":
                floor[name] = max(floor[name], value)
            else:
                floor[name] = min(floor[name], value)
    if gfm is not None:
        for name in ("md>html", "md>tei>md"):
            g = floors.setdefault("gfm", {}).setdefault(name, {"reason": "(write the reason)"})
            g["floor"] = max(g.get("floor", 0), gfm[name])
        if "tei_invalid" in gfm:
            g = floors.setdefault("gfm", {}).setdefault("tei invalid", {"reason": "(write the reason)"})
            g["ceiling"] = min(g.get("ceiling", len(gfm["tei_invalid"])), len(gfm["tei_invalid"]))
    with open(FLOORS, "w", encoding="utf-8") as f:
        json.dump(floors, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- table

def cell_counts(r):
    parts = []
    for k, short in zip(COUNTS, ["n", "t", "i", "l", "m", "h", "li"]):
        s, o = r["src_counts"][k], r["out_counts"][k]
        if s or o:
            parts.append(f"{short} {s}" + ("" if s == o else f"→{o}"))
    return " ".join(parts)


def cell_validator(r, validators):
    if r["out_fmt"] == "md":
        return "—"
    if not validators:
        return "not run"
    v = r["validator"]
    if v is None:
        return "n/a"
    return ("valid" if not v["errors"] and not v["warnings"] else f"{v['errors']} E {v['warnings']} W") \
        + f" ({v['name']})"


def table(results, gfm, validators, elapsed):
    lines = ["| sample | pair | recall % | counts: source→output | docpipe warnings | validator |",
             "|---|---|---:|---|---:|---|"]
    for r in results:
        lines.append("| %s | %s | %.2f%s | %s | %d | %s |" % (
            r["sample"], r["pair"], r["recall"], "" if r["ok"] else " (failed)", cell_counts(r),
            r["warnings"], cell_validator(r, validators)))
    out = "\n".join(lines)
    if results:
        full = sum(1 for r in results if r["recall"] >= 100)
        validated = [r["validator"] for r in results if r["validator"]]
        valid = sum(1 for v in validated if not v["errors"] and not v["warnings"])
        out += ("\n\n%d rows: %d at 100%% recall, lowest %.2f%%; %d outputs validated: %d valid, %d with errors "
                "(%d errors), %d with warnings only (%d warnings)." % (
                    len(results), full, min(r["recall"] for r in results), len(validated), valid,
                    sum(1 for v in validated if v["errors"]), sum(v["errors"] for v in validated),
                    sum(1 for v in validated if v["warnings"] and not v["errors"]),
                    sum(v["warnings"] for v in validated)))
    if gfm is not None:
        out += ("\n\nGFM spec 0.29, %d examples: cmark-gfm's rendering equals the spec's on %.2f%%; "
                "docpipe md>html equals cmark-gfm on %.2f%%, md>tei>md (rendered by cmark-gfm) on %.2f%%.\n"
                "\n- md>html differs: %s\n- md>tei>md differs: %s\n" % (
                    gfm["examples"], gfm["control"], gfm["md>html"], gfm["md>tei>md"],
                    gfm_spec.by_section(gfm["html_failures"]), gfm_spec.by_section(gfm["rt_failures"])))
        if "tei_invalid" in gfm:
            out += "- TEI invalid against tei_all (jing): %d of %d%s\n" % (
                len(gfm["tei_invalid"]), gfm["examples"],
                (": " + "; ".join(gfm["tei_invalid"][:5])) if gfm["tei_invalid"] else "")
    return out


DOC_HEAD = """# Fidelity on documents written by others

Generated by `python3 tests/corpus/corpus.py build/bin/docpipe . --write-doc` (the ctest
targets `corpus.samples` and `corpus.gfm-spec` print the same table and hold every figure at its
floor in `tests/corpus/floors.json`; a floor below 100% names its reason there). Inputs:
`../shared/samples/` (see its SOURCES.md).

How the figures are measured (`tests/corpus/text_extract.py`, one extractor for every format):

- **recall**: the share of the source's words (a multiset) found in the output. Markdown is
  rendered by the cmark-gfm command first (so markup characters are never words; a leading YAML
  front matter mapping is metadata); HTML is its `<body>`; EPUB its spine documents without the
  nav; TEI everything but the `<teiHeader>`. Punctuation and symbols separate words; block
  boundaries separate words, inline elements do not; note labels and back links are not words;
  image alt text is (TEI's figDesc). Metadata is outside the comparison in every format.
- **counts** (source→output, shown when they differ): n notes (references), t tables, i images,
  l links, m math, h headings, li list items (not note lists).
- **pairs**: `md`, `html`, `epub`, `tei` are direct conversions; `tei>X` is X → TEI → X;
  `epub>md` is X → EPUB → Markdown.
- **validator**: Nu (vnu) for HTML, EPUBCheck 4.2.6 + epubcheck-ts for EPUB, jing tei_all for
  TEI; E errors, W warnings (summed over the validators named).
- **docpipe warnings**: the `docpipe: warning:` lines of the conversion(s).

"""


def gfm_tei_validity(corpus, gfm, tei_dir):
    """gfm["tei_invalid"]: the examples whose TEI jing rejects (one JVM for
    all of them), with the first message; left out when jing is absent."""
    files = sorted(os.path.join(tei_dir, f) for f in os.listdir(tei_dir) if f.endswith(".tei.xml")) \
        if os.path.isdir(tei_dir) else []
    verdicts = corpus.jing(files) if files else {}
    if verdicts:
        gfm["tei_invalid"] = ["%s %s" % (os.path.basename(f).split(".")[0], (v["messages"] or [""])[0][:100])
                              for f, v in sorted(verdicts.items()) if v["errors"]]


def main():
    global REPO
    args = sys.argv[1:]
    if "--help" in args or "-h" in args:
        print(__doc__)
        return 0
    opts = {"part": "all", "jobs": "2", "keep": None, "only": None}
    flags = set()
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--part", "--jobs", "--keep", "--only"):
            opts[a[2:]] = args[i + 1]
            i += 2
            continue
        if a.startswith("--"):
            flags.add(a)
        else:
            rest.append(a)
        i += 1
    if len(rest) != 2:
        print(__doc__)
        return 2
    if opts["only"] and "--write-doc" in flags:
        print("--only measures part of the corpus: --write-doc would write a partial table")
        return 2
    docpipe, REPO = os.path.abspath(rest[0]), os.path.abspath(rest[1])
    shared = os.environ.get("DOCPIPE_SHARED_DIR") or os.path.join(REPO, "..", "shared")
    if not os.path.isdir(os.path.join(shared, "samples")):
        print(f"SKIP: no samples at {os.path.join(shared, 'samples')} (the ../shared folder beside the "
              "repository, or DOCPIPE_SHARED_DIR): the corpus test has nothing to read")
        return 77
    validators = "--no-validators" not in flags
    work = opts["keep"] or tempfile.mkdtemp(prefix="dp-corpus-")
    os.makedirs(work, exist_ok=True)
    started = time.time()
    results, gfm = [], None
    if opts["part"] in ("samples", "all"):
        results = Corpus(docpipe, shared, work, int(opts["jobs"]), validators, opts["only"]).run()
    if opts["part"] in ("gfm", "all"):
        spec = os.path.join(shared, "samples", "markdown", "gfm-spec-0.29.txt")
        gfm = gfm_spec.run(docpipe, spec, os.path.join(work, "gfm"), int(opts["jobs"]))
        if validators:
            gfm_tei_validity(Corpus(docpipe, shared, work, int(opts["jobs"]), validators), gfm,
                             os.path.join(work, "gfm", "out", "tei"))
    elapsed = time.time() - started
    print(table(results, gfm, validators, elapsed))
    with open(FLOORS, encoding="utf-8") as f:
        floors = json.load(f)
    if "--raise-floors" in flags:
        raise_floors(results, gfm, floors, validators)
        print(f"floors raised where measured higher: {FLOORS}")
    if "--write-doc" in flags:
        with open(os.path.join(REPO, "docs", "FIDELITY.md"), "w", encoding="utf-8") as f:
            f.write(DOC_HEAD + table(results, gfm, validators, elapsed) + "\n")
        print("written: docs/FIDELITY.md")
    failures = check_floors(results, gfm, floors, validators)
    # Missing words of rows below 100%, for whoever raises a floor.
    for r in results:
        if r["recall"] < 100 and r["missing"]:
            print(f"missing in {r['sample']} {r['pair']}: {r['missing']}")
    print(f"{len(results)} rows measured in {elapsed:.0f} s" + ("" if validators else " (validators not run)"))
    if not opts["keep"]:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAIL: %d figure(s) below their floors:" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("every figure is at or above its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
