// Reading a file descriptor to its end, shared by the modules that read whole
// files (files' batch reads, memory's scan).
#pragma once

#include <string>

namespace hotpath {

// Appends everything left to read from fd to out (EINTR retried); false with
// *err = errno when a read fails.  Does not close fd.
bool read_to_end(int fd, std::string& out, int* err);

}  // namespace hotpath
