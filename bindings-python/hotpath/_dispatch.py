"""Dispatch mode and call statistics, shared by every module.

A foreign call costs a few hundred nanoseconds, more than some tiny kernels, so each
public function picks the faster path for the call's size.  The decision is made
once per mode change, not per call: every module registers a *binder* that rebinds
its public functions (module globals) for the current mode and backend.  A scalar
call that the pure-Python twin serves therefore costs exactly the twin: the public
name IS the twin's function.

Modes (``set_dispatch`` or the HOTPATH_DISPATCH environment variable, read at import):

* ``"auto"``: native for batches at or above the module's measured THRESHOLDS,
  the twin below them (and for scalar functions not measured faster natively);
* ``"native"``: every call of a native backend goes through the library (tests use
  this to exercise the native kernels at every size);
* ``"python"``: every call runs the pure-Python twin.

Statistics: every call that passes through a dispatcher is counted, as native or
fallback, with plain increments that the GIL makes safe enough for counters: all
batch calls, and scalar calls that run natively.  Scalar calls served by the twin
are not counted: they cost under 100 ns, where a counter alone adds 10-15%, and
"never slower than pure Python" is the promise that matters more.

Since the names are rebound, code that switches modes at run time should call
through the module (``hotpath.williams.space_bound``), not a name imported earlier.

Native code in a module comes in two shapes:

* size-dispatched functions: the public names above, rebound per mode, with
  THRESHOLDS per FFI (their call overheads differ);
* always-native helpers: what the library must do whatever the size (a corpus handle,
  a result handle, metric codes), built once per backend and cached in
  ``backend.kernels`` by the module's ``_native(backend)`` / ``_kernels(backend)``.
  Another module reaches them only through documented functions (for example
  ``text.native_corpus`` and ``text.metric_code``), never through the private classes.
Both convert arguments through the backend's FFI adapter only (hotpath._ffi).
"""

from __future__ import annotations

import os

from ._errors import HotpathTypeError, HotpathValueError

MODES = ("auto", "native", "python")

_INF = float("inf")

STATS = {"native_calls": 0, "fallback_calls": 0, "items_native": 0, "items_fallback": 0}

_binders = []


def _checked_mode(mode, source):
    if not isinstance(mode, str):
        raise HotpathTypeError("%s must be a str, got %s" % (source, type(mode).__name__))
    if mode not in MODES:
        raise HotpathValueError("%s must be one of %s, got %r"
                                % (source, ", ".join(repr(m) for m in MODES), mode))
    return mode


_mode = _checked_mode(os.environ.get("HOTPATH_DISPATCH", "auto").strip().lower() or "auto",
                      "HOTPATH_DISPATCH")


def register(binder):
    """Add a module's binder(mode) and call it once for the current mode."""
    _binders.append(binder)
    binder(_mode)


def rebind():
    """Re-run every binder, e.g. after the active backend changed."""
    for binder in _binders:
        binder(_mode)


def set_dispatch(mode):
    """Choose how calls are routed: "auto", "native" or "python" (see module doc)."""
    global _mode
    _mode = _checked_mode(mode, "mode")
    rebind()


def get_dispatch():
    return _mode


def count_native(n):
    """Count one call that ran natively on n items."""
    STATS["native_calls"] += 1
    STATS["items_native"] += n


def count_fallback(n):
    """Count one dispatched call that ran the pure-Python twin on n items."""
    STATS["fallback_calls"] += 1
    STATS["items_fallback"] += n


def limits(mode, backend, names, thresholds):
    """name -> the smallest call size that runs natively: +inf (never) for every name
    in "python" mode or on the pure-Python backend, 0 (always) in "native" mode, and
    in "auto" mode thresholds[backend.name] (+inf for the names it leaves out)."""
    if not backend.native or mode == "python":
        return dict.fromkeys(names, _INF)
    if mode == "native":
        return dict.fromkeys(names, 0)
    out = dict.fromkeys(names, _INF)
    out.update(thresholds.get(backend.name, {}))
    return out


def like(twin, func, module_name):
    """Give func the twin's name and docstring, and module_name as its module:
    help() reads the same whatever is bound.  Returns func."""
    func.__name__ = twin.__name__
    func.__qualname__ = twin.__qualname__
    func.__doc__ = twin.__doc__
    func.__module__ = module_name
    return func


def stats():
    """A copy of the call counters: native_calls, fallback_calls, items_native,
    items_fallback."""
    return dict(STATS)


def reset_stats():
    for key in STATS:
        STATS[key] = 0
