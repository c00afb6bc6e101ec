/*
 * hotpath/compress.h - LZ4 frames and gzip members, into caller buffers and
 * streaming between files.
 *
 * Formats: HOTPATH_COMPRESS_LZ4 writes the LZ4 frame format (magic 04 22 4d 18;
 * readable by the lz4 command-line tool and python-lz4's lz4.frame) with 4 MiB
 * independent blocks, a content checksum and, when known, the content size;
 * HOTPATH_COMPRESS_GZIP writes an RFC 1952 gzip member (magic 1f 8b; readable by
 * gzip).  Decompression detects the format of every frame from its magic bytes
 * and decodes a concatenation of frames/members (LZ4 skippable frames are
 * skipped); anything after the last frame is an error.  docs/compress.md has
 * the details.
 *
 * Levels: LZ4 takes liblz4's compressionLevel (negative = faster "acceleration",
 * 0..2 = the fast compressor, 3..12 = high compression); gzip takes zlib's 0..9.
 * hotpath_compress_levels tells the range and default of each format.
 *
 * Ownership: the caller owns every buffer; src and dst must not overlap.
 *
 * Allocation: buffer calls reuse per-thread liblz4/zlib contexts, created on
 * the thread's first call; nothing is ever allocated in proportion to a size
 * that a frame header claims (liblz4 keeps at most one block of 4 MiB for a
 * frame whose last block does not fit dst directly).  The file calls allocate
 * a few MiB of buffers per call, whatever the file size.
 *
 * Thread safety: every function is safe concurrently from any thread (the
 * contexts are per thread); the file calls are safe on distinct destinations.
 * An LZ4 buffer of more than one 4 MiB block is compressed on the internal
 * thread pool (hotpath_set_num_threads); the bytes written do not depend on
 * the thread count.
 *
 * Errors: HOTPATH_EBUFFER when dst is too small (the message gives the needed
 * size when a header tells it), HOTPATH_ECORRUPT for corrupt, truncated or
 * impossible input (a header claiming more than 256 bytes per input byte) and
 * for input that starts with neither magic, HOTPATH_EIO (with the operating
 * system's text, hotpath_last_error_errno() and _path()) for file errors.
 */
#ifndef HOTPATH_COMPRESS_H
#define HOTPATH_COMPRESS_H

#include "hotpath/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HOTPATH_COMPRESS_LZ4 1
#define HOTPATH_COMPRESS_GZIP 2

/* The format codes for FFI users.  Pure. */
HOTPATH_API int32_t hotpath_compress_format_lz4(void);
HOTPATH_API int32_t hotpath_compress_format_gzip(void);

/* "lz4" or "gzip" (exact, name_len bytes) to its code; HOTPATH_EINVAL for any
 * other name.  Pure. */
HOTPATH_API hotpath_status_t hotpath_compress_format_from_name(const char* name, size_t name_len,
                                                               int32_t* out);

/* The accepted levels of a format: *min, *max and the *def(ault).
 * HOTPATH_EINVAL for an unknown format.  Pure. */
HOTPATH_API hotpath_status_t hotpath_compress_levels(int32_t format, int32_t* min, int32_t* max,
                                                     int32_t* def);

/* The largest output hotpath_compress_into can write for src_len bytes
 * (at any level).  HOTPATH_EOVERFLOW when it exceeds SIZE_MAX.  Pure. */
HOTPATH_API hotpath_status_t hotpath_compress_bound(int32_t format, size_t src_len, size_t* out);

/* Compresses src into one frame/member in dst; *written = its size.
 * dst_capacity must be >= hotpath_compress_bound (HOTPATH_EBUFFER otherwise);
 * level must lie in hotpath_compress_levels (HOTPATH_ERANGE).  src may be
 * NULL when src_len is 0.  Safe concurrently from any thread. */
HOTPATH_API hotpath_status_t hotpath_compress_into(int32_t format, int32_t level, const void* src,
                                                   size_t src_len, void* dst,
                                                   size_t dst_capacity, size_t* written);

/* Decodes every frame/member of src into dst; *written = the total size.
 * Empty input is HOTPATH_ECORRUPT.  On failure dst may hold partial output.
 * Safe concurrently from any thread. */
HOTPATH_API hotpath_status_t hotpath_decompress_into(const void* src, size_t src_len, void* dst,
                                                     size_t dst_capacity, size_t* written);

/* A decoder writes the content of src into a buffer that may grow between
 * calls, decoding nothing twice: the way to decompress input whose size is
 * not declared (gzip) into memory that grows with the real output only.
 *   hotpath_decoder_begin(d, src, src_len);   src stays valid until done
 *   written = 0;
 *   do { status = hotpath_decoder_run(d, dst, cap, &written, &done);
 *        if (!done) grow dst (keeping its first written bytes), cap = ...; }
 *   while (status == HOTPATH_OK && !done);
 * run writes dst[*written..dst_capacity) and advances *written; *done = 1 when
 * src is decoded to its end, 0 when dst is full and more output follows.
 * Errors as hotpath_decompress_into (never HOTPATH_EBUFFER); after an error,
 * begin again.  HOTPATH_EINVAL for a run before any begin or a *written above
 * dst_capacity.  Safe on distinct decoders. */
typedef struct hotpath_decoder_handle hotpath_decoder_t;
HOTPATH_API hotpath_status_t hotpath_decoder_create(hotpath_decoder_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_decoder_destroy(hotpath_decoder_t* decoder);
HOTPATH_API hotpath_status_t hotpath_decoder_begin(hotpath_decoder_t* decoder, const void* src,
                                                   size_t src_len);
HOTPATH_API hotpath_status_t hotpath_decoder_run(hotpath_decoder_t* decoder, void* dst,
                                                 size_t dst_capacity, size_t* written,
                                                 int32_t* done);

/* The decompressed size the headers declare: *known = 1 and *size = the total
 * when every LZ4 frame of src declares its content size; *known = 0 otherwise
 * (gzip members never declare it).  Reads the headers and block sizes only:
 * no decoding, no checksum check of the data.  Errors as for
 * hotpath_decompress_into.  Pure. */
HOTPATH_API hotpath_status_t hotpath_compress_content_size(const void* src, size_t src_len,
                                                           uint64_t* size, int32_t* known);

/* Compresses the file src_path into dst_path (NUL-terminated paths, bytes as
 * the operating system takes them), streaming in constant memory.  The output
 * goes to a temporary file in dst_path's folder, renamed to dst_path at the
 * end; on any failure the temporary file is removed and an existing dst_path
 * is left untouched.  The new file gets src_path's permission bits.
 * *written = bytes written.  Safe concurrently on distinct destinations. */
HOTPATH_API hotpath_status_t hotpath_compress_file(int32_t format, int32_t level,
                                                   const char* src_path, const char* dst_path,
                                                   uint64_t* written);

/* The reverse of hotpath_compress_file, with the same guarantees; accepts any
 * concatenation of LZ4 frames and gzip members. */
HOTPATH_API hotpath_status_t hotpath_decompress_file(const char* src_path, const char* dst_path,
                                                     uint64_t* written);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_COMPRESS_H */
