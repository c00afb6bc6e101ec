"""The names the WhiteMagic memory system imports from its native core, backed by
hotpath.files, hotpath.compress, hotpath.memory and hotpath.text.

    from hotpath.compat.whitemagic import (
        fast_similarity, calculate_similarity, audit_directory, read_files_fast,
        extract_summaries, fast_compress, fast_decompress, fast_consolidate,
        consolidate_memories)

Shapes are the application's (docs/memory.md, "The compat layer"):

* ``fast_similarity(a, b)``: word-set Jaccard, case-sensitive; two texts without
  words give 1.0, one gives 0.0.
* ``calculate_similarity(a, b)``: the same on ``str.lower()`` of both texts, and 0.0
  when either text has no words.
* ``audit_directory(dir, pattern="*.md", max_files=1000)``: a list of objects with
  ``path`` (root joined with the file's relative path), ``size``, ``lines``, ``words``
  and ``summary`` (the first line), sorted by path.  Matching is on the final
  extension, in every folder, like the tool it replaces.
* ``read_files_fast(paths)``: ``{path: text}``.  A path that cannot be read, or
  whose content is not UTF-8, is left out of the dict and named in one WARNING on
  the ``hotpath`` logger (the application's core skipped such files silently).
* ``extract_summaries(dir, pattern="*.md", lines_per_file=10)``: ``{path: [lines]}``.
* ``fast_compress(in_path, out_path)`` / ``fast_decompress(in_path, out_path)``: LZ4
  frames (readable by the ``lz4`` tool), returning the bytes written.
* ``fast_consolidate(memory_dir, threshold_days=30, similarity_threshold=0.8)``:
  ``{"old_memories", "duplicates", "total_files"}``; the entries that could not be
  used are in the dict's ``errors`` attribute (and logged).
* ``consolidate_memories(short_term_dir, top_n=10, similarity_threshold=0.5,
  write_to=None)``: hotpath.memory.consolidate's report; report-only unless
  ``write_to`` names a folder.
"""

from __future__ import annotations

import logging
import os

from .. import compress, files, memory, text

__all__ = ["fast_similarity", "calculate_similarity", "audit_directory", "read_files_fast",
           "extract_summaries", "fast_compress", "fast_decompress", "fast_consolidate",
           "consolidate_memories", "AuditEntry", "ConsolidationSummary"]

logger = logging.getLogger("hotpath")


def fast_similarity(text1, text2):
    """Case-sensitive Jaccard of the two texts' word sets (1.0 for two empty texts)."""
    return text.jaccard(text1, text2)


def calculate_similarity(text1, text2):
    """Jaccard of the lowercased word sets; 0.0 when either text has no words."""
    a = text1.lower()
    b = text2.lower()
    if not a.split() or not b.split():
        return 0.0
    return text.jaccard(a, b)


class AuditEntry(object):
    """One audited file, with the attribute names the application reads."""

    __slots__ = ("path", "size", "lines", "words", "summary")

    def __init__(self, path, size, lines, words, summary):
        self.path = path
        self.size = size
        self.lines = lines
        self.words = words
        self.summary = summary

    def __repr__(self):
        return "AuditEntry(path=%r, size=%d, lines=%d, words=%d, summary=%r)" % (
            self.path, self.size, self.lines, self.words, self.summary)

    def __eq__(self, other):
        if not isinstance(other, AuditEntry):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None


def _log_errors(what, errors):
    if errors:
        shown = "; ".join("%s: %s" % (p, r) for p, r in list(errors)[:5])
        more = "" if len(errors) <= 5 else " (and %d more)" % (len(errors) - 5)
        logger.warning("%s: %d entries could not be used: %s%s", what, len(errors), shown, more)


def audit_directory(directory, pattern="*.md", max_files=1000):
    """Audit the files of ``directory`` (recursively) whose extension matches ``pattern``."""
    result = files.audit(directory, pattern=pattern, max_files=max_files, mode="extension",
                         summary_lines=1)
    _log_errors("audit_directory(%r)" % (directory,), result.errors)
    root = os.fspath(directory)
    return [AuditEntry(os.path.join(root, info.path), info.size, info.lines, info.words,
                       info.summary) for info in result]


def read_files_fast(paths):
    """``{path: text}`` for every path that could be read and decoded as UTF-8."""
    result = files.read_files(list(paths), text=True)
    _log_errors("read_files_fast", result.errors)
    return dict(result.items())


def extract_summaries(directory, pattern="*.md", lines_per_file=10):
    """``{relative path: [first lines]}`` of the files whose extension matches ``pattern``."""
    return files.extract_summaries(directory, pattern=pattern, lines_per_file=lines_per_file,
                                   mode="extension")


def fast_compress(input_path, output_path):
    """Compress a file to an LZ4 frame; returns the bytes written."""
    return compress.compress_file(input_path, output_path, format="lz4")


def fast_decompress(input_path, output_path):
    """Decompress an LZ4 frame file; returns the bytes written."""
    return compress.decompress_file(input_path, output_path)


class ConsolidationSummary(dict):
    """``{"old_memories", "duplicates", "total_files"}``, with ``errors`` beside the keys."""

    def __init__(self, values, errors):
        dict.__init__(self, values)
        self.errors = list(errors)


def fast_consolidate(memory_dir, threshold_days=30, similarity_threshold=0.8):
    """Count old memories and near-duplicate pairs among the top-level ``*.md`` files."""
    report = memory.scan(memory_dir, threshold_days=threshold_days,
                         similarity_threshold=similarity_threshold)
    errors = report["errors"]
    _log_errors("fast_consolidate(%r)" % (memory_dir,), errors)
    return ConsolidationSummary({"old_memories": report["old_memories"],
                                 "duplicates": report["duplicates"],
                                 "total_files": report["total_files"]}, errors)


def consolidate_memories(short_term_dir, top_n=10, similarity_threshold=0.5, write_to=None):
    """hotpath.memory.consolidate: scores, top memories and merged clusters (report-only
    unless ``write_to`` names a folder)."""
    return memory.consolidate(short_term_dir, top_n=top_n,
                              similarity_threshold=similarity_threshold, write_to=write_to)
