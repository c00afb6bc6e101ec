"""Pure-Python twin of hotpath.consensus: the executable specification.

Every public function here has the signature, result and errors of its
counterpart in ``hotpath.consensus``.  The structured consensus
(analyze_consensus, aggregate_responses, analyze_responses) is small dictionary
work and IS the implementation on every backend.  For the text consensus, the
library implements the parts whose cost grows with the number and length of the
answers (include/hotpath/consensus.h): leader clustering of the similarity
matrix (``cluster_labels``) and key-phrase counting (``count_key_phrases``); the
native results must be identical to the ones computed here, not merely close.
docs/consensus.md states every formula.

Responses are dicts (any Mapping) or objects with attributes (ExpertResponse,
the service's own dataclasses); ``normalize`` validates them once and every
function works on the normalised records.
"""

from __future__ import annotations

import math
import string
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from operator import index as _index
from typing import Any, List, NamedTuple, Optional

from ._buffers import real_no_bool_arg
from ._errors import HotpathTypeError, HotpathValueError, bad_real, bad_value, not_an_integer

__all__ = [
    "ExpertResponse", "KeyPhrase", "STOP_WORDS", "RANK_COUNT", "RANK_THEME", "METRICS",
    "analyze_consensus", "aggregate_responses", "analyze_responses", "text_consensus",
    "key_phrases", "cluster",
]

# The C library exports the same list (hotpath_consensus_stop_word); a test compares them.
STOP_WORDS = (
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "might", "more", "most", "must", "my", "myself", "no", "nor", "not",
    "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours", "yourself", "yourselves")
_STOP = frozenset(STOP_WORDS)

# Phrase rankings (HOTPATH_CONSENSUS_RANK_*).
RANK_COUNT = 0
RANK_THEME = 1
RANKINGS = {"count": RANK_COUNT, "theme": RANK_THEME}

# text_consensus metric name -> hotpath.text metric name.
METRICS = {"cosine": "cosine", "jaccard": "jaccard", "levenshtein": "levenshtein_normalized"}

DEFAULT_CONFIDENCE = 0.5
UNKNOWN_EXPERT = "unknown"

# Caps and constants of the structured consensus (the replaced service's numbers).
MAX_KEY_POINTS = 10
MAX_DISSENTING_VIEWS = 5
HIGH_CONFIDENCE = 0.7          # analyze_responses: high_confidence_count counts c >= this

# Text consensus.
CONSENSUS_PHRASES = 5          # key phrases of the primary cluster
THEMES = 3                     # themes among the insights
THEME_MIN_DOCS = 2
MAX_INSIGHTS = 10
ANOMALY_Z = 2.0
SPREAD_HIGH_CONSENSUS = 0.1    # sigma below: "high consensus"
SPREAD_POLARIZED = 0.3         # sigma above: "polarized"
SHARE_HIGH = 0.8               # confidences above: "high"
SHARE_LOW = 0.5                # confidences below: "low"

_PUNCTUATION = string.punctuation


# --- responses ----------------------------------------------------------------------

@dataclass
class ExpertResponse:
    """One expert's answer.  Any object with these attributes, or a dict with these
    keys, is accepted in its place; expert_type may be an Enum (its .value is used)."""
    expert_type: Any = None
    content: str = ""
    confidence: float = DEFAULT_CONFIDENCE
    recommendations: List[str] = field(default_factory=list)
    limitations: List[str] = field(default_factory=list)
    code_snippets: List[Any] = field(default_factory=list)
    processing_time: float = 0.0
    timestamp: Optional[Any] = None


class Response(NamedTuple):
    """A validated response (see normalize)."""
    expert_type: Any          # None when the response has none
    content: str
    confidence: float
    recommendations: list
    limitations: list
    code_snippets: list
    processing_time: float


class KeyPhrase(NamedTuple):
    """A ranked phrase: its text (words joined by one space), its number of
    occurrences, the number of members containing it, and its ranking score (the
    count for the "count" ranking)."""
    text: str
    count: int
    docs: int
    score: float


_FIELDS = ("expert_type", "content", "confidence", "recommendations", "limitations",
           "code_snippets", "processing_time")


_real = real_no_bool_arg


def _strings(value, i, field):
    """A list of str; the argument is named "responses[i].field" in errors (formatted
    only then: this runs for every response)."""
    if value is None:
        return []
    if value.__class__ is not list and not isinstance(value, (list, tuple)):
        raise HotpathTypeError("argument 'responses[%d].%s' has type %s; expected a list of str"
                               % (i, field, type(value).__name__))
    for j, item in enumerate(value):
        if item.__class__ is not str and not isinstance(item, str):
            raise HotpathTypeError("argument 'responses[%d].%s[%d]' has type %s; expected a str"
                                   % (i, field, j, type(item).__name__))
    return list(value)


def _response(item, i):
    if isinstance(item, Mapping):
        get = item.get
        values = [get(name) for name in _FIELDS]
    elif isinstance(item, (str, bytes, bytearray, int, float)) or item is None or \
            not any(hasattr(item, name) for name in _FIELDS):
        raise HotpathTypeError("argument 'responses[%d]' has type %s; expected a dict or an "
                               "object with expert response attributes"
                               % (i, type(item).__name__))
    else:
        values = [getattr(item, name, None) for name in _FIELDS]
    expert, content, confidence, recs, lims, snippets, ptime = values
    if isinstance(expert, Enum):
        expert = expert.value
    if content is None:
        content = ""
    elif not isinstance(content, str):
        raise HotpathTypeError("argument 'responses[%d].content' has type %s; expected a str"
                               % (i, type(content).__name__))
    if confidence is None:
        confidence = DEFAULT_CONFIDENCE
    elif confidence.__class__ is not float or not 0.0 <= confidence <= 1.0:
        name = "responses[%d].confidence" % i
        confidence = _real(confidence, name)
        if not 0.0 <= confidence <= 1.0:
            raise bad_real(name, confidence, "a value in [0, 1]")
    recs = _strings(recs, i, "recommendations")
    lims = _strings(lims, i, "limitations")
    if snippets is None:
        snippets = []
    elif not isinstance(snippets, (list, tuple)):
        raise HotpathTypeError("argument 'responses[%d].code_snippets' has type %s; expected a "
                               "list" % (i, type(snippets).__name__))
    if ptime is None:
        ptime = 0.0
    elif ptime.__class__ is not float:
        ptime = _real(ptime, "responses[%d].processing_time" % i)
    return Response(expert, content, confidence, recs, lims, list(snippets), ptime)


def normalize(responses):
    """The validated records of responses (a list, tuple or other iterable of dicts or
    objects).  Missing or None fields take their defaults: confidence 0.5, content "",
    empty lists, processing_time 0.0; an Enum expert_type becomes its .value."""
    if isinstance(responses, (str, bytes, bytearray, Mapping)) or responses is None:
        raise HotpathTypeError("argument 'responses' has type %s; expected a list of responses"
                               % type(responses).__name__)
    try:
        items = list(responses)
    except TypeError:
        raise HotpathTypeError("argument 'responses' has type %s; expected a list of responses"
                               % type(responses).__name__) from None
    return [_response(item, i) for i, item in enumerate(items)]


def expert_name(record):
    return UNKNOWN_EXPERT if record.expert_type is None else record.expert_type


def _mean(values):
    return sum(values) / len(values)


def _variance(values, mean):
    """Population variance, summed in input order."""
    return sum((v - mean) ** 2 for v in values) / len(values)


def finite_arg(value, name):
    v = _real(value, name)
    if v != v:
        raise bad_real(name, v, "a number, not NaN")
    return v


# --- structured consensus -------------------------------------------------------------

def _counts_lower(records, attribute):
    """Lowercased item -> occurrences, in first-seen order."""
    counts = {}
    get = counts.get
    for record in records:
        for item in getattr(record, attribute):
            key = item.lower()
            counts[key] = get(key, 0) + 1
    return counts


def _distinct(records, attribute, lower=False):
    seen = {}
    for record in records:
        for item in getattr(record, attribute):
            seen.setdefault(item.lower() if lower else item, None)
    return list(seen)


def analyze_consensus(responses, threshold=0.7, min_agreement=0.5):
    """Consensus of the recommendations: consensus_score, agreement_level ("high",
    "medium", "low"; "none" without responses), key_points, dissenting_views,
    average_confidence and response_count (docs/consensus.md has the formulas)."""
    threshold = finite_arg(threshold, "threshold")
    min_agreement = finite_arg(min_agreement, "min_agreement")
    records = normalize(responses)
    n = len(records)
    if not n:
        return {"consensus_score": 0.0, "agreement_level": "none", "key_points": [],
                "dissenting_views": []}
    average = _mean([r.confidence for r in records])
    counts = _counts_lower(records, "recommendations")
    min_count = n * min_agreement
    key_points = [rec for rec, count in counts.items() if count >= min_count]
    dissenting = [rec for rec, count in counts.items() if count == 1]
    if n > 1:
        ratio = len(key_points) / max(1, len(counts))
        score = average * 0.6 + ratio * 0.4
    else:
        score = average
    if score >= threshold:
        level = "high"
    elif score >= 0.5:
        level = "medium"
    else:
        level = "low"
    return {"consensus_score": round(score, 3), "agreement_level": level,
            "key_points": key_points[:MAX_KEY_POINTS],
            "dissenting_views": dissenting[:MAX_DISSENTING_VIEWS],
            "average_confidence": round(average, 3), "response_count": n}


def consensus_level(confidences):
    """"n/a" below two responses, else "high", "medium" or "low" from the mean and the
    population variance of the confidences."""
    if len(confidences) < 2:
        return "n/a"
    average = _mean(confidences)
    variance = _variance(confidences, average)
    if variance < 0.05 and average > 0.7:
        return "high"
    if variance < 0.1 and average > 0.5:
        return "medium"
    return "low"


def aggregate_responses(responses):
    """The responses summed up: response_count, experts, average_confidence,
    consensus_level, common_recommendations, all_recommendations,
    code_examples_count, limitations, processing_times.  Lists keep first-seen order."""
    records = normalize(responses)
    n = len(records)
    if not n:
        return {"response_count": 0, "experts": [], "average_confidence": 0.0,
                "consensus_level": "n/a", "common_recommendations": [],
                "all_recommendations": [], "code_examples_count": 0, "limitations": [],
                "processing_times": {}}
    confidences = [r.confidence for r in records]
    half = n / 2
    counts = _counts_lower(records, "recommendations")
    return {
        "response_count": n,
        "experts": [expert_name(r) for r in records],
        "average_confidence": round(_mean(confidences), 3),
        "consensus_level": consensus_level(confidences),
        "common_recommendations": [rec for rec, count in counts.items() if count >= half],
        "all_recommendations": _distinct(records, "recommendations"),
        "code_examples_count": sum(len(r.code_snippets) for r in records),
        "limitations": _distinct(records, "limitations"),
        "processing_times": {("expert_%d" % i if r.expert_type is None else r.expert_type):
                             r.processing_time for i, r in enumerate(records)},
    }


def analyze_responses(responses):
    """total_responses, average_confidence, consensus_score, high_confidence_count,
    common_recommendations, unique_limitations (docs/consensus.md)."""
    records = normalize(responses)
    n = len(records)
    if not n:
        return {"total_responses": 0, "average_confidence": 0.0, "consensus_score": 0.0,
                "high_confidence_count": 0, "common_recommendations": [],
                "unique_limitations": []}
    confidences = [r.confidence for r in records]
    average = _mean(confidences)
    if n > 1:
        variance = _variance(confidences, average)
        score = average * 0.6 + (1.0 - min(variance, 1.0)) * 0.4
    else:
        score = average
    half = n / 2
    counts = _counts_lower(records, "recommendations")
    return {
        "total_responses": n,
        "average_confidence": round(average, 3),
        "consensus_score": round(score, 3),
        "high_confidence_count": sum(1 for c in confidences if c >= HIGH_CONFIDENCE),
        "common_recommendations": [rec for rec, count in counts.items() if count >= half],
        "unique_limitations": _distinct(records, "limitations", lower=True),
    }


# --- clustering -----------------------------------------------------------------------

def cluster_labels(data, n, threshold):
    """Greedy leader clustering of the n x n row-major matrix data: (labels, count).

    For i in order, an i without a cluster leads a new one, and every j > i without a
    cluster and with data[i * n + j] >= threshold joins it (NaN never joins)."""
    labels = [-1] * n
    count = 0
    for i in range(n):
        if labels[i] >= 0:
            continue
        labels[i] = count
        row = i * n
        for j in range(i + 1, n):
            if labels[j] < 0 and data[row + j] >= threshold:
                labels[j] = count
        count += 1
    return labels, count


def clusters_of(labels, count):
    """Lists of member indices, one per cluster, in cluster order."""
    clusters = [[] for _ in range(count)]
    for i, label in enumerate(labels):
        clusters[label].append(i)
    return clusters


def matrix_arg(matrix):
    """(flat data, n) of a SimilarityMatrix (.n and .data) or a square list of rows."""
    n = getattr(matrix, "n", None)
    data = getattr(matrix, "data", None)
    if n is not None and data is not None:
        n = _index(n)
        if len(data) != n * n:
            raise HotpathValueError("argument 'matrix' has %d entries; expected n * n = %d"
                                    % (len(data), n * n))
        return data, n
    if isinstance(matrix, (str, bytes, bytearray)):
        raise HotpathTypeError("argument 'matrix' has type %s; expected a SimilarityMatrix or "
                               "a square list of rows" % type(matrix).__name__)
    try:
        rows = [list(row) for row in matrix]
    except TypeError:
        raise HotpathTypeError("argument 'matrix' has type %s; expected a SimilarityMatrix or "
                               "a square list of rows" % type(matrix).__name__) from None
    n = len(rows)
    flat = array("d")
    for i, row in enumerate(rows):
        if len(row) != n:
            raise HotpathValueError("argument 'matrix' row %d has %d entries; expected %d"
                                    % (i, len(row), n))
        start = len(flat)
        try:
            flat.extend(row)  # C speed for floats and ints
        except (TypeError, OverflowError):
            del flat[start:]  # extend may have appended part of the row
            for j, value in enumerate(row):
                flat.append(_real(value, "matrix[%d][%d]" % (i, j)))
    return flat, n


def cluster(matrix, threshold=0.7):
    """Greedy leader clustering of a similarity matrix (a SimilarityMatrix or a square
    list of rows): the clusters as lists of indices, in leader order."""
    threshold = finite_arg(threshold, "threshold")
    data, n = matrix_arg(matrix)
    return clusters_of(*cluster_labels(data, n, threshold))


# --- key phrases ----------------------------------------------------------------------

def words(text):
    """The words of an (already case-folded) text: its str.split() tokens with ASCII
    punctuation stripped from both ends, empty ones dropped."""
    out = []
    for token in text.split():
        word = token.strip(_PUNCTUATION)
        if word:
            out.append(word)
    return out


def count_key_phrases(word_lists, members, weights, min_docs, ranking, limit):
    """The best `limit` phrases of the members (indices into word_lists, repeats
    allowed), as KeyPhrase tuples; the twin of hotpath_consensus_key_phrases.

    weights: one float per member or None (1.0 each); only RANK_THEME reads them.
    Phrases are visited in (member position, word position, length) order, so a
    dict keeps them in first-occurrence order and a stable sort breaks ties by it."""
    table = {}   # phrase -> [count, docs, wsum, last member position]
    stop = _STOP
    for m, index in enumerate(members):
        ws = word_lists[index]
        weight = 1.0 if weights is None else weights[m]
        is_stop = [w in stop for w in ws]
        size = len(ws)
        for p in range(size):
            for length in (1, 2, 3):
                end = p + length
                if end > size:
                    break
                if length == 1:
                    if is_stop[p] or len(ws[p].encode("utf-8")) <= 3:
                        continue
                    key = ws[p]
                elif all(is_stop[p:end]):
                    continue
                else:
                    key = " ".join(ws[p:end])
                entry = table.get(key)
                if entry is None:
                    table[key] = [1, 1, 0.0 + weight, m]
                else:
                    entry[0] += 1
                    if entry[3] != m:
                        entry[1] += 1
                        entry[2] += weight
                        entry[3] = m
    n_members = len(members)
    ranked = []
    for key, (count, docs, wsum, _) in table.items():
        if docs < min_docs:
            continue
        score = count * wsum / n_members if ranking == RANK_THEME else float(count)
        ranked.append(KeyPhrase(key, count, docs, score))
    ranked.sort(key=lambda phrase: -phrase.score)
    return ranked[:limit]


def ranking_arg(ranking):
    """"count" or "theme" (or RANK_COUNT / RANK_THEME) -> the ranking code."""
    if isinstance(ranking, str):
        code = RANKINGS.get(ranking)
    elif isinstance(ranking, int) and not isinstance(ranking, bool):
        code = ranking if ranking in (RANK_COUNT, RANK_THEME) else None
    else:
        raise HotpathTypeError("argument 'ranking' has type %s; expected a str"
                               % type(ranking).__name__)
    if code is None:
        raise bad_value("ranking", ranking, "'count' or 'theme'")
    return code


def count_arg(value, name, bits):
    """A non-negative integer below 2**bits."""
    if isinstance(value, bool):
        raise not_an_integer(name, value)
    try:
        v = _index(value)
    except TypeError:
        raise not_an_integer(name, value) from None
    if not 0 <= v < 1 << bits:
        raise bad_value(name, v, "an integer in [0, 2**%d)" % bits)
    return v


def texts_arg(texts):
    """texts as a tuple of checked str; None, bytes and a lone str are refused."""
    from ._text_py import text_tuple
    return text_tuple(texts, "texts", "a list of str", (str, bytes, bytearray, type(None)))


def weights_arg(weights, n):
    if weights is None:
        return None
    if isinstance(weights, (str, bytes, bytearray)):
        raise HotpathTypeError("argument 'weights' has type %s; expected a list of numbers"
                               % type(weights).__name__)
    out = array("d")
    for i, w in enumerate(weights):
        name = "weights[%d]" % i
        v = _real(w, name)
        if not math.isfinite(v):
            raise bad_real(name, v, "a finite number")
        out.append(v)
    if len(out) != n:
        raise HotpathValueError("argument 'weights' has %d items; expected one per text (%d)"
                                % (len(out), n))
    return out


def key_phrase_args(texts, limit, ranking, weights, min_docs, case_fold):
    """Validated (texts, limit, ranking code, weights, min_docs, case_fold)."""
    texts = texts_arg(texts)
    limit = count_arg(limit, "limit", 64)
    code = ranking_arg(ranking)
    weights = weights_arg(weights, len(texts))
    min_docs = count_arg(min_docs, "min_docs", 32)
    if not isinstance(case_fold, bool):
        raise HotpathTypeError("argument 'case_fold' has type %s; expected a bool"
                               % type(case_fold).__name__)
    return texts, limit, code, weights, min_docs, case_fold


def key_phrases(texts, limit=10, ranking="count", weights=None, min_docs=1, case_fold=True):
    """The best `limit` phrases of texts, as KeyPhrase(text, count, docs, score).

    ranking "count": count desc; "theme": count * (sum of the weights of the texts
    containing it) / len(texts) desc; ties go to the earliest first occurrence.
    Only phrases found in at least min_docs texts are kept.  weights: one finite
    number per text (default 1.0).  case_fold: fold the texts first (simple Unicode
    case folding)."""
    texts, limit, code, weights, min_docs, case_fold = key_phrase_args(
        texts, limit, ranking, weights, min_docs, case_fold)
    from . import _text_py
    word_lists = [words(t) for t in _text_py.Corpus(texts, case_fold=case_fold).folded()]
    return count_key_phrases(word_lists, range(len(texts)), weights, min_docs, code, limit)


# --- text consensus -------------------------------------------------------------------

def text_consensus_args(responses, metric, threshold):
    """(records, hotpath.text metric name, threshold) after validation."""
    if not isinstance(metric, str):
        raise HotpathTypeError("argument 'metric' has type %s; expected a str"
                               % type(metric).__name__)
    text_metric = METRICS.get(metric)
    if text_metric is None:
        raise bad_value("metric", metric, "'cosine', 'jaccard' or 'levenshtein'")
    threshold = finite_arg(threshold, "threshold")
    return normalize(responses), text_metric, threshold


def _percent(k, n):
    return "%.0f%%" % (100.0 * k / n)


def insights(records, themes):
    """The key insights (at most MAX_INSIGHTS strings, fixed order): themes, the
    confidence spread band, the shares of high and low confidences, then anomalies."""
    n = len(records)
    out = []
    for phrase in themes:
        out.append('Recurring theme: "%s" (in %d of %d responses)' % (phrase.text, phrase.docs, n))
    if not n:
        return out
    confidences = [r.confidence for r in records]
    mean = _mean(confidences)
    sigma = math.sqrt(_variance(confidences, mean))
    if n > 1:
        if sigma < SPREAD_HIGH_CONSENSUS:
            out.append("High consensus: the confidences spread by %.3f (standard deviation), "
                       "below %g" % (sigma, SPREAD_HIGH_CONSENSUS))
        elif sigma > SPREAD_POLARIZED:
            out.append("Polarized: the confidences spread by %.3f (standard deviation), "
                       "above %g" % (sigma, SPREAD_POLARIZED))
    high = sum(1 for c in confidences if c > SHARE_HIGH)
    if high:
        out.append("High confidence: %d of %d responses (%s) above %g"
                   % (high, n, _percent(high, n), SHARE_HIGH))
    low = sum(1 for c in confidences if c < SHARE_LOW)
    if low:
        out.append("Low confidence: %d of %d responses (%s) below %g"
                   % (low, n, _percent(low, n), SHARE_LOW))
    if sigma > 0.0:
        for i, record in enumerate(records):
            z = (record.confidence - mean) / sigma
            if abs(z) > ANOMALY_Z:
                out.append("Confidence anomaly: %s (responses[%d]) at %.2f is %.1f standard "
                           "deviations %s the mean %.2f"
                           % (expert_name(record), i, record.confidence, abs(z),
                              "above" if z > 0 else "below", mean))
    return out[:MAX_INSIGHTS]


def _best_member(records, members):
    """The member with the highest confidence (the earliest on ties)."""
    best = members[0]
    for i in members[1:]:
        if records[i].confidence > records[best].confidence:
            best = i
    return best


def assemble(records, matrix, clusters, phrases):
    """The text consensus result from the clusters; phrases(members, weights, min_docs,
    ranking, limit) -> [KeyPhrase] is the native kernel or count_key_phrases."""
    n = len(records)
    if not n:
        return {"consensus_text": "", "confidence_score": 0.0, "primary_cluster": None,
                "clusters": [], "dissenting_opinions": [], "contributing_experts": [],
                "matrix": matrix, "key_phrases": [], "key_insights": []}
    primary = 0
    for c in range(1, len(clusters)):
        if len(clusters[c]) > len(clusters[primary]):
            primary = c
    members = clusters[primary]
    k = len(members)
    top = [p.text for p in phrases(members, None, 1, RANK_COUNT, CONSENSUS_PHRASES)]
    text = records[_best_member(records, members)].content
    if top:
        text += "\n\nKey phrases: " + ", ".join(top)
    mean = sum(records[i].confidence for i in members) / k
    dissenting = []
    for c, other in enumerate(clusters):
        if c == primary:
            continue
        best = records[_best_member(records, other)]
        dissenting.append({"cluster": c, "size": len(other), "expert_type": expert_name(best),
                           "content": best.content, "confidence": best.confidence})
    weights = array("d", [r.confidence for r in records])
    themes = phrases(range(n), weights, THEME_MIN_DOCS, RANK_THEME, THEMES)
    return {
        "consensus_text": text,
        "confidence_score": min(1.0, mean + min(k / 10, 0.2)),
        "primary_cluster": primary,
        "clusters": clusters,
        "dissenting_opinions": dissenting,
        "contributing_experts": [expert_name(records[i]) for i in members],
        "matrix": matrix,
        "key_phrases": top,
        "key_insights": insights(records, themes),
    }


def text_consensus(responses, metric="cosine", threshold=0.7):
    """Consensus of the answers' texts: the answers are clustered by similarity
    (greedy leader clustering at `threshold` over the case-folded `metric` matrix)
    and the largest cluster speaks for the consensus.  Returns consensus_text,
    confidence_score, primary_cluster, clusters, dissenting_opinions,
    contributing_experts, matrix, key_phrases and key_insights (docs/consensus.md)."""
    return text_consensus_of(*text_consensus_args(responses, metric, threshold))


def text_consensus_of(records, text_metric, threshold):
    """text_consensus of validated records (see text_consensus_args)."""
    from . import _text_py
    corpus = _text_py.Corpus([r.content for r in records], case_fold=True)
    matrix = _text_py.matrix(corpus, text_metric)
    clusters = clusters_of(*cluster_labels(matrix.data, len(records), threshold))
    word_lists = [words(t) for t in corpus.folded()]

    def phrases(members, weights, min_docs, ranking, limit):
        return count_key_phrases(word_lists, members, weights, min_docs, ranking, limit)

    return assemble(records, matrix, clusters, phrases)
