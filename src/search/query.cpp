// Query parsing and exact top-k retrieval: block-max WAND (OR) and a
// block-max conjunction (AND) over the posting blocks of each segment, one
// heap shared by the segments.  docs/search.md defines what is computed.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/error.hpp"
#include "common/utf8.hpp"
#include "search/format.hpp"
#include "search/index.hpp"

namespace hotpath {
namespace search {

namespace {

constexpr uint32_t kEnd = 0xFFFFFFFFu;
constexpr size_t kMaxExpansions = 128;
// Bounds are compared with a margin so that rounding in a different order of
// summation never prunes a document that belongs in the top k.
constexpr double kMargin = 1.0 + 1e-9;

struct Clause {
  std::string field;  // "" default
  bool phrase = false, exclude = false;
  std::vector<std::string> tokens;
  std::vector<uint32_t> rel;  // relative positions
};

inline double bm25(double idf, double tf, double dl, double avgdl) {
  return idf * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * dl / avgdl));
}

inline double idf_of(uint64_t n, uint64_t df) {
  return std::log(1 + (double(n) - double(df) + 0.5) / (double(df) + 0.5));
}

bool ident_start(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool ident_char(unsigned char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

template <class Known>
std::vector<Clause> parse(std::string_view q, Analyzer& an, Known known) {
  std::vector<Clause> out;
  const auto* s = reinterpret_cast<const unsigned char*>(q.data());
  const size_t n = q.size();
  size_t i = 0;
  auto space = [&](size_t at) { return at < n ? utf8::space_at(s + at, n - at) : size_t(0); };
  while (i < n) {
    if (size_t k = space(i)) {
      i += k;
      continue;
    }
    Clause c;
    if (s[i] == '-') {
      c.exclude = true;
      ++i;
      if (i == n || space(i)) continue;  // a lone '-'
    }
    if (ident_start(s[i])) {
      size_t j = i + 1;
      while (j < n && ident_char(s[j])) ++j;
      if (j + 1 < n && s[j] == ':' && !space(j + 1)) {
        std::string name(q.substr(i, j - i));
        if (known(name)) {
          c.field = name;
          i = j + 1;
        }
      }
    }
    std::string_view text;
    if (s[i] == '"') {
      const void* close = std::memchr(s + i + 1, '"', n - i - 1);
      size_t e = close ? size_t(static_cast<const unsigned char*>(close) - s) : n;
      text = q.substr(i + 1, e - i - 1);
      c.phrase = true;
      i = e < n ? e + 1 : n;
    } else {
      size_t e = i;
      while (e < n && !space(e)) e += utf8::seq_len(s[e]);
      if (e > n) e = n;
      text = q.substr(i, e - i);
      i = e;
    }
    an.analyze(text.data(), text.size(), 0);
    const auto& toks = an.tokens();
    if (toks.empty()) continue;
    uint32_t base = toks[0].position;
    for (const Token& t : toks) {
      c.tokens.emplace_back(an.tokens_text(), t.begin, t.end - t.begin);
      c.rel.push_back(t.position - base);
    }
    c.phrase = c.tokens.size() > 1;
    bool dup = false;
    for (const Clause& o : out)
      dup |= o.field == c.field && o.phrase == c.phrase && o.exclude == c.exclude &&
             o.tokens == c.tokens && o.rel == c.rel;
    if (!dup) out.push_back(std::move(c));
  }
  return out;
}

// --- postings ---------------------------------------------------------------

class Cursor {
 public:
  void init(const Segment* seg, uint32_t term, uint32_t field) {
    seg_ = seg;
    field_ = field;
    df_ = seg->df(term);
    seg->term_data(term, &data_, &end_);
    nblocks_ = (df_ + kBlock - 1) / kBlock;
    if (size_t(end_ - data_) < 4 + size_t(nblocks_) * kBlockHeader) seg->corrupt("a posting list is truncated");
    pos_start_ = load_u32(data_);
    if (pos_start_ < 4 + size_t(nblocks_) * kBlockHeader || pos_start_ > size_t(end_ - data_))
      seg->corrupt("a posting list is malformed");
    blk_ = kEnd;
    shallow_ = 0;
    doc = 0;
    load(0);
  }
  BlockHeader header(uint32_t b) const {
    const uint8_t* h = data_ + 4 + kBlockHeader * size_t(b);
    uint32_t fb = load_u32(h + 20);
    float f;
    std::memcpy(&f, &fb, 4);
    if (!(f >= 0.0f && f <= 1.0f)) f = 1.0f;  // corrupt: the loosest bound
    return BlockHeader{load_u32(h), load_u32(h + 4), load_u32(h + 8), load_u32(h + 12),
                       load_u32(h + 16), f};
  }
  uint32_t nblocks() const { return nblocks_; }
  uint32_t tf() const { return tfs_[i_]; }
  void next() {
    ensure();
    if (++i_ < n_) {
      doc = docs_[i_];
      return;
    }
    if (blk_ + 1 < nblocks_) load(blk_ + 1);
    else doc = kEnd;
  }
  // Moves to the first document >= target.  A move past the decoded block
  // only finds the block from the headers: doc is then target, a lower bound
  // of the real document, until ensure() decodes the block.
  void advance(uint32_t target) {
    if (doc >= target) return;
    if (target > last_) {
      uint32_t b = (exact_ ? blk_ : lazy_) + 1;
      if (!exact_ && header(lazy_).last_doc >= target) b = lazy_;
      while (b < nblocks_ && header(b).last_doc < target) ++b;
      if (b >= nblocks_) {
        doc = kEnd;
        exact_ = true;
        return;
      }
      lazy_ = b;
      exact_ = false;
      doc = target;
      return;
    }
    ensure();
    while (docs_[i_] < target) ++i_;
    doc = docs_[i_];
  }
  bool exact() const { return exact_; }
  // Direct block access, for scoring blocks out of document order.
  void load_block(uint32_t b) { load(b); }
  uint32_t block_size() const { return n_; }
  uint32_t doc_at(uint32_t k) const { return docs_[k]; }
  uint32_t tf_at(uint32_t k) const { return tfs_[k]; }
  void ensure() {
    if (exact_) return;
    uint32_t target = doc;
    load(lazy_);
    while (docs_[i_] < target) ++i_;
    doc = docs_[i_];
  }
  // The block that holds target or the first document after it (kEnd: none).
  uint32_t block_for(uint32_t target) {
    uint32_t b = std::max(shallow_, exact_ ? (blk_ == kEnd ? 0u : blk_) : lazy_);
    while (b < nblocks_ && header(b).last_doc < target) ++b;
    shallow_ = b;
    return b < nblocks_ ? b : kEnd;
  }
  // Positions of the current document.  Reading forward within a block goes
  // on from where the last read stopped.
  void positions(std::vector<uint32_t>& out) {
    ensure();
    out.clear();
    const uint8_t* e = end_;
    if (pblk_ != blk_ || pidx_ > i_) {
      pblk_ = blk_;
      pidx_ = 0;
      ppos_ = pbase_;
    }
    const uint8_t* p = ppos_;
    for (; pidx_ < i_; ++pidx_) {
      uint32_t cnt;
      p = get_varint(p, e, &cnt);
      if (!p || cnt > size_t(e - p)) seg_->corrupt("bad positions");
      for (uint32_t m = 0; m < cnt; ++m) {
        uint32_t v;
        p = get_varint(p, e, &v);
        if (!p) seg_->corrupt("bad positions");
      }
    }
    ppos_ = p;
    uint32_t cnt;
    p = get_varint(p, e, &cnt);
    if (!p || cnt > size_t(e - p)) seg_->corrupt("bad positions");
    uint32_t pos = 0;
    for (uint32_t m = 0; m < cnt; ++m) {
      uint32_t v;
      p = get_varint(p, e, &v);
      if (!p) seg_->corrupt("bad positions");
      pos += v;
      out.push_back(pos);
    }
  }
  uint32_t doc = kEnd;

 private:
  void load(uint32_t b) {
    BlockHeader h = header(b);
    const uint8_t* dstart = data_ + 4 + kBlockHeader * size_t(nblocks_);
    const uint8_t* dend = data_ + pos_start_;
    const uint8_t* p = dstart + h.doc_off;
    if (h.doc_off > size_t(dend - dstart) || h.pos_off > size_t(end_ - dend))
      seg_->corrupt("bad block offsets");
    n_ = (b + 1 == nblocks_) ? df_ - b * kBlock : kBlock;
    int64_t prev = b ? int64_t(header(b - 1).last_doc) : -1;
    for (uint32_t k = 0; k < n_; ++k) {
      uint32_t delta, tf;
      p = p ? get_varint(p, dend, &delta) : nullptr;
      p = p ? get_varint(p, dend, &tf) : nullptr;
      if (!p) seg_->corrupt("a posting block is truncated");
      int64_t d = prev + 1 + int64_t(delta);
      if (d >= int64_t(seg_->doc_count()) || tf == 0) seg_->corrupt("bad posting");
      docs_[k] = uint32_t(d);
      tfs_[k] = tf;
      prev = d;
    }
    if (docs_[n_ - 1] != h.last_doc) seg_->corrupt("a block's last document disagrees");
    blk_ = b;
    last_ = h.last_doc;
    exact_ = true;
    i_ = 0;
    doc = docs_[0];
    pbase_ = dend + h.pos_off;
  }
  const Segment* seg_ = nullptr;
  uint32_t field_ = 0, df_ = 0, nblocks_ = 0, pos_start_ = 0;
  const uint8_t* data_ = nullptr;
  const uint8_t* end_ = nullptr;
  const uint8_t* pbase_ = nullptr;
  uint32_t blk_ = kEnd, shallow_ = 0, last_ = 0, n_ = 0, i_ = 0, lazy_ = 0;
  bool exact_ = true;
  uint32_t pblk_ = kEnd, pidx_ = 0;
  const uint8_t* ppos_ = nullptr;
  uint32_t docs_[kBlock], tfs_[kBlock];
};

struct FieldCtx {
  uint32_t fid;
  double avgdl;
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  uint32_t doc = kEnd;
  double ub = 0;
  virtual void advance(uint32_t target) = 0;
  virtual void next() = 0;
  virtual double score() = 0;
  // False while doc is only a lower bound (a block found but not decoded).
  virtual bool exact() const { return true; }
  virtual void ensure() {}
  // A bound on the score of the documents from target to *block_end.
  virtual double block_bound(uint32_t target, uint32_t* block_end) = 0;
};

class TermScorer : public Scorer {
 public:
  TermScorer(const Segment* seg, uint32_t term, FieldCtx f, double idf) : seg_(seg), f_(f), idf_(idf) {
    cur.init(seg, term, f.fid);
    // Bounds of f = tf / (tf + k1 * (1 - b + b * dl / A')) from the blocks'
    // max_f, scaled from the segment's mean length to the index's.
    scale_ = std::max(1.0, f_.avgdl / seg->mean_length(f.fid)) * (1 + 1e-12);
    for (uint32_t b = 0; b < cur.nblocks(); ++b) {
      BlockHeader h = cur.header(b);
      max_f = std::max(max_f, double(h.max_f) * scale_);
    }
    ub = idf_ * (kK1 + 1) * max_f;
    doc = cur.doc;
  }
  void advance(uint32_t t) override {
    cur.advance(t);
    doc = cur.doc;
  }
  void next() override {
    cur.next();
    doc = cur.doc;
  }
  bool exact() const override { return cur.exact(); }
  void ensure() override {
    cur.ensure();
    doc = cur.doc;
  }
  double score() override {
    return bm25(idf_, double(cur.tf()), double(seg_->length(f_.fid, doc)), f_.avgdl);
  }
  // The bound of f over the block holding target (0 past the end).
  double block_f(uint32_t target, uint32_t* block_end) {
    uint32_t b = cur.block_for(target);
    if (b == kEnd) {
      *block_end = kEnd;
      return 0;
    }
    BlockHeader h = cur.header(b);
    *block_end = h.last_doc;
    return double(h.max_f) * scale_;
  }
  double block_bound(uint32_t target, uint32_t* block_end) override {
    return idf_ * (kK1 + 1) * block_f(target, block_end);
  }
  // Scores the blocks from the largest bound down, stopping at the first
  // that cannot enter top: a single-term query reaches its k-th score after
  // a few blocks.  Leaves the cursor unusable for anything else.
  template <class TopT>
  void score_best_blocks(TopT& top, const Deletions* del, uint32_t si) {
    std::vector<std::pair<double, uint32_t>> blocks(cur.nblocks());
    for (uint32_t b = 0; b < cur.nblocks(); ++b)
      blocks[b] = {idf_ * (kK1 + 1) * double(cur.header(b).max_f) * scale_, b};
    std::sort(blocks.begin(), blocks.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (const auto& blk : blocks) {
      if (!top.can_enter(blk.first)) break;
      cur.load_block(blk.second);
      for (uint32_t k = 0; k < cur.block_size(); ++k) {
        uint32_t d = cur.doc_at(k);
        if (del && del->has(d)) continue;
        double score = bm25(idf_, double(cur.tf_at(k)), double(seg_->length(f_.fid, d)), f_.avgdl);
        top.offer(Hit{0.0 + score, seg_->seq(d), si, d});
      }
    }
    doc = kEnd;
  }
  Cursor cur;
  double max_f = 0;

 private:
  const Segment* seg_;
  FieldCtx f_;
  double idf_;
  double scale_ = 1;
};

class PhraseScorer : public Scorer {
 public:
  PhraseScorer(const Segment* seg, std::vector<std::unique_ptr<TermScorer>> terms,
               std::vector<uint32_t> rel, FieldCtx f, double idf)
      : seg_(seg), terms_(std::move(terms)), rel_(std::move(rel)), f_(f), idf_(idf) {
    // A phrase occurs at most as often as each of its tokens: its f is at
    // most every token's.
    double mf = 1;
    for (auto& t : terms_) mf = std::min(mf, t->max_f);
    ub = terms_.empty() ? 0 : idf_ * (kK1 + 1) * mf;
    find(0);
  }
  void advance(uint32_t t) override {
    if (doc != kEnd && doc >= t) return;
    find(t);
  }
  void next() override { find(doc + 1); }
  // When the phrase is the query's only positive clause, documents whose
  // block bound cannot reach *threshold are skipped before their positions
  // are read.
  void prune_with(const double* threshold) { threshold_ = threshold; }
  double score() override {
    return bm25(idf_, double(tf_), double(seg_->length(f_.fid, doc)), f_.avgdl);
  }
  double block_bound(uint32_t target, uint32_t* block_end) override {
    uint32_t e = kEnd;
    double mf = 1;
    for (auto& t : terms_) {
      uint32_t te;
      mf = std::min(mf, t->block_f(target, &te));
      e = std::min(e, te);
    }
    *block_end = e;
    return e == kEnd ? 0 : idf_ * (kK1 + 1) * mf;
  }

 private:
  void find(uint32_t d) {
    for (;;) {
      bool moved = true;
      while (moved) {
        moved = false;
        for (auto& t : terms_) {
          t->advance(d);
          t->ensure();
          if (t->doc == kEnd) {
            doc = kEnd;
            return;
          }
          if (t->doc > d) {
            d = t->doc;
            moved = true;
          }
        }
      }
      if (threshold_ && *threshold_ > 0) {
        uint32_t e;
        double bound = block_bound(d, &e);
        if (bound * kMargin < *threshold_) {
          if (e == kEnd) {
            doc = kEnd;
            return;
          }
          d = std::max(d + 1, e + 1);
          continue;
        }
      }
      tf_ = occurrences(d);
      if (tf_) {
        doc = d;
        return;
      }
      ++d;
    }
  }
  uint32_t occurrences(uint32_t d) {
    pos_.resize(terms_.size());
    for (size_t i = 0; i < terms_.size(); ++i) terms_[i]->cur.positions(pos_[i]);
    const uint32_t title = f_.fid == 0 ? seg_->title_span(d) : 0;
    uint32_t count = 0;
    std::vector<size_t>& at = at_;
    at.assign(terms_.size(), 0);
    for (uint32_t p0 : pos_[0]) {
      if (p0 < rel_[0]) continue;
      uint32_t start = p0 - rel_[0];
      bool all = true;
      for (size_t i = 1; i < terms_.size() && all; ++i) {
        uint64_t want = uint64_t(start) + rel_[i];
        auto& v = pos_[i];
        size_t& k = at[i];
        while (k < v.size() && v[k] < want) ++k;
        all = k < v.size() && v[k] == want;
      }
      // Title and text are separate streams: no occurrence spans both.
      if (all && f_.fid == 0 && start < title && uint64_t(start) + rel_.back() >= title) all = false;
      if (all) count += (f_.fid == 0 && start < title) ? 2 : 1;
    }
    return count;
  }
  const Segment* seg_;
  std::vector<std::unique_ptr<TermScorer>> terms_;
  std::vector<uint32_t> rel_;
  FieldCtx f_;
  double idf_;
  uint32_t tf_ = 0;
  const double* threshold_ = nullptr;
  std::vector<std::vector<uint32_t>> pos_;
  std::vector<size_t> at_;
};

class UnionScorer : public Scorer {
 public:
  explicit UnionScorer(std::vector<std::unique_ptr<TermScorer>> kids) : kids_(std::move(kids)) {
    for (auto& k : kids_) ub = std::max(ub, k->ub);
    settle();
  }
  void advance(uint32_t t) override {
    for (auto& k : kids_)
      if (k->doc < t) k->advance(t);
    settle();
  }
  void next() override {
    ensure();
    advance(doc + 1);
  }
  bool exact() const override {
    for (auto& k : kids_)
      if (k->doc == doc && !k->exact()) return false;
    return true;
  }
  void ensure() override {
    for (auto& k : kids_)
      if (k->doc == doc) k->ensure();
    settle();
  }
  double score() override {
    double best = 0;
    bool any = false;
    for (auto& k : kids_)
      if (k->doc == doc) {
        double s = k->score();
        if (!any || s > best) best = s;
        any = true;
      }
    return best;
  }
  double block_bound(uint32_t target, uint32_t* block_end) override {
    double b = 0;
    uint32_t e = kEnd;
    for (auto& k : kids_) {
      uint32_t ke;
      b = std::max(b, k->block_bound(target, &ke));
      e = std::min(e, ke);
    }
    *block_end = e;
    return b;
  }

 private:
  void settle() {
    doc = kEnd;
    for (auto& k : kids_) doc = std::min(doc, k->doc);
  }
  std::vector<std::unique_ptr<TermScorer>> kids_;
};

// --- the top-k heap -------------------------------------------------------

struct Top {
  size_t k;
  std::vector<Hit>& heap;  // worst first
  static bool better(const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.seq < b.seq;
  }
  double threshold = 0;  // the k-th best score once the heap is full
  bool full() const { return heap.size() >= k; }
  bool can_enter(double bound) const { return !full() || bound * kMargin >= heap.front().score; }
  void offer(const Hit& h) {
    auto cmp = [](const Hit& a, const Hit& b) { return better(a, b); };
    if (!full()) {
      heap.push_back(h);
      std::push_heap(heap.begin(), heap.end(), cmp);
    } else if (better(h, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), cmp);
      heap.back() = h;
      std::push_heap(heap.begin(), heap.end(), cmp);
    }
    if (full()) threshold = heap.front().score;
  }
};

// --- per-query plan ------------------------------------------------------

struct TermPlan {
  std::string token;
  double idf;
};

struct ClausePlan {
  const Clause* clause;
  bool usable = true;  // false: matches nothing (unknown field, absent term)
  std::vector<TermPlan> terms;  // term: the expansions; phrase: its tokens
  double phrase_idf = 0;
  double avgdl = 0;
};

uint32_t lev_bounded(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, uint32_t max) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  std::vector<uint32_t> row(m + 1), next(m + 1);
  for (size_t j = 0; j <= m; ++j) row[j] = uint32_t(j);
  for (size_t i = 1; i <= n; ++i) {
    next[0] = uint32_t(i);
    uint32_t best = next[0];
    for (size_t j = 1; j <= m; ++j) {
      uint32_t c = row[j - 1] + (a[i - 1] != b[j - 1]);
      c = std::min(c, row[j] + 1);
      c = std::min(c, next[j - 1] + 1);
      next[j] = c;
      best = std::min(best, c);
    }
    if (best > max) return max + 1;
    row.swap(next);
  }
  return row[m];
}

std::vector<uint32_t> cps_of(std::string_view s) {
  std::vector<uint32_t> out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* e = p + s.size();
  while (p < e) {
    uint32_t c = *p;
    size_t l = utf8::seq_len(*p);
    if (l == 2) c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    else if (l == 3) c = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    else if (l == 4) c = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    out.push_back(c);
    p += l;
  }
  return out;
}

std::vector<std::string> expansions(const Snapshot& snap, const std::string& field,
                                    const std::string& q, const QueryOptions& qo) {
  std::unordered_set<std::string> found;
  found.insert(q);
  auto qc = cps_of(q);
  for (const auto& ref : snap.segments) {
    const Segment& seg = *ref.seg;
    int fid = seg.field_id(field);
    if (fid < 0) continue;
    std::string lo(1, char(fid)), hi(1, char(fid + 1));
    uint32_t a, b;
    if (qo.fuzzy == 0) {
      lo += q;
      a = seg.lower_bound(lo);
      b = seg.term_count();
    } else {
      a = seg.lower_bound(lo);
      b = seg.lower_bound(hi);
    }
    for (uint32_t t = a; t < b; ++t) {
      std::string_view k = seg.key(t);
      if (uint8_t(k[0]) != uint32_t(fid)) break;
      std::string_view tok = k.substr(1);
      bool ok = qo.prefix && tok.size() >= q.size() && tok.compare(0, q.size(), q) == 0;
      if (!ok && qo.fuzzy == 0) break;  // past the prefix range
      if (!ok && qo.fuzzy) ok = lev_bounded(qc, cps_of(tok), qo.fuzzy) <= qo.fuzzy;
      if (ok) found.emplace(tok);
    }
  }
  std::vector<std::pair<uint64_t, std::string>> live;
  for (const auto& t : found) {
    uint64_t df = snap.df(field, t);
    if (df) live.emplace_back(df, t);
  }
  std::sort(live.begin(), live.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  if (live.size() > kMaxExpansions) live.resize(kMaxExpansions);
  std::vector<std::string> out;
  for (auto& p : live) out.push_back(std::move(p.second));
  return out;
}

std::unique_ptr<TermScorer> term_scorer(const Segment& seg, uint32_t fid, const std::string& token,
                                        double idf, double avgdl) {
  std::string key(1, char(fid));
  key += token;
  int64_t t = seg.find(key);
  if (t < 0) return nullptr;
  return std::make_unique<TermScorer>(&seg, uint32_t(t), FieldCtx{fid, avgdl}, idf);
}

// A scorer of the clause over one segment, or null when it matches nothing there.
std::unique_ptr<Scorer> clause_scorer(const Segment& seg, const ClausePlan& cp) {
  if (!cp.usable) return nullptr;
  int fid = seg.field_id(cp.clause->field);
  if (fid < 0) return nullptr;
  if (cp.clause->phrase) {
    std::vector<std::unique_ptr<TermScorer>> ts;
    std::vector<uint32_t> rel;
    // One cursor per (token, relative position).
    for (size_t i = 0; i < cp.clause->tokens.size(); ++i) {
      auto s = term_scorer(seg, uint32_t(fid), cp.clause->tokens[i], 0, cp.avgdl);
      if (!s) return nullptr;
      ts.push_back(std::move(s));
      rel.push_back(cp.clause->rel[i]);
    }
    auto p = std::make_unique<PhraseScorer>(&seg, std::move(ts), std::move(rel),
                                            FieldCtx{uint32_t(fid), cp.avgdl}, cp.phrase_idf);
    if (p->doc == kEnd) return nullptr;
    return p;
  }
  std::vector<std::unique_ptr<TermScorer>> kids;
  for (const auto& tp : cp.terms) {
    auto s = term_scorer(seg, uint32_t(fid), tp.token, tp.idf, cp.avgdl);
    if (s && s->doc != kEnd) kids.push_back(std::move(s));
  }
  if (kids.empty()) return nullptr;
  if (kids.size() == 1) return std::move(kids[0]);
  return std::make_unique<UnionScorer>(std::move(kids));
}

}  // namespace

struct QueryScratch {
  std::unique_ptr<Analyzer> an;
  std::vector<Hit> heap;
  Analyzer& analyzer(const AnalyzerOptions& o) {
    if (!an || !(an->options() == o)) an = std::make_unique<Analyzer>(o);
    return *an;
  }
};

QueryScratch* new_query_scratch() { return new QueryScratch(); }
void delete_query_scratch(QueryScratch* s) { delete s; }

namespace {

std::vector<Clause> parse_for(const Snapshot& snap, Analyzer& an, std::string_view query) {
  return parse(query, an, [&](const std::string& name) {
    if (name == "title") return true;
    auto it = snap.fields.find(name);
    return !name.empty() && it != snap.fields.end() && it->second.docs > 0;
  });
}

}  // namespace

std::string describe_query(const Snapshot& snap, const AnalyzerOptions& options,
                           std::string_view query) {
  Analyzer an(options);
  std::string out;
  for (const Clause& c : parse_for(snap, an, query)) {
    out += c.exclude ? "-" : "+";
    out += c.phrase ? "phrase " : "term ";
    out += c.field.empty() ? "*" : c.field;
    for (size_t i = 0; i < c.tokens.size(); ++i) {
      out += " " + std::to_string(c.rel[i]) + ":" + c.tokens[i];
    }
    out += "\n";
  }
  return out;
}

void run_query(const Snapshot& snap, const AnalyzerOptions& options, std::string_view query,
               const QueryOptions& qo, QueryScratch& scratch, std::vector<Hit>& hits) {
  hits.clear();
  if (qo.limit == 0 || qo.offset >= snap.live) return;
  Analyzer& an = scratch.analyzer(options);
  std::vector<Clause> clauses = parse_for(snap, an, query);
  std::vector<ClausePlan> pos, neg;
  for (const Clause& c : clauses) {
    ClausePlan cp;
    cp.clause = &c;
    auto fit = snap.fields.find(c.field);
    if (fit == snap.fields.end() || fit->second.docs == 0) {
      cp.usable = false;
    } else {
      const uint64_t nf = fit->second.docs;
      cp.avgdl = double(fit->second.len) / double(nf);
      if (c.phrase) {
        for (const auto& t : c.tokens) {
          uint64_t df = snap.df(c.field, t);
          if (!df) cp.usable = false;
          cp.phrase_idf += df ? idf_of(nf, df) : 0;
        }
      } else if (!c.exclude && (qo.fuzzy || qo.prefix)) {
        for (auto& t : expansions(snap, c.field, c.tokens[0], qo))
          cp.terms.push_back(TermPlan{t, idf_of(nf, snap.df(c.field, t))});
        cp.usable = !cp.terms.empty();
      } else {
        uint64_t df = snap.df(c.field, c.tokens[0]);
        if (df) cp.terms.push_back(TermPlan{c.tokens[0], idf_of(nf, df)});
        cp.usable = df > 0;
      }
    }
    (c.exclude ? neg : pos).push_back(std::move(cp));
  }
  if (pos.empty()) return;
  if (qo.mode_and)
    for (const auto& cp : pos)
      if (!cp.usable) return;

  const uint64_t k64 = std::min<uint64_t>(snap.live, qo.offset + std::min(qo.limit, snap.live));
  Top top{size_t(k64), scratch.heap};
  scratch.heap.clear();

  for (uint32_t si = 0; si < snap.segments.size(); ++si) {
    const SegmentRef& ref = snap.segments[si];
    const Segment& seg = *ref.seg;
    const Deletions* del = ref.del.get();
    std::vector<std::unique_ptr<Scorer>> owned(pos.size());
    std::vector<Scorer*> order;  // clause order, null when absent here
    bool missing = false;
    for (size_t c = 0; c < pos.size(); ++c) {
      owned[c] = clause_scorer(seg, pos[c]);
      if (!owned[c]) missing = true;
      else order.push_back(owned[c].get());
    }
    if (order.empty() || (qo.mode_and && missing)) continue;
    if (pos.size() == 1 && pos[0].clause->phrase)
      static_cast<PhraseScorer*>(order[0])->prune_with(&top.threshold);
    if (pos.size() == 1 && neg.empty() && !pos[0].clause->phrase) {
      if (auto* ts = dynamic_cast<TermScorer*>(order[0])) {
        ts->score_best_blocks(top, del, si);
        continue;
      }
    }
    std::vector<std::unique_ptr<Scorer>> excl;
    for (const auto& cp : neg)
      if (auto s = clause_scorer(seg, cp)) excl.push_back(std::move(s));
    std::vector<Scorer*> clause_order;
    for (auto& o : owned) clause_order.push_back(o.get());

    auto evaluate = [&](uint32_t d) {
      if (del && del->has(d)) return;
      for (auto& x : excl) {
        if (x->doc < d) x->advance(d);
        if (x->doc == d) x->ensure();
        if (x->doc == d) return;
      }
      double score = 0;
      for (Scorer* s : clause_order)
        if (s && s->doc == d) score += s->score();
      top.offer(Hit{score, seg.seq(d), si, d});
    };

    if (qo.mode_and) {
      uint32_t d = 0;
      for (;;) {
        if (top.full()) {
          double bsum = 0;
          uint32_t bend = kEnd;
          for (Scorer* s : order) {
            uint32_t e;
            bsum += s->block_bound(d, &e);
            bend = std::min(bend, e);
          }
          if (bend == kEnd) break;
          if (!top.can_enter(bsum)) {
            d = bend + 1;
            continue;
          }
        }
        bool moved = false, done = false;
        for (Scorer* s : order) {
          if (s->doc < d) s->advance(d);
          s->ensure();
          if (s->doc == kEnd) {
            done = true;
            break;
          }
          if (s->doc > d) {
            d = s->doc;
            moved = true;
          }
        }
        if (done) break;
        if (moved) continue;
        evaluate(d);
        if (d == kEnd - 1) break;
        ++d;
      }
      continue;
    }

    std::vector<Scorer*> sc = order;
    for (;;) {
      std::sort(sc.begin(), sc.end(), [](Scorer* a, Scorer* b) { return a->doc < b->doc; });
      while (!sc.empty() && sc.back()->doc == kEnd) sc.pop_back();
      if (sc.empty()) break;
      double acc = 0;
      size_t p = sc.size();
      for (size_t i = 0; i < sc.size(); ++i) {
        acc += sc[i]->ub;
        if (top.can_enter(acc)) {
          p = i;
          break;
        }
      }
      if (p == sc.size()) break;
      const uint32_t d = sc[p]->doc;
      while (p + 1 < sc.size() && sc[p + 1]->doc == d) ++p;
      if (top.full()) {
        double bsum = 0;
        uint32_t bend = kEnd;
        for (size_t i = 0; i <= p; ++i) {
          uint32_t e;
          bsum += sc[i]->block_bound(d, &e);
          bend = std::min(bend, e);
        }
        if (!top.can_enter(bsum)) {
          uint32_t nxt = bend == kEnd ? kEnd : bend + 1;
          if (p + 1 < sc.size()) nxt = std::min(nxt, sc[p + 1]->doc);
          for (size_t i = 0; i <= p; ++i)
            if (sc[i]->doc < nxt) sc[i]->advance(nxt);
          continue;
        }
      }
      if (sc[0]->doc == d) {
        bool moved = false;
        for (size_t i = 0; i <= p; ++i) {
          sc[i]->ensure();
          moved |= sc[i]->doc != d;
        }
        if (moved) continue;  // a lower bound was not a document
        evaluate(d);
        for (size_t i = 0; i <= p; ++i) sc[i]->next();
      } else {
        for (size_t i = 0; i < p; ++i)
          if (sc[i]->doc < d) sc[i]->advance(d);
      }
    }
  }
  auto cmp = [](const Hit& a, const Hit& b) { return Top::better(a, b); };
  std::sort(scratch.heap.begin(), scratch.heap.end(), cmp);
  for (size_t i = size_t(qo.offset); i < scratch.heap.size(); ++i) hits.push_back(scratch.heap[i]);
}

}  // namespace search
}  // namespace hotpath
