// Williams space optimizer: the C++ core (formulas in docs/williams.md).
//
// The element formulas are inline so that the batch loops in williams.cpp
// vectorize them; arguments are assumed valid here (the C API validates).
#pragma once

#include <cstddef>
#include <cstdint>


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

// space_bound(t) = sqrt(t) * log2(t) (1 for t <= 1), efficiency and
// space_saved_percent.  Compiled per SIMD level like the batch kernels and
// computed by the same element formulas, so scalar and batch results are the
// same bits.
double space_bound(uint64_t t) noexcept;
double efficiency(uint64_t t) noexcept;
double space_saved_percent(uint64_t t) noexcept;

// Needs memory_per_item_mb > 0 and available_memory_mb >= 0, both finite.
uint64_t optimal_batch_size(uint64_t total_items, double available_memory_mb,
                            double memory_per_item_mb) noexcept;

// Needs base_confidence in [0, 1].
double confidence_multiplier(uint64_t num_fields, double base_confidence, Regime regime) noexcept;

// Batch kernels: out[i] = f(in[i]), split over the thread pool from these
// sizes on (measured with bench/bench_williams: below them, waking a second
// thread costs more than it saves).  The vectorized kernels cost ~1-3 ns an
// item, the libm-based batch size ~23 ns.
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
