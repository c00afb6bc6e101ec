"""The names the WhiteMagic memory system imports from its native core, with the
behaviour of the code they replace, backed by hotpath.files, hotpath.compress,
hotpath.memory and hotpath.text.

    from hotpath.compat.whitemagic import (
        fast_similarity, calculate_similarity, audit_directory, read_files_fast,
        extract_summaries, fast_compress, fast_decompress, fast_consolidate,
        consolidate_memories, fast_search)

What each function does is said below in the replaced code's terms: "words" are runs
between Unicode White_Space characters (U+001C..U+001F are word characters, where
Python's str.split() splits at them), "lines" are "\\n"-terminated with one "\\r"
before the "\\n" dropped (an unterminated last line counts and keeps its "\\r"), "the
extension" is the text after the last "." of a name that does not start with "." or
has another "." (``notes.md`` -> ``md``; ``.md`` has none), "UTF-8" means the whole
file decodes strictly.  The deviations from the replaced code, each with its reason,
are listed in docs/compat.md; the native modules keep their own rules
(hotpath.files.audit sorts and strips summaries, hotpath.compress writes LZ4 ...).
"""

from __future__ import annotations

import logging
import os
import re
import time

from .. import compress, files, memory, text
from .._errors import EIO, HotpathError, errno_of

__all__ = ["fast_similarity", "calculate_similarity", "audit_directory", "read_files_fast",
           "extract_summaries", "fast_compress", "fast_decompress", "fast_consolidate",
           "consolidate_memories", "fast_search", "FileInfo", "AuditEntry",
           "ConsolidationSummary"]

logger = logging.getLogger("hotpath")

# Unicode White_Space: the separators of the replaced code's words.
_WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_WORDS = re.compile("[^%s]+" % re.escape(_WHITE_SPACE))
# Characters str.split() treats as white space and the Unicode rule does not.
_STR_SPLIT_ONLY = re.compile("[\x1c-\x1f]")


def _words(s):
    """The words of s (Unicode White_Space separators)."""
    return _WORDS.findall(s) if _STR_SPLIT_ONLY.search(s) else s.split()


def _str_arg(value, name):
    if not isinstance(value, str):
        raise TypeError("argument '%s': '%s' object cannot be converted to 'PyString'"
                        % (name, type(value).__name__))
    return value


def _size_arg(value, name):
    """A usize argument: an int >= 0 (bool included, as int)."""
    if not isinstance(value, int):
        raise TypeError("argument '%s': '%s' object cannot be interpreted as an integer"
                        % (name, type(value).__name__))
    if value < 0:
        raise OverflowError("argument '%s': can't convert negative int to unsigned" % name)
    return value


def _float_arg(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("argument '%s': must be real number, not %s"
                        % (name, type(value).__name__))
    return float(value)


def _io_message(reason):
    """The operating system's message of a hotpath reason "what: strerror", spelled as
    the replaced code spelled it ("Permission denied (os error 13)")."""
    message = reason.split(": ", 1)[-1]
    code = errno_of(message)
    return message if code is None else "%s (os error %d)" % (message, code)


def _lossy(path):
    """A path as the replaced code returned it: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


# --- similarity ---------------------------------------------------------------------

def _word_sets_jaccard(sa, sb):
    """1.0 when neither set has a word, 0.0 when one has none, else |a & b| / |a | b|."""
    if not sa and not sb:
        return 1.0
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def fast_similarity(text1, text2):
    """Jaccard of the two texts' word sets, case-sensitive: 1.0 when neither has a
    word, 0.0 when one has none."""
    a, b = _str_arg(text1, "text1"), _str_arg(text2, "text2")
    if _STR_SPLIT_ONLY.search(a) or _STR_SPLIT_ONLY.search(b):
        return _word_sets_jaccard(set(_words(a)), set(_words(b)))
    return text.jaccard(a, b)  # the same rule, with str.split() words


def calculate_similarity(text1, text2, use_rust=True):
    """Jaccard of the str.lower() texts' str.split() word sets; 0.0 when either has no
    word.  use_rust is accepted and ignored."""
    del use_rust
    a = text1.lower()
    b = text2.lower()
    if not a.split() or not b.split():
        return 0.0
    return text.jaccard(a, b)


# --- the audit ----------------------------------------------------------------------

class FileInfo(object):
    """One audited file: path, size (bytes), lines, words, summary."""

    __slots__ = ("path", "size", "lines", "words", "summary")

    def __init__(self, path, size, lines, words, summary):
        self.path = path
        self.size = size
        self.lines = lines
        self.words = words
        self.summary = summary

    def __repr__(self):
        return "FileInfo(path='%s', size=%d, lines=%d, words=%d)" % (
            self.path, self.size, self.lines, self.words)

    def __eq__(self, other):
        if not isinstance(other, FileInfo):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None


AuditEntry = FileInfo  # the name of earlier releases


def _extension(name):
    """The extension of a file name as the replaced code saw it, or None."""
    dot = name.rfind(".")
    if dot <= 0:
        return None
    return name[dot + 1:]


def _walk(directory, pattern, limit, summary_lines, summary_chars):
    """The files of directory (recursively, hidden ones and linked folders included)
    the pattern selects ("*": every file; otherwise the extension after any leading
    "*."s), at most limit of them, that are UTF-8: [(joined path, hotpath record)].
    A folder that cannot be listed raises OSError; files that cannot be read are left
    out."""
    root = os.fspath(directory)
    if not isinstance(root, str):
        raise TypeError("argument 'dir_path': '%s' object cannot be converted to 'PyString'"
                        % type(root).__name__)
    if not os.path.isdir(root) or limit == 0:
        return []
    ext = None
    if pattern == "*":
        glob, mode = "*", "glob"
    else:
        ext = pattern
        while ext.startswith("*."):
            ext = ext[2:]
        if ext and not re.search(r"[./*?\[\x00]", ext):
            glob, mode = ext, "extension"
        else:
            # No extension holds "." or "/"; others are compared after a full walk.
            glob, mode = "*", "glob"
    options = dict(pattern=glob, mode=mode, follow_symlinks=True, include_hidden=True,
                   summary_lines=summary_lines, summary_chars=summary_chars,
                   unicode_counts=True, verbatim_summary=True)

    def keep(info):
        name = info.path.rsplit("/", 1)[-1]
        return ext is None or _extension(name) == ext

    result = files.audit(root, max_files=limit, **options)
    chosen = [info for info in result if keep(info)]
    if len(chosen) < len(result) and len(result) == limit:
        # Names the pattern does not select filled the cut: cut after selecting.
        result = files.audit(root, **options)
        chosen = [info for info in result if keep(info)][:limit]
    for path, reason in result.errors:
        if reason.startswith(("cannot open directory", "cannot read directory")):
            raise OSError(_io_message(reason))
    return [(os.path.join(root, info.path), info) for info in chosen if info.utf8]


def audit_directory(dir_path, pattern=None, max_files=None):
    """The files under dir_path (every sub-folder, hidden names and linked folders
    included) whose extension is pattern's (default "*.md"; "*" takes every file), at
    most max_files (default 1000) of them, that are UTF-8: a list of FileInfo with
    path (dir_path joined with the file's path), size, lines, words and summary (the
    first line, at most 200 characters).  A dir_path that is not a folder gives [];
    a folder that cannot be listed raises OSError."""
    pattern = "*.md" if pattern is None else _str_arg(pattern, "pattern")
    limit = 1000 if max_files is None else _size_arg(max_files, "max_files")
    return [FileInfo(_lossy(path), info.size, info.lines, info.words, info.summary)
            for path, info in _walk(dir_path, pattern, limit, 1, 200)]


def extract_summaries(dir_path, pattern=None, lines_per_file=None):
    """{path: [its first lines_per_file (default 10) lines]} of the files audit_directory
    (dir_path, pattern, 1000) selects, keyed as its paths."""
    pattern = "*.md" if pattern is None else _str_arg(pattern, "pattern")
    n = 10 if lines_per_file is None else _size_arg(lines_per_file, "lines_per_file")
    out = {}
    for path, info in _walk(dir_path, pattern, 1000, min(n, 2**32 - 1), 2**64 - 1):
        taken = min(n, info.lines)
        pieces = info.summary.split("\n") if taken else []
        # Lines before the last ended in "\n": a "\r" before it is not part of the line.
        out[_lossy(path)] = [p[:-1] if i < len(pieces) - 1 and p.endswith("\r") else p
                             for i, p in enumerate(pieces)]
    return out


def read_files_fast(file_paths):
    """{path: text} of the paths whose files could be read and are UTF-8; the others
    are left out (named at DEBUG level on the ``hotpath`` logger)."""
    if isinstance(file_paths, (str, bytes)):
        raise TypeError("argument 'file_paths': Can't extract `str` to `Vec`")
    paths = [_str_arg(p, "file_paths") for p in file_paths]
    result = files.read_files(paths, text=True)
    if result.errors and logger.isEnabledFor(logging.DEBUG):
        logger.debug("read_files_fast: %d paths left out: %s", len(result.errors),
                     "; ".join("%s: %s" % e for e in list(result.errors)[:5]))
    return dict(result.items())


# --- compression --------------------------------------------------------------------

def _compat_error(exc):
    """The replaced code's exception for a hotpath error: OSError for files that cannot
    be opened, read or written, RuntimeError for data that does not decode."""
    if isinstance(exc, OSError) or getattr(exc, "status", None) == EIO:
        return OSError(str(exc))
    return RuntimeError(str(exc))


def fast_compress(input_path, output_path):
    """Compress the file input_path into output_path as one gzip member (level 1);
    returns the size of the compressed data."""
    try:
        return compress.compress_file(_str_arg(input_path, "input_path"),
                                      _str_arg(output_path, "output_path"),
                                      format="gzip", level=1)
    except HotpathError as exc:
        raise _compat_error(exc) from exc


def fast_decompress(input_path, output_path):
    """Decompress the gzip file input_path into output_path; returns the size of the
    decompressed data."""
    try:
        return compress.decompress_file(_str_arg(input_path, "input_path"),
                                        _str_arg(output_path, "output_path"))
    except HotpathError as exc:
        raise _compat_error(exc) from exc


# --- consolidation ------------------------------------------------------------------

class ConsolidationSummary(dict):
    """``{"old_memories", "duplicates", "total_files"}``."""


def _md_texts(directory, name, with_mtime):
    """[(file name, text, mtime in ns or None)] of the entries of directory whose
    extension is "md" and that read as UTF-8, in name order; OSError when the folder
    cannot be listed (fast_consolidate) and RuntimeError for consolidate_memories."""
    root = os.fspath(directory)
    try:
        names = sorted(os.listdir(os.fsencode(root)))
    except OSError as exc:
        message = "%s (os error %d)" % (exc.strerror, exc.errno)
        if name == "fast_consolidate":
            raise OSError(message) from None
        raise RuntimeError("Failed to read directory: " + message) from None
    chosen = [n for n in names if _extension(n.decode("utf-8", "surrogateescape")) == "md"]
    paths = [os.path.join(os.fsencode(root), n) for n in chosen]
    result = files.read_files(paths, text=True)
    out = []
    for n, p in zip(chosen, paths):
        content = result.get(p)
        if content is None:
            continue
        mtime = None
        if with_mtime:
            try:
                mtime = os.stat(p).st_mtime_ns
            except OSError:
                continue
        out.append((n, content, mtime))
    return out


def fast_consolidate(memory_dir, threshold_days=30, similarity_threshold=0.8):
    """Over the entries of memory_dir (not its sub-folders) whose extension is "md" and
    that read as UTF-8 and were modified in the past: ``total_files``, how many are
    older than threshold_days whole days (``old_memories``), and how many pairs have a
    fast_similarity above similarity_threshold (``duplicates``).  A folder that cannot
    be listed raises OSError."""
    days = _size_arg(threshold_days, "threshold_days")
    t = _float_arg(similarity_threshold, "similarity_threshold")
    now = time.time_ns()
    loaded = [(n, c, m) for n, c, m in _md_texts(memory_dir, "fast_consolidate", True)
              if m <= now]
    old = sum(1 for _, _, m in loaded if (now - m) // 10**9 // 86400 > days)
    texts = [c for _, c, _ in loaded]
    return ConsolidationSummary({"old_memories": old, "duplicates": _pairs_above(texts, t),
                                 "total_files": len(texts)})


def _pairs_above(texts, t):
    """Pairs of texts whose fast_similarity is above t."""
    n = len(texts)
    if t != t:  # NaN: no comparison holds
        return 0
    if t < 0.0:
        return n * (n - 1) // 2
    if t >= 1.0:
        return 0
    if any(_STR_SPLIT_ONLY.search(s) for s in texts):
        sets = [set(_words(s)) for s in texts]
        return sum(_word_sets_jaccard(sets[i], sets[j]) > t
                   for i in range(n) for j in range(i + 1, n))
    full = [s for s in texts if s.split()]
    empties = n - len(full)
    # Two texts without words are 1.0 apart, above any t < 1; one of them and a text
    # with words are 0.0, above no t >= 0.
    return memory.count_similar_pairs(full, t, strict=True) + empties * (empties - 1) // 2


_KEYWORDS = (
    # (terms, bonus) per score: importance, novelty, reusability (base 0.5, at most 1).
    ((("critical", "breakthrough"), 0.3), (("decision", "chose"), 0.2),
     (("changed", "pivoted"), 0.2), (("error", "bug"), 0.15)),
    ((("learned", "discovered"), 0.3), (("new", "novel"), 0.2),
     (("insight", "realization"), 0.2)),
    ((("pattern", "approach"), 0.3), (("solution", "fix"), 0.2),
     (("template", "framework"), 0.2)),
)


def _score(content):
    lower = content.lower()
    scores = []
    for k, table in enumerate(_KEYWORDS):
        s = 0.5
        for terms, bonus in table:
            if any(term in lower for term in terms):
                s += bonus
        if k == 2 and len(content.encode("utf-8", "surrogatepass")) > 1000:
            s += 0.1
        scores.append(min(s, 1.0))
    return (scores[0] + scores[1] + scores[2]) / 3.0


def _cluster_jaccard(a, b):
    sa, sb = set(_words(a)), set(_words(b))
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def consolidate_memories(short_term_dir, top_n=None, similarity_threshold=None):
    """Score the entries of short_term_dir whose extension is "md" and that read as
    UTF-8, keep the top_n (default 20) best, and group those greedily (each memory
    not yet grouped takes every later one whose word-set Jaccard, case-sensitive, is
    at least similarity_threshold, default 0.7).  Returns (memories loaded, groups,
    groups, seconds taken, the kept memories' file names best first).  A folder that
    cannot be listed raises RuntimeError."""
    start = time.perf_counter()
    n = 20 if top_n is None else _size_arg(top_n, "top_n")
    t = 0.7 if similarity_threshold is None else _float_arg(similarity_threshold,
                                                             "similarity_threshold")
    loaded = _md_texts(short_term_dir, "consolidate_memories", False)
    scored = [(_score(c), i) for i, (_, c, _) in enumerate(loaded)]
    # Best first; equal scores keep the load order (a stable sort).
    scored.sort(key=lambda s: -s[0])
    top = [loaded[i] for _, i in scored[:n]]
    used = [False] * len(top)
    groups = 0
    for i in range(len(top)):
        if used[i]:
            continue
        used[i] = True
        groups += 1
        for j in range(i + 1, len(top)):
            if not used[j] and _cluster_jaccard(top[i][1], top[j][1]) >= t:
                used[j] = True
    names = []
    for raw, _, _ in top:
        try:
            names.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            names.append("unknown")
    return (len(loaded), groups, groups, time.perf_counter() - start, names)


# --- full-text search ------------------------------------------------------------

# Where fast_search keeps the index of a folder of memories (inside it, hidden).
SEARCH_FOLDER = ".hotpath-search"


def fast_search(index_dir, query, limit=10):
    """The memories of index_dir that best match query: [(path, score)], best first
    (BM25, hotpath.search).  index_dir is either an index folder (one holding a
    MANIFEST, as hotpath.search.Index writes it: its documents' ids are returned as
    the paths) or a folder of *.md memories: then the index is kept in
    index_dir/.hotpath-search and brought up to date on each call (new, changed and
    deleted files), and the paths are index_dir joined with each file's path.  When
    that folder cannot be written (read-only, or another process is updating it) the
    index is built in memory for the call.  The replaced function never worked, so
    there is no earlier behaviour to keep (docs/compat.md)."""
    from .. import search
    root = os.fspath(index_dir)
    if isinstance(root, bytes):
        root = os.fsdecode(root)
    if os.path.isfile(os.path.join(root, "MANIFEST")):
        with search.Index(root) as index:
            return [(h.doc_id, h.score) for h in index.search(query, limit=limit)]
    try:
        index = search.index_directory(root, "*.md", path=os.path.join(root, SEARCH_FOLDER))
    except OSError as e:
        if not os.path.isdir(root):
            raise
        logger.debug("fast_search: cannot keep an index in %r (%s); indexing in memory",
                     root, e)
        index = search.index_directory(root, "*.md")
    with index:
        return [(os.path.join(root, h.doc_id), h.score)
                for h in index.search(query, limit=limit)]
