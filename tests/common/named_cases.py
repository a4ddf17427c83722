"""The small harness of the Python tests made of named cases: `SCRIPT DOCPIPE CASE`.

Each case is a function of the docpipe path that raises AssertionError with what went wrong;
main() runs the one named on the command line: exit 0 pass, 1 fail, 2 usage (the script's
docstring printed).
"""
import re
import sys


def expect(out, pattern, what):
    """Fails unless the regular expression pattern (re.S) matches somewhere in out."""
    if not re.search(pattern, out, re.S):
        raise AssertionError("%s: /%s/ not found in:\n%s" % (what, pattern, out))


def main(cases, doc):
    if len(sys.argv) != 3 or sys.argv[2] not in cases:
        print(doc)
        return 2
    try:
        cases[sys.argv[2]](sys.argv[1])
    except AssertionError as e:
        print("FAIL:", e)
        return 1
    print("ok:", sys.argv[2])
    return 0
