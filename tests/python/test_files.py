"""hotpath.files on every backend: glob rules, counting, the walk (hidden files, symbolic
links, errors, max_files), read_files, extract_summaries and the Markdown report.

Expected values come from the specification (docs/files.md, issue 3) written out here,
from Python itself (str.split, bytes.split, os.walk) or from an independent regex
translation of the glob rules; the pure-Python twin is compared with the active backend
on random trees.
"""
import os
import random
import re
import stat
import sys

import pytest

from hotpath import _files_py
from hotpath._errors import EINVAL, EIO, EUTF8, HotpathError


@pytest.fixture(scope="module")
def F():
    from hotpath import files
    return files


def write(root, rel, data):
    path = os.path.join(root, *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def paths(result):
    return [r.path for r in result]


# --- glob -------------------------------------------------------------------------

GLOB_TABLE = [
    # pattern, path, expected
    ("*.md", "a.md", True),
    ("*.md", "docs/a.md", True),          # no "/" in the pattern: every folder
    ("*.md", "docs/deep/er/a.md", True),
    ("*.md", "a.mdx", False),
    ("*.md", "a.md/b", False),
    ("*.md", ".md", True),                # "*" matches the empty run (hidden: walk's job)
    ("*.md", ".hidden.md", True),
    ("a.md", "xa.md", False),
    ("a.md", "x/a.md", True),
    ("a?c", "abc", True),
    ("a?c", "ac", False),
    ("a?c", "a/c", False),                # "?" never matches "/"
    ("?", "\u00e9", True),                # one character, two bytes
    ("??", "\u00e9", False),
    ("a.md", "aXmd", False),              # a dot is literal
    ("[ab]*.md", "b1.md", True),
    ("[ab]*.md", "c1.md", False),
    ("[a-c]x", "bx", True),
    ("[a-c]x", "dx", False),
    ("[!a-c]x", "dx", True),
    ("[!a-c]x", "ax", False),
    ("[^a-c]x", "ax", False),
    ("[]]x", "]x", True),                 # "]" first in a class is a member
    ("[!]]x", "]x", False),
    ("[a-]x", "-x", True),                # "-" last is literal
    ("[ab", "[ab", True),                 # unclosed "[" is literal
    ("[ab", "a", False),
    ("[*]", "*", True),
    ("[*]", "x", False),
    ("docs/*.md", "docs/a.md", True),     # with "/": the whole relative path
    ("docs/*.md", "x/docs/a.md", False),
    ("docs/*.md", "docs/sub/a.md", False),  # "*" stops at "/"
    ("/a.md", "a.md", True),              # a leading "/" only anchors
    ("/a.md", "x/a.md", False),
    ("**/a.md", "a.md", True),            # "**/" matches zero folders
    ("**/a.md", "x/y/a.md", True),
    ("docs/**/a.md", "docs/a.md", True),
    ("docs/**/a.md", "docs/x/y/a.md", True),
    ("docs/**/a.md", "other/x/a.md", False),
    ("docs/**", "docs/x/y/z.txt", True),
    ("docs/**", "doc/x", False),
    ("docs/**", "docs", False),           # a trailing "/**" is what lies inside
    ("**/*.md", "a/b/c.md", True),
    ("**/*.md", "a/b/c.txt", False),
    ("a/**/b/**/c", "a/x/b/y/z/c", True),
    ("a/**/b/**/c", "a/c", False),
    ("x**y", "xaaay", True),              # "**" inside a component is "*"
    ("x**y", "xa/xy", True),              # no "/" in the pattern: the last component
    ("x**y", "xa/ay", False),
    ("*", "", True),                     # "*" matches the empty run
    ("", "", True),
    ("", "a", False),
    ("*a*a*a*a*b", "a" * 40, False),      # backtracking stays linear-ish
    ("\u00e9t\u00e9.md", "\u00e9t\u00e9.md", True),
    ("[\u00e0-\u00ea]", "\u00e9", True),
    ("*.MD", "a.md", False),              # case-sensitive
]


@pytest.mark.parametrize("pattern,path,expected", GLOB_TABLE)
def test_glob_table(F, every_mode, pattern, path, expected):
    assert F.glob_match(pattern, path) is expected


def _reference_regex(pattern):
    """The glob rules, translated to a regular expression independently of the code
    under test (one regex per component, "**" components as "(?:[^/]*/)*")."""
    def component(c):
        out, i = "", 0
        while i < len(c):
            ch = c[i]
            if ch == "*":
                out += "[^/]*"
            elif ch == "?":
                out += "[^/]"
            elif ch == "[":
                j = i + 1
                if j < len(c) and c[j] in "!^":
                    j += 1
                if j < len(c) and c[j] == "]":
                    j += 1
                k = c.find("]", j)
                if k < 0:
                    out += re.escape(ch)
                else:
                    body = c[i + 1:k]
                    neg = body[:1] in ("!", "^")
                    if neg:
                        body = body[1:]
                    items, m = "", 0
                    while m < len(body):
                        if m + 2 < len(body) and body[m + 1] == "-":
                            items += re.escape(body[m]) + "-" + re.escape(body[m + 2])
                            m += 3
                        else:
                            items += re.escape(body[m])
                            m += 1
                    out += "(?!/)[%s%s]" % ("^" if neg else "", items)
                    i = k
            else:
                out += re.escape(ch)
            i += 1
        return out

    if "/" not in pattern:
        return re.compile(r"(?:.*/)?" + component(pattern) + r"\Z", re.S)
    parts = pattern.lstrip("/").split("/")
    rx = ""
    for n, c in enumerate(parts):
        last = n == len(parts) - 1
        if c == "**":
            rx += r"(?:[^/]*(?:/[^/]*)*)" if last else r"(?:[^/]*/)*"
        else:
            rx += component(c) + ("" if last else "/")
    return re.compile(rx + r"\Z", re.S)


def test_glob_random_against_reference(F, every_mode):
    rng = random.Random(7)
    atoms = ["a", "b", "c", ".", "*", "?", "[ab]", "[!a]", "[a-c]", "md", "\u00e9"]
    names = ["a", "b", "c", ".", "md", "ab", "a.md", "b.c", "\u00e9", "cab"]
    checked = 0
    for _ in range(1500):
        comps = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.15:
                comps.append("**")
            else:
                comps.append("".join(rng.choice(atoms) for _ in range(rng.randint(1, 4))))
        pattern = "/".join(comps)
        path = "/".join("".join(rng.choice(names) for _ in range(rng.randint(1, 3)))
                        for _ in range(rng.randint(1, 4)))
        want = _reference_regex(pattern).match(path) is not None
        assert F.glob_match(pattern, path) is want, (pattern, path)
        checked += want
    assert checked > 50  # the sample holds matches, not only misses


def test_glob_bad_arguments(F, every_mode):
    with pytest.raises(TypeError):
        F.glob_match(b"*.md", "a.md")
    with pytest.raises(ValueError) as info:
        F.glob_match("\ud800*", "a")
    assert info.value.status == EUTF8
    with pytest.raises(TypeError):
        F.glob_match("*", 3)


# --- counting ---------------------------------------------------------------------

COUNT_CASES = [
    # content, lines (from the specification), summary
    (b"", 0, ""),
    (b"\n", 1, ""),
    (b"a", 1, "a"),
    (b"a\n", 1, "a"),
    (b"a\r\n", 1, "a"),
    (b"a\n\r", 1, "a"),          # the trailing "\r" is not content
    (b"\r", 0, ""),
    (b"a\r", 1, "a"),
    (b"a\nb", 2, "a"),
    (b"a\r\nb\r\n", 2, "a"),
    (b"a\n\n", 2, "a"),
    (b"\n\n  title here  \nrest", 4, "title here"),
    (b"one two\tthree\x0bfour\x0cfive\x1cs\x1dt\x1eu\x1fv", 1,
     "one two\tthree\x0bfour\x0cfive\x1cs\x1dt\x1eu\x1fv"),
    ("a\u00a0b\u2003c\u3000d\u2028e\u0085f\u200bg".encode("utf-8"), 1, None),
    ("caf\u00e9 \u65e5\u672c\n\u8a9e".encode("utf-8"), 2, "caf\u00e9 \u65e5\u672c"),
]


@pytest.mark.parametrize("content,lines,summary", COUNT_CASES)
def test_counting(F, every_mode, tmp_path, content, lines, summary):
    write(str(tmp_path), "f.md", content)
    result = F.audit(tmp_path)
    assert len(result) == 1 and not result.errors
    r = result[0]
    text = content.decode("utf-8")
    assert r.path == "f.md"
    assert r.size == len(content)
    assert r.lines == lines
    assert r.words == len(text.split())  # Unicode white space, as str.split()
    assert r.utf8 is True
    if summary is not None:
        assert r.summary == summary


def test_unicode_spaces_split_words(F, every_mode, tmp_path):
    write(str(tmp_path), "u.md", "a\u00a0b\u2003c\u3000d e\u200bf")
    r = F.audit(tmp_path)[0]
    assert r.words == 5  # U+200B is not white space


def test_invalid_utf8_counted_on_bytes(F, every_mode, tmp_path):
    data = b"head line\nab \xff\xfe cd\xa0ef\x1cgh\n"
    write(str(tmp_path), "bad.md", data)
    r = F.audit(tmp_path)[0]
    assert r.utf8 is False
    assert r.size == len(data)
    assert r.lines == 2
    assert r.words == len(data.split())  # ASCII white space only: 0xA0, 0x1C are not
    assert r.words == 5
    assert r.summary == "head line"  # taken from the valid prefix
    write(str(tmp_path), "bad.md", b"\xe2\x82 tail")
    r = F.audit(tmp_path)[0]
    assert (r.utf8, r.summary, r.words) == (False, "", 2)
    # a lone surrogate encoded in UTF-8 is invalid too
    write(str(tmp_path), "bad.md", b"ok \xed\xa0\x80")
    r = F.audit(tmp_path)[0]
    assert (r.utf8, r.summary, r.words) == (False, "ok", 2)


def test_crlf_file(F, every_mode, tmp_path):
    body = "# Title\r\nline two\r\nline three"
    write(str(tmp_path), "c.md", body)
    r = F.audit(tmp_path, summary_lines=2)[0]
    assert r.lines == 3 and r.words == 6
    assert r.summary == "# Title\r\nline two"


def test_summary_options(F, every_mode, tmp_path):
    body = "---\ntitle: x\n---\n\n  First line of text\nSecond line\nThird\n"
    write(str(tmp_path), "s.md", body)
    assert F.audit(tmp_path)[0].summary == "---"
    assert F.audit(tmp_path, skip_front_matter=True)[0].summary == "First line of text"
    assert (F.audit(tmp_path, skip_front_matter=True, summary_lines=2)[0].summary
            == "First line of text\nSecond line")
    assert F.audit(tmp_path, skip_front_matter=True, summary_chars=6)[0].summary == "First"
    assert F.audit(tmp_path, summary_lines=0)[0].summary == ""
    assert F.audit(tmp_path, summary_chars=0)[0].summary == ""


# --- the walk ---------------------------------------------------------------------

def make_tree(root):
    files = {
        "a.md": "alpha one\n", "b.txt": "bee\n", "docs/c.md": "c c c\n",
        "docs/d.MD": "upper\n", "docs/deep/e.md": "e\n", "docs/deep/f.tar.md": "f\n",
        "docs/g.md.txt": "g\n", "x/y/z/h.md": "h h\n", ".hidden.md": "hidden\n",
        ".hdir/i.md": "in hidden dir\n", "docs/.md": "no extension\n",
        "docs/[ab].md": "brackets\n",
    }
    for rel, body in files.items():
        write(root, rel, body)
    return files


def test_glob_in_tree(F, every_mode, tmp_path):
    make_tree(str(tmp_path))
    assert paths(F.audit(tmp_path)) == ["a.md", "docs/[ab].md", "docs/c.md", "docs/deep/e.md",
                                        "docs/deep/f.tar.md", "x/y/z/h.md"]
    assert paths(F.audit(tmp_path, "docs/*.md")) == ["docs/[ab].md", "docs/c.md"]
    assert paths(F.audit(tmp_path, "docs/**/*.md")) == ["docs/[ab].md", "docs/c.md",
                                                         "docs/deep/e.md", "docs/deep/f.tar.md"]
    assert paths(F.audit(tmp_path, "**/h.md")) == ["x/y/z/h.md"]
    assert paths(F.audit(tmp_path, "[[]ab]*")) == ["docs/[ab].md"]
    assert paths(F.audit(tmp_path, ["*.txt", "*.MD"])) == ["b.txt", "docs/d.MD",
                                                           "docs/g.md.txt"]
    assert paths(F.audit(tmp_path, ("a.md", "a.md"))) == ["a.md"]  # listed once
    assert paths(F.audit(tmp_path, "*.md", recursive=False)) == ["a.md"]


def test_hidden(F, every_mode, tmp_path):
    make_tree(str(tmp_path))
    hidden = paths(F.audit(tmp_path, include_hidden=True))
    assert hidden == [".hdir/i.md", ".hidden.md", "a.md", "docs/.md", "docs/[ab].md",
                      "docs/c.md", "docs/deep/e.md", "docs/deep/f.tar.md", "x/y/z/h.md"]


def test_extension_mode(F, every_mode, tmp_path):
    make_tree(str(tmp_path))
    want = ["a.md", "docs/[ab].md", "docs/c.md", "docs/deep/e.md", "docs/deep/f.tar.md",
            "x/y/z/h.md"]
    for pattern in ("*.md", ".md", "md"):
        assert paths(F.audit(tmp_path, pattern, mode="extension")) == want
    # the final extension only; a leading dot is not an extension ("docs/.md", ".hidden.md"
    # has extension "md" and is hidden)
    assert paths(F.audit(tmp_path, "md", mode="extension", include_hidden=True)) == [
        ".hdir/i.md", ".hidden.md"] + want
    assert paths(F.audit(tmp_path, ["txt", "MD"], mode="extension")) == [
        "b.txt", "docs/d.MD", "docs/g.md.txt"]
    for bad in ("*.m?", "*", ".", "tar.md", "a/b", "", "*.[m]d"):
        with pytest.raises(ValueError) as info:
            F.audit(tmp_path, bad, mode="extension")
        assert "extension mode expects" in str(info.value)


def test_max_files_exact_and_deterministic(F, hp, every_mode, tmp_path):
    rng = random.Random(3)
    for i in range(300):
        depth = rng.randint(0, 4)
        rel = "/".join("d%d" % rng.randint(0, 3) for _ in range(depth))
        write(str(tmp_path), (rel + "/" if rel else "") + "f%03d.md" % i, "x " * (i % 7))
    before = hp.get_num_threads()
    try:
        results = []
        for threads in (1, 2, 3, 8):
            hp.set_num_threads(threads)
            full = F.audit(tmp_path)
            cut = F.audit(tmp_path, max_files=37)
            results.append((list(full), list(cut)))
    finally:
        hp.set_num_threads(before)
    full, cut = results[0]
    assert len(full) == 300
    assert paths(full) == sorted(paths(full), key=os.fsencode)
    assert cut == full[:37]
    assert all(r == results[0] for r in results)
    assert list(F.audit(tmp_path, max_files=0)) == []
    assert len(F.audit(tmp_path, max_files=10**6)) == 300


def test_max_files_counts_unreadable_entries(F, every_mode, tmp_path):
    write(str(tmp_path), "a.md", "a")
    os.symlink(str(tmp_path / "missing"), str(tmp_path / "b.md"))
    write(str(tmp_path), "c.md", "c")
    result = F.audit(tmp_path, max_files=2)
    assert paths(result) == ["a.md"]
    assert [p for p, _ in result.errors] == ["b.md"]


def test_symlinks(F, every_mode, tmp_path):
    root = str(tmp_path)
    write(root, "real/r.md", "r")
    write(root, "outside/o.md", "o")
    os.symlink(os.path.join(root, "outside"), os.path.join(root, "link"))
    os.symlink(os.path.join(root, "real", "r.md"), os.path.join(root, "file_link.md"))
    os.symlink("..", os.path.join(root, "real", "up"))  # a loop back to the root
    plain = F.audit(root)
    assert paths(plain) == ["file_link.md", "outside/o.md", "real/r.md"]
    assert plain.errors == []  # links to folders are simply not followed
    followed = F.audit(root, follow_symlinks=True)
    assert paths(followed) == ["file_link.md", "link/o.md", "outside/o.md", "real/r.md"]
    assert followed.errors == [("real/up", "symbolic link loop: the folder is already on "
                                           "the path")]


def test_self_loop(F, every_mode, tmp_path):
    root = str(tmp_path)
    write(root, "a/b/c.md", "c")
    os.symlink(os.path.join(root, "a"), os.path.join(root, "a", "b", "again"))
    os.symlink(".", os.path.join(root, "a", "self"))
    result = F.audit(root, follow_symlinks=True)
    assert paths(result) == ["a/b/c.md"]
    assert [p for p, _ in result.errors] == ["a/b/again", "a/self"]


def test_unreadable_entries(F, every_mode, tmp_path):
    root = str(tmp_path)
    write(root, "ok.md", "fine")
    os.symlink(os.path.join(root, "nowhere.md"), os.path.join(root, "dangling.md"))
    os.mkfifo(os.path.join(root, "pipe.md"))
    result = F.audit(root)
    assert paths(result) == ["ok.md"]
    assert result.errors == [
        ("dangling.md", "cannot open file: %s" % os.strerror(2)),
        ("pipe.md", "not a regular file"),
    ]


def test_io_uring_and_plain_reads_agree(F, every_mode, tmp_path, monkeypatch):
    # The native audit reads batches of files through io_uring where the kernel
    # allows it; HOTPATH_FILES_IO_URING=0 forces one openat/read/close per file.
    # Both must give the same result, and sizes must be the file system's.
    root = str(tmp_path)
    rng = random.Random(5)
    for i in range(600):
        size = [0, 1, 4096, 65535, 65536, 65537, 300000][i] if i < 7 else rng.randint(0, 6000)
        body = bytes(rng.choice(b"abc de\nf\t") for _ in range(size))
        if i % 40 == 1:
            body += b"\xff caf\xc3\xa9"
        write(root, "%s/f%03d.md" % ("many" if i % 2 else "d%d" % (i % 5), i), body)
    os.mkfifo(os.path.join(root, "many", "pipe.md"))
    os.symlink(os.path.join(root, "many", "f001.md"), os.path.join(root, "many", "link.md"))
    os.symlink(os.path.join(root, "nowhere"), os.path.join(root, "d2", "dangling.md"))
    for opts in [{}, {"max_files": 450}, {"summary_lines": 2, "skip_front_matter": True}]:
        monkeypatch.setenv("HOTPATH_FILES_IO_URING", "0")
        plain = F.audit(root, **opts)
        monkeypatch.delenv("HOTPATH_FILES_IO_URING")
        ring = F.audit(root, **opts)
        assert list(ring) == list(plain), opts
        assert ring.errors == plain.errors
        for r in ring:
            assert r.size == os.stat(os.path.join(root, *r.path.split("/"))).st_size
    assert plain.errors == [("d2/dangling.md", "cannot open file: %s" % os.strerror(2)),
                            ("many/pipe.md", "not a regular file")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="running as root: chmod 000 does not stop root from reading "
                           "(dangling links and FIFOs cover unreadable entries instead)")
def test_permission_denied(F, every_mode, tmp_path):
    root = str(tmp_path)
    write(root, "secret.md", "s")
    write(root, "closed/inner.md", "i")
    os.chmod(os.path.join(root, "secret.md"), 0)
    os.chmod(os.path.join(root, "closed"), 0)
    try:
        result = F.audit(root)
        denied = os.strerror(13)
        assert list(result) == []
        assert result.errors == [("closed", "cannot open directory: " + denied),
                                 ("secret.md", "cannot open file: " + denied)]
    finally:
        os.chmod(os.path.join(root, "closed"), stat.S_IRWXU)


def test_non_utf8_file_names(F, every_mode, tmp_path):
    if sys.platform == "darwin":
        pytest.skip("the file system refuses names that are not UTF-8")
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.md"
    with open(raw, "wb") as f:
        f.write(b"x")
    write(str(tmp_path), "cafe.md", "y")
    result = F.audit(tmp_path, "caf?.md")
    assert [os.fsencode(p) for p in paths(result)] == [b"cafe.md", b"caf\xe9.md"]
    assert os.path.exists(result.absolute(result[1]))


def test_root_errors(F, every_mode, tmp_path):
    with pytest.raises(HotpathError) as info:
        F.audit(tmp_path / "missing")
    assert info.value.status == EIO
    assert str(info.value) == "cannot open argument 'root': %s" % os.strerror(2)
    path = write(str(tmp_path), "file.md", "x")
    with pytest.raises(ValueError) as info:
        F.audit(path)
    assert info.value.status == EINVAL
    assert str(info.value) == "argument 'root' is not a directory"
    with pytest.raises(TypeError):
        F.audit(3)
    with pytest.raises(ValueError):
        F.audit("a\0b")


@pytest.mark.parametrize("kwargs,exc", [
    ({"pattern": []}, ValueError), ({"pattern": 3}, TypeError), ({"pattern": [3]}, TypeError),
    ({"pattern": "\udc80"}, ValueError), ({"mode": "regex"}, ValueError),
    ({"mode": 1}, TypeError), ({"max_files": -1}, ValueError), ({"max_files": 1.5}, TypeError),
    ({"summary_lines": -1}, ValueError), ({"summary_lines": 2**32}, ValueError),
    ({"summary_chars": -1}, ValueError),
])
def test_audit_bad_arguments(F, every_mode, tmp_path, kwargs, exc):
    with pytest.raises(exc):
        F.audit(tmp_path, **kwargs)


def test_bytes_and_pathlike_root(F, every_mode, tmp_path):
    write(str(tmp_path), "a.md", "a b")
    for root in (tmp_path, str(tmp_path), os.fsencode(str(tmp_path))):
        result = F.audit(root)
        assert paths(result) == ["a.md"]
        assert result.absolute(result[0]) == os.path.join(str(tmp_path), "a.md")
        assert result.absolute("a.md") == os.path.join(str(tmp_path), "a.md")


def test_result_object(F, every_mode, tmp_path):
    write(str(tmp_path), "a.md", "one two\nthree\n")
    write(str(tmp_path), "b/c.md", "four\n")
    os.symlink(str(tmp_path / "gone"), str(tmp_path / "x.md"))
    result = F.audit(tmp_path)
    assert len(result) == 2 == result.total_files
    assert result[0] == F.FileInfo("a.md", 14, 2, 3, "one two", True)
    assert result[-1].path == "b/c.md"
    assert result[0:1] == [result[0]]
    assert (result.total_size, result.total_lines, result.total_words) == (19, 3, 4)
    assert len(result.errors) == 1 and result.errors[0][0] == "x.md"
    assert "2 files" in repr(result)
    path, size, lines, words, summary, utf8 = result[1]
    assert (path, size, lines, words, summary, utf8) == ("b/c.md", 5, 1, 1, "four", True)


def test_parity_with_twin_on_random_tree(F, every_mode, tmp_path):
    rng = random.Random(11)
    words = ["alpha", "beta", "\u00e9t\u00e9", "x\u00a0y", "tab\tz", "---", "#", "\r\n", "\n"]
    root = str(tmp_path)
    for i in range(250):
        rel = "/".join(rng.choice(["a", "b", ".c", "d e"]) for _ in range(rng.randint(0, 3)))
        name = "f%03d%s" % (i, rng.choice([".md", ".md", ".txt", ".MD", ""]))
        body = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60))).encode("utf-8")
        if rng.random() < 0.1:
            body += b"\xff\xfe"
        write(root, (rel + "/" if rel else "") + name, body)
    os.symlink(os.path.join(root, "a"), os.path.join(root, "b_link"))
    options = [{}, {"pattern": ["**/a/*", "*.txt"]}, {"include_hidden": True},
               {"follow_symlinks": True, "summary_lines": 3, "summary_chars": 17},
               {"pattern": "md", "mode": "extension", "max_files": 40},
               {"skip_front_matter": True, "recursive": False}]
    for opts in options:
        got = F.audit(root, **opts)
        want = _files_py.audit(root, **opts)
        assert list(got) == list(want), opts
        assert got.errors == want.errors
        assert (got.total_size, got.total_lines, got.total_words) == (
            want.total_size, want.total_lines, want.total_words)
    # and an independent count of what "*.md" keeps, with os.walk
    seen = sorted(os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/")
                  for d, dirs, names in os.walk(root)
                  for n in names if n.endswith(".md") and not n.startswith(".")
                  and not any(part.startswith(".") for part in
                              os.path.relpath(d, root).split(os.sep) if part != "."))
    assert paths(F.audit(root)) == sorted(seen, key=os.fsencode)


@pytest.mark.parametrize("nul", [False, True])
def test_records_equal_the_twin_with_odd_names_and_summaries(F, every_mode, tmp_path, nul):
    """Records come from one split of the library's arena; a summary holding NUL, a
    name that is not UTF-8 and non-ASCII text take the per-record path or the whole
    decode, with the twin's values."""
    root = str(tmp_path)
    write(root, "plain.md", "first line\nsecond")
    write(root, "\u00e9t\u00e9.md", "\u00e9t\u00e9 \u4e2d\n")
    with open(os.path.join(os.fsencode(root), b"bad\xff.md"), "wb") as f:
        f.write(b"bytes \xfe here\n")
    if nul:
        write(root, "z.md", b"a\0b c\nsecond")
    for i in range(30):
        write(root, "many/%02d.md" % i, "line %d\n" % i)
    got, want = F.audit(root), _files_py.audit(root)
    assert list(got) == list(want)
    assert len(got) == 33 + nul
    if nul:
        assert [r.summary for r in got if r.path == "z.md"] == ["a\0b c"]


def test_stats_count_files(F, hp, tmp_path, is_native):
    from conftest import stats_delta, stats_snapshot
    write(str(tmp_path), "a.md", "a")
    write(str(tmp_path), "b.md", "b")
    before = stats_snapshot(hp)
    F.audit(tmp_path)
    delta = stats_delta(hp, before)
    key = "items_native" if is_native and hp.get_dispatch() != "python" else "items_fallback"
    assert delta[key] == 2


# --- read_files ---------------------------------------------------------------------

def test_read_files(F, every_mode, tmp_path):
    a = write(str(tmp_path), "a.txt", b"alpha\n")
    b = write(str(tmp_path), "b.txt", b"")
    c = write(str(tmp_path), "c.bin", bytes(range(256)) * 300)
    missing = str(tmp_path / "missing")
    folder = str(tmp_path)
    result = F.read_files([c, missing, a, folder, b])
    assert list(result) == [c, a, b]  # input order, failures left out
    assert len(result) == 3
    assert bytes(result[a]) == b"alpha\n"
    assert isinstance(result[a], memoryview)
    assert bytes(result[b]) == b""
    assert bytes(result[c]) == bytes(range(256)) * 300
    assert missing not in result
    assert result.errors == [(missing, "cannot open file: %s" % os.strerror(2)),
                             (folder, "not a regular file")]
    assert result.paths == [c, missing, a, folder, b]
    assert len(result.buffer) == 6 + 256 * 300
    assert result.get(missing) is None
    assert [bytes(v) for v in result.values()] == [bytes(range(256)) * 300, b"alpha\n", b""]
    assert [k for k, _ in result.items()] == [c, a, b]
    # path-like and bytes keys come back as given (os.fspath)
    res = F.read_files([tmp_path / "a.txt", os.fsencode(a)])
    assert list(res) == [str(tmp_path / "a.txt"), os.fsencode(a)]


def test_read_files_strict_and_text(F, every_mode, tmp_path):
    a = write(str(tmp_path), "a.txt", "h\u00e9llo")
    bad = write(str(tmp_path), "bad.txt", b"ok\xff")
    missing = str(tmp_path / "missing")
    with pytest.raises(HotpathError) as info:
        F.read_files([a, missing], strict=True)
    assert info.value.status == EIO
    assert repr(missing) in str(info.value)
    texts = F.read_files([a, bad], text=True)
    assert texts[a] == "h\u00e9llo"
    assert texts.errors == [(bad, "not valid UTF-8 at byte offset 2")]
    with pytest.raises(ValueError) as info:
        F.read_files([a, bad], strict=True, text=True)
    assert info.value.status == EUTF8
    assert F.read_files([]).errors == [] and len(F.read_files([])) == 0


def test_read_files_bad_arguments(F, every_mode, tmp_path):
    with pytest.raises(TypeError):
        F.read_files("a.txt")
    with pytest.raises(TypeError):
        F.read_files(3)
    with pytest.raises(TypeError):
        F.read_files([3])
    with pytest.raises(ValueError):
        F.read_files(["a\0b"])


def test_read_many(F, every_mode, tmp_path):
    names = [write(str(tmp_path), "f%04d" % i, ("%d " % i) * (i % 50)) for i in range(500)]
    result = F.read_files(names)
    for i, name in enumerate(names):
        assert bytes(result[name]) == (("%d " % i) * (i % 50)).encode()


# --- extract_summaries and the report -------------------------------------------------

def test_extract_summaries(F, every_mode, tmp_path):
    write(str(tmp_path), "a.md", "\n\n# A\r\nline 2\r\nline 3\r\nline 4\r\n")
    write(str(tmp_path), "b/b.md", "---\ntitle: b\n---\nbody\n")
    write(str(tmp_path), "empty.md", "  \n")
    write(str(tmp_path), "skip.txt", "x")
    got = F.extract_summaries(tmp_path, lines_per_file=3)
    assert got == {"a.md": ["# A", "line 2", "line 3"], "b/b.md": ["---", "title: b", "---"],
                   "empty.md": []}
    got = F.extract_summaries(tmp_path, "*.md", lines_per_file=10, skip_front_matter=True,
                              max_files=2)
    assert got == {"a.md": ["# A", "line 2", "line 3", "line 4"], "b/b.md": ["body"]}
    long_line = "w" * 5000
    write(str(tmp_path), "a.md", long_line)
    assert F.extract_summaries(tmp_path, "a.md")["a.md"] == [long_line]


def test_to_markdown(F, every_mode, tmp_path):
    write(str(tmp_path), "small.md", "one\n")
    write(str(tmp_path), "big.md", "a|b\n2\n3\n4\n")
    write(str(tmp_path), "mid.md", "x y\nz\n")
    os.symlink(str(tmp_path / "gone"), str(tmp_path / "lost.md"))
    report = F.audit(tmp_path).to_markdown(top=2)
    assert "| 3 | 20 | 7 | 8 |" in report  # files, bytes, lines, words
    assert "Averages per file: 2.3 lines, 2.7 words, 6.7 bytes." in report
    assert "## Top 2 files by lines" in report
    rows = [line for line in report.splitlines() if line.startswith("| 1 |")
            or line.startswith("| 2 |")]
    assert rows[0].startswith("| 1 | `big.md` | 4 |") and "a\\|b" in rows[0]
    assert rows[1].startswith("| 2 | `mid.md` | 2 |")
    assert "`small.md`" not in report
    assert "## Errors (1)" in report and "- `lost.md`: cannot open file" in report
    empty = F.audit(tmp_path, "*.none").to_markdown()
    assert "| 0 | 0 | 0 | 0 |" in empty and "Averages" not in empty


def test_audits_from_several_threads(F, every_mode, tmp_path):
    # each thread uses its own native handle; results equal the single-threaded ones
    import threading
    for i in range(120):
        write(str(tmp_path), "d%d/f%03d.md" % (i % 5, i), "w " * i)
    want = list(F.audit(tmp_path))
    wanted_read = [str(tmp_path / "d0" / "f000.md"), str(tmp_path / "d1" / "f001.md")]
    got, errors = [], []

    def work():
        try:
            for _ in range(5):
                got.append(list(F.audit(tmp_path)) == want)
                got.append(bytes(F.read_files(wanted_read)[wanted_read[1]]) == b"w ")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(got) == 40 and all(got)


# --- unicode_counts and verbatim_summary ------------------------------------------

UNICODE_WS = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
ALPHABET = ["a", "b", " ", "\n", "\r", "\t", "\x1c", "\x1d", "\x1f", "\x85", "\xa0",
            "\u2003", "\u3000", "é", "\u200b", "\x0b", "\x00", "\r\n"]


def unicode_reference(text, lines_wanted):
    """(lines, words, verbatim summary of lines_wanted lines) written out independently:
    words between White_Space characters, "\\n"-terminated lines plus any non-empty
    tail, the first lines exactly as they are, "\\n" and a "\\r" before it dropped
    at the end."""
    words = len(re.findall("[^%s]+" % re.escape(UNICODE_WS), text))
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    pieces = text.split("\n")
    if text.endswith("\n"):
        pieces.pop()
    kept = pieces[:lines_wanted] if text else []
    if kept and len(kept) < len(pieces) or (kept and text.endswith("\n")):
        kept[-1] = kept[-1][:-1] if kept[-1].endswith("\r") else kept[-1]
    return lines, words, "\n".join(kept)


def test_unicode_counts_and_verbatim_summary(F, tmp_path):
    rng = random.Random(11)
    texts = ["", "\n", "\r", "a\r", "a\n\r", "\r\n", "a\x1cb", " \x1f ", "\n\n x \n"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
              for _ in range(600)]
    for i, t in enumerate(texts):
        with open(str(tmp_path / ("f%04d.md" % i)), "wb") as f:
            f.write(t.encode("utf-8"))
    for n in (0, 1, 3):
        opts = dict(unicode_counts=True, verbatim_summary=True, summary_lines=n,
                    summary_chars=2**64 - 1)
        got = {r.path: r for r in F.audit(str(tmp_path), **opts)}
        assert list(got.values()) == list(_files_py.audit(str(tmp_path), **opts))
        for i, t in enumerate(texts):
            r = got["f%04d.md" % i]
            assert (r.lines, r.words, r.summary) == unicode_reference(t, n), repr(t)
    # Each flag on its own changes only its part; summary_chars cuts code points.
    plain = {r.path: r for r in F.audit(str(tmp_path))}
    counts = {r.path: r for r in F.audit(str(tmp_path), unicode_counts=True)}
    verbatim = {r.path: r for r in F.audit(str(tmp_path), verbatim_summary=True,
                                             summary_chars=3)}
    for i, t in enumerate(texts):
        key = "f%04d.md" % i
        assert counts[key].summary == plain[key].summary
        assert (verbatim[key].lines, verbatim[key].words) == (plain[key].lines,
                                                              plain[key].words)
        assert verbatim[key].summary == unicode_reference(t, 1)[2][:3]
    assert counts["f0002.md"].lines == 1 and plain["f0002.md"].lines == 0
    assert counts["f0006.md"].words == 1 and plain["f0006.md"].words == 2


def test_verbatim_summary_refuses_front_matter(F, tmp_path):
    with pytest.raises(ValueError):
        F.audit(str(tmp_path), verbatim_summary=True, skip_front_matter=True)
