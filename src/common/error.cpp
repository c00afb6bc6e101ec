#include "common/error.hpp"

#include <cstdio>
#include <cstring>

namespace hotpath {

namespace {
// A fixed per-thread buffer: reporting an error must not allocate (the error
// may be ENOMEM) and the pointer handed out must stay valid until the next call.
thread_local char tls_message[2 * 4096 + 512];
thread_local int tls_errno = 0;
thread_local char tls_path[4096];
}  // namespace

Error::Error(hotpath_status_t status, const char* fmt, ...) : status_(status) {
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(message_, sizeof message_, fmt, ap);
  va_end(ap);
}

Error Error::io(int os_errno, const char* path, const char* fmt, ...) {
  Error e;
  e.status_ = HOTPATH_EIO;
  e.os_errno_ = os_errno;
  std::snprintf(e.path_, sizeof e.path_, "%s", path ? path : "");
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(e.message_, sizeof e.message_, fmt, ap);
  va_end(ap);
  return e;
}

void set_last_error(const char* message) noexcept {
  tls_errno = 0;
  tls_path[0] = '\0';
  std::snprintf(tls_message, sizeof tls_message, "%s", message ? message : "");
}

void set_last_errorf(const char* fmt, ...) noexcept {
  tls_errno = 0;
  tls_path[0] = '\0';
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(tls_message, sizeof tls_message, fmt, ap);
  va_end(ap);
}

void clear_last_error() noexcept {
  tls_message[0] = '\0';
  tls_errno = 0;
  tls_path[0] = '\0';
}

const char* last_error() noexcept { return tls_message; }

void set_last_os_error(int os_errno, const char* path) noexcept {
  tls_errno = os_errno;
  std::snprintf(tls_path, sizeof tls_path, "%s", path ? path : "");
}

int last_os_errno() noexcept { return tls_errno; }

const char* last_os_path() noexcept { return tls_path; }

namespace {
struct StatusInfo {
  hotpath_status_t code;
  const char* name;
  const char* text;
};
constexpr StatusInfo kStatus[] = {
    {HOTPATH_OK, "OK", "success"},
    {HOTPATH_EINVAL, "EINVAL", "invalid argument"},
    {HOTPATH_ENULL, "ENULL", "required pointer is NULL"},
    {HOTPATH_ERANGE, "ERANGE", "argument out of range"},
    {HOTPATH_EOVERFLOW, "EOVERFLOW", "size computation overflows"},
    {HOTPATH_EUTF8, "EUTF8", "invalid UTF-8"},
    {HOTPATH_ENOMEM, "ENOMEM", "out of memory"},
    {HOTPATH_EBUFFER, "EBUFFER", "output buffer too small"},
    {HOTPATH_EIO, "EIO", "I/O error"},
    {HOTPATH_ECORRUPT, "ECORRUPT", "corrupt or truncated data"},
    {HOTPATH_EUNSUPPORTED, "EUNSUPPORTED", "not supported by this build"},
    {HOTPATH_EINTERNAL, "EINTERNAL", "internal error"},
};
const StatusInfo* find_status(hotpath_status_t status) noexcept {
  for (const auto& s : kStatus)
    if (s.code == status) return &s;
  return nullptr;
}
}  // namespace

const char* status_str(hotpath_status_t status) noexcept {
  const StatusInfo* s = find_status(status);
  return s ? s->text : "unknown status";
}

const char* status_name(hotpath_status_t status) noexcept {
  const StatusInfo* s = find_status(status);
  return s ? s->name : "UNKNOWN";
}

}  // namespace hotpath
