/*
 * hotpath/williams.h - the Williams space optimizer: closed-form batch sizing
 * and confidence scoring for document/OCR pipelines.
 *
 * For a time complexity t (a non-negative integer):
 *   space_bound(t)         = sqrt(t) * log2(t)            (1.0 for t <= 1)
 *   efficiency(t)          = t / space_bound(t)           (1.0 for t <= 1)
 *   space_saved_percent(t) = (t - space_bound(t)) / t * 100 (0.0 for t <= 1)
 * docs/williams.md gives the batch-size and confidence formulas.
 *
 * Ownership: the caller owns every buffer; nothing is allocated by the scalar
 * functions, and the _batch functions allocate nothing either once the
 * thread pool has started.  Output arrays must not overlap input arrays.
 *
 * Thread safety: every function is pure (safe concurrently from any thread).
 * Large batches are split over the internal thread pool (see
 * hotpath_set_num_threads); the results do not depend on the thread count.
 *
 * Errors: the _batch functions validate all input before writing any output,
 * so on failure the output array is untouched; hotpath_last_error_message()
 * names the argument and the first offending index.
 */
#ifndef HOTPATH_WILLIAMS_H
#define HOTPATH_WILLIAMS_H

#include "hotpath/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Confidence regimes and their leverage L (per mille bonus at full leverage). */
#define HOTPATH_WILLIAMS_REGIME_SUPPORT 0     /* L = 32.1 */
#define HOTPATH_WILLIAMS_REGIME_EXPLORATION 1 /* L = 26.8 */
#define HOTPATH_WILLIAMS_REGIME_BALANCE 2     /* L = 11.5 */

/* Pure. */
HOTPATH_API double hotpath_williams_space_bound(uint64_t t);
HOTPATH_API double hotpath_williams_efficiency(uint64_t t);
HOTPATH_API double hotpath_williams_space_saved_percent(uint64_t t);

/* max(1, min(floor(floor(available/per_item) * sqrt(efficiency(total))), total)).
 * available_memory_mb must be finite and >= 0, memory_per_item_mb finite and
 * > 0, otherwise HOTPATH_ERANGE; out NULL gives HOTPATH_ENULL.  Pure. */
HOTPATH_API hotpath_status_t hotpath_williams_optimal_batch_size(uint64_t total_items,
                                                                 double available_memory_mb,
                                                                 double memory_per_item_mb,
                                                                 uint64_t* out);

/* The confidence multiplier in [0.85, 1.0] (1.0 when num_fields <= 1).
 * base_confidence must lie in [0, 1] (HOTPATH_ERANGE otherwise, NaN
 * included); an unknown regime gives HOTPATH_EINVAL.  Pure. */
HOTPATH_API hotpath_status_t hotpath_williams_confidence_multiplier(uint64_t num_fields,
                                                                    double base_confidence,
                                                                    int32_t regime, double* out);

/* Regime lookup for FFI users: "support", "exploration" or "balance"
 * (exact, case-sensitive; name_len bytes, no terminator needed) to its
 * code.  Unknown names give HOTPATH_EINVAL.  Pure. */
HOTPATH_API hotpath_status_t hotpath_williams_regime_from_name(const char* name, size_t name_len,
                                                               int32_t* out);
/* The leverage L of a regime code; HOTPATH_EINVAL for an unknown code.  Pure. */
HOTPATH_API hotpath_status_t hotpath_williams_regime_leverage(int32_t regime, double* out);

/* Defaults of the reference API, as functions so FFI users need no macros.  Pure. */
HOTPATH_API double hotpath_williams_default_base_confidence(void);   /* 0.85 */
HOTPATH_API double hotpath_williams_default_memory_per_item_mb(void); /* 5.0 */

/* out[i] = f(in[i]) for i < n.  n == 0 is allowed (pointers may then be
 * NULL); otherwise NULL pointers give HOTPATH_ENULL. */
HOTPATH_API hotpath_status_t hotpath_williams_space_bound_batch(const uint64_t* in, size_t n,
                                                                double* out);
HOTPATH_API hotpath_status_t hotpath_williams_efficiency_batch(const uint64_t* in, size_t n,
                                                               double* out);
HOTPATH_API hotpath_status_t hotpath_williams_space_saved_percent_batch(const uint64_t* in,
                                                                        size_t n, double* out);

/* out[i] = optimal_batch_size(total_items[i], available_memory_mb,
 * memory_per_item_mb).  Parameter checks as in the scalar form. */
HOTPATH_API hotpath_status_t hotpath_williams_optimal_batch_size_batch(
    const uint64_t* total_items, size_t n, double available_memory_mb, double memory_per_item_mb,
    uint64_t* out);

/* out[i] = confidence_multiplier(num_fields[i], base_i, regime) where base_i
 * is base_confidences[i], or base_confidence for every item when
 * base_confidences is NULL.  Any base outside [0, 1] gives HOTPATH_ERANGE
 * with its index in the error message. */
HOTPATH_API hotpath_status_t hotpath_williams_confidence_multiplier_batch(
    const uint64_t* num_fields, size_t n, const double* base_confidences, double base_confidence,
    int32_t regime, double* out);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_WILLIAMS_H */
