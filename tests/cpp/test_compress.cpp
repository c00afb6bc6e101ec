// The compress C API: round trips of many sizes and levels, frames checked
// against the LZ4 frame and gzip specifications (an independent xxHash32 in
// this file), short buffers, corrupt, truncated and hostile input, bad
// arguments, concatenated frames and the file calls.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "hotpath/compress.h"

namespace {

using Bytes = std::vector<uint8_t>;

// xxHash32 from its specification (seed 0 unless given).
uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
uint32_t rd32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }
uint32_t xxh32(const uint8_t* p, size_t n, uint32_t seed = 0) {
  const uint32_t P1 = 2654435761u, P2 = 2246822519u, P3 = 3266489917u, P4 = 668265263u,
                 P5 = 374761393u;
  size_t i = 0;
  uint32_t h;
  if (n >= 16) {
    uint32_t v[4] = {seed + P1 + P2, seed + P2, seed, seed - P1};
    for (; i + 16 <= n; i += 16)
      for (int k = 0; k < 4; ++k) v[k] = rotl(v[k] + rd32(p + i + 4 * k) * P2, 13) * P1;
    h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
  } else {
    h = seed + P5;
  }
  h += uint32_t(n);
  for (; i + 4 <= n; i += 4) h = rotl(h + rd32(p + i) * P3, 17) * P4;
  for (; i < n; ++i) h = rotl(h + p[i] * P5, 11) * P1;
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

Bytes text_data(size_t n, uint32_t seed) {
  static const char* words[] = {"memory", "agent", "the", "of", "compression", "frame", "##",
                                "- item", "return x;", "2026", "\n", "lz4", "and", "block"};
  std::mt19937 rng(seed);
  Bytes out;
  while (out.size() < n) {
    const char* w = words[rng() % (sizeof words / sizeof *words)];
    out.insert(out.end(), w, w + std::strlen(w));
    out.push_back(' ');
  }
  out.resize(n);
  return out;
}

Bytes noise_data(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = uint8_t(rng());
  return out;
}

Bytes compress(int32_t format, int32_t level, const Bytes& src) {
  size_t bound = 0;
  REQUIRE(hotpath_compress_bound(format, src.size(), &bound) == HOTPATH_OK);
  Bytes dst(bound);
  size_t w = 0;
  REQUIRE(hotpath_compress_into(format, level, src.data(), src.size(), dst.data(), dst.size(), &w) ==
          HOTPATH_OK);
  REQUIRE(w <= bound);
  dst.resize(w);
  return dst;
}

Bytes decompress(const Bytes& src, size_t cap) {
  Bytes dst(cap);
  size_t w = 0;
  hotpath_status_t st = hotpath_decompress_into(src.data(), src.size(), dst.data(), cap, &w);
  INFO(hotpath_last_error_message());
  REQUIRE(st == HOTPATH_OK);
  dst.resize(w);
  return dst;
}

std::string tmp_dir() {
  char tmpl[] = "/tmp/hotpath-compress-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

void write_file(const std::string& path, const Bytes& b) {
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  if (!b.empty()) REQUIRE(std::fwrite(b.data(), 1, b.size(), f) == b.size());
  std::fclose(f);
}

Bytes read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE(f);
  Bytes b;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) b.insert(b.end(), buf, buf + n);
  std::fclose(f);
  return b;
}

size_t dir_entries(const std::string& dir) {
  std::string cmd = "ls -A '" + dir + "' | wc -l";
  FILE* p = popen(cmd.c_str(), "r");
  size_t n = 0;
  REQUIRE(std::fscanf(p, "%zu", &n) == 1);
  pclose(p);
  return n;
}

}  // namespace

TEST_CASE("compress: formats, names and levels", "[compress]") {
  CHECK(hotpath_compress_format_lz4() == HOTPATH_COMPRESS_LZ4);
  CHECK(hotpath_compress_format_gzip() == HOTPATH_COMPRESS_GZIP);
  int32_t f = 0, lo = 0, hi = 0, def = 0;
  REQUIRE(hotpath_compress_format_from_name("gzip", 4, &f) == HOTPATH_OK);
  CHECK(f == HOTPATH_COMPRESS_GZIP);
  CHECK(hotpath_compress_format_from_name("zstd", 4, &f) == HOTPATH_EINVAL);
  CHECK(hotpath_compress_format_from_name("lz4x", 3, &f) == HOTPATH_OK);  // name_len counts
  CHECK(hotpath_compress_format_from_name(nullptr, 3, &f) == HOTPATH_ENULL);
  REQUIRE(hotpath_compress_levels(HOTPATH_COMPRESS_GZIP, &lo, &hi, &def) == HOTPATH_OK);
  CHECK((lo == 0 && hi == 9 && def == 6));  // zlib's levels
  REQUIRE(hotpath_compress_levels(HOTPATH_COMPRESS_LZ4, &lo, &hi, &def) == HOTPATH_OK);
  CHECK((lo < 0 && hi == 12 && def == 0));  // LZ4HC_CLEVEL_MAX
  CHECK(hotpath_compress_levels(7, &lo, &hi, &def) == HOTPATH_EINVAL);
  CHECK(hotpath_compress_levels(1, nullptr, &hi, &def) == HOTPATH_ENULL);
}

TEST_CASE("compress: round trips of many sizes, both formats, several levels", "[compress]") {
  const size_t M4 = size_t(4) << 20;
  const size_t sizes[] = {0, 1, 2, 15, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 1000003,
                          M4 - 1, M4, M4 + 1};
  struct FL {
    int32_t f, level;
  } cases[] = {{1, 0}, {1, -5}, {1, 3}, {1, 12}, {2, 0}, {2, 1}, {2, 6}, {2, 9}};
  for (size_t n : sizes) {
    Bytes text = text_data(n, uint32_t(n));
    Bytes rnd = noise_data(n < 70000 ? n : 70000, uint32_t(n) + 1);
    Bytes same(n, 'a');
    for (const FL& c : cases) {
      if (c.level >= 9 && n > 100000) continue;  // slow levels on small sizes only
      for (const Bytes* src : {&text, &rnd, &same}) {
        INFO("format " << c.f << " level " << c.level << " size " << src->size());
        Bytes z = compress(c.f, c.level, *src);
        if (c.f == 1) {
          REQUIRE(z.size() >= 7);
          CHECK(rd32(z.data()) == 0x184D2204u);
          // Header checksum: second byte of xxh32 of the descriptor (spec).
          size_t desc = (z[4] & 0x08) ? 10 : 2;
          CHECK(z[4 + desc] == uint8_t(xxh32(z.data() + 4, desc) >> 8));
          // Content checksum = xxh32 of the content, after the end mark.
          CHECK(rd32(z.data() + z.size() - 4) == xxh32(src->data(), src->size()));
        } else {
          REQUIRE(z.size() >= 18);
          CHECK((z[0] == 0x1f && z[1] == 0x8b && z[2] == 8));
          CHECK(rd32(z.data() + z.size() - 4) == uint32_t(src->size()));  // ISIZE
        }
        CHECK(decompress(z, src->size()) == *src);
        uint64_t size = 0;
        int32_t known = -1;
        REQUIRE(hotpath_compress_content_size(z.data(), z.size(), &size, &known) == HOTPATH_OK);
        if (c.f == 1 && !src->empty()) {
          CHECK(known == 1);
          CHECK(size == src->size());
        } else {
          CHECK(known == 0);
        }
      }
    }
  }
}

TEST_CASE("compress: buffers too small", "[compress]") {
  Bytes src = text_data(100000, 7);
  size_t bound = 0;
  REQUIRE(hotpath_compress_bound(1, src.size(), &bound) == HOTPATH_OK);
  Bytes dst(bound - 1);
  size_t w = 1;
  CHECK(hotpath_compress_into(1, 0, src.data(), src.size(), dst.data(), dst.size(), &w) ==
        HOTPATH_EBUFFER);
  CHECK(std::string(hotpath_last_error_message()).find("compress_bound") != std::string::npos);
  for (int32_t f : {1, 2}) {
    Bytes z = compress(f, f == 1 ? 0 : 6, src);
    Bytes small(src.size() - 1);
    CHECK(hotpath_decompress_into(z.data(), z.size(), small.data(), small.size(), &w) ==
          HOTPATH_EBUFFER);
    std::string msg = hotpath_last_error_message();
    if (f == 1) CHECK(msg.find("decompresses to 100000") != std::string::npos);
    CHECK(decompress(z, src.size()) == src);  // exact capacity is enough
  }
}

TEST_CASE("compress: concatenated frames and members, skippable frames", "[compress]") {
  Bytes a = text_data(5000, 1), b = text_data(70000, 2), c = noise_data(300, 3);
  Bytes all;
  Bytes skippable = {0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 'x', 'y', 'z'};
  for (const Bytes& part : {compress(1, 0, a), skippable, compress(2, 6, b), compress(1, 9, c)})
    all.insert(all.end(), part.begin(), part.end());
  Bytes want = a;
  want.insert(want.end(), b.begin(), b.end());
  want.insert(want.end(), c.begin(), c.end());
  CHECK(decompress(all, want.size()) == want);
  uint64_t size = 0;
  int32_t known = -1;
  REQUIRE(hotpath_compress_content_size(all.data(), all.size(), &size, &known) == HOTPATH_OK);
  CHECK(known == 0);  // the gzip member declares nothing
  Bytes lz = compress(1, 0, a), lz2 = compress(1, 0, c);
  lz.insert(lz.end(), lz2.begin(), lz2.end());
  REQUIRE(hotpath_compress_content_size(lz.data(), lz.size(), &size, &known) == HOTPATH_OK);
  CHECK((known == 1 && size == a.size() + c.size()));
  // Trailing garbage after a valid frame.
  Bytes junk = compress(1, 0, a);
  junk.push_back(0);
  size_t w = 0;
  Bytes out(a.size() + 10);
  CHECK(hotpath_decompress_into(junk.data(), junk.size(), out.data(), out.size(), &w) ==
        HOTPATH_ECORRUPT);
}

TEST_CASE("compress: a header claiming 1 TB is refused without allocating it", "[compress]") {
  // A valid frame header (correct header checksum) declaring 2^40 bytes,
  // followed by one small block.
  Bytes f = {0x04, 0x22, 0x4D, 0x18, 0x68 /* v01, independent, size, checksum */, 0x70};
  uint64_t claim = uint64_t(1) << 40;
  for (int i = 0; i < 8; ++i) f.push_back(uint8_t(claim >> (8 * i)));
  f.push_back(uint8_t(xxh32(f.data() + 4, 10) >> 8));
  Bytes block = {0x80 | 0, 0, 0, 0};  // 0-byte uncompressed block is odd; use 4 raw bytes
  block = {4, 0, 0, 0x80, 'a', 'b', 'c', 'd', 0, 0, 0, 0};
  f.insert(f.end(), block.begin(), block.end());
  Bytes dst(1 << 20);
  size_t w = 0;
  CHECK(hotpath_decompress_into(f.data(), f.size(), dst.data(), dst.size(), &w) == HOTPATH_ECORRUPT);
  CHECK(std::string(hotpath_last_error_message()).find("claims 1099511627776 bytes") !=
        std::string::npos);
  uint64_t size = 0;
  int32_t known = 0;
  CHECK(hotpath_compress_content_size(f.data(), f.size(), &size, &known) == HOTPATH_ECORRUPT);
}

TEST_CASE("compress: every truncation and many corruptions fail cleanly", "[compress]") {
  Bytes src = text_data(20000, 11);
  for (int32_t fmt : {1, 2}) {
    Bytes z = compress(fmt, fmt == 1 ? 0 : 6, src);
    Bytes dst(src.size() + 100);
    size_t w = 0;
    for (size_t cut = 0; cut < z.size(); ++cut) {
      hotpath_status_t st = hotpath_decompress_into(z.data(), cut, dst.data(), dst.size(), &w);
      INFO("format " << fmt << " cut " << cut << ": " << hotpath_last_error_message());
      CHECK(st == HOTPATH_ECORRUPT);
    }
    std::mt19937 rng(5);
    for (int i = 0; i < 300; ++i) {
      Bytes bad = z;
      bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
      hotpath_status_t st = hotpath_decompress_into(bad.data(), bad.size(), dst.data(), dst.size(), &w);
      INFO("status " << st << ": " << hotpath_last_error_message());
      // Either a clean error or the right content (gzip's MTIME/XFL/OS bytes
      // are not covered by any checksum).
      if (st == HOTPATH_OK) {
        CHECK(Bytes(dst.begin(), dst.begin() + long(w)) == src);
      } else {
        CHECK((st == HOTPATH_ECORRUPT || st == HOTPATH_EBUFFER || st == HOTPATH_EUNSUPPORTED));
      }
    }
  }
  Bytes unknown = {'h', 'e', 'l', 'l', 'o'};
  Bytes dst(10);
  size_t w = 0;
  CHECK(hotpath_decompress_into(unknown.data(), unknown.size(), dst.data(), dst.size(), &w) ==
        HOTPATH_ECORRUPT);
  CHECK(std::string(hotpath_last_error_message()).find("68 65 6c 6c") != std::string::npos);
  CHECK(hotpath_decompress_into(unknown.data(), 0, dst.data(), dst.size(), &w) == HOTPATH_ECORRUPT);
}

TEST_CASE("compress: bad arguments at the C ABI", "[compress]") {
  Bytes src = text_data(100, 1), dst(1000);
  size_t w = 0, b = 0;
  CHECK(hotpath_compress_into(1, 0, src.data(), src.size(), dst.data(), dst.size(), nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_compress_into(1, 0, nullptr, 10, dst.data(), dst.size(), &w) == HOTPATH_ENULL);
  CHECK(hotpath_compress_into(1, 0, src.data(), src.size(), nullptr, 1000, &w) == HOTPATH_ENULL);
  CHECK(hotpath_compress_into(3, 0, src.data(), src.size(), dst.data(), dst.size(), &w) == HOTPATH_EINVAL);
  CHECK(hotpath_compress_into(1, 13, src.data(), src.size(), dst.data(), dst.size(), &w) == HOTPATH_ERANGE);
  CHECK(hotpath_compress_into(2, -1, src.data(), src.size(), dst.data(), dst.size(), &w) == HOTPATH_ERANGE);
  CHECK(hotpath_compress_into(2, 10, src.data(), src.size(), dst.data(), dst.size(), &w) == HOTPATH_ERANGE);
  // Zero length with NULL pointers is fine for the source.
  CHECK(hotpath_compress_into(1, 0, nullptr, 0, dst.data(), dst.size(), &w) == HOTPATH_OK);
  Bytes empty_frame(dst.begin(), dst.begin() + long(w));
  Bytes out(1);
  size_t got = 9;
  hotpath_status_t st = hotpath_decompress_into(empty_frame.data(), empty_frame.size(), nullptr, 0, &got);
  INFO(hotpath_last_error_message());
  CHECK(st == HOTPATH_OK);
  CHECK(got == 0);
  // Huge lengths.
  CHECK(hotpath_compress_bound(1, SIZE_MAX, &b) == HOTPATH_EOVERFLOW);
  CHECK(hotpath_compress_bound(2, SIZE_MAX - 5, &b) == HOTPATH_EOVERFLOW);
  CHECK(hotpath_compress_bound(1, 0, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_compress_into(1, 0, src.data(), SIZE_MAX, dst.data(), dst.size(), &w) == HOTPATH_EOVERFLOW);
  CHECK(hotpath_decompress_into(nullptr, 5, dst.data(), dst.size(), &w) == HOTPATH_ENULL);
  CHECK(hotpath_decompress_into(src.data(), src.size(), nullptr, 5, &w) == HOTPATH_ENULL);
  uint64_t size;
  int32_t known;
  CHECK(hotpath_compress_content_size(src.data(), src.size(), nullptr, &known) == HOTPATH_ENULL);
  CHECK(hotpath_compress_content_size(src.data(), src.size(), &size, &known) == HOTPATH_ECORRUPT);
  uint64_t fw;
  CHECK(hotpath_compress_file(1, 0, nullptr, "/tmp/x", &fw) == HOTPATH_ENULL);
  CHECK(hotpath_decompress_file("/tmp/x", nullptr, &fw) == HOTPATH_ENULL);
  CHECK(hotpath_compress_file(1, 99, "/tmp/x", "/tmp/y", &fw) == HOTPATH_ERANGE);
}

TEST_CASE("compress: files stream, return bytes written and replace atomically", "[compress]") {
  std::string dir = tmp_dir();
  Bytes src = text_data((size_t(9) << 20) + 12345, 3);  // more than two 4 MiB blocks
  write_file(dir + "/in.txt", src);
  for (int32_t fmt : {1, 2}) {
    uint64_t w = 0, w2 = 0;
    std::string z = dir + "/in.z", back = dir + "/back.txt";
    REQUIRE(hotpath_compress_file(fmt, fmt == 1 ? 0 : 1, (dir + "/in.txt").c_str(), z.c_str(), &w) ==
            HOTPATH_OK);
    Bytes zb = read_file(z);
    CHECK(w == zb.size());
    CHECK(decompress(zb, src.size()) == src);  // the file and the buffer decoders agree
    REQUIRE(hotpath_decompress_file(z.c_str(), back.c_str(), &w2) == HOTPATH_OK);
    CHECK(w2 == src.size());
    CHECK(read_file(back) == src);
    // A corrupt source leaves an existing destination untouched, and no temp file.
    zb[zb.size() / 2] ^= 0x55;
    write_file(dir + "/bad.z", zb);
    Bytes keep = {'k', 'e', 'e', 'p'};
    write_file(dir + "/keep.txt", keep);
    size_t before = dir_entries(dir);
    CHECK(hotpath_decompress_file((dir + "/bad.z").c_str(), (dir + "/keep.txt").c_str(), &w2) ==
          HOTPATH_ECORRUPT);
    CHECK(read_file(dir + "/keep.txt") == keep);
    CHECK(dir_entries(dir) == before);
    // Truncated source, new destination: nothing appears.
    zb.resize(zb.size() - 3);
    write_file(dir + "/short.z", zb);
    CHECK(hotpath_decompress_file((dir + "/short.z").c_str(), (dir + "/new.txt").c_str(), &w2) ==
          HOTPATH_ECORRUPT);
    CHECK(access((dir + "/new.txt").c_str(), F_OK) != 0);
    CHECK(dir_entries(dir) == before + 1);  // short.z only
    std::remove((dir + "/short.z").c_str());
  }
  uint64_t w = 0;
  CHECK(hotpath_compress_file(1, 0, (dir + "/missing").c_str(), (dir + "/o").c_str(), &w) == HOTPATH_EIO);
  CHECK(std::string(hotpath_last_error_message()).find("No such file or directory") != std::string::npos);
  CHECK(hotpath_compress_file(1, 0, (dir + "/in.txt").c_str(), (dir + "/nodir/o").c_str(), &w) ==
        HOTPATH_EIO);
  write_file(dir + "/empty", Bytes());
  CHECK(hotpath_decompress_file((dir + "/empty").c_str(), (dir + "/o").c_str(), &w) == HOTPATH_ECORRUPT);
  CHECK(hotpath_compress_file(2, 6, (dir + "/empty").c_str(), (dir + "/e.gz").c_str(), &w) == HOTPATH_OK);
  CHECK(hotpath_decompress_file((dir + "/e.gz").c_str(), (dir + "/e").c_str(), &w) == HOTPATH_OK);
  CHECK(w == 0);
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("compress: the writer rule for links, FIFOs and folders, errno and path", "[compress]") {
  std::string dir = tmp_dir();
  Bytes src = text_data(5000, 4);
  write_file(dir + "/in.txt", src);
  const std::string in = dir + "/in.txt";
  uint64_t w = 0;
  // A link (relative, then a chain) is written through: the link stays.
  REQUIRE(mkdir((dir + "/t").c_str(), 0755) == 0);
  write_file(dir + "/t/target", Bytes{'o', 'l', 'd'});
  REQUIRE(symlink("t/target", (dir + "/link1").c_str()) == 0);
  REQUIRE(symlink((dir + "/link1").c_str(), (dir + "/link2").c_str()) == 0);
  REQUIRE(hotpath_compress_file(2, 1, in.c_str(), (dir + "/link2").c_str(), &w) == HOTPATH_OK);
  struct stat st;
  REQUIRE(lstat((dir + "/link2").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(decompress(read_file(dir + "/t/target"), src.size()) == src);
  CHECK(dir_entries(dir + "/t") == 1);
  CHECK(hotpath_last_error_errno() == 0);
  // A link to nothing, a FIFO, a folder: refused with the errno and the path.
  REQUIRE(symlink("nowhere", (dir + "/dangling").c_str()) == 0);
  CHECK(hotpath_compress_file(1, 0, in.c_str(), (dir + "/dangling").c_str(), &w) == HOTPATH_EIO);
  CHECK(hotpath_last_error_errno() == ENOENT);
  CHECK(std::string(hotpath_last_error_path()) == dir + "/dangling");
  CHECK(access((dir + "/nowhere").c_str(), F_OK) != 0);
  REQUIRE(mkfifo((dir + "/fifo").c_str(), 0644) == 0);
  CHECK(hotpath_compress_file(1, 0, in.c_str(), (dir + "/fifo").c_str(), &w) == HOTPATH_EIO);
  CHECK(hotpath_last_error_errno() == EEXIST);
  CHECK(std::string(hotpath_last_error_message()).find("it is a FIFO") != std::string::npos);
  REQUIRE(lstat((dir + "/fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(hotpath_compress_file(1, 0, in.c_str(), (dir + "/t").c_str(), &w) == HOTPATH_EIO);
  CHECK(hotpath_last_error_errno() == EISDIR);
  CHECK(hotpath_compress_file(1, 0, (dir + "/missing").c_str(), (dir + "/o").c_str(), &w) == HOTPATH_EIO);
  CHECK(hotpath_last_error_errno() == ENOENT);
  CHECK(std::string(hotpath_last_error_path()) == dir + "/missing");
  // Other failures and successes clear them.
  Bytes junk = {'j', 'u', 'n', 'k'};
  Bytes dst(16);
  CHECK(hotpath_decompress_into(junk.data(), junk.size(), dst.data(), dst.size(), &w) == HOTPATH_ECORRUPT);
  CHECK(hotpath_last_error_errno() == 0);
  CHECK(std::string(hotpath_last_error_path()).empty());
  CHECK(dir_entries(dir) == 6);  // in.txt t link1 link2 dangling fifo: no temporary file
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("compress: big LZ4 frames are the same bytes at every thread count", "[compress]") {
  Bytes src = text_data((size_t(13) << 20) + 7, 9);
  Bytes noise = noise_data(size_t(5) << 20, 4);  // one incompressible (raw) block
  src.insert(src.begin() + (size_t(4) << 20), noise.begin(), noise.end());
  for (int32_t level : {0, -3, 3}) {
    REQUIRE(hotpath_set_num_threads(1) == HOTPATH_OK);
    Bytes one = compress(1, level, src);
    for (int threads : {2, 4}) {
      REQUIRE(hotpath_set_num_threads(threads) == HOTPATH_OK);
      CHECK(compress(1, level, src) == one);
    }
    CHECK(decompress(one, src.size()) == src);
  }
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
}
