"""Independent references for hotpath.text, written from the specification
(include/hotpath/text.h, docs/text.md) without sharing code with the package.

* lev_dp: the textbook O(n*m) dynamic programme;
* jaro_literal: python-Levenshtein 0.12's Jaro loop (window scan with a match-order
  array), transcribed the way that C code is written, not the way the twin is;
* jaro_winkler_ref: that Jaro plus Winkler's bonus over at most 4 prefix code points;
* FOLD_REF: simple case folding parsed from the system's CaseFolding.txt (Debian
  unicode-data); when that file is missing, the package's generated table stands
  in (and tests that need the independent table say so by skipping);
* summarize_ref: the summary rules written with str.split("\\n");
* random text generators that mix ASCII, combining marks, astral characters, CJK,
  and the tricky fold cases (sharp s, capital sharp s, Kelvin sign, final sigma).
"""
import math
import os

CASEFOLDING_TXT = "/usr/share/unicode/CaseFolding.txt"
METRICS = ("jaccard", "cosine", "overlap", "levenshtein", "levenshtein_normalized",
           "jaro_winkler")


def parse_casefolding(path=CASEFOLDING_TXT):
    """{code point: simple folding} from CaseFolding.txt, statuses C and S."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            code, status, mapping = [x.strip() for x in line.split(";")[:3]]
            if status in ("C", "S"):
                table[int(code, 16)] = int(mapping, 16)
    return table


if os.path.exists(CASEFOLDING_TXT):
    FOLD_REF = parse_casefolding()
    FOLD_REF_INDEPENDENT = True
else:  # pragma: no cover - depends on the machine
    from hotpath._casefold import FOLD as FOLD_REF
    FOLD_REF_INDEPENDENT = False


def fold_ref(s):
    return "".join(chr(FOLD_REF.get(ord(c), ord(c))) for c in s)


# --- metrics --------------------------------------------------------------------------

def words_ref(s):
    # The specification: the words are exactly what str.split() returns.
    return set(s.split())


def word_metric_ref(metric, a, b):
    A, B = words_ref(a), words_ref(b)
    if not A or not B:
        return 1.0 if not A and not B else 0.0
    inter = len(A & B)
    if metric == "jaccard":
        return inter / len(A | B)
    if metric == "cosine":
        return inter / math.sqrt(len(A) * len(B))
    return inter / min(len(A), len(B))


def lev_dp(a, b):
    """Textbook Levenshtein distance (unit costs), O(len(a) * len(b))."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def jaro_literal(s1, s2):
    """python-Levenshtein 0.12's jaro_common_simple, transcribed loop for loop."""
    if len(s1) > len(s2):
        s1, s2 = s2, s1
    len1, len2 = len(s1), len(s2)
    if len1 == 0:
        return 1.0 if len2 == 0 else 0.0
    halflen = (len1 + 1) // 2
    idx = [0] * len1
    match = 0
    # (The C loop of the first part runs j up to i + halflen even past len1, reading
    # one element beyond both arrays; the bound below is the intended one.)
    for i in range(min(halflen, len2)):  # first part: j from 0
        c = s2[i]
        for j in range(0, min(i + halflen + 1, len1)):
            if s1[j] == c and not idx[j]:
                match += 1
                idx[j] = match
                break
    for i in range(halflen, min(len1 + halflen, len2)):  # second part
        c = s2[i]
        for j in range(i - halflen, len1):
            if s1[j] == c and not idx[j]:
                match += 1
                idx[j] = match
                break
    if not match:
        return 0.0
    i = 0
    trans = 0
    for j in range(len1):
        if idx[j]:
            i += 1
            if idx[j] != i:
                trans += 1
    md = float(match)
    return (md / len1 + md / len2 + 1.0 - trans / md / 2.0) / 3.0


def prefix_len(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def jaro_winkler_ref(a, b, weight=0.1):
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    j = jaro_literal(a, b)
    j += (1.0 - j) * min(prefix_len(a, b), 4) * weight
    return min(j, 1.0)


def metric_ref(metric, a, b, weight=0.1):
    """The reference value of metric(a, b) (levenshtein as a float)."""
    if metric in ("jaccard", "cosine", "overlap"):
        return word_metric_ref(metric, a, b)
    if metric == "levenshtein":
        return float(lev_dp(a, b))
    if metric == "levenshtein_normalized":
        longest = max(len(a), len(b))
        return 1.0 if not longest else 1.0 - lev_dp(a, b) / longest
    return jaro_winkler_ref(a, b, weight)


# --- summaries ----------------------------------------------------------------------

def summarize_ref(text, lines=1, max_chars=200, skip_front_matter=False):
    body = text
    if skip_front_matter:
        rows = text.split("\n")
        if len(rows) >= 2 and rows[0].rstrip() == "---":
            for k in range(1, len(rows)):
                if rows[k].rstrip() == "---":
                    body = "\n".join(rows[k + 1:])
                    break
    if lines == 0 or max_chars == 0:
        return ""
    body = body.lstrip()
    return "\n".join(body.split("\n")[:lines]).rstrip()[:max_chars].rstrip()


# --- random texts ---------------------------------------------------------------------

ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;!?-'"
FOLD_CASES = "ßẞKkΣσςİıſsSµΜμǅǄǆÅåÅ"  # sharp s, Kelvin, sigmas, dotted I, long s, ...
COMBINING = "e\u0301a\u0308o\u0303\u0327"
ASTRAL = "\U0001F600\U0001F680\U00010400\U00010428\U0001D400\U0001F44D\U0010FFFD"
CJK = "中文字漢語日本語한국어"
SPACES = (" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029"
          "\u202f\u205f\u3000")
UNICODE = ASCII + FOLD_CASES + COMBINING + ASTRAL + CJK
ALPHABETS = ("ab", "abc", "abcdefgh", ASCII, UNICODE, FOLD_CASES + "ab", ASTRAL + "ab")


def random_text(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def mutate(rng, s, alphabet, edits):
    out = list(s)
    for _ in range(edits):
        op = rng.randrange(3)
        pos = rng.randint(0, len(out))
        if op == 0 or not out:
            out.insert(pos, rng.choice(alphabet))
        elif op == 1:
            del out[min(pos, len(out) - 1)]
        else:
            out[min(pos, len(out) - 1)] = rng.choice(alphabet)
    return "".join(out)


def random_pair(rng, max_len=40, alphabets=ALPHABETS):
    """Two texts, often related (one an edit of the other, or sharing a prefix)."""
    alphabet = rng.choice(alphabets)
    a = random_text(rng, alphabet, rng.randint(0, max_len))
    kind = rng.randrange(3)
    if kind == 0:
        b = mutate(rng, a, alphabet, rng.randint(0, 6))
    elif kind == 1:
        b = a[:rng.randint(0, len(a))] + random_text(rng, alphabet, rng.randint(0, max_len // 2))
    else:
        b = random_text(rng, alphabet, rng.randint(0, max_len))
    return a, b


def random_sentence(rng, vocabulary, n_words, spaces=" "):
    out = []
    for k in range(n_words):
        if k:
            out.append(rng.choice(spaces))
        out.append(rng.choice(vocabulary))
    return "".join(out)


VOCABULARY = ("the", "The", "THE", "quick", "Quick", "brown", "fox", "jumps", "over", "lazy",
              "dog", "dog.", "Straße", "STRASSE", "straße", "ΣΟΦΙΑ", "σοφια", "σοφιας",
              "Kelvin", "\u212aelvin", "kelvin", "中文", "😀", "e\u0301", "é", "data", "model")

