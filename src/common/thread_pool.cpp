#include "common/thread_pool.hpp"

#include <algorithm>
#include <new>
#include <system_error>

#if !defined(_WIN32)
#include <pthread.h>
#endif

namespace hotpath {

namespace {
// Set on pool workers (and on a caller running its share) so that a kernel
// calling parallel_for from inside a job runs serially instead of waiting on
// itself.
thread_local bool tls_in_pool = false;
ThreadPool* g_pool = nullptr;
}  // namespace

ThreadPool& ThreadPool::instance() {
  // Deliberately leaked: see the header.
  static ThreadPool* pool = [] {
    g_pool = new ThreadPool;
#if !defined(_WIN32)
    pthread_atfork(nullptr, nullptr, &ThreadPool::after_fork_in_child);
#endif
    return g_pool;
  }();
  return *pool;
}

ThreadPool::ThreadPool() : threads_(default_threads()), workers_(new std::vector<std::thread>) {}

void ThreadPool::after_fork_in_child() noexcept {
  // Only the forking thread exists in the child.  The parent's workers are
  // gone, and any mutex may have been copied in the locked state: abandon the
  // thread objects and rebuild the synchronisation objects in place.
  ThreadPool* p = g_pool;
  if (p == nullptr) return;
  p->workers_ = new (std::nothrow) std::vector<std::thread>;  // the old vector is leaked
  new (&p->submit_mutex_) std::mutex;
  new (&p->mutex_) std::mutex;
  new (&p->error_mutex_) std::mutex;
  new (&p->work_cv_) std::condition_variable;
  new (&p->done_cv_) std::condition_variable;
  p->active_ = 0;
  p->stopping_ = false;
  p->error_ = nullptr;
  tls_in_pool = false;
}

int ThreadPool::default_threads() noexcept {
  unsigned hc = std::thread::hardware_concurrency();
  if (hc == 0) hc = 1;
  return static_cast<int>(std::min<unsigned>(hc, kMaxThreads));
}

void ThreadPool::set_threads(int n) {
  int want = n <= 0 ? default_threads() : std::min(n, kMaxThreads);
  // Waits for a running job: its workers finish with the count it started with.
  std::lock_guard<std::mutex> lock(submit_mutex_);
  if (want == threads_.load()) return;
  stop_workers();  // restarted lazily by the next parallel job
  threads_.store(want);
}

bool ThreadPool::start_workers(int count) {
  unsigned long current;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
    current = generation_;
  }
  if (workers_ == nullptr) return false;  // after a fork that could not allocate
  try {
    workers_->reserve(static_cast<size_t>(count));
    // Each worker starts from the current generation, so it only wakes for
    // jobs published after it was created.
    for (int i = 0; i < count; ++i)
      workers_->emplace_back([this, current] { worker_loop(current); });
  } catch (const std::system_error&) {
    stop_workers();  // thread limit reached: the caller runs the job serially
    return false;
  } catch (const std::bad_alloc&) {
    stop_workers();
    return false;
  }
  return true;
}

void ThreadPool::stop_workers() {
  if (workers_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : *workers_) t.join();
  workers_->clear();
}

void ThreadPool::run_chunks() noexcept {
  for (;;) {
    size_t begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
    if (begin >= n_) return;
    size_t end = std::min(n_, begin + chunk_);
    try {
      fn_(ctx_, begin, end);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::worker_loop(unsigned long seen) {
  tls_in_pool = true;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    run_chunks();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (active_ <= 0) {
        protocol_errors_.fetch_add(1);  // a job this worker was not counted in
        continue;
      }
      if (--active_ == 0) done_cv_.notify_one();
    }
  }
}

void ThreadPool::parallel_for(size_t n, size_t grain, RangeFn fn, void* ctx) {
  if (n == 0) return;
  if (grain == 0) grain = 1;
  int nthreads = threads();
  size_t max_useful = (n + grain - 1) / grain;
  std::unique_lock<std::mutex> submit(submit_mutex_, std::defer_lock);
  if (nthreads <= 1 || max_useful <= 1 || tls_in_pool || !submit.try_lock()) {
    fn(ctx, 0, n);
    return;
  }
  nthreads = threads();  // re-read under the lock: set_threads may have run
  if (workers_ == nullptr || workers_->size() != static_cast<size_t>(nthreads - 1)) {
    stop_workers();
    if (!start_workers(nthreads - 1)) {
      submit.unlock();
      fn(ctx, 0, n);
      return;
    }
  }
  // A few chunks per thread balances uneven cores without much contention.
  size_t chunks = std::min(max_useful, static_cast<size_t>(nthreads) * 4);
  size_t chunk = (n + chunks - 1) / chunks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = fn;
    ctx_ = ctx;
    n_ = n;
    chunk_ = chunk;
    next_.store(0, std::memory_order_relaxed);
    error_ = nullptr;
    active_ = static_cast<int>(workers_->size());
    ++generation_;
  }
  work_cv_.notify_all();
  tls_in_pool = true;  // the caller's own share must not re-enter the pool
  run_chunks();
  tls_in_pool = false;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return active_ == 0; });
  }
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

}  // namespace hotpath
