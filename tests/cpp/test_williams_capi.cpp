// The Williams C API: values, every error status, and untouched outputs on failure.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "hotpath/williams.h"

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Straight from the specification, in long double, independent of the core.
long double ref_efficiency(uint64_t t) {
  if (t <= 1) return 1;
  const long double x = static_cast<long double>(t);
  return x / (std::sqrt(x) * std::log2(x));
}
double ref_confidence(uint64_t n, double b, long double lev) {
  if (n <= 1) return 1.0;
  long double base = b + (1 - (long double)b) * std::min<long double>(1, ref_efficiency(n) / 30);
  long double f;
  if (n >= 10 && n <= 500)
    f = 1 + lev / 1000;
  else if (n < 10)
    f = 1 + (lev / 1000) * ((long double)n / 10);
  else
    f = 1 + (lev / 1000) * (std::log10((long double)500) / std::log10((long double)n));
  return double(std::min<long double>(1, std::max<long double>(0.85L, base * f)));
}
std::string last_error() { return hotpath_last_error_message(); }
}  // namespace

TEST_CASE("optimal_batch_size: hand-computed cases", "[williams][capi]") {
  uint64_t out = 0;
  struct Case {
    uint64_t total;
    double avail, per;
    uint64_t expect;
  } cases[] = {
      {10000, 2048, 5, 1122},     // floor(409 * sqrt(7.52575)) = floor(1122.0x)
      {100, 50, 5, 12},           // floor(10 * sqrt(1.50515)) = 12
      {1000000, 100, 0.5, 1416},  // floor(200 * sqrt(50.1717)) = 1416
      {0, 1000, 5, 1},            // max(1, min(.., 0))
      {3, 1e6, 5, 3},             // capped by the total
      {10, 0, 5, 1},              // no memory still gives a batch of one
      {~0ull, 1e300, 1, ~0ull},   // efficient exceeds uint64: the total wins exactly
      {(1ull << 63) + 1, 1e300, 1, (1ull << 63) + 1},
  };
  for (const auto& c : cases) {
    INFO(c.total << " " << c.avail << " " << c.per);
    REQUIRE(hotpath_williams_optimal_batch_size(c.total, c.avail, c.per, &out) == HOTPATH_OK);
    CHECK(out == c.expect);
  }
}

TEST_CASE("optimal_batch_size: bad arguments", "[williams][capi]") {
  uint64_t out = 77;
  for (double per : {0.0, -1.0, kNaN, kInf}) {
    CHECK(hotpath_williams_optimal_batch_size(10, 100, per, &out) == HOTPATH_ERANGE);
    CHECK(last_error().find("memory_per_item_mb") != std::string::npos);
  }
  for (double avail : {-0.5, kNaN, kInf, -kInf}) {
    CHECK(hotpath_williams_optimal_batch_size(10, avail, 5, &out) == HOTPATH_ERANGE);
    CHECK(last_error().find("available_memory_mb") != std::string::npos);
  }
  CHECK(out == 77);
  CHECK(hotpath_williams_optimal_batch_size(10, 100, 5, nullptr) == HOTPATH_ENULL);
  CHECK(last_error().find("'out'") != std::string::npos);
}

TEST_CASE("confidence_multiplier: branches, clamps and a long double reference",
          "[williams][capi]") {
  double out = 0;
  const int32_t regimes[] = {HOTPATH_WILLIAMS_REGIME_SUPPORT, HOTPATH_WILLIAMS_REGIME_EXPLORATION,
                             HOTPATH_WILLIAMS_REGIME_BALANCE};
  const long double lev[] = {32.1L, 26.8L, 11.5L};
  for (int r = 0; r < 3; ++r) {
    for (uint64_t n : {0ull, 1ull, 2ull, 5ull, 9ull, 10ull, 11ull, 100ull, 499ull, 500ull, 501ull,
                       5000ull, 1ull << 40, ~0ull}) {
      for (double b : {0.0, 0.5, 0.85, 0.9, 0.99, 1.0}) {
        INFO("regime " << r << " n " << n << " base " << b);
        REQUIRE(hotpath_williams_confidence_multiplier(n, b, regimes[r], &out) == HOTPATH_OK);
        CHECK(out == Approx(ref_confidence(n, b, lev[r])).epsilon(1e-13));
        CHECK(out >= (n <= 1 ? 1.0 : 0.85));
        CHECK(out <= 1.0);
      }
    }
  }
  // Hand-derived: n=5, base 0.85, balance: eff 0.963022, base 0.854815, x 1.00575.
  REQUIRE(hotpath_williams_confidence_multiplier(5, 0.85, HOTPATH_WILLIAMS_REGIME_BALANCE, &out) ==
          0);
  CHECK(out == Approx(0.859730).margin(1e-6));
  REQUIRE(hotpath_williams_confidence_multiplier(5, 0.0, HOTPATH_WILLIAMS_REGIME_SUPPORT, &out) ==
          0);
  CHECK(out == 0.85);  // lower clamp
  REQUIRE(hotpath_williams_confidence_multiplier(100, 1.0, HOTPATH_WILLIAMS_REGIME_SUPPORT, &out) ==
          0);
  CHECK(out == 1.0);  // upper clamp
}

TEST_CASE("confidence_multiplier: bad arguments", "[williams][capi]") {
  double out = 42;
  for (double b : {-0.01, 1.01, kNaN, kInf}) {
    CHECK(hotpath_williams_confidence_multiplier(100, b, 2, &out) == HOTPATH_ERANGE);
    CHECK(last_error().find("base_confidence") != std::string::npos);
  }
  // Validation comes first, even where the formula would short-circuit to 1.0.
  CHECK(hotpath_williams_confidence_multiplier(1, 2.0, 2, &out) == HOTPATH_ERANGE);
  for (int32_t r : {-1, 3, 1000}) {
    CHECK(hotpath_williams_confidence_multiplier(100, 0.85, r, &out) == HOTPATH_EINVAL);
    CHECK(last_error().find("regime") != std::string::npos);
  }
  CHECK(out == 42);
  CHECK(hotpath_williams_confidence_multiplier(100, 0.85, 2, nullptr) == HOTPATH_ENULL);
}

TEST_CASE("regime helpers and defaults", "[williams][capi]") {
  int32_t r = -1;
  REQUIRE(hotpath_williams_regime_from_name("exploration", 11, &r) == HOTPATH_OK);
  CHECK(r == HOTPATH_WILLIAMS_REGIME_EXPLORATION);
  // Length-delimited: the terminator is not needed, trailing bytes are ignored.
  REQUIRE(hotpath_williams_regime_from_name("supportXYZ", 7, &r) == HOTPATH_OK);
  CHECK(r == HOTPATH_WILLIAMS_REGIME_SUPPORT);
  CHECK(hotpath_williams_regime_from_name("BALANCE", 7, &r) == HOTPATH_EINVAL);
  CHECK(last_error().find("BALANCE") != std::string::npos);
  CHECK(hotpath_williams_regime_from_name(nullptr, 0, &r) == HOTPATH_ENULL);
  CHECK(hotpath_williams_regime_from_name("balance", 7, nullptr) == HOTPATH_ENULL);
  double lev = 0;
  REQUIRE(hotpath_williams_regime_leverage(HOTPATH_WILLIAMS_REGIME_BALANCE, &lev) == HOTPATH_OK);
  CHECK(lev == 11.5);
  CHECK(hotpath_williams_regime_leverage(7, &lev) == HOTPATH_EINVAL);
  CHECK(hotpath_williams_default_base_confidence() == 0.85);
  CHECK(hotpath_williams_default_memory_per_item_mb() == 5.0);
}

TEST_CASE("batch functions: empty, NULL, overflow", "[williams][capi]") {
  CHECK(hotpath_williams_space_bound_batch(nullptr, 0, nullptr) == HOTPATH_OK);
  CHECK(hotpath_williams_efficiency_batch(nullptr, 0, nullptr) == HOTPATH_OK);
  CHECK(hotpath_williams_space_saved_percent_batch(nullptr, 0, nullptr) == HOTPATH_OK);
  CHECK(hotpath_williams_optimal_batch_size_batch(nullptr, 0, 1, 1, nullptr) == HOTPATH_OK);
  CHECK(hotpath_williams_confidence_multiplier_batch(nullptr, 0, nullptr, 0.85, 2, nullptr) ==
        HOTPATH_OK);
  uint64_t in[2] = {10, 20};
  double out[2] = {-1, -1};
  CHECK(hotpath_williams_space_bound_batch(nullptr, 2, out) == HOTPATH_ENULL);
  CHECK(last_error().find("'in'") != std::string::npos);
  CHECK(hotpath_williams_space_bound_batch(in, 2, nullptr) == HOTPATH_ENULL);
  CHECK(last_error().find("'out'") != std::string::npos);
  CHECK(hotpath_williams_efficiency_batch(in, SIZE_MAX / 2, out) == HOTPATH_EOVERFLOW);
  CHECK(out[0] == -1);
}

TEST_CASE("batch functions equal the scalar C functions", "[williams][capi]") {
  std::vector<uint64_t> in;
  for (uint64_t t = 0; t < 70000; ++t) in.push_back(t * t * 977 + t);
  std::vector<double> out(in.size());
  REQUIRE(hotpath_williams_space_bound_batch(in.data(), in.size(), out.data()) == HOTPATH_OK);
  for (size_t i = 0; i < in.size(); ++i) REQUIRE(out[i] == hotpath_williams_space_bound(in[i]));
  REQUIRE(hotpath_williams_efficiency_batch(in.data(), in.size(), out.data()) == HOTPATH_OK);
  for (size_t i = 0; i < in.size(); ++i) REQUIRE(out[i] == hotpath_williams_efficiency(in[i]));
  REQUIRE(hotpath_williams_space_saved_percent_batch(in.data(), in.size(), out.data()) ==
          HOTPATH_OK);
  for (size_t i = 0; i < in.size(); ++i)
    REQUIRE(out[i] == hotpath_williams_space_saved_percent(in[i]));

  std::vector<uint64_t> sizes(in.size());
  REQUIRE(hotpath_williams_optimal_batch_size_batch(in.data(), in.size(), 512, 3, sizes.data()) ==
          0);
  for (size_t i = 0; i < in.size(); i += 97) {
    uint64_t one = 0;
    REQUIRE(hotpath_williams_optimal_batch_size(in[i], 512, 3, &one) == 0);
    REQUIRE(sizes[i] == one);
  }
  REQUIRE(hotpath_williams_confidence_multiplier_batch(in.data(), in.size(), nullptr, 0.7,
                                                       HOTPATH_WILLIAMS_REGIME_EXPLORATION,
                                                       out.data()) == 0);
  for (size_t i = 0; i < in.size(); i += 97) {
    double one = 0;
    REQUIRE(hotpath_williams_confidence_multiplier(in[i], 0.7, 1, &one) == 0);
    REQUIRE(out[i] == one);
  }
}

TEST_CASE("batch functions reject bad parameters before writing anything", "[williams][capi]") {
  const uint64_t in[4] = {5, 50, 500, 5000};
  double bases[4] = {0.9, 0.8, 1.5, 0.7};
  double out[4] = {-1, -1, -1, -1};
  CHECK(hotpath_williams_confidence_multiplier_batch(in, 4, bases, 0.0, 2, out) == HOTPATH_ERANGE);
  CHECK(last_error().find("base_confidences[2]") != std::string::npos);
  bases[2] = kNaN;
  CHECK(hotpath_williams_confidence_multiplier_batch(in, 4, bases, 0.0, 2, out) == HOTPATH_ERANGE);
  CHECK(hotpath_williams_confidence_multiplier_batch(in, 4, nullptr, -0.1, 2, out) ==
        HOTPATH_ERANGE);
  CHECK(hotpath_williams_confidence_multiplier_batch(in, 4, nullptr, 0.85, 9, out) ==
        HOTPATH_EINVAL);
  for (double v : out) CHECK(v == -1);
  uint64_t sizes[4] = {9, 9, 9, 9};
  CHECK(hotpath_williams_optimal_batch_size_batch(in, 4, kNaN, 5, sizes) == HOTPATH_ERANGE);
  CHECK(hotpath_williams_optimal_batch_size_batch(in, 4, 100, 0, sizes) == HOTPATH_ERANGE);
  for (uint64_t v : sizes) CHECK(v == 9);
}
