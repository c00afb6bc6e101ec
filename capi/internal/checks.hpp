// Argument checks shared by the C API files.  They throw hotpath::Error with a
// message that names the C argument; capi_guard (guard.hpp) turns it into the
// status and the per-thread message.
#pragma once

#include <cstddef>

#include "common/error.hpp"

namespace hotpath {

template <class T>
inline void require_nonnull(const T* p, const char* name) {
  if (p == nullptr) throw Error(HOTPATH_ENULL, "argument '%s' is NULL", name);
}

// n items fit an offsets array of n + 1 entries.
void require_item_count(size_t n);

// text[0, len) is valid UTF-8 (text may be NULL when len is 0).
void require_utf8(const char* text, size_t len, const char* name);

// n items packed in one buffer: item i is data[offsets[i], offsets[i + 1]).  The
// offsets must be non-decreasing; data may be NULL only when every item is empty.
void require_packed(const char* data, const char* data_name, const size_t* offsets, size_t n);

// After require_packed: every item is valid UTF-8; the first one that is not
// is reported as "<item_name> <i> is not valid UTF-8 at byte offset <k>".
void require_packed_utf8(const char* data, const size_t* offsets, size_t n,
                         const char* item_name);

}  // namespace hotpath
