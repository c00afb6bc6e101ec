// Zero-allocation property: warmed-up hot calls allocate nothing, in the
// caller's thread or in the pool's workers.  (Failing calls may: the core
// reports errors with an exception object, off the hot path.)
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "hotpath/hotpath.h"

namespace {
volatile void* sink;
}

TEST_CASE("the counter sees allocations in the test and inside the library", "[alloc]") {
  alloc_counter::start();
  sink = std::malloc(16);
  const size_t direct = alloc_counter::stop();
  std::free(const_cast<void*>(sink));
  CHECK(direct == 1);

  // Changing the thread count restarts the pool's workers on the next large
  // batch: the library allocates there, and the counter must see it.
  std::vector<uint64_t> in(200000, 12345);
  std::vector<double> out(in.size());
  REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
  REQUIRE(hotpath_set_num_threads(1) == HOTPATH_OK);
  REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
  alloc_counter::start();
  const hotpath_status_t st = hotpath_williams_space_bound_batch(in.data(), in.size(), out.data());
  const size_t in_library = alloc_counter::stop();
  REQUIRE(st == HOTPATH_OK);
  CHECK(in_library > 0);
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
}

TEST_CASE("Williams scalar and batch calls allocate nothing once warm", "[alloc]") {
  REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
  const size_t big = 262144;  // above every kernel's parallel threshold
  std::vector<uint64_t> in(big);
  for (size_t i = 0; i < big; ++i) in[i] = i * 7919 + 3;
  std::vector<double> out(big), bases(big, 0.8);
  std::vector<uint64_t> sizes(big);

  auto run_all = [&](size_t n) {
    hotpath_status_t s = 0;
    s |= hotpath_williams_space_bound_batch(in.data(), n, out.data());
    s |= hotpath_williams_efficiency_batch(in.data(), n, out.data());
    s |= hotpath_williams_space_saved_percent_batch(in.data(), n, out.data());
    s |= hotpath_williams_optimal_batch_size_batch(in.data(), n, 1024, 5, sizes.data());
    s |= hotpath_williams_confidence_multiplier_batch(in.data(), n, bases.data(), 0, 2, out.data());
    s |= hotpath_williams_confidence_multiplier_batch(in.data(), n, nullptr, 0.85, 0, out.data());
    double d = 0;
    uint64_t u = 0;
    int32_t r = 0;
    d += hotpath_williams_space_bound(in[0]) + hotpath_williams_efficiency(in[1]) +
         hotpath_williams_space_saved_percent(in[2]);
    s |= hotpath_williams_optimal_batch_size(in[3], 100, 5, &u);
    s |= hotpath_williams_confidence_multiplier(in[4], 0.9, 1, &d);
    s |= hotpath_williams_regime_from_name("support", 7, &r);
    return s;
  };
  REQUIRE(run_all(big) == HOTPATH_OK);  // warm-up: starts the pool's workers

  for (size_t n : {size_t(1), size_t(100), big / 4 - 1, big}) {
    alloc_counter::start();
    const hotpath_status_t st = run_all(n);
    const size_t allocs = alloc_counter::stop();
    INFO("batch size " << n);
    REQUIRE(st == HOTPATH_OK);
    CHECK(allocs == 0);
  }
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
}

TEST_CASE("text pair functions and corpus queries allocate nothing once warm", "[alloc]") {
  REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
  const std::string a = "The quick brown fox jumps over the lazy dog \xc3\xa9t\xc3\xa9 \xe6\xbc\xa2";
  std::string b = "the QUICK brown cat runs past a lazy dog";
  std::string long_a, long_b;
  for (int i = 0; i < 40; ++i) {
    long_a += "lorem ipsum dolor sit amet ";
    long_b += "lorem ipsum color sit amen ";
  }
  // A corpus large enough that every query runs on the pool.
  std::string data;
  std::vector<size_t> offsets{0};
  for (int i = 0; i < 20000; ++i) {
    data += (i % 3 ? "quick brown " : "lazy dog ") + std::to_string(i * 7919 % 1000);
    offsets.push_back(data.size());
  }
  hotpath_text_corpus_t* corpus = nullptr;
  REQUIRE(hotpath_text_corpus_create(data.data(), offsets.data(), offsets.size() - 1,
                                     hotpath_text_flag_case_fold(), &corpus) == HOTPATH_OK);
  std::vector<double> scores(offsets.size() - 1);
  std::vector<uint64_t> idx(10);
  std::vector<double> best(10);

  auto run_all = [&] {
    hotpath_status_t s = 0;
    double d = 0;
    uint64_t u = 0;
    size_t count = 0;
    for (uint32_t flags : {0u, 1u}) {
      s |= hotpath_text_jaccard(a.data(), a.size(), b.data(), b.size(), flags, &d);
      s |= hotpath_text_cosine(a.data(), a.size(), b.data(), b.size(), flags, &d);
      s |= hotpath_text_overlap(a.data(), a.size(), b.data(), b.size(), flags, &d);
      s |= hotpath_text_levenshtein(a.data(), a.size(), b.data(), b.size(), UINT64_MAX, flags, &u);
      s |= hotpath_text_levenshtein(long_a.data(), long_a.size(), long_b.data(), long_b.size(), 5,
                                    flags, &u);
      s |= hotpath_text_levenshtein_normalized(long_a.data(), long_a.size(), long_b.data(),
                                               long_b.size(), flags, &d);
      s |= hotpath_text_jaro_winkler(a.data(), a.size(), b.data(), b.size(), 0.1, flags, &d);
    }
    // A query of many 64-bit blocks takes the lane-parallel edit-distance path.
    s |= hotpath_text_one_to_many(long_a.data(), long_a.size(), corpus, HOTPATH_TEXT_LEVENSHTEIN,
                                  0.1, scores.data(), scores.size());
    for (int32_t metric = 0; metric <= 5; ++metric) {
      s |= hotpath_text_one_to_many(b.data(), 20, corpus, metric, 0.1, scores.data(),
                                    scores.size());
      s |= hotpath_text_extract(b.data(), 20, corpus, metric, 0.1, 0.2, idx.size(), idx.data(),
                                best.data(), &count);
    }
    return s;
  };
  for (int i = 0; i < 3; ++i) REQUIRE(run_all() == HOTPATH_OK);
  alloc_counter::start();
  const hotpath_status_t st = run_all();
  const size_t allocations = alloc_counter::stop();
  REQUIRE(st == HOTPATH_OK);
  CHECK(allocations == 0);
  hotpath_text_corpus_destroy(corpus);
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
}

TEST_CASE("files glob matching allocates nothing once warm", "[alloc]") {
  const char* patterns[] = {"*.md", "docs/**/[a-c]?.md", "**/x/**", "[!a]*"};
  const char* paths[] = {"a.md", "docs/x/y/ab.md", "q/x/z", "b/c/d/e/f/g/h/i/j/k.txt"};
  int32_t out = 0;
  auto run_all = [&] {
    hotpath_status_t s = 0;
    for (const char* p : patterns)
      for (const char* q : paths)
        s |= hotpath_files_glob_match(p, std::strlen(p), q, std::strlen(q), &out);
    return s;
  };
  REQUIRE(run_all() == HOTPATH_OK);  // warm-up: the component lists grow once
  alloc_counter::start();
  const hotpath_status_t st = run_all();
  const size_t count = alloc_counter::stop();
  REQUIRE(st == HOTPATH_OK);
  CHECK(count == 0);
}

TEST_CASE("compress buffer calls allocate nothing once warm", "[alloc]") {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "memory agent frame " + std::to_string(i % 97) + "\n";
  std::vector<unsigned char> packed(text.size() * 2 + 1024), back(text.size());
  auto run_all = [&] {
    hotpath_status_t s = 0;
    size_t n = 0, m = 0;
    // Fast LZ4 and gzip at their default levels (the contexts are per thread
    // and per kind of level: a switch to HC re-allocates once).
    const int32_t cases[2][2] = {{HOTPATH_COMPRESS_LZ4, 0}, {HOTPATH_COMPRESS_GZIP, 6}};
    for (const auto& c : cases) {
      s |= hotpath_compress_into(c[0], c[1], text.data(), text.size(), packed.data(), packed.size(), &n);
      s |= hotpath_decompress_into(packed.data(), n, back.data(), back.size(), &m);
      if (m != text.size()) s |= HOTPATH_EINTERNAL;
      uint64_t size = 0;
      int32_t known = 0;
      s |= hotpath_compress_content_size(packed.data(), n, &size, &known);
    }
    return s;
  };
  // A buffer of several 4 MiB blocks: compressed on the thread pool.
  std::string big;
  while (big.size() < (size_t(9) << 20)) big += text;
  std::vector<unsigned char> big_packed(big.size() + big.size() / 64 + 4096), big_back(big.size());
  auto run_big = [&] {
    size_t n = 0, m = 0;
    hotpath_status_t s = hotpath_compress_into(HOTPATH_COMPRESS_LZ4, 0, big.data(), big.size(),
                                               big_packed.data(), big_packed.size(), &n);
    s |= hotpath_decompress_into(big_packed.data(), n, big_back.data(), big_back.size(), &m);
    return s;
  };
  REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
  for (int i = 0; i < 3; ++i) REQUIRE((run_all() | run_big()) == HOTPATH_OK);
  alloc_counter::start();
  const hotpath_status_t st = run_all() | run_big();
  const size_t allocations = alloc_counter::stop();
  REQUIRE(st == HOTPATH_OK);
  CHECK(allocations == 0);
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
}

TEST_CASE("a warm search query allocates nothing per hit", "[alloc][search]") {
  hotpath_search_index_t* ix = nullptr;
  REQUIRE(hotpath_search_open(nullptr, 0, -1, -1, &ix) == HOTPATH_OK);
  std::string data;
  std::vector<size_t> offs{0};
  std::vector<uint32_t> fc;
  for (int i = 0; i < 2000; ++i) {
    for (const std::string& s : {"d" + std::to_string(i), std::string(),
                                 "w" + std::to_string(i % 7) + " w" + std::to_string(i % 11)}) {
      data += s;
      offs.push_back(data.size());
    }
    fc.push_back(0);
  }
  REQUIRE(hotpath_search_add(ix, data.data(), offs.data(), offs.size() - 1, fc.data(), fc.size(),
                             0) == HOTPATH_OK);
  hotpath_search_results_t* r = nullptr;
  REQUIRE(hotpath_search_results_create(&r) == HOTPATH_OK);
  size_t n = 0;
  auto count_for = [&](uint64_t limit) {
    // Warm the result handle at this size first.
    REQUIRE(hotpath_search_query(ix, "w3 w5", 5, limit, 0, 0, 0, 0, r, &n) == HOTPATH_OK);
    alloc_counter::start();
    hotpath_status_t st = hotpath_search_query(ix, "w3 w5", 5, limit, 0, 0, 0, 0, r, &n);
    size_t a = alloc_counter::stop();
    REQUIRE(st == HOTPATH_OK);
    REQUIRE(n == limit);
    return a;
  };
  const size_t one = count_for(1), many = count_for(200);
  // The query's plan allocates a fixed amount; hits cost nothing more.
  CHECK(many == one);
  CHECK(one < 64);
  hotpath_search_results_destroy(r);
  hotpath_search_close(ix);
}
