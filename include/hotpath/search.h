/*
 * hotpath/search.h - a persistent full-text index ranked by BM25: documents
 * (an id, a title, a text and named fields) in, the best k ids with their
 * scores out, found by block-max WAND over compressed posting blocks (exact:
 * the top k of an exhaustive ranking).  An index lives in memory or in a
 * folder that commit() writes atomically and durably and that opens by
 * memory map.  docs/search.md defines the analyzer, the query syntax, the
 * scoring and the files.
 *
 * Strings are UTF-8 (HOTPATH_EUTF8 otherwise) given as pointer and length,
 * no terminator needed.  Documents cross in bulk: item i of a packed buffer
 * is data[offsets[i], offsets[i + 1]) (n_items + 1 offsets), and document j
 * takes 3 + 2 * field_counts[j] consecutive items: its id, title, text, then
 * (name, value) pairs.  A field name is an identifier ([A-Za-z_][A-Za-z0-9_]*)
 * other than "title".
 *
 * Ownership: the caller creates and destroys the index and the result
 * handles.  A result handle is reused across calls (no allocation per hit on a
 * warm query); the pointers read from it stay valid until the next call that
 * fills it or its destruction.
 *
 * Thread safety: one index is safe concurrently from any number of threads:
 * a query reads a consistent snapshot holding every change made before it
 * began, and goes on reading it while a writer adds, removes or commits;
 * changes are serialized.  Distinct result handles are needed per thread.
 * query_many and the indexing of a batch use the internal thread pool;
 * results never depend on the thread count.
 *
 * Errors: HOTPATH_EINVAL for a duplicate id or a bad field name,
 * HOTPATH_ECORRUPT for an index file that is corrupt, truncated, foreign or
 * of an unknown version (the message names the file), HOTPATH_EIO for file
 * errors (hotpath_last_error_errno(): EWOULDBLOCK when another process holds
 * the folder's writer lock).
 */
#ifndef HOTPATH_SEARCH_H
#define HOTPATH_SEARCH_H

#include "hotpath/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotpath_search_index hotpath_search_index_t;
typedef struct hotpath_search_results hotpath_search_results_t;

/* What hotpath_search_info reports. */
typedef struct hotpath_search_info_s {
  size_t struct_size;     /* sizeof(hotpath_search_info_t), set by the caller */
  uint64_t documents;     /* live documents, uncommitted ones included */
  uint64_t pending;       /* changes since the last commit */
  uint64_t segments;      /* committed segment files (0 in memory) */
  uint64_t bytes;         /* their size in bytes */
  int32_t stopwords;      /* 1 when English stop words are dropped */
  int32_t stemmer;        /* 0 none, 1 Snowball English */
} hotpath_search_info_t;

/* Opens the index in the folder path[0, path_len) (created, with its parent
 * folders, when missing; a folder without a MANIFEST is a new index), or a new
 * index in memory when path_len is 0.  stopwords and stemmer (0 none, 1
 * Snowball English) apply to a new index; -1 takes what an existing index
 * has (the defaults 0 and 0 for a new one), and an explicit value that
 * differs from a stored index's is HOTPATH_EINVAL.  Safe concurrently. */
HOTPATH_API hotpath_status_t hotpath_search_open(const char* path, size_t path_len,
                                                int32_t stopwords, int32_t stemmer,
                                                hotpath_search_index_t** out);
/* Releases the index (and its writer lock); uncommitted changes are dropped.
 * NULL is a no-op.  No other call may use the index during or after it. */
HOTPATH_API void hotpath_search_close(hotpath_search_index_t* index);

/* Adds n_docs documents packed as the module comment says; n_items must be
 * the sum of 3 + 2 * field_counts[j].  replace 0: an id already in the index
 * (or twice in the batch) is HOTPATH_EINVAL and nothing is added; replace 1:
 * a present document is replaced (a new insertion).  Analyzes the batch on
 * the thread pool when the index is next searched or committed. */
HOTPATH_API hotpath_status_t hotpath_search_add(hotpath_search_index_t* index, const char* data,
                                               const size_t* offsets, size_t n_items,
                                               const uint32_t* field_counts, size_t n_docs,
                                               int32_t replace);
/* Removes the document id; *removed = 1, or 0 when it was absent. */
HOTPATH_API hotpath_status_t hotpath_search_remove(hotpath_search_index_t* index, const char* id,
                                                  size_t id_len, int32_t* removed);
/* Makes the changes durable: new segment files, then the MANIFEST, each
 * through a temporary file, fsync and rename; a crash at any point leaves
 * the previous or the new committed state.  In memory it only seals the
 * added documents. */
HOTPATH_API hotpath_status_t hotpath_search_commit(hotpath_search_index_t* index);
/* *out = 1 when id is in the index (uncommitted changes included). */
HOTPATH_API hotpath_status_t hotpath_search_contains(hotpath_search_index_t* index,
                                                    const char* id, size_t id_len,
                                                    int32_t* out);
/* Fills info (its struct_size set by the caller). */
HOTPATH_API hotpath_status_t hotpath_search_info(hotpath_search_index_t* index,
                                                hotpath_search_info_t* info);

/* Queries the index: the hits ranked offset to offset + limit - 1 (score
 * descending, then insertion order) go to results, their number to *count.
 * mode_and 0: a document matches one positive clause at least; 1: all.
 * fuzzy 0, 1 or 2 (HOTPATH_ERANGE otherwise) and prefix 0/1 widen the term
 * clauses.  Read the hits with hotpath_search_results_hits. */
HOTPATH_API hotpath_status_t hotpath_search_query(hotpath_search_index_t* index,
                                                 const char* query, size_t query_len,
                                                 uint64_t limit, uint64_t offset,
                                                 int32_t mode_and, uint32_t fuzzy,
                                                 int32_t prefix,
                                                 hotpath_search_results_t* results,
                                                 size_t* count);
/* n_queries packed queries, run on the thread pool against one snapshot:
 * the hits of query i follow those of query i - 1 in results, and
 * hotpath_search_results_counts tells how many each has; *count is the total. */
HOTPATH_API hotpath_status_t hotpath_search_query_many(
    hotpath_search_index_t* index, const char* data, const size_t* offsets, size_t n_queries,
    uint64_t limit, uint64_t offset, int32_t mode_and, uint32_t fuzzy, int32_t prefix,
    hotpath_search_results_t* results, size_t* count);

/* The ids of the live documents in insertion order, as strings of results;
 * *count receives their number. */
HOTPATH_API hotpath_status_t hotpath_search_doc_ids(hotpath_search_index_t* index,
                                                   hotpath_search_results_t* results,
                                                   size_t* count);
/* The stored document id as strings of results: id, title, text, then
 * (name, value) pairs; *count receives their number (3 + 2 * fields), 0 when
 * the document is absent. */
HOTPATH_API hotpath_status_t hotpath_search_get(hotpath_search_index_t* index, const char* id,
                                               size_t id_len,
                                               hotpath_search_results_t* results,
                                               size_t* count);
/* The fields of the live documents: names as strings of results ("" is the
 * default field), and per field two numbers (documents having it, total
 * length in tokens); *count receives the number of fields. */
HOTPATH_API hotpath_status_t hotpath_search_fields(hotpath_search_index_t* index,
                                                  hotpath_search_results_t* results,
                                                  size_t* count);
/* The analyzer's tokens of text as strings of results and their positions
 * as numbers; *count receives their number.  stopwords 0/1, stemmer 0/1.
 * Pure (apart from results). */
HOTPATH_API hotpath_status_t hotpath_search_analyze(const char* text, size_t text_len,
                                                   int32_t stopwords, int32_t stemmer,
                                                   hotpath_search_results_t* results,
                                                   size_t* count);
/* The Unicode version of the analyzer's tables.  Pure. */
HOTPATH_API const char* hotpath_search_unicode_version(void);

/* --- result handles ------------------------------------------------------ */

/* Safe concurrently (creates a new object). */
HOTPATH_API hotpath_status_t hotpath_search_results_create(hotpath_search_results_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_search_results_destroy(hotpath_search_results_t* results);
/* The last fill: strings packed in *data (string i at [offsets[i],
 * offsets[i + 1]), count + 1 offsets), the hits' scores (NULL when the last
 * fill was not a query) and numbers (NULL when none).  NULL out pointers are
 * skipped.  Read-only. */
HOTPATH_API hotpath_status_t hotpath_search_results_hits(const hotpath_search_results_t* results,
                                                        const char** data,
                                                        const size_t** offsets,
                                                        const double** scores,
                                                        const uint64_t** numbers);
/* Hits per query of the last hotpath_search_query_many (n_queries values).
 * Read-only. */
HOTPATH_API const size_t* hotpath_search_results_counts(const hotpath_search_results_t* results);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_SEARCH_H */
