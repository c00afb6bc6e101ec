#include "search/index.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "common/error.hpp"
#include "common/output_file.hpp"
#include "common/read_fd.hpp"
#include "search/format.hpp"

namespace hotpath {
namespace search {

namespace {

constexpr char kManifestMagic[8] = {'H', 'P', 'S', 'R', 'C', 'H', 'M', '1'};
constexpr uint32_t kManifestVersion = 1;
constexpr size_t kMaxSegments = 8;

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

void make_folders(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw Error::io(ENOTDIR, path.c_str(), "cannot open index '%s': not a folder", path.c_str());
    return;
  }
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) make_folders(path.substr(0, slash));
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
    int e = errno;
    throw Error::io(e, path.c_str(), "cannot create index folder '%s': %s", path.c_str(),
                    std::strerror(e));
  }
}

struct Mapping {
  void* p = nullptr;
  size_t n = 0;
  ~Mapping() {
    if (p && n) ::munmap(p, n);
  }
};

// The distinct keys (segment field id byte + token) of a document, with its
// field lengths: what its deletion takes from the segment's statistics.
void document_keys(Analyzer& an, const Segment& seg, const StoredDoc& d,
                   std::unordered_set<std::string>& keys, std::vector<uint32_t>& lengths) {
  keys.clear();
  lengths.assign(seg.field_count(), 0);
  auto add = [&](uint32_t field) {
    for (const Token& t : an.tokens()) {
      std::string k(1, char(field));
      k.append(an.tokens_text(), t.begin, t.end - t.begin);
      keys.insert(std::move(k));
    }
  };
  uint32_t span = an.analyze(d.title.data(), d.title.size(), 0);
  uint32_t ntitle = uint32_t(an.tokens().size());
  add(0);
  add(1);
  an.analyze(d.text.data(), d.text.size(), span + kTitleGap);
  lengths[0] = 2 * ntitle + uint32_t(an.tokens().size());
  lengths[1] = ntitle;
  add(0);
  for (const auto& f : d.fields) {
    int fid = seg.field_id(f.first);
    if (fid < 2) seg.corrupt("a stored field is not in the field table");
    an.analyze(f.second.data(), f.second.size(), 0);
    lengths[size_t(fid)] += uint32_t(an.tokens().size());
    add(uint32_t(fid));
  }
}

}  // namespace

uint64_t Snapshot::df(const std::string& field, std::string_view token) const {
  uint64_t total = 0;
  std::string key;
  for (const auto& s : segments) {
    int fid = s.seg->field_id(field);
    if (fid < 0) continue;
    key.assign(1, char(fid));
    key.append(token.data(), token.size());
    int64_t t = s.seg->find(key);
    if (t < 0) continue;
    total += s.seg->df(uint32_t(t));
    if (s.del) {
      auto it = s.del->df.find(key);
      if (it != s.del->df.end()) total -= it->second;
    }
  }
  return total;
}

Index::Index(const std::string& path, int32_t stopwords, int32_t stemmer) : path_(path) {
  if (stemmer > kStemEnglish) throw Error(HOTPATH_EINVAL, "unknown stemmer %d", stemmer);
  options_.stopwords = stopwords > 0;
  options_.stemmer = stemmer > 0 ? stemmer : kStemNone;
  if (!path_.empty()) {
    make_folders(path_);
    AnalyzerOptions given = options_;
    open_folder();
    if ((stopwords >= 0 && given.stopwords != options_.stopwords) ||
        (stemmer >= 0 && given.stemmer != options_.stemmer))
      throw Error(HOTPATH_EINVAL,
                  "index '%s' was created with stopwords=%s, stemmer=%s; it cannot be opened "
                  "with other analyzer options",
                  path_.c_str(), options_.stopwords ? "True" : "False",
                  options_.stemmer ? "'english'" : "None");
  }
  publish_locked();
}

Index::~Index() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Index::open_folder() {
  std::string mpath = join(path_, "MANIFEST");
  int fd = ::open(mpath.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return;  // a new index
    int e = errno;
    throw Error::io(e, mpath.c_str(), "cannot open '%s': %s", mpath.c_str(), std::strerror(e));
  }
  std::string m;
  int err = 0;
  bool ok = read_to_end(fd, m, &err);
  ::close(fd);
  if (!ok)
    throw Error::io(err, mpath.c_str(), "cannot read '%s': %s", mpath.c_str(), std::strerror(err));
  ByteReader r(reinterpret_cast<const uint8_t*>(m.data()), m.size(), mpath.c_str());
  if (m.size() < 12 || std::memcmp(m.data(), kManifestMagic, 8) != 0)
    r.fail("not a hotpath index manifest");
  if (crc32(m.data(), m.size() - 4) != load_u32(reinterpret_cast<const uint8_t*>(m.data()) + m.size() - 4))
    r.fail("manifest checksum mismatch");
  manifest_crc_ = load_u32(reinterpret_cast<const uint8_t*>(m.data()) + m.size() - 4);
  have_manifest_ = true;
  r.bytes(8);
  if (r.u32() != kManifestVersion) r.fail("unknown manifest version");
  uint32_t opts = r.u32();
  if ((opts & ~0xFF01u) || ((opts >> 8) & 0xFF) > kStemEnglish) r.fail("unknown options");
  options_.stopwords = opts & 1;
  options_.stemmer = int32_t((opts >> 8) & 0xFF);
  generation_ = r.u64();
  next_seq_ = r.u64();
  uint32_t nseg = r.u32();
  if (nseg > r.left() / 20) r.fail("bad segment count");
  Analyzer an(options_);
  std::unordered_set<std::string> keys;
  std::vector<uint32_t> lengths;
  for (uint32_t i = 0; i < nseg; ++i) {
    uint32_t nl = r.u32();
    std::string name(reinterpret_cast<const char*>(r.bytes(nl)), nl);
    uint64_t fsize = r.u64();
    uint32_t fcrc = r.u32();
    uint32_t ndel = r.u32();
    if (ndel > r.left() / 4) r.fail("bad deletion count");
    std::vector<uint32_t> dels(ndel);
    for (auto& d : dels) d = r.u32();
    if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
      r.fail("bad segment file name");
    std::string spath = join(path_, name);
    int sfd = ::open(spath.c_str(), O_RDONLY | O_CLOEXEC);
    if (sfd < 0) {
      int e = errno;
      if (e == ENOENT)
        throw Error(HOTPATH_ECORRUPT, "index '%s' is corrupt: segment '%s' is missing",
                    path_.c_str(), name.c_str());
      throw Error::io(e, spath.c_str(), "cannot open '%s': %s", spath.c_str(), std::strerror(e));
    }
    struct stat st;
    if (::fstat(sfd, &st) != 0 || uint64_t(st.st_size) != fsize) {
      ::close(sfd);
      throw Error(HOTPATH_ECORRUPT, "index file '%s' is corrupt: its size is not the one committed",
                  spath.c_str());
    }
    auto map = std::make_shared<Mapping>();
    if (fsize) {
      void* p = ::mmap(nullptr, size_t(fsize), PROT_READ, MAP_SHARED, sfd, 0);
      if (p == MAP_FAILED) {
        int e = errno;
        ::close(sfd);
        throw Error::io(e, spath.c_str(), "cannot map '%s': %s", spath.c_str(), std::strerror(e));
      }
      map->p = p;
      map->n = size_t(fsize);
    }
    ::close(sfd);
    const auto* bytes = static_cast<const uint8_t*>(map->p);
    if (crc32(bytes, size_t(fsize)) != fcrc)
      throw Error(HOTPATH_ECORRUPT, "index file '%s' is corrupt: checksum mismatch", spath.c_str());
    SegmentRef ref;
    ref.seg = Segment::open(map, bytes, size_t(fsize), spath, options_, false);
    // A documents-only file gets its index written at the next commit.
    ref.file = ref.seg->indexed_here() ? std::string() : name;
    ref.file_crc = fcrc;
    const Segment& seg = *ref.seg;
    if (ndel) {
      auto del = std::make_shared<Deletions>();
      del->bits.assign((seg.doc_count() + 63) / 64, 0);
      del->field_docs.assign(seg.field_count(), 0);
      del->field_len.assign(seg.field_count(), 0);
      uint32_t prev = 0;
      for (size_t k = 0; k < dels.size(); ++k) {
        uint32_t d = dels[k];
        if (d >= seg.doc_count() || (k && d <= prev)) r.fail("bad deleted document number");
        prev = d;
        del->bits[d >> 6] |= uint64_t(1) << (d & 63);
        ++del->count;
        StoredDoc sd = seg.stored(d);
        document_keys(an, seg, sd, keys, lengths);
        for (const auto& k2 : keys) ++del->df[k2];
        for (size_t f = 0; f < lengths.size(); ++f) {
          del->field_docs[f] += lengths[f] > 0;
          del->field_len[f] += lengths[f];
        }
      }
      ref.del = del;
    }
    segments_.push_back(std::move(ref));
  }
  if (r.left() != 4) r.fail("bytes after the segment list");
  rebuild_ids_locked();
}

void Index::rebuild_ids_locked() {
  ids_.clear();
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentRef& ref = segments_[s];
    for (uint32_t d = 0; d < ref.seg->doc_count(); ++d) {
      if (ref.del && ref.del->has(d)) continue;
      std::string id(ref.seg->doc_id(d));
      auto ins = ids_.emplace(std::move(id), Loc{s, d});
      if (!ins.second)
        throw Error(HOTPATH_ECORRUPT, "index '%s' is corrupt: a document id appears twice",
                    path_.c_str());
    }
  }
  for (uint32_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].seq != UINT64_MAX) ids_[pending_[i].id] = Loc{kPending, i};
}

void Index::lock_writer() {
  if (path_.empty() || lock_fd_ >= 0) return;
  std::string lpath = join(path_, "LOCK");
  int fd = ::open(lpath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    throw Error::io(e, lpath.c_str(), "cannot open '%s': %s", lpath.c_str(), std::strerror(e));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    ::close(fd);
    throw Error::io(e == EWOULDBLOCK ? EWOULDBLOCK : e, path_.c_str(),
                    "index '%s' is locked by another writer", path_.c_str());
  }
  lock_fd_ = fd;
  // Another writer may have committed since this index was opened: changes
  // start from the state committed now, never from an older one.
  try {
    std::string mpath = join(path_, "MANIFEST");
    std::string m;
    int mfd = ::open(mpath.c_str(), O_RDONLY | O_CLOEXEC);
    bool present = mfd >= 0;
    if (present) {
      int err = 0;
      bool ok = read_to_end(mfd, m, &err);
      ::close(mfd);
      if (!ok) throw Error::io(err, mpath.c_str(), "cannot read '%s': %s", mpath.c_str(), std::strerror(err));
    }
    uint32_t crc = m.size() >= 4 ? load_u32(reinterpret_cast<const uint8_t*>(m.data()) + m.size() - 4) : 0;
    if (present != have_manifest_ || (present && crc != manifest_crc_)) {
      AnalyzerOptions before = options_;
      segments_.clear();
      ids_.clear();
      pending_.clear();
      next_seq_ = generation_ = 0;
      have_manifest_ = false;
      open_folder();
      if (!(before == options_))
        throw Error(HOTPATH_EINVAL, "index '%s' was recreated with other analyzer options",
                    path_.c_str());
      dirty_ = true;
    }
  } catch (...) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw;
  }
}

void Index::add(std::vector<DocIn>& docs, bool replace) {
  std::lock_guard<std::mutex> g(mutex_);
  if (docs.empty()) return;
  lock_writer();
  {
    std::unordered_set<std::string_view> batch;
    for (const auto& d : docs) {
      if (!batch.insert(d.id).second)
        throw Error(HOTPATH_EINVAL, "document id '%.200s' appears twice in the batch",
                    std::string(d.id).c_str());
      if (!replace && ids_.count(std::string(d.id)))
        throw Error(HOTPATH_EINVAL, "document id '%.200s' is already in the index",
                    std::string(d.id).c_str());
      for (const auto& f : d.fields)
        if (f.first.empty() || f.first == "title")
          throw Error(HOTPATH_EINVAL, "bad field name '%.200s'", std::string(f.first).c_str());
    }
    // Field ids are one byte per segment and merges unite segments: the index
    // as a whole holds at most kMaxFields - 2 named fields.
    std::unordered_set<std::string> names;
    for (const auto& ref : segments_)
      for (uint32_t f = 2; f < ref.seg->field_count(); ++f) names.insert(ref.seg->field_name(f));
    for (const auto& d : pending_)
      for (const auto& f : d.fields) names.insert(f.first);
    for (const auto& d : docs)
      for (const auto& f : d.fields) names.emplace(f.first);
    if (names.size() > kMaxFields - 2)
      throw Error(HOTPATH_EINVAL, "the index would hold %zu distinct named fields; at most %u",
                  names.size(), kMaxFields - 2);
  }
  pending_.reserve(pending_.size() + docs.size());
  for (auto& d : docs) {
    std::string id(d.id);
    auto it = ids_.find(id);
    if (it != ids_.end()) {
      delete_locked(it->second);
      ids_.erase(it);
    }
    StoredDoc sd;
    sd.seq = next_seq_++;
    sd.id = id;
    sd.title.assign(d.title.data(), d.title.size());
    sd.text.assign(d.text.data(), d.text.size());
    for (const auto& f : d.fields) sd.fields.emplace_back(std::string(f.first), std::string(f.second));
    ids_.emplace(std::move(id), Loc{kPending, uint32_t(pending_.size())});
    pending_.push_back(std::move(sd));
  }
  changes_ += docs.size();
  dirty_ = true;
}

void Index::delete_locked(const Loc& loc) {
  if (loc.segment == kPending) {
    pending_[loc.doc].seq = UINT64_MAX;  // dropped when sealed
    return;
  }
  SegmentRef& ref = segments_[loc.segment];
  const Segment& seg = *ref.seg;
  auto del = ref.del ? std::make_shared<Deletions>(*ref.del) : std::make_shared<Deletions>();
  if (!ref.del) {
    del->bits.assign((seg.doc_count() + 63) / 64, 0);
    del->field_docs.assign(seg.field_count(), 0);
    del->field_len.assign(seg.field_count(), 0);
  }
  del->bits[loc.doc >> 6] |= uint64_t(1) << (loc.doc & 63);
  ++del->count;
  Analyzer an(options_);
  std::unordered_set<std::string> keys;
  std::vector<uint32_t> lengths;
  document_keys(an, seg, seg.stored(loc.doc), keys, lengths);
  for (const auto& k : keys) ++del->df[k];
  for (size_t f = 0; f < lengths.size(); ++f) {
    del->field_docs[f] += lengths[f] > 0;
    del->field_len[f] += lengths[f];
  }
  ref.del = std::move(del);
}

bool Index::remove(std::string_view id) {
  std::lock_guard<std::mutex> g(mutex_);
  lock_writer();
  auto it = ids_.find(std::string(id));
  if (it == ids_.end()) return false;
  delete_locked(it->second);
  ids_.erase(it);
  ++changes_;
  dirty_ = true;
  return true;
}

void Index::seal_locked() {
  std::vector<DocIn> in;
  for (const auto& d : pending_) {
    if (d.seq == UINT64_MAX) continue;
    DocIn x;
    x.id = d.id;
    x.title = d.title;
    x.text = d.text;
    x.seq = d.seq;
    for (const auto& f : d.fields) x.fields.emplace_back(f.first, f.second);
    in.push_back(std::move(x));
  }
  if (!in.empty()) {
    auto bytes = std::make_shared<std::string>(Segment::build(in, options_));
    SegmentRef ref;
    ref.seg = Segment::open(bytes, reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(),
                            path_.empty() ? std::string("(memory)") : join(path_, "(new segment)"),
                            options_, false);
    uint32_t s = uint32_t(segments_.size());
    for (uint32_t d = 0; d < ref.seg->doc_count(); ++d) ids_[std::string(ref.seg->doc_id(d))] = Loc{s, d};
    segments_.push_back(std::move(ref));
  }
  pending_.clear();
  merge_locked();
}

// Keeps O(log n) segments: the newest two merge while the newer holds at
// least half as many live documents as the older; a segment with more
// deleted than live documents is rebuilt.  A merge re-indexes the live stored
// documents in order, so statistics stay exact and deletions disappear.
void Index::merge_locked() {
  auto rebuild = [&](size_t first, size_t last) {
    std::vector<StoredDoc> docs;
    for (size_t s = first; s < last; ++s) {
      const SegmentRef& ref = segments_[s];
      for (uint32_t d = 0; d < ref.seg->doc_count(); ++d) {
        if (ref.del && ref.del->has(d)) continue;
        docs.push_back(ref.seg->stored(d));
      }
    }
    std::vector<DocIn> in(docs.size());
    for (size_t i = 0; i < docs.size(); ++i) {
      in[i].id = docs[i].id;
      in[i].title = docs[i].title;
      in[i].text = docs[i].text;
      in[i].seq = docs[i].seq;
      for (const auto& f : docs[i].fields) in[i].fields.emplace_back(f.first, f.second);
    }
    segments_.erase(segments_.begin() + long(first), segments_.begin() + long(last));
    if (!in.empty()) {
      auto bytes = std::make_shared<std::string>(Segment::build(in, options_));
      SegmentRef ref;
      ref.seg = Segment::open(bytes, reinterpret_cast<const uint8_t*>(bytes->data()),
                              bytes->size(), path_.empty() ? "(memory)" : join(path_, "(merged)"),
                              options_, false);
      segments_.insert(segments_.begin() + long(first), std::move(ref));
    }
  };
  bool changed = false;
  for (size_t s = 0; s < segments_.size();) {
    const SegmentRef& ref = segments_[s];
    if (ref.del && 2 * uint64_t(ref.del->count) > ref.seg->doc_count()) {
      rebuild(s, s + 1);
      changed = true;
      continue;  // the same index now holds the rebuilt segment, or the next one
    }
    ++s;
  }
  for (;;) {
    size_t n = segments_.size();
    if (n < 2) break;
    if (2 * uint64_t(segments_[n - 1].live()) >= segments_[n - 2].live()) {
      rebuild(n - 2, n);
    } else if (n > kMaxSegments) {
      // Too many: the adjacent pair with the fewest live documents.
      size_t best = 0;
      for (size_t i = 1; i + 1 < n; ++i)
        if (uint64_t(segments_[i].live()) + segments_[i + 1].live() <
            uint64_t(segments_[best].live()) + segments_[best + 1].live())
          best = i;
      rebuild(best, best + 2);
    } else {
      break;
    }
    changed = true;
  }
  if (changed) rebuild_ids_locked();
}

void Index::publish_locked() {
  auto snap = std::make_shared<Snapshot>();
  snap->segments = segments_;
  for (const auto& ref : segments_) {
    const Segment& seg = *ref.seg;
    for (uint32_t f = 0; f < seg.field_count(); ++f) {
      FieldStats& fs = snap->fields[seg.field_name(f)];
      fs.docs += seg.field_docs(f) - (ref.del ? ref.del->field_docs[f] : 0);
      fs.len += seg.field_len_sum(f) - (ref.del ? ref.del->field_len[f] : 0);
    }
    snap->live += ref.live();
  }
  std::lock_guard<std::mutex> g(snap_mutex_);
  snap_ = std::move(snap);
  dirty_ = false;
}

std::shared_ptr<const Snapshot> Index::snapshot() {
  // Waits for a writer's current change: a query sees every change made before
  // it began (in any thread), then reads without holding the lock.
  std::lock_guard<std::mutex> g(mutex_);
  if (!pending_.empty()) seal_locked();
  if (dirty_) publish_locked();
  std::lock_guard<std::mutex> s(snap_mutex_);
  return snap_;
}

std::shared_ptr<const Snapshot> Index::locate(std::string_view id, bool* found,
                                              uint32_t* segment, uint32_t* doc) {
  std::lock_guard<std::mutex> g(mutex_);
  if (!pending_.empty()) seal_locked();
  if (dirty_) publish_locked();
  // After the publish the snapshot's segments are the writer's, in order.
  auto it = ids_.find(std::string(id));
  *found = it != ids_.end() && it->second.segment != kPending;
  if (*found) {
    *segment = it->second.segment;
    *doc = it->second.doc;
  }
  std::lock_guard<std::mutex> s(snap_mutex_);
  return snap_;
}

bool Index::contains(std::string_view id) {
  std::lock_guard<std::mutex> g(mutex_);
  return ids_.count(std::string(id)) != 0;
}

uint64_t Index::size() {
  std::lock_guard<std::mutex> g(mutex_);
  return ids_.size();
}

uint64_t Index::pending_changes() {
  std::lock_guard<std::mutex> g(mutex_);
  return changes_;
}

uint64_t Index::committed_segments() {
  std::lock_guard<std::mutex> g(mutex_);
  uint64_t n = 0;
  for (const auto& s : segments_) n += !s.file.empty();
  return n;
}

uint64_t Index::committed_bytes() {
  std::lock_guard<std::mutex> g(mutex_);
  uint64_t n = 0;
  for (const auto& s : segments_)
    if (!s.file.empty()) n += s.seg->size_bytes();
  return n;
}

std::string Index::write_segment_locked(SegmentRef& ref) {
  // A fresh name: not one of the segments (another writer of the format may
  // count generations differently) and no file of the folder.
  char name[32];
  std::string dst;
  for (;;) {
    std::snprintf(name, sizeof name, "seg-%016llx.hps", static_cast<unsigned long long>(generation_));
    ++generation_;
    bool used = false;
    for (const auto& s : segments_) used |= s.file == name;
    dst = join(path_, name);
    struct stat st;
    if (!used && ::lstat(dst.c_str(), &st) != 0) break;
  }
  OutputFile out(dst.c_str(), 0644, true);
  out.write(ref.seg->bytes(), ref.seg->size_bytes());
  out.commit();
  ref.file = name;
  ref.file_crc = crc32(ref.seg->bytes(), ref.seg->size_bytes());
  return name;
}

void Index::write_manifest_locked() {
  std::string m(kManifestMagic, 8);
  put_u32(m, kManifestVersion);
  put_u32(m, (options_.stopwords ? 1u : 0u) | (uint32_t(options_.stemmer) << 8));
  put_u64(m, generation_);
  put_u64(m, next_seq_);
  put_u32(m, uint32_t(segments_.size()));
  for (const auto& ref : segments_) {
    put_u32(m, uint32_t(ref.file.size()));
    m += ref.file;
    put_u64(m, ref.seg->size_bytes());
    put_u32(m, ref.file_crc);
    put_u32(m, ref.del ? ref.del->count : 0);
    if (ref.del)
      for (uint32_t d = 0; d < ref.seg->doc_count(); ++d)
        if (ref.del->has(d)) put_u32(m, d);
  }
  put_u32(m, crc32(m.data(), m.size()));
  manifest_crc_ = crc32(m.data(), m.size() - 4);
  std::string dst = join(path_, "MANIFEST");
  OutputFile out(dst.c_str(), 0644, true);
  out.write(reinterpret_cast<const uint8_t*>(m.data()), m.size());
  out.commit();
}

void Index::commit() {
  std::lock_guard<std::mutex> g(mutex_);
  if (!pending_.empty()) seal_locked();
  if (dirty_) publish_locked();
  if (path_.empty()) {
    changes_ = 0;
    return;
  }
  std::string mpath = join(path_, "MANIFEST");
  struct stat st;
  bool have_manifest = ::stat(mpath.c_str(), &st) == 0;
  if (changes_ == 0 && have_manifest) {
    bool all_on_disk = true;
    for (const auto& s : segments_) all_on_disk &= !s.file.empty();
    if (all_on_disk) return;
  }
  lock_writer();
  for (auto& ref : segments_)
    if (ref.file.empty()) write_segment_locked(ref);
  write_manifest_locked();
  have_manifest_ = true;
  changes_ = 0;
  // Files no manifest names: merged-away segments, leftovers of a crash.
  std::unordered_set<std::string> keep;
  for (const auto& ref : segments_) keep.insert(ref.file);
  if (DIR* dir = ::opendir(path_.c_str())) {
    std::vector<std::string> drop;
    while (struct dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      bool seg = n.size() == 24 && n.compare(0, 4, "seg-") == 0 && n.compare(20, 4, ".hps") == 0;
      if (seg && !keep.count(n)) drop.push_back(n);
    }
    ::closedir(dir);
    for (const auto& n : drop) ::unlink(join(path_, n).c_str());
  }
}

}  // namespace search
}  // namespace hotpath
