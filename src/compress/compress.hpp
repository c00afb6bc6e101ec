// Compression core: LZ4 frames (liblz4's lz4frame) and gzip members (zlib),
// into caller buffers and streaming between files.  No C ABI here; failures
// throw hotpath::Error.  docs/compress.md describes the formats and choices.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotpath::compress {

enum Format : int32_t { kLz4 = 1, kGzip = 2 };

struct Levels {
  int32_t min, max, def;
};

bool format_valid(int32_t format);
Levels levels(int32_t format);  // format must be valid
// Throws ERANGE for a level outside levels(format).
void check_level(int32_t format, int32_t level);

// Upper bound of compress_into's output for src_len bytes; EOVERFLOW past SIZE_MAX.
size_t bound(int32_t format, size_t src_len);

// Writes one frame (LZ4) or one member (gzip) of src into dst and returns
// its size.  dst_cap must be >= bound(format, src_len) (EBUFFER otherwise).
// Allocates nothing after the calling thread's first call with a given
// format and kind of level (the contexts are per thread).
size_t compress_into(int32_t format, int32_t level, const uint8_t* src, size_t src_len,
                     uint8_t* dst, size_t dst_cap);

// Decodes every frame / member of src (the format of each is told by its
// magic bytes) into dst and returns the total size.  EBUFFER when dst is too
// small (the message gives the needed size when the headers tell it),
// ECORRUPT for corrupt or truncated input and for unknown magic.
size_t decompress_into(const uint8_t* src, size_t src_len, uint8_t* dst, size_t dst_cap);

// Decoding of a concatenation into a buffer that may grow between calls, with
// nothing decoded twice: begin(src, n) (src kept by the caller), then run()
// until it returns true; each run() writes dst[*out..cap) and advances *out,
// returning false when dst is full and more output follows.  Errors as
// decompress_into (never EBUFFER); after one, begin again.
class Decoder {
 public:
  Decoder();
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  void begin(const uint8_t* src, size_t n);
  bool run(uint8_t* dst, size_t cap, size_t* out);

 private:
  struct State;
  State* s_;
};

// The decompressed size declared by the headers: true and *out when every
// LZ4 frame of src declares its content size, false otherwise (gzip never
// declares it).  Throws like decompress_into for bad magic or a bad header.
bool content_size(const uint8_t* src, size_t src_len, uint64_t* out);

// Streaming file conversions in constant memory; the destination appears
// (by rename) only when everything succeeded.  Return bytes written.
uint64_t compress_file(int32_t format, int32_t level, const char* src_path,
                       const char* dst_path);
uint64_t decompress_file(const char* src_path, const char* dst_path);

// Largest total output a valid input of n bytes can decode to, used to refuse
// headers that claim impossible sizes (LZ4 expands at most 255x; see docs).
uint64_t lz4_max_expansion(size_t n);

}  // namespace hotpath::compress
