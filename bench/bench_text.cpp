// Text and consensus kernels through the C API: edit distance against a
// corpus (short and long texts), the cosine matrix at 1 and 2 threads, a
// short word-metric pair, and key-phrase counting.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "hotpath/hotpath.h"

namespace {

// Random lowercase texts of lengths in [lo, hi], as the Python benchmark makes them.
std::vector<std::string> random_texts(size_t n, size_t lo, size_t hi, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out(n);
  for (auto& s : out) {
    size_t len = lo + rng() % (hi - lo + 1);
    for (size_t i = 0; i < len; ++i) s += static_cast<char>('a' + rng() % 26);
  }
  return out;
}

// Texts of `words` words drawn from a Zipf-like vocabulary of 5,000 words.
std::vector<std::string> word_texts(size_t n, size_t words, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> vocab(5000);
  for (size_t i = 0; i < vocab.size(); ++i) vocab[i] = "w" + std::to_string(i);
  std::vector<std::string> out(n);
  for (auto& s : out) {
    for (size_t w = 0; w < words; ++w) {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      size_t r = static_cast<size_t>(std::pow(5000.0, u)) - 1;  // log-uniform rank
      s += vocab[r];
      s += ' ';
    }
  }
  return out;
}

hotpath_text_corpus_t* make_corpus(const std::vector<std::string>& texts, uint32_t flags) {
  std::string data;
  std::vector<size_t> offsets{0};
  for (const auto& t : texts) {
    data += t;
    offsets.push_back(data.size());
  }
  hotpath_text_corpus_t* c = nullptr;
  hotpath_text_corpus_create(data.data(), offsets.data(), texts.size(), flags, &c);
  return c;
}

void BM_levenshtein_one_to_many(benchmark::State& state) {
  const bool long_texts = state.range(0) != 0;
  hotpath_set_num_threads(static_cast<int32_t>(state.range(1)));
  const auto texts = long_texts ? random_texts(2000, 500, 2000, 1) : random_texts(100000, 10, 60, 1);
  const auto query = long_texts ? random_texts(1, 500, 2000, 2)[0] : random_texts(1, 10, 60, 2)[0];
  hotpath_text_corpus_t* c = make_corpus(texts, 0);
  std::vector<double> out(texts.size());
  for (auto _ : state) {
    hotpath_text_one_to_many(query.data(), query.size(), c, HOTPATH_TEXT_LEVENSHTEIN, 0.1,
                             out.data(), out.size());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
  hotpath_text_corpus_destroy(c);
  hotpath_set_num_threads(0);
}

void BM_cosine_matrix(benchmark::State& state) {
  hotpath_set_num_threads(static_cast<int32_t>(state.range(0)));
  const auto texts = word_texts(1000, 200, 3);
  hotpath_text_corpus_t* c = make_corpus(texts, 0);
  std::vector<double> out(texts.size() * texts.size());
  for (auto _ : state) {
    hotpath_text_matrix(c, HOTPATH_TEXT_COSINE, 0.1, out.data(), out.size());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size() *
                                               (texts.size() - 1) / 2));
  hotpath_text_corpus_destroy(c);
  hotpath_set_num_threads(0);
}

void BM_jaccard_pair(benchmark::State& state) {
  const std::string a = "the quick brown fox jumps", b = "the quick brown cat runs";
  double out;
  for (auto _ : state) {
    hotpath_text_jaccard(a.data(), a.size(), b.data(), b.size(), 0, &out);
    benchmark::DoNotOptimize(out);
  }
}

void BM_key_phrases(benchmark::State& state) {
  const auto texts = word_texts(50, 330, 4);  // ~2 KB each
  hotpath_text_corpus_t* c = make_corpus(texts, hotpath_text_flag_case_fold());
  hotpath_consensus_phrases_t* list = nullptr;
  hotpath_consensus_phrases_create(&list);
  std::vector<uint32_t> members(texts.size());
  for (uint32_t i = 0; i < members.size(); ++i) members[i] = i;
  for (auto _ : state) {
    hotpath_consensus_key_phrases(c, members.data(), members.size(), nullptr, 2,
                                  HOTPATH_CONSENSUS_RANK_THEME, 3, list);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
  hotpath_consensus_phrases_destroy(list);
  hotpath_text_corpus_destroy(c);
}

}  // namespace

// Arguments: (long texts?, threads).
BENCHMARK(BM_levenshtein_one_to_many)->Args({0, 1})->Args({0, 2})->Args({1, 1})->Args({1, 2})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cosine_matrix)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_jaccard_pair);
BENCHMARK(BM_key_phrases)->Unit(benchmark::kMicrosecond);


namespace {
// What text_consensus asks of the library for 50 answers of ~2 KB: a folded
// corpus, its cosine matrix, clustering and two key-phrase rankings.
void BM_consensus_pipeline(benchmark::State& state) {
  const auto texts = word_texts(50, 220, 5);
  std::string data;
  std::vector<size_t> offsets{0};
  for (const auto& t : texts) {
    data += t;
    offsets.push_back(data.size());
  }
  const size_t n = texts.size();
  std::vector<double> m(n * n);
  std::vector<uint32_t> labels(n), members(n);
  for (uint32_t i = 0; i < n; ++i) members[i] = i;
  hotpath_consensus_phrases_t* list = nullptr;
  hotpath_consensus_phrases_create(&list);
  for (auto _ : state) {
    hotpath_text_corpus_t* c = nullptr;
    hotpath_text_corpus_create(data.data(), offsets.data(), n, hotpath_text_flag_case_fold(), &c);
    hotpath_text_matrix(c, HOTPATH_TEXT_COSINE, 0.1, m.data(), m.size());
    size_t k = 0;
    hotpath_consensus_cluster(m.data(), n, 0.7, labels.data(), &k);
    hotpath_consensus_key_phrases(c, members.data(), n / 3, nullptr, 1,
                                  HOTPATH_CONSENSUS_RANK_COUNT, 5, list);
    hotpath_consensus_key_phrases(c, members.data(), n, nullptr, 2, HOTPATH_CONSENSUS_RANK_THEME,
                                  3, list);
    hotpath_text_corpus_destroy(c);
  }
  hotpath_consensus_phrases_destroy(list);
}
}  // namespace
BENCHMARK(BM_consensus_pipeline)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
