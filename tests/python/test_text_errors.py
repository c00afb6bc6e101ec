"""hotpath.text argument errors: classes, the argument named in the message, and the
same text in every dispatch mode (python, auto, native) on every backend."""
import math

import pytest

MODES = ("python", "auto", "native")


def _in_every_mode(hp, call):
    """(exception class, message, status) of call in each dispatch mode; all equal."""
    before = hp.backend_info()["dispatch"]
    seen = {}
    try:
        for m in MODES:
            hp.set_dispatch(m)
            with pytest.raises(hp.HotpathError) as ei:
                call()
            seen[m] = (type(ei.value), str(ei.value), ei.value.status)
    finally:
        hp.set_dispatch(before)
    assert seen["auto"] == seen["python"] == seen["native"], seen
    return seen["python"]


LONG = "word " * 400  # above every "auto" threshold, so "auto" goes native where it can

TYPE_ERRORS = [
    (lambda T: T.jaccard(b"a", "b"), "'a'"),
    (lambda T: T.cosine("a", None), "'b'"),
    (lambda T: T.overlap(LONG, 3), "'b'"),
    (lambda T: T.levenshtein(1, "x"), "'a'"),
    (lambda T: T.levenshtein("x", "y", 1.5), "'score_cutoff'"),
    (lambda T: T.levenshtein("x", "y", "3"), "'score_cutoff'"),
    (lambda T: T.levenshtein_normalized("x", ["y"]), "'b'"),
    (lambda T: T.jaro_winkler("x", "y", "0.1"), "'prefix_weight'"),
    (lambda T: T.jaro_winkler(LONG, "y", None), "'prefix_weight'"),
    (lambda T: T.case_fold(b"ABC"), "'text'"),
    (lambda T: T.summarize(None), "'text'"),
    (lambda T: T.summarize("x", 1.0), "'lines'"),
    (lambda T: T.summarize("x", 1, "200"), "'max_chars'"),
    (lambda T: T.one_to_many(5, ["a"]), "'query'"),
    (lambda T: T.one_to_many("a", "abc"), "'choices'"),
    (lambda T: T.one_to_many("a", 5), "'choices'"),
    (lambda T: T.one_to_many("a", ["a", b"b"]), "'choices[1]'"),
    (lambda T: T.one_to_many("a", ["a"] * 50 + [None]), "'choices[50]'"),
    (lambda T: T.one_to_many("a", ["a"], 3), "'metric'"),
    (lambda T: T.extract("a", ["a"], limit="3"), "'limit'"),
    (lambda T: T.extract("a", ["a"], score_cutoff="0.5"), "'score_cutoff'"),
    (lambda T: T.matrix(["a", 1]), "'texts[1]'"),
    (lambda T: T.matrix("ab"), "'texts'"),
    (lambda T: T.Corpus(["a", None]), "'texts[1]'"),
    (lambda T: T.Corpus(5), "'texts'"),
    (lambda T: T.Corpus("abc"), "'texts'"),
]


@pytest.mark.parametrize("call,needle", TYPE_ERRORS)
def test_type_errors(hp, T, call, needle):
    cls, message, status = _in_every_mode(hp, lambda: call(T))
    assert issubclass(cls, hp.HotpathTypeError) and issubclass(cls, TypeError)
    assert needle in message, message
    assert status is None


VALUE_ERRORS = [
    (lambda T: T.levenshtein("x", "y", -1), "'score_cutoff'"),
    (lambda T: T.levenshtein("x", "y", 2 ** 64), "'score_cutoff'"),
    (lambda T: T.summarize("x", -1), "'lines'"),
    (lambda T: T.summarize("x", 2 ** 32), "'lines'"),
    (lambda T: T.summarize("x", 1, -5), "'max_chars'"),
    (lambda T: T.summarize("x", 1, 2 ** 64), "'max_chars'"),
    (lambda T: T.one_to_many("a", ["a"], "euclid"), "'metric'"),
    (lambda T: T.extract("a", ["a"], "Jaccard"), "'metric'"),
    (lambda T: T.matrix(["a"], ""), "'metric'"),
    (lambda T: T.extract("a", ["a"], limit=-1), "'limit'"),
    (lambda T: T.one_to_many("a", T.Corpus(["a"], case_fold=True), case_fold=False),
     "'case_fold'"),
]


@pytest.mark.parametrize("call,needle", VALUE_ERRORS)
def test_value_errors(hp, T, call, needle):
    cls, message, status = _in_every_mode(hp, lambda: call(T))
    assert issubclass(cls, hp.HotpathValueError) and issubclass(cls, ValueError)
    assert needle in message, message


def test_unknown_metric_lists_the_metrics(hp, T):
    _, message, _ = _in_every_mode(hp, lambda: T.extract("a", ["b"], "euclid"))
    assert "'euclid'" in message
    for name in T.METRICS:
        assert repr(name) in message
    assert T.METRICS == ("jaccard", "cosine", "overlap", "levenshtein",
                         "levenshtein_normalized", "jaro_winkler")


@pytest.mark.parametrize("weight,shown", [(-0.1, "-0.1"), (0.3, "0.3"), (0.2500001, "0.25"),
                                          (math.inf, "inf"), (math.nan, "nan"), (1, "1")])
def test_prefix_weight_out_of_range(hp, T, weight, shown):
    want = "argument 'prefix_weight' is %s; expected a value in [0, 0.25]" % shown
    for call in (lambda: T.jaro_winkler("abc", "abd", weight),
                 lambda: T.jaro_winkler(LONG, LONG + "x", weight),
                 lambda: T.one_to_many("a", ["b"], "jaro_winkler", prefix_weight=weight),
                 lambda: T.extract("a", ["b"] * 40, "jaro_winkler", prefix_weight=weight),
                 lambda: T.matrix(["a", "b"], "jaro_winkler", prefix_weight=weight)):
        cls, message, _ = _in_every_mode(hp, call)
        assert issubclass(cls, hp.HotpathValueError)
        assert message == want


def test_prefix_weight_ignored_by_other_metrics(T, dispatch):
    assert list(T.one_to_many("a", ["a"], "jaccard", prefix_weight=5.0)) == [1.0]


def test_prefix_weight_bounds_accepted(T, dispatch):
    assert T.jaro_winkler("abcx", "abcy", 0.0) < T.jaro_winkler("abcx", "abcy", 0.25) < 1.0


LONE = "ok \ud800 text"
SURROGATE_CALLS = [
    (lambda T: T.jaccard(LONE, "x"), "a", 3),
    (lambda T: T.cosine("x", "\udfff"), "b", 0),
    (lambda T: T.overlap(LONG, LONG + "\udc00"), "b", len(LONG)),
    (lambda T: T.levenshtein("é" + LONE, "x"), "a", 4),
    (lambda T: T.levenshtein_normalized("x", LONE), "b", 3),
    (lambda T: T.jaro_winkler(LONE, LONE), "a", 3),
    (lambda T: T.case_fold("ÀÉ" + LONE), "text", 5),
    (lambda T: T.summarize(LONE), "text", 3),
    (lambda T: T.one_to_many(LONE, ["x"]), "query", 3),
    (lambda T: T.one_to_many("x", ["a", "b", LONE]), "choices[2]", 3),
    (lambda T: T.extract("x", ["a"] * 30 + [LONE]), "choices[30]", 3),
    (lambda T: T.extract(LONE, T.Corpus(["a"])), "query", 3),
    (lambda T: T.matrix([LONE]), "texts[0]", 3),
    (lambda T: T.Corpus(["a", LONE]), "texts[1]", 3),
]


@pytest.mark.parametrize("call,name,index", SURROGATE_CALLS)
def test_lone_surrogate(hp, T, call, name, index):
    cls, message, status = _in_every_mode(hp, lambda: call(T))
    assert issubclass(cls, hp.HotpathValueError)
    assert message.startswith("argument '%s' holds a lone surrogate U+" % name), message
    assert "at index %d" % index in message
    assert status == -5  # HOTPATH_EUTF8, the status the library gives invalid UTF-8


def test_valid_astral_and_nul_are_accepted(T, dispatch):
    assert T.levenshtein("\U0010FFFF\x00", "\x00") == 1
    assert T.jaccard("\ud83d\ude00".encode("utf-16", "surrogatepass").decode("utf-16"),
                     "😀") == 1.0
