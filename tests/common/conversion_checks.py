"""Helpers of the Python tests that run docpipe conversions and the validators
(tests/pipelines/direction, tests/pipelines/frontmatter): failures are counted,
a missing validator is remembered as a skip, files go to one temporary folder.
"""
import os
import subprocess
import sys
import tempfile

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
VALIDATE = os.path.join(REPO, "tests", "common", "validate.sh")


class Checks:
    def __init__(self, prefix):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.failures = 0
        self.skipped = False

    def check(self, cond, msg):
        if not cond:
            self.failures += 1
            print("FAIL:", msg)
        return cond

    def run(self, cmd, cwd=None):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        return subprocess.run(cmd, capture_output=True, timeout=900, env=env, cwd=cwd or self.tmp)

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        if isinstance(data, bytes):
            with open(path, "wb") as f:
                f.write(data)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(data)
        return path

    def validate(self, kind, *files):
        """validate.sh KIND FILE...: a skip (77) is remembered, a failure counted."""
        r = subprocess.run(["sh", VALIDATE, kind] + list(files), capture_output=True, timeout=900)
        if r.returncode == 77:
            self.skipped = True
            print("note: %s validator missing: %s" % (kind, r.stderr.decode().strip()))
            return
        self.check(r.returncode == 0, "%s validator: %s\n%s" % (kind, " ".join(files),
                                                                (r.stdout + r.stderr).decode()[-3000:]))

    def exit_code(self, case):
        if self.failures:
            return 1
        if self.skipped:
            return 77
        print("ok:", case)
        return 0

    def main(self, cases, doc):
        """`SCRIPT DOCPIPE CASE`: runs the named case (a function of the
        docpipe path); the exit status of exit_code, 2 for a bad command line
        (doc printed)."""
        if len(sys.argv) != 3 or sys.argv[2] not in cases:
            print(doc)
            return 2
        cases[sys.argv[2]](sys.argv[1])
        return self.exit_code(sys.argv[2])
