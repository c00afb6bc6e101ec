/*
 * hotpath/text.h - text similarity: word-set metrics, edit distance,
 * Jaro-Winkler, one-to-many search, similarity matrices and summaries.
 *
 * Texts are UTF-8, passed as (pointer, byte length); no terminator is needed
 * and NUL bytes are ordinary characters.  Invalid UTF-8 (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences) gives
 * HOTPATH_EUTF8 and the error message names the argument and the byte offset.
 * Distances and lengths count Unicode code points, never bytes.
 *
 * Words are the runs between Unicode white space (the characters Python's
 * str.split() splits on); punctuation stays part of a word.  The word-set
 * metrics compare the sets of distinct words A and B:
 *   jaccard = |A n B| / |A u B|,  cosine = |A n B| / sqrt(|A| |B|),
 *   overlap = |A n B| / min(|A|, |B|);
 * two empty sets give 1.0, one empty set gives 0.0.
 * HOTPATH_TEXT_CASE_FOLD applies Unicode simple case folding (CaseFolding.txt,
 * statuses C and S) to every character first, for every metric.
 *
 * Ownership: the caller owns every buffer.  A corpus copies what it needs
 * from the caller's data at creation, so the data may be freed afterwards,
 * except a corpus created with HOTPATH_TEXT_BORROW, which reads it until it
 * is destroyed.
 *
 * Allocation: the pair functions, one_to_many and extract allocate nothing
 * once warmed up on the calling thread with texts of the same size or
 * smaller (the pool's workers use stack scratch for texts up to 8192 code
 * points).  hotpath_text_corpus_create allocates the corpus, which derives
 * its code points or word dictionary on first use; hotpath_text_matrix
 * allocates a little scratch per call.
 *
 * Thread safety: the pair functions are pure.  A corpus is immutable after
 * creation: queries are safe concurrently on one corpus (read-only);
 * destroy it only when no query runs.  Corpus queries above a small size
 * use the internal thread pool; results never depend on the thread count.
 */
#ifndef HOTPATH_TEXT_H
#define HOTPATH_TEXT_H

#include "hotpath/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Metric codes (hotpath_text_metric_from_name gives them by name).
 * Every metric is a similarity in [0, 1] (1 = identical) except
 * HOTPATH_TEXT_LEVENSHTEIN, the edit distance in code points. */
#define HOTPATH_TEXT_JACCARD 0
#define HOTPATH_TEXT_COSINE 1
#define HOTPATH_TEXT_OVERLAP 2
#define HOTPATH_TEXT_LEVENSHTEIN 3
#define HOTPATH_TEXT_LEVENSHTEIN_NORMALIZED 4
#define HOTPATH_TEXT_JARO_WINKLER 5

/* Flags. */
#define HOTPATH_TEXT_CASE_FOLD 1u        /* metrics and corpora */
#define HOTPATH_TEXT_SKIP_FRONT_MATTER 2u /* hotpath_text_summarize */
#define HOTPATH_TEXT_BORROW 4u            /* hotpath_text_corpus_create_joined */

/* "jaccard", "cosine", "overlap", "levenshtein", "levenshtein_normalized"
 * or "jaro_winkler" (exact, name_len bytes) to its code; HOTPATH_EINVAL for
 * any other name.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_metric_from_name(const char* name, size_t name_len,
                                                           int32_t* out);
/* The flag values, for FFI users.  Pure. */
HOTPATH_API uint32_t hotpath_text_flag_case_fold(void);
HOTPATH_API uint32_t hotpath_text_flag_skip_front_matter(void);
HOTPATH_API uint32_t hotpath_text_flag_borrow(void);
/* The default Jaro-Winkler prefix weight, 0.1.  Pure. */
HOTPATH_API double hotpath_text_default_prefix_weight(void);

/* Word-set metrics of a and b (see above).  flags: 0 or
 * HOTPATH_TEXT_CASE_FOLD; other bits give HOTPATH_EINVAL.  NULL is allowed
 * for a text of length 0.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_jaccard(const char* a, size_t a_len, const char* b,
                                                  size_t b_len, uint32_t flags, double* out);
HOTPATH_API hotpath_status_t hotpath_text_cosine(const char* a, size_t a_len, const char* b,
                                                 size_t b_len, uint32_t flags, double* out);
HOTPATH_API hotpath_status_t hotpath_text_overlap(const char* a, size_t a_len, const char* b,
                                                  size_t b_len, uint32_t flags, double* out);

/* The Levenshtein distance (insertions, deletions and substitutions of one
 * code point each cost 1).  score_cutoff bounds the work: when the distance
 * exceeds it, *out is score_cutoff + 1 and the computation stops early.
 * Pass UINT64_MAX for no cutoff.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_levenshtein(const char* a, size_t a_len, const char* b,
                                                      size_t b_len, uint64_t score_cutoff,
                                                      uint32_t flags, uint64_t* out);
/* 1 - distance / max(len(a), len(b)) in code points; 1.0 when both are
 * empty.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_levenshtein_normalized(const char* a, size_t a_len,
                                                                 const char* b, size_t b_len,
                                                                 uint32_t flags, double* out);
/* Jaro-Winkler similarity: jaro + l * prefix_weight * (1 - jaro), where l
 * is the length of the common prefix, at most 4.  prefix_weight must lie in
 * [0, 0.25] (HOTPATH_ERANGE otherwise), so the result stays in [0, 1].  Two
 * empty texts give 1.0, one empty text 0.0.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_jaro_winkler(const char* a, size_t a_len,
                                                       const char* b, size_t b_len,
                                                       double prefix_weight, uint32_t flags,
                                                       double* out);

/* Simple case folding of a text into out (out_capacity bytes).  Folding
 * never makes a text longer than hotpath_text_case_fold_bound(len) bytes;
 * a smaller buffer that is too small gives HOTPATH_EBUFFER and *out_len
 * tells the size needed.  Pure. */
HOTPATH_API size_t hotpath_text_case_fold_bound(size_t len);
HOTPATH_API hotpath_status_t hotpath_text_case_fold(const char* text, size_t len, char* out,
                                                    size_t out_capacity, size_t* out_len);

/* The summary of a text, as the byte range [*out_offset, *out_offset +
 * *out_len) of the text itself: `lines` lines starting at the first
 * character that is not white space (line breaks between them kept as they
 * are), cut to at most max_chars code points, without trailing white space
 * (stripped before and after the cut).
 * With HOTPATH_TEXT_SKIP_FRONT_MATTER, a front-matter block (a first line
 * "---" up to and including the next line "---", trailing white space on
 * those lines ignored) is skipped first; an unclosed block is not front
 * matter.  lines == 0 or max_chars == 0 give an empty summary.  Pure. */
HOTPATH_API hotpath_status_t hotpath_text_summarize(const char* text, size_t len, uint32_t lines,
                                                    uint64_t max_chars, uint32_t flags,
                                                    size_t* out_offset, size_t* out_len);

/* A corpus: texts prepared once (decoded, folded, split into words) for
 * repeated queries.  Text i is data[offsets[i], offsets[i + 1]); offsets
 * holds n + 1 non-decreasing entries and offsets[0] need not be 0.  flags:
 * 0 or HOTPATH_TEXT_CASE_FOLD, applied to the corpus and to every query
 * made against it.  Invalid UTF-8 gives HOTPATH_EUTF8 naming the text's
 * index.  Safe concurrently (creates a new object). */
typedef struct hotpath_text_corpus hotpath_text_corpus_t;
HOTPATH_API hotpath_status_t hotpath_text_corpus_create(const char* data, const size_t* offsets,
                                                        size_t n, uint32_t flags,
                                                        hotpath_text_corpus_t** out);
/* The same corpus from n texts joined by n - 1 bytes `sep` in data[0, len)
 * (a binding's one join and one encode, hotpath_split_joined's input); data
 * is not changed.  sep must be ASCII (below 0x80).  n == 0 requires len == 0.
 * When data holds another number of separators (a text contains sep) gives
 * HOTPATH_EINVAL, and the caller packs the texts for
 * hotpath_text_corpus_create instead.  Invalid UTF-8 gives HOTPATH_EUTF8
 * naming the text's index and the offset within it.
 * flags: HOTPATH_TEXT_CASE_FOLD as above, and HOTPATH_TEXT_BORROW: the corpus
 * reads data in place instead of copying it, so the caller keeps data alive
 * and unchanged until hotpath_text_corpus_destroy (a binding keeps its joined
 * string with the corpus).  A folding corpus copies regardless.  Safe
 * concurrently (creates a new object). */
HOTPATH_API hotpath_status_t hotpath_text_corpus_create_joined(const char* data, size_t len,
                                                               uint8_t sep, size_t n,
                                                               uint32_t flags,
                                                               hotpath_text_corpus_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_text_corpus_destroy(hotpath_text_corpus_t* corpus);
/* Number of texts; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_text_corpus_size(const hotpath_text_corpus_t* corpus);
/* The flags the corpus was created with; 0 for NULL.  Read-only. */
HOTPATH_API uint32_t hotpath_text_corpus_flags(const hotpath_text_corpus_t* corpus);

/* out[i] = metric(query, text i) for every text of the corpus; out_len must
 * equal its size (HOTPATH_EINVAL otherwise).  param is the Jaro-Winkler
 * prefix weight (ignored by the other metrics).  For HOTPATH_TEXT_LEVENSHTEIN
 * the distance is stored as a double.  Read-only on the corpus. */
HOTPATH_API hotpath_status_t hotpath_text_one_to_many(const char* query, size_t query_len,
                                                      const hotpath_text_corpus_t* corpus,
                                                      int32_t metric, double param, double* out,
                                                      size_t out_len);

/* The best `limit` matches of query in the corpus, best first: highest
 * similarity, or smallest distance for HOTPATH_TEXT_LEVENSHTEIN; ties go to
 * the smaller index.  score_cutoff filters (similarity >= cutoff, distance
 * <= cutoff; NaN = no cutoff; a distance cutoff also makes the search stop
 * early on hopeless texts).  Writes *out_count <= limit matches into
 * out_indices[] and out_scores[] (each holding at least `limit` entries;
 * NULL allowed when limit is 0).  Read-only on the corpus. */
HOTPATH_API hotpath_status_t hotpath_text_extract(const char* query, size_t query_len,
                                                  const hotpath_text_corpus_t* corpus,
                                                  int32_t metric, double param,
                                                  double score_cutoff, size_t limit,
                                                  uint64_t* out_indices, double* out_scores,
                                                  size_t* out_count);

/* The n x n matrix of metric(text i, text j), row-major into out (out_len
 * must be n * n).  Each pair is computed once and mirrored; the diagonal
 * holds 1.0 (0.0 for HOTPATH_TEXT_LEVENSHTEIN).  Read-only on the corpus. */
HOTPATH_API hotpath_status_t hotpath_text_matrix(const hotpath_text_corpus_t* corpus,
                                                 int32_t metric, double param, double* out,
                                                 size_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_TEXT_H */
