// Expert consensus: the C++ core of hotpath/consensus.h (leader clustering
// and key-phrase counting; docs/consensus.md has the method).
#pragma once

#include <cstddef>
#include <cstdint>
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
  std::string text;
  std::vector<Item> items;
};

void key_phrases(const text::Corpus& corpus, const uint32_t* members, size_t n_members,
                 const double* weights, uint32_t min_docs, Ranking ranking, size_t limit,
                 PhraseList& out);

size_t stop_word_count() noexcept;
const char* stop_word(size_t i) noexcept;

}  // namespace consensus
}  // namespace hotpath
