// C ABI: version, status, errors, modules and the thread pool controls.
#include "hotpath/common.h"

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "common/packed.hpp"
#include "common/thread_pool.hpp"

namespace {
// Compiled-in modules, in the order they were added to the library.
constexpr const char* kModules[] = {"williams", "text", "consensus", "files", "compress", "memory",
                                    "search"};

#define HOTPATH_STR2(x) #x
#define HOTPATH_STR(x) HOTPATH_STR2(x)
constexpr const char kVersion[] = HOTPATH_STR(HOTPATH_VERSION_MAJOR) "." HOTPATH_STR(
    HOTPATH_VERSION_MINOR) "." HOTPATH_STR(HOTPATH_VERSION_PATCH);
}  // namespace

extern "C" {

HOTPATH_API const char* hotpath_version_string(void) { return kVersion; }

HOTPATH_API uint32_t hotpath_version_number(void) {
  return HOTPATH_VERSION_MAJOR * 10000u + HOTPATH_VERSION_MINOR * 100u + HOTPATH_VERSION_PATCH;
}

HOTPATH_API uint32_t hotpath_abi_version(void) { return HOTPATH_ABI_VERSION; }

HOTPATH_API const char* hotpath_status_str(hotpath_status_t status) {
  return hotpath::status_str(status);
}

HOTPATH_API const char* hotpath_status_name(hotpath_status_t status) {
  return hotpath::status_name(status);
}

HOTPATH_API const char* hotpath_last_error_message(void) { return hotpath::last_error(); }

HOTPATH_API int32_t hotpath_last_error_errno(void) { return hotpath::last_os_errno(); }

HOTPATH_API const char* hotpath_last_error_path(void) { return hotpath::last_os_path(); }

HOTPATH_API size_t hotpath_module_count(void) { return sizeof kModules / sizeof kModules[0]; }

HOTPATH_API const char* hotpath_module_name(size_t index) {
  return index < hotpath_module_count() ? kModules[index] : nullptr;
}

HOTPATH_API hotpath_status_t hotpath_set_num_threads(int32_t n) {
  return hotpath::capi_guard(__func__, [&] {
    if (n < 0 || n > hotpath::ThreadPool::kMaxThreads)
      throw hotpath::Error(HOTPATH_ERANGE, "argument 'n' is %d; expected 0 (default) to %d",
                           static_cast<int>(n), hotpath::ThreadPool::kMaxThreads);
    hotpath::ThreadPool::instance().set_threads(n);
    return HOTPATH_OK;
  });
}

HOTPATH_API int32_t hotpath_get_num_threads(void) {
  return hotpath::ThreadPool::instance().threads();
}

HOTPATH_API int32_t hotpath_max_threads(void) { return hotpath::ThreadPool::kMaxThreads; }

HOTPATH_API hotpath_status_t hotpath_split_joined(char* data, size_t len, uint8_t sep, size_t n,
                                                  size_t* offsets) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_item_count(n);
    hotpath::require_nonnull(offsets, "offsets");
    if (len) hotpath::require_nonnull(data, "data");
    if (n == 0) {
      if (len)
        throw hotpath::Error(HOTPATH_EINVAL, "argument 'n' is 0 but 'len' is %zu", len);
      offsets[0] = 0;
      return HOTPATH_OK;
    }
    size_t found = 0;
    if (!hotpath::packed::split_joined(data, len, sep, n, offsets, &found))
      throw hotpath::Error(HOTPATH_EINVAL,
                           "data holds %zu separator bytes 0x%02x; %zu items need %zu", found,
                           static_cast<unsigned>(sep), n, n - 1);
    return HOTPATH_OK;
  });
}

}  // extern "C"
