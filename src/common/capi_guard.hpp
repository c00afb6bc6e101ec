// The one wrapper every status-returning C entry point goes through: no C++
// exception may cross the C ABI, and every failure leaves a message behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#include "common/error.hpp"

namespace hotpath {

template <class F>
hotpath_status_t capi_guard(const char* function, F&& body) noexcept {
  try {
    hotpath_status_t st = body();
    if (st == HOTPATH_OK) clear_last_error();
    return st;
  } catch (const Error& e) {
    set_last_errorf("%s: %s", function, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_last_errorf("%s: out of memory", function);
    return HOTPATH_ENOMEM;
  } catch (const std::exception& e) {
    set_last_errorf("%s: internal error: %s", function, e.what());
    return HOTPATH_EINTERNAL;
  } catch (...) {
    set_last_errorf("%s: internal error (unknown exception)", function);
    return HOTPATH_EINTERNAL;
  }
}

// Argument checks shared by the C API files.
template <class T>
inline void require_nonnull(const T* p, const char* name) {
  if (p == nullptr) throw Error(HOTPATH_ENULL, "argument '%s' is NULL", name);
}

// n items packed in one buffer: item i is data[offsets[i], offsets[i + 1]).  The
// offsets must be non-decreasing; data may be NULL only when every item is empty.
inline void require_packed(const char* data, const char* data_name, const size_t* offsets,
                           size_t n) {
  if (n == SIZE_MAX)
    throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; offsets would need n + 1 entries", n);
  require_nonnull(offsets, "offsets");
  for (size_t i = 0; i < n; ++i) {
    if (offsets[i + 1] < offsets[i])
      throw Error(HOTPATH_EINVAL, "offsets[%zu] = %zu is below offsets[%zu] = %zu", i + 1,
                  offsets[i + 1], i, offsets[i]);
  }
  if (n && offsets[n] > offsets[0]) require_nonnull(data, data_name);
}

}  // namespace hotpath
