"""Strings across the boundary in bulk (hotpath._ffi._pack) on every backend.

The bulk path (one join, one encode, hotpath_split_joined) must give exactly what the
per-item path gives (one encode per item), and every list that the bulk path cannot
take (an item holding the separator, a lone surrogate, a non-str, mixed str and bytes)
must behave exactly as before: same data, or the same error naming the same index.
The public APIs built on it (Corpus, one_to_many/extract/matrix on lists,
memory.count_similar_pairs, files.read_files) are checked against the pure-Python twin,
which never packs.
"""

import os
import random

import pytest

from hotpath import _text_py
from hotpath._errors import HotpathTypeError, HotpathValueError

SEED = 20261207

# Code points from every UTF-8 length, white space, and the separator itself.
ALPHABET = ("abc xyz" "\u00e9\u00df\u0130" "\u4e2d\u6587" "\U0001f600\U00010348"
            "\t\n\u3000")


def _random_texts(rng, n, with_nul=False):
    out = []
    for _ in range(n):
        k = rng.choice((0, 0, 1, 3, 10, 40))
        t = "".join(rng.choice(ALPHABET) for _ in range(k))
        out.append(t)
    if with_nul and n:
        i = rng.randrange(n)
        out[i] = out[i] + "\0" + "tail"
    return out


@pytest.fixture
def backend(native_only):
    from hotpath._ffi import _loader
    return _loader.active()


@pytest.fixture(scope="module")
def pack():
    from hotpath._ffi import _pack
    return _pack


def _as_lists(packed):
    data, offsets = packed
    return bytes(data), list(offsets)


@pytest.mark.parametrize("n", [0, 1, 2, 15, 16, 17, 100, 3000])
def test_bulk_equals_per_item(backend, pack, n):
    rng = random.Random(SEED + n)
    for _ in range(5):
        items = _random_texts(rng, n)
        got = _as_lists(pack.pack(backend, items))
        assert got == _as_lists(pack.pack_items(items))
        data, offsets = got
        assert offsets[0] == 0 and offsets[-1] == len(data) and len(offsets) == n + 1
        assert [data[offsets[i]:offsets[i + 1]].decode() for i in range(n)] == items


def test_separator_inside_items_falls_back(backend, pack):
    rng = random.Random(SEED)
    for n in (16, 17, 200):
        items = _random_texts(rng, n, with_nul=True)
        assert any("\0" in t for t in items)
        assert _as_lists(pack.pack(backend, items)) == _as_lists(pack.pack_items(items))
    items = ["\0"] * 20 + ["", "\0\0"]
    assert _as_lists(pack.pack(backend, items)) == _as_lists(pack.pack_items(items))


def test_empty_items_everywhere(backend, pack):
    for items in ([""] * 16, [""] * 17 + ["a"], ["a"] + [""] * 40, [""] * 1000):
        assert _as_lists(pack.pack(backend, items)) == _as_lists(pack.pack_items(items))


def test_bytes_items(backend, pack):
    rng = random.Random(SEED + 1)
    items = [t.encode() for t in _random_texts(rng, 300)]
    expected = _as_lists(pack.pack_items(items))
    assert _as_lists(pack.pack(backend, items, bytes_ok=True)) == expected
    assert _as_lists(pack.pack(backend, items)) == expected  # per item: bytes as they are
    items[5] = b"a\0b"
    assert _as_lists(pack.pack(backend, items, bytes_ok=True)) == _as_lists(pack.pack_items(items))


def test_mixed_and_bad_items_take_the_per_item_path(backend, pack):
    seen = []

    def encode(item, i):
        seen.append(i)
        if isinstance(item, str):
            return item.encode("utf-8", "surrogatepass")
        if isinstance(item, (bytes, bytearray)):
            return bytes(item)
        raise TypeError("item %d" % i)

    mixed = ["a"] * 20 + [b"b"] + ["c"]
    assert _as_lists(pack.pack(backend, mixed, encode)) == _as_lists(pack.pack_items(mixed, encode))
    assert seen  # the bulk path could not take it
    seen.clear()
    lone = ["x"] * 30 + ["\ud800"]
    assert _as_lists(pack.pack(backend, lone, encode)) == (b"x" * 30 + "\ud800".encode(
        "utf-8", "surrogatepass"), list(range(31)) + [33])
    assert seen == list(range(31))
    with pytest.raises(TypeError, match="item 20"):
        pack.pack(backend, ["a"] * 20 + [3], encode)
    # a bytearray item is not bytes: the encoder decides, even with bytes_ok
    seen.clear()
    items = [b"a"] * 20 + [bytearray(b"b")]
    assert _as_lists(pack.pack(backend, items, encode, bytes_ok=True))[1][-1] == 21
    assert seen


def test_split_refuses_a_wrong_count_and_leaves_data(backend, pack):
    from array import array
    api, lib = backend.api, backend.lib
    for joined, n in ((b"a\0b\0c", 2), (b"a\0b", 3), (b"abc", 0), (b"", 2)):
        data = bytearray(joined)
        offsets = array(pack.SIZE_CODE, [7]) * (n + 1)
        status = lib.hotpath_split_joined(api.bytes_out(data), len(data), 0, n,
                                          api.out_size(offsets))
        assert status == -1, (joined, n)
        assert data == joined
    data = bytearray(b"ab\0\0c\0")
    offsets = array(pack.SIZE_CODE, [0]) * 5
    assert lib.hotpath_split_joined(api.bytes_out(data), len(data), 0, 4,
                                    api.out_size(offsets)) == 0
    assert list(offsets) == [0, 2, 2, 3, 3] and data[:3] == b"abc"


# --- the public APIs on every backend ---------------------------------------------------

@pytest.mark.parametrize("n", [3, 16, 500])
def test_corpus_and_list_batches_equal_the_twin(T, dispatch, n):
    rng = random.Random(SEED + 7 * n)
    texts = _random_texts(rng, n, with_nul=(n == 500))
    query = "abc \u00e9\u4e2d x"
    for metric in ("levenshtein", "jaccard", "jaro_winkler"):
        want = list(_text_py.one_to_many(query, texts, metric))
        assert list(T.one_to_many(query, texts, metric)) == want
        assert list(T.one_to_many(query, T.Corpus(texts), metric)) == want
        assert T.extract(query, texts, metric, limit=4) == _text_py.extract(
            query, texts, metric, limit=4)
    for case_fold in (False, True):
        assert list(T.one_to_many(query, T.Corpus(texts, case_fold=case_fold), "cosine")) == \
            list(_text_py.one_to_many(query, texts, "cosine", case_fold=case_fold))
    small = texts[:40]
    assert T.matrix(small, "levenshtein") == _text_py.matrix(small, "levenshtein")


@pytest.mark.parametrize("in_place", [True, False])
def test_corpus_read_in_place_equals_the_twin(T, dispatch, pack, monkeypatch, in_place):
    """The corpus reads the joined str's own UTF-8 (in_place) or an encoded copy; both
    equal the twin, for texts of every UTF-8 length, empty texts, a text holding NUL
    (the per-item path) and a corpus large enough for the pool."""
    if not in_place:
        monkeypatch.setattr(pack, "utf8_of_str", None)
    rng = random.Random(SEED + 11)
    for n, with_nul in ((20, False), (20, True), (6000, False)):
        texts = _random_texts(rng, n, with_nul=with_nul)
        query = "\u00e9\u00df abc \U0001f600"
        for case_fold in (False, True):
            corpus = T.Corpus(texts, case_fold=case_fold)
            for metric in ("levenshtein", "jaccard"):
                assert list(T.one_to_many(query, corpus, metric)) == list(
                    _text_py.one_to_many(query, texts, metric, case_fold=case_fold))
        assert list(T.one_to_many(query, texts, "jaro_winkler")) == list(
            _text_py.one_to_many(query, texts, "jaro_winkler"))


def test_corpus_outlives_its_source_list(T, dispatch):
    """What the library reads in place lives as long as the corpus, not the list."""
    import gc
    rng = random.Random(SEED + 12)
    texts = [t + "x" for t in _random_texts(rng, 3000)]
    want = list(_text_py.one_to_many("ab x", texts, "levenshtein"))
    corpus = T.Corpus(list(texts))
    del texts
    gc.collect()
    churn = ["%d overwrite" % i * 3 for i in range(50000)]  # reuses freed memory
    assert list(T.one_to_many("ab x", corpus, "levenshtein")) == want
    del churn


def _twin_error(func, *args):
    with pytest.raises((HotpathTypeError, HotpathValueError)) as info:
        func(*args)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("position", [0, 5, 20, 299])
def test_bad_items_raise_the_twin_errors(T, dispatch, position):
    base = ["word %d" % i for i in range(300)]
    for bad in ("\udc80 lone", 7, b"bytes", None):
        texts = list(base)
        texts[position] = bad
        want = _twin_error(_text_py.Corpus, texts)
        assert _twin_error(T.Corpus, texts) == want
        assert "texts[%d]" % position in want[1]
        want_list = _twin_error(_text_py.one_to_many, "q", texts, "levenshtein")
        assert _twin_error(T.one_to_many, "q", texts, "levenshtein") == want_list
        assert "choices[%d]" % position in want_list[1]
        assert _twin_error(T.matrix, texts[:50] if position < 50 else texts, "cosine") == \
            _twin_error(_text_py.matrix, texts[:50] if position < 50 else texts, "cosine")


def test_str_subclasses_are_texts(T):
    class S(str):
        pass
    texts = [S("abc %d" % i) for i in range(40)]
    assert list(T.one_to_many("abc 1", texts, "levenshtein")) == list(
        _text_py.one_to_many("abc 1", [str(t) for t in texts], "levenshtein"))
    assert T.Corpus(texts)[3] is texts[3]


def test_count_similar_pairs_with_odd_texts(dispatch):
    from hotpath import _memory_py, memory
    rng = random.Random(SEED + 3)
    texts = [" ".join(rng.choice(("a", "b", "c", "d", "\u00e9", "\0x")) for _ in range(4))
             for _ in range(200)]
    for t in (0.3, 0.6):
        assert memory.count_similar_pairs(texts, t) == _memory_py.count_similar_pairs(texts, t)
        assert memory.similar_pairs(texts, t) == _memory_py.similar_pairs(texts, t)
    # A lone surrogate is refused as hotpath.text refuses it, in every mode.
    texts[17] = "lone \ud800 surrogate a b"
    from hotpath import HotpathValueError
    with pytest.raises(HotpathValueError, match=r"texts\[17\]' holds a lone surrogate"):
        memory.count_similar_pairs(texts, 0.3)


def test_read_files_many_paths(tmp_path, dispatch):
    from hotpath import _files_py, files
    names = ["f%03d \u00e9.txt" % i for i in range(40)]
    for i, name in enumerate(names):
        (tmp_path / name).write_text("line %d\n" % i)
    paths = [str(tmp_path / n) for n in names] + [str(tmp_path / "missing.txt")]
    got = files.read_files(paths)
    want = _files_py.read_files(paths)
    assert list(got.paths) == list(want.paths) and len(got) == len(want) == 40
    assert [p for p, _ in got.errors] == [p for p, _ in want.errors] == paths[40:]
    assert [bytes(got[p]) for p in paths[:40]] == [bytes(want[p]) for p in paths[:40]]
    raw = [os.fsencode(p) for p in paths[:40]]
    by_bytes = files.read_files(raw)
    assert [bytes(by_bytes[p]) for p in raw] == [bytes(want[p]) for p in paths[:40]]
    with pytest.raises(HotpathValueError, match="path 30 contains a NUL byte"):
        files.read_files(paths[:30] + ["bad\0path"] + paths[30:])
    with pytest.raises(HotpathTypeError, match="path 33 has type int"):
        files.read_files(paths[:33] + [5])
