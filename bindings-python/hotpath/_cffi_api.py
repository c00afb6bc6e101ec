"""The cffi view of the C ABI (ABI mode: ffi.cdef + ffi.dlopen, no compiler needed).

CDEF restates every function of include/hotpath/*.h; the headers expose every
constant an FFI user needs as a function, so no macro appears here.  A new module
appends its declarations under a comment naming its header, mirrored in
_ctypes_api.FUNCTIONS.

cffi is optional: it is imported on first use, so this module (and CDEF) can be
imported without it.  cffi releases the GIL during foreign calls, like ctypes.
"""

from __future__ import annotations

import re

NAME = "cffi"

CDEF = """
/* common.h */
typedef int32_t hotpath_status_t;
const char* hotpath_version_string(void);
uint32_t hotpath_version_number(void);
uint32_t hotpath_abi_version(void);
const char* hotpath_status_str(hotpath_status_t status);
const char* hotpath_status_name(hotpath_status_t status);
const char* hotpath_last_error_message(void);
size_t hotpath_module_count(void);
const char* hotpath_module_name(size_t index);
hotpath_status_t hotpath_set_num_threads(int32_t n);
int32_t hotpath_get_num_threads(void);
int32_t hotpath_max_threads(void);

/* williams.h */
double hotpath_williams_space_bound(uint64_t t);
double hotpath_williams_efficiency(uint64_t t);
double hotpath_williams_space_saved_percent(uint64_t t);
hotpath_status_t hotpath_williams_optimal_batch_size(uint64_t total_items,
                                                     double available_memory_mb,
                                                     double memory_per_item_mb, uint64_t* out);
hotpath_status_t hotpath_williams_confidence_multiplier(uint64_t num_fields,
                                                        double base_confidence,
                                                        int32_t regime, double* out);
hotpath_status_t hotpath_williams_regime_from_name(const char* name, size_t name_len,
                                                   int32_t* out);
hotpath_status_t hotpath_williams_regime_leverage(int32_t regime, double* out);
double hotpath_williams_default_base_confidence(void);
double hotpath_williams_default_memory_per_item_mb(void);
hotpath_status_t hotpath_williams_space_bound_batch(const uint64_t* in, size_t n, double* out);
hotpath_status_t hotpath_williams_efficiency_batch(const uint64_t* in, size_t n, double* out);
hotpath_status_t hotpath_williams_space_saved_percent_batch(const uint64_t* in, size_t n,
                                                            double* out);
hotpath_status_t hotpath_williams_optimal_batch_size_batch(const uint64_t* total_items,
                                                           size_t n,
                                                           double available_memory_mb,
                                                           double memory_per_item_mb,
                                                           uint64_t* out);
hotpath_status_t hotpath_williams_confidence_multiplier_batch(const uint64_t* num_fields,
                                                              size_t n,
                                                              const double* base_confidences,
                                                              double base_confidence,
                                                              int32_t regime, double* out);

/* text.h */
hotpath_status_t hotpath_text_metric_from_name(const char* name, size_t name_len, int32_t* out);
uint32_t hotpath_text_flag_case_fold(void);
uint32_t hotpath_text_flag_skip_front_matter(void);
double hotpath_text_default_prefix_weight(void);
hotpath_status_t hotpath_text_jaccard(const char* a, size_t a_len, const char* b, size_t b_len,
                                      uint32_t flags, double* out);
hotpath_status_t hotpath_text_cosine(const char* a, size_t a_len, const char* b, size_t b_len,
                                     uint32_t flags, double* out);
hotpath_status_t hotpath_text_overlap(const char* a, size_t a_len, const char* b, size_t b_len,
                                      uint32_t flags, double* out);
hotpath_status_t hotpath_text_levenshtein(const char* a, size_t a_len, const char* b,
                                          size_t b_len, uint64_t score_cutoff, uint32_t flags,
                                          uint64_t* out);
hotpath_status_t hotpath_text_levenshtein_normalized(const char* a, size_t a_len, const char* b,
                                                     size_t b_len, uint32_t flags, double* out);
hotpath_status_t hotpath_text_jaro_winkler(const char* a, size_t a_len, const char* b,
                                           size_t b_len, double prefix_weight, uint32_t flags,
                                           double* out);
size_t hotpath_text_case_fold_bound(size_t len);
hotpath_status_t hotpath_text_case_fold(const char* text, size_t len, char* out,
                                        size_t out_capacity, size_t* out_len);
hotpath_status_t hotpath_text_summarize(const char* text, size_t len, uint32_t lines,
                                        uint64_t max_chars, uint32_t flags, size_t* out_offset,
                                        size_t* out_len);
typedef struct hotpath_text_corpus hotpath_text_corpus_t;
hotpath_status_t hotpath_text_corpus_create(const char* data, const size_t* offsets, size_t n,
                                            uint32_t flags, hotpath_text_corpus_t** out);
void hotpath_text_corpus_destroy(hotpath_text_corpus_t* corpus);
size_t hotpath_text_corpus_size(const hotpath_text_corpus_t* corpus);
uint32_t hotpath_text_corpus_flags(const hotpath_text_corpus_t* corpus);
hotpath_status_t hotpath_text_one_to_many(const char* query, size_t query_len,
                                          const hotpath_text_corpus_t* corpus, int32_t metric,
                                          double param, double* out, size_t out_len);
hotpath_status_t hotpath_text_extract(const char* query, size_t query_len,
                                      const hotpath_text_corpus_t* corpus, int32_t metric,
                                      double param, double score_cutoff, size_t limit,
                                      uint64_t* out_indices, double* out_scores,
                                      size_t* out_count);
hotpath_status_t hotpath_text_matrix(const hotpath_text_corpus_t* corpus, int32_t metric,
                                     double param, double* out, size_t out_len);

/* consensus.h */
hotpath_status_t hotpath_consensus_cluster(const double* matrix, size_t n, double threshold,
                                           uint32_t* labels, size_t* cluster_count);
typedef struct hotpath_consensus_phrases hotpath_consensus_phrases_t;
hotpath_status_t hotpath_consensus_phrases_create(hotpath_consensus_phrases_t** out);
void hotpath_consensus_phrases_destroy(hotpath_consensus_phrases_t* phrases);
hotpath_status_t hotpath_consensus_key_phrases(const hotpath_text_corpus_t* corpus,
                                               const uint32_t* members, size_t n_members,
                                               const double* weights, uint32_t min_docs,
                                               int32_t ranking, size_t limit,
                                               hotpath_consensus_phrases_t* result);
size_t hotpath_consensus_phrases_count(const hotpath_consensus_phrases_t* phrases);
hotpath_status_t hotpath_consensus_phrase(const hotpath_consensus_phrases_t* phrases, size_t i,
                                          const char** text, size_t* text_len, uint64_t* count,
                                          uint64_t* docs, double* score);
size_t hotpath_consensus_stop_word_count(void);
const char* hotpath_consensus_stop_word(size_t i);

/* files.h */
int32_t hotpath_files_mode_glob(void);
int32_t hotpath_files_mode_extension(void);
uint32_t hotpath_files_flag_recursive(void);
uint32_t hotpath_files_flag_follow_symlinks(void);
uint32_t hotpath_files_flag_include_hidden(void);
uint32_t hotpath_files_flag_skip_front_matter(void);
size_t hotpath_files_columns(void);
hotpath_status_t hotpath_files_glob_match(const char* pattern, size_t pattern_len,
                                                      const char* path, size_t path_len,
                                                      int32_t* out);
typedef struct hotpath_files_audit_options {
  size_t struct_size;
  const char* patterns;
  const size_t* pattern_offsets;
  size_t pattern_count;
  int32_t mode;
  uint32_t flags;
  uint64_t max_files;
  uint32_t summary_lines;
  uint64_t summary_chars;
} hotpath_files_audit_options_t;
hotpath_status_t hotpath_files_audit_options_init(
    hotpath_files_audit_options_t* options);
size_t hotpath_files_audit_options_size(void);
typedef struct hotpath_files_audit_handle hotpath_files_audit_t;
hotpath_status_t hotpath_files_audit_create(hotpath_files_audit_t** out);
void hotpath_files_audit_destroy(hotpath_files_audit_t* audit);
hotpath_status_t hotpath_files_audit(hotpath_files_audit_t* audit, const char* root,
                                                 const hotpath_files_audit_options_t* options);
size_t hotpath_files_audit_count(const hotpath_files_audit_t* audit);
size_t hotpath_files_audit_error_count(const hotpath_files_audit_t* audit);
typedef struct hotpath_files_record {
  const char* path;
  size_t path_len;
  const char* summary;
  size_t summary_len;
  uint64_t size;
  uint64_t lines;
  uint64_t words;
  int32_t utf8;
} hotpath_files_record_t;
hotpath_status_t hotpath_files_audit_record(const hotpath_files_audit_t* audit,
                                                        size_t index,
                                                        hotpath_files_record_t* out);
hotpath_status_t hotpath_files_audit_table(const hotpath_files_audit_t* audit,
                                                       const uint64_t** table,
                                                       const char** arena, size_t* arena_len);
hotpath_status_t hotpath_files_audit_error(const hotpath_files_audit_t* audit,
                                                       size_t index, const char** path,
                                                       size_t* path_len,
                                                       hotpath_status_t* status,
                                                       const char** message);
hotpath_status_t hotpath_files_audit_totals(const hotpath_files_audit_t* audit,
                                                        uint64_t* files, uint64_t* size,
                                                        uint64_t* lines, uint64_t* words);
typedef struct hotpath_files_reader hotpath_files_reader_t;
hotpath_status_t hotpath_files_reader_create(hotpath_files_reader_t** out);
void hotpath_files_reader_destroy(hotpath_files_reader_t* reader);
hotpath_status_t hotpath_files_read(hotpath_files_reader_t* reader,
                                                const char* paths, const size_t* offsets,
                                                size_t n);
size_t hotpath_files_read_count(const hotpath_files_reader_t* reader);
hotpath_status_t hotpath_files_read_result(const hotpath_files_reader_t* reader,
                                                       const char** data, size_t* data_len,
                                                       const uint64_t** offsets,
                                                       const int32_t** statuses);
const char* hotpath_files_read_message(const hotpath_files_reader_t* reader,
                                                   size_t index);
/* memory.h */
typedef struct hotpath_memory_pairs hotpath_memory_pairs_t;
hotpath_status_t hotpath_memory_pairs_create(hotpath_memory_pairs_t** out);
void hotpath_memory_pairs_destroy(hotpath_memory_pairs_t* pairs);
size_t hotpath_memory_pairs_count(const hotpath_memory_pairs_t* pairs);
const uint32_t* hotpath_memory_pairs_data(const hotpath_memory_pairs_t* pairs);
hotpath_status_t hotpath_memory_similar_pairs(const hotpath_text_corpus_t* corpus,
                                              double threshold, int32_t strict,
                                              hotpath_memory_pairs_t* result, uint64_t* count);
typedef struct hotpath_memory_scan_result hotpath_memory_scan_t;
hotpath_status_t hotpath_memory_scan_create(hotpath_memory_scan_t** out);
void hotpath_memory_scan_destroy(hotpath_memory_scan_t* scan);
hotpath_status_t hotpath_memory_scan(const char* dir, size_t dir_len, double threshold_days,
                                     double similarity_threshold, double now,
                                     hotpath_memory_scan_t* result);
hotpath_status_t hotpath_memory_scan_counts(const hotpath_memory_scan_t* scan,
                                            uint64_t* old_memories, uint64_t* duplicates,
                                            uint64_t* total_files);
size_t hotpath_memory_scan_error_count(const hotpath_memory_scan_t* scan);
hotpath_status_t hotpath_memory_scan_error(const hotpath_memory_scan_t* scan, size_t i,
                                           const char** path, size_t* path_len,
                                           const char** reason, size_t* reason_len);
hotpath_status_t hotpath_memory_create_hexagram(const uint8_t* lines, size_t n, int32_t* out);
hotpath_status_t hotpath_memory_is_balanced(const uint8_t* lines, size_t n, int32_t* out);
uint32_t hotpath_memory_threading_tier(uint64_t task_count);
hotpath_status_t hotpath_memory_recommend_threads(uint64_t work_items, double seconds_per_item,
                                                  uint32_t cores, uint32_t* out);
double hotpath_memory_min_seconds_per_thread(void);
double hotpath_memory_scan_seconds_per_item(void);
/* compress.h */
int32_t hotpath_compress_format_lz4(void);
int32_t hotpath_compress_format_gzip(void);
hotpath_status_t hotpath_compress_format_from_name(const char* name, size_t name_len,
                                                   int32_t* out);
hotpath_status_t hotpath_compress_levels(int32_t format, int32_t* min, int32_t* max,
                                         int32_t* def);
hotpath_status_t hotpath_compress_bound(int32_t format, size_t src_len, size_t* out);
hotpath_status_t hotpath_compress_into(int32_t format, int32_t level, const void* src,
                                       size_t src_len, void* dst, size_t dst_capacity,
                                       size_t* written);
hotpath_status_t hotpath_decompress_into(const void* src, size_t src_len, void* dst,
                                         size_t dst_capacity, size_t* written);
hotpath_status_t hotpath_compress_content_size(const void* src, size_t src_len, uint64_t* size,
                                               int32_t* known);
hotpath_status_t hotpath_compress_file(int32_t format, int32_t level, const char* src_path,
                                       const char* dst_path, uint64_t* written);
hotpath_status_t hotpath_decompress_file(const char* src_path, const char* dst_path,
                                         uint64_t* written);
"""

FUNCTION_NAMES = tuple(re.findall(r"\b(hotpath_\w+)\s*\(", CDEF))

_ffi = None


def ffi():
    """The process-wide FFI with CDEF parsed; ImportError when cffi is missing."""
    global _ffi, NULL
    if _ffi is None:
        import cffi  # optional dependency, only for this backend
        instance = cffi.FFI()
        instance.cdef(CDEF)
        NULL = instance.NULL
        _ffi = instance
    return _ffi


def open_library(target):
    """dlopen a path or a bare soname; OSError when the loader cannot."""
    return ffi().dlopen(target)


def has_symbol(lib, name):
    try:
        getattr(lib, name)
    except (AttributeError, NotImplementedError):
        return False
    return True


def bind(lib):
    """cffi resolves symbols lazily; touch each one now so that a library missing
    a function is refused at load time.  Returns the missing names."""
    return [name for name in FUNCTION_NAMES if not has_symbol(lib, name)]


def symbol_address(lib, name):
    f = ffi()
    return int(f.cast("uintptr_t", getattr(lib, name)))


def text(value):
    """A returned const char* as str; None for NULL."""
    f = ffi()
    if value == f.NULL:
        return None
    return f.string(value).decode("utf-8", "replace")


def encode(value):
    return value.encode("utf-8")


# Pointer helpers.  They run only after open_library, so _ffi exists.
# ffi.from_buffer accepts any buffer-protocol object (array, memoryview, numpy),
# readonly ones included, and keeps it alive as long as the returned cdata.

def in_u64(data):
    return _ffi.from_buffer("uint64_t[]", data)


def in_f64(data):
    return _ffi.from_buffer("double[]", data)


def out_u64(data):
    return _ffi.from_buffer("uint64_t[]", data, require_writable=True)


def out_f64(data):
    return _ffi.from_buffer("double[]", data, require_writable=True)


def new_u64():
    return _ffi.new("uint64_t[1]")


def new_f64():
    return _ffi.new("double[1]")


def new_i32():
    return _ffi.new("int32_t[1]")


# Set by ffi(): cffi wants its own NULL where ctypes takes None.
NULL = None
