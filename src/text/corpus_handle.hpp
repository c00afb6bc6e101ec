// The opaque C handle behind hotpath_text_corpus_t, shared by the C API files
// of the modules that read a corpus (text, consensus).
#pragma once

#include <memory>
#include <mutex>

#include "hotpath/text.h"
#include "text/text.hpp"

namespace hotpath {
namespace consensus {
struct PhraseWords;
}
}  // namespace hotpath

struct hotpath_text_corpus {
  hotpath::text::Corpus corpus;
  // The consensus module's view of the words, derived on its first use.
  mutable std::once_flag phrase_once;
  mutable std::shared_ptr<const hotpath::consensus::PhraseWords> phrase_words;
  hotpath_text_corpus(const char* data, const size_t* offsets, size_t n, uint32_t flags)
      : corpus(data, offsets, n, flags) {}
};

namespace hotpath {
// Checks shared by the C API files that take text.
void require_utf8(const char* text, size_t len, const char* name);
}  // namespace hotpath
