// The Williams core: the vectorizable helpers against libm and long double
// references, and the batch kernels against the scalar formulas.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "common/fastmath.hpp"
#include "common/thread_pool.hpp"
#include "williams/williams.hpp"

namespace fm = hotpath::fastmath;
namespace w = hotpath::williams;

namespace {
// Distance in units in the last place between two finite positive doubles.
uint64_t ulps(double a, double b) {
  uint64_t ua, ub;
  std::memcpy(&ua, &a, 8);
  std::memcpy(&ub, &b, 8);
  return ua > ub ? ua - ub : ub - ua;
}

// Values spread over every magnitude of uint64, plus the edges.
std::vector<uint64_t> sample_inputs(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> v = {0,
                             1,
                             2,
                             3,
                             4,
                             5,
                             7,
                             8,
                             9,
                             10,
                             100,
                             1000,
                             10000,
                             1u << 20,
                             (1ull << 52) - 1,
                             1ull << 52,
                             (1ull << 53) + 1,
                             1ull << 63,
                             ~0ull,
                             ~0ull - 1};
  while (v.size() < n) {
    const int bits = int(rng() % 64) + 1;
    v.push_back(rng() >> (64 - bits));
  }
  return v;
}
}  // namespace

TEST_CASE("u64_to_double rounds exactly like the compiler's conversion", "[williams][fastmath]") {
  for (uint64_t x : sample_inputs(200000, 1)) {
    INFO(x);
    REQUIRE(fm::u64_to_double(x) == static_cast<double>(x));
  }
  // Halfway cases above 2^53 must round to even.
  for (uint64_t x = (1ull << 53) - 4; x < (1ull << 53) + 16; ++x)
    REQUIRE(fm::u64_to_double(x) == static_cast<double>(x));
  REQUIRE(fm::u64_to_double((1ull << 63) + 1024) == static_cast<double>((1ull << 63) + 1024));
}

TEST_CASE("log2_ge1 is within 2 ulp of libm and exact on powers of two", "[williams][fastmath]") {
  for (int k = 0; k < 64; ++k) REQUIRE(fm::log2_ge1(std::ldexp(1.0, k)) == double(k));
  uint64_t worst = 0;
  for (uint64_t t : sample_inputs(300000, 2)) {
    if (t < 2) continue;
    const double x = static_cast<double>(t);
    worst = std::max(worst, ulps(fm::log2_ge1(x), std::log2(x)));
  }
  CHECK(worst <= 2);
  // Non-integers across [1, 2^64) too (the range reduction sees every mantissa).
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 64.0);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::exp2(u(rng));
    REQUIRE(ulps(fm::log2_ge1(x), std::log2(x)) <= 2);
  }
}

TEST_CASE("golden values from the specification", "[williams]") {
  struct G {
    uint64_t t;
    double bound, eff, saved;
  } golden[] = {{100, 66.438562, 1.505150, 33.561438},
                {1000, 315.145770, 3.173135, 68.485423},
                {10000, 1328.771238, 7.525750, 86.712288}};
  for (const auto& g : golden) {
    CHECK(w::space_bound(g.t) == Approx(g.bound).margin(1e-6));
    CHECK(w::efficiency(g.t) == Approx(g.eff).margin(1e-6));
    CHECK(w::space_saved_percent(g.t) == Approx(g.saved).margin(1e-6));
  }
  for (uint64_t t : {0ull, 1ull}) {
    CHECK(w::space_bound(t) == 1.0);
    CHECK(w::efficiency(t) == 1.0);
    CHECK(w::space_saved_percent(t) == 0.0);
  }
  CHECK(w::space_bound(2) == std::sqrt(2.0));
  CHECK(w::space_bound(1ull << 32) == 65536.0 * 32.0);
}

TEST_CASE("scalar formulas agree with a long double reference", "[williams]") {
  for (uint64_t t : sample_inputs(50000, 4)) {
    if (t < 2) continue;
    const long double x = static_cast<long double>(t);
    const long double sb = std::sqrt(x) * std::log2(x);
    INFO(t);
    REQUIRE(double(std::fabs(w::space_bound(t) - sb) / sb) < 1e-15);
    REQUIRE(double(std::fabs(w::efficiency(t) - x / sb) / (x / sb)) < 1e-15);
    const long double saved = (x - sb) / x * 100;
    REQUIRE(double(std::fabs(w::space_saved_percent(t) - saved)) < 1e-12);
  }
}

TEST_CASE("batch kernels equal the scalar functions bit for bit", "[williams]") {
  const std::vector<uint64_t> in = sample_inputs(200000, 5);  // above the parallel threshold
  std::vector<double> out(in.size());
  for (int threads : {1, 2}) {
    hotpath::ThreadPool::instance().set_threads(threads);
    w::space_bound_batch(in.data(), in.size(), out.data());
    for (size_t i = 0; i < in.size(); ++i) REQUIRE(out[i] == w::space_bound(in[i]));
    w::efficiency_batch(in.data(), in.size(), out.data());
    for (size_t i = 0; i < in.size(); ++i) REQUIRE(out[i] == w::efficiency(in[i]));
    w::space_saved_percent_batch(in.data(), in.size(), out.data());
    for (size_t i = 0; i < in.size(); ++i) REQUIRE(out[i] == w::space_saved_percent(in[i]));

    std::vector<uint64_t> sizes(in.size());
    w::optimal_batch_size_batch(in.data(), in.size(), 4096.0, 2.5, sizes.data());
    for (size_t i = 0; i < in.size(); ++i)
      REQUIRE(sizes[i] == w::optimal_batch_size(in[i], 4096.0, 2.5));
    std::vector<double> bases(in.size());
    for (size_t i = 0; i < in.size(); ++i) bases[i] = double(i % 101) / 100.0;
    w::confidence_multiplier_batch(in.data(), in.size(), bases.data(), 0.0, w::Regime::Support,
                                   out.data());
    for (size_t i = 0; i < in.size(); ++i)
      REQUIRE(out[i] == w::confidence_multiplier(in[i], bases[i], w::Regime::Support));
  }
  hotpath::ThreadPool::instance().set_threads(0);
}

TEST_CASE("regime names and leverage", "[williams]") {
  w::Regime r;
  CHECK(w::regime_from_name("support", 7, &r));
  CHECK(r == w::Regime::Support);
  CHECK(w::regime_from_name("exploration", 11, &r));
  CHECK(r == w::Regime::Exploration);
  CHECK(w::regime_from_name("balance", 7, &r));
  CHECK(r == w::Regime::Balance);
  CHECK_FALSE(w::regime_from_name("Balance", 7, &r));
  CHECK_FALSE(w::regime_from_name("balanced", 8, &r));
  CHECK_FALSE(w::regime_from_name("balance", 6, &r));
  CHECK_FALSE(w::regime_from_name("", 0, &r));
  CHECK(w::regime_leverage(w::Regime::Support) == 32.1);
  CHECK(w::regime_leverage(w::Regime::Exploration) == 26.8);
  CHECK(w::regime_leverage(w::Regime::Balance) == 11.5);
}
