// Text similarity kernels (definitions in include/hotpath/text.h).
//
// Edit distance is the bit-parallel algorithm of Myers (1999) as Hyyro
// formulates it for global distance: one 64-bit word per 64 pattern code
// points, blocks chained through their horizontal deltas.  Word metrics
// work on sorted sets of exact tokens (hash first, bytes on ties), or on the
// corpus dictionary's integer ids and a bitmap of the query's words.
#include "text/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/error.hpp"
#include "common/fastmath.hpp"
#include "common/thread_pool.hpp"
#include "common/utf8.hpp"

namespace hotpath {
namespace text {

namespace {
#include "text/casefold_data.inc"

// A buffer on the stack for typical sizes, on the heap beyond: lets kernels
// that run on pool workers stay allocation-free for ordinary texts.
template <class T, size_t N>
class Scratch {
 public:
  T* get(size_t n) {
    if (n <= N) return local_;
    heap_.reset(new T[n]);
    return heap_.get();
  }

 private:
  T local_[N];
  std::unique_ptr<T[]> heap_;
};

// The rows of a pattern's match vectors: Peq[c] has bit i of block i / 64
// set where pattern[i] == c.  Characters absent from the pattern share a
// zero row (id 0).
class Pattern {
 public:
  void build(const uint32_t* p, size_t m) {
    m_ = m;
    blocks_ = (m + 63) / 64;
    std::memset(ascii_, 0, sizeof ascii_);
    size_t cap = 16;
    while (cap < 2 * m) cap <<= 1;
    keys_.assign(cap, kEmpty);
    vals_.resize(cap);
    mask_ = static_cast<uint32_t>(cap - 1);
    uint32_t next = 1;
    ids_.resize(m);
    for (size_t i = 0; i < m; ++i) {
      uint32_t c = p[i];
      uint32_t id;
      if (c < 128) {
        if (!ascii_[c]) ascii_[c] = next++;
        id = ascii_[c];
      } else {
        uint32_t s = slot(c);
        if (keys_[s] == kEmpty) {
          keys_[s] = c;
          vals_[s] = next++;
        }
        id = vals_[s];
      }
      ids_[i] = id;
    }
    peq_.assign(static_cast<size_t>(next) * blocks_, 0);
    for (size_t i = 0; i < m; ++i) peq_[ids_[i] * blocks_ + i / 64] |= 1ull << (i % 64);
    for (uint32_t c = 0; c < 128; ++c) first_[c] = peq_[ascii_[c] * blocks_];
  }
  // The row of characters absent from the pattern (all zero).
  const uint64_t* zero_row() const noexcept { return peq_.data(); }
  // Block 0 of row(c), one load for ASCII characters.
  uint64_t first(uint32_t c) const noexcept { return c < 128 ? first_[c] : row(c)[0]; }
  size_t length() const noexcept { return m_; }
  size_t blocks() const noexcept { return blocks_; }
  const uint64_t* row(uint32_t c) const noexcept {
    uint32_t id;
    if (c < 128) {
      id = ascii_[c];
    } else {
      uint32_t s = slot(c);
      id = keys_[s] == c ? vals_[s] : 0;
    }
    return peq_.data() + id * blocks_;
  }

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  uint32_t slot(uint32_t c) const noexcept {
    uint32_t s = (c * 2654435761u) & mask_;
    while (keys_[s] != kEmpty && keys_[s] != c) s = (s + 1) & mask_;
    return s;
  }
  size_t m_ = 0, blocks_ = 0;
  uint32_t ascii_[128];
  uint64_t first_[128];
  std::vector<uint32_t> keys_, vals_, ids_;
  uint32_t mask_ = 0;
  std::vector<uint64_t> peq_;
};

// One block of one column of the recurrence (Myers 1999, Hyyro's notation),
// on one word or on a vector of lanes.  vp/vn are the block's vertical
// deltas; hp_in/hn_in the horizontal delta entering from the block above,
// as two bits (+1 or -1; the top row grows by one per column, so block 0
// gets +1).  ph/mh receive the horizontal deltas before the shift: their
// bit 63 leaves for the block below, the pattern's last bit scores.
template <class W>
inline void advance_block(const W& eqs, W& vp, W& vn, const W& hp_in, const W& hn_in, W& ph,
                          W& mh) {
  const W pv = vp, mv = vn;
  const W eq = eqs | hn_in;
  const W xv = eqs | mv;
  const W xh = (((eq & pv) + pv) ^ pv) | eq;
  ph = mv | ~(xh | pv);
  mh = pv & xh;
  const W phs = (ph << 1) | hp_in;
  const W mhs = (mh << 1) | hn_in;
  vp = mhs | ~(xv | phs);
  vn = phs & xv;
}

// Distance of pattern (length m >= 1) to t[0..n), min(d, cutoff + 1).
// scratch holds 2 * blocks words.
uint64_t lev_pattern(const Pattern& pat, const uint32_t* t, size_t n, uint64_t cutoff,
                     uint64_t* scratch) {
  const size_t m = pat.length();
  if (n == 0) return m <= cutoff ? m : cutoff + 1;
  const uint64_t diff = m > n ? m - n : n - m;
  if (diff > cutoff) return cutoff + 1;
  const bool check = cutoff < static_cast<uint64_t>(m) + n;
  const size_t nb = pat.blocks(), full = nb - 1;
  const unsigned last_bit = static_cast<unsigned>((m - 1) % 64);
  uint64_t* vp = scratch;
  uint64_t* vn = scratch + nb;
  for (size_t b = 0; b < nb; ++b) {
    vp[b] = ~0ull;
    vn[b] = 0;
  }
  uint64_t d = m, ph = 0, mh = 0;
  if (nb == 1) {
    uint64_t v = vp[0], w = vn[0];  // in registers
    for (size_t j = 0; j < n; ++j) {
      advance_block<uint64_t>(pat.first(t[j]), v, w, 1, 0, ph, mh);
      d += (ph >> last_bit) & 1;
      d -= (mh >> last_bit) & 1;
      if (check && d > cutoff + (n - j - 1)) return cutoff + 1;
    }
    return d <= cutoff ? d : cutoff + 1;
  }
  for (size_t j = 0; j < n; ++j) {
    const uint64_t* eqs = pat.row(t[j]);
    uint64_t hp = 1, hn = 0;
    for (size_t b = 0; b < full; ++b) {
      advance_block(eqs[b], vp[b], vn[b], hp, hn, ph, mh);
      hp = ph >> 63;
      hn = mh >> 63;
    }
    advance_block(eqs[full], vp[full], vn[full], hp, hn, ph, mh);
    d += (ph >> last_bit) & 1;
    d -= (mh >> last_bit) & 1;
    if (check && d > cutoff + (n - j - 1)) return cutoff + 1;
  }
  return d <= cutoff ? d : cutoff + 1;
}

constexpr size_t kStackBlocks = 128;  // patterns up to 8192 code points

uint64_t lev_with(const Pattern& pat, const uint32_t* t, size_t n, uint64_t cutoff) {
  if (pat.length() == 0) return n <= cutoff ? n : cutoff + 1;
  Scratch<uint64_t, 2 * kStackBlocks> scratch;
  return lev_pattern(pat, t, n, cutoff, scratch.get(2 * pat.blocks()));
}

// Distances of one pattern (two blocks or more) to kLanes texts at once: the
// block recurrence above on vectors of 64-bit lanes, one text per lane.  The
// texts of a pool of choices are independent, so this turns the serial chain
// of one text into kLanes chains side by side.  A lane whose text ends keeps
// computing on zero rows; its distance was read when its last column passed.
constexpr int kLanes = 8;
typedef uint64_t LaneVec __attribute__((vector_size(kLanes * 8)));

HOTPATH_SIMD_CLONES void lev_lanes(const Pattern& pat, const uint32_t* const* texts,
                                   const size_t* lens, uint64_t* out, LaneVec* vp,
                                   LaneVec* vn) {
  const size_t m = pat.length(), nb = pat.blocks(), full = nb - 1;
  const unsigned last_bit = static_cast<unsigned>((m - 1) % 64);
  size_t longest = 0;
  for (int k = 0; k < kLanes; ++k) {
    longest = std::max(longest, lens[k]);
    if (lens[k] == 0) out[k] = m;
  }
  const LaneVec ones = ~LaneVec{}, zeros = LaneVec{};
  for (size_t b = 0; b < nb; ++b) {
    vp[b] = ones;
    vn[b] = zeros;
  }
  LaneVec d = zeros + m;
  const uint64_t* rows[kLanes];
  for (size_t j = 0; j < longest; ++j) {
    for (int k = 0; k < kLanes; ++k) rows[k] = j < lens[k] ? pat.row(texts[k][j]) : pat.zero_row();
    LaneVec hp = zeros + 1, hn = zeros, ph, mh;
    for (size_t b = 0; b <= full; ++b) {
      LaneVec eqs;
      for (int k = 0; k < kLanes; ++k) eqs[k] = rows[k][b];
      advance_block(eqs, vp[b], vn[b], hp, hn, ph, mh);
      hp = ph >> 63;
      hn = mh >> 63;
    }
    d += (ph >> last_bit) & 1;
    d -= (mh >> last_bit) & 1;
    for (int k = 0; k < kLanes; ++k)
      if (j + 1 == lens[k]) out[k] = d[k];
  }
}

// Jaro as python-Levenshtein computes it: s1 is the shorter text, the
// window is (len1 + 1) / 2 on either side, matches are taken greedily in the
// order of s2, and a transposition is a matched position of s1 whose match
// is out of order.  idx holds len1 entries.
double jaro_core(const uint32_t* s1, size_t l1, const uint32_t* s2, size_t l2, uint32_t* idx) {
  const size_t half = (l1 + 1) / 2;
  std::fill(idx, idx + l1, 0u);
  uint32_t match = 0;
  const size_t to = std::min(l1 + half, l2);
  for (size_t i = 0; i < to; ++i) {
    const size_t lo = i > half ? i - half : 0;
    const size_t hi = std::min(l1, i + half + 1);
    const uint32_t c = s2[i];
    for (size_t j = lo; j < hi; ++j) {
      if (s1[j] == c && !idx[j]) {
        idx[j] = ++match;
        break;
      }
    }
  }
  if (match == 0) return 0.0;
  uint32_t k = 0;
  size_t trans = 0;
  for (size_t j = 0; j < l1; ++j) {
    if (idx[j]) {
      ++k;
      if (idx[j] != k) ++trans;
    }
  }
  const double md = match;
  return (md / static_cast<double>(l1) + md / static_cast<double>(l2) + 1.0 -
          static_cast<double>(trans) / md / 2.0) /
         3.0;
}

struct Tok {
  uint64_t hash;
  const char* p;
  size_t len;
};

inline bool tok_less(const Tok& x, const Tok& y) {
  if (x.hash != y.hash) return x.hash < y.hash;
  if (x.len != y.len) return x.len < y.len;
  return std::memcmp(x.p, y.p, x.len) < 0;
}
inline bool tok_eq(const Tok& x, const Tok& y) {
  return x.hash == y.hash && x.len == y.len && std::memcmp(x.p, y.p, x.len) == 0;
}

// The distinct words of s, sorted by tok_less.  Words are deduplicated as they are
// met (an open-addressing table of slot indices into out), so memory follows the
// distinct words, not the text: "w " * 50,000,000 keeps one.
void word_set(const char* s, size_t n, std::vector<Tok>& out) {
  thread_local std::vector<uint32_t> slots;  // index + 1 into out; 0 = empty
  out.clear();
  size_t mask = 63;
  slots.assign(mask + 1, 0);
  const char* prev = nullptr;  // the word before: repeated words skip the hashing
  size_t prev_len = 0;
  for_each_word(s, n, [&](const char* w, size_t len) {
    if (len == prev_len && prev && std::memcmp(w, prev, len) == 0) return;
    prev = w;
    prev_len = len;
    const Tok t{hash_bytes(w, len), w, len};
    size_t i = static_cast<size_t>(t.hash) & mask;
    while (slots[i] != 0) {
      if (tok_eq(out[slots[i] - 1], t)) return;
      i = (i + 1) & mask;
    }
    out.push_back(t);
    slots[i] = static_cast<uint32_t>(out.size());
    if (out.size() * 2 > mask) {  // keep the load under one half
      mask = mask * 2 + 1;
      slots.assign(mask + 1, 0);
      for (size_t k = 0; k < out.size(); ++k) {
        size_t j = static_cast<size_t>(out[k].hash) & mask;
        while (slots[j] != 0) j = (j + 1) & mask;
        slots[j] = static_cast<uint32_t>(k + 1);
      }
    }
  });
  std::sort(out.begin(), out.end(), tok_less);
  // A worker keeps its table for the next call, but not one grown for a huge text.
  if (slots.size() > (size_t{1} << 20)) std::vector<uint32_t>().swap(slots);
}

// The text, folded into buf when flags asks for it.
const char* maybe_folded(const char* s, size_t* n, uint32_t flags, std::string& buf) {
  if (!(flags & kCaseFold)) return s;
  buf.clear();
  fold_utf8(s, *n, buf);
  *n = buf.size();
  return buf.data();
}

size_t rstrip_space(const unsigned char* s, size_t begin, size_t end) {
  while (end > begin) {
    unsigned char b = s[end - 1];
    if (b < 0x80) {
      if (!utf8::is_space(b)) break;
      --end;
      continue;
    }
    // The last character starts at the last byte that is not a continuation.
    size_t start = end - 1;
    while (start > begin && (s[start] & 0xC0) == 0x80) --start;
    if (utf8::space_at(s + start, end - start) != end - start) break;
    end = start;
  }
  return end;
}

bool is_fence(const unsigned char* s, size_t begin, size_t end) {
  end = rstrip_space(s, begin, end);
  return end - begin == 3 && s[begin] == '-' && s[begin + 1] == '-' && s[begin + 2] == '-';
}

size_t line_end(const unsigned char* s, size_t from, size_t n) {
  const void* nl = std::memchr(s + from, '\n', n - from);
  return nl ? static_cast<size_t>(static_cast<const unsigned char*>(nl) - s) : n;
}

}  // namespace

bool metric_valid(int32_t metric) noexcept { return metric >= 0 && metric <= 5; }

bool metric_from_name(const char* name, size_t len, Metric* out) noexcept {
  static const char* const kNames[] = {"jaccard",     "cosine",
                                       "overlap",     "levenshtein",
                                       "levenshtein_normalized", "jaro_winkler"};
  for (int i = 0; i < 6; ++i) {
    if (std::strlen(kNames[i]) == len && std::memcmp(kNames[i], name, len) == 0) {
      *out = static_cast<Metric>(i);
      return true;
    }
  }
  return false;
}

uint32_t fold(uint32_t cp) noexcept {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp < kFoldTable[0][0] || cp > kFoldTable[HOTPATH_CASEFOLD_COUNT - 1][0]) return cp;
  size_t lo = 0, hi = HOTPATH_CASEFOLD_COUNT;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kFoldTable[mid][0] < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (lo < HOTPATH_CASEFOLD_COUNT && kFoldTable[lo][0] == cp) ? kFoldTable[lo][1] : cp;
}

size_t fold_bound(size_t n) noexcept {
  // Only two-byte characters can grow (to three bytes): at most n / 2 extra.
  return n > std::numeric_limits<size_t>::max() / 3 * 2 ? std::numeric_limits<size_t>::max()
                                                        : n + n / 2;
}

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// The 8 bytes of w lowered, when none of them is above 0x7F: a byte gets 0x20
// when it is in 'A'..'Z' (the two additions cannot carry into the next byte).
inline uint64_t lower_ascii8(uint64_t w) noexcept {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  const uint64_t ge_a = w + kOnes * (0x80 - 'A');
  const uint64_t gt_z = w + kOnes * (0x80 - 'Z' - 1);
  return w | ((ge_a & ~gt_z & kHighBits) >> 2);
}

inline size_t utf8_len(uint32_t cp) noexcept {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

bool all_ascii(const char* s, size_t n) noexcept {
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    any |= w;
  }
  for (; i < n; ++i) any |= static_cast<unsigned char>(s[i]);
  return (any & kHighBits) == 0;
}

// Bytes of valid UTF-8 s[0, n) once folded.
size_t folded_size(const char* str, size_t n) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0, size = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      ++i;
      ++size;
      continue;
    }
    uint32_t cp;
    const size_t len = utf8::seq_len(s[i]);
    utf8::decode(str + i, len, &cp);
    size += utf8_len(fold(cp));
    i += len;
  }
  return size;
}

}  // namespace

size_t fold_into(const char* str, size_t n, char* o) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0, at = 0;
  while (i < n) {
    // ASCII runs, 8 bytes at a time.
    for (; i + 8 <= n; i += 8, at += 8) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & kHighBits) break;
      w = lower_ascii8(w);
      std::memcpy(o + at, &w, 8);
    }
    if (i >= n) break;
    unsigned char b = s[i];
    if (b < 0x80) {
      o[at++] = static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b);
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len = utf8::seq_len(b);
    utf8::decode(str + i, len, &cp);
    at += utf8::encode(fold(cp), o + at);
    i += len;
  }
  return at;
}

void fold_utf8(const char* str, size_t n, std::string& out) {
  size_t at = out.size();
  out.resize(at + fold_bound(n));
  at += fold_into(str, n, &out[at]);
  out.resize(at);
}

uint64_t hash_bytes(const char* p, size_t n) noexcept {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

WordCounts word_counts(const char* a, size_t a_len, const char* b, size_t b_len,
                       uint32_t flags) {
  thread_local std::string fa, fb;
  thread_local std::vector<Tok> ta, tb;
  a = maybe_folded(a, &a_len, flags, fa);
  b = maybe_folded(b, &b_len, flags, fb);
  word_set(a, a_len, ta);
  word_set(b, b_len, tb);
  size_t both = 0, i = 0, j = 0;
  while (i < ta.size() && j < tb.size()) {
    if (tok_less(ta[i], tb[j]))
      ++i;
    else if (tok_less(tb[j], ta[i]))
      ++j;
    else {
      ++both;
      ++i;
      ++j;
    }
  }
  return {ta.size(), tb.size(), both};
}

double word_metric(Metric m, const WordCounts& c) noexcept {
  if (c.a == 0 || c.b == 0) return (c.a == 0 && c.b == 0) ? 1.0 : 0.0;
  const double both = static_cast<double>(c.both);
  switch (m) {
    case Metric::Jaccard:
      return both / static_cast<double>(c.a + c.b - c.both);
    case Metric::Cosine:
      return both / std::sqrt(static_cast<double>(c.a) * static_cast<double>(c.b));
    default:
      return both / static_cast<double>(std::min(c.a, c.b));
  }
}

uint64_t levenshtein(const uint32_t* a, size_t m, const uint32_t* b, size_t n,
                     uint64_t cutoff) {
  while (m > 0 && n > 0 && *a == *b) {
    ++a;
    ++b;
    --m;
    --n;
  }
  while (m > 0 && n > 0 && a[m - 1] == b[n - 1]) {
    --m;
    --n;
  }
  if (m > n) {
    std::swap(a, b);
    std::swap(m, n);
  }
  if (m == 0) return n <= cutoff ? n : cutoff + 1;
  thread_local Pattern pat;
  pat.build(a, m);
  return lev_with(pat, b, n, cutoff);
}

double levenshtein_normalized(uint64_t distance, size_t m, size_t n) noexcept {
  const size_t longest = std::max(m, n);
  if (longest == 0) return 1.0;
  return 1.0 - static_cast<double>(distance) / static_cast<double>(longest);
}

double jaro_winkler(const uint32_t* a, size_t m, const uint32_t* b, size_t n,
                    double prefix_weight) {
  if (m == 0 || n == 0) return (m == 0 && n == 0) ? 1.0 : 0.0;
  Scratch<uint32_t, 1024> scratch;
  const size_t shorter = std::min(m, n);
  uint32_t* idx = scratch.get(shorter);
  double j = m <= n ? jaro_core(a, m, b, n, idx) : jaro_core(b, n, a, m, idx);
  size_t p = 0;
  while (p < shorter && p < 4 && a[p] == b[p]) ++p;
  j += (1.0 - j) * static_cast<double>(p) * prefix_weight;
  return j > 1.0 ? 1.0 : j;
}

const uint32_t* code_points(const char* s, size_t n, uint32_t flags, int slot, size_t* count) {
  thread_local std::vector<uint32_t> bufs[2];
  std::vector<uint32_t>& buf = bufs[slot & 1];
  if (buf.size() < n) buf.resize(n);
  size_t k = utf8::decode(s, n, buf.data());
  if (flags & kCaseFold)
    for (size_t i = 0; i < k; ++i) buf[i] = fold(buf[i]);
  *count = k;
  return buf.data();
}

void summarize(const char* str, size_t n, uint32_t lines, uint64_t max_chars, uint32_t flags,
               size_t* offset, size_t* length) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t pos = 0;
  if ((flags & kSkipFrontMatter) && n > 0) {
    size_t e = line_end(s, 0, n);
    if (is_fence(s, 0, e)) {
      size_t p = e + 1;
      while (p <= n) {
        size_t le = p < n ? line_end(s, p, n) : n;
        if (p < n && is_fence(s, p, le)) {
          pos = le < n ? le + 1 : n;
          break;
        }
        if (le >= n) break;  // unclosed: not front matter
        p = le + 1;
      }
    }
  }
  // First character that is not white space.
  while (pos < n) {
    size_t w = utf8::space_at(s + pos, n - pos);
    if (!w) break;
    pos += w;
  }
  *offset = pos;
  *length = 0;
  if (lines == 0 || max_chars == 0 || pos >= n) return;
  size_t end = pos;
  for (uint32_t k = 0; k < lines; ++k) {
    end = line_end(s, end, n);
    if (end >= n || k + 1 == lines) break;
    ++end;  // past the '\n' to the next line
  }
  end = rstrip_space(s, pos, end);
  size_t chars = 0, p = pos;
  while (p < end && chars < max_chars) {
    p += utf8::seq_len(s[p]);
    ++chars;
  }
  if (p < end) p = rstrip_space(s, pos, p);  // a cut may end on white space
  *length = p - pos;
}

// --- corpus -------------------------------------------------------------------------

namespace {

// Corpus creation runs over ranges of texts on the pool once the texts are
// this large (below it, waking workers costs more than the copy or the fold),
// in ranges of about kRangeBytes.  Every output byte depends on its text
// only, so the result does not depend on the ranges or the thread count.
constexpr size_t kParallelBytes = size_t(1) << 18;
constexpr size_t kRangeBytes = size_t(1) << 16;

template <class F>
void for_text_ranges(size_t n, size_t bytes, F& body) {
  const size_t grain =
      bytes < kParallelBytes ? n : std::max<size_t>(1, n / std::max<size_t>(1, bytes / kRangeBytes));
  ThreadPool::instance().parallel_for(n, grain, body);
}

}  // namespace

Corpus::Corpus(const char* data, const size_t* offsets, size_t n, uint32_t flags)
    : n_(n), flags_(flags) {
  byte_off_.resize(n + 1);
  byte_off_[0] = 0;
  const size_t base = n ? offsets[0] : 0;
  const size_t total = n ? offsets[n] - base : 0;
  if (flags & kCaseFold) {
    // Folded sizes first (an ASCII range keeps its sizes), then each range is
    // folded in one stream: the texts are contiguous and split on character
    // boundaries, so folding them together folds each one.
    auto sizes = [&](size_t b, size_t e) {
      if (all_ascii(data + offsets[b], offsets[e] - offsets[b])) {
        for (size_t i = b; i < e; ++i) byte_off_[i + 1] = offsets[i + 1] - offsets[i];
      } else {
        for (size_t i = b; i < e; ++i)
          byte_off_[i + 1] = folded_size(data + offsets[i], offsets[i + 1] - offsets[i]);
      }
    };
    for_text_ranges(n, total, sizes);
    for (size_t i = 0; i < n; ++i) byte_off_[i + 1] += byte_off_[i];
    bytes_size_ = byte_off_[n];
    bytes_.reset(new char[bytes_size_ + 1]);
    auto folds = [&](size_t b, size_t e) {
      fold_into(data + offsets[b], offsets[e] - offsets[b], bytes_.get() + byte_off_[b]);
    };
    for_text_ranges(n, total, folds);
  } else {
    bytes_size_ = total;
    bytes_.reset(new char[bytes_size_ + 1]);
    auto copies = [&](size_t b, size_t e) {
      if (offsets[e] > offsets[b])
        std::memcpy(bytes_.get() + (offsets[b] - base), data + offsets[b], offsets[e] - offsets[b]);
      for (size_t i = b; i < e; ++i) byte_off_[i + 1] = offsets[i + 1] - base;
    };
    for_text_ranges(n, total, copies);
  }
  bytes_[bytes_size_] = '\0';
  text_ = bytes_.get();
}

Corpus::Corpus(const char* data, std::vector<size_t>&& starts, size_t n, uint32_t flags,
               bool borrow)
    : n_(n), flags_(flags), gap_(1) {
  if (n == 0) {
    byte_off_.assign(1, 0);
    bytes_.reset(new char[1]);
    bytes_[0] = '\0';
    text_ = bytes_.get();
    gap_ = 0;
    return;
  }
  const size_t len = starts[n] - 1;
  if (flags & kCaseFold) {
    // The separators stay: sizes per text plus one, then each range of texts
    // folded in one stream, its separators with it (one ASCII byte each).
    byte_off_.resize(n + 1);
    byte_off_[0] = 0;
    auto sizes = [&](size_t b, size_t e) {
      if (all_ascii(data + starts[b], starts[e] - 1 - starts[b])) {
        for (size_t i = b; i < e; ++i) byte_off_[i + 1] = starts[i + 1] - starts[i];
      } else {
        for (size_t i = b; i < e; ++i)
          byte_off_[i + 1] = folded_size(data + starts[i], starts[i + 1] - 1 - starts[i]) + 1;
      }
    };
    for_text_ranges(n, len, sizes);
    for (size_t i = 0; i < n; ++i) byte_off_[i + 1] += byte_off_[i];
    bytes_size_ = byte_off_[n] - 1;
    bytes_.reset(new char[bytes_size_ + 1]);
    auto folds = [&](size_t b, size_t e) {
      fold_into(data + starts[b], starts[e] - 1 - starts[b], bytes_.get() + byte_off_[b]);
    };
    for_text_ranges(n, len, folds);
    bytes_[bytes_size_] = '\0';
    text_ = bytes_.get();
  } else if (borrow) {
    byte_off_ = std::move(starts);
    bytes_size_ = len;
    text_ = len ? data : "";  // data may be NULL when every text is empty
  } else {
    byte_off_ = std::move(starts);
    bytes_size_ = len;
    bytes_.reset(new char[len + 1]);
    auto copies = [&](size_t b, size_t e) {  // texts [b, e) with their separators
      const size_t end = std::min(byte_off_[e], len);
      if (end > byte_off_[b])
        std::memcpy(bytes_.get() + byte_off_[b], data + byte_off_[b], end - byte_off_[b]);
    };
    for_text_ranges(n, len, copies);
    bytes_[len] = '\0';
    text_ = bytes_.get();
  }
}

void Corpus::prepare_cps() const {
  std::call_once(cps_once_, [this] {
    // Counts first (the bytes that do not continue a sequence), then each
    // range decoded into its place, both on the pool for large corpora: the
    // decoded array is four times the text, and its first touch costs.
    cp_off_.resize(n_ + 1);
    cp_off_[0] = 0;
    auto counts = [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) {
        const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes(i));
        size_t k = 0;
        for (size_t j = 0, len = byte_len(i); j < len; ++j) k += (p[j] & 0xC0) != 0x80;
        cp_off_[i + 1] = k;
      }
    };
    for_text_ranges(n_, bytes_size_, counts);
    for (size_t i = 0; i < n_; ++i) cp_off_[i + 1] += cp_off_[i];
    cps_count_ = cp_off_[n_];
    cps_.reset(new uint32_t[cps_count_ ? cps_count_ : 1]);
    auto decodes = [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) utf8::decode(bytes(i), byte_len(i), cps_.get() + cp_off_[i]);
    };
    for_text_ranges(n_, bytes_size_, decodes);
  });
}

uint32_t Corpus::find_word(const char* w, size_t len, uint64_t hash) const noexcept {
  if (slots_.empty()) return UINT32_MAX;
  const size_t mask = slots_.size() - 1;
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    uint32_t v = slots_[s];
    if (v == 0) return UINT32_MAX;
    const Word& d = dict_[v - 1];
    if (d.hash == hash && d.len == len && std::memcmp(text_ + d.offset, w, len) == 0)
      return v - 1;
  }
}

uint32_t Corpus::intern(const char* w, size_t len, uint64_t hash) {
  if ((dict_.size() + 1) * 2 > slots_.size()) {
    std::vector<uint32_t> bigger(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    const size_t mask = bigger.size() - 1;
    for (uint32_t id = 0; id < dict_.size(); ++id) {
      size_t s = dict_[id].hash & mask;
      while (bigger[s]) s = (s + 1) & mask;
      bigger[s] = id + 1;
    }
    slots_.swap(bigger);
  }
  const size_t mask = slots_.size() - 1;
  size_t s = hash & mask;
  for (;; s = (s + 1) & mask) {
    uint32_t v = slots_[s];
    if (v == 0) break;
    const Word& d = dict_[v - 1];
    if (d.hash == hash && d.len == len && std::memcmp(text_ + d.offset, w, len) == 0)
      return v - 1;
  }
  if (dict_.size() >= UINT32_MAX - 1) throw Error(HOTPATH_EOVERFLOW, "too many distinct words");
  dict_.push_back({hash, static_cast<size_t>(w - text_), static_cast<uint32_t>(len)});
  slots_[s] = static_cast<uint32_t>(dict_.size());
  return static_cast<uint32_t>(dict_.size() - 1);
}

void Corpus::prepare_words() const {
  std::call_once(words_once_, [this] {
    auto* self = const_cast<Corpus*>(this);
    id_off_.resize(n_ + 1);
    seq_off_.resize(n_ + 1);
    std::vector<uint32_t> seen;  // id -> last text that had it + 1
    for (size_t i = 0; i < n_; ++i) {
      id_off_[i] = ids_.size();
      seq_off_[i] = seq_.size();
      const uint32_t stamp = static_cast<uint32_t>(i + 1);
      for_each_word(bytes(i), byte_len(i), [&](const char* w, size_t len) {
        const uint32_t id = self->intern(w, len, hash_bytes(w, len));
        seq_.push_back(id);
        if (id >= seen.size()) seen.resize(id + 1, 0);
        if (seen[id] != stamp) {
          seen[id] = stamp;
          ids_.push_back(id);
        }
      });
    }
    id_off_[n_] = ids_.size();
    seq_off_[n_] = seq_.size();
    ids_.shrink_to_fit();
    seq_.shrink_to_fit();
  });
}

namespace {

// The query against a corpus: everything derived from it once per call.
struct Query {
  Metric metric;
  double param;
  uint64_t cutoff = kNoCutoff;  // distances only
  // word metrics
  size_t words = 0;
  const uint64_t* bits = nullptr;
  // character metrics
  const uint32_t* cps = nullptr;
  size_t len = 0;
  const Pattern* pattern = nullptr;
};

void prepare_query(const char* q, size_t q_len, const Corpus& c, Query& query) {
  thread_local std::string folded;
  thread_local std::vector<uint64_t> bits;
  thread_local std::vector<uint32_t> known;
  thread_local std::vector<Tok> unknown;
  thread_local Pattern pattern;
  if (is_word_metric(query.metric)) {
    c.prepare_words();
    q = maybe_folded(q, &q_len, c.flags(), folded);
    known.clear();
    unknown.clear();
    for_each_word(q, q_len, [&](const char* w, size_t len) {
      uint64_t h = hash_bytes(w, len);
      uint32_t id = c.find_word(w, len, h);
      if (id != UINT32_MAX)
        known.push_back(id);
      else
        unknown.push_back({h, w, len});
    });
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    std::sort(unknown.begin(), unknown.end(), tok_less);
    unknown.erase(std::unique(unknown.begin(), unknown.end(), tok_eq), unknown.end());
    query.words = known.size() + unknown.size();
    bits.assign(c.vocabulary() / 64 + 1, 0);
    for (uint32_t id : known) bits[id / 64] |= 1ull << (id % 64);
    query.bits = bits.data();
  } else {
    c.prepare_cps();
    query.cps = code_points(q, q_len, c.flags(), 0, &query.len);
    if (query.metric != Metric::JaroWinkler && query.len > 0) {
      pattern.build(query.cps, query.len);
      query.pattern = &pattern;
    }
  }
}

double score_one(const Query& q, const Corpus& c, size_t i) {
  switch (q.metric) {
    case Metric::Jaccard:
    case Metric::Cosine:
    case Metric::Overlap: {
      const uint32_t* ids = c.word_ids(i);
      const size_t k = c.word_count(i);
      size_t both = 0;
      for (size_t t = 0; t < k; ++t) both += (q.bits[ids[t] / 64] >> (ids[t] % 64)) & 1;
      return word_metric(q.metric, {q.words, k, both});
    }
    case Metric::Levenshtein:
    case Metric::LevenshteinNormalized: {
      const size_t n = c.cp_len(i);
      uint64_t d = q.pattern ? lev_with(*q.pattern, c.cps(i), n, q.cutoff)
                             : (n <= q.cutoff ? n : q.cutoff + 1);
      if (q.metric == Metric::Levenshtein) return static_cast<double>(d);
      return levenshtein_normalized(d, q.len, n);
    }
    default:
      return jaro_winkler(q.cps, q.len, c.cps(i), c.cp_len(i), q.param);
  }
}

// Items per chunk of pool work: enough for ~50,000 cost units (word
// lookups or 64-bit steps, about a nanosecond each), so that a chunk
// outweighs handing it to a worker.
size_t grain_for(double units_per_item) {
  return static_cast<size_t>(5e4 / (units_per_item + 1.0)) + 1;
}

double units_per_text(const Query& q, const Corpus& c) {
  const double n = static_cast<double>(c.size()) + 1.0;
  if (is_word_metric(q.metric)) return static_cast<double>(c.total_words()) / n;
  const double len = static_cast<double>(c.total_cps()) / n;
  const double qlen = static_cast<double>(q.len);
  if (q.metric == Metric::JaroWinkler) return (len + qlen) * (std::min(len, qlen) / 8.0 + 1.0);
  return len * (qlen / 64.0 + 1.0);
}

// Edit distances of a long pattern (two blocks or more) to every text, kLanes
// texts at a time.  Texts are grouped by length (through `order`) so that the
// lanes of a group finish together.
void lev_all_lanes(const Query& q, const Corpus& c, double* out) {
  const size_t n = c.size();
  thread_local std::vector<uint32_t> sorted;
  sorted.resize(n);
  for (size_t i = 0; i < n; ++i) sorted[i] = static_cast<uint32_t>(i);
  std::sort(sorted.begin(), sorted.end(), [&](uint32_t x, uint32_t y) {
    return c.cp_len(x) != c.cp_len(y) ? c.cp_len(x) < c.cp_len(y) : x < y;
  });
  // The workers must read this thread's vector, not their own thread_local.
  const uint32_t* order = sorted.data();
  const size_t groups = (n + kLanes - 1) / kLanes;
  const Pattern& pat = *q.pattern;
  const size_t grain = grain_for(units_per_text(q, c) * kLanes / 3.0);
  auto body = [&](size_t gb, size_t ge) {
    Scratch<LaneVec, 2 * kStackBlocks> scratch;
    LaneVec* vecs = scratch.get(2 * pat.blocks());
    const uint32_t* texts[kLanes];
    size_t lens[kLanes];
    uint64_t dist[kLanes];
    for (size_t g = gb; g < ge; ++g) {
      int used = 0;
      for (int k = 0; k < kLanes; ++k) {
        const size_t at = g * kLanes + static_cast<size_t>(k);
        if (at < n) {
          texts[k] = c.cps(order[at]);
          lens[k] = c.cp_len(order[at]);
          used = k + 1;
        } else {
          texts[k] = nullptr;
          lens[k] = 0;
        }
      }
      lev_lanes(pat, texts, lens, dist, vecs, vecs + pat.blocks());
      for (int k = 0; k < used; ++k) {
        const uint32_t i = order[g * kLanes + static_cast<size_t>(k)];
        out[i] = q.metric == Metric::Levenshtein
                     ? static_cast<double>(dist[k])
                     : levenshtein_normalized(dist[k], q.len, lens[k]);
      }
    }
  };
  ThreadPool::instance().parallel_for(groups, grain, body);
}

void score_all(const Query& q, const Corpus& c, double* out) {
  const size_t n = c.size();
  if (q.pattern && q.pattern->blocks() >= 2 && q.cutoff == kNoCutoff && n >= kLanes) {
    lev_all_lanes(q, c, out);
    return;
  }
  const size_t grain = grain_for(units_per_text(q, c));
  auto body = [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) out[i] = score_one(q, c, i);
  };
  ThreadPool::instance().parallel_for(n, grain, body);
}

}  // namespace

void one_to_many(const char* q, size_t q_len, const Corpus& corpus, Metric metric, double param,
                 double* out) {
  Query query{metric, param};
  prepare_query(q, q_len, corpus, query);
  score_all(query, corpus, out);
}

size_t extract(const char* q, size_t q_len, const Corpus& corpus, Metric metric, double param,
               double score_cutoff, size_t limit, uint64_t* out_indices, double* out_scores) {
  const size_t n = corpus.size();
  if (limit == 0 || n == 0) return 0;
  const bool distance = metric == Metric::Levenshtein;
  const bool has_cutoff = !std::isnan(score_cutoff);
  Query query{metric, param};
  if (distance && has_cutoff) {
    if (score_cutoff < 0) return 0;
    query.cutoff = score_cutoff >= 1.8e19 ? kNoCutoff
                                          : static_cast<uint64_t>(std::floor(score_cutoff));
  }
  prepare_query(q, q_len, corpus, query);
  thread_local std::vector<double> scores;
  thread_local std::vector<uint64_t> order;
  scores.resize(n);
  score_all(query, corpus, scores.data());
  order.clear();
  for (size_t i = 0; i < n; ++i) {
    const double s = scores[i];
    if (has_cutoff && !(distance ? s <= score_cutoff : s >= score_cutoff)) continue;
    order.push_back(i);
  }
  const size_t k = std::min(limit, order.size());
  const double* sc = scores.data();
  auto better = [sc, distance](uint64_t x, uint64_t y) {
    if (sc[x] != sc[y]) return distance ? sc[x] < sc[y] : sc[x] > sc[y];
    return x < y;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    better);
  for (size_t i = 0; i < k; ++i) {
    out_indices[i] = order[i];
    out_scores[i] = scores[order[i]];
  }
  return k;
}

void matrix(const Corpus& c, Metric metric, double param, double* out) {
  const size_t n = c.size();
  if (n == 0) return;
  const double diag = metric == Metric::Levenshtein ? 0.0 : 1.0;
  if (is_word_metric(metric))
    c.prepare_words();
  else
    c.prepare_cps();
  const size_t words = is_word_metric(metric) ? c.vocabulary() / 64 + 1 : 0;
  // Row i costs n - 1 - i pairs: pairing row k with row n - 1 - k gives every
  // work item the same cost, so the pool's chunks stay balanced.
  auto row = [&](size_t i, uint64_t* bits, Pattern* pat) {
    out[i * n + i] = diag;
    if (bits) {
      const uint32_t* ids = c.word_ids(i);
      const size_t k = c.word_count(i);
      for (size_t t = 0; t < k; ++t) bits[ids[t] / 64] |= 1ull << (ids[t] % 64);
      for (size_t j = i + 1; j < n; ++j) {
        const uint32_t* jd = c.word_ids(j);
        const size_t kj = c.word_count(j);
        size_t both = 0;
        for (size_t t = 0; t < kj; ++t) both += (bits[jd[t] / 64] >> (jd[t] % 64)) & 1;
        const double v = word_metric(metric, {k, kj, both});
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
      for (size_t t = 0; t < k; ++t) bits[ids[t] / 64] = 0;
      return;
    }
    const uint32_t* a = c.cps(i);
    const size_t m = c.cp_len(i);
    if (pat && m > 0) pat->build(a, m);
    for (size_t j = i + 1; j < n; ++j) {
      double v;
      if (metric == Metric::JaroWinkler) {
        v = jaro_winkler(a, m, c.cps(j), c.cp_len(j), param);
      } else {
        const size_t nj = c.cp_len(j);
        uint64_t d = m > 0 ? lev_with(*pat, c.cps(j), nj, kNoCutoff) : nj;
        v = metric == Metric::Levenshtein ? static_cast<double>(d)
                                          : levenshtein_normalized(d, m, nj);
      }
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  };
  auto body = [&](size_t b, size_t e) {
    Scratch<uint64_t, 4096> bit_scratch;
    uint64_t* bits = nullptr;
    if (words) {
      bits = bit_scratch.get(words);
      std::fill(bits, bits + words, 0ull);
    }
    std::unique_ptr<Pattern> pat;
    if (!words && metric != Metric::JaroWinkler) pat.reset(new Pattern);
    for (size_t k = b; k < e; ++k) {
      row(k, bits, pat.get());
      if (n - 1 - k != k) row(n - 1 - k, bits, pat.get());
    }
  };
  // Small matrices run on the caller (one chunk): handing work to the pool
  // costs more than some hundred short pairs.
  double per_pair;
  if (words) {
    per_pair = static_cast<double>(c.total_words()) / static_cast<double>(n) + 1.0;
  } else {
    const double len = static_cast<double>(c.total_cps()) / static_cast<double>(n) + 1.0;
    per_pair = metric == Metric::JaroWinkler ? len * len / 8.0 : len * (len / 64.0 + 1.0);
  }
  // Each item is two rows: n - 1 pairs.
  const size_t items = (n + 1) / 2;
  const size_t grain = grain_for(per_pair * static_cast<double>(n - 1));
  ThreadPool::instance().parallel_for(items, grain, body);
}

}  // namespace text
}  // namespace hotpath
