// The search module through its C API: bad arguments, the pruned top k
// against the unpruned ranking, phrases, fields, deletions with exact
// statistics, commits that reopen, corrupt files.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "hotpath/search.h"

namespace {

struct Doc {
  std::string id, title, text;
  std::vector<std::pair<std::string, std::string>> fields;
};

hotpath_status_t add(hotpath_search_index_t* ix, const std::vector<Doc>& docs, int replace = 0) {
  std::string data;
  std::vector<size_t> offs{0};
  std::vector<uint32_t> fc;
  auto push = [&](const std::string& s) {
    data += s;
    offs.push_back(data.size());
  };
  for (const auto& d : docs) {
    push(d.id);
    push(d.title);
    push(d.text);
    for (const auto& f : d.fields) {
      push(f.first);
      push(f.second);
    }
    fc.push_back(uint32_t(d.fields.size()));
  }
  return hotpath_search_add(ix, data.data(), offs.data(), offs.size() - 1, fc.data(), fc.size(),
                            replace);
}

struct Results {
  hotpath_search_results_t* r = nullptr;
  Results() { REQUIRE(hotpath_search_results_create(&r) == HOTPATH_OK); }
  ~Results() { hotpath_search_results_destroy(r); }
};

std::vector<std::pair<std::string, double>> query(hotpath_search_index_t* ix, const std::string& q,
                                                  uint64_t limit = 10, int mode_and = 0,
                                                  uint32_t fuzzy = 0, int prefix = 0,
                                                  uint64_t offset = 0) {
  Results res;
  size_t n = 0;
  REQUIRE(hotpath_search_query(ix, q.data(), q.size(), limit, offset, mode_and, fuzzy, prefix,
                               res.r, &n) == HOTPATH_OK);
  const char* data;
  const size_t* offs;
  const double* scores;
  REQUIRE(hotpath_search_results_hits(res.r, &data, &offs, &scores, nullptr) == HOTPATH_OK);
  std::vector<std::pair<std::string, double>> out;
  for (size_t i = 0; i < n; ++i) out.emplace_back(std::string(data + offs[i], offs[i + 1] - offs[i]), scores[i]);
  return out;
}

hotpath_search_index_t* open_index(const std::string& path = "", int sw = -1, int st = -1) {
  hotpath_search_index_t* ix = nullptr;
  REQUIRE(hotpath_search_open(path.data(), path.size(), sw, st, &ix) == HOTPATH_OK);
  return ix;
}

std::string temp_dir() {
  char tmpl[] = "/tmp/hotpath-search-test-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

double bm25(double idf, double tf, double dl, double avgdl) {
  return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
}
double idf(double n, double df) { return std::log(1 + (n - df + 0.5) / (df + 0.5)); }

}  // namespace

TEST_CASE("search: bad arguments are named statuses", "[search]") {
  hotpath_search_index_t* ix = nullptr;
  CHECK(hotpath_search_open(nullptr, 0, -1, -1, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_search_open("x", 1, 2, -1, &ix) == HOTPATH_ERANGE);
  CHECK(hotpath_search_open("a\0b", 3, -1, -1, &ix) == HOTPATH_EINVAL);
  CHECK(ix == nullptr);
  ix = open_index();
  Results res;
  size_t n;
  CHECK(hotpath_search_query(ix, "a", 1, 10, 0, 0, 3, 0, res.r, &n) == HOTPATH_ERANGE);
  CHECK(hotpath_search_query(ix, "\xff", 1, 10, 0, 0, 0, 0, res.r, &n) == HOTPATH_EUTF8);
  CHECK(hotpath_search_query(ix, "a", 1, 10, 0, 0, 0, 0, nullptr, &n) == HOTPATH_ENULL);
  CHECK(add(ix, {{"a", "", "x", {{"title", "t"}}}}) == HOTPATH_EINVAL);
  CHECK(add(ix, {{"a", "", "x", {{"9x", "t"}}}}) == HOTPATH_EINVAL);
  CHECK(add(ix, {{"a", "", "\xc3", {}}}) == HOTPATH_EUTF8);
  CHECK(add(ix, {{"a", "", "x", {}}, {"a", "", "y", {}}}) == HOTPATH_EINVAL);
  REQUIRE(add(ix, {{"a", "", "x", {}}}) == HOTPATH_OK);
  CHECK(add(ix, {{"b", "", "y", {}}, {"a", "", "z", {}}}) == HOTPATH_EINVAL);
  size_t count = 0;
  REQUIRE(hotpath_search_doc_ids(ix, res.r, &count) == HOTPATH_OK);
  CHECK(count == 1);  // the failed batch added nothing
  uint32_t fc = 0;
  size_t offs[4] = {0, 1, 1, 2};
  CHECK(hotpath_search_add(ix, "ab", offs, 2, &fc, 1, 0) == HOTPATH_EINVAL);  // 2 items for 3
  int32_t removed = 7;
  CHECK(hotpath_search_remove(ix, "zz", 2, &removed) == HOTPATH_OK);
  CHECK(removed == 0);
  hotpath_search_close(ix);
  hotpath_search_close(nullptr);
}

TEST_CASE("search: scores are BM25 as docs/search.md defines them", "[search]") {
  hotpath_search_index_t* ix = open_index();
  REQUIRE(add(ix, {{"1", "", "apple banana apple", {}},
                   {"2", "Apple", "cherry", {}},
                   {"3", "", "banana cherry date elderberry", {}}}) == HOTPATH_OK);
  // Default field lengths: 3, 2 * 1 + 1 = 3, 4; avgdl 10/3.  apple: df 2, tf 2 and 2.
  auto hits = query(ix, "apple");
  REQUIRE(hits.size() == 2);
  double want = bm25(idf(3, 2), 2, 3, 10.0 / 3);
  CHECK(hits[0].first == "1");  // equal scores: insertion order
  CHECK(hits[1].first == "2");
  CHECK(hits[0].second == Approx(want).epsilon(1e-12));
  CHECK(hits[1].second == Approx(want).epsilon(1e-12));
  // The title field alone: one document has it, length 1.
  hits = query(ix, "title:apple");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].second == Approx(bm25(idf(1, 1), 1, 1, 1)).epsilon(1e-12));
  // A phrase: idf is the sum of its tokens' idfs.
  hits = query(ix, "\"banana cherry\"");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].first == "3");
  CHECK(hits[0].second == Approx((idf(3, 2) + idf(3, 2)) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 4 / (10.0 / 3)))).epsilon(1e-12));
  CHECK(query(ix, "apple", 10, 1).size() == 2);
  CHECK(query(ix, "apple cherry", 10, 1).size() == 1);
  CHECK(query(ix, "apple -banana").size() == 1);
  CHECK(query(ix, "").empty());
  CHECK(query(ix, "-apple").empty());
  CHECK(query(ix, "aple", 10, 0, 1).size() == 2);
  CHECK(query(ix, "ban", 10, 0, 0, 1).size() == 2);
  CHECK(query(ix, "apple", 10, 0, 0, 0, 1).size() == 1);
  hotpath_search_close(ix);
}

TEST_CASE("search: the pruned top k equals the unpruned ranking", "[search]") {
  std::mt19937 rng(42);
  for (int round = 0; round < 3; ++round) {
    hotpath_search_index_t* ix = open_index();
    std::vector<Doc> docs;
    for (int i = 0; i < 3000; ++i) {
      Doc d;
      d.id = "d" + std::to_string(i);
      int len = 1 + int(rng() % 40);
      for (int k = 0; k < len; ++k) {
        // Zipf-like: small word numbers are common.
        unsigned w = unsigned(std::pow(double(rng() % 1000 + 1) / 1000.0, 3) * 200);
        d.text += "w" + std::to_string(w) + " ";
      }
      if (i % 7 == 0) d.title = "w" + std::to_string(rng() % 50);
      docs.push_back(d);
    }
    REQUIRE(add(ix, docs) == HOTPATH_OK);
    if (round > 0) {  // deletions and a second segment
      for (int i = 0; i < 3000; i += 11) {
        int32_t removed = 0;
        std::string id = "d" + std::to_string(i);
        REQUIRE(hotpath_search_remove(ix, id.data(), id.size(), &removed) == HOTPATH_OK);
        CHECK(removed == 1);
      }
      REQUIRE(hotpath_search_commit(ix) == HOTPATH_OK);
      std::vector<Doc> more(docs.begin(), docs.begin() + 500);
      for (auto& d : more) d.id += "b";
      REQUIRE(add(ix, more) == HOTPATH_OK);
    }
    for (int qi = 0; qi < 60; ++qi) {
      std::string q;
      int nt = 1 + int(rng() % 3);
      for (int k = 0; k < nt; ++k) q += "w" + std::to_string(rng() % 120) + " ";
      if (qi % 10 == 9) q += "\"w1 w2\"";
      for (int mode = 0; mode < 2; ++mode) {
        auto all = query(ix, q, 100000, mode);
        auto top = query(ix, q, 10, mode);
        REQUIRE(top.size() == std::min<size_t>(10, all.size()));
        for (size_t i = 0; i < top.size(); ++i) {
          CHECK(top[i].first == all[i].first);
          CHECK(top[i].second == all[i].second);
        }
        auto page = query(ix, q, 5, mode, 0, 0, 7);
        for (size_t i = 0; i < page.size(); ++i) CHECK(page[i].first == all[7 + i].first);
      }
    }
    hotpath_search_close(ix);
  }
}

TEST_CASE("search: removed documents leave no trace in the statistics", "[search]") {
  hotpath_search_index_t* a = open_index();
  hotpath_search_index_t* b = open_index();
  std::vector<Doc> docs = {{"1", "", "red green", {}}, {"2", "", "red blue blue", {}},
                           {"3", "", "green yellow", {}}, {"4", "", "red red red", {}}};
  REQUIRE(add(a, docs) == HOTPATH_OK);
  REQUIRE(hotpath_search_commit(a) == HOTPATH_OK);  // sealed: the removal is a deletion
  int32_t removed = 0;
  REQUIRE(hotpath_search_remove(a, "4", 1, &removed) == HOTPATH_OK);
  REQUIRE(add(b, {docs[0], docs[1], docs[2]}) == HOTPATH_OK);
  for (const char* q : {"red", "green", "blue", "red green", "yellow"}) {
    auto x = query(a, q), y = query(b, q);
    REQUIRE(x.size() == y.size());
    for (size_t i = 0; i < x.size(); ++i) {
      CHECK(x[i].first == y[i].first);
      CHECK(x[i].second == Approx(y[i].second).epsilon(1e-15));
    }
  }
  hotpath_search_close(a);
  hotpath_search_close(b);
}

TEST_CASE("search: a committed folder reopens; a corrupt one is ECORRUPT", "[search]") {
  std::string dir = temp_dir();
  hotpath_search_index_t* ix = open_index(dir, 1, 1);
  REQUIRE(add(ix, {{"n1", "Memory consolidation", "merging the short-term notes", {{"tag", "sleep"}}},
                   {"n2", "", "running and jumping", {}}}) == HOTPATH_OK);
  REQUIRE(hotpath_search_commit(ix) == HOTPATH_OK);
  auto before = query(ix, "runs");
  REQUIRE(before.size() == 1);  // stemmed: runs -> run, running -> run
  REQUIRE(add(ix, {{"n3", "", "not committed", {}}}) == HOTPATH_OK);
  CHECK(query(ix, "committed").size() == 1);
  hotpath_search_close(ix);

  hotpath_search_index_t* again = nullptr;
  CHECK(hotpath_search_open(dir.data(), dir.size(), 0, -1, &again) == HOTPATH_EINVAL);
  again = open_index(dir);
  auto after = query(again, "runs");
  REQUIRE(after.size() == 1);
  CHECK(after[0].second == before[0].second);
  CHECK(query(again, "committed").empty());
  CHECK(query(again, "tag:sleep").size() == 1);
  Results res;
  size_t n = 0;
  REQUIRE(hotpath_search_get(again, "n1", 2, res.r, &n) == HOTPATH_OK);
  CHECK(n == 5);
  hotpath_search_close(again);

  // Flip one byte of the segment: the checksum catches it.
  std::string seg;
  for (const char* name : {"seg-0000000000000000.hps"}) seg = dir + "/" + name;
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f.good());
    f.seekp(100);
    char c;
    f.seekg(100);
    f.get(c);
    f.seekp(100);
    f.put(char(c ^ 0x40));
  }
  hotpath_search_index_t* bad = nullptr;
  CHECK(hotpath_search_open(dir.data(), dir.size(), -1, -1, &bad) == HOTPATH_ECORRUPT);
  CHECK(bad == nullptr);
  CHECK(std::strstr(hotpath_last_error_message(), "seg-0000000000000000.hps") != nullptr);
  {
    std::ofstream f(dir + "/MANIFEST", std::ios::binary | std::ios::trunc);
    f << "not a manifest at all";
  }
  CHECK(hotpath_search_open(dir.data(), dir.size(), -1, -1, &bad) == HOTPATH_ECORRUPT);
  CHECK(std::system(("rm -rf '" + dir + "'").c_str()) == 0);
}

TEST_CASE("search: query_many equals a loop of queries", "[search]") {
  hotpath_search_index_t* ix = open_index();
  std::vector<Doc> docs;
  for (int i = 0; i < 500; ++i)
    docs.push_back({"d" + std::to_string(i), "", "w" + std::to_string(i % 13) + " w" + std::to_string(i % 7), {}});
  REQUIRE(add(ix, docs) == HOTPATH_OK);
  std::vector<std::string> qs;
  for (int i = 0; i < 40; ++i) qs.push_back("w" + std::to_string(i % 15) + " w" + std::to_string(i % 4));
  std::string data;
  std::vector<size_t> offs{0};
  for (auto& q : qs) {
    data += q;
    offs.push_back(data.size());
  }
  Results res;
  size_t total = 0;
  REQUIRE(hotpath_search_query_many(ix, data.data(), offs.data(), qs.size(), 5, 0, 0, 0, 0, res.r,
                                    &total) == HOTPATH_OK);
  const size_t* counts = hotpath_search_results_counts(res.r);
  const char* sd;
  const size_t* so;
  const double* sc;
  REQUIRE(hotpath_search_results_hits(res.r, &sd, &so, &sc, nullptr) == HOTPATH_OK);
  size_t at = 0;
  for (size_t i = 0; i < qs.size(); ++i) {
    auto one = query(ix, qs[i], 5);
    REQUIRE(counts[i] == one.size());
    for (size_t k = 0; k < one.size(); ++k, ++at) {
      CHECK(std::string(sd + so[at], so[at + 1] - so[at]) == one[k].first);
      CHECK(sc[at] == one[k].second);
    }
  }
  CHECK(at == total);
  hotpath_search_close(ix);
}

TEST_CASE("search: the analyzer folds, normalizes and splits ideographs", "[search]") {
  Results res;
  size_t n = 0;
  std::string text = "Stra\xc3\x9f" "e STRASSE \xef\xbc\xa1\xef\xbc\xa2 \xe6\x9d\xb1\xe4\xba\xac caf\xc3\xa9";
  REQUIRE(hotpath_search_analyze(text.data(), text.size(), 0, 0, res.r, &n) == HOTPATH_OK);
  const char* d;
  const size_t* o;
  const uint64_t* pos;
  REQUIRE(hotpath_search_results_hits(res.r, &d, &o, nullptr, &pos) == HOTPATH_OK);
  std::vector<std::string> toks;
  for (size_t i = 0; i < n; ++i) toks.emplace_back(d + o[i], o[i + 1] - o[i]);
  std::vector<std::string> want = {"strasse", "strasse", "ab", "\xe6\x9d\xb1", "\xe4\xba\xac", "caf\xc3\xa9"};
  CHECK(toks == want);
  CHECK(pos[4] == 4);
  REQUIRE(hotpath_search_analyze("the cats are running", 20, 1, 1, res.r, &n) == HOTPATH_OK);
  REQUIRE(hotpath_search_results_hits(res.r, &d, &o, nullptr, &pos) == HOTPATH_OK);
  REQUIRE(n == 2);
  CHECK(std::string(d + o[0], o[1] - o[0]) == "cat");
  CHECK(std::string(d + o[1], o[2] - o[1]) == "run");
  CHECK(pos[0] == 1);
  CHECK(pos[1] == 3);
}
