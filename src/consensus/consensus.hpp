// Expert consensus: the C++ core of hotpath/consensus.h (leader clustering
// and key-phrase counting; docs/consensus.md has the method).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "text/text.hpp"

namespace hotpath {
namespace consensus {

enum class Ranking : int32_t { Count = 0, Theme = 1 };

// labels[i] = cluster of i, clusters numbered in leader order; returns the count.
size_t cluster(const double* matrix, size_t n, double threshold, uint32_t* labels) noexcept;

struct PhraseList {
  struct Item {
    size_t offset, length;  // into text
    uint64_t count, docs;
    double score;
  };
  PhraseList();
  ~PhraseList();
  std::string text;
  std::vector<Item> items;
  // Counting tables, kept for the next call (see key_phrases).
  struct Scratch;
  std::unique_ptr<Scratch> scratch;
};

// The words of every corpus text as key phrases see them (punctuation
// stripped, interned), derived once per corpus.  Points into the corpus.
struct PhraseWords {
  struct Word {
    const char* p;
    uint32_t len;
    bool stop;     // a stop word
    bool unigram;  // may stand alone: not a stop word and longer than 3 bytes
  };
  explicit PhraseWords(const text::Corpus& corpus);
  std::vector<Word> words;
  std::vector<uint32_t> seq;      // word indices of all texts
  std::vector<size_t> seq_off;    // text i: seq[seq_off[i], seq_off[i + 1])
};

void key_phrases(const PhraseWords& words, const uint32_t* members,
                 size_t n_members, const double* weights, uint32_t min_docs, Ranking ranking,
                 size_t limit, PhraseList& out);

size_t stop_word_count() noexcept;
const char* stop_word(size_t i) noexcept;

}  // namespace consensus
}  // namespace hotpath
