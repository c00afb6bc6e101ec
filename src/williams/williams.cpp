#include "williams/williams.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/fastmath.hpp"
#include "common/thread_pool.hpp"

namespace hotpath {
namespace williams {

namespace {

constexpr double kLeverage[] = {32.1, 26.8, 11.5};  // indexed by Regime

// Batch sizing feeds floor(), where one ulp can move the answer by a whole
// item; it uses libm's log2 (the function Python's math module calls) so that
// it returns exactly what the reference implementation returns.
double efficiency_libm(uint64_t t) {
  if (t <= 1) return 1.0;
  const double x = fastmath::u64_to_double(t);
  return x / (std::sqrt(x) * std::log2(x));
}

// The element formulas below are branch-free so that loops over them
// vectorize: t <= 1 is computed as t = 2 and replaced by its defined value
// with a bitwise select.
inline uint64_t gt1_mask(uint64_t t) { return 0 - static_cast<uint64_t>(t > 1); }
inline uint64_t lt_mask(uint64_t a, uint64_t b) { return 0 - static_cast<uint64_t>(a < b); }
inline double clamp_to_2(uint64_t t, uint64_t keep) {
  return fastmath::u64_to_double((t & keep) | (2 & ~keep));
}

inline double space_bound_elem(uint64_t t) {
  const uint64_t keep = gt1_mask(t);
  const double x = clamp_to_2(t, keep);
  return fastmath::select(keep, std::sqrt(x) * fastmath::log2_ge1(x), 1.0);
}

inline double efficiency_elem(uint64_t t) {
  const uint64_t keep = gt1_mask(t);
  const double x = clamp_to_2(t, keep);
  return fastmath::select(keep, x / (std::sqrt(x) * fastmath::log2_ge1(x)), 1.0);
}

inline double space_saved_percent_elem(uint64_t t) {
  const uint64_t keep = gt1_mask(t);
  const double x = clamp_to_2(t, keep);
  return fastmath::select(keep, (x - std::sqrt(x) * fastmath::log2_ge1(x)) / x * 100.0, 0.0);
}

// The confidence multiplier is continuous in efficiency (only clamps, no
// floor), so it can use the vectorizable log2.  log10(500)/log10(n) is
// computed as log2(500)/log2(n), the same ratio.
constexpr double kLog2Of500 = 8.965784284662087;
inline double confidence_elem(uint64_t num_fields, double b, double lev) {
  const uint64_t keep = gt1_mask(num_fields);
  const double x = clamp_to_2(num_fields, keep);
  const double l2 = fastmath::log2_ge1(x);
  const double eff = x / (std::sqrt(x) * l2);
  const double base = b + (1.0 - b) * std::min(1.0, eff / 30.0);
  const double f_small = 1.0 + lev * (x / 10.0);
  const double f_mid = 1.0 + lev;
  const double f_large = 1.0 + lev * (kLog2Of500 / l2);
  const double factor = fastmath::select(
      lt_mask(num_fields, 10), f_small, fastmath::select(lt_mask(num_fields, 501), f_mid, f_large));
  const double r = std::min(1.0, std::max(kMinMultiplier, base * factor));
  return fastmath::select(keep, r, 1.0);
}

// Runs body(begin, end) over [0, n), on the pool from `threshold` items on.
template <class Body>
void for_range(size_t n, size_t threshold, Body&& body) {
  if (n < threshold) {
    body(size_t{0}, n);
    return;
  }
  // Chunks of at least half a threshold stay well above the cost of handing
  // a chunk out.
  ThreadPool::instance().parallel_for(n, threshold / 2, body);
}

}  // namespace

bool regime_valid(int32_t regime) noexcept { return regime >= 0 && regime <= 2; }

double regime_leverage(Regime regime) noexcept { return kLeverage[static_cast<int32_t>(regime)]; }

bool regime_from_name(const char* name, size_t len, Regime* out) noexcept {
  struct Entry {
    const char* name;
    Regime regime;
  };
  static constexpr Entry kNames[] = {
      {"support", Regime::Support},
      {"exploration", Regime::Exploration},
      {"balance", Regime::Balance},
  };
  for (const auto& e : kNames) {
    if (std::strlen(e.name) == len && std::memcmp(e.name, name, len) == 0) {
      *out = e.regime;
      return true;
    }
  }
  return false;
}

uint64_t optimal_batch_size(uint64_t total_items, double available_memory_mb,
                            double memory_per_item_mb) noexcept {
  const double naive = std::floor(available_memory_mb / memory_per_item_mb);
  const double efficient = std::floor(naive * std::sqrt(efficiency_libm(total_items)));
  // min(efficient, total) compared exactly: efficient is an integral double
  // that may exceed the uint64 range, total may not be representable.
  uint64_t chosen;
  if (efficient >= 0x1p64) {
    chosen = total_items;
  } else {
    chosen = std::min(static_cast<uint64_t>(efficient), total_items);
  }
  return std::max<uint64_t>(1, chosen);
}

HOTPATH_SIMD_CLONES double space_bound(uint64_t t) noexcept { return space_bound_elem(t); }
HOTPATH_SIMD_CLONES double efficiency(uint64_t t) noexcept { return efficiency_elem(t); }
HOTPATH_SIMD_CLONES double space_saved_percent(uint64_t t) noexcept {
  return space_saved_percent_elem(t);
}

HOTPATH_SIMD_CLONES
double confidence_multiplier(uint64_t num_fields, double base_confidence, Regime regime) noexcept {
  return confidence_elem(num_fields, base_confidence, regime_leverage(regime) / 1000.0);
}

namespace {

HOTPATH_SIMD_CLONES
void space_bound_range(const uint64_t* in, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = space_bound_elem(in[i]);
}

HOTPATH_SIMD_CLONES
void efficiency_range(const uint64_t* in, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = efficiency_elem(in[i]);
}

HOTPATH_SIMD_CLONES
void space_saved_percent_range(const uint64_t* in, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = space_saved_percent_elem(in[i]);
}

HOTPATH_SIMD_CLONES
void confidence_range(const uint64_t* num_fields, size_t n, const double* bases, double lev,
                      double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = confidence_elem(num_fields[i], bases[i], lev);
}

HOTPATH_SIMD_CLONES
void confidence_range_one_base(const uint64_t* num_fields, size_t n, double base, double lev,
                               double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = confidence_elem(num_fields[i], base, lev);
}
}  // namespace

void space_bound_batch(const uint64_t* in, size_t n, double* out) {
  for_range(n, kParallelThresholdVector,
            [=](size_t b, size_t e) { space_bound_range(in + b, e - b, out + b); });
}

void efficiency_batch(const uint64_t* in, size_t n, double* out) {
  for_range(n, kParallelThresholdVector,
            [=](size_t b, size_t e) { efficiency_range(in + b, e - b, out + b); });
}

void space_saved_percent_batch(const uint64_t* in, size_t n, double* out) {
  for_range(n, kParallelThresholdVector,
            [=](size_t b, size_t e) { space_saved_percent_range(in + b, e - b, out + b); });
}

void optimal_batch_size_batch(const uint64_t* total_items, size_t n, double available_memory_mb,
                              double memory_per_item_mb, uint64_t* out) {
  for_range(n, kParallelThresholdScalar, [=](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i)
      out[i] = optimal_batch_size(total_items[i], available_memory_mb, memory_per_item_mb);
  });
}

void confidence_multiplier_batch(const uint64_t* num_fields, size_t n,
                                 const double* base_confidences, double base_confidence,
                                 Regime regime, double* out) {
  const double lev = regime_leverage(regime) / 1000.0;
  for_range(n, kParallelThresholdVector, [=](size_t b, size_t e) {
    if (base_confidences)
      confidence_range(num_fields + b, e - b, base_confidences + b, lev, out + b);
    else
      confidence_range_one_base(num_fields + b, e - b, base_confidence, lev, out + b);
  });
}

}  // namespace williams
}  // namespace hotpath
