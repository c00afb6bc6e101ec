"""hotpath.compress on every backend: round trips, real peers (python-lz4, the lz4 and
gzip tools), sizes from the headers, bad input, short buffers, hostile headers, files.

Golden values come from the peers (they must read what we write and we must read what
they write) and from the specifications (frame layout, an independent xxHash32 here).
"""
import array
import gzip
import os
import random
import shutil
import struct
import subprocess
import zlib

import pytest

from hotpath import HotpathError, HotpathTypeError, HotpathValueError

KB = 1024
MB = 1024 * KB


@pytest.fixture(scope="module")
def Z():
    from hotpath import compress
    return compress


@pytest.fixture(scope="module")
def slow_twin():
    """True on the pure-Python backend, whose LZ4 encoder is slow: big sizes shrink."""
    import hotpath
    return hotpath.backend_info()["backend"] == "python"


def xxh32_reference(data, seed=0):
    """xxHash32 written from its specification, simply (independent of the twin)."""
    p1, p2, p3, p4, p5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
    m = 0xFFFFFFFF
    rotl = lambda x, r: ((x << r) | (x >> (32 - r))) & m  # noqa: E731
    n = len(data)
    i = 0
    if n >= 16:
        v = [(seed + p1 + p2) & m, (seed + p2) & m, seed, (seed - p1) & m]
        while i + 16 <= n:
            for k in range(4):
                w = int.from_bytes(data[i + 4 * k:i + 4 * k + 4], "little")
                v[k] = (rotl((v[k] + w * p2) & m, 13) * p1) & m
            i += 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & m
    else:
        h = (seed + p5) & m
    h = (h + n) & m
    while i + 4 <= n:
        h = (rotl((h + int.from_bytes(data[i:i + 4], "little") * p3) & m, 17) * p4) & m
        i += 4
    while i < n:
        h = (rotl((h + data[i] * p5) & m, 11) * p1) & m
        i += 1
    h ^= h >> 15
    h = (h * p2) & m
    h ^= h >> 13
    h = (h * p3) & m
    h ^= h >> 16
    return h


def text_data(n, seed=1):
    rng = random.Random(seed)
    words = ["memory", "agent", "the", "of", "## Notes", "- [ ] task", "def f(x):", "return",
             "2026-11-25", "42", "lz4", "frame", "and", "\n", "consolidation", "`code`"]
    parts = []
    size = 0
    while size <= n:
        w = rng.choice(words)
        parts.append(w)
        size += len(w) + 1
    return " ".join(parts).encode()[:n]


def noise(n, seed=2):
    return random.Random(seed).getrandbits(8 * n).to_bytes(n, "little") if n else b""


def lz4_header(flg, bd, content_size=None):
    desc = bytes((flg, bd)) + (struct.pack("<Q", content_size) if content_size is not None else b"")
    return b"\x04\x22\x4d\x18" + desc + bytes(((xxh32_reference(desc) >> 8) & 0xFF,))


# --- formats, levels, bounds ---------------------------------------------------------

def test_formats_and_levels(Z):
    assert Z.FORMATS == ("lz4", "gzip")
    assert Z.levels("gzip") == (0, 9, 6)
    lo, hi, default = Z.levels("lz4")
    assert lo < 0 and hi == 12 and default == 0
    with pytest.raises(HotpathValueError, match="expected 'lz4' or 'gzip'"):
        Z.levels("zstd")
    with pytest.raises(HotpathTypeError):
        Z.compress(b"x", format=1)
    for fmt, bad in (("gzip", 10), ("gzip", -1), ("lz4", 13)):
        with pytest.raises(HotpathValueError, match="argument 'level' is %d" % bad):
            Z.compress(b"x", fmt, bad)
    with pytest.raises(HotpathTypeError):
        Z.compress(b"x", "gzip", 1.5)


@pytest.mark.parametrize("n", [0, 1, 100, 64 * KB, 4 * MB - 1, 4 * MB, 4 * MB + 1, 10 ** 12])
def test_compress_bound_formulas(Z, n):
    blocks = -(-n // (4 * MB))
    assert Z.compress_bound(n, "lz4") == n + 19 + 4 * blocks + 8
    # zlib's compressBound plus the gzip wrapper, with room to spare.
    zb = n + (n >> 12) + (n >> 14) + (n >> 25) + 13
    assert Z.compress_bound(n, "gzip") >= zb + 12
    with pytest.raises(HotpathValueError):
        Z.compress_bound(-1)


def test_compress_bound_overflow_is_an_error(Z, is_native):
    if not is_native:
        pytest.skip("the twin's integers do not overflow")
    with pytest.raises(HotpathValueError) as info:
        Z.compress_bound(2 ** 64 - 1, "lz4")
    assert info.value.status_name == "EOVERFLOW"


# --- round trips ---------------------------------------------------------------------

SIZES = [0, 1, 2, 15, 64 * KB - 1, 64 * KB, 64 * KB + 1, 4 * MB - 1, 4 * MB, 4 * MB + 1]
LEVELS = {"lz4": [None, -10, 1, 3, 9], "gzip": [None, 0, 1, 9]}


@pytest.mark.parametrize("fmt", ["lz4", "gzip"])
@pytest.mark.parametrize("kind", ["text", "noise", "repeat"])
def test_round_trips(Z, fmt, kind, slow_twin):
    for n in SIZES:
        big = n > 64 * KB + 1
        if slow_twin and fmt == "lz4" and big and (kind != "repeat" or n != 4 * MB + 1):
            continue  # the twin's encoder is slow: 4 MiB + 1 on repetitive data only
        data = {"text": text_data, "noise": noise, "repeat": lambda n: b"ab" * (n // 2) + b"a" * (n % 2)}[kind](n)
        for level in LEVELS[fmt]:
            if big and (level == 9 or (slow_twin and level is not None)):
                continue
            z = Z.compress(data, fmt, level)
            assert len(z) <= Z.compress_bound(n, fmt)
            assert Z.decompress(z) == data, (fmt, kind, n, level)
            if fmt == "lz4":
                assert z[:4] == b"\x04\x22\x4d\x18"
                assert struct.unpack("<I", z[-4:])[0] == xxh32_reference(data) if n < 70000 else True
                assert Z.decompressed_size(z) == (n if n else None)
            else:
                assert z[:3] == b"\x1f\x8b\x08"
                assert zlib.decompress(z, 31) == data
                assert Z.decompressed_size(z) is None


def test_into_caller_buffers_of_every_kind(Z, np):
    data = text_data(100000)
    for fmt in Z.FORMATS:
        dst = bytearray(Z.compress_bound(len(data), fmt))
        n = Z.compress_into(memoryview(data), dst, fmt)
        z = bytes(dst[:n])
        out = array.array("B", bytes(len(data)))
        assert Z.decompress_into(z, out) == len(data)
        assert out.tobytes() == data
        arr = np.zeros(len(data) + 10, dtype=np.uint8)
        assert Z.decompress_into(np.frombuffer(z, dtype=np.uint8), arr) == len(data)
        assert arr[:len(data)].tobytes() == data
        # A readonly source view that is not bytes itself.
        assert Z.decompress(memoryview(bytearray(z)).toreadonly()) == data
    with pytest.raises(HotpathTypeError, match="read-only"):
        Z.decompress_into(Z.compress(data), bytes(len(data)))
    with pytest.raises(HotpathTypeError, match="str"):
        Z.compress("text")
    with pytest.raises(HotpathTypeError):
        Z.compress(12)


def test_short_buffers_give_ebuffer(Z):
    data = text_data(100000)
    with pytest.raises(HotpathValueError, match="compress_bound") as info:
        Z.compress_into(data, bytearray(Z.compress_bound(len(data)) - 1))
    assert info.value.status_name == "EBUFFER"
    for fmt in Z.FORMATS:
        z = Z.compress(data, fmt)
        with pytest.raises(HotpathValueError) as info:
            Z.decompress_into(z, bytearray(len(data) - 1))
        assert info.value.status_name == "EBUFFER"
        if fmt == "lz4":
            assert "decompresses to 100000" in str(info.value)
        buf = bytearray(len(data))
        assert Z.decompress_into(z, buf) == len(data) and buf == data


def test_max_size(Z):
    data = text_data(300000)
    for fmt in Z.FORMATS:
        z = Z.compress(data, fmt)
        assert Z.decompress(z, max_size=len(data)) == data
        with pytest.raises(HotpathValueError) as info:
            Z.decompress(z, max_size=len(data) - 1)
        assert info.value.status_name == "EBUFFER"
        assert "max_size" in str(info.value)


def test_decompress_grows_when_the_size_is_unknown(Z):
    pytest.importorskip("lz4.frame")
    import lz4.frame
    data = b"A" * (3 * MB) + text_data(50000)  # 60x more than the input's first guess
    z = lz4.frame.compress(data, store_size=False)
    assert Z.decompressed_size(z) is None
    assert Z.decompress(z) == data
    g = gzip.compress(data)
    assert Z.decompress(g) == data


# --- peers ---------------------------------------------------------------------------

def test_python_lz4_reads_ours_and_we_read_every_python_lz4_setting(Z, slow_twin):
    lz4f = pytest.importorskip("lz4.frame")
    data = text_data(300000 if slow_twin else 3 * MB) + noise(70000)
    small = data[:150000]
    for level in (None, 3):
        assert lz4f.decompress(Z.compress(small if slow_twin else data, "lz4", level)) == (
            small if slow_twin else data)
    sizes = [lz4f.BLOCKSIZE_MAX64KB, lz4f.BLOCKSIZE_MAX256KB, lz4f.BLOCKSIZE_MAX1MB,
             lz4f.BLOCKSIZE_MAX4MB]
    for block_size in sizes:
        for linked in (True, False):
            for checksums in (False, True):
                for store in (True, False):
                    z = lz4f.compress(data, block_size=block_size, block_linked=linked,
                                      content_checksum=checksums, block_checksum=checksums,
                                      store_size=store, compression_level=0 if linked else 9)
                    assert Z.decompress(z) == data
                    assert Z.decompressed_size(z) == (len(data) if store else None)
    # The content checksum we write is xxHash32 of the content (python-lz4 agrees).
    z = lz4f.compress(small, content_checksum=True)
    assert struct.unpack("<I", z[-4:])[0] == xxh32_reference(small)


@pytest.mark.parametrize("level", [None, -5, 3])
def test_frames_are_byte_identical_to_liblz4_at_any_thread_count(Z, hp, native_only, level):
    """Big buffers are compressed block by block on the thread pool: the frame must be
    the very one liblz4's frame compressor writes (python-lz4 at the same settings)."""
    lz4f = pytest.importorskip("lz4.frame")
    data = text_data(9 * MB + 17) if level != 3 else text_data(4 * MB + 1)
    data = data[:len(data) // 2] + noise(300000) + data[len(data) // 2:]
    peer = lz4f.compress(data, block_size=lz4f.BLOCKSIZE_MAX4MB, block_linked=False,
                         content_checksum=True, store_size=True,
                         compression_level=0 if level is None else level)
    before = hp.get_num_threads()
    try:
        for threads in (1, 2, 3):
            hp.set_num_threads(threads)
            assert Z.compress(data, "lz4", level) == peer, threads
    finally:
        hp.set_num_threads(before)


def test_skippable_and_concatenated_frames(Z):
    a, b, c = text_data(5000, 1), text_data(80000, 2), noise(300)
    skip = struct.pack("<II", 0x184D2A5F, 5) + b"hello"
    blob = Z.compress(a) + skip + Z.compress(b, "gzip") + Z.compress(c, "lz4", 9)
    assert Z.decompress(blob) == a + b + c
    assert Z.decompressed_size(blob) is None
    assert Z.decompressed_size(Z.compress(a) + skip + Z.compress(c)) == len(a) + len(c)
    with pytest.raises(HotpathValueError, match="trailing data after the last frame"):
        Z.decompress(Z.compress(a) + b"\0\0\0\0\0")


@pytest.mark.skipif(shutil.which("lz4") is None, reason="the lz4 tool is not installed")
def test_lz4_tool_both_ways(Z, tmp_path, slow_twin):
    data = text_data(200000 if slow_twin else 5 * MB) + noise(10000)
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    ours = tmp_path / "ours.lz4"
    assert Z.compress_file(src, ours) == ours.stat().st_size
    out = subprocess.run(["lz4", "-d", "-c", str(ours)], check=True, capture_output=True).stdout
    assert out == data
    theirs = tmp_path / "theirs.lz4"
    for flags in ([], ["-9"], ["-BD", "-B4"], ["--content-size", "-BX"]):
        subprocess.run(["lz4", "-q", "-f"] + flags + [str(src), str(theirs)], check=True)
        assert Z.decompress(theirs.read_bytes()) == data
        back = tmp_path / "back.txt"
        assert Z.decompress_file(theirs, back) == len(data)
        assert back.read_bytes() == data
    # Frames concatenated by cat: the lz4 tool reads them, and so do we.
    both = tmp_path / "both.lz4"
    both.write_bytes(ours.read_bytes() + theirs.read_bytes())
    out = subprocess.run(["lz4", "-d", "-c", str(both)], check=True, capture_output=True).stdout
    assert out == data + data
    assert Z.decompress(both.read_bytes()) == data + data


@pytest.mark.skipif(shutil.which("gzip") is None, reason="the gzip tool is not installed")
def test_gzip_tool_both_ways(Z, tmp_path):
    data = text_data(3 * MB)
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    ours = tmp_path / "ours.gz"
    assert Z.compress_file(src, ours, "gzip", 1) == ours.stat().st_size
    assert subprocess.run(["gzip", "-d", "-c", str(ours)], check=True,
                          capture_output=True).stdout == data
    assert subprocess.run(["gzip", "-d", "-c"], input=Z.compress(data, "gzip"), check=True,
                          capture_output=True).stdout == data
    theirs = subprocess.run(["gzip", "-c", "-9"], input=data, check=True, capture_output=True).stdout
    assert Z.decompress(theirs) == data
    cat = theirs + gzip.compress(b"tail")
    assert Z.decompress(cat) == data + b"tail"
    (tmp_path / "cat.gz").write_bytes(cat)
    assert Z.decompress_file(tmp_path / "cat.gz", tmp_path / "cat") == len(data) + 4


# --- bad input -----------------------------------------------------------------------

def test_hostile_content_size_is_refused_without_allocating(Z):
    # A valid header (checksum right) that claims 1 TB, then one small raw block.
    frame = lz4_header(0x68, 0x70, 1 << 40) + struct.pack("<I", 0x80000004) + b"abcd" + b"\0" * 4
    for call in (Z.decompress, Z.decompressed_size,
                 lambda f: Z.decompress_into(f, bytearray(1 << 20))):
        with pytest.raises(HotpathValueError, match="claims 1099511627776 bytes") as info:
            call(frame)
        assert info.value.status_name == "ECORRUPT"
    # A plausible claim that does not match the content.
    frame = lz4_header(0x68, 0x70, 10) + struct.pack("<I", 0x80000004) + b"abcd" + b"\0" * 4
    with pytest.raises(HotpathValueError, match="content size mismatch"):
        Z.decompress(frame)


def test_unknown_empty_and_truncated(Z):
    with pytest.raises(HotpathValueError, match="unknown format: input starts with 68 65 6c 6c") as info:
        Z.decompress(b"hello")
    assert info.value.status_name == "ECORRUPT"
    with pytest.raises(HotpathValueError, match="input is empty"):
        Z.decompress(b"")
    data = text_data(20000)
    for fmt in Z.FORMATS:
        z = Z.compress(data, fmt)
        for cut in list(range(0, 40)) + list(range(len(z) - 12, len(z))):
            with pytest.raises(HotpathValueError) as info:
                Z.decompress(z[:cut])
            assert info.value.status_name == "ECORRUPT", (fmt, cut, str(info.value))


HEADER_CASES = {
    "reserved FLG bit": (0x62, 0x70, "reserved bit set"),
    "version 2": (0xA0, 0x70, "unsupported version"),
    "block size id 3": (0x60, 0x30, "invalid block size"),
    "reserved BD bits": (0x60, 0x71, "reserved bit set"),
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_bad_headers(Z, case):
    flg, bd, message = HEADER_CASES[case]
    frame = lz4_header(flg, bd) + b"\0\0\0\0"
    with pytest.raises(HotpathValueError, match=message):
        Z.decompress(frame)


def test_checksums_are_checked(Z):
    data = text_data(50000)
    z = bytearray(Z.compress(data))
    z[6] ^= 1  # header checksum byte (no content size? FLG says size: byte 14)
    with pytest.raises(HotpathValueError, match="corrupt LZ4 frame"):
        Z.decompress(bytes(z))
    z = bytearray(Z.compress(data))
    z[-1] ^= 0xFF
    with pytest.raises(HotpathValueError, match="content checksum mismatch"):
        Z.decompress(bytes(z))
    g = bytearray(Z.compress(data, "gzip"))
    g[-8] ^= 0xFF
    with pytest.raises(HotpathValueError, match="corrupt gzip member: incorrect data check"):
        Z.decompress(bytes(g))


def test_random_corruption_never_crashes(Z, slow_twin):
    data = text_data(30000)
    rng = random.Random(7)
    for fmt in Z.FORMATS:
        z = Z.compress(data, fmt)
        for _ in range(40 if slow_twin else 300):
            bad = bytearray(z)
            for _ in range(rng.randint(1, 3)):
                bad[rng.randrange(len(bad))] = rng.randrange(256)
            try:
                out = Z.decompress(bytes(bad))
            except HotpathError as exc:
                assert exc.status_name in ("ECORRUPT", "EBUFFER", "EUNSUPPORTED")
            else:
                assert out == data  # only bytes no checksum covers (gzip MTIME, OS)


def test_native_and_twin_agree_on_errors(Z, native_only):
    """The same bad input gives the same status and message on both paths."""
    from hotpath import _compress_py as py
    data = text_data(20000)
    rng = random.Random(3)
    cases = [b"", b"hello", b"\x04\x22", b"\x1f", lz4_header(0x62, 0x70) + b"\0" * 4,
             lz4_header(0x68, 0x70, 1 << 40) + b"\0" * 8, lz4_header(0x6A, 0x70, 5)[:10],
             lz4_header(0x6A, 0x70, 5)[:14] + b"\0"]
    for fmt in Z.FORMATS:
        z = Z.compress(data, fmt)
        cases += [z[:k] for k in (5, 7, 12, 20, len(z) // 2, len(z) - 1)]
        cases.append(z + b"junk")
        for _ in range(60):
            bad = bytearray(z)
            bad[rng.randrange(len(bad))] ^= 1 << rng.randrange(8)
            cases.append(bytes(bad))
    for case in cases:
        native = twin = None
        try:
            Z.decompressed_size(case)
        except HotpathError as exc:
            native = (exc.status_name, str(exc))
        try:
            py.content_size(case)
        except HotpathError as exc:
            twin = (exc.status_name, str(exc))
        assert native == twin, (case[:16], native, twin)
        for cap in (len(data), len(data) // 2):
            native = twin = None
            try:
                Z.decompress_into(case, bytearray(cap))
            except HotpathError as exc:
                native = (exc.status_name, str(exc))
            try:
                py.decompress_into(case, cap)
            except HotpathError as exc:
                twin = (exc.status_name, str(exc))
            if native is None or twin is None:
                assert native == twin, case[:16]
            else:
                assert native[0] == twin[0], (case[:16], native, twin)
                if "invalid block data" not in native[1] + twin[1]:
                    assert native[1] == twin[1], (case[:16], native, twin)


# --- files ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["lz4", "gzip"])
def test_file_round_trip_streams_big_files(Z, tmp_path, fmt, slow_twin):
    n = (4 * MB + 12345) if slow_twin else 20 * MB  # more than every internal buffer
    data = (text_data(1 * MB) * 20)[:n]
    src = tmp_path / "big.txt"
    src.write_bytes(data)
    os.chmod(src, 0o640)
    dst = tmp_path / "big.z"
    written = Z.compress_file(str(src), str(dst), fmt)
    assert written == dst.stat().st_size
    assert dst.stat().st_mode & 0o777 == 0o640
    blob = dst.read_bytes()
    if fmt == "gzip":
        assert gzip.decompress(blob) == data
    else:
        assert Z.decompressed_size(blob) == n
    back = tmp_path / "back.txt"
    assert Z.decompress_file(os.fsencode(dst), back) == n
    assert back.read_bytes() == data
    assert sorted(os.listdir(tmp_path)) == ["back.txt", "big.txt", "big.z"]


def test_failures_leave_no_destination_and_no_temp_file(Z, tmp_path):
    data = text_data(300000)
    for fmt in Z.FORMATS:
        z = bytearray(Z.compress(data, fmt))
        z[len(z) // 2] ^= 0x40
        bad = tmp_path / ("bad." + fmt)
        bad.write_bytes(bytes(z))
        keep = tmp_path / "keep.txt"
        keep.write_bytes(b"keep me")
        before = sorted(os.listdir(tmp_path))
        with pytest.raises(HotpathValueError) as info:
            Z.decompress_file(bad, keep)
        assert info.value.status_name == "ECORRUPT"
        assert keep.read_bytes() == b"keep me"
        assert sorted(os.listdir(tmp_path)) == before
        short = tmp_path / "short"
        short.write_bytes(Z.compress(data, fmt)[:-5])
        with pytest.raises(HotpathValueError, match="truncated"):
            Z.decompress_file(short, tmp_path / "new.txt")
        assert not (tmp_path / "new.txt").exists()
        assert sorted(os.listdir(tmp_path)) == sorted(before + ["short"])
        short.unlink()


def test_file_errors(Z, tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"x" * 1000)
    with pytest.raises(HotpathError, match="cannot open '.*missing': No such file or directory") as info:
        Z.compress_file(tmp_path / "missing", tmp_path / "o")
    assert info.value.status_name == "EIO"
    with pytest.raises(HotpathError, match="No such file or directory") as info:
        Z.compress_file(src, tmp_path / "nodir" / "o")
    assert info.value.status_name == "EIO"
    with pytest.raises(HotpathError, match="Is a directory"):
        Z.compress_file(tmp_path, tmp_path / "o")
    assert not (tmp_path / "o").exists()
    with pytest.raises(HotpathValueError, match="NUL"):
        Z.compress_file("a\0b", tmp_path / "o")
    with pytest.raises(HotpathTypeError):
        Z.decompress_file(3, tmp_path / "o")
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(HotpathValueError, match="input is empty"):
        Z.decompress_file(tmp_path / "empty", tmp_path / "o")
    for fmt in Z.FORMATS:
        assert Z.compress_file(tmp_path / "empty", tmp_path / "e.z", fmt) > 0
        assert Z.decompress_file(tmp_path / "e.z", tmp_path / "e") == 0
        assert (tmp_path / "e").read_bytes() == b""
    assert sorted(os.listdir(tmp_path)) == ["e", "e.z", "empty", "in.txt"]


def test_results_are_ordinary_bytes_objects(Z):
    """compress/decompress build their bytes in place: the objects must be sound."""
    import gc
    import sys
    for n in (0, 1, 5, 1000, 100000):
        data = text_data(n)
        for fmt in Z.FORMATS:
            for _ in range(50):
                z = Z.compress(data, fmt)
                back = Z.decompress(z)
            assert type(z) is bytes and type(back) is bytes
            assert sys.getrefcount(z) == 2 and (not n or sys.getrefcount(back) == 2)
            assert back == data and hash(back) == hash(bytes(data))
            assert z == bytes(bytearray(z)) and len(z) == len(bytes(z))
    gc.collect()


def test_stats_count_calls(Z, hp):
    hp.reset_stats()
    Z.decompress(Z.compress(b"abc" * 100))
    s = hp.stats()
    assert s["native_calls"] + s["fallback_calls"] >= 2


def test_gil_is_released_during_compression(Z, hp, native_only):
    """Another Python thread runs while a long compression and a long decompression
    run natively (see test_gil for the method: a 5 s switch interval)."""
    import sys
    import time
    from test_gil import _main_thread_progresses
    data = text_data(4 * MB)
    hp.set_num_threads(1)
    before = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    try:
        while True:
            t0 = time.perf_counter()
            z = Z.compress(data, "gzip", 6)
            if time.perf_counter() - t0 >= 0.1 or len(data) >= 64 * MB:
                break
            data = data * 2
        _main_thread_progresses(lambda: Z.compress(data, "gzip", 6))
        _main_thread_progresses(lambda: Z.decompress(z) and Z.decompress(z))
    finally:
        sys.setswitchinterval(before)
        hp.set_num_threads(0)
