#include "search/analyzer.hpp"

#include <libstemmer.h>
#include <utf8proc.h>

#include <cstring>
#include <new>

#include "common/error.hpp"

namespace hotpath {
namespace search {

namespace {

const char* const kStopwords[] = {
    "a",    "an",    "and",   "are",  "as",   "at",    "be",   "but",  "by",
    "for",  "if",    "in",    "into", "is",   "it",    "no",   "not",  "of",
    "on",   "or",    "such",  "that", "the",  "their", "then", "there", "these",
    "they", "this",  "to",    "was",  "will", "with"};

bool is_ideograph(uint32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

bool is_token_cp(uint32_t c) {
  int cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

inline bool ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes one code point of valid UTF-8 at p; advances p.
inline uint32_t next_cp(const unsigned char*& p) {
  uint32_t c = *p++;
  if (c < 0x80) return c;
  if (c < 0xE0) return ((c & 0x1F) << 6) | (*p++ & 0x3F);
  if (c < 0xF0) {
    uint32_t r = ((c & 0x0F) << 12) | ((p[0] & 0x3F) << 6) | (p[1] & 0x3F);
    p += 2;
    return r;
  }
  uint32_t r = ((c & 0x07) << 18) | ((p[0] & 0x3F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  p += 3;
  return r;
}

void put_cp(std::string& out, uint32_t c) {
  char b[4];
  size_t n;
  if (c < 0x80) { b[0] = char(c); n = 1; }
  else if (c < 0x800) { b[0] = char(0xC0 | (c >> 6)); b[1] = char(0x80 | (c & 0x3F)); n = 2; }
  else if (c < 0x10000) {
    b[0] = char(0xE0 | (c >> 12)); b[1] = char(0x80 | ((c >> 6) & 0x3F));
    b[2] = char(0x80 | (c & 0x3F)); n = 3;
  } else {
    b[0] = char(0xF0 | (c >> 18)); b[1] = char(0x80 | ((c >> 12) & 0x3F));
    b[2] = char(0x80 | ((c >> 6) & 0x3F)); b[3] = char(0x80 | (c & 0x3F)); n = 4;
  }
  out.append(b, n);
}

}  // namespace

bool is_stopword(const char* s, size_t n) {
  if (n > 5) return false;
  for (const char* w : kStopwords)
    if (std::strlen(w) == n && std::memcmp(w, s, n) == 0) return true;
  return false;
}

const char* unicode_version() { return utf8proc_unicode_version(); }

Analyzer::Analyzer(AnalyzerOptions options) : options_(options) {
  if (options_.stemmer == kStemEnglish) {
    stemmer_ = sb_stemmer_new("english", "UTF_8");
    if (!stemmer_) throw std::bad_alloc();
  }
}

Analyzer::~Analyzer() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

// NFKC, then full case folding.  A boundary before an ASCII character is safe
// for NFKC (ASCII characters are starters that compose with nothing before
// them), so only the stretches of non-ASCII characters, each with the ASCII
// character before it, go through utf8proc; ASCII is lowered in place.
void Analyzer::normalize(const char* s, size_t n) {
  norm_.clear();
  const auto* u = reinterpret_cast<const unsigned char*>(s);
  size_t i = 0;
  while (i < n) {
    if (u[i] < 0x80) {
      unsigned char c = u[i++];
      norm_.push_back(char(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    size_t start = i;
    if (start > 0 && u[start - 1] < 0x80) {
      --start;
      norm_.pop_back();
    }
    size_t end = i;
    while (end < n && u[end] >= 0x80) ++end;
    i = end;
    const auto opts = utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE);
    if (cps_.size() < 4 * (end - start) + 16) cps_.resize(4 * (end - start) + 16);
    utf8proc_ssize_t len;
    for (;;) {
      len = utf8proc_decompose(u + start, utf8proc_ssize_t(end - start), cps_.data(),
                               utf8proc_ssize_t(cps_.size()), opts);
      if (len < 0) throw Error(HOTPATH_EINTERNAL, "Unicode normalization failed: %s",
                               utf8proc_errmsg(len));
      if (size_t(len) <= cps_.size()) break;
      cps_.resize(size_t(len));
    }
    len = utf8proc_normalize_utf32(cps_.data(), len, opts);
    if (len < 0) throw Error(HOTPATH_EINTERNAL, "Unicode normalization failed: %s",
                             utf8proc_errmsg(len));
    for (utf8proc_ssize_t k = 0; k < len; ++k) {
      utf8proc_int32_t fold[8];
      int last = 0;
      utf8proc_ssize_t m = utf8proc_decompose_char(cps_[size_t(k)], fold, 8,
                                                   UTF8PROC_CASEFOLD, &last);
      if (m < 0 || m > 8) throw Error(HOTPATH_EINTERNAL, "case folding failed");
      for (utf8proc_ssize_t j = 0; j < m; ++j) put_cp(norm_, uint32_t(fold[j]));
    }
  }
}

void Analyzer::emit(const char* tok, size_t len, uint32_t position) {
  if (options_.stopwords && is_stopword(tok, len)) return;
  if (stemmer_) {
    const sb_symbol* st = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(tok),
                                          int(len));
    if (!st) throw std::bad_alloc();
    tok = reinterpret_cast<const char*>(st);
    len = size_t(sb_stemmer_length(stemmer_));
  }
  uint32_t b = uint32_t(out_.size());
  out_.append(tok, len);
  tokens_.push_back(Token{b, uint32_t(out_.size()), position});
}

uint32_t Analyzer::analyze(const char* s, size_t n, uint32_t first_position) {
  out_.clear();
  tokens_.clear();
  const auto* u = reinterpret_cast<const unsigned char*>(s);
  bool ascii = true;
  for (size_t i = 0; i < n; ++i) ascii &= u[i] < 0x80;
  uint32_t pos = first_position;
  if (ascii) {
    char buf[256];
    std::string big;
    size_t i = 0;
    while (i < n) {
      while (i < n && !ascii_alnum(u[i])) ++i;
      size_t b = i;
      while (i < n && ascii_alnum(u[i])) ++i;
      if (i == b) break;
      size_t len = i - b;
      char* dst = buf;
      if (len > sizeof buf) {
        big.resize(len);
        dst = &big[0];
      }
      for (size_t k = 0; k < len; ++k) {
        unsigned char c = u[b + k];
        dst[k] = char(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      emit(dst, len, pos++);
    }
    return pos - first_position;
  }
  normalize(s, n);
  const auto* p = reinterpret_cast<const unsigned char*>(norm_.data());
  const auto* e = p + norm_.size();
  const unsigned char* run = nullptr;
  while (p < e) {
    const unsigned char* at = p;
    uint32_t c = next_cp(p);
    bool tok = c < 0x80 ? ascii_alnum(static_cast<unsigned char>(c)) : is_token_cp(c);
    if (tok && c >= 0x3040 && is_ideograph(c)) {
      if (run) emit(reinterpret_cast<const char*>(run), size_t(at - run), pos++);
      run = nullptr;
      emit(reinterpret_cast<const char*>(at), size_t(p - at), pos++);
    } else if (tok) {
      if (!run) run = at;
    } else if (run) {
      emit(reinterpret_cast<const char*>(run), size_t(at - run), pos++);
      run = nullptr;
    }
  }
  if (run) emit(reinterpret_cast<const char*>(run), size_t(e - run), pos++);
  return pos - first_position;
}

}  // namespace search
}  // namespace hotpath
