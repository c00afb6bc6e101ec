// Text similarity: the C++ core of hotpath/text.h.
//
// Functions here take validated UTF-8 (the C API validates and reports the
// offset of bad bytes); definitions are in include/hotpath/text.h and
// docs/text.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hotpath {
namespace text {

enum class Metric : int32_t {
  Jaccard = 0,
  Cosine = 1,
  Overlap = 2,
  Levenshtein = 3,
  LevenshteinNormalized = 4,
  JaroWinkler = 5,
};
constexpr uint32_t kCaseFold = 1u;
constexpr uint32_t kSkipFrontMatter = 2u;
constexpr double kDefaultPrefixWeight = 0.1;
constexpr uint64_t kNoCutoff = UINT64_MAX;

bool metric_valid(int32_t metric) noexcept;
bool metric_from_name(const char* name, size_t len, Metric* out) noexcept;
inline bool is_word_metric(Metric m) noexcept {
  return m == Metric::Jaccard || m == Metric::Cosine || m == Metric::Overlap;
}

// Simple case folding of one code point, and of a UTF-8 text (appended to out).
uint32_t fold(uint32_t cp) noexcept;
void fold_utf8(const char* s, size_t n, std::string& out);
size_t fold_bound(size_t n) noexcept;
// Folds s[0, n) into out (room for fold_bound(n) bytes); returns the bytes written.
size_t fold_into(const char* s, size_t n, char* out) noexcept;

// Word-set sizes: |A|, |B| and |A n B|, and the metric computed from them.
struct WordCounts {
  size_t a, b, both;
};
WordCounts word_counts(const char* a, size_t a_len, const char* b, size_t b_len, uint32_t flags);
double word_metric(Metric m, const WordCounts& c) noexcept;

// Edit distance between code point arrays, min(d, cutoff + 1).
uint64_t levenshtein(const uint32_t* a, size_t m, const uint32_t* b, size_t n, uint64_t cutoff);
double levenshtein_normalized(uint64_t distance, size_t m, size_t n) noexcept;
double jaro_winkler(const uint32_t* a, size_t m, const uint32_t* b, size_t n,
                    double prefix_weight);

// Code points of a UTF-8 text (folded when flags has kCaseFold), in a
// per-thread buffer that is reused by the next call with the same slot.
const uint32_t* code_points(const char* s, size_t n, uint32_t flags, int slot, size_t* count);

// Summary as a byte range of the text (see hotpath_text_summarize).
void summarize(const char* s, size_t n, uint32_t lines, uint64_t max_chars, uint32_t flags,
               size_t* offset, size_t* length) noexcept;

// A prepared set of texts.  The code points and the word ids are derived on
// first use (thread-safe), so a corpus used only with word metrics never
// decodes its texts and the other way round.
class Corpus {
 public:
  // data/offsets as in hotpath_text_corpus_create; the UTF-8 is validated
  // by the caller.
  Corpus(const char* data, const size_t* offsets, size_t n, uint32_t flags);
  // Texts joined by one separator byte: text i is data[starts[i],
  // starts[i + 1] - 1), starts holds n + 1 entries and starts[n] is one past
  // the data's end (packed::find_joined).  With `borrow` (ignored when
  // folding) the corpus reads data in place, and data must outlive it
  // unchanged; otherwise it copies.  The UTF-8 is validated by the caller.
  Corpus(const char* data, std::vector<size_t>&& starts, size_t n, uint32_t flags, bool borrow);

  size_t size() const noexcept { return n_; }
  uint32_t flags() const noexcept { return flags_; }

  // Text i as (folded) UTF-8.
  const char* bytes(size_t i) const noexcept { return text_ + byte_off_[i]; }
  size_t byte_len(size_t i) const noexcept { return byte_off_[i + 1] - byte_off_[i] - gap_; }

  // Text i as code points; prepare_cps() must have run (kernels call it
  // once per query, not per text).
  const uint32_t* cps(size_t i) const noexcept { return cps_.get() + cp_off_[i]; }
  size_t cp_len(size_t i) const noexcept { return cp_off_[i + 1] - cp_off_[i]; }

  // Distinct word ids of text i (in first-occurrence order), ids indexing
  // the corpus dictionary; prepare_words() must have run.
  const uint32_t* word_ids(size_t i) const noexcept { return ids_.data() + id_off_[i]; }
  size_t word_count(size_t i) const noexcept { return id_off_[i + 1] - id_off_[i]; }
  size_t vocabulary() const noexcept { return dict_.size(); }
  // Every word of text i in order, as ids.
  const uint32_t* word_seq(size_t i) const noexcept { return seq_.data() + seq_off_[i]; }
  size_t word_seq_len(size_t i) const noexcept { return seq_off_[i + 1] - seq_off_[i]; }
  // Word `id` of the dictionary, as (folded) UTF-8.
  const char* word(uint32_t id) const noexcept { return text_ + dict_[id].offset; }
  size_t word_len(uint32_t id) const noexcept { return dict_[id].len; }
  // Totals over all texts (after the matching prepare_*()).
  size_t total_words() const noexcept { return ids_.size(); }
  size_t total_cps() const noexcept { return cps_count_; }
  // The id of a word, or UINT32_MAX when no text has it.
  uint32_t find_word(const char* w, size_t len, uint64_t hash) const noexcept;

  void prepare_cps() const;
  void prepare_words() const;

 private:
  struct Word {
    uint64_t hash;
    size_t offset;  // into bytes_
    uint32_t len;
  };
  uint32_t intern(const char* w, size_t len, uint64_t hash);

  size_t n_;
  uint32_t flags_;
  // Not a std::string: creation writes every byte on the pool, and a string
  // would first zero them all on one thread.
  std::unique_ptr<char[]> bytes_;
  // The texts: bytes_, or the caller's data when borrowed.  Text i is
  // text_[byte_off_[i], byte_off_[i + 1] - gap_): gap_ is 1 when the texts
  // keep the separator that joined them, else 0.
  const char* text_ = nullptr;
  size_t gap_ = 0;
  size_t bytes_size_ = 0;  // of text_, separators included
  std::vector<size_t> byte_off_;

  mutable std::once_flag cps_once_;
  mutable std::unique_ptr<uint32_t[]> cps_;  // not a vector: filled on the pool
  mutable size_t cps_count_ = 0;
  mutable std::vector<size_t> cp_off_;

  mutable std::once_flag words_once_;
  mutable std::vector<uint32_t> ids_;
  mutable std::vector<size_t> id_off_;
  mutable std::vector<uint32_t> seq_;
  mutable std::vector<size_t> seq_off_;
  mutable std::vector<Word> dict_;
  mutable std::vector<uint32_t> slots_;  // open addressing: id + 1, 0 = empty
};

// The corpus queries (argument checks are done by the caller).
void one_to_many(const char* q, size_t q_len, const Corpus& corpus, Metric metric, double param,
                 double* out);
size_t extract(const char* q, size_t q_len, const Corpus& corpus, Metric metric, double param,
               double score_cutoff, size_t limit, uint64_t* out_indices, double* out_scores);
void matrix(const Corpus& corpus, Metric metric, double param, double* out);

// Words of a text: white-space separated tokens, calling f(ptr, len) for each.
template <class F>
void for_each_word(const char* s, size_t n, F&& f);

uint64_t hash_bytes(const char* p, size_t n) noexcept;

}  // namespace text
}  // namespace hotpath

#include "text/words.inl"
