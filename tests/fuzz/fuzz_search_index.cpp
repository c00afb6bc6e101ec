// libFuzzer target: the search index loader on fuzzed files.
// The first input byte chooses what the rest is:
// - even: a segment file.  A MANIFEST naming it with its true size and CRC is
//   written beside it, so the loader trusts the checksum and parses every
//   structure of the fuzzed bytes;
// - odd: the MANIFEST itself (the segment files it names do not exist, or are
//   the seed segment written beside it).
// Opening must succeed or fail with HOTPATH_ECORRUPT / HOTPATH_EIO and a
// message, never crash; an index that opens answers queries, lists its ids
// and returns its documents within the documented contracts.
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "hotpath/search.h"

namespace {

void put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(char(v >> (8 * i)));
}
void put64(std::string& s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(char(v >> (8 * i)));
}

void write_file(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  FUZZ_EXPECT(f != nullptr);
  FUZZ_EXPECT(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  FUZZ_EXPECT(std::fclose(f) == 0);
}

std::string manifest_for(const std::string& seg_name, const std::string& seg) {
  std::string m("HPSRCHM1", 8);
  put32(m, 1);
  put32(m, 0);
  put64(m, 1);      // generation
  put64(m, 1000);   // next seq
  put32(m, 1);
  put32(m, uint32_t(seg_name.size()));
  m += seg_name;
  put64(m, seg.size());
  put32(m, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(seg.data()), uInt(seg.size()))));
  put32(m, 0);
  put32(m, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(m.data()), uInt(m.size()))));
  return m;
}

void exercise(hotpath_search_index_t* ix) {
  hotpath_search_results_t* r = nullptr;
  FUZZ_EXPECT(hotpath_search_results_create(&r) == HOTPATH_OK);
  const char* queries[] = {"a", "memory consolidation", "\"b c\"", "-a b", "title:x", "a*"};
  for (const char* q : queries)
    for (int mode = 0; mode < 2; ++mode) {
      size_t n = 99;
      hotpath_status_t st = hotpath_search_query(ix, q, std::strlen(q), 5, 0, mode, mode, mode, r, &n);
      FUZZ_EXPECT(st == HOTPATH_OK || st == HOTPATH_ECORRUPT);
      if (st == HOTPATH_OK) FUZZ_EXPECT(n <= 5);
    }
  size_t n = 0;
  hotpath_status_t st = hotpath_search_doc_ids(ix, r, &n);
  FUZZ_EXPECT(st == HOTPATH_OK || st == HOTPATH_ECORRUPT);
  if (st == HOTPATH_OK && n) {
    const char* data;
    const size_t* offs;
    FUZZ_EXPECT(hotpath_search_results_hits(r, &data, &offs, nullptr, nullptr) == HOTPATH_OK);
    std::string first(data + offs[0], offs[1] - offs[0]);
    size_t k = 0;
    st = hotpath_search_get(ix, first.data(), first.size(), r, &k);
    FUZZ_EXPECT(st == HOTPATH_OK || st == HOTPATH_ECORRUPT || st == HOTPATH_EUTF8);
  }
  hotpath_search_results_destroy(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static std::string dir;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/hotpath-fuzz-search-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    FUZZ_EXPECT(mkdtemp(buf.data()) != nullptr);
    dir = buf.data();
  }
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string seg_name = "seg-0000000000000000.hps";
  ::unlink((dir + "/" + seg_name).c_str());
  if (data[0] % 2 == 0) {
    write_file(dir + "/" + seg_name, body);
    write_file(dir + "/MANIFEST", manifest_for(seg_name, body));
  } else {
    write_file(dir + "/MANIFEST", body);
  }
  hotpath_search_index_t* ix = nullptr;
  hotpath_status_t st = hotpath_search_open(dir.data(), dir.size(), -1, -1, &ix);
  FUZZ_EXPECT(st == HOTPATH_OK || st == HOTPATH_ECORRUPT || st == HOTPATH_EIO ||
              st == HOTPATH_EINVAL);
  if (st == HOTPATH_OK) {
    exercise(ix);
    hotpath_search_close(ix);
  } else {
    FUZZ_EXPECT(ix == nullptr);
  }
  return 0;
}
