// UTF-8 validation, decoding and encoding, and the white-space set that
// splits words.  Shared by every module that takes text.
//
// White space is exactly the set Python's str.split() splits on (Unicode
// bidirectional classes WS, B, S and category Zs), so that word boundaries
// agree with the pure-Python twin on every input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotpath {
namespace utf8 {

constexpr size_t kValid = static_cast<size_t>(-1);

// Offset of the first byte that does not start a valid UTF-8 sequence
// (overlong forms, surrogates, > U+10FFFF and truncated sequences are
// invalid), or kValid.
size_t validate(const char* s, size_t n) noexcept;

// Decodes valid UTF-8 (validate() first) into out, which must hold n code
// points; returns the number of code points.
size_t decode(const char* s, size_t n, uint32_t* out) noexcept;

// Writes cp as UTF-8 (1 to 4 bytes) and returns the length.
inline size_t encode(uint32_t cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline bool is_space(uint32_t cp) noexcept {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Length in bytes of the white-space character at s[0..n) (valid UTF-8), or 0.
inline size_t space_at(const unsigned char* s, size_t n) noexcept {
  unsigned char b = s[0];
  if (b < 0x80) return ((b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20)) ? 1 : 0;
  if (b == 0xC2) return (n >= 2 && (s[1] == 0x85 || s[1] == 0xA0)) ? 2 : 0;
  if (b == 0xE1) return (n >= 3 && s[1] == 0x9A && s[2] == 0x80) ? 3 : 0;
  if (b == 0xE2 && n >= 3) {
    if (s[1] == 0x80)
      return ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)
                 ? 3
                 : 0;
    return (s[1] == 0x81 && s[2] == 0x9F) ? 3 : 0;
  }
  if (b == 0xE3) return (n >= 3 && s[1] == 0x80 && s[2] == 0x80) ? 3 : 0;
  return 0;
}

// Length in bytes of the UTF-8 sequence starting with lead byte b.
inline size_t seq_len(unsigned char b) noexcept {
  return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

}  // namespace utf8
}  // namespace hotpath
