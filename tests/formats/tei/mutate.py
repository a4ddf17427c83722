#!/usr/bin/env python3
"""mutate.py CLI OUTDIR FILE...: feeds docpipe's TEI reader well-formed but
structurally scrambled TEI (elements wrapped, moved and inserted at random,
fixed seed) and checks every run ends cleanly: exit 0, or a one-line
"docpipe: error:" — never a crash, a hang, or a sanitizer report."""
import copy
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

T = "{http://www.tei-c.org/ns/1.0}"
NAMES = ["p", "note", "hi", "list", "item", "table", "row", "cell", "figure", "quote", "q", "lg", "l", "sp",
         "speaker", "div", "head", "ref", "foreign", "choice", "sic", "corr", "label", "ab", "seg", "persName",
         "eg", "formula", "lb", "pb", "milestone", "gap", "del", "add", "anchor", "trailer", "titlePage", "front",
         "back", "body", "noteGrp", "graphic", "figDesc"]


def main(argv):
    cli, outdir, files = argv[1], argv[2], argv[3:]
    ET.register_namespace("", "http://www.tei-c.org/ns/1.0")
    rnd = random.Random(20261129)
    trees = [ET.parse(f) for f in files]
    os.makedirs(outdir, exist_ok=True)
    bad = 0
    runs = 0
    for i in range(120):
        t = copy.deepcopy(rnd.choice(trees))
        text = t.getroot().find(T + "text")
        if text is None:
            continue
        for _ in range(rnd.randint(1, 6)):
            els = list(text.iter())
            a = rnd.choice(els)
            op = rnd.random()
            if op < 0.3:
                n = ET.Element(T + rnd.choice(NAMES))
                if rnd.random() < 0.4:
                    n.set("rend", rnd.choice(["bold italic", "h3", "numbered", "foot", "align-center", "display"]))
                if rnd.random() < 0.3:
                    n.set("n", str(rnd.randint(1, 9)))
                if rnd.random() < 0.2:
                    n.set("target", "#" + rnd.choice(["n1", "a1", "note-1", "x"]))
                n.text, a.text = a.text, None
                for c in list(a):
                    a.remove(c)
                    n.append(c)
                a.append(n)
            elif op < 0.6:
                b = rnd.choice(els)
                parent = {c: p for p in text.iter() for c in p}
                if a in parent and not any(x is a for x in b.iter()):
                    parent[a].remove(a)
                    b.append(a)
            else:
                n = ET.SubElement(a, T + rnd.choice(NAMES))
                n.text = rnd.choice(["word", "", " ", "中文"])
                if rnd.random() < 0.3:
                    n.set("{http://www.w3.org/XML/1998/namespace}id", rnd.choice(["n1", "a1", "x"]))
        path = os.path.join(outdir, f"m{i:03d}.xml")
        t.write(path, encoding="utf-8", xml_declaration=True)
        runs += 1
        try:
            p = subprocess.run([cli, path, "-o", path + ".tei"], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"{path}: timeout")
            bad += 1
            continue
        err = p.stderr
        if "Sanitizer" in err or "runtime error" in err or p.returncode < 0 or p.returncode >= 124:
            print(f"{path}: exit {p.returncode}\n{err[-2000:]}")
            bad += 1
        elif p.returncode != 0 and "docpipe: error:" not in err:
            print(f"{path}: exit {p.returncode} without an error message")
            bad += 1
    print(f"{runs} scrambled inputs, {bad} bad runs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
