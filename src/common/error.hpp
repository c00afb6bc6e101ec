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

  // An operating-system failure (HOTPATH_EIO): the errno and the path it
  // concerns, reported by hotpath_last_error_errno()/_path().  os_errno 0 is
  // an I/O failure without an errno (a file that changed size while read).
  static Error io(int os_errno, const char* path, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;
  int os_errno() const noexcept { return os_errno_; }
  const char* path() const noexcept { return path_; }

 private:
  Error() = default;
  hotpath_status_t status_ = HOTPATH_EIO;
  int os_errno_ = 0;
  char message_[2 * 4096 + 256];  // room for two full paths (a link and its target)
  char path_[4096] = {0};
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
// The errno and path of the last failure when it was an Error::io (else 0 and
// ""); set_last_error*() and clear_last_error() reset them.
void set_last_os_error(int os_errno, const char* path) noexcept;
int last_os_errno() noexcept;
const char* last_os_path() noexcept;

const char* status_str(hotpath_status_t status) noexcept;
const char* status_name(hotpath_status_t status) noexcept;

}  // namespace hotpath
