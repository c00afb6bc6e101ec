"""No file destroyed, one exception taxonomy: the writer rule (docs/writing.md) and
the errors of docs/errors.md, on every backend.  Links, FIFOs and folders are made in
a temporary folder, never at a system path."""
import errno
import gzip
import os
import pickle
import stat

import pytest

import hotpath
from hotpath import HotpathError, HotpathOSError, HotpathValueError, compress, files, memory

DATA = b"the new content\n" * 100


def leftovers(folder):
    """Temporary files the writer may have left behind."""
    return [n for n in os.listdir(folder) if n.startswith(".") and "." in n[1:]]


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "src.txt"
    path.write_bytes(DATA)
    return path


# --- the writer rule ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["lz4", "gzip"])
def test_link_is_written_through(tmp_path, src, fmt):
    (tmp_path / "t").mkdir()
    target = tmp_path / "t" / "target"
    target.write_bytes(b"old")
    os.symlink("t/target", str(tmp_path / "link1"))        # relative, in another folder
    os.symlink(str(tmp_path / "link1"), str(tmp_path / "link2"))  # a chain
    compress.compress_file(str(src), str(tmp_path / "link2"), fmt)
    assert os.path.islink(str(tmp_path / "link2")) and os.path.islink(str(tmp_path / "link1"))
    assert compress.decompress(target.read_bytes()) == DATA
    back = tmp_path / "back"
    out = tmp_path / "t" / "out"
    out.write_bytes(b"x")
    os.symlink(str(out), str(back))
    assert compress.decompress_file(str(tmp_path / "link2"), str(back)) == len(DATA)
    assert os.path.islink(str(back)) and out.read_bytes() == DATA
    assert leftovers(str(tmp_path)) == [] and leftovers(str(tmp_path / "t")) == []


def test_new_file_gets_the_source_mode(tmp_path, src):
    os.chmod(str(src), 0o640)
    compress.compress_file(str(src), str(tmp_path / "new.lz4"))
    assert stat.S_IMODE(os.stat(str(tmp_path / "new.lz4")).st_mode) == 0o640


def test_dangling_link_is_refused(tmp_path, src):
    os.symlink("nowhere", str(tmp_path / "dangling"))
    with pytest.raises(FileNotFoundError) as info:
        compress.compress_file(str(src), str(tmp_path / "dangling"))
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == str(tmp_path / "dangling")
    assert "symbolic link to nothing" in str(info.value)
    assert not os.path.exists(str(tmp_path / "nowhere"))
    assert os.path.islink(str(tmp_path / "dangling"))


def test_fifo_and_folder_are_refused(tmp_path, src):
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    os.symlink("fifo", str(tmp_path / "to_fifo"))
    for dst in (fifo, tmp_path / "to_fifo"):
        with pytest.raises(FileExistsError) as info:
            compress.compress_file(str(src), str(dst), "gzip")
        assert "it is a FIFO; only regular files are replaced" in str(info.value)
        assert info.value.errno == errno.EEXIST and info.value.filename == str(dst)
    packed = tmp_path / "p.gz"
    compress.compress_file(str(src), str(packed), "gzip")
    with pytest.raises(FileExistsError):
        compress.decompress_file(str(packed), str(fifo))
    assert stat.S_ISFIFO(os.lstat(str(fifo)).st_mode)
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        compress.decompress_file(str(packed), str(tmp_path / "folder"))
    assert os.path.isdir(str(tmp_path / "folder"))
    assert leftovers(str(tmp_path)) == []


def test_failure_leaves_the_old_file(tmp_path):
    dst = tmp_path / "dst"
    dst.write_bytes(b"precious")
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(DATA)[:-9])  # truncated
    with pytest.raises(HotpathValueError):
        compress.decompress_file(str(bad), str(dst))
    assert dst.read_bytes() == b"precious" and leftovers(str(tmp_path)) == []
    with pytest.raises(FileNotFoundError):
        compress.compress_file(str(tmp_path / "missing"), str(dst))
    assert dst.read_bytes() == b"precious"


def test_consolidate_never_replaces(tmp_path):
    short = tmp_path / "short"
    short.mkdir()
    for i in range(2):
        (short / ("m%d.md" % i)).write_text("the same memory about the cache layer")
    out = tmp_path / "out"
    first = memory.consolidate(str(short), similarity_threshold=0.5, write_to=str(out))
    written = sorted(os.listdir(str(out)))
    assert len(written) == 1
    before = (out / written[0]).read_bytes()
    memory.consolidate(str(short), similarity_threshold=0.5, write_to=str(out))
    again = sorted(os.listdir(str(out)))
    assert len(again) == 2 and (out / written[0]).read_bytes() == before
    assert first["clusters"]
    assert leftovers(str(out)) == []


# --- the taxonomy ------------------------------------------------------------------

def test_missing_files_are_file_not_found(tmp_path):
    missing = str(tmp_path / "missing")
    calls = [lambda: compress.compress_file(missing, str(tmp_path / "o")),
             lambda: compress.decompress_file(missing, str(tmp_path / "o")),
             lambda: files.audit(missing),
             lambda: files.read_files([missing], strict=True),
             lambda: memory.scan(missing)]
    for call in calls:
        with pytest.raises(FileNotFoundError) as info:
            call()
        e = info.value
        assert isinstance(e, HotpathOSError) and isinstance(e, HotpathError)
        assert e.errno == errno.ENOENT and e.strerror == os.strerror(errno.ENOENT)
        assert e.filename == missing and e.status_name == "EIO"
        assert os.strerror(errno.ENOENT) in str(e)
        copy = pickle.loads(pickle.dumps(e))
        assert type(copy) is type(e) and str(copy) == str(e)
        assert (copy.errno, copy.filename, copy.status) == (e.errno, e.filename, e.status)


@pytest.mark.skipif(os.geteuid() == 0, reason="root opens every file")
def test_unreadable_is_permission_error(tmp_path, src):
    os.chmod(str(src), 0)
    try:
        with pytest.raises(PermissionError) as info:
            compress.compress_file(str(src), str(tmp_path / "o"))
        assert info.value.errno == errno.EACCES and info.value.filename == str(src)
    finally:
        os.chmod(str(src), 0o644)


def test_garbage_is_a_value_error():
    for data in (b"garbage", b"\x00\x01\x02\x03", b"hello world"):
        with pytest.raises(HotpathValueError) as info:
            compress.decompress(data)
        assert info.value.status_name == "ECORRUPT"
        with pytest.raises(HotpathValueError):
            compress.decompressed_size(data)


@pytest.mark.parametrize("n", [2**64, 2**64 + 5, -1, 2**100])
def test_size_arguments_range_checked(n):
    with pytest.raises(HotpathValueError, match=r"expected an integer in \[0, 2\*\*64\)"):
        compress.compress_bound(n)
    with pytest.raises(HotpathValueError, match=r"expected an integer in \[0, 2\*\*64\)"):
        compress.decompress(compress.compress(b"x"), max_size=n)


def test_largest_size_accepted():
    # 2**64 - 1 is a valid size: its bound overflows, which is an error, not a wrap.
    for fmt in ("lz4", "gzip"):
        with pytest.raises(HotpathValueError, match="the bound would exceed SIZE_MAX") as info:
            compress.compress_bound(2**64 - 1, fmt)
        assert info.value.status_name == "EOVERFLOW"
    assert compress.compress_bound(10**6) > 10**6


def test_os_error_classes():
    from hotpath import _errors as E
    cases = {errno.ENOENT: FileNotFoundError, errno.EACCES: PermissionError,
             errno.EPERM: PermissionError, errno.EEXIST: FileExistsError,
             errno.EISDIR: IsADirectoryError, errno.ENOTDIR: NotADirectoryError}
    for code, cls in cases.items():
        e = E.error_for_status(E.EIO, "cannot open 'x': " + os.strerror(code), code, "x")
        assert isinstance(e, cls) and isinstance(e, HotpathOSError) and e.errno == code
    e = E.error_for_status(E.EIO, "cannot read 'x': the file changed size", 0, "x")
    assert type(e) is HotpathOSError and e.errno is None and e.filename == "x"
    assert str(e) == "cannot read 'x': the file changed size"
    assert hotpath.HotpathOSError is HotpathOSError


# --- memory bounded by the work ------------------------------------------------------

PEAK_SCRIPT = r'''
import json, os, resource, sys, zlib
sys.path.insert(0, sys.argv[1])
import hotpath
from hotpath import compress

def bomb(mib):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = bytes(1 << 20)
    return b"".join(c.compress(zero) for _ in range(mib)) + c.flush()

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

mode, mib, limit = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = bomb(mib)
before = rss()
out = {"backend": hotpath.backend_info()["backend"], "input": len(data)}
try:
    result = compress.decompress(data, None if limit < 0 else limit)
    out["size"] = len(result)
    out["ok"] = result.count(0) == len(result)
    del result
except hotpath.HotpathValueError as exc:
    out["error"] = str(exc)
    out["status"] = exc.status_name
out["peak"] = rss() - before
print(json.dumps(out))
'''


def peak_run(tmp_path, mib, limit):
    import json
    import subprocess
    import sys
    from conftest import BINDINGS
    script = tmp_path / "peak.py"
    script.write_text(PEAK_SCRIPT)
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, str(script), str(BINDINGS), "x", str(mib), str(limit)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_gzip_bomb_refused_at_the_default_cap(tmp_path):
    # 300 MiB of zeros in a 0.3 MB member: the default cap (256 MiB) refuses it, and the
    # process never holds much more than the cap.
    got = peak_run(tmp_path, 300, -1)
    assert got["status"] == "EBUFFER"
    assert "more than max_size (268435456 bytes, the default)" in got["error"]
    assert got["input"] < 400_000
    assert got["peak"] < compress.DEFAULT_MAX_SIZE + (96 << 20), got


def test_gzip_bomb_under_a_small_cap(tmp_path):
    got = peak_run(tmp_path, 200, 16 << 20)
    assert got["status"] == "EBUFFER" and "max_size (16777216 bytes)" in got["error"]
    assert got["peak"] < (16 << 20) + (64 << 20), got


def test_output_grows_without_decoding_twice(tmp_path):
    # 160 MiB of real output: memory follows the output (grown in place on the native
    # backends; the twin's bytearray is copied once into the bytes it returns).
    got = peak_run(tmp_path, 160, 1 << 30)
    assert got["ok"] and got["size"] == 160 << 20
    factor = 1.4 if got["backend"] != "python" else 2.6
    assert got["peak"] < factor * (160 << 20), got


# --- big files are counted in pieces -------------------------------------------------

def sparse_file(path, size, writes):
    with open(path, "wb") as f:
        f.truncate(size)
        for offset, data in writes:
            f.seek(offset)
            f.write(data)


@pytest.mark.parametrize("bad", [False, True])
def test_big_file_counts_as_a_small_one(tmp_path, bad):
    from hotpath import _files_py
    mib = 1 << 20
    writes = [(0, b"First line of a big file\nwith words\n"),
              (64 * mib - 3, "é\u3000wörd\r\n".encode()),      # across the first read
              (80 * mib - 1, b"a b\x1cc\n"),
              (90 * mib - 2, "\u4e2d\u6587 x\r".encode())]
    if bad:
        writes.append((95 * mib, b"\xff bytes \x80"))
    path = tmp_path / "big.md"
    sparse_file(str(path), 100 * mib, writes)
    data = path.read_bytes()
    for unicode_counts in (False, True):
        want = _files_py.count(data, 1, 200, False, unicode_counts, False)
        (info,) = files.audit(str(tmp_path), "*.md", unicode_counts=unicode_counts)
        assert (info.size, info.lines, info.words, info.summary, info.utf8) == \
            (len(data),) + tuple(want), unicode_counts
        assert info.utf8 is (not bad)


BIG_SCRIPT = r'''
import json, os, resource, sys
sys.path.insert(0, sys.argv[1])
import hotpath
from hotpath import files
root = sys.argv[2]
with open(os.path.join(root, "huge.md"), "wb") as f:
    f.write(b"a summary line\n")
    f.truncate(1 << 30)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
(info,) = files.audit(root)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
print(json.dumps({"backend": hotpath.backend_info()["backend"], "size": info.size,
                  "lines": info.lines, "words": info.words, "summary": info.summary,
                  "peak": peak}))
'''


def test_huge_sparse_file_in_bounded_memory(tmp_path):
    import json
    import subprocess
    import sys
    from conftest import BINDINGS
    script = tmp_path / "big.py"
    script.write_text(BIG_SCRIPT)
    (tmp_path / "tree").mkdir()
    proc = subprocess.run([sys.executable, str(script), str(BINDINGS), str(tmp_path / "tree")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    # 1 GiB: one line, "a summary line" (3 words) then zeros (one word of NULs).
    assert (got["size"], got["lines"], got["words"], got["summary"]) == \
        (1 << 30, 2, 4, "a summary line")
    assert got["peak"] < 200 << 20, got


def test_proc_pseudo_files_end(tmp_path):
    # /proc/self/pagemap never ends in practice: it is refused, the audit finishes.
    if not os.path.exists("/proc/self/pagemap"):
        pytest.skip("no /proc")
    import subprocess
    import sys
    from conftest import BINDINGS
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from hotpath import files\n"
            "r = files.audit('/proc/self', '*', recursive=False)\n"
            "print(dict(r.errors).get('pagemap'))\n" % str(BINDINGS))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "a pseudo-file without a size, of 1 MiB or more"


def test_word_metrics_memory_follows_distinct_words(tmp_path):
    # "w " * 20,000,000 has one distinct word: the native word set keeps one, not
    # 20 million (the text's UTF-8 copy is the one allocation that grows with it).
    import json
    import subprocess
    import sys
    from conftest import BINDINGS
    code = ("import json, resource, sys; sys.path.insert(0, %r)\n"
            "import hotpath; from hotpath import text\n"
            "a = 'w ' * 20_000_000\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
            "j = text.jaccard(a, 'w x'); c = text.cosine(a, 'W x', case_fold=True)\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before\n"
            "print(json.dumps([hotpath.backend_info()['backend'], j, c, peak]))\n"
            % str(BINDINGS))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    backend, j, c, peak = json.loads(proc.stdout)
    assert j == 0.5 and abs(c - 0.5 ** 0.5) < 1e-12
    if backend != "python":
        # 40 MB of text: its UTF-8 copy and the folded copy, not 20 million entries.
        assert peak < 120 << 20, peak


# --- regressions ----------------------------------------------------------------------

def test_decoder_frame_ending_with_a_full_buffer():
    # The buffer fills one byte before the end of an LZ4 frame without a size.
    lz4_frame = pytest.importorskip("lz4.frame")
    for n in (65535, 65536, 65537, 65538, (4 << 20) + 1):
        data = b"a" * n
        packed = lz4_frame.compress(data, store_size=False)
        assert compress.decompress(packed) == data
        assert compress.decompress(packed + gzip.compress(b"xyz")) == data + b"xyz"


def test_gzip_member_at_a_full_buffer():
    head = gzip.compress(b"x" * 1000)
    assert compress.decompress(head + gzip.compress(b""), max_size=1000) == b"x" * 1000
    with pytest.raises(HotpathValueError) as info:
        compress.decompress(head + gzip.compress(b"y"), max_size=1000)
    assert info.value.status_name == "EBUFFER"


def test_relative_link_through_a_linked_folder(tmp_path, src, monkeypatch):
    # link_dir -> real/sub, sub/out -> ../target: ".." is resolved by the system.
    (tmp_path / "real" / "sub").mkdir(parents=True)
    os.symlink(str(tmp_path / "real" / "sub"), str(tmp_path / "link_dir"))
    os.symlink("../target", str(tmp_path / "real" / "sub" / "out"))
    (tmp_path / "real" / "target").write_bytes(b"old")
    monkeypatch.chdir(str(tmp_path))
    compress.compress_file("src.txt", "link_dir/out", "gzip")
    assert gzip.decompress((tmp_path / "real" / "target").read_bytes()) == DATA
    assert leftovers(str(tmp_path / "real")) == []
    from hotpath._output_file import OutputFile  # the twin's temporary file: beside the target
    out = OutputFile("link_dir/out")
    try:
        assert os.path.dirname(os.path.realpath(os.fsdecode(out.tmp))) == \
            os.path.realpath(str(tmp_path / "real"))
    finally:
        out.discard()


def test_long_paths_in_messages(tmp_path, src):
    name = "d" * 200
    os.symlink("t" * 200, str(tmp_path / name))
    with pytest.raises(FileNotFoundError) as info:
        compress.compress_file(str(src), str(tmp_path / name))
    # Both paths whole, on every backend.
    assert str(info.value) == "cannot write '%s': it is a symbolic link to nothing ('%s')" % (
        tmp_path / name, tmp_path / ("t" * 200))


def test_pseudo_file_rule_does_not_depend_on_earlier_reads(tmp_path):
    if not os.path.exists("/proc/kallsyms"):
        pytest.skip("no /proc/kallsyms")
    big = tmp_path / "big"
    big.write_bytes(b"x" * (17 << 20))
    alone = files.read_files(["/proc/kallsyms"])
    after = files.read_files([str(big), "/proc/kallsyms"])
    hotpath.set_num_threads(1)
    try:
        one_thread = files.read_files([str(big), "/proc/kallsyms"])
    finally:
        hotpath.set_num_threads(0)
    reason = "a pseudo-file without a size, of 1 MiB or more"
    for result in (alone, after, one_thread):
        if os.path.getsize("/proc/kallsyms") == 0 and result.errors:
            assert dict(result.errors)["/proc/kallsyms"] == reason
    assert [p for p, _ in alone.errors] == [p for p, _ in after.errors] == \
        [p for p, _ in one_thread.errors]
