// C ABI of the consensus module: argument checks, then the core.
#include "hotpath/consensus.h"

#include <cmath>
#include <cstdint>
#include <new>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "consensus/consensus.hpp"
#include "internal/text_corpus.hpp"

namespace c = hotpath::consensus;
using hotpath::Error;

struct hotpath_consensus_phrases {
  c::PhraseList list;
};

extern "C" {

HOTPATH_API hotpath_status_t hotpath_consensus_cluster(const double* matrix, size_t n,
                                                       double threshold, uint32_t* labels,
                                                       size_t* cluster_count) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(cluster_count, "cluster_count");
    if (std::isnan(threshold))
      throw Error(HOTPATH_ERANGE, "argument 'threshold' is nan; expected a number");
    if (n && n > SIZE_MAX / n / sizeof(double))
      throw Error(HOTPATH_EOVERFLOW, "a %zu x %zu matrix exceeds the address space", n, n);
    if (n > UINT32_MAX)
      throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; at most %u items", n,
                  static_cast<unsigned>(UINT32_MAX));
    if (n) {
      hotpath::require_nonnull(matrix, "matrix");
      hotpath::require_nonnull(labels, "labels");
    }
    *cluster_count = c::cluster(matrix, n, threshold, labels);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_consensus_phrases_create(hotpath_consensus_phrases_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = new hotpath_consensus_phrases();
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_consensus_phrases_destroy(hotpath_consensus_phrases_t* phrases) {
  delete phrases;
}

HOTPATH_API hotpath_status_t hotpath_consensus_key_phrases(
    const hotpath_text_corpus_t* corpus, const uint32_t* members, size_t n_members,
    const double* weights, uint32_t min_docs, int32_t ranking, size_t limit,
    hotpath_consensus_phrases_t* result) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(corpus, "corpus");
    hotpath::require_nonnull(result, "result");
    if (ranking != 0 && ranking != 1)
      throw Error(HOTPATH_EINVAL, "argument 'ranking' is %d; expected 0 (count) or 1 (theme)",
                  static_cast<int>(ranking));
    if (n_members) hotpath::require_nonnull(members, "members");
    if (n_members >= UINT32_MAX)
      throw Error(HOTPATH_EOVERFLOW, "argument 'n_members' is %zu; at most %u members", n_members,
                  static_cast<unsigned>(UINT32_MAX - 1));
    const size_t size = corpus->corpus.size();
    for (size_t i = 0; i < n_members; ++i)
      if (members[i] >= size)
        throw Error(HOTPATH_ERANGE, "members[%zu] is %u; the corpus holds %zu texts", i,
                    static_cast<unsigned>(members[i]), size);
    if (weights)
      for (size_t i = 0; i < n_members; ++i)
        if (!std::isfinite(weights[i]))
          throw Error(HOTPATH_ERANGE, "weights[%zu] is %g; expected a finite value", i,
                      weights[i]);
    const auto& words = corpus->views.get<c::PhraseWords>(
        [&] { return std::make_shared<const c::PhraseWords>(corpus->corpus); });
    c::key_phrases(words, members, n_members, weights, min_docs,
                   static_cast<c::Ranking>(ranking), limit, result->list);
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_consensus_phrases_count(const hotpath_consensus_phrases_t* phrases) {
  return phrases ? phrases->list.items.size() : 0;
}

HOTPATH_API hotpath_status_t hotpath_consensus_phrase(const hotpath_consensus_phrases_t* phrases,
                                                      size_t i, const char** text,
                                                      size_t* text_len, uint64_t* count,
                                                      uint64_t* docs, double* score) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(phrases, "phrases");
    const auto& items = phrases->list.items;
    if (i >= items.size())
      throw Error(HOTPATH_ERANGE, "argument 'i' is %zu; the list holds %zu phrases", i,
                  items.size());
    const auto& item = items[i];
    if (text) *text = phrases->list.text.data() + item.offset;
    if (text_len) *text_len = item.length;
    if (count) *count = item.count;
    if (docs) *docs = item.docs;
    if (score) *score = item.score;
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_consensus_stop_word_count(void) { return c::stop_word_count(); }

HOTPATH_API const char* hotpath_consensus_stop_word(size_t i) { return c::stop_word(i); }

}  // extern "C"
