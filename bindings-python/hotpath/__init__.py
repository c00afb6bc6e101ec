"""hotpath: fast native kernels (a C++ core behind a stable C ABI) with pure-Python twins.

The backend is chosen once, at import, by HOTPATH_BACKEND (auto|ctypes|cffi|python;
default auto: the native library through ctypes if it loads, else pure Python with
one WARNING on the "hotpath" logger).  A forced native backend that cannot load
raises HotpathLoadError listing every place that was tried.  backend_info() tells
what was loaded.

Modules:
    hotpath.williams   Williams space optimizer (batch sizing, confidence scoring)
    hotpath.text       text similarity (word sets, edit distance, Jaro-Winkler, corpora)
    hotpath.consensus  expert consensus (structured and over the answers' text)
    hotpath.files      directory audit (glob, line/word counts, summaries) and batch reading
    hotpath.memory     memory folders (exact near-duplicate pairs, scan, consolidation)
    hotpath.compress   LZ4 frames and gzip: buffers, caller memory, atomic streaming files
    hotpath.compat     drop-in names for applications moving to hotpath

Every public function picks the faster path per call (see set_dispatch); stats()
counts the calls that went native or stayed in Python.
"""

from __future__ import annotations

from . import _dispatch
from ._ffi import _loader
from ._errors import (HotpathError, HotpathLoadError, HotpathMemoryError, HotpathOSError,
                      HotpathTypeError, HotpathValueError)
from ._version import ABI_VERSION, __version__

# Raises HotpathLoadError here, at import, when a forced native backend cannot load.
_loader.activate(_loader.load())

from . import williams  # noqa: E402  (binds itself to the backend activated above)
from .williams import SpaceBoundResult, WilliamsSpaceOptimizer  # noqa: E402
from . import text  # noqa: E402  (binds itself like williams)
from . import consensus  # noqa: E402  (binds itself like williams)
from . import files  # noqa: E402  (binds itself like williams)
from . import memory  # noqa: E402  (binds itself like williams)
from . import compress  # noqa: E402  (binds itself like williams)

set_dispatch = _dispatch.set_dispatch
get_dispatch = _dispatch.get_dispatch
stats = _dispatch.stats
reset_stats = _dispatch.reset_stats

__all__ = [
    "__version__", "ABI_VERSION",
    "HotpathError", "HotpathValueError", "HotpathTypeError", "HotpathMemoryError",
    "HotpathLoadError", "HotpathOSError",
    "backend_info", "set_num_threads", "get_num_threads",
    "set_dispatch", "get_dispatch", "stats", "reset_stats",
    "williams", "WilliamsSpaceOptimizer", "SpaceBoundResult",
]


def backend_info():
    """Which backend runs the calls: {"backend", "library", "version", "abi",
    "modules", "threads", "attempts", "dispatch"}."""
    info = _loader.active().info()
    info["dispatch"] = _dispatch.get_dispatch()
    return info


def set_num_threads(n):
    """Threads for native batch kernels: n >= 1 sets the count, 0 restores the default
    (the hardware concurrency).  The pure-Python backend records n without effect."""
    _loader.active().set_num_threads(n)


def get_num_threads():
    return _loader.active().get_num_threads()
