// LZ4 frames through liblz4's lz4frame API and gzip members through zlib.
//
// Every message thrown here is mirrored word for word by the pure-Python twin
// (bindings-python/hotpath/_compress_py.py): change both together.
#include "compress/compress.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <lz4.h>
#include <lz4frame.h>
#include <lz4hc.h>
#include <zlib.h>

#include "common/error.hpp"
#include "common/output_file.hpp"
#include "common/thread_pool.hpp"

namespace hotpath::compress {

namespace {

// Frame settings of every LZ4 frame written here: the lz4 command-line tool's
// defaults (4 MiB independent blocks, content checksum) plus the content size.
constexpr size_t kLz4Block = size_t(4) << 20;
constexpr size_t kLz4HeaderMax = 19;  // magic, FLG, BD, content size, dictID, HC
constexpr size_t kZlibChunk = size_t(1) << 30;  // zlib counts in 32-bit uInt
constexpr size_t kFileIn = size_t(1) << 20;

constexpr int32_t kLz4MinLevel = -65537;  // "fast" acceleration 65537 (LZ4_ACCELERATION_MAX)

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint64_t le64(const uint8_t* p) { return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32; }

enum class Kind { kLz4, kGzip };

// Format of the frame starting at p (rem bytes left).  first: p is the start
// of the input (unknown magic is then "unsupported", later it is "trailing").
Kind detect(const uint8_t* p, size_t rem, bool first) {
  static const uint8_t lz4_magic[4] = {0x04, 0x22, 0x4d, 0x18};
  if (rem >= 2 && p[0] == 0x1f && p[1] == 0x8b) return Kind::kGzip;
  if (rem >= 4) {
    uint32_t m = le32(p);
    if (m == 0x184D2204u || (m & 0xFFFFFFF0u) == 0x184D2A50u) return Kind::kLz4;
  } else {
    bool lz4_prefix = std::memcmp(p, lz4_magic, rem) == 0;
    bool gz_prefix = rem == 1 && p[0] == 0x1f;
    if (lz4_prefix || gz_prefix) throw Error(HOTPATH_ECORRUPT, "truncated input: %s", "the frame header is incomplete");
  }
  if (!first)
    throw Error(HOTPATH_ECORRUPT, "trailing data after the last frame (%zu bytes)", rem);
  char shown[16] = {0};
  size_t k = rem < 4 ? rem : 4;
  for (size_t i = 0, at = 0; i < k; ++i, at = std::strlen(shown))
    std::snprintf(shown + at, sizeof shown - at, i ? " %02x" : "%02x", p[i]);
  throw Error(HOTPATH_ECORRUPT,
              "unknown format: input starts with %s; expected an LZ4 frame (04 22 4d 18) or a "
              "gzip member (1f 8b)",
              shown);
}

// The content size an LZ4 frame header declares (0 = none), read before
// liblz4 sees the frame so that a hostile size is refused up front.
// The header's own validity is left to liblz4.
uint64_t lz4_declared_size(const uint8_t* p, size_t rem) {
  if (le32(p) != 0x184D2204u || rem < 14) return 0;
  if (!(p[4] & 0x08)) return 0;
  return le64(p + 6);
}

[[noreturn]] void throw_lz4(size_t code) {
  const char* name = LZ4F_getErrorName(code);
  struct Entry {
    const char* name;
    const char* text;
  };
  static const Entry table[] = {
      {"ERROR_headerChecksum_invalid", "header checksum mismatch"},
      {"ERROR_contentChecksum_invalid", "content checksum mismatch"},
      {"ERROR_blockChecksum_invalid", "block checksum mismatch"},
      {"ERROR_decompressionFailed", "invalid block data"},
      {"ERROR_frameSize_wrong", "content size mismatch"},
      {"ERROR_headerVersion_wrong", "unsupported version"},
      {"ERROR_reservedFlag_set", "reserved bit set"},
      {"ERROR_maxBlockSize_invalid", "invalid block size"},
      {"ERROR_frameType_unknown", "unknown frame type"},
      {"ERROR_frameHeader_incomplete", "incomplete header"},
  };
  for (const Entry& e : table)
    if (std::strcmp(name, e.name) == 0) throw Error(HOTPATH_ECORRUPT, "corrupt LZ4 frame: %s", e.text);
  if (std::strcmp(name, "ERROR_allocation_failed") == 0) throw std::bad_alloc();
  throw Error(HOTPATH_ECORRUPT, "corrupt LZ4 frame: %s",
              std::strncmp(name, "ERROR_", 6) == 0 ? name + 6 : name);
}

[[noreturn]] void throw_truncated(Kind kind) {
  throw Error(HOTPATH_ECORRUPT, "truncated input: the %s ends early",
              kind == Kind::kLz4 ? "LZ4 frame" : "gzip member");
}

[[noreturn]] void throw_dst_full(size_t cap, uint64_t needed) {
  if (needed)
    throw Error(HOTPATH_EBUFFER, "dst holds %zu bytes; the input decompresses to %llu", cap,
                static_cast<unsigned long long>(needed));
  throw Error(HOTPATH_EBUFFER, "dst holds %zu bytes; the input decompresses to more", cap);
}

[[noreturn]] void throw_zlib(const z_stream& z, int ret) {
  if (ret == Z_MEM_ERROR) throw std::bad_alloc();
  throw Error(HOTPATH_ECORRUPT, "corrupt gzip member: %s",
              z.msg ? z.msg : (ret == Z_NEED_DICT ? "needs a dictionary" : "invalid data"));
}

LZ4F_preferences_t lz4_prefs(int32_t level, uint64_t content_size) {
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.blockSizeID = LZ4F_max4MB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  prefs.frameInfo.contentSize = content_size;
  prefs.compressionLevel = level;
  prefs.autoFlush = 1;
  return prefs;
}

// Per-thread contexts, created on first use and reused, so that buffer calls
// allocate nothing once warm.
struct Lz4C {
  LZ4F_cctx* c = nullptr;
  ~Lz4C() { LZ4F_freeCompressionContext(c); }
  LZ4F_cctx* get() {
    if (!c && LZ4F_isError(LZ4F_createCompressionContext(&c, LZ4F_VERSION))) throw std::bad_alloc();
    return c;
  }
};
// liblz4 1.9.4's LZ4F_resetDecompressionContext leaves the remaining content
// size of an abandoned frame behind, which a later frame without a content
// size then fails on; so a context that did not finish its frame is replaced
// (error paths only).
struct Lz4D {
  LZ4F_dctx* d = nullptr;
  bool dirty = false;
  ~Lz4D() { LZ4F_freeDecompressionContext(d); }
  LZ4F_dctx* get() {
    if (d && dirty) {
      LZ4F_freeDecompressionContext(d);
      d = nullptr;
    }
    if (!d && LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) throw std::bad_alloc();
    dirty = true;
    return d;
  }
  void finished() { dirty = false; }
};
struct Deflater {
  z_stream z;
  bool live = false;
  int level = 0;
  Deflater() { std::memset(&z, 0, sizeof z); }
  ~Deflater() {
    if (live) deflateEnd(&z);
  }
  z_stream* get(int lvl) {
    if (live && lvl == level) {
      deflateReset(&z);
      return &z;
    }
    if (live) deflateEnd(&z);
    live = false;
    std::memset(&z, 0, sizeof z);
    int ret = deflateInit2(&z, lvl, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (ret == Z_MEM_ERROR) throw std::bad_alloc();
    if (ret != Z_OK) throw Error(HOTPATH_EINTERNAL, "deflateInit2 failed (%d)", ret);
    live = true;
    level = lvl;
    return &z;
  }
};
struct Inflater {
  z_stream z;
  bool live = false;
  Inflater() { std::memset(&z, 0, sizeof z); }
  ~Inflater() {
    if (live) inflateEnd(&z);
  }
  z_stream* get() {
    if (live) {
      inflateReset(&z);
      return &z;
    }
    int ret = inflateInit2(&z, 15 + 16);
    if (ret == Z_MEM_ERROR) throw std::bad_alloc();
    if (ret != Z_OK) throw Error(HOTPATH_EINTERNAL, "inflateInit2 failed (%d)", ret);
    live = true;
    return &z;
  }
};

thread_local Lz4C tls_lz4c;
thread_local Lz4D tls_lz4d;
// Header reading only (content_size): reset before each use; the stale
// remaining size does not matter there, as it reads nothing but frameInfo.
struct Lz4Info {
  LZ4F_dctx* d = nullptr;
  ~Lz4Info() { LZ4F_freeDecompressionContext(d); }
  LZ4F_dctx* get() {
    if (!d && LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) throw std::bad_alloc();
    LZ4F_resetDecompressionContext(d);
    return d;
  }
};
thread_local Lz4Info tls_lz4info;
thread_local Deflater tls_deflate;
thread_local Inflater tls_inflate;

// --- parallel LZ4 frames -----------------------------------------------------
//
// A frame of independent blocks can be written block by block in any order:
// each block is compressed exactly as liblz4's frame compressor does it
// (LZ4_compress_fast_extState / LZ4_compress_HC_extStateHC into srcSize - 1
// bytes, stored raw when that does not fit), so the frame is byte for byte
// the one LZ4F_compressUpdate writes, whatever the thread count.

// xxHash32 (seed 0) from its specification: the frame's content checksum.
uint32_t xxh32(const uint8_t* p, size_t n) {
  constexpr uint32_t P1 = 2654435761u, P2 = 2246822519u, P3 = 3266489917u, P4 = 668265263u,
                     P5 = 374761393u;
  auto rotl = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  size_t i = 0;
  uint32_t h;
  if (n >= 16) {
    uint32_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0u - P1;
    for (; i + 16 <= n; i += 16) {
      v1 = rotl(v1 + le32(p + i) * P2, 13) * P1;
      v2 = rotl(v2 + le32(p + i + 4) * P2, 13) * P1;
      v3 = rotl(v3 + le32(p + i + 8) * P2, 13) * P1;
      v4 = rotl(v4 + le32(p + i + 12) * P2, 13) * P1;
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  } else {
    h = P5;
  }
  h += uint32_t(n);
  for (; i + 4 <= n; i += 4) h = rotl(h + le32(p + i) * P3, 17) * P4;
  for (; i < n; ++i) h = rotl(h + p[i] * P5, 11) * P1;
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

// Per-worker compression states (allocated once per thread).
struct BlockStates {
  std::unique_ptr<uint8_t[]> fast, hc;
  void* get(bool high) {
    std::unique_ptr<uint8_t[]>& s = high ? hc : fast;
    if (!s) s.reset(new uint8_t[size_t(high ? LZ4_sizeofStateHC() : LZ4_sizeofState())]);
    return s.get();
  }
};
thread_local BlockStates tls_states;

// Compresses block src[0..len) into slot+4 and writes its 4-byte header at
// slot; returns the block's total size (header included).
size_t lz4_block(int32_t level, const uint8_t* src, size_t len, uint8_t* slot) {
  const bool high = level >= LZ4HC_CLEVEL_MIN;
  void* state = tls_states.get(high);
  int cap = int(len) - 1;
  int w = high ? LZ4_compress_HC_extStateHC(state, reinterpret_cast<const char*>(src),
                                             reinterpret_cast<char*>(slot + 4), int(len), cap,
                                             level)
               : LZ4_compress_fast_extState(state, reinterpret_cast<const char*>(src),
                                            reinterpret_cast<char*>(slot + 4), int(len), cap,
                                            level < 0 ? -level + 1 : 1);
  if (w <= 0) {  // incompressible: stored raw, flagged by the high bit
    std::memcpy(slot + 4, src, len);
    put_le32(slot, uint32_t(len) | 0x80000000u);
    return 4 + len;
  }
  put_le32(slot, uint32_t(w));
  return 4 + size_t(w);
}

// The whole frame, blocks on the thread pool.  dst_cap >= bound(kLz4, n).
size_t lz4_frame_parallel(int32_t level, const uint8_t* src, size_t n, uint8_t* dst,
                          size_t cap) {
  LZ4F_cctx* c = tls_lz4c.get();
  LZ4F_preferences_t prefs = lz4_prefs(level, n);
  size_t hdr = LZ4F_compressBegin(c, dst, cap, &prefs);
  if (LZ4F_isError(hdr)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressBegin: %s", LZ4F_getErrorName(hdr));
  const size_t blocks = n / kLz4Block + (n % kLz4Block != 0);
  // Block i goes first to the place it would have if every earlier block
  // were stored raw, then moves down; the sizes are kept in a small array.
  constexpr size_t kMaxStack = 256;  // 1 GiB of input without a heap array
  size_t stack_sizes[kMaxStack];
  std::vector<size_t> heap_sizes;
  size_t* sizes = stack_sizes;
  if (blocks > kMaxStack) {
    heap_sizes.resize(blocks);
    sizes = heap_sizes.data();
  }
  uint32_t checksum = 0;
  auto body = [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      if (i == blocks) {
        checksum = xxh32(src, n);
        continue;
      }
      size_t off = i * kLz4Block;
      size_t len = n - off < kLz4Block ? n - off : kLz4Block;
      sizes[i] = lz4_block(level, src + off, len, dst + hdr + i * (4 + kLz4Block));
    }
  };
  ThreadPool::instance().parallel_for(blocks + 1, 1, body);
  size_t pos = hdr;
  for (size_t i = 0; i < blocks; ++i) {
    uint8_t* from = dst + hdr + i * (4 + kLz4Block);
    if (from != dst + pos) std::memmove(dst + pos, from, sizes[i]);
    pos += sizes[i];
  }
  put_le32(dst + pos, 0);
  put_le32(dst + pos + 4, checksum);
  return pos + 8;
}

// --- buffer decoding -------------------------------------------------------

void check_lz4_claim(const uint8_t* p, size_t rem, size_t out, size_t cap) {
  uint64_t claim = lz4_declared_size(p, rem);
  if (!claim) return;
  if (claim > lz4_max_expansion(rem))
    throw Error(HOTPATH_ECORRUPT,
                "corrupt LZ4 frame: the header claims %llu bytes, more than %zu input bytes can "
                "hold",
                static_cast<unsigned long long>(claim), rem);
  if (claim > cap - out) throw_dst_full(cap, out + claim);
}

// One LZ4 frame from src[*pos..n) into dst[*out..cap).
// declared: the frame's content size (0 = none).  check_lz4_claim made room
// for it, so a full dst inside such a frame means more content than declared.
void lz4_frame_into(const uint8_t* src, size_t n, size_t* pos, uint8_t* dst, size_t cap,
                    size_t* out, uint64_t declared) {
  LZ4F_dctx* d = tls_lz4d.get();
  for (;;) {
    size_t in_sz = n - *pos, out_sz = cap - *out;
    size_t r = LZ4F_decompress(d, dst + *out, &out_sz, src + *pos, &in_sz, nullptr);
    *pos += in_sz;
    *out += out_sz;
    if (LZ4F_isError(r)) throw_lz4(r);
    if (r == 0) {
      tls_lz4d.finished();
      return;
    }
    if (in_sz == 0 && out_sz == 0) {
      if (*out == cap) {
        // dst is full: one byte more of output means dst is too small;
        // none means the input ends too early.
        uint8_t probe;
        size_t pin = n - *pos, pout = 1;
        r = LZ4F_decompress(d, &probe, &pout, src + *pos, &pin, nullptr);
        *pos += pin;
        if (LZ4F_isError(r)) throw_lz4(r);
        if (pout) {
          if (declared) throw Error(HOTPATH_ECORRUPT, "corrupt LZ4 frame: %s", "content size mismatch");
          throw_dst_full(cap, 0);
        }
        if (r == 0) {
          tls_lz4d.finished();
          return;
        }
        if (pin) continue;
      }
      throw_truncated(Kind::kLz4);
    }
  }
}

void gzip_member_into(const uint8_t* src, size_t n, size_t* pos, uint8_t* dst, size_t cap,
                      size_t* out) {
  z_stream* z = tls_inflate.get();
  for (;;) {
    size_t in_len = n - *pos < kZlibChunk ? n - *pos : kZlibChunk;
    size_t out_len = cap - *out < kZlibChunk ? cap - *out : kZlibChunk;
    z->next_in = const_cast<Bytef*>(src + *pos);
    z->avail_in = static_cast<uInt>(in_len);
    z->next_out = dst + *out;
    z->avail_out = static_cast<uInt>(out_len);
    int ret = inflate(z, Z_NO_FLUSH);
    size_t used = in_len - z->avail_in, made = out_len - z->avail_out;
    *pos += used;
    *out += made;
    if (ret == Z_STREAM_END) return;
    if (ret != Z_OK && ret != Z_BUF_ERROR) throw_zlib(*z, ret);
    if (used == 0 && made == 0) {
      if (*out == cap) {  // as for LZ4: probe for one more byte of output
        uint8_t probe;
        in_len = n - *pos < kZlibChunk ? n - *pos : kZlibChunk;
        z->next_in = const_cast<Bytef*>(src + *pos);
        z->avail_in = static_cast<uInt>(in_len);
        z->next_out = &probe;
        z->avail_out = 1;
        ret = inflate(z, Z_NO_FLUSH);
        *pos += in_len - z->avail_in;
        if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END) throw_zlib(*z, ret);
        if (z->avail_out == 0) throw_dst_full(cap, 0);
        if (ret == Z_STREAM_END) return;
        if (in_len != z->avail_in) continue;
      }
      throw_truncated(Kind::kGzip);
    }
  }
}

// --- files -----------------------------------------------------------------

std::string errno_text(int e) { return std::strerror(e); }

[[noreturn]] void throw_io(const char* what, const char* path, int e) {
  throw Error::io(e, path, "cannot %s '%s': %s", what, path, errno_text(e).c_str());
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

class Reader {
 public:
  explicit Reader(const char* path) : path_(path) {
    fd_.fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd_.fd < 0) throw_io("open", path, errno);
    struct stat st;
    if (::fstat(fd_.fd, &st) != 0) throw_io("stat", path, errno);
    mode_ = st.st_mode;
    size_ = S_ISREG(st.st_mode) ? uint64_t(st.st_size) : 0;
  }
  // Fills p[0..n) as far as the file goes; returns the count (< n at EOF).
  size_t read(uint8_t* p, size_t n) {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::read(fd_.fd, p + got, n - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        throw_io("read", path_, errno);
      }
      if (r == 0) break;
      got += size_t(r);
    }
    return got;
  }
  mode_t mode() const { return mode_; }
  uint64_t size() const { return size_; }

 private:
  const char* path_;
  Fd fd_;
  mode_t mode_ = 0644;
  uint64_t size_ = 0;
};

struct CctxOwner {
  LZ4F_cctx* c = nullptr;
  ~CctxOwner() { LZ4F_freeCompressionContext(c); }
};
struct DctxOwner {
  LZ4F_dctx* d = nullptr;
  ~DctxOwner() { LZ4F_freeDecompressionContext(d); }
};
struct ZOwner {
  z_stream z;
  bool deflating = false, inflating = false;
  ZOwner() { std::memset(&z, 0, sizeof z); }
  ~ZOwner() {
    if (deflating) deflateEnd(&z);
    if (inflating) inflateEnd(&z);
  }
};

}  // namespace

// --- public ----------------------------------------------------------------

bool format_valid(int32_t format) { return format == kLz4 || format == kGzip; }

Levels levels(int32_t format) {
  if (format == kLz4) return {kLz4MinLevel, LZ4HC_CLEVEL_MAX, 0};
  return {0, 9, 6};
}

void check_level(int32_t format, int32_t level) {
  Levels l = levels(format);
  if (level < l.min || level > l.max)
    throw Error(HOTPATH_ERANGE, "argument 'level' is %d; expected an integer in [%d, %d] for %s",
                static_cast<int>(level), static_cast<int>(l.min), static_cast<int>(l.max),
                format == kLz4 ? "lz4" : "gzip");
}

uint64_t lz4_max_expansion(size_t n) {
  return uint64_t(n) > UINT64_MAX / 256 ? UINT64_MAX : uint64_t(n) * 256;
}

size_t bound(int32_t format, size_t n) {
  // Both formulas are restated by the twin; they are at least liblz4's
  // LZ4F_compressBound (autoFlush) + header and zlib's compressBound + 12.
  const size_t limit = SIZE_MAX;
  if (format == kLz4) {
    size_t blocks = n / kLz4Block + (n % kLz4Block != 0);
    size_t extra = kLz4HeaderMax + 4 * blocks + 8;
    if (n > limit - extra) throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; the bound would exceed SIZE_MAX", n);
    return n + extra;
  }
  size_t extra = (n >> 12) + (n >> 14) + (n >> 25) + 13 + 18;
  if (n > limit - extra) throw Error(HOTPATH_EOVERFLOW, "argument 'n' is %zu; the bound would exceed SIZE_MAX", n);
  return n + extra;
}

size_t compress_into(int32_t format, int32_t level, const uint8_t* src, size_t n, uint8_t* dst,
                     size_t cap) {
  size_t need = bound(format, n);
  if (cap < need)
    throw Error(HOTPATH_EBUFFER, "argument 'dst' holds %zu bytes; compress_bound gives %zu", cap,
                need);
  if (format == kLz4) {
    // Two blocks or more, and a second thread: blocks in parallel (the same
    // bytes as below).
    if (n > kLz4Block && ThreadPool::instance().threads() > 1)
      return lz4_frame_parallel(level, src, n, dst, cap);
    LZ4F_cctx* c = tls_lz4c.get();
    LZ4F_preferences_t prefs = lz4_prefs(level, n);
    size_t pos = LZ4F_compressBegin(c, dst, cap, &prefs);
    if (LZ4F_isError(pos)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressBegin: %s", LZ4F_getErrorName(pos));
    size_t w = LZ4F_compressUpdate(c, dst + pos, cap - pos, src, n, nullptr);
    if (LZ4F_isError(w)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressUpdate: %s", LZ4F_getErrorName(w));
    pos += w;
    w = LZ4F_compressEnd(c, dst + pos, cap - pos, nullptr);
    if (LZ4F_isError(w)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressEnd: %s", LZ4F_getErrorName(w));
    return pos + w;
  }
  z_stream* z = tls_deflate.get(level);
  size_t pos = 0, out = 0;
  for (;;) {
    size_t in_len = n - pos < kZlibChunk ? n - pos : kZlibChunk;
    size_t out_len = cap - out < kZlibChunk ? cap - out : kZlibChunk;
    z->next_in = const_cast<Bytef*>(src + pos);
    z->avail_in = static_cast<uInt>(in_len);
    z->next_out = dst + out;
    z->avail_out = static_cast<uInt>(out_len);
    int ret = deflate(z, pos + in_len == n ? Z_FINISH : Z_NO_FLUSH);
    pos += in_len - z->avail_in;
    out += out_len - z->avail_out;
    if (ret == Z_STREAM_END) return out;
    if (ret != Z_OK && ret != Z_BUF_ERROR) throw Error(HOTPATH_EINTERNAL, "deflate failed (%d)", ret);
    if (out == cap) throw Error(HOTPATH_EINTERNAL, "deflate output exceeded its bound");
  }
}

size_t decompress_into(const uint8_t* src, size_t n, uint8_t* dst, size_t cap) {
  if (n == 0)
    throw Error(HOTPATH_ECORRUPT, "input is empty; expected an LZ4 frame or a gzip member");
  uint8_t dummy[1];
  if (cap == 0) dst = dummy;  // zlib refuses a NULL next_out even with no room
  size_t pos = 0, out = 0;
  while (pos < n) {
    Kind k = detect(src + pos, n - pos, pos == 0);
    if (k == Kind::kLz4) {
      check_lz4_claim(src + pos, n - pos, out, cap);
      lz4_frame_into(src, n, &pos, dst, cap, &out, lz4_declared_size(src + pos, n - pos));
    } else {
      gzip_member_into(src, n, &pos, dst, cap, &out);
    }
  }
  return out;
}

// --- resumable decoding ----------------------------------------------------

struct Decoder::State {
  const uint8_t* src = nullptr;
  size_t n = 0, pos = 0;
  bool begun = false;
  int mid = 0;  // 0: between frames, 1: in an LZ4 frame, 2: in a gzip member
  uint64_t declared = 0, frame_out = 0;
  bool probe = false;  // one byte of output decoded beyond a full dst
  uint8_t probe_byte = 0;
  Lz4D lz4;
  z_stream z;
  bool zlive = false;
  State() { std::memset(&z, 0, sizeof z); }
  ~State() {
    if (zlive) inflateEnd(&z);
  }
};

Decoder::Decoder() : s_(new State) {}
Decoder::~Decoder() { delete s_; }

void Decoder::begin(const uint8_t* src, size_t n) {
  s_->src = src;
  s_->n = n;
  s_->pos = 0;
  s_->begun = true;
  s_->mid = 0;
  s_->probe = false;
}

bool Decoder::run(uint8_t* dst, size_t cap, size_t* out) {
  State& s = *s_;
  if (!s.begun) throw Error(HOTPATH_EINVAL, "the decoder has no input: call begin first");
  if (s.n == 0) throw Error(HOTPATH_ECORRUPT, "input is empty; expected an LZ4 frame or a gzip member");
  if (*out > cap) throw Error(HOTPATH_EINVAL, "argument 'written' is %zu, more than dst_capacity (%zu)", *out, cap);
  if (s.probe) {
    if (*out == cap) return false;
    dst[(*out)++] = s.probe_byte;
    s.probe = false;
  }
  const uint8_t* src = s.src;
  const size_t n = s.n;
  for (;;) {
    if (s.mid == 0) {
      if (s.pos >= n) return true;
      Kind k = detect(src + s.pos, n - s.pos, s.pos == 0);
      if (k == Kind::kLz4) {
        uint64_t claim = lz4_declared_size(src + s.pos, n - s.pos);
        if (claim > lz4_max_expansion(n - s.pos))
          throw Error(HOTPATH_ECORRUPT,
                      "corrupt LZ4 frame: the header claims %llu bytes, more than %zu input bytes "
                      "can hold",
                      static_cast<unsigned long long>(claim), n - s.pos);
        s.declared = claim;
        s.frame_out = 0;
        s.lz4.get();
        s.mid = 1;
      } else {
        if (s.zlive) {
          inflateReset(&s.z);
        } else {
          int ret = inflateInit2(&s.z, 15 + 16);
          if (ret == Z_MEM_ERROR) throw std::bad_alloc();
          if (ret != Z_OK) throw Error(HOTPATH_EINTERNAL, "inflateInit2 failed (%d)", ret);
          s.zlive = true;
        }
        s.mid = 2;
      }
    }
    if (s.mid == 1) {
      LZ4F_dctx* d = s.lz4.d;
      size_t in_sz = n - s.pos, out_sz = cap - *out;
      size_t r = 0;
      if (out_sz) {
        r = LZ4F_decompress(d, dst + *out, &out_sz, src + s.pos, &in_sz, nullptr);
        s.pos += in_sz;
        *out += out_sz;
        s.frame_out += out_sz;
        if (LZ4F_isError(r)) throw_lz4(r);
        if (r == 0) {
          s.lz4.finished();
          s.mid = 0;
          continue;
        }
        if (in_sz || out_sz) continue;
        if (*out < cap) throw_truncated(Kind::kLz4);
      }
      // dst is full: decode one byte more to tell "more output" from "done".
      uint8_t b;
      size_t pin = n - s.pos, pout = 1;
      r = LZ4F_decompress(d, &b, &pout, src + s.pos, &pin, nullptr);
      s.pos += pin;
      if (LZ4F_isError(r)) throw_lz4(r);
      if (pout) {
        if (s.declared && s.frame_out >= s.declared)
          throw Error(HOTPATH_ECORRUPT, "corrupt LZ4 frame: %s", "content size mismatch");
        s.frame_out += 1;
        s.probe = true;
        s.probe_byte = b;
        if (r == 0) {  // that byte ended the frame
          s.lz4.finished();
          s.mid = 0;
        }
        return false;
      }
      if (r == 0) {
        s.lz4.finished();
        s.mid = 0;
        continue;
      }
      if (pin) continue;
      throw_truncated(Kind::kLz4);
    }
    // s.mid == 2: a gzip member
    size_t in_len = n - s.pos < kZlibChunk ? n - s.pos : kZlibChunk;
    size_t room = cap - *out < kZlibChunk ? cap - *out : kZlibChunk;
    uint8_t b;
    s.z.next_in = const_cast<Bytef*>(src + s.pos);
    s.z.avail_in = static_cast<uInt>(in_len);
    s.z.next_out = room ? dst + *out : &b;
    s.z.avail_out = room ? static_cast<uInt>(room) : 1;
    int ret = inflate(&s.z, Z_NO_FLUSH);
    size_t used = in_len - s.z.avail_in;
    size_t made = (room ? room : 1) - s.z.avail_out;
    s.pos += used;
    if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END) throw_zlib(s.z, ret);
    if (room) {
      *out += made;
    } else if (made) {
      s.probe = true;
      s.probe_byte = b;
      if (ret == Z_STREAM_END) s.mid = 0;
      return false;
    }
    if (ret == Z_STREAM_END) {
      s.mid = 0;
      continue;
    }
    if (used == 0 && made == 0) throw_truncated(Kind::kGzip);
  }
}

bool content_size(const uint8_t* src, size_t n, uint64_t* total) {
  if (n == 0)
    throw Error(HOTPATH_ECORRUPT, "input is empty; expected an LZ4 frame or a gzip member");
  size_t pos = 0;
  uint64_t sum = 0;
  while (pos < n) {
    const uint8_t* p = src + pos;
    size_t rem = n - pos;
    if (detect(p, rem, pos == 0) == Kind::kGzip) return false;
    uint32_t magic = le32(p);
    if (magic != 0x184D2204u) {  // skippable frame: 4-byte magic, 4-byte size
      if (rem < 8) throw_truncated(Kind::kLz4);
      uint64_t skip = 8 + uint64_t(le32(p + 4));
      if (skip > rem) throw_truncated(Kind::kLz4);
      pos += size_t(skip);
      continue;
    }
    LZ4F_dctx* d = tls_lz4info.get();
    LZ4F_frameInfo_t info;
    size_t hdr = rem;
    size_t r = LZ4F_getFrameInfo(d, &info, p, &hdr);
    if (LZ4F_isError(r)) {
      if (std::strcmp(LZ4F_getErrorName(r), "ERROR_frameHeader_incomplete") == 0)
        throw_truncated(Kind::kLz4);
      throw_lz4(r);
    }
    if (info.contentSize == 0) return false;
    check_lz4_claim(p, rem, 0, SIZE_MAX);
    if (sum > UINT64_MAX - info.contentSize) return false;
    sum += info.contentSize;
    // Walk the blocks to the next frame.
    size_t q = pos + hdr;
    size_t bsum = info.blockChecksumFlag ? 4 : 0;
    for (;;) {
      if (n - q < 4) throw_truncated(Kind::kLz4);
      uint32_t b = le32(src + q);
      q += 4;
      if (b == 0) break;
      size_t len = (b & 0x7FFFFFFFu) + bsum;
      if (len > n - q) throw_truncated(Kind::kLz4);
      q += len;
    }
    size_t csum = info.contentChecksumFlag ? 4 : 0;
    if (n - q < csum) throw_truncated(Kind::kLz4);
    pos = q + csum;
  }
  *total = sum;
  return true;
}

uint64_t compress_file(int32_t format, int32_t level, const char* src_path,
                       const char* dst_path) {
  Reader in(src_path);
  OutputFile out(dst_path, in.mode());
  if (format == kLz4) {
    CctxOwner c;
    if (LZ4F_isError(LZ4F_createCompressionContext(&c.c, LZ4F_VERSION))) throw std::bad_alloc();
    LZ4F_preferences_t prefs = lz4_prefs(level, in.size());
    std::vector<uint8_t> ibuf(kLz4Block);
    std::vector<uint8_t> obuf(kLz4HeaderMax + LZ4F_compressBound(kLz4Block, &prefs));
    size_t w = LZ4F_compressBegin(c.c, obuf.data(), obuf.size(), &prefs);
    if (LZ4F_isError(w)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressBegin: %s", LZ4F_getErrorName(w));
    out.write(obuf.data(), w);
    for (;;) {
      size_t got = in.read(ibuf.data(), ibuf.size());
      if (got) {
        w = LZ4F_compressUpdate(c.c, obuf.data(), obuf.size(), ibuf.data(), got, nullptr);
        if (LZ4F_isError(w)) throw Error(HOTPATH_EINTERNAL, "LZ4F_compressUpdate: %s", LZ4F_getErrorName(w));
        out.write(obuf.data(), w);
      }
      if (got < ibuf.size()) break;
    }
    w = LZ4F_compressEnd(c.c, obuf.data(), obuf.size(), nullptr);
    if (LZ4F_isError(w)) {
      if (std::strcmp(LZ4F_getErrorName(w), "ERROR_frameSize_wrong") == 0)
        throw Error::io(0, src_path, "cannot read '%s': %s", src_path, "the file changed size while it was read");
      throw Error(HOTPATH_EINTERNAL, "LZ4F_compressEnd: %s", LZ4F_getErrorName(w));
    }
    out.write(obuf.data(), w);
    return out.commit();
  }
  ZOwner zo;
  z_stream& z = zo.z;
  int ret = deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (ret == Z_MEM_ERROR) throw std::bad_alloc();
  if (ret != Z_OK) throw Error(HOTPATH_EINTERNAL, "deflateInit2 failed (%d)", ret);
  zo.deflating = true;
  std::vector<uint8_t> ibuf(kFileIn), obuf(kFileIn);
  bool eof = false;
  while (!eof) {
    size_t got = in.read(ibuf.data(), ibuf.size());
    eof = got < ibuf.size();
    z.next_in = ibuf.data();
    z.avail_in = static_cast<uInt>(got);
    for (;;) {
      z.next_out = obuf.data();
      z.avail_out = static_cast<uInt>(obuf.size());
      ret = deflate(&z, eof ? Z_FINISH : Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END)
        throw Error(HOTPATH_EINTERNAL, "deflate failed (%d)", ret);
      out.write(obuf.data(), obuf.size() - z.avail_out);
      if (ret == Z_STREAM_END || (z.avail_in == 0 && z.avail_out != 0)) break;
    }
  }
  return out.commit();
}

uint64_t decompress_file(const char* src_path, const char* dst_path) {
  Reader in(src_path);
  OutputFile out(dst_path, in.mode());
  DctxOwner dc;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dc.d, LZ4F_VERSION))) throw std::bad_alloc();
  ZOwner zo;
  int ret = inflateInit2(&zo.z, 15 + 16);
  if (ret == Z_MEM_ERROR) throw std::bad_alloc();
  if (ret != Z_OK) throw Error(HOTPATH_EINTERNAL, "inflateInit2 failed (%d)", ret);
  zo.inflating = true;
  std::vector<uint8_t> ibuf(kFileIn), obuf(kLz4Block);
  size_t ip = 0, iend = 0;
  bool eof = false, between = true, first = true;
  Kind kind = Kind::kLz4;
  auto fill = [&] {
    std::memmove(ibuf.data(), ibuf.data() + ip, iend - ip);
    iend -= ip;
    ip = 0;
    size_t got = in.read(ibuf.data() + iend, ibuf.size() - iend);
    iend += got;
    if (iend < ibuf.size()) eof = true;
  };
  for (;;) {
    if (between) {
      if (iend - ip < 4 && !eof) fill();
      if (ip == iend) {
        if (first)
          throw Error(HOTPATH_ECORRUPT, "input is empty; expected an LZ4 frame or a gzip member");
        break;
      }
      kind = detect(ibuf.data() + ip, iend - ip, first);
      first = false;
      between = false;
      if (kind == Kind::kLz4)
        LZ4F_resetDecompressionContext(dc.d);
      else
        inflateReset(&zo.z);
    }
    size_t used, made;
    bool done;
    if (kind == Kind::kLz4) {
      size_t in_sz = iend - ip, out_sz = obuf.size();
      size_t r = LZ4F_decompress(dc.d, obuf.data(), &out_sz, ibuf.data() + ip, &in_sz, nullptr);
      if (LZ4F_isError(r)) throw_lz4(r);
      used = in_sz;
      made = out_sz;
      done = r == 0;
    } else {
      z_stream& z = zo.z;
      z.next_in = ibuf.data() + ip;
      z.avail_in = static_cast<uInt>(iend - ip);
      z.next_out = obuf.data();
      z.avail_out = static_cast<uInt>(obuf.size());
      ret = inflate(&z, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END) throw_zlib(z, ret);
      used = (iend - ip) - z.avail_in;
      made = obuf.size() - z.avail_out;
      done = ret == Z_STREAM_END;
    }
    ip += used;
    out.write(obuf.data(), made);
    if (done) {
      between = true;
      continue;
    }
    if (used == 0 && made == 0) {
      if (eof) throw_truncated(kind);
      fill();
    } else if (ip == iend && !eof) {
      fill();
    }
  }
  return out.commit();
}

}  // namespace hotpath::compress
