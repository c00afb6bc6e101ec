"""Pure-Python twin of hotpath.files (the executable specification; docs/files.md).

Walk: os.scandir, breadth first; names starting with "." are skipped unless
include_hidden; symbolic links to folders are followed only with follow_symlinks,
and never into a folder already on the path from the root (device, inode).
Matching: glob_match() on the path relative to root ("/" separators), or the final
extension in extension mode.  Files are sorted by relative path (byte order), cut to
max_files, then read once each (os.open / os.read) and counted by count().

The result classes (FileInfo, AuditResult, ReadResult) and the argument checks here
are shared by every backend, so that results and messages are the same everywhere.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping as _Mapping
import stat as _stat
from array import array
from collections import namedtuple
from functools import partial

from ._errors import (EINVAL, EIO, EUNSUPPORTED, EUTF8, HotpathTypeError, HotpathValueError,
                      errno_of, error_for_status)
from ._text_py import U32_LIMIT, count_arg, summary_span, text_arg, u64_arg

__all__ = ["FileInfo", "AuditResult", "ReadResult", "audit", "read_files",
           "extract_summaries", "glob_match", "count"]

MODES = ("glob", "extension")
U64_MAX = (1 << 64) - 1

FileInfo = namedtuple("FileInfo", "path size lines words summary utf8")
FileInfo.__doc__ = """One audited file: path relative to the root ("/" separators, a str;
os.fsencode(path) gives the bytes), size in bytes, lines, words, summary (str) and
utf8 (False when the file is not valid UTF-8 and was counted on bytes)."""

_new_info = partial(tuple.__new__, FileInfo)

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))


# --- glob ---------------------------------------------------------------------------

def _class_at(p, i, c):
    """A "[...]" class starting at p[i] == "[": (index past its "]", c belongs to it),
    or (-1, False) when it is unclosed."""
    n = len(p)
    j = i + 1
    negate = False
    if j < n and p[j] in "!^":
        negate = True
        j += 1
    found = False
    first = True
    while j < n:
        if p[j] == "]" and not first:
            return j + 1, found != negate
        first = False
        lo = hi = p[j]
        j += 1
        if j + 1 < n and p[j] == "-" and p[j + 1] != "]":
            hi = p[j + 1]
            j += 2
        if lo <= c <= hi:
            found = True
    return -1, False


def _match_component(p, s):
    pi = si = 0
    pn, sn = len(p), len(s)
    star_p, star_s = -1, 0
    while si < sn:
        if pi < pn:
            c = p[pi]
            if c == "*":
                while pi < pn and p[pi] == "*":
                    pi += 1
                star_p, star_s = pi, si
                continue
            if c == "?":
                pi += 1
                si += 1
                continue
            matched = False
            if c == "[":
                end, hit = _class_at(p, pi, s[si])
                if end >= 0:
                    if hit:
                        pi = end
                        si += 1
                        continue
                    matched = None  # a class that did not match: backtrack
            if matched is not None and c == s[si]:
                pi += 1
                si += 1
                continue
        if star_p < 0:
            return False
        star_s += 1
        si, pi = star_s, star_p
    while pi < pn and p[pi] == "*":
        pi += 1
    return pi == pn


def _match_path(p, s):
    pats = p.split("/")
    parts = s.split("/")
    if pats[-1] == "**":  # a trailing "**" is what lies inside: at least one component
        pats.insert(-1, "*")
    pi = si = 0
    np_, ns = len(pats), len(parts)
    star_p, star_s = -1, 0
    while si < ns:
        if pi < np_:
            if pats[pi] == "**":
                while pi < np_ and pats[pi] == "**":
                    pi += 1
                star_p, star_s = pi, si
                continue
            if _match_component(pats[pi], parts[si]):
                pi += 1
                si += 1
                continue
        if star_p < 0:
            return False
        star_s += 1
        si, pi = star_s, star_p
    while pi < np_ and pats[pi] == "**":
        pi += 1
    return pi == np_


def glob_kernel(pattern, path):
    """glob_match on checked str arguments."""
    if "/" not in pattern:
        return _match_component(pattern, path[path.rfind("/") + 1:])
    return _match_path(pattern.lstrip("/"), path)


def path_arg(value, name):
    """A path argument as str (bytes decoded as the file system does)."""
    try:
        value = os.fspath(value)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected a path (str, bytes or "
                               "os.PathLike)" % (name, type(value).__name__)) from None
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if "\0" in value:
        raise HotpathValueError("argument '%s' contains a NUL character" % name)
    return value


def glob_match(pattern, path):
    """Does path (relative, "/" separators) match the glob pattern?

    A pattern without "/" matches the last component of the path, so "*.md" matches
    in every folder; a pattern with "/" matches the whole path (a leading "/" only
    anchors it).  "*" matches any run of characters but "/", "?" one character but
    "/", "[abc]", "[a-z]", "[!a-z]" (or "[^a-z]") one character of (not of) a class,
    and "**" as a whole component any number of folders, none included ("a/**" at
    the end: everything inside a, at least one component).  An unclosed
    "[" is a literal; there is no escape character ("[*]" is a literal "*")."""
    pattern = text_arg(pattern, "pattern")
    return glob_kernel(pattern, path_arg(path, "path"))


# --- arguments ----------------------------------------------------------------------

def extension_of(pattern):
    """"*.md", ".md" or "md" -> "md"; None for a pattern extension mode refuses."""
    i = 0
    if pattern[i:i + 1] == "*":
        i += 1
    if pattern[i:i + 1] == ".":
        i += 1
    ext = pattern[i:]
    if not ext or any(c in ext for c in "/*?[.\0"):
        return None
    return ext


def patterns_arg(pattern, mode):
    """The patterns as a list of str (extensions in extension mode)."""
    if isinstance(pattern, str):
        patterns = [pattern]
    elif isinstance(pattern, (list, tuple)):
        patterns = list(pattern)
        if not patterns:
            raise HotpathValueError("argument 'pattern' is an empty %s; expected at least "
                                    "one pattern" % type(pattern).__name__)
    else:
        raise HotpathTypeError("argument 'pattern' has type %s; expected a str or a list "
                               "of str" % type(pattern).__name__)
    out = []
    for i, p in enumerate(patterns):
        text_arg(p, "pattern")
        if mode == "extension":
            ext = extension_of(p)
            if ext is None:
                raise HotpathValueError("pattern %d is %r; extension mode expects '*.ext', "
                                        "'.ext' or 'ext'" % (i, p), EINVAL)
            out.append(ext)
        else:
            out.append(p)
    return out


def mode_arg(mode):
    if not isinstance(mode, str):
        raise HotpathTypeError("argument 'mode' has type %s; expected a str"
                               % type(mode).__name__)
    if mode not in MODES:
        raise HotpathValueError("argument 'mode' is %r; expected 'glob' or 'extension'"
                                % (mode,))
    return str(mode)


class AuditArgs:
    """Checked audit arguments, shared by every backend."""

    __slots__ = ("root", "patterns", "mode", "max_files", "recursive", "follow_symlinks",
                 "include_hidden", "summary_lines", "summary_chars", "skip_front_matter",
                 "unicode_counts", "verbatim_summary")

    def __init__(self, root, pattern, max_files, recursive, follow_symlinks, include_hidden,
                 summary_lines, summary_chars, skip_front_matter, mode, unicode_counts=False,
                 verbatim_summary=False):
        self.root = path_arg(root, "root")
        self.mode = mode_arg(mode)
        self.patterns = patterns_arg(pattern, self.mode)
        self.max_files = None if max_files is None else u64_arg(max_files, "max_files")
        self.recursive = bool(recursive)
        self.follow_symlinks = bool(follow_symlinks)
        self.include_hidden = bool(include_hidden)
        self.summary_lines = count_arg(summary_lines, "summary_lines", U32_LIMIT,
                                       "an integer in [0, 2**32)")
        self.summary_chars = u64_arg(summary_chars, "summary_chars")
        self.skip_front_matter = bool(skip_front_matter)
        self.unicode_counts = bool(unicode_counts)
        self.verbatim_summary = bool(verbatim_summary)
        if self.verbatim_summary and self.skip_front_matter:
            raise HotpathValueError("argument 'verbatim_summary' does not go with "
                                    "'skip_front_matter'", EINVAL)


def root_error(err, root=None):
    """The exception for a root that cannot be opened (errno err)."""
    if err == getattr(os, "ENOTDIR", 20) or err == 20:
        return HotpathValueError("argument 'root' is not a directory", EINVAL)
    return error_for_status(EIO, "cannot open argument 'root': %s" % os.strerror(err), err, root)


def _os_reason(what, exc):
    return "%s: %s" % (what, os.strerror(exc.errno)) if exc.errno else what


# --- counting -----------------------------------------------------------------------

# U+001C..U+001F: white space to str.split(), word characters to the Unicode rule.
_SEPARATORS_AS_WORD = {c: "x" for c in range(0x1C, 0x20)}


def verbatim_span(text, lines, max_chars):
    """(end, taken): the first `lines` lines of text as they are, ending before the
    last one's "\\n" or "\\r\\n" (a last line without "\\n" keeps its "\\r"), cut
    to max_chars code points; taken is the number of lines in it."""
    end = pos = taken = 0
    n = len(text)
    while taken < lines and pos < n:
        taken += 1
        nl = text.find("\n", pos)
        if nl < 0:
            end = n
            break
        end = nl - 1 if nl > pos and text[nl - 1] == "\r" else nl
        pos = nl + 1
    return min(end, max_chars), taken


def count(data, summary_lines=1, summary_chars=200, skip_front_matter=False,
          unicode_counts=False, verbatim_summary=False):
    """(lines, words, summary, utf8) of a file's bytes.

    lines: the "\\n"-terminated lines plus an unterminated last one, unless that is a
    lone "\\r" (a trailing "\\r" is not content); b"" has 0 lines.  Valid UTF-8:
    words are str.split() runs (Unicode white space), the summary is
    hotpath.text.summarize of the text.  Otherwise (utf8 False) words are
    bytes.split() runs (ASCII white space) and the summary is taken from the valid
    UTF-8 prefix, the bytes before the first invalid sequence.  unicode_counts: words
    split at Unicode White_Space only (U+001C..U+001F are word characters) and any
    unterminated last line counts.  verbatim_summary: the summary is verbatim_span."""
    lines = data.count(b"\n")
    tail = len(data) - data.rfind(b"\n") - 1
    if tail and (unicode_counts or not (tail == 1 and data[-1] == 13)):
        lines += 1
    try:
        text = data.decode("utf-8")
        words = len((text.translate(_SEPARATORS_AS_WORD) if unicode_counts else text).split())
        utf8 = True
    except UnicodeDecodeError as exc:
        words = len(data.split())
        text = data[:exc.start].decode("utf-8")
        utf8 = False
    return lines, words, _summary(text, summary_lines, summary_chars, skip_front_matter,
                                  verbatim_summary), utf8


def _summary(text, summary_lines, summary_chars, skip_front_matter, verbatim_summary):
    if verbatim_summary:
        return text[:verbatim_span(text, summary_lines, summary_chars)[0]]
    start, end = summary_span(text, summary_lines, summary_chars, skip_front_matter)
    return text[start:end]


# Files up to WHOLE_LIMIT bytes are counted whole; larger ones in pieces of PIECE
# bytes (count_stream), their summary from the first WHOLE_LIMIT bytes.  A pseudo-file
# (regular, size reported as 0, yet with data: /proc, /sys) is refused from
# PSEUDO_LIMIT bytes on: some never end.  The library's rules (files.cpp).
WHOLE_LIMIT = 64 << 20
PIECE = 16 << 20
PSEUDO_LIMIT = 1 << 20
_PSEUDO_REASON = "a pseudo-file without a size, of 1 MiB or more"


def read_path(path, check, limit=None):
    """The bytes of a file, or (status, reason) when it cannot be read.  check: make
    sure it is a regular file (a FIFO is opened without blocking, then refused).
    limit: read at most about that many bytes and return (data, None, fd) with the
    file left open when it goes on (else fd is None)."""
    def fail(failure):
        return (None, failure) if limit is None else (None, failure, None)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return fail((EIO, _os_reason("cannot open file", exc)))
    keep = False
    try:
        if check:
            try:
                st = os.fstat(fd)
            except OSError as exc:
                return fail((EIO, _os_reason("cannot read file", exc)))
            if not _stat.S_ISREG(st.st_mode):
                return fail((EUNSUPPORTED, "not a regular file"))
        chunks = []
        total = 0
        sized = False
        pseudo = False
        try:
            while True:
                if limit is not None and total >= limit:
                    keep = True
                    return b"".join(chunks), None, fd
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if not sized and total >= 65536:
                    sized = True
                    st = os.fstat(fd)
                    pseudo = _stat.S_ISREG(st.st_mode) and st.st_size == 0
                if pseudo and total >= PSEUDO_LIMIT:
                    return fail((EUNSUPPORTED, _PSEUDO_REASON))
                if not check and len(chunk) < 1 << 20:
                    break  # a file known to be regular ends at its first short read
        except OSError as exc:
            return fail((EIO, _os_reason("cannot read file", exc)))
        data = b"".join(chunks)
        return (data, None) if limit is None else (data, None, None)
    finally:
        if not keep:
            os.close(fd)


_ASCII_WS = frozenset(b" \t\n\x0b\x0c\r")


def _piece_end(buf):
    """Where a piece of buf ends: before its last character (see files.cpp)."""
    n = len(buf)
    if n == 0:
        return 0
    i = n - 1
    k = 0
    while k < 3 and i > 0 and buf[i] & 0xC0 == 0x80:
        i -= 1
        k += 1
    return i if buf[i] & 0xC0 != 0x80 else n


class _PieceCounter:
    """count()'s lines, words and utf8 over pieces that end before a character."""

    def __init__(self, unicode_counts):
        self.unicode = unicode_counts
        self.valid = True
        self.size = self.newlines = self.text_words = self.byte_words = self.tail = 0
        self.any = False
        self.last_text_space = self.last_byte_space = True
        self.last = 0

    def _text_space(self, ch):
        if self.unicode and "\x1c" <= ch <= "\x1f":
            return False
        return ch.isspace()

    def add(self, p):
        if not p:
            return
        nl = p.count(b"\n")
        self.newlines += nl
        at = p.rfind(b"\n")
        self.tail = len(p) - at - 1 if at >= 0 else self.tail + len(p)
        self.size += len(p)
        bw = len(p.split())
        if self.any and not self.last_byte_space and p[0] not in _ASCII_WS:
            bw -= 1
        self.byte_words += bw
        if self.valid:
            try:
                text = p.decode("utf-8")
            except UnicodeDecodeError:
                self.valid = False
            else:
                tw = len((text.translate(_SEPARATORS_AS_WORD) if self.unicode else text).split())
                if self.any and not self.last_text_space and not self._text_space(text[0]):
                    tw -= 1
                self.text_words += tw
                self.last_text_space = self._text_space(text[-1])
        self.last_byte_space = p[-1] in _ASCII_WS
        self.last = p[-1]
        self.any = True

    def lines(self):
        tail = self.tail
        return self.newlines + (1 if tail and (self.unicode or not (tail == 1 and self.last == 13))
                                else 0)


def count_stream(fd, head, check, summary_lines, summary_chars, skip_front_matter,
                 unicode_counts, verbatim_summary):
    """(size, lines, words, summary, utf8) of a file whose first WHOLE_LIMIT bytes are
    head, the rest read from fd (closed here) in pieces; or (status, reason)."""
    try:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = head[:exc.start].decode("utf-8")
        summary = _summary(text, summary_lines, summary_chars, skip_front_matter,
                           verbatim_summary)
        counter = _PieceCounter(unicode_counts)
        buf = head
        while True:
            cut = _piece_end(buf)
            counter.add(buf[:cut])
            buf = buf[cut:]
            pieces = [buf]
            got = 0
            eof = False
            while got < PIECE and not eof:
                want = min(1 << 20, PIECE - got)
                try:
                    chunk = os.read(fd, want)
                except InterruptedError:
                    continue
                except OSError as exc:
                    return None, (EIO, _os_reason("cannot read file", exc))
                pieces.append(chunk)
                got += len(chunk)
                # As in read_path: a known regular file ends at its first short read.
                eof = not chunk or (not check and len(chunk) < want)
            buf = b"".join(pieces)
            if eof:
                break
        counter.add(buf)
        words = counter.text_words if counter.valid else counter.byte_words
        return (counter.size, counter.lines(), words, summary, counter.valid), None
    finally:
        os.close(fd)


# --- results ------------------------------------------------------------------------

class AuditResult:
    """The result of audit(): a sequence of FileInfo records sorted by path.

    len(result), result[i], iteration; ``errors``: [(path, reason)] sorted by path;
    totals ``total_files``, ``total_size``, ``total_lines``, ``total_words``;
    ``root``: the audited folder as given (absolute(record) joins it to a record's
    path); ``to_markdown(top=10)``: a report.  Native results hold the library's
    table and build FileInfo records on first access.
    """

    __slots__ = ("root", "errors", "total_files", "total_size", "total_lines",
                 "total_words", "_records", "_table", "_arena")

    def __init__(self, root, records=None, errors=(), table=None, arena=None, totals=None):
        self.root = root
        self.errors = list(errors)
        self._records = records
        self._table = table
        self._arena = arena
        if records is not None:
            self.total_files = len(records)
            self.total_size = sum(r.size for r in records)
            self.total_lines = sum(r.lines for r in records)
            self.total_words = sum(r.words for r in records)
        else:
            (self.total_files, self.total_size, self.total_lines,
             self.total_words) = totals

    @property
    def records(self):
        """Every record, as a list (built once)."""
        if self._records is None:
            self._records = _records_from_table(self._table, self._arena)
            self._table = self._arena = None
        return self._records

    def __len__(self):
        return self.total_files

    def __getitem__(self, index):
        return self.records[index]

    def __iter__(self):
        return iter(self.records)

    def __repr__(self):
        return "<AuditResult %r: %d files, %d lines, %d words, %d errors>" % (
            self.root, self.total_files, self.total_lines, self.total_words, len(self.errors))

    def absolute(self, record):
        """The absolute path of a record (or of a relative path str)."""
        path = record.path if isinstance(record, FileInfo) else record
        return os.path.abspath(os.path.join(self.root, *path.split("/")))

    def to_markdown(self, top=10):
        """A Markdown report: totals, averages per file, the `top` files by lines (ties
        by path) and the errors."""
        top = count_arg(top, "top", U64_MAX + 1, "an integer in [0, 2**64)")
        n = self.total_files
        out = ["# Audit of `%s`" % self.root, "",
               "| Files | Bytes | Lines | Words |", "|---:|---:|---:|---:|",
               "| %d | %d | %d | %d |" % (n, self.total_size, self.total_lines,
                                          self.total_words), ""]
        if n:
            out.append("Averages per file: %.1f lines, %.1f words, %.1f bytes."
                       % (self.total_lines / n, self.total_words / n, self.total_size / n))
            out.append("")
        records = sorted(self.records, key=lambda r: -r.lines)[:top]
        if records:
            out += ["## Top %d files by lines" % len(records), "",
                    "| # | File | Lines | Words | Bytes | Summary |",
                    "|---:|---|---:|---:|---:|---|"]
            for i, r in enumerate(records, 1):
                summary = r.summary.replace("\n", " ").replace("|", "\\|")
                if len(summary) > 60:
                    summary = summary[:57] + "..."
                out.append("| %d | `%s` | %d | %d | %d | %s |"
                           % (i, r.path, r.lines, r.words, r.size, summary))
            out.append("")
        if self.errors:
            out += ["## Errors (%d)" % len(self.errors), ""]
            out += ["- `%s`: %s" % (path, reason) for path, reason in self.errors]
            out.append("")
        return "\n".join(out)


def _records_from_table(table, arena):
    """FileInfo records from the library's table (8 uint64 per row) and arena, in a
    constant number of C-level calls: the arena (path NUL summary NUL, record after
    record: files.h) is decoded and split once, the columns are slices of the table.
    A summary holding NUL makes the split miss: then each record is sliced by its
    offsets."""
    n = len(table) // 8
    # The records hold no reference cycles: the cyclic collector, which would otherwise
    # scan the growing list again and again, is paused while they are built.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        # Paths may hold any bytes (surrogateescape); summaries are UTF-8, and a
        # sequence never straddles a NUL, so one decode of the whole decodes each.
        text = arena.decode("ascii") if arena.isascii() else arena.decode(
            "utf-8", "surrogateescape")
        parts = text.split("\0")
        if len(parts) == 2 * n + 1:
            return list(map(_new_info, zip(parts[0:2 * n:2], table[4::8], table[5::8],
                                           table[6::8], parts[1:2 * n:2],
                                           map(bool, table[7::8]))))
        it = iter(table)
        rows = zip(it, it, it, it, it, it, it, it)
        info = FileInfo
        return [info(arena[p:p + pl].decode("utf-8", "surrogateescape"), size, lines, words,
                     arena[s:s + sl].decode("utf-8"), u != 0)
                for p, pl, s, sl, size, lines, words, u in rows]
    finally:
        if paused:
            gc.enable()


class ReadResult:
    """The result of read_files(): a read-only mapping path -> content, in input order.

    Contents are memoryview slices of one buffer (``buffer``, file i at
    ``offsets[i]:offsets[i + 1]``), or str with text=True.  ``errors``:
    [(path, reason)] for the paths that could not be read (their content is empty
    and they are not keys).  ``paths``: every path as given, in input order.
    """

    __slots__ = ("paths", "buffer", "offsets", "errors", "_index", "_texts")

    def __init__(self, paths, buffer, offsets, failed, text):
        self.paths = paths
        self.buffer = buffer
        self.offsets = offsets
        self.errors = []
        self._index = {}
        self._texts = None
        if text:
            self._texts = {}
        view = memoryview(buffer)
        for i, key in enumerate(paths):
            if i in failed:
                self.errors.append((key, failed[i]))
                continue
            if text:
                try:
                    value = view[offsets[i]:offsets[i + 1]].tobytes().decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.errors.append((key, "not valid UTF-8 at byte offset %d" % exc.start))
                    continue
                self._texts.setdefault(key, value)
            self._index.setdefault(key, i)

    def __getitem__(self, key):
        if self._texts is not None:
            return self._texts[key]
        i = self._index[key]
        return memoryview(self.buffer)[self.offsets[i]:self.offsets[i + 1]]

    def __len__(self):
        return len(self._index)

    def __iter__(self):
        return iter(self._index)

    def __contains__(self, key):
        return key in self._index

    def keys(self):
        return self._index.keys()

    def items(self):
        return [(k, self[k]) for k in self._index]

    def values(self):
        return [self[k] for k in self._index]

    def get(self, key, default=None):
        return self[key] if key in self._index else default

    def __repr__(self):
        return "<ReadResult %d files, %d bytes, %d errors>" % (len(self._index),
                                                               len(self.buffer),
                                                               len(self.errors))


# A read-only mapping for isinstance(result, collections.abc.Mapping) checks.
_Mapping.register(ReadResult)


def read_keys_arg(paths):
    """The paths as given, each through os.fspath (str or bytes): the result's keys."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        raise HotpathTypeError("argument 'paths' is a single path; expected an iterable "
                               "of paths")
    try:
        keys = list(paths)
    except TypeError:
        raise HotpathTypeError("argument 'paths' has type %s; expected an iterable of "
                               "paths" % type(paths).__name__) from None
    try:
        return list(map(os.fspath, keys))
    except TypeError:
        for i, p in enumerate(keys):
            path_encoder(p, i)  # raises for the first path that is not a path
        raise


def path_encoder(p, i):
    """Path i as the bytes the file system takes; the argument errors otherwise."""
    try:
        raw = os.fsencode(p)
    except TypeError:
        raise HotpathTypeError("path %d has type %s; expected a str, bytes or "
                               "os.PathLike" % (i, type(p).__name__)) from None
    if b"\0" in raw:
        raise HotpathValueError("path %d contains a NUL byte" % i)
    return raw


def read_paths_arg(paths):
    """(keys as given, encoded paths as bytes)."""
    keys = read_keys_arg(paths)
    return keys, [path_encoder(p, i) for i, p in enumerate(keys)]


def read_result(keys, buffer, offsets, failed, strict, text):
    """The ReadResult, or the first failure raised when strict."""
    if strict:
        for i, key in enumerate(keys):
            if i in failed:
                status, reason = failed[i]
                raise error_for_status(status, "%r: %s" % (key, reason), errno_of(reason),
                                       os.fspath(key))
    result = ReadResult(keys, buffer, offsets, {i: r for i, (_, r) in failed.items()}, text)
    if strict and result.errors:  # text=True and a file that is not UTF-8
        key, reason = result.errors[0]
        raise error_for_status(EUTF8, "%r: %s" % (key, reason))
    return result


# --- the twin -----------------------------------------------------------------------

def _walk(args):
    """(files [(relative path, needs a type check)], errors [(path, status, reason)])."""
    root = args.root
    follow = args.follow_symlinks
    recursive = args.recursive
    hidden = args.include_hidden
    extension = args.mode == "extension"
    patterns = args.patterns
    files, errors = [], []
    level = [("", ())]  # (relative path, (dev, ino) of the folders above it)
    while level:
        below = []
        for rel, above in level:
            path = os.path.join(root, rel) if rel else root
            try:
                it = os.scandir(path)
            except OSError as exc:
                errors.append((rel, EIO, _os_reason("cannot open directory", exc)))
                continue
            chain = above
            if follow:
                try:
                    st = os.stat(path)
                    chain = above + ((st.st_dev, st.st_ino),)
                except OSError:
                    chain = above + ((0, 0),)
            with it:
                while True:
                    try:
                        entry = next(it)
                    except StopIteration:
                        break
                    except OSError as exc:
                        errors.append((rel, EIO, _os_reason("cannot read directory", exc)))
                        break
                    name = entry.name
                    if name[0] == "." and not hidden:
                        continue
                    relp = rel + "/" + name if rel else name
                    check = True
                    if entry.is_dir(follow_symlinks=False):
                        if recursive:
                            below.append((relp, chain))
                        continue
                    if entry.is_symlink():
                        try:
                            st = os.stat(entry.path)
                        except OSError:
                            st = None
                        if st is not None and _stat.S_ISDIR(st.st_mode):
                            if not (recursive and follow):
                                continue
                            if (st.st_dev, st.st_ino) in chain:
                                errors.append((relp, EINVAL, "symbolic link loop: the folder "
                                               "is already on the path"))
                                continue
                            below.append((relp, chain))
                            continue
                    elif entry.is_file(follow_symlinks=False):
                        check = False
                    if extension:
                        base = name
                        dot = base.rfind(".")
                        if dot <= 0 or base[dot + 1:] not in patterns:
                            continue
                    elif not any(glob_kernel(p, relp) for p in patterns):
                        continue
                    files.append((relp, check))
        level = below
    return files, errors


def audit(root, pattern="*.md", max_files=None, recursive=True, follow_symlinks=False,
          include_hidden=False, summary_lines=1, summary_chars=200, skip_front_matter=False,
          mode="glob", unicode_counts=False, verbatim_summary=False):
    """Audit the files under root that match pattern -> AuditResult (see hotpath.files)."""
    args = AuditArgs(root, pattern, max_files, recursive, follow_symlinks, include_hidden,
                     summary_lines, summary_chars, skip_front_matter, mode, unicode_counts,
                     verbatim_summary)
    return audit_checked(args)


def open_root(root):
    """Raise the root's error when it is not a folder that can be opened."""
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise root_error(exc.errno, exc.filename) from None
    os.close(fd)


def audit_checked(args):
    open_root(args.root)
    files, walk_errors = _walk(args)
    files.sort(key=lambda f: os.fsencode(f[0]))
    if args.max_files is not None:
        del files[args.max_files:]
    root = args.root
    records, errors = [], []
    lines, chars, front = args.summary_lines, args.summary_chars, args.skip_front_matter
    uni, verbatim = args.unicode_counts, args.verbatim_summary
    for rel, check in files:
        data, failure, more = read_path(os.path.join(root, rel), check, WHOLE_LIMIT)
        if failure is None and more is not None:
            counted, failure = count_stream(more, data, check, lines, chars, front, uni,
                                            verbatim)
            if failure is None:
                size, n_lines, words, summary, utf8 = counted
                records.append(_new_info((rel, size, n_lines, words, summary, utf8)))
                continue
        if failure is not None:
            errors.append((rel, failure[1]))
            continue
        n_lines, words, summary, utf8 = count(data, lines, chars, front, uni, verbatim)
        records.append(_new_info((rel, len(data), n_lines, words, summary, utf8)))
    errors.extend((path, reason) for path, _, reason in walk_errors)
    errors.sort(key=lambda e: os.fsencode(e[0]))
    return AuditResult(args.root, records, errors)


def read_files(paths, strict=False, text=False):
    """Read many files -> ReadResult (see hotpath.files)."""
    keys, encoded = read_paths_arg(paths)
    parts, failed = [], {}
    for i, raw in enumerate(encoded):
        data, failure = read_path(raw, True)
        if failure is not None:
            failed[i] = failure
            data = b""
        parts.append(data)
    offsets = array("Q", [0])
    pos = 0
    for data in parts:
        pos += len(data)
        offsets.append(pos)
    return read_result(keys, b"".join(parts), offsets, failed, strict, text)


def summaries_of(result):
    """{path: [lines]} of an audit made with the summary as the first lines."""
    out = {}
    for r in result:
        out[r.path] = [line[:-1] if line.endswith("\r") else line
                       for line in r.summary.split("\n")] if r.summary else []
    return out


def extract_summaries(root, pattern="*.md", lines_per_file=10, **options):
    """{relative path: [first lines]} for the files audit(root, pattern, **options)
    keeps: up to lines_per_file lines from the first character that is not white
    space (as the audit's summary with summary_lines=lines_per_file and no length
    cut unless summary_chars is given), without line breaks or a trailing "\\r"."""
    options.setdefault("summary_chars", U64_MAX)
    return summaries_of(audit(root, pattern, summary_lines=lines_per_file, **options))
