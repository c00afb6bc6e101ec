/* Fuzzy lookup with hotpath's text module: prepare a corpus of names once, then
 * ask for the best matches of a misspelt query by edit distance.
 *   cc -std=c99 text_example.c $(pkg-config --cflags --libs hotpath) */
#include <hotpath/hotpath.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  const char* names[] = {"Grace Hopper", "Ada Lovelace", "Alan Turing", "Edsger Dijkstra",
                         "Barbara Liskov", "Donald Knuth"};
  const size_t n = sizeof names / sizeof names[0];
  char data[256];
  size_t offsets[sizeof names / sizeof names[0] + 1];
  size_t at = 0, i;
  hotpath_text_corpus_t* corpus = NULL;
  uint64_t index[3];
  double score[3];
  size_t found = 0;
  const char* query = "ada lovelase";
  hotpath_status_t st;

  offsets[0] = 0;
  for (i = 0; i < n; ++i) {
    memcpy(data + at, names[i], strlen(names[i]));
    at += strlen(names[i]);
    offsets[i + 1] = at;
  }
  st = hotpath_text_corpus_create(data, offsets, n, hotpath_text_flag_case_fold(), &corpus);
  if (st != HOTPATH_OK) {
    fprintf(stderr, "corpus: %s\n", hotpath_last_error_message());
    return 1;
  }
  /* At most 3 matches within 4 edits, smallest distance first. */
  st = hotpath_text_extract(query, strlen(query), corpus, HOTPATH_TEXT_LEVENSHTEIN, 0.0, 4.0, 3,
                            index, score, &found);
  if (st != HOTPATH_OK) {
    fprintf(stderr, "extract: %s\n", hotpath_last_error_message());
    hotpath_text_corpus_destroy(corpus);
    return 1;
  }
  for (i = 0; i < found; ++i)
    printf("%s: %.0f edits (case-insensitive)\n", names[index[i]], score[i]);
  hotpath_text_corpus_destroy(corpus);
  return found == 1 ? 0 : 1;
}
