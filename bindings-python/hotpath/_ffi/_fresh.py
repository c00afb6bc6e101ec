"""Fresh bytes objects that the library writes into (CPython only).

compress() and decompress() write the library's output straight into a new bytes
object, as C extensions do (PyBytes_FromStringAndSize(NULL, n)): a bytearray would
first zero the whole buffer, which costs as much as the compression of fast data.
This uses ctypes to reach the C API of the running interpreter, whichever FFI calls
the library; the adapters pass the holder's address with api.address().
"""

from __future__ import annotations


def factory():
    """Fresh(n): a holder of a new bytes object of n uninitialised bytes (.address of
    its data, .take(k) to get it cut to k bytes), on CPython; None elsewhere.

    compress() and decompress() write the library's output straight into a fresh bytes
    object, as C extensions do (PyBytes_FromStringAndSize(NULL, n)): a bytearray would
    first zero the whole buffer, which costs as much as the compression of fast data.
    The object is not visible to any other code until it is returned complete.
    """
    import platform
    if platform.python_implementation() != "CPython" or bytes.__itemsize__ != 1:
        return None
    import ctypes
    # A handle of our own: the function objects (and their types) are not shared with
    # other users of ctypes.pythonapi.
    api = ctypes.PyDLL("python", handle=ctypes.pythonapi._handle)
    try:
        make = api.PyBytes_FromStringAndSize
    except AttributeError:
        return None
    # The object is held as a raw owned reference until take() hands it over, so that
    # its reference count is exactly 1 and _PyBytes_Resize may shrink it in place (as
    # C extensions do).
    make.restype = ctypes.c_void_p  # a new reference
    make.argtypes = (ctypes.c_void_p, ctypes.c_ssize_t)
    decref = api.Py_DecRef
    decref.restype = None
    decref.argtypes = (ctypes.c_void_p,)
    resize = getattr(api, "_PyBytes_Resize", None)
    if resize is not None:
        resize.restype = ctypes.c_int
        resize.argtypes = (ctypes.POINTER(ctypes.c_void_p), ctypes.c_ssize_t)
    offset = bytes.__basicsize__ - 1  # ob_sval, after the header
    as_object = ctypes.py_object

    class Fresh:
        __slots__ = ("raw", "size", "address")

        def __init__(self, n):
            self.raw = ctypes.c_void_p(make(None, n))
            self.size = n
            self.address = self.raw.value + offset

        def grow(self, n, keep):
            """Make the object n bytes long, its first keep bytes kept (in place when
            the allocator can: large blocks are remapped, not copied)."""
            if resize is not None:
                raw, self.raw = self.raw, None
                resize(ctypes.byref(raw), n)  # on failure it frees the object and raises
                self.raw = raw
            else:
                bigger = ctypes.c_void_p(make(None, n))
                ctypes.memmove(bigger.value + offset, self.address, keep)
                self.release()
                self.raw = bigger
            self.size = n
            self.address = self.raw.value + offset

        def take(self, n):
            """The object cut to its first n bytes; the holder gives it up."""
            if n != self.size and resize is not None:
                raw, self.raw = self.raw, None
                resize(ctypes.byref(raw), n)  # on failure it frees the object and raises
                self.raw, self.size = raw, n
            obj = ctypes.cast(self.raw, as_object).value  # a new reference...
            self.release()  # ...and the raw one dropped
            return obj if n == self.size else obj[:n]

        def release(self):
            if self.raw is not None and self.raw.value:
                decref(self.raw)
            self.raw = None
    return Fresh
