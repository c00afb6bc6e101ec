// libFuzzer target: hotpath_files_glob_match against a reference matcher
// written from the rules in include/hotpath/files.h (a dynamic program over
// characters and components, not the library's backtracking), plus the
// properties those rules imply: a pattern without metacharacters matches
// itself, and a pattern without "/" only looks at the last component.
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "hotpath/files.h"

namespace {

using Chars = std::vector<uint32_t>;

// A path's characters: UTF-8 sequences, and a byte that starts none is one
// character of its own (U+DC00 + byte, which no valid pattern can hold).
Chars path_chars(const std::string& s) {
  Chars out;
  for (size_t i = 0; i < s.size();) {
    const size_t len = fuzz::ref_seq(s, i);
    if (len == 0) {
      out.push_back(0xDC00u + static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      out.push_back(fuzz::ref_decode_at(s, i, len));
      i += len;
    }
  }
  return out;
}

std::vector<std::string> components(const std::string& s) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == '/')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// "[...]" at p[i]: end (one past "]"), or 0 when unclosed; *hit tells whether c is in it.
size_t parse_class(const Chars& p, size_t i, uint32_t c, bool* hit) {
  size_t j = i + 1;
  bool negate = false;
  if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool in = false;
  for (bool first = true; j < p.size(); first = false) {
    if (p[j] == ']' && !first) {
      *hit = in != negate;
      return j + 1;
    }
    uint32_t lo = p[j++], hi = lo;
    if (j + 1 < p.size() && p[j] == '-' && p[j + 1] != ']') {
      hi = p[j + 1];
      j += 2;
    }
    if (lo <= c && c <= hi) in = true;
  }
  return 0;
}

bool component_match(const Chars& p, const Chars& s) {
  // m[i][j]: p[i..] matches s[j..]
  const size_t np = p.size(), ns = s.size();
  std::vector<std::vector<char>> m(np + 1, std::vector<char>(ns + 1, 0));
  m[np][ns] = 1;
  for (size_t i = np; i-- > 0;) {
    for (size_t j = ns + 1; j-- > 0;) {
      bool r;
      if (p[i] == '*') {
        r = m[i + 1][j] || (j < ns && m[i][j + 1]);
      } else if (j == ns) {
        r = false;
      } else if (p[i] == '?') {
        r = m[i + 1][j + 1];
      } else {
        bool hit = false;
        const size_t end = p[i] == '[' ? parse_class(p, i, s[j], &hit) : 0;
        if (end != 0)
          r = hit && m[end][j + 1];
        else
          r = p[i] == s[j] && m[i + 1][j + 1];
      }
      m[i][j] = r;
    }
  }
  return m[0][0];
}

bool reference_match(const std::string& pattern, const std::string& path) {
  if (pattern.find('/') == std::string::npos) {
    const size_t slash = path.rfind('/');
    const std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
    return component_match(path_chars(pattern), path_chars(last));
  }
  size_t lead = 0;
  while (lead < pattern.size() && pattern[lead] == '/') ++lead;
  const auto pc = components(pattern.substr(lead));
  const auto sc = components(path);
  std::vector<Chars> pchars, schars;
  for (auto& c : pc) pchars.push_back(path_chars(c));
  for (auto& c : sc) schars.push_back(path_chars(c));
  const size_t np = pc.size(), ns = sc.size();
  // m[i][j]: components pc[i..] match sc[j..]
  std::vector<std::vector<char>> m(np + 1, std::vector<char>(ns + 1, 0));
  m[np][ns] = 1;
  for (size_t i = np; i-- > 0;) {
    for (size_t j = ns + 1; j-- > 0;) {
      bool r;
      if (pc[i] == "**") {
        if (i + 1 == np)
          r = ns - j >= 1;  // a last "**": at least one component
        else
          r = m[i + 1][j] || (j < ns && m[i][j + 1]);
      } else {
        r = j < ns && m[i + 1][j + 1] && component_match(pchars[i], schars[j]);
      }
      m[i][j] = r;
    }
  }
  return m[0][0];
}

int glob(const std::string& pattern, const std::string& path) {
  int32_t out = -1;
  const hotpath_status_t st =
      hotpath_files_glob_match(pattern.data(), pattern.size(), path.data(), path.size(), &out);
  if (st == HOTPATH_EUTF8) return -2;
  FUZZ_EXPECT(st == HOTPATH_OK);
  FUZZ_EXPECT(out == 0 || out == 1);
  return out;
}

bool has_meta(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 512) return 0;  // the reference is quadratic
  fuzz::Reader r{data, size};
  const uint8_t mode = r.byte();
  std::string pattern = r.take(64);
  std::string path = r.rest();
  if (mode & 1) pattern = fuzz::ref_scrub(pattern);  // mostly valid patterns

  const int got = glob(pattern, path);
  if (!fuzz::ref_valid(pattern)) {
    FUZZ_EXPECT(got == -2);  // invalid UTF-8 in the pattern is refused, whatever the path
    return 0;
  }
  FUZZ_EXPECT(got != -2);
  FUZZ_EXPECT(got == int(reference_match(pattern, path)));

  // A pattern without "/" looks at the last component only.
  if (pattern.find('/') == std::string::npos) {
    FUZZ_EXPECT(glob(pattern, "dir/" + path) == got);
    FUZZ_EXPECT(glob(pattern, "a/b/" + path) == got);
  }

  // Equal strings: a literal pattern matches itself, in any folder when it
  // has no "/"; with "/" the leading slashes only anchor it.
  const std::string literal = fuzz::ref_scrub(path);
  if (!has_meta(literal)) {
    size_t lead = 0;
    while (lead < literal.size() && literal[lead] == '/') ++lead;
    FUZZ_EXPECT(glob(literal, literal.substr(lead)) == 1);
    if (literal.find('/') == std::string::npos) FUZZ_EXPECT(glob(literal, "x/" + literal) == 1);
    // "*" in place of the last component, "**/" in front of it.
    const size_t slash = literal.rfind('/');
    if (slash != std::string::npos && slash >= lead) {
      const std::string folder = literal.substr(lead, slash + 1 - lead);
      FUZZ_EXPECT(glob(folder + "*", literal.substr(lead)) == 1);
      FUZZ_EXPECT(glob("**/" + literal.substr(slash + 1), literal.substr(lead)) == 1);
    }
  }
  return 0;
}
