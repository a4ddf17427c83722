"""Shared set-up of the Python binding's tests (run by ctest: tests/python).

The environment names the build: DOCPIPE_LIBRARY (the libdocpipe.so the
package loads; its plugins are found beside it), DOCPIPE_CLI (bin/docpipe,
for comparisons), DOCPIPE_REPO (the source tree), DOCPIPE_BINDINGS (the
package's folder, put first on sys.path)."""
import os
import sys

import pytest

BINDINGS = os.environ.get("DOCPIPE_BINDINGS")
if BINDINGS:
    sys.path.insert(0, BINDINGS)

# EPUB and TEI carry the date: the same input gives the same bytes with it fixed
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture(scope="session")
def repo():
    return os.environ.get("DOCPIPE_REPO", os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("DOCPIPE_CLI")
    if not path:
        pytest.skip("DOCPIPE_CLI not set (run through ctest)")
    return path
