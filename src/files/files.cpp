// Directory audit and batch reading (see files.hpp).
#include "files/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/error.hpp"
#include "common/read_fd.hpp"
#include "common/fastmath.hpp"
#include "common/thread_pool.hpp"
#include "common/utf8.hpp"
#include "text/text.hpp"

#if defined(HOTPATH_HAVE_LIBURING)
#include <liburing.h>
#include <time.h>
#endif

namespace hotpath {
namespace files {

namespace {

// memrchr is a GNU extension.
const void* last_of(const void* p, int c, size_t n) noexcept {
  const auto* s = static_cast<const unsigned char*>(p);
  while (n > 0) {
    if (s[--n] == static_cast<unsigned char>(c)) return s + n;
  }
  return nullptr;
}

// --- glob ------------------------------------------------------------------------------

// Length of the valid UTF-8 sequence at s[i], or 0 when none starts there.
size_t valid_seq(const unsigned char* s, size_t i, size_t n) noexcept {
  const unsigned char b = s[i];
  if (b < 0x80) return 1;
  auto cont = [&](size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b == 0xE0 && s[i + 1] < 0xA0) return 0;
    if (b == 0xED && s[i + 1] >= 0xA0) return 0;
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b == 0xF0 && s[i + 1] < 0x90) return 0;
    if (b == 0xF4 && s[i + 1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// One character at s[i]: its length and code point; a byte that starts no valid
// sequence is one character U+DC00 + byte (Python's surrogateescape).
size_t char_at(const unsigned char* s, size_t i, size_t n, uint32_t* cp) noexcept {
  size_t len = valid_seq(s, i, n);
  if (len == 0) {
    *cp = 0xDC00u + s[i];
    return 1;
  }
  uint32_t c = s[i];
  if (len == 2) c &= 0x1F;
  if (len == 3) c &= 0x0F;
  if (len == 4) c &= 0x07;
  for (size_t k = 1; k < len; ++k) c = (c << 6) | (s[i + k] & 0x3F);
  *cp = c;
  return len;
}

constexpr size_t kNoClass = static_cast<size_t>(-1);

// A "[...]" class starting at p[i] == '[': the index just past its ']' (kNoClass
// when unclosed) and whether the character c belongs to it.
size_t match_class(const unsigned char* p, size_t i, size_t n, uint32_t c, bool* hit) noexcept {
  size_t j = i + 1;
  bool negate = false;
  if (j < n && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool found = false;
  bool first = true;
  while (j < n) {
    if (p[j] == ']' && !first) {
      *hit = found != negate;
      return j + 1;
    }
    first = false;
    uint32_t lo, hi;
    j += char_at(p, j, n, &lo);
    hi = lo;
    if (j + 1 < n && p[j] == '-' && p[j + 1] != ']') {
      j += 1;
      j += char_at(p, j, n, &hi);
    }
    if (lo <= c && c <= hi) found = true;
  }
  return kNoClass;
}

// Glob match of one component (no '/' in either).
bool match_component(const unsigned char* p, size_t pn, const unsigned char* s,
                     size_t sn) noexcept {
  size_t pi = 0, si = 0;
  size_t star_p = kNoClass, star_s = 0;
  while (si < sn) {
    if (pi < pn) {
      const unsigned char c = p[pi];
      if (c == '*') {
        while (pi < pn && p[pi] == '*') ++pi;
        star_p = pi;
        star_s = si;
        continue;
      }
      uint32_t cp;
      const size_t len = char_at(s, si, sn, &cp);
      if (c == '?') {
        ++pi;
        si += len;
        continue;
      }
      if (c == '[') {
        bool hit = false;
        const size_t end = match_class(p, pi, pn, cp, &hit);
        if (end != kNoClass) {
          if (hit) {
            pi = end;
            si += len;
            continue;
          }
          goto backtrack;
        }
      }
      {
        const size_t plen = utf8::seq_len(c);
        if (plen == len && pi + plen <= pn && std::memcmp(p + pi, s + si, plen) == 0) {
          pi += plen;
          si += len;
          continue;
        }
      }
    }
  backtrack:
    if (star_p == kNoClass) return false;
    uint32_t skipped;
    star_s += char_at(s, star_s, sn, &skipped);
    si = star_s;
    pi = star_p;
  }
  while (pi < pn && p[pi] == '*') ++pi;
  return pi == pn;
}

struct Piece {
  const unsigned char* p;
  size_t n;
};

size_t split(const unsigned char* s, size_t n, std::vector<Piece>& out) {
  out.clear();
  size_t start = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || s[i] == '/') {
      out.push_back({s + start, i - start});
      start = i + 1;
    }
  }
  return out.size();
}

bool is_globstar(const Piece& c) noexcept { return c.n == 2 && c.p[0] == '*' && c.p[1] == '*'; }

bool match_path(const unsigned char* p, size_t pn, const unsigned char* s, size_t sn) {
  thread_local std::vector<Piece> pats, parts;
  split(p, pn, pats);
  split(s, sn, parts);
  // A trailing "**" is what lies inside the folder: at least one component.
  if (is_globstar(pats.back())) {
    static const unsigned char kStar[] = "*";
    pats.insert(pats.end() - 1, Piece{kStar, 1});
  }
  size_t pi = 0, si = 0, star_p = kNoClass, star_s = 0;
  const size_t np = pats.size(), ns = parts.size();
  while (si < ns) {
    if (pi < np) {
      if (is_globstar(pats[pi])) {
        while (pi < np && is_globstar(pats[pi])) ++pi;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (match_component(pats[pi].p, pats[pi].n, parts[si].p, parts[si].n)) {
        ++pi;
        ++si;
        continue;
      }
    }
    if (star_p == kNoClass) return false;
    si = ++star_s;
    pi = star_p;
  }
  while (pi < np && is_globstar(pats[pi])) ++pi;
  return pi == np;
}

// --- matching a candidate ------------------------------------------------------------

struct Matcher {
  const Options* opt;
  bool matches(const char* path, size_t len) const {
    const auto* s = reinterpret_cast<const unsigned char*>(path);
    const void* slash = last_of(s, '/', len);
    const size_t base = slash ? static_cast<size_t>(static_cast<const unsigned char*>(slash) - s) + 1 : 0;
    if (opt->mode == kModeExtension) {
      const void* dot = last_of(s + base, '.', len - base);
      if (!dot) return false;
      const size_t d = static_cast<size_t>(static_cast<const unsigned char*>(dot) - s);
      if (d == base) return false;  // a leading dot is not an extension
      for (const std::string& ext : opt->patterns)
        if (ext.size() == len - d - 1 && std::memcmp(ext.data(), s + d + 1, ext.size()) == 0)
          return true;
      return false;
    }
    for (const std::string& pat : opt->patterns) {
      if (glob_match(pat.data(), pat.size(), path, len)) return true;
    }
    return false;
  }
};

// --- the walk --------------------------------------------------------------------------

enum Kind : uint8_t { kRegular = 0, kCheck = 1 };

constexpr uint32_t kPending = UINT32_MAX;

struct FileRef {
  size_t off;  // into the path arena (NUL-terminated there)
  uint32_t len;
  uint8_t kind;
  uint32_t result;  // index into the results, kPending until read
};

// What reading and counting one file gave; the summary is (src, off, len).
struct Result {
  uint64_t size, lines, words;
  uint64_t summary_off, summary_len;
  const std::string* src;
  int32_t status;
  uint8_t utf8;
  const char* what;  // message prefix when status != OK
  int err;           // errno, 0 for none
};

struct Node {
  std::string rel;      // "" for the root
  const Node* parent;   // nullptr for the root; nodes live in a deque, so it stays valid
  uint64_t dev = 0, ino = 0;
};

// Files of one folder read during the walk (through the folder's descriptor, a
// short path lookup); the rest of a larger folder is read after the sort, in
// parallel, so one huge folder does not serialise the reading.
constexpr size_t kInlinePerDir = 256;

int open_flags() { return O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK; }

}  // namespace

struct DirScratch {
  std::string paths;  // relative paths of matching files, NUL-terminated
  std::vector<FileRef> files;
  std::vector<Result> results;  // of the files read during the walk
  std::string summaries;
  struct Sub {
    std::string rel;
    uint64_t dev, ino;
  };
  std::vector<Sub> subdirs;
  std::vector<ErrorEntry> errors;
  uint64_t dev = 0, ino = 0;
  void clear() {
    paths.clear();
    files.clear();
    results.clear();
    summaries.clear();
    subdirs.clear();
    errors.clear();
  }
};

// What one worker of the walk found, over every folder it listed.
struct WalkPart {
  std::string paths;
  std::vector<FileRef> files;
  std::vector<Result> results;
  std::string summaries;
  std::vector<ErrorEntry> errors;
  void clear() {
    paths.clear();
    files.clear();
    results.clear();
    summaries.clear();
    errors.clear();
  }
};

struct Audit::Impl {
  std::vector<WalkPart> parts;
  std::deque<Node> nodes;
  std::string paths;
  std::vector<FileRef> files;
  std::vector<Result> results;
  std::string walk_summaries;       // summaries of the files read during the walk
  std::vector<std::string> blocks;  // summaries of each block of files read afterwards
  std::vector<uint32_t> pending;
};

namespace {

// Appends what one folder or one worker found (src: paths, results, summaries,
// files, errors) to a larger set, rebasing the offsets into the larger buffers.
template <class Src>
void append_walk(Src& src, std::string& paths, std::vector<Result>& results,
                 std::string& summaries, std::vector<FileRef>& files,
                 std::vector<ErrorEntry>& errors) {
  const size_t base = paths.size();
  paths.append(src.paths);
  const uint32_t rbase = static_cast<uint32_t>(results.size());
  const uint64_t sbase = summaries.size();
  summaries.append(src.summaries);
  for (Result r : src.results) {
    r.summary_off += sbase;
    results.push_back(r);
  }
  for (const FileRef& f : src.files)
    files.push_back(FileRef{base + f.off, f.len, f.kind,
                            f.result == kPending ? kPending : rbase + f.result});
  for (ErrorEntry& e : src.errors) errors.push_back(std::move(e));
}

constexpr size_t kBlock = 64;

std::string os_message(const char* what, int err) {
  std::string m(what);
  if (err) {
    m += ": ";
    m += std::strerror(err);
  }
  return m;
}

void add_error(std::vector<ErrorEntry>& out, const std::string& path, int32_t status,
               const char* what, int err) {
  out.push_back(ErrorEntry{path, status, os_message(what, err)});
}

// Files up to kWholeLimit bytes are read whole into one buffer; larger ones are
// counted in pieces of kPiece bytes (count_stream), their summary taken from the
// first kWholeLimit bytes.  A pseudo-file (a regular file whose size the system
// reports as 0, as in /proc and /sys, that yields data) is read up to kPseudoLimit
// bytes and refused beyond: some never end.
constexpr size_t kWholeLimit = size_t{64} << 20;
constexpr size_t kPiece = size_t{16} << 20;
constexpr size_t kPseudoLimit = size_t{1} << 20;

void count_stream(int fd, std::vector<char>& buf, size_t len, bool check, const Options& opt,
                  std::string& sums, Result& r);

// Reads the file into buf, up to kWholeLimit bytes (*more: the file goes on); returns
// false with *what/*err set on failure.  A file known to be regular (from the folder
// listing) ends at the first short read, which is how reads of regular files behave;
// others read up to end of file.  *fd_out keeps the file open when *more.
bool read_all(int dir_fd, const char* path, bool check, std::vector<char>& buf, size_t* len,
              const char** what, int* err, bool* more, int* fd_out) {
  *more = false;
  int fd = ::openat(dir_fd, path, open_flags());
  if (fd < 0) {
    *what = "cannot open file";
    *err = errno;
    return false;
  }
  if (check) {
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      *what = "cannot read file";
      *err = errno;
      ::close(fd);
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      *what = "not a regular file";
      *err = 0;
      ::close(fd);
      return false;
    }
  }
  size_t n = 0;
  size_t limit = kWholeLimit;
  bool sized = false;  // the size the system reports is known
  if (buf.size() < 65536) buf.resize(65536);
  for (;;) {
    if (n == buf.size()) {
      if (n >= limit) {
        *more = true;
        *fd_out = fd;
        *len = n;
        return true;
      }
      buf.resize(std::min(buf.size() * 2, limit));
    }
    const size_t want = buf.size() - n;
    ssize_t r = ::read(fd, buf.data() + n, want);
    if (r < 0) {
      if (errno == EINTR) continue;
      *what = "cannot read file";
      *err = errno;
      ::close(fd);
      return false;
    }
    n += static_cast<size_t>(r);
    if (!sized && n >= 65536) {
      // 64 KiB or more: a big file, or a pseudo-file without a size.
      sized = true;
      struct stat st;
      if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) limit = kPseudoLimit;
    }
    if (limit == kPseudoLimit && n >= kPseudoLimit) {
      *what = "a pseudo-file without a size, of 1 MiB or more";
      *err = 0;
      ::close(fd);
      return false;
    }
    if (r == 0 || (!check && static_cast<size_t>(r) < want)) break;
  }
  ::close(fd);
  *len = n;
  return true;
}

// Counts a file's bytes into r, its summary appended to sums.
// The summary of data[0..valid) (valid UTF-8) under the options, appended to sums
// and placed in r.
void append_summary(const char* data, size_t valid, const Options& opt, std::string& sums,
                    Result& r) {
  size_t so = 0, sl = 0;
  if (opt.flags & kVerbatimSummary) {
    uint64_t taken;
    verbatim_summary(data, valid, opt.summary_lines, opt.summary_chars, &sl, &taken);
  } else {
    text::summarize(data, valid, opt.summary_lines, opt.summary_chars,
                    (opt.flags & kSkipFrontMatter) ? text::kSkipFrontMatter : 0, &so, &sl);
  }
  r.summary_off = sums.size();
  r.summary_len = sl;
  sums.append(data + so, sl);
}

void count_into(const char* data, size_t len, const Options& opt, std::string& sums, Result& r) {
  const Counts c = count(data, len, (opt.flags & kUnicodeCounts) != 0);
  append_summary(data, c.valid_prefix, opt, sums, r);
  r.src = &sums;
  r.status = HOTPATH_OK;
  r.size = len;
  r.lines = c.lines;
  r.words = c.words;
  r.utf8 = c.utf8;
  r.what = nullptr;
  r.err = 0;
}

void set_failure(Result& r, std::string& sums, const char* what, int err) {
  r.src = &sums;
  r.summary_off = r.summary_len = 0;
  r.what = what;
  r.err = err;
  r.status = err ? HOTPATH_EIO : HOTPATH_EUNSUPPORTED;
}

// Reads and counts one file into r, its summary appended to sums.
void read_one(int dir_fd, const char* path, uint8_t kind, const Options& opt, std::string& sums,
              Result& r) {
  thread_local std::vector<char> buf;
  size_t len = 0;
  const char* what = nullptr;
  int err = 0;
  bool more = false;
  int fd = -1;
  if (!read_all(dir_fd, path, kind == kCheck, buf, &len, &what, &err, &more, &fd)) {
    set_failure(r, sums, what, err);
    return;
  }
  if (more)
    count_stream(fd, buf, len, kind == kCheck, opt, sums, r);
  else
    count_into(buf.data(), len, opt, sums, r);
  // A worker keeps its buffer for the next file, but not one grown for a huge file.
  if (buf.size() > (size_t{1} << 24)) std::vector<char>().swap(buf);
}

// Whether this audit may read through io_uring: HOTPATH_FILES_IO_URING=0 forces the
// plain system calls (the tests compare both paths on one tree).
bool io_uring_wanted() {
  const char* v = std::getenv("HOTPATH_FILES_IO_URING");
  return !(v && v[0] == '0' && v[1] == 0);
}

#if defined(HOTPATH_HAVE_LIBURING)

// One ring per thread, created on first use and kept: each batch of files known to
// be regular goes in as linked chains open (into a slot of the ring's file table)
// -> read (into the slot's buffer) -> close, with one system call for the batch.
// A file that fills its buffer, and any chain that did not complete, is read again
// with the plain system calls; so are files whose type is not known (kCheck).
class Ring {
 public:
  static constexpr unsigned kSlots = 64;
  static constexpr size_t kBuf = 65536;

  ~Ring() { release(); }

  // The calling thread's ring, or nullptr when io_uring cannot be used here.
  static Ring* get() {
    thread_local Ring ring;
    return ring.ready() ? &ring : nullptr;
  }

  template <class Name>
  void read(int dir_fd, const size_t* idx, unsigned k, Name name, const Options& opt,
            std::string& sums, Result* out);

 private:
  io_uring ring_{};
  char* bufs_ = nullptr;
  pid_t pid_ = 0;
  bool up_ = false, failed_ = false, abandoned_ = false;

  bool ready();
  bool init();
  void release() {
    if (abandoned_) {  // requests may still be in flight: keep their buffers
      bufs_ = nullptr;
      up_ = false;
      return;
    }
    if (up_) io_uring_queue_exit(&ring_);
    up_ = false;
    std::free(bufs_);
    bufs_ = nullptr;
  }
  bool drain(unsigned want, int* open_res, int* read_res);
};

bool Ring::init() {
  io_uring_params p{};
  unsigned flags = 0;
#if defined(IORING_SETUP_SINGLE_ISSUER)
  flags |= IORING_SETUP_SINGLE_ISSUER;
#endif
#if defined(IORING_SETUP_COOP_TASKRUN)
  flags |= IORING_SETUP_COOP_TASKRUN;
#endif
  p.flags = flags;
  int r = io_uring_queue_init_params(4 * kSlots, &ring_, &p);
  if (r == -EINVAL && flags) {  // a kernel older than the flags
    p = io_uring_params{};
    r = io_uring_queue_init_params(4 * kSlots, &ring_, &p);
  }
  if (r < 0) return false;  // ENOSYS, EPERM (containers, io_uring_disabled), ENOMEM
  up_ = true;
  if (io_uring_register_files_sparse(&ring_, kSlots) < 0) return false;
  bufs_ = static_cast<char*>(std::malloc(kSlots * kBuf));
  if (!bufs_) return false;
  // Opening into a slot of the file table needs a newer kernel than io_uring
  // itself: try it once on the root folder.
  io_uring_sqe* s = io_uring_get_sqe(&ring_);
  io_uring_prep_openat_direct(s, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0, 0);
  s->flags |= IOSQE_IO_LINK;
  s->user_data = 0;
  s = io_uring_get_sqe(&ring_);
  io_uring_prep_close_direct(s, 0);
  s->user_data = 2;
  int open_res[1] = {-ECANCELED}, read_res[1] = {-ECANCELED};
  if (!drain(2, open_res, read_res) || open_res[0] < 0) return false;
  return true;
}

bool Ring::ready() {
  if (up_ && pid_ != ::getpid()) {
    // Inherited through fork: the ring is shared with the parent; drop this
    // process's mapping and descriptor and make a new one.
    release();
    failed_ = false;
  }
  if (up_) return true;
  if (failed_) return false;
  if (!init()) {
    release();
    failed_ = true;
    return false;
  }
  pid_ = ::getpid();
  return true;
}

// Submits what is queued and reaps completions until want have arrived: user_data
// is slot * 4 + (0 open, 1 read, 2 close).  A read still waiting after a while
// (a file that turned out to be a pipe) is cancelled and read again the plain way.
// Returns false when the ring cannot be used any more (nothing is left in flight).
bool Ring::drain(unsigned want, int* open_res, int* read_res) {
  // One system call submits the batch and waits for it, with a timeout.
  io_uring_cqe* first = nullptr;
  __kernel_timespec ts0{0, 200 * 1000 * 1000};
  int w = io_uring_submit_and_wait_timeout(&ring_, &first, want, &ts0, nullptr);
  const unsigned left = io_uring_sq_ready(&ring_);  // not taken by the kernel
  const unsigned submitted = want - left;
  unsigned got = 0;
  constexpr uint64_t kCancel = ~uint64_t{0};
  while (got < submitted) {
    if (w == -ETIME) {
      // Cancel what is still waiting, again at every timeout: a read linked to an
      // open that was already running when the last cancel came is issued later.
      io_uring_sqe* s = left ? nullptr : io_uring_get_sqe(&ring_);
      if (s) {
        io_uring_prep_cancel64(s, 0, IORING_ASYNC_CANCEL_ANY);
        s->user_data = kCancel;
        io_uring_submit(&ring_);
      }
    }
    io_uring_cqe* c = nullptr;
    __kernel_timespec ts{0, 200 * 1000 * 1000};
    w = io_uring_wait_cqe_timeout(&ring_, &c, &ts);
    if (w == -EINTR || w == -ETIME || w == -EAGAIN) continue;
    if (w < 0) {
      abandoned_ = true;  // not reapable: never touch the ring again
      return false;
    }
    const uint64_t u = c->user_data;
    const int res = c->res;
    io_uring_cqe_seen(&ring_, c);
    if (u == kCancel) continue;
    ++got;
    const unsigned slot = static_cast<unsigned>(u >> 2), op = static_cast<unsigned>(u & 3);
    if (op == 0) open_res[slot] = res;
    if (op == 1) read_res[slot] = res;
  }
  return left == 0;
}

template <class Name>
void Ring::read(int dir_fd, const size_t* idx, unsigned k, Name name, const Options& opt,
                std::string& sums, Result* out) {
  int open_res[kSlots], read_res[kSlots];
  for (unsigned j = 0; j < k; ++j) {
    open_res[j] = read_res[j] = -ECANCELED;
    io_uring_sqe* s = io_uring_get_sqe(&ring_);
    // The descriptor lives in the ring's table only, so O_CLOEXEC does not apply.
    io_uring_prep_openat_direct(s, dir_fd, name(idx[j]), open_flags() & ~O_CLOEXEC, 0, j);
    s->flags |= IOSQE_IO_LINK;
    s->user_data = j * 4 + 0;
    s = io_uring_get_sqe(&ring_);
    io_uring_prep_read(s, static_cast<int>(j), bufs_ + j * kBuf, kBuf, 0);
    s->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;  // close even after a short read
    s->user_data = j * 4 + 1;
    s = io_uring_get_sqe(&ring_);
    io_uring_prep_close_direct(s, j);
    s->user_data = j * 4 + 2;
  }
  const bool ok = drain(3 * k, open_res, read_res);
  for (unsigned j = 0; j < k; ++j) {
    Result& r = out[idx[j]];
    const int o = open_res[j], n = read_res[j];
    if (o < 0 && o != -ECANCELED) {
      set_failure(r, sums, "cannot open file", -o);
    } else if (o >= 0 && n < 0 && n != -ECANCELED && n != -EAGAIN && n != -EINTR) {
      set_failure(r, sums, "cannot read file", -n);
    } else if (o >= 0 && n >= 0 && static_cast<size_t>(n) < kBuf) {
      // A regular file ends at the first short read, as on the plain path.
      count_into(bufs_ + j * kBuf, static_cast<size_t>(n), opt, sums, r);
    } else {
      read_one(dir_fd, name(idx[j]), kRegular, opt, sums, r);  // longer, or not completed
    }
  }
  if (!ok) {
    release();
    failed_ = true;
  }
}

#endif  // HOTPATH_HAVE_LIBURING

// Reads files 0..n-1 (name(i) relative to dir_fd, kind(i)) into out[0..n).
template <class Name, class KindOf>
void read_many(int dir_fd, size_t n, Name name, KindOf kind, bool use_ring, const Options& opt,
               std::string& sums, Result* out) {
#if defined(HOTPATH_HAVE_LIBURING)
  Ring* ring = use_ring && n > 1 ? Ring::get() : nullptr;
  if (ring) {
    size_t idx[Ring::kSlots];
    size_t i = 0;
    while (i < n) {
      unsigned k = 0;
      for (; i < n && k < Ring::kSlots; ++i) {
        if (kind(i) == kRegular)
          idx[k++] = i;
        else
          read_one(dir_fd, name(i), kind(i), opt, sums, out[i]);
      }
      if (k == 0) continue;
      ring->read(dir_fd, idx, k, name, opt, sums, out);
      if (i < n && !(ring = Ring::get())) {  // the ring failed: the rest the plain way
        for (; i < n; ++i) read_one(dir_fd, name(i), kind(i), opt, sums, out[i]);
      }
    }
    return;
  }
#else
  (void)use_ring;
#endif
  for (size_t i = 0; i < n; ++i) read_one(dir_fd, name(i), kind(i), opt, sums, out[i]);
}

struct Walk {
  int root_fd;
  const Options* opt;
  Matcher matcher;
  bool read_inline;
  bool use_ring;

  static bool on_path(const DirScratch& d, const Node* parent, uint64_t dev, uint64_t ino) {
    if (d.dev == dev && d.ino == ino) return true;
    for (const Node* k = parent; k != nullptr; k = k->parent)
      if (k->dev == dev && k->ino == ino) return true;
    return false;
  }

  void enumerate(const Node& node, DirScratch& d) const {
    d.clear();
    const bool follow = opt->flags & kFollowSymlinks;
    const bool recursive = opt->flags & kRecursive;
    const bool hidden = opt->flags & kIncludeHidden;
    int fd = node.rel.empty() ? ::openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                              : ::openat(root_fd, node.rel.c_str(),
                                         O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      add_error(d.errors, node.rel, HOTPATH_EIO, "cannot open directory", errno);
      return;
    }
    if (follow) {
      struct stat st;
      if (::fstat(fd, &st) == 0) {
        d.dev = st.st_dev;
        d.ino = st.st_ino;
      }
    }
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      int err = errno;
      ::close(fd);
      add_error(d.errors, node.rel, HOTPATH_EIO, "cannot open directory", err);
      return;
    }
    thread_local std::string rel;
    for (;;) {
      errno = 0;
      struct dirent* e = ::readdir(dir);
      if (!e) {
        if (errno) add_error(d.errors, node.rel, HOTPATH_EIO, "cannot read directory", errno);
        break;
      }
      const char* name = e->d_name;
      if (name[0] == '.') {
        if (name[1] == 0 || (name[1] == '.' && name[2] == 0)) continue;
        if (!hidden) continue;
      }
      rel.assign(node.rel);
      if (!rel.empty()) rel.push_back('/');
      rel.append(name);
      unsigned char type = e->d_type;
      uint8_t kind = kRegular;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (::fstatat(::dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          kind = kCheck;  // reading will report it
        } else if (S_ISDIR(st.st_mode)) {
          type = DT_DIR;
        } else if (S_ISLNK(st.st_mode)) {
          type = DT_LNK;
        } else if (!S_ISREG(st.st_mode)) {
          kind = kCheck;
        }
      }
      if (type == DT_DIR) {
        if (recursive) d.subdirs.push_back({rel, 0, 0});
        continue;
      }
      if (type == DT_LNK) {
        struct stat st;
        if (::fstatat(::dirfd(dir), name, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
          if (!recursive || !follow) continue;  // a link to a folder is not followed
          if (on_path(d, node.parent, st.st_dev, st.st_ino)) {
            d.errors.push_back(ErrorEntry{rel, HOTPATH_EINVAL,
                                          "symbolic link loop: the folder is already on the path"});
            continue;
          }
          d.subdirs.push_back({rel, static_cast<uint64_t>(st.st_dev),
                               static_cast<uint64_t>(st.st_ino)});
          continue;
        }
        kind = kCheck;  // a link to a file (checked when read) or a dangling link
      } else if (type != DT_REG && type != DT_UNKNOWN) {
        kind = kCheck;
      }
      if (!matcher.matches(rel.data(), rel.size())) continue;
      uint32_t result = kPending;
      if (read_inline && d.results.size() < kInlinePerDir) {
        result = static_cast<uint32_t>(d.results.size());
        d.results.emplace_back();
      }
      d.files.push_back(FileRef{d.paths.size(), static_cast<uint32_t>(rel.size()), kind, result});
      d.paths.append(rel);
      d.paths.push_back('\0');
    }
    // The files read during the walk are the first ones listed, read through the
    // folder's descriptor by name.
    if (!d.results.empty()) {
      const size_t skip = node.rel.empty() ? 0 : node.rel.size() + 1;
      const char* paths = d.paths.data();
      const FileRef* files = d.files.data();
      read_many(
          ::dirfd(dir), d.results.size(), [&](size_t i) { return paths + files[i].off + skip; },
          [&](size_t i) { return files[i].kind; }, use_ring, *opt, d.summaries, d.results.data());
    }
    ::closedir(dir);
  }
};

}  // namespace

bool glob_match(const char* pattern, size_t pattern_len, const char* path,
                size_t path_len) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(pattern);
  const auto* s = reinterpret_cast<const unsigned char*>(path);
  if (std::memchr(p, '/', pattern_len) == nullptr) {
    const void* slash = last_of(s, '/', path_len);
    const size_t base =
        slash ? static_cast<size_t>(static_cast<const unsigned char*>(slash) - s) + 1 : 0;
    return match_component(p, pattern_len, s + base, path_len - base);
  }
  while (pattern_len && *p == '/') {
    ++p;
    --pattern_len;
  }
  try {
    return match_path(p, pattern_len, s, path_len);
  } catch (...) {  // std::bad_alloc growing the component lists
    return false;
  }
}

bool extension_of(const char* pattern, size_t len, std::string* ext) {
  size_t i = 0;
  if (i < len && pattern[i] == '*') ++i;
  if (i < len && pattern[i] == '.') ++i;
  if (i == len) return false;
  for (size_t k = i; k < len; ++k) {
    const char c = pattern[k];
    if (c == '/' || c == '*' || c == '?' || c == '[' || c == '.' || c == '\0') return false;
  }
  ext->assign(pattern + i, len - i);
  return true;
}

namespace {

// Lines and words of a text that is entirely ASCII, in one pass of 16-byte blocks:
// newlines and word starts (a byte that is not white space after one that is) are
// counted with bit masks.  Returns false, having counted nothing, at the first byte
// above 0x7F: the general path then handles the file.  Compiled per SIMD level, so
// the bit counts are the popcnt instruction where the processor has it.
HOTPATH_SIMD_CLONES bool count_ascii(const unsigned char* s, size_t n, bool unicode,
                                     uint64_t* newlines, uint64_t* words) {
  uint64_t nl = 0, w = 0;
  unsigned prev_word = 0;  // 1 when the byte before the block is not white space
  size_t i = 0;
#if defined(__SSE2__)
  // The second range: 0x1C-0x20 (width 4), or 0x20 alone for the Unicode rule.
  const __m128i k9 = _mm_set1_epi8(9), k4 = _mm_set1_epi8(4),
                k1c = _mm_set1_epi8(unicode ? 0x20 : 0x1C), kw = _mm_set1_epi8(unicode ? 0 : 4),
                knl = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    if (_mm_movemask_epi8(v)) return false;
    // White space: 0x09-0x0D and 0x1C-0x20 (b - lo <= width, unsigned).
    const __m128i a = _mm_sub_epi8(v, k9), b = _mm_sub_epi8(v, k1c);
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, k4), a),
                                       _mm_cmpeq_epi8(_mm_min_epu8(b, kw), b));
    const unsigned word = ~static_cast<unsigned>(_mm_movemask_epi8(space)) & 0xFFFFu;
    const unsigned starts = word & ~((word << 1) | prev_word);
    w += static_cast<unsigned>(__builtin_popcount(starts));
    nl += static_cast<unsigned>(__builtin_popcount(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, knl)))));
    prev_word = word >> 15;
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = s[i];
    if (c >= 0x80) return false;
    const bool space = (c >= 0x09 && c <= 0x0D) || c == 0x20 || (!unicode && c >= 0x1C && c < 0x20);
    nl += c == '\n';
    if (!space && !prev_word) ++w;
    prev_word = space ? 0 : 1;
  }
  *newlines = nl;
  *words = w;
  return true;
}

// Words of valid UTF-8 split at Unicode White_Space only.
uint64_t unicode_words(const unsigned char* s, size_t n) {
  uint64_t words = 0;
  bool in_word = false;
  for (size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    size_t w = 1;
    bool space;
    if (b < 0x80) {
      space = (b >= 0x09 && b <= 0x0D) || b == 0x20;
    } else {
      const size_t sw = (b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3) ? utf8::space_at(s + i, n - i) : 0;
      space = sw != 0;
      if (space) w = sw;
    }
    if (!space && !in_word) ++words;
    in_word = !space;
    i += w;
  }
  return words;
}

}  // namespace

void verbatim_summary(const char* s, size_t n, uint32_t lines, uint64_t max_chars,
                      size_t* length, uint64_t* taken) noexcept {
  size_t end = 0, pos = 0;
  uint64_t k = 0;
  while (k < lines && pos < n) {
    const void* nl = std::memchr(s + pos, '\n', n - pos);
    ++k;
    if (nl == nullptr) {
      end = n;
      break;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - s);
    end = (at > pos && s[at - 1] == '\r') ? at - 1 : at;
    pos = at + 1;
  }
  // The cut at max_chars code points (the text is valid UTF-8).
  uint64_t chars = 0;
  size_t i = 0;
  while (i < end && chars < max_chars) {
    ++i;
    while (i < end && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  *length = i;
  *taken = k;
}

Counts count(const char* data, size_t n, bool unicode) noexcept {
  Counts c;
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  uint64_t newlines = 0, words = 0;
  if (count_ascii(s, n, unicode, &newlines, &words)) {
    c.valid_prefix = n;
    c.words = words;
  } else {
    newlines = static_cast<uint64_t>(std::count(s, s + n, '\n'));
    const size_t bad = utf8::validate(data, n);
    if (bad == utf8::kValid) {
      c.valid_prefix = n;
      if (unicode)
        words = unicode_words(s, n);
      else
        text::for_each_word(data, n, [&](const char*, size_t) { ++words; });
    } else {
      // Not UTF-8: words are runs between ASCII white space (Python's bytes.split()).
      c.utf8 = false;
      c.valid_prefix = bad;
      bool in_word = false;
      for (size_t i = 0; i < n; ++i) {
        const unsigned char b = s[i];
        const bool space = b == ' ' || (b >= 0x09 && b <= 0x0D);
        if (!space && !in_word) ++words;
        in_word = !space;
      }
    }
    c.words = words;
  }
  c.lines = newlines;
  const void* last = n ? last_of(s, '\n', n) : nullptr;
  const size_t tail =
      last ? n - (static_cast<size_t>(static_cast<const unsigned char*>(last) - s) + 1) : n;
  // An unterminated last line counts, unless it is a lone "\r" (not content; the
  // Unicode rule counts it).
  if (tail > 0 && (unicode || !(tail == 1 && s[n - 1] == '\r'))) ++c.lines;
  return c;
}

namespace {

// --- counting in pieces --------------------------------------------------------------
//
// A big file is counted piece by piece with the rules of count(): pieces end before
// a UTF-8 lead byte, so no character is split and a valid file gives valid pieces;
// a word that runs across the end of a piece is counted once (the last character of
// one piece and the first of the next are both not white space).  Both word rules
// are kept (the text rule while every piece is valid, the bytes rule always): which
// one applies is known only at the end.

bool ascii_ws(unsigned char b) { return b == ' ' || (b >= 0x09 && b <= 0x0D); }

// Whether the character starting at s[0..n) is white space under the text rule
// (unicode: Unicode White_Space; else str.split()'s, U+001C..U+001F included).
bool text_space_at(const unsigned char* s, size_t n, bool unicode) {
  const unsigned char b = s[0];
  if (b < 0x80) return ascii_ws(b) || (!unicode && b >= 0x1C && b <= 0x1F);
  return utf8::space_at(s, n) != 0;
}

size_t last_char_start(const unsigned char* s, size_t n) {
  size_t i = n - 1;
  for (int k = 0; k < 3 && i > 0 && (s[i] & 0xC0) == 0x80; ++k) --i;
  return i;
}

// Where a piece of s[0..have) ends: before its last character, which may go on in
// the next read (a lead byte and what follows it; a run of continuation bytes with
// no lead byte near the end is invalid anyway and ends the piece).
size_t piece_end(const unsigned char* s, size_t have) {
  if (have == 0) return 0;
  const size_t i = last_char_start(s, have);
  return (s[i] & 0xC0) != 0x80 ? i : have;
}

uint64_t bytes_words(const unsigned char* s, size_t n) {
  uint64_t words = 0;
  bool in_word = false;
  for (size_t i = 0; i < n; ++i) {
    const bool space = ascii_ws(s[i]);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

struct PieceCounter {
  bool unicode = false;
  bool valid = true;
  uint64_t size = 0, newlines = 0, text_words = 0, byte_words = 0;
  bool any = false, last_text_space = true, last_byte_space = true;
  unsigned char last = 0;
  uint64_t tail = 0;  // bytes after the last "\n"

  void add(const unsigned char* s, size_t n) {
    if (n == 0) return;
    const void* nl_last = last_of(s, '\n', n);
    const uint64_t nl = static_cast<uint64_t>(std::count(s, s + n, '\n'));
    newlines += nl;
    tail = nl_last ? n - (static_cast<size_t>(static_cast<const unsigned char*>(nl_last) - s) + 1)
                   : tail + n;
    size += n;
    uint64_t bw = bytes_words(s, n);
    if (any && !last_byte_space && !ascii_ws(s[0])) --bw;
    byte_words += bw;
    if (valid) {
      uint64_t tw = 0, ignored = 0;
      if (!count_ascii(s, n, unicode, &ignored, &tw)) {
        if (utf8::validate(reinterpret_cast<const char*>(s), n) != utf8::kValid) {
          valid = false;
        } else if (unicode) {
          tw = unicode_words(s, n);
        } else {
          text::for_each_word(reinterpret_cast<const char*>(s), n, [&](const char*, size_t) { ++tw; });
        }
      }
      if (valid) {
        if (any && !last_text_space && !text_space_at(s, n, unicode)) --tw;
        text_words += tw;
        const size_t i = last_char_start(s, n);
        last_text_space = text_space_at(s + i, n - i, unicode);
      }
    }
    last_byte_space = ascii_ws(s[n - 1]);
    last = s[n - 1];
    any = true;
  }
};

void count_stream(int fd, std::vector<char>& buf, size_t len, bool check, const Options& opt,
                  std::string& sums, Result& r) {
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  PieceCounter pc;
  pc.unicode = (opt.flags & kUnicodeCounts) != 0;
  // The summary, from the first kWholeLimit bytes: their valid UTF-8 prefix, which
  // also stops before a character the end of the buffer cuts.
  const size_t vp = utf8::validate(buf.data(), len);
  append_summary(buf.data(), vp == utf8::kValid ? len : vp, opt, sums, r);
  auto* s = reinterpret_cast<unsigned char*>(buf.data());
  size_t have = len;
  for (;;) {
    const size_t cut = piece_end(s, have);
    pc.add(s, cut);
    std::memmove(s, s + cut, have - cut);
    have -= cut;
    if (buf.size() < kPiece + 4) {
      buf.resize(kPiece + 4);
      s = reinterpret_cast<unsigned char*>(buf.data());
    }
    size_t got = 0;
    bool eof = false;
    while (got < kPiece && !eof) {
      const size_t want = kPiece - got;
      ssize_t n = ::read(fd, s + have + got, want);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int e = errno;
        sums.resize(r.summary_off);
        set_failure(r, sums, "cannot read file", e);
        return;
      }
      got += static_cast<size_t>(n);
      // As in read_all: a known regular file ends at the first short read.
      eof = n == 0 || (!check && static_cast<size_t>(n) < want);
    }
    have += got;
    if (eof) break;
  }
  pc.add(s, have);
  r.src = &sums;
  r.status = HOTPATH_OK;
  r.size = pc.size;
  r.lines = pc.newlines;
  if (pc.tail > 0 && (pc.unicode || !(pc.tail == 1 && pc.last == '\r'))) ++r.lines;
  r.words = pc.valid ? pc.text_words : pc.byte_words;
  r.utf8 = pc.valid;
  r.what = nullptr;
  r.err = 0;
}

}  // namespace

Counts count_pieces(const char* data, size_t n, size_t piece, bool unicode) noexcept {
  PieceCounter pc;
  pc.unicode = unicode;
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  size_t pos = 0;
  while (n - pos > piece) {
    // The reads of count_stream: the carried tail plus the next piece.
    const size_t window = piece + 4 < n - pos ? piece + 4 : n - pos;
    const size_t cut = piece_end(s + pos, window);
    const size_t take = cut ? cut : window;  // one character fills the window
    pc.add(s + pos, take);
    pos += take;
  }
  pc.add(s + pos, n - pos);
  Counts c;
  c.lines = pc.newlines + ((pc.tail > 0 && (unicode || !(pc.tail == 1 && pc.last == '\r'))) ? 1 : 0);
  c.words = pc.valid ? pc.text_words : pc.byte_words;
  c.utf8 = pc.valid;
  c.valid_prefix = pc.valid ? n : utf8::validate(data, n);
  return c;
}

namespace {

// The rest of a file read_all left open (*more), appended to out; closes fd.
bool read_rest(int fd, std::string& out, const char** what, int* err) {
  const bool ok = read_to_end(fd, out, err);
  ::close(fd);
  if (!ok) *what = "cannot read file";
  return ok;
}

}  // namespace

// --- Audit ------------------------------------------------------------------------------

Audit::Audit() : impl_(new Impl) {}
Audit::~Audit() { delete impl_; }

void Audit::clear() noexcept {
  table_.clear();
  arena_.clear();
  errors_.clear();
  total_size = total_lines = total_words = 0;
}

void Audit::run(const char* root, const Options& opt) {
  clear();
  int root_fd = ::open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    const int err = errno;
    if (err == ENOTDIR) throw Error(HOTPATH_EINVAL, "argument 'root' is not a directory");
    throw Error::io(err, root, "cannot open argument 'root': %s", std::strerror(err));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{root_fd};

  Impl& im = *impl_;
  im.nodes.clear();
  im.nodes.push_back(Node{std::string(), nullptr, 0, 0});
  im.paths.clear();
  im.files.clear();
  im.results.clear();
  im.walk_summaries.clear();
  std::vector<ErrorEntry> walk_errors;

  // Without max_files every matching file is kept, so files can be read as the walk
  // finds them; with it, only the first max_files in sorted order are read.
  const bool use_ring = io_uring_wanted();
  Walk walk{root_fd, &opt, Matcher{&opt}, opt.max_files == kNoLimit, use_ring};
  ThreadPool& pool = ThreadPool::instance();

  // The walk: every worker takes a folder from one shared stack, lists it (reading
  // its files), and pushes its subfolders, until the stack is empty and no worker is
  // listing; no worker waits for a level to finish.  What each worker finds goes to
  // its own part; the parts are joined and sorted afterwards, so the result does not
  // depend on which worker listed which folder.
  const size_t workers = static_cast<size_t>(std::max(1, pool.threads()));
  if (im.parts.size() < workers) im.parts.resize(workers);
  for (size_t w = 0; w < workers; ++w) im.parts[w].clear();
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Node*> stack{&im.nodes.front()};
  size_t active = 0;
  bool failed = false;
  auto worker = [&](size_t w) {
    thread_local DirScratch d;
    WalkPart& part = im.parts[w];
    for (;;) {
      Node* node;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return failed || !stack.empty() || active == 0; });
        if (failed || stack.empty()) return;
        node = stack.back();
        stack.pop_back();
        ++active;
      }
      try {
        walk.enumerate(*node, d);
      } catch (...) {
        {
          std::lock_guard<std::mutex> lock(mu);
          failed = true;
          --active;
        }
        cv.notify_all();
        throw;
      }
      size_t pushed = d.subdirs.size();
      bool done;
      {
        std::lock_guard<std::mutex> lock(mu);
        node->dev = d.dev;  // read by the loop check of the folders below
        node->ino = d.ino;
        try {
          for (DirScratch::Sub& s : d.subdirs) {
            im.nodes.push_back(Node{std::move(s.rel), node, s.dev, s.ino});
            stack.push_back(&im.nodes.back());
          }
        } catch (...) {
          failed = true;
          --active;
          cv.notify_all();
          throw;
        }
        --active;
        done = active == 0 && stack.empty();
      }
      if (done)
        cv.notify_all();
      else if (pushed > 1)
        cv.notify_all();
      else if (pushed == 1)
        cv.notify_one();
      // Join the folder to this worker's part.
      append_walk(d, part.paths, part.results, part.summaries, part.files, part.errors);
    }
  };
  auto body = [&](size_t b, size_t e) {
    for (size_t w = b; w < e; ++w) worker(w);
  };
  if (workers == 1)
    body(0, 1);
  else
    pool.parallel_for(workers, 1, body);

  // Join the parts.
  for (size_t w = 0; w < workers; ++w) {
    append_walk(im.parts[w], im.paths, im.results, im.walk_summaries, im.files, walk_errors);
  }
  for (Result& r : im.results) r.src = &im.walk_summaries;

  // Sorted by relative path (byte order), then cut: the result never depends on
  // the thread count or the order the file system lists entries in.
  const char* base = im.paths.data();
  std::sort(im.files.begin(), im.files.end(), [base](const FileRef& a, const FileRef& b) {
    const int c = std::memcmp(base + a.off, base + b.off, std::min(a.len, b.len));
    return c != 0 ? c < 0 : a.len < b.len;
  });
  if (opt.max_files < im.files.size()) im.files.resize(static_cast<size_t>(opt.max_files));

  // Read the files the walk left, in parallel blocks.
  im.pending.clear();
  for (size_t i = 0; i < im.files.size(); ++i) {
    if (im.files[i].result == kPending) {
      im.files[i].result = static_cast<uint32_t>(im.results.size() + im.pending.size());
      im.pending.push_back(static_cast<uint32_t>(i));
    }
  }
  const size_t first_pending = im.results.size();
  im.results.resize(first_pending + im.pending.size());
  const size_t np = im.pending.size();
  const size_t nblocks = (np + kBlock - 1) / kBlock;
  if (im.blocks.size() < nblocks) im.blocks.resize(nblocks);
  auto reader = [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) {
      std::string& sums = im.blocks[b];
      sums.clear();
      const size_t begin = b * kBlock, end = std::min(np, (b + 1) * kBlock);
      const uint32_t* pend = im.pending.data() + begin;
      read_many(
          root_fd, end - begin, [&](size_t i) { return base + im.files[pend[i]].off; },
          [&](size_t i) { return im.files[pend[i]].kind; }, use_ring, opt, sums,
          im.results.data() + first_pending + begin);
    }
  };
  if (nblocks == 1)
    reader(0, 1);
  else if (nblocks > 1)
    pool.parallel_for(nblocks, 1, reader);

  // Assemble the table and the arena in file order.
  const size_t n = im.files.size();
  size_t ok = 0, arena_size = 0;
  for (size_t i = 0; i < n; ++i) {
    const Result& r = im.results[im.files[i].result];
    if (r.status == HOTPATH_OK) {
      ++ok;
      arena_size += im.files[i].len + r.summary_len + 2;
    }
  }
  table_.reserve(ok * kColumns);
  arena_.reserve(arena_size);
  for (size_t i = 0; i < n; ++i) {
    const FileRef& f = im.files[i];
    const Result& r = im.results[f.result];
    if (r.status != HOTPATH_OK) {
      errors_.push_back(ErrorEntry{std::string(base + f.off, f.len), r.status,
                                   os_message(r.what, r.err)});
      continue;
    }
    // Each path and summary is followed by a NUL byte (files.h): C callers get
    // terminated strings, bindings split the whole arena at once.
    const uint64_t path_off = arena_.size();
    arena_.append(base + f.off, f.len);
    arena_.push_back('\0');
    const uint64_t sum_off = arena_.size();
    arena_.append(*r.src, r.summary_off, r.summary_len);
    arena_.push_back('\0');
    const uint64_t row[kColumns] = {path_off, f.len, sum_off, r.summary_len,
                                    r.size,   r.lines, r.words, r.utf8};
    table_.insert(table_.end(), row, row + kColumns);
    total_size += r.size;
    total_lines += r.lines;
    total_words += r.words;
  }
  for (ErrorEntry& e : walk_errors) errors_.push_back(std::move(e));
  std::sort(errors_.begin(), errors_.end(),
            [](const ErrorEntry& a, const ErrorEntry& b) { return a.path < b.path; });
}

bool io_uring_in_use() {
#if defined(HOTPATH_HAVE_LIBURING)
  return io_uring_wanted() && Ring::get() != nullptr;
#else
  return false;
#endif
}

// --- Reader -----------------------------------------------------------------------------

void Reader::read(const char* paths, const size_t* offsets, size_t n) {
  statuses_.assign(n, HOTPATH_OK);
  if (messages_.size() < n) messages_.resize(n);
  if (parts_.size() < n) parts_.resize(n);
  auto body = [&](size_t b, size_t e) {
    thread_local std::string path;
    thread_local std::vector<char> buf;
    for (size_t i = b; i < e; ++i) {
      path.assign(paths + offsets[i], offsets[i + 1] - offsets[i]);
      messages_[i].clear();
      parts_[i].clear();
      const char* what = nullptr;
      int err = 0;
      size_t len = 0;
      bool more = false;
      int fd = -1;
      if (!read_all(AT_FDCWD, path.c_str(), true, buf, &len, &what, &err, &more, &fd)) {
        statuses_[i] = err ? HOTPATH_EIO : HOTPATH_EUNSUPPORTED;
        messages_[i] = os_message(what, err);
        continue;
      }
      parts_[i].assign(buf.data(), len);
      if (more && !read_rest(fd, parts_[i], &what, &err)) {
        parts_[i].clear();
        statuses_[i] = HOTPATH_EIO;
        messages_[i] = os_message(what, err);
        continue;
      }
      if (buf.size() > (size_t{1} << 24)) std::vector<char>().swap(buf);
    }
  };
  if (n > 1)
    ThreadPool::instance().parallel_for(n, 8, body);
  else if (n == 1)
    body(0, 1);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) total += parts_[i].size();
  data_.clear();
  data_.reserve(total);
  offsets_.assign(1, 0);
  for (size_t i = 0; i < n; ++i) {
    data_.append(parts_[i]);
    offsets_.push_back(data_.size());
  }
  for (size_t i = 0; i < n; ++i) std::string().swap(parts_[i]);  // no large leftovers
}

}  // namespace files
}  // namespace hotpath
