// The one wrapper every status-returning C entry point goes through: no C++
// exception may cross the C ABI, and every failure leaves a message behind.
#pragma once

#include <exception>
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
    if (e.status() == HOTPATH_EIO) set_last_os_error(e.os_errno(), e.path());
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

}  // namespace hotpath
