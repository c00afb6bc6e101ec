// C ABI of the compression module: argument checks, then the core.
#include "hotpath/compress.h"

#include <cstdint>
#include <cstring>

#include "internal/checks.hpp"
#include "internal/guard.hpp"
#include "compress/compress.hpp"

namespace c = hotpath::compress;
using hotpath::Error;

namespace {

void check_format(int32_t format) {
  if (!c::format_valid(format))
    throw Error(HOTPATH_EINVAL, "argument 'format' is %d; expected 1 (lz4) or 2 (gzip)",
                static_cast<int>(format));
}

// A NULL pointer is accepted for an empty buffer only.
void check_buffer(const void* p, size_t len, const char* name) {
  if (len) hotpath::require_nonnull(p, name);
}

const uint8_t* bytes(const void* p) { return static_cast<const uint8_t*>(p); }

}  // namespace

extern "C" {

HOTPATH_API int32_t hotpath_compress_format_lz4(void) { return HOTPATH_COMPRESS_LZ4; }

HOTPATH_API int32_t hotpath_compress_format_gzip(void) { return HOTPATH_COMPRESS_GZIP; }

HOTPATH_API hotpath_status_t hotpath_compress_format_from_name(const char* name, size_t name_len,
                                                               int32_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_buffer(name, name_len, "name");
    if (name_len == 3 && std::memcmp(name, "lz4", 3) == 0) {
      *out = HOTPATH_COMPRESS_LZ4;
    } else if (name_len == 4 && std::memcmp(name, "gzip", 4) == 0) {
      *out = HOTPATH_COMPRESS_GZIP;
    } else {
      throw Error(HOTPATH_EINVAL, "argument 'format' is not a known format; expected 'lz4' or 'gzip'");
    }
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_compress_levels(int32_t format, int32_t* min, int32_t* max,
                                                     int32_t* def) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(min, "min");
    hotpath::require_nonnull(max, "max");
    hotpath::require_nonnull(def, "def");
    check_format(format);
    c::Levels l = c::levels(format);
    *min = l.min;
    *max = l.max;
    *def = l.def;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_compress_bound(int32_t format, size_t src_len, size_t* out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    check_format(format);
    *out = c::bound(format, src_len);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_compress_into(int32_t format, int32_t level, const void* src,
                                                   size_t src_len, void* dst,
                                                   size_t dst_capacity, size_t* written) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(written, "written");
    *written = 0;
    check_format(format);
    c::check_level(format, level);
    check_buffer(src, src_len, "src");
    check_buffer(dst, dst_capacity, "dst");
    *written = c::compress_into(format, level, bytes(src), src_len, static_cast<uint8_t*>(dst),
                                dst_capacity);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_decompress_into(const void* src, size_t src_len, void* dst,
                                                     size_t dst_capacity, size_t* written) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(written, "written");
    *written = 0;
    check_buffer(src, src_len, "src");
    check_buffer(dst, dst_capacity, "dst");
    *written = c::decompress_into(bytes(src), src_len, static_cast<uint8_t*>(dst), dst_capacity);
    return HOTPATH_OK;
  });
}

struct hotpath_decoder_handle {
  c::Decoder decoder;
};

HOTPATH_API hotpath_status_t hotpath_decoder_create(hotpath_decoder_t** out) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(out, "out");
    *out = nullptr;
    *out = new hotpath_decoder_handle;
    return HOTPATH_OK;
  });
}

HOTPATH_API void hotpath_decoder_destroy(hotpath_decoder_t* decoder) { delete decoder; }

HOTPATH_API hotpath_status_t hotpath_decoder_begin(hotpath_decoder_t* decoder, const void* src,
                                                   size_t src_len) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(decoder, "decoder");
    check_buffer(src, src_len, "src");
    decoder->decoder.begin(bytes(src), src_len);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_decoder_run(hotpath_decoder_t* decoder, void* dst,
                                                 size_t dst_capacity, size_t* written,
                                                 int32_t* done) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(decoder, "decoder");
    hotpath::require_nonnull(written, "written");
    hotpath::require_nonnull(done, "done");
    *done = 0;
    check_buffer(dst, dst_capacity, "dst");
    *done = decoder->decoder.run(static_cast<uint8_t*>(dst), dst_capacity, written) ? 1 : 0;
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_compress_content_size(const void* src, size_t src_len,
                                                           uint64_t* size, int32_t* known) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(size, "size");
    hotpath::require_nonnull(known, "known");
    *size = 0;
    *known = 0;
    check_buffer(src, src_len, "src");
    uint64_t total = 0;
    if (c::content_size(bytes(src), src_len, &total)) {
      *size = total;
      *known = 1;
    }
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_compress_file(int32_t format, int32_t level,
                                                   const char* src_path, const char* dst_path,
                                                   uint64_t* written) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(written, "written");
    *written = 0;
    check_format(format);
    c::check_level(format, level);
    hotpath::require_nonnull(src_path, "src_path");
    hotpath::require_nonnull(dst_path, "dst_path");
    *written = c::compress_file(format, level, src_path, dst_path);
    return HOTPATH_OK;
  });
}

HOTPATH_API hotpath_status_t hotpath_decompress_file(const char* src_path, const char* dst_path,
                                                     uint64_t* written) {
  return hotpath::capi_guard(__func__, [&] {
    hotpath::require_nonnull(written, "written");
    *written = 0;
    hotpath::require_nonnull(src_path, "src_path");
    hotpath::require_nonnull(dst_path, "dst_path");
    *written = c::decompress_file(src_path, dst_path);
    return HOTPATH_OK;
  });
}

}  // extern "C"
