"""hotpath.consensus, text consensus: text_consensus, key_phrases, cluster.

Hand-computed cases, the key-phrase rules one by one, an independent
re-implementation of key phrases checked on random inputs, native/twin parity and
thread-count determinism.  Native-only tests compare the library (dispatch forced
native) with the pure-Python twin hotpath._consensus_py."""
import math
import random
import string
import threading

import pytest

from hotpath._casefold import FOLD  # the Unicode data table, not code under test

SEED = 20240611

# The specification's list, restated here so that a change to either side fails.
SPEC_STOP_WORDS = (
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "might", "more", "most", "must", "my", "myself", "no", "nor", "not",
    "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours", "yourself", "yourselves")


@pytest.fixture(scope="module")
def twin():
    from hotpath import _consensus_py
    return _consensus_py


@pytest.fixture
def threads(hp):
    before = hp.get_num_threads()
    yield
    hp.set_num_threads(before)


def phrases(C, texts, **kw):
    return [(p.text, p.count, p.docs, p.score) for p in C.key_phrases(texts, **kw)]


# --- stop words ----------------------------------------------------------------------------

def test_stop_words(C):
    assert C.STOP_WORDS == SPEC_STOP_WORDS and len(set(SPEC_STOP_WORDS)) == 131


def test_native_stop_words(C, native_only):
    assert C.native_stop_words() == SPEC_STOP_WORDS


# --- key-phrase rules (hand-checked) -----------------------------------------------------------

def test_only_stop_words(C, every_mode):
    assert C.key_phrases(["the and of", "To THE", ""]) == []


def test_punctuation_stripped_from_both_ends(C, every_mode):
    # words: hello, world; ties in count -> first occurrence (position, then length)
    assert phrases(C, ["Hello, world!!"]) == [("hello", 1, 1, 1.0), ("hello world", 1, 1, 1.0),
                                             ("world", 1, 1, 1.0)]
    # "(((...)))" strips to nothing and is dropped: "alpha" and "omega" become neighbours;
    # inner punctuation stays; non-ASCII punctuation is not stripped
    assert phrases(C, ["alpha (((...))) omega don't «quote»"]) == [
        ("alpha", 1, 1, 1.0), ("alpha omega", 1, 1, 1.0), ("alpha omega don't", 1, 1, 1.0),
        ("omega", 1, 1, 1.0), ("omega don't", 1, 1, 1.0), ("omega don't «quote»", 1, 1, 1.0),
        ("don't", 1, 1, 1.0), ("don't «quote»", 1, 1, 1.0), ("«quote»", 1, 1, 1.0)]


def test_unigram_byte_limit(C, every_mode):
    # unigrams need more than 3 UTF-8 bytes: "cat" (3) no, "dogs" (4) yes, "été" (3 code
    # points, 5 bytes) yes, "añ" (3 bytes) no; bigrams have no length rule
    assert [p[0] for p in phrases(C, ["cat dogs"])] == ["cat dogs", "dogs"]
    assert [p[0] for p in phrases(C, ["été añ"])] == ["été", "été añ"]


def test_only_stop_word_ngrams_excluded(C, every_mode):
    # "to the" is only stop words; "the moon" and "to the moon" are not
    assert [p[0] for p in phrases(C, ["to the moon"])] == ["to the moon", "the moon", "moon"]


def test_count_then_first_occurrence(C, every_mode):
    out = phrases(C, ["beta alpha", "alpha gamma"])
    assert out == [("alpha", 2, 2, 2.0), ("beta", 1, 1, 1.0), ("beta alpha", 1, 1, 1.0),
                   ("alpha gamma", 1, 1, 1.0), ("gamma", 1, 1, 1.0)]
    assert phrases(C, ["beta alpha", "alpha gamma"], limit=2) == out[:2]
    assert C.key_phrases(["beta alpha"], limit=0) == []


def test_repeats_within_a_text_and_case_folding(C, every_mode):
    # folded: "data" x3 in one text (docs 1), "data data" x2, "data data data" x1
    assert phrases(C, ["Data DATA data"]) == [("data", 3, 1, 3.0), ("data data", 2, 1, 2.0),
                                             ("data data data", 1, 1, 1.0)]
    # not folded: three different words, every phrase once, in first-occurrence order
    assert [p[0] for p in phrases(C, ["Data DATA data"], case_fold=False)] == [
        "Data", "Data DATA", "Data DATA data", "DATA", "DATA data", "data"]


def test_theme_ranking(C, every_mode):
    # cache: count 2, weights 0.5 + 1.0 -> 2 * 1.5 / 3 = 1.0;
    # layer: count 2, weights 0.5 + 0.25 -> 2 * 0.75 / 3 = 0.5; "cache layer": 1 text
    out = phrases(C, ["cache layer", "cache", "layer"], ranking="theme",
                  weights=[0.5, 1.0, 0.25], min_docs=2)
    assert out == [("cache", 2, 2, 1.0), ("layer", 2, 2, 0.5)]
    # without weights every text weighs 1.0: both 2 * 2 / 3, tie -> first occurrence
    out = phrases(C, ["cache layer", "cache", "layer"], ranking="theme", min_docs=2)
    assert out == [("cache", 2, 2, 4 / 3), ("layer", 2, 2, 4 / 3)]
    assert phrases(C, ["cache layer", "cache", "layer"], ranking=C.RANK_THEME, min_docs=3) == []


def test_min_docs_applies_to_count_ranking(C, every_mode):
    assert phrases(C, ["cache cache", "layer"], min_docs=2) == []
    assert phrases(C, ["cache cache", "layer"], min_docs=0)[0] == ("cache", 2, 1, 2.0)


def test_unicode_white_space_and_folding(C, every_mode):
    # str.split() white space (ideographic space, NBSP) separates words; Σ folds to σ
    out = phrases(C, ["ΣΟΦΊΑ\u3000wisdom\xa0Straße"])
    assert [p[0] for p in out] == ["σοφία", "σοφία wisdom", "σοφία wisdom straße", "wisdom",
                                   "wisdom straße", "straße"]


@pytest.mark.parametrize("kw, exc", [
    (dict(texts="abc"), TypeError), (dict(texts=["a", 1]), TypeError),
    (dict(texts=["\ud800"]), ValueError), (dict(texts=["a"], limit=-1), ValueError),
    (dict(texts=["a"], limit=1.0), TypeError), (dict(texts=["a"], ranking="best"), ValueError),
    (dict(texts=["a"], ranking=2), ValueError), (dict(texts=["a"], weights=[0.5, 0.5]), ValueError),
    (dict(texts=["a"], weights=[math.inf]), ValueError), (dict(texts=["a"], weights=["1"]), TypeError),
    (dict(texts=["a"], min_docs=2 ** 32), ValueError), (dict(texts=["a"], case_fold=1), TypeError),
])
def test_key_phrase_errors(C, every_mode, kw, exc):
    from hotpath import HotpathError
    kw = dict(kw)
    texts = kw.pop("texts")
    with pytest.raises(exc) as info:
        C.key_phrases(texts, **kw)
    assert isinstance(info.value, HotpathError)


# --- an independent implementation on random inputs ---------------------------------------------

_FOLD = {cp: folded for cp, folded in FOLD.items()}
_VOCAB = ("the", "a", "of", "and", "to", "is", "in", "it", "not", "cat", "ox", "añ", "日本",
          "cache", "Cache", "CACHE", "cache,", "(cache)", "latency", "Latency.", "Straße",
          "STRASSE", "ÉTÉ", "été", "ΣΟΦΊΑ", "σοφία", "don't", "«quote»", "e.g.", "x86-64",
          "...", "--", "!", "data", "database", "index", "shard", "replica", "we", "should")
_SPACES = (" ", " ", " ", "  ", "\n", "\t", "\u3000", "\xa0")


def random_text(rng, max_words=25):
    n = rng.randint(0, max_words)
    parts = []
    for _ in range(n):
        parts.append(rng.choice(_VOCAB))
        parts.append(rng.choice(_SPACES))
    return "".join(parts).strip(" ") if rng.random() < 0.5 else "".join(parts)


def reference_key_phrases(texts, limit, ranking, weights, min_docs, case_fold):
    """Straightforward: list every qualifying n-gram occurrence, group, rank."""
    stop = set(SPEC_STOP_WORDS)
    occurrences = []  # (phrase, member, position, length)
    for m, text in enumerate(texts):
        if case_fold:
            text = text.translate(_FOLD)
        ws = [w for w in (tok.strip(string.punctuation) for tok in text.split()) if w]
        for length in (1, 2, 3):
            for p in range(len(ws) - length + 1):
                gram = ws[p:p + length]
                if length == 1:
                    keep = gram[0] not in stop and len(gram[0].encode("utf-8")) > 3
                else:
                    keep = any(w not in stop for w in gram)
                if keep:
                    occurrences.append((" ".join(gram), m, p, length))
    grouped = {}
    for phrase, m, p, length in occurrences:
        grouped.setdefault(phrase, []).append((m, p, length))
    ranked = []
    for phrase, where in grouped.items():
        members = sorted({m for m, _, _ in where})
        if len(members) < min_docs:
            continue
        count = len(where)
        if ranking == "theme":
            wsum = 0.0
            for m in members:
                wsum += 1.0 if weights is None else weights[m]
            score = count * wsum / len(texts)
        else:
            score = float(count)
        ranked.append((-score, min(where), (phrase, count, len(members), score)))
    ranked.sort()
    return [entry for _, _, entry in ranked[:limit]]


def test_key_phrases_random_against_reference(C, every_mode):
    rng = random.Random(SEED)
    for _ in range(120):
        texts = [random_text(rng) for _ in range(rng.randint(0, 9))]
        ranking = rng.choice(("count", "theme"))
        weights = None if rng.random() < 0.3 else [
            rng.choice((0.0, 0.25, 0.7, rng.random(), -1.5, 1e308)) for _ in texts]
        limit = rng.randint(0, 15)
        min_docs = rng.randint(0, 3)
        fold = rng.random() < 0.8
        want = reference_key_phrases(texts, limit, ranking, weights, min_docs, fold)
        got = phrases(C, texts, limit=limit, ranking=ranking, weights=weights,
                      min_docs=min_docs, case_fold=fold)
        assert got == want, (texts, ranking, weights, limit, min_docs, fold)


def test_key_phrases_long_texts_against_reference(C, every_mode):
    # Longer texts repeat word pairs and trigrams often, so the library's trigram
    # pruning (and its fallback when single occurrences can win) is exercised.
    rng = random.Random(SEED + 7)
    for _ in range(40):
        texts = [random_text(rng, max_words=120) for _ in range(rng.randint(1, 6))]
        ranking = rng.choice(("count", "theme"))
        weights = None if rng.random() < 0.5 else [rng.random() for _ in texts]
        limit = rng.choice((1, 3, 5, 10, 40, 400))
        min_docs = rng.randint(0, 3)
        want = reference_key_phrases(texts, limit, ranking, weights, min_docs, True)
        got = phrases(C, texts, limit=limit, ranking=ranking, weights=weights,
                      min_docs=min_docs, case_fold=True)
        assert got == want, (ranking, weights, limit, min_docs)


# --- cluster --------------------------------------------------------------------------------

def test_cluster_hand_case(C, every_mode):
    # 0 leads; 1 joins (0.8); 2 does not (0.1); 3 joins 0 (0.75) though 2 is closer to 3;
    # 2 leads the second cluster
    m = [[1.0, 0.8, 0.1, 0.75],
         [0.8, 1.0, 0.9, 0.2],
         [0.1, 0.9, 1.0, 0.9],
         [0.75, 0.2, 0.9, 1.0]]
    assert C.cluster(m, 0.7) == [[0, 1, 3], [2]]
    assert C.cluster(m, 0.95) == [[0], [1], [2], [3]]
    assert C.cluster(m, 0.0) == [[0, 1, 2, 3]]
    assert C.cluster([], 0.5) == []
    nan = [[1.0, math.nan], [math.nan, 1.0]]
    assert C.cluster(nan, -math.inf) == [[0], [1]]  # NaN never joins


def test_cluster_errors(C):
    with pytest.raises(ValueError):
        C.cluster([[1.0, 0.5]], 0.5)
    with pytest.raises(TypeError):
        C.cluster("ab", 0.5)
    with pytest.raises(ValueError):
        C.cluster([[1.0]], math.nan)


# --- text_consensus -------------------------------------------------------------------------

HAND = [
    {"expert_type": "a", "content": "Use a cache.", "confidence": 0.6},
    {"expert_type": "b", "content": "use a CACHE", "confidence": 0.9},
    {"expert_type": "c", "content": "Shard the database", "confidence": 0.4},
]


def test_text_consensus_hand_case(C, every_mode):
    # folded word sets {use, a, cache.} and {use, a, cache}: cosine 2 / 3 >= 0.5
    out = C.text_consensus(HAND, "cosine", 0.5)
    assert out["clusters"] == [[0, 1], [2]] and out["primary_cluster"] == 0
    assert out["matrix"].n == 3 and out["matrix"][0, 1] == pytest.approx(2 / 3, abs=1e-15)
    # words use, a, cache in both; "use" is 3 bytes, "a" a stop word; all counts 2
    assert out["key_phrases"] == ["use a", "use a cache", "a cache", "cache"]
    assert out["consensus_text"] == "use a CACHE\n\nKey phrases: use a, use a cache, a cache, cache"
    assert out["confidence_score"] == pytest.approx(0.75 + 0.2, abs=1e-15)
    assert out["contributing_experts"] == ["a", "b"]
    assert out["dissenting_opinions"] == [{"cluster": 1, "size": 1, "expert_type": "c",
                                           "content": "Shard the database", "confidence": 0.4}]
    # themes (2+ responses, score count * (0.6 + 0.9) / 3 = 1.0 each, first occurrence);
    # confidences 0.6, 0.9, 0.4: sigma 0.205 (no band), 1 above 0.8, 1 below 0.5, no |z| > 2
    assert out["key_insights"] == [
        'Recurring theme: "use a" (in 2 of 3 responses)',
        'Recurring theme: "use a cache" (in 2 of 3 responses)',
        'Recurring theme: "a cache" (in 2 of 3 responses)',
        "High confidence: 1 of 3 responses (33%) above 0.8",
        "Low confidence: 1 of 3 responses (33%) below 0.5",
    ]


def test_text_consensus_metrics(C, every_mode):
    # jaccard of the first two: 2 / 4 = 0.5; levenshtein_normalized of the folded
    # "use a cache." / "use a cache": 1 - 1 / 12
    out = C.text_consensus(HAND, "jaccard", 0.5)
    assert out["clusters"] == [[0, 1], [2]] and out["matrix"][0, 1] == 0.5
    out = C.text_consensus(HAND, "jaccard", 0.51)
    assert out["clusters"] == [[0], [1], [2]] and out["primary_cluster"] == 0
    assert out["consensus_text"].startswith("Use a cache.\n\n")  # only member
    assert out["confidence_score"] == pytest.approx(0.6 + 0.1, abs=1e-15)
    assert [d["cluster"] for d in out["dissenting_opinions"]] == [1, 2]
    out = C.text_consensus(HAND, "levenshtein", 0.9)
    assert out["matrix"][0, 1] == pytest.approx(1 - 1 / 12, abs=1e-15)
    assert out["clusters"] == [[0, 1], [2]]
    with pytest.raises(ValueError):
        C.text_consensus(HAND, "levenshtein_distance")
    with pytest.raises(TypeError):
        C.text_consensus(HAND, 1)
    with pytest.raises(ValueError):
        C.text_consensus(HAND, "cosine", math.nan)


def test_text_consensus_primary_ties_and_best_member(C, every_mode):
    rs = [{"expert_type": "x", "content": "alpha", "confidence": 0.5},
          {"expert_type": "y", "content": "beta", "confidence": 0.9},
          {"expert_type": "z", "content": "alpha", "confidence": 0.7},
          {"expert_type": "w", "content": "beta", "confidence": 0.9}]
    out = C.text_consensus(rs, "cosine", 0.9)
    # two clusters of 2: the earliest is primary; best member z (0.7)
    assert out["clusters"] == [[0, 2], [1, 3]] and out["primary_cluster"] == 0
    assert out["consensus_text"] == "alpha\n\nKey phrases: alpha"
    # the dissenting cluster's best is the earliest of the tied 0.9s: y
    assert out["dissenting_opinions"] == [{"cluster": 1, "size": 2, "expert_type": "y",
                                           "content": "beta", "confidence": 0.9}]
    assert out["confidence_score"] == pytest.approx(0.6 + 0.2, abs=1e-15)


def test_text_consensus_small(C, every_mode):
    out = C.text_consensus([])
    assert out["clusters"] == [] and out["primary_cluster"] is None and out["matrix"].n == 0
    assert (out["consensus_text"], out["confidence_score"], out["key_phrases"],
            out["key_insights"], out["dissenting_opinions"], out["contributing_experts"]) == \
        ("", 0.0, [], [], [], [])
    # one response, no content, confidence missing (0.5): no phrases, no spread band
    out = C.text_consensus([{"expert_type": "solo"}])
    assert out["consensus_text"] == "" and out["clusters"] == [[0]]
    assert out["confidence_score"] == 0.6 and out["key_insights"] == []
    assert out["contributing_experts"] == ["solo"]


def test_text_consensus_enum_and_dataclass(C, every_mode):
    import enum

    class E(enum.Enum):
        A = "a"
    rs = [C.ExpertResponse(E.A, "same words here", 0.9), {"content": "same words here"}]
    out = C.text_consensus(rs)
    assert out["contributing_experts"] == ["a", "unknown"]


def test_insight_bands(C, every_mode):
    out = C.text_consensus([{"confidence": 0.8}, {"confidence": 0.85}])
    # sigma 0.025
    assert out["key_insights"] == [
        "High consensus: the confidences spread by 0.025 (standard deviation), below 0.1",
        "High confidence: 1 of 2 responses (50%) above 0.8"]
    out = C.text_consensus([{"confidence": 0.1}, {"confidence": 0.9}])
    assert out["key_insights"] == [
        "Polarized: the confidences spread by 0.400 (standard deviation), above 0.3",
        "High confidence: 1 of 2 responses (50%) above 0.8",
        "Low confidence: 1 of 2 responses (50%) below 0.5"]


def test_insight_anomaly(C, every_mode):
    # nine 0.9 and one 0.0: mean 0.81, sigma sqrt((9 * 0.0081 + 0.6561) / 10) = 0.27;
    # z = -0.81 / 0.27 = -3 for the last; 0.333 for the others
    rs = [{"confidence": 0.9}] * 9 + [{"expert_type": "odd", "confidence": 0.0}]
    assert C.text_consensus(rs)["key_insights"] == [
        "High confidence: 9 of 10 responses (90%) above 0.8",
        "Low confidence: 1 of 10 responses (10%) below 0.5",
        "Confidence anomaly: odd (responses[9]) at 0.00 is 3.0 standard deviations below "
        "the mean 0.81"]


def test_insights_capped_at_ten(C):
    # 194 x 1.0 and 6 x 0.0: sigma = sqrt(0.97 * 0.03) = 0.171, z = -5.7 for each 0.0:
    # 3 themes + 2 shares + 6 anomalies = 11 -> the last anomaly is dropped
    rs = [{"content": "alpha beta gamma", "confidence": 1.0}] * 194 + \
         [{"content": "alpha beta gamma", "confidence": 0.0}] * 6
    out = C.text_consensus(rs)["key_insights"]
    assert len(out) == 10
    assert out[:3] == ['Recurring theme: "alpha" (in 200 of 200 responses)',
                       'Recurring theme: "alpha beta" (in 200 of 200 responses)',
                       'Recurring theme: "alpha beta gamma" (in 200 of 200 responses)']
    assert out[-1].startswith("Confidence anomaly: unknown (responses[198])")


def test_dispatch_counts(hp, C):
    hp.reset_stats()
    C.text_consensus(HAND)
    C.key_phrases(["a b", "c d"])
    C.cluster([[1.0]])
    s = hp.stats()
    assert s["native_calls"] + s["fallback_calls"] >= 3  # hotpath.text may count its own calls
    assert s["items_native"] + s["items_fallback"] >= 3 + 2 + 1


def test_python_mode_counts_fallback(hp, C):
    hp.set_dispatch("python")
    hp.reset_stats()
    C.text_consensus(HAND)
    C.key_phrases(["a b", "c d"])
    C.cluster([[1.0]])
    assert hp.stats() == {"native_calls": 0, "fallback_calls": 3, "items_native": 0,
                          "items_fallback": 6}


def test_native_mode_counts_native(hp, C, native_only):
    hp.set_dispatch("native")
    hp.reset_stats()
    C.cluster([[1.0]])
    C.key_phrases(["a b", "c d"])
    s = hp.stats()
    assert s["native_calls"] >= 2 and s["items_native"] >= 3 and s["fallback_calls"] == 0


# --- parity and determinism ---------------------------------------------------------------------

def random_responses(rng, n):
    out = []
    for i in range(n):
        r = {"expert_type": rng.choice(("claude", "gpt4", "gemini", None)),
             "content": random_text(rng, 30)}
        if rng.random() < 0.9:
            r["confidence"] = rng.choice((0.0, 0.5, 0.9, 1.0, round(rng.random(), 3),
                                          rng.random()))
        out.append(r)
    return out


def comparable(result):
    out = dict(result)
    m = out.pop("matrix")
    out["matrix"] = (m.n, list(m.data))
    return out


def test_text_consensus_parity(hp, C, twin, native_only):
    rng = random.Random(SEED + 1)
    native = C.build("text_consensus", 0, count=False)
    for _ in range(60):
        rs = random_responses(rng, rng.randint(0, 24))
        metric = rng.choice(("cosine", "jaccard", "levenshtein"))
        threshold = rng.choice((0.0, 0.3, 0.5, 0.7, 1.0, rng.random()))
        want = comparable(twin.text_consensus(rs, metric, threshold))
        got = comparable(native(rs, metric, threshold))
        assert got == want, (rs, metric, threshold)


def test_repeated_members_parity(C, twin, native_only):
    from hotpath import text
    from hotpath._ffi import _loader
    rng = random.Random(SEED + 2)
    kernels = C._kernels(_loader.active())
    for _ in range(40):
        texts = [random_text(rng) for _ in range(rng.randint(1, 6))]
        members = [rng.randrange(len(texts)) for _ in range(rng.randint(0, 8))]
        weights = [rng.random() for _ in members] if rng.random() < 0.7 else None
        ranking = rng.choice((C.RANK_COUNT, C.RANK_THEME))
        min_docs, limit = rng.randint(0, 3), rng.randint(0, 12)
        corpus = text.Corpus(texts, case_fold=True)
        words = [twin.words(t.translate(_FOLD)) for t in texts]
        want = twin.count_key_phrases(words, members, weights, min_docs, ranking, limit)
        from array import array
        handle = corpus._native_handle(_loader.active())
        got = kernels.phrases(handle, members, None if weights is None else array("d", weights),
                              min_docs, ranking, limit)
        assert got == want


def test_cluster_parity(C, twin, native_only):
    rng = random.Random(SEED + 3)
    native = C.build("cluster", 0, count=False)
    for _ in range(100):
        n = rng.randint(0, 12)
        m = [[rng.choice((0.0, 0.5, 0.7, 1.0, math.nan, rng.random())) for _ in range(n)]
             for _ in range(n)]
        t = rng.choice((0.5, 0.7, rng.random(), -math.inf, math.inf))
        assert native(m, t) == twin.cluster(m, t)


def test_concurrent_key_phrases(C, native_only):
    """The shared phrase list is used under a lock: threads get their own results."""
    hp_texts = [["alpha beta %d gamma" % i, "beta %d delta" % i] * 20 for i in range(8)]
    native = C.build("key_phrases", 0, count=False)
    want = [native(t, limit=50) for t in hp_texts]
    got = [None] * len(hp_texts)
    errors = []

    def work(i):
        try:
            for _ in range(30):
                r = native(hp_texts[i], limit=50)
                if r != want[i]:
                    raise AssertionError("thread %d got another result" % i)
            got[i] = r
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(len(hp_texts))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors and got == want


def test_thread_count_determinism(hp, C, threads):
    rng = random.Random(SEED + 4)
    rs = random_responses(rng, 150)
    texts = [r["content"] for r in rs]
    results = []
    for n in (1, 2):
        hp.set_num_threads(n)
        for mode in ("native", "auto"):
            hp.set_dispatch(mode)
            results.append((comparable(C.text_consensus(rs, "cosine", 0.3)),
                            C.key_phrases(texts, limit=40, ranking="theme",
                                          weights=[r.get("confidence", 0.5) for r in rs],
                                          min_docs=2)))
    assert all(r == results[0] for r in results[1:])


def test_auto_rule(hp, C, backend_name, native_only):
    """auto: native from THRESHOLDS items and CHAR_THRESHOLDS code points of text."""
    hp.set_dispatch("auto")
    items = C.THRESHOLDS[backend_name]["text_consensus"]
    chars = C.CHAR_THRESHOLDS[backend_name]["text_consensus"]
    short = [{"content": "x" * (chars // 4 - 1)} for _ in range(max(items, 4))]
    assert C.text_consensus.routed(short)[1] is False   # 4 * (chars / 4 - 1) < chars
    long_ = [{"content": "x" * chars}] * max(items, 1)
    assert C.text_consensus.routed(long_)[1] is True
    rows = C.THRESHOLDS[backend_name]["cluster"]
    hp.reset_stats()
    C.cluster([[1.0] * (rows - 1)] * (rows - 1))
    C.cluster([[1.0] * rows] * rows)
    s = hp.stats()
    assert (s["fallback_calls"], s["items_fallback"]) == (1, rows - 1)
    assert (s["native_calls"], s["items_native"]) == (1, rows)
    k_chars = C.CHAR_THRESHOLDS[backend_name]["key_phrases"]
    hp.reset_stats()
    C.key_phrases(["y" * (k_chars - 1)])
    C.key_phrases(["y" * k_chars])
    s = hp.stats()
    assert (s["fallback_calls"], s["native_calls"]) == (1, 1)


def test_python_mode_never_native(hp, C):
    hp.set_dispatch("python")
    assert C.text_consensus.routed([{"content": "x" * 10000}] * 3)[1] is False
