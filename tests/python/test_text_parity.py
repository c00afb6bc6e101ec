"""Backend parity for hotpath.text: the public API in "native" dispatch against the
pure-Python twin hotpath._text_py, bit for bit, on random Unicode inputs; and the
case-folding table against the Unicode data."""
import random

import pytest

import text_reference as ref

SEED = 99


@pytest.fixture(scope="module")
def twin():
    from hotpath import _text_py
    return _text_py


def _inputs():
    rng = random.Random(SEED)
    pairs = [ref.random_pair(rng, 40) for _ in range(800)]
    pairs += [ref.random_pair(rng, 300) for _ in range(60)]
    pairs += [(ref.random_sentence(rng, ref.VOCABULARY, rng.randint(0, 15), ref.SPACES),
               ref.random_sentence(rng, ref.VOCABULARY, rng.randint(0, 15), ref.SPACES))
              for _ in range(300)]
    return pairs


PAIRS = _inputs()


@pytest.mark.parametrize("metric", ["jaccard", "cosine", "overlap", "levenshtein",
                                    "levenshtein_normalized", "jaro_winkler"])
def test_pair_parity(T, twin, native_only, native_dispatch, metric):
    api, pure = getattr(T, metric), getattr(twin, metric)
    bad = []
    for a, b in PAIRS:
        for fold in (False, True):
            got = api(a, b, case_fold=fold)
            want = pure(a, b, case_fold=fold)
            if got != want or type(got) is not type(want):
                bad.append((a, b, fold, got, want))
    assert not bad, bad[:5]


def test_jaro_winkler_weight_and_cutoff_parity(T, twin, native_only, native_dispatch):
    rng = random.Random(SEED + 1)
    for a, b in PAIRS[:400]:
        w = rng.uniform(0.0, 0.25)
        assert T.jaro_winkler(a, b, w) == twin.jaro_winkler(a, b, w), (a, b, w)
        k = rng.randint(0, 20)
        assert T.levenshtein(a, b, k) == twin.levenshtein(a, b, k), (a, b, k)


def test_summarize_parity(T, twin, native_only, native_dispatch):
    rng = random.Random(SEED + 2)
    pieces = ["---", "--- ", "---\r", "a: b", "", " ", "\u3000", "Hello", "😀 x", "é\u0301",
              "\u2028", "\x0b"]
    for _ in range(500):
        text = rng.choice(["\n", "\r\n"]).join(rng.choice(pieces)
                                               for _ in range(rng.randint(0, 7)))
        args = (rng.randint(0, 3), rng.choice([0, 1, 2, 5, 200]), rng.random() < 0.5)
        assert T.summarize(text, *args) == twin.summarize(text, *args), (text, args)


@pytest.mark.parametrize("metric", ["jaccard", "cosine", "overlap", "levenshtein",
                                    "levenshtein_normalized", "jaro_winkler"])
def test_batch_parity(T, twin, native_only, native_dispatch, metric):
    rng = random.Random(SEED + 3)
    texts = [a for a, _ in PAIRS[::7]] + [b for _, b in PAIRS[3::11]]
    for fold in (False, True):
        corpus = T.Corpus(texts, case_fold=fold)
        twin_corpus = twin.Corpus(texts, case_fold=fold)
        for query in rng.sample(texts, 5) + ["", "the dog"]:
            want = twin.one_to_many(query, twin_corpus, metric)
            assert T.one_to_many(query, corpus, metric) == want
            assert T.one_to_many(query, texts, metric, case_fold=fold) == want
            cutoff = rng.choice([None, 0.3, 4])
            want = twin.extract(query, twin_corpus, metric, 7, cutoff)
            assert T.extract(query, corpus, metric, 7, cutoff) == want
        sub = texts[:60]
        assert T.matrix(sub, metric, case_fold=fold) == twin.matrix(sub, metric, case_fold=fold)


def test_case_fold_all_code_points(T, twin, native_dispatch):
    # Every code point but the surrogates, through the public function (native on the
    # native backends), against the table parsed from the Unicode data (or, without
    # it, the generated table) and against the twin.
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    folded = T.case_fold(everything)
    want = everything.translate({c: v for c, v in ref.FOLD_REF.items()})
    assert len(folded) == len(everything)
    if folded != want:
        diff = [(hex(ord(x)), hex(ord(y)), hex(ord(z)))
                for x, y, z in zip(everything, folded, want) if y != z]
        pytest.fail("case_fold differs from CaseFolding.txt at %d code points: %s"
                    % (len(diff), diff[:10]))
    assert twin.case_fold(everything) == want
    # simple folding never grows a text by more than half its UTF-8 size
    assert len(folded.encode()) <= len(everything.encode()) * 3 // 2


def test_casefold_table_matches_unicode_data():
    from hotpath import _casefold
    if not ref.FOLD_REF_INDEPENDENT:
        pytest.skip("%s not installed (Debian package unicode-data)" % ref.CASEFOLDING_TXT)
    assert _casefold.FOLD == ref.FOLD_REF
    assert len(_casefold.FOLD) > 1400
    assert _casefold.UNICODE_VERSION == "15.0.0"


def test_fold_table_is_simple_folding_of_python_where_they_agree():
    # A sanity check of the table's direction and kind (not of the values, which the
    # test above takes from the Unicode data): str.casefold() is *full* folding, so it
    # agrees with the simple folding wherever its result is one code point.
    from hotpath import _casefold
    agree = 0
    for c, v in _casefold.FOLD.items():
        full = chr(c).casefold()
        if len(full) == 1:
            agree += full == chr(v)
    assert agree > 1300
