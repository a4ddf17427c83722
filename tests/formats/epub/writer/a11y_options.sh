#!/bin/sh
# a11y_options.sh CLI SPEECH WORKDIR: the accessibility metadata is
# overridable from a config (lists and strings), and the overrides are what
# the package document says.
set -u
cli=$1 speech=$2 workdir=$3
rm -rf "$workdir"
mkdir -p "$workdir" || exit 1
cp "$speech" "$workdir/speech.md" || exit 1
cat >"$workdir/a11y.yaml" <<'YAML'
version: 1
jobs:
  - name: a11y
    input: speech.md
    outputs:
      - path: out.epub
        format: epub
        options:
          access-mode: [textual]
          accessibility-features: [structuralNavigation, tableOfContents, ARIA]
          accessibility-hazards: [noFlashingHazard, noSoundHazard, noMotionSimulationHazard]
          accessibility-summary: "A summary given in the config."
          conforms-to: ""
YAML
SOURCE_DATE_EPOCH=1700000000 "$cli" run "$workdir/a11y.yaml" -q || exit 1
python3 - "$workdir/out.epub" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
opf = ET.fromstring(z.read("EPUB/package.opf"))
ns = {"opf": "http://www.idpf.org/2007/opf"}
got = {}
for m in opf.findall("opf:metadata/opf:meta", ns):
    if m.get("property"):
        got.setdefault(m.get("property"), []).append(m.text)
want = {
    "schema:accessMode": ["textual"],
    "schema:accessibilityFeature": ["structuralNavigation", "tableOfContents", "ARIA"],
    "schema:accessibilityHazard": ["noFlashingHazard", "noSoundHazard", "noMotionSimulationHazard"],
    "schema:accessibilitySummary": ["A summary given in the config."],
    "schema:accessModeSufficient": ["textual"],
}
bad = [k for k in want if got.get(k) != want[k]]
if "dcterms:conformsTo" in got:
    bad.append("dcterms:conformsTo (set to '' in the config)")
for k in bad:
    print("a11y_options: %s: %r, want %r" % (k, got.get(k), want.get(k)))
sys.exit(1 if bad else 0)
PY
