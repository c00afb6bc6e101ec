"""Directory audit and batch file reading (C API: include/hotpath/files.h; docs/files.md).

    audit(root, pattern="*.md", max_files=None, recursive=True, follow_symlinks=False,
          include_hidden=False, summary_lines=1, summary_chars=200,
          skip_front_matter=False, mode="glob", unicode_counts=False,
          verbatim_summary=False) -> AuditResult
        the files under root whose relative path matches pattern (a glob, or a list of
        globs; mode="extension" matches the final extension only), sorted by path and
        cut to max_files, each read once: FileInfo(path, size, lines, words, summary,
        utf8) records, .errors [(path, reason)], totals and .to_markdown(top=10).
        unicode_counts: words split at Unicode White_Space only and any unterminated
        last line counts; verbatim_summary: the first lines exactly as they are
    read_files(paths, strict=False, text=False) -> ReadResult
        many files in one call: a mapping path -> memoryview slice of one buffer
        (str with text=True), .errors for the paths that could not be read
    extract_summaries(root, pattern="*.md", lines_per_file=10, **audit options)
        -> {relative path: [first lines]}
    glob_match(pattern, path) -> bool: the glob rules audit uses

Native backends walk folders and read files on the library's thread pool (set with
hotpath.set_num_threads); results never depend on the thread count.  The foreign calls
release the GIL.  Routing (see _dispatch): every call goes native on a native backend
in "auto" and "native" modes; the "python" mode runs the pure-Python twin (_files_py).  Each thread keeps one native audit handle and one reader, reused by its
calls.
"""

from __future__ import annotations

import os
import sys
import threading

from . import _dispatch
from ._ffi import _loader, _pack
from . import _files_py as _py
from ._dispatch import count_fallback, count_native, like
from ._errors import error_for_status
from ._files_py import AuditResult, FileInfo, ReadResult
from ._text_py import encode_arg

__all__ = ["audit", "read_files", "extract_summaries", "glob_match", "FileInfo",
           "AuditResult", "ReadResult", "THRESHOLDS"]

# Where "auto" mode goes native, per backend: always.  audit and read_files make system
# calls that dwarf a foreign call.  glob_match, timed 2026-11-25 on a loaded 2-core VM
# (CPython 3.11, ctypes, best of 5 x 20,000 calls): "*.md" on "docs/a.md" native 1.9 us,
# twin 2.4 us; "[a-c]*x?.md" on a 26-character name 1.6 / 4.7 us; "docs/**/*.md" on a
# 5-component path 6.8 / 5.0 us: native wins or is close, and the twin's cost grows
# with the pattern.
THRESHOLDS = {
    "ctypes": {"audit": 0, "read_files": 0, "glob_match": 0},
    "cffi": {"audit": 0, "read_files": 0, "glob_match": 0},
}

_NAMES = ("audit", "read_files", "glob_match")
_U64_MAX = (1 << 64) - 1


def _PATTERN_ENCODER(pattern, i):
    return encode_arg(pattern, "pattern")


class _Native:
    """The files functions of one native backend, with the argument conversions."""

    def __init__(self, backend):
        self.backend = backend
        lib = self.lib = backend.lib
        self.error = backend.error
        self.flag_recursive = int(lib.hotpath_files_flag_recursive())
        self.flag_follow = int(lib.hotpath_files_flag_follow_symlinks())
        self.flag_hidden = int(lib.hotpath_files_flag_include_hidden())
        self.flag_front = int(lib.hotpath_files_flag_skip_front_matter())
        self.flag_unicode = int(lib.hotpath_files_flag_unicode_counts())
        self.flag_verbatim = int(lib.hotpath_files_flag_verbatim_summary())
        self.modes = {"glob": int(lib.hotpath_files_mode_glob()),
                      "extension": int(lib.hotpath_files_mode_extension())}
        self.columns = int(lib.hotpath_files_columns())
        self.local = threading.local()
        api = self.api = backend.api
        self.options_type = "hotpath_files_audit_options_t"
        if api.struct_size(self.options_type) != int(lib.hotpath_files_audit_options_size()):
            raise error_for_status(-11, "hotpath_files_audit_options_t layout mismatch")
        self.new_ptr = api.cell_type("const char*")
        self.new_u64_ptr = api.cell_type("const uint64_t*")
        self.new_i32_ptr = api.cell_type("const int32_t*")
        self.new_size = backend.new_size
        self.fs_encoding = sys.getfilesystemencoding()
        self.fs_errors = sys.getfilesystemencodeerrors()

    # --- handles (one audit handle and one reader per thread, reused) ---

    def handle(self, kind):
        local = self.local
        h = getattr(local, kind, None)
        if h is None:
            create = self.backend.create
            if kind == "audit":
                raw = create(self.lib.hotpath_files_audit_create, "hotpath_files_audit_t")
                h = _Handle(raw, self.lib.hotpath_files_audit_destroy)
            else:
                raw = create(self.lib.hotpath_files_reader_create, "hotpath_files_reader_t")
                h = _Handle(raw, self.lib.hotpath_files_reader_destroy)
            setattr(local, kind, h)
        return h.raw

    # --- audit ---

    def _flags(self, args):
        return ((self.flag_recursive if args.recursive else 0)
                | (self.flag_follow if args.follow_symlinks else 0)
                | (self.flag_hidden if args.include_hidden else 0)
                | (self.flag_front if args.skip_front_matter else 0)
                | (self.flag_unicode if args.unicode_counts else 0)
                | (self.flag_verbatim if args.verbatim_summary else 0))

    def _pattern_data(self, args):
        # Extension mode passes the extensions themselves ("md" is a valid ".ext").
        return _pack.pack(self.backend, args.patterns, _PATTERN_ENCODER)

    def options(self, args):
        """(the options argument, what must stay alive during the call)."""
        api = self.api
        data, offsets = self._pattern_data(args)
        o = api.new_struct(self.options_type)
        keep = (api.set_pointer(o, "patterns", data),
                api.set_pointer(o, "pattern_offsets", offsets))
        o.pattern_count = len(args.patterns)
        o.mode = self.modes[args.mode]
        o.flags = self._flags(args)
        o.max_files = _U64_MAX if args.max_files is None else args.max_files
        o.summary_lines = args.summary_lines
        o.summary_chars = args.summary_chars
        return api.struct_arg(o), (o, keep)

    def table(self, h, n):
        api = self.api
        table, arena, size = self.new_u64_ptr(), self.new_ptr(), self.new_size()
        status = self.lib.hotpath_files_audit_table(h, table, arena, size)
        if status:
            raise self.error(status)
        rows = api.read_array(table[0], n * self.columns, "Q")
        return rows, api.string(arena[0], int(size[0]))

    def errors(self, h):
        api = self.api
        out = []
        path, length, message = self.new_ptr(), self.new_size(), self.new_ptr()
        for i in range(int(self.lib.hotpath_files_audit_error_count(h))):
            status = self.lib.hotpath_files_audit_error(h, i, path, length, api.NULL, message)
            if status:
                raise self.error(status)
            raw = api.string(path[0], int(length[0]))
            out.append((os.fsdecode(raw), api.text(message[0])))
        return out

    def totals(self, h):
        cells = [self.backend.new_u64() for _ in range(4)]
        status = self.lib.hotpath_files_audit_totals(h, *cells)
        if status:
            raise self.error(status)
        return tuple(int(c[0]) for c in cells)

    def audit(self, args):
        h = self.handle("audit")
        opts, keep = self.options(args)
        status = self.lib.hotpath_files_audit(h, os.fsencode(args.root), opts)
        del keep
        if status:
            raise self.error(status)
        n = int(self.lib.hotpath_files_audit_count(h))
        table, arena = self.table(h, n)
        return AuditResult(args.root, None, self.errors(h), table, arena, self.totals(h))

    # --- read_files ---

    def read_result(self, h, n):
        api = self.api
        data, size = self.new_ptr(), self.new_size()
        offsets, statuses = self.new_u64_ptr(), self.new_i32_ptr()
        status = self.lib.hotpath_files_read_result(h, data, size, offsets, statuses)
        if status:
            raise self.error(status)
        offs = api.read_array(offsets[0], n + 1, "Q")
        stats = api.read_array(statuses[0], n, "i")
        return api.string(data[0], int(size[0])), offs, stats

    def read(self, keys):
        """(data, offsets, {index: (status, message)}) of reading the paths keys (str or
        bytes, packed in bulk; a bad path raises the twin's error)."""
        h = self.handle("reader")
        n = len(keys)
        joined, offsets = _pack.pack(self.backend, keys, _py.path_encoder, self.fs_encoding,
                                     self.fs_errors, bytes_ok=True)
        api = self.api
        status = self.lib.hotpath_files_read(h, api.chars_in(joined), api.in_size(offsets), n)
        if status:
            raise self.error(status)
        data, offs, stats = self.read_result(h, n)
        failed = {}
        for i, st in enumerate(stats):
            if st:
                message = self.lib.hotpath_files_read_message(h, i)
                failed[i] = (st, api.text(message))
        return data, offs, failed


class _Handle:
    """A library handle destroyed with its owner (a thread's local storage)."""

    __slots__ = ("raw", "destroy")

    def __init__(self, raw, destroy):
        self.raw = raw
        self.destroy = destroy

    def __del__(self):
        try:
            self.destroy(self.raw)
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def _native(backend):
    native = backend.kernels.get("files")
    if native is None:
        native = backend.kernels["files"] = _Native(backend)
    return native


# --- public functions per backend ---------------------------------------------------

def _native_functions(backend):
    nat = _native(backend)
    lib = nat.lib

    def audit(root, pattern="*.md", max_files=None, recursive=True, follow_symlinks=False,
              include_hidden=False, summary_lines=1, summary_chars=200,
              skip_front_matter=False, mode="glob", unicode_counts=False,
              verbatim_summary=False):
        args = _py.AuditArgs(root, pattern, max_files, recursive, follow_symlinks,
                             include_hidden, summary_lines, summary_chars, skip_front_matter,
                             mode, unicode_counts, verbatim_summary)
        result = nat.audit(args)
        count_native(result.total_files)
        return result

    def read_files(paths, strict=False, text=False):
        keys = _py.read_keys_arg(paths)
        data, offsets, failed = nat.read(keys)
        count_native(len(keys))
        return _py.read_result(keys, data, offsets, failed, strict, text)

    new_i32 = backend.new_i32

    def glob_match(pattern, path):
        p = encode_arg(pattern, "pattern")
        s = os.fsencode(_py.path_arg(path, "path"))
        out = new_i32()
        status = lib.hotpath_files_glob_match(p, len(p), s, len(s), out)
        if status:
            raise nat.error(status)
        count_native(1)
        return bool(out[0])

    return {"audit": like(_py.audit, audit, __name__),
            "read_files": like(_py.read_files, read_files, __name__),
            "glob_match": like(_py.glob_match, glob_match, __name__)}


def _twin_functions():
    def audit(*args, **kwargs):
        result = _py.audit(*args, **kwargs)
        count_fallback(result.total_files)
        return result

    def read_files(paths, strict=False, text=False):
        result = _py.read_files(paths, strict, text)
        count_fallback(len(result.paths))
        return result

    return {"audit": like(_py.audit, audit, __name__),
            "read_files": like(_py.read_files, read_files, __name__),
            "glob_match": _py.glob_match}


def _bind(mode):
    backend = _loader.active()
    limits = _dispatch.limits(mode, backend, _NAMES, THRESHOLDS)
    chosen = _twin_functions()
    if backend.native and any(limits[name] == 0 for name in _NAMES):
        natives = backend.kernels.get("files.functions")
        if natives is None:
            natives = backend.kernels["files.functions"] = _native_functions(backend)
        for name in _NAMES:
            if limits[name] == 0:
                chosen[name] = natives[name]
    globals().update(chosen)


def extract_summaries(root, pattern="*.md", lines_per_file=10, **options):
    options.setdefault("summary_chars", _U64_MAX)
    return _py.summaries_of(audit(root, pattern, summary_lines=lines_per_file, **options))


like(_py.extract_summaries, extract_summaries, __name__)

# Bound for real by _dispatch.register below.
audit = _py.audit
read_files = _py.read_files
glob_match = _py.glob_match

_dispatch.register(_bind)
