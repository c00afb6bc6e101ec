"""hotpath.text pair metrics through the public API, in "auto" and "native" dispatch:
golden values from the specification, an independent O(nm) reference, the
python-Levenshtein oracle when installed, and metric properties on random Unicode."""
import math
import random

import pytest

import text_reference as ref

SEED = 20261124


@pytest.fixture(scope="module")
def pairs():
    rng = random.Random(SEED)
    return [ref.random_pair(rng) for _ in range(600)]


# --- golden values (from the specification) -----------------------------------------

GOLDEN_WORDS = [
    ("jaccard", "The quick brown fox jumps", "The quick brown cat runs", 3 / 7),
    ("jaccard", "hello world test", "hello world example", 0.5),
    ("cosine", "the quick brown fox", "the quick brown dog", 0.75),
    ("overlap", "a b c", "a b c d e f", 1.0),
    ("overlap", "a b c d", "a x", 0.5),
    ("cosine", "a b c d", "a x", 1 / math.sqrt(8)),
    ("jaccard", "a a a b", "b b a", 1.0),            # sets: duplicates count once
    ("jaccard", "dog dog.", "dog", 0.5),              # punctuation stays in the word
    ("jaccard", "  a\tb\n", "b a", 1.0),              # white space of every kind splits
    ("jaccard", "a\u3000b\u2028c\x1cd", "a b c d", 1.0),  # Unicode white space too
    ("jaccard", "a\u200bb", "a b", 0.0),              # U+200B is not white space
    ("jaccard", "", "", 1.0), ("cosine", "", "  \n", 1.0), ("overlap", " ", "", 1.0),
    ("jaccard", "", "a", 0.0), ("cosine", "a", "", 0.0), ("overlap", "", "x y", 0.0),
    ("jaccard", "Hello", "hello", 0.0),
]


@pytest.mark.parametrize("metric,a,b,want", GOLDEN_WORDS)
def test_word_metric_golden(T, dispatch, metric, a, b, want):
    assert getattr(T, metric)(a, b) == want
    assert getattr(T, metric)(b, a) == want


@pytest.mark.parametrize("a,b,want", [
    ("Hello World", "hello world", 1.0),
    ("STRASSE Straße", "strasse straße", 1.0),        # simple folding: ẞ/ß -> ß, no ss
    ("Straße", "STRASSE", 0.0),
    ("\u212aelvin", "kelvin", 1.0),                    # KELVIN SIGN folds to k
    ("ΣΟΦΙΑΣ", "σοφιας", 1.0),                        # Σ, σ and final ς all fold to σ
    ("ΣΟΦΙΑΣ", "σοφιασ", 1.0),
    ("ς", "σ", 1.0),
    ("İstanbul", "istanbul", 0.0),                     # İ has no simple folding (F/T only)
    ("ǅ", "Ǆ ǆ", 1.0),                                 # title and upper case fold alike
])
def test_jaccard_case_fold_golden(T, dispatch, a, b, want):
    assert T.jaccard(a, b, case_fold=True) == want
    assert T.jaccard(b, a, case_fold=True) == want


@pytest.mark.parametrize("a,b,d", [
    ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "", 0), ("", "abc", 3),
    ("abc", "", 3), ("abc", "abc", 0), ("intention", "execution", 5),
    ("a\u0301", "\u00e1", 2),                  # code points, no normalization
    ("😀😀", "😀", 1), ("中文字", "中字", 1),    # astral and CJK: one code point each
    ("a\x00b", "ab", 1),                         # NUL is an ordinary character
])
def test_levenshtein_golden(T, dispatch, a, b, d):
    assert T.levenshtein(a, b) == d
    assert T.levenshtein(b, a) == d
    longest = max(len(a), len(b))
    assert T.levenshtein_normalized(a, b) == (1.0 if not longest else 1.0 - d / longest)


def test_levenshtein_case_fold_golden(T, dispatch):
    assert T.levenshtein("HELLO", "hello") == 5
    assert T.levenshtein("HELLO", "hello", case_fold=True) == 0
    assert T.levenshtein("Straße", "STRASSE", case_fold=True) == 2  # ß vs ss: no full folding
    assert T.levenshtein("ẞ", "ß", case_fold=True) == 0
    assert T.levenshtein_normalized("ABCD", "abce", case_fold=True) == 0.75


@pytest.mark.parametrize("a,b,want", [
    # Jaro of MARTHA/MARHTA is 17/18 (6 matches, one transposition); l = 3.
    ("MARTHA", "MARHTA", 17 / 18 + 3 * 0.1 * (1 - 17 / 18)),
    # DWAYNE/DUANE: 4 matches, no transposition: (4/6 + 4/5 + 1) / 3; l = 1.
    ("DWAYNE", "DUANE", (4 / 6 + 4 / 5 + 1) / 3 + 0.1 * (1 - (4 / 6 + 4 / 5 + 1) / 3)),
    ("", "", 1.0), ("a", "", 0.0), ("", "a", 0.0), ("abc", "abc", 1.0),
    ("abc", "xyz", 0.0),
])
def test_jaro_winkler_golden(T, dispatch, a, b, want):
    assert T.jaro_winkler(a, b) == pytest.approx(want, abs=1e-15)
    assert T.jaro_winkler(b, a) == pytest.approx(want, abs=1e-15)


def test_jaro_winkler_prefix_counts_at_most_four(T, dispatch):
    # abcdefgh / abcdefgx: 7 matches, no transposition, jaro = (7/8 + 7/8 + 1) / 3;
    # the common prefix is 7 long but Winkler's bonus counts 4 of it.
    j = (7 / 8 + 7 / 8 + 1.0) / 3.0
    assert T.jaro_winkler("abcdefgh", "abcdefgx") == j + (1.0 - j) * 4 * 0.1
    assert T.jaro_winkler("abcdefgh", "abcdefgx", 0.25) == j + (1.0 - j) * 4 * 0.25
    assert T.jaro_winkler("abcdefgh", "abcdefgx", 0.0) == j


def test_jaro_winkler_window_is_half_the_shorter_rounded_up(T, dispatch):
    # "ab" vs "xxab": s1 = "ab", h = 1; b[2] = 'a' is 2 away from a[0] (no match),
    # b[3] = 'b' is 2 away from a[1] (no match): no matches at all.  The textbook
    # window (max(len) // 2 - 1 = 1) gives 0 too; "ab" vs "xab" separates them:
    # h = 1 matches both (distance 1), the textbook window 0 matches neither.
    assert T.jaro_winkler("ab", "xxab", 0.0) == 0.0
    assert T.jaro_winkler("ab", "xab", 0.0) == (2 / 2 + 2 / 3 + 1.0) / 3.0


def test_jaro_winkler_case_fold(T, dispatch):
    assert T.jaro_winkler("MARTHA", "martha") < 1.0
    assert T.jaro_winkler("MARTHA", "martha", case_fold=True) == 1.0
    assert T.jaro_winkler("ΣΑΣ", "σας") == 0.0
    assert T.jaro_winkler("ΣΑΣ", "σας", case_fold=True) == 1.0  # ς folds to σ too
    assert T.jaro_winkler("İ", "i", case_fold=True) == 0.0


# --- independent references -----------------------------------------------------------

def test_levenshtein_against_dp_reference(T, dispatch, pairs):
    for a, b in pairs:
        d = ref.lev_dp(a, b)
        assert T.levenshtein(a, b) == d, (a, b)
        longest = max(len(a), len(b))
        assert T.levenshtein_normalized(a, b) == (1.0 - d / longest if longest else 1.0)


@pytest.mark.parametrize("n", [1, 2, 31, 63, 64, 65, 127, 128, 129, 200, 300])
def test_levenshtein_across_block_boundaries(T, dispatch, n):
    # The C kernel keeps 64 pattern code points per machine word; lengths around
    # multiples of 64 exercise the carries between words.
    rng = random.Random(SEED + n)
    for alphabet in ("ab", "abcdefghij", ref.UNICODE):
        a = ref.random_text(rng, alphabet, n)
        for b in (ref.mutate(rng, a, alphabet, rng.randint(1, 8)),
                  ref.random_text(rng, alphabet, rng.randint(max(0, n - 70), n + 70)),
                  "x" + a[1:-1] + "y", a[::-1]):
            d = ref.lev_dp(a, b)
            assert T.levenshtein(a, b) == d, (n, alphabet[:5], a, b)
            assert T.levenshtein(b, a) == d
            assert T.levenshtein(a, b, d) == d
            if d:
                assert T.levenshtein(a, b, d - 1) == d


def test_levenshtein_case_fold_against_reference(T, dispatch, pairs):
    for a, b in pairs[:300]:
        assert T.levenshtein(a, b, case_fold=True) == ref.lev_dp(ref.fold_ref(a), ref.fold_ref(b))


def test_jaro_winkler_against_reference(T, dispatch, pairs):
    rng = random.Random(SEED)
    for a, b in pairs:
        w = rng.choice((0.0, 0.05, 0.1, 0.2, 0.25))
        assert T.jaro_winkler(a, b, w) == ref.jaro_winkler_ref(a, b, w), (a, b, w)
        assert T.jaro_winkler(a, b, w, case_fold=True) == \
            ref.jaro_winkler_ref(ref.fold_ref(a), ref.fold_ref(b), w)


@pytest.mark.parametrize("metric", ["jaccard", "cosine", "overlap"])
def test_word_metrics_against_reference(T, dispatch, metric):
    rng = random.Random(SEED)
    f = getattr(T, metric)
    for _ in range(300):
        a = ref.random_sentence(rng, ref.VOCABULARY, rng.randint(0, 12), ref.SPACES)
        b = ref.random_sentence(rng, ref.VOCABULARY, rng.randint(0, 12), ref.SPACES)
        assert f(a, b) == ref.word_metric_ref(metric, a, b), (a, b)
        assert f(a, b, case_fold=True) == \
            ref.word_metric_ref(metric, ref.fold_ref(a), ref.fold_ref(b)), (a, b)


def test_white_space_set_is_pythons(T, dispatch):
    # Words are split where str.split() splits: every Python white-space character
    # separates words, and no other character does.
    spaces = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c).isspace()]
    assert len(spaces) >= 25
    for ch in spaces:
        assert T.jaccard("x" + ch + "y", "x y") == 1.0, hex(ord(ch))
    for c in list(range(0x3100)) + [0xFEFF, 0x1F600, 0xE0020]:
        ch = chr(c)
        if 0xD800 <= c < 0xE000 or ch.isspace():
            continue
        assert T.jaccard("x" + ch + "y", "x y") == 0.0, hex(c)


# --- the python-Levenshtein oracle -----------------------------------------------------

@pytest.fixture(scope="module")
def oracle():
    return pytest.importorskip("Levenshtein")


def _oracle_pairs():
    rng = random.Random(SEED + 1)
    # No NUL: the oracle's Jaro loop reads one element past its arrays, where a NUL
    # terminator sits; any other code point is safe.
    out = [ref.random_pair(rng, 60) for _ in range(1500)]
    return [(a, b) for a, b in out if "\x00" not in a + b]


def test_oracle_levenshtein(T, dispatch, oracle):
    for a, b in _oracle_pairs():
        assert T.levenshtein(a, b) == oracle.distance(a, b), (a, b)


def test_oracle_jaro(T, dispatch, oracle):
    # With prefix_weight 0 the result is the Jaro similarity itself, bit for bit.
    for a, b in _oracle_pairs():
        if a and b:
            assert T.jaro_winkler(a, b, 0.0) == oracle.jaro(a, b), (a, b)


def test_oracle_jaro_winkler(T, dispatch, oracle):
    # python-Levenshtein 0.12 gives the whole common prefix the bonus; hotpath (text.h)
    # counts at most 4 code points.  Where the prefix is at most 4 long they agree bit
    # for bit; beyond, hotpath equals the oracle's Jaro with a 4-code-point bonus.
    rng = random.Random(SEED + 2)
    longer = 0
    for a, b in _oracle_pairs():
        w = rng.choice((0.0, 0.1, 0.15, 0.25))
        got = T.jaro_winkler(a, b, w)
        if ref.prefix_len(a, b) <= 4 or not (a and b):
            assert got == oracle.jaro_winkler(a, b, w), (a, b, w)
        else:
            longer += 1
            j = oracle.jaro(a, b)
            assert got == min(1.0, j + (1.0 - j) * 4 * w), (a, b, w)
    assert longer > 50  # the comparison above did run


# --- properties --------------------------------------------------------------------------

def test_identity_symmetry_bounds(T, dispatch, pairs):
    for a, b in pairs:
        for metric in ("jaccard", "cosine", "overlap", "levenshtein_normalized", "jaro_winkler"):
            f = getattr(T, metric)
            s = f(a, b)
            assert 0.0 <= s <= 1.0, (metric, a, b, s)
            assert f(b, a) == s, (metric, a, b)
            assert f(a, a) == 1.0, (metric, a)
        d = T.levenshtein(a, b)
        assert d == T.levenshtein(b, a)
        assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
        assert (d == 0) == (a == b)


def test_levenshtein_triangle_inequality(T, dispatch):
    rng = random.Random(SEED + 3)
    for _ in range(300):
        alphabet = rng.choice(ref.ALPHABETS)
        a = ref.random_text(rng, alphabet, rng.randint(0, 30))
        b = ref.mutate(rng, a, alphabet, rng.randint(0, 8))
        c = ref.mutate(rng, b, alphabet, rng.randint(0, 8))
        assert T.levenshtein(a, c) <= T.levenshtein(a, b) + T.levenshtein(b, c)


def test_case_fold_is_idempotent_and_length_preserving(T, dispatch, pairs):
    for a, _ in pairs:
        folded = T.case_fold(a)
        assert len(folded) == len(a)
        assert folded == ref.fold_ref(a)
        assert T.case_fold(folded) == folded


def test_case_fold_golden(T, dispatch):
    assert T.case_fold("") == ""
    assert T.case_fold("Hello WORLD 123") == "hello world 123"
    assert T.case_fold("ẞ ß Σ σ ς \u212a K İ ı µ ſ") == "ß ß σ σ σ k k İ ı μ s"
    assert T.case_fold("ǅ Ǆ ǆ") == "ǆ ǆ ǆ"
    assert T.case_fold("\U00010400\U0001E900") == "\U00010428\U0001E922"  # Deseret, Adlam
    assert T.case_fold("Ⱥ" * 100) == "ⱥ" * 100  # 2 UTF-8 bytes become 3


# --- score_cutoff ---------------------------------------------------------------------

def test_levenshtein_cutoff_semantics(T, dispatch, pairs):
    for a, b in pairs[:300]:
        d = ref.lev_dp(a, b)
        for k in (0, 1, 2, d - 1, d, d + 1, 2 ** 64 - 1):
            if k < 0:
                continue
            assert T.levenshtein(a, b, k) == (d if d <= k else k + 1), (a, b, k)
            assert T.levenshtein(a, b, score_cutoff=k) == (d if d <= k else k + 1)
        assert T.levenshtein(a, b, None) == d


def test_levenshtein_cutoff_long_texts(T, dispatch):
    rng = random.Random(SEED + 4)
    a = ref.random_text(rng, "abcd", 500)
    b = ref.random_text(rng, "abcd", 450)
    d = T.levenshtein(a, b)
    assert d == ref.lev_dp(a, b)
    for k in (0, 10, 49, 50, d - 1, d, d + 5):
        assert T.levenshtein(a, b, k) == (d if d <= k else k + 1)
