/*
 * hotpath/memory.h - kernels for a folder of Markdown memories: exact
 * near-duplicate pairs by word-set Jaccard (prefix filtering, no all-pairs
 * loop), a folder scan (ages and duplicates of the top-level *.md files),
 * and the hexagram and thread-count helpers of the memory application.
 *
 * Words are those of hotpath/text.h (runs between Unicode white space, the
 * characters Python's str.split() splits on, case-sensitive unless the
 * corpus was created with HOTPATH_TEXT_CASE_FOLD).  Jaccard of two empty
 * word sets is 1.0, of one empty set 0.0.  A pair passes "strict" when
 * |A n B| / |A u B| > threshold, else when it is >= threshold, evaluated in
 * double precision exactly as the expression is written (so the results
 * equal a brute-force loop bit for bit).  docs/memory.md has the method.
 *
 * Ownership: result handles (hotpath_memory_pairs_t, hotpath_memory_scan_t)
 * are created and destroyed by the caller and reused across calls; the
 * pointers read from them stay valid until the next call that fills the
 * same handle or its destruction.
 *
 * Allocation: the pair and scan functions allocate scratch per call and
 * grow the result handle.  The scalar helpers allocate nothing.
 *
 * Thread safety: the fill functions are safe on distinct result handles;
 * the readers are safe concurrently on one handle (read-only).  The pair
 * search and the scan use the internal thread pool; results never depend
 * on the thread count.
 */
#ifndef HOTPATH_MEMORY_H
#define HOTPATH_MEMORY_H

#include "hotpath/common.h"
#include "hotpath/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- similar pairs ------------------------------------------------------- */

/* A list of index pairs (a < b), sorted by (a, b). */
typedef struct hotpath_memory_pairs hotpath_memory_pairs_t;
/* Safe concurrently (creates a new object). */
HOTPATH_API hotpath_status_t hotpath_memory_pairs_create(hotpath_memory_pairs_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_memory_pairs_destroy(hotpath_memory_pairs_t* pairs);
/* Number of pairs; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_memory_pairs_count(const hotpath_memory_pairs_t* pairs);
/* The pairs as 2 * count indices (a0, b0, a1, b1, ...); NULL when empty.
 * Read-only. */
HOTPATH_API const uint32_t* hotpath_memory_pairs_data(const hotpath_memory_pairs_t* pairs);

/* The unordered pairs of texts of corpus whose word-set Jaccard is above
 * threshold (strict != 0) or at least threshold (strict == 0).  threshold
 * must be in [0, 1] (HOTPATH_ERANGE otherwise, NaN included); corpora of
 * more than UINT32_MAX - 1 texts give HOTPATH_EOVERFLOW.  *count receives
 * the number of pairs; result (may be NULL when only the count is wanted)
 * receives the pairs.  Read-only on the corpus; safe on distinct results. */
HOTPATH_API hotpath_status_t hotpath_memory_similar_pairs(const hotpath_text_corpus_t* corpus,
                                                         double threshold, int32_t strict,
                                                         hotpath_memory_pairs_t* result,
                                                         uint64_t* count);

/* --- folder scan --------------------------------------------------------- */

typedef struct hotpath_memory_scan_result hotpath_memory_scan_t;
/* Safe concurrently (creates a new object). */
HOTPATH_API hotpath_status_t hotpath_memory_scan_create(hotpath_memory_scan_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_memory_scan_destroy(hotpath_memory_scan_t* scan);

/* Scans the top-level entries of the folder dir (dir_len bytes, a file
 * system path: any bytes but NUL, no terminator needed) whose names end in
 * ".md" (hidden names included; no recursion), in byte order of the names:
 * - an entry that cannot be stat()ed (a broken link) or is not a regular
 *   file after following links (a folder, a FIFO) is an error and is not
 *   counted;
 * - every regular file counts in total_files; its age is
 *   floor((now - mtime) / 86400) days and it is old when age >
 *   threshold_days; an mtime after now is an error
 *   ("modification time in the future") and the file is not old;
 * - the contents of the files that can be read and are valid UTF-8 go to
 *   the duplicate count: pairs with word-set Jaccard > similarity_threshold
 *   (as hotpath_memory_similar_pairs, strict, without case folding); the
 *   others are errors ("cannot read: <reason>", "not valid UTF-8").
 * A file has at most one error (the first of the above).  now is a POSIX
 * time in seconds.  threshold_days and now must be finite, similarity in
 * [0, 1] (HOTPATH_ERANGE); an empty dir or one holding a NUL byte gives
 * HOTPATH_EINVAL; a folder that cannot be listed gives HOTPATH_EIO.
 * Reads the files in parallel on the thread pool.  Safe on distinct
 * results. */
HOTPATH_API hotpath_status_t hotpath_memory_scan(const char* dir, size_t dir_len,
                                                double threshold_days,
                                                double similarity_threshold, double now,
                                                hotpath_memory_scan_t* result);
/* The counts of the last scan into this result (NULL pointers are skipped).
 * Read-only. */
HOTPATH_API hotpath_status_t hotpath_memory_scan_counts(const hotpath_memory_scan_t* scan,
                                                       uint64_t* old_memories,
                                                       uint64_t* duplicates,
                                                       uint64_t* total_files);
/* Number of errors of the last scan; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_memory_scan_error_count(const hotpath_memory_scan_t* scan);
/* Error i: the file's path (dir joined with the name as os.path.join does)
 * and the reason, as byte ranges owned by the result (NULL out pointers are
 * skipped); HOTPATH_ERANGE when i is out of range.  Read-only. */
HOTPATH_API hotpath_status_t hotpath_memory_scan_error(const hotpath_memory_scan_t* scan,
                                                      size_t i, const char** path,
                                                      size_t* path_len, const char** reason,
                                                      size_t* reason_len);

/* --- helpers ------------------------------------------------------------- */

/* The hexagram number of six lines (lines[0] the bottom line; each 0 = yin
 * or 1 = yang): the binary value with the bottom line as the most
 * significant bit, plus 1 (all yin 1, all yang 64).  n must be 6
 * (HOTPATH_EINVAL) and each line 0 or 1 (HOTPATH_ERANGE).  Pure. */
HOTPATH_API hotpath_status_t hotpath_memory_create_hexagram(const uint8_t* lines, size_t n,
                                                           int32_t* out);
/* *out = 1 when exactly three lines are yang, else 0; checks as above.  Pure. */
HOTPATH_API hotpath_status_t hotpath_memory_is_balanced(const uint8_t* lines, size_t n,
                                                       int32_t* out);
/* The application's thread tier: < 10 -> 8, < 50 -> 16, < 100 -> 32,
 * < 200 -> 64, < 400 -> 128, else 256.  Pure. */
HOTPATH_API uint32_t hotpath_memory_threading_tier(uint64_t task_count);
/* Threads worth using for work_items items costing seconds_per_item each:
 * min(cores, work_items, floor(work_items * seconds_per_item /
 * hotpath_memory_min_seconds_per_thread())), at least 1.  cores 0 means the
 * pool's default (the hardware concurrency).  seconds_per_item must be
 * finite and >= 0 (HOTPATH_ERANGE).  Pure. */
HOTPATH_API hotpath_status_t hotpath_memory_recommend_threads(uint64_t work_items,
                                                             double seconds_per_item,
                                                             uint32_t cores, uint32_t* out);
/* The least work (seconds) that pays for one more thread.  Pure. */
HOTPATH_API double hotpath_memory_min_seconds_per_thread(void);
/* The default per-item cost: one memory file through the scan.  Pure. */
HOTPATH_API double hotpath_memory_scan_seconds_per_item(void);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_MEMORY_H */
