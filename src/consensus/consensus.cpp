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

// Counts of one phrase (or of a word pair, for pruning); its key is kept
// apart since only the winners need it.
struct Stat {
  uint32_t count = 0, docs = 0;
  uint32_t last_member = UINT32_MAX;
  uint32_t first_member = 0, first_word = 0;  // first occurrence
  double wsum = 0.0;
};

}  // namespace

struct PhraseList::Scratch {
  std::vector<Slot> table;
  std::vector<Stat> stats;
  std::vector<Slot> keys;
  std::vector<uint32_t> unigram;
  std::vector<uint32_t> pair_at;  // stats index of the word pair at each position
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
  // Strip each distinct corpus word once, then map the texts' word sequences.
  corpus.prepare_words();
  constexpr uint32_t kDropped = UINT32_MAX;
  std::vector<uint32_t> map(corpus.vocabulary());
  std::vector<uint32_t> slots(1024, 0);  // stripped word index + 1
  std::vector<uint64_t> hashes;
  for (uint32_t id = 0; id < map.size(); ++id) {
    const char* s = corpus.word(id);
    const auto* u = reinterpret_cast<const unsigned char*>(s);
    size_t b = 0, e = corpus.word_len(id);
    while (b < e && is_ascii_punct(u[b])) ++b;
    while (e > b && is_ascii_punct(u[e - 1])) --e;
    if (b == e) {
      map[id] = kDropped;
      continue;
    }
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
      const bool stop = is_stop(wp, wl);
      words.push_back({wp, static_cast<uint32_t>(wl), stop, !stop && wl > 3});
      hashes.push_back(h);
      slots[t] = static_cast<uint32_t>(words.size());
    }
    map[id] = slots[t] - 1;
  }
  seq_off.reserve(corpus.size() + 1);
  seq_off.push_back(0);
  for (size_t doc = 0; doc < corpus.size(); ++doc) {
    const uint32_t* ids = corpus.word_seq(doc);
    const size_t len = corpus.word_seq_len(doc);
    for (size_t i = 0; i < len; ++i)
      if (map[ids[i]] != kDropped) seq.push_back(map[ids[i]]);
    seq_off.push_back(seq.size());
  }
}

PhraseList::PhraseList() : scratch(new Scratch) {}
PhraseList::~PhraseList() = default;

// Counting works in two passes.  The first counts unigrams (by word index)
// and every pair of consecutive words (by hash).  A trigram cannot occur
// twice unless both of its word pairs do, so the second pass hashes only
// trigrams whose pairs both occur at least twice: every trigram that occurs
// twice is counted exactly, and only trigrams occurring once go missing.
// Those matter only when phrases in a single member can qualify (min_docs
// <= 1) and rank among the winners; then the trigrams are counted in full.
void key_phrases(const PhraseWords& pw, const uint32_t* members, size_t n_members,
                 const double* weights, uint32_t min_docs, Ranking ranking, size_t limit,
                 PhraseList& out) {
  out.text.clear();
  out.items.clear();
  size_t total = 0;
  for (size_t p = 0; p < n_members; ++p)
    total += pw.seq_off[members[p] + 1] - pw.seq_off[members[p]];
  if (total >= UINT32_MAX)
    throw Error(HOTPATH_EOVERFLOW, "the members hold %zu words; at most %u", total,
                static_cast<unsigned>(UINT32_MAX - 1));
  // Scratch lives in the list and is reused: fresh pages cost more than the
  // counting itself on some virtual machines.
  PhraseList::Scratch& sc = *out.scratch;
  std::vector<Slot>& table = sc.table;
  std::vector<Stat>& stats = sc.stats;
  std::vector<Slot>& keys = sc.keys;
  const PhraseWords::Word* words = pw.words.data();
  size_t mask = 0;

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
    mask = table.size() - 1;
  };
  auto add = [&](uint32_t a, uint32_t b, uint32_t c, uint32_t p, uint32_t t) -> uint32_t {
    stats.emplace_back();
    Stat& st = stats.back();
    st.first_member = p;
    st.first_word = t;
    keys.push_back(Slot{a, b, c, 0});
    return static_cast<uint32_t>(stats.size());
  };
  auto find = [&](uint32_t a, uint32_t b, uint32_t c, uint32_t p, uint32_t t) -> uint32_t {
    if ((stats.size() + 1) * 2 > table.size()) grow();
    size_t s = slot_hash(a, b, c) & mask;
    while (table[s].index && !(table[s].a == a && table[s].b == b && table[s].c == c))
      s = (s + 1) & mask;
    if (!table[s].index) table[s] = Slot{a, b, c, add(a, b, c, p, t)};
    return table[s].index;
  };
  auto count = [&](uint32_t index, uint32_t p, double w) {
    Stat& st = stats[index - 1];
    ++st.count;
    if (st.last_member != p) {
      st.last_member = p;
      ++st.docs;
      st.wsum += w;
    }
  };


  auto run = [&](bool prune) {
    size_t cap = 64;
    while (cap < total * 3) cap <<= 1;
    table.assign(cap, Slot{0, 0, 0, 0});
    mask = cap - 1;
    stats.clear();
    keys.clear();
    sc.unigram.assign(pw.words.size(), 0);
    sc.pair_at.resize(total);
    // f(p, words of member p, their count, weight of p, position of its first word
    // among all members' words) for each member in order.
    auto each_member = [&](auto f) {
      size_t g = 0;
      for (size_t p = 0; p < n_members; ++p) {
        const uint32_t* seq = pw.seq.data() + pw.seq_off[members[p]];
        const size_t len = pw.seq_off[members[p] + 1] - pw.seq_off[members[p]];
        f(static_cast<uint32_t>(p), seq, len, weights ? weights[p] : 1.0, g);
        g += len;
      }
    };
    each_member([&](uint32_t pm, const uint32_t* seq, size_t len, double w, size_t g) {
      for (size_t t = 0; t < len; ++t) {
        const uint32_t i0 = seq[t], tw = static_cast<uint32_t>(t);
        if (words[i0].unigram) {
          uint32_t& at = sc.unigram[i0];
          if (!at) at = add(i0 + 1, 0, 0, pm, tw);
          count(at, pm, w);
        }
        if (t + 1 < len) {
          const uint32_t index = find(i0 + 1, seq[t + 1] + 1, 0, pm, tw);
          sc.pair_at[g + t] = index;
          count(index, pm, w);
        }
      }
    });
    each_member([&](uint32_t pm, const uint32_t* seq, size_t len, double w, size_t g) {
      for (size_t t = 0; t + 2 < len; ++t) {
        if (prune && (stats[sc.pair_at[g + t] - 1].count < 2 ||
                      stats[sc.pair_at[g + t + 1] - 1].count < 2))
          continue;
        if (words[seq[t]].stop && words[seq[t + 1]].stop && words[seq[t + 2]].stop) continue;
        count(find(seq[t] + 1, seq[t + 1] + 1, seq[t + 2] + 1, pm, static_cast<uint32_t>(t)), pm,
              w);
      }
    });
  };

  // A phrase qualifies when it is in enough members (and a pair, when not made
  // only of stop words).
  auto qualifies = [&](uint32_t i) {
    const Stat& st = stats[i];
    if (st.docs < min_docs) return false;
    const Slot& k = keys[i];
    return !(k.b && !k.c && words[k.a - 1].stop && words[k.b - 1].stop);
  };
  const bool singles_matter = min_docs <= 1;
  run(true);
  if (singles_matter) {
    bool full = ranking == Ranking::Theme;
    if (!full) {
      size_t repeated = 0;
      for (uint32_t i = 0; i < stats.size() && repeated < limit; ++i)
        repeated += qualifies(i) && stats[i].count >= 2;
      full = repeated < limit;
    }
    if (full) run(false);
  }

  std::vector<uint32_t>& order = sc.order;
  std::vector<double>& score = sc.score;
  order.clear();
  score.assign(stats.size(), 0.0);
  for (uint32_t i = 0; i < stats.size(); ++i) {
    if (!qualifies(i)) continue;
    const Stat& st = stats[i];
    score[i] = ranking == Ranking::Count ? static_cast<double>(st.count)
                                         : static_cast<double>(st.count) * st.wsum /
                                               static_cast<double>(n_members);
    order.push_back(i);
  }
  const size_t k = std::min(limit, order.size());
  auto length = [&](uint32_t i) { return keys[i].c ? 3 : keys[i].b ? 2 : 1; };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](uint32_t x, uint32_t y) {
                      if (score[x] != score[y]) return score[x] > score[y];
                      const Stat &a = stats[x], &b = stats[y];
                      if (a.first_member != b.first_member) return a.first_member < b.first_member;
                      if (a.first_word != b.first_word) return a.first_word < b.first_word;
                      return length(x) < length(y);
                    });
  for (size_t r = 0; r < k; ++r) {
    const Stat& st = stats[order[r]];
    PhraseList::Item item{out.text.size(), 0, st.count, st.docs, score[order[r]]};
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
