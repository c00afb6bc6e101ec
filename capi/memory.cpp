// C ABI of the memory module: argument checks, then the core.
#include "hotpath/memory.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "common/thread_pool.hpp"
#include "memory/memory.hpp"
#include "internal/text_corpus.hpp"

namespace m = hotpath::memory;
using hotpath::Error;

struct hotpath_memory_pairs {
  std::vector<m::Pair> pairs;
};

struct hotpath_memory_scan_result {
  m::ScanResult result;
};

namespace {

void check_unit(double v, const char* name) {
  if (!(v >= 0.0 && v <= 1.0))
    throw Error(HOTPATH_ERANGE, "argument '%s' is %g; expected 0 to 1", name, v);
}

void check_finite(double v, const char* name) {
  if (!std::isfinite(v))
    throw Error(HOTPATH_ERANGE, "argument '%s' is %g; expected a finite number", name, v);
}

void check_lines(const uint8_t* lines, size_t n) {
  if (n != 6) throw Error(HOTPATH_EINVAL, "argument 'n' is %zu; a hexagram has 6 lines", n);
  hotpath::require_nonnull(lines, "lines");
  for (size_t i = 0; i < 6; ++i)
    if (lines[i] > 1)
      throw Error(HOTPATH_ERANGE, "lines[%zu] is %u; expected 0 (yin) or 1 (yang)", i,
                  static_cast<unsigned>(lines[i]));
}

}  // namespace

extern "C" {

HOTPATH_API hotpath_status_t hotpath_memory_pairs_create(hotpath_memory_pairs_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = new hotpath_memory_pairs();
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_memory_pairs_destroy(hotpath_memory_pairs_t* pairs) { delete pairs; }

HOTPATH_API size_t hotpath_memory_pairs_count(const hotpath_memory_pairs_t* pairs) {
  return pairs ? pairs->pairs.size() : 0;
}

HOTPATH_API const uint32_t* hotpath_memory_pairs_data(const hotpath_memory_pairs_t* pairs) {
  if (!pairs || pairs->pairs.empty()) return nullptr;
  static_assert(sizeof(m::Pair) == 2 * sizeof(uint32_t), "Pair is two uint32_t");
  return reinterpret_cast<const uint32_t*>(pairs->pairs.data());
}

HOTPATH_API hotpath_status_t hotpath_memory_similar_pairs(const hotpath_text_corpus_t* corpus,
                                                         double threshold, int32_t strict,
                                                         hotpath_memory_pairs_t* result,
                                                         uint64_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(corpus, "corpus");
    hotpath::require_nonnull(count, "count");
    check_unit(threshold, "threshold");
    if (corpus->corpus.size() >= UINT32_MAX)
      throw Error(HOTPATH_EOVERFLOW, "the corpus holds %zu texts; at most %u",
                  corpus->corpus.size(), static_cast<unsigned>(UINT32_MAX - 1));
    *count = m::similar_pairs(corpus->corpus, threshold, strict != 0,
                              result ? &result->pairs : nullptr);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_memory_scan_create(hotpath_memory_scan_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = new hotpath_memory_scan_result();
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_memory_scan_destroy(hotpath_memory_scan_t* scan) { delete scan; }

HOTPATH_API hotpath_status_t hotpath_memory_scan(const char* dir, size_t dir_len,
                                                double threshold_days,
                                                double similarity_threshold, double now,
                                                hotpath_memory_scan_t* result) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(result, "result");
    if (dir_len == 0) throw Error(HOTPATH_EINVAL, "argument 'dir' is empty");
    hotpath::require_nonnull(dir, "dir");
    if (std::memchr(dir, 0, dir_len))
      throw Error(HOTPATH_EINVAL, "argument 'dir' holds a NUL byte");
    check_finite(threshold_days, "threshold_days");
    check_unit(similarity_threshold, "similarity_threshold");
    check_finite(now, "now");
    result->result = m::ScanResult();
    m::scan(std::string(dir, dir_len), threshold_days, similarity_threshold, now,
            result->result);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_memory_scan_counts(const hotpath_memory_scan_t* scan,
                                                       uint64_t* old_memories,
                                                       uint64_t* duplicates,
                                                       uint64_t* total_files) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(scan, "scan");
    if (old_memories) *old_memories = scan->result.old_memories;
    if (duplicates) *duplicates = scan->result.duplicates;
    if (total_files) *total_files = scan->result.total_files;
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_memory_scan_error_count(const hotpath_memory_scan_t* scan) {
  return scan ? scan->result.errors.size() : 0;
}

HOTPATH_API hotpath_status_t hotpath_memory_scan_error(const hotpath_memory_scan_t* scan,
                                                      size_t i, const char** path,
                                                      size_t* path_len, const char** reason,
                                                      size_t* reason_len) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(scan, "scan");
    const auto& errors = scan->result.errors;
    if (i >= errors.size())
      throw Error(HOTPATH_ERANGE, "argument 'i' is %zu; the scan has %zu errors", i,
                  errors.size());
    const auto& e = errors[i];
    if (path) *path = e.path.data();
    if (path_len) *path_len = e.path.size();
    if (reason) *reason = e.reason.data();
    if (reason_len) *reason_len = e.reason.size();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_memory_create_hexagram(const uint8_t* lines, size_t n,
                                                           int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_lines(lines, n);
    *out = m::hexagram_number(lines);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_memory_is_balanced(const uint8_t* lines, size_t n,
                                                       int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_lines(lines, n);
    *out = m::hexagram_balanced(lines) ? 1 : 0;
    return HOTPATH_OK;
  });
}

HOTPATH_API uint32_t hotpath_memory_threading_tier(uint64_t task_count) {
  return m::threading_tier(task_count);
}

HOTPATH_API hotpath_status_t hotpath_memory_recommend_threads(uint64_t work_items,
                                                             double seconds_per_item,
                                                             uint32_t cores, uint32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    if (!(std::isfinite(seconds_per_item) && seconds_per_item >= 0.0))
      throw Error(HOTPATH_ERANGE, "argument 'seconds_per_item' is %g; expected a finite value >= 0",
                  seconds_per_item);
    if (cores == 0) cores = static_cast<uint32_t>(hotpath::ThreadPool::default_threads());
    *out = m::recommend_threads(work_items, seconds_per_item, cores);
    return HOTPATH_OK;
  });
}

HOTPATH_API double hotpath_memory_min_seconds_per_thread(void) { return m::kMinSecondsPerThread; }

HOTPATH_API double hotpath_memory_scan_seconds_per_item(void) { return m::kScanSecondsPerItem; }

}  // extern "C"
