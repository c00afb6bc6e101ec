"""hotpath.compat.whitemagic against the behaviour of the code it replaces.

The replaced code is WhiteMagic's Rust extension `whitemagic_rs` and its Python
bridge.  Its behaviour is re-stated below in plain Python, one function per upstream
function, each with the upstream file and lines it follows:

  [A] whitemagic-ai/whitemagic-clean, whitemagic-rust/src/audit.rs (commit e09728ce):
      audit_directory 39-83, read_files_fast 86-99, extract_summaries 102-127,
      collect_files 130-161, matches_pattern 163-173.
  [C] lbailey94/whitemagic, whitemagic-rs/src/consolidation.rs (commit acf4d29):
      consolidate_parallel 23-85, calculate_similarity 90-112; lib.rs (4601f53)
      fast_similarity 85-89, fast_compress / fast_decompress 59-80.
  [Z] lbailey94/whitemagic, whitemagic-rs/src/compression.rs (commit 4601f53):
      compress_file 15-41 (gzip, Compression::fast()), decompress_file 44-70.
  [M] whitemagic-ai/whitemagic-clean, whitemagic-rust/src/memory_consolidation.rs
      (commit e09728ce): consolidate_memories 57-84 (defaults 20 and 0.7),
      load_memories_parallel 121-136, score_* 218-290, select_top 294-297,
      cluster_similar 301-340, jaccard_similarity 344-359.
  [P] whitemagic-ai/whitemagic-clean, whitemagic/core/memory/neural/rust_bridge.py
      fast_similarity fallback 25-37 (the calculate_similarity the application calls).

Rust semantics spelled out: str::split_whitespace splits at Unicode White_Space;
str::lines splits at "\\n", drops one "\\r" before it, has no empty last line, and keeps
a "\\r" that ends an unterminated last line; Path::extension is the text after the
last "." unless that "." starts the name; Path::is_dir follows links (false for a
broken link or a loop); fs::read_to_string fails on bytes that are not UTF-8.
Upstream's listing order is read_dir's (unspecified): results are compared as
multisets, and the compat order (sorted) is checked on its own.
"""
import errno
import gzip
import os
import random
import re
import time
import zlib

import pytest

WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@pytest.fixture(scope="module")
def wm():
    from hotpath.compat import whitemagic
    return whitemagic


# --- the re-statement of upstream ---------------------------------------------------

def rs_split_whitespace(s):
    """str::split_whitespace: runs between White_Space characters."""
    return re.findall("[^%s]+" % re.escape(WHITE_SPACE), s)


def rs_lines(s):
    """str::lines."""
    if not s:
        return []
    parts = s.split("\n")
    if s.endswith("\n"):
        parts.pop()
        return [p[:-1] if p.endswith("\r") else p for p in parts]
    return [p[:-1] if p.endswith("\r") else p for p in parts[:-1]] + [parts[-1]]


def rs_extension(name):
    """Path::extension of a file name (bytes), then OsStr::to_str."""
    dot = name.rfind(b".")
    if dot <= 0:
        return None
    try:
        return name[dot + 1:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def rs_is_dir(path):
    try:
        return os.path.isdir(path)
    except OSError:
        return False


def rs_read_to_string(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def rs_matches(path, pattern):
    """[A] matches_pattern."""
    if pattern == "*":
        return True
    ext = pattern
    while ext.startswith("*."):  # trim_start_matches("*.")
        ext = ext[2:]
    return rs_extension(os.path.basename(path)) == ext


def rs_collect(directory, pattern, out, limit):
    """[A] collect_files (listing order: sorted, for the comparison)."""
    if len(out) >= limit or not rs_is_dir(directory):
        return
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if rs_is_dir(path):
            rs_collect(path, pattern, out, limit)
        elif rs_matches(path, pattern):
            out.append(path)
            if len(out) >= limit:
                break


def lossy(path):
    return path.decode("utf-8", "replace")


def up_audit(directory, pattern="*.md", limit=1000):
    """[A] audit_directory: (path, size, lines, words, summary) tuples."""
    found = []
    rs_collect(os.fsencode(directory), pattern, found, limit)
    out = []
    for path in found:
        content = rs_read_to_string(path)
        if content is None:
            continue
        lines = rs_lines(content)
        out.append((lossy(path), len(content.encode("utf-8")), len(lines),
                    len(rs_split_whitespace(content)), (lines[0] if lines else "")[:200]))
    return out


def up_extract(directory, pattern="*.md", n=10):
    """[A] extract_summaries."""
    found = []
    rs_collect(os.fsencode(directory), pattern, found, 1000)
    out = {}
    for path in found:
        content = rs_read_to_string(path)
        if content is not None:
            out[lossy(path)] = rs_lines(content)[:n]
    return out


def up_jaccard(a, b):
    """[C] calculate_similarity (fast_similarity)."""
    wa, wb = rs_split_whitespace(a), rs_split_whitespace(b)
    if not wa and not wb:
        return 1.0
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb)


def up_calculate(a, b):
    """[P] the Python bridge's calculate_similarity."""
    sa, sb = set(a.lower().split()), set(b.lower().split())
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def up_md_entries(directory):
    """The entries of a folder (not recursive) whose extension is "md", in name order."""
    raw = os.fsencode(directory)
    return [os.path.join(raw, n) for n in sorted(os.listdir(raw)) if rs_extension(n) == "md"]


def up_fast_consolidate(directory, days, threshold, now_ns):
    """[C] consolidate_parallel."""
    loaded = []
    for path in up_md_entries(directory):
        content = rs_read_to_string(path)
        if content is None:
            continue
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            continue
        if mtime > now_ns:  # duration_since fails: the file is left out
            continue
        loaded.append((content, (now_ns - mtime) // 10**9 // 86400))
    dup = sum(1 for i in range(len(loaded)) for j in range(i + 1, len(loaded))
              if up_jaccard(loaded[i][0], loaded[j][0]) > threshold)
    return {"old_memories": sum(1 for _, age in loaded if age > days), "duplicates": dup,
            "total_files": len(loaded)}


def up_scores(content):
    """[M] score_importance, score_novelty, score_reusability, total_score."""
    lower = content.lower()

    def score(rules, extra=0.0):
        s = 0.5
        for words, bonus in rules:
            if any(w in lower for w in words):
                s += bonus
        return min(s + extra, 1.0)
    imp = score([(("critical", "breakthrough"), 0.3), (("decision", "chose"), 0.2),
                 (("changed", "pivoted"), 0.2), (("error", "bug"), 0.15)])
    nov = score([(("learned", "discovered"), 0.3), (("new", "novel"), 0.2),
                 (("insight", "realization"), 0.2)])
    reu = score([(("pattern", "approach"), 0.3), (("solution", "fix"), 0.2),
                 (("template", "framework"), 0.2)],
                0.1 if len(content.encode("utf-8")) > 1000 else 0.0)
    return (imp + nov + reu) / 3.0


def up_cluster_jaccard(a, b):
    """[M] jaccard_similarity: 0.0 for two texts without words."""
    sa, sb = set(rs_split_whitespace(a)), set(rs_split_whitespace(b))
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def up_consolidate(directory, top_n=20, threshold=0.7):
    """[M] consolidate_memories, without duration_seconds."""
    memories = []
    for path in up_md_entries(directory):
        content = rs_read_to_string(path)
        if content is not None:
            name = os.path.basename(path)
            try:
                name = name.decode("utf-8")
            except UnicodeDecodeError:
                name = "unknown"
            memories.append((name, content, up_scores(content)))
    top = sorted(memories, key=lambda m: -m[2])[:top_n]  # stable, as sort_by
    used = [False] * len(top)
    clusters = 0
    for i in range(len(top)):
        if used[i]:
            continue
        used[i] = True
        clusters += 1
        for j in range(i + 1, len(top)):
            if not used[j] and up_cluster_jaccard(top[i][1], top[j][1]) >= threshold:
                used[j] = True
    return len(memories), clusters, clusters, [m[0] for m in top]


# --- random inputs ------------------------------------------------------------------

PIECES = ["alpha", "Beta", "beta", "δέλτα", "x", "y", " ", "  ", "\t", "\n", "\r\n", "\r",
          "\n\r", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000", "\u200b", "\x0b",
          "\u2028", "error", "learned", "fix", "new"]


def random_text(rng, most=30):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, most)))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


NAMES = ["a.md", "b.MD", ".hidden.md", ".md", "c.txt", "d.md.bak", "e.tar.gz", "f.", "g",
         "notes.md", "é.md", "x y.md", "..md"]


def random_tree(root, rng, links=True):
    """Folders (hidden ones too) with files of random text, non-UTF-8 files, names
    that are not UTF-8, links to files and folders, and broken links."""
    folders = [root]
    for i in range(rng.randint(2, 6)):
        parent = rng.choice(folders)
        name = rng.choice(["sub%d" % i, ".hid%d" % i, "dir%d.md" % i])
        path = os.path.join(parent, name)
        os.makedirs(path, exist_ok=True)
        folders.append(path)
    made = []
    for folder in folders:
        for name in rng.sample(NAMES, rng.randint(2, 6)):
            path = os.path.join(folder, name)
            if rng.random() < 0.1:
                write(path, b"caf\xe9 latin-1\n")
            else:
                write(path, random_text(rng))
            made.append(path)
        if rng.random() < 0.3:
            raw = os.path.join(os.fsencode(folder), b"bad\xff name.md")
            write(raw, "not UTF-8 name\n")
    if links:
        os.symlink(rng.choice(made), os.path.join(root, "link.md"))
        os.symlink(os.path.join(root, "nowhere.md"), os.path.join(root, "broken.md"))
        target = rng.choice(folders[1:]) if len(folders) > 1 else None
        if target is not None:
            os.symlink(target, os.path.join(root, "linked_dir"))
    return root


def as_tuples(entries):
    return [(e.path, e.size, e.lines, e.words, e.summary) for e in entries]


# --- similarity ---------------------------------------------------------------------

PAIRS = [
    ("", ""), ("", "a"), ("a", ""), ("   ", "\t"), ("a b c", "c b a"), ("The cat", "the cat"),
    ("a\x1cb", "a b"), ("a\x1fb c", "a\x1fb"), ("\x1c", ""), ("\x1d \x1e", "\x1d"),
    ("a\u00a0b", "a b"), ("a\u3000b c", "b a"), ("a\u200bb", "a b"), ("Σ σ", "σ"),
]


@pytest.mark.parametrize("a,b", PAIRS)
def test_fast_similarity_pairs(wm, a, b):
    assert wm.fast_similarity(a, b) == pytest.approx(up_jaccard(a, b), abs=1e-15)


@pytest.mark.parametrize("a,b", PAIRS)
def test_calculate_similarity_pairs(wm, a, b):
    assert wm.calculate_similarity(a, b) == pytest.approx(up_calculate(a, b), abs=1e-15)
    assert wm.calculate_similarity(a, b, use_rust=False) == wm.calculate_similarity(a, b)


def test_similarity_random(wm):
    rng = random.Random(7)
    for _ in range(400):
        a, b = random_text(rng, 12), random_text(rng, 12)
        assert wm.fast_similarity(a, b) == pytest.approx(up_jaccard(a, b), abs=1e-15)
        assert wm.calculate_similarity(a, b) == pytest.approx(up_calculate(a, b), abs=1e-15)


def test_similarity_refuses_non_str(wm):
    with pytest.raises(TypeError):
        wm.fast_similarity(b"a", "a")


# --- audit_directory, extract_summaries, read_files_fast ----------------------------

@pytest.mark.parametrize("seed", range(12))
def test_audit_directory_random_trees(wm, tmp_path, seed):
    rng = random.Random(seed)
    root = random_tree(str(tmp_path / "t"), rng)
    for pattern in (None, "*", "*.md", "md", ".md", "*.txt", "*.*.md", "*.", "*.tar.gz",
                    "*.m?"):
        kwargs = {} if pattern is None else {"pattern": pattern}
        got = as_tuples(wm.audit_directory(root, **kwargs))
        want = up_audit(root, "*.md" if pattern is None else pattern, 10**9)
        assert sorted(got) == sorted(want), pattern
        assert [g[0] for g in got] == sorted(g[0] for g in got)


@pytest.mark.parametrize("seed", range(6))
def test_extract_summaries_random_trees(wm, tmp_path, seed):
    rng = random.Random(100 + seed)
    root = random_tree(str(tmp_path / "t"), rng)
    for n in (None, 0, 1, 3, 50):
        kwargs = {} if n is None else {"lines_per_file": n}
        assert wm.extract_summaries(root, **kwargs) == up_extract(root, "*.md",
                                                                  10 if n is None else n)
    assert wm.extract_summaries(root, pattern="*") == up_extract(root, "*")


def test_audit_line_ends_and_separators(wm, tmp_path):
    texts = {"empty.md": "", "nl.md": "\n", "cr.md": "\r", "crlf.md": "a\r\nb\r\n",
             "ncr.md": "a\n\r", "tailcr.md": "a\nb\r", "seps.md": "a\x1cb c\x1fd\u2003e",
             "lead.md": "\n\n  first real line\n", "long.md": "é" * 300 + "\nrest",
             "nul.md": "a\x00b\nc"}
    for name, content in texts.items():
        write(str(tmp_path / name), content)
    got = as_tuples(wm.audit_directory(str(tmp_path)))
    assert sorted(got) == sorted(up_audit(str(tmp_path)))
    by = {os.path.basename(g[0]): g for g in got}
    assert by["cr.md"][2] == 1 and by["ncr.md"][2] == 2  # the "\r" line counts
    assert by["seps.md"][3] == 3  # U+001C and U+001F join words
    assert by["lead.md"][4] == ""  # the raw first line
    assert by["long.md"][4] == "é" * 200
    summaries = wm.extract_summaries(str(tmp_path), lines_per_file=3)
    assert summaries == up_extract(str(tmp_path), n=3)
    assert summaries[str(tmp_path / "tailcr.md")] == ["a", "b\r"]
    assert summaries[str(tmp_path / "nl.md")] == [""]
    assert summaries[str(tmp_path / "empty.md")] == []


def test_audit_limits(wm, tmp_path):
    for i in range(30):
        write(str(tmp_path / ("d%d" % (i % 4)) / ("f%02d.md" % i)), "w%d\n" % i)
    full = wm.audit_directory(str(tmp_path), max_files=10**6)
    assert len(full) == 30
    assert len(wm.audit_directory(str(tmp_path))) == 30
    for limit in (0, 1, 7, 29, 30, 31):
        got = wm.audit_directory(str(tmp_path), max_files=limit)
        assert len(got) == min(limit, 30)
        assert got == full[:limit]  # the first max_files in path order
    write(str(tmp_path / "d0" / ".x.md"), "hidden\n")
    write(str(tmp_path / "d0" / ".md"), "no extension\n")
    got = wm.audit_directory(str(tmp_path), max_files=31)
    assert len(got) == 31 and str(tmp_path / "d0" / ".md") not in [g.path for g in got]


def test_audit_missing_and_odd_roots(wm, tmp_path):
    write(str(tmp_path / "file.md"), "x\n")
    assert wm.audit_directory(str(tmp_path / "missing")) == []
    assert wm.audit_directory(str(tmp_path / "file.md")) == []
    assert wm.audit_directory("") == []
    assert wm.extract_summaries(str(tmp_path / "missing")) == {}
    os.symlink(str(tmp_path), str(tmp_path.parent / "root_link"))
    via = wm.audit_directory(str(tmp_path.parent / "root_link"))
    assert [e.path for e in via] == [str(tmp_path.parent / "root_link" / "file.md")]
    assert wm.audit_directory(str(tmp_path) + "/")[0].path == str(tmp_path / "file.md")
    with pytest.raises(OverflowError):
        wm.audit_directory(str(tmp_path), max_files=-1)
    with pytest.raises(TypeError):
        wm.audit_directory(str(tmp_path), pattern=3)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_audit_unlistable_folder_raises(wm, tmp_path):
    write(str(tmp_path / "closed" / "a.md"), "x\n")
    os.chmod(str(tmp_path / "closed"), 0)
    try:
        with pytest.raises(OSError) as info:
            wm.audit_directory(str(tmp_path))
        assert "Permission denied (os error %d)" % errno.EACCES in str(info.value)
    finally:
        os.chmod(str(tmp_path / "closed"), 0o755)


def test_audit_folder_link_loop_ends(wm, tmp_path):
    # Upstream follows the loop until the path is too long (duplicates up to the cap);
    # hotpath lists each folder once per path from the root (docs/compat.md).
    write(str(tmp_path / "a" / "x.md"), "x\n")
    os.symlink("..", str(tmp_path / "a" / "up"))
    got = [e.path for e in wm.audit_directory(str(tmp_path))]
    assert got == [str(tmp_path / "a" / "x.md")]


def test_audit_fifo_does_not_block(wm, tmp_path):
    # Upstream opens a matching FIFO and blocks; hotpath leaves it out unread, and it
    # uses up one of max_files as upstream's candidate did (docs/compat.md).
    os.mkfifo(str(tmp_path / "a.md"))
    write(str(tmp_path / "b.md"), "b\n")
    assert [e.path for e in wm.audit_directory(str(tmp_path))] == [str(tmp_path / "b.md")]
    assert wm.audit_directory(str(tmp_path), max_files=1) == []
    assert wm.extract_summaries(str(tmp_path)) == {str(tmp_path / "b.md"): ["b"]}


def test_audit_entries_look_like_upstream(wm, tmp_path):
    write(str(tmp_path / "a.md"), "title\nbody\n")
    (e,) = wm.audit_directory(str(tmp_path))
    assert repr(e) == "FileInfo(path='%s', size=11, lines=2, words=2)" % (tmp_path / "a.md")
    assert isinstance(e, wm.FileInfo) and wm.AuditEntry is wm.FileInfo


def test_read_files_fast(wm, tmp_path):
    write(str(tmp_path / "a.md"), "alpha\r\n")
    write(str(tmp_path / "latin1.md"), b"caf\xe9\n")
    os.mkdir(str(tmp_path / "folder"))
    paths = [str(tmp_path / "a.md"), str(tmp_path / "missing.md"), str(tmp_path / "latin1.md"),
             str(tmp_path / "folder"), str(tmp_path / "a.md")]
    want = {p: rs_read_to_string(p) for p in paths if rs_read_to_string(p) is not None}
    assert wm.read_files_fast(paths) == want == {str(tmp_path / "a.md"): "alpha\r\n"}
    assert wm.read_files_fast([]) == {}
    with pytest.raises(TypeError):
        wm.read_files_fast(str(tmp_path / "a.md"))


# --- compression --------------------------------------------------------------------

def test_fast_compress_is_gzip_both_ways(wm, tmp_path):
    data = ("memory line %d with some repeated words\n" * 3000 % tuple(range(3000))).encode()
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    packed = tmp_path / "in.txt.gz"
    written = wm.fast_compress(str(src), str(packed))
    assert written == packed.stat().st_size  # upstream returns the compressed size
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.read_bytes()) == data  # what upstream's decoder reads
    out = tmp_path / "out.txt"
    assert wm.fast_decompress(str(packed), str(out)) == len(data)
    assert out.read_bytes() == data
    # A member as upstream's encoder writes it (zlib level 1, no file name, mtime 0).
    theirs = tmp_path / "theirs.gz"
    theirs.write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
    assert wm.fast_decompress(str(theirs), str(out)) == len(data)
    assert out.read_bytes() == data
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert wm.fast_compress(str(empty), str(packed)) == packed.stat().st_size
    assert gzip.decompress(packed.read_bytes()) == b""


def test_fast_compress_errors(wm, tmp_path):
    with pytest.raises(OSError):
        wm.fast_compress(str(tmp_path / "missing"), str(tmp_path / "out"))
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + zlib.compress(b"x")[2:-4])
    with pytest.raises(RuntimeError):
        wm.fast_decompress(str(bad), str(tmp_path / "out"))
    with pytest.raises(OSError):
        wm.fast_decompress(str(tmp_path / "missing"), str(tmp_path / "out"))


# --- consolidation ------------------------------------------------------------------

def memory_folder(root, rng, count):
    os.makedirs(root)
    now = time.time()
    names = []
    base = [random_text(rng, 25) for _ in range(4)]
    for i in range(count):
        name = rng.choice(["m%03d.md" % i, ".m%03d.md" % i, "m%03d.MD" % i, "m%03d.txt" % i,
                           "m%03d.md" % i])
        path = os.path.join(root, name)
        body = rng.choice(base) if rng.random() < 0.5 else random_text(rng, 25)
        if rng.random() < 0.2:
            body = body + " critical decision learned a new pattern" * rng.randint(1, 40)
        write(path, body if rng.random() > 0.08 else b"\xff\xfe")
        age = rng.choice([0, 1, 29, 31, 400, -3])  # -3: in the future
        os.utime(path, (now - age * 86400 - 60, now - age * 86400 - 60))
        names.append(name)
    os.mkdir(os.path.join(root, "folder.md"))
    write(os.path.join(root, "nested", "deep.md"), "not at the top")
    return root


@pytest.mark.parametrize("seed", range(8))
def test_fast_consolidate_random(wm, tmp_path, seed):
    rng = random.Random(300 + seed)
    root = memory_folder(str(tmp_path / "m"), rng, rng.randint(0, 40))
    for days, threshold in ((30, 0.8), (0, 0.0), (1, 0.5), (100, 1.0), (30, -0.5), (30, 0.3)):
        now = time.time_ns()
        got = wm.fast_consolidate(root, days, threshold)
        assert dict(got) == up_fast_consolidate(root, days, threshold, now)
    assert dict(wm.fast_consolidate(root)) == dict(wm.fast_consolidate(root, 30, 0.8))


def test_fast_consolidate_errors(wm, tmp_path):
    with pytest.raises(OSError) as info:
        wm.fast_consolidate(str(tmp_path / "missing"), 30, 0.8)
    assert "(os error %d)" % errno.ENOENT in str(info.value)
    with pytest.raises(OverflowError):
        wm.fast_consolidate(str(tmp_path), -1, 0.8)


@pytest.mark.parametrize("seed", range(8))
def test_consolidate_memories_random(wm, tmp_path, seed):
    rng = random.Random(500 + seed)
    root = memory_folder(str(tmp_path / "m"), rng, rng.randint(0, 40))
    for top_n, threshold in ((None, None), (5, 0.5), (0, 0.7), (100, 0.0), (3, 1.0)):
        kwargs = {}
        if top_n is not None:
            kwargs = {"top_n": top_n, "similarity_threshold": threshold}
        got = wm.consolidate_memories(root, **kwargs)
        assert isinstance(got, tuple) and len(got) == 5
        assert isinstance(got[3], float) and got[3] >= 0.0
        want = up_consolidate(root, 20 if top_n is None else top_n,
                              0.7 if threshold is None else threshold)
        assert (got[0], got[1], got[2], got[4]) == want


def test_consolidate_memories_errors(wm, tmp_path):
    with pytest.raises(RuntimeError) as info:
        wm.consolidate_memories(str(tmp_path / "missing"))
    assert str(info.value).startswith("Failed to read directory: ")
