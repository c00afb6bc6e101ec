// The opaque C handle behind hotpath_text_corpus_t, shared by the C API files
// of the modules that read a corpus (text, consensus).
#pragma once

#include "hotpath/text.h"
#include "text/text.hpp"

struct hotpath_text_corpus {
  hotpath::text::Corpus corpus;
  hotpath_text_corpus(const char* data, const size_t* offsets, size_t n, uint32_t flags)
      : corpus(data, offsets, n, flags) {}
};

namespace hotpath {
// Checks shared by the C API files that take text.
void require_utf8(const char* text, size_t len, const char* name);
}  // namespace hotpath
