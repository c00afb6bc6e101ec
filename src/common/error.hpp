// Error reporting shared by the core and the C API layer.
//
// Core code reports failures by throwing hotpath::Error; the C API wraps every
// entry point in hotpath::capi_guard (capi/internal/guard.hpp), which turns the
// exception into a status code plus a per-thread message.  Hot paths validate
// up front, so the exception machinery is only touched on bad input.
#pragma once

#include <cstdarg>
#include <exception>

#include "hotpath/common.h"

namespace hotpath {

class Error : public std::exception {
 public:
  // printf-style message; formatted into a fixed buffer so that throwing
  // needs no heap allocation of its own beyond the exception object.
  Error(hotpath_status_t status, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;
  hotpath_status_t status() const noexcept { return status_; }
  const char* what() const noexcept override { return message_; }

 private:
  hotpath_status_t status_;
  char message_[256];
};

// Per-thread last error message (see hotpath_last_error_message).
void set_last_error(const char* message) noexcept;
void set_last_errorf(const char* fmt, ...) noexcept
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void clear_last_error() noexcept;
const char* last_error() noexcept;

const char* status_str(hotpath_status_t status) noexcept;
const char* status_name(hotpath_status_t status) noexcept;

}  // namespace hotpath
