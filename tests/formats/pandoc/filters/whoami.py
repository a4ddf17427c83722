#!/usr/bin/env python3
"""Records what pandoc gives a filter (its first argument, PANDOC_VERSION,
PANDOC_READER_OPTIONS, the input's pandoc-api-version) in the metadata."""
import json
import os
import sys

doc = json.load(sys.stdin)
doc["meta"]["filter-format"] = {"t": "MetaString", "c": sys.argv[1] if len(sys.argv) > 1 else ""}
doc["meta"]["filter-pandoc-version"] = {"t": "MetaString", "c": os.environ.get("PANDOC_VERSION", "")}
opts = os.environ.get("PANDOC_READER_OPTIONS", "")
doc["meta"]["filter-reader-options"] = {"t": "MetaBool", "c": isinstance(json.loads(opts or "null"), dict)}
doc["meta"]["filter-api"] = {"t": "MetaString", "c": ".".join(map(str, doc["pandoc-api-version"]))}
json.dump(doc, sys.stdout)
