/*
 * hotpath/files.h - directory audit (walk, glob, count lines and words,
 * summarize) and batch file reading.
 *
 * An audit walks a folder tree on the internal thread pool, keeps the files
 * whose path relative to the root matches a glob (or a final extension),
 * sorts them by relative path (byte order), keeps the first max_files, then
 * reads each of them once and counts its size, lines and words and takes a
 * summary.  The result lives in an audit handle that the caller reuses
 * across calls, so repeated audits reuse its memory.  Entries that cannot be
 * read (a folder that cannot be opened, a dangling symbolic link, a FIFO, a
 * symbolic link loop) are listed as errors; nothing is dropped silently.
 * docs/files.md gives every rule (glob syntax, counting, summaries).
 *
 * Paths are bytes: the root is a NUL-terminated path of the operating
 * system; relative paths use "/" and need not be UTF-8.  Patterns are UTF-8.
 *
 * Ownership: pointers returned by the accessors point into the handle and
 * stay valid until the next audit or read on that handle, or its destroy.
 *
 * Thread safety: a handle is used by one thread at a time (safe on distinct
 * handles); the accessors are read-only and safe concurrently on one handle
 * while no audit or read runs on it.  hotpath_files_glob_match is pure.
 * Results never depend on the thread count.
 */
#ifndef HOTPATH_FILES_H
#define HOTPATH_FILES_H

#include "hotpath/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pattern modes (hotpath_files_mode_glob / _extension give them). */
#define HOTPATH_FILES_GLOB 0
#define HOTPATH_FILES_EXTENSION 1

/* Option flags. */
#define HOTPATH_FILES_RECURSIVE 1u         /* descend into sub-folders */
#define HOTPATH_FILES_FOLLOW_SYMLINKS 2u   /* descend into symbolic links to folders */
#define HOTPATH_FILES_INCLUDE_HIDDEN 4u    /* names starting with "." too */
#define HOTPATH_FILES_SKIP_FRONT_MATTER 8u /* summaries skip a leading "---" block */
/* Lines and words by the Unicode rule: words split only at characters with the
 * White_Space property (U+001C..U+001F are word characters, where the default
 * rule, Python's str.split(), splits at them), and an unterminated last line
 * always counts (the default does not count a lone "\r" there). */
#define HOTPATH_FILES_UNICODE_COUNTS 16u
/* Summaries are the first summary_lines lines exactly as they are, from the
 * first byte (blank lines and leading white space kept), without the last
 * line's "\n" or "\r\n", cut to summary_chars code points; not with
 * HOTPATH_FILES_SKIP_FRONT_MATTER. */
#define HOTPATH_FILES_VERBATIM_SUMMARY 32u

/* Columns of a row of hotpath_files_audit_table. */
#define HOTPATH_FILES_COLUMNS 8

/* The constants above, for FFI users.  Pure. */
HOTPATH_API int32_t hotpath_files_mode_glob(void);
HOTPATH_API int32_t hotpath_files_mode_extension(void);
HOTPATH_API uint32_t hotpath_files_flag_recursive(void);
HOTPATH_API uint32_t hotpath_files_flag_follow_symlinks(void);
HOTPATH_API uint32_t hotpath_files_flag_include_hidden(void);
HOTPATH_API uint32_t hotpath_files_flag_skip_front_matter(void);
HOTPATH_API uint32_t hotpath_files_flag_unicode_counts(void);
HOTPATH_API uint32_t hotpath_files_flag_verbatim_summary(void);
HOTPATH_API size_t hotpath_files_columns(void);

/* Does path (path_len bytes, any bytes) match the glob pattern (UTF-8)?
 * A pattern without "/" matches the last component of the path (so "*.md"
 * matches in every folder); a pattern with "/" matches the whole relative
 * path (a leading "/" only anchors it).  "*" matches any run of characters
 * but "/", "?" one character but "/", "[abc]", "[a-z]", "[!a-z]" (or "[^")
 * one character of (not of) a class, "**" as a whole component any number of
 * components (zero included; as the last component at least one, what lies inside
 * the folder); an unclosed "[" is a literal.  Characters are
 * UTF-8 sequences; a byte that starts no valid sequence is one character.
 * *out is 1 or 0; invalid UTF-8 in the pattern gives HOTPATH_EUTF8.  Pure. */
HOTPATH_API hotpath_status_t hotpath_files_glob_match(const char* pattern, size_t pattern_len,
                                                      const char* path, size_t path_len,
                                                      int32_t* out);

/* Audit options.  Set struct_size to sizeof(hotpath_files_audit_options_t)
 * (hotpath_files_audit_options_init does it and sets the defaults). */
typedef struct hotpath_files_audit_options {
  size_t struct_size;
  /* pattern_count >= 1 patterns: pattern i is
   * patterns[pattern_offsets[i], pattern_offsets[i + 1]); a file is kept when
   * any of them matches.  Default: the one pattern "*.md". */
  const char* patterns;
  const size_t* pattern_offsets;
  size_t pattern_count;
  /* HOTPATH_FILES_GLOB, or HOTPATH_FILES_EXTENSION: each pattern is "*.ext",
   * ".ext" or "ext" and matches names whose final extension is ext. */
  int32_t mode;
  /* HOTPATH_FILES_* flags; default HOTPATH_FILES_RECURSIVE. */
  uint32_t flags;
  /* Keep the first max_files matching files in sorted order; UINT64_MAX
   * (the default) keeps all. */
  uint64_t max_files;
  /* Summary: summary_lines lines cut to summary_chars code points (as
   * hotpath_text_summarize); defaults 1 and 200. */
  uint32_t summary_lines;
  uint64_t summary_chars;
} hotpath_files_audit_options_t;

/* Fills *options with the defaults (struct_size included).  Pure. */
HOTPATH_API hotpath_status_t hotpath_files_audit_options_init(
    hotpath_files_audit_options_t* options);
/* sizeof(hotpath_files_audit_options_t) in this library.  Pure. */
HOTPATH_API size_t hotpath_files_audit_options_size(void);

/* An audit result handle.  Safe concurrently (creates a new object). */
typedef struct hotpath_files_audit_handle hotpath_files_audit_t;
HOTPATH_API hotpath_status_t hotpath_files_audit_create(hotpath_files_audit_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_files_audit_destroy(hotpath_files_audit_t* audit);

/* Audits the folder root (NUL-terminated) into the handle, replacing its
 * previous result (on failure the handle holds an empty result).  options
 * NULL means the defaults.  Errors: HOTPATH_ENULL (audit, root), HOTPATH_EINVAL
 * (struct_size too small, unknown flags or mode, VERBATIM_SUMMARY with
 * SKIP_FRONT_MATTER, no pattern, a pattern that
 * extension mode does not accept, root not a folder), HOTPATH_EUTF8 (a
 * pattern), HOTPATH_EIO (the root cannot be opened).  Problems below the root
 * are not failures: they are listed as the result's errors.  Safe on distinct
 * handles; uses the thread pool. */
HOTPATH_API hotpath_status_t hotpath_files_audit(hotpath_files_audit_t* audit, const char* root,
                                                 const hotpath_files_audit_options_t* options);

/* Number of records (audited files) and of errors; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_files_audit_count(const hotpath_files_audit_t* audit);
HOTPATH_API size_t hotpath_files_audit_error_count(const hotpath_files_audit_t* audit);

/* One record: path (relative, "/"-separated) and summary (UTF-8) point into
 * the handle and are not NUL-terminated.  utf8 is 1 when the file is valid
 * UTF-8.  HOTPATH_ERANGE when index >= count.  Read-only. */
typedef struct hotpath_files_record {
  const char* path;
  size_t path_len;
  const char* summary;
  size_t summary_len;
  uint64_t size;
  uint64_t lines;
  uint64_t words;
  int32_t utf8;
} hotpath_files_record_t;
HOTPATH_API hotpath_status_t hotpath_files_audit_record(const hotpath_files_audit_t* audit,
                                                        size_t index,
                                                        hotpath_files_record_t* out);

/* Every record at once: *table points to count rows of HOTPATH_FILES_COLUMNS
 * uint64_t (path offset, path length, summary offset, summary length, size,
 * lines, words, utf8), offsets into the arena (*arena, *arena_len bytes).
 * The arena holds, record by record, the path then the summary, each followed
 * by one NUL byte (so each is also a C string, unless a summary itself holds
 * NUL).  Read-only. */
HOTPATH_API hotpath_status_t hotpath_files_audit_table(const hotpath_files_audit_t* audit,
                                                       const uint64_t** table,
                                                       const char** arena, size_t* arena_len);

/* Error `index` (sorted by path): the relative path of the entry, a status
 * (HOTPATH_EIO: the system refused to open or read it; HOTPATH_EUNSUPPORTED:
 * not a regular file; HOTPATH_EINVAL: a symbolic link loop) and a static or
 * handle-owned NUL-terminated message such as "cannot open file: Permission
 * denied".  HOTPATH_ERANGE when index >= error count.  Read-only. */
HOTPATH_API hotpath_status_t hotpath_files_audit_error(const hotpath_files_audit_t* audit,
                                                       size_t index, const char** path,
                                                       size_t* path_len,
                                                       hotpath_status_t* status,
                                                       const char** message);

/* Totals over the records: files, bytes, lines and words (each pointer may
 * be NULL).  Read-only. */
HOTPATH_API hotpath_status_t hotpath_files_audit_totals(const hotpath_files_audit_t* audit,
                                                        uint64_t* files, uint64_t* size,
                                                        uint64_t* lines, uint64_t* words);

/* A batch reader: many files read into one buffer, in parallel.  Safe
 * concurrently (creates a new object). */
typedef struct hotpath_files_reader hotpath_files_reader_t;
HOTPATH_API hotpath_status_t hotpath_files_reader_create(hotpath_files_reader_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_files_reader_destroy(hotpath_files_reader_t* reader);

/* Reads n files: path i is paths[offsets[i], offsets[i + 1]) (no NUL
 * inside; relative to the working folder or absolute).  A path that cannot
 * be read is not a failure: its status says why and its content is empty.
 * Errors: HOTPATH_ENULL, HOTPATH_EINVAL (decreasing offsets, a NUL byte in a
 * path), HOTPATH_EOVERFLOW (n == SIZE_MAX).  Safe on distinct readers; uses
 * the thread pool. */
HOTPATH_API hotpath_status_t hotpath_files_read(hotpath_files_reader_t* reader,
                                                const char* paths, const size_t* offsets,
                                                size_t n);
/* Number of paths of the last read; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_files_read_count(const hotpath_files_reader_t* reader);
/* The contents: file i is (*data)[(*offsets)[i], (*offsets)[i + 1]) with
 * count + 1 offsets; statuses[i] is HOTPATH_OK or the file's failure
 * (HOTPATH_EIO, HOTPATH_EUNSUPPORTED for a file that is not regular).
 * Read-only. */
HOTPATH_API hotpath_status_t hotpath_files_read_result(const hotpath_files_reader_t* reader,
                                                       const char** data, size_t* data_len,
                                                       const uint64_t** offsets,
                                                       const int32_t** statuses);
/* The message of path i ("" when it was read), NUL-terminated, owned by the
 * reader; NULL when reader is NULL or i >= count.  Read-only. */
HOTPATH_API const char* hotpath_files_read_message(const hotpath_files_reader_t* reader,
                                                   size_t index);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_FILES_H */
