#!/usr/bin/python3
"""(Debian's python, where python3-pandocfilters is.) A classic pandoc filter: every Str in capitals (pandocfilters)."""
from pandocfilters import toJSONFilter, Str


def upper(key, value, fmt, meta):
    if key == "Str":
        return Str(value.upper())


if __name__ == "__main__":
    toJSONFilter(upper)
