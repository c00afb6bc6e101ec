// libFuzzer target: text corpora from packed buffers (hotpath_text_corpus_create
// with offsets that need not start at 0, hotpath_text_corpus_create_joined
// copying and borrowing, hotpath_split_joined), then every corpus query
// checked against the pair functions: one_to_many equals the pair function
// text by text, bit for bit, on every way of building the corpus and every
// thread count; the matrix is that of the pairs; extract returns the best
// matches in the documented order.  Buffers are exact-size heap copies, so
// ASan sees a read one byte past a borrowed buffer.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "hotpath/common.h"
#include "hotpath/text.h"

namespace {

using Corpus = std::unique_ptr<hotpath_text_corpus_t, void (*)(hotpath_text_corpus_t*)>;

Corpus adopt(hotpath_text_corpus_t* c) { return Corpus(c, hotpath_text_corpus_destroy); }

// An exact-size heap copy (nullptr for an empty text, which the API accepts).
std::unique_ptr<char[]> exact(const std::string& s) {
  if (s.empty()) return nullptr;
  std::unique_ptr<char[]> p(new char[s.size()]);
  std::memcpy(p.get(), s.data(), s.size());
  return p;
}

double pair(int32_t metric, const std::string& a, const std::string& b, uint32_t flags) {
  auto ea = exact(a), eb = exact(b);
  double d = NAN;
  uint64_t u = 0;
  hotpath_status_t st = HOTPATH_EINTERNAL;
  switch (metric) {
    case HOTPATH_TEXT_JACCARD:
      st = hotpath_text_jaccard(ea.get(), a.size(), eb.get(), b.size(), flags, &d);
      break;
    case HOTPATH_TEXT_COSINE:
      st = hotpath_text_cosine(ea.get(), a.size(), eb.get(), b.size(), flags, &d);
      break;
    case HOTPATH_TEXT_OVERLAP:
      st = hotpath_text_overlap(ea.get(), a.size(), eb.get(), b.size(), flags, &d);
      break;
    case HOTPATH_TEXT_LEVENSHTEIN:
      st = hotpath_text_levenshtein(ea.get(), a.size(), eb.get(), b.size(), UINT64_MAX, flags, &u);
      d = static_cast<double>(u);
      break;
    case HOTPATH_TEXT_LEVENSHTEIN_NORMALIZED:
      st = hotpath_text_levenshtein_normalized(ea.get(), a.size(), eb.get(), b.size(), flags, &d);
      break;
    default:
      st = hotpath_text_jaro_winkler(ea.get(), a.size(), eb.get(), b.size(),
                                     hotpath_text_default_prefix_weight(), flags, &d);
  }
  FUZZ_EXPECT(st == HOTPATH_OK);
  FUZZ_EXPECT(!std::isnan(d));
  return d;
}

std::vector<double> one_to_many(const hotpath_text_corpus_t* c, const std::string& q,
                                int32_t metric) {
  std::vector<double> out(hotpath_text_corpus_size(c), NAN);
  auto eq = exact(q);
  FUZZ_EXPECT(hotpath_text_one_to_many(eq.get(), q.size(), c, metric,
                                       hotpath_text_default_prefix_weight(), out.data(),
                                       out.size()) == HOTPATH_OK);
  return out;
}

// a before b in extract's order.
bool better(int32_t metric, double sa, size_t ia, double sb, size_t ib) {
  if (sa != sb) return metric == HOTPATH_TEXT_LEVENSHTEIN ? sa < sb : sa > sb;
  return ia < ib;
}

void check_extract(const hotpath_text_corpus_t* c, const std::string& q, int32_t metric,
                   const std::vector<double>& scores, size_t limit, double cutoff) {
  std::vector<uint64_t> idx(limit + 1, UINT64_MAX);
  std::vector<double> sc(limit + 1, NAN);
  size_t count = SIZE_MAX;
  auto eq = exact(q);
  FUZZ_EXPECT(hotpath_text_extract(eq.get(), q.size(), c, metric,
                                   hotpath_text_default_prefix_weight(), cutoff, limit, idx.data(),
                                   sc.data(), &count) == HOTPATH_OK);
  FUZZ_EXPECT(count <= limit);
  FUZZ_EXPECT(idx[limit] == UINT64_MAX);  // nothing written past the limit
  auto passes = [&](double s) {
    if (std::isnan(cutoff)) return true;
    return metric == HOTPATH_TEXT_LEVENSHTEIN ? s <= cutoff : s >= cutoff;
  };
  std::vector<size_t> want;
  for (size_t i = 0; i < scores.size(); ++i)
    if (passes(scores[i])) want.push_back(i);
  std::sort(want.begin(), want.end(),
            [&](size_t a, size_t b) { return better(metric, scores[a], a, scores[b], b); });
  FUZZ_EXPECT(count == std::min(limit, want.size()));
  for (size_t k = 0; k < count; ++k) {
    FUZZ_EXPECT(idx[k] == want[k]);
    FUZZ_EXPECT(sc[k] == scores[want[k]]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  fuzz::Reader r{data, size};
  const uint8_t opts = r.byte();
  static const char kSeps[] = {'\n', '\x1f', '\0', ' '};
  const char sep = kSeps[opts & 3];
  const uint32_t flags = (opts & 4) ? HOTPATH_TEXT_CASE_FOLD : 0;
  const int32_t metric = (opts >> 3) % 6;
  const bool threads2 = (opts & 0x40) != 0;
  const std::string junk = r.take(8);  // bytes before offsets[0], never part of a text
  const std::string query = fuzz::ref_scrub(r.take(64));
  std::string payload = r.rest();
  if (opts & 0x80) payload = fuzz::ref_scrub(payload);

  // The texts between separators.
  std::vector<std::string> texts(1);
  for (char ch : payload) {
    if (ch == sep)
      texts.emplace_back();
    else
      texts.back() += ch;
  }
  const size_t n = texts.size();
  if (n > 200) return 0;
  size_t first_bad = SIZE_MAX, bad_at = 0;
  for (size_t i = 0; i < n && first_bad == SIZE_MAX; ++i) {
    const size_t at = fuzz::ref_invalid_at(texts[i]);
    if (at != std::string::npos) {
      first_bad = i;
      bad_at = at;
    }
  }

  // hotpath_split_joined turns the joined form into the packed one in place.
  {
    std::vector<size_t> offs(n + 1, SIZE_MAX);
    auto buf = exact(payload);
    FUZZ_EXPECT(hotpath_split_joined(buf.get(), payload.size(), uint8_t(sep), n, offs.data()) ==
                HOTPATH_OK);
    FUZZ_EXPECT(offs[0] == 0 && offs[n] == payload.size() - (n - 1));
    for (size_t i = 0; i < n; ++i)
      FUZZ_EXPECT(std::string(buf.get() + offs[i], offs[i + 1] - offs[i]) == texts[i]);
    // A wrong count leaves the data alone.
    auto again = exact(payload);
    std::vector<size_t> more(n + 2);
    FUZZ_EXPECT(hotpath_split_joined(again.get(), payload.size(), uint8_t(sep), n + 1,
                                     more.data()) == HOTPATH_EINVAL);
    FUZZ_EXPECT(payload.empty() || std::memcmp(again.get(), payload.data(), payload.size()) == 0);
  }

  // Packed: junk, then the texts back to back; offsets start after the junk.
  std::string packed = junk;
  std::vector<size_t> offsets{junk.size()};
  for (const auto& t : texts) {
    packed += t;
    offsets.push_back(packed.size());
  }
  auto packed_buf = exact(packed);
  hotpath_text_corpus_t* raw = nullptr;
  hotpath_status_t st =
      hotpath_text_corpus_create(packed_buf.get(), offsets.data(), n, flags, &raw);
  Corpus packed_corpus = adopt(raw);
  if (first_bad != SIZE_MAX) {
    FUZZ_EXPECT(st == HOTPATH_EUTF8 && raw == nullptr);
    const std::string msg = hotpath_last_error_message();
    FUZZ_EXPECT(msg.find("text " + std::to_string(first_bad) + " ") != std::string::npos);
    FUZZ_EXPECT(msg.find("byte offset " + std::to_string(bad_at)) != std::string::npos);
  } else {
    FUZZ_EXPECT(st == HOTPATH_OK && raw != nullptr);
  }
  // Offsets that go down are refused before anything is read.
  if (n >= 2 && offsets[1] > offsets[0]) {
    std::vector<size_t> down = offsets;
    std::swap(down[1], down[0]);
    hotpath_text_corpus_t* c = nullptr;
    FUZZ_EXPECT(hotpath_text_corpus_create(packed_buf.get(), down.data(), n, flags, &c) ==
                HOTPATH_EINVAL);
    FUZZ_EXPECT(c == nullptr);
  }

  // Joined, copied and borrowed; a wrong count is refused.
  auto joined_buf = exact(payload);
  Corpus joined = adopt(nullptr), borrowed = adopt(nullptr);
  for (int borrow = 0; borrow < 2; ++borrow) {
    hotpath_text_corpus_t* c = nullptr;
    st = hotpath_text_corpus_create_joined(joined_buf.get(), payload.size(), uint8_t(sep), n,
                                           flags | (borrow ? HOTPATH_TEXT_BORROW : 0), &c);
    if (first_bad != SIZE_MAX) {
      FUZZ_EXPECT(st == HOTPATH_EUTF8 && c == nullptr);
      const std::string msg = hotpath_last_error_message();
      FUZZ_EXPECT(msg.find("text " + std::to_string(first_bad) + " ") != std::string::npos);
      FUZZ_EXPECT(msg.find("byte offset " + std::to_string(bad_at)) != std::string::npos);
    } else {
      FUZZ_EXPECT(st == HOTPATH_OK && c != nullptr);
    }
    (borrow ? borrowed : joined) = adopt(c);
    c = nullptr;
    FUZZ_EXPECT(hotpath_text_corpus_create_joined(joined_buf.get(), payload.size(), uint8_t(sep),
                                                  n + 1, flags, &c) == HOTPATH_EINVAL);
    FUZZ_EXPECT(c == nullptr);
  }
  if (first_bad != SIZE_MAX) return 0;

  // The copying corpora no longer read the caller's buffers.
  packed_buf.reset();
  const hotpath_text_corpus_t* corpora[] = {packed_corpus.get(), joined.get(), borrowed.get()};
  for (const auto* c : corpora) {
    FUZZ_EXPECT(hotpath_text_corpus_size(c) == n);
    FUZZ_EXPECT((hotpath_text_corpus_flags(c) & HOTPATH_TEXT_CASE_FOLD) == flags);
  }

  FUZZ_EXPECT(hotpath_set_num_threads(threads2 ? 2 : 1) == HOTPATH_OK);
  std::vector<double> want(n);
  for (size_t i = 0; i < n; ++i) want[i] = pair(metric, query, texts[i], flags);
  for (const auto* c : corpora) {
    const std::vector<double> got = one_to_many(c, query, metric);
    for (size_t i = 0; i < n; ++i) FUZZ_EXPECT(got[i] == want[i]);
  }
  check_extract(joined.get(), query, metric, want, opts % 5, NAN);
  const double cutoff = metric == HOTPATH_TEXT_LEVENSHTEIN ? double(opts % 7) : (opts % 11) / 10.0;
  check_extract(borrowed.get(), query, metric, want, n, cutoff);

  if (n <= 40) {
    std::vector<double> m(n * n, NAN);
    FUZZ_EXPECT(hotpath_text_matrix(borrowed.get(), metric, hotpath_text_default_prefix_weight(),
                                    m.data(), m.size()) == HOTPATH_OK);
    const double diag = metric == HOTPATH_TEXT_LEVENSHTEIN ? 0.0 : 1.0;
    for (size_t i = 0; i < n; ++i) {
      FUZZ_EXPECT(m[i * n + i] == diag);
      for (size_t j = i + 1; j < n; ++j) {
        FUZZ_EXPECT(m[i * n + j] == m[j * n + i]);
        FUZZ_EXPECT(m[i * n + j] == pair(metric, texts[i], texts[j], flags));
      }
    }
  }
  FUZZ_EXPECT(hotpath_set_num_threads(1) == HOTPATH_OK);
  return 0;
}
