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
passes ``api.chars_in(data)``, ``api.in_size(offsets)``, n.
"""

from __future__ import annotations

import struct
from array import array
from itertools import accumulate

# The array typecode of size_t (offsets are size_t in the C API).
SIZE_CODE = next(c for c in "QLI" if array(c).itemsize == struct.calcsize("N"))

# Measured: below this many items the per-item path costs no more than the join, the
# encode and the library call (docs/ffi.md).
PER_ITEM_BELOW = 12

_EINVAL = -1
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


def pack(backend, items, encode=utf8, encoding="utf-8", errors="strict", bytes_ok=False):
    """(data, offsets) of a sequence of str (or, with bytes_ok, of bytes), for a
    native backend.

    data is bytes or a bytearray (pass it as ``backend.api.chars_in(data)``) and
    offsets an array of SIZE_CODE with len(items) + 1 entries.  encoding and errors
    are the codec of the fast path, which must agree with encode for every str; any
    other item goes to encode, which decides (raise, or give its bytes).
    """
    n = len(items)
    if n < PER_ITEM_BELOW:
        return pack_items(items, encode)
    try:
        first = items[0]
        if first.__class__ is str or isinstance(first, str):
            data = bytearray("\0".join(items).encode(encoding, errors))
        elif bytes_ok and first.__class__ is bytes and set(map(type, items)) == _BYTES:
            # (b"\0".join would also take bytearray and memoryview items: encode decides)
            data = bytearray(b"\0".join(items))
        else:
            return pack_items(items, encode)
    except (TypeError, UnicodeError):
        return pack_items(items, encode)
    offsets = array(SIZE_CODE, [0]) * (n + 1)
    api = backend.api
    status = backend.lib.hotpath_split_joined(api.bytes_out(data), len(data), 0, n,
                                              api.out_size(offsets))
    if status == _EINVAL:  # an item holds the separator
        return pack_items(items, encode)
    if status:
        raise backend.error(status)
    del data[offsets[n]:]  # the n - 1 bytes the separators left at the end
    return data, offsets
