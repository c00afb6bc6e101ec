// Prints a digest of the Williams kernels' exact output bits over inputs of
// every magnitude.  Built twice (tests/CMakeLists.txt): with the per-SIMD-level
// clones the library uses, and with the baseline x86-64 code only; the
// simd_clones_agree test requires the two digests to be equal.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "williams/williams.hpp"

namespace w = hotpath::williams;

namespace {
uint64_t fnv(uint64_t h, const void* p, size_t n) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}
}  // namespace

int main() {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> in = {0, 1, 2, 3, 9, 10, 500, 501, 1000, ~0ull};
  while (in.size() < 200000) in.push_back(rng() >> (rng() % 64));
  std::vector<double> out(in.size()), bases(in.size());
  for (size_t i = 0; i < in.size(); ++i) bases[i] = double(i % 1001) / 1000.0;
  std::vector<uint64_t> sizes(in.size());

  struct {
    const char* name;
    uint64_t hash;
  } rows[8];
  int k = 0;
  auto add = [&](const char* name, const void* p, size_t n) {
    rows[k].name = name;
    rows[k].hash = fnv(1469598103934665603ull, p, n);
    ++k;
  };
  w::space_bound_batch(in.data(), in.size(), out.data());
  add("space_bound_batch", out.data(), out.size() * 8);
  w::efficiency_batch(in.data(), in.size(), out.data());
  add("efficiency_batch", out.data(), out.size() * 8);
  w::space_saved_percent_batch(in.data(), in.size(), out.data());
  add("space_saved_percent_batch", out.data(), out.size() * 8);
  w::confidence_multiplier_batch(in.data(), in.size(), bases.data(), 0, w::Regime::Support,
                                 out.data());
  add("confidence_multiplier_batch", out.data(), out.size() * 8);
  w::optimal_batch_size_batch(in.data(), in.size(), 4096.0, 3.0, sizes.data());
  add("optimal_batch_size_batch", sizes.data(), sizes.size() * 8);
  for (size_t i = 0; i < in.size(); ++i) out[i] = w::space_bound(in[i]);
  add("space_bound", out.data(), out.size() * 8);
  for (size_t i = 0; i < in.size(); ++i)
    out[i] = w::confidence_multiplier(in[i], bases[i], w::Regime::Balance);
  add("confidence_multiplier", out.data(), out.size() * 8);
  for (int i = 0; i < k; ++i)
    std::printf("%s %016llx\n", rows[i].name, static_cast<unsigned long long>(rows[i].hash));
  return 0;
}
