// Memory-folder kernels: the C++ core of hotpath/memory.h.
//
// similar_pairs finds every pair of texts whose word-set Jaccard passes a
// threshold without comparing all pairs (prefix filtering over an inverted
// index of word ranks, plus a size bound), and verifies each candidate with
// the same double comparison the pure-Python twin makes.  scan applies it to
// the top-level *.md files of a folder.  See docs/memory.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "text/text.hpp"

namespace hotpath {
namespace memory {

struct Pair {
  uint32_t a, b;  // a < b, indices of the corpus
};

// Unordered pairs (a < b) of corpus texts with Jaccard(words a, words b) > t
// (strict) or >= t.  t must be in [0, 1] (checked by the caller).  Returns the
// count; when out is not null it receives the pairs sorted by (a, b).
uint64_t similar_pairs(const text::Corpus& corpus, double t, bool strict, std::vector<Pair>* out);

struct ScanError {
  std::string path;
  std::string reason;
};

struct ScanResult {
  uint64_t old_memories = 0;
  uint64_t duplicates = 0;
  uint64_t total_files = 0;
  std::vector<ScanError> errors;  // sorted by file name
};

// Scan of the top-level *.md files of dir (see hotpath_memory_scan).
// Throws Error(HOTPATH_EIO) when the folder cannot be listed.
void scan(const std::string& dir, double threshold_days, double similarity, double now,
          ScanResult& result);

// Hexagram helpers (lines[0] is the bottom line, each 0 or 1; checked by the caller).
int32_t hexagram_number(const uint8_t* lines) noexcept;
bool hexagram_balanced(const uint8_t* lines) noexcept;
uint32_t threading_tier(uint64_t task_count) noexcept;
// Threads worth using for work_items items of seconds_per_item each on `cores`
// threads: min(cores, items, total work / kMinSecondsPerThread), at least 1.
uint32_t recommend_threads(uint64_t work_items, double seconds_per_item, uint32_t cores) noexcept;
constexpr double kMinSecondsPerThread = 200e-6;
constexpr double kScanSecondsPerItem = 50e-6;

}  // namespace memory
}  // namespace hotpath
