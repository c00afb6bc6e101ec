// C ABI of the text module: argument checks, then the core.
#include "hotpath/text.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "common/utf8.hpp"
#include "internal/text_corpus.hpp"
#include "common/packed.hpp"
#include "text/text.hpp"

namespace t = hotpath::text;
using hotpath::Error;

namespace {

void check_flags(uint32_t flags, uint32_t allowed) {
  if (flags & ~allowed)
    throw Error(HOTPATH_EINVAL, "argument 'flags' is %u; unknown bits 0x%x", flags,
                flags & ~allowed);
}

void check_pair(const char* a, size_t a_len, const char* b, size_t b_len, uint32_t flags,
                const void* out) {
  hotpath::require_nonnull(out, "out");
  check_flags(flags, t::kCaseFold);
  hotpath::require_utf8(a, a_len, "a");
  hotpath::require_utf8(b, b_len, "b");
}

// Both texts of a pair as code points (in per-thread buffers), after the checks.
struct CodePoints {
  const uint32_t *a, *b;
  size_t m, n;
};
CodePoints checked_pair(const char* a, size_t a_len, const char* b, size_t b_len, uint32_t flags,
                        const void* out) {
  check_pair(a, a_len, b, b_len, flags, out);
  CodePoints cp;
  cp.a = t::code_points(a, a_len, flags, 0, &cp.m);
  cp.b = t::code_points(b, b_len, flags, 1, &cp.n);
  return cp;
}

void check_prefix_weight(double w) {
  if (!(w >= 0.0 && w <= 0.25))
    throw Error(HOTPATH_ERANGE, "argument 'prefix_weight' is %g; expected a value in [0, 0.25]",
                w);
}

t::Metric check_metric(int32_t metric) {
  if (!t::metric_valid(metric))
    throw Error(HOTPATH_EINVAL,
                "argument 'metric' is %d; expected 0 (jaccard), 1 (cosine), 2 (overlap), "
                "3 (levenshtein), 4 (levenshtein_normalized) or 5 (jaro_winkler)",
                static_cast<int>(metric));
  return static_cast<t::Metric>(metric);
}

const t::Corpus& check_corpus(const hotpath_text_corpus_t* corpus) {
  hotpath::require_nonnull(corpus, "corpus");
  return corpus->corpus;
}

// The metric of a corpus query, with its parameter checked.
t::Metric check_query_metric(int32_t metric, double param) {
  const t::Metric m = check_metric(metric);
  if (m == t::Metric::JaroWinkler) check_prefix_weight(param);
  return m;
}

template <class F>
hotpath_status_t word_metric(const char* fn, t::Metric m, const char* a, size_t a_len,
                             const char* b, size_t b_len, uint32_t flags, double* out) {
  return hotpath::capi_guard(fn, [&] {
    check_pair(a, a_len, b, b_len, flags, out);
    *out = t::word_metric(m, t::word_counts(a, a_len, b, b_len, flags));
    return HOTPATH_OK;
  });
}

}  // namespace

extern "C" {

HOTPATH_API hotpath_status_t hotpath_text_metric_from_name(const char* name, size_t name_len,
                                                           int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(name, "name");
    hotpath::require_nonnull(out, "out");
    t::Metric m;
    if (!t::metric_from_name(name, name_len, &m))
      throw Error(HOTPATH_EINVAL,
                  "argument 'name' is '%.*s'; expected 'jaccard', 'cosine', 'overlap', "
                  "'levenshtein', 'levenshtein_normalized' or 'jaro_winkler'",
                  static_cast<int>(name_len > 64 ? 64 : name_len), name);
    *out = static_cast<int32_t>(m);
    return HOTPATH_OK;
  });
}

HOTPATH_API uint32_t hotpath_text_flag_case_fold(void) { return t::kCaseFold; }
HOTPATH_API uint32_t hotpath_text_flag_skip_front_matter(void) { return t::kSkipFrontMatter; }
HOTPATH_API uint32_t hotpath_text_flag_borrow(void) { return HOTPATH_TEXT_BORROW; }
HOTPATH_API double hotpath_text_default_prefix_weight(void) { return t::kDefaultPrefixWeight; }

HOTPATH_API hotpath_status_t hotpath_text_jaccard(const char* a, size_t a_len, const char* b,
                                                  size_t b_len, uint32_t flags, double* out) {
  return word_metric<void>(__func__, t::Metric::Jaccard, a, a_len, b, b_len, flags, out);
}

HOTPATH_API hotpath_status_t hotpath_text_cosine(const char* a, size_t a_len, const char* b,
                                                 size_t b_len, uint32_t flags, double* out) {
  return word_metric<void>(__func__, t::Metric::Cosine, a, a_len, b, b_len, flags, out);
}

HOTPATH_API hotpath_status_t hotpath_text_overlap(const char* a, size_t a_len, const char* b,
                                                  size_t b_len, uint32_t flags, double* out) {
  return word_metric<void>(__func__, t::Metric::Overlap, a, a_len, b, b_len, flags, out);
}

HOTPATH_API hotpath_status_t hotpath_text_levenshtein(const char* a, size_t a_len, const char* b,
                                                      size_t b_len, uint64_t score_cutoff,
                                                      uint32_t flags, uint64_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    const CodePoints cp = checked_pair(a, a_len, b, b_len, flags, out);
    // cutoff + 1 must not wrap: UINT64_MAX means no cutoff.
    uint64_t cutoff = score_cutoff == UINT64_MAX ? UINT64_MAX - 1 : score_cutoff;
    *out = t::levenshtein(cp.a, cp.m, cp.b, cp.n, cutoff);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_levenshtein_normalized(const char* a, size_t a_len,
                                                                 const char* b, size_t b_len,
                                                                 uint32_t flags, double* out) {
  return hotpath::capi_guard(__func__, [&] {
    const CodePoints cp = checked_pair(a, a_len, b, b_len, flags, out);
    *out = t::levenshtein_normalized(t::levenshtein(cp.a, cp.m, cp.b, cp.n, UINT64_MAX - 1),
                                     cp.m, cp.n);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_jaro_winkler(const char* a, size_t a_len,
                                                       const char* b, size_t b_len,
                                                       double prefix_weight, uint32_t flags,
                                                       double* out) {
  return hotpath::capi_guard(__func__, [&] {
    const CodePoints cp = checked_pair(a, a_len, b, b_len, flags, out);
    check_prefix_weight(prefix_weight);
    *out = t::jaro_winkler(cp.a, cp.m, cp.b, cp.n, prefix_weight);
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_text_case_fold_bound(size_t len) { return t::fold_bound(len); }

HOTPATH_API hotpath_status_t hotpath_text_case_fold(const char* text, size_t len, char* out,
                                                    size_t out_capacity, size_t* out_len) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out_len, "out_len");
    hotpath::require_utf8(text, len, "text");
    thread_local std::string folded;
    folded.clear();
    t::fold_utf8(text, len, folded);
    *out_len = folded.size();
    if (folded.size() > out_capacity)
      throw Error(HOTPATH_EBUFFER, "argument 'out_capacity' is %zu; the folded text needs %zu",
                  out_capacity, folded.size());
    if (!folded.empty()) {
      hotpath::require_nonnull(out, "out");
      std::memcpy(out, folded.data(), folded.size());
    }
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_summarize(const char* text, size_t len, uint32_t lines,
                                                    uint64_t max_chars, uint32_t flags,
                                                    size_t* out_offset, size_t* out_len) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out_offset, "out_offset");
    hotpath::require_nonnull(out_len, "out_len");
    check_flags(flags, t::kSkipFrontMatter);
    hotpath::require_utf8(text, len, "text");
    t::summarize(text, len, lines, max_chars, flags, out_offset, out_len);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_corpus_create(const char* data, const size_t* offsets,
                                                        size_t n, uint32_t flags,
                                                        hotpath_text_corpus_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    check_flags(flags, t::kCaseFold);
    hotpath::require_packed(data, "data", offsets, n);
    hotpath::require_packed_utf8(data, offsets, n, "text");
    *out = new hotpath_text_corpus(data, offsets, n, flags);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_corpus_create_joined(const char* data, size_t len,
                                                               uint8_t sep, size_t n,
                                                               uint32_t flags,
                                                               hotpath_text_corpus_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    check_flags(flags, t::kCaseFold | HOTPATH_TEXT_BORROW);
    hotpath::require_item_count(n);
    if (len) hotpath::require_nonnull(data, "data");
    if (sep >= 0x80)
      throw Error(HOTPATH_EINVAL, "argument 'sep' is 0x%02x; it must be an ASCII byte",
                  static_cast<unsigned>(sep));
    if (n == 0 && len)
      throw Error(HOTPATH_EINVAL, "argument 'n' is 0 but 'len' is %zu", len);
    std::vector<size_t> starts(n + 1);
    if (n) {
      size_t found = 0;
      if (!hotpath::packed::find_joined(data, len, sep, n, starts.data(), &found))
        throw Error(HOTPATH_EINVAL, "data holds %zu separator bytes 0x%02x; %zu texts need %zu",
                    found, static_cast<unsigned>(sep), n, n - 1);
      // Checked with each text's separator but the last: the offsets within
      // a text are the same, and a separator is one ASCII byte.
      starts[n] = len;
      hotpath::require_packed_utf8(data, starts.data(), n, "text");
      starts[n] = len + 1;
    }
    *out = new hotpath_text_corpus(data, std::move(starts), n, flags,
                                   (flags & HOTPATH_TEXT_BORROW) != 0);
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_text_corpus_destroy(hotpath_text_corpus_t* corpus) { delete corpus; }

HOTPATH_API size_t hotpath_text_corpus_size(const hotpath_text_corpus_t* corpus) {
  return corpus ? corpus->corpus.size() : 0;
}

HOTPATH_API uint32_t hotpath_text_corpus_flags(const hotpath_text_corpus_t* corpus) {
  return corpus ? corpus->corpus.flags() : 0;
}

HOTPATH_API hotpath_status_t hotpath_text_one_to_many(const char* query, size_t query_len,
                                                      const hotpath_text_corpus_t* corpus,
                                                      int32_t metric, double param, double* out,
                                                      size_t out_len) {
  return hotpath::capi_guard(__func__, [&] {
    const t::Corpus& c = check_corpus(corpus);
    const t::Metric m = check_query_metric(metric, param);
    if (out_len != c.size())
      throw Error(HOTPATH_EINVAL, "argument 'out_len' is %zu; the corpus holds %zu texts",
                  out_len, c.size());
    if (out_len) hotpath::require_nonnull(out, "out");
    hotpath::require_utf8(query, query_len, "query");
    t::one_to_many(query, query_len, c, m, param, out);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_extract(const char* query, size_t query_len,
                                                  const hotpath_text_corpus_t* corpus,
                                                  int32_t metric, double param,
                                                  double score_cutoff, size_t limit,
                                                  uint64_t* out_indices, double* out_scores,
                                                  size_t* out_count) {
  return hotpath::capi_guard(__func__, [&] {
    const t::Corpus& c = check_corpus(corpus);
    hotpath::require_nonnull(out_count, "out_count");
    const t::Metric m = check_query_metric(metric, param);
    if (limit) {
      hotpath::require_nonnull(out_indices, "out_indices");
      hotpath::require_nonnull(out_scores, "out_scores");
    }
    hotpath::require_utf8(query, query_len, "query");
    *out_count = t::extract(query, query_len, c, m, param, score_cutoff, limit, out_indices,
                            out_scores);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_text_matrix(const hotpath_text_corpus_t* corpus,
                                                 int32_t metric, double param, double* out,
                                                 size_t out_len) {
  return hotpath::capi_guard(__func__, [&] {
    const t::Corpus& c = check_corpus(corpus);
    const t::Metric m = check_query_metric(metric, param);
    const size_t n = c.size();
    if (n && n > SIZE_MAX / n)
      throw Error(HOTPATH_EOVERFLOW, "a %zu x %zu matrix exceeds the address space", n, n);
    if (out_len != n * n)
      throw Error(HOTPATH_EINVAL, "argument 'out_len' is %zu; expected %zu (n * n, n = %zu)",
                  out_len, n * n, n);
    if (out_len) hotpath::require_nonnull(out, "out");
    t::matrix(c, m, param, out);
    return HOTPATH_OK;
  });
}

}  // extern "C"
