"""hotpath.compat.whitemagic.fast_search(index_dir, query, limit=10) on every backend:
index_dir is a folder of markdown memories; the answer is [(path, score)], best first.
Skipped when the module has no fast_search."""
import os

import pytest

NOTES = {
    "consolidation.md": "# Memory consolidation\n\nEvery night the agent replays the memory of "
                        "the day and runs consolidation: similar memories are merged.\n",
    "ethics.md": "# Ethical boundaries\n\nDharma guides the agent. Ethical boundaries are "
                 "never crossed.\n",
    "cache.md": "# Cache layer\n\nThe cache keeps recent memory entries close.\n",
    "travel/tokyo.md": "# Travel log\n\nVisited 東京 in spring. The memory of the cherry "
                       "blossoms stays.\n",
    "garden.md": "# Garden\n\nCompost consolidation, tomatoes and basil.\n",
    # Not a memory: the pattern is *.md.
    "decoy.txt": "memory consolidation memory consolidation dharma ethical boundaries\n",
}


@pytest.fixture(scope="module")
def fast_search():
    from hotpath.compat import whitemagic
    fn = getattr(whitemagic, "fast_search", None)
    if fn is None:
        pytest.skip("hotpath.compat.whitemagic has no fast_search")
    return fn


@pytest.fixture
def memories(tmp_path):
    root = tmp_path / "memories"
    for rel, content in NOTES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return str(root)


def check_shape(root, results, limit):
    assert isinstance(results, list) and len(results) <= limit
    for item in results:
        assert isinstance(item, tuple) and len(item) == 2
        path, score = item
        assert isinstance(path, str) and isinstance(score, float)
        assert score > 0 and path.endswith(".md")
        assert os.path.isfile(os.path.join(root, path))
    assert len({p for p, _ in results}) == len(results)
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True)


def name_of(path):
    return path.replace(os.sep, "/").rsplit("/", 1)[-1]


def test_best_first(fast_search, memories):
    results = fast_search(memories, "memory consolidation")
    check_shape(memories, results, 10)
    assert name_of(results[0][0]) == "consolidation.md"
    assert {name_of(p) for p, _ in results} == {"consolidation.md", "garden.md", "cache.md",
                                                "tokyo.md"}
    results = fast_search(memories, "ethical boundaries dharma")
    check_shape(memories, results, 10)
    assert [name_of(p) for p, _ in results] == ["ethics.md"]
    results = fast_search(memories, "東京")
    assert [name_of(p) for p, _ in results] == ["tokyo.md"]


def test_limit(fast_search, memories):
    everything = fast_search(memories, "the memory agent", limit=100)
    check_shape(memories, everything, 100)
    # Every note but the garden's has one of the words.
    assert {name_of(p) for p, _ in everything} == {"consolidation.md", "ethics.md", "cache.md",
                                                   "tokyo.md"}
    for limit in (1, 2, 3):
        got = fast_search(memories, "the memory agent", limit=limit)
        check_shape(memories, got, limit)
        assert got == everything[:limit]
    assert fast_search(memories, "the memory agent", 2) == everything[:2]


def test_default_limit_is_ten(fast_search, tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(14):
        (root / ("m%02d.md" % i)).write_text("a memory note number %d\n" % i)
    results = fast_search(str(root), "memory")
    check_shape(str(root), results, 10)
    assert len(results) == 10


def test_nothing_found(fast_search, memories):
    assert fast_search(memories, "zebra") == []
    assert fast_search(memories, "") == []
    assert fast_search(memories, "-memory") == []


def test_sees_changed_files(fast_search, memories):
    first = fast_search(memories, "quokka")
    assert first == []
    with open(os.path.join(memories, "new.md"), "w", encoding="utf-8") as f:
        f.write("a quokka visited the garden\n")
    results = fast_search(memories, "quokka")
    assert [name_of(p) for p, _ in results] == ["new.md"]
