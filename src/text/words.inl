// Inline word splitting shared by the text and consensus cores.
#pragma once

#include <array>

#include "common/utf8.hpp"

namespace hotpath {
namespace text {

namespace detail {
// Per lead byte: 0 never white space (ASCII letters, digits, punctuation and
// UTF-8 continuation bytes), 1 ASCII white space, 2 may start a multi-byte
// white-space character (utf8::space_at decides).
constexpr std::array<unsigned char, 256> byte_classes() {
  std::array<unsigned char, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    if (b < 0x80)
      t[b] = ((b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20)) ? 1 : 0;
    else
      t[b] = (b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3) ? 2 : 0;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kByteClass = byte_classes();

// Length of the white-space character at s[i] (0 if none).
inline size_t space_len(const unsigned char* s, size_t i, size_t n) {
  const unsigned char c = kByteClass[s[i]];
  if (c == 0) return 0;
  if (c == 1) return 1;
  return utf8::space_at(s + i, n - i);
}
}  // namespace detail

template <class F>
void for_each_word(const char* str, size_t n, F&& f) {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0;
  while (i < n) {
    size_t w;
    while (i < n && (w = detail::space_len(s, i, n)) != 0) i += w;
    if (i >= n) break;
    const size_t start = i;
    // Inside a word every byte that is not a possible white-space lead is
    // skipped with one table lookup (continuation bytes included).
    while (i < n) {
      const unsigned char c = detail::kByteClass[s[i]];
      if (c == 1 || (c == 2 && utf8::space_at(s + i, n - i))) break;
      ++i;
    }
    f(str + start, i - start);
  }
}

}  // namespace text
}  // namespace hotpath
