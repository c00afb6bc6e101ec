"""Many strings across the boundary at once: the packed form (data, offsets).

Every C function that takes a list of texts or paths takes one buffer and n + 1
offsets, item i being ``data[offsets[i]:offsets[i + 1]]`` (include/hotpath/text.h,
files.h).  pack() builds that form from a sequence of str (or of bytes) with a
constant number of C-level Python calls, whatever the number of items:

1. ``"\\0".join(items)`` (``b"\\0".join`` for bytes), one encode of the whole, one copy
   into a bytearray;
2. one library call, hotpath_split_joined, removes the separators in place and writes
   the offsets.

When that cannot give the right answer the per-item path runs instead (one encode per
item, then ``b"".join``), and its result is the reference the fast path equals byte for
byte: a list mixing str and bytes or holding another type (the join raises TypeError),
a str that the codec refuses (a lone surrogate: UnicodeEncodeError), and an item that
itself holds the separator (the library counts the separators and refuses, leaving the
buffer unchanged).  The per-item path encodes with the caller's ``encode(item, index)``,
so a bad item raises the caller's own error, naming its index, exactly as before.
Short lists take the per-item path too: below PER_ITEM_BELOW items it is faster.

This is the way lists cross in every module: a new batch API packs with pack() and
passes ``api.chars_in(data)``, ``api.in_size(offsets)``, n.  A C function that keeps
its list (hotpath_text_corpus_create_joined) takes the joined items instead, from
joined_arg(): one join, whose own UTF-8 the library reads in place where CPython
allows (no encode, no copy), the caller keeping the joined str alive as long as the
library reads it.
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import accumulate

# The array typecode of size_t (offsets are size_t in the C API).
SIZE_CODE = next(c for c in "QLI" if array(c).itemsize == struct.calcsize("N"))

# Measured: below this many items the per-item path costs no more than the join, the
# encode and the library call (docs/ffi.md).
PER_ITEM_BELOW = 12

# The library's HOTPATH_EINVAL (include/hotpath/common.h).
EINVAL = -1
_BYTES = {bytes}


def utf8(item, index):
    """The default encoder of the per-item path: UTF-8 for str, bytes as they are."""
    if item.__class__ is bytes:
        return item
    return item.encode("utf-8")


def pack_items(items, encode=utf8):
    """(data, offsets) item by item: the reference path."""
    encoded = [encode(item, i) for i, item in enumerate(items)]
    offsets = array(SIZE_CODE, [0])
    offsets.extend(accumulate(map(len, encoded)))
    return b"".join(encoded), offsets


def _join(items, bytes_ok):
    """``"\0".join(items)`` for str items (``b"\0".join`` for bytes ones with
    bytes_ok), or None when the per-item path must run: fewer than PER_ITEM_BELOW
    items, a list mixing types or holding another type."""
    if len(items) < PER_ITEM_BELOW:
        return None
    try:
        first = items[0]
        if first.__class__ is str or isinstance(first, str):
            return "\0".join(items)
        if bytes_ok and first.__class__ is bytes and set(map(type, items)) == _BYTES:
            # (b"\0".join would also take bytearray and memoryview items: encode decides)
            return b"\0".join(items)
    except TypeError:
        pass
    return None


def joined(items, encoding="utf-8", errors="strict", bytes_ok=False):
    """The items joined by NUL bytes in one join and one encode (bytes), or None when
    that is not the answer and the per-item path must run (see _join, and a str the
    codec refuses).  An item holding NUL is found by the library, which counts the
    separators.  This is the input of hotpath_split_joined."""
    whole = _join(items, bytes_ok)
    if whole is None or whole.__class__ is bytes:
        return whole
    try:
        return whole.encode(encoding, errors)
    except UnicodeError:
        return None


def _utf8_of_str():
    """CPython's PyUnicode_AsUTF8AndSize (through ctypes.pythonapi), or None on an
    interpreter that does not have it."""
    if sys.implementation.name != "cpython":
        return None
    try:
        import ctypes
        f = ctypes.pythonapi.PyUnicode_AsUTF8AndSize
    except (ImportError, AttributeError, OSError):
        return None
    f.restype = ctypes.c_void_p
    f.argtypes = (ctypes.py_object, ctypes.POINTER(ctypes.c_ssize_t))
    size = ctypes.c_ssize_t()
    ref = ctypes.byref(size)

    def utf8(s):
        address = f(s, ref)  # raises UnicodeEncodeError for a lone surrogate
        return address, size.value
    return utf8


# (address, size) of a str's UTF-8 kept by the str itself: no copy for an ASCII str
# (its characters are its UTF-8), a copy cached in the str otherwise.  None: encode.
utf8_of_str = _utf8_of_str()


def joined_arg(api, items):
    """(keep, data, size): the str items joined by NUL bytes, as the const char*
    argument data of size bytes, for the functions that read joined items in place
    (hotpath_text_corpus_create_joined); keep must stay alive as long as the library
    reads data.  One join and, where the interpreter allows, no encode: the library
    reads the joined str's own UTF-8.  None when the per-item path must run (see
    joined())."""
    whole = _join(items, False)
    if whole is None:
        return None
    try:
        if utf8_of_str is None:
            data = whole.encode("utf-8")
            return data, api.chars_in(data), len(data)
        address, size = utf8_of_str(whole)
    except UnicodeError:  # a lone surrogate
        return None
    return whole, api.chars_at(address), size


def pack(backend, items, encode=utf8, encoding="utf-8", errors="strict", bytes_ok=False):
    """(data, offsets) of a sequence of str (or, with bytes_ok, of bytes), for a
    native backend.

    data is bytes or a bytearray (pass it as ``backend.api.chars_in(data)``) and
    offsets an array of SIZE_CODE with len(items) + 1 entries.  encoding and errors
    are the codec of the fast path, which must agree with encode for every str; any
    other item goes to encode, which decides (raise, or give its bytes).
    """
    n = len(items)
    whole = joined(items, encoding, errors, bytes_ok)
    if whole is None:
        return pack_items(items, encode)
    data = bytearray(whole)
    offsets = array(SIZE_CODE, [0]) * (n + 1)
    api = backend.api
    status = backend.lib.hotpath_split_joined(api.bytes_out(data), len(data), 0, n,
                                              api.out_size(offsets))
    if status == EINVAL:  # an item holds the separator
        return pack_items(items, encode)
    if status:
        raise backend.error(status)
    del data[offsets[n]:]  # the n - 1 bytes the separators left at the end
    return data, offsets
