#include "checks.hpp"

#include <cstdint>

#include "common/packed.hpp"
#include "common/utf8.hpp"

namespace hotpath {

void require_item_count(size_t n) {
  if (n == SIZE_MAX)
    throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; offsets would need n + 1 entries", n);
}

void require_utf8(const char* text, size_t len, const char* name) {
  if (len == 0) return;
  require_nonnull(text, name);
  const size_t bad = utf8::validate(text, len);
  if (bad != utf8::kValid)
    throw Error(HOTPATH_EUTF8, "argument '%s' is not valid UTF-8 at byte offset %zu", name, bad);
}

void require_packed(const char* data, const char* data_name, const size_t* offsets, size_t n) {
  require_item_count(n);
  require_nonnull(offsets, "offsets");
  for (size_t i = 0; i < n; ++i) {
    if (offsets[i + 1] < offsets[i])
      throw Error(HOTPATH_EINVAL, "offsets[%zu] = %zu is below offsets[%zu] = %zu", i + 1,
                  offsets[i + 1], i, offsets[i]);
  }
  if (n && offsets[n] > offsets[0]) require_nonnull(data, data_name);
}

void require_packed_utf8(const char* data, const size_t* offsets, size_t n,
                         const char* item_name) {
  size_t bad = 0;
  const size_t i = packed::first_invalid_utf8(data, offsets, n, &bad);
  if (i < n)
    throw Error(HOTPATH_EUTF8, "%s %zu is not valid UTF-8 at byte offset %zu", item_name, i, bad);
}

}  // namespace hotpath
