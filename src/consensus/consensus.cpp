#include "consensus/consensus.hpp"

#include <algorithm>
#include <cstring>

#include "common/error.hpp"

namespace hotpath {
namespace consensus {

namespace {

// Sorted, lowercase ASCII: common English function words.
const char* const kStopWords[] = {
    "a",        "about",   "above",    "after",  "again",     "against",    "all",
    "also",     "am",      "an",       "and",    "any",       "are",        "as",
    "at",       "be",      "because",  "been",   "before",    "being",      "below",
    "between",  "both",    "but",      "by",     "can",       "could",      "did",
    "do",       "does",    "doing",    "down",   "during",    "each",       "few",
    "for",      "from",    "further",  "had",    "has",       "have",       "having",
    "he",       "her",     "here",     "hers",   "herself",   "him",        "himself",
    "his",      "how",     "i",        "if",     "in",        "into",       "is",
    "it",       "its",     "itself",   "just",   "me",        "might",      "more",
    "most",     "must",    "my",       "myself", "no",        "nor",        "not",
    "now",      "of",      "off",      "on",     "once",      "only",       "or",
    "other",    "our",     "ours",     "ourselves", "out",    "over",       "own",
    "same",     "shall",   "she",      "should", "so",        "some",       "such",
    "than",     "that",    "the",      "their",  "theirs",    "them",       "themselves",
    "then",     "there",   "these",    "they",   "this",      "those",      "through",
    "to",       "too",     "under",    "until",  "up",        "us",         "very",
    "was",      "we",      "were",     "what",   "when",      "where",      "which",
    "while",    "who",     "whom",     "why",    "will",      "with",       "would",
    "you",      "your",    "yours",    "yourself", "yourselves"};
constexpr size_t kStopCount = sizeof kStopWords / sizeof kStopWords[0];

bool is_stop(const char* w, size_t len) {
  size_t lo = 0, hi = kStopCount;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char* s = kStopWords[mid];
    size_t sl = std::strlen(s);
    int c = std::memcmp(s, w, std::min(sl, len));
    if (c == 0) c = sl < len ? -1 : (sl > len ? 1 : 0);
    if (c == 0) return true;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

bool is_ascii_punct(unsigned char b) {
  return (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) ||
         (b >= 0x7B && b <= 0x7E);
}

struct Word {
  uint64_t hash;
  const char* p;
  uint32_t len;
  bool stop;
};

struct Phrase {
  uint32_t n;
  uint32_t ids[3];
  uint64_t count = 0, docs = 0;
  size_t last_member = SIZE_MAX;
  double wsum = 0.0;
};

inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

// Open-addressing table of entries identified by an index into a vector;
// the caller provides the hash and equality of entry i with a probe.
class IndexTable {
 public:
  void reset(size_t expected) {
    size_t cap = 64;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, 0);
    used_ = 0;
  }
  // Returns the index found, or inserts make() and returns its index.
  template <class Eq, class Make, class HashOf>
  uint32_t find_or_add(uint64_t h, Eq eq, Make make, HashOf hash_of) {
    if ((used_ + 1) * 2 > slots_.size()) grow(hash_of);
    size_t mask = slots_.size() - 1;
    size_t s = h & mask;
    while (slots_[s]) {
      if (eq(slots_[s] - 1)) return slots_[s] - 1;
      s = (s + 1) & mask;
    }
    uint32_t idx = make();
    slots_[s] = idx + 1;
    ++used_;
    return idx;
  }

 private:
  template <class HashOf>
  void grow(HashOf hash_of) {
    std::vector<uint32_t> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, 0);
    size_t mask = slots_.size() - 1;
    for (uint32_t v : old) {
      if (!v) continue;
      size_t s = hash_of(v - 1) & mask;
      while (slots_[s]) s = (s + 1) & mask;
      slots_[s] = v;
    }
  }
  std::vector<uint32_t> slots_;
  size_t used_ = 0;
};

}  // namespace

size_t stop_word_count() noexcept { return kStopCount; }
const char* stop_word(size_t i) noexcept { return i < kStopCount ? kStopWords[i] : nullptr; }

size_t cluster(const double* m, size_t n, double threshold, uint32_t* labels) noexcept {
  constexpr uint32_t kNone = UINT32_MAX;
  for (size_t i = 0; i < n; ++i) labels[i] = kNone;
  uint32_t next = 0;
  for (size_t i = 0; i < n; ++i) {
    if (labels[i] != kNone) continue;
    labels[i] = next;
    const double* row = m + i * n;
    for (size_t j = i + 1; j < n; ++j)
      if (labels[j] == kNone && row[j] >= threshold) labels[j] = next;
    ++next;
  }
  return next;
}

void key_phrases(const text::Corpus& corpus, const uint32_t* members, size_t n_members,
                 const double* weights, uint32_t min_docs, Ranking ranking, size_t limit,
                 PhraseList& out) {
  out.text.clear();
  out.items.clear();
  std::vector<Word> words;
  std::vector<Phrase> phrases;
  std::vector<uint32_t> seq;  // word ids of the current member
  IndexTable word_table, phrase_table;
  size_t total_bytes = 0;
  for (size_t p = 0; p < n_members; ++p) total_bytes += corpus.byte_len(members[p]);
  word_table.reset(total_bytes / 8 + 16);
  phrase_table.reset(total_bytes / 2 + 16);
  auto word_hash = [&](uint32_t i) { return words[i].hash; };
  auto phrase_hash = [&](uint32_t i) {
    const Phrase& ph = phrases[i];
    return mix(ph.n * 0x9E3779B97F4A7C15ull ^ mix(ph.ids[0] ^ (uint64_t(ph.ids[1]) << 32)) ^
               ph.ids[2]);
  };
  for (size_t p = 0; p < n_members; ++p) {
    const size_t doc = members[p];
    const double w = weights ? weights[p] : 1.0;
    seq.clear();
    text::for_each_word(corpus.bytes(doc), corpus.byte_len(doc), [&](const char* s, size_t len) {
      const auto* u = reinterpret_cast<const unsigned char*>(s);
      size_t b = 0, e = len;
      while (b < e && is_ascii_punct(u[b])) ++b;
      while (e > b && is_ascii_punct(u[e - 1])) --e;
      if (b == e) return;
      const char* wp = s + b;
      const size_t wl = e - b;
      const uint64_t h = text::hash_bytes(wp, wl);
      uint32_t id = word_table.find_or_add(
          h,
          [&](uint32_t i) {
            return words[i].hash == h && words[i].len == wl &&
                   std::memcmp(words[i].p, wp, wl) == 0;
          },
          [&] {
            words.push_back({h, wp, static_cast<uint32_t>(wl), is_stop(wp, wl)});
            return static_cast<uint32_t>(words.size() - 1);
          },
          word_hash);
      seq.push_back(id);
    });
    for (size_t t = 0; t < seq.size(); ++t) {
      for (uint32_t n = 1; n <= 3 && t + n <= seq.size(); ++n) {
        bool all_stop = true;
        for (uint32_t k = 0; k < n; ++k) all_stop = all_stop && words[seq[t + k]].stop;
        if (all_stop) continue;
        if (n == 1 && words[seq[t]].len <= 3) continue;
        Phrase key;
        key.n = n;
        key.ids[0] = seq[t];
        key.ids[1] = n > 1 ? seq[t + 1] : 0;
        key.ids[2] = n > 2 ? seq[t + 2] : 0;
        const uint64_t h = mix(n * 0x9E3779B97F4A7C15ull ^
                               mix(key.ids[0] ^ (uint64_t(key.ids[1]) << 32)) ^ key.ids[2]);
        uint32_t idx = phrase_table.find_or_add(
            h,
            [&](uint32_t i) {
              const Phrase& ph = phrases[i];
              return ph.n == n && ph.ids[0] == key.ids[0] && ph.ids[1] == key.ids[1] &&
                     ph.ids[2] == key.ids[2];
            },
            [&] {
              phrases.push_back(key);
              return static_cast<uint32_t>(phrases.size() - 1);
            },
            phrase_hash);
        Phrase& ph = phrases[idx];
        ++ph.count;
        if (ph.last_member != p) {
          ph.last_member = p;
          ++ph.docs;
          ph.wsum += w;
        }
      }
    }
  }
  // Phrases are numbered in first-occurrence order, so the index breaks ties.
  std::vector<uint32_t> order;
  std::vector<double> score(phrases.size());
  for (uint32_t i = 0; i < phrases.size(); ++i) {
    const Phrase& ph = phrases[i];
    if (ph.docs < min_docs) continue;
    score[i] = ranking == Ranking::Count ? static_cast<double>(ph.count)
                                         : static_cast<double>(ph.count) * ph.wsum /
                                               static_cast<double>(n_members);
    order.push_back(i);
  }
  const size_t k = std::min(limit, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](uint32_t x, uint32_t y) {
                      if (score[x] != score[y]) return score[x] > score[y];
                      return x < y;
                    });
  for (size_t r = 0; r < k; ++r) {
    const Phrase& ph = phrases[order[r]];
    PhraseList::Item item{out.text.size(), 0, ph.count, ph.docs, score[order[r]]};
    for (uint32_t t = 0; t < ph.n; ++t) {
      if (t) out.text.push_back(' ');
      const Word& w = words[ph.ids[t]];
      out.text.append(w.p, w.len);
    }
    item.length = out.text.size() - item.offset;
    out.items.push_back(item);
  }
}

}  // namespace consensus
}  // namespace hotpath
