#!/usr/bin/python3
"""(Debian's python, where python3-pandocfilters is.) A classic pandoc filter: every Image removed (pandocfilters)."""
from pandocfilters import toJSONFilter


def drop(key, value, fmt, meta):
    if key == "Image":
        return []


if __name__ == "__main__":
    toJSONFilter(drop)
