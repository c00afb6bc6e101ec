// The one writer of files in the library (docs/writing.md states the rule):
//
// * The destination is resolved once, when the writer is made: a symbolic link
//   (or a chain of them) is followed to the file it names, so the link stays and
//   its target gets the new content; a link to nothing is refused (ENOENT).
// * The final file must be a regular file or not exist: a folder is refused
//   (EISDIR), and so is a FIFO, socket or device (EEXIST): such a file is never
//   replaced by a regular one.
// * The bytes go to a temporary file ".<name>.XXXXXX" in the final file's
//   folder, which is renamed over it only after the last byte was written and
//   the file closed. Readers see the old file or the new one, never a part; on
//   any failure the temporary file is removed and the old file is untouched.
//   Other hard links to the old file keep the old content. No fsync, unless
//   the writer is durable: then the file is fsync()ed before the rename and its
//   folder after it, so a committed file survives a crash or power loss.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace hotpath {

class OutputFile {
 public:
  // Throws Error::io naming dst when the rule refuses it or the temporary file
  // cannot be made; mode: the new file's permission bits.
  OutputFile(const char* dst, mode_t mode, bool durable = false);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const uint8_t* p, size_t n);
  // Closes and renames over the final file; returns the bytes written.
  uint64_t commit();
  // The file that gets the content (dst after following links).
  const std::string& target() const noexcept { return target_; }

 private:
  void discard() noexcept;
  std::string dst_;
  std::string target_;
  std::string tmp_;
  int fd_ = -1;
  uint64_t written_ = 0;
  bool durable_ = false;
};

}  // namespace hotpath
