"""Headless Chromium for the browser tests (tests/browser, tests/hostile,
tests/media): one launcher, one rule for a missing browser.

Debian's chromium, installed by scripts/install-deps.sh --tests; $CHROMIUM
overrides the path. Each run gets a fresh profile in the test's work folder
(removed afterwards), so runs never share state or touch the user's."""
import os
import shutil
import subprocess
import tempfile

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--allow-file-access-from-files"]


def missing_status():
    """None when the browser is there; else the exit status a whole browser
    test returns after saying why: a failure under CI=true (the install
    script must have put it there), a skip (77) otherwise."""
    if os.access(CHROMIUM, os.X_OK):
        return None
    if os.environ.get("CI") == "true":
        print("FAIL: %s is missing (apt-get install chromium); CI=true, so this is a failure" % CHROMIUM)
        return 1
    print("SKIP: %s is missing (apt-get install chromium)" % CHROMIUM)
    return 77


def chromium(args, work, timeout=300):
    """Runs headless Chromium with args (e.g. --dump-dom URL); the
    CompletedProcess, text mode."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    try:
        return subprocess.run([CHROMIUM] + FLAGS + ["--user-data-dir=" + profile] + args,
                              capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
