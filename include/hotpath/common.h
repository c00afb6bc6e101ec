/*
 * hotpath/common.h - version, status codes, error reporting and the thread
 * pool controls shared by every hotpath module.
 *
 * Ownership: every `const char*` returned here points to static storage or,
 * for hotpath_last_error_message(), to per-thread storage owned by the
 * library; callers never free them.
 *
 * Thread safety: every function here is safe to call from any thread.
 * hotpath_last_error_message() reports the last failure of the calling
 * thread only.
 *
 * Errors: functions that can fail return hotpath_status_t: HOTPATH_OK (0) on
 * success, a negative HOTPATH_E* code otherwise.  No C++ exception, abort()
 * or exit() ever leaves the library.
 */
#ifndef HOTPATH_COMMON_H
#define HOTPATH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(HOTPATH_STATIC)
#    define HOTPATH_API
#  elif defined(HOTPATH_BUILDING)
#    define HOTPATH_API __declspec(dllexport)
#  else
#    define HOTPATH_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define HOTPATH_API __attribute__((visibility("default")))
#else
#  define HOTPATH_API
#endif

#define HOTPATH_VERSION_MAJOR 0
#define HOTPATH_VERSION_MINOR 1
#define HOTPATH_VERSION_PATCH 0
/* The ABI major: the shared library's SOVERSION.  Bumped only when an
 * exported symbol is removed or changes meaning. */
#define HOTPATH_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* 0 = success, negative = failure.  The numeric values are part of the ABI. */
typedef int32_t hotpath_status_t;

#define HOTPATH_OK 0
#define HOTPATH_EINVAL (-1)     /* an argument has a value the function does not accept */
#define HOTPATH_ENULL (-2)      /* a required pointer is NULL */
#define HOTPATH_ERANGE (-3)     /* a numeric argument is out of its allowed range (NaN included) */
#define HOTPATH_EOVERFLOW (-4)  /* a length or size computation would overflow */
#define HOTPATH_EUTF8 (-5)      /* text is not valid UTF-8 */
#define HOTPATH_ENOMEM (-6)     /* memory allocation failed */
#define HOTPATH_EBUFFER (-7)    /* the caller's output buffer is too small */
#define HOTPATH_EIO (-8)        /* an operating system I/O call failed */
#define HOTPATH_ECORRUPT (-9)   /* input data is corrupt or truncated */
#define HOTPATH_EUNSUPPORTED (-10) /* the operation or format is not available in this build */
#define HOTPATH_EINTERNAL (-11) /* a bug in hotpath: please report it */

/* "0.1.0": the library's version (may differ from the header's macros when
 * an application runs against a newer compatible library).  Pure. */
HOTPATH_API const char* hotpath_version_string(void);

/* MAJOR * 10000 + MINOR * 100 + PATCH.  Pure. */
HOTPATH_API uint32_t hotpath_version_number(void);

/* The ABI major the library implements; an application compiled against
 * HOTPATH_ABI_VERSION must refuse a library reporting another value.  Pure. */
HOTPATH_API uint32_t hotpath_abi_version(void);

/* A static English description of a status ("invalid argument").  Unknown
 * codes give "unknown status".  Never NULL.  Pure. */
HOTPATH_API const char* hotpath_status_str(hotpath_status_t status);

/* The status's symbolic name without prefix ("EINVAL", "OK"), so that FFI
 * users need no macros.  Unknown codes give "UNKNOWN".  Never NULL.  Pure. */
HOTPATH_API const char* hotpath_status_name(hotpath_status_t status);

/* Detail about the last failure on the calling thread (which argument, which
 * index).  Every function that returns a hotpath_status_t sets it on failure
 * and clears it ("") on success; functions that cannot fail leave it alone.
 * Valid until the next hotpath call on the same thread.  Never NULL. */
HOTPATH_API const char* hotpath_last_error_message(void);

/* When the last failure on the calling thread was HOTPATH_EIO: the operating
 * system's errno (ENOENT, EACCES, ...; 0 for an I/O failure without one, such
 * as a file that changed size while it was read) and the path it concerns
 * ("" when none).  0 and "" after any other failure or a success.  Valid
 * like hotpath_last_error_message().  Never NULL. */
HOTPATH_API int32_t hotpath_last_error_errno(void);
HOTPATH_API const char* hotpath_last_error_path(void);

/* Compiled-in modules: hotpath_module_count() of them, named by
 * hotpath_module_name(i) ("williams"); NULL when i is out of range.  Pure. */
HOTPATH_API size_t hotpath_module_count(void);
HOTPATH_API const char* hotpath_module_name(size_t index);

/* Threads used by the internal pool for batch kernels.  n >= 1 sets the
 * count; n == 0 restores the default (the hardware concurrency); n < 0 or
 * n > hotpath_max_threads() gives HOTPATH_ERANGE.  Safe from any thread; a
 * batch call already running finishes with the count it started with. */
HOTPATH_API hotpath_status_t hotpath_set_num_threads(int32_t n);
HOTPATH_API int32_t hotpath_get_num_threads(void);
HOTPATH_API int32_t hotpath_max_threads(void);

/* Packed lists.  Batch functions take n items as one buffer plus n + 1
 * offsets: item i is data[offsets[i], offsets[i + 1]).  A binding that holds
 * the items joined by a separator byte (one join and one encode in its own
 * language) turns them into that form here.
 *
 * data[0, len) holds n items joined by n - 1 bytes `sep`.  The separators are
 * removed in place (the items move left) and offsets[0, n] is written:
 * offsets[0] is 0 and offsets[n] is len - (n - 1).  n == 0 requires len == 0
 * and writes offsets[0] = 0.  When data holds another number of separators
 * (an item contained the separator), gives HOTPATH_EINVAL with data unchanged
 * (offsets may be written), so the caller can pack the items one by one.
 * HOTPATH_ENULL for a NULL offsets or a NULL data with len > 0,
 * HOTPATH_EOVERFLOW when n + 1 offsets cannot be counted. */
HOTPATH_API hotpath_status_t hotpath_split_joined(char* data, size_t len, uint8_t sep, size_t n,
                                                  size_t* offsets);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_COMMON_H */
