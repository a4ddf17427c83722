"""The ctypes binding to libdocpipe: finding the library, the C types and
the function signatures of the in-memory API (include/docpipe/dp_convert.h).

Nothing here is public; docpipe/__init__.py builds the Python API on it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from typing import List, Optional

ENV_LIBRARY = "DOCPIPE_LIBRARY"

# dp_plugin_kind (dp_plugin.h)
IMPORTER, EXPORTER, TRANSFORM = 1, 2, 3
# dp_diag_level (dp_pipeline.h)
DIAG_INFO, DIAG_WARNING, DIAG_ERROR = 0, 1, 2


class Error(ctypes.Structure):
    """dp_error (dp_common.h)."""
    _fields_ = [("code", ctypes.c_int), ("line", ctypes.c_int), ("column", ctypes.c_int),
                ("file", ctypes.c_char * 512), ("plugin", ctypes.c_char * 64),
                ("message", ctypes.c_char * 1024)]


class Diag(ctypes.Structure):
    """dp_diag (dp_pipeline.h)."""
    _fields_ = [("level", ctypes.c_int), ("plugin", ctypes.c_char_p), ("file", ctypes.c_char_p),
                ("line", ctypes.c_int), ("column", ctypes.c_int), ("message", ctypes.c_char_p),
                ("code", ctypes.c_int)]


class KV(ctypes.Structure):
    """dp_kv (dp_convert.h)."""
    _fields_ = [("key", ctypes.c_char_p), ("value", ctypes.c_char_p)]


class PluginInfo(ctypes.Structure):
    """The leading fields of dp_plugin_info (dp_registry.h), up to binary_output."""
    _fields_ = [("id", ctypes.c_char_p), ("name", ctypes.c_char_p), ("version", ctypes.c_char_p),
                ("kind", ctypes.c_int), ("format", ctypes.c_char_p), ("aliases", ctypes.c_void_p),
                ("extensions", ctypes.c_void_p), ("mime_types", ctypes.c_void_p),
                ("options", ctypes.c_void_p), ("binary_output", ctypes.c_int)]


DIAG_FN = ctypes.CFUNCTYPE(None, ctypes.POINTER(Diag), ctypes.c_void_p)


def _candidates() -> List[str]:
    """Where to look for libdocpipe, first match wins."""
    found: List[str] = []
    env = os.environ.get(ENV_LIBRARY)
    if env:
        return [env]  # asked for: nothing else is tried
    try:  # written by `cmake --install` beside this file: the library installed with it
        from . import _libpath  # type: ignore[attr-defined]
        found.append(_libpath.LIBRARY)
    except ImportError:
        pass
    name = ctypes.util.find_library("docpipe")
    if name:
        found.append(name)
    for prefix in (sys.prefix, "/usr/local", "/usr"):
        for libdir in ("lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"):
            found.append(os.path.join(prefix, libdir, "libdocpipe.so.0"))
    found.append("libdocpipe.so.0")  # LD_LIBRARY_PATH, the loader's cache
    return list(dict.fromkeys(found))  # sys.prefix is often /usr: each place once


def _declare(lib: ctypes.CDLL) -> None:
    vp, sz, cp, ip = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int
    err = ctypes.POINTER(Error)
    kv = ctypes.POINTER(KV)
    sigs = {
        "dp_version": (cp, []),
        "dp_status_name": (cp, [ip]),
        "dp_registry_new": (ip, [ctypes.POINTER(vp), vp, err]),
        "dp_registry_free": (None, [vp]),
        "dp_registry_find": (ctypes.POINTER(PluginInfo), [vp, ip, cp]),
        "dp_buf_new": (ip, [ctypes.POINTER(vp)]),
        "dp_buf_free": (None, [vp]),
        "dp_buf_data": (vp, [vp]),
        "dp_buf_len": (sz, [vp]),
        "dp_convert": (ip, [vp, cp, sz, cp, cp, kv, vp, DIAG_FN, vp, err]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args


_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_registry: Optional[int] = None


def library() -> ctypes.CDLL:
    """libdocpipe, loaded and declared once (thread-safe)."""
    global _lib
    with _lock:
        if _lib is None:
            tried = []
            for cand in _candidates():
                try:
                    lib = ctypes.CDLL(cand)
                    getattr(lib, "dp_convert")
                except (OSError, AttributeError) as e:
                    tried.append(f"{cand}: {e}")
                    continue
                _declare(lib)
                _lib = lib
                break
            else:
                raise ImportError("docpipe: cannot load libdocpipe (install docpipe, or set "
                                  f"{ENV_LIBRARY} to the library's path); tried:\n  " + "\n  ".join(tried))
        return _lib


def registry() -> int:
    """The one plugin registry of this process (dp_convert.h: one registry
    serves every thread). Plugins are found as the CLI finds them:
    DOCPIPE_PLUGIN_PATH, then beside the library."""
    global _registry
    lib = library()
    with _lock:
        if _registry is None:
            reg = ctypes.c_void_p()
            err = Error()
            if lib.dp_registry_new(ctypes.byref(reg), None, ctypes.byref(err)) != 0:
                raise OSError(f"docpipe: cannot scan the plugins: {err.message.decode(errors='replace')}")
            _registry = reg.value
        return _registry


def library_path() -> str:
    """The file libdocpipe was loaded from."""
    lib = library()
    return lib._name
