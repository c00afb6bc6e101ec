"""hotpath.compat.whitemagic: the names and shapes the memory system imports."""
import logging
import os
import random
import shutil
import subprocess

import pytest


@pytest.fixture(scope="module")
def wm():
    from hotpath.compat import whitemagic
    return whitemagic


def ref_jaccard(a, b):
    """The application's definition, written out independently."""
    sa, sb = set(a.split()), set(b.split())
    if not sa and not sb:
        return 1.0
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def ref_calculate(a, b):
    sa, sb = set(a.lower().split()), set(b.lower().split())
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


PAIRS = [
    ("", ""), ("", "a"), ("a", ""), ("   ", "\t"), ("a b c", "a b c"), ("a b c", "c b a"),
    ("The cat", "the cat"), ("a b c d", "a b e f"), ("x", "y"), ("one two two", "two one"),
    ("Straße STRASSE", "straße strasse"), ("ΣΑΣ σας", "σας"), ("İstanbul", "i̇stanbul"),
    ("a\u00a0b", "a b"), ("a\u3000b c", "b a"),
]


@pytest.mark.parametrize("a,b", PAIRS)
def test_fast_similarity(wm, a, b):
    assert wm.fast_similarity(a, b) == pytest.approx(ref_jaccard(a, b), abs=1e-15)
    assert wm.fast_similarity(b, a) == pytest.approx(ref_jaccard(a, b), abs=1e-15)


@pytest.mark.parametrize("a,b", PAIRS)
def test_calculate_similarity(wm, a, b):
    assert wm.calculate_similarity(a, b) == pytest.approx(ref_calculate(a, b), abs=1e-15)


def test_similarity_named_values(wm):
    assert wm.fast_similarity("", "") == 1.0
    assert wm.calculate_similarity("", "") == 0.0
    assert wm.fast_similarity("The cat", "the cat") == pytest.approx(1 / 3)
    assert wm.calculate_similarity("The cat", "the cat") == 1.0


def test_similarity_random(wm):
    rng = random.Random(7)
    vocab = ["alpha", "Beta", "beta", "GAMMA", "gamma", "δέλτα", "ΔΈΛΤΑ", "x", "y", "z"]
    for _ in range(300):
        a = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        b = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        assert wm.fast_similarity(a, b) == pytest.approx(ref_jaccard(a, b), abs=1e-15)
        assert wm.calculate_similarity(a, b) == pytest.approx(ref_calculate(a, b), abs=1e-15)


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "docs"
    _write(str(root / "README.md"), "# Title\nsecond line\n")
    _write(str(root / "a" / "notes.md"), "alpha beta\ngamma\n\ndelta")
    _write(str(root / "a" / "b" / "deep.MD"), "upper case extension\n")
    _write(str(root / "a" / "b" / "c.md"), "")
    _write(str(root / "a" / "skip.txt"), "not markdown\n")
    _write(str(root / "crlf.md"), "one two\r\nthree\r\n")
    return root


def ref_counts(data):
    """lines and words as the issue defines them, written out independently."""
    pieces = data.split(b"\n")
    lines = len(pieces) - 1
    last = pieces[-1]
    if last.endswith(b"\r"):
        last = last[:-1]
    if last:
        lines += 1
    return lines, len(data.decode("utf-8").split())


def test_audit_directory(wm, tree):
    entries = wm.audit_directory(str(tree))
    expected = []
    for dirpath, _, names in os.walk(str(tree)):
        for name in names:
            if name.endswith(".md"):
                expected.append(os.path.join(dirpath, name))
    assert sorted(e.path for e in entries) == sorted(expected)
    assert [e.path for e in entries] == sorted(e.path for e in entries)
    for e in entries:
        with open(e.path, "rb") as f:
            data = f.read()
        assert e.size == len(data)
        assert (e.lines, e.words) == ref_counts(data)
        first = data.decode("utf-8").splitlines()[:1]
        assert e.summary == (first[0].rstrip() if first else "")
    assert wm.audit_directory(str(tree), max_files=2) == entries[:2]
    assert len(wm.audit_directory(str(tree), pattern="*.txt")) == 1


def test_read_files_fast(wm, tree, caplog):
    paths = [str(tree / "README.md"), str(tree / "missing.md"), str(tree / "a" / "notes.md")]
    _write(str(tree / "latin1.md"), b"caf\xe9\n")
    paths.append(str(tree / "latin1.md"))
    with caplog.at_level(logging.WARNING, logger="hotpath"):
        got = wm.read_files_fast(paths)
    assert got == {paths[0]: "# Title\nsecond line\n", paths[2]: "alpha beta\ngamma\n\ndelta"}
    assert "missing.md" in caplog.text and "latin1.md" in caplog.text


def test_extract_summaries(wm, tree):
    got = wm.extract_summaries(str(tree), lines_per_file=2)
    assert got["README.md"] == ["# Title", "second line"]
    assert got["a/notes.md"] == ["alpha beta", "gamma"]
    assert "a/skip.txt" not in got


def test_fast_compress_roundtrip(wm, tmp_path):
    src = tmp_path / "in.txt"
    data = ("memory line %d with some repeated words\n" * 3000 % tuple(range(3000))).encode()
    src.write_bytes(data)
    packed = tmp_path / "in.txt.lz4"
    written = wm.fast_compress(str(src), str(packed))
    assert written == packed.stat().st_size
    assert packed.read_bytes()[:4] == b"\x04\x22\x4d\x18"  # LZ4 frame magic
    assert written < len(data) // 4
    out = tmp_path / "out.txt"
    assert wm.fast_decompress(str(packed), str(out)) == len(data)
    assert out.read_bytes() == data
    lz4 = shutil.which("lz4")
    if lz4:  # the application's files must stay readable by the lz4 tool
        cli_out = tmp_path / "cli.txt"
        subprocess.run([lz4, "-q", "-d", "-f", str(packed), str(cli_out)], check=True)
        assert cli_out.read_bytes() == data


MEMORY = """---
title: {title}
created: 2026-01-0{day}T10:00:00
tags: memory, test
---
{body}
"""


def test_fast_consolidate(wm, tmp_path):
    import time
    folder = tmp_path / "memory"
    folder.mkdir()
    bodies = ["we learned that the cache needs a bound and a clear eviction policy",
              "we learned that the cache needs a bound and a clear eviction policy",
              "unrelated note about the build system and its flags"]
    now = time.time()
    for i, body in enumerate(bodies):
        p = folder / ("2026010%d_100000_note%d.md" % (i + 1, i))
        p.write_text(MEMORY.format(title="note %d" % i, day=i + 1, body=body))
        age_days = 40 if i == 2 else 1
        os.utime(str(p), (now - age_days * 86400, now - age_days * 86400))
    (folder / "nested").mkdir()
    (folder / "nested" / "ignored.md").write_text("not top level")
    got = wm.fast_consolidate(str(folder))
    assert got == {"old_memories": 1, "duplicates": 1, "total_files": 3}
    assert got.errors == []
    assert wm.fast_consolidate(str(folder), threshold_days=50)["old_memories"] == 0
    assert wm.fast_consolidate(str(folder), similarity_threshold=1.0)["duplicates"] == 0
