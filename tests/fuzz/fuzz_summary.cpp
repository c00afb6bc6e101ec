// libFuzzer target: hotpath_text_summarize (with and without front matter)
// against a reference written over code points from the rules in
// include/hotpath/text.h, plus the properties a caller relies on: the summary
// is a range of the text on character boundaries, valid UTF-8, at most
// max_chars code points and `lines` lines, without white space at either end,
// and a larger max_chars or line count only extends it.
#include <string>

#include "fuzz_util.hpp"
#include "hotpath/text.h"

namespace {

struct Summary {
  size_t offset = 0, len = 0;
};

// Index (in code points) past the trailing white space of [b, e).
size_t rstrip(const fuzz::Decoded& d, size_t b, size_t e) {
  while (e > b && fuzz::ref_space(d.cp[e - 1])) --e;
  return e;
}

// Index of the '\n' ending the line that starts at i, or the end.
size_t line_end(const fuzz::Decoded& d, size_t i) {
  while (i < d.cp.size() && d.cp[i] != '\n') ++i;
  return i;
}

bool is_fence(const fuzz::Decoded& d, size_t b, size_t e) {
  e = rstrip(d, b, e);
  return e - b == 3 && d.cp[b] == '-' && d.cp[b + 1] == '-' && d.cp[b + 2] == '-';
}

Summary reference(const std::string& text, uint32_t lines, uint64_t max_chars, bool skip_fm) {
  const fuzz::Decoded d = fuzz::ref_decode(text);
  const size_t n = d.cp.size();
  size_t pos = 0;
  if (skip_fm && n > 0) {
    const size_t first = line_end(d, 0);
    if (is_fence(d, 0, first) && first < n) {
      // The next line that is a fence closes the block; none: not front matter.
      for (size_t b = first + 1; b < n;) {
        const size_t e = line_end(d, b);
        if (is_fence(d, b, e)) {
          pos = e < n ? e + 1 : n;
          break;
        }
        b = e + 1;
      }
    }
  }
  while (pos < n && fuzz::ref_space(d.cp[pos])) ++pos;
  Summary s;
  s.offset = d.at[pos];
  if (lines == 0 || max_chars == 0 || pos >= n) return s;
  size_t end = pos;
  for (uint32_t k = 0;; ++k) {  // past lines - 1 line breaks
    end = line_end(d, end);
    if (end >= n || k + 1 == lines) break;
    ++end;
  }
  end = rstrip(d, pos, end);
  if (end - pos > max_chars) end = rstrip(d, pos, pos + static_cast<size_t>(max_chars));
  s.len = d.at[end] - d.at[pos];
  return s;
}

Summary summarize(const std::string& text, uint32_t lines, uint64_t max_chars, uint32_t flags) {
  Summary s;
  s.offset = s.len = SIZE_MAX;
  const hotpath_status_t st =
      hotpath_text_summarize(text.data(), text.size(), lines, max_chars, flags, &s.offset, &s.len);
  FUZZ_EXPECT(st == HOTPATH_OK);
  FUZZ_EXPECT(s.offset <= text.size() && s.len <= text.size() - s.offset);
  return s;
}

void check_shape(const std::string& text, const Summary& s, uint32_t lines, uint64_t max_chars) {
  const std::string out = text.substr(s.offset, s.len);
  FUZZ_EXPECT(fuzz::ref_valid(out));
  // On character boundaries: the text before it is valid UTF-8 too.
  FUZZ_EXPECT(fuzz::ref_valid(text.substr(0, s.offset)));
  const fuzz::Decoded d = fuzz::ref_decode(out);
  FUZZ_EXPECT(d.cp.size() <= max_chars);
  size_t breaks = 0;
  for (uint32_t c : d.cp) breaks += c == '\n';
  FUZZ_EXPECT(s.len == 0 || breaks < lines);
  if (!d.cp.empty()) {
    FUZZ_EXPECT(!fuzz::ref_space(d.cp.front()));
    FUZZ_EXPECT(!fuzz::ref_space(d.cp.back()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  fuzz::Reader r{data, size};
  const uint8_t opts = r.byte();
  const uint32_t lines = r.byte() % 8;
  uint64_t max_chars = r.u16() % 300;
  if (opts & 2) max_chars = UINT64_MAX;
  const uint32_t flags = (opts & 1) ? HOTPATH_TEXT_SKIP_FRONT_MATTER : 0;
  std::string text = r.rest();
  if (opts & 4) text = fuzz::ref_scrub(text);  // reach the summary, not only validation
  if (!fuzz::ref_valid(text)) {
    size_t off = 0, len = 0;
    FUZZ_EXPECT(hotpath_text_summarize(text.data(), text.size(), lines, max_chars, flags, &off,
                                       &len) == HOTPATH_EUTF8);
    return 0;
  }

  const Summary s = summarize(text, lines, max_chars, flags);
  const Summary ref = reference(text, lines, max_chars, flags != 0);
  FUZZ_EXPECT(s.offset == ref.offset && s.len == ref.len);
  check_shape(text, s, lines, max_chars);

  // More characters or more lines only extend the summary.
  if (max_chars != UINT64_MAX && lines > 0) {
    const Summary more = summarize(text, lines, max_chars + 1, flags);
    FUZZ_EXPECT(more.offset == s.offset && more.len >= s.len);
    FUZZ_EXPECT(text.compare(more.offset, s.len, text, s.offset, s.len) == 0);
  }
  const Summary longer = summarize(text, lines + 1, max_chars, flags);
  FUZZ_EXPECT(longer.offset == s.offset && longer.len >= s.len);

  // Front matter: a text that does not open with a "---" line is summarized
  // as without the flag; with the flag the summary never starts inside the block.
  const Summary plain = summarize(text, lines, max_chars, 0);
  if (text.compare(0, 3, "---") != 0) {
    FUZZ_EXPECT(s.offset == plain.offset && s.len == plain.len);
  } else if (flags) {
    FUZZ_EXPECT(s.offset >= plain.offset);
  }
  return 0;
}
