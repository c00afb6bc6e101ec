// Williams space optimizer: the C++ core (formulas in docs/williams.md).
//
// The element formulas are inline so that the batch loops in williams.cpp
// vectorize them; arguments are assumed valid here (the C API validates).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "common/fastmath.hpp"

namespace hotpath {
namespace williams {

enum class Regime : int32_t { Support = 0, Exploration = 1, Balance = 2 };

constexpr double kDefaultBaseConfidence = 0.85;
constexpr double kDefaultMemoryPerItemMb = 5.0;
constexpr double kMinMultiplier = 0.85;

bool regime_valid(int32_t regime) noexcept;
double regime_leverage(Regime regime) noexcept;
// Exact, case-sensitive name lookup; false when the name is unknown.
bool regime_from_name(const char* name, size_t len, Regime* out) noexcept;

// space_bound(t) = sqrt(t) * log2(t), 1 for t <= 1.  Uses the vectorizable
// log2 so that scalar and batch results are the same bits.
inline double space_bound(uint64_t t) {
  if (t <= 1) return 1.0;
  const double x = fastmath::u64_to_double(t);
  return std::sqrt(x) * fastmath::log2_ge1(x);
}

inline double efficiency(uint64_t t) {
  if (t <= 1) return 1.0;
  return fastmath::u64_to_double(t) / space_bound(t);
}

inline double space_saved_percent(uint64_t t) {
  if (t <= 1) return 0.0;
  const double x = fastmath::u64_to_double(t);
  return (x - space_bound(t)) / x * 100.0;
}

// Needs memory_per_item_mb > 0 and available_memory_mb >= 0, both finite.
uint64_t optimal_batch_size(uint64_t total_items, double available_memory_mb,
                            double memory_per_item_mb) noexcept;

// Needs base_confidence in [0, 1].
double confidence_multiplier(uint64_t num_fields, double base_confidence, Regime regime) noexcept;

// Batch kernels: out[i] = f(in[i]), split over the thread pool from these
// sizes on (measured with bench/bench_williams: below them, waking a second
// thread costs more than it saves).  The vectorized kernels cost ~1.5-3.5 ns
// an item, the libm-based batch size ~15-25 ns.
constexpr size_t kParallelThresholdVector = 65536;
constexpr size_t kParallelThresholdScalar = 4096;
void space_bound_batch(const uint64_t* in, size_t n, double* out);
void efficiency_batch(const uint64_t* in, size_t n, double* out);
void space_saved_percent_batch(const uint64_t* in, size_t n, double* out);
void optimal_batch_size_batch(const uint64_t* total_items, size_t n, double available_memory_mb,
                              double memory_per_item_mb, uint64_t* out);
void confidence_multiplier_batch(const uint64_t* num_fields, size_t n,
                                 const double* base_confidences, double base_confidence,
                                 Regime regime, double* out);

}  // namespace williams
}  // namespace hotpath
