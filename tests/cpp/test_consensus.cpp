// The consensus C API: leader clustering and key phrases on hand-checked inputs.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "test_corpus.hpp"
#include "hotpath/consensus.h"

namespace {

using Corpus = TestCorpus;

struct Phrase {
  std::string text;
  uint64_t count, docs;
  double score;
};

std::vector<Phrase> phrases(const Corpus& c, std::vector<uint32_t> members,
                            const double* weights, uint32_t min_docs, int32_t ranking,
                            size_t limit) {
  hotpath_consensus_phrases_t* list = nullptr;
  REQUIRE(hotpath_consensus_phrases_create(&list) == HOTPATH_OK);
  REQUIRE(hotpath_consensus_key_phrases(c.handle, members.data(), members.size(), weights,
                                        min_docs, ranking, limit, list) == HOTPATH_OK);
  std::vector<Phrase> out;
  for (size_t i = 0; i < hotpath_consensus_phrases_count(list); ++i) {
    const char* t;
    size_t len;
    Phrase p;
    REQUIRE(hotpath_consensus_phrase(list, i, &t, &len, &p.count, &p.docs, &p.score) ==
            HOTPATH_OK);
    p.text.assign(t, len);
    out.push_back(p);
  }
  hotpath_consensus_phrases_destroy(list);
  return out;
}

}  // namespace

TEST_CASE("leader clustering follows the greedy rule", "[consensus]") {
  // 0 leads {0, 2}; 1 is taken by nobody before it, leads {1, 3}; 4 alone.
  const double m[25] = {1, .2, .8, .9, .1,  //
                        .2, 1, .3, .75, .1,  //
                        .8, .3, 1, .95, .1,  //
                        .9, .75, .95, 1, .1,  //
                        .1, .1, .1, .1, 1};
  uint32_t labels[5];
  size_t k = 0;
  REQUIRE(hotpath_consensus_cluster(m, 5, 0.7, labels, &k) == HOTPATH_OK);
  CHECK(k == 3);
  CHECK(labels[0] == 0);
  CHECK(labels[1] == 1);
  CHECK(labels[2] == 0);
  CHECK(labels[3] == 0);  // joins 0 (0.9 >= 0.7) before 1 gets to lead
  CHECK(labels[4] == 2);
  REQUIRE(hotpath_consensus_cluster(m, 5, 2.0, labels, &k) == HOTPATH_OK);
  CHECK(k == 5);
  REQUIRE(hotpath_consensus_cluster(nullptr, 0, 0.5, nullptr, &k) == HOTPATH_OK);
  CHECK(k == 0);
  CHECK(hotpath_consensus_cluster(m, 5, std::nan(""), labels, &k) == HOTPATH_ERANGE);
  CHECK(hotpath_consensus_cluster(m, 5, 0.5, nullptr, &k) == HOTPATH_ENULL);
}

TEST_CASE("key phrases: words, stop words, n-grams and ranking", "[consensus]") {
  Corpus c({"Use caching, and use caching again!", "The cache layer: use caching.", "Unrelated"},
           hotpath_text_flag_case_fold());
  // Words of 0: use caching and use caching again ; of 1: the cache layer use caching.
  auto all = phrases(c, {0, 1}, nullptr, 1, HOTPATH_CONSENSUS_RANK_COUNT, 100);
  REQUIRE(!all.empty());
  CHECK(all[0].text == "use caching");  // 3 times (first at member 0, word 0, length 2)
  CHECK(all[0].count == 3);
  CHECK(all[0].docs == 2);
  CHECK(all[1].text == "caching");  // 3 times too, but first seen after "use caching"? no:
  // unigram "caching" starts at word 1, "use caching" at word 0: the bigram comes first.
  CHECK(all[1].count == 3);
  bool has_use = false, has_and = false, has_and_use = false;
  for (const auto& p : all) {
    has_use = has_use || p.text == "use";    // 3 bytes: too short for a unigram
    has_and = has_and || p.text == "and";    // stop word
    has_and_use = has_and_use || p.text == "and use";
  }
  CHECK(!has_use);
  CHECK(!has_and);
  CHECK(has_and_use);  // not only stop words ("use" is not one)
  // Only stop words: "and the" never forms; min_docs filters.
  auto shared = phrases(c, {0, 1}, nullptr, 2, HOTPATH_CONSENSUS_RANK_COUNT, 100);
  for (const auto& p : shared) CHECK(p.docs >= 2);
  REQUIRE(shared.size() == 2);
  CHECK(shared[0].text == "use caching");
  CHECK(shared[1].text == "caching");
  // Theme score: count * sum(weights of members containing it) / members.
  const double w[2] = {0.5, 1.0};
  auto themes = phrases(c, {0, 1}, w, 2, HOTPATH_CONSENSUS_RANK_THEME, 1);
  REQUIRE(themes.size() == 1);
  CHECK(themes[0].text == "use caching");
  CHECK(themes[0].score == 3.0 * 1.5 / 2.0);
}

TEST_CASE("key phrases: bad arguments", "[consensus]") {
  Corpus c({"alpha beta"}, 0);
  hotpath_consensus_phrases_t* list = nullptr;
  REQUIRE(hotpath_consensus_phrases_create(&list) == HOTPATH_OK);
  uint32_t members[1] = {1};
  CHECK(hotpath_consensus_key_phrases(c.handle, members, 1, nullptr, 1, 0, 5, list) ==
        HOTPATH_ERANGE);
  members[0] = 0;
  const double w[1] = {std::nan("")};
  CHECK(hotpath_consensus_key_phrases(c.handle, members, 1, w, 1, 0, 5, list) == HOTPATH_ERANGE);
  CHECK(hotpath_consensus_key_phrases(c.handle, members, 1, nullptr, 1, 7, 5, list) ==
        HOTPATH_EINVAL);
  REQUIRE(hotpath_consensus_key_phrases(c.handle, members, 1, nullptr, 1, 0, 5, list) ==
          HOTPATH_OK);
  CHECK(hotpath_consensus_phrases_count(list) == 3);  // alpha, beta, alpha beta
  CHECK(hotpath_consensus_phrase(list, 3, nullptr, nullptr, nullptr, nullptr, nullptr) ==
        HOTPATH_ERANGE);
  hotpath_consensus_phrases_destroy(list);
  hotpath_consensus_phrases_destroy(nullptr);
}

TEST_CASE("the stop-word list is sorted lowercase ASCII", "[consensus]") {
  const size_t n = hotpath_consensus_stop_word_count();
  REQUIRE(n > 100);
  for (size_t i = 1; i < n; ++i)
    CHECK(std::strcmp(hotpath_consensus_stop_word(i - 1), hotpath_consensus_stop_word(i)) < 0);
  CHECK(hotpath_consensus_stop_word(n) == nullptr);
  CHECK(std::strcmp(hotpath_consensus_stop_word(0), "a") == 0);
}
