/* A C99 consumer of the public headers: proves they compile as strict C99
 * (-std=c99 -pedantic -Werror) and that the library links and answers. */
#include <hotpath/hotpath.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;
#define EXPECT(cond)                                               \
  do {                                                             \
    if (!(cond)) {                                                 \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                  \
    }                                                              \
  } while (0)

int main(void) {
  uint64_t in[4] = {0, 100, 1000, 10000};
  double out[4];
  uint64_t batch = 0;
  int32_t regime = -1;
  double m = 0.0;

  EXPECT(hotpath_abi_version() == HOTPATH_ABI_VERSION);
  EXPECT(strcmp(hotpath_status_name(HOTPATH_ERANGE), "ERANGE") == 0);
  EXPECT(hotpath_module_count() >= 1);

  {
    char joined[] = "ab\0\0c";
    size_t offs[4] = {9, 9, 9, 9};
    EXPECT(hotpath_split_joined(joined, 5, 0, 3, offs) == HOTPATH_OK);
    EXPECT(offs[0] == 0 && offs[1] == 2 && offs[2] == 2 && offs[3] == 3);
    EXPECT(memcmp(joined, "abc", 3) == 0);
  }

  EXPECT(hotpath_williams_space_bound_batch(in, 4, out) == HOTPATH_OK);
  EXPECT(out[0] == 1.0);
  EXPECT(fabs(out[1] - 66.438562) < 1e-6);
  EXPECT(fabs(out[2] - 315.145770) < 1e-6);
  EXPECT(fabs(out[3] - 1328.771238) < 1e-6);
  EXPECT(fabs(hotpath_williams_efficiency(1000) - 3.173135) < 1e-6);
  EXPECT(fabs(hotpath_williams_space_saved_percent(10000) - 86.712288) < 1e-6);

  EXPECT(hotpath_williams_optimal_batch_size(10000, 2048.0, 5.0, &batch) == HOTPATH_OK);
  EXPECT(batch == 1122);
  EXPECT(hotpath_williams_regime_from_name("support", 7, &regime) == HOTPATH_OK);
  EXPECT(regime == HOTPATH_WILLIAMS_REGIME_SUPPORT);
  EXPECT(hotpath_williams_confidence_multiplier(100, 1.0, regime, &m) == HOTPATH_OK);
  EXPECT(m == 1.0);
  EXPECT(hotpath_williams_confidence_multiplier(100, 1.5, regime, &m) == HOTPATH_ERANGE);
  EXPECT(strstr(hotpath_last_error_message(), "base_confidence") != NULL);

  {
    /* text.h and consensus.h from C: a golden word metric, an edit distance,
       a corpus query and the phrase list handle. */
    const char* a = "hello world test";
    const char* b = "hello world example";
    const char data[] = "kitten" "sitting" "mitten";
    size_t offsets[4] = {0, 6, 13, 19};
    hotpath_text_corpus_t* corpus = NULL;
    hotpath_consensus_phrases_t* phrases = NULL;
    double j = 0, scores[3] = {0, 0, 0};
    uint64_t d = 0;
    EXPECT(hotpath_text_jaccard(a, strlen(a), b, strlen(b), 0, &j) == HOTPATH_OK);
    EXPECT(j == 0.5);
    EXPECT(hotpath_text_levenshtein("kitten", 6, "sitting", 7, UINT64_MAX, 0, &d) == HOTPATH_OK);
    EXPECT(d == 3);
    EXPECT(hotpath_text_levenshtein("\xff", 1, "a", 1, UINT64_MAX, 0, &d) == HOTPATH_EUTF8);
    EXPECT(hotpath_text_corpus_create(data, offsets, 3, 0, &corpus) == HOTPATH_OK);
    EXPECT(hotpath_text_corpus_size(corpus) == 3);
    EXPECT(hotpath_text_one_to_many("kitten", 6, corpus, HOTPATH_TEXT_LEVENSHTEIN, 0.0, scores, 3) ==
           HOTPATH_OK);
    EXPECT(scores[0] == 0.0 && scores[1] == 3.0 && scores[2] == 1.0);
    EXPECT(hotpath_consensus_phrases_create(&phrases) == HOTPATH_OK);
    EXPECT(hotpath_consensus_phrases_count(phrases) == 0);
    hotpath_consensus_phrases_destroy(phrases);
    {
      /* memory.h: "kitten" and "mitten" share no word, so no pair above 0.5;
         every pair passes >= 0. */
      uint64_t pairs = 99;
      const uint8_t lines[6] = {1, 0, 0, 0, 0, 0};
      int32_t hexagram = 0;
      EXPECT(hotpath_memory_similar_pairs(corpus, 0.5, 1, NULL, &pairs) == HOTPATH_OK);
      EXPECT(pairs == 0);
      EXPECT(hotpath_memory_similar_pairs(corpus, 0.0, 0, NULL, &pairs) == HOTPATH_OK);
      EXPECT(pairs == 3);
      EXPECT(hotpath_memory_create_hexagram(lines, 6, &hexagram) == HOTPATH_OK);
      EXPECT(hexagram == 33);
      EXPECT(hotpath_memory_threading_tier(50) == 32);
    }
    {
      /* search.h: two documents in memory; "cat" is in the second only. */
      hotpath_search_index_t* index = NULL;
      hotpath_search_results_t* results = NULL;
      const char docs[] = "d1" "" "a dog" "d2" "Cats" "the cat";
      const size_t offs[7] = {0, 2, 2, 7, 9, 13, 20};
      const uint32_t fields[2] = {0, 0};
      size_t hits = 0;
      const char* ids = NULL;
      const size_t* id_offsets = NULL;
      const double* hit_scores = NULL;
      EXPECT(hotpath_search_open(NULL, 0, -1, -1, &index) == HOTPATH_OK);
      EXPECT(hotpath_search_add(index, docs, offs, 6, fields, 2, 0) == HOTPATH_OK);
      EXPECT(hotpath_search_results_create(&results) == HOTPATH_OK);
      EXPECT(hotpath_search_query(index, "cat", 3, 10, 0, 0, 0, 0, results, &hits) == HOTPATH_OK);
      EXPECT(hits == 1);
      EXPECT(hotpath_search_results_hits(results, &ids, &id_offsets, &hit_scores, NULL) ==
             HOTPATH_OK);
      EXPECT(id_offsets[1] - id_offsets[0] == 2 && memcmp(ids, "d2", 2) == 0);
      EXPECT(hit_scores[0] > 0.0);
      hotpath_search_results_destroy(results);
      hotpath_search_close(index);
      hotpath_search_close(NULL);
    }
    hotpath_text_corpus_destroy(corpus);
    hotpath_text_corpus_destroy(NULL);
    /* The same texts joined by commas, read in place. */
    corpus = NULL;
    EXPECT(hotpath_text_corpus_create_joined("kitten,sitting,mitten", 21, ',', 3,
                                             HOTPATH_TEXT_BORROW, &corpus) == HOTPATH_OK);
    EXPECT(hotpath_text_one_to_many("kitten", 6, corpus, HOTPATH_TEXT_LEVENSHTEIN, 0.0, scores, 3) ==
           HOTPATH_OK);
    EXPECT(scores[0] == 0.0 && scores[1] == 3.0 && scores[2] == 1.0);
    hotpath_text_corpus_destroy(corpus);
  }

  {
    /* files.h from C: a glob, the default options, an audit of a missing folder. */
    int32_t match = 0;
    hotpath_files_audit_options_t options;
    hotpath_files_audit_t* audit = NULL;
    EXPECT(hotpath_files_glob_match("**/*.md", 7, "a/b/c.md", 8, &match) == HOTPATH_OK);
    EXPECT(match == 1);
    EXPECT(hotpath_files_audit_options_init(&options) == HOTPATH_OK);
    EXPECT(options.struct_size == sizeof options && options.max_files == UINT64_MAX);
    EXPECT(hotpath_files_audit_create(&audit) == HOTPATH_OK);
    EXPECT(hotpath_files_audit(audit, "/nonexistent/hotpath/folder", &options) == HOTPATH_EIO);
    EXPECT(hotpath_files_audit_count(audit) == 0);
    hotpath_files_audit_destroy(audit);
  }
  { /* compress.h: an LZ4 and a gzip round trip, a short buffer */
    const char text[] = "memory memory memory memory memory memory memory memory";
    unsigned char packed[256], back[sizeof text];
    size_t bound = 0, n = 0, m = 0;
    int32_t fmt = 0;
    EXPECT(hotpath_compress_format_from_name("gzip", 4, &fmt) == HOTPATH_OK);
    EXPECT(fmt == hotpath_compress_format_gzip());
    for (fmt = HOTPATH_COMPRESS_LZ4; fmt <= HOTPATH_COMPRESS_GZIP; ++fmt) {
      EXPECT(hotpath_compress_bound(fmt, sizeof text, &bound) == HOTPATH_OK);
      EXPECT(bound <= sizeof packed);
      EXPECT(hotpath_compress_into(fmt, 1, text, sizeof text, packed, sizeof packed, &n) ==
             HOTPATH_OK);
      EXPECT(hotpath_decompress_into(packed, n, back, sizeof back, &m) == HOTPATH_OK);
      EXPECT(m == sizeof text && memcmp(back, text, m) == 0);
      EXPECT(hotpath_decompress_into(packed, n, back, 10, &m) == HOTPATH_EBUFFER);
    }
  }

  if (failures == 0) printf("c99 consumer: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
