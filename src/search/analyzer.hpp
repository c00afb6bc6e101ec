// The analyzer of the search module (docs/search.md, "The analyzer"): NFKC,
// full case folding, tokens of letters, marks and digits (one token per
// ideograph), optional English stop words and Snowball English stems.  The
// same code analyzes documents and queries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

struct sb_stemmer;

namespace hotpath {
namespace search {

enum Stemmer : int32_t { kStemNone = 0, kStemEnglish = 1 };

struct AnalyzerOptions {
  bool stopwords = false;
  int32_t stemmer = kStemNone;
  bool operator==(const AnalyzerOptions& o) const {
    return stopwords == o.stopwords && stemmer == o.stemmer;
  }
};

// One token: bytes [begin, end) of Analyzer::tokens_text(), its position.
struct Token {
  uint32_t begin, end, position;
};

// Reusable scratch; one per thread (the stemmer is not thread-safe).
class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Analyzes valid UTF-8 s[0, n).  Positions start at first_position.
  // Returns the number of positions taken (tokens before stop-word removal).
  uint32_t analyze(const char* s, size_t n, uint32_t first_position = 0);
  const std::vector<Token>& tokens() const { return tokens_; }
  const std::string& tokens_text() const { return out_; }
  const AnalyzerOptions& options() const { return options_; }

 private:
  void normalize(const char* s, size_t n);
  void emit(const char* tok, size_t len, uint32_t position);

  AnalyzerOptions options_;
  sb_stemmer* stemmer_ = nullptr;
  std::string norm_;              // the NFKC + case-folded text
  std::vector<int32_t> cps_;      // utf8proc scratch
  std::string out_;               // token bytes
  std::vector<Token> tokens_;
};

bool is_stopword(const char* s, size_t n);

// The Unicode version of the tables (utf8proc's).
const char* unicode_version();

}  // namespace search
}  // namespace hotpath
