// libFuzzer target: decompression of arbitrary bytes through the C API, both
// into a fixed buffer and along the Python module's growing path (headers
// first, then a buffer of the declared size or doubling ones).  Built by
// tests/fuzz/run.sh with -fsanitize=fuzzer,address,undefined.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "hotpath/compress.h"

namespace {

void expect(bool ok) {
  if (!ok) std::abort();
}

bool allowed(hotpath_status_t st) {
  return st == HOTPATH_OK || st == HOTPATH_ECORRUPT || st == HOTPATH_EBUFFER ||
         st == HOTPATH_EUNSUPPORTED;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<uint8_t> fixed(1 << 16);
  size_t written = 0;
  hotpath_status_t st = hotpath_decompress_into(data, size, fixed.data(), fixed.size(), &written);
  expect(allowed(st));
  expect(written <= fixed.size());

  // The growing path of hotpath.compress.decompress.
  uint64_t declared = 0;
  int32_t known = 0;
  st = hotpath_compress_content_size(data, size, &declared, &known);
  expect(allowed(st) && st != HOTPATH_EBUFFER);
  if (st != HOTPATH_OK) return 0;
  if (known) {
    // The library refuses claims above 256 bytes per input byte.
    expect(declared <= uint64_t(size) * 256);
    std::vector<uint8_t> out(static_cast<size_t>(declared));
    st = hotpath_decompress_into(data, size, out.data(), out.size(), &written);
    expect(allowed(st));
    if (st == HOTPATH_OK) expect(written == declared);
    return 0;
  }
  size_t cap = size * 4 < 65536 ? 65536 : size * 4;
  for (;;) {
    std::vector<uint8_t> out(cap);
    st = hotpath_decompress_into(data, size, out.data(), out.size(), &written);
    expect(allowed(st));
    if (st != HOTPATH_EBUFFER) break;
    // Real output never exceeds ~1032 bytes per input byte (deflate's limit).
    expect(cap <= size * 2048 + (1 << 20));
    cap *= 2;
  }
  return 0;
}
