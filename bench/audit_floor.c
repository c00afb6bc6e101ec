/*
 * audit_floor.c - the floor of hotpath.files.audit: the least work that gives the
 * same answer, so that bench/bench_files.py can report the audit as a ratio to it.
 *
 *     cc -O2 -std=c11 audit_floor.c -o audit_floor -lpthread
 *     cc -O2 -std=c11 -DFLOOR_URING audit_floor.c -o audit_floor -lpthread -luring
 *     audit_floor [--threads N] [--io plain|uring] [--ext md] [--repeat R] ROOT
 *
 * It walks ROOT like the audit's defaults (recursive, names starting with "." skipped,
 * symbolic links not followed), keeps the regular files whose name ends in ".ext"
 * (what the glob "*.md" matches on the last component), opens, reads and closes
 * each of them once and counts lines and words with the audit's rules
 * (docs/files.md, "Counting"): lines are the "\n" plus an unterminated last line
 * unless it is a lone "\r"; words are runs between Unicode white space (Python's
 * str.split()) for valid UTF-8, between ASCII white space for other bytes.  The
 * counting kernel is the same 16-byte SSE2 mask-and-popcount pass the library
 * uses, so the floor measures system calls, not a slower count.
 *
 * What it does not do, by design: no sort, no summary, no per-file record, no
 * error list (a failure is only counted), no symbolic links (counted as skipped).
 *
 * Walk: a shared stack of folders (relative paths from ROOT) served to N threads;
 * a folder is listed with getdents64 (one 32 KiB buffer per thread) and its
 * matching files are read right away through the folder's descriptor.
 *   --io plain: openat + read (+ more reads for a file larger than 64 KiB) + close.
 *   --io uring (built with -DFLOOR_URING and liburing): each folder's files go in
 *     batches of up to 64 linked chains openat (into a registered file slot) ->
 *     read 64 KiB -> close, one io_uring_submit_and_wait per batch; a file that
 *     fills its buffer is read again the plain way.
 *
 * Output, one line per repeat:
 *     files=N lines=L words=W bytes=B skipped=S errors=E seconds=T
 * seconds is the wall time from opening ROOT to the last thread's exit (thread and
 * ring set-up included; process start and argument parsing not).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(FLOOR_URING)
#include <liburing.h>
#endif

/* The library compiles its counting kernel per SIMD level (src/common/fastmath.hpp). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define FLOOR_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FLOOR_SIMD_CLONES
#endif

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
#define FILE_BUF 65536u
#define SLOTS 64u
#define DENTS_BUF 32768u

/* ---- counting (the audit's rules) ------------------------------------------------ */

static int ascii_space(unsigned c) { return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20); }

/* Lines ("\n") and word starts of an ASCII text; 0 at the first byte above 0x7F. */
FLOOR_SIMD_CLONES static int count_ascii(const unsigned char* s, size_t n, uint64_t* newlines,
                                         uint64_t* words) {
  uint64_t nl = 0, w = 0;
  unsigned prev_word = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i k9 = _mm_set1_epi8(9), k1c = _mm_set1_epi8(0x1C), k4 = _mm_set1_epi8(4),
                knl = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128((const __m128i*)(s + i));
    if (_mm_movemask_epi8(v)) return 0;
    const __m128i a = _mm_sub_epi8(v, k9), b = _mm_sub_epi8(v, k1c);
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, k4), a),
                                       _mm_cmpeq_epi8(_mm_min_epu8(b, k4), b));
    const unsigned word = ~(unsigned)_mm_movemask_epi8(space) & 0xFFFFu;
    const unsigned starts = word & ~((word << 1) | prev_word);
    w += (unsigned)__builtin_popcount(starts);
    nl += (unsigned)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, knl)));
    prev_word = word >> 15;
  }
#endif
  for (; i < n; ++i) {
    const unsigned c = s[i];
    if (c >= 0x80) return 0;
    const int space = ascii_space(c);
    nl += c == '\n';
    if (!space && !prev_word) ++w;
    prev_word = space ? 0 : 1;
  }
  *newlines = nl;
  *words = w;
  return 1;
}

/* The valid UTF-8 sequence at s[i] (its length, *cp its code point), or 0. */
static size_t utf8_at(const unsigned char* s, size_t i, size_t n, uint32_t* cp) {
  const unsigned b = s[i];
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
#define CONT(k) (i + (k) < n && (s[i + (k)] & 0xC0) == 0x80)
  if (b >= 0xC2 && b <= 0xDF) {
    if (!CONT(1)) return 0;
    *cp = ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (!CONT(1) || !CONT(2)) return 0;
    if (b == 0xE0 && s[i + 1] < 0xA0) return 0;
    if (b == 0xED && s[i + 1] >= 0xA0) return 0;
    *cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!CONT(1) || !CONT(2) || !CONT(3)) return 0;
    if (b == 0xF0 && s[i + 1] < 0x90) return 0;
    if (b == 0xF4 && s[i + 1] >= 0x90) return 0;
    *cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
          (s[i + 3] & 0x3Fu);
    return 4;
  }
#undef CONT
  return 0;
}

static int unicode_space(uint32_t cp) {
  if (cp < 0x80) return ascii_space(cp);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static void count(const unsigned char* s, size_t n, uint64_t* lines, uint64_t* words) {
  uint64_t nl = 0, w = 0;
  if (!count_ascii(s, n, &nl, &w)) {
    nl = 0;
    w = 0;
    int valid = 1;
    for (size_t i = 0; i < n;) {
      uint32_t cp;
      const size_t len = utf8_at(s, i, n, &cp);
      if (!len) {
        valid = 0;
        break;
      }
      i += len;
    }
    int in_word = 0;
    for (size_t i = 0; i < n;) {
      int space;
      if (valid) {
        uint32_t cp;
        i += utf8_at(s, i, n, &cp);
        space = unicode_space(cp);
      } else {  /* Python's bytes.split(): ASCII white space only */
        const unsigned b = s[i++];
        space = b == ' ' || (b >= 0x09 && b <= 0x0D);
      }
      if (!space && !in_word) ++w;
      in_word = !space;
    }
    for (size_t i = 0; i < n; ++i) nl += s[i] == '\n';
  }
  size_t tail = n;
  for (size_t i = n; i > 0; --i)
    if (s[i - 1] == '\n') {
      tail = n - i;
      break;
    }
  if (tail > 0 && !(tail == 1 && s[n - 1] == '\r')) ++nl;
  *lines = nl;
  *words = w;
}

/* ---- the shared stack of folders -------------------------------------------------- */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char** items;
  size_t n, cap, busy;
} queue = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0};

static void* xrealloc(void* p, size_t n) {
  void* q = realloc(p, n);
  if (!q) {
    fprintf(stderr, "audit_floor: out of memory\n");
    exit(2);
  }
  return q;
}

static void push_locked(char* rel) {
  if (queue.n == queue.cap) {
    queue.cap = queue.cap ? 2 * queue.cap : 1024;
    queue.items = xrealloc(queue.items, queue.cap * sizeof *queue.items);
  }
  queue.items[queue.n++] = rel;
}

/* ---- one worker --------------------------------------------------------------------- */

struct worker {
  pthread_t thread;
  int root_fd;
  int uring;
  const char* ext;
  size_t ext_len;
  uint64_t files, lines, words, bytes, skipped, errors;
  char dents[DENTS_BUF];
  unsigned char* buf;  /* FILE_BUF, grown for larger files (plain path) */
  size_t buf_cap;
  char* names;  /* NUL-terminated names of one folder's matching files */
  size_t names_len, names_cap;
  size_t* name_off;
  size_t name_n, name_cap;
  char** subs;  /* folders found in one folder */
  size_t sub_n, sub_cap;
#if defined(FLOOR_URING)
  struct io_uring ring;
  unsigned char* slots;  /* SLOTS * FILE_BUF */
#endif
};

static void tally(struct worker* w, const unsigned char* data, size_t n) {
  uint64_t lines, words;
  count(data, n, &lines, &words);
  w->files++;
  w->lines += lines;
  w->words += words;
  w->bytes += n;
}

/* openat + read to the first short read + close. */
static void read_plain(struct worker* w, int dfd, const char* name) {
  const int fd = openat(dfd, name, OPEN_FLAGS);
  if (fd < 0) {
    w->errors++;
    return;
  }
  size_t n = 0;
  for (;;) {
    if (n == w->buf_cap) {
      w->buf_cap *= 2;
      w->buf = xrealloc(w->buf, w->buf_cap);
    }
    const size_t want = w->buf_cap - n;
    const ssize_t r = read(fd, w->buf + n, want);
    if (r < 0) {
      if (errno == EINTR) continue;
      w->errors++;
      close(fd);
      return;
    }
    n += (size_t)r;
    if ((size_t)r < want) break;
  }
  close(fd);
  tally(w, w->buf, n);
}

#if defined(FLOOR_URING)
static int ring_init(struct worker* w) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
#if defined(IORING_SETUP_SINGLE_ISSUER)
  p.flags |= IORING_SETUP_SINGLE_ISSUER;
#endif
#if defined(IORING_SETUP_COOP_TASKRUN)
  p.flags |= IORING_SETUP_COOP_TASKRUN;
#endif
  int r = io_uring_queue_init_params(4 * SLOTS, &w->ring, &p);
  if (r == -EINVAL) {
    memset(&p, 0, sizeof p);
    r = io_uring_queue_init_params(4 * SLOTS, &w->ring, &p);
  }
  if (r < 0) return r;
  r = io_uring_register_files_sparse(&w->ring, SLOTS);
  if (r < 0) return r;
  w->slots = malloc((size_t)SLOTS * FILE_BUF);
  return w->slots ? 0 : -ENOMEM;
}

static void read_uring(struct worker* w, int dfd) {
  int open_res[SLOTS], read_res[SLOTS];
  for (size_t first = 0; first < w->name_n; first += SLOTS) {
    const unsigned k = (unsigned)(w->name_n - first < SLOTS ? w->name_n - first : SLOTS);
    for (unsigned j = 0; j < k; ++j) {
      const char* name = w->names + w->name_off[first + j];
      struct io_uring_sqe* s = io_uring_get_sqe(&w->ring);
      io_uring_prep_openat_direct(s, dfd, name, OPEN_FLAGS & ~O_CLOEXEC, 0, j);
      s->flags |= IOSQE_IO_LINK;
      s->user_data = j * 4 + 0;
      s = io_uring_get_sqe(&w->ring);
      io_uring_prep_read(s, (int)j, w->slots + (size_t)j * FILE_BUF, FILE_BUF, 0);
      s->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
      s->user_data = j * 4 + 1;
      s = io_uring_get_sqe(&w->ring);
      io_uring_prep_close_direct(s, j);
      s->user_data = j * 4 + 2;
      open_res[j] = read_res[j] = -ECANCELED;
    }
    int r = io_uring_submit_and_wait(&w->ring, 3 * k);
    if (r < 0) {
      fprintf(stderr, "audit_floor: io_uring_submit_and_wait: %s\n", strerror(-r));
      exit(2);
    }
    for (unsigned got = 0; got < 3 * k; ++got) {
      struct io_uring_cqe* c;
      r = io_uring_wait_cqe(&w->ring, &c);
      if (r < 0) {
        fprintf(stderr, "audit_floor: io_uring_wait_cqe: %s\n", strerror(-r));
        exit(2);
      }
      const unsigned slot = (unsigned)(c->user_data >> 2), op = (unsigned)(c->user_data & 3);
      if (op == 0) open_res[slot] = c->res;
      if (op == 1) read_res[slot] = c->res;
      io_uring_cqe_seen(&w->ring, c);
    }
    for (unsigned j = 0; j < k; ++j) {
      if (open_res[j] < 0 || read_res[j] < 0)
        w->errors++;
      else if ((unsigned)read_res[j] < FILE_BUF)
        tally(w, w->slots + (size_t)j * FILE_BUF, (size_t)read_res[j]);
      else
        read_plain(w, dfd, w->names + w->name_off[first + j]);  /* larger than a slot */
    }
  }
}
#endif

static int has_ext(const struct worker* w, const char* name, size_t len) {
  return len > w->ext_len + 1 && name[len - w->ext_len - 1] == '.' &&
         memcmp(name + len - w->ext_len, w->ext, w->ext_len) == 0;
}

struct dirent64_raw {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static void one_folder(struct worker* w, const char* rel) {
  const int dfd = openat(w->root_fd, rel[0] ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    w->errors++;
    return;
  }
  const size_t rel_len = strlen(rel);
  w->names_len = w->name_n = w->sub_n = 0;
  for (;;) {
    const long got = syscall(SYS_getdents64, dfd, w->dents, sizeof w->dents);
    if (got <= 0) {
      if (got < 0) w->errors++;
      break;
    }
    for (long pos = 0; pos < got;) {
      const struct dirent64_raw* d = (const struct dirent64_raw*)(w->dents + pos);
      pos += d->d_reclen;
      const char* name = d->d_name;
      if (name[0] == '.') continue;  /* ".", ".." and hidden names */
      unsigned type = d->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          w->errors++;
          continue;
        }
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
      }
      const size_t len = strlen(name);
      if (type == DT_DIR) {
        char* sub = xrealloc(NULL, rel_len + len + 2);
        if (rel_len) {
          memcpy(sub, rel, rel_len);
          sub[rel_len] = '/';
          memcpy(sub + rel_len + 1, name, len + 1);
        } else {
          memcpy(sub, name, len + 1);
        }
        if (w->sub_n == w->sub_cap) {
          w->sub_cap = w->sub_cap ? 2 * w->sub_cap : 64;
          w->subs = xrealloc(w->subs, w->sub_cap * sizeof *w->subs);
        }
        w->subs[w->sub_n++] = sub;
        continue;
      }
      if (!has_ext(w, name, len)) continue;
      if (type != DT_REG) {
        w->skipped++;
        continue;
      }
      if (w->names_len + len + 1 > w->names_cap) {
        w->names_cap = 2 * (w->names_len + len + 1);
        w->names = xrealloc(w->names, w->names_cap);
      }
      if (w->name_n == w->name_cap) {
        w->name_cap = w->name_cap ? 2 * w->name_cap : 256;
        w->name_off = xrealloc(w->name_off, w->name_cap * sizeof *w->name_off);
      }
      w->name_off[w->name_n++] = w->names_len;
      memcpy(w->names + w->names_len, name, len + 1);
      w->names_len += len + 1;
    }
  }
  /* Hand the sub-folders to the other threads before reading this folder's files. */
  if (w->sub_n) {
    pthread_mutex_lock(&queue.mu);
    for (size_t i = 0; i < w->sub_n; ++i) push_locked(w->subs[i]);
    pthread_cond_broadcast(&queue.cv);
    pthread_mutex_unlock(&queue.mu);
  }
#if defined(FLOOR_URING)
  if (w->uring) {
    read_uring(w, dfd);
  } else
#endif
  {
    for (size_t i = 0; i < w->name_n; ++i) read_plain(w, dfd, w->names + w->name_off[i]);
  }
  close(dfd);
}

static void* work(void* arg) {
  struct worker* w = arg;
#if defined(FLOOR_URING)
  if (w->uring) {
    const int r = ring_init(w);
    if (r < 0) {
      fprintf(stderr, "audit_floor: io_uring unavailable: %s\n", strerror(-r));
      exit(3);
    }
  }
#endif
  for (;;) {
    pthread_mutex_lock(&queue.mu);
    while (queue.n == 0 && queue.busy > 0) pthread_cond_wait(&queue.cv, &queue.mu);
    if (queue.n == 0) {  /* nothing queued, nobody busy: the walk is over */
      pthread_cond_broadcast(&queue.cv);
      pthread_mutex_unlock(&queue.mu);
      break;
    }
    char* rel = queue.items[--queue.n];
    queue.busy++;
    pthread_mutex_unlock(&queue.mu);
    one_folder(w, rel);
    free(rel);
    pthread_mutex_lock(&queue.mu);
    queue.busy--;
    if (queue.busy == 0 && queue.n == 0) pthread_cond_broadcast(&queue.cv);
    pthread_mutex_unlock(&queue.mu);
  }
#if defined(FLOOR_URING)
  if (w->uring) {
    io_uring_queue_exit(&w->ring);
    free(w->slots);
  }
#endif
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(void) {
  fprintf(stderr,
          "usage: audit_floor [--threads N] [--io plain|uring] [--ext md] [--repeat R] ROOT\n");
  return 2;
}

int main(int argc, char** argv) {
  int threads = 1, uring = 0, repeat = 1;
  const char* ext = "md";
  const char* root = NULL;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (!strcmp(a, "--threads") && i + 1 < argc) {
      threads = atoi(argv[++i]);
    } else if (!strcmp(a, "--io") && i + 1 < argc) {
      const char* v = argv[++i];
      if (!strcmp(v, "uring"))
        uring = 1;
      else if (strcmp(v, "plain"))
        return usage();
    } else if (!strcmp(a, "--ext") && i + 1 < argc) {
      ext = argv[++i];
    } else if (!strcmp(a, "--repeat") && i + 1 < argc) {
      repeat = atoi(argv[++i]);
    } else if (!strcmp(a, "--has-uring")) {
#if defined(FLOOR_URING)
      return 0;
#else
      return 1;
#endif
    } else if (a[0] == '-' || root) {
      return usage();
    } else {
      root = a;
    }
  }
  if (!root || threads < 1 || threads > 256 || repeat < 1) return usage();
#if !defined(FLOOR_URING)
  if (uring) {
    fprintf(stderr, "audit_floor: built without liburing (-DFLOOR_URING)\n");
    return 3;
  }
#endif
  struct worker* ws = calloc((size_t)threads, sizeof *ws);
  if (!ws) return 2;
  for (int t = 0; t < threads; ++t) {
    ws[t].uring = uring;
    ws[t].ext = ext;
    ws[t].ext_len = strlen(ext);
    ws[t].buf_cap = FILE_BUF;
    ws[t].buf = xrealloc(NULL, FILE_BUF);
  }
  for (int rep = 0; rep < repeat; ++rep) {
    const double t0 = now();
    const int root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
      fprintf(stderr, "audit_floor: cannot open %s: %s\n", root, strerror(errno));
      return 2;
    }
    char* top = xrealloc(NULL, 1);
    top[0] = 0;
    queue.busy = 0;
    push_locked(top);
    for (int t = 0; t < threads; ++t) {
      struct worker* w = &ws[t];
      w->root_fd = root_fd;
      w->files = w->lines = w->words = w->bytes = w->skipped = w->errors = 0;
      if (t > 0 && pthread_create(&w->thread, NULL, work, w) != 0) {
        fprintf(stderr, "audit_floor: pthread_create failed\n");
        return 2;
      }
    }
    work(&ws[0]);  /* the calling thread is worker 0 */
    for (int t = 1; t < threads; ++t) pthread_join(ws[t].thread, NULL);
    close(root_fd);
    const double t1 = now();
    uint64_t files = 0, lines = 0, words = 0, bytes = 0, skipped = 0, errors = 0;
    for (int t = 0; t < threads; ++t) {
      files += ws[t].files;
      lines += ws[t].lines;
      words += ws[t].words;
      bytes += ws[t].bytes;
      skipped += ws[t].skipped;
      errors += ws[t].errors;
    }
    printf("files=%llu lines=%llu words=%llu bytes=%llu skipped=%llu errors=%llu seconds=%.6f\n",
           (unsigned long long)files, (unsigned long long)lines, (unsigned long long)words,
           (unsigned long long)bytes, (unsigned long long)skipped, (unsigned long long)errors,
           t1 - t0);
    fflush(stdout);
  }
  return 0;
}
