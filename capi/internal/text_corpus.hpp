// The opaque C handle behind hotpath_text_corpus_t, shared by the C API files
// of the modules that read a corpus (text, consensus, memory).
#pragma once

#include <memory>
#include <mutex>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hotpath/text.h"
#include "text/text.hpp"

namespace hotpath {

// Views other modules derive from a corpus once and keep with it (consensus
// keeps its phrase words here).  Each module owns its view type; the handle
// only stores one view per type, built on first use and shared by threads.
class DerivedViews {
 public:
  template <class View, class Make>
  const View& get(Make&& make) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = views_[std::type_index(typeid(View))];
    if (!slot) slot = std::shared_ptr<const void>(make());
    return *static_cast<const View*>(slot.get());
  }

 private:
  mutable std::mutex mu_;
  mutable std::unordered_map<std::type_index, std::shared_ptr<const void>> views_;
};

}  // namespace hotpath

struct hotpath_text_corpus {
  hotpath::text::Corpus corpus;
  hotpath::DerivedViews views;
  hotpath_text_corpus(const char* data, const size_t* offsets, size_t n, uint32_t flags)
      : corpus(data, offsets, n, flags) {}
  hotpath_text_corpus(const char* data, std::vector<size_t>&& starts, size_t n, uint32_t flags,
                      bool borrow)
      : corpus(data, std::move(starts), n, flags, borrow) {}
};
