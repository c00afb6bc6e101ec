// Inline word splitting shared by the text and consensus cores.
#pragma once

#include "common/utf8.hpp"

namespace hotpath {
namespace text {

template <class F>
void for_each_word(const char* str, size_t n, F&& f) {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0;
  while (i < n) {
    size_t w;
    while (i < n && (w = utf8::space_at(s + i, n - i)) != 0) i += w;
    if (i >= n) break;
    size_t start = i;
    while (i < n && utf8::space_at(s + i, n - i) == 0) i += utf8::seq_len(s[i]);
    f(str + start, i - start);
  }
}

}  // namespace text
}  // namespace hotpath
