// C ABI of the search module: argument checks, then the core.
#include "hotpath/search.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/thread_pool.hpp"
#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "search/analyzer.hpp"
#include "search/index.hpp"

namespace s = hotpath::search;
using hotpath::Error;

struct hotpath_search_index {
  std::unique_ptr<s::Index> index;
};

struct hotpath_search_results {
  std::shared_ptr<const s::Snapshot> snap;
  std::vector<s::Hit> hits;
  std::string strings;
  std::vector<size_t> offsets{0};
  std::vector<double> scores;
  std::vector<uint64_t> numbers;
  std::vector<size_t> counts;
  bool has_scores = false;
  std::unique_ptr<s::QueryScratch, void (*)(s::QueryScratch*)> scratch{s::new_query_scratch(),
                                                                       s::delete_query_scratch};
  void clear() {
    strings.clear();
    offsets.assign(1, 0);
    scores.clear();
    numbers.clear();
    has_scores = false;
  }
  void push(std::string_view v) {
    strings.append(v.data(), v.size());
    offsets.push_back(strings.size());
  }
};

namespace {

bool is_ident(std::string_view n) {
  if (n.empty()) return false;
  auto start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start(n[0])) return false;
  for (char c : n)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

void check_query_options(uint32_t fuzzy) {
  if (fuzzy > 2) throw Error(HOTPATH_ERANGE, "argument 'fuzzy' is %u; expected 0, 1 or 2", fuzzy);
}

s::QueryOptions query_options(uint64_t limit, uint64_t offset, int32_t mode_and, uint32_t fuzzy,
                              int32_t prefix) {
  check_query_options(fuzzy);
  s::QueryOptions qo;
  qo.limit = limit;
  qo.offset = offset;
  qo.mode_and = mode_and != 0;
  qo.fuzzy = fuzzy;
  qo.prefix = prefix != 0;
  return qo;
}

// The common start of the calls that fill a result handle from the index's
// current snapshot.
void begin_fill(hotpath_search_index_t* index, hotpath_search_results_t* results, size_t* count) {
  hotpath::require_nonnull(index, "index");
  hotpath::require_nonnull(results, "results");
  hotpath::require_nonnull(count, "count");
  results->clear();
  *count = 0;
}

void fill_hits(hotpath_search_results* r, const s::Snapshot& snap, const std::vector<s::Hit>& hits) {
  for (const s::Hit& h : hits) {
    r->push(snap.segments[h.segment].seg->doc_id(h.doc));
    r->scores.push_back(h.score);
  }
}

}  // namespace

extern "C" {

HOTPATH_API hotpath_status_t hotpath_search_open(const char* path, size_t path_len,
                                                int32_t stopwords, int32_t stemmer,
                                                hotpath_search_index_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    if (path_len) {
      hotpath::require_nonnull(path, "path");
      if (std::memchr(path, 0, path_len)) throw Error(HOTPATH_EINVAL, "argument 'path' holds a NUL byte");
    }
    if (stopwords < -1 || stopwords > 1)
      throw Error(HOTPATH_ERANGE, "argument 'stopwords' is %d; expected -1, 0 or 1", stopwords);
    if (stemmer < -1 || stemmer > 1)
      throw Error(HOTPATH_ERANGE, "argument 'stemmer' is %d; expected -1, 0 or 1", stemmer);
    auto h = std::make_unique<hotpath_search_index>();
    h->index = std::make_unique<s::Index>(path_len ? std::string(path, path_len) : std::string(),
                                          stopwords, stemmer);
    *out = h.release();
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_search_close(hotpath_search_index_t* index) { delete index; }

HOTPATH_API hotpath_status_t hotpath_search_add(hotpath_search_index_t* index, const char* data,
                                               const size_t* offsets, size_t n_items,
                                               const uint32_t* field_counts, size_t n_docs,
                                               int32_t replace) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    if (n_docs == 0) return HOTPATH_OK;
    hotpath::require_nonnull(field_counts, "field_counts");
    hotpath::require_item_count(n_items);
    hotpath::require_nonnull(offsets, "offsets");
    hotpath::require_packed(data, "data", offsets, n_items);
    uint64_t need = 0;
    for (size_t j = 0; j < n_docs; ++j) need += 3 + 2 * uint64_t(field_counts[j]);
    if (need != n_items)
      throw Error(HOTPATH_EINVAL, "the documents take %llu items; n_items is %zu",
                  static_cast<unsigned long long>(need), n_items);
    hotpath::require_packed_utf8(data, offsets, n_items, "item");
    std::vector<s::DocIn> docs(n_docs);
    size_t k = 0;
    auto item = [&](size_t i) { return std::string_view(data + offsets[i], offsets[i + 1] - offsets[i]); };
    for (size_t j = 0; j < n_docs; ++j) {
      docs[j].id = item(k);
      docs[j].title = item(k + 1);
      docs[j].text = item(k + 2);
      k += 3;
      for (uint32_t f = 0; f < field_counts[j]; ++f, k += 2) {
        std::string_view name = item(k);
        if (!is_ident(name) || name == "title")
          throw Error(HOTPATH_EINVAL,
                      "field name '%.200s' of document %zu is not an identifier other than 'title'",
                      std::string(name).c_str(), j);
        docs[j].fields.emplace_back(name, item(k + 1));
      }
      // A field given twice: its values are one text, in order.
      auto& fl = docs[j].fields;
      for (size_t a = 0; a < fl.size(); ++a)
        for (size_t b = a + 1; b < fl.size(); ++b)
          if (fl[a].first == fl[b].first)
            throw Error(HOTPATH_EINVAL, "field '%.200s' appears twice in document %zu",
                        std::string(fl[a].first).c_str(), j);
    }
    index->index->add(docs, replace != 0);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_remove(hotpath_search_index_t* index, const char* id,
                                                  size_t id_len, int32_t* removed) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    hotpath::require_nonnull(removed, "removed");
    hotpath::require_utf8(id, id_len, "id");
    *removed = index->index->remove(std::string_view(id_len ? id : "", id_len)) ? 1 : 0;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_commit(hotpath_search_index_t* index) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    index->index->commit();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_contains(hotpath_search_index_t* index,
                                                    const char* id, size_t id_len,
                                                    int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    hotpath::require_nonnull(out, "out");
    hotpath::require_utf8(id, id_len, "id");
    *out = index->index->contains(std::string_view(id_len ? id : "", id_len)) ? 1 : 0;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_info(hotpath_search_index_t* index,
                                                hotpath_search_info_t* info) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    hotpath::require_nonnull(info, "info");
    if (info->struct_size < sizeof(hotpath_search_info_t))
      throw Error(HOTPATH_EINVAL, "info->struct_size is %zu; expected at least %zu",
                  info->struct_size, sizeof(hotpath_search_info_t));
    s::Index& ix = *index->index;
    info->documents = ix.size();
    info->pending = ix.pending_changes();
    info->segments = ix.committed_segments();
    info->bytes = ix.committed_bytes();
    info->stopwords = ix.options().stopwords ? 1 : 0;
    info->stemmer = ix.options().stemmer;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_query(hotpath_search_index_t* index,
                                                 const char* query, size_t query_len,
                                                 uint64_t limit, uint64_t offset,
                                                 int32_t mode_and, uint32_t fuzzy,
                                                 int32_t prefix,
                                                 hotpath_search_results_t* results,
                                                 size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    hotpath::require_nonnull(results, "results");
    hotpath::require_nonnull(count, "count");
    hotpath::require_utf8(query, query_len, "query");
    s::QueryOptions qo = query_options(limit, offset, mode_and, fuzzy, prefix);
    results->snap = index->index->snapshot();
    results->clear();
    results->has_scores = true;
    s::run_query(*results->snap, index->index->options(),
                 std::string_view(query_len ? query : "", query_len), qo, *results->scratch,
                 results->hits);
    fill_hits(results, *results->snap, results->hits);
    *count = results->hits.size();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_query_many(
    hotpath_search_index_t* index, const char* data, const size_t* offsets, size_t n_queries,
    uint64_t limit, uint64_t offset, int32_t mode_and, uint32_t fuzzy, int32_t prefix,
    hotpath_search_results_t* results, size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(index, "index");
    hotpath::require_nonnull(results, "results");
    hotpath::require_nonnull(count, "count");
    s::QueryOptions qo = query_options(limit, offset, mode_and, fuzzy, prefix);
    results->clear();
    results->has_scores = true;
    results->counts.assign(n_queries, 0);
    *count = 0;
    if (n_queries == 0) return HOTPATH_OK;
    hotpath::require_item_count(n_queries);
    hotpath::require_nonnull(offsets, "offsets");
    hotpath::require_packed(data, "data", offsets, n_queries);
    hotpath::require_packed_utf8(data, offsets, n_queries, "query");
    results->snap = index->index->snapshot();
    const s::Snapshot& snap = *results->snap;
    const s::AnalyzerOptions& ao = index->index->options();
    std::vector<std::vector<s::Hit>> per(n_queries);
    auto work = [&](size_t b, size_t e) {
      std::unique_ptr<s::QueryScratch, void (*)(s::QueryScratch*)> scratch(
          s::new_query_scratch(), s::delete_query_scratch);
      for (size_t i = b; i < e; ++i)
        s::run_query(snap, ao, std::string_view(data + offsets[i], offsets[i + 1] - offsets[i]),
                     qo, *scratch, per[i]);
    };
    hotpath::ThreadPool::instance().parallel_for(n_queries, 8, work);
    size_t total = 0;
    for (size_t i = 0; i < n_queries; ++i) {
      fill_hits(results, snap, per[i]);
      results->counts[i] = per[i].size();
      total += per[i].size();
    }
    *count = total;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_doc_ids(hotpath_search_index_t* index,
                                                   hotpath_search_results_t* results,
                                                   size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    begin_fill(index, results, count);
    results->snap = index->index->snapshot();
    struct Item {
      uint64_t seq;
      uint32_t seg, doc;
    };
    std::vector<Item> items;
    const auto& segs = results->snap->segments;
    for (uint32_t si = 0; si < segs.size(); ++si)
      for (uint32_t d = 0; d < segs[si].seg->doc_count(); ++d)
        if (!(segs[si].del && segs[si].del->has(d))) items.push_back(Item{segs[si].seg->seq(d), si, d});
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.seq < b.seq; });
    for (const Item& it : items) results->push(segs[it.seg].seg->doc_id(it.doc));
    *count = items.size();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_get(hotpath_search_index_t* index, const char* id,
                                               size_t id_len,
                                               hotpath_search_results_t* results,
                                               size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    begin_fill(index, results, count);
    hotpath::require_utf8(id, id_len, "id");
    bool found = false;
    uint32_t seg = 0, doc = 0;
    results->snap = index->index->locate(std::string_view(id_len ? id : "", id_len), &found,
                                         &seg, &doc);
    if (!found) return HOTPATH_OK;
    s::StoredDoc sd = results->snap->segments[seg].seg->stored(doc);
    results->push(sd.id);
    results->push(sd.title);
    results->push(sd.text);
    for (const auto& f : sd.fields) {
      results->push(f.first);
      results->push(f.second);
    }
    *count = 3 + 2 * sd.fields.size();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_fields(hotpath_search_index_t* index,
                                                  hotpath_search_results_t* results,
                                                  size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    begin_fill(index, results, count);
    results->snap = index->index->snapshot();
    std::vector<std::pair<std::string, s::FieldStats>> f(results->snap->fields.begin(),
                                                         results->snap->fields.end());
    std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t n = 0;
    for (const auto& p : f) {
      if (p.second.docs == 0 && !p.first.empty() && p.first != "title") continue;
      results->push(p.first);
      results->numbers.push_back(p.second.docs);
      results->numbers.push_back(p.second.len);
      ++n;
    }
    *count = n;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_search_analyze(const char* text, size_t text_len,
                                                   int32_t stopwords, int32_t stemmer,
                                                   hotpath_search_results_t* results,
                                                   size_t* count) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(results, "results");
    hotpath::require_nonnull(count, "count");
    hotpath::require_utf8(text, text_len, "text");
    if (stopwords < 0 || stopwords > 1)
      throw Error(HOTPATH_ERANGE, "argument 'stopwords' is %d; expected 0 or 1", stopwords);
    if (stemmer < 0 || stemmer > 1)
      throw Error(HOTPATH_ERANGE, "argument 'stemmer' is %d; expected 0 or 1", stemmer);
    s::AnalyzerOptions o;
    o.stopwords = stopwords != 0;
    o.stemmer = stemmer;
    s::Analyzer an(o);
    an.analyze(text_len ? text : "", text_len, 0);
    results->clear();
    for (const s::Token& t : an.tokens()) {
      results->push(std::string_view(an.tokens_text()).substr(t.begin, t.end - t.begin));
      results->numbers.push_back(t.position);
    }
    *count = an.tokens().size();
    return HOTPATH_OK;
  });
}

HOTPATH_API const char* hotpath_search_unicode_version(void) { return s::unicode_version(); }

HOTPATH_API hotpath_status_t hotpath_search_results_create(hotpath_search_results_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = new hotpath_search_results();
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_search_results_destroy(hotpath_search_results_t* results) {
  delete results;
}

HOTPATH_API hotpath_status_t hotpath_search_results_hits(const hotpath_search_results_t* results,
                                                        const char** data,
                                                        const size_t** offsets,
                                                        const double** scores,
                                                        const uint64_t** numbers) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(results, "results");
    if (data) *data = results->strings.data();
    if (offsets) *offsets = results->offsets.data();
    if (scores) *scores = results->has_scores ? results->scores.data() : nullptr;
    if (numbers) *numbers = results->numbers.empty() ? nullptr : results->numbers.data();
    return HOTPATH_OK;
  });
}

HOTPATH_API const size_t* hotpath_search_results_counts(const hotpath_search_results_t* results) {
  return results && !results->counts.empty() ? results->counts.data() : nullptr;
}

}  // extern "C"
