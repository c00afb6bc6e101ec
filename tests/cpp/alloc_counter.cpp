#include "alloc_counter.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>

// glibc's own entry points, which the interposed functions forward to.
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
void __libc_free(void*);
}

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> count{0};
inline void note() {
  if (counting.load(std::memory_order_relaxed)) count.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

namespace alloc_counter {
void start() {
  count.store(0);
  counting.store(true);
}
size_t stop() {
  counting.store(false);
  return count.load();
}
}  // namespace alloc_counter

// Exported explicitly: the project builds with hidden visibility, and a hidden
// malloc in the executable would not interpose the one the library calls.
#define EXPORTED __attribute__((visibility("default")))

extern "C" {
EXPORTED void* malloc(size_t n) {
  note();
  return __libc_malloc(n);
}
EXPORTED void* calloc(size_t a, size_t b) {
  note();
  return __libc_calloc(a, b);
}
EXPORTED void* realloc(void* p, size_t n) {
  note();
  return __libc_realloc(p, n);
}
EXPORTED void* memalign(size_t al, size_t n) {
  note();
  return __libc_memalign(al, n);
}
EXPORTED void* aligned_alloc(size_t al, size_t n) {
  note();
  return __libc_memalign(al, n);
}
EXPORTED int posix_memalign(void** out, size_t al, size_t n) {
  note();
  void* p = __libc_memalign(al, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
EXPORTED void free(void* p) { __libc_free(p); }
}
