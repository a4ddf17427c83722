#!/usr/bin/env python3
"""A filter that fails: reads its input, complains, exits 3."""
import sys

sys.stdin.read()
sys.stderr.write("fail.py: this filter always fails\n")
sys.exit(3)
