"""Pure-Python twin of the compress module: the executable specification.

gzip goes through the standard library's zlib module (the same zlib the library
links).  The LZ4 frame format is implemented here from its specification
(lz4_Frame_format.md and lz4_Block_format.md): xxHash32 for the header and content
checksums, a block decoder that checks every bound, and a simple greedy block
encoder (one hash table of 4-byte sequences, no chains).  It is slow, and every
level maps to the same encoder: the bytes it writes differ from liblz4's, but the
frames are valid and decode to the same content everywhere.

Errors mirror src/compress/compress.cpp word for word, in the same order of checks
(liblz4's order for frame headers and blocks), so that bad input gives the same
exception and message on every backend.
"""

from __future__ import annotations

import os
import struct
import zlib

from ._errors import EBUFFER, ECORRUPT, EIO, EOVERFLOW, error_for_status
from ._output_file import OutputFile

FORMATS = ("lz4", "gzip")
_LEVELS = {"lz4": (-65537, 12, 0), "gzip": (0, 9, 6)}

LZ4_MAGIC = 0x184D2204
_BLOCK = 4 << 20  # the block size written (block size id 7)
_HEADER_MAX = 19
_ZCHUNK = 1 << 20
_FILE_IN = 1 << 20

_P1, _P2, _P3, _P4, _P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
_M32 = 0xFFFFFFFF


def levels(fmt):
    """(min, max, default) level of a format."""
    return _LEVELS[fmt]


def compress_bound(n, fmt):
    """Restates compress.cpp's bound()."""
    if fmt == "lz4":
        blocks = -(-n // _BLOCK)
        bound = n + _HEADER_MAX + 4 * blocks + 8
    else:
        bound = n + (n >> 12) + (n >> 14) + (n >> 25) + 13 + 18
    if bound >= 1 << 64:
        raise _err(EOVERFLOW, "argument 'n' is %d; the bound would exceed SIZE_MAX" % n)
    return bound


def _err(status, message):
    return error_for_status(status, message)


# --- xxHash32 ------------------------------------------------------------------------

def _rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & _M32


class XXH32:
    """Streaming xxHash32 (seed 0)."""

    def __init__(self, seed=0):
        self.v = [(seed + _P1 + _P2) & _M32, (seed + _P2) & _M32, seed, (seed - _P1) & _M32]
        self.seed = seed
        self.total = 0
        self.buf = b""

    def update(self, data):
        data = self.buf + bytes(data)
        self.total += len(data) - len(self.buf)
        n16 = len(data) & ~15
        if n16:
            v1, v2, v3, v4 = self.v
            words = struct.unpack("<%dI" % (n16 // 4), data[:n16])
            for i in range(0, len(words), 4):
                v1 = (((v1 + words[i] * _P2) & _M32) << 13 | ((v1 + words[i] * _P2) & _M32) >> 19) & _M32
                v1 = (v1 * _P1) & _M32
                v2 = (((v2 + words[i + 1] * _P2) & _M32) << 13 | ((v2 + words[i + 1] * _P2) & _M32) >> 19) & _M32
                v2 = (v2 * _P1) & _M32
                v3 = (((v3 + words[i + 2] * _P2) & _M32) << 13 | ((v3 + words[i + 2] * _P2) & _M32) >> 19) & _M32
                v3 = (v3 * _P1) & _M32
                v4 = (((v4 + words[i + 3] * _P2) & _M32) << 13 | ((v4 + words[i + 3] * _P2) & _M32) >> 19) & _M32
                v4 = (v4 * _P1) & _M32
            self.v = [v1, v2, v3, v4]
        self.buf = data[n16:]
        return self

    def digest(self):
        if self.total >= 16:
            v1, v2, v3, v4 = self.v
            h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _M32
        else:
            h = (self.seed + _P5) & _M32
        h = (h + self.total) & _M32
        rest = self.buf
        i = 0
        while i + 4 <= len(rest):
            (w,) = struct.unpack_from("<I", rest, i)
            h = (_rotl((h + w * _P3) & _M32, 17) * _P4) & _M32
            i += 4
        while i < len(rest):
            h = (_rotl((h + rest[i] * _P5) & _M32, 11) * _P1) & _M32
            i += 1
        h ^= h >> 15
        h = (h * _P2) & _M32
        h ^= h >> 13
        h = (h * _P3) & _M32
        h ^= h >> 16
        return h


def xxh32(data, seed=0):
    return XXH32(seed).update(data).digest()


# --- LZ4 block encoder ---------------------------------------------------------------

def _length_bytes(n, out):
    while n >= 255:
        out.append(255)
        n -= 255
    out.append(n)


def encode_block(src):
    """One LZ4 block of src (bytes): greedy matches found through a hash table of the
    4-byte sequence at each position; the end-of-block rules are kept (the last 5
    bytes are literals, no match starts in the last 12)."""
    n = len(src)
    out = bytearray()
    anchor = 0
    if n >= 13:
        mflimit = n - 12
        matchlimit = n - 5
        table = {}
        i = 0
        misses = 0
        while i < mflimit:
            key = src[i:i + 4]
            ref = table.get(key)
            table[key] = i
            if ref is None or i - ref > 65535:
                misses += 1
                i += 1 + (misses >> 6)
                continue
            misses = 0
            m, r = i + 4, ref + 4
            while m + 32 <= matchlimit and src[m:m + 32] == src[r:r + 32]:
                m += 32
                r += 32
            while m < matchlimit and src[m] == src[r]:
                m += 1
                r += 1
            while i > anchor and ref > 0 and src[i - 1] == src[ref - 1]:
                i -= 1
                ref -= 1
            lit = i - anchor
            ml = m - i - 4
            out.append((min(lit, 15) << 4) | min(ml, 15))
            if lit >= 15:
                _length_bytes(lit - 15, out)
            out += src[anchor:i]
            out += (i - ref).to_bytes(2, "little")
            if ml >= 15:
                _length_bytes(ml - 15, out)
            anchor = i = m
    lit = n - anchor
    out.append(min(lit, 15) << 4)
    if lit >= 15:
        _length_bytes(lit - 15, out)
    out += src[anchor:]
    return out


def _frame_header(content_size):
    flg = 0x40 | 0x20 | 0x04 | (0x08 if content_size else 0)
    desc = bytes((flg, 0x70)) + (struct.pack("<Q", content_size) if content_size else b"")
    return struct.pack("<I", LZ4_MAGIC) + desc + bytes(((xxh32(desc) >> 8) & 0xFF,))


def _frame_block(chunk):
    enc = encode_block(chunk)
    if len(enc) >= len(chunk):
        return struct.pack("<I", len(chunk) | 0x80000000) + chunk
    return struct.pack("<I", len(enc)) + bytes(enc)


def lz4_compress(data):
    data = bytes(data)
    out = bytearray(_frame_header(len(data)))
    for pos in range(0, len(data), _BLOCK):
        out += _frame_block(data[pos:pos + _BLOCK])
    out += struct.pack("<II", 0, xxh32(data))
    return bytes(out)


def gzip_compress(data, level):
    z = zlib.compressobj(level, zlib.DEFLATED, 31, 8, zlib.Z_DEFAULT_STRATEGY)
    return z.compress(data) + z.flush()


# --- decoding ------------------------------------------------------------------------

def _truncated(kind):
    return _err(ECORRUPT, "truncated input: the %s ends early"
                % ("LZ4 frame" if kind == "lz4" else "gzip member"))


def _corrupt_lz4(text):
    return _err(ECORRUPT, "corrupt LZ4 frame: %s" % text)


def _dst_full(cap, needed=0):
    if needed:
        return _err(EBUFFER, "dst holds %d bytes; the input decompresses to %d" % (cap, needed))
    return _err(EBUFFER, "dst holds %d bytes; the input decompresses to more" % cap)


def _empty():
    return _err(ECORRUPT, "input is empty; expected an LZ4 frame or a gzip member")


def detect(src, pos, first):
    """"lz4" or "gzip" for the frame at src[pos:] (see compress.cpp detect())."""
    rem = len(src) - pos
    head = bytes(src[pos:pos + 4])
    if rem >= 2 and head[0] == 0x1F and head[1] == 0x8B:
        return "gzip"
    if rem >= 4:
        (m,) = struct.unpack("<I", head)
        if m == LZ4_MAGIC or (m & 0xFFFFFFF0) == 0x184D2A50:
            return "lz4"
    elif b"\x04\x22\x4d\x18".startswith(head) or head == b"\x1f":
        raise _err(ECORRUPT, "truncated input: the frame header is incomplete")
    if not first:
        raise _err(ECORRUPT, "trailing data after the last frame (%d bytes)" % rem)
    raise _err(ECORRUPT, "unknown format: input starts with %s; expected an LZ4 frame "
               "(04 22 4d 18) or a gzip member (1f 8b)" % " ".join("%02x" % b for b in head))


def lz4_max_expansion(n):
    return n * 256


def _declared_size(src, pos):
    rem = len(src) - pos
    if rem < 14 or struct.unpack_from("<I", src, pos)[0] != LZ4_MAGIC or not src[pos + 4] & 0x08:
        return 0
    return struct.unpack_from("<Q", src, pos + 6)[0]


def check_claim(src, pos, out, cap):
    claim = _declared_size(src, pos)
    if not claim:
        return
    rem = len(src) - pos
    if claim > lz4_max_expansion(rem):
        raise _corrupt_lz4("the header claims %d bytes, more than %d input bytes can hold"
                           % (claim, rem))
    if claim > cap - out:
        raise _dst_full(cap, out + claim)


def _parse_header(src, pos):
    """liblz4's header checks, in its order.  Returns (header length, flags dict)."""
    rem = len(src) - pos
    if rem < 7:
        raise _truncated("lz4")
    flg = src[pos + 4]
    if flg & 0x02:
        raise _corrupt_lz4("reserved bit set")
    if flg >> 6 != 1:
        raise _corrupt_lz4("unsupported version")
    size = 7 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0)
    if rem < size:
        raise _truncated("lz4")
    bd = src[pos + 5]
    if bd & 0x80:
        raise _corrupt_lz4("reserved bit set")
    block_id = (bd >> 4) & 7
    if block_id < 4:
        raise _corrupt_lz4("invalid block size")
    if bd & 0x0F:
        raise _corrupt_lz4("reserved bit set")
    if src[pos + size - 1] != (xxh32(bytes(src[pos + 4:pos + size - 1])) >> 8) & 0xFF:
        raise _corrupt_lz4("header checksum mismatch")
    info = {
        "linked": not flg & 0x20,
        "block_checksum": bool(flg & 0x10),
        "content_checksum": bool(flg & 0x04),
        "content_size": struct.unpack_from("<Q", src, pos + 6)[0] if flg & 0x08 else None,
        "block_max": 1 << (8 + 2 * block_id),
    }
    return size, info


def decode_block(src, start, end, out, base, cap):
    """Appends the block src[start:end] to out (a bytearray).  out[base:] is this
    block's output; out[:base] its dictionary (previous output of a linked frame, the
    caller keeps at most 64 KiB of it reachable).  cap: the frame's block size, the
    capacity liblz4 decodes a block into.  Raises "invalid block data" on any
    violation of the block format (liblz4's LZ4_decompress_safe rules)."""
    ip = start
    limit = base + cap  # out index bound
    if ip >= end:
        raise _corrupt_lz4("invalid block data")
    while True:
        token = src[ip]
        ip += 1
        lit = token >> 4
        if lit == 15:
            while True:
                if ip >= end:
                    raise _corrupt_lz4("invalid block data")
                b = src[ip]
                ip += 1
                lit += b
                if b != 255:
                    break
        op = len(out)
        if op + lit > limit - 12 or ip + lit > end - 8:
            if ip + lit != end or op + lit > limit:
                raise _corrupt_lz4("invalid block data")
            out += src[ip:end]
            return
        out += src[ip:ip + lit]
        ip += lit
        offset = src[ip] | src[ip + 1] << 8
        ip += 2
        ml = token & 15
        if ml == 15:
            while True:
                if ip > end - 5:
                    raise _corrupt_lz4("invalid block data")
                b = src[ip]
                ip += 1
                ml += b
                if b != 255:
                    break
        ml += 4
        op = len(out)
        if offset > op:  # op counts the dictionary too
            raise _corrupt_lz4("invalid block data")
        if op + ml > limit - 5:
            raise _corrupt_lz4("invalid block data")
        m = op - offset
        if offset == 0:
            # liblz4 (1.9.4) accepts offset 0 and writes zeros there: so do we.
            out += bytes(ml)
        elif offset >= ml:
            out += out[m:m + ml]
        else:
            pattern = out[m:op]
            reps, rest = divmod(ml, offset)
            out += pattern * reps + pattern[:rest]


def lz4_frame(src, pos, out, cap):
    """Decodes the LZ4 (or skippable) frame at src[pos:], appending to out (whose
    length may not pass cap); returns the position after the frame."""
    n = len(src)
    (magic,) = struct.unpack_from("<I", src, pos)
    if magic != LZ4_MAGIC:  # skippable
        if n - pos < 8:
            raise _truncated("lz4")
        size = struct.unpack_from("<I", src, pos + 4)[0]
        if n - pos - 8 < size:
            raise _truncated("lz4")
        return pos + 8 + size
    hsize, info = _parse_header(src, pos)
    q = pos + hsize
    frame_start = len(out)
    block_max = info["block_max"]
    crc = 4 if info["block_checksum"] else 0
    hasher = XXH32() if info["content_checksum"] else None
    while True:
        if n - q < 4:
            raise _truncated("lz4")
        (header,) = struct.unpack_from("<I", src, q)
        q += 4
        if header == 0:
            break
        size = header & 0x7FFFFFFF
        if size > block_max:
            raise _corrupt_lz4("invalid block size")
        if n - q < size + crc:
            raise _truncated("lz4")
        block = src[q:q + size]
        if crc and not header & 0x80000000:
            if struct.unpack_from("<I", src, q + size)[0] != xxh32(block):
                raise _corrupt_lz4("block checksum mismatch")
        start = len(out)
        if header & 0x80000000:
            data = block
        else:
            # Linked blocks see up to 64 KiB of the frame's earlier output.
            dict_len = min(start - frame_start, 65536) if info["linked"] else 0
            tmp = bytearray(out[start - dict_len:start])
            decode_block(src, q, q + size, tmp, dict_len, block_max)
            data = tmp[dict_len:]
        if (info["content_size"] is not None
                and start - frame_start + len(data) > info["content_size"]):
            raise _corrupt_lz4("content size mismatch")
        if start + len(data) > cap:
            raise _dst_full(cap)
        out += data
        if crc and header & 0x80000000:
            if struct.unpack_from("<I", src, q + size)[0] != xxh32(block):
                raise _corrupt_lz4("block checksum mismatch")
        if hasher is not None:
            hasher.update(out[start:])
        q += size + crc
    if info["content_size"] is not None and len(out) - frame_start != info["content_size"]:
        raise _corrupt_lz4("content size mismatch")
    if hasher is not None:
        if n - q < 4:
            raise _truncated("lz4")
        if struct.unpack_from("<I", src, q)[0] != hasher.digest():
            raise _corrupt_lz4("content checksum mismatch")
        q += 4
    return q


def _zlib_message(exc):
    text = str(exc)
    cut = text.find("decompressing data: ")
    return text[cut + len("decompressing data: "):] if cut >= 0 else text


_GZIP_PIECE = 8 << 20


def gzip_member(src, pos, out, cap):
    """Decodes the gzip member at src[pos:] into out (up to cap bytes); returns the
    position after it."""
    d = zlib.decompressobj(31)
    data = memoryview(src)[pos:]
    try:
        while True:
            room = cap - len(out)
            # Bounded pieces: out grows with the output, never by a copy of all of it.
            want = min(room, _GZIP_PIECE)
            if room:
                chunk = d.decompress(data, want)
                out += chunk
                if d.eof:
                    return len(src) - len(d.unused_data)
                data = d.unconsumed_tail
            else:
                chunk = b""
            if room and len(chunk) == want and len(out) < cap:
                continue  # zlib may hold more output without more input
            if len(out) == cap:
                # Full: does the member hold more output?  (It may end with no
                # room left: the trailer needs none.)
                more = d.decompress(data, 1)
                if more:
                    raise _dst_full(cap)
                if d.eof:
                    return len(src) - len(d.unused_data)
                data = d.unconsumed_tail
                if not data:
                    raise _truncated("gzip")
                continue
            if not data:
                raise _truncated("gzip")
    except zlib.error as exc:
        raise _err(ECORRUPT, "corrupt gzip member: %s" % _zlib_message(exc)) from None


def decompress_into(src, cap):
    """The decoded content of src (bytes-like) as a bytearray of at most cap bytes."""
    n = len(src)
    if n == 0:
        raise _empty()
    out = bytearray()
    pos = 0
    while pos < n:
        kind = detect(src, pos, pos == 0)
        if kind == "lz4":
            check_claim(src, pos, len(out), cap)
            pos = lz4_frame(src, pos, out, cap)
        else:
            pos = gzip_member(src, pos, out, cap)
    return out


def content_size(src):
    """The total size the LZ4 headers declare, None when unknown (see compress.cpp)."""
    n = len(src)
    if n == 0:
        raise _empty()
    pos = 0
    total = 0
    while pos < n:
        if detect(src, pos, pos == 0) == "gzip":
            return None
        (magic,) = struct.unpack_from("<I", src, pos)
        if magic != LZ4_MAGIC:
            if n - pos < 8:
                raise _truncated("lz4")
            skip = 8 + struct.unpack_from("<I", src, pos + 4)[0]
            if skip > n - pos:
                raise _truncated("lz4")
            pos += skip
            continue
        # LZ4F_getFrameInfo wants the whole header before it checks the flags.
        if n - pos < 7:
            raise _truncated("lz4")
        flg = src[pos + 4]
        if n - pos < 7 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0):
            raise _truncated("lz4")
        hsize, info = _parse_header(src, pos)
        if not info["content_size"]:
            return None
        check_claim(src, pos, 0, float("inf"))
        total += info["content_size"]
        q = pos + hsize
        bsum = 4 if info["block_checksum"] else 0
        while True:
            if n - q < 4:
                raise _truncated("lz4")
            (b,) = struct.unpack_from("<I", src, q)
            q += 4
            if b == 0:
                break
            length = (b & 0x7FFFFFFF) + bsum
            if length > n - q:
                raise _truncated("lz4")
            q += length
        csum = 4 if info["content_checksum"] else 0
        if n - q < csum:
            raise _truncated("lz4")
        pos = q + csum
    if total >= 1 << 64:
        return None
    return total


# --- files ---------------------------------------------------------------------------

def _io(what, path, exc):
    return error_for_status(EIO, "cannot %s '%s': %s"
                            % (what, os.fsdecode(path), os.strerror(exc.errno)),
                            exc.errno, path)


class _Reader:
    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise _io("open", path, exc) from None
        st = os.fstat(self.fd)
        import stat
        self.mode = st.st_mode
        self.size = st.st_size if stat.S_ISREG(st.st_mode) else 0

    def read(self, n):
        parts = []
        got = 0
        while got < n:
            try:
                chunk = os.read(self.fd, n - got)
            except OSError as exc:
                raise _io("read", self.path, exc) from None
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def close(self):
        os.close(self.fd)


def compress_file(fmt, level, src_path, dst_path):
    reader = _Reader(src_path)
    try:
        out = OutputFile(dst_path, reader.mode)
        try:
            if fmt == "lz4":
                out.write(_frame_header(reader.size))
                hasher = XXH32()
                total = 0
                while True:
                    chunk = reader.read(_BLOCK)
                    if chunk:
                        hasher.update(chunk)
                        total += len(chunk)
                        out.write(_frame_block(chunk))
                    if len(chunk) < _BLOCK:
                        break
                if reader.size and total != reader.size:
                    raise error_for_status(EIO, "cannot read '%s': the file changed size while "
                                           "it was read" % os.fsdecode(src_path), 0, src_path)
                out.write(struct.pack("<II", 0, hasher.digest()))
            else:
                z = zlib.compressobj(level, zlib.DEFLATED, 31, 8, zlib.Z_DEFAULT_STRATEGY)
                while True:
                    chunk = reader.read(_FILE_IN)
                    out.write(z.compress(chunk))
                    if len(chunk) < _FILE_IN:
                        break
                out.write(z.flush())
            return out.commit()
        finally:
            out.abort()
    finally:
        reader.close()


def decompress_file(src_path, dst_path):
    reader = _Reader(src_path)
    try:
        out = OutputFile(dst_path, reader.mode)
        try:
            _decompress_stream(reader, out)
            return out.commit()
        finally:
            out.abort()
    finally:
        reader.close()


def _decompress_stream(reader, out):
    """Frame by frame: the input is read in chunks; an LZ4 frame is decoded block by
    block (each block needs at most its own 4 MiB, so memory stays bounded), a gzip
    member through a zlib stream."""
    buf = bytearray()
    eof = False
    first = True

    def fill(need):
        nonlocal eof
        while len(buf) < need and not eof:
            chunk = reader.read(_FILE_IN)
            buf.extend(chunk)
            if len(chunk) < _FILE_IN:
                eof = True
        return len(buf) >= need

    while True:
        fill(4)
        if not buf:
            if first:
                raise _empty()
            return
        kind = detect(buf, 0, first)
        first = False
        if kind == "gzip":
            d = zlib.decompressobj(31)
            try:
                while True:
                    data = bytes(buf)
                    del buf[:]
                    while True:
                        chunk = d.decompress(data, _BLOCK)
                        out.write(chunk)
                        data = d.unconsumed_tail
                        # A full chunk may leave output inside zlib with no input left.
                        if d.eof or (not data and len(chunk) < _BLOCK):
                            break
                    if d.eof:
                        buf[:0] = d.unused_data
                        break
                    if eof:
                        raise _truncated("gzip")
                    fill(1)
            except zlib.error as exc:
                raise _err(ECORRUPT, "corrupt gzip member: %s" % _zlib_message(exc)) from None
            continue
        # LZ4: bring in the header, then one block at a time.
        (magic,) = struct.unpack_from("<I", buf, 0)
        if magic != LZ4_MAGIC:
            if not fill(8):
                raise _truncated("lz4")
            skip = 8 + struct.unpack_from("<I", buf, 4)[0]
            while skip:
                fill(1)
                if not buf:
                    raise _truncated("lz4")
                k = min(skip, len(buf))
                del buf[:k]
                skip -= k
            continue
        fill(_HEADER_MAX)
        hsize, info = _parse_header(buf, 0)
        del buf[:hsize]
        crc = 4 if info["block_checksum"] else 0
        hasher = XXH32() if info["content_checksum"] else None
        history = bytearray()
        produced = 0
        while True:
            if not fill(4):
                raise _truncated("lz4")
            (header,) = struct.unpack_from("<I", buf, 0)
            if header == 0:
                del buf[:4]
                break
            size = header & 0x7FFFFFFF
            if size > info["block_max"]:
                raise _corrupt_lz4("invalid block size")
            if not fill(4 + size + crc):
                raise _truncated("lz4")
            block = bytes(buf[4:4 + size])
            if crc and not header & 0x80000000:
                if struct.unpack_from("<I", buf, 4 + size)[0] != xxh32(block):
                    raise _corrupt_lz4("block checksum mismatch")
            if header & 0x80000000:
                data = block
            else:
                dict_len = len(history) if info["linked"] else 0
                tmp = bytearray(history) if dict_len else bytearray()
                decode_block(buf, 4, 4 + size, tmp, dict_len, info["block_max"])
                data = bytes(tmp[dict_len:])
            if crc and header & 0x80000000:
                if struct.unpack_from("<I", buf, 4 + size)[0] != xxh32(block):
                    raise _corrupt_lz4("block checksum mismatch")
            del buf[:4 + size + crc]
            produced += len(data)
            if info["content_size"] is not None and produced > info["content_size"]:
                raise _corrupt_lz4("content size mismatch")
            out.write(data)
            if hasher is not None:
                hasher.update(data)
            if info["linked"]:
                history = (history + data)[-65536:]
        if info["content_size"] is not None and produced != info["content_size"]:
            raise _corrupt_lz4("content size mismatch")
        if hasher is not None:
            if not fill(4):
                raise _truncated("lz4")
            if struct.unpack_from("<I", buf, 0)[0] != hasher.digest():
                raise _corrupt_lz4("content checksum mismatch")
            del buf[:4]
