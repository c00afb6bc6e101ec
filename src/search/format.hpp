// Byte-level helpers of the index files (docs/search.md, "Files"): little-endian
// writers, a bounds-checked reader that reports HOTPATH_ECORRUPT, LEB128
// varints and CRC-32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/error.hpp"

namespace hotpath {
namespace search {

uint32_t crc32(const void* p, size_t n, uint32_t crc = 0);

inline void put_u32(std::string& s, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = char(v >> (8 * i));
  s.append(b, 4);
}
inline void put_u64(std::string& s, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = char(v >> (8 * i));
  s.append(b, 8);
}
inline void set_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + size_t(i)] = char(v >> (8 * i));
}
inline void set_u64(std::string& s, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) s[at + size_t(i)] = char(v >> (8 * i));
}
inline void put_varint(std::string& s, uint32_t v) {
  if (v < 0x80) {
    s.push_back(char(v));
    return;
  }
  char b[5];
  size_t n = 0;
  while (v >= 0x80) {
    b[n++] = char(v | 0x80);
    v >>= 7;
  }
  b[n++] = char(v);
  s.append(b, n);
}
inline void pad8(std::string& s) {
  while (s.size() % 8) s.push_back('\0');
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // the library builds for little-endian hosts only
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Reads a varint at p (< end); returns nullptr when it runs past end or is
// longer than five bytes.
inline const uint8_t* get_varint(const uint8_t* p, const uint8_t* end, uint32_t* out) {
  uint32_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (p >= end) return nullptr;
    uint8_t b = *p++;
    v |= uint32_t(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return p;
    }
  }
  return nullptr;
}

// A bounds-checked cursor over [p, end); every failure names `what` (a file).
class ByteReader {
 public:
  ByteReader(const uint8_t* p, size_t n, const char* what) : p_(p), end_(p + n), what_(what) {}
  [[noreturn]] void fail(const char* why) const;
  void need(size_t n) const {
    if (size_t(end_ - p_) < n) fail("truncated");
  }
  uint32_t u32() {
    need(4);
    uint32_t v = load_u32(p_);
    p_ += 4;
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v = load_u64(p_);
    p_ += 8;
    return v;
  }
  const uint8_t* bytes(size_t n) {
    need(n);
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  size_t left() const { return size_t(end_ - p_); }
  const uint8_t* pos() const { return p_; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  const char* what_;
};

}  // namespace search
}  // namespace hotpath
