// A hotpath_text_corpus_t built from std::strings, destroyed with the object
// (shared by the text and consensus tests).
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hotpath/text.h"

struct TestCorpus {
  hotpath_text_corpus_t* handle = nullptr;
  explicit TestCorpus(const std::vector<std::string>& texts, uint32_t flags = 0) {
    std::string data;
    std::vector<size_t> offsets{0};
    for (const auto& t : texts) {
      data += t;
      offsets.push_back(data.size());
    }
    REQUIRE(hotpath_text_corpus_create(data.data(), offsets.data(), texts.size(), flags,
                                       &handle) == HOTPATH_OK);
  }
  ~TestCorpus() { hotpath_text_corpus_destroy(handle); }
  TestCorpus(const TestCorpus&) = delete;
  TestCorpus& operator=(const TestCorpus&) = delete;
};
