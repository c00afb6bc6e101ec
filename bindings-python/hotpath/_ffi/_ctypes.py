"""The ctypes adapter: the library's functions typed from the generated declarations
(_decls), and the conversions between Python objects and C arguments.

It has the same names and meanings as _cffi (see _ffi/__init__ for the interface);
the public modules call only those names, through the backend object.

Type rule (from the header's C type): ``const char*`` is c_char_p (bytes pass
straight through); every other pointer is c_void_p, so that an address, a ctypes
array (the out-cells), a byref() or None can be passed without building a ctypes
object per call for the buffers we allocate; scalars are the fixed-width ctypes types.

ctypes releases the GIL for the duration of every foreign call, so batch kernels run
in parallel with other Python threads; the caller keeps the buffers it passed alive
(and unresized) until the call returns.
"""

from __future__ import annotations

import ctypes
import os
from array import array
from ctypes import (byref, c_char, c_char_p, c_double, c_int32, c_size_t, c_uint8, c_uint32,
                    c_uint64, c_void_p, string_at)

from . import _decls

NAME = "ctypes"
NULL = None

_SCALARS = {"void": None, "uint8_t": c_uint8, "int32_t": c_int32, "uint32_t": c_uint32,
            "uint64_t": c_uint64, "size_t": c_size_t, "double": c_double}


def ctype(spelling):
    """The ctypes type of a C type spelled as in _decls (None for void)."""
    if spelling.endswith("*"):
        return c_char_p if spelling == "const char*" else c_void_p
    return _SCALARS[_decls.TYPEDEFS.get(spelling, spelling)]


# name: (restype, argtypes), derived from the headers
FUNCTIONS = {name: (ctype(result), tuple(ctype(p) for p in params))
             for name, (result, params) in _decls.FUNCTIONS.items()}


def _struct_type(name):
    fields = [(field, c_void_p if t.endswith("*") else ctype(t))
              for field, t in _decls.STRUCTS[name]]
    return type(name, (ctypes.Structure,), {"_fields_": fields})


STRUCTS = {name: _struct_type(name) for name in _decls.STRUCTS}


# --- the library ------------------------------------------------------------------------

def open_library(target):
    """dlopen a path or a bare soname; OSError when the loader cannot."""
    return ctypes.CDLL(target)


def has_symbol(lib, name):
    try:
        getattr(lib, name)
    except AttributeError:
        return False
    return True


def bind(lib):
    """Declare every function's types on the loaded library; returns the missing names."""
    missing = []
    for name, (restype, argtypes) in FUNCTIONS.items():
        try:
            func = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        func.restype = restype
        func.argtypes = argtypes
    return missing


def symbol_address(lib, name):
    return ctypes.cast(getattr(lib, name), c_void_p).value


# --- values coming back -----------------------------------------------------------------

def text(value):
    """A const char* (returned: bytes; read from a cell: an address) as str; None for NULL."""
    if value is None:
        return None
    if value.__class__ is not bytes:
        value = string_at(value)
    return value.decode("utf-8", "replace")


def path_text(value):
    """A const char* holding a path as str, decoded as the file system does
    (os.fsdecode); None for NULL."""
    if value is None:
        return None
    if value.__class__ is not bytes:
        value = string_at(value)
    return os.fsdecode(value)


def string(pointer, n):
    """The n bytes at pointer (a pointer read from a cell or a struct) as bytes."""
    return string_at(pointer, n) if n else b""


def read_array(pointer, n, code):
    """A copy of the n items at pointer as an array of typecode code ('Q', 'I', 'i', 'd')."""
    out = array(code)
    if n:
        out.frombytes((c_char * (n * out.itemsize)).from_address(pointer))
    return out


def is_null(pointer):
    return not pointer


# --- out-parameter cells ----------------------------------------------------------------
# One-item arrays: ctypes passes an array where a pointer is declared, and cell[0]
# reads the same way as a cffi "T[1]".  A pointer cell reads as an int (or None).

def cell_type(spelling):
    """A factory of one-item cells for an out-parameter of C type ``spelling*``:
    "size_t", "double", "const char*", "hotpath_text_corpus_t*" (a handle)..."""
    return (c_void_p if spelling.endswith("*") else ctype(spelling)) * 1


new_u64 = c_uint64 * 1
new_f64 = c_double * 1
new_i32 = c_int32 * 1
new_size = c_size_t * 1


# --- buffers going in -------------------------------------------------------------------

def _pointer(data):
    """Address of normalised data for a c_void_p argument.

    Our own arrays and numpy arrays give their address directly, and so does a view
    of a whole array.  Other buffers (memoryviews) go through from_buffer, whose
    result the byref keeps alive for the call.  ctypes cannot take the address of a
    readonly buffer: copy it.  Empty buffers give NULL.
    """
    cls = data.__class__
    if cls is array:
        return data.buffer_info()[0]
    if cls is bytearray:
        return byref(c_char.from_buffer(data)) if data else None
    if cls is bytes:
        return data or None
    if cls is memoryview:
        if not data.nbytes:
            return None
        owner = data.obj
        if owner.__class__ is array:
            address, length = owner.buffer_info()
            # A contiguous view as long as its array is the whole array: same address.
            # The view itself pins the array, which cannot be resized while exported.
            if data.nbytes == length * owner.itemsize:
                return address
        if owner.__class__ is bytes and len(owner) == data.nbytes:
            return owner
        if data.readonly:
            data = bytearray(data.cast("B"))
        return byref(c_char.from_buffer(data))
    # numpy.ndarray: from_buffer is ~3x faster than .ctypes.data, but only for writable
    # arrays (and never for empty ones, where NULL is what the C API expects anyway).
    if not data.size:
        return None
    try:
        return byref(c_char.from_buffer(data))
    except TypeError:
        return data.ctypes.data


def array_in(data, spelling):
    """A const T* argument (T: the C element type) from a C-contiguous buffer."""
    return _pointer(data)


def array_out(data, spelling):
    """A T* argument from a writable C-contiguous buffer."""
    return _pointer(data)


in_u64 = in_f64 = in_u32 = in_size = out_u64 = out_f64 = out_u32 = out_size = _pointer


def bytes_in(view):
    """A const void* / const uint8_t* argument from bytes, bytearray or a byte view
    (NULL when empty); a readonly view that is not a whole bytes object is copied."""
    return _pointer(view)


def bytes_out(view):
    """A void* / char* output argument from a writable byte buffer (NULL when empty)."""
    return _pointer(view)


def chars_in(data):
    """A const char* argument from bytes or bytearray (our packed text)."""
    if data.__class__ is bytearray:
        return byref(c_char.from_buffer(data)) if data else None
    return data


def address(value):
    """A void* argument from an integer address."""
    return value


def chars_at(value):
    """A const char* argument from an integer address."""
    return c_char_p(value)


# --- structs ----------------------------------------------------------------------------

def new_struct(name):
    """A zeroed public struct (fields by attribute); struct_size is set when it has one."""
    s = STRUCTS[name]()
    if "struct_size" in dict(s._fields_):
        s.struct_size = ctypes.sizeof(s)
    return s


def struct_size(name):
    return ctypes.sizeof(STRUCTS[name])


def set_pointer(s, field, data):
    """Point a pointer field of s at data (bytes, bytearray, array); returns what must
    stay alive as long as s is used."""
    cls = data.__class__
    if cls is array:
        s.__setattr__(field, data.buffer_info()[0] if len(data) else None)
        return data
    if cls is bytes:
        keep = c_char_p(data)
        s.__setattr__(field, ctypes.cast(keep, c_void_p).value)
        return keep, data
    keep = c_char.from_buffer(data) if len(data) else None
    s.__setattr__(field, ctypes.addressof(keep) if keep is not None else None)
    return keep, data


def struct_arg(s):
    """The pointer argument for a struct made by new_struct."""
    return byref(s)
