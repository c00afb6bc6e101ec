"""hotpath.memory on every backend: similar pairs and scan against an independent
brute force, scan rules with controlled modification times, consolidation golden
values from the specification, hexagram and thread helpers, bad input."""
import math
import os
import random
import stat

import pytest

from hotpath import HotpathError, HotpathTypeError, HotpathValueError
from hotpath import memory as M

DAY = 86400.0
THRESHOLDS = (0.0, 0.1, 0.25, 0.5, 2 / 3, 0.75, 0.8, 0.9, 0.999, 1.0)


# --- independent references -------------------------------------------------------

def jaccard(a, b):
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def brute_pairs(texts, t, strict=True):
    sets = [set(x.split()) for x in texts]
    out = []
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            s = jaccard(sets[i], sets[j])
            if (s > t) if strict else (s >= t):
                out.append((i, j))
    return out


def corpus(seed, n, vocab=60, planted=0.3, empties=2, max_words=12):
    rng = random.Random(seed)
    words = ["w%d" % i for i in range(vocab)] + ["Wort", "wort", "é", "naïve", "x\u00a0y"]
    weights = [1.0 / (k + 1) for k in range(len(words))]
    texts = []
    for _ in range(n):
        if texts and rng.random() < planted:
            base = rng.choice(texts).split()
            for _ in range(rng.randint(0, 2)):
                if base:
                    base[rng.randrange(len(base))] = rng.choice(words)
            if rng.random() < 0.3:
                base.append(rng.choice(words))
            texts.append(rng.choice([" ", "\n", "\t", "\u2003"]).join(base))
        else:
            texts.append(" ".join(rng.choices(words, weights, k=rng.randint(1, max_words))))
    texts += [""] * empties + ["   \n"]
    rng.shuffle(texts)
    return texts


# --- similar pairs ------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_pairs_match_brute_force(every_mode, seed):
    texts = corpus(seed, 70)
    for t in THRESHOLDS:
        for strict in (True, False):
            want = brute_pairs(texts, t, strict)
            assert M.similar_pairs(texts, t, strict) == want, (t, strict)
            assert M.count_similar_pairs(texts, t, strict) == len(want), (t, strict)


def test_pairs_default_is_strict(every_mode):
    texts = ["a b c d e", "a b c d"]  # Jaccard 4/5 == 0.8 exactly
    assert 4 / 5 == 0.8
    assert M.similar_pairs(texts, 0.8) == []
    assert M.similar_pairs(texts, 0.8, strict=False) == [(0, 1)]
    assert M.count_similar_pairs(texts, 0.8) == 0
    assert M.count_similar_pairs(texts, 0.8, strict=False) == 1


def test_pairs_ties_at_the_threshold(every_mode):
    # 2/3, 1/2, 3/4 and 1/3 exactly at the threshold: excluded by >, kept by >=.
    cases = [("a b c", "a b c d", 3 / 4), ("a b", "a b c", 2 / 3), ("a b", "a c", 1 / 3),
             ("p q", "p q r s", 1 / 2), ("x", "x y z w v", 1 / 5)]
    for a, b, t in cases:
        assert jaccard(set(a.split()), set(b.split())) == t
        assert M.similar_pairs([a, b], t) == []
        assert M.similar_pairs([a, b], t, strict=False) == [(0, 1)]


def test_pairs_identical_and_empty(every_mode):
    texts = ["same words here", "", "same words here", "here words same", "", "other"]
    assert M.similar_pairs(texts, 1.0, strict=False) == [(0, 2), (0, 3), (1, 4), (2, 3)]
    assert M.similar_pairs(texts, 1.0) == []
    assert M.similar_pairs(texts, 0.999) == [(0, 2), (0, 3), (1, 4), (2, 3)]
    # strict 0: any common word, and the two empty texts (Jaccard 1.0).
    assert M.similar_pairs(texts, 0.0) == [(0, 2), (0, 3), (1, 4), (2, 3)]
    # >= 0 holds for every pair.
    assert M.count_similar_pairs(texts, 0.0, strict=False) == 15
    assert M.similar_pairs([], 0.5) == []
    assert M.similar_pairs(["only"], 0.0, strict=False) == []


def test_pairs_case_sensitive_unicode_space(every_mode):
    texts = ["Word next", "word next", "a\u3000b", "a b", "a\u200bb"]
    assert M.similar_pairs(texts, 0.3) == [(0, 1), (2, 3)]
    assert brute_pairs(texts, 0.3) == [(0, 1), (2, 3)]


def test_pairs_larger_corpus(every_mode):
    texts = corpus(99, 400, vocab=300, planted=0.2, empties=3)
    for t in (0.5, 0.8):
        assert M.count_similar_pairs(texts, t) == len(brute_pairs(texts, t))


@pytest.mark.parametrize("seed", range(3))
def test_pairs_long_texts(every_mode, seed):
    # Long texts with a few words changed: the positional filter and the early exit
    # of the verification decide most candidates here.
    texts = corpus(seed + 40, 150, vocab=200, planted=0.5, empties=1, max_words=80)
    for t in (0.3, 0.6, 0.75, 0.8, 0.85, 0.9, 0.95, 0.999):
        for strict in (True, False):
            assert M.similar_pairs(texts, t, strict) == brute_pairs(texts, t, strict), (t, strict)


def test_pairs_independent_of_thread_count(hp, native_dispatch):
    texts = corpus(7, 300, vocab=100)
    want = brute_pairs(texts, 0.5)
    before = hp.get_num_threads()
    try:
        for n in (1, 2, 3):
            hp.set_num_threads(n)
            assert M.similar_pairs(texts, 0.5) == want
    finally:
        hp.set_num_threads(before)


def test_pairs_bad_input(every_mode):
    for bad in (-0.01, 1.01, float("nan"), float("inf")):
        with pytest.raises(HotpathValueError, match="argument 'threshold' is"):
            M.similar_pairs(["a"], bad)
    with pytest.raises(HotpathValueError) as e:
        M.count_similar_pairs(["a", "b"], 2)
    assert str(e.value) == "argument 'threshold' is 2; expected 0 to 1"
    with pytest.raises(HotpathTypeError):
        M.similar_pairs(["a"], "0.5")
    with pytest.raises(HotpathTypeError):
        M.similar_pairs("a b", 0.5)
    with pytest.raises(HotpathTypeError, match=r"texts\[1\]"):
        M.similar_pairs(["a", b"b"], 0.5)
    with pytest.raises(HotpathTypeError):
        M.similar_pairs(None, 0.5)


# --- scan ---------------------------------------------------------------------------

NOW = 1_800_000_000.0


def write(folder, name, content, age_seconds=None, raw=False):
    path = os.path.join(str(folder), name)
    with open(path, "wb" if raw else "w", encoding=None if raw else "utf-8") as f:
        f.write(content)
    if age_seconds is not None:
        t = NOW - age_seconds
        os.utime(path, (t, t))
    return path


def test_scan_ages_and_duplicates(every_mode, tmp_path):
    write(tmp_path, "20260101_000000_a.md", "alpha beta gamma delta epsilon", 31 * DAY)
    write(tmp_path, "20260101_000001_b.md", "alpha beta gamma delta epsilon zeta", 30 * DAY + 86399)
    write(tmp_path, "c.md", "alpha beta gamma delta", 30 * DAY)
    write(tmp_path, "d.md", "something else entirely", 0)
    write(tmp_path, ".hidden.md", "something else entirely", 100 * DAY)
    write(tmp_path, "notes.txt", "alpha beta gamma delta epsilon", 100 * DAY)
    write(tmp_path, "upper.MD", "alpha beta gamma delta epsilon", 100 * DAY)
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub, "e.md", "alpha beta gamma delta epsilon", 100 * DAY)
    r = M.scan(tmp_path, threshold_days=30, similarity_threshold=0.8, now=NOW)
    texts = ["something else entirely", "alpha beta gamma delta epsilon",
             "alpha beta gamma delta epsilon zeta", "alpha beta gamma delta",
             "something else entirely"]
    assert r["total_files"] == 5
    assert r["old_memories"] == 2  # a.md (31 days) and .hidden.md (100 days)
    assert r["duplicates"] == len(brute_pairs(texts, 0.8)) == 2
    assert r["errors"] == []
    assert set(r) == {"old_memories", "duplicates", "total_files", "errors"}
    # >= 5/6 and > 0.8: (a, b) 5/6 passes, (a, c) is 4/5 and does not.
    assert M.scan(tmp_path, 30, 0.75, NOW)["duplicates"] == len(brute_pairs(texts, 0.75))
    assert M.scan(tmp_path, 29, 0.8, NOW)["old_memories"] == 4
    assert M.scan(tmp_path, -1, 0.8, NOW)["old_memories"] == 5
    assert M.scan(tmp_path, 30.5, 0.8, NOW)["old_memories"] == 2


def test_scan_errors(every_mode, tmp_path):
    write(tmp_path, "a.md", "one two three", 0)
    write(tmp_path, "future.md", "one two three", -10)
    write(tmp_path, "latin1.md", b"caf\xe9 one two three", 5 * DAY, raw=True)
    (tmp_path / "folder.md").mkdir()
    os.symlink(str(tmp_path / "missing"), str(tmp_path / "broken.md"))
    os.symlink(str(tmp_path / "a.md"), str(tmp_path / "link.md"))
    fifo = str(tmp_path / "pipe.md")
    os.mkfifo(fifo)
    r = M.scan(str(tmp_path), 1, 0.5, NOW)
    base = str(tmp_path)
    assert r["errors"] == [
        (os.path.join(base, "broken.md"), "cannot stat: No such file or directory"),
        (os.path.join(base, "folder.md"), "not a regular file"),
        (os.path.join(base, "future.md"), "modification time in the future"),
        (os.path.join(base, "latin1.md"), "not valid UTF-8"),
        (os.path.join(base, "pipe.md"), "not a regular file"),
    ]
    # a, future, latin1 and the link to a are regular files; the link and the
    # future file still take part in the duplicate count; latin1 (undecodable) does not.
    assert r["total_files"] == 4
    assert r["old_memories"] == 1
    assert r["duplicates"] == 3


def test_scan_unreadable_file(every_mode, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    p = write(tmp_path, "secret.md", "x y", 0)
    os.chmod(p, 0)
    try:
        r = M.scan(tmp_path, now=NOW)
    finally:
        os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)
    assert r["errors"] == [(p, "cannot read: Permission denied")]
    assert r["total_files"] == 1


def test_scan_default_now(every_mode, tmp_path):
    write(tmp_path, "a.md", "x")
    r = M.scan(tmp_path)
    assert (r["total_files"], r["old_memories"], r["errors"]) == (1, 0, [])


def test_scan_bad_input(every_mode, tmp_path):
    with pytest.raises(HotpathError) as e:
        M.scan(tmp_path / "missing")
    assert e.value.status == -8
    assert str(e.value) == "cannot list the folder: No such file or directory"
    f = write(tmp_path, "file.md", "x")
    with pytest.raises(HotpathError, match="cannot list the folder: Not a directory"):
        M.scan(f)
    with pytest.raises(HotpathValueError, match="argument 'dir' is empty"):
        M.scan("")
    with pytest.raises(HotpathValueError, match="NUL"):
        M.scan("a\0b")
    with pytest.raises(HotpathTypeError):
        M.scan(42)
    with pytest.raises(HotpathValueError, match="threshold_days"):
        M.scan(tmp_path, threshold_days=float("nan"))
    with pytest.raises(HotpathValueError, match="similarity_threshold"):
        M.scan(tmp_path, similarity_threshold=1.5)
    with pytest.raises(HotpathValueError, match="'now'"):
        M.scan(tmp_path, now=float("inf"))
    with pytest.raises(HotpathTypeError):
        M.scan(tmp_path, threshold_days="30")


def test_scan_random_folder_matches_brute_force(every_mode, tmp_path):
    texts = corpus(11, 120, vocab=80, empties=2)
    for i, t in enumerate(texts):
        write(tmp_path, "m%03d.md" % i, t, i * 3600.0)
    for t in (0.0, 0.5, 0.8, 1.0):
        r = M.scan(tmp_path, 2, t, NOW)
        assert r["duplicates"] == len(brute_pairs(texts, t)), t
        assert r["old_memories"] == sum(1 for i in range(len(texts)) if math.floor(i * 3600.0 / DAY) > 2)
        assert r["total_files"] == len(texts)


# --- front matter, scoring, consolidation ------------------------------------------

def test_parse_front_matter():
    t = "---\ntitle: My title\ncreated: 2026-01-02T03:04:05\ntags: a, b ,c\n---\nbody\n"
    assert M.parse_front_matter(t) == {"title": "My title", "created": "2026-01-02T03:04:05",
                                       "tags": ["a", "b", "c"]}
    t = '---\r\ntitle: "Quoted"\r\ntags: ["x", "y z"]\r\n---\r\n'
    assert M.parse_front_matter(t) == {"title": "Quoted", "created": None, "tags": ["x", "y z"]}
    assert M.parse_front_matter("no front matter") == {"title": None, "created": None, "tags": []}
    assert M.parse_front_matter("---\ntitle: never closed\n") == {"title": None, "created": None,
                                                                  "tags": []}
    with pytest.raises(HotpathTypeError):
        M.parse_front_matter(b"---")


def test_score_memory_golden():
    # Worked out by hand from the rules: each dimension 0.5 + bonuses, capped at 1.
    assert M.score_memory("Nothing here.") == (0.5, 0.5, 0.5, 0.5)
    i, n, r, total = M.score_memory("A critical decision: we learned a new pattern.")
    assert (i, n) == (1.0, 1.0)
    assert r == pytest.approx(0.8, abs=1e-12)
    assert total == pytest.approx((1.0 + 1.0 + 0.8) / 3, abs=1e-12)
    # Every importance group: 0.5 + 0.3 + 0.2 + 0.2 + 0.15 = 1.35 -> capped at 1.0.
    i, n, r, _ = M.score_memory("BREAKTHROUGH: we CHOSE and PIVOTED after a Bug")
    assert (i, n, r) == (1.0, 0.5, 0.5)
    # One keyword per group counts once: "error" and "bug" give 0.15, not 0.3.
    i, _, _, _ = M.score_memory("error bug error")
    assert i == pytest.approx(0.65, abs=1e-12)
    # Substrings count ("renewed" holds "new", "prefix" holds "fix").
    _, n, r, _ = M.score_memory("renewed prefix")
    assert n == pytest.approx(0.7, abs=1e-12) and r == pytest.approx(0.7, abs=1e-12)
    # Longer than 1,000 bytes: +0.1 reusability (bytes of UTF-8, not characters).
    body = "zz " * 333 + "z"  # 1000 bytes
    assert M.score_memory(body)[2] == 0.5
    assert M.score_memory(body + "z")[2] == pytest.approx(0.6, abs=1e-12)
    assert M.score_memory("é" * 500)[2] == 0.5  # 1000 bytes
    assert M.score_memory("é" * 501)[2] == pytest.approx(0.6, abs=1e-12)
    _, _, r, _ = M.score_memory("insight template framework solution approach " + body)
    assert r == 1.0
    with pytest.raises(HotpathTypeError):
        M.score_memory(None)


def memory_text(title, body, created="2026-01-01T00:00:00", tags="a, b"):
    return "---\ntitle: %s\ncreated: %s\ntags: %s\n---\n%s" % (title, created, tags, body)


def test_consolidate_report(every_mode, tmp_path):
    lead = memory_text("Lead", "Critical decision about the cache layer.\nWe learned to warm it.\n")
    dup = memory_text("Dup", "critical decision about the cache layer.\nOutcome: faster.\n"
                      "Nothing else.\nNext: measure.\n")
    other = memory_text("Other", "Unrelated shopping list: eggs, milk.\n")
    tie1 = memory_text("Tie", "plain words one")
    tie2 = memory_text("Tie", "plain words two")
    files = {"20260101_000000_lead.md": lead, "20260101_000001_dup.md": dup,
             "20260101_000002_other.md": other, "b_tie.md": tie1, "a_tie.md": tie2}
    for name, text in files.items():
        write(tmp_path, name, text, 0)
    before = {n: (tmp_path / n).read_bytes() for n in files}
    r = M.consolidate(tmp_path, top_n=3, similarity_threshold=0.5)
    assert r["total"] == 5 and r["errors"] == [] and r["written"] == []
    scores = {m["file"]: m["score"] for m in r["memories"]}
    for name, text in files.items():
        assert scores[name] == M.score_memory(text)[3]
    want_order = sorted(files, key=lambda n: (-M.score_memory(files[n])[3], n))
    assert [m["file"] for m in r["memories"]] == want_order
    assert [m["file"] for m in r["top"]] == want_order[:3]
    assert want_order.index("a_tie.md") < want_order.index("b_tie.md")
    lead_rec = r["memories"][0]
    assert lead_rec["title"] == "Lead" and lead_rec["tags"] == ["a", "b"]
    assert lead_rec["created"] == "2026-01-01T00:00:00"
    # The whole lowercased content counts (front matter included): the ties share
    # their front matter and two body words.
    tie_j = jaccard(set(tie1.lower().split()), set(tie2.lower().split()))
    assert 0.5 <= tie_j < 1.0
    leaders = [c["leader"] for c in r["clusters"]]
    assert "20260101_000000_lead.md" in leaders or "20260101_000001_dup.md" in leaders
    pair = [c for c in r["clusters"] if "lead" in c["leader"] or "dup" in c["leader"]][0]
    first, second = ("20260101_000000_lead.md", "20260101_000001_dup.md")
    if pair["leader"] != first:
        first, second = second, first
    assert pair["members"] == [second]
    lines = {"20260101_000000_lead.md": "We learned to warm it.\n",
             "20260101_000001_dup.md": "Outcome: faster.\nNext: measure.\n"}
    titles = {"20260101_000000_lead.md": "Lead", "20260101_000001_dup.md": "Dup"}
    assert pair["merged_text"] == (files[first] + "\n## Related Memories\n\n### %s\n\n%s"
                                   % (titles[second], lines[second]))
    ties = [c for c in r["clusters"] if "tie" in c["leader"]]
    assert ties == [{"leader": "a_tie.md", "members": ["b_tie.md"],
                     "merged_text": tie2 + "\n\n## Related Memories\n\n### Tie\n\n"}]
    assert {n: (tmp_path / n).read_bytes() for n in files} == before
    # Just above the ties' similarity they are no longer clustered; at it they are.
    r2 = M.consolidate(tmp_path, similarity_threshold=tie_j + 1e-12)
    assert not [c for c in r2["clusters"] if "tie" in c["leader"]]
    r3 = M.consolidate(tmp_path, similarity_threshold=tie_j)
    assert [c for c in r3["clusters"] if "tie" in c["leader"]] == ties


def test_consolidate_defaults_and_errors(every_mode, tmp_path):
    write(tmp_path, "20260304_050607_some-slug_here.md", "no front matter at all", 0)
    write(tmp_path, "loose.md", "---\ntags: [\"q\"]\n---\nbody", 0)
    write(tmp_path, "bad.md", b"\xff\xfe", 0, raw=True)
    r = M.consolidate(tmp_path)
    recs = {m["file"]: m for m in r["memories"]}
    assert recs["20260304_050607_some-slug_here.md"]["title"] == "some slug here"
    assert recs["20260304_050607_some-slug_here.md"]["created"] == "2026-03-04T05:06:07"
    assert recs["loose.md"]["title"] == "loose" and recs["loose.md"]["created"] is None
    assert recs["loose.md"]["tags"] == ["q"]
    assert r["errors"] == [(str(tmp_path / "bad.md"), "not valid UTF-8")]
    assert r["total"] == 2
    with pytest.raises(HotpathValueError, match="top_n"):
        M.consolidate(tmp_path, top_n=-1)
    with pytest.raises(HotpathTypeError):
        M.consolidate(tmp_path, top_n=1.5)
    with pytest.raises(HotpathValueError, match="similarity_threshold"):
        M.consolidate(tmp_path, similarity_threshold=-0.5)
    with pytest.raises(HotpathError, match="cannot list the folder"):
        M.consolidate(tmp_path / "missing")


def test_consolidate_write_to(every_mode, tmp_path):
    src = tmp_path / "short_term"
    src.mkdir()
    a = memory_text("A", "alpha beta gamma delta\nlearned: one\n")
    b = memory_text("B", "alpha beta gamma delta\nnext: two\n")
    write(src, "20260101_000000_a.md", a, 0)
    write(src, "20260101_000001_b.md", b, 0)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()}
    out = tmp_path / "out"
    out.mkdir()
    r0 = M.consolidate(src, similarity_threshold=0.5)
    leader = r0["clusters"][0]["leader"]
    existing = out / ("consolidated_" + leader[:-3] + ".md")
    existing.write_text("keep me")
    r = M.consolidate(src, similarity_threshold=0.5, write_to=out)
    assert len(r["written"]) == 1
    written = r["written"][0]
    assert os.path.basename(written) == "consolidated_" + leader[:-3] + "-2.md"
    with open(written, encoding="utf-8") as f:
        assert f.read() == r["clusters"][0]["merged_text"]
    assert existing.read_text() == "keep me"
    r3 = M.consolidate(src, similarity_threshold=0.5, write_to=out)
    assert os.path.basename(r3["written"][0]).endswith("-3.md")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [existing.name, os.path.basename(written), os.path.basename(r3["written"][0])])
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()} == before
    # A folder that does not exist yet is created.
    r4 = M.consolidate(src, write_to=tmp_path / "new" / "deeper")
    assert len(r4["written"]) == 1 and os.path.exists(r4["written"][0])


# --- hexagram and thread helpers ---------------------------------------------------

def test_hexagrams_all_64():
    seen = set()
    for k in range(64):
        lines = [(k >> (5 - i)) & 1 for i in range(6)]  # lines[0] (bottom) is the top bit
        want = sum(bit * 2 ** (5 - i) for i, bit in enumerate(lines)) + 1
        assert M.create_hexagram(lines) == want
        assert M.create_hexagram(tuple(bool(b) for b in lines)) == want
        assert M.is_balanced(lines) is (lines.count(1) == 3)
        seen.add(want)
    assert seen == set(range(1, 65))
    assert M.create_hexagram([0] * 6) == 1 and M.create_hexagram([1] * 6) == 64
    assert M.create_hexagram([1, 0, 0, 0, 0, 0]) == 33


def test_hexagram_bad_input():
    for bad in ([0] * 5, [0] * 7, []):
        with pytest.raises(HotpathValueError, match="6"):
            M.create_hexagram(bad)
    with pytest.raises(HotpathValueError, match=r"lines\[2\]"):
        M.is_balanced([0, 1, 2, 0, 1, 0])
    with pytest.raises(HotpathValueError):
        M.create_hexagram([0, 1, -1, 0, 1, 0])
    with pytest.raises(HotpathTypeError):
        M.create_hexagram([0, 1, 0.5, 0, 1, 0])
    with pytest.raises(HotpathTypeError):
        M.create_hexagram("010101")
    with pytest.raises(HotpathTypeError):
        M.create_hexagram(None)


def test_threading_tier_boundaries():
    table = {0: 8, 9: 8, 10: 16, 49: 16, 50: 32, 99: 32, 100: 64, 199: 64, 200: 128,
             399: 128, 400: 256, 10 ** 9: 256}
    for n, tier in table.items():
        assert M.recommend_threading_tier(n) == tier
    with pytest.raises(HotpathValueError):
        M.recommend_threading_tier(-1)
    with pytest.raises(HotpathTypeError):
        M.recommend_threading_tier(1.5)
    with pytest.raises(HotpathTypeError):
        M.recommend_threading_tier(True)


def test_recommend_threads():
    cores = os.cpu_count() or 1
    per = M.MIN_SECONDS_PER_THREAD
    assert M.recommend_threads(0) == 1
    assert M.recommend_threads(1, 10.0) == 1
    assert M.recommend_threads(5, 10.0) == min(cores, 5)
    assert M.recommend_threads(10 ** 6, 1.0) == cores
    assert M.recommend_threads(10 ** 6, 0.0) == 1
    # Total work worth exactly k threads, when k <= cores.
    assert M.recommend_threads(1000, 2 * per / 1000 * 1.0000001) == min(cores, 2)
    assert M.recommend_threads(1000, per / 1000 * 0.5) == 1
    n = 10 ** 5
    want = max(1, min(cores, n, math.floor(n * M.SCAN_SECONDS_PER_ITEM / per)))
    assert M.recommend_threads(n) == want
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(HotpathValueError, match="seconds_per_item"):
            M.recommend_threads(10, bad)
    with pytest.raises(HotpathValueError):
        M.recommend_threads(-1)
    with pytest.raises(HotpathTypeError):
        M.recommend_threads("10")


def test_demo_section(capsys):
    from hotpath import demo
    assert demo.demo_memory in demo.DEMOS
    demo.demo_memory()
    out = capsys.readouterr().out
    assert "4 files, 1 old, 1 duplicate pair(s), 0 error(s)" in out
    assert "hexagram of [1, 0, 1, 0, 1, 0] (bottom to top): 43, balanced: True" in out
    assert "cluster led by 20260101_090000_cache-decision.md" in out


def test_pairs_lone_surrogate(every_mode):
    # Refused as hotpath.text refuses it, naming the item, in every mode.
    texts = ["a b", "x", "a \ud800 b c"]
    for f in (M.similar_pairs, M.count_similar_pairs):
        with pytest.raises(HotpathValueError, match=r"argument 'texts\[2\]' holds a lone "
                           r"surrogate U\+D800 at index 2"):
            f(texts, 0.5)
        with pytest.raises(HotpathValueError, match="texts\\[2\\]"):
            f(texts * 50, 0.5)


def test_pairs_refuse_a_mapping(hp, tmp_path):
    from hotpath import files
    (tmp_path / "a.md").write_text("x y")
    (tmp_path / "b.md").write_text("x y")
    texts = files.read_files([str(tmp_path / "a.md"), str(tmp_path / "b.md")], text=True)
    with pytest.raises(HotpathTypeError, match=r"pass its \.values\(\)"):
        M.count_similar_pairs(texts, 0.8)
    with pytest.raises(HotpathTypeError, match="mapping"):
        M.similar_pairs({"a": "x"}, 0.8)
    assert M.count_similar_pairs(texts.values(), 0.8) == 1


def test_stats_count_scan_and_pairs(hp, is_native, tmp_path):
    from conftest import one_call, stats_delta, stats_snapshot
    write(tmp_path, "a.md", "x y", 0)
    write(tmp_path, "b.md", "x y", 0)
    hp.set_dispatch("auto")
    before = stats_snapshot(hp)
    assert M.scan(tmp_path, now=NOW)["duplicates"] == 1
    assert stats_delta(hp, before) == one_call(is_native, 2)
    before = stats_snapshot(hp)
    M.count_similar_pairs(["a b", "a b", "c", "d"], 0.5)
    assert stats_delta(hp, before) == one_call(is_native, 4)
    before = stats_snapshot(hp)
    M.count_similar_pairs(["a b", "a b"], 0.5)
    assert stats_delta(hp, before) == one_call(False, 2)



def test_scan_releases_the_gil(hp, native_only, tmp_path):
    # As in test_gil: with a 5 s switch interval the worker keeps the GIL until it
    # releases it itself, so the main thread can only tick while the scan runs if the
    # native call dropped the GIL.  Held for the whole call, the count stays at 0 or 1.
    import sys
    import threading
    import time
    texts = corpus(5, 3000, vocab=400, max_words=60)
    for i, t in enumerate(texts):
        write(tmp_path, "m%04d.md" % i, t, 0)
    started, done = threading.Event(), threading.Event()
    result = {}

    def worker():
        started.set()
        result["r"] = M.scan(tmp_path, now=NOW)
        done.set()

    interval = sys.getswitchinterval()
    hp.set_num_threads(1)
    sys.setswitchinterval(5.0)
    try:
        th = threading.Thread(target=worker)
        th.start()
        started.wait()
        ticks = 0
        while not done.is_set():
            ticks += 1
            time.sleep(0.0002)
        th.join()
    finally:
        sys.setswitchinterval(interval)
        hp.set_num_threads(0)
    assert result["r"]["total_files"] == len(texts)
    assert ticks > 5


def test_c_helpers_agree_with_python(hp, native_only):
    from hotpath._ffi import _loader
    backend = _loader.active()
    lib = backend.lib
    assert lib.hotpath_memory_min_seconds_per_thread() == M.MIN_SECONDS_PER_THREAD
    assert lib.hotpath_memory_scan_seconds_per_item() == M.SCAN_SECONDS_PER_ITEM
    for n in (0, 9, 10, 49, 50, 99, 100, 199, 200, 399, 400, 2 ** 63):
        assert lib.hotpath_memory_threading_tier(n) == M.recommend_threading_tier(n)
    cores = os.cpu_count() or 1
    if backend.name == "cffi":
        ffi = backend.api.ffi()
        out = ffi.new("uint32_t[1]")
        cell = out
    else:
        import ctypes
        out = (ctypes.c_uint32 * 1)()
        cell = out
    for n in (0, 1, 3, 100, 1000, 10 ** 5, 10 ** 7):
        for cost in (0.0, 1e-7, M.SCAN_SECONDS_PER_ITEM, 1e-3, 1.0):
            assert lib.hotpath_memory_recommend_threads(n, cost, cores, cell) == 0
            assert out[0] == M.recommend_threads(n, cost), (n, cost)
