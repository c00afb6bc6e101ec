// Branch-free, vectorizable helpers for kernels over uint64 inputs.
//
// The compiler cannot vectorize calls to libm's log2, nor (below AVX-512) the
// uint64 -> double conversion; these versions use only integer and double
// arithmetic on 64-bit lanes, so loops over them vectorize at every SIMD
// width.  Build with -ffp-contract=off so every target produces the same bits
// (the fused multiply-adds that matter are written out as std::fma).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

// Loops over these helpers are compiled once per SIMD level and the best one
// is picked when the library loads (GNU ifunc), so one binary runs anywhere
// x86-64 does and uses AVX2+FMA / AVX-512 where the processor has them.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(HOTPATH_NO_SIMD_CLONES)
#define HOTPATH_SIMD_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define HOTPATH_SIMD_CLONES
#endif

namespace hotpath {
namespace fastmath {

inline double bits_to_double(uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

inline uint64_t double_to_bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

// Correctly rounded (double)x: both 32-bit halves are placed exactly into the
// mantissas of 2^52 and 2^84, so the final sum is the only rounding.
inline double u64_to_double(uint64_t x) {
  const double lo = bits_to_double((x & 0xFFFFFFFFull) | 0x4330000000000000ull) - 0x1p52;
  const double hi = bits_to_double((x >> 32) | 0x4530000000000000ull) - 0x1p84;
  return hi + lo;
}

// Small signed integer (|e| < 2^51) to double without the int -> double
// instruction, which has no SIMD form below AVX-512.
inline double small_int_to_double(int64_t e) {
  return bits_to_double(0x4338000000000000ull + static_cast<uint64_t>(e)) - 0x1.8p52;
}

// Bitwise select: a where keep is all ones, b where it is zero.
inline double select(uint64_t keep, double a, double b) {
  return bits_to_double((double_to_bits(a) & keep) | (double_to_bits(b) & ~keep));
}

// log2 of a finite double x >= 1 (the kernels only need that range), within
// 2 ulp of libm's log2 and exact for powers of two.  Branch-free so that
// loops over it vectorize.
//
// x = 2^e * m with m in [sqrt(1/2), sqrt(2)); log(m) = 2 atanh(s) with
// s = (m-1)/(m+1), |s| <= 0.1716, summed as 2s * (1 + z/3 + z^2/5 + ...),
// z = s^2 <= 0.0295; eleven terms leave a truncation error below 1e-17.
inline double log2_ge1(double x) {
  constexpr uint64_t kMantissa = 0x000FFFFFFFFFFFFFull;
  constexpr uint64_t kSqrt2Mantissa = 0x0006A09E667F3BCCull;  // mantissa of sqrt(2), rounded down
  const uint64_t bits = double_to_bits(x);
  const uint64_t mant = bits & kMantissa;
  // 1 when m > sqrt(2): then use m/2 and e+1.
  const uint64_t big = (kSqrt2Mantissa - mant) >> 63;
  const double m = bits_to_double(mant | ((1023 - big) << 52));
  const int64_t e = static_cast<int64_t>(bits >> 52) - 1023 + static_cast<int64_t>(big);
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  // Explicit fused multiply-adds: one instruction on x86-64-v3 and later, an
  // exact (slow) libm call on older processors, the same bits everywhere.
  double p = 1.0 / 23;
  p = std::fma(p, z, 1.0 / 21);
  p = std::fma(p, z, 1.0 / 19);
  p = std::fma(p, z, 1.0 / 17);
  p = std::fma(p, z, 1.0 / 15);
  p = std::fma(p, z, 1.0 / 13);
  p = std::fma(p, z, 1.0 / 11);
  p = std::fma(p, z, 1.0 / 9);
  p = std::fma(p, z, 1.0 / 7);
  p = std::fma(p, z, 1.0 / 5);
  p = std::fma(p, z, 1.0 / 3);
  const double ln_m = std::fma(2.0 * s, z * p, 2.0 * s);
  constexpr double kInvLn2 = 1.4426950408889634074;
  return small_int_to_double(e) + ln_m * kInvLn2;
}

}  // namespace fastmath
}  // namespace hotpath
