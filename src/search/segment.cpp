#include "search/segment.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <unordered_map>

#include "common/error.hpp"
#include "common/thread_pool.hpp"
#include "search/format.hpp"

namespace hotpath {
namespace search {

namespace {

constexpr char kSegMagic[8] = {'H', 'P', 'S', 'R', 'C', 'H', 'S', '1'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kChunk = 512;  // documents per build task (a multiple of kStoredBlock)

struct Ent {
  uint32_t term, doc, tf, npos, pos_at;
};

struct Chunk {
  std::unordered_map<std::string, uint32_t> dict;
  std::vector<const std::string*> keys;  // local id -> key (map nodes are stable)
  std::vector<Ent> ents;
  std::vector<uint32_t> pos;
  std::vector<uint32_t> lengths;  // field-major within the chunk
  std::vector<uint32_t> title_span;
  std::string stored;
  std::vector<uint64_t> block_sizes;
  std::vector<uint32_t> remap;
};

struct Occ {
  uint32_t term, pos, weight;
};

void append_record(std::string& s, const DocIn& d) {
  put_u64(s, d.seq);
  put_u32(s, uint32_t(d.id.size()));
  s.append(d.id.data(), d.id.size());
  put_u32(s, uint32_t(d.title.size()));
  s.append(d.title.data(), d.title.size());
  put_u32(s, uint32_t(d.text.size()));
  s.append(d.text.data(), d.text.size());
  put_u32(s, uint32_t(d.fields.size()));
  for (const auto& f : d.fields) {
    put_u32(s, uint32_t(f.first.size()));
    s.append(f.first.data(), f.first.size());
    put_u32(s, uint32_t(f.second.size()));
    s.append(f.second.data(), f.second.size());
  }
}

void zlib_compress(const std::string& raw, std::string& out) {
  uLongf cap = compressBound(uLong(raw.size()));
  size_t at = out.size();
  out.resize(at + cap);
  int rc = compress2(reinterpret_cast<Bytef*>(&out[at]), &cap,
                     reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()), 1);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw Error(HOTPATH_EINTERNAL, "zlib compress2 failed (%d)", rc);
  out.resize(at + cap);
}

void build_chunk(const std::vector<DocIn>& docs, size_t first, size_t last,
                 const std::unordered_map<std::string_view, uint32_t>& field_ids,
                 uint32_t nfields, const AnalyzerOptions& options, Chunk& c) {
  Analyzer an(options);
  const size_t n = last - first;
  c.lengths.assign(size_t(nfields) * n, 0);
  c.title_span.assign(n, 0);
  std::vector<Occ> occ;
  std::string key;
  auto term_of = [&](uint32_t field, const std::string& text, const Token& t) {
    key.assign(1, char(field));
    key.append(text, t.begin, t.end - t.begin);
    auto it = c.dict.find(key);
    if (it != c.dict.end()) return it->second;
    uint32_t id = uint32_t(c.keys.size());
    auto ins = c.dict.emplace(key, id);
    c.keys.push_back(&ins.first->first);
    return id;
  };
  for (size_t i = 0; i < n; ++i) {
    const DocIn& d = docs[first + i];
    occ.clear();
    uint32_t span = an.analyze(d.title.data(), d.title.size(), 0);
    c.title_span[i] = span;
    uint32_t ntitle = uint32_t(an.tokens().size());
    for (const Token& t : an.tokens()) {
      occ.push_back(Occ{term_of(0, an.tokens_text(), t), t.position, 2});
      occ.push_back(Occ{term_of(1, an.tokens_text(), t), t.position, 1});
    }
    an.analyze(d.text.data(), d.text.size(), span + kTitleGap);
    uint32_t ntext = uint32_t(an.tokens().size());
    for (const Token& t : an.tokens())
      occ.push_back(Occ{term_of(0, an.tokens_text(), t), t.position, 1});
    c.lengths[0 * n + i] = 2 * ntitle + ntext;
    c.lengths[1 * n + i] = ntitle;
    for (const auto& f : d.fields) {
      uint32_t fid = field_ids.at(f.first);
      an.analyze(f.second.data(), f.second.size(), 0);
      c.lengths[size_t(fid) * n + i] += uint32_t(an.tokens().size());
      for (const Token& t : an.tokens())
        occ.push_back(Occ{term_of(fid, an.tokens_text(), t), t.position, 1});
    }
    std::sort(occ.begin(), occ.end(), [](const Occ& a, const Occ& b) {
      return a.term != b.term ? a.term < b.term : a.pos < b.pos;
    });
    for (size_t k = 0; k < occ.size();) {
      size_t e = k;
      Ent ent{occ[k].term, uint32_t(first + i), 0, 0, uint32_t(c.pos.size())};
      while (e < occ.size() && occ[e].term == occ[k].term) {
        ent.tf += occ[e].weight;
        c.pos.push_back(occ[e].pos);
        ++e;
      }
      ent.npos = uint32_t(e - k);
      c.ents.push_back(ent);
      k = e;
    }
  }
  std::string raw;
  for (size_t b = 0; b < n; b += kStoredBlock) {
    raw.clear();
    for (size_t i = b; i < std::min(n, b + kStoredBlock); ++i) append_record(raw, docs[first + i]);
    size_t before = c.stored.size();
    zlib_compress(raw, c.stored);
    c.block_sizes.push_back(c.stored.size() - before);
  }
}

uint32_t u32_size(size_t n, const char* what) {
  if (n > 0xFFFFFFF0u) throw Error(HOTPATH_EOVERFLOW, "a segment's %s exceed 4 GiB", what);
  return uint32_t(n);
}

}  // namespace

uint32_t crc32(const void* p, size_t n, uint32_t crc) {
  const auto* b = static_cast<const Bytef*>(p);
  while (n) {
    uInt step = uInt(std::min<size_t>(n, 1u << 30));
    crc = uint32_t(::crc32(uLong(crc), b, step));
    b += step;
    n -= step;
  }
  return crc;
}

void ByteReader::fail(const char* why) const {
  throw Error(HOTPATH_ECORRUPT, "index file '%s' is corrupt: %s", what_, why);
}

std::string Segment::build(const std::vector<DocIn>& docs, const AnalyzerOptions& options) {
  const size_t n = docs.size();
  u32_size(n, "documents");
  // Fields: the default field, the title, then the named fields by name.
  std::vector<std::string_view> names;
  {
    std::vector<std::string_view> named;
    for (const auto& d : docs)
      for (const auto& f : d.fields) named.push_back(f.first);
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    names.push_back("");
    names.push_back("title");
    names.insert(names.end(), named.begin(), named.end());
  }
  if (names.size() > kMaxFields)
    throw Error(HOTPATH_EINVAL, "the documents have %zu named fields; at most %u",
                names.size() - 2, kMaxFields - 2);
  std::unordered_map<std::string_view, uint32_t> field_ids;
  for (size_t i = 0; i < names.size(); ++i) field_ids[names[i]] = uint32_t(i);
  const uint32_t nf = uint32_t(names.size());

  const size_t nchunks = (n + kChunk - 1) / kChunk;
  std::vector<Chunk> chunks(nchunks);
  auto work = [&](size_t b, size_t e) {
    for (size_t c = b; c < e; ++c)
      build_chunk(docs, c * kChunk, std::min(n, (c + 1) * kChunk), field_ids, nf, options,
                  chunks[c]);
  };
  ThreadPool::instance().parallel_for(nchunks, 1, work);

  // One dictionary: keys in byte order.
  std::unordered_map<std::string_view, uint32_t> gid;
  std::vector<std::string_view> gkeys;
  for (auto& c : chunks) {
    c.remap.resize(c.keys.size());
    for (size_t l = 0; l < c.keys.size(); ++l) {
      std::string_view k(*c.keys[l]);
      auto it = gid.find(k);
      if (it == gid.end()) {
        it = gid.emplace(k, uint32_t(gkeys.size())).first;
        gkeys.push_back(k);
      }
      c.remap[l] = it->second;
    }
  }
  const size_t nterms = gkeys.size();
  std::vector<uint32_t> order(nterms);
  for (size_t i = 0; i < nterms; ++i) order[i] = uint32_t(i);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return gkeys[a] < gkeys[b]; });
  std::vector<uint32_t> rank(nterms);
  for (size_t i = 0; i < nterms; ++i) rank[order[i]] = uint32_t(i);
  for (auto& c : chunks)
    for (auto& r : c.remap) r = rank[r];
  std::vector<uint64_t> start(nterms + 1, 0);
  for (auto& c : chunks)
    for (const Ent& e : c.ents) ++start[c.remap[e.term] + 1];
  for (size_t t = 0; t < nterms; ++t) start[t + 1] += start[t];
  std::vector<uint64_t> refs(start[nterms]);
  {
    std::vector<uint64_t> fill(start.begin(), start.end() - 1);
    for (size_t ci = 0; ci < nchunks; ++ci) {
      const Chunk& c = chunks[ci];
      for (size_t k = 0; k < c.ents.size(); ++k)
        refs[fill[c.remap[c.ents[k].term]]++] = (uint64_t(ci) << 32) | k;
    }
  }
  // Field lengths of every document, field-major.
  std::vector<uint32_t> lengths(size_t(nf) * n, 0), title_span(n, 0);
  for (size_t ci = 0; ci < nchunks; ++ci) {
    const Chunk& c = chunks[ci];
    size_t first = ci * kChunk, m = c.title_span.size();
    for (size_t f = 0; f < nf; ++f)
      std::memcpy(&lengths[f * n + first], &c.lengths[f * m], m * 4);
    std::memcpy(&title_span[first], c.title_span.data(), m * 4);
  }

  // Each field's mean length in this segment (the A of BlockHeader::max_f),
  // computed as Segment::mean_length computes it from the table.
  std::vector<double> mean_len(nf, 1.0);
  for (size_t f = 0; f < nf; ++f) {
    uint64_t docs_f = 0, sum = 0;
    for (size_t d = 0; d < n; ++d) {
      docs_f += lengths[f * n + d] > 0;
      sum += lengths[f * n + d];
    }
    if (docs_f) mean_len[f] = double(sum) / double(docs_f);
  }
  // Postings: per term [u32 positions start][block headers][docs + tfs][positions],
  // encoded in parallel over ranges of terms holding similar numbers of postings.
  std::vector<uint64_t> data_off(nterms + 1, 0);
  std::vector<uint32_t> dfs(nterms);
  const size_t nparts = std::max<size_t>(1, std::min<size_t>(nterms, 64));
  std::vector<size_t> cut(nparts + 1, nterms);
  cut[0] = 0;
  for (size_t p = 1, t = 0; p < nparts; ++p) {
    uint64_t want = start[nterms] * p / nparts;
    while (t < nterms && start[t] < want) ++t;
    cut[p] = std::max(cut[p - 1], t);
  }
  std::vector<std::string> parts(nparts);
  auto encode = [&](size_t pb, size_t pe) {
    std::string dstream, pstream;
    for (size_t part = pb; part < pe; ++part) {
      std::string& post = parts[part];
      for (size_t t = cut[part]; t < cut[part + 1]; ++t) {
        while (post.size() % 4) post.push_back('\0');
        data_off[t] = post.size();  // relative to the part until joined
        const uint32_t field = uint8_t(gkeys[order[t]][0]);
        const uint64_t b0 = start[t], b1 = start[t + 1];
        const uint32_t df = uint32_t(b1 - b0);
        dfs[t] = df;
        const uint32_t nblocks = (df + kBlock - 1) / kBlock;
        size_t head = post.size();
        post.append(4 + size_t(nblocks) * kBlockHeader, '\0');
        dstream.clear();
        pstream.clear();
        int64_t prev = -1;
        for (uint32_t blk = 0; blk < nblocks; ++blk) {
          BlockHeader h{0, uint32_t(dstream.size()), uint32_t(pstream.size()), 0, 0xFFFFFFFFu, 0.0f};
          const double avg = mean_len[field];
          const uint64_t r1 = std::min(b1, b0 + uint64_t(blk + 1) * kBlock);
          for (uint64_t r = b0 + uint64_t(blk) * kBlock; r < r1; ++r) {
            const Chunk& c = chunks[refs[r] >> 32];
            const Ent& e = c.ents[refs[r] & 0xFFFFFFFFu];
            put_varint(dstream, uint32_t(int64_t(e.doc) - prev - 1));
            put_varint(dstream, e.tf);
            prev = e.doc;
            put_varint(pstream, e.npos);
            uint32_t lastp = 0;
            for (uint32_t k = 0; k < e.npos; ++k) {
              uint32_t p = c.pos[e.pos_at + k];
              put_varint(pstream, p - lastp);
              lastp = p;
            }
            h.last_doc = e.doc;
            h.max_tf = std::max(h.max_tf, e.tf);
            const uint32_t dl = lengths[size_t(field) * n + e.doc];
            h.min_dl = std::min(h.min_dl, dl);
            const double f = double(e.tf) / (double(e.tf) + kK1 * (1 - kB + kB * double(dl) / avg));
            float ff = float(f);
            if (double(ff) < f) ff = std::nextafter(ff, 2.0f);
            h.max_f = std::max(h.max_f, ff);
          }
          size_t at = head + 4 + size_t(blk) * kBlockHeader;
          set_u32(post, at, h.last_doc);
          set_u32(post, at + 4, h.doc_off);
          set_u32(post, at + 8, h.pos_off);
          set_u32(post, at + 12, h.max_tf);
          set_u32(post, at + 16, h.min_dl);
          uint32_t fbits;
          std::memcpy(&fbits, &h.max_f, 4);
          set_u32(post, at + 20, fbits);
        }
        set_u32(post, head, u32_size(4 + size_t(nblocks) * kBlockHeader + dstream.size(), "postings"));
        post += dstream;
        post += pstream;
      }
      while (post.size() % 4) post.push_back('\0');
    }
  };
  ThreadPool::instance().parallel_for(nparts, 1, encode);
  std::string post;
  {
    size_t total = 0;
    for (const auto& p : parts) total += p.size();
    post.reserve(total);
    for (size_t part = 0; part < nparts; ++part) {
      const uint64_t base = post.size();
      for (size_t t = cut[part]; t < cut[part + 1]; ++t) data_off[t] += base;
      post += parts[part];
      std::string().swap(parts[part]);
    }
  }
  data_off[nterms] = post.size();

  // Sections.
  std::vector<std::pair<uint32_t, std::string>> sections;
  {
    std::string s;
    size_t nblocks = 0;
    for (auto& c : chunks) nblocks += c.block_sizes.size();
    put_u32(s, uint32_t(n));
    put_u32(s, uint32_t(nblocks));
    uint64_t off = 8 + 8 * (uint64_t(nblocks) + 1);
    put_u64(s, off);
    for (auto& c : chunks)
      for (uint64_t sz : c.block_sizes) put_u64(s, off += sz);
    for (auto& c : chunks) s += c.stored;
    sections.emplace_back(kSecDocs, std::move(s));
  }
  {
    std::string s;
    put_u32(s, uint32_t(n));
    put_u32(s, nf);
    for (const auto& d : docs) put_u64(s, d.seq);
    uint64_t off = 0;
    put_u32(s, 0);
    for (const auto& d : docs) put_u32(s, u32_size(off += d.id.size(), "document ids"));
    for (const auto& d : docs) s.append(d.id.data(), d.id.size());
    while (s.size() % 4) s.push_back('\0');
    for (uint32_t v : title_span) put_u32(s, v);
    for (uint32_t v : lengths) put_u32(s, v);
    sections.emplace_back(kSecTable, std::move(s));
  }
  {
    std::string s;
    put_u32(s, nf);
    for (auto nm : names) {
      put_u32(s, uint32_t(nm.size()));
      s.append(nm.data(), nm.size());
    }
    sections.emplace_back(kSecFields, std::move(s));
  }
  {
    std::string s;
    put_u32(s, u32_size(nterms, "terms"));
    put_u32(s, 0);
    uint64_t off = 0;
    put_u32(s, 0);
    for (size_t t = 0; t < nterms; ++t) put_u32(s, u32_size(off += gkeys[order[t]].size(), "terms"));
    for (size_t t = 0; t < nterms; ++t) s.append(gkeys[order[t]].data(), gkeys[order[t]].size());
    pad8(s);
    for (uint64_t v : data_off) put_u64(s, v);
    for (uint32_t v : dfs) put_u32(s, v);
    sections.emplace_back(kSecDict, std::move(s));
  }
  sections.emplace_back(kSecPostings, std::move(post));

  std::string out(kSegMagic, 8);
  put_u32(out, kVersion);
  put_u32(out, uint32_t(sections.size()));
  size_t table_at = out.size();
  out.append(sections.size() * 24, '\0');
  put_u32(out, 0);  // header checksum, set below
  pad8(out);
  size_t header_end = table_at + sections.size() * 24;
  for (size_t i = 0; i < sections.size(); ++i) {
    pad8(out);
    const std::string& body = sections[i].second;
    size_t at = table_at + 24 * i;
    set_u32(out, at, sections[i].first);
    set_u32(out, at + 4, crc32(body.data(), body.size()));
    set_u64(out, at + 8, out.size());
    set_u64(out, at + 16, body.size());
    out += body;
  }
  set_u32(out, header_end, crc32(out.data(), header_end));
  return out;
}

uint64_t Segment::load(const uint8_t* p) { return load_u64(p); }
uint32_t Segment::load32(const uint8_t* p) { return load_u32(p); }

void Segment::corrupt(const char* why) const {
  throw Error(HOTPATH_ECORRUPT, "index file '%s' is corrupt: %s", name_.c_str(), why);
}

std::shared_ptr<const Segment> Segment::open(std::shared_ptr<const void> owner,
                                             const uint8_t* bytes, size_t size,
                                             const std::string& name,
                                             const AnalyzerOptions& options, bool verify) {
  auto seg = std::make_shared<Segment>();
  seg->owner_ = std::move(owner);
  seg->bytes_ = bytes;
  seg->size_ = size;
  seg->name_ = name;
  seg->options_ = options;
  seg->parse(verify);
  return seg;
}

void Segment::parse(bool verify) {
  ByteReader r(bytes_, size_, name_.c_str());
  const uint8_t* magic = r.bytes(8);
  if (std::memcmp(magic, kSegMagic, 8) != 0) corrupt("not a hotpath index segment");
  uint32_t version = r.u32();
  if (version != kVersion) corrupt("unknown segment version");
  uint32_t count = r.u32();
  if (count > 64) corrupt("too many sections");
  r.need(size_t(count) * 24 + 4);
  const uint8_t* table = r.pos();
  uint32_t hcrc = load_u32(table + 24 * size_t(count));
  if (verify && crc32(bytes_, size_t(table - bytes_) + 24 * size_t(count)) != hcrc)
    corrupt("header checksum mismatch");
  const uint8_t* sec[6] = {nullptr};
  size_t len[6] = {0};
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* e = table + 24 * size_t(i);
    uint32_t kind = load_u32(e), crc = load_u32(e + 4);
    uint64_t off = load_u64(e + 8), n = load_u64(e + 16);
    if (off > size_ || n > size_ - off) corrupt("a section lies outside the file");
    if (verify && crc32(bytes_ + off, size_t(n)) != crc) corrupt("section checksum mismatch");
    if (kind >= 1 && kind <= 5) {
      if (sec[kind]) corrupt("a section appears twice");
      sec[kind] = bytes_ + off;
      len[kind] = size_t(n);
    }
  }
  if (!sec[kSecDocs]) corrupt("no documents section");
  docs_ = sec[kSecDocs];
  docs_len_ = len[kSecDocs];
  {
    ByteReader d(docs_, docs_len_, name_.c_str());
    doc_count_ = d.u32();
    stored_blocks_ = d.u32();
    if (stored_blocks_ != (uint64_t(doc_count_) + kStoredBlock - 1) / kStoredBlock)
      corrupt("wrong number of stored blocks");
    d.need(8 * (size_t(stored_blocks_) + 1));
    uint64_t prev = 8 + 8 * (uint64_t(stored_blocks_) + 1);
    for (uint32_t b = 0; b <= stored_blocks_; ++b) {
      uint64_t o = load_u64(docs_ + 8 + 8 * size_t(b));
      if (o < prev || o > docs_len_) corrupt("bad stored block offsets");
      prev = o;
    }
  }
  const bool indexed = sec[kSecTable] || sec[kSecFields] || sec[kSecDict] || sec[kSecPostings];
  if (!indexed) {
    // A documents-only segment: index its documents here.
    std::vector<StoredDoc> all;
    std::string raw;
    for (uint32_t b = 0; b < stored_blocks_; ++b) {
      read_stored_block(b, raw);
      decode_stored_records(raw, std::min(kStoredBlock, doc_count_ - b * kStoredBlock), all, *this);
    }
    std::vector<DocIn> in(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      in[i].id = all[i].id;
      in[i].title = all[i].title;
      in[i].text = all[i].text;
      in[i].seq = all[i].seq;
      for (auto& f : all[i].fields) in[i].fields.emplace_back(f.first, f.second);
    }
    for (size_t i = 1; i < all.size(); ++i)
      if (all[i].seq <= all[i - 1].seq) corrupt("documents out of order");
    built_ = build(in, options_);
    bytes_ = reinterpret_cast<const uint8_t*>(built_.data());
    size_ = built_.size();
    std::string keep = name_;
    parse(false);
    return;
  }
  for (uint32_t k = kSecTable; k <= kSecPostings; ++k)
    if (!sec[k]) corrupt("a section is missing");
  {
    ByteReader f(sec[kSecFields], len[kSecFields], name_.c_str());
    uint32_t nf = f.u32();
    if (nf < 2 || nf > kMaxFields) corrupt("bad field count");
    for (uint32_t i = 0; i < nf; ++i) {
      uint32_t l = f.u32();
      const uint8_t* p = f.bytes(l);
      field_names_.emplace_back(reinterpret_cast<const char*>(p), l);
    }
    if (!field_names_[0].empty() || field_names_[1] != "title") corrupt("bad field table");
  }
  parse_table(sec[kSecTable], len[kSecTable]);
  parse_dict(sec[kSecDict], len[kSecDict]);
  postings_ = sec[kSecPostings];
  postings_len_ = len[kSecPostings];
  if (term_count_ && load_u64(data_offsets_ + 8 * size_t(term_count_)) > postings_len_)
    corrupt("postings lie outside their section");
}

void Segment::parse_table(const uint8_t* p, size_t n) {
  ByteReader r(p, n, name_.c_str());
  if (r.u32() != doc_count_) corrupt("document counts disagree");
  if (r.u32() != field_names_.size()) corrupt("field counts disagree");
  const size_t nd = doc_count_, nf = field_names_.size();
  seqs_ = r.bytes(8 * nd);
  id_offsets_ = r.bytes(4 * (nd + 1));
  uint32_t prev = 0;
  for (size_t i = 0; i <= nd; ++i) {
    uint32_t o = load_u32(id_offsets_ + 4 * i);
    if (o < prev || (i == 0 && o != 0)) corrupt("bad id offsets");
    prev = o;
  }
  ids_len_ = prev;
  ids_ = r.bytes(ids_len_);
  size_t used = size_t(r.pos() - p);
  if (used % 4) r.bytes(4 - used % 4);
  title_span_ = r.bytes(4 * nd);
  if (nf && nd > (SIZE_MAX / 4) / nf) corrupt("too many documents");
  lengths_ = r.bytes(4 * nf * nd);
  field_docs_.assign(nf, 0);
  field_len_sum_.assign(nf, 0);
  for (size_t f = 0; f < nf; ++f)
    for (size_t d = 0; d < nd; ++d) {
      uint32_t l = load_u32(lengths_ + 4 * (f * nd + d));
      field_docs_[f] += l > 0;
      field_len_sum_[f] += l;
    }
}

void Segment::parse_dict(const uint8_t* p, size_t n) {
  ByteReader r(p, n, name_.c_str());
  term_count_ = r.u32();
  r.u32();
  const size_t nt = term_count_;
  if (nt > n) corrupt("bad term count");
  key_offsets_ = r.bytes(4 * (nt + 1));
  uint32_t prev = 0;
  for (size_t i = 0; i <= nt; ++i) {
    uint32_t o = load_u32(key_offsets_ + 4 * i);
    if (o < prev || (i == 0 && o != 0) || (i > 0 && o == prev)) corrupt("bad key offsets");
    prev = o;
  }
  keys_len_ = prev;
  keys_ = r.bytes(keys_len_);
  size_t used = size_t(r.pos() - p);
  if (used % 8) r.bytes(8 - used % 8);
  data_offsets_ = r.bytes(8 * (nt + 1));
  dfs_ = r.bytes(4 * nt);
  uint64_t pd = 0;
  for (size_t i = 0; i <= nt; ++i) {
    uint64_t o = load_u64(data_offsets_ + 8 * i);
    if (o < pd) corrupt("bad postings offsets");
    pd = o;
    if (i < nt) {
      uint8_t field = keys_[load_u32(key_offsets_ + 4 * i)];
      if (field >= field_names_.size()) corrupt("a term names an unknown field");
      uint32_t df = load_u32(dfs_ + 4 * i);
      if (df == 0 || df > doc_count_) corrupt("bad document frequency");
    }
  }
}

std::string_view Segment::doc_id(uint32_t d) const {
  uint32_t a = load_u32(id_offsets_ + 4 * size_t(d)), b = load_u32(id_offsets_ + 4 * size_t(d) + 4);
  return std::string_view(reinterpret_cast<const char*>(ids_) + a, b - a);
}

int Segment::field_id(std::string_view name) const {
  for (size_t i = 0; i < field_names_.size(); ++i)
    if (field_names_[i] == name) return int(i);
  return -1;
}

std::string_view Segment::key(uint32_t t) const {
  uint32_t a = load_u32(key_offsets_ + 4 * size_t(t)), b = load_u32(key_offsets_ + 4 * size_t(t) + 4);
  return std::string_view(reinterpret_cast<const char*>(keys_) + a, b - a);
}

uint32_t Segment::lower_bound(std::string_view k) const {
  uint32_t lo = 0, hi = term_count_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (key(mid) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

int64_t Segment::find(std::string_view k) const {
  uint32_t i = lower_bound(k);
  if (i < term_count_ && key(i) == k) return i;
  return -1;
}

void Segment::term_data(uint32_t t, const uint8_t** begin, const uint8_t** end) const {
  *begin = postings_ + load_u64(data_offsets_ + 8 * size_t(t));
  *end = postings_ + load_u64(data_offsets_ + 8 * size_t(t) + 8);
}

void Segment::read_stored_block(uint32_t b, std::string& out) const {
  uint64_t o0 = load_u64(docs_ + 8 + 8 * size_t(b)), o1 = load_u64(docs_ + 16 + 8 * size_t(b));
  z_stream z{};
  if (inflateInit(&z) != Z_OK) throw std::bad_alloc();
  z.next_in = const_cast<Bytef*>(docs_ + o0);
  z.avail_in = uInt(o1 - o0);
  out.clear();
  char buf[65536];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      if (rc == Z_MEM_ERROR) throw std::bad_alloc();
      corrupt("a stored block does not decompress");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      corrupt("a stored block is truncated");
    }
    if (out.size() > (uint64_t(1) << 34)) {
      inflateEnd(&z);
      corrupt("a stored block is too large");
    }
  } while (rc != Z_STREAM_END);
  bool trailing = z.avail_in != 0;
  inflateEnd(&z);
  if (trailing) corrupt("bytes after a stored block");
}

void decode_stored_records(const std::string& raw, uint32_t count, std::vector<StoredDoc>& out,
                           const Segment& seg) {
  ByteReader r(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), seg.name().c_str());
  auto str = [&](std::string& s) {
    uint32_t l = r.u32();
    const uint8_t* p = r.bytes(l);
    s.assign(reinterpret_cast<const char*>(p), l);
  };
  for (uint32_t i = 0; i < count; ++i) {
    StoredDoc d;
    d.seq = r.u64();
    str(d.id);
    str(d.title);
    str(d.text);
    uint32_t nf = r.u32();
    if (nf > r.left() / 8) seg.corrupt("bad field count in a stored document");
    for (uint32_t k = 0; k < nf; ++k) {
      std::string a, b;
      str(a);
      str(b);
      d.fields.emplace_back(std::move(a), std::move(b));
    }
    out.push_back(std::move(d));
  }
  if (r.left()) seg.corrupt("bytes after the stored documents");
}

StoredDoc Segment::stored(uint32_t d) const {
  std::string raw;
  uint32_t b = d / kStoredBlock;
  read_stored_block(b, raw);
  std::vector<StoredDoc> docs;
  decode_stored_records(raw, std::min(kStoredBlock, doc_count_ - b * kStoredBlock), docs, *this);
  return std::move(docs[d % kStoredBlock]);
}

}  // namespace search
}  // namespace hotpath
