"""Compression: LZ4 frames and gzip members, into caller buffers and between files
(C API: include/hotpath/compress.h; docs/compress.md).

    FORMATS = ("lz4", "gzip");  levels(format) -> (min, max, default)
    compress_bound(n, format="lz4") -> int
    compress_into(src, dst, format="lz4", level=None) -> bytes written into dst
    decompress_into(src, dst) -> bytes written into dst (format told by the magic bytes)
    decompressed_size(src) -> int, or None when the headers do not tell it
    compress(data, format="lz4", level=None) -> bytes
    decompress(data, max_size=None) -> bytes
    compress_file(src_path, dst_path, format="lz4", level=None) -> bytes written
    decompress_file(src_path, dst_path) -> bytes written

"lz4" is the LZ4 frame format (the lz4 command-line tool and python-lz4's lz4.frame
read it; 4 MiB independent blocks, content checksum, content size), "gzip" is RFC 1952
(the gzip tool reads it).  Levels: lz4 takes liblz4's compressionLevel (negative =
faster, 0 = default fast, 3..12 = high compression), gzip zlib's 0..9 (default 6).
Decompression accepts any concatenation of LZ4 frames (skippable ones included) and
gzip members; bytes after the last frame are an error.

src and data take any C-contiguous buffer (bytes, bytearray, memoryview, array,
numpy); dst must be writable.  Paths are str, bytes or os.PathLike.  The file calls
stream in constant memory and write a temporary file in the destination's folder that
is renamed at the end: on failure no destination appears, an existing one is left
untouched, and the temporary file is removed.

decompress() produces at most max_size bytes (default DEFAULT_MAX_SIZE, 256 MiB; more
raises EBUFFER naming max_size).  It allocates the size the headers declare when they
all declare one (a header claiming more than 256 bytes per input byte is corrupt);
otherwise it decodes into a buffer that starts at 4x the input and doubles while the
output grows (grown in place where the allocator can), decoding nothing twice: memory
follows the real output, not what the input claims.

Errors: HotpathValueError with .status EBUFFER (dst or max_size too small) or ECORRUPT
(corrupt, truncated or hostile input, neither magic); HotpathOSError (an OSError:
FileNotFoundError, PermissionError, ... with errno and filename) for file errors
(docs/errors.md).  Native calls release the GIL.
On the pure-Python backend LZ4 is a slow implementation written from the
specification (its compressed bytes differ from liblz4's; the content never does).
"""

from __future__ import annotations

import os

from . import _dispatch
from ._ffi import _fresh, _loader
from . import _compress_py as _py
from ._dispatch import count_fallback, count_native
from ._buffers import u64_arg
from ._errors import (EBUFFER, ECORRUPT, HotpathError, HotpathTypeError, HotpathValueError,
                      error_for_status)

__all__ = [
    "FORMATS", "levels", "compress_bound", "compress_into", "decompress_into",
    "decompressed_size", "compress", "decompress", "compress_file", "decompress_file",
    "DEFAULT_MAX_SIZE",
]

# decompress() produces at most this many bytes unless max_size says otherwise: a
# small input (a 1 MB gzip member can hold 1 GiB) never takes the memory it claims.
DEFAULT_MAX_SIZE = 256 << 20

FORMATS = _py.FORMATS
_CODES = {"lz4": 1, "gzip": 2}


# --- argument checks shared by every backend ------------------------------------------

def _format_arg(fmt):
    if not isinstance(fmt, str):
        raise HotpathTypeError("argument 'format' has type %s; expected str"
                               % type(fmt).__name__)
    if fmt not in _CODES:
        raise HotpathValueError("argument 'format' is %r; expected 'lz4' or 'gzip'" % (fmt,))
    return fmt


def _int_arg(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(value.__index__())
        except (AttributeError, TypeError):
            raise HotpathTypeError("argument '%s' has type %s; expected an integer"
                                   % (name, type(value).__name__)) from None
    return int(value)


def _level_arg(fmt, level):
    lo, hi, default = _py.levels(fmt)
    if level is None:
        return default
    level = _int_arg(level, "level")
    if not lo <= level <= hi:
        raise HotpathValueError("argument 'level' is %d; expected an integer in [%d, %d] for %s"
                                % (level, lo, hi, fmt))
    return level


def _size_arg(n, name):
    return u64_arg(n, name)  # the range check of every size argument


def _view(obj, name, writable=False):
    """A 1-D unsigned-byte memoryview of obj (no copy)."""
    if isinstance(obj, str):
        raise HotpathTypeError("argument '%s' has type str; expected a bytes-like object "
                               "(encode the text first)" % name)
    try:
        view = memoryview(obj)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected a bytes-like object"
                               % (name, type(obj).__name__)) from None
    if writable and view.readonly:
        raise HotpathTypeError("argument '%s' is read-only; expected a writable buffer" % name)
    if not view.c_contiguous:
        raise HotpathValueError("argument '%s': buffer must be C-contiguous; copy it first"
                                % name)
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    return view


def _path_arg(path, name):
    try:
        raw = os.fsencode(path)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected str, bytes or os.PathLike"
                               % (name, type(path).__name__)) from None
    if b"\0" in raw:
        raise HotpathValueError("argument '%s' contains a NUL byte" % name)
    if not raw:
        raise HotpathValueError("argument '%s' is empty" % name)
    return raw


def levels(format):
    """(min, max, default) compression level of a format."""
    return _py.levels(_format_arg(format))


# --- the native calls -----------------------------------------------------------------

class _Growing:
    """An output buffer for the decoder: a fresh bytes object grown in place where the
    interpreter allows it (CPython), else a bytearray."""

    def __init__(self, native, n):
        self.native = native
        self.size = n
        self.fresh = native.new_bytes(n) if native.new_bytes is not None else None
        self.array = None if self.fresh is not None else bytearray(n)

    def pointer(self):
        if self.fresh is not None:
            return self.native.address(self.fresh.address)
        return self.native.dst_ptr(memoryview(self.array))

    def grow(self, n, keep):
        if self.fresh is not None:
            self.fresh.grow(n, keep)
        else:
            self.array.extend(bytes(n - self.size))
        self.size = n

    def take(self, n):
        if self.fresh is not None:
            return self.fresh.take(n)
        return bytes(memoryview(self.array)[:n])

    def release(self):
        if self.fresh is not None:
            self.fresh.release()
        self.array = None


def _over_limit(limit, size=None):
    """The EBUFFER error of an output beyond max_size (size: the declared one)."""
    return error_for_status(EBUFFER, "the input decompresses to %s than max_size (%d bytes%s); "
                            "pass a larger max_size to allow more"
                            % ("more" if size is None else "%d bytes, more" % size, limit,
                               ", the default" if limit == DEFAULT_MAX_SIZE else ""))


class _Native:
    def __init__(self, backend):
        self.backend = backend
        lib = self.lib = backend.lib
        self.error = backend.error
        self.new_bytes = _fresh.factory()
        api = backend.api
        self.address = api.address
        self.size_cell = backend.new_size
        self.u64_cell = backend.new_u64
        self.i32_cell = backend.new_i32
        self.src_ptr = api.bytes_in
        self.dst_ptr = api.bytes_out
        for name in ("lz4", "gzip"):
            code = int(getattr(lib, "hotpath_compress_format_" + name)())
            if code != _CODES[name]:
                raise HotpathError("library format code %d for %s; expected %d"
                                   % (code, name, _CODES[name]))

    def check(self, status):
        if status:
            raise self.error(status)

    def bound(self, n, fmt):
        cell = self.size_cell()
        self.check(self.lib.hotpath_compress_bound(_CODES[fmt], n, cell))
        return int(cell[0])

    def compress_into(self, view, dst, fmt, level):
        cell = self.size_cell()
        self.check(self.lib.hotpath_compress_into(_CODES[fmt], level, self.src_ptr(view),
                                                  len(view), self.dst_ptr(dst), len(dst), cell))
        return int(cell[0])

    def decompress_into(self, view, dst):
        cell = self.size_cell()
        self.check(self.lib.hotpath_decompress_into(self.src_ptr(view), len(view),
                                                    self.dst_ptr(dst), len(dst), cell))
        return int(cell[0])

    def compress_bytes(self, view, fmt, level):
        """bytes of the compressed view, or None when new_bytes is unavailable."""
        if self.new_bytes is None:
            return None
        cap = self.bound(len(view), fmt)
        fresh = self.new_bytes(cap)
        try:
            cell = self.size_cell()
            self.check(self.lib.hotpath_compress_into(_CODES[fmt], level, self.src_ptr(view),
                                                      len(view), self.address(fresh.address),
                                                      cap, cell))
            return fresh.take(int(cell[0]))
        finally:
            fresh.release()

    def decompress_bytes(self, view, size):
        """bytes of the decompressed view whose headers declare size bytes, or None."""
        if self.new_bytes is None or size == 0:
            return None
        fresh = self.new_bytes(size)
        try:
            cell = self.size_cell()
            self.check(self.lib.hotpath_decompress_into(self.src_ptr(view), len(view),
                                                        self.address(fresh.address), size,
                                                        cell))
            return fresh.take(int(cell[0]))
        finally:
            fresh.release()

    def decompress_growing(self, view, limit):
        """bytes of the decompressed view, at most limit of them (EBUFFER past it), in a
        buffer that grows with the output: nothing is decoded twice."""
        lib = self.lib
        cell = self.backend.api.cell_type("hotpath_decoder_t*")()
        self.check(lib.hotpath_decoder_create(cell))
        decoder = cell[0]
        try:
            src = self.src_ptr(view)  # held: the decoder reads it until the last run
            self.check(lib.hotpath_decoder_begin(decoder, src, len(view)))
            cap = min(max(4 * len(view), 1 << 16), limit)
            written, done = self.size_cell(), self.i32_cell()
            buf = _Growing(self, cap)
            try:
                while True:
                    self.check(lib.hotpath_decoder_run(decoder, buf.pointer(), buf.size,
                                                       written, done))
                    if done[0]:
                        return buf.take(int(written[0]))
                    if buf.size >= limit:
                        raise _over_limit(limit)
                    buf.grow(min(2 * buf.size, limit), int(written[0]))
            finally:
                buf.release()
        finally:
            lib.hotpath_decoder_destroy(decoder)

    def content_size(self, view):
        size, known = self.u64_cell(), self.i32_cell()
        self.check(self.lib.hotpath_compress_content_size(self.src_ptr(view), len(view), size,
                                                          known))
        return int(size[0]) if known[0] else None

    def compress_file(self, src, dst, fmt, level):
        cell = self.u64_cell()
        self.check(self.lib.hotpath_compress_file(_CODES[fmt], level, src, dst, cell))
        return int(cell[0])

    def decompress_file(self, src, dst):
        cell = self.u64_cell()
        self.check(self.lib.hotpath_decompress_file(src, dst, cell))
        return int(cell[0])


class _Twin:
    """The same operations through the pure-Python twin."""

    bound = staticmethod(lambda n, fmt: _py.compress_bound(n, fmt))

    @staticmethod
    def compress_into(view, dst, fmt, level):
        need = _py.compress_bound(len(view), fmt)
        if len(dst) < need:
            raise error_for_status(EBUFFER, "argument 'dst' holds %d bytes; compress_bound "
                                   "gives %d" % (len(dst), need))
        out = _py.lz4_compress(view) if fmt == "lz4" else _py.gzip_compress(view, level)
        dst[:len(out)] = out
        return len(out)

    @staticmethod
    def decompress_into(view, dst):
        out = _py.decompress_into(view, len(dst))
        dst[:len(out)] = out
        return len(out)

    content_size = staticmethod(_py.content_size)
    compress_bytes = decompress_bytes = staticmethod(lambda *args: None)

    @staticmethod
    def decompress_growing(view, limit):
        try:
            return bytes(_py.decompress_into(view, limit))  # grows its output as it decodes
        except HotpathError as exc:
            if exc.status == EBUFFER:
                raise _over_limit(limit) from None
            raise

    @staticmethod
    def compress_file(src, dst, fmt, level):
        return _py.compress_file(fmt, level, src, dst)

    decompress_file = staticmethod(_py.decompress_file)


def _native(backend):
    native = backend.kernels.get("compress")
    if native is None:
        native = backend.kernels["compress"] = _Native(backend)
    return native


# --- public functions over either implementation --------------------------------------

def _functions(impl, count):
    def compress_bound(n, format="lz4"):
        """The largest size compress_into() can write for n input bytes."""
        return impl.bound(_size_arg(n, "n"), _format_arg(format))

    def compress_into(src, dst, format="lz4", level=None):
        """Compress src into the writable buffer dst (at least compress_bound bytes);
        returns the number of bytes written."""
        fmt = _format_arg(format)
        level = _level_arg(fmt, level)
        view = _view(src, "src")
        out = _view(dst, "dst", writable=True)
        n = impl.compress_into(view, out, fmt, level)
        count(len(view))
        return n

    def decompress_into(src, dst):
        """Decompress every frame/member of src into dst; returns the bytes written."""
        view = _view(src, "src")
        out = _view(dst, "dst", writable=True)
        n = impl.decompress_into(view, out)
        count(len(view))
        return n

    def decompressed_size(src):
        """The decompressed size the frame headers declare, or None (gzip, or an LZ4
        frame written without its size)."""
        view = _view(src, "src")
        return impl.content_size(view)

    def compress(data, format="lz4", level=None):
        """data compressed into one LZ4 frame or gzip member, as bytes."""
        fmt = _format_arg(format)
        level = _level_arg(fmt, level)
        view = _view(data, "data")
        out = impl.compress_bytes(view, fmt, level)
        if out is not None:
            count(len(view))
            return out
        buf = bytearray(impl.bound(len(view), fmt))
        n = impl.compress_into(view, buf, fmt, level)
        count(len(view))
        del buf[n:]
        return bytes(buf)

    def decompress(data, max_size=None):
        """The decompressed content of data (any concatenation of LZ4 frames and gzip
        members).  max_size (default DEFAULT_MAX_SIZE, 256 MiB): refuse (EBUFFER) to
        produce more than this many bytes."""
        view = _view(data, "data")
        max_size = DEFAULT_MAX_SIZE if max_size is None else _size_arg(max_size, "max_size")
        size = impl.content_size(view)
        if size is not None:
            if size > max_size:
                raise _over_limit(max_size, size)
            try:
                out = impl.decompress_bytes(view, size)
                if out is None:
                    buf = bytearray(size)
                    del buf[impl.decompress_into(view, buf):]
                    out = bytes(buf)
            except HotpathError as exc:
                if exc.status == EBUFFER:  # more content than the headers declare
                    raise error_for_status(ECORRUPT, "corrupt LZ4 frame: content size "
                                           "mismatch") from None
                raise
            count(len(view))
            return out
        out = impl.decompress_growing(view, max_size)
        count(len(view))
        return out

    def compress_file(src_path, dst_path, format="lz4", level=None):
        """Compress the file src_path into dst_path (atomically); returns bytes written."""
        fmt = _format_arg(format)
        level = _level_arg(fmt, level)
        src = _path_arg(src_path, "src_path")
        dst = _path_arg(dst_path, "dst_path")
        n = impl.compress_file(src, dst, fmt, level)
        count(1)
        return n

    def decompress_file(src_path, dst_path):
        """Decompress the file src_path into dst_path (atomically); returns bytes
        written."""
        src = _path_arg(src_path, "src_path")
        dst = _path_arg(dst_path, "dst_path")
        n = impl.decompress_file(src, dst)
        count(1)
        return n

    funcs = dict(compress_bound=compress_bound, compress_into=compress_into,
                 decompress_into=decompress_into, decompressed_size=decompressed_size,
                 compress=compress, decompress=decompress, compress_file=compress_file,
                 decompress_file=decompress_file)
    for f in funcs.values():
        f.__module__ = __name__
    return funcs


def _bind(mode):
    backend = _loader.active()
    if backend.native and mode != "python" and "compress" in backend.modules:
        funcs = _functions(_native(backend), count_native)
    else:
        funcs = _functions(_Twin, count_fallback)
    globals().update(funcs)


# Bound for real by _dispatch.register below.
compress_bound = compress_into = decompress_into = decompressed_size = None
compress = decompress = compress_file = decompress_file = None

_dispatch.register(_bind)
