#!/usr/bin/env python3
"""Transform tests: run docpipe with -T / configs on small Markdown inputs and
check the resulting JSON tree (docs/TREE.md). Usage: test_transforms.py DOCPIPE CASE"""
import json, os, subprocess, sys, tempfile

DOCPIPE, CASE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="dp-tf-")


def run(md, *args, expect=0):
    p = subprocess.run([DOCPIPE, "-f", "md", "-t", "json", *args], input=md.encode(),
                       capture_output=True)
    if p.returncode != expect:
        sys.exit(f"docpipe {' '.join(args)} exited {p.returncode}, expected {expect}\n{p.stderr.decode()}")
    return (json.loads(p.stdout) if expect == 0 else None), p.stderr.decode()


def run_config(md, transforms_yaml):
    src = os.path.join(TMP, "in.md")
    with open(src, "w") as f:
        f.write(md)
    cfg = os.path.join(TMP, "c.yaml")
    with open(cfg, "w") as f:
        f.write("jobs:\n  - input: in.md\n    transforms:\n" + transforms_yaml + "    outputs: [out.json]\n")
    p = subprocess.run([DOCPIPE, "run", cfg, "-q"], capture_output=True)
    if p.returncode != 0:
        sys.exit(f"config run failed ({p.returncode}): {p.stderr.decode()}")
    with open(os.path.join(TMP, "out.json")) as f:
        return json.load(f)


def nodes(tree, kind=None):
    """Every node dict of the body, depth first, optionally of one kind."""
    out, stack = [], [tree["body"]]
    while stack:
        n = stack.pop()
        if kind is None or n.get("t") == kind:
            out.append(n)
        stack.extend(reversed(n.get("c", [])))
    return out


def text(n):
    return "".join(x.get("text", "") for x in nodes({"body": n}) if x.get("t") == "text")


def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def case_lang_detect():
    tree, _ = run("Cyber superpower (网络强国) and Привет мир, or 東京へ行く; <span lang=\"zh\">已标记</span>.\n",
                  "-T", "lang-detect")
    spans = {text(s): s.get("lang") for s in nodes(tree, "span")}
    check(spans.get("网络强国") == "zh", f"Han run not tagged zh: {spans}")
    check(spans.get("Привет мир") == "ru", f"Cyrillic run (with its inner space) not tagged ru: {spans}")
    check(spans.get("東京へ行く") == "ja", f"Han+Kana run not tagged ja: {spans}")
    check(list(spans.values()).count("zh") == 2, f"text already marked zh was wrapped again: {spans}")
    # A config map overrides the language; an empty language disables a script.
    tree = run_config("Words 网络强国 and Привет.\n",
                      "      - name: lang-detect\n        options: {map: [Han=zh-Hant, Cyrillic=]}\n")
    spans = {text(s): s.get("lang") for s in nodes(tree, "span")}
    check(spans == {"网络强国": "zh-Hant"}, f"map option not applied: {spans}")
    # A document already in Chinese: Han text is not foreign there.
    tree, _ = run("---\nlanguage: zh\n---\n\n网络强国 and English.\n", "-T", "lang-detect")
    check(not nodes(tree, "span"), "Han text tagged in a zh document")


def case_notes():
    tree, err = run("Power[1] and more[2] text[9].\n\nOther.\n\n[1]\u00a0First note.\n\n[2] Second *note*.\n\n"
                    "[3] Orphan note.\n", "-T", "notes")
    notes = nodes(tree, "note")
    check([n.get("label") for n in notes] == ["1", "2"], f"labels {[n.get('label') for n in notes]}")
    check(text(notes[0]) == "First note.", f"note 1 text {text(notes[0])!r}")
    check(nodes({"body": notes[1]}, "emph"), "formatting inside the note lost")
    check("[9]" in text(tree["body"]), "a marker without a note must stay as text")
    check("Orphan note" in text(tree["body"]) and "[3]" in err, "orphan note must stay and be reported")
    # Many notes: no fixed-size table may cut the list short.
    many = " ".join(f"w{i}[{i}]" for i in range(1, 101)) + "\n\n" + "".join(f"[{i}] n{i}\n\n" for i in range(1, 101))
    tree, _ = run(many, "-T", "notes")
    check([n.get("label") for n in nodes(tree, "note")] == [str(i) for i in range(1, 101)], "100 notes")
    tree, _ = run("A[^x] b[^y].\n\n[^x]: one\n[^y]: two\n", "-T", "notes", "-O", "mode=renumber")
    check([n.get("label") for n in nodes(tree, "note")] == ["1", "2"], "renumber")


def case_ids():
    tree, _ = run("# First Principles\n\n# First Principles\n\n## 2021 plan\n\n# 网络强国\n", "-T", "ids")
    ids = [h.get("id") for h in nodes(tree, "heading")]
    check(ids == ["first-principles", "first-principles-2", "section-2021-plan", "网络强国"], f"ids {ids}")
    # Punctuation outside ASCII (curly quotes, dashes, ellipsis) is not an XML
    # name character: it separates words like ASCII punctuation, so the id
    # stays an NCName (TEI xml:id); a leading combining mark gets "section-".
    tree, _ = run("# Xi\u2019s \u2018Strive\u2019 \u2014 2024\u2026\n\n# \u0301Accent\n\n# caf\u00e9\n", "-T", "ids")
    ids = [h.get("id") for h in nodes(tree, "heading")]
    check(ids == ["xi-s-strive-2024", "section-\u0301accent", "caf\u00e9"], f"ids {ids}")


def case_toc():
    tree, _ = run("# One\n\n## One.A\n\n# Two\n\n### Deep\n", "-T", "toc", "-O", "depth=2")
    div = tree["body"]["c"][0]
    check(div.get("t") == "div" and div.get("id") == "toc", "toc div not first")
    links = [(l.get("url"), text(l)) for l in nodes({"body": div}, "link")]
    check(links == [("#one", "One"), ("#one-a", "One.A"), ("#two", "Two")], f"toc links {links}")


def case_number_sections():
    tree, _ = run("## A\n\n### B\n\n### C\n\n## D {.x}\n", "-T", "number-sections")
    nums = [text(h).split(" ")[0] for h in nodes(tree, "heading")]
    check(nums[:3] == ["1", "1.1", "1.2"] and nums[3] == "2", f"numbers {nums}")


def case_shift_headings():
    tree, err = run("# A\n\n###### F\n", "-T", "shift-headings", "-O", "by=1")
    levels = [h.get("level") for h in nodes(tree, "heading")]
    check(levels == [2, 6], f"levels {levels}")
    check("out of range" in err, "clamping not reported")


def case_metadata():
    tree = run_config("---\ntitle: T\nrights: old\n---\n\nx\n",
                      "      - name: metadata\n        options: {set: [publisher=DigiChina, source.url=http://x], "
                      "remove: [rights]}\n")
    meta = json.dumps(tree["meta"])
    check("DigiChina" in meta and "http://x" in meta and "old" not in meta, f"meta {meta}")


def case_strip():
    tree = run_config("a <b>raw</b>\n\n<div>blk</div>\n\nkeep\n",
                      "      - name: strip\n        options: {kinds: [raw_block, raw_inline]}\n")
    check(not nodes(tree, "raw_block") and not nodes(tree, "raw_inline"), "raw nodes not stripped")
    check("keep" in text(tree["body"]), "other text lost")


def case_smart_quotes():
    tree, _ = run("\"Hi,\" she said -- it's 'done'... `\"code\"`\n", "-T", "smart-quotes")
    t = text(tree["body"])
    check(t.startswith("\u201cHi,\u201d she said \u2013 it\u2019s \u2018done\u2019\u2026"), repr(t))
    check(any(n.get("text") == "\"code\"" for n in nodes(tree, "code")), "code was changed")


def case_seed():
    """The seed text itself: five notes with labels 1..5 at their markers,
    every Chinese term tagged zh, including the quotation inside note 2."""
    shared = os.environ.get("DOCPIPE_SHARED_DIR", "")
    seed = os.path.join(shared, "speech", "speech-seed.txt")
    if not os.path.exists(seed):
        print(f"SKIP: no seed at {seed}")
        sys.exit(77)
    with open(seed, encoding="utf-8") as f:
        tree, _ = run(f.read(), "-T", "notes", "-T", "lang-detect", "-M", "language=en")
    notes = nodes(tree, "note")
    check([n.get("label") for n in notes] == ["1", "2", "3", "4", "5"], "seed notes")
    zh = [text(s) for s in nodes(tree, "span") if s.get("lang") == "zh"]
    for term in ["世界科技强国", "力", "动力", "供给侧结构性改革", "自主创新", "网络强国", "力,刑之所以奮也。"]:
        check(term in zh, f"{term} not tagged zh: {zh}")
    check(any(s.get("lang") == "zh" for s in nodes({"body": notes[1]}, "span")), "note 2 quotation untagged")


def case_filter():
    upper = os.path.join(TMP, "upper.py")
    with open(upper, "w") as f:
        f.write("import json, sys\nt = json.load(sys.stdin)\nstack = [t['body']]\nwhile stack:\n"
                "    n = stack.pop()\n    if n.get('t') == 'text': n['text'] = n['text'].upper()\n"
                "    stack.extend(n.get('c', []))\nt['meta']['title'] = 'Filtered'\njson.dump(t, sys.stdout)\n")
    tree, _ = run("---\ntitle: T\n---\n\nhello *world*\n", "-T", "filter", "-O", f"command={sys.executable}",
                  "-O", f"args={upper}")
    check(text(tree["body"]) == "HELLO WORLD", "filter result not read back: " + text(tree["body"]))
    check(tree["meta"].get("title") == "Filtered", f"filter metadata not read back: {tree['meta']}")
    _, err = run("x\n", "-T", "filter", "-O", "command=false", expect=5)
    check("filter 'false' failed (exit status 1)" in err, err)
    _, err = run("x\n", "-T", "filter", "-O", "command=echo", "-O", "args=garbage", expect=3)
    check("output of filter 'echo':1:1" in err, err)
    _, err = run("x\n", "-T", "filter", "-O", "command=sleep", "-O", "args=20", "-O", "timeout=1", expect=5)
    check("did not finish within 1 s" in err, err)
    _, err = run("x\n", "-T", "filter", "-O", "command=/nonexistent/prog", expect=5)
    check("exit status 127" in err and "cannot run" in err, err)


globals()["case_" + CASE]()
print("ok", CASE)
