// libFuzzer target: the memory kernels on fuzzed texts.
// - hotpath_memory_similar_pairs equals the brute-force loop over
//   hotpath_text_jaccard, pair for pair (strict and not, folded or not, on
//   one and two threads), sorted with a < b;
// - hotpath_memory_scan of a temporary folder holding the texts as *.md files
//   (fuzzed modification times, a sub-folder named *.md, a file not named
//   *.md) counts the files, the old ones and the duplicates as the header
//   says, and lists one error per file that is in the future, not valid
//   UTF-8 or not a regular file;
// - the hexagram and thread helpers keep their documented ranges.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "hotpath/memory.h"

namespace {

std::unique_ptr<char[]> exact(const std::string& s) {
  std::unique_ptr<char[]> p(new char[s.size() + (s.empty() ? 1 : 0)]);
  std::memcpy(p.get(), s.data(), s.size());
  return p;
}

double jaccard(const std::string& a, const std::string& b, uint32_t flags) {
  auto ea = exact(a), eb = exact(b);
  double d = NAN;
  FUZZ_EXPECT(hotpath_text_jaccard(ea.get(), a.size(), eb.get(), b.size(), flags, &d) ==
              HOTPATH_OK);
  return d;
}

bool passes(double j, double threshold, bool strict) {
  return strict ? j > threshold : j >= threshold;
}

// One folder per process, under $TMPDIR (tests/fuzz/run.sh points it at its
// own temporary folder and removes it).
const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/hotpath-fuzz-memory-XXXXXX";
    FUZZ_EXPECT(mkdtemp(&tmpl[0]) != nullptr);
    return tmpl;
  }();
  return dir;
}

void write_file(const std::string& path, const std::string& content, double mtime) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  FUZZ_EXPECT(fd >= 0);
  FUZZ_EXPECT(::write(fd, content.data(), content.size()) == ssize_t(content.size()));
  struct timespec times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(mtime);
  times[0].tv_nsec = times[1].tv_nsec = 0;
  FUZZ_EXPECT(::futimens(fd, times) == 0);
  ::close(fd);
}

void check_scan(const std::vector<std::string>& texts, const std::vector<int32_t>& age_hours,
                double threshold_days, double similarity) {
  const std::string& dir = scratch_dir();
  const double now = 1.8e9;
  std::vector<std::string> names;
  for (size_t i = 0; i < texts.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "m%02zu.md", i);
    names.emplace_back(name);
    write_file(dir + "/" + name, texts[i], now - 3600.0 * age_hours[i]);
  }
  write_file(dir + "/notes.txt", "not a memory", now);
  ::mkdir((dir + "/zz.md").c_str(), 0755);  // a folder: an error, not counted

  uint64_t want_old = 0, want_errors = 1, want_dups = 0;
  std::vector<size_t> valid;
  for (size_t i = 0; i < texts.size(); ++i) {
    const bool future = age_hours[i] < 0;
    const bool utf8 = fuzz::ref_valid(texts[i]);
    if (!future && std::floor(3600.0 * age_hours[i] / 86400.0) > threshold_days) ++want_old;
    want_errors += future || !utf8;
    if (utf8) valid.push_back(i);
  }
  for (size_t a = 0; a < valid.size(); ++a)
    for (size_t b = a + 1; b < valid.size(); ++b)
      want_dups += jaccard(texts[valid[a]], texts[valid[b]], 0) > similarity;

  hotpath_memory_scan_t* scan = nullptr;
  FUZZ_EXPECT(hotpath_memory_scan_create(&scan) == HOTPATH_OK);
  FUZZ_EXPECT(hotpath_memory_scan(dir.data(), dir.size(), threshold_days, similarity, now, scan) ==
              HOTPATH_OK);
  uint64_t old = 0, dups = 0, total = 0;
  FUZZ_EXPECT(hotpath_memory_scan_counts(scan, &old, &dups, &total) == HOTPATH_OK);
  FUZZ_EXPECT(total == texts.size());
  FUZZ_EXPECT(old == want_old);
  FUZZ_EXPECT(dups == want_dups);
  FUZZ_EXPECT(hotpath_memory_scan_error_count(scan) == want_errors);
  for (size_t i = 0; i < want_errors; ++i) {
    const char *path = nullptr, *reason = nullptr;
    size_t path_len = 0, reason_len = 0;
    FUZZ_EXPECT(hotpath_memory_scan_error(scan, i, &path, &path_len, &reason, &reason_len) ==
                HOTPATH_OK);
    FUZZ_EXPECT(path_len > dir.size() && std::string(path, dir.size()) == dir);
    FUZZ_EXPECT(reason_len > 0);
  }
  FUZZ_EXPECT(hotpath_memory_scan_error(scan, want_errors, nullptr, nullptr, nullptr, nullptr) ==
              HOTPATH_ERANGE);
  hotpath_memory_scan_destroy(scan);

  for (const auto& name : names) ::unlink((dir + "/" + name).c_str());
  ::unlink((dir + "/notes.txt").c_str());
  ::rmdir((dir + "/zz.md").c_str());
}

void check_helpers(fuzz::Reader& r) {
  uint8_t lines[6];
  const uint8_t bits = r.byte();
  int yang = 0, want = 0;
  for (int i = 0; i < 6; ++i) {
    lines[i] = (bits >> i) & 1;
    yang += lines[i];
    want = want * 2 + lines[i];
  }
  int32_t out = -1;
  FUZZ_EXPECT(hotpath_memory_create_hexagram(lines, 6, &out) == HOTPATH_OK && out == want + 1);
  FUZZ_EXPECT(hotpath_memory_is_balanced(lines, 6, &out) == HOTPATH_OK && out == (yang == 3));
  lines[bits % 6] = 2 + (bits >> 6);
  FUZZ_EXPECT(hotpath_memory_create_hexagram(lines, 6, &out) == HOTPATH_ERANGE);
  FUZZ_EXPECT(hotpath_memory_create_hexagram(lines, bits % 6, &out) == HOTPATH_EINVAL);

  const uint64_t items = uint64_t(r.u16()) << (r.byte() % 40);
  const uint32_t tier = hotpath_memory_threading_tier(items);
  FUZZ_EXPECT(tier >= 8 && tier <= 256 && (tier & (tier - 1)) == 0);
  FUZZ_EXPECT(hotpath_memory_threading_tier(items + 1) >= tier);
  const uint32_t cores = r.byte() % 17;
  const double per_item = r.u16() * 1e-6;
  uint32_t threads = 0;
  FUZZ_EXPECT(hotpath_memory_recommend_threads(items, per_item, cores, &threads) == HOTPATH_OK);
  FUZZ_EXPECT(threads >= 1);
  if (cores) FUZZ_EXPECT(threads <= cores);
  if (items) FUZZ_EXPECT(threads <= items);
  FUZZ_EXPECT(hotpath_memory_recommend_threads(items, NAN, cores, &threads) == HOTPATH_ERANGE);
  FUZZ_EXPECT(hotpath_memory_recommend_threads(items, -1.0, cores, &threads) == HOTPATH_ERANGE);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  fuzz::Reader r{data, size};
  const uint8_t opts = r.byte();
  const uint32_t flags = (opts & 1) ? HOTPATH_TEXT_CASE_FOLD : 0;
  const bool strict = (opts & 2) != 0;
  const bool scan = (opts & 4) != 0;
  FUZZ_EXPECT(hotpath_set_num_threads((opts & 8) ? 2 : 1) == HOTPATH_OK);
  // Thresholds that Jaccard values hit exactly (0, 1/3, 1/2, 2/3, 1) as well as any.
  static const double kThresholds[] = {0.0, 1.0 / 3, 0.5, 2.0 / 3, 1.0, 0.8, 0.25, 0.1};
  const uint8_t tsel = r.byte();
  const double threshold = tsel < 8 * 16 ? kThresholds[tsel % 8] : (tsel - 128) / 127.0;
  std::vector<int32_t> age_hours;
  for (int i = 0; i < 8; ++i) age_hours.push_back(int32_t(r.u16() % 9000) - 48);
  const double threshold_days = r.byte() % 200 / 2.0;
  check_helpers(r);

  // Texts separated by "\x1e"; mostly valid UTF-8, as similar_pairs requires.
  std::string payload = r.rest();
  if (!(opts & 0x10)) payload = fuzz::ref_scrub(payload);
  std::vector<std::string> texts(1);
  for (char ch : payload) {
    if (ch == '\x1e')
      texts.emplace_back();
    else
      texts.back() += ch;
  }
  if (texts.size() > 64) return 0;

  if (scan && texts.size() <= 8) check_scan(texts, age_hours, threshold_days, threshold);

  std::vector<size_t> offsets{0};
  std::string packed;
  bool all_valid = true;
  for (const auto& t : texts) {
    packed += t;
    offsets.push_back(packed.size());
    all_valid = all_valid && fuzz::ref_valid(t);
  }
  auto buf = exact(packed);
  hotpath_text_corpus_t* corpus = nullptr;
  const hotpath_status_t st =
      hotpath_text_corpus_create(buf.get(), offsets.data(), texts.size(), flags, &corpus);
  if (!all_valid) {
    FUZZ_EXPECT(st == HOTPATH_EUTF8);
    return 0;
  }
  FUZZ_EXPECT(st == HOTPATH_OK);

  std::vector<uint32_t> want;
  for (size_t a = 0; a < texts.size(); ++a)
    for (size_t b = a + 1; b < texts.size(); ++b)
      if (passes(jaccard(texts[a], texts[b], flags), threshold, strict)) {
        want.push_back(uint32_t(a));
        want.push_back(uint32_t(b));
      }

  hotpath_memory_pairs_t* pairs = nullptr;
  FUZZ_EXPECT(hotpath_memory_pairs_create(&pairs) == HOTPATH_OK);
  uint64_t count = UINT64_MAX;
  FUZZ_EXPECT(hotpath_memory_similar_pairs(corpus, threshold, strict, pairs, &count) == HOTPATH_OK);
  FUZZ_EXPECT(count == want.size() / 2);
  FUZZ_EXPECT(hotpath_memory_pairs_count(pairs) == count);
  const uint32_t* got = hotpath_memory_pairs_data(pairs);
  FUZZ_EXPECT((got == nullptr) == (count == 0));
  for (size_t i = 0; i < want.size(); ++i) FUZZ_EXPECT(got[i] == want[i]);
  // The count alone, into no result, and the same search again into a reused result.
  uint64_t again = 0;
  FUZZ_EXPECT(hotpath_memory_similar_pairs(corpus, threshold, strict, nullptr, &again) ==
              HOTPATH_OK);
  FUZZ_EXPECT(again == count);
  FUZZ_EXPECT(hotpath_memory_similar_pairs(corpus, threshold, strict, pairs, &again) == HOTPATH_OK);
  FUZZ_EXPECT(again == count && hotpath_memory_pairs_count(pairs) == count);
  FUZZ_EXPECT(hotpath_memory_similar_pairs(corpus, NAN, strict, pairs, &again) == HOTPATH_ERANGE);
  FUZZ_EXPECT(hotpath_memory_similar_pairs(corpus, 1.5, strict, pairs, &again) == HOTPATH_ERANGE);
  hotpath_memory_pairs_destroy(pairs);
  hotpath_text_corpus_destroy(corpus);
  FUZZ_EXPECT(hotpath_set_num_threads(1) == HOTPATH_OK);
  return 0;
}
