// Memory-folder kernels (see memory.hpp and docs/memory.md).
#include "memory/memory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common/error.hpp"
#include "common/read_fd.hpp"
#include "common/thread_pool.hpp"
#include "common/utf8.hpp"

namespace hotpath {
namespace memory {

namespace {

// The smallest overlap |x n y| that a pair whose larger set has s words can
// have and still pass the threshold t.  The comparison the twin makes is
// fl(o / u) > t (or >=); fl(o / u) >= t implies o >= t (1 - 2^-53) u, and
// t - 1e-9 stays below that for every t in [0, 1], so the bound is safe for
// both comparisons.  At least 1: two non-empty sets without a common word
// have Jaccard 0, which passes only "0 >= 0" (handled apart).
size_t min_overlap(double t, size_t s) {
  const double lo = (t - 1e-9) * static_cast<double>(s);
  if (lo <= 1.0) return 1;
  return static_cast<size_t>(std::ceil(lo));
}

// The least overlap of a passing pair of two sets of size s: for |x| >= |y|,
// o >= t/(1+t) (|x| + |y|) >= 2t/(1+t) |y| (same safety margin as above).
size_t min_overlap_equal(double t, size_t s) {
  const double tl = t - 1e-9;
  const double lo = tl <= 0.0 ? 0.0 : 2.0 * tl / (1.0 + tl) * static_cast<double>(s);
  if (lo <= 1.0) return 1;
  return static_cast<size_t>(std::ceil(lo));
}

// The least overlap of a passing pair of sizes sx and sy: o >= t u =
// t (sx + sy - o) gives o >= t/(1+t) (sx + sy).  The margin of 1e-9 on t is
// far above the rounding of this expression, so the bound stays safe.
size_t pair_overlap(double t, size_t sx, size_t sy) {
  const double tl = t - 1e-9;
  const double lo = tl <= 0.0 ? 0.0 : tl / (1.0 + tl) * static_cast<double>(sx + sy);
  if (lo <= 1.0) return 1;
  return static_cast<size_t>(std::ceil(lo));
}

struct Posting {
  uint32_t pos;    // text position in the size order
  uint32_t place;  // index of the rank within that text's sorted ranks
};

bool passes(size_t o, size_t u, double t, bool strict) {
  const double j = static_cast<double>(o) / static_cast<double>(u);
  return strict ? j > t : j >= t;
}

// |a n b| of two sorted rank arrays, or SIZE_MAX as soon as the overlap
// cannot reach `need` any more (most candidates stop after a few words).
size_t intersect_count(const uint32_t* a, size_t na, const uint32_t* b, size_t nb, size_t need) {
  size_t i = 0, j = 0, o = 0;
  while (i < na && j < nb) {
    if (o + std::min(na - i, nb - j) < need) return SIZE_MAX;
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++o;
      ++i;
      ++j;
    }
  }
  return o;
}

}  // namespace

uint64_t similar_pairs(const text::Corpus& corpus, double t, bool strict, std::vector<Pair>* out) {
  const size_t n = corpus.size();
  if (out) out->clear();
  if (n < 2) return 0;
  corpus.prepare_words();

  // Non-strict 0: every pair passes (Jaccard is never below 0).
  if (!strict && t <= 0.0) {
    const uint64_t all = static_cast<uint64_t>(n) * (n - 1) / 2;
    if (out) {
      out->reserve(all);
      for (size_t a = 0; a < n; ++a)
        for (size_t b = a + 1; b < n; ++b)
          out->push_back({static_cast<uint32_t>(a), static_cast<uint32_t>(b)});
    }
    return all;
  }

  // Word ranks: rarest first (document frequency ascending, ties by id).
  const size_t vocab = corpus.vocabulary();
  std::vector<uint32_t> df(vocab, 0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t* ids = corpus.word_ids(i);
    for (size_t k = 0, m = corpus.word_count(i); k < m; ++k) ++df[ids[k]];
  }
  std::vector<uint32_t> by_rank(vocab);
  std::iota(by_rank.begin(), by_rank.end(), 0u);
  std::sort(by_rank.begin(), by_rank.end(), [&](uint32_t a, uint32_t b) {
    return df[a] != df[b] ? df[a] < df[b] : a < b;
  });
  std::vector<uint32_t> rank(vocab);
  for (uint32_t r = 0; r < vocab; ++r) rank[by_rank[r]] = r;
  std::vector<uint32_t>().swap(by_rank);

  // Non-empty texts ordered by (size, index); empty ones counted apart.
  std::vector<uint32_t> order;
  std::vector<uint32_t> empties;
  order.reserve(n);
  for (size_t i = 0; i < n; ++i)
    (corpus.word_count(i) ? order : empties).push_back(static_cast<uint32_t>(i));
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return corpus.word_count(a) < corpus.word_count(b);
  });
  const size_t m = order.size();
  std::vector<size_t> size(m), tok_off(m + 1, 0);
  for (size_t p = 0; p < m; ++p) {
    size[p] = corpus.word_count(order[p]);
    tok_off[p + 1] = tok_off[p] + size[p];
  }
  // Each text's words as sorted ranks.
  std::vector<uint32_t> toks(tok_off[m]);
  {
    auto fill = [&](size_t b, size_t e) {
      for (size_t p = b; p < e; ++p) {
        const uint32_t* ids = corpus.word_ids(order[p]);
        uint32_t* dst = toks.data() + tok_off[p];
        for (size_t k = 0; k < size[p]; ++k) dst[k] = rank[ids[k]];
        std::sort(dst, dst + size[p]);
      }
    };
    ThreadPool::instance().parallel_for(m, 256, fill);
  }
  std::vector<uint32_t>().swap(rank);

  // Inverted index: postings[r] lists, by position, the texts whose index
  // prefix holds rank r, with the rank's place in that text.  A text is only
  // probed by texts at least as large, which need an overlap of at least
  // 2t/(1+t) of its size, so its index prefix is shorter than its probe
  // prefix (AllPairs/PPJoin).
  std::vector<size_t> probe_len(m), index_len(m);
  std::vector<size_t> post_off(vocab + 1, 0);
  for (size_t p = 0; p < m; ++p) {
    probe_len[p] = size[p] - min_overlap(t, size[p]) + 1;
    index_len[p] = size[p] - min_overlap_equal(t, size[p]) + 1;
    for (size_t k = 0; k < index_len[p]; ++k) ++post_off[toks[tok_off[p] + k] + 1];
  }
  for (size_t r = 0; r < vocab; ++r) post_off[r + 1] += post_off[r];
  std::vector<Posting> postings(post_off[vocab]);
  {
    std::vector<size_t> fillpos(post_off.begin(), post_off.end() - 1);
    for (size_t p = 0; p < m; ++p)
      for (size_t k = 0; k < index_len[p]; ++k)
        postings[fillpos[toks[tok_off[p] + k]]++] = {static_cast<uint32_t>(p),
                                                    static_cast<uint32_t>(k)};
  }

  // Probe: text x (position px) against indexed texts earlier in the order
  // (never larger) with at least min_overlap words.  Each candidate keeps the
  // overlap found so far in the prefixes; the positional filter drops it as
  // soon as that overlap plus the words left on either side cannot reach the
  // pair's least overlap.  The survivors are verified exactly.
  std::vector<uint64_t> counts(m, 0);
  std::vector<std::vector<uint32_t>> partners(out ? m : 0);
  auto probe = [&](size_t b, size_t e) {
    std::vector<uint32_t> stamp(m, UINT32_MAX);
    std::vector<int64_t> found(m, 0);
    std::vector<uint32_t> cand;
    for (size_t px = b; px < e; ++px) {
      const size_t sx = size[px];
      const size_t need = min_overlap(t, sx);
      // First position whose size reaches `need` (sizes ascend with position).
      const size_t lo =
          static_cast<size_t>(std::lower_bound(size.begin(), size.begin() + px, need) -
                              size.begin());
      if (lo >= px) continue;
      cand.clear();
      const uint32_t* xt = toks.data() + tok_off[px];
      for (size_t i = 0; i < probe_len[px]; ++i) {
        const uint32_t r = xt[i];
        const Posting* pb = postings.data() + post_off[r];
        const Posting* pe = postings.data() + post_off[r + 1];
        const Posting* from = std::lower_bound(
            pb, pe, static_cast<uint32_t>(lo),
            [](const Posting& a, uint32_t v) { return a.pos < v; });
        for (const Posting* q = from; q < pe && q->pos < px; ++q) {
          const uint32_t py = q->pos;
          if (stamp[py] != px) {
            stamp[py] = static_cast<uint32_t>(px);
            found[py] = 0;
            cand.push_back(py);
          } else if (found[py] < 0) {
            continue;
          }
          const size_t sy = size[py];
          const size_t left = std::min(sx - i - 1, sy - q->place - 1);
          if (static_cast<size_t>(found[py]) + 1 + left >= pair_overlap(t, sx, sy))
            ++found[py];
          else
            found[py] = -1;
        }
      }
      uint64_t c = 0;
      for (uint32_t py : cand) {
        if (found[py] <= 0) continue;
        const size_t sy = size[py];
        const size_t o =
            intersect_count(xt, sx, toks.data() + tok_off[py], sy, pair_overlap(t, sx, sy));
        if (o != SIZE_MAX && o && passes(o, sx + sy - o, t, strict)) {
          ++c;
          if (out) partners[px].push_back(order[py]);
        }
      }
      counts[px] = c;
    }
  };
  ThreadPool::instance().parallel_for(m, 64, probe);

  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  // Empty texts: Jaccard 1.0 with each other, 0.0 with any other text (which
  // passes no threshold left here: t > 0, or t = 0 with a strict comparison).
  const bool empties_pass = strict ? 1.0 > t : true;
  const uint64_t ne = empties.size();
  if (empties_pass) total += ne * (ne ? ne - 1 : 0) / 2;

  if (out) {
    out->reserve(total);
    for (size_t px = 0; px < m; ++px) {
      const uint32_t a = order[px];
      for (uint32_t b : partners[px]) out->push_back(a < b ? Pair{a, b} : Pair{b, a});
    }
    if (empties_pass)
      for (size_t i = 0; i < empties.size(); ++i)
        for (size_t j = i + 1; j < empties.size(); ++j) out->push_back({empties[i], empties[j]});
    std::sort(out->begin(), out->end(),
              [](const Pair& x, const Pair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }
  return total;
}

// --- scan ------------------------------------------------------------------------------

namespace {

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

struct Entry {
  std::string name;
  bool regular = false;
  bool counted = false;  // regular file: counts in total_files
  bool old = false;
  bool text_ok = false;  // content read and valid UTF-8
  std::string content;
  std::string error;
};

bool read_all(const std::string& path, std::string& out, int* err) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  out.clear();
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  const bool ok = read_to_end(fd, out, err);
  ::close(fd);
  return ok;
}

}  // namespace

void scan(const std::string& dir, double threshold_days, double similarity, double now,
          ScanResult& result) {
  result = ScanResult();
  std::vector<Entry> entries;
  {
    DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
    if (!d) {
      const int err = errno;
      throw Error::io(err, dir.c_str(), "cannot list the folder: %s", std::strerror(err));
    }
    while (struct dirent* de = ::readdir(d)) {
      const size_t len = std::strlen(de->d_name);
      if (len < 3 || std::memcmp(de->d_name + len - 3, ".md", 3) != 0) continue;
      Entry e;
      e.name.assign(de->d_name, len);
      entries.push_back(std::move(e));
    }
    ::closedir(d);
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });

  auto work = [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      Entry& en = entries[i];
      const std::string path = join_path(dir, en.name);
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) {
        en.error = std::string("cannot stat: ") + std::strerror(errno);
        continue;
      }
      if (!S_ISREG(st.st_mode)) {
        en.error = "not a regular file";
        continue;
      }
      en.counted = true;
      const double mtime =
          static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
      if (mtime > now) {
        en.error = "modification time in the future";
      } else {
        const double age = std::floor((now - mtime) / 86400.0);
        en.old = age > threshold_days;
      }
      int err = 0;
      if (!read_all(path, en.content, &err)) {
        if (en.error.empty()) en.error = std::string("cannot read: ") + std::strerror(err);
        en.content.clear();
        continue;
      }
      if (utf8::validate(en.content.data(), en.content.size()) != utf8::kValid) {
        if (en.error.empty()) en.error = "not valid UTF-8";
        std::string().swap(en.content);
        continue;
      }
      en.text_ok = true;
    }
  };
  ThreadPool::instance().parallel_for(entries.size(), 16, work);

  std::string data;
  std::vector<size_t> offsets{0};
  size_t bytes = 0;
  for (const Entry& e : entries)
    if (e.text_ok) bytes += e.content.size();
  data.reserve(bytes);
  for (Entry& e : entries) {
    if (e.counted) ++result.total_files;
    if (e.old) ++result.old_memories;
    if (!e.error.empty()) result.errors.push_back({join_path(dir, e.name), e.error});
    if (e.text_ok) {
      data += e.content;
      offsets.push_back(data.size());
      std::string().swap(e.content);
    }
  }
  std::vector<Entry>().swap(entries);
  text::Corpus corpus(data.data(), offsets.data(), offsets.size() - 1, 0);
  std::string().swap(data);
  result.duplicates = similar_pairs(corpus, similarity, true, nullptr);
}

// --- hexagrams and thread counts -------------------------------------------------------

int32_t hexagram_number(const uint8_t* lines) noexcept {
  int32_t v = 0;
  for (int i = 0; i < 6; ++i) v = v * 2 + lines[i];
  return v + 1;
}

bool hexagram_balanced(const uint8_t* lines) noexcept {
  int yang = 0;
  for (int i = 0; i < 6; ++i) yang += lines[i];
  return yang == 3;
}

uint32_t threading_tier(uint64_t task_count) noexcept {
  if (task_count < 10) return 8;
  if (task_count < 50) return 16;
  if (task_count < 100) return 32;
  if (task_count < 200) return 64;
  if (task_count < 400) return 128;
  return 256;
}

uint32_t recommend_threads(uint64_t work_items, double seconds_per_item, uint32_t cores) noexcept {
  const double total = static_cast<double>(work_items) * seconds_per_item;
  double by_work = std::floor(total / kMinSecondsPerThread);
  uint64_t k = cores ? cores : 1;
  if (work_items < k) k = work_items;
  if (by_work < static_cast<double>(k)) k = static_cast<uint64_t>(by_work);
  return k < 1 ? 1u : static_cast<uint32_t>(k);
}

}  // namespace memory
}  // namespace hotpath
