"""Library discovery, backend selection and the ABI check.

``load(backend=None, library=None)`` builds a fresh backend object; the package
activates one of them at import.  Backends:

* ``ctypes``: the default native backend (stdlib only);
* ``cffi``: ABI mode, only when asked for (HOTPATH_BACKEND=cffi);
* ``python``: the pure-Python twins, always available;
* ``auto``: ctypes if a library loads, else python with one WARNING on the
  "hotpath" logger.

Discovery order, every attempt collected for the error message:
1. HOTPATH_LIBRARY (a file, or a folder holding the platform's file names);
2. the package's own ``_lib/`` folder (a bundled library);
3. the build folders of a source checkout: ``build/`` then ``build/*/`` (never
   a ``*sanitize*`` build, whose runtime cannot be loaded into a plain interpreter);
4. the system: ctypes.util.find_library("hotpath"), then explicit sonames.
A library whose hotpath_abi_version() is not ABI_VERSION is refused and the search
goes on.  The module logs and never prints.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from operator import index as _index

from .. import _dispatch
from .._errors import EIO, HotpathLoadError, HotpathValueError, error_for_status, not_an_integer
from .._version import ABI_VERSION

logger = logging.getLogger("hotpath")
# A library does not configure logging; without a handler of its own, Python's
# last-resort handler would print the fallback WARNING to stderr.
logger.addHandler(logging.NullHandler())

BACKENDS = ("auto", "ctypes", "cffi", "python")

# Modules the pure-Python backend implements (the native backend asks the library).
PURE_MODULES = ("williams", "text", "consensus", "files", "compress", "memory", "search")

# set_num_threads bound on the pure-Python backend, which records the count but runs
# single-threaded; the library's own bound (hotpath_max_threads), so that a count is
# refused alike by every backend.
PY_MAX_THREADS = 256

# The hotpath package folder (this module lives in its _ffi subpackage).
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# "hotpath_<function>: " at the start of hotpath_last_error_message() (see NativeBackend.error).
_C_FUNCTION_PREFIX = re.compile(r"\Ahotpath_\w+: ")

if sys.platform == "win32":
    FOLDER_NAMES = ("hotpath.dll", "libhotpath.dll")
    SYSTEM_NAMES = ("hotpath.dll", "libhotpath.dll")
elif sys.platform == "darwin":
    FOLDER_NAMES = ("libhotpath.dylib", "libhotpath.1.dylib")
    SYSTEM_NAMES = ("libhotpath.1.dylib", "libhotpath.dylib")
else:
    FOLDER_NAMES = ("libhotpath.so", "libhotpath.so.1")
    SYSTEM_NAMES = ("libhotpath.so.1", "libhotpath.so")


# --- backends -----------------------------------------------------------------------

def _thread_count(n, maximum):
    try:
        n = _index(n)
    except TypeError:
        raise not_an_integer("n", n) from None
    if not 0 <= n <= maximum:
        raise HotpathValueError("argument 'n' is %d; expected 0 (default) to %d" % (n, maximum))
    return n


class PythonBackend:
    """The pure-Python twins.  Thread counts are recorded but have no effect."""

    name = "python"
    native = False
    library = None
    version = None
    abi = None

    def __init__(self, attempts=()):
        self.attempts = list(attempts)
        self.modules = list(PURE_MODULES)
        # Per-module kernel tables built by the modules (see williams._native_kernels).
        self.kernels = {}
        self._threads = 1

    def max_threads(self):
        return PY_MAX_THREADS

    def get_num_threads(self):
        return self._threads

    def set_num_threads(self, n):
        n = _thread_count(n, self.max_threads())
        self._threads = n or 1

    def info(self):
        return {"backend": self.name, "library": self.library, "version": self.version,
                "abi": self.abi, "modules": list(self.modules),
                "threads": self.get_num_threads(), "attempts": list(self.attempts)}

    def __repr__(self):
        return "<hotpath backend python>"


class NativeBackend(PythonBackend):
    """A loaded library and the adapter (_ffi._ctypes or _ffi._cffi) that calls it.

    ``lib.hotpath_*`` are the typed functions and ``api`` is the adapter: the public
    modules convert every argument and result through it (see _ffi/__init__), never
    through an FFI of their own.  The most used helpers are also attributes here:
    ``in_u64``/``in_f64``/``out_*`` turn normalised buffers into pointer arguments and
    ``new_u64``/``new_f64``/``new_i32``/``new_size`` make out-parameter cells read as
    ``cell[0]``.  The pointer helpers may return a bare address (ctypes, for arrays we
    own), so the caller must hold the buffer in a variable until the call returns.
    """

    native = True

    def __init__(self, api, lib, library, attempts, dll_directory=None):
        super().__init__(attempts)
        self.name = api.NAME
        self.api = api
        self.lib = lib
        self.library = library
        # Keeps the Windows DLL directory registered while the library is in use.
        self._dll_directory = dll_directory
        self.version = api.text(lib.hotpath_version_string())
        self.abi = int(lib.hotpath_abi_version())
        self.modules = [api.text(lib.hotpath_module_name(i))
                        for i in range(int(lib.hotpath_module_count()))]
        self.in_u64 = api.in_u64
        self.in_f64 = api.in_f64
        self.out_u64 = api.out_u64
        self.out_f64 = api.out_f64
        self.new_u64 = api.new_u64
        self.new_f64 = api.new_f64
        self.new_i32 = api.new_i32
        self.new_size = api.new_size
        self.NULL = api.NULL

    def create(self, create, typename):
        """A new handle from a ``hotpath_*_create(typename** out)`` function."""
        cell = self.api.cell_type(typename + "*")()
        status = create(cell)
        if status:
            raise self.error(status)
        return cell[0]

    def check(self, status):
        """Raise the exception of a failed call (status != 0)."""
        if status:
            raise self.error(status)

    def error(self, status):
        """The exception for a failed call, with the library's detail message.

        Read right after the failing call: the message is per thread and valid
        until the next hotpath call on this thread.  The library prefixes it with
        the C function's name ("hotpath_williams_..._batch: base_confidences[0]
        is nan; ..."); that prefix is dropped so that the text is the one the
        pure-Python twin raises for the same input, whichever backend runs.
        """
        message = self.api.text(self.lib.hotpath_last_error_message()) or ""
        message = _C_FUNCTION_PREFIX.sub("", message, count=1)
        if status == EIO:
            path = self.api.path_text(self.lib.hotpath_last_error_path()) or None
            return error_for_status(status, message, int(self.lib.hotpath_last_error_errno()), path)
        return error_for_status(status, message)

    def max_threads(self):
        return int(self.lib.hotpath_max_threads())

    def get_num_threads(self):
        return int(self.lib.hotpath_get_num_threads())

    def set_num_threads(self, n):
        n = _thread_count(n, self.max_threads())
        status = self.lib.hotpath_set_num_threads(n)
        if status:
            raise self.error(status)

    def __repr__(self):
        return "<hotpath backend %s %s>" % (self.name, self.library)


# --- discovery ----------------------------------------------------------------------

def _in_folder(folder, label, report_missing=True):
    """Candidates (target, None) for the platform names in folder, or one miss
    (None, attempt text) when there is none."""
    found = False
    for name in FOLDER_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            found = True
            yield path, folder
    if not found and report_missing:
        what = "no such folder" if not os.path.isdir(folder) else \
            "no %s in this folder" % " or ".join(FOLDER_NAMES)
        yield None, "%s (%s) -> %s" % (folder, label, what)


def _from_setting(value, label):
    path = os.path.abspath(os.path.expanduser(value))
    if os.path.isdir(path):
        yield from _in_folder(path, label)
    elif os.path.isfile(path):
        yield path, os.path.dirname(path)
    else:
        yield None, "%s (%s) -> no such file or folder" % (path, label)


def source_root(start=_PACKAGE_DIR):
    """The nearest folder above start that is a hotpath checkout (CMakeLists.txt and
    include/hotpath/hotpath.h) with a build/ folder, or None.  Checking for hotpath's
    own header keeps an installed package from probing some other project's tree."""
    folder = start
    while True:
        if (os.path.isfile(os.path.join(folder, "CMakeLists.txt"))
                and os.path.isfile(os.path.join(folder, "include", "hotpath", "hotpath.h"))
                and os.path.isdir(os.path.join(folder, "build"))):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _build_folders(root):
    build = os.path.join(root, "build")
    yield build
    try:
        names = sorted(os.listdir(build))
    except OSError:
        return
    for name in names:
        path = os.path.join(build, name)
        if "sanitize" not in name.lower() and os.path.isdir(path):
            yield path


def candidates(library=None):
    """(target, folder) pairs in discovery order; target None means a miss, and
    folder is then the attempt text.  An explicit library replaces the search."""
    if library is not None:
        yield from _from_setting(os.fspath(library), "library argument")
        return
    env = os.environ.get("HOTPATH_LIBRARY")
    if env:
        yield from _from_setting(env, "HOTPATH_LIBRARY")
    yield from _in_folder(os.path.join(_PACKAGE_DIR, "_lib"), "bundled")
    root = source_root()
    if root is None:
        yield None, "%s (source checkout) -> no hotpath checkout with a build/ folder above" \
            % _PACKAGE_DIR
    else:
        folders = _build_folders(root)
        yield from _in_folder(next(folders), "build folder")
        for folder in folders:
            yield from _in_folder(folder, "build folder", report_missing=False)
    # find_library may run ldconfig or a compiler: only reached when all else failed.
    try:
        from ctypes.util import find_library
        found = find_library("hotpath")
    except (ImportError, OSError):  # an interpreter built without ctypes (cffi may work)
        found = None
    if found:
        yield found, None
    else:
        yield None, "find_library('hotpath') -> not found"
    for name in SYSTEM_NAMES:
        yield name, None


def _path_of_symbol(address):
    """The file a loaded symbol comes from (dladdr), for libraries found by soname."""
    if sys.platform == "win32" or not address:
        return None
    try:
        import ctypes

        class DlInfo(ctypes.Structure):
            _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                        ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]

        dladdr = ctypes.CDLL(None).dladdr
        dladdr.argtypes = (ctypes.c_void_p, ctypes.POINTER(DlInfo))
        dladdr.restype = ctypes.c_int
        info = DlInfo()
        if dladdr(address, ctypes.byref(info)) and info.dli_fname:
            return os.path.abspath(os.fsdecode(info.dli_fname))
    except (OSError, AttributeError, ValueError):
        pass
    return None


def _open(api, target, folder):
    """(backend, None) or (None, reason) for one candidate."""
    dll_directory = None
    if folder and hasattr(os, "add_dll_directory"):
        # Windows resolves the library's own dependencies only in registered folders.
        dll_directory = os.add_dll_directory(folder)
    reason = None
    try:
        lib = api.open_library(target)
    except OSError as exc:
        reason = "cannot load: %s" % exc
    else:
        if not api.has_symbol(lib, "hotpath_abi_version"):
            reason = "not a hotpath library (no hotpath_abi_version)"
        else:
            abi = int(lib.hotpath_abi_version())
            if abi != ABI_VERSION:
                reason = "ABI %d, expected %d" % (abi, ABI_VERSION)
            else:
                missing = api.bind(lib)
                if missing:
                    reason = "missing functions %s (library older than the package?)" \
                        % ", ".join(missing)
    if reason is not None:
        if dll_directory is not None:
            dll_directory.close()
        return None, reason
    if os.sep in target or (os.altsep and os.altsep in target):
        path = os.path.abspath(target)
    else:
        path = _path_of_symbol(api.symbol_address(lib, "hotpath_abi_version")) or target
    return NativeBackend(api, lib, path, [], dll_directory), None


def _api(kind):
    if kind == "ctypes":
        from . import _ctypes as api
    else:
        from . import _cffi as api
        api.ffi()  # imports cffi: ImportError when it is not installed
    return api


def _load_native(kind, library):
    attempts = []
    try:
        api = _api(kind)
    except ImportError as exc:
        attempts.append("%s -> not importable: %s" % (kind, exc))
        raise _load_error(kind, attempts) from None
    seen = set()
    for target, folder in candidates(library):
        if target is None:
            attempts.append(folder)
            continue
        # The platform names in a folder are often symlinks to one file: try it once.
        key = os.path.realpath(target) if os.path.isabs(target) else target
        if key in seen:
            continue
        seen.add(key)
        backend, reason = _open(api, target, folder)
        if backend is None:
            attempts.append("%s -> %s" % (target, reason))
            continue
        attempts.append("%s -> loaded" % target)
        backend.attempts = attempts
        logger.info("loaded %s (version %s) with the %s backend",
                    backend.library, backend.version, kind)
        return backend
    raise _load_error(kind, attempts)


def _load_error(kind, attempts):
    message = "hotpath: no usable native library for the %s backend; tried:\n  %s" % (
        kind, "\n  ".join(attempts))
    message += ("\nBuild it with scripts/build.sh, point HOTPATH_LIBRARY at the file or its "
                "folder, or set HOTPATH_BACKEND=python for the pure-Python backend.")
    return HotpathLoadError(message, attempts=attempts)


def _backend_name(backend):
    if backend is None:
        value = os.environ.get("HOTPATH_BACKEND", "").strip().lower() or "auto"
        if value not in BACKENDS:
            raise HotpathLoadError("HOTPATH_BACKEND must be one of %s, got %r"
                                   % (", ".join(BACKENDS), value))
        return value
    if backend not in BACKENDS:
        raise HotpathValueError("backend must be one of %s, got %r"
                                % (", ".join(BACKENDS), backend))
    return backend


def load(backend=None, library=None):
    """A fresh backend object.

    backend: "auto", "ctypes", "cffi" or "python" (default: HOTPATH_BACKEND, else auto).
    library: a library file or a folder to use instead of the discovery order.
    A forced native backend that cannot load raises HotpathLoadError listing every
    attempt; auto falls back to the python backend with one WARNING.
    """
    name = _backend_name(backend)
    if name == "python":
        return PythonBackend()
    if name != "auto":
        return _load_native(name, library)
    try:
        return _load_native("ctypes", library)
    except HotpathLoadError as exc:
        logger.warning("no usable native library, using the pure-Python backend "
                       "(slower); tried:\n  %s", "\n  ".join(exc.attempts))
        return PythonBackend(exc.attempts)


_active = None


def active():
    """The backend the public API uses."""
    return _active


def activate(backend):
    """Make backend the one the public API uses and rebind every module to it."""
    global _active
    _active = backend
    _dispatch.rebind()
