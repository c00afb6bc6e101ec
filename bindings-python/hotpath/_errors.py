"""Exceptions and the status table shared by every backend.

The numeric codes are part of the C ABI (include/hotpath/common.h).  The pure-Python
backend keeps the same table so that an error looks the same whichever backend
raised it: same class, same ``.status``, same ``.status_name``.

Validation done on the Python side (before any native call, identical for every
backend) raises with ``status=None``; errors reported by a kernel, native or its
pure-Python twin, carry the kernel's status code.
"""

from __future__ import annotations

import math

# code -> (name, description); descriptions follow the comments in common.h.
STATUS_TABLE = {
    0: ("OK", "success"),
    -1: ("EINVAL", "an argument has a value the function does not accept"),
    -2: ("ENULL", "a required pointer is NULL"),
    -3: ("ERANGE", "a numeric argument is out of its allowed range"),
    -4: ("EOVERFLOW", "a length or size computation would overflow"),
    -5: ("EUTF8", "text is not valid UTF-8"),
    -6: ("ENOMEM", "memory allocation failed"),
    -7: ("EBUFFER", "the output buffer is too small"),
    -8: ("EIO", "an operating system I/O call failed"),
    -9: ("ECORRUPT", "input data is corrupt or truncated"),
    -10: ("EUNSUPPORTED", "the operation or format is not available in this build"),
    -11: ("EINTERNAL", "a bug in hotpath: please report it"),
}

STATUS_CODES = {name: code for code, (name, _) in STATUS_TABLE.items()}

OK = 0
EINVAL = -1
ENULL = -2
ERANGE = -3
EOVERFLOW = -4
EUTF8 = -5
ENOMEM = -6
EBUFFER = -7
EIO = -8
ECORRUPT = -9
EUNSUPPORTED = -10
EINTERNAL = -11


def status_name(status):
    """The symbolic name of a status code ("EINVAL"), "UNKNOWN" for other codes."""
    entry = STATUS_TABLE.get(status)
    return entry[0] if entry else "UNKNOWN"


def status_description(status):
    entry = STATUS_TABLE.get(status)
    return entry[1] if entry else "unknown status"


class HotpathError(Exception):
    """Base class of every hotpath error.

    ``status`` is the negative HOTPATH_E* code when a kernel reported the error,
    None when Python-side argument validation did; ``status_name`` is its
    symbolic name ("ERANGE") or None.  ``str(error)`` is the detail message.
    """

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status
        self.status_name = None if status is None else status_name(status)

    # Exception pickling replays __init__(*self.args), which would drop status.
    def __reduce__(self):
        return (self.__class__, (str(self), self.status))


class HotpathValueError(HotpathError, ValueError):
    """An argument has the right type but a value hotpath does not accept."""


class HotpathTypeError(HotpathError, TypeError):
    """An argument has a type hotpath does not accept."""


class HotpathMemoryError(HotpathError, MemoryError):
    """The library could not allocate memory (HOTPATH_ENOMEM)."""


class HotpathLoadError(HotpathError, ImportError):
    """No usable native library for the requested backend.

    The message lists every attempt, one per line ("path -> reason").
    ``attempts`` holds the same lines as a list.
    """

    def __init__(self, message, status=None, attempts=()):
        super().__init__(message, status)
        self.attempts = list(attempts)

    def __reduce__(self):
        return (self.__class__, (str(self), self.status, self.attempts))


class HotpathOSError(HotpathError, OSError):
    """An operating-system call failed (HOTPATH_EIO): an OSError with ``errno``,
    ``strerror`` and ``filename`` (None when unknown) and a HotpathError with
    ``status``.  Raised as the subclass that also derives from the builtin class of
    its errno (HotpathFileNotFoundError is a FileNotFoundError, ...), so
    ``except FileNotFoundError`` works.  ``str(error)`` is hotpath's message."""

    def __new__(cls, message, status=EIO, errno=None, filename=None):
        if errno:
            import os
            return OSError.__new__(cls, errno, os.strerror(errno), filename)
        return OSError.__new__(cls, message)

    def __init__(self, message, status=EIO, errno=None, filename=None):
        HotpathError.__init__(self, message, status)
        self._message = message
        if not errno:
            self.errno = None
            self.strerror = None
            self.filename = filename

    def __str__(self):
        return self._message

    def __reduce__(self):
        return (self.__class__, (self._message, self.status, self.errno, self.filename))


class HotpathFileNotFoundError(HotpathOSError, FileNotFoundError):
    pass


class HotpathPermissionError(HotpathOSError, PermissionError):
    pass


class HotpathFileExistsError(HotpathOSError, FileExistsError):
    pass


class HotpathIsADirectoryError(HotpathOSError, IsADirectoryError):
    pass


class HotpathNotADirectoryError(HotpathOSError, NotADirectoryError):
    pass


def _os_classes():
    import errno as e
    table = {e.ENOENT: HotpathFileNotFoundError, e.EACCES: HotpathPermissionError,
             e.EPERM: HotpathPermissionError, e.EEXIST: HotpathFileExistsError,
             e.EISDIR: HotpathIsADirectoryError, e.ENOTDIR: HotpathNotADirectoryError}
    return table


_OS_CLASSES = _os_classes()

_VALUE_STATUSES = frozenset((EINVAL, ENULL, ERANGE, EOVERFLOW, EUTF8, EBUFFER, ECORRUPT))


_ERRNO_BY_TEXT = None


def errno_of(reason):
    """The errno whose os.strerror() text ends reason ("cannot open file: No such file
    or directory" -> ENOENT), or None."""
    global _ERRNO_BY_TEXT
    if _ERRNO_BY_TEXT is None:
        import errno as e
        import os
        _ERRNO_BY_TEXT = {os.strerror(code): code for code in sorted(e.errorcode, reverse=True)}
    return _ERRNO_BY_TEXT.get(reason.rsplit(": ", 1)[-1])


def os_error(message, errno=None, filename=None):
    """The HotpathOSError (not raised) for an I/O failure; filename as str or bytes
    (bytes decoded as the file system does)."""
    if isinstance(filename, (bytes, bytearray)):
        import os
        filename = os.fsdecode(bytes(filename))
    cls = _OS_CLASSES.get(errno, HotpathOSError)
    return cls(message, EIO, errno or None, filename if filename else None)


def error_for_status(status, message="", errno=None, filename=None):
    """The exception (not raised) for a failed kernel call."""
    if not message:
        message = status_description(status)
    if status in _VALUE_STATUSES:
        return HotpathValueError(message, status)
    if status == ENOMEM:
        return HotpathMemoryError(message, status)
    if status == EIO:
        return os_error(message, errno, filename)
    return HotpathError(message, status)


# --- argument validation messages ------------------------------------------------
# One wording per kind of mistake, in the style of the C library's messages
# ("argument 'x' is ...; expected ..."), used by every backend so that the same bad
# input gives the same exception and text whichever backend is active.

def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def not_an_integer(name, value):
    return HotpathTypeError("argument '%s' has type %s; expected an integer"
                            % (name, type(value).__name__))


def not_a_number(name, value):
    return HotpathTypeError("argument '%s' has type %s; expected a real number"
                            % (name, type(value).__name__))


def not_a_u64(name, value):
    return HotpathValueError("argument '%s' is %s; expected an integer in [0, 2**64)"
                             % (name, _describe(value)))


def c_g(value):
    """A float as C's printf("%g") writes it, so that messages are the same text on every
    backend: like Python's "%g", except that a NaN with its sign bit set (what inf - inf
    gives on x86) is "-nan", not "nan"."""
    text = "%g" % value
    if value != value and math.copysign(1.0, value) < 0.0:
        text = "-" + text
    return text


def _out_of_range(name, shown, expected):
    return HotpathValueError("argument '%s' is %s; expected %s" % (name, shown, expected))


def bad_real(name, value, expected):
    """A real argument out of range, worded exactly as the C library words it."""
    return _out_of_range(name, c_g(value), expected)


def bad_value(name, value, expected):
    return _out_of_range(name, _describe(value), expected)
