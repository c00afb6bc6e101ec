"""The cffi adapter (ABI mode: ffi.cdef + ffi.dlopen, no compiler needed): the
generated declarations (_decls.CDEF) parsed by cffi, and the conversions between
Python objects and C arguments.

It has the same names and meanings as _ctypes (see _ffi/__init__ for the interface).
cffi is optional: it is imported on first use (ffi()), so this module can be imported
without it; the helpers below run only after open_library.  cffi releases the GIL
during foreign calls, like ctypes.  ffi.from_buffer accepts any buffer-protocol object
(array, memoryview, numpy), readonly ones included, and keeps it alive as long as the
returned cdata.
"""

from __future__ import annotations

import os
from array import array

from . import _decls

NAME = "cffi"
NULL = None  # ffi.NULL once ffi() has run

FUNCTION_NAMES = tuple(_decls.FUNCTIONS)

_ffi = None


def ffi():
    """The process-wide FFI with the declarations parsed; ImportError without cffi."""
    global _ffi, NULL
    if _ffi is None:
        import cffi  # optional dependency, only for this backend
        instance = cffi.FFI()
        instance.cdef(_decls.CDEF)
        NULL = instance.NULL
        _ffi = instance
        _bind_helpers(instance)
    return _ffi


# --- the library ------------------------------------------------------------------------

def open_library(target):
    """dlopen a path or a bare soname; OSError when the loader cannot."""
    return ffi().dlopen(target)


def has_symbol(lib, name):
    try:
        getattr(lib, name)
    except (AttributeError, NotImplementedError):
        return False
    return True


def bind(lib):
    """cffi resolves symbols lazily; touch each one now so that a library missing
    a function is refused at load time.  Returns the missing names."""
    return [name for name in FUNCTION_NAMES if not has_symbol(lib, name)]


def symbol_address(lib, name):
    return int(ffi().cast("uintptr_t", getattr(lib, name)))


# --- values coming back -----------------------------------------------------------------

def text(value):
    """A returned or read const char* as str; None for NULL."""
    if value == _ffi.NULL:
        return None
    return _ffi.string(value).decode("utf-8", "replace")


def path_text(value):
    """A const char* holding a path as str, decoded as the file system does
    (os.fsdecode); None for NULL."""
    if value == _ffi.NULL:
        return None
    return os.fsdecode(_ffi.string(value))


def string(pointer, n):
    """The n bytes at pointer as bytes."""
    return _ffi.unpack(_ffi.cast("char*", pointer), n) if n else b""


_ITEM = {"Q": "uint64_t", "I": "uint32_t", "i": "int32_t", "d": "double", "B": "uint8_t"}


def read_array(pointer, n, code):
    """A copy of the n items at pointer as an array of typecode code ('Q', 'I', 'i', 'd')."""
    out = array(code)
    if n:
        out.frombytes(_ffi.buffer(_ffi.cast("char*", pointer), n * out.itemsize))
    return out


def is_null(pointer):
    return pointer == _ffi.NULL


# --- out-parameter cells ----------------------------------------------------------------

def cell_type(spelling):
    """A factory of one-item cells ``T[1]`` for an out-parameter of C type ``T*``."""
    f = ffi()
    kind = f.typeof("%s[1]" % spelling)
    new = f.new
    return lambda: new(kind)


def new_u64():
    return _ffi.new("uint64_t[1]")


def new_f64():
    return _ffi.new("double[1]")


def new_i32():
    return _ffi.new("int32_t[1]")


def new_size():
    return _ffi.new("size_t[1]")


# --- buffers going in -------------------------------------------------------------------

def array_in(data, spelling):
    """A const T* argument from a C-contiguous buffer of T."""
    return _ffi.from_buffer(spelling + "[]", data)


def array_out(data, spelling):
    """A T* argument from a writable C-contiguous buffer of T."""
    return _ffi.from_buffer(spelling + "[]", data, require_writable=True)


def _bind_helpers(f):
    global in_u64, in_f64, in_u32, in_size, out_u64, out_f64, out_u32, out_size
    from_buffer = f.from_buffer
    t_u64, t_f64 = f.typeof("uint64_t[]"), f.typeof("double[]")
    t_u32, t_size = f.typeof("uint32_t[]"), f.typeof("size_t[]")

    def make(kind, writable):
        if writable:
            return lambda data: from_buffer(kind, data, require_writable=True)
        return lambda data: from_buffer(kind, data)

    in_u64, out_u64 = make(t_u64, False), make(t_u64, True)
    in_f64, out_f64 = make(t_f64, False), make(t_f64, True)
    in_u32, out_u32 = make(t_u32, False), make(t_u32, True)
    in_size, out_size = make(t_size, False), make(t_size, True)


in_u64 = in_f64 = in_u32 = in_size = out_u64 = out_f64 = out_u32 = out_size = None


def bytes_in(view):
    """A const void* argument from a byte buffer (NULL when empty)."""
    return _ffi.from_buffer(view) if len(view) else _ffi.NULL


def bytes_out(view):
    """A void* / char* output argument from a writable byte buffer (NULL when empty)."""
    return _ffi.from_buffer(view, require_writable=True) if len(view) else _ffi.NULL


def chars_in(data):
    """A const char* argument from bytes or bytearray (our packed text)."""
    if data.__class__ is bytearray:
        return _ffi.from_buffer(data)
    return data


def address(value):
    """A void* argument from an integer address."""
    return _ffi.cast("void *", value)


def chars_at(value):
    """A const char* argument from an integer address."""
    return _ffi.cast("const char *", value)


# --- structs ----------------------------------------------------------------------------

def new_struct(name):
    """A zeroed public struct (fields by attribute); struct_size is set when it has one."""
    s = _ffi.new(name + " *")
    if any(field == "struct_size" for field, _ in _decls.STRUCTS[name]):
        s.struct_size = _ffi.sizeof(name)
    return s


def struct_size(name):
    return ffi().sizeof(name)


def set_pointer(s, field, data):
    """Point a pointer field of s at data (bytes, bytearray, array); returns what must
    stay alive as long as s is used."""
    kind = _ffi.typeof(s[0]).fields
    spelling = dict(kind)[field].type.item.cname
    keep = _ffi.from_buffer(spelling + "[]", data)
    setattr(s, field, keep)
    return keep, data


def struct_arg(s):
    return s
