#include "common/utf8.hpp"

#include <cstring>

namespace hotpath {
namespace utf8 {

size_t validate(const char* str, size_t n) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0;
  while (i < n) {
    // ASCII runs, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return i;
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      if (i + 2 >= n) return i;
      unsigned char c1 = s[i + 1];
      if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return i;
      if (b == 0xE0 && c1 < 0xA0) return i;   // overlong
      if (b == 0xED && c1 >= 0xA0) return i;  // surrogate
      i += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      if (i + 3 >= n) return i;
      unsigned char c1 = s[i + 1];
      if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
        return i;
      if (b == 0xF0 && c1 < 0x90) return i;  // overlong
      if (b == 0xF4 && c1 >= 0x90) return i; // > U+10FFFF
      i += 4;
    } else {
      return i;
    }
  }
  return kValid;
}

size_t decode(const char* str, size_t n, uint32_t* out) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0, k = 0;
  while (i < n) {
    unsigned char b = s[i];
    if (b < 0x80) {
      out[k++] = b;
      ++i;
    } else if (b < 0xE0) {
      out[k++] = (static_cast<uint32_t>(b & 0x1F) << 6) | (s[i + 1] & 0x3F);
      i += 2;
    } else if (b < 0xF0) {
      out[k++] = (static_cast<uint32_t>(b & 0x0F) << 12) |
                 (static_cast<uint32_t>(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      i += 3;
    } else {
      out[k++] = (static_cast<uint32_t>(b & 0x07) << 18) |
                 (static_cast<uint32_t>(s[i + 1] & 0x3F) << 12) |
                 (static_cast<uint32_t>(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
      i += 4;
    }
  }
  return k;
}

}  // namespace utf8
}  // namespace hotpath
