// The library's one internal thread pool (no OpenMP: a bundled library must
// not bring its own runtime into the host process).
//
// parallel_for splits [0, n) into chunks handed out dynamically to the
// workers and the calling thread.  A call costs no heap allocation once the
// workers exist, so warmed-up batch kernels stay allocation-free.  Only one
// parallel_for runs on the pool at a time; a concurrent or nested call runs
// serially on its own thread instead of waiting, so callers never deadlock.
//
// The pool is never destroyed: joining threads from a static destructor can
// deadlock (a DLL's loader lock) or race with late callers at exit.  After
// fork() the child forgets the parent's workers (they do not exist there) and
// starts its own on first use.  If threads cannot be created, work runs
// serially on the caller.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hotpath {

class ThreadPool {
 public:
  using RangeFn = void (*)(void* ctx, size_t begin, size_t end);

  static ThreadPool& instance();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // n >= 1 sets the thread count (caller included), 0 restores the default.
  void set_threads(int n);
  int threads() const noexcept { return threads_.load(std::memory_order_relaxed); }
  static int default_threads() noexcept;
  static constexpr int kMaxThreads = 256;

  // Runs fn(ctx, b, e) over disjoint ranges covering [0, n).  Ranges hold at
  // least `grain` items (except the last).  fn may throw; the first exception
  // is rethrown in the caller after every range has finished.
  void parallel_for(size_t n, size_t grain, RangeFn fn, void* ctx);

  // Times a worker finished a job that was not handed to it (the bookkeeping
  // went below zero).  Always 0 unless the hand-off protocol is broken; the
  // tests check it while restarting workers under load.
  unsigned long protocol_errors() const noexcept { return protocol_errors_.load(); }

  template <class F>
  void parallel_for(size_t n, size_t grain, F& f) {
    parallel_for(
        n, grain, [](void* c, size_t b, size_t e) { (*static_cast<F*>(c))(b, e); }, &f);
  }

 private:
  ThreadPool();
  bool start_workers(int count);  // requires submit_mutex_; false if threads cannot start
  void stop_workers();            // requires submit_mutex_
  void worker_loop(unsigned long seen);
  void run_chunks() noexcept;
  static void after_fork_in_child() noexcept;

  std::atomic<int> threads_;
  std::mutex submit_mutex_;  // one job at a time; also guards workers_
  // On the heap so that a forked child can abandon the parent's thread
  // objects (destroying a joinable std::thread terminates the process).
  std::vector<std::thread>* workers_;

  // Current job, published under mutex_.
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  unsigned long generation_ = 0;
  bool stopping_ = false;
  int active_ = 0;  // workers still inside the current job
  RangeFn fn_ = nullptr;
  void* ctx_ = nullptr;
  size_t n_ = 0;
  size_t chunk_ = 0;
  std::atomic<size_t> next_{0};
  std::atomic<unsigned long> protocol_errors_{0};
  std::exception_ptr error_;
  std::mutex error_mutex_;
};

}  // namespace hotpath
