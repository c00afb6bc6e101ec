// The memory C API: similar pairs against a brute-force loop written here,
// scan of a temporary folder, helpers and bad input.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hotpath/memory.h"
#include "test_corpus.hpp"

namespace {

using Corpus = TestCorpus;
using PairList = std::vector<std::pair<uint32_t, uint32_t>>;

std::set<std::string> words_of(const std::string& s) {
  // ASCII white space only: the test corpora below use nothing else.
  std::set<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!w.empty()) out.insert(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.insert(w);
  return out;
}

PairList brute(const std::vector<std::string>& texts, double t, bool strict) {
  std::vector<std::set<std::string>> sets;
  for (const auto& s : texts) sets.push_back(words_of(s));
  PairList out;
  for (size_t i = 0; i < sets.size(); ++i)
    for (size_t j = i + 1; j < sets.size(); ++j) {
      double jac;
      if (sets[i].empty() && sets[j].empty()) {
        jac = 1.0;
      } else if (sets[i].empty() || sets[j].empty()) {
        jac = 0.0;
      } else {
        size_t both = 0;
        for (const auto& w : sets[i]) both += sets[j].count(w);
        jac = static_cast<double>(both) /
              static_cast<double>(sets[i].size() + sets[j].size() - both);
      }
      if (strict ? jac > t : jac >= t)
        out.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
    }
  return out;
}

PairList pairs(const Corpus& c, double t, bool strict, uint64_t* count) {
  hotpath_memory_pairs_t* list = nullptr;
  REQUIRE(hotpath_memory_pairs_create(&list) == HOTPATH_OK);
  REQUIRE(hotpath_memory_similar_pairs(c.handle, t, strict ? 1 : 0, list, count) ==
          HOTPATH_OK);
  PairList out;
  const size_t n = hotpath_memory_pairs_count(list);
  const uint32_t* d = hotpath_memory_pairs_data(list);
  for (size_t i = 0; i < n; ++i) out.emplace_back(d[2 * i], d[2 * i + 1]);
  hotpath_memory_pairs_destroy(list);
  return out;
}

std::vector<std::string> random_corpus(unsigned seed, size_t n) {
  std::mt19937 rng(seed);
  std::vector<std::string> texts;
  for (size_t i = 0; i < n; ++i) {
    std::string s;
    if (!texts.empty() && rng() % 3 == 0) {
      s = texts[rng() % texts.size()];
      if (rng() % 2) s += " w" + std::to_string(rng() % 40);
    } else {
      const size_t k = rng() % 10;
      for (size_t j = 0; j < k; ++j) s += "w" + std::to_string(rng() % 40) + (rng() % 4 ? " " : "\n");
    }
    texts.push_back(s);
  }
  return texts;
}

}  // namespace

TEST_CASE("memory: similar pairs equal a brute-force loop", "[memory]") {
  for (unsigned seed = 0; seed < 6; ++seed) {
    const auto texts = random_corpus(seed, 90);
    Corpus c(texts);
    for (double t : {0.0, 0.2, 0.5, 2.0 / 3.0, 0.8, 0.999, 1.0})
      for (bool strict : {true, false}) {
        uint64_t count = 0, count_only = 0;
        const auto got = pairs(c, t, strict, &count);
        const auto want = brute(texts, t, strict);
        CHECK(got == want);
        CHECK(count == want.size());
        REQUIRE(hotpath_memory_similar_pairs(c.handle, t, strict, nullptr, &count_only) ==
                HOTPATH_OK);
        CHECK(count_only == want.size());
      }
  }
}

TEST_CASE("memory: ties at the threshold and empty texts", "[memory]") {
  Corpus c({"a b c d e", "a b c d", "", ""});
  uint64_t n = 0;
  CHECK(pairs(c, 0.8, true, &n) == PairList{{2, 3}});
  CHECK(pairs(c, 0.8, false, &n) == PairList{{0, 1}, {2, 3}});
  CHECK(pairs(c, 1.0, true, &n).empty());
  CHECK(pairs(c, 1.0, false, &n) == PairList{{2, 3}});
  CHECK(pairs(c, 0.0, false, &n).size() == 6);
}

TEST_CASE("memory: similar pairs bad input", "[memory]") {
  Corpus c({"a", "b"});
  uint64_t n = 0;
  CHECK(hotpath_memory_similar_pairs(nullptr, 0.5, 1, nullptr, &n) == HOTPATH_ENULL);
  CHECK(hotpath_memory_similar_pairs(c.handle, 0.5, 1, nullptr, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_memory_similar_pairs(c.handle, -0.1, 1, nullptr, &n) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_similar_pairs(c.handle, 1.5, 1, nullptr, &n) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_similar_pairs(c.handle, std::nan(""), 1, nullptr, &n) == HOTPATH_ERANGE);
  CHECK(std::string(hotpath_last_error_message()).find("threshold") != std::string::npos);
  CHECK(hotpath_memory_pairs_create(nullptr) == HOTPATH_ENULL);
  hotpath_memory_pairs_destroy(nullptr);
  CHECK(hotpath_memory_pairs_count(nullptr) == 0);
  CHECK(hotpath_memory_pairs_data(nullptr) == nullptr);
}

TEST_CASE("memory: scan of a folder", "[memory]") {
  char tmpl[] = "/tmp/hotpath_memory_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl;
  const double now = 1.8e9;
  auto put = [&](const std::string& name, const std::string& body, double age) {
    const std::string p = dir + "/" + name;
    FILE* f = std::fopen(p.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(body.data(), 1, body.size(), f);
    std::fclose(f);
    struct timeval tv[2];
    const double t = now - age;
    tv[0].tv_sec = tv[1].tv_sec = static_cast<time_t>(t);
    tv[0].tv_usec = tv[1].tv_usec = 0;
    REQUIRE(utimes(p.c_str(), tv) == 0);
    return p;
  };
  std::vector<std::string> made;
  made.push_back(put("a.md", "one two three four five", 31 * 86400.0));
  made.push_back(put("b.md", "one two three four five six", 30 * 86400.0));
  made.push_back(put("c.md", "\xff\xfe", 0));
  made.push_back(put("d.md", "x", -5));
  made.push_back(put("e.txt", "one two three four five", 0));

  hotpath_memory_scan_t* s = nullptr;
  REQUIRE(hotpath_memory_scan_create(&s) == HOTPATH_OK);
  REQUIRE(hotpath_memory_scan(dir.data(), dir.size(), 30, 0.8, now, s) == HOTPATH_OK);
  uint64_t old = 0, dups = 0, total = 0;
  REQUIRE(hotpath_memory_scan_counts(s, &old, &dups, &total) == HOTPATH_OK);
  CHECK(total == 4);
  CHECK(old == 1);
  CHECK(dups == 1);  // 5/6 > 0.8
  REQUIRE(hotpath_memory_scan_error_count(s) == 2);
  const char *path, *reason;
  size_t path_len, reason_len;
  REQUIRE(hotpath_memory_scan_error(s, 0, &path, &path_len, &reason, &reason_len) == HOTPATH_OK);
  CHECK(std::string(path, path_len) == dir + "/c.md");
  CHECK(std::string(reason, reason_len) == "not valid UTF-8");
  REQUIRE(hotpath_memory_scan_error(s, 1, &path, &path_len, &reason, &reason_len) == HOTPATH_OK);
  CHECK(std::string(reason, reason_len) == "modification time in the future");
  CHECK(hotpath_memory_scan_error(s, 2, &path, &path_len, &reason, &reason_len) ==
        HOTPATH_ERANGE);

  // Bad input.
  CHECK(hotpath_memory_scan(dir.data(), 0, 30, 0.8, now, s) == HOTPATH_EINVAL);
  CHECK(hotpath_memory_scan(nullptr, 3, 30, 0.8, now, s) == HOTPATH_ENULL);
  CHECK(hotpath_memory_scan(dir.data(), dir.size(), 30, 0.8, now, nullptr) == HOTPATH_ENULL);
  const std::string with_nul = dir + std::string(1, '\0') + "x";
  CHECK(hotpath_memory_scan(with_nul.data(), with_nul.size(), 30, 0.8, now, s) == HOTPATH_EINVAL);
  CHECK(hotpath_memory_scan(dir.data(), dir.size(), std::nan(""), 0.8, now, s) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_scan(dir.data(), dir.size(), 30, 2.0, now, s) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_scan(dir.data(), dir.size(), 30, 0.8, HUGE_VAL, s) == HOTPATH_ERANGE);
  const std::string missing = dir + "/missing";
  CHECK(hotpath_memory_scan(missing.data(), missing.size(), 30, 0.8, now, s) == HOTPATH_EIO);
  CHECK(hotpath_memory_scan_counts(nullptr, &old, &dups, &total) == HOTPATH_ENULL);
  CHECK(hotpath_memory_scan_error_count(nullptr) == 0);
  CHECK(hotpath_memory_scan_error(nullptr, 0, &path, &path_len, &reason, &reason_len) ==
        HOTPATH_ENULL);
  hotpath_memory_scan_destroy(s);
  hotpath_memory_scan_destroy(nullptr);
  for (const auto& p : made) std::remove(p.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("memory: hexagram and thread helpers", "[memory]") {
  for (unsigned k = 0; k < 64; ++k) {
    uint8_t lines[6];
    int ones = 0;
    for (int i = 0; i < 6; ++i) {
      lines[i] = static_cast<uint8_t>((k >> (5 - i)) & 1u);
      ones += lines[i];
    }
    int32_t num = 0, bal = -1;
    REQUIRE(hotpath_memory_create_hexagram(lines, 6, &num) == HOTPATH_OK);
    CHECK(num == static_cast<int32_t>(k) + 1);
    REQUIRE(hotpath_memory_is_balanced(lines, 6, &bal) == HOTPATH_OK);
    CHECK(bal == (ones == 3 ? 1 : 0));
  }
  const uint8_t bad[6] = {0, 1, 2, 0, 1, 0};
  int32_t out = 0;
  CHECK(hotpath_memory_create_hexagram(bad, 6, &out) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_create_hexagram(bad, 5, &out) == HOTPATH_EINVAL);
  CHECK(hotpath_memory_create_hexagram(nullptr, 6, &out) == HOTPATH_ENULL);
  CHECK(hotpath_memory_is_balanced(bad, 6, nullptr) == HOTPATH_ENULL);
  const std::pair<uint64_t, uint32_t> tiers[] = {{0, 8},    {9, 8},     {10, 16},  {49, 16},
                                                 {50, 32},  {99, 32},   {100, 64}, {199, 64},
                                                 {200, 128}, {399, 128}, {400, 256}};
  for (const auto& t : tiers) CHECK(hotpath_memory_threading_tier(t.first) == t.second);
  uint32_t th = 0;
  const double per = hotpath_memory_min_seconds_per_thread();
  REQUIRE(hotpath_memory_recommend_threads(0, 1.0, 4, &th) == HOTPATH_OK);
  CHECK(th == 1);
  REQUIRE(hotpath_memory_recommend_threads(3, 1.0, 4, &th) == HOTPATH_OK);
  CHECK(th == 3);
  REQUIRE(hotpath_memory_recommend_threads(1000000, 1.0, 4, &th) == HOTPATH_OK);
  CHECK(th == 4);
  REQUIRE(hotpath_memory_recommend_threads(1000, per * 2.5 / 1000, 8, &th) == HOTPATH_OK);
  CHECK(th == 2);
  CHECK(hotpath_memory_recommend_threads(10, -1.0, 4, &th) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_recommend_threads(10, std::nan(""), 4, &th) == HOTPATH_ERANGE);
  CHECK(hotpath_memory_recommend_threads(10, 1.0, 4, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_memory_scan_seconds_per_item() > 0.0);
}
