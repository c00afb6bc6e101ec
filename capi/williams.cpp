// C ABI of the Williams module: argument checks, then the core.
#include "hotpath/williams.h"

#include <cmath>
#include <cstdint>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "williams/williams.hpp"

namespace w = hotpath::williams;
using hotpath::Error;

namespace {

void check_memory_args(double available_memory_mb, double memory_per_item_mb) {
  if (!(std::isfinite(available_memory_mb) && available_memory_mb >= 0.0))
    throw Error(HOTPATH_ERANGE,
                "argument 'available_memory_mb' is %g; expected a finite value >= 0",
                available_memory_mb);
  if (!(std::isfinite(memory_per_item_mb) && memory_per_item_mb > 0.0))
    throw Error(HOTPATH_ERANGE, "argument 'memory_per_item_mb' is %g; expected a finite value > 0",
                memory_per_item_mb);
}

bool base_ok(double b) { return b >= 0.0 && b <= 1.0; }  // false for NaN

void check_base(double base_confidence) {
  if (!base_ok(base_confidence))
    throw Error(HOTPATH_ERANGE, "argument 'base_confidence' is %g; expected a value in [0, 1]",
                base_confidence);
}

w::Regime check_regime(int32_t regime) {
  if (!w::regime_valid(regime))
    throw Error(HOTPATH_EINVAL,
                "argument 'regime' is %d; expected 0 (support), 1 (exploration) or 2 (balance)",
                static_cast<int>(regime));
  return static_cast<w::Regime>(regime);
}

// n == 0 accepts NULL pointers; n must also fit the byte size of the arrays.
void check_batch(const void* in, size_t n, const void* out, size_t out_elem_size) {
  if (n == 0) return;
  hotpath::require_nonnull(in, "in");
  hotpath::require_nonnull(out, "out");
  if (n > SIZE_MAX / out_elem_size || n > SIZE_MAX / sizeof(uint64_t))
    throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; the arrays would exceed the address space",
                n);
}

}  // namespace

extern "C" {

HOTPATH_API double hotpath_williams_space_bound(uint64_t t) { return w::space_bound(t); }

HOTPATH_API double hotpath_williams_efficiency(uint64_t t) { return w::efficiency(t); }

HOTPATH_API double hotpath_williams_space_saved_percent(uint64_t t) {
  return w::space_saved_percent(t);
}

HOTPATH_API hotpath_status_t hotpath_williams_optimal_batch_size(uint64_t total_items,
                                                                 double available_memory_mb,
                                                                 double memory_per_item_mb,
                                                                 uint64_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_memory_args(available_memory_mb, memory_per_item_mb);
    *out = w::optimal_batch_size(total_items, available_memory_mb, memory_per_item_mb);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_confidence_multiplier(uint64_t num_fields,
                                                                    double base_confidence,
                                                                    int32_t regime, double* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_base(base_confidence);
    *out = w::confidence_multiplier(num_fields, base_confidence, check_regime(regime));
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_regime_from_name(const char* name, size_t name_len,
                                                               int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(name, "name");
    hotpath::require_nonnull(out, "out");
    w::Regime r;
    if (!w::regime_from_name(name, name_len, &r))
      throw Error(HOTPATH_EINVAL,
                  "argument 'name' is '%.*s'; expected 'support', 'exploration' or 'balance'",
                  static_cast<int>(name_len > 64 ? 64 : name_len), name);
    *out = static_cast<int32_t>(r);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_regime_leverage(int32_t regime, double* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = w::regime_leverage(check_regime(regime));
    return HOTPATH_OK;
  });
}

HOTPATH_API double hotpath_williams_default_base_confidence(void) {
  return w::kDefaultBaseConfidence;
}

HOTPATH_API double hotpath_williams_default_memory_per_item_mb(void) {
  return w::kDefaultMemoryPerItemMb;
}

HOTPATH_API hotpath_status_t hotpath_williams_space_bound_batch(const uint64_t* in, size_t n,
                                                                double* out) {
  return hotpath::capi_guard(__func__, [&] {
    check_batch(in, n, out, sizeof(double));
    w::space_bound_batch(in, n, out);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_efficiency_batch(const uint64_t* in, size_t n,
                                                               double* out) {
  return hotpath::capi_guard(__func__, [&] {
    check_batch(in, n, out, sizeof(double));
    w::efficiency_batch(in, n, out);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_space_saved_percent_batch(const uint64_t* in,
                                                                        size_t n, double* out) {
  return hotpath::capi_guard(__func__, [&] {
    check_batch(in, n, out, sizeof(double));
    w::space_saved_percent_batch(in, n, out);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_optimal_batch_size_batch(const uint64_t* total_items,
                                                                       size_t n,
                                                                       double available_memory_mb,
                                                                       double memory_per_item_mb,
                                                                       uint64_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    check_batch(total_items, n, out, sizeof(uint64_t));
    check_memory_args(available_memory_mb, memory_per_item_mb);
    w::optimal_batch_size_batch(total_items, n, available_memory_mb, memory_per_item_mb, out);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_williams_confidence_multiplier_batch(
    const uint64_t* num_fields, size_t n, const double* base_confidences, double base_confidence,
    int32_t regime, double* out) {
  return hotpath::capi_guard(__func__, [&] {
    check_batch(num_fields, n, out, sizeof(double));
    const w::Regime r = check_regime(regime);
    if (base_confidences == nullptr) {
      check_base(base_confidence);
    } else {
      for (size_t i = 0; i < n; ++i)
        if (!base_ok(base_confidences[i]))
          throw Error(HOTPATH_ERANGE, "base_confidences[%zu] is %g; expected a value in [0, 1]", i,
                      base_confidences[i]);
    }
    w::confidence_multiplier_batch(num_fields, n, base_confidences, base_confidence, r, out);
    return HOTPATH_OK;
  });
}

}  // extern "C"
