// One immutable segment of an index: stored documents, the document table
// (sequence numbers, ids, field lengths) and the inverted index (a sorted
// term dictionary and posting blocks of up to 128 documents with their
// largest term frequency and smallest field length).  The same bytes are
// kept in memory or memory-mapped from a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "search/analyzer.hpp"

namespace hotpath {
namespace search {

constexpr uint32_t kBlock = 128;        // postings per block
constexpr uint32_t kStoredBlock = 64;   // documents per stored (zlib) block
constexpr uint32_t kTitleGap = 1000;    // positions between title and text
constexpr uint32_t kMaxFields = 250;    // field ids are one byte

enum SectionKind : uint32_t {
  kSecDocs = 1, kSecTable = 2, kSecFields = 3, kSecDict = 4, kSecPostings = 5
};

struct DocIn {
  std::string_view id, title, text;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  uint64_t seq = 0;
};

// A stored document, decoded.
struct StoredDoc {
  uint64_t seq = 0;
  std::string id, title, text;
  std::vector<std::pair<std::string, std::string>> fields;
};

// max_f bounds tf / (tf + k1 * (1 - b + b * dl / A)) over the block's postings,
// A being the segment's own mean field length (a float rounded up).  At query
// time, with the index's mean length A', a posting's value is at most
// max_f * max(1, A' / A): a block bound that stays valid as the index grows.
struct BlockHeader {
  uint32_t last_doc, doc_off, pos_off, max_tf, min_dl;
  float max_f;
};
constexpr size_t kBlockHeader = 24;
constexpr double kK1 = 1.2, kB = 0.75;

class Segment {
 public:
  // Parses and checks bytes[0, size) (kept alive by `owner`); `name` names
  // the file in errors.  A segment with only the documents section is
  // indexed here, in memory.
  static std::shared_ptr<const Segment> open(std::shared_ptr<const void> owner,
                                             const uint8_t* bytes, size_t size,
                                             const std::string& name,
                                             const AnalyzerOptions& options,
                                             bool verify_checksums = true);
  // Builds a segment of docs (in order; their seq set) as file bytes.
  static std::string build(const std::vector<DocIn>& docs, const AnalyzerOptions& options);

  uint32_t doc_count() const { return doc_count_; }
  uint64_t seq(uint32_t d) const { return load(seqs_ + 8 * size_t(d)); }
  std::string_view doc_id(uint32_t d) const;
  uint32_t field_count() const { return uint32_t(field_names_.size()); }
  const std::string& field_name(uint32_t f) const { return field_names_[f]; }
  int field_id(std::string_view name) const;  // -1 when absent
  uint32_t length(uint32_t f, uint32_t d) const {
    return load32(lengths_ + 4 * (size_t(f) * doc_count_ + d));
  }
  uint32_t title_span(uint32_t d) const { return load32(title_span_ + 4 * size_t(d)); }
  uint64_t field_docs(uint32_t f) const { return field_docs_[f]; }
  uint64_t field_len_sum(uint32_t f) const { return field_len_sum_[f]; }
  // The mean length of field f over this segment's documents that have it
  // (deleted ones included), the A of BlockHeader::max_f.
  double mean_length(uint32_t f) const {
    return field_docs_[f] ? double(field_len_sum_[f]) / double(field_docs_[f]) : 1.0;
  }

  uint32_t term_count() const { return term_count_; }
  std::string_view key(uint32_t t) const;
  // The term index of key, or -1.
  int64_t find(std::string_view key) const;
  // First term index whose key is >= key.
  uint32_t lower_bound(std::string_view key) const;
  uint32_t df(uint32_t t) const { return load32(dfs_ + 4 * size_t(t)); }
  // The posting data of term t: [begin, end) of the postings section.
  void term_data(uint32_t t, const uint8_t** begin, const uint8_t** end) const;

  StoredDoc stored(uint32_t d) const;
  size_t size_bytes() const { return size_; }
  // True when the file held documents only and the index was built here.
  bool indexed_here() const { return !built_.empty(); }
  const uint8_t* bytes() const { return bytes_; }
  const std::string& name() const { return name_; }
  [[noreturn]] void corrupt(const char* why) const;

 private:
  static uint64_t load(const uint8_t* p);
  static uint32_t load32(const uint8_t* p);
  void parse(bool verify);
  void parse_table(const uint8_t* p, size_t n);
  void parse_dict(const uint8_t* p, size_t n);
  void read_stored_block(uint32_t b, std::string& out) const;

  std::shared_ptr<const void> owner_;
  std::string built_;  // bytes made here for a documents-only segment
  const uint8_t* bytes_ = nullptr;
  size_t size_ = 0;
  std::string name_;
  AnalyzerOptions options_;

  const uint8_t* docs_ = nullptr;  // documents section
  size_t docs_len_ = 0;
  uint32_t stored_blocks_ = 0;
  uint32_t doc_count_ = 0;
  const uint8_t* seqs_ = nullptr;
  const uint8_t* id_offsets_ = nullptr;
  const uint8_t* ids_ = nullptr;
  size_t ids_len_ = 0;
  const uint8_t* title_span_ = nullptr;
  const uint8_t* lengths_ = nullptr;
  std::vector<std::string> field_names_;
  std::vector<uint64_t> field_docs_, field_len_sum_;
  uint32_t term_count_ = 0;
  const uint8_t* key_offsets_ = nullptr;
  const uint8_t* keys_ = nullptr;
  size_t keys_len_ = 0;
  const uint8_t* data_offsets_ = nullptr;
  const uint8_t* dfs_ = nullptr;
  const uint8_t* postings_ = nullptr;
  size_t postings_len_ = 0;
};

// Decodes stored-document records of one block.
void decode_stored_records(const std::string& raw, uint32_t count, std::vector<StoredDoc>& out,
                           const Segment& seg);

}  // namespace search
}  // namespace hotpath
