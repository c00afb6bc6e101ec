// The text C API: golden values, an independent edit-distance reference,
// Unicode, invalid UTF-8, corpus queries against the pair functions, and
// results that do not depend on the thread count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_corpus.hpp"
#include "hotpath/text.h"

namespace {

const uint64_t kNoCutoff = UINT64_MAX;

std::string utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    uint32_t cp = static_cast<uint32_t>(c);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// The textbook dynamic programme, over code points.
uint64_t ref_levenshtein(const std::u32string& a, const std::u32string& b) {
  std::vector<uint64_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

double metric(hotpath_status_t (*f)(const char*, size_t, const char*, size_t, uint32_t, double*),
              const std::string& a, const std::string& b, uint32_t flags = 0) {
  double out = -1;
  REQUIRE(f(a.data(), a.size(), b.data(), b.size(), flags, &out) == HOTPATH_OK);
  return out;
}

uint64_t lev(const std::string& a, const std::string& b, uint64_t cutoff = kNoCutoff,
             uint32_t flags = 0) {
  uint64_t out = 0;
  REQUIRE(hotpath_text_levenshtein(a.data(), a.size(), b.data(), b.size(), cutoff, flags, &out) ==
          HOTPATH_OK);
  return out;
}

double jw(const std::string& a, const std::string& b, double w = 0.1) {
  double out = -1;
  REQUIRE(hotpath_text_jaro_winkler(a.data(), a.size(), b.data(), b.size(), w, 0, &out) ==
          HOTPATH_OK);
  return out;
}

std::u32string random_text(std::mt19937_64& rng, const std::u32string& alphabet, size_t len) {
  std::u32string s;
  for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
  return s;
}

using Corpus = TestCorpus;

}  // namespace

TEST_CASE("word metrics: the golden values of the specification", "[text]") {
  CHECK(metric(hotpath_text_jaccard, "The quick brown fox jumps", "The quick brown cat runs") ==
        Approx(3.0 / 7.0).epsilon(1e-15));
  CHECK(metric(hotpath_text_jaccard, "hello world test", "hello world example") == 0.5);
  CHECK(metric(hotpath_text_cosine, "the quick brown fox", "the quick brown dog") == 0.75);
  CHECK(metric(hotpath_text_overlap, "a b c", "a b c d e f") == 1.0);
  // Sets, not bags; punctuation is part of a word.
  CHECK(metric(hotpath_text_jaccard, "a a a b", "a b") == 1.0);
  CHECK(metric(hotpath_text_jaccard, "end.", "end") == 0.0);
  // Empty handling.
  CHECK(metric(hotpath_text_jaccard, "", "") == 1.0);
  CHECK(metric(hotpath_text_cosine, "   \n\t", "") == 1.0);
  CHECK(metric(hotpath_text_overlap, "", "word") == 0.0);
}

TEST_CASE("words split on Unicode white space, as Python's str.split does", "[text]") {
  // U+00A0, U+2003, U+3000, U+2028, U+001F split; U+200B (zero width) does not.
  CHECK(metric(hotpath_text_jaccard, utf8(U"a\u00A0b\u2003c\u3000d\u2028e\u001Ff"),
               "a b c d e f") == 1.0);
  CHECK(metric(hotpath_text_jaccard, utf8(U"a\u200Bb"), "a b") == 0.0);
}

TEST_CASE("case folding is Unicode simple case folding", "[text]") {
  const uint32_t fold = hotpath_text_flag_case_fold();
  CHECK(metric(hotpath_text_jaccard, "Hello WORLD", "hello world", fold) == 1.0);
  CHECK(metric(hotpath_text_jaccard, "Hello WORLD", "hello world", 0) == 0.0);
  // Greek final sigma folds to sigma, the Kelvin sign to k, capital sharp s to sharp s.
  CHECK(metric(hotpath_text_jaccard, utf8(U"ΟΔΟΣ"), utf8(U"οδος"), fold) == 1.0);
  CHECK(metric(hotpath_text_jaccard, utf8(U"\u212A"), "k", fold) == 1.0);
  CHECK(metric(hotpath_text_jaccard, utf8(U"STRA\u1E9EE"), utf8(U"straße"), fold) == 1.0);
  // Simple folding never expands: sharp s does not become "ss".
  CHECK(metric(hotpath_text_jaccard, utf8(U"straße"), "strasse", fold) == 0.0);
  CHECK(lev(utf8(U"ÀÉÎ"), utf8(U"àéî"), kNoCutoff, fold) == 0);

  const std::string in = utf8(U"Ⱥ\u023E ÀB \u212A ẞ");  // Ⱥ and Ⱦ grow from 2 to 3 bytes
  std::vector<char> out(hotpath_text_case_fold_bound(in.size()));
  size_t len = 0;
  REQUIRE(hotpath_text_case_fold(in.data(), in.size(), out.data(), out.size(), &len) ==
          HOTPATH_OK);
  CHECK(std::string(out.data(), len) == utf8(U"ⱥ\u2C66 àb k ß"));
  size_t needed = 0;
  CHECK(hotpath_text_case_fold(in.data(), in.size(), out.data(), 3, &needed) == HOTPATH_EBUFFER);
  CHECK(needed == len);
}

TEST_CASE("edit distance equals the dynamic programme, across block sizes", "[text]") {
  std::mt19937_64 rng(42);
  const std::u32string alphabets[] = {U"ab", U"abcdefghij", U"aé漢😀 ", U"0123456789abcdefXYZ"};
  const size_t lengths[] = {0, 1, 2, 5, 63, 64, 65, 127, 128, 129, 200, 300};
  for (const auto& alphabet : alphabets) {
    for (size_t la : lengths) {
      for (size_t lb : {size_t(0), size_t(7), la, la + 1, size_t(130)}) {
        std::u32string a = random_text(rng, alphabet, la), b = random_text(rng, alphabet, lb);
        const uint64_t d = ref_levenshtein(a, b);
        const std::string ea = utf8(a), eb = utf8(b);
        INFO("len " << la << " vs " << lb);
        CHECK(lev(ea, eb) == d);
        CHECK(lev(eb, ea) == d);
        for (uint64_t cutoff : {uint64_t(0), d / 2, d, d + 1, uint64_t(3)}) {
          CHECK(lev(ea, eb, cutoff) == std::min(d, cutoff + 1));
        }
      }
    }
  }
}

TEST_CASE("edit distance: classic pairs, Unicode and the triangle inequality", "[text]") {
  CHECK(lev("kitten", "sitting") == 3);
  CHECK(lev("", "abc") == 3);
  CHECK(lev("flaw", "lawn") == 2);
  // Code points, not bytes: one emoji, one CJK character, one combining mark.
  CHECK(lev(utf8(U"a😀b"), "ab") == 1);
  CHECK(lev(utf8(U"日本語"), utf8(U"日本")) == 1);
  CHECK(lev(utf8(U"e\u0301"), "e") == 1);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string a = utf8(random_text(rng, U"abc😀", rng() % 90));
    std::string b = utf8(random_text(rng, U"abc😀", rng() % 90));
    std::string c = utf8(random_text(rng, U"abc😀", rng() % 90));
    CHECK(lev(a, c) <= lev(a, b) + lev(b, c));
  }
  double n = -1;
  REQUIRE(hotpath_text_levenshtein_normalized("", 0, "", 0, 0, &n) == HOTPATH_OK);
  CHECK(n == 1.0);
  REQUIRE(hotpath_text_levenshtein_normalized("kitten", 6, "sitting", 7, 0, &n) == HOTPATH_OK);
  CHECK(n == Approx(1.0 - 3.0 / 7.0).epsilon(1e-15));
}

TEST_CASE("Jaro-Winkler: values of the Levenshtein Python module", "[text]") {
  // Computed with python3-levenshtein 0.12.2 (common prefixes of at most 4).
  CHECK(jw("martha", "marhta") == 0.9611111111111111);
  CHECK(jw("dwayne", "duane") == 0.8400000000000001);
  CHECK(jw("dixon", "dicksonx") == 0.8133333333333332);
  CHECK(jw("kitten", "sitting") == 0.746031746031746);
  CHECK(jw(utf8(U"日本語テキスト"), utf8(U"日本語のテキスト")) == 0.9708333333333333);
  CHECK(jw("", "") == 1.0);
  CHECK(jw("abc", "") == 0.0);
  CHECK(jw("abc", "xyz") == 0.0);
  // The prefix counts at most 4 characters: with 7 in common and a weight of
  // 0.2, jaro 11/12 gains 4 * 0.2 * (1 - 11/12), not enough to reach 1.
  CHECK(jw("abcdefgh", "abcdefgx", 0.2) == Approx(11.0 / 12 + 0.8 / 12).epsilon(1e-15));
  CHECK(jw("abcdefgh", "abcdefgx", 0.2) < 1.0);
  CHECK(jw("abcdefgh", "abcdefgh", 0.25) == 1.0);
  double out;
  CHECK(hotpath_text_jaro_winkler("a", 1, "b", 1, 0.3, 0, &out) == HOTPATH_ERANGE);
  CHECK(std::strstr(hotpath_last_error_message(), "prefix_weight") != nullptr);
  CHECK(hotpath_text_jaro_winkler("a", 1, "b", 1, std::nan(""), 0, &out) == HOTPATH_ERANGE);
}

TEST_CASE("invalid UTF-8 is a status naming the argument and the offset", "[text]") {
  const char* bad[] = {"ab\xff", "ab\xc0\xaf", "ab\xed\xa0\x80", "ab\xf4\x90\x80\x80", "ab\xe2\x82",
                       "ab\x80"};
  for (const char* b : bad) {
    double out = -1;
    CHECK(hotpath_text_jaccard("x", 1, b, std::strlen(b), 0, &out) == HOTPATH_EUTF8);
    CHECK(std::string(hotpath_last_error_message()).find("'b'") != std::string::npos);
    CHECK(std::string(hotpath_last_error_message()).find("offset 2") != std::string::npos);
    CHECK(out == -1);
    uint64_t d = 99;
    CHECK(hotpath_text_levenshtein(b, std::strlen(b), "x", 1, kNoCutoff, 0, &d) == HOTPATH_EUTF8);
    CHECK(d == 99);
  }
  // NUL bytes are ordinary characters.
  CHECK(lev(std::string("a\0b", 3), std::string("a\0c", 3)) == 1);
}

TEST_CASE("bad arguments: NULL, flags, metrics", "[text]") {
  double out;
  CHECK(hotpath_text_jaccard(nullptr, 3, "a", 1, 0, &out) == HOTPATH_ENULL);
  CHECK(hotpath_text_jaccard(nullptr, 0, nullptr, 0, 0, &out) == HOTPATH_OK);
  CHECK(out == 1.0);
  CHECK(hotpath_text_jaccard("a", 1, "a", 1, 0, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_text_jaccard("a", 1, "a", 1, 4, &out) == HOTPATH_EINVAL);
  int32_t m = -1;
  CHECK(hotpath_text_metric_from_name("cosine", 6, &m) == HOTPATH_OK);
  CHECK(m == HOTPATH_TEXT_COSINE);
  CHECK(hotpath_text_metric_from_name("Cosine", 6, &m) == HOTPATH_EINVAL);
  CHECK(hotpath_text_default_prefix_weight() == 0.1);
}

TEST_CASE("summaries are byte ranges of the text", "[text]") {
  auto sum = [](const std::string& s, uint32_t lines, uint64_t chars, uint32_t flags = 0) {
    size_t off = 0, len = 0;
    REQUIRE(hotpath_text_summarize(s.data(), s.size(), lines, chars, flags, &off, &len) ==
            HOTPATH_OK);
    return s.substr(off, len);
  };
  const uint32_t fm = hotpath_text_flag_skip_front_matter();
  CHECK(sum("\n\n  # Title  \nbody\n", 1, 200) == "# Title");
  CHECK(sum("one\r\ntwo\r\nthree", 2, 200) == "one\r\ntwo");
  CHECK(sum("one\ntwo", 5, 200) == "one\ntwo");
  CHECK(sum("---\ntitle: x\n---\nBody line\n", 1, 200, fm) == "Body line");
  CHECK(sum("---\ntitle: x\n---\nBody line\n", 1, 200) == "---");
  CHECK(sum("---  \r\ntitle: x\n--- \r\n\nBody\n", 1, 200, fm) == "Body");
  CHECK(sum("---\nunclosed\nstill\n", 1, 200, fm) == "---");
  CHECK(sum(utf8(U"日本語のテキスト"), 1, 3) == utf8(U"日本語"));
  CHECK(sum("hello", 0, 10).empty());
  CHECK(sum("hello", 1, 0).empty());
  CHECK(sum("", 1, 10).empty());
}

TEST_CASE("corpus queries equal the pair functions, whatever the thread count", "[text]") {
  std::mt19937_64 rng(3);
  std::vector<std::string> texts;
  const std::u32string alphabet = U"abcde ABCDE é漢";
  for (int i = 0; i < 300; ++i) texts.push_back(utf8(random_text(rng, alphabet, rng() % 150)));
  texts.push_back("");
  const std::string query = utf8(random_text(rng, alphabet, 80));
  for (uint32_t flags : {0u, hotpath_text_flag_case_fold()}) {
    Corpus corpus(texts, flags);
    REQUIRE(hotpath_text_corpus_size(corpus.handle) == texts.size());
    REQUIRE(hotpath_text_corpus_flags(corpus.handle) == flags);
    for (int32_t metric_code = 0; metric_code <= 5; ++metric_code) {
      std::vector<double> one(texts.size()), two(texts.size());
      REQUIRE(hotpath_set_num_threads(1) == HOTPATH_OK);
      REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), corpus.handle, metric_code, 0.1,
                                       one.data(), one.size()) == HOTPATH_OK);
      REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
      REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), corpus.handle, metric_code, 0.1,
                                       two.data(), two.size()) == HOTPATH_OK);
      CHECK(one == two);
      for (size_t i = 0; i < texts.size(); ++i) {
        const std::string& t = texts[i];
        double expect = 0;
        switch (metric_code) {
          case HOTPATH_TEXT_JACCARD: expect = metric(hotpath_text_jaccard, query, t, flags); break;
          case HOTPATH_TEXT_COSINE: expect = metric(hotpath_text_cosine, query, t, flags); break;
          case HOTPATH_TEXT_OVERLAP: expect = metric(hotpath_text_overlap, query, t, flags); break;
          case HOTPATH_TEXT_LEVENSHTEIN:
            expect = static_cast<double>(lev(query, t, kNoCutoff, flags));
            break;
          case HOTPATH_TEXT_LEVENSHTEIN_NORMALIZED:
            REQUIRE(hotpath_text_levenshtein_normalized(query.data(), query.size(), t.data(),
                                                        t.size(), flags, &expect) == HOTPATH_OK);
            break;
          default:
            REQUIRE(hotpath_text_jaro_winkler(query.data(), query.size(), t.data(), t.size(), 0.1,
                                              flags, &expect) == HOTPATH_OK);
        }
        INFO("metric " << metric_code << " text " << i);
        CHECK(one[i] == expect);
      }
    }
    hotpath_set_num_threads(0);
  }
}

TEST_CASE("extract: best first, ties by index, cutoffs", "[text]") {
  Corpus corpus({"apple pie", "apple", "banana split", "apple pie", "cherry"});
  uint64_t idx[5];
  double sc[5];
  size_t count = 0;
  REQUIRE(hotpath_text_extract("apple pie", 9, corpus.handle, HOTPATH_TEXT_JACCARD, 0.1,
                               std::nan(""), 3, idx, sc, &count) == HOTPATH_OK);
  REQUIRE(count == 3);
  CHECK(idx[0] == 0);
  CHECK(idx[1] == 3);
  CHECK(idx[2] == 1);
  CHECK(sc[0] == 1.0);
  CHECK(sc[2] == 0.5);
  REQUIRE(hotpath_text_extract("apple pie", 9, corpus.handle, HOTPATH_TEXT_JACCARD, 0.1, 0.6, 5,
                               idx, sc, &count) == HOTPATH_OK);
  CHECK(count == 2);
  // Distances: smallest first, cutoff inclusive.
  REQUIRE(hotpath_text_extract("apple", 5, corpus.handle, HOTPATH_TEXT_LEVENSHTEIN, 0.1, 4.0, 5,
                               idx, sc, &count) == HOTPATH_OK);
  REQUIRE(count == 3);
  CHECK(idx[0] == 1);
  CHECK(sc[0] == 0.0);
  CHECK(idx[1] == 0);
  CHECK(sc[1] == 4.0);
  CHECK(idx[2] == 3);
  REQUIRE(hotpath_text_extract("apple", 5, corpus.handle, HOTPATH_TEXT_LEVENSHTEIN, 0.1, -1.0, 5,
                               idx, sc, &count) == HOTPATH_OK);
  CHECK(count == 0);
  REQUIRE(hotpath_text_extract("apple", 5, corpus.handle, 0, 0.1, std::nan(""), 0, nullptr, nullptr,
                               &count) == HOTPATH_OK);
  CHECK(count == 0);
}

TEST_CASE("matrix: symmetric, unit diagonal, equal to the pairs", "[text]") {
  std::mt19937_64 rng(11);
  std::vector<std::string> texts;
  // Large enough for the pool to split the rows at 2 threads.
  for (int i = 0; i < 150; ++i) texts.push_back(utf8(random_text(rng, U"ab cd ef", rng() % 150)));
  Corpus corpus(texts);
  const size_t n = texts.size();
  for (int32_t metric_code = 0; metric_code <= 5; ++metric_code) {
    std::vector<double> m1(n * n), m2(n * n);
    REQUIRE(hotpath_set_num_threads(1) == HOTPATH_OK);
    REQUIRE(hotpath_text_matrix(corpus.handle, metric_code, 0.1, m1.data(), m1.size()) ==
            HOTPATH_OK);
    REQUIRE(hotpath_set_num_threads(2) == HOTPATH_OK);
    REQUIRE(hotpath_text_matrix(corpus.handle, metric_code, 0.1, m2.data(), m2.size()) ==
            HOTPATH_OK);
    CHECK(m1 == m2);
    for (size_t i = 0; i < n; ++i) {
      CHECK(m1[i * n + i] == (metric_code == HOTPATH_TEXT_LEVENSHTEIN ? 0.0 : 1.0));
      std::vector<double> row(n);
      REQUIRE(hotpath_text_one_to_many(texts[i].data(), texts[i].size(), corpus.handle,
                                       metric_code, 0.1, row.data(), n) == HOTPATH_OK);
      for (size_t j = i + 1; j < n; ++j) {
        CHECK(m1[i * n + j] == m1[j * n + i]);
        CHECK(m1[i * n + j] == row[j]);
      }
    }
  }
  hotpath_set_num_threads(0);
  double dummy;
  CHECK(hotpath_text_matrix(corpus.handle, 0, 0.1, &dummy, 1) == HOTPATH_EINVAL);
  CHECK(hotpath_text_matrix(corpus.handle, 9, 0.1, &dummy, n * n) == HOTPATH_EINVAL);
  CHECK(hotpath_text_matrix(nullptr, 0, 0.1, &dummy, 0) == HOTPATH_ENULL);
}

TEST_CASE("corpus creation checks offsets and UTF-8", "[text]") {
  hotpath_text_corpus_t* c = nullptr;
  const char data[] = "abc\xff" "def";
  size_t good[] = {0, 3, 3};
  size_t down[] = {0, 3, 2};
  size_t bad_text[] = {0, 3, 7};
  CHECK(hotpath_text_corpus_create(data, good, 2, 0, &c) == HOTPATH_OK);
  CHECK(hotpath_text_corpus_size(c) == 2);
  hotpath_text_corpus_destroy(c);
  c = nullptr;
  CHECK(hotpath_text_corpus_create(data, down, 2, 0, &c) == HOTPATH_EINVAL);
  CHECK(c == nullptr);
  CHECK(hotpath_text_corpus_create(data, bad_text, 2, 0, &c) == HOTPATH_EUTF8);
  CHECK(std::string(hotpath_last_error_message()).find("text 1") != std::string::npos);
  CHECK(hotpath_text_corpus_create(data, good, 2, 8, &c) == HOTPATH_EINVAL);
  CHECK(hotpath_text_corpus_create(data, nullptr, 2, 0, &c) == HOTPATH_ENULL);
  size_t zero[] = {0};
  CHECK(hotpath_text_corpus_create(nullptr, zero, 0, 0, &c) == HOTPATH_OK);
  CHECK(hotpath_text_corpus_size(c) == 0);
  double out;
  CHECK(hotpath_text_one_to_many("a", 1, c, 0, 0.1, &out, 0) == HOTPATH_OK);
  CHECK(hotpath_text_one_to_many("a", 1, c, 0, 0.1, &out, 1) == HOTPATH_EINVAL);
  hotpath_text_corpus_destroy(c);
  CHECK(hotpath_text_corpus_size(nullptr) == 0);
}

TEST_CASE("joined corpora equal packed corpora, borrowed or copied, folded or not", "[text]") {
  std::mt19937_64 rng(11);
  const std::u32string alphabet = U"abcde ABCDE \u00e9\u6f22\u0130\u1e9e\U0001F600";
  // Large enough for the pool (more than 256 KiB), with empty texts among them.
  std::vector<std::string> texts;
  for (int i = 0; i < 4000; ++i) texts.push_back(utf8(random_text(rng, alphabet, rng() % 120)));
  texts[0] = "";
  texts[17] = "";
  texts.push_back("");
  std::string joined;
  for (size_t i = 0; i < texts.size(); ++i) joined += (i ? "\n" : "") + texts[i];
  const std::string query = utf8(random_text(rng, alphabet, 40));
  const uint32_t fold = hotpath_text_flag_case_fold(), borrow = hotpath_text_flag_borrow();
  for (uint32_t flags : {0u, fold, borrow, fold | borrow}) {
    Corpus packed(texts, flags & fold);
    hotpath_text_corpus_t* c = nullptr;
    std::string data = joined;  // the borrowed corpus reads this copy
    REQUIRE(hotpath_text_corpus_create_joined(data.data(), data.size(), '\n', texts.size(), flags,
                                              &c) == HOTPATH_OK);
    CHECK(data == joined);
    CHECK(hotpath_text_corpus_size(c) == texts.size());
    CHECK(hotpath_text_corpus_flags(c) == flags);
    for (int32_t metric_code = 0; metric_code <= 5; ++metric_code) {
      std::vector<double> a(texts.size()), b(texts.size());
      REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), packed.handle, metric_code, 0.1,
                                       a.data(), a.size()) == HOTPATH_OK);
      REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), c, metric_code, 0.1, b.data(),
                                       b.size()) == HOTPATH_OK);
      INFO("flags " << flags << " metric " << metric_code);
      CHECK(a == b);
    }
    // Query texts of the corpus itself: each is found at distance 0.
    for (size_t i : {size_t(0), size_t(1), size_t(2500), texts.size() - 2}) {
      std::vector<double> d(texts.size());
      REQUIRE(hotpath_text_one_to_many(texts[i].data(), texts[i].size(), c,
                                       HOTPATH_TEXT_LEVENSHTEIN, 0.1, d.data(),
                                       d.size()) == HOTPATH_OK);
      CHECK(d[i] == 0.0);
    }
    hotpath_text_corpus_destroy(c);
  }
}

TEST_CASE("joined corpus creation checks the separators, the count and UTF-8", "[text]") {
  hotpath_text_corpus_t* c = nullptr;
  const std::string three("ab\0\0c", 5);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 3, 0, &c) == HOTPATH_OK);
  CHECK(hotpath_text_corpus_size(c) == 3);
  double d[3];
  REQUIRE(hotpath_text_one_to_many("ab", 2, c, HOTPATH_TEXT_LEVENSHTEIN, 0.1, d, 3) == HOTPATH_OK);
  CHECK(d[0] == 0.0);
  CHECK(d[1] == 2.0);
  CHECK(d[2] == 2.0);
  hotpath_text_corpus_destroy(c);
  c = nullptr;
  // A text holding the separator: another count, EINVAL, nothing made.
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 2, 0, &c) ==
        HOTPATH_EINVAL);
  CHECK(std::string(hotpath_last_error_message()).find("separator") != std::string::npos);
  CHECK(c == nullptr);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 4, 0, &c) ==
        HOTPATH_EINVAL);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0x80, 1, 0, &c) ==
        HOTPATH_EINVAL);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 0, 0, &c) ==
        HOTPATH_EINVAL);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 3, 8, &c) ==
        HOTPATH_EINVAL);
  CHECK(hotpath_text_corpus_create_joined(nullptr, 3, 0, 1, 0, &c) == HOTPATH_ENULL);
  CHECK(hotpath_text_corpus_create_joined(three.data(), three.size(), 0, 3, 0, nullptr) ==
        HOTPATH_ENULL);
  // Invalid UTF-8 names the text and the offset within it.
  const std::string bad("abc,d\xff" "e,f", 9);
  CHECK(hotpath_text_corpus_create_joined(bad.data(), bad.size(), ',', 3, 0, &c) == HOTPATH_EUTF8);
  CHECK(std::string(hotpath_last_error_message()).find("text 1 ") != std::string::npos);
  CHECK(std::string(hotpath_last_error_message()).find("offset 1") != std::string::npos);
  // A sequence cut by a separator is invalid in both texts' sense.
  const std::string cut("\xc3,\xa9", 3);
  CHECK(hotpath_text_corpus_create_joined(cut.data(), cut.size(), ',', 2, 0, &c) == HOTPATH_EUTF8);
  CHECK(std::string(hotpath_last_error_message()).find("text 0 ") != std::string::npos);
  // No texts: an empty buffer, NULL allowed.
  CHECK(hotpath_text_corpus_create_joined(nullptr, 0, 0, 0, 0, &c) == HOTPATH_OK);
  CHECK(hotpath_text_corpus_size(c) == 0);
  hotpath_text_corpus_destroy(c);
  // One empty text, however it is kept.
  const uint32_t fold = hotpath_text_flag_case_fold(), borrow = hotpath_text_flag_borrow();
  for (uint32_t flags : {0u, fold, borrow, fold | borrow}) {
    CHECK(hotpath_text_corpus_create_joined(nullptr, 0, 0, 1, flags, &c) == HOTPATH_OK);
    CHECK(hotpath_text_corpus_size(c) == 1);
    for (int32_t metric_code = 0; metric_code <= 5; ++metric_code)
      REQUIRE(hotpath_text_one_to_many("xy", 2, c, metric_code, 0.1, d, 1) == HOTPATH_OK);
    REQUIRE(hotpath_text_one_to_many("xy", 2, c, HOTPATH_TEXT_LEVENSHTEIN, 0.1, d, 1) ==
            HOTPATH_OK);
    CHECK(d[0] == 2.0);
    hotpath_text_corpus_destroy(c);
  }
}

TEST_CASE("long queries: the lane-parallel edit distance equals the pair function", "[text]") {
  // Enough long texts that the groups of lanes are split over the pool's workers.
  std::mt19937_64 rng(23);
  std::vector<std::string> texts;
  for (int i = 0; i < 403; ++i)
    texts.push_back(utf8(random_text(rng, U"abcdé漢", 60 + rng() % 300)));
  texts.push_back("");
  const std::string query = utf8(random_text(rng, U"abcdé漢", 200));
  Corpus corpus(texts);
  for (int threads : {1, 2}) {
    REQUIRE(hotpath_set_num_threads(threads) == HOTPATH_OK);
    std::vector<double> d(texts.size()), norm(texts.size());
    REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), corpus.handle,
                                     HOTPATH_TEXT_LEVENSHTEIN, 0.1, d.data(), d.size()) ==
            HOTPATH_OK);
    REQUIRE(hotpath_text_one_to_many(query.data(), query.size(), corpus.handle,
                                     HOTPATH_TEXT_LEVENSHTEIN_NORMALIZED, 0.1, norm.data(),
                                     norm.size()) == HOTPATH_OK);
    for (size_t i = 0; i < texts.size(); ++i) {
      INFO("text " << i << " threads " << threads);
      const uint64_t expect = lev(query, texts[i]);
      CHECK(d[i] == static_cast<double>(expect));
      double n = -1;
      REQUIRE(hotpath_text_levenshtein_normalized(query.data(), query.size(), texts[i].data(),
                                                  texts[i].size(), 0, &n) == HOTPATH_OK);
      CHECK(norm[i] == n);
    }
  }
  hotpath_set_num_threads(0);
}
