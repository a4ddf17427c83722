"""docpipe from Python: convert documents in memory (Markdown, HTML, EPUB, TEI, JSON).

    >>> import docpipe
    >>> epub = docpipe.convert("# Hello\\n\\nWorld.", from_="md", to="epub",
    ...                        metadata={"title": "Hello", "language": "en"})
    >>> open("hello.epub", "wb").write(epub)

A thin ctypes layer over libdocpipe's in-memory API (include/docpipe/dp_convert.h,
docs/LIBRARY.md): the same checks, limits, transforms and loss reports as the
``docpipe`` command, and no file is written. Text formats come back as ``str``,
binary ones (EPUB) as ``bytes``. What a format cannot hold is reported as a
:class:`DocpipeLossWarning` (a Python warning); a failure raises a
:class:`DocpipeError` carrying ``code``, ``file``, ``line`` and ``column``.

Calls from many threads at once are safe and run in parallel (the GIL is
released while the C library converts).

The library is found through ``DOCPIPE_LIBRARY`` (a path), else where
``cmake --install`` put it beside this package, else the system's loader.
"""
from __future__ import annotations

import ctypes
import json
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _lib

__all__ = [
    "convert", "read", "write", "transform", "Document", "DocpipeError", "DocpipeLossWarning",
    "InputError", "LimitError", "UsageError", "PluginError", "LossError", "version", "library_path",
]

Data = Union[str, bytes, bytearray, memoryview]


class DocpipeLossWarning(UserWarning):
    """Something the source held that the conversion could not keep, or a
    problem the reader recovered from. ``plugin``, ``file``, ``line`` and
    ``column`` say where (``None`` / 0 when unknown)."""

    def __init__(self, message: str, plugin: Optional[str] = None, file: Optional[str] = None,
                 line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.plugin = plugin
        self.file = file
        self.line = line
        self.column = column


class DocpipeError(Exception):
    """A conversion failed. ``code`` is the library's negative status (see
    dp_common.h), ``status`` its name, ``exit_code`` what the CLI would exit
    with; ``file``, ``line``, ``column`` (1-based, 0 when unknown) and
    ``plugin`` say where."""

    def __init__(self, code: int, message: str, file: Optional[str] = None, line: int = 0, column: int = 0,
                 plugin: Optional[str] = None, status: str = "") -> None:
        where = file or ""
        if where and line:
            where += f":{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}" if where else message)
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.plugin = plugin
        self.status = status


class UsageError(DocpipeError):
    """A bad argument: an unknown option, a value of the wrong type (DP_EUSAGE, DP_EINVAL)."""


class InputError(DocpipeError):
    """The input could not be read: malformed, wrong format (DP_EINPUT)."""


class LimitError(InputError):
    """The input passed a safety limit: size, depth, archive ratio ... (DP_ELIMIT)."""


class PluginError(DocpipeError):
    """No plugin for a format or transform, or a plugin failed (DP_EPLUGIN)."""


class LossError(DocpipeError):
    """``strict=True`` and a loss was reported (DP_ELOSS): nothing is returned."""


_ERRORS = {-3: UsageError, -4: UsageError, -5: InputError, -6: LimitError, -8: PluginError, -10: LossError}
_EXIT = {0: 0, -1: 1, -2: 1, -3: 1, -4: 2, -5: 3, -6: 3, -7: 4, -8: 5, -9: 6, -10: 7}


def _s(b: Optional[bytes]) -> Optional[str]:
    return b.decode("utf-8", "replace") if b is not None else None


def _raise(err: _lib.Error) -> None:
    lib = _lib.library()
    cls = _ERRORS.get(err.code, DocpipeError)
    e = cls(err.code, _s(err.message) or "failed", _s(err.file) or None, err.line, err.column,
            _s(err.plugin) or None, _s(lib.dp_status_name(err.code)) or "")
    e.exit_code = _EXIT.get(err.code, 1)  # type: ignore[attr-defined]
    raise e


def _kv(metadata: Optional[Mapping[str, Any]], options: Optional[Mapping[str, Any]],
        transforms: Optional[Iterable[str]], limits: Optional[Mapping[str, Any]], strict: bool,
        path: Optional[str], verbose: bool) -> Tuple[Any, List[bytes]]:
    """The dp_kv list of dp_convert.h, and the byte strings it points to
    (kept alive by the caller)."""
    pairs: List[Tuple[str, str]] = []

    def text(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            raise TypeError("docpipe: option values are strings, numbers or booleans, not lists")
        return str(v)

    for k, v in (metadata or {}).items():
        pairs.append((f"metadata:{k}", text(v)))
    for k, v in (options or {}).items():
        pairs.append((f"option:{k}", text(v)))
    for t in ([transforms] if isinstance(transforms, str) else (transforms or [])):
        pairs.append(("transform", t))
    for k, v in (limits or {}).items():
        pairs.append((f"limit:{k}", text(v)))
    if strict:
        pairs.append(("strict", "true"))
    if verbose:
        pairs.append(("verbose", "true"))
    if path:
        pairs.append(("path", path))
    arr = (_lib.KV * (len(pairs) + 1))()
    keep = []
    for i, (k, v) in enumerate(pairs):
        kb, vb = k.encode(), v.encode()
        keep += [kb, vb]
        arr[i].key, arr[i].value = kb, vb
    return arr, keep


class _Diags:
    """Collects the diagnostics of one call (from the calling thread, while
    the C library runs) to report them as Python warnings once it returns."""

    def __init__(self) -> None:
        self.items: List[DocpipeLossWarning] = []
        self.fn = _lib.DIAG_FN(self._on)

    def _on(self, d: Any, _payload: Any) -> None:
        d = d.contents
        if d.level == _lib.DIAG_ERROR:
            return  # the failure comes back as the call's error
        self.items.append(DocpipeLossWarning(_s(d.message) or "", _s(d.plugin), _s(d.file), d.line, d.column))

    def emit(self, stacklevel: int = 3) -> None:
        for w in self.items:
            warnings.warn(w, stacklevel=stacklevel)


def _bytes(data: Data) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def _output(lib: ctypes.CDLL, buf: ctypes.c_void_p, to: str) -> Union[str, bytes]:
    out = ctypes.string_at(lib.dp_buf_data(buf), lib.dp_buf_len(buf))
    info = lib.dp_registry_find(_lib.registry(), _lib.EXPORTER, to.encode())
    if info and info.contents.binary_output:
        return out
    return out.decode("utf-8")


def convert(data: Data, from_: str = "md", to: str = "html", *, metadata: Optional[Mapping[str, Any]] = None,
            options: Optional[Mapping[str, Any]] = None, transforms: Optional[Iterable[str]] = None,
            strict: bool = False, limits: Optional[Mapping[str, Any]] = None, path: Optional[str] = None,
            verbose: bool = False) -> Union[str, bytes]:
    """Converts ``data`` from format ``from_`` to format ``to``.

    ``data`` is ``str`` (encoded as UTF-8) or bytes (an EPUB, or text in
    UTF-8). Formats are names or aliases as in ``docpipe formats``: md,
    html, epub, epub2, tei, json. Returns ``str`` for text formats and
    ``bytes`` for binary ones (EPUB).

    metadata   overrides set after reading, like ``-M KEY=VALUE`` (dotted
               keys reach into maps: ``{"source.url": ...}``)
    options    plugin options, like ``-O KEY=VALUE``: each goes to every
               plugin of the conversion that declares it, and at least one must
    transforms names applied in order after reading, like ``--transform``
    strict     a reported loss raises :class:`LossError` instead of a warning
    limits     safety limits, like ``--limit``: ``{"max-input-bytes": "1M"}``
    path       the input's name in messages; local resources (images) are
               looked up beside it (default: the current directory)
    verbose    informational messages come as warnings too

    Losses are reported as :class:`DocpipeLossWarning`; failures raise
    :class:`DocpipeError` (or a subclass).
    """
    lib = _lib.library()
    reg = _lib.registry()
    raw = _bytes(data)
    kv, keep = _kv(metadata, options, transforms, limits, strict, path, verbose)
    diags = _Diags()
    buf = ctypes.c_void_p()
    err = _lib.Error()
    if lib.dp_buf_new(ctypes.byref(buf)) != 0:
        raise MemoryError("docpipe: out of memory")
    try:
        rc = lib.dp_convert(reg, raw, len(raw), from_.encode(), to.encode(), kv, buf, diags.fn, None,
                            ctypes.byref(err))
        diags.emit()
        if rc != 0:
            _raise(err)
        return _output(lib, buf, to)
    finally:
        lib.dp_buf_free(buf)
        del keep


@dataclass
class Document:
    """A document tree as plain Python data: the JSON form of docs/TREE.md
    (``docpipe -t json``), so edits are ordinary dict and list operations.

    ``tree`` is the whole dump; ``meta`` and ``body`` are its parts."""

    tree: Dict[str, Any] = field(default_factory=dict)

    @property
    def meta(self) -> Dict[str, Any]:
        """The metadata map (title, author, language ...)."""
        return self.tree.setdefault("meta", {})

    @property
    def body(self) -> Dict[str, Any]:
        """The root node: ``{"t": "root", "c": [blocks ...]}``."""
        return self.tree.setdefault("body", {"t": "root", "c": []})

    def text(self) -> str:
        """The document's words: every text node, blocks separated by newlines."""
        parts: List[str] = []

        def walk(n: Any) -> None:
            if isinstance(n, dict):
                if n.get("t") == "text":
                    parts.append(n.get("text", ""))
                for c in n.get("c", []):
                    walk(c)
                if n.get("t") in ("para", "heading"):
                    parts.append("\n")
        walk(self.body)
        return "".join(parts)

    def to_json(self) -> str:
        return json.dumps(self.tree, ensure_ascii=False)


def read(data: Data, from_: str = "md", *, metadata: Optional[Mapping[str, Any]] = None,
         options: Optional[Mapping[str, Any]] = None, transforms: Optional[Iterable[str]] = None,
         strict: bool = False, limits: Optional[Mapping[str, Any]] = None, path: Optional[str] = None,
         verbose: bool = False) -> Document:
    """Reads ``data`` of format ``from_`` into a :class:`Document` (after the
    metadata overrides and transforms, as :func:`convert` would write it)."""
    dump = convert(data, from_, "json", metadata=metadata, options=options, transforms=transforms,
                   strict=strict, limits=limits, path=path, verbose=verbose)
    return Document(json.loads(dump))


def write(doc: Document, to: str = "html", *, options: Optional[Mapping[str, Any]] = None,
          transforms: Optional[Iterable[str]] = None, strict: bool = False,
          limits: Optional[Mapping[str, Any]] = None, verbose: bool = False) -> Union[str, bytes]:
    """Writes a :class:`Document` (possibly edited) in format ``to``; the
    tree is checked as any input is (an invalid one raises InputError)."""
    return convert(doc.to_json(), "json", to, options=options, transforms=transforms, strict=strict,
                   limits=limits, verbose=verbose)


def transform(doc: Document, name: str, *, options: Optional[Mapping[str, Any]] = None,
              strict: bool = False) -> Document:
    """A new :class:`Document`: ``doc`` after the transform ``name``."""
    return read(doc.to_json(), "json", options=options, transforms=[name], strict=strict)


def version() -> str:
    """The version of the loaded libdocpipe, e.g. "0.1.0"."""
    return _s(_lib.library().dp_version()) or ""


def library_path() -> str:
    """The libdocpipe file in use."""
    return _lib.library_path()
