/*
 * hotpath/consensus.h - the parts of expert consensus whose cost grows with
 * the number and length of the answers: leader clustering of a similarity
 * matrix and key-phrase counting over a set of answers.  The structured
 * consensus (confidences, recommendation counts) is small dictionary work
 * that stays in the Python package; docs/consensus.md has the whole method.
 *
 * Key phrases.  The words of an answer are its white-space separated tokens
 * (as in hotpath/text.h) with ASCII punctuation removed from both ends;
 * tokens left empty are dropped.  Phrases are the unigrams longer than 3
 * bytes that are not stop words, and the bigrams and trigrams of consecutive
 * words that are not made only of stop words (hotpath_consensus_stop_word
 * lists them).  Phrases are counted over the chosen members in member order;
 * a phrase's first occurrence is (member position, word position, length).
 * Give the corpus HOTPATH_TEXT_CASE_FOLD to count case-insensitively.
 *
 * Ownership: a phrase list is created by the caller, filled by
 * hotpath_consensus_key_phrases (its previous content is replaced; memory is
 * reused) and destroyed by the caller.  Phrase texts point into the list and
 * stay valid until it is filled again or destroyed.
 *
 * Thread safety: hotpath_consensus_cluster is pure.  key_phrases is safe
 * concurrently on distinct phrase lists (the corpus is only read).
 */
#ifndef HOTPATH_CONSENSUS_H
#define HOTPATH_CONSENSUS_H

#include "hotpath/common.h"
#include "hotpath/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Phrase rankings. */
#define HOTPATH_CONSENSUS_RANK_COUNT 0 /* count desc, then first occurrence */
#define HOTPATH_CONSENSUS_RANK_THEME 1 /* count * sum(weights of members that contain it)
                                          / n_members desc, then first occurrence */

/* Greedy leader clustering of an n x n row-major similarity matrix: for i in
 * order, an i not yet in a cluster leads a new one, and every j > i not yet
 * in a cluster with matrix[i * n + j] >= threshold joins it.  labels[i]
 * receives the cluster number of i (clusters numbered in leader order) and
 * *cluster_count the number of clusters.  NaN entries never join.  Pure. */
HOTPATH_API hotpath_status_t hotpath_consensus_cluster(const double* matrix, size_t n,
                                                       double threshold, uint32_t* labels,
                                                       size_t* cluster_count);

typedef struct hotpath_consensus_phrases hotpath_consensus_phrases_t;
HOTPATH_API hotpath_status_t hotpath_consensus_phrases_create(hotpath_consensus_phrases_t** out);
/* NULL is a no-op. */
HOTPATH_API void hotpath_consensus_phrases_destroy(hotpath_consensus_phrases_t* phrases);

/* Counts the phrases of the corpus texts members[0..n_members) (indices may
 * repeat; each occurrence counts as a member) and keeps the best `limit`
 * under `ranking` among those that occur in at least min_docs members.
 * weights: one per member (finite), or NULL for 1.0 each; only
 * HOTPATH_CONSENSUS_RANK_THEME reads them. */
HOTPATH_API hotpath_status_t hotpath_consensus_key_phrases(
    const hotpath_text_corpus_t* corpus, const uint32_t* members, size_t n_members,
    const double* weights, uint32_t min_docs, int32_t ranking, size_t limit,
    hotpath_consensus_phrases_t* result);

/* Number of phrases in the list; 0 for NULL.  Read-only. */
HOTPATH_API size_t hotpath_consensus_phrases_count(const hotpath_consensus_phrases_t* phrases);
/* Phrase i (best first): its text (words joined by one space, no
 * terminator), its count, the number of members containing it, and its
 * ranking score (the count for HOTPATH_CONSENSUS_RANK_COUNT).  Any out
 * pointer may be NULL.  i out of range gives HOTPATH_ERANGE.  Read-only. */
HOTPATH_API hotpath_status_t hotpath_consensus_phrase(const hotpath_consensus_phrases_t* phrases,
                                                      size_t i, const char** text,
                                                      size_t* text_len, uint64_t* count,
                                                      uint64_t* docs, double* score);

/* Stop word i (ASCII, lowercase, static storage) for i < the count; NULL
 * beyond it.  Pure. */
HOTPATH_API size_t hotpath_consensus_stop_word_count(void);
HOTPATH_API const char* hotpath_consensus_stop_word(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* HOTPATH_CONSENSUS_H */
