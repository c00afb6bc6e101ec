#include "common/read_fd.hpp"

#include <unistd.h>

#include <cerrno>

namespace hotpath {

bool read_to_end(int fd, std::string& out, int* err) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    if (n == 0) return true;
    out.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace hotpath
