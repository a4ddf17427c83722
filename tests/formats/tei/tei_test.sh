#!/bin/sh
# tei_test.sh TEST CLI SOURCE_DIR SHARED_DIR WORK_DIR
# One ctest test of the TEI plugin per TEST name (see CMakeLists.txt).
# Exit 0 pass, 1 fail, 77 skip (something this test needs is absent).
set -u
test_name=$1
cli=$2
src=$3
shared=$4
work=$5/$test_name

here=$src/tests/formats/tei
validate=$src/tests/common/validate.sh
seed=$src/tests/common/seed_words.py
check=$here/tei_check.py
speech=$src/samples/speech.md

rm -rf "$work"
mkdir -p "$work" || exit 1
cd "$work" || exit 1

fail=0
failed() {
    echo "FAIL: $*"
    fail=1
}
skip() {
    echo "SKIP: $*"
    exit 77
}
# run CMD...: runs docpipe, printing its messages; records a failure on a non-zero exit.
run() {
    echo "+ docpipe $*"
    "$cli" "$@" || { failed "docpipe $* exited $?"; return 1; }
}
# valid KIND FILE...: the validator must accept; a missing validator skips the test.
valid() {
    kind=$1
    shift
    "$validate" "$kind" "$@"
    rc=$?
    [ $rc -eq 77 ] && skip "validator for $kind not installed"
    [ $rc -eq 0 ] || failed "$kind validation of $*"
}
# can_write FORMAT: the CLI knows an exporter for FORMAT.
can_write() {
    "$cli" formats 2>/dev/null | awk -v f="$1" '$1 == f && $3 == "yes" { ok = 1 } END { exit !ok }'
}
can_read() {
    "$cli" formats 2>/dev/null | awk -v f="$1" '$1 == f && $2 == "yes" { ok = 1 } END { exit !ok }'
}
need_speech() {
    [ -f "$speech" ] || skip "samples/speech.md is absent"
}
# seed_kept FILE WHAT [--in-order]: every word of the speech seed is in FILE.
# Without the seed (no ../shared) the test's other checks still run, and a
# test that fails none of them ends as a skip, not a pass.
absent=
seed_kept() {
    file=$1
    what=$2
    shift 2
    python3 "$seed" "$file" "$@"
    rc=$?
    if [ $rc -eq 77 ]; then
        absent="the speech seed (../shared/speech)"
    elif [ $rc -ne 0 ]; then
        failed "seed words lost in $what"
    fi
}

case $test_name in

samples-import)
    # The TEI Consortium's test files: they import without error, every word
    # of their <text> survives (in the tree and in the TEI written back), and
    # the TEI written back is valid against tei_all.
    ls "$shared"/samples/tei/*.xml >/dev/null 2>&1 || skip "$shared/samples/tei is absent"
    outs=
    for f in "$shared"/samples/tei/*.xml; do
        b=$(basename "$f" .xml)
        run "$f" -o "$b.tei" || continue
        python3 "$check" text "$f" "$b.tei" || failed "$b: words lost"
        if can_write json; then
            run "$f" -t json -o "$b.json" && { python3 "$check" tree-text "$f" "$b.json" || failed "$b: words lost in the tree"; }
        else
            echo "(json exporter not built: tree comparison of $b skipped; the TEI written back is compared)"
        fi
        outs="$outs $b.tei"
    done
    # shellcheck disable=SC2086
    [ -n "$outs" ] && valid tei $outs
    ;;

own-roundtrip)
    # TEI written for this test (valid P5): tei -> tree -> tei is valid, keeps
    # every element with its attributes and every word, and a second pass
    # gives the same bytes.
    for f in "$here"/data/*.xml; do
        b=$(basename "$f" .xml)
        valid tei "$f"
        run "$f" -o "$b.1.tei" || continue
        run "$b.1.tei" -o "$b.2.tei" || continue
        valid tei "$b.1.tei"
        python3 "$check" elements "$f" "$b.1.tei" || failed "$b: elements not kept"
        cmp "$b.1.tei" "$b.2.tei" || failed "$b: second round trip differs"
    done
    ;;

own-lite)
    # The same files with profile: lite are valid TEI Lite and keep their words.
    for f in "$here"/data/*.xml; do
        b=$(basename "$f" .xml)
        run "$f" -O profile=lite -o "$b.lite.tei" || continue
        valid tei-lite "$b.lite.tei"
        python3 "$check" text "$f" "$b.lite.tei" || failed "$b: words lost in the lite profile"
    done
    ;;

other-inputs)
    # P4, a bare fragment and un-namespaced TEI are read with a warning that
    # says so; what is written from them is valid P5 with all their words.
    for f in "$here"/inputs/*.xml; do
        b=$(basename "$f" .xml)
        "$cli" "$f" -o "$b.tei" 2>"$b.err"
        rc=$?
        cat "$b.err"
        [ $rc -eq 0 ] || { failed "$b: exit $rc"; continue; }
        case $b in
        p4) grep -q "P4" "$b.err" || failed "$b: no P4 warning" ;;
        fragment) grep -q "fragment" "$b.err" || failed "$b: no fragment warning" ;;
        no-namespace) grep -q "namespace" "$b.err" || failed "$b: no namespace warning" ;;
        *) [ -s "$b.err" ] && failed "$b: unexpected warnings" ;;
        esac
        order=
        [ "$b" = endnotes ] && order=--any-order
        python3 "$check" text "$f" "$b.tei" $order || failed "$b: words lost"
        valid tei "$b.tei"
    done
    grep -q 'xml:id="c1"' p4.tei || failed "p4: id not read as xml:id"
    grep -q '<foreign xml:lang="la">' p4.tei || failed "p4: lang not read as xml:lang"
    # a TEI element with no generic mapping comes back as itself; a name TEI
    # does not define cannot (the output would be invalid): seg type=, reported
    grep -q '<persName ref="#ada">Ada</persName>' no-namespace.tei || failed "persName not written back as itself"
    grep -q '<seg type="unknownThing">unknown element</seg>' no-namespace.tei || failed "unknownThing not kept as seg"
    grep -q "unknownThing.*not a TEI element" no-namespace.err || failed "unknownThing not reported"
    # notes collected in <back>: placed at the anchor / ref pointing at them;
    # a ref to a note that is already in place stays a cross-reference
    grep -q 'An anchored note<note place="foot" n="1" xml:id="n1">First' endnotes.tei || failed "anchored note not placed"
    grep -q 'pointed at<note place="foot" n="2" xml:id="n2">Second' endnotes.tei || failed "ptr-ed note not placed"
    grep -q 'see the fourth note<note place="foot" n="4" xml:id="n4">Fourth' endnotes.tei || failed "ref-ed note not placed"
    grep -q 'reference text<note place="foot" n="5" xml:id="n5">Fifth' endnotes.tei || failed "label ref not replaced"
    grep -q 'footnote <ref target="#n3">here</ref>' endnotes.tei || failed "cross-reference lost"
    grep -q '<back>' endnotes.tei && failed "the emptied notes division was kept"
    "$cli" -v "$here/inputs/no-namespace.xml" -o v.tei 2>v.err
    grep -q "<persName> has no generic mapping" v.err || failed "-v does not report the custom element"
    ;;

hostile)
    # No file is read through an external entity, entity bombs and deep
    # nesting fail with a message (not a crash), malformed XML names its line.
    "$cli" "$here/hostile/xxe.xml" -o xxe.tei 2>xxe.err
    [ $? -eq 0 ] || failed "xxe: refused instead of read without the entity"
    cat xxe.err
    grep -q "external entity" xxe.err || failed "xxe: the dropped entity is not reported"
    if [ -s /etc/hostname ] && grep -qF "$(cat /etc/hostname)" xxe.tei; then
        failed "xxe: the external file's content was read"
    fi
    for b in laughs deep malformed; do
        timeout 60 "$cli" "$here/hostile/$b.xml" -o "$b.tei" 2>"$b.err"
        rc=$?
        cat "$b.err"
        [ $rc -ne 0 ] && [ $rc -lt 124 ] || failed "$b: exit $rc (expected a clean error)"
        [ -e "$b.tei" ] && failed "$b: an output was written"
        grep -q "docpipe: error: .*$b.xml:[0-9]" "$b.err" || failed "$b: message without file:line"
    done
    ;;

mutations)
    # scrambled but well-formed TEI never crashes the reader or the writer
    # (run under ASan/UBSan in the sanitizer build of the test command)
    ls "$shared"/samples/tei/*.xml >/dev/null 2>&1 || skip "$shared/samples/tei is absent"
    python3 "$here/mutate.py" "$cli" mutated "$shared"/samples/tei/*.xml "$here"/data/*.xml \
        "$here"/inputs/endnotes.xml || failed "bad runs on scrambled input"
    ;;

md-features)
    # Markdown constructs (sections with a skipped level, quotes, code, aligned
    # tables, task lists, images, lang spans, multi-paragraph notes, every
    # metadata key) give valid TEI in both profiles, and md <-> tei reaches a
    # fixed point after one pass (the first pass may only lose what it reports).
    m=$here/md/features.md
    run "$m" -o t1.tei || exit 1
    valid tei t1.tei
    run "$m" -O profile=lite -o t1.lite.tei || exit 1
    valid tei-lite t1.lite.tei
    run t1.tei -o m2.md && run m2.md -o t2.tei && run t2.tei -o m3.md && run m3.md -o t3.tei || exit 1
    cmp t2.tei t3.tei || { diff t2.tei t3.tei | head -20; failed "tei -> md -> tei is not stable"; }
    cmp m2.md m3.md || { diff m2.md m3.md | head -20; failed "md -> tei -> md is not stable"; }
    grep -q '<head rend="h3">Skipped a level</head>' t1.tei || failed "skipped heading level not kept"
    grep -q '^### Skipped a level' m2.md || failed "heading level 3 not restored"
    grep -q '<note type="docpipe-meta" n="keywords-extra">' t1.tei || failed "unmapped metadata key not kept"
    grep -q '^keywords-extra: an unmapped key' m2.md || failed "unmapped metadata key not restored"
    grep -q '^| :-* | :-*: | -*: |$' m2.md || failed "column alignment lost"
    ;;

speech)
    # The speech: valid tei_all, every seed word in order, the header complete,
    # the five numbered notes and the asterisk note with their labels.
    need_speech
    run "$speech" -o speech.tei || exit 1
    valid tei speech.tei
    seed_kept speech.tei speech.tei --in-order
    python3 "$check" header speech.tei || failed "header incomplete"
    for n in '\*' 1 2 3 4 5; do
        grep -q "<note place=\"foot\" n=\"$n\" xml:id=" speech.tei || failed "note $n missing"
    done
    grep -q '<foreign xml:lang="zh">世界科技强国</foreign>' speech.tei || failed "Chinese term not tagged"
    ;;

notes-back)
    # notes: back collects the notes in <back><div type="notes"> with
    # <ref type="noteAnchor"> at each reference; reading that back gives the
    # same tree as the inline notes (compared as JSON when available).
    need_speech
    run "$speech" -O notes=back -o back.tei || exit 1
    valid tei back.tei
    run "$speech" -O notes=back -O profile=lite -o back.lite.tei || exit 1
    valid tei-lite back.lite.tei
    seed_kept back.tei back.tei
    [ "$(grep -o '<ref type="noteAnchor"' back.tei | wc -l)" -eq 6 ] || failed "expected 6 note anchors"
    grep -q '<div type="notes">' back.tei || failed "no notes division"
    run "$speech" -o inline.tei && run back.tei -o again.tei || exit 1
    sed '/<teiHeader>/,/<\/teiHeader>/d' inline.tei >inline.body
    sed '/<teiHeader>/,/<\/teiHeader>/d' again.tei >again.body
    cmp inline.body again.body || { diff inline.body again.body | head; failed "notes read back from <back> differ"; }
    if can_write json; then
        run back.tei -t json -o back.json && python3 "$check" notes back.json '*' 1 2 3 4 5 || failed "notes"
    fi
    # title-page: a generated titlePage in <front>, valid, and skipped on reading
    run "$speech" -O title-page=true -o tp.tei || exit 1
    valid tei tp.tei
    grep -q '<titlePage type="docpipe">' tp.tei || failed "no title page"
    run tp.tei -o tp2.tei || exit 1
    sed '/<teiHeader>/,/<\/teiHeader>/d' tp2.tei >tp2.body
    cmp inline.body tp2.body || { diff inline.body tp2.body | head; failed "title page not skipped on reading"; }
    ;;

speech-lite)
    need_speech
    run "$speech" -O profile=lite -o speech.lite.tei || exit 1
    valid tei-lite speech.lite.tei
    seed_kept speech.lite.tei "the lite profile" --in-order
    # indent=false, schema-pi=false: no processing instruction, no added
    # whitespace, the same document otherwise
    run "$speech" -O indent=false -O schema-pi=false -o flat.tei || exit 1
    valid tei flat.tei
    grep -q '<?xml-model' flat.tei && failed "schema-pi=false still writes the PI"
    [ "$(wc -l <flat.tei)" -le 3 ] || failed "indent=false still indents"
    run flat.tei -o flat2.tei && run "$speech" -o indented.tei || exit 1
    cmp flat2.tei indented.tei || failed "indent=false changed the content"
    # record-conversion: one more change, dated reproducibly from SOURCE_DATE_EPOCH
    SOURCE_DATE_EPOCH=86400 run "$speech" -O record-conversion=true -o rec.tei || exit 1
    grep -q '<change when="1970-01-02">Converted to TEI P5 by docpipe' rec.tei || failed "conversion change missing"
    [ "$(grep -c '<change' rec.tei)" -eq 3 ] || failed "expected the 2 revisions and the conversion change"
    valid tei rec.tei
    ;;

speech-to-md)
    # speech.md -> tei -> md keeps every word and the note labels; with the
    # JSON exporter, the notes and metadata of the tree are compared too.
    need_speech
    run "$speech" -o speech.tei || exit 1
    run speech.tei -o back.md || exit 1
    seed_kept back.md "tei -> md" --in-order
    for n in '\*' 1 2 3 4 5; do
        [ "$(grep -c "\[^$n\]" back.md)" -ge 2 ] || failed "note $n: reference or definition missing in back.md"
    done
    if can_write json; then
        run back.md -t json -o back.json && python3 "$check" notes back.json '*' 1 2 3 4 5 || failed "notes"
    fi
    ;;

speech-to-html)
    need_speech
    can_write html || skip "html exporter not built"
    run "$speech" -o speech.tei || exit 1
    run speech.tei -o back.html || exit 1
    seed_kept back.html "tei -> html" --in-order
    if can_read html && can_write json; then
        run back.html -t json -o back.json && python3 "$check" notes back.json '*' 1 2 3 4 5 || failed "notes"
    else
        for n in '\*' 1 2 3 4 5; do
            grep -q ">$n<" back.html || failed "note label $n not in back.html"
        done
    fi
    ;;

header-roundtrip)
    # The metadata survives md -> tei -> tree: every key the speech sets.
    need_speech
    can_write json || skip "json exporter not built"
    run "$speech" -t json -o a.json || exit 1
    run "$speech" -o speech.tei || exit 1
    run speech.tei -t json -o b.json || exit 1
    python3 "$check" meta a.json b.json title author translator editor language created publisher \
        description source revision || failed "metadata changed through TEI"
    ;;

tree-roundtrip)
    # tei -> tree -> tei -> tree: the two trees are identical.
    can_write json || skip "json exporter not built"
    for f in "$here"/data/*.xml; do
        b=$(basename "$f" .xml)
        run "$f" -t json -o "$b.a.json" || continue
        run "$f" -o "$b.tei" || continue
        run "$b.tei" -t json -o "$b.b.json" || continue
        cmp "$b.a.json" "$b.b.json" || { diff "$b.a.json" "$b.b.json" | head -20; failed "$b: tree changed"; }
    done
    ;;

every-node)
    # The tree engineer's every-node-kind document: valid TEI in both profiles.
    doc=$src/samples/every-node.json
    [ -f "$doc" ] || skip "samples/every-node.json is absent"
    can_read json || skip "json importer not built"
    run "$doc" -o every.tei || exit 1
    valid tei every.tei
    run "$doc" -O profile=lite -o every.lite.tei || exit 1
    valid tei-lite every.lite.tei
    ;;

config)
    # configs/speech-archive.yaml writes the archival TEI and the Lite copy.
    need_speech
    cfg=$src/configs/speech-archive.yaml
    [ -f "$cfg" ] || { failed "configs/speech-archive.yaml is missing"; exit 1; }
    mkdir -p configs samples && cp "$cfg" configs/ && cp "$speech" samples/ || exit 1
    "$cli" run configs/speech-archive.yaml --allow-outside || failed "docpipe run configs/speech-archive.yaml"
    [ -f out/speech.tei.xml ] && [ -f out/speech.lite.tei.xml ] || { failed "outputs missing"; exit 1; }
    valid tei out/speech.tei.xml
    valid tei-lite out/speech.lite.tei.xml
    ;;

*)
    echo "unknown test $test_name" >&2
    exit 2
    ;;
esac

[ $fail -eq 0 ] && [ -n "$absent" ] && skip "$absent is absent: its checks did not run (the others passed)"
[ $fail -eq 0 ] && echo "PASS: $test_name"
exit $fail
