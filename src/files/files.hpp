// Directory audit and batch reading: the C++ core of hotpath/files.h.
//
// Rules (glob syntax, counting, summaries, errors) are in include/hotpath/files.h
// and docs/files.md; the pure-Python twin (bindings-python/hotpath/_files_py.py)
// follows the same steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hotpath {
namespace files {

constexpr uint32_t kRecursive = 1u;
constexpr uint32_t kFollowSymlinks = 2u;
constexpr uint32_t kIncludeHidden = 4u;
constexpr uint32_t kSkipFrontMatter = 8u;
constexpr uint32_t kUnicodeCounts = 16u;
constexpr uint32_t kVerbatimSummary = 32u;
constexpr uint32_t kAllFlags = 63u;
constexpr int32_t kModeGlob = 0;
constexpr int32_t kModeExtension = 1;
constexpr size_t kColumns = 8;
constexpr uint64_t kNoLimit = UINT64_MAX;

// Glob match of a (valid UTF-8) pattern against a path of any bytes.
bool glob_match(const char* pattern, size_t pattern_len, const char* path,
                size_t path_len) noexcept;

// The extension an extension-mode pattern names ("*.md", ".md", "md" -> "md"),
// or false when the pattern is not of that form.
bool extension_of(const char* pattern, size_t len, std::string* ext);

// Line, word and UTF-8 facts of a file's content.
struct Counts {
  uint64_t lines = 0;
  uint64_t words = 0;
  bool utf8 = true;
  size_t valid_prefix = 0;  // bytes before the first invalid UTF-8 sequence
};
// unicode: words split only at Unicode White_Space (U+001C..U+001F are word
// characters) and any non-empty unterminated last line counts, a lone "\r" too;
// otherwise Python's str.split() words and a lone "\r" tail is not a line.
Counts count(const char* data, size_t n, bool unicode = false) noexcept;
// count() computed as big files are (in pieces of about `piece` bytes, cut before
// a character): the same lines, words and utf8 as count() for any piece size.
// For the tests of the piece rule.
Counts count_pieces(const char* data, size_t n, size_t piece, bool unicode = false) noexcept;

// The first `lines` lines of s as they are: a byte range from the start, ending
// before the last line's "\n" (or "\r\n"), cut to max_chars code points.  A last
// line with no "\n" keeps its "\r".  *taken: the number of lines in the range.
void verbatim_summary(const char* s, size_t n, uint32_t lines, uint64_t max_chars,
                      size_t* length, uint64_t* taken) noexcept;

struct Options {
  std::vector<std::string> patterns;  // glob patterns, or extensions in extension mode
  int32_t mode = kModeGlob;
  uint32_t flags = kRecursive;
  uint64_t max_files = kNoLimit;
  uint32_t summary_lines = 1;
  uint64_t summary_chars = 200;
};

struct Record {
  uint64_t path_off, path_len, summary_off, summary_len, size, lines, words, utf8;
};

struct ErrorEntry {
  std::string path;
  int32_t status;
  std::string message;
};

// Per-directory scratch of the walk (reused across audits).
struct DirScratch;

// One audit result; run() replaces the previous one and reuses the memory.
class Audit {
 public:
  Audit();
  ~Audit();
  Audit(const Audit&) = delete;
  Audit& operator=(const Audit&) = delete;

  // Throws hotpath::Error for a root that cannot be audited; clears first.
  void run(const char* root, const Options& options);
  void clear() noexcept;

  size_t size() const noexcept { return table_.size() / kColumns; }
  const uint64_t* table() const noexcept { return table_.data(); }
  const std::string& arena() const noexcept { return arena_; }
  const std::vector<ErrorEntry>& errors() const noexcept { return errors_; }
  uint64_t total_size = 0, total_lines = 0, total_words = 0;

 private:
  struct Impl;
  Impl* impl_;
  std::vector<uint64_t> table_;
  std::string arena_;
  std::vector<ErrorEntry> errors_;
};

// Whether audits on the calling thread read batches of files through io_uring
// (built with liburing, allowed by the kernel, HOTPATH_FILES_IO_URING not "0");
// otherwise each file is read with openat, read and close.  For tests.
bool io_uring_in_use();

// Batch reading into one buffer.
class Reader {
 public:
  Reader() : offsets_(1, 0) {}
  void read(const char* paths, const size_t* offsets, size_t n);
  size_t size() const noexcept { return statuses_.size(); }
  const std::string& data() const noexcept { return data_; }
  const std::vector<uint64_t>& offsets() const noexcept { return offsets_; }
  const std::vector<int32_t>& statuses() const noexcept { return statuses_; }
  const char* message(size_t i) const noexcept { return messages_[i].c_str(); }

 private:
  std::string data_;
  std::vector<uint64_t> offsets_;
  std::vector<int32_t> statuses_;
  std::vector<std::string> messages_;
  std::vector<std::string> parts_;
};

}  // namespace files
}  // namespace hotpath
