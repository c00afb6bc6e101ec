// ns per item of the Williams batch kernels through the C API, at 1 thread
// and at the pool's default, plus libm's log2 loop as a yardstick.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "hotpath/hotpath.h"

namespace {

std::vector<uint64_t> inputs(size_t n) {
  std::vector<uint64_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i + 1;  // t = 1..n, as in the Python bench
  return v;
}

// Times call(in, n) over t = 1..n with the thread count of the benchmark's
// second argument; every kernel below is one call into the C API.
template <class Call>
void run_batch(benchmark::State& state, Call call) {
  const size_t n = static_cast<size_t>(state.range(0));
  hotpath_set_num_threads(static_cast<int32_t>(state.range(1)));
  const std::vector<uint64_t> in = inputs(n);
  for (auto _ : state) {
    call(in.data(), n);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  hotpath_set_num_threads(0);
}

template <hotpath_status_t (*Fn)(const uint64_t*, size_t, double*)>
void BM_batch(benchmark::State& state) {
  std::vector<double> out(static_cast<size_t>(state.range(0)));
  run_batch(state, [&](const uint64_t* in, size_t n) { Fn(in, n, out.data()); });
}

void BM_confidence_batch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<double> bases(n, 0.85), out(n);
  run_batch(state, [&](const uint64_t* in, size_t m) {
    hotpath_williams_confidence_multiplier_batch(in, m, bases.data(), 0, 2, out.data());
  });
}

void BM_optimal_batch_size_batch(benchmark::State& state) {
  std::vector<uint64_t> out(static_cast<size_t>(state.range(0)));
  run_batch(state, [&](const uint64_t* in, size_t n) {
    hotpath_williams_optimal_batch_size_batch(in, n, 2048.0, 5.0, out.data());
  });
}

void BM_libm_reference(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint64_t> in = inputs(n);
  std::vector<double> out(n);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      const double x = static_cast<double>(in[i]);
      out[i] = std::sqrt(x) * std::log2(x);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {1000, 32768, 65536, 100000, 1000000})
    for (int64_t t : {1, 0}) b->Args({n, t});  // 0 = default thread count
  b->ArgNames({"n", "threads"});
}

}  // namespace

BENCHMARK_TEMPLATE(BM_batch, hotpath_williams_space_bound_batch)->Apply(sizes)->UseRealTime();
BENCHMARK_TEMPLATE(BM_batch, hotpath_williams_efficiency_batch)->Apply(sizes)->UseRealTime();
BENCHMARK_TEMPLATE(BM_batch, hotpath_williams_space_saved_percent_batch)
    ->Apply(sizes)
    ->UseRealTime();
BENCHMARK(BM_confidence_batch)->Apply(sizes)->UseRealTime();
BENCHMARK(BM_optimal_batch_size_batch)->Apply(sizes)->UseRealTime();
BENCHMARK(BM_libm_reference)->Arg(1000000)->UseRealTime();

BENCHMARK_MAIN();
