"""hotpath.text batches: one_to_many, extract and matrix on lists and on a Corpus,
checked against the reference pair metrics of text_reference (never against the
package's own pair functions)."""
import math
import random
from array import array

import pytest

import text_reference as ref

SEED = 77
ALL_METRICS = ref.METRICS


def _texts(rng, n, words=True):
    if words:
        return [ref.random_sentence(rng, ref.VOCABULARY, rng.randint(0, 8), " \t\n\u3000")
                for _ in range(n)]
    out = []
    for _ in range(n):
        a, b = ref.random_pair(rng, 30)
        out.append(a if rng.random() < 0.5 else b)
    return out


@pytest.fixture(scope="module")
def corpus_texts():
    rng = random.Random(SEED)
    texts = _texts(rng, 40) + _texts(rng, 40, words=False)
    rng.shuffle(texts)
    texts += [texts[3], "", " ", texts[10].upper()]  # duplicates, empties, case variants
    return texts


def _expected_scores(query, texts, metric, fold=False, weight=0.1):
    if fold:
        query, texts = ref.fold_ref(query), [ref.fold_ref(t) for t in texts]
    return [ref.metric_ref(metric, query, t, weight) for t in texts]


def _expected_extract(query, texts, metric, limit, cutoff, fold=False, weight=0.1):
    scores = _expected_scores(query, texts, metric, fold, weight)
    distance = metric == "levenshtein"
    keep = [i for i, s in enumerate(scores)
            if cutoff is None or (s <= cutoff if distance else s >= cutoff)]
    keep.sort(key=lambda i: (scores[i] if distance else -scores[i], i))
    if limit is not None:
        keep = keep[:limit]
    return [(texts[i], scores[i], i) for i in keep]


# --- one_to_many ------------------------------------------------------------------------

@pytest.mark.parametrize("metric", ALL_METRICS)
def test_one_to_many_list_and_corpus(T, dispatch, corpus_texts, metric):
    corpus = T.Corpus(corpus_texts)
    for query in (corpus_texts[0], corpus_texts[7], "the quick dog", "", "Straße 😀"):
        want = _expected_scores(query, corpus_texts, metric)
        got = T.one_to_many(query, corpus_texts, metric)
        assert isinstance(got, array) and got.typecode == "d"
        assert list(got) == want, (metric, query)
        assert list(T.one_to_many(query, corpus, metric)) == want
        assert list(T.one_to_many(query, tuple(corpus_texts), metric=metric)) == want


@pytest.mark.parametrize("metric", ALL_METRICS)
def test_one_to_many_case_fold(T, dispatch, corpus_texts, metric):
    folded = T.Corpus(corpus_texts, case_fold=True)
    query = "THE Quick STRASSE ẞ \u212aelvin"
    want = _expected_scores(query, corpus_texts, metric, fold=True)
    assert list(T.one_to_many(query, corpus_texts, metric, case_fold=True)) == want
    assert list(T.one_to_many(query, folded, metric)) == want  # the corpus's setting
    assert list(T.one_to_many(query, folded, metric, case_fold=True)) == want


def test_one_to_many_prefix_weight(T, dispatch, corpus_texts):
    corpus = T.Corpus(corpus_texts)
    for w in (0.0, 0.25):
        want = _expected_scores("abcd efgh", corpus_texts, "jaro_winkler", weight=w)
        assert list(T.one_to_many("abcd efgh", corpus, "jaro_winkler", prefix_weight=w)) == want
        assert list(T.one_to_many("abcd efgh", corpus_texts, "jaro_winkler",
                                  prefix_weight=w)) == want


def test_one_to_many_empty_and_single(T, dispatch):
    for choices in ([], (), T.Corpus([])):
        out = T.one_to_many("abc", choices, "levenshtein")
        assert isinstance(out, array) and len(out) == 0
    assert list(T.one_to_many("abc", ["abd"], "levenshtein")) == [1.0]
    assert list(T.one_to_many("a b", T.Corpus(["b c"]), "jaccard")) == [1 / 3]


def test_one_to_many_large_corpus(T, dispatch):
    # Large enough for the library to split the work over its thread pool.
    rng = random.Random(SEED + 1)
    texts = _texts(rng, 3000, words=True)
    query = texts[5]
    want = _expected_scores(query, texts, "cosine")
    assert list(T.one_to_many(query, T.Corpus(texts), "cosine")) == want
    short = texts[:400]
    want = _expected_scores(query, short, "levenshtein")
    assert list(T.one_to_many(query, short, "levenshtein")) == want


# --- extract --------------------------------------------------------------------------

@pytest.mark.parametrize("metric", ALL_METRICS)
def test_extract_matches_reference(T, dispatch, corpus_texts, metric):
    corpus = T.Corpus(corpus_texts)
    query = corpus_texts[3]
    for limit in (0, 1, 5, 17, None, 10_000):
        for cutoff in (None, 0.5, 0.0, 3, 1.5):
            want = _expected_extract(query, corpus_texts, metric, limit, cutoff)
            assert T.extract(query, corpus_texts, metric, limit, cutoff) == want, (limit, cutoff)
            assert T.extract(query, corpus, metric, limit=limit, score_cutoff=cutoff) == want


def test_extract_ties_go_to_the_smaller_index(T, dispatch):
    choices = ["b a", "x", "a b", "a b", "b a c", "a  b"]
    got = T.extract("a b", choices, "jaccard", limit=None)
    assert [i for _, _, i in got] == [0, 2, 3, 5, 4, 1]
    assert [s for _, s, _ in got] == [1.0, 1.0, 1.0, 1.0, 2 / 3, 0.0]
    got = T.extract("abc", ["abd", "abc", "xbc", "abc", "ab"], "levenshtein", limit=4)
    assert got == [("abc", 0.0, 1), ("abc", 0.0, 3), ("abd", 1.0, 0), ("xbc", 1.0, 2)]


def test_extract_distance_cutoff(T, dispatch):
    choices = ["kitten", "sitting", "mitten", "kitchen", "k", "", "kitten"]
    want = [("kitten", 0.0, 0), ("kitten", 0.0, 6), ("mitten", 1.0, 2), ("kitchen", 2.0, 3)]
    assert T.extract("kitten", choices, "levenshtein", None, 2) == want
    assert T.extract("kitten", choices, "levenshtein", None, 2.9) == want
    assert T.extract("kitten", choices, "levenshtein", None, 0) == want[:2]
    assert T.extract("kitten", choices, "levenshtein", None, -1) == []
    assert T.extract("kitten", choices, "levenshtein", None, math.inf) == \
        _expected_extract("kitten", choices, "levenshtein", None, None)
    assert T.extract("kitten", choices, "levenshtein", None, math.nan) == \
        _expected_extract("kitten", choices, "levenshtein", None, None)
    assert T.extract("kitten", T.Corpus(choices), "levenshtein", 3, 2) == want[:3]


def test_extract_returns_the_original_texts(T, dispatch):
    choices = ["Hello World", "HELLO", "bye"]
    corpus = T.Corpus(choices, case_fold=True)
    got = T.extract("hello world", corpus, "jaccard", limit=2)
    assert got == [("Hello World", 1.0, 0), ("HELLO", 0.5, 1)]
    assert T.extract("hello world", choices, "jaccard", limit=2, case_fold=True) == got
    # without folding every score is 0.0: the tie goes to index 0
    assert T.extract("hello world", choices, "jaccard", limit=1) == [("Hello World", 0.0, 0)]


def test_extract_limit_defaults_to_five(T, dispatch):
    choices = ["a"] * 9
    assert [i for _, _, i in T.extract("a", choices)] == [0, 1, 2, 3, 4]


# --- matrix ---------------------------------------------------------------------------

@pytest.mark.parametrize("metric", ALL_METRICS)
def test_matrix_matches_reference(T, dispatch, corpus_texts, metric):
    texts = corpus_texts[:30]
    m = T.matrix(texts, metric)
    n = len(texts)
    assert isinstance(m, T.SimilarityMatrix)
    assert m.n == n == len(m) and m.metric == metric
    assert isinstance(m.data, array) and m.data.typecode == "d" and len(m.data) == n * n
    diag = 0.0 if metric == "levenshtein" else 1.0
    for i in range(n):
        assert m[i, i] == diag
        for j in range(i + 1, n):
            want = ref.metric_ref(metric, texts[i], texts[j])
            assert m[i, j] == want, (metric, texts[i], texts[j])
            assert m[j, i] == want
            assert m.data[i * n + j] == want
    assert T.matrix(T.Corpus(texts), metric) == m


def test_matrix_case_fold_and_weight(T, dispatch, corpus_texts):
    texts = corpus_texts[:20]
    folded = [ref.fold_ref(t) for t in texts]
    m = T.matrix(texts, "jaro_winkler", case_fold=True, prefix_weight=0.2)
    c = T.matrix(T.Corpus(texts, case_fold=True), "jaro_winkler", prefix_weight=0.2)
    assert m == c
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert m[i, j] == ref.jaro_winkler_ref(folded[i], folded[j], 0.2)


def test_matrix_accessors(T, dispatch):
    m = T.matrix(["a b", "b c", "a b c"], "jaccard")
    assert m.tolist() == [[1.0, 1 / 3, 2 / 3], [1 / 3, 1.0, 2 / 3], [2 / 3, 2 / 3, 1.0]]
    assert m.row(1) == [1 / 3, 1.0, 2 / 3]
    assert m.row(-1) == [2 / 3, 2 / 3, 1.0]
    assert m[-1, 0] == 2 / 3
    assert list(m) == m.tolist()
    with pytest.raises(IndexError):
        m[3, 0]
    with pytest.raises(IndexError):
        m.row(-4)
    with pytest.raises(TypeError):
        m["0"]
    with pytest.raises(TypeError):
        m[0, 1, 2]
    assert m != T.matrix(["a b", "b c", "a b c"], "cosine")
    empty = T.matrix([], "cosine")
    assert empty.n == 0 and empty.tolist() == [] and len(empty.data) == 0
    one = T.matrix(["x"], "levenshtein")
    assert one.tolist() == [[0.0]]


def test_matrix_indexes_like_a_list_of_lists(T, dispatch):
    texts = ["a b", "b c", "a b c", "c d", "a"]
    m = T.matrix(texts, "jaccard")
    rows = m.tolist()
    n = len(texts)
    assert len(m) == n
    for i in range(-n, n):
        row = m[i]
        assert len(row) == n
        assert row == rows[i] and rows[i] == row and row == tuple(rows[i])
        assert row.tolist() == rows[i] and list(row) == rows[i]
        for j in range(-n, n):
            assert row[j] == rows[i][j] == m[i, j]
        assert row[1:3] == rows[i][1:3] and row[::-1] == rows[i][::-1]
        with pytest.raises(IndexError):
            row[n]
    assert m[1:3] == rows[1:3] and m[::-2] == rows[::-2] and m[5:] == []
    assert [list(r) for r in m[:]] == rows
    with pytest.raises(IndexError):
        m[n]
    with pytest.raises(IndexError):
        m[-n - 1]
    with pytest.raises(TypeError):
        m[0][0] = 1.0  # rows are read-only
    from collections.abc import Sequence
    assert isinstance(m[0], Sequence)
    assert m[2].index(rows[2][1]) == rows[2].index(rows[2][1])
    assert m[0].count(1.0) == rows[0].count(1.0) and (1.0 in m[0])
    assert repr(m[0]) == repr(rows[0])
    import pickle
    assert pickle.loads(pickle.dumps(m)) == m


def test_matrix_numpy_view_without_copy(T, dispatch):
    np = pytest.importorskip("numpy")
    texts = ["a b", "b c", "a b c", "c d"]
    m = T.matrix(texts, "cosine")
    a = np.asarray(m)
    assert a.shape == (4, 4) and a.dtype == np.float64
    assert a.tolist() == m.tolist()
    assert np.shares_memory(a, np.frombuffer(m.data))  # a view, not a copy
    assert np.asarray(m, dtype=np.float32).dtype == np.float32
    c = np.array(m)  # np.array copies
    c[0, 0] = -1.0
    assert m[0, 0] == 1.0
    assert np.asarray(m[1]).tolist() == m.row(1)
    assert np.asarray(T.matrix([], "cosine")).shape == (0, 0)


def test_matrix_same_with_any_thread_count(hp, T, is_native):
    rng = random.Random(SEED + 2)
    texts = _texts(rng, 120, words=False)
    words = _texts(rng, 300, words=True)
    before_mode = hp.get_dispatch()
    results = {}
    try:
        hp.set_dispatch("native")
        for threads in (1, 2, 3):
            hp.set_num_threads(threads)
            results[threads] = (T.matrix(texts, "levenshtein").data,
                                T.matrix(texts, "jaro_winkler").data,
                                T.matrix(words, "cosine").data,
                                T.one_to_many(texts[0], texts * 10, "levenshtein"))
    finally:
        hp.set_num_threads(0)
        hp.set_dispatch(before_mode)
    assert results[1] == results[2] == results[3]
    n = len(texts)
    i, j = 4, 77
    assert results[1][0][i * n + j] == ref.lev_dp(texts[i], texts[j])


# --- the Corpus -------------------------------------------------------------------------

def test_corpus_basics(T, backend_name):
    texts = ["Alpha beta", "gamma", ""]
    c = T.Corpus(iter(texts), case_fold=True)  # any iterable
    assert len(c) == 3 and c[0] == "Alpha beta" and c[-1] == "" and list(c) == texts
    assert c.texts == tuple(texts) and c.case_fold is True
    assert T.Corpus(texts).case_fold is False
    assert "3 texts" in repr(c)
    import hotpath
    assert c._backend is hotpath._ffi._loader.active()
    if backend_name == "python":
        assert c._handle is None
    else:
        assert c._handle is not None
        lib = c._backend.lib
        assert int(lib.hotpath_text_corpus_size(c._handle)) == 3
        assert int(lib.hotpath_text_corpus_flags(c._handle)) == \
            int(lib.hotpath_text_flag_case_fold())


def test_corpus_case_fold_conflict(T, dispatch):
    c = T.Corpus(["a b"], case_fold=True)
    for call in (lambda: T.one_to_many("A", c, case_fold=False),
                 lambda: T.extract("A", c, case_fold=False),
                 lambda: T.matrix(c, case_fold=False)):
        with pytest.raises(ValueError, match="case_fold"):
            call()
    assert list(T.one_to_many("A", T.Corpus(["a"]), "jaccard")) == [0.0]
    with pytest.raises(ValueError, match="case_fold"):
        T.one_to_many("A", T.Corpus(["a"]), "jaccard", case_fold=True)


def test_corpus_survives_a_backend_change(hp, T):
    """A Corpus made on one backend keeps working after hotpath switches to another."""
    from hotpath._ffi import _loader
    original = _loader.active()
    texts = ["kitten", "sitting", "Mitten"]
    c = T.Corpus(texts, case_fold=True)
    want = [0.0, 3.0, 1.0]
    others = [_loader.load("python")]
    for kind in ("ctypes", "cffi"):
        try:
            others.append(_loader.load(kind))
        except Exception:  # noqa: BLE001 - not available here: fine
            pass
    try:
        for backend in others:
            _loader.activate(backend)
            assert list(T.one_to_many("KITTEN", c, "levenshtein")) == want, backend.name
            assert T.matrix(c, "levenshtein")[0, 2] == 1.0
            assert (c._handle is None) == (not backend.native)
    finally:
        _loader.activate(original)
    assert list(T.one_to_many("KITTEN", c, "levenshtein")) == want


def test_twin_corpus_accepted(hp, T):
    from hotpath import _text_py
    c = _text_py.Corpus(["a b", "c"])
    assert list(T.one_to_many("a", c, "overlap")) == [1.0, 0.0]
    assert T.matrix(c, "jaccard").tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_many_corpora_are_freed(T):
    import gc
    for k in range(300):
        c = T.Corpus(["text %d" % k] * 20)
        assert T.one_to_many("text", c)[0] == 0.5
    del c
    gc.collect()


def test_one_corpus_queried_from_several_threads(hp, T):
    """A Corpus is read-only once made: concurrent queries (each releasing the GIL on a
    native backend) give the results of the same queries made one at a time."""
    import threading
    rng = random.Random(SEED + 9)
    texts = _texts(rng, 400, words=False) + _texts(rng, 400, words=True)
    corpus = T.Corpus(texts)
    queries = [(texts[k], metric) for k in (3, 401, 650)
               for metric in ("levenshtein", "jaccard", "jaro_winkler", "cosine")]
    expected = [list(T.one_to_many(q, corpus, m)) for q, m in queries]
    results = [None] * len(queries)
    errors = []

    def worker(k):
        try:
            q, m = queries[k]
            results[k] = list(T.one_to_many(q, corpus, m))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(queries))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert results == expected
