// libFuzzer target: UTF-8 validation and simple case folding through the C
// API.  Validation is compared with a reference validator (Unicode Table
// 3-7) down to the byte offset the error message names; folding must keep
// the code point count, stay valid UTF-8 within hotpath_text_case_fold_bound,
// be idempotent, lower ASCII exactly, report the size it needs on a short
// buffer, and make the case-folding metrics see a text and its folding as equal.
#include <cmath>
#include <string>

#include "fuzz_util.hpp"
#include "hotpath/common.h"
#include "hotpath/text.h"

namespace {

// Folds s; returns the status, the folded text in *out.
hotpath_status_t fold(const std::string& s, std::string* out) {
  const size_t bound = hotpath_text_case_fold_bound(s.size());
  FUZZ_EXPECT(bound >= s.size());
  out->assign(bound + 1, '\x7f');  // one guard byte past the bound
  size_t len = 0;
  const hotpath_status_t st = hotpath_text_case_fold(s.data(), s.size(), &(*out)[0], bound, &len);
  if (st != HOTPATH_OK) return st;
  FUZZ_EXPECT(len <= bound);
  FUZZ_EXPECT((*out)[bound] == '\x7f');
  out->resize(len);
  return st;
}

void check_metrics_equal(const std::string& a, const std::string& b, uint32_t flags) {
  double d = -1;
  FUZZ_EXPECT(hotpath_text_jaccard(a.data(), a.size(), b.data(), b.size(), flags, &d) ==
              HOTPATH_OK);
  FUZZ_EXPECT(d == 1.0);
  FUZZ_EXPECT(hotpath_text_cosine(a.data(), a.size(), b.data(), b.size(), flags, &d) == HOTPATH_OK);
  FUZZ_EXPECT(std::fabs(d - 1.0) < 1e-12);
  uint64_t dist = 1;
  FUZZ_EXPECT(hotpath_text_levenshtein(a.data(), a.size(), b.data(), b.size(), UINT64_MAX, flags,
                                       &dist) == HOTPATH_OK);
  FUZZ_EXPECT(dist == 0);
  FUZZ_EXPECT(hotpath_text_jaro_winkler(a.data(), a.size(), b.data(), b.size(),
                                        hotpath_text_default_prefix_weight(), flags,
                                        &d) == HOTPATH_OK);
  FUZZ_EXPECT(d == 1.0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t bad = fuzz::ref_invalid_at(text);

  std::string folded;
  hotpath_status_t st = fold(text, &folded);
  if (bad != std::string::npos) {
    FUZZ_EXPECT(st == HOTPATH_EUTF8);
    const std::string msg = hotpath_last_error_message();
    FUZZ_EXPECT(msg.find("byte offset " + std::to_string(bad)) != std::string::npos);
    // Every text entry point refuses it the same way.
    double d = 0;
    FUZZ_EXPECT(hotpath_text_jaccard("x", 1, text.data(), text.size(), 0, &d) == HOTPATH_EUTF8);
    size_t off = 0, len = 0;
    FUZZ_EXPECT(hotpath_text_summarize(text.data(), text.size(), 3, 100, 0, &off, &len) ==
                HOTPATH_EUTF8);
    // The valid part before the error folds.
    const std::string head = text.substr(0, bad);
    FUZZ_EXPECT(fold(head, &folded) == HOTPATH_OK);
    return 0;
  }
  FUZZ_EXPECT(st == HOTPATH_OK);
  FUZZ_EXPECT(fuzz::ref_valid(folded));
  const fuzz::Decoded in = fuzz::ref_decode(text), out = fuzz::ref_decode(folded);
  FUZZ_EXPECT(in.cp.size() == out.cp.size());  // simple folding maps one code point to one
  for (size_t i = 0; i < in.cp.size(); ++i) {
    const uint32_t c = in.cp[i];
    if (c < 0x80) FUZZ_EXPECT(out.cp[i] == ((c >= 'A' && c <= 'Z') ? c + 32 : c));
    // Characters without case are left alone: white space stays white space.
    if (fuzz::ref_space(c)) FUZZ_EXPECT(out.cp[i] == c);
  }

  // Idempotent.
  std::string twice;
  FUZZ_EXPECT(fold(folded, &twice) == HOTPATH_OK);
  FUZZ_EXPECT(twice == folded);

  // A buffer one byte short says how much it needs; an exact one works.
  if (!folded.empty()) {
    std::string small(folded.size() - 1, '\0');
    size_t need = 0;
    FUZZ_EXPECT(hotpath_text_case_fold(text.data(), text.size(),
                                       small.empty() ? nullptr : &small[0], small.size(),
                                       &need) == HOTPATH_EBUFFER);
    FUZZ_EXPECT(need == folded.size());
    std::string exact(folded.size(), '\0');
    FUZZ_EXPECT(hotpath_text_case_fold(text.data(), text.size(), &exact[0], exact.size(), &need) ==
                HOTPATH_OK);
    FUZZ_EXPECT(exact == folded);
  }

  // The metrics fold as the folding function does.
  if (size <= 2048) {
    check_metrics_equal(text, folded, HOTPATH_TEXT_CASE_FOLD);
    check_metrics_equal(folded, folded, 0);
    check_metrics_equal(text, text, 0);
  }
  return 0;
}
