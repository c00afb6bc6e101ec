// The packed form the batch functions take: n items in one buffer, item i at
// data[offsets[i], offsets[i + 1]).  Making it from a joined buffer, and
// checking its UTF-8 in one parallel pass.
#pragma once

#include <cstddef>

namespace hotpath {
namespace packed {

// Removes the n - 1 bytes `sep` that join n items in data[0, len), moving the
// items left in place, and writes the n + 1 offsets of the result (offsets[0]
// is 0, offsets[n] is len - (n - 1)).  Requires n >= 1.  Returns false, with
// data unchanged, when data does not hold exactly n - 1 separators; then
// *separators is the number it holds (offsets are clobbered).
bool split_joined(char* data, size_t len, unsigned char sep, size_t n, size_t* offsets,
                  size_t* separators) noexcept;

// Finds the n - 1 bytes `sep` that join n items in data[0, len) without
// changing data: item i is data[starts[i], starts[i + 1] - 1), starts[0] is
// 0 and starts[n] is len + 1.  Requires n >= 1.  Returns false when data
// holds another number of separators, the number it holds in *separators
// (starts are clobbered).
bool find_joined(const char* data, size_t len, unsigned char sep, size_t n, size_t* starts,
                 size_t* separators) noexcept;

// The index of the first item that is not valid UTF-8, with the offset of the
// bad byte within it in *bad_offset; n when every item is valid.  Offsets must
// be non-decreasing.  Large inputs are checked on the thread pool; the answer
// does not depend on the thread count.
size_t first_invalid_utf8(const char* data, const size_t* offsets, size_t n, size_t* bad_offset);

}  // namespace packed
}  // namespace hotpath
