#!/bin/sh
# run-valgrind.sh — the whole ctest suite with valgrind memcheck on every
# docpipe process and every C test binary (never on python, java, node or sh).
#
# Usage: scripts/run-valgrind.sh [--no-build] [-j N] [-R REGEX] [-E REGEX]
#
# Why not `ctest -T memcheck --trace-children=yes --trace-children-skip=...`:
# most tests are python scripts that start the CLI. ctest's memcheck wraps
# the test's top-level command, so python itself would run under memcheck
# (very slow, and python's own reports would drown ours), and a child that
# --trace-children-skip skips takes valgrind out of its whole subtree: the
# docpipe started *by* a skipped python3 would not be checked at all.
# So instead every ELF executable of the build tree's bin/ (bin/docpipe and
# the C test binaries) is moved to <build>/.vg-bin/ and replaced by a
# two-line script that execs valgrind on it. Whoever starts bin/docpipe — a
# python test, a shell test, ctest — gets memcheck, and nothing else does.
# .vg-bin/ is a sibling of bin/, so the real docpipe still finds its plugins
# at ../lib/docpipe/plugins, and its argv[0] still ends in "docpipe".
# The originals are put back when the script ends (even on ^C). A test
# whose script runs `cmake --install` (pipelines.plugin_template: installing
# copies bin/docpipe, which must then be the ELF file) runs
# last with the originals back, and is listed as "unchecked"
# (DOCPIPE_VG_UNWRAPPED: a regex of test names to use instead of that rule).
#
# The tests are run by this script (from `ctest --show-only=json-v1`: the
# same commands, working directories, environments, SKIP_RETURN_CODE,
# WILL_FAIL, fixtures) rather than by ctest, so that each test gets its own
# valgrind log directory and a timeout scaled for valgrind (TIMEOUT x
# DOCPIPE_VG_TIMEOUT_FACTOR, default 10).
#
# Each valgrind'd process: --leak-check=full, definite and indirect leaks are
# errors, --error-exitcode=99, suppressions from valgrind.supp (proven
# third-party false positives only). Every test gets DOCPIPE_VALGRIND=1 in
# its environment; hostile.py additionally gets --sanitized (it otherwise
# caps the address space with RLIMIT_AS, which valgrind cannot run under).
#
# Output: <build>/valgrind/summary.tsv (test, status, exit code, seconds,
# processes checked, memcheck errors, leak records) and per test
# <build>/valgrind/logs/<test>/{output.txt,vg.<pid>.log}. The script prints
# one line per test, the totals, and every error/leak report in full; exits 0
# only when every test passed or skipped with no memcheck error and no leak.
#
# Environment: DOCPIPE_VG_BUILD (default build-vg), DOCPIPE_VG_JOBS (2),
# DOCPIPE_VG_TIMEOUT_FACTOR (10), DOCPIPE_VG_EXTRA (more valgrind options,
# e.g. --track-origins=yes).
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
build=${DOCPIPE_VG_BUILD:-build-vg}
case $build in /*) ;; *) build="$repo/$build" ;; esac
jobs=${DOCPIPE_VG_JOBS:-2}
do_build=true
regex=""
exclude=""
while [ $# -gt 0 ]; do
    case $1 in
    --no-build) do_build=false ;;
    -j) jobs=$2; shift ;;
    -R) regex=$2; shift ;;
    -E) exclude=$2; shift ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    *) echo "run-valgrind: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

command -v valgrind >/dev/null || { echo "run-valgrind: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

is_elf() {
    [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# A tree left wrapped by a run that was killed (kill -9): put the real
# executables back (unless the build has since replaced the wrapper).
if [ -d "$build/.vg-bin" ]; then
    for real in "$build"/.vg-bin/*; do
        [ -f "$real" ] || continue
        name=$(basename "$real")
        if [ -f "$build/bin/$name" ] && is_elf "$build/bin/$name"; then
            rm -f "$real"
        else
            mv -f "$real" "$build/bin/$name"
        fi
    done
fi

mkdir -p "$build"
if $do_build; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DDOCPIPE_SANITIZE=OFF >"$build/run-valgrind-configure.log" 2>&1 || {
        cat "$build/run-valgrind-configure.log"; echo "run-valgrind: configure failed" >&2; exit 2; }
    # -k: a target that does not build (someone's work in progress) does not
    # stop the others; its tests then fail and are reported
    cmake --build "$build" -j2 -- -k >"$build/run-valgrind-build.log" 2>&1 ||
        echo "run-valgrind: some targets did not build (see $build/run-valgrind-build.log); running the tests anyway" >&2
fi

out="$build/valgrind"
rm -rf "$out"
mkdir -p "$out/logs" "$build/.vg-bin"
supp="$repo/valgrind.supp"

vg_opts="--tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect"
vg_opts="$vg_opts --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
vg_opts="$vg_opts --num-callers=40 --child-silent-after-fork=yes --trace-children=no"
[ -s "$supp" ] && vg_opts="$vg_opts --suppressions=$supp"

wrapped=""
restore() {
    for name in $wrapped; do
        [ -f "$build/.vg-bin/$name" ] && mv -f "$build/.vg-bin/$name" "$build/bin/$name"
    done
    wrapped=""
}
trap 'restore; exit 130' INT TERM
trap 'restore' EXIT

for exe in "$build"/bin/*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    is_elf "$exe" || continue
    name=$(basename "$exe")
    mv -f "$exe" "$build/.vg-bin/$name"
    wrapped="$wrapped $name"
    cat >"$exe" <<EOF
#!/bin/sh
# written by scripts/run-valgrind.sh; the real program is $build/.vg-bin/$name
exec valgrind $vg_opts \${DOCPIPE_VG_EXTRA:-} --log-file="\${DOCPIPE_VG_LOGDIR:-/tmp}/vg.%p.log" "$build/.vg-bin/$name" "\$@"
EOF
    chmod +x "$exe"
done
echo "run-valgrind: memcheck wraps:$wrapped"

ctest --test-dir "$build" --show-only=json-v1 >"$out/tests.json" || { echo "run-valgrind: ctest --show-only failed" >&2; exit 2; }

python3 - "$out" "$jobs" "$regex" "$exclude" "${DOCPIPE_VG_TIMEOUT_FACTOR:-10}" <<'PY'
import concurrent.futures, json, os, re, signal, subprocess, sys, time

out, jobs, regex, exclude, factor = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
unwrapped_re = os.environ.get("DOCPIPE_VG_UNWRAPPED", "")
tests = json.load(open(os.path.join(out, "tests.json")))["tests"]

def props(t):
    return {p["name"]: p["value"] for p in t.get("properties", [])}

sel = [t for t in tests if (not regex or re.search(regex, t["name"])) and not (exclude and re.search(exclude, t["name"]))]

def run(t):
    name, p = t["name"], props(t)
    logdir = os.path.join(out, "logs", re.sub(r"[^A-Za-z0-9_.+-]", "_", name))
    os.makedirs(logdir, exist_ok=True)
    # tests that drop privileges (setpriv to nobody) still write their log
    os.chmod(logdir, 0o1777)
    env = dict(os.environ)
    for kv in p.get("ENVIRONMENT", []):
        k, _, v = kv.partition("=")
        env[k] = v
    env["DOCPIPE_VG_LOGDIR"] = logdir
    env["DOCPIPE_VALGRIND"] = "1"
    cmd = list(t["command"])
    if any(c.endswith("/hostile.py") for c in cmd) and "--sanitized" not in cmd:
        cmd.append("--sanitized")
    timeout = float(p.get("TIMEOUT", 1500)) * factor
    start = time.monotonic()
    status = None
    with open(os.path.join(logdir, "output.txt"), "wb") as fo:
        try:
            proc = subprocess.Popen(cmd, cwd=p.get("WORKING_DIRECTORY"), env=env, stdout=fo,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:  # a test whose command does not exist (ctest: "Not Run"): a failure
            fo.write(("cannot start %s: %s\n" % (cmd[0], e)).encode())
            proc, rc, status = None, -1, "failed"
        if proc:
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                rc = proc.wait()
                status = "timeout"
    secs = time.monotonic() - start
    if status is None:
        if "SKIP_RETURN_CODE" in p and rc == int(p["SKIP_RETURN_CODE"]):
            status = "skipped"
        else:
            ok = rc == 0
            if p.get("WILL_FAIL"):
                ok = not ok
            status = "passed" if ok else "failed"
    # the valgrind logs of every checked process of this test
    procs = errors = leaks = incomplete = 0
    reports = []
    for f in sorted(os.listdir(logdir)):
        if not f.startswith("vg."):
            continue
        text = open(os.path.join(logdir, f), errors="replace").read()
        procs += 1
        m = re.search(r"ERROR SUMMARY: (\d+) errors from (\d+) contexts", text)
        if not m:
            incomplete += 1
            continue
        nleak = len(re.findall(r"are (?:definitely|indirectly) lost in loss record", text))
        nctx = int(m.group(2))
        leaks += nleak
        errors += nctx - nleak
        if nctx:
            reports.append((f, text))
    return dict(name=name, status=status, rc=rc, secs=secs, procs=procs, errors=errors, leaks=leaks,
                incomplete=incomplete, reports=reports, logdir=logdir)

# fixtures' setup tests first, RUN_SERIAL tests alone at the end; in
# between, the most memcheck coverage per CPU second first: the C test
# binaries and fuzz replays, then the format tests, and the slow ones (label
# "slow", the conversion matrix, the validator self-tests) last.
def cost(t):
    p = props(t)
    if "slow" in p.get("LABELS", []) or re.match(r"(matrix|validators)\.", t["name"]):
        return 3
    if t["command"] and os.path.dirname(t["command"][0]) == os.path.join(os.path.dirname(out), "bin"):
        return 0
    return 1 if t["name"].startswith("fuzz") else 2
setup = [t for t in sel if "FIXTURES_SETUP" in props(t)]
# Tests that install bin/docpipe (cmake --install copies it, and a copy of
# the wrapper script would not run) run last, with the real executables put
# back: they are reported as "unchecked", not as checked by memcheck.
def installs(t):
    if unwrapped_re:
        return re.search(unwrapped_re, t["name"]) is not None
    for arg in t["command"]:
        if arg.endswith((".sh", ".py")) and os.path.isfile(arg):
            if re.search(r"--install\b", open(arg, errors="replace").read()):
                return True
    return False
unwrapped = [t for t in sel if installs(t) and t not in setup]
serial = [t for t in sel if props(t).get("RUN_SERIAL") and t not in setup and t not in unwrapped]
rest = sorted((t for t in sel if t not in setup and t not in serial and t not in unwrapped), key=cost)
results = []
def show(r):
    if r.get("unchecked"):
        r["status"] += "-unchecked"
    flag = "" if r["status"] in ("passed-unchecked", "skipped-unchecked") else "   <==" if r.get("unchecked") else "" if r["status"] in ("passed", "skipped") and not r["errors"] and not r["leaks"] else "   <=="
    print("%-55s %-8s rc=%-4s %6.0fs procs=%-4d errors=%-3d leaks=%-3d%s%s" % (
        r["name"], r["status"], r["rc"], r["secs"], r["procs"], r["errors"], r["leaks"],
        " incomplete=%d" % r["incomplete"] if r["incomplete"] else "", flag), flush=True)
for group, n in ((setup, 1), (rest, jobs), (serial, 1)):
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, n)) as ex:
        for r in ex.map(run, group):
            show(r)
            results.append(r)
if unwrapped:
    vgbin = os.path.join(os.path.dirname(out), ".vg-bin")
    for name in os.listdir(vgbin):
        os.replace(os.path.join(vgbin, name), os.path.join(os.path.dirname(out), "bin", name))
    for t in unwrapped:
        r = run(t)
        r["unchecked"] = True
        show(r)
        results.append(r)

with open(os.path.join(out, "summary.tsv"), "w") as f:
    f.write("test\tstatus\texit\tseconds\tprocesses\terrors\tleaks\tincomplete\n")
    for r in results:
        f.write("%s\t%s\t%s\t%.1f\t%d\t%d\t%d\t%d\n" % (r["name"], r["status"], r["rc"], r["secs"], r["procs"],
                                                        r["errors"], r["leaks"], r["incomplete"]))
bad = [r for r in results if r["reports"]]
for r in bad:
    for f, text in r["reports"]:
        print("\n======== %s: %s/%s ========" % (r["name"], r["logdir"], f))
        print(text)
for r in results:
    if r["status"].split("-")[0] in ("failed", "timeout"):
        print("\n======== %s %s: last lines of %s/output.txt ========" % (r["name"], r["status"].upper(), r["logdir"]))
        lines = open(os.path.join(r["logdir"], "output.txt"), errors="replace").read().splitlines()
        print("\n".join(lines[-30:]))
count = lambda s: sum(1 for r in results if r["status"] == s)
print("\n======== valgrind memcheck summary ========")
print("%d tests: %d passed, %d failed, %d timed out, %d skipped; %d run without memcheck (%s)" % (
    len(results), count("passed"), count("failed") + count("failed-unchecked"), count("timeout"),
    count("skipped"), sum(1 for r in results if r.get("unchecked")),
    ", ".join("%s %s" % (r["name"], r["status"]) for r in results if r.get("unchecked")) or "-"))
print("%d processes checked; %d memcheck errors, %d leak records (definite/indirect), %d incomplete logs" % (
    sum(r["procs"] for r in results), sum(r["errors"] for r in results), sum(r["leaks"] for r in results),
    sum(r["incomplete"] for r in results)))
print("tests with errors or leaks: %s" % (", ".join(r["name"] for r in bad) or "none"))
sys.exit(0 if not bad and not count("failed") and not count("failed-unchecked") and not count("timeout") else 1)
PY
