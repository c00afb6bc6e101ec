/* Score an OCR batch and size a processing batch with hotpath's Williams module.
 *
 *   cc williams_example.c $(pkg-config --cflags --libs hotpath) -o williams_example
 */
#include <hotpath/hotpath.h>
#include <stdio.h>
#include <string.h>

static int check(hotpath_status_t st, const char* what) {
  if (st != HOTPATH_OK) {
    fprintf(stderr, "%s failed: %s (%s)\n", what, hotpath_status_str(st),
            hotpath_last_error_message());
    return 1;
  }
  return 0;
}

int main(void) {
  uint64_t fields[6] = {1, 5, 10, 120, 500, 5000};
  double base[6] = {0.85, 0.90, 0.70, 0.85, 0.95, 0.60};
  double scores[6];
  uint64_t batch = 0;
  int32_t regime = 0;
  size_t i;

  if (hotpath_abi_version() != HOTPATH_ABI_VERSION) {
    fprintf(stderr, "hotpath ABI %u, compiled for %d\n", hotpath_abi_version(), HOTPATH_ABI_VERSION);
    return 1;
  }
  printf("hotpath %s (ABI %u), %d threads\n", hotpath_version_string(), hotpath_abi_version(),
         hotpath_get_num_threads());

  printf("space_bound(1000) = %.6f, efficiency = %.6f, saved = %.6f%%\n",
         hotpath_williams_space_bound(1000), hotpath_williams_efficiency(1000),
         hotpath_williams_space_saved_percent(1000));

  if (check(hotpath_williams_optimal_batch_size(10000, 2048.0, 5.0, &batch), "optimal_batch_size"))
    return 1;
  printf("optimal batch for 10000 items in 2048 MB at 5 MB/item: %llu\n",
         (unsigned long long)batch);

  if (check(hotpath_williams_regime_from_name("balance", strlen("balance"), &regime), "regime"))
    return 1;
  if (check(hotpath_williams_confidence_multiplier_batch(fields, 6, base, 0.0, regime, scores),
            "confidence_multiplier_batch"))
    return 1;
  for (i = 0; i < 6; ++i)
    printf("  %5llu fields, base %.2f -> multiplier %.6f\n", (unsigned long long)fields[i], base[i],
           scores[i]);

  /* Errors are statuses with a message, never a crash. */
  if (hotpath_williams_optimal_batch_size(10, 100.0, 0.0, &batch) == HOTPATH_ERANGE)
    printf("rejected memory_per_item_mb = 0: %s\n", hotpath_last_error_message());
  return 0;
}
