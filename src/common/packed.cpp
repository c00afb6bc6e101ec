#include "common/packed.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/thread_pool.hpp"
#include "common/utf8.hpp"

namespace hotpath {
namespace packed {

namespace {

inline unsigned lowest_bit(uint64_t m) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(m));
#else
  unsigned k = 0;
  while (!(m & 1)) {
    m >>= 1;
    ++k;
  }
  return k;
#endif
}

// Calls f(position) for every byte c of s[0, n), in order, until f returns false.
// One memchr per hit costs more than the hit's bytes when items are short (a
// few dozen bytes), so scan 64-byte blocks into bit masks instead.
template <class F>
void for_each_byte(const char* s, size_t n, unsigned char c, F&& f) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(static_cast<char>(c));
  auto mask16 = [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at));
    return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, needle))));
  };
  for (; i + 64 <= n; i += 64) {
    uint64_t m = mask16(i) | mask16(i + 16) << 16 | mask16(i + 32) << 32 | mask16(i + 48) << 48;
    for (; m; m &= m - 1)
      if (!f(i + lowest_bit(m))) return;
  }
  for (; i + 16 <= n; i += 16) {
    for (uint64_t m = mask16(i); m; m &= m - 1)
      if (!f(i + lowest_bit(m))) return;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(s[i]) == c && !f(i)) return;
#else
  while (i < n) {
    const void* hit = std::memchr(s + i, c, n - i);
    if (!hit) return;
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - s);
    if (!f(at)) return;
    i = at + 1;
  }
#endif
}

// Moves src[0, len) to dst < src.  Bytes in [dst + len, src + len) may be
// overwritten with garbage when `slack` allows it: the caller guarantees that
// src + len + 15 is readable and that nothing it still needs lies below
// src + len + 1 past dst + len (items later in the buffer are moved after).
inline void move_left(char* dst, const char* src, size_t len, bool slack) noexcept {
  if (!slack) {
    std::memmove(dst, src, len);
    return;
  }
  // 16-byte blocks in increasing order: the block written never reaches the
  // bytes of the next block read, because dst < src.
  for (size_t p = 0; p < len; p += 16) {
    char block[16];
    std::memcpy(block, src + p, 16);
    std::memcpy(dst + p, block, 16);
  }
}

}  // namespace

bool find_joined(const char* data, size_t len, unsigned char sep, size_t n, size_t* starts,
                 size_t* separators) noexcept {
  // Only reads: the item starts (one past each separator) go to starts[1, n).
  size_t found = 0;
  bool too_many = false;
  for_each_byte(data, len, sep, [&](size_t at) {
    if (found == n - 1) {
      too_many = true;
      return false;
    }
    starts[++found] = at + 1;
    return true;
  });
  if (too_many) {
    found = 0;
    for_each_byte(data, len, sep, [&](size_t) {
      ++found;
      return true;
    });
  }
  *separators = found;
  if (found != n - 1) return false;
  starts[0] = 0;
  starts[n] = len + 1;
  return true;
}

bool split_joined(char* data, size_t len, unsigned char sep, size_t n, size_t* offsets,
                  size_t* separators) noexcept {
  if (!find_joined(data, len, sep, n, offsets, separators)) return false;
  // Move item i (i >= 1) left by i bytes.  The block copy may write up to 15
  // bytes past the item's new end: that stays below the item's old end + 1
  // (the next item's old start) when i >= 15, and the next item then
  // overwrites it.
  for (size_t i = 1; i < n; ++i) {
    const size_t start = offsets[i];
    const size_t end = offsets[i + 1] - 1;
    offsets[i] = start - i;
    const size_t item = end - start;
    const bool slack = i >= 15 && end + 16 <= len;
    move_left(data + start - i, data + start, item, slack);
  }
  offsets[n] = len - (n - 1);
  return true;
}

size_t first_invalid_utf8(const char* data, const size_t* offsets, size_t n,
                          size_t* bad_offset) {
  // The exact answer, text by text.
  auto scan = [&](size_t b, size_t e, size_t* off) {
    for (size_t i = b; i < e; ++i) {
      const size_t bad = utf8::validate(data + offsets[i], offsets[i + 1] - offsets[i]);
      if (bad != utf8::kValid) {
        *off = bad;
        return i;
      }
    }
    return e;
  };
  if (n == 0) return 0;
  // Items [b, e) are contiguous, so one validate() of their bytes, plus no item
  // starting on a continuation byte, means each of them is valid (a
  // sequence cannot straddle two items).  That avoids a call per short item.
  auto range_valid = [&](size_t b, size_t e) {
    if (utf8::validate(data + offsets[b], offsets[e] - offsets[b]) != utf8::kValid) return false;
    for (size_t i = b + 1; i < e; ++i)
      if (offsets[i] < offsets[e] && (static_cast<unsigned char>(data[offsets[i]]) & 0xC0) == 0x80)
        return false;
    return true;
  };
  const size_t bytes = offsets[n] - offsets[0];
  constexpr size_t kParallelBytes = size_t(1) << 18;  // below this, threads cost more than they save
  if (bytes < kParallelBytes || ThreadPool::instance().threads() <= 1) {
    if (range_valid(0, n)) return n;
    return scan(0, n, bad_offset);
  }
  // Ranges of about 64 KiB; each finds its own first bad item and the lowest
  // index wins, so the answer is the serial one.
  const size_t grain = std::max<size_t>(1, n / std::max<size_t>(1, bytes >> 16));
  std::mutex mu;
  size_t first = n, first_off = 0;
  auto body = [&](size_t b, size_t e) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (b >= first) return;
    }
    if (range_valid(b, e)) return;
    size_t off = 0;
    const size_t i = scan(b, e, &off);
    std::lock_guard<std::mutex> lock(mu);
    if (i < first) {
      first = i;
      first_off = off;
    }
  };
  ThreadPool::instance().parallel_for(n, grain, body);
  if (first < n) *bad_offset = first_off;
  return first;
}

}  // namespace packed
}  // namespace hotpath
