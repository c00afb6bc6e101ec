// libFuzzer target: decompression of arbitrary bytes through the C API, into a
// fixed buffer, into a buffer of the declared size, and through the resumable
// decoder (hotpath_decoder_*, the Python module's path for undeclared sizes)
// with a buffer grown by small steps: the decoder must give exactly what one
// hotpath_decompress_into call gives.  Built by tests/fuzz/run.sh with
// -fsanitize=fuzzer,address,undefined.
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
  return st == HOTPATH_OK || st == HOTPATH_ECORRUPT || st == HOTPATH_EBUFFER;
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
  // The decoder, grown by steps taken from the input, against one decompress_into.
  hotpath_decoder_t* d = nullptr;
  expect(hotpath_decoder_create(&d) == HOTPATH_OK);
  expect(hotpath_decoder_begin(d, data, size) == HOTPATH_OK);
  std::vector<uint8_t> grown;
  size_t have = 0, step = 1 + (size ? data[size / 2] % 97 : 0);
  int32_t done = 0;
  hotpath_status_t dst = HOTPATH_OK;
  const size_t kMax = size_t(1) << 26;
  while (grown.size() < kMax) {
    grown.resize(grown.size() + step);
    step = step * 2 + 1;
    dst = hotpath_decoder_run(d, grown.data(), grown.size(), &have, &done);
    expect(dst == HOTPATH_OK || dst == HOTPATH_ECORRUPT);
    expect(have <= grown.size());
    if (dst != HOTPATH_OK || done) break;
    expect(have == grown.size());  // not done: the buffer was filled
  }
  hotpath_decoder_destroy(d);
  if (dst == HOTPATH_OK && done) {
    std::vector<uint8_t> once(have);
    st = hotpath_decompress_into(data, size, once.data(), once.size(), &written);
    expect(st == HOTPATH_OK && written == have);
    expect(have == 0 || std::memcmp(once.data(), grown.data(), have) == 0);
  } else if (dst == HOTPATH_ECORRUPT) {
    std::vector<uint8_t> once(have + (size_t(1) << 16));
    st = hotpath_decompress_into(data, size, once.data(), once.size(), &written);
    expect(st == HOTPATH_ECORRUPT || st == HOTPATH_EBUFFER);
  }
  return 0;
}
