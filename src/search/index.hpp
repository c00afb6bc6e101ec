// An index: committed segments, the documents added since, per-segment
// deletions with their exact statistics, snapshots for readers, and the
// folder it is committed to (docs/search.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/analyzer.hpp"
#include "search/segment.hpp"

namespace hotpath {
namespace search {

// The deletions of one segment and what they take away from its statistics.
struct Deletions {
  std::vector<uint64_t> bits;                     // one bit per document
  uint32_t count = 0;
  std::unordered_map<std::string, uint32_t> df;   // key -> deleted documents holding it
  std::vector<uint64_t> field_docs, field_len;    // per field of the segment
  bool has(uint32_t d) const { return count && (bits[d >> 6] >> (d & 63)) & 1; }
};

struct SegmentRef {
  std::shared_ptr<const Segment> seg;
  std::shared_ptr<const Deletions> del;  // null when none
  std::string file;                      // committed file name, "" when not on disk
  uint32_t file_crc = 0;
  uint32_t live() const { return seg->doc_count() - (del ? del->count : 0); }
};

struct FieldStats {
  uint64_t docs = 0, len = 0;
};

// What readers search: immutable once published.
struct Snapshot {
  std::vector<SegmentRef> segments;
  std::unordered_map<std::string, FieldStats> fields;  // by name; "" is the default field
  uint64_t live = 0;
  // Global live document frequency of a key in the field `field` (by name).
  uint64_t df(const std::string& field, std::string_view token) const;
};

struct Hit {
  double score;
  uint64_t seq;
  uint32_t segment, doc;
};

struct QueryOptions {
  uint64_t limit = 10, offset = 0;
  bool mode_and = false;
  uint32_t fuzzy = 0;
  bool prefix = false;
};

// Per-thread scratch of queries; reused so that a warm query allocates
// nothing per hit.
struct QueryScratch;

class Index {
 public:
  // path empty: in memory.  stopwords/stemmer < 0: as stored (or the
  // defaults for a new index); otherwise they must agree with a stored index.
  Index(const std::string& path, int32_t stopwords, int32_t stemmer);
  ~Index();

  // Adds (replace false: an existing id is HOTPATH_EINVAL and nothing is
  // added) or replaces documents.  Ids within docs must be distinct.
  void add(std::vector<DocIn>& docs, bool replace);
  bool remove(std::string_view id);
  void commit();
  std::shared_ptr<const Snapshot> snapshot();  // seals pending documents first

  bool contains(std::string_view id);
  // The current snapshot and where document id lies in it (found false when
  // it is absent), taken together so that they agree.
  std::shared_ptr<const Snapshot> locate(std::string_view id, bool* found, uint32_t* segment,
                                         uint32_t* doc);
  uint64_t size();
  uint64_t pending_changes();
  const AnalyzerOptions& options() const { return options_; }
  const std::string& path() const { return path_; }
  uint64_t committed_segments();
  uint64_t committed_bytes();

 private:
  struct Loc {
    uint32_t segment;  // index into writer_.segments, or kPending
    uint32_t doc;
  };
  static constexpr uint32_t kPending = 0xFFFFFFFFu;

  void open_folder();
  void lock_writer();
  void seal_locked();
  void publish_locked();
  void merge_locked();
  void delete_locked(const Loc& loc);
  std::string write_segment_locked(SegmentRef& ref);
  void write_manifest_locked();
  void rebuild_ids_locked();

  std::string path_;
  AnalyzerOptions options_;
  std::mutex mutex_;                        // the writer's state
  std::vector<SegmentRef> segments_;        // sealed segments (deletions copied on write)
  std::vector<std::unique_ptr<std::string>> pending_store_;
  std::vector<StoredDoc> pending_;          // added, not yet sealed
  std::unordered_map<std::string, Loc> ids_;
  uint64_t next_seq_ = 0;
  uint64_t generation_ = 0;
  uint64_t changes_ = 0;                    // since the last commit
  bool dirty_ = false;                      // snapshot out of date
  int lock_fd_ = -1;
  uint32_t manifest_crc_ = 0;                // of the MANIFEST this state comes from
  bool have_manifest_ = false;
  std::shared_ptr<const Snapshot> snap_;
  std::mutex snap_mutex_;
};

// Runs a query over a snapshot into hits (best first, offset applied).
void run_query(const Snapshot& snap, const AnalyzerOptions& options, std::string_view query,
               const QueryOptions& qo, QueryScratch& scratch, std::vector<Hit>& hits);

QueryScratch* new_query_scratch();
void delete_query_scratch(QueryScratch* s);

// The clauses of a query, for tests: one line per clause.
std::string describe_query(const Snapshot& snap, const AnalyzerOptions& options,
                           std::string_view query);

}  // namespace search
}  // namespace hotpath
