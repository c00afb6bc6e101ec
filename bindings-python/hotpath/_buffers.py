"""Conversion of Python arguments into what the C ABI takes, shared by every module.

Batch inputs are normalised once, by ``u64_input`` / ``f64_input``, into a
*data* object that both paths can use without further checks:

* ``array.array`` ('Q' or 'd'): a copy made here, or an output allocated here;
* ``memoryview`` (1-D, format 'Q' or 'd'): a zero-copy view of the caller's buffer.
  The view holds a buffer export, which pins the caller's object: it stays alive
  and cannot be resized while the native call runs without the GIL;
* a numpy ``ndarray`` (C-contiguous, uint64 or float64): numpy inputs stay numpy so
  that readonly arrays need no copy and outputs can take the input's shape.

The pure-Python twin iterates ``pyitems(data)``; the native backends turn data into
a pointer (``_ctypes_api`` / ``_cffi_api``).  numpy is never imported here: an
object is recognised as a numpy array by its type's module, and the numpy module
is then taken from ``sys.modules`` (it must already be loaded for the object to exist).

The scalar helpers at the end convert single arguments with the same messages
for every backend.
"""

from __future__ import annotations

import struct
import sys
from array import array
from operator import index as _index

from ._errors import (HotpathTypeError, HotpathValueError, bad_value, not_a_number, not_a_u64,
                      not_an_integer)

U64_LIMIT = 1 << 64

_LITTLE = sys.byteorder == "little"
# Offset of the sign byte inside a native 8-byte integer.
_SIGN_BYTE = 7 if _LITTLE else 0

_SIGNED_CODES = frozenset("bhilqn")
_UNSIGNED_CODES = frozenset("BHILQN?")
_FLOAT_CODES = frozenset("efd")

# array typecode for (format code kind, itemsize), used to copy narrow or byte-swapped
# buffers with C-speed frombytes().  The sizes of 'l'/'L' differ between platforms.
_TYPECODES = {}
for _tc in "bBhHiIlLqQfd":
    _TYPECODES.setdefault((_tc.islower() if _tc not in "fd" else "f", array(_tc).itemsize), _tc)
del _tc

_ZERO_F64 = array("d", [0.0])
_ZERO_U64 = array("Q", [0])

CONTIGUOUS_HINT = "buffer must be C-contiguous; copy it first, e.g. numpy.ascontiguousarray"


def is_numpy_array(obj):
    """True for a numpy.ndarray (or subclass), without importing numpy: an object of a
    numpy type can only exist once numpy is imported."""
    mod = type(obj).__module__
    return (mod == "numpy" or mod.startswith("numpy.")) and isinstance(obj, _numpy().ndarray)


def _numpy():
    return sys.modules["numpy"]


def _parse_format(fmt):
    """(code, native byte order) of a single-item struct format, (None, True) otherwise."""
    order = "@"
    if fmt and fmt[0] in "@=<>!":
        order, fmt = fmt[0], fmt[1:]
    if len(fmt) != 1:
        return None, True
    if order in "@=":
        return fmt, True
    return fmt, (order == "<") == _LITTLE


def _as_flat(view, code):
    """A 1-D native view of a C-contiguous buffer, without copying."""
    if view.ndim == 1 and view.format == code:
        return view
    return view.cast("B").cast(code)


def _kind_of(code):
    if code in _SIGNED_CODES:
        return True
    if code in _UNSIGNED_CODES:
        return False
    if code in _FLOAT_CODES:
        return "f"
    return None


def _copy_items(view, code, native, typecode_kind, size):
    """An array of the buffer's items, converted to native byte order."""
    raw = view.cast("B") if view.ndim != 1 or view.format != "B" else view
    tc = _TYPECODES.get((typecode_kind, size))
    if code == "?":
        tc = "B"
    if tc is None or code == "e":
        # Formats with no array typecode (half floats, odd sizes): struct knows them.
        little = _LITTLE if native else not _LITTLE
        fmt = ("<" if little else ">") + code
        return [item for (item,) in struct.iter_unpack(fmt, raw)]
    items = array(tc)
    items.frombytes(raw)
    if not native:
        items.byteswap()
    return items


def _signs_ok(view8):
    """True when no native 8-byte signed item of the contiguous view is negative.

    Looks only at the sign bytes, which is much faster than min() over the items.
    """
    return bytes(view8)[_SIGN_BYTE::8].isascii()


def _first_negative(items):
    for i, v in enumerate(items):
        if v < 0:
            return i, v
    return None, None


def _negative_error(name, items):
    i, v = _first_negative(items)
    return not_a_u64("%s[%d]" % (name, i), v)


# --- uint64 batches -----------------------------------------------------------------

def _batch_input(obj, name, typecode, sequences, what, from_sequence, from_numpy, from_view):
    """The one dispatch over input kinds shared by u64_input and f64_input: returns
    (data, n, numpy_like), numpy_like being the numpy input (for the output's type and
    shape) or None.  The common cases (an array of the exact typecode, a list) are
    tested first."""
    cls = obj.__class__
    if cls is array and obj.typecode == typecode:
        view = memoryview(obj)
        return view, len(view), None
    if cls in sequences:
        data = from_sequence(obj, name)
        return data, len(data), None
    if is_numpy_array(obj):
        data = from_numpy(obj, name)
        return data, data.size, obj
    try:
        view = memoryview(obj)
    except TypeError:
        data = from_sequence(_as_sequence(obj, name, what), name)
        return data, len(data), None
    data = from_view(view, name)
    return data, len(data), None


def u64_input(obj, name):
    """Normalise a batch of non-negative integers: returns (data, n, numpy_like)."""
    return _batch_input(obj, name, "Q", (list, tuple, range), "integers",
                        _u64_from_sequence, _u64_from_numpy, _u64_from_view)


def _as_sequence(obj, name, what):
    if isinstance(obj, str):
        raise HotpathTypeError("argument '%s' has type str; expected a buffer or a sequence "
                               "of %s" % (name, what))
    try:
        return list(obj)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected a buffer or a sequence of %s"
                               % (name, type(obj).__name__, what)) from None


def _u64_from_sequence(seq, name):
    try:
        return array("Q", seq)
    except (TypeError, OverflowError):
        pass
    # array() does not say which item was wrong; find it for the message.
    for i, item in enumerate(seq):
        u64_arg(item, "%s[%d]" % (name, i))
    raise HotpathTypeError("argument '%s': expected a buffer or a sequence of integers" % name)


def _u64_from_view(view, name):
    if not view.c_contiguous:
        raise HotpathValueError("argument '%s': %s" % (name, CONTIGUOUS_HINT))
    code, native = _parse_format(view.format)
    signed = _kind_of(code)
    if signed is None or signed == "f":
        raise HotpathTypeError("argument '%s': expected integers, got buffer format %r"
                               % (name, view.format))
    size = view.itemsize
    if view.nbytes == 0:
        return array("Q")
    if size == 8 and native:
        flat = _as_flat(view, "Q")
        if signed and not _signs_ok(flat):
            raise _negative_error(name, _as_flat(view, "q"))
        return flat
    items = _copy_items(view, code, native, signed, size)
    if signed and (min(items) < 0):
        raise _negative_error(name, items)
    return array("Q", items)


def _u64_from_numpy(a, name):
    np = _numpy()
    if not a.flags.c_contiguous:
        raise HotpathValueError("argument '%s': %s" % (name, CONTIGUOUS_HINT))
    dt = a.dtype
    kind = dt.kind
    if kind not in "uib":
        raise HotpathTypeError("argument '%s': expected integers, got buffer format %r (numpy %s)"
                               % (name, dt.char, dt.name))
    if kind == "i" and a.size and a.min() < 0:
        flat = a.reshape(-1)
        i = int(np.argmax(flat < 0))
        raise not_a_u64("%s[%d]" % (name, i), int(flat[i]))
    if kind != "b" and dt.itemsize == 8 and dt.isnative:
        return a.view(np.uint64)
    return a.astype(np.uint64)


# --- float64 batches ----------------------------------------------------------------

def f64_input(obj, name):
    """Normalise a batch of real numbers: returns (data, n, numpy_like)."""
    return _batch_input(obj, name, "d", (list, tuple), "numbers",
                        _f64_from_sequence, _f64_from_numpy, _f64_from_view)


def _f64_from_sequence(seq, name):
    try:
        return array("d", seq)
    except (TypeError, OverflowError, ValueError):
        pass
    for i, item in enumerate(seq):
        real_arg(item, "%s[%d]" % (name, i))
    raise HotpathTypeError("argument '%s': expected a buffer or a sequence of numbers" % name)


def _f64_from_view(view, name):
    if not view.c_contiguous:
        raise HotpathValueError("argument '%s': %s" % (name, CONTIGUOUS_HINT))
    code, native = _parse_format(view.format)
    kind = _kind_of(code)
    if kind is None:
        raise HotpathTypeError("argument '%s': expected numbers, got buffer format %r"
                               % (name, view.format))
    if view.nbytes == 0:
        return array("d")
    if code == "d" and native:
        return _as_flat(view, "d")
    return array("d", _copy_items(view, code, native, kind, view.itemsize))


def _f64_from_numpy(a, name):
    np = _numpy()
    if not a.flags.c_contiguous:
        raise HotpathValueError("argument '%s': %s" % (name, CONTIGUOUS_HINT))
    dt = a.dtype
    if dt.kind not in "fuib":
        raise HotpathTypeError("argument '%s': expected numbers, got buffer format %r (numpy %s)"
                               % (name, dt.char, dt.name))
    if dt.kind == "f" and dt.itemsize == 8 and dt.isnative:
        return a
    return a.astype(np.float64)


def is_scalar_number(obj):
    """True for a single real number (int, float, numpy scalar, Decimal...), False for
    anything that should be read as a batch."""
    if isinstance(obj, (int, float)):
        return True
    if isinstance(obj, (str, bytes, bytearray, memoryview, array)) or is_numpy_array(obj):
        return False
    return hasattr(obj, "__float__") and not hasattr(obj, "__iter__")


# --- outputs ------------------------------------------------------------------------

def f64_output(n, like):
    """A new float64 output for n items: array('d'), or numpy shaped like the input."""
    if like is None:
        return _ZERO_F64 * n
    return _numpy().empty(like.shape, dtype=_numpy().float64)


def u64_output(n, like):
    if like is None:
        return _ZERO_U64 * n
    return _numpy().empty(like.shape, dtype=_numpy().uint64)


def f64_result(values, like):
    """The pure-Python path's array('d') as the type the caller expects."""
    if like is None:
        return values
    np = _numpy()
    return np.frombuffer(values, dtype=np.float64).reshape(like.shape)


def u64_result(values, like):
    if like is None:
        return values
    np = _numpy()
    return np.frombuffer(values, dtype=np.uint64).reshape(like.shape)


def pyitems(data):
    """The items of normalised data as Python numbers, for the pure-Python path."""
    if data.__class__ is memoryview or data.__class__ is array:
        return data
    return data.reshape(-1).tolist()


# --- scalar arguments ---------------------------------------------------------------

def u64_arg(value, name):
    """value as a Python int in [0, 2**64), or the argument error every backend raises."""
    try:
        v = _index(value)
    except TypeError:
        raise not_an_integer(name, value) from None
    if v < 0 or v >= U64_LIMIT:
        raise not_a_u64(name, v)
    return v


def real_arg(value, name):
    """value as a Python float; str and other non-numbers are refused (float("1") would not be)."""
    if value.__class__ is float:
        return value
    if isinstance(value, (str, bytes, bytearray)):
        raise not_a_number(name, value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise not_a_number(name, value) from None
    except OverflowError:
        raise bad_value(name, value, "a finite number") from None


def real_no_bool_arg(value, name):
    """real_arg that also refuses bool (a flag passed where a number belongs)."""
    if value.__class__ is float:
        return value
    if value.__class__ is bool:
        raise not_a_number(name, value)
    return real_arg(value, name)
