// The files core and C API: glob rules, counting golden values, audits of a
// temporary tree (sorting, max_files, thread counts, symbolic links, errors),
// batch reading, and bad input at the C ABI.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/thread_pool.hpp"
#include "files/files.hpp"
#include "hotpath/files.h"

namespace f = hotpath::files;

namespace {

bool glob(const std::string& p, const std::string& s) {
  return f::glob_match(p.data(), p.size(), s.data(), s.size());
}

// A temporary folder removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/hotpath-files-test-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    REQUIRE(p != nullptr);
    path = p;
  }
  ~TempDir() {
    std::string cmd = "rm -rf '" + path + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", path.c_str());
  }
  void write(const std::string& rel, const std::string& data) const {
    std::string full = path + "/" + rel;
    for (size_t i = path.size() + 1; i < full.size(); ++i)
      if (full[i] == '/') ::mkdir(full.substr(0, i).c_str(), 0755);
    FILE* fp = std::fopen(full.c_str(), "wb");
    REQUIRE(fp != nullptr);
    std::fwrite(data.data(), 1, data.size(), fp);
    std::fclose(fp);
  }
};

struct AuditHandle {
  hotpath_files_audit_t* h = nullptr;
  AuditHandle() { REQUIRE(hotpath_files_audit_create(&h) == HOTPATH_OK); }
  ~AuditHandle() { hotpath_files_audit_destroy(h); }
};

std::vector<std::string> record_paths(const hotpath_files_audit_t* h) {
  std::vector<std::string> out;
  for (size_t i = 0; i < hotpath_files_audit_count(h); ++i) {
    hotpath_files_record_t r;
    REQUIRE(hotpath_files_audit_record(h, i, &r) == HOTPATH_OK);
    out.emplace_back(r.path, r.path_len);
  }
  return out;
}

struct Patterns {
  std::string data;
  std::vector<size_t> offsets{0};
  explicit Patterns(std::initializer_list<const char*> ps) {
    for (const char* p : ps) {
      data += p;
      offsets.push_back(data.size());
    }
  }
  void into(hotpath_files_audit_options_t* o) const {
    o->patterns = data.data();
    o->pattern_offsets = offsets.data();
    o->pattern_count = offsets.size() - 1;
  }
};

}  // namespace

TEST_CASE("files: glob rules", "[files]") {
  CHECK(glob("*.md", "a.md"));
  CHECK(glob("*.md", "x/y/a.md"));
  CHECK_FALSE(glob("*.md", "a.mdx"));
  CHECK(glob("a?c", "abc"));
  CHECK_FALSE(glob("a?c", "a/c"));
  CHECK(glob("?", "\xc3\xa9"));          // one character, two bytes
  CHECK(glob("?", "\xff"));              // an invalid byte is one character
  CHECK_FALSE(glob("??", "\xc3\xa9"));
  CHECK(glob("[a-c]x", "bx"));
  CHECK_FALSE(glob("[!a-c]x", "bx"));
  CHECK(glob("[]]", "]"));
  CHECK(glob("[ab", "[ab"));             // unclosed: literal
  CHECK(glob("docs/*.md", "docs/a.md"));
  CHECK_FALSE(glob("docs/*.md", "docs/x/a.md"));
  CHECK(glob("**/a.md", "a.md"));
  CHECK(glob("d/**/a.md", "d/x/y/a.md"));
  CHECK(glob("d/**", "d/x"));
  CHECK_FALSE(glob("d/**", "d"));
  CHECK(glob("/a.md", "a.md"));
  CHECK_FALSE(glob("/a.md", "b/a.md"));
  CHECK_FALSE(glob("*a*a*a*a*a*b", std::string(64, 'a')));
}

TEST_CASE("files: extension patterns", "[files]") {
  std::string ext;
  CHECK((f::extension_of("*.md", 4, &ext) && ext == "md"));
  CHECK((f::extension_of(".md", 3, &ext) && ext == "md"));
  CHECK((f::extension_of("md", 2, &ext) && ext == "md"));
  CHECK_FALSE(f::extension_of("*", 1, &ext));
  CHECK_FALSE(f::extension_of("*.m?", 4, &ext));
  CHECK_FALSE(f::extension_of("tar.gz", 6, &ext));
}

TEST_CASE("files: counting golden values", "[files]") {
  struct Case {
    std::string data;
    uint64_t lines, words;
    bool utf8;
  };
  const Case cases[] = {
      {"", 0, 0, true},
      {"\n", 1, 0, true},
      {"a", 1, 1, true},
      {"a\r\n", 1, 1, true},
      {"a\n\r", 1, 1, true},
      {"\r", 0, 0, true},
      {"a\nb", 2, 2, true},
      {"one  two\tthree\n", 1, 3, true},
      {"a\xc2\xa0" "b\xe2\x80\x83" "c\xe3\x80\x80" "d", 1, 4, true},  // U+00A0 U+2003 U+3000
      {"a\xe2\x80\x8b" "b", 1, 1, true},                              // U+200B is no space
      {"a\x1c" "b", 1, 2, true},                                      // U+001C is
      {"ab \xff cd\n", 1, 3, false},
      {"a\x1c" "b \xff", 1, 2, false},  // on bytes: only ASCII white space splits
      {"x\xc2\xa0y \xff", 1, 2, false},
  };
  for (const Case& c : cases) {
    INFO("data: " << c.data);
    const f::Counts got = f::count(c.data.data(), c.data.size());
    CHECK(got.lines == c.lines);
    CHECK(got.words == c.words);
    CHECK(got.utf8 == c.utf8);
  }
  CHECK(f::count("ab \xff", 4).valid_prefix == 3);
}

TEST_CASE("files: audit of a tree through the C API", "[files]") {
  TempDir dir;
  dir.write("b.md", "# B title\nsecond line\n");
  dir.write("a/c.md", "one two three");
  dir.write("a/d.txt", "not md");
  dir.write("a/deep/e.md", "\xff\xfe bytes");
  dir.write(".hidden.md", "hidden");
  AuditHandle a;
  REQUIRE(hotpath_files_audit(a.h, dir.path.c_str(), nullptr) == HOTPATH_OK);
  CHECK(record_paths(a.h) == std::vector<std::string>{"a/c.md", "a/deep/e.md", "b.md"});
  hotpath_files_record_t r;
  REQUIRE(hotpath_files_audit_record(a.h, 2, &r) == HOTPATH_OK);
  CHECK(std::string(r.summary, r.summary_len) == "# B title");
  CHECK(r.size == 22);
  CHECK(r.lines == 2);
  CHECK(r.words == 5);
  CHECK(r.utf8 == 1);
  REQUIRE(hotpath_files_audit_record(a.h, 1, &r) == HOTPATH_OK);
  CHECK(r.utf8 == 0);
  CHECK(r.summary_len == 0);
  CHECK(hotpath_files_audit_record(a.h, 3, &r) == HOTPATH_ERANGE);
  uint64_t files = 0, size = 0, lines = 0, words = 0;
  REQUIRE(hotpath_files_audit_totals(a.h, &files, &size, &lines, &words) == HOTPATH_OK);
  CHECK(files == 3);
  CHECK(size == 13 + 8 + 22);
  CHECK(lines == 1 + 1 + 2);
  CHECK(words == 3 + 2 + 5);

  // The bulk table holds the same records.
  const uint64_t* table = nullptr;
  const char* arena = nullptr;
  size_t arena_len = 0;
  REQUIRE(hotpath_files_audit_table(a.h, &table, &arena, &arena_len) == HOTPATH_OK);
  REQUIRE(hotpath_files_columns() == 8);
  CHECK(std::string(arena + table[0], table[1]) == "a/c.md");
  CHECK(table[8 * 2 + 5] == 2);
  CHECK(table[2 * 8 + 0] + table[2 * 8 + 1] <= arena_len);
  // Path, NUL, summary, NUL, record after record.
  size_t at = 0;
  for (size_t i = 0; i < hotpath_files_audit_count(a.h); ++i) {
    const uint64_t* row = table + 8 * i;
    CHECK(row[0] == at);
    CHECK(arena[row[0] + row[1]] == '\0');
    CHECK(row[2] == row[0] + row[1] + 1);
    CHECK(arena[row[2] + row[3]] == '\0');
    at = row[2] + row[3] + 1;
  }
  CHECK(at == arena_len);

  // Options: hidden files, extension mode, a pattern list, max_files.
  hotpath_files_audit_options_t o;
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  CHECK(o.struct_size == hotpath_files_audit_options_size());
  o.flags |= hotpath_files_flag_include_hidden();
  REQUIRE(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_OK);
  CHECK(record_paths(a.h).front() == ".hidden.md");
  Patterns txt{"txt", ".md"};
  txt.into(&o);
  o.mode = hotpath_files_mode_extension();
  o.max_files = 2;
  REQUIRE(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_OK);
  CHECK(record_paths(a.h) == std::vector<std::string>{".hidden.md", "a/c.md"});
}

TEST_CASE("files: results do not depend on the thread count", "[files]") {
  TempDir dir;
  for (int i = 0; i < 400; ++i) {
    std::string rel = "d" + std::to_string(i % 7) + "/e" + std::to_string(i % 3) + "/f" +
                      std::to_string(i) + ".md";
    dir.write(rel, std::string(static_cast<size_t>(i % 50), 'x') + "\n");
  }
  auto run = [&](uint64_t max_files) {
    f::Options o;
    o.patterns = {"*.md"};
    o.max_files = max_files;
    f::Audit a;
    a.run(dir.path.c_str(), o);
    return std::make_pair(std::vector<uint64_t>(a.table(), a.table() + a.size() * f::kColumns),
                          a.arena());
  };
  hotpath::ThreadPool& pool = hotpath::ThreadPool::instance();
  pool.set_threads(1);
  const auto full1 = run(f::kNoLimit);
  const auto cut1 = run(123);
  for (int threads : {2, 3, 8}) {
    pool.set_threads(threads);
    CHECK(run(f::kNoLimit) == full1);
    CHECK(run(123) == cut1);
  }
  pool.set_threads(0);
  CHECK(full1.first.size() == 400 * f::kColumns);
  CHECK(cut1.first.size() == 123 * f::kColumns);
  // The cut keeps the first 123 records of the full, sorted result.
  for (size_t i = 0; i < 123; ++i) {
    const uint64_t* a = &full1.first[i * f::kColumns];
    const uint64_t* b = &cut1.first[i * f::kColumns];
    CHECK(full1.second.substr(a[0], a[1]) == cut1.second.substr(b[0], b[1]));
  }
  for (size_t i = 1; i < 400; ++i) {
    const uint64_t* a = &full1.first[(i - 1) * f::kColumns];
    const uint64_t* b = &full1.first[i * f::kColumns];
    CHECK(full1.second.substr(a[0], a[1]) < full1.second.substr(b[0], b[1]));
  }
}

TEST_CASE("files: symbolic links and unreadable entries", "[files]") {
  TempDir dir;
  dir.write("a/b/c.md", "c");
  REQUIRE(::symlink((dir.path + "/a").c_str(), (dir.path + "/a/b/loop").c_str()) == 0);
  REQUIRE(::symlink((dir.path + "/none").c_str(), (dir.path + "/dangling.md").c_str()) == 0);
  REQUIRE(::mkfifo((dir.path + "/pipe.md").c_str(), 0644) == 0);
  f::Options o;
  o.patterns = {"*.md"};
  o.flags = f::kRecursive | f::kFollowSymlinks;
  f::Audit a;
  a.run(dir.path.c_str(), o);
  REQUIRE(a.size() == 1);
  REQUIRE(a.errors().size() == 3);
  CHECK(a.errors()[0].path == "a/b/loop");
  CHECK(a.errors()[0].status == HOTPATH_EINVAL);
  CHECK(a.errors()[1].path == "dangling.md");
  CHECK(a.errors()[1].status == HOTPATH_EIO);
  CHECK(a.errors()[1].message == std::string("cannot open file: ") + std::strerror(ENOENT));
  CHECK(a.errors()[2].path == "pipe.md");
  CHECK(a.errors()[2].status == HOTPATH_EUNSUPPORTED);
  CHECK(a.errors()[2].message == "not a regular file");

  AuditHandle h;
  hotpath_files_audit_options_t opt;
  REQUIRE(hotpath_files_audit_options_init(&opt) == HOTPATH_OK);
  opt.flags |= hotpath_files_flag_follow_symlinks();
  REQUIRE(hotpath_files_audit(h.h, dir.path.c_str(), &opt) == HOTPATH_OK);
  REQUIRE(hotpath_files_audit_error_count(h.h) == 3);
  const char* path = nullptr;
  const char* message = nullptr;
  size_t path_len = 0;
  hotpath_status_t status = 0;
  REQUIRE(hotpath_files_audit_error(h.h, 2, &path, &path_len, &status, &message) == HOTPATH_OK);
  CHECK(std::string(path, path_len) == "pipe.md");
  CHECK(status == HOTPATH_EUNSUPPORTED);
  CHECK(std::string(message) == "not a regular file");
  CHECK(hotpath_files_audit_error(h.h, 3, &path, &path_len, &status, &message) ==
        HOTPATH_ERANGE);
}

TEST_CASE("files: io_uring and plain reads give the same audit", "[files]") {
  TempDir dir;
  // Folders of more than the files read during the walk (so both the walk and the
  // later blocks read), sizes around the ring's 64 KiB buffer, empty files.
  const size_t sizes[] = {0, 1, 4095, 4096, 65535, 65536, 65537, 131072, 200001};
  std::vector<std::pair<std::string, size_t>> expect;
  for (int i = 0; i < 700; ++i) {
    const size_t size = i < 9 ? sizes[i] : static_cast<size_t>(i * 37 % 5000);
    std::string body;
    for (size_t k = 0; k < size; ++k)
      body.push_back(k % 61 == 60 ? '\n' : k % 7 == 6 ? ' ' : static_cast<char>('a' + k % 26));
    if (i % 50 == 3) body += "\xff\xfe caf\xc3\xa9\n";
    const std::string rel = (i % 3 == 0 ? "big/" : "d" + std::to_string(i % 4) + "/") + "f" +
                            std::to_string(i) + ".md";
    dir.write(rel, body);
  }
  REQUIRE(::mkfifo((dir.path + "/big/pipe.md").c_str(), 0644) == 0);
  REQUIRE(::symlink((dir.path + "/big/f0.md").c_str(), (dir.path + "/big/link.md").c_str()) == 0);
  REQUIRE(::symlink((dir.path + "/nowhere").c_str(), (dir.path + "/d1/dangling.md").c_str()) == 0);
  REQUIRE(::mkdir((dir.path + "/d2/folder.md").c_str(), 0755) == 0);

  struct Outcome {
    std::vector<uint64_t> table;
    std::string arena;
    std::vector<std::string> errors;
    bool operator==(const Outcome& o) const {
      return table == o.table && arena == o.arena && errors == o.errors;
    }
  };
  auto run = [&](bool ring, uint64_t max_files) {
    if (ring)
      ::unsetenv("HOTPATH_FILES_IO_URING");
    else
      ::setenv("HOTPATH_FILES_IO_URING", "0", 1);
    f::Options o;
    o.patterns = {"*.md"};
    o.max_files = max_files;
    f::Audit a;
    a.run(dir.path.c_str(), o);
    Outcome out{std::vector<uint64_t>(a.table(), a.table() + a.size() * f::kColumns), a.arena(),
                {}};
    for (const f::ErrorEntry& e : a.errors())
      out.errors.push_back(e.path + "|" + std::to_string(e.status) + "|" + e.message);
    ::unsetenv("HOTPATH_FILES_IO_URING");
    return out;
  };
  ::unsetenv("HOTPATH_FILES_IO_URING");
  INFO("io_uring in use: " << f::io_uring_in_use());
  ::setenv("HOTPATH_FILES_IO_URING", "0", 1);
  CHECK_FALSE(f::io_uring_in_use());
  ::unsetenv("HOTPATH_FILES_IO_URING");

  hotpath::ThreadPool& pool = hotpath::ThreadPool::instance();
  for (int threads : {1, 3}) {
    pool.set_threads(threads);
    for (uint64_t max_files : {f::kNoLimit, uint64_t{500}}) {
      const Outcome plain = run(false, max_files);
      const Outcome ring = run(true, max_files);
      CHECK(ring == plain);
      // The sizes agree with the file system's.
      const size_t n = plain.table.size() / f::kColumns;
      CHECK(n + plain.errors.size() == std::min<uint64_t>(max_files, 703));  // + pipe, dangling
      for (size_t i = 0; i < n; ++i) {
        const uint64_t* row = &ring.table[i * f::kColumns];
        struct stat st;
        const std::string rel = ring.arena.substr(row[0], row[1]);
        REQUIRE(::stat((dir.path + "/" + rel).c_str(), &st) == 0);
        CHECK(row[4] == static_cast<uint64_t>(st.st_size));
      }
      if (max_files == f::kNoLimit) {
        REQUIRE(ring.errors.size() == 2);
        CHECK(ring.errors[0] == "big/pipe.md|" + std::to_string(HOTPATH_EUNSUPPORTED) +
                                    "|not a regular file");
        CHECK(ring.errors[1] == "d1/dangling.md|" + std::to_string(HOTPATH_EIO) +
                                    "|cannot open file: " + std::strerror(ENOENT));
      }
    }
  }
  pool.set_threads(0);
}

TEST_CASE("files: C ABI bad input", "[files]") {
  TempDir dir;
  dir.write("file.md", "x");
  AuditHandle a;
  int32_t out = 0;
  CHECK(hotpath_files_glob_match("*", 1, "a", 1, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_files_glob_match("\xff", 1, "a", 1, &out) == HOTPATH_EUTF8);
  CHECK(hotpath_files_glob_match(nullptr, 1, "a", 1, &out) == HOTPATH_ENULL);
  CHECK(hotpath_files_glob_match("*", 1, nullptr, 3, &out) == HOTPATH_ENULL);
  CHECK(hotpath_files_glob_match(nullptr, 0, nullptr, 0, &out) == HOTPATH_OK);
  CHECK(out == 1);  // the empty pattern matches the empty path

  CHECK(hotpath_files_audit_create(nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit(nullptr, dir.path.c_str(), nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit(a.h, nullptr, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit(a.h, (dir.path + "/missing").c_str(), nullptr) == HOTPATH_EIO);
  CHECK(std::string(hotpath_last_error_message()).find("cannot open argument 'root'") !=
        std::string::npos);
  CHECK(hotpath_files_audit(a.h, (dir.path + "/file.md").c_str(), nullptr) == HOTPATH_EINVAL);
  CHECK(hotpath_files_audit_count(a.h) == 0);

  hotpath_files_audit_options_t o;
  CHECK(hotpath_files_audit_options_init(nullptr) == HOTPATH_ENULL);
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  o.struct_size = 8;
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  o.flags = 1u << 20;
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  o.mode = 7;
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  o.pattern_count = 0;
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  o.pattern_offsets = nullptr;
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_ENULL);
  Patterns bad{"\xc3("};
  REQUIRE(hotpath_files_audit_options_init(&o) == HOTPATH_OK);
  bad.into(&o);
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EUTF8);
  Patterns star{"*"};
  star.into(&o);
  o.mode = hotpath_files_mode_extension();
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  const size_t down[3] = {0, 3, 1};
  o.pattern_offsets = down;
  o.pattern_count = 2;
  o.patterns = "abc";
  CHECK(hotpath_files_audit(a.h, dir.path.c_str(), &o) == HOTPATH_EINVAL);
  // A successful audit after failures works on the same handle.
  REQUIRE(hotpath_files_audit(a.h, dir.path.c_str(), nullptr) == HOTPATH_OK);
  CHECK(hotpath_files_audit_count(a.h) == 1);

  hotpath_files_record_t r;
  CHECK(hotpath_files_audit_record(nullptr, 0, &r) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit_record(a.h, 0, nullptr) == HOTPATH_ENULL);
  const uint64_t* table;
  const char* arena;
  size_t arena_len;
  CHECK(hotpath_files_audit_table(a.h, nullptr, &arena, &arena_len) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit_table(nullptr, &table, &arena, &arena_len) == HOTPATH_ENULL);
  CHECK(hotpath_files_audit_totals(nullptr, nullptr, nullptr, nullptr, nullptr) ==
        HOTPATH_ENULL);
  CHECK(hotpath_files_audit_count(nullptr) == 0);
  CHECK(hotpath_files_audit_error_count(nullptr) == 0);
  hotpath_files_audit_destroy(nullptr);
}

TEST_CASE("files: batch reading", "[files]") {
  TempDir dir;
  dir.write("a", "alpha");
  dir.write("b", "");
  dir.write("c", std::string(200000, 'z'));
  std::string paths;
  std::vector<size_t> offsets{0};
  for (const std::string& p : {dir.path + "/a", dir.path + "/missing", dir.path + "/c",
                               dir.path, dir.path + "/b"}) {
    paths += p;
    offsets.push_back(paths.size());
  }
  hotpath_files_reader_t* rd = nullptr;
  REQUIRE(hotpath_files_reader_create(&rd) == HOTPATH_OK);
  REQUIRE(hotpath_files_read(rd, paths.data(), offsets.data(), 5) == HOTPATH_OK);
  REQUIRE(hotpath_files_read_count(rd) == 5);
  const char* data;
  size_t len;
  const uint64_t* offs;
  const int32_t* st;
  REQUIRE(hotpath_files_read_result(rd, &data, &len, &offs, &st) == HOTPATH_OK);
  CHECK(len == 5 + 200000);
  CHECK(std::string(data + offs[0], offs[1] - offs[0]) == "alpha");
  CHECK(offs[1] == offs[2]);
  CHECK(std::string(data + offs[2], offs[3] - offs[2]) == std::string(200000, 'z'));
  CHECK(offs[4] == offs[5]);
  CHECK(st[0] == HOTPATH_OK);
  CHECK(st[1] == HOTPATH_EIO);
  CHECK(st[3] == HOTPATH_EUNSUPPORTED);
  CHECK(st[4] == HOTPATH_OK);
  CHECK(std::string(hotpath_files_read_message(rd, 0)).empty());
  CHECK(std::string(hotpath_files_read_message(rd, 1)) ==
        std::string("cannot open file: ") + std::strerror(ENOENT));
  CHECK(hotpath_files_read_message(rd, 5) == nullptr);
  CHECK(hotpath_files_read_message(nullptr, 0) == nullptr);

  // Bad input.
  CHECK(hotpath_files_reader_create(nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_files_read(nullptr, paths.data(), offsets.data(), 5) == HOTPATH_ENULL);
  CHECK(hotpath_files_read(rd, paths.data(), nullptr, 5) == HOTPATH_ENULL);
  CHECK(hotpath_files_read(rd, nullptr, offsets.data(), 5) == HOTPATH_ENULL);
  CHECK(hotpath_files_read(rd, paths.data(), offsets.data(), SIZE_MAX) == HOTPATH_EOVERFLOW);
  const size_t down[3] = {0, 4, 2};
  CHECK(hotpath_files_read(rd, "abcd", down, 2) == HOTPATH_EINVAL);
  const char nul[] = {'a', '\0', 'b'};
  const size_t one[2] = {0, 3};
  CHECK(hotpath_files_read(rd, nul, one, 1) == HOTPATH_EINVAL);
  REQUIRE(hotpath_files_read(rd, nullptr, one, 0) == HOTPATH_OK);
  CHECK(hotpath_files_read_count(rd) == 0);
  REQUIRE(hotpath_files_read_result(rd, &data, &len, &offs, &st) == HOTPATH_OK);
  CHECK(len == 0);
  CHECK(offs[0] == 0);
  CHECK(hotpath_files_read_result(rd, nullptr, &len, &offs, &st) == HOTPATH_ENULL);
  hotpath_files_reader_destroy(rd);
  hotpath_files_reader_destroy(nullptr);
}

TEST_CASE("files: counting matches a byte-by-byte reference", "[files]") {
  // Random texts over ASCII white space, letters and (sometimes) a non-ASCII
  // character, of every length around the 16-byte blocks.
  const char* pieces[] = {" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x1b",
                          "a", "b", "Z", "~", "\x7f", "\xc3\xa9", "\xc2\xa0"};
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t len = next() % 80;
    const size_t kinds = (round % 3 == 0) ? 16 : 14;  // a third may hold non-ASCII
    while (text.size() < len) text += pieces[next() % kinds];
    // Reference: words split at the white space of str.split() (here ASCII ones and
    // U+00A0), newlines counted one by one.
    uint64_t words = 0, newlines = 0;
    bool in_word = false;
    for (size_t i = 0; i < text.size(); ++i) {
      const unsigned char b = static_cast<unsigned char>(text[i]);
      bool space = (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20);
      if (b == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
        space = true;
        ++i;
      }
      newlines += b == '\n';
      if (!space && !in_word) ++words;
      in_word = !space;
    }
    const f::Counts c = f::count(text.data(), text.size());
    INFO("round " << round << " length " << text.size());
    CHECK(c.words == words);
    const bool unterminated = !text.empty() && text.back() != '\n' &&
                              text.substr(text.rfind('\n') + 1) != "\r";
    CHECK(c.lines == newlines + (unterminated ? 1 : 0));
    CHECK(c.utf8);
  }
}

TEST_CASE("files: counting in pieces gives count()'s lines, words and utf8", "[files]") {
  // Pieces end before a character; words across a piece end count once; the word
  // rule (text or bytes) is chosen by the validity of the whole input.
  const std::vector<std::string> atoms = {
      "a", "word", " ", "\t", "\n", "\r", "\r\n", "\x1c", "\x1f", "\xc2\xa0", "\xc2\x85",
      "\xe3\x80\x80", "\xe2\x80\x83", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xc3\xa9",
      "\xff", "\x80", "\xe2\x82", "\x00"};
  uint64_t seed = 12345;
  auto next = [&] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const size_t atoms_n = next() % 60;
    const bool keep_valid = next() % 2 == 0;
    for (size_t k = 0; k < atoms_n; ++k) {
      const std::string& a = atoms[next() % atoms.size()];
      if (keep_valid && (a == "\xff" || a == "\x80" || a == "\xe2\x82")) continue;
      text += a;
    }
    for (bool unicode : {false, true}) {
      const hotpath::files::Counts whole = hotpath::files::count(text.data(), text.size(), unicode);
      for (size_t piece : {size_t(1), size_t(2), size_t(3), size_t(5), size_t(7), size_t(16)}) {
        const hotpath::files::Counts parts = hotpath::files::count_pieces(text.data(), text.size(), piece, unicode);
        INFO("round " << round << " piece " << piece << " unicode " << unicode);
        CHECK(parts.lines == whole.lines);
        CHECK(parts.words == whole.words);
        CHECK(parts.utf8 == whole.utf8);
        ++checked;
      }
    }
  }
  CHECK(checked == 400 * 2 * 6);
}
