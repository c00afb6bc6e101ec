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

inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

inline uint64_t slot_hash(uint32_t a, uint32_t b, uint32_t c) {
  return mix((uint64_t(a) << 32 | b) * 0x9E3779B97F4A7C15ull ^ c);
}

// A phrase key: word ids + 1 (0 = no word), so unigrams are (a, 0, 0).
struct Slot {
  uint32_t a, b, c;
  uint32_t index;  // phrase index + 1; 0 = empty slot
};

// Counts of one phrase; its key is kept apart (only the winners need it) so
// that the counting loop touches 24 bytes per phrase.
struct Stat {
  uint32_t count = 0, docs = 0;
  uint32_t last_member = UINT32_MAX;
  double wsum = 0.0;
};

}  // namespace

struct PhraseList::Scratch {
  std::vector<Slot> table;
  std::vector<Stat> stats;
  std::vector<Slot> keys;
  std::vector<uint32_t> order;
  std::vector<double> score;
};

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

PhraseWords::PhraseWords(const text::Corpus& corpus) {
  seq_off.reserve(corpus.size() + 1);
  seq_off.push_back(0);
  std::vector<uint32_t> slots(1024, 0);  // word index + 1
  std::vector<uint64_t> hashes;
  for (size_t doc = 0; doc < corpus.size(); ++doc) {
    text::for_each_word(corpus.bytes(doc), corpus.byte_len(doc), [&](const char* s, size_t len) {
      const auto* u = reinterpret_cast<const unsigned char*>(s);
      size_t b = 0, e = len;
      while (b < e && is_ascii_punct(u[b])) ++b;
      while (e > b && is_ascii_punct(u[e - 1])) --e;
      if (b == e) return;
      const char* wp = s + b;
      const size_t wl = e - b;
      const uint64_t h = text::hash_bytes(wp, wl);
      if ((words.size() + 1) * 2 > slots.size()) {
        std::vector<uint32_t> bigger(slots.size() * 2, 0);
        for (uint32_t v : slots) {
          if (!v) continue;
          size_t t = hashes[v - 1] & (bigger.size() - 1);
          while (bigger[t]) t = (t + 1) & (bigger.size() - 1);
          bigger[t] = v;
        }
        slots.swap(bigger);
      }
      const size_t mask = slots.size() - 1;
      size_t t = h & mask;
      for (; slots[t]; t = (t + 1) & mask) {
        const Word& w = words[slots[t] - 1];
        if (hashes[slots[t] - 1] == h && w.len == wl && std::memcmp(w.p, wp, wl) == 0) break;
      }
      if (!slots[t]) {
        if (words.size() >= UINT32_MAX - 2) throw Error(HOTPATH_EOVERFLOW, "too many words");
        const bool stop = is_stop(wp, wl);
        words.push_back({wp, static_cast<uint32_t>(wl), stop, !stop && wl > 3});
        hashes.push_back(h);
        slots[t] = static_cast<uint32_t>(words.size());
      }
      seq.push_back(slots[t] - 1);
    });
    seq_off.push_back(seq.size());
  }
}

PhraseList::PhraseList() : scratch(new Scratch) {}
PhraseList::~PhraseList() = default;

void key_phrases(const PhraseWords& pw, const uint32_t* members,
                 size_t n_members, const double* weights, uint32_t min_docs, Ranking ranking,
                 size_t limit, PhraseList& out) {
  out.text.clear();
  out.items.clear();
  size_t total = 0;
  for (size_t p = 0; p < n_members; ++p)
    total += pw.seq_off[members[p] + 1] - pw.seq_off[members[p]];
  if (total >= UINT32_MAX)
    throw Error(HOTPATH_EOVERFLOW, "the members hold %zu words; at most %u", total,
                static_cast<unsigned>(UINT32_MAX - 1));
  // At most three phrases start at each word.
  size_t cap = 64;
  while (cap < total * 2) cap <<= 1;

  // Scratch lives in the list and is reused: fresh pages cost more than the
  // counting itself on some virtual machines.
  std::vector<Slot>& table = out.scratch->table;
  std::vector<Stat>& stats = out.scratch->stats;
  std::vector<Slot>& keys = out.scratch->keys;
  table.assign(cap, Slot{0, 0, 0, 0});
  stats.clear();
  keys.clear();
  const size_t mask = cap - 1;
  const PhraseWords::Word* words = pw.words.data();
  auto grow = [&] {
    std::vector<Slot> bigger(table.size() * 2, Slot{0, 0, 0, 0});
    const size_t m = bigger.size() - 1;
    for (const Slot& sl : table) {
      if (!sl.index) continue;
      size_t t = slot_hash(sl.a, sl.b, sl.c) & m;
      while (bigger[t].index) t = (t + 1) & m;
      bigger[t] = sl;
    }
    table.swap(bigger);
  };
  size_t cur_mask = mask;

  for (size_t p = 0; p < n_members; ++p) {
    const uint32_t* seq = pw.seq.data() + pw.seq_off[members[p]];
    const size_t len = pw.seq_off[members[p] + 1] - pw.seq_off[members[p]];
    const double w = weights ? weights[p] : 1.0;
    for (size_t t = 0; t < len; ++t) {
      const uint32_t i0 = seq[t];
      for (uint32_t n = 1; n <= 3 && t + n <= len; ++n) {
        uint32_t a = i0 + 1, b = 0, c = 0;
        bool keep;
        if (n == 1) {
          keep = words[i0].unigram;
        } else if (n == 2) {
          b = seq[t + 1] + 1;
          keep = !(words[i0].stop && words[seq[t + 1]].stop);
        } else {
          b = seq[t + 1] + 1;
          c = seq[t + 2] + 1;
          keep = !(words[i0].stop && words[seq[t + 1]].stop && words[seq[t + 2]].stop);
        }
        if (!keep) continue;
        if ((stats.size() + 1) * 2 > table.size()) {
          grow();
          cur_mask = table.size() - 1;
        }
        size_t s = slot_hash(a, b, c) & cur_mask;
        while (table[s].index && !(table[s].a == a && table[s].b == b && table[s].c == c))
          s = (s + 1) & cur_mask;
        if (!table[s].index) {
          stats.emplace_back();
          keys.push_back(Slot{a, b, c, 0});
          table[s] = Slot{a, b, c, static_cast<uint32_t>(stats.size())};
        }
        Stat& st = stats[table[s].index - 1];
        ++st.count;
        if (st.last_member != static_cast<uint32_t>(p)) {
          st.last_member = static_cast<uint32_t>(p);
          ++st.docs;
          st.wsum += w;
        }
      }
    }
  }
  // Phrases are numbered in first-occurrence order, so the index breaks ties.
  std::vector<uint32_t>& order = out.scratch->order;
  std::vector<double>& score = out.scratch->score;
  order.clear();
  score.assign(stats.size(), 0.0);
  for (uint32_t i = 0; i < stats.size(); ++i) {
    const Stat& ph = stats[i];
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
    const Stat& ph = stats[order[r]];
    PhraseList::Item item{out.text.size(), 0, ph.count, ph.docs, score[order[r]]};
    const Slot& key = keys[order[r]];
    for (uint32_t id : {key.a, key.b, key.c}) {
      if (!id) break;
      if (item.offset != out.text.size()) out.text.push_back(' ');
      const PhraseWords::Word& w = words[id - 1];
      out.text.append(w.p, w.len);
    }
    item.length = out.text.size() - item.offset;
    out.items.push_back(item);
  }
}

}  // namespace consensus
}  // namespace hotpath
