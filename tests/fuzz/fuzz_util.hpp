// Helpers shared by the libFuzzer targets: an invariant check that names the
// failing condition, a reader that splits the fuzzer's bytes into parameters,
// and reference UTF-8 and white-space rules written from the specifications
// (Unicode Table 3-7, Python's str.split() set), independent of src/common.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#define FUZZ_EXPECT(cond)                                                                \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace fuzz {

// Takes parameters from the front of the input; the rest is the payload.
struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  uint32_t u16() { return uint32_t(byte()) | (uint32_t(byte()) << 8); }
  std::string rest() {
    std::string s(reinterpret_cast<const char*>(p), n);
    p += n;
    n = 0;
    return s;
  }
  // Up to `max` bytes, the length taken from the input.
  std::string take(size_t max) {
    size_t len = byte();
    if (len > max) len = max;
    if (len > n) len = n;
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len;
    n -= len;
    return s;
  }
};

// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), 0 if none.
inline size_t ref_seq(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[k])); };
  const size_t n = s.size();
  const unsigned b0 = b(i);
  if (b0 <= 0x7F) return 1;
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    return i + k < n && b(i + k) >= lo && b(i + k) <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (b0 == 0xE0) return in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  if (b0 == 0xED) return in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF) ? 3 : 0;
  if (b0 == 0xF0) return in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3)
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  if (b0 == 0xF4) return in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

// Offset of the first byte that starts no well-formed sequence, or npos.
inline size_t ref_invalid_at(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = ref_seq(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string::npos;
}

inline bool ref_valid(const std::string& s) { return ref_invalid_at(s) == std::string::npos; }

inline uint32_t ref_decode_at(const std::string& s, size_t i, size_t len) {
  const auto b = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k]));
  };
  switch (len) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

// Code points of valid UTF-8, with the byte offset of each (and a final entry
// holding s.size()).
struct Decoded {
  std::vector<uint32_t> cp;
  std::vector<size_t> at;
};
inline Decoded ref_decode(const std::string& s) {
  Decoded d;
  for (size_t i = 0; i < s.size();) {
    const size_t len = ref_seq(s, i);
    d.cp.push_back(ref_decode_at(s, i, len));
    d.at.push_back(i);
    i += len;
  }
  d.at.push_back(s.size());
  return d;
}

// The characters Python's str.split() splits on.
inline bool ref_space(uint32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Makes arbitrary bytes valid UTF-8 by dropping the bytes that start no
// well-formed sequence, so that targets also reach the paths behind validation.
inline std::string ref_scrub(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t len = ref_seq(s, i);
    if (len == 0) {
      ++i;
      continue;
    }
    out.append(s, i, len);
    i += len;
  }
  return out;
}

}  // namespace fuzz
