// The internal pool: coverage of every index, exceptions, nesting, concurrency.
// Catch2's assertions are not thread-safe: range bodies running on pool
// workers only record what they saw (in atomics), and the test thread asserts.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/thread_pool.hpp"

using hotpath::ThreadPool;

namespace {
struct ThreadsGuard {
  explicit ThreadsGuard(int n) { ThreadPool::instance().set_threads(n); }
  ~ThreadsGuard() { ThreadPool::instance().set_threads(0); }
};
}  // namespace

TEST_CASE("parallel_for visits every index exactly once", "[pool]") {
  for (int threads : {1, 2, 3, 8}) {
    ThreadsGuard g(threads);
    for (size_t n : {size_t(0), size_t(1), size_t(7), size_t(1000), size_t(100003)}) {
      for (size_t grain : {size_t(0), size_t(1), size_t(64), size_t(5000)}) {
        std::vector<std::atomic<int>> hits(n);
        std::atomic<size_t> bad_ranges{0};
        auto body = [&](size_t b, size_t e) {
          if (b >= e || e > n) {
            bad_ranges.fetch_add(1);
            return;
          }
          for (size_t i = b; i < e; ++i) hits[i].fetch_add(1);
        };
        ThreadPool::instance().parallel_for(n, grain, body);
        size_t wrong = 0;
        for (auto& h : hits) wrong += h.load() != 1;
        INFO("threads " << threads << " n " << n << " grain " << grain);
        CHECK(bad_ranges.load() == 0);
        CHECK(wrong == 0);
      }
    }
  }
}

TEST_CASE("parallel_for uses more than one thread when asked", "[pool]") {
  ThreadsGuard g(2);
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  auto body = [&](size_t, size_t) {
    int now = ++inside;
    int prev = max_inside.load();
    while (now > prev && !max_inside.compare_exchange_weak(prev, now)) {
    }
    // Hold the range long enough for the other thread to enter its own.
    for (int spin = 0; spin < 2000 && max_inside.load() < 2; ++spin)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    --inside;
  };
  ThreadPool::instance().parallel_for(8, 1, body);
  CHECK(max_inside.load() == 2);
}

TEST_CASE("an exception in a range reaches the caller after all ranges ran", "[pool]") {
  ThreadsGuard g(4);
  std::atomic<size_t> done{0};
  auto body = [&](size_t b, size_t e) {
    done += e - b;
    if (b == 0) throw std::runtime_error("range 0 failed");
  };
  CHECK_THROWS_WITH(ThreadPool::instance().parallel_for(1000, 10, body), "range 0 failed");
  CHECK(done.load() == 1000);
  // The pool is still usable.
  std::atomic<size_t> sum{0};
  auto ok = [&](size_t b, size_t e) { sum += e - b; };
  ThreadPool::instance().parallel_for(1000, 10, ok);
  CHECK(sum.load() == 1000);
}

TEST_CASE("nested and concurrent parallel_for calls complete", "[pool]") {
  ThreadsGuard g(2);
  std::atomic<size_t> total{0};
  auto inner = [&](size_t b, size_t e) { total += e - b; };
  auto outer = [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) ThreadPool::instance().parallel_for(100, 1, inner);
  };
  std::thread other([&] { ThreadPool::instance().parallel_for(50, 1, outer); });
  ThreadPool::instance().parallel_for(50, 1, outer);
  other.join();
  CHECK(total.load() == 2 * 50 * 100);
}

TEST_CASE("restarted workers never run a stale job", "[pool]") {
  // Every parallel_for must have finished all its ranges when it returns,
  // also right after set_threads restarted the workers, and while another
  // thread keeps restarting them.
  std::atomic<bool> stop{false};
  std::thread changer([&] {
    int k = 0;
    while (!stop.load()) {
      ThreadPool::instance().set_threads(2 + (k++ % 3));
      std::this_thread::yield();
    }
  });
  size_t bad = 0;
  for (int round = 0; round < 2000; ++round) {
    ThreadPool::instance().set_threads(2 + round % 2);
    std::atomic<size_t> done{0};
    auto body = [&](size_t b, size_t e) { done += e - b; };
    ThreadPool::instance().parallel_for(64, 1, body);
    const size_t at_return = done.load();
    std::this_thread::yield();
    bad += at_return != 64 || done.load() != 64;
  }
  stop = true;
  changer.join();
  ThreadPool::instance().set_threads(0);
  CHECK(bad == 0);
  CHECK(ThreadPool::instance().protocol_errors() == 0);
}

#if !defined(_WIN32)
#include <sys/wait.h>
#include <unistd.h>

TEST_CASE("the pool works in a forked child", "[pool]") {
#if defined(__SANITIZE_THREAD__) && !defined(__clang__)
  // GCC 12's libtsan still counts the parent's workers as alive in the child
  // and aborts the child's first pthread_create ("dup thread with used id",
  // exit 66) whatever die_after_fork says; clang's runtime handles it, and
  // scripts/test.sh --sanitize builds TSan with clang.
  WARN("skipped: GCC's ThreadSanitizer cannot start threads in a forked child");
  return;
#endif
  ThreadsGuard g(2);
  std::atomic<size_t> warm{0};
  auto count = [&](size_t b, size_t e) { warm += e - b; };
  ThreadPool::instance().parallel_for(1000, 10, count);  // the parent's workers exist now
  REQUIRE(warm.load() == 1000);

  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    alarm(20);  // a hang kills the child, which the parent sees as a failure
    std::atomic<size_t> sum{0};
    auto body = [&](size_t b, size_t e) { sum += e - b; };
    ThreadPool::instance().parallel_for(100000, 100, body);
    ThreadPool::instance().set_threads(3);
    ThreadPool::instance().parallel_for(100000, 100, body);
    _exit(sum.load() == 200000 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // The parent's pool is untouched.
  warm = 0;
  ThreadPool::instance().parallel_for(1000, 10, count);
  CHECK(warm.load() == 1000);
}
#endif
