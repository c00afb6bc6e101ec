// C ABI of the files module: argument checks, then the core.
#include "hotpath/files.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "common/utf8.hpp"
#include "files/files.hpp"

namespace f = hotpath::files;
using hotpath::Error;

struct hotpath_files_audit_handle {
  f::Audit audit;
};

struct hotpath_files_reader {
  f::Reader reader;
};

namespace {

// The fields an options struct of struct_size bytes must hold: everything up to
// summary_chars (the struct has had these fields since its first version).
constexpr size_t kMinOptionsSize = sizeof(hotpath_files_audit_options_t);

void defaults(hotpath_files_audit_options_t* o) {
  std::memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->patterns = "*.md";
  static const size_t kDefaultOffsets[2] = {0, 4};
  o->pattern_offsets = kDefaultOffsets;
  o->pattern_count = 1;
  o->mode = HOTPATH_FILES_GLOB;
  o->flags = HOTPATH_FILES_RECURSIVE;
  o->max_files = UINT64_MAX;
  o->summary_lines = 1;
  o->summary_chars = 200;
}

f::Options convert(const hotpath_files_audit_options_t* o) {
  if (o->struct_size < kMinOptionsSize)
    throw Error(HOTPATH_EINVAL, "options->struct_size is %zu; expected at least %zu",
                o->struct_size, kMinOptionsSize);
  if (o->flags & ~f::kAllFlags)
    throw Error(HOTPATH_EINVAL, "options->flags is %u; unknown bits 0x%x", o->flags,
                o->flags & ~f::kAllFlags);
  if ((o->flags & f::kVerbatimSummary) && (o->flags & f::kSkipFrontMatter))
    throw Error(HOTPATH_EINVAL,
                "options->flags: HOTPATH_FILES_VERBATIM_SUMMARY does not go with "
                "HOTPATH_FILES_SKIP_FRONT_MATTER");
  if (o->mode != f::kModeGlob && o->mode != f::kModeExtension)
    throw Error(HOTPATH_EINVAL, "options->mode is %d; expected 0 (glob) or 1 (extension)",
                static_cast<int>(o->mode));
  if (o->pattern_count == 0)
    throw Error(HOTPATH_EINVAL, "options->pattern_count is 0; expected at least one pattern");
  if (o->pattern_count == SIZE_MAX)
    throw Error(HOTPATH_EOVERFLOW, "options->pattern_count is %zu", o->pattern_count);
  hotpath::require_nonnull(o->pattern_offsets, "options->pattern_offsets");
  f::Options out;
  out.mode = o->mode;
  out.flags = o->flags;
  out.max_files = o->max_files;
  out.summary_lines = o->summary_lines;
  out.summary_chars = o->summary_chars;
  const size_t* off = o->pattern_offsets;
  for (size_t i = 0; i < o->pattern_count; ++i) {
    if (off[i + 1] < off[i])
      throw Error(HOTPATH_EINVAL, "options->pattern_offsets[%zu] = %zu is below [%zu] = %zu",
                  i + 1, off[i + 1], i, off[i]);
  }
  if (off[o->pattern_count] > off[0]) hotpath::require_nonnull(o->patterns, "options->patterns");
  for (size_t i = 0; i < o->pattern_count; ++i) {
    const char* p = o->patterns + off[i];
    const size_t len = off[i + 1] - off[i];
    const size_t bad = hotpath::utf8::validate(p, len);
    if (bad != hotpath::utf8::kValid)
      throw Error(HOTPATH_EUTF8, "pattern %zu is not valid UTF-8 at byte offset %zu", i, bad);
    if (o->mode == f::kModeExtension) {
      std::string ext;
      if (!f::extension_of(p, len, &ext))
        throw Error(HOTPATH_EINVAL,
                    "pattern %zu is '%.*s'; extension mode expects '*.ext', '.ext' or 'ext'", i,
                    static_cast<int>(len > 64 ? 64 : len), p);
      out.patterns.push_back(std::move(ext));
    } else {
      out.patterns.emplace_back(p, len);
    }
  }
  return out;
}

const f::Audit& check_audit(const hotpath_files_audit_t* audit) {
  hotpath::require_nonnull(audit, "audit");
  return audit->audit;
}

}  // namespace

extern "C" {

HOTPATH_API int32_t hotpath_files_mode_glob(void) { return f::kModeGlob; }
HOTPATH_API int32_t hotpath_files_mode_extension(void) { return f::kModeExtension; }
HOTPATH_API uint32_t hotpath_files_flag_recursive(void) { return f::kRecursive; }
HOTPATH_API uint32_t hotpath_files_flag_follow_symlinks(void) { return f::kFollowSymlinks; }
HOTPATH_API uint32_t hotpath_files_flag_include_hidden(void) { return f::kIncludeHidden; }
HOTPATH_API uint32_t hotpath_files_flag_skip_front_matter(void) { return f::kSkipFrontMatter; }
HOTPATH_API uint32_t hotpath_files_flag_unicode_counts(void) { return f::kUnicodeCounts; }
HOTPATH_API uint32_t hotpath_files_flag_verbatim_summary(void) { return f::kVerbatimSummary; }
HOTPATH_API size_t hotpath_files_columns(void) { return f::kColumns; }

HOTPATH_API hotpath_status_t hotpath_files_glob_match(const char* pattern, size_t pattern_len,
                                                      const char* path, size_t path_len,
                                                      int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    hotpath::require_utf8(pattern, pattern_len, "pattern");
    if (path_len) hotpath::require_nonnull(path, "path");
    *out = f::glob_match(pattern_len ? pattern : "", pattern_len, path_len ? path : "",
                         path_len)
               ? 1
               : 0;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_files_audit_options_init(
    hotpath_files_audit_options_t* options) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(options, "options");
    defaults(options);
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_files_audit_options_size(void) {
  return sizeof(hotpath_files_audit_options_t);
}

HOTPATH_API hotpath_status_t hotpath_files_audit_create(hotpath_files_audit_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    *out = new hotpath_files_audit_handle;
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_files_audit_destroy(hotpath_files_audit_t* audit) { delete audit; }

HOTPATH_API hotpath_status_t hotpath_files_audit(hotpath_files_audit_t* audit, const char* root,
                                                 const hotpath_files_audit_options_t* options) {
  if (audit) audit->audit.clear();
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(audit, "audit");
    hotpath::require_nonnull(root, "root");
    hotpath_files_audit_options_t local;
    if (!options) {
      defaults(&local);
      options = &local;
    }
    const f::Options opt = convert(options);
    try {
      audit->audit.run(root, opt);
    } catch (...) {
      audit->audit.clear();
      throw;
    }
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_files_audit_count(const hotpath_files_audit_t* audit) {
  return audit ? audit->audit.size() : 0;
}

HOTPATH_API size_t hotpath_files_audit_error_count(const hotpath_files_audit_t* audit) {
  return audit ? audit->audit.errors().size() : 0;
}

HOTPATH_API hotpath_status_t hotpath_files_audit_record(const hotpath_files_audit_t* audit,
                                                        size_t index,
                                                        hotpath_files_record_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    const f::Audit& a = check_audit(audit);
    hotpath::require_nonnull(out, "out");
    if (index >= a.size())
      throw Error(HOTPATH_ERANGE, "argument 'index' is %zu; the audit holds %zu records", index,
                  a.size());
    const uint64_t* row = a.table() + index * f::kColumns;
    const char* arena = a.arena().data();
    out->path = arena + row[0];
    out->path_len = static_cast<size_t>(row[1]);
    out->summary = arena + row[2];
    out->summary_len = static_cast<size_t>(row[3]);
    out->size = row[4];
    out->lines = row[5];
    out->words = row[6];
    out->utf8 = static_cast<int32_t>(row[7]);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_files_audit_table(const hotpath_files_audit_t* audit,
                                                       const uint64_t** table,
                                                       const char** arena, size_t* arena_len) {
  return hotpath::capi_guard(__func__, [&] {
    const f::Audit& a = check_audit(audit);
    hotpath::require_nonnull(table, "table");
    hotpath::require_nonnull(arena, "arena");
    hotpath::require_nonnull(arena_len, "arena_len");
    *table = a.table();
    *arena = a.arena().data();
    *arena_len = a.arena().size();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_files_audit_error(const hotpath_files_audit_t* audit,
                                                       size_t index, const char** path,
                                                       size_t* path_len,
                                                       hotpath_status_t* status,
                                                       const char** message) {
  return hotpath::capi_guard(__func__, [&] {
    const f::Audit& a = check_audit(audit);
    if (index >= a.errors().size())
      throw Error(HOTPATH_ERANGE, "argument 'index' is %zu; the audit holds %zu errors", index,
                  a.errors().size());
    const f::ErrorEntry& e = a.errors()[index];
    if (path) *path = e.path.data();
    if (path_len) *path_len = e.path.size();
    if (status) *status = e.status;
    if (message) *message = e.message.c_str();
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_files_audit_totals(const hotpath_files_audit_t* audit,
                                                        uint64_t* files, uint64_t* size,
                                                        uint64_t* lines, uint64_t* words) {
  return hotpath::capi_guard(__func__, [&] {
    const f::Audit& a = check_audit(audit);
    if (files) *files = a.size();
    if (size) *size = a.total_size;
    if (lines) *lines = a.total_lines;
    if (words) *words = a.total_words;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_files_reader_create(hotpath_files_reader_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    *out = new hotpath_files_reader;
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_files_reader_destroy(hotpath_files_reader_t* reader) { delete reader; }

HOTPATH_API hotpath_status_t hotpath_files_read(hotpath_files_reader_t* reader,
                                                const char* paths, const size_t* offsets,
                                                size_t n) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(reader, "reader");
    hotpath::require_packed(paths, "paths", offsets, n);
    for (size_t i = 0; i < n; ++i) {
      const size_t len = offsets[i + 1] - offsets[i];
      if (std::memchr(paths + offsets[i], '\0', len))
        throw Error(HOTPATH_EINVAL, "path %zu contains a NUL byte", i);
    }
    reader->reader.read(paths, offsets, n);
    return HOTPATH_OK;
  });
}

HOTPATH_API size_t hotpath_files_read_count(const hotpath_files_reader_t* reader) {
  return reader ? reader->reader.size() : 0;
}

HOTPATH_API hotpath_status_t hotpath_files_read_result(const hotpath_files_reader_t* reader,
                                                       const char** data, size_t* data_len,
                                                       const uint64_t** offsets,
                                                       const int32_t** statuses) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(reader, "reader");
    hotpath::require_nonnull(data, "data");
    hotpath::require_nonnull(data_len, "data_len");
    hotpath::require_nonnull(offsets, "offsets");
    hotpath::require_nonnull(statuses, "statuses");
    const f::Reader& r = reader->reader;
    *data = r.data().data();
    *data_len = r.data().size();
    *offsets = r.offsets().data();
    *statuses = r.statuses().data();
    return HOTPATH_OK;
  });
}

HOTPATH_API const char* hotpath_files_read_message(const hotpath_files_reader_t* reader,
                                                   size_t index) {
  if (!reader || index >= reader->reader.size()) return nullptr;
  return reader->reader.message(index);
}

}  // extern "C"
