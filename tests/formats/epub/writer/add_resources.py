#!/usr/bin/env python3
"""add_resources.py IN.json OUT.json: adds two PNG resources, cover.png (the
metadata cover-image of tests/formats/epub/writer/cover-book.md) and images/figure.png
(an image of its text), to a docpipe JSON tree, and gives the heading "The
Second Chapter" the id "second" (the target of a link from the first chapter;
Markdown has no syntax for it). The PNGs are drawn here (zlib), so the test
needs no binary fixture."""
import base64
import json
import struct
import sys
import zlib


def png(width, height, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def text(node):
    return node.get("text", "") + "".join(text(c) for c in node.get("c", []))


def set_heading_id(node, words, new_id):
    if node.get("t") == "heading" and words in text(node):
        node["id"] = new_id
        return True
    return any(set_heading_id(c, words, new_id) for c in node.get("c", []))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        tree = json.load(f)
    if not set_heading_id(tree["body"], "The Second Chapter", "second"):
        sys.exit("add_resources.py: no heading 'The Second Chapter' in %s" % sys.argv[1])
    res = tree.setdefault("resources", [])
    for name, size, colour in (("cover.png", (300, 450), (122, 38, 38)),
                               ("images/figure.png", (120, 40), (20, 90, 160))):
        res.append({"name": name, "mime": "image/png",
                    "data": base64.b64encode(png(size[0], size[1], colour)).decode("ascii")})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(tree, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
