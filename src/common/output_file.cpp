#include "common/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.hpp"

namespace hotpath {

namespace {

constexpr int kMaxLinks = 40;  // as the kernel's limit for one path

[[noreturn]] void fail(const char* what, const std::string& path, int e) {
  throw Error::io(e, path.c_str(), "cannot %s '%s': %s", what, path.c_str(), std::strerror(e));
}

const char* kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a folder";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  return "not a regular file";
}

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// dst after following symbolic links, checked against the rule.
std::string resolve(const std::string& dst) {
  std::string path = dst;
  for (int hops = 0;; ++hops) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      int e = errno;
      if (e == ENOENT && hops > 0)
        throw Error::io(ENOENT, dst.c_str(), "cannot write '%s': it is a symbolic link to nothing ('%s')",
                        dst.c_str(), path.c_str());
      if (e == ENOENT) return path;  // a new file
      fail("write", dst, e);
    }
    if (S_ISREG(st.st_mode)) return path;
    if (!S_ISLNK(st.st_mode)) {
      int e = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
      throw Error::io(e, dst.c_str(), "cannot write '%s': it is %s; only regular files are replaced",
                      dst.c_str(), kind_of(st.st_mode));
    }
    if (hops >= kMaxLinks) fail("write", dst, ELOOP);
    std::vector<char> buf(size_t(st.st_size > 0 ? st.st_size : 255) + 1);
    for (;;) {
      ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
      if (n < 0) fail("write", dst, errno);
      if (size_t(n) < buf.size()) {
        std::string to(buf.data(), size_t(n));
        path = (!to.empty() && to[0] == '/') ? to : folder_of(path) + to;
        break;
      }
      buf.resize(buf.size() * 2);
    }
  }
}

}  // namespace

OutputFile::OutputFile(const char* dst, mode_t mode, bool durable)
    : dst_(dst), durable_(durable) {
  target_ = resolve(dst_);
  std::string dir = folder_of(target_);
  std::string base = target_.substr(dir.size());
  tmp_ = dir + "." + base + ".XXXXXX";
  std::vector<char> name(tmp_.begin(), tmp_.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    int e = errno;
    tmp_.clear();
    fail("create a temporary file for", dst_, e);
  }
  try {
    tmp_.assign(name.data());
  } catch (...) {  // the destructor does not run for an object not yet made
    ::close(fd_);
    ::unlink(name.data());
    throw;
  }
  if (::fchmod(fd_, mode & 07777) != 0) {
    int e = errno;
    discard();
    fail("set the mode of a temporary file for", dst_, e);
  }
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::write(const uint8_t* p, size_t n) {
  while (n) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("write", dst_, errno);
    }
    p += w;
    n -= size_t(w);
    written_ += uint64_t(w);
  }
}

uint64_t OutputFile::commit() {
  int fd = fd_;
  fd_ = -1;
  if (durable_ && ::fsync(fd) != 0) {
    int e = errno;
    ::close(fd);
    discard();
    fail("write", dst_, e);
  }
  if (::close(fd) != 0) {
    int e = errno;
    discard();
    fail("write", dst_, e);
  }
  if (::rename(tmp_.c_str(), target_.c_str()) != 0) {
    int e = errno;
    discard();
    fail("replace", dst_, e);
  }
  tmp_.clear();
  if (durable_) {
    // The rename is durable once the folder's entry is on disk.
    std::string dir = folder_of(target_);
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::fsync(dfd) != 0) {
      int e = errno;
      if (dfd >= 0) ::close(dfd);
      fail("write", dst_, e);
    }
    ::close(dfd);
  }
  return written_;
}

void OutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  tmp_.clear();
}

}  // namespace hotpath
