#!/bin/sh
# A 1000-file batch run as 4 shards with GNU parallel (as on 4 machines, see
# docs/SCALING.md) must write exactly what a single run writes, byte for byte.
# Usage: shard_parallel.sh DOCPIPE TMP [NFILES]
set -eu
docpipe=$1 tmp=$2 nfiles=${3:-1000}
command -v parallel >/dev/null || { echo "GNU parallel missing (scripts/install-deps.sh --tests): skip"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing: skip"; exit 77; }
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$tmp"
export DOCPIPE_CACHE_DIR="$tmp/cache"

# 1000 small Markdown files, 10 directories deep at most, each different
python3 - "$nfiles" <<'PY'
import os, sys
n = int(sys.argv[1])
for i in range(n):
    d = os.path.join("in", "d%02d" % (i % 17), *(["sub%d" % (i % 3)] * (i % 4)))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%04d.md" % i), "w") as f:
        f.write("---\ntitle: File %d\n---\n\n# File %d\n\nParagraph *%d* with a [link](https://example.org/%d).\n\n"
                "- item %d\n- item %d\n\nA note.[^1]\n\n[^1]: Note of file %d.\n" % (i, i, i, i, i, i * 7, i))
PY
for which in single sharded; do
    cat >"$which.yaml" <<YAML
jobs:
  - input: "in/**/*.md"
    output-dir: out-$which
    outputs: ["{dir}/{stem}.html", "{dir}/{stem}.json"]
YAML
done

t0=$(date +%s%N)
"$docpipe" run single.yaml -q --report single.jsonl
t1=$(date +%s%N)
# 4 shards, 2 at a time (this machine has 2 cores), as GNU parallel would run
# them on 4 hosts with --sshlogin
parallel --will-cite --halt now,fail=1 -j 2 "$docpipe" run sharded.yaml -q --shard {}/4 --report shard{}.jsonl ::: 1 2 3 4
t2=$(date +%s%N)

python3 - "$nfiles" <<'PY'
import json, os, sys
n = int(sys.argv[1])
fails = []
stamps = {}
def tree(root):
    """The outputs under root; the up-to-date stamps beside them (.NAME.dpstamp,
    which name the config's job and so differ between the two configs) are
    counted apart."""
    out = {}
    stamps[root] = 0
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.startswith(".") and f.endswith(".dpstamp"):
                stamps[root] += 1
                continue
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out
single, sharded = tree("out-single"), tree("out-sharded")
for root in ("out-single", "out-sharded"):
    if stamps[root] != 2 * n:
        fails.append("%s: %d stamps, expected one per output (%d)" % (root, stamps[root], 2 * n))
if len(single) != 2 * n:
    fails.append("single run wrote %d files, expected %d" % (len(single), 2 * n))
if single.keys() != sharded.keys():
    fails.append("file sets differ: %d only single, %d only sharded" % (len(single.keys() - sharded.keys()),
                                                                     len(sharded.keys() - single.keys())))
diff = [k for k in single if k in sharded and single[k] != sharded[k]]
if diff:
    fails.append("%d files differ, e.g. %s" % (len(diff), diff[:3]))
seen = []
for k in range(1, 5):
    rows = [json.loads(l) for l in open("shard%d.jsonl" % k)]
    if not rows:
        fails.append("shard %d/4 is empty" % k)
    if any(r["status"] != "ok" for r in rows):
        fails.append("shard %d/4 has failures" % k)
    seen += [os.path.relpath(r["input"], os.getcwd()) for r in rows]
    print("shard %d/4: %d inputs" % (k, len(rows)))
if len(seen) != n or len(set(seen)) != n:
    fails.append("shards cover %d inputs (%d distinct), expected %d once each" % (len(seen), len(set(seen)), n))
for f in fails:
    print("FAIL:", f)
print("%d outputs compared byte for byte" % len(single))
sys.exit(1 if fails else 0)
PY
echo "single run: $(( (t1 - t0) / 1000000 )) ms; 4 shards via GNU parallel -j 2: $(( (t2 - t1) / 1000000 )) ms"
echo ok
