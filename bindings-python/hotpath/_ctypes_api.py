"""The ctypes view of the C ABI: restype/argtypes for every function in
include/hotpath/*.h, and the helpers that turn normalised buffers into pointers.

A new module adds its functions to FUNCTIONS under a comment naming its header,
mirrored in _cffi_api.CDEF.  Both files must list every exported function.

ctypes releases the GIL for the duration of every foreign call, so batch kernels
run in parallel with other Python threads; the buffers passed in are kept alive
(and pinned, see _buffers) by the caller for that whole duration.
"""

from __future__ import annotations

import ctypes
from array import array
from ctypes import (POINTER, byref, c_char, c_char_p, c_double, c_int32, c_size_t, c_uint32,
                    c_uint64, c_void_p)

NAME = "ctypes"

_status = c_int32  # hotpath_status_t
# Array arguments (const uint64_t*, double* ...) are declared c_void_p so that an
# address can be passed as a plain int: no ctypes object is built per call for the
# buffers we allocate.  The C element type is noted next to each use.
_array = c_void_p

# name: (restype, argtypes)
FUNCTIONS = {
    # common.h
    "hotpath_version_string": (c_char_p, ()),
    "hotpath_version_number": (c_uint32, ()),
    "hotpath_abi_version": (c_uint32, ()),
    "hotpath_status_str": (c_char_p, (_status,)),
    "hotpath_status_name": (c_char_p, (_status,)),
    "hotpath_last_error_message": (c_char_p, ()),
    "hotpath_module_count": (c_size_t, ()),
    "hotpath_module_name": (c_char_p, (c_size_t,)),
    "hotpath_set_num_threads": (_status, (c_int32,)),
    "hotpath_get_num_threads": (c_int32, ()),
    "hotpath_max_threads": (c_int32, ()),
    # williams.h
    "hotpath_williams_space_bound": (c_double, (c_uint64,)),
    "hotpath_williams_efficiency": (c_double, (c_uint64,)),
    "hotpath_williams_space_saved_percent": (c_double, (c_uint64,)),
    "hotpath_williams_optimal_batch_size": (
        _status, (c_uint64, c_double, c_double, POINTER(c_uint64))),
    "hotpath_williams_confidence_multiplier": (
        _status, (c_uint64, c_double, c_int32, POINTER(c_double))),
    "hotpath_williams_regime_from_name": (_status, (c_char_p, c_size_t, POINTER(c_int32))),
    "hotpath_williams_regime_leverage": (_status, (c_int32, POINTER(c_double))),
    "hotpath_williams_default_base_confidence": (c_double, ()),
    "hotpath_williams_default_memory_per_item_mb": (c_double, ()),
    "hotpath_williams_space_bound_batch": (
        _status, (_array, c_size_t, _array)),  # const uint64_t*, n, double*
    "hotpath_williams_efficiency_batch": (
        _status, (_array, c_size_t, _array)),  # const uint64_t*, n, double*
    "hotpath_williams_space_saved_percent_batch": (
        _status, (_array, c_size_t, _array)),  # const uint64_t*, n, double*
    "hotpath_williams_optimal_batch_size_batch": (
        _status, (_array, c_size_t, c_double, c_double, _array)),  # const uint64_t*, ..., uint64_t*
    "hotpath_williams_confidence_multiplier_batch": (
        # const uint64_t* num_fields, n, const double* base_confidences (may be NULL),
        # double base_confidence, int32_t regime, double* out
        _status, (_array, c_size_t, _array, c_double, c_int32, _array)),
    # text.h  (texts are (const char*, size_t) pairs: bytes, or an address as int)
    "hotpath_text_metric_from_name": (_status, (c_char_p, c_size_t, POINTER(c_int32))),
    "hotpath_text_flag_case_fold": (c_uint32, ()),
    "hotpath_text_flag_skip_front_matter": (c_uint32, ()),
    "hotpath_text_default_prefix_weight": (c_double, ()),
    "hotpath_text_jaccard": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_uint32, POINTER(c_double))),
    "hotpath_text_cosine": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_uint32, POINTER(c_double))),
    "hotpath_text_overlap": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_uint32, POINTER(c_double))),
    "hotpath_text_levenshtein": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_uint64, c_uint32,
                  POINTER(c_uint64))),
    "hotpath_text_levenshtein_normalized": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_uint32, POINTER(c_double))),
    "hotpath_text_jaro_winkler": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, c_double, c_uint32,
                  POINTER(c_double))),
    "hotpath_text_case_fold_bound": (c_size_t, (c_size_t,)),
    "hotpath_text_case_fold": (
        _status, (c_char_p, c_size_t, _array, c_size_t, POINTER(c_size_t))),  # char* out
    "hotpath_text_summarize": (
        _status, (c_char_p, c_size_t, c_uint32, c_uint64, c_uint32, POINTER(c_size_t),
                  POINTER(c_size_t))),
    "hotpath_text_corpus_create": (
        # const char* data, const size_t* offsets, n, flags, hotpath_text_corpus_t** out
        _status, (c_char_p, _array, c_size_t, c_uint32, POINTER(c_void_p))),
    "hotpath_text_corpus_destroy": (None, (c_void_p,)),
    "hotpath_text_corpus_size": (c_size_t, (c_void_p,)),
    "hotpath_text_corpus_flags": (c_uint32, (c_void_p,)),
    "hotpath_text_one_to_many": (
        # query, query_len, corpus, metric, param, double* out, out_len
        _status, (c_char_p, c_size_t, c_void_p, c_int32, c_double, _array, c_size_t)),
    "hotpath_text_extract": (
        # query, query_len, corpus, metric, param, score_cutoff, limit,
        # uint64_t* out_indices, double* out_scores, size_t* out_count
        _status, (c_char_p, c_size_t, c_void_p, c_int32, c_double, c_double, c_size_t, _array,
                  _array, POINTER(c_size_t))),
    "hotpath_text_matrix": (
        _status, (c_void_p, c_int32, c_double, _array, c_size_t)),  # corpus, ..., double* out
    # consensus.h
    "hotpath_consensus_cluster": (
        # const double* matrix, n, threshold, uint32_t* labels, size_t* cluster_count
        _status, (_array, c_size_t, c_double, _array, POINTER(c_size_t))),
    "hotpath_consensus_phrases_create": (_status, (POINTER(c_void_p),)),
    "hotpath_consensus_phrases_destroy": (None, (c_void_p,)),
    "hotpath_consensus_key_phrases": (
        # corpus, const uint32_t* members, n_members, const double* weights (may be NULL),
        # min_docs, ranking, limit, phrases
        _status, (c_void_p, _array, c_size_t, _array, c_uint32, c_int32, c_size_t, c_void_p)),
    "hotpath_consensus_phrases_count": (c_size_t, (c_void_p,)),
    "hotpath_consensus_phrase": (
        # phrases, i, const char** text, size_t* text_len, uint64_t* count, uint64_t* docs,
        # double* score
        _status, (c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_uint64),
                  POINTER(c_uint64), POINTER(c_double))),
    "hotpath_consensus_stop_word_count": (c_size_t, ()),
    "hotpath_consensus_stop_word": (c_char_p, (c_size_t,)),
    # files.h  (handles and option structs by address; out-pointers to arrays as
    # POINTER(c_void_p))
    "hotpath_files_mode_glob": (c_int32, ()),
    "hotpath_files_mode_extension": (c_int32, ()),
    "hotpath_files_flag_recursive": (c_uint32, ()),
    "hotpath_files_flag_follow_symlinks": (c_uint32, ()),
    "hotpath_files_flag_include_hidden": (c_uint32, ()),
    "hotpath_files_flag_skip_front_matter": (c_uint32, ()),
    "hotpath_files_columns": (c_size_t, ()),
    "hotpath_files_glob_match": (
        _status, (c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_int32))),
    "hotpath_files_audit_options_init": (_status, (c_void_p,)),
    "hotpath_files_audit_options_size": (c_size_t, ()),
    "hotpath_files_audit_create": (_status, (POINTER(c_void_p),)),
    "hotpath_files_audit_destroy": (None, (c_void_p,)),
    # audit, const char* root, const hotpath_files_audit_options_t* options
    "hotpath_files_audit": (_status, (c_void_p, c_char_p, c_void_p)),
    "hotpath_files_audit_count": (c_size_t, (c_void_p,)),
    "hotpath_files_audit_error_count": (c_size_t, (c_void_p,)),
    "hotpath_files_audit_record": (_status, (c_void_p, c_size_t, c_void_p)),
    "hotpath_files_audit_table": (
        # audit, const uint64_t** table, const char** arena, size_t* arena_len
        _status, (c_void_p, POINTER(c_void_p), POINTER(c_void_p), POINTER(c_size_t))),
    "hotpath_files_audit_error": (
        # audit, index, const char** path, size_t* path_len, status*, const char** message
        _status, (c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_int32),
                  POINTER(c_char_p))),
    "hotpath_files_audit_totals": (
        _status, (c_void_p, POINTER(c_uint64), POINTER(c_uint64), POINTER(c_uint64),
                  POINTER(c_uint64))),
    "hotpath_files_reader_create": (_status, (POINTER(c_void_p),)),
    "hotpath_files_reader_destroy": (None, (c_void_p,)),
    # reader, const char* paths, const size_t* offsets, n
    "hotpath_files_read": (_status, (c_void_p, c_char_p, _array, c_size_t)),
    "hotpath_files_read_count": (c_size_t, (c_void_p,)),
    "hotpath_files_read_result": (
        # reader, const char** data, size_t* data_len, const uint64_t** offsets,
        # const int32_t** statuses
        _status, (c_void_p, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_void_p),
                  POINTER(c_void_p))),
    "hotpath_files_read_message": (c_char_p, (c_void_p, c_size_t)),
    # memory.h
    "hotpath_memory_pairs_create": (_status, (POINTER(c_void_p),)),
    "hotpath_memory_pairs_destroy": (None, (c_void_p,)),
    "hotpath_memory_pairs_count": (c_size_t, (c_void_p,)),
    "hotpath_memory_pairs_data": (c_void_p, (c_void_p,)),  # const uint32_t*
    "hotpath_memory_similar_pairs": (
        # corpus, threshold, strict, pairs (may be NULL), uint64_t* count
        _status, (c_void_p, c_double, c_int32, c_void_p, POINTER(c_uint64))),
    "hotpath_memory_scan_create": (_status, (POINTER(c_void_p),)),
    "hotpath_memory_scan_destroy": (None, (c_void_p,)),
    "hotpath_memory_scan": (
        # dir, dir_len, threshold_days, similarity_threshold, now, result
        _status, (c_char_p, c_size_t, c_double, c_double, c_double, c_void_p)),
    "hotpath_memory_scan_counts": (
        _status, (c_void_p, POINTER(c_uint64), POINTER(c_uint64), POINTER(c_uint64))),
    "hotpath_memory_scan_error_count": (c_size_t, (c_void_p,)),
    "hotpath_memory_scan_error": (
        # scan, i, const char** path, size_t* path_len, const char** reason, size_t* reason_len
        _status, (c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_void_p),
                  POINTER(c_size_t))),
    "hotpath_memory_create_hexagram": (
        _status, (_array, c_size_t, POINTER(c_int32))),  # const uint8_t* lines
    "hotpath_memory_is_balanced": (
        _status, (_array, c_size_t, POINTER(c_int32))),  # const uint8_t* lines
    "hotpath_memory_threading_tier": (c_uint32, (c_uint64,)),
    "hotpath_memory_recommend_threads": (
        _status, (c_uint64, c_double, c_uint32, POINTER(c_uint32))),
    "hotpath_memory_min_seconds_per_thread": (c_double, ()),
    "hotpath_memory_scan_seconds_per_item": (c_double, ()),
    # compress.h  (buffers as c_void_p: bytes, a ctypes array or None; paths as bytes)
    "hotpath_compress_format_lz4": (c_int32, ()),
    "hotpath_compress_format_gzip": (c_int32, ()),
    "hotpath_compress_format_from_name": (_status, (c_char_p, c_size_t, POINTER(c_int32))),
    "hotpath_compress_levels": (
        _status, (c_int32, POINTER(c_int32), POINTER(c_int32), POINTER(c_int32))),
    "hotpath_compress_bound": (_status, (c_int32, c_size_t, POINTER(c_size_t))),
    "hotpath_compress_into": (
        # format, level, const void* src, src_len, void* dst, dst_capacity, size_t* written
        _status, (c_int32, c_int32, c_void_p, c_size_t, c_void_p, c_size_t, POINTER(c_size_t))),
    "hotpath_decompress_into": (
        _status, (c_void_p, c_size_t, c_void_p, c_size_t, POINTER(c_size_t))),
    "hotpath_compress_content_size": (
        _status, (c_void_p, c_size_t, POINTER(c_uint64), POINTER(c_int32))),
    "hotpath_compress_file": (
        _status, (c_int32, c_int32, c_char_p, c_char_p, POINTER(c_uint64))),
    "hotpath_decompress_file": (_status, (c_char_p, c_char_p, POINTER(c_uint64))),
}


def open_library(target):
    """dlopen a path or a bare soname; OSError when the loader cannot."""
    return ctypes.CDLL(target)


def has_symbol(lib, name):
    try:
        getattr(lib, name)
    except AttributeError:
        return False
    return True


def bind(lib):
    """Declare every function's types on the loaded library; returns the missing names."""
    missing = []
    for name, (restype, argtypes) in FUNCTIONS.items():
        try:
            func = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        func.restype = restype
        func.argtypes = argtypes
    return missing


def symbol_address(lib, name):
    return ctypes.cast(getattr(lib, name), c_void_p).value


def text(value):
    """A returned const char* (bytes with ctypes) as str; None for NULL."""
    if value is None:
        return None
    return value.decode("utf-8", "replace")


def encode(value):
    """A str argument for a (const char*, size_t) pair."""
    return value.encode("utf-8")


def _pointer(data):
    """Address of normalised data (see _buffers) for a c_void_p argument.

    Our own arrays and numpy arrays give their address directly, and so does a view
    of a whole array.  Other buffers (memoryviews) go through from_buffer, whose
    result the byref keeps alive for the call.  ctypes cannot take the address of a
    readonly buffer: copy it.
    """
    cls = data.__class__
    if cls is array:
        return data.buffer_info()[0]
    if cls is memoryview:
        if not data.nbytes:
            return None
        owner = data.obj
        if owner.__class__ is array:
            address, length = owner.buffer_info()
            # A contiguous view as long as its array is the whole array: same address.
            # The view itself pins the array, which cannot be resized while exported.
            if data.nbytes == length * owner.itemsize:
                return address
        if data.readonly:
            copy = array(data.format)
            copy.frombytes(data.cast("B"))
            data = copy
        return byref(c_char.from_buffer(data))
    # numpy.ndarray: from_buffer is ~3x faster than .ctypes.data, but only for writable
    # arrays (and never for empty ones, where NULL is what the C API expects anyway).
    if not data.size:
        return None
    try:
        return byref(c_char.from_buffer(data))
    except TypeError:
        return data.ctypes.data


in_u64 = _pointer
in_f64 = _pointer
out_u64 = _pointer
out_f64 = _pointer

# One-item arrays as out-parameters: ctypes passes an array where a POINTER(T) is
# declared, and cell[0] reads the same way as a cffi "T[1]".
_U64_CELL = c_uint64 * 1
_F64_CELL = c_double * 1
_I32_CELL = c_int32 * 1


def new_u64():
    return _U64_CELL()


def new_f64():
    return _F64_CELL()


def new_i32():
    return _I32_CELL()


NULL = None

