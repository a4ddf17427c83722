#!/usr/bin/env python3
"""examples/md2epub: Markdown on stdin -> EPUB on stdout, through dp_convert.

    example_test.py MD2EPUB DOCPIPE INPUT.md WORKDIR

The EPUB must be the one `docpipe INPUT.md -t epub` writes, byte for byte
(SOURCE_DATE_EPOCH fixes the dates), and a valid container.
"""
import os
import subprocess
import sys
import zipfile

md2epub, docpipe, source, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
with open(source, "rb") as f:
    ex = subprocess.run([md2epub], stdin=f, capture_output=True, env=env)
if ex.returncode != 0:
    sys.exit(f"FAIL: md2epub exited {ex.returncode}: {ex.stderr.decode()}")
with open(source, "rb") as f:
    cli = subprocess.run([docpipe, "-f", "md", "-t", "epub"], stdin=f, capture_output=True, env=env)
if cli.returncode != 0:
    sys.exit(f"FAIL: docpipe exited {cli.returncode}: {cli.stderr.decode()}")
out = os.path.join(work, "speech.epub")
with open(out, "wb") as f:
    f.write(ex.stdout)
names = zipfile.ZipFile(out).namelist()
if names[0] != "mimetype" or "META-INF/container.xml" not in names:
    sys.exit(f"FAIL: not an EPUB container: {names[:4]}")
if ex.stdout != cli.stdout:
    sys.exit(f"FAIL: md2epub's EPUB ({len(ex.stdout)} bytes) differs from the CLI's ({len(cli.stdout)} bytes)")
print(f"ok: {len(ex.stdout)} bytes, identical to the CLI's, {len(names)} entries")
