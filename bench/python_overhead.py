#!/usr/bin/env python3
"""What one small conversion costs through Python, against the CLI (issue 22).

    DOCPIPE_LIBRARY=build/lib/libdocpipe.so.0 python3 bench/python_overhead.py [build/bin/docpipe]

Times (medians) for a three-line Markdown note converted to HTML and EPUB:
dp_convert called straight through ctypes (the C work), docpipe.convert (the
same plus the Python wrapper: options list, diagnostics callback, decoding)
and one `docpipe` process per conversion. Plugins are opened before timing
(the first call of a process also scans them: printed separately)."""
import ctypes
import os
import statistics
import subprocess
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
warnings.simplefilter("ignore")

t0 = time.perf_counter()
import docpipe  # noqa: E402
from docpipe import _lib  # noqa: E402

SMALL = "# Note\n\nA *small* document with a [link](https://example.org).\n"
docpipe.convert(SMALL, "md", "html")
first = time.perf_counter() - t0
CLI = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "bin", "docpipe")


def median_ms(fn, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1e3


def c_call(to):
    lib, reg, data = _lib.library(), _lib.registry(), SMALL.encode()

    def run():
        buf, err = ctypes.c_void_p(), _lib.Error()
        lib.dp_buf_new(ctypes.byref(buf))
        rc = lib.dp_convert(reg, data, len(data), b"md", to.encode(), None, buf, _lib.DIAG_FN(0), None,
                            ctypes.byref(err))
        assert rc == 0 and lib.dp_buf_len(buf) > 100, err.message
        lib.dp_buf_free(buf)
    return run


print(f"first call of a process (import, load, scan plugins, convert): {first * 1e3:.1f} ms")
for to in ("html", "epub"):
    docpipe.convert(SMALL, "md", to)
    c = median_ms(c_call(to), 200)
    p = median_ms(lambda: docpipe.convert(SMALL, "md", to), 200)
    r = median_ms(lambda: subprocess.run([CLI, "-f", "md", "-t", to, "-q"], input=SMALL.encode(),
                                         capture_output=True, check=True), 50)
    print(f"md->{to}: dp_convert via ctypes {c:.3f} ms, docpipe.convert {p:.3f} ms "
          f"(wrapper {p - c:+.3f} ms), CLI process {r:.1f} ms")
