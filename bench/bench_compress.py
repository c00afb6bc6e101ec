#!/usr/bin/env python3
"""Compression against its peers, as ratios measured side by side in one run.

    python3 bench/bench_compress.py [--quick] [--repeat N] [--out FILE]

Data: mixed text generated here (Markdown notes, prose, code-like lines, numbers), 64 MiB
in memory and a 256 MiB file, in a temporary folder (--quick: 16 MiB and 48 MiB).

Rows:
  * LZ4 buffer compression and decompression: hotpath (ctypes, cffi; its default thread
    count, and one thread) against python-lz4's lz4.frame at the same frame settings (4 MiB independent blocks, content checksum,
    content size, level 0), so both write frames of the same ratio; python-lz4's default
    settings (64 KiB linked blocks) as an extra row;
  * file compression and decompression: hotpath's compress_file / decompress_file against
    the lz4 tool (`lz4 -q -f in out`, its defaults: 4 MiB independent blocks, content
    checksum) and, as extra rows, gzip -6 against the gzip tool.

Every time is the median of the repeats, taken in turns; every output is checked to
decode to the input first.  The markdown table goes to bench/results/<date>-compress.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

from hotpath import compress  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (cpu_name, fmt_time, load_backends, timed_interleaved,  # noqa: E402
                      use_backend, write_report)

try:
    import lz4
    import lz4.frame as lz4f
except ImportError:
    lz4f = None

MB = 1 << 20

WORDS = ("memory agent note decision context session result the of and to in is for with "
         "on that this as from by compression frame block file index search summary task "
         "pattern solution approach learned outcome next error fix insight consolidation "
         "archive long short term thread pool buffer cache query vector embedding model "
         "token budget plan review merge branch commit test bench release").split()


def text_lines(rng, count):
    """Distinct realistic lines: prose, Markdown, code-like lines, numbers."""
    lines = []
    for i in range(count):
        kind = rng.random()
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16)))
        if kind < 0.40:
            line = words.capitalize() + "."
        elif kind < 0.55:
            line = "#" * rng.randint(1, 3) + " " + words.title()
        elif kind < 0.70:
            line = "- [%s] %s" % (rng.choice(" x"), words)
        elif kind < 0.85:
            name = "_".join(rng.sample(WORDS, 2))
            line = "    %s = %s(%d, %r)  # %s" % (name, rng.choice(WORDS), rng.randint(0, 9999),
                                                 rng.choice(WORDS), rng.choice(WORDS))
        else:
            line = "| %d | %.3f | %s | %d |" % (i, rng.random() * 1000, rng.choice(WORDS),
                                               rng.randint(0, 10 ** 6))
        lines.append(line)
    return lines


def mixed_text(rng, size, lines):
    """size bytes of lines drawn at random (a realistic mix of repeats and new text)."""
    parts = []
    total = 0
    while total < size:
        chunk = "\n".join(rng.choices(lines, k=20000)).encode() + b"\n"
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)[:size]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_to(cmd, path, stdin_path=None):
    with open(path, "wb") as out:
        if stdin_path is None:
            subprocess.run(cmd, check=True, stdout=out)
        else:
            with open(stdin_path, "rb") as inp:
                subprocess.run(cmd, check=True, stdout=out, stdin=inp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller data, fewer repeats")
    ap.add_argument("--repeat", type=int, default=None, help="repeats per row (default 5, quick 3)")
    ap.add_argument("--out", help="markdown output file")
    args = ap.parse_args()
    repeat = args.repeat or (3 if args.quick else 5)
    buf_size = 16 * MB if args.quick else 64 * MB
    file_size = 48 * MB if args.quick else 256 * MB

    backends, _ = load_backends()
    rng = random.Random(11)
    lines = text_lines(rng, 200000)
    data = mixed_text(rng, buf_size, lines)

    today = datetime.date.today().isoformat()
    lines_out = []
    out = lines_out.append
    out("# Compression benchmark, %s" % today)
    out("")
    out("CPU: %s; Python %s; python-lz4 %s (liblz4 %s); %s; %s; medians of %d repeats, "
        "taken in turns." % (
            cpu_name(), platform.python_version(),
            getattr(lz4, "__version__", "?") if lz4f else "not installed",
            lz4.library_version_string() if lz4f else "-",
            subprocess.run(["lz4", "--version"], capture_output=True, text=True).stdout.strip()
            .split(",")[0].strip("* ") if shutil.which("lz4") else "no lz4 tool",
            "gzip " + subprocess.run(["gzip", "--version"], capture_output=True, text=True)
            .stdout.split()[1] if shutil.which("gzip") else "no gzip tool", repeat))
    out("Throughput in MB/s of uncompressed data (1 MB = 10^6 bytes); ratio = the peer's "
        "time / hotpath's time (higher = hotpath faster); size ratio = input / output.")
    out("")

    # --- buffers -------------------------------------------------------------------
    out("## LZ4 buffers: %d MiB of mixed text" % (buf_size // MB))
    out("")
    out("| operation | path | MB/s | size ratio | time | vs python-lz4 (same settings) |")
    out("|---|---|---|---|---|---|")
    funcs, labels, ratios = [], [], []
    if lz4f is not None:
        same = dict(block_size=lz4f.BLOCKSIZE_MAX4MB, block_linked=False,
                    content_checksum=True, store_size=True, compression_level=0)
        z_peer = lz4f.compress(data, **same)
        funcs.append(lambda: lz4f.compress(data, **same))
        labels.append("python-lz4 lz4.frame.compress (same settings)")
        ratios.append(len(data) / len(z_peer))
        z_default = lz4f.compress(data)
        funcs.append(lambda: lz4f.compress(data))
        labels.append("python-lz4 lz4.frame.compress (its defaults: 64 KiB linked blocks)")
        ratios.append(len(data) / len(z_default))
    for name, backend in backends.items():
        use_backend(backend)
        f = compress.compress
        z = f(data)
        if compress.decompress(z) != data or (lz4f and lz4f.decompress(z) != data):
            sys.exit("hotpath %s: the LZ4 round trip failed" % name)
        funcs.append(lambda f=f: f(data))
        labels.append("hotpath %s compress (%d threads)" % (name, backend.get_num_threads()))
        ratios.append(len(data) / len(z))
        if backend.get_num_threads() > 1:
            def one_thread(f=f, backend=backend):
                backend.set_num_threads(1)
                try:
                    return f(data)
                finally:
                    backend.set_num_threads(0)
            funcs.append(one_thread)
            labels.append("hotpath %s compress (1 thread)" % name)
            ratios.append(len(data) / len(z))
    times = timed_interleaved(funcs, repeat, min_time=0)
    base = times[0] if lz4f is not None else None
    for label, t, r in zip(labels, times, ratios):
        out("| compress | %s | %.0f | %.3f | %s | %s |" % (
            label, len(data) / t / 1e6, r, fmt_time(t),
            "%.2fx" % (base / t) if base and "hotpath" in label else "-"))

    z = compress.compress(data)
    funcs, labels = [], []
    if lz4f is not None:
        funcs.append(lambda: lz4f.decompress(z))
        labels.append("python-lz4 lz4.frame.decompress")
    for name, backend in backends.items():
        use_backend(backend)
        f = compress.decompress
        funcs.append(lambda f=f: f(z))
        labels.append("hotpath %s decompress" % name)
    times = timed_interleaved(funcs, repeat, min_time=0)
    base = times[0] if lz4f is not None else None
    for label, t in zip(labels, times):
        out("| decompress | %s | %.0f | - | %s | %s |" % (
            label, len(data) / t / 1e6, fmt_time(t),
            "%.2fx" % (base / t) if base and "hotpath" in label else "-"))
    out("")

    # --- files ---------------------------------------------------------------------
    use_backend(next(iter(backends.values())))
    with tempfile.TemporaryDirectory(prefix="hotpath-bench-compress-") as tmp:
        src = os.path.join(tmp, "mixed.txt")
        with open(src, "wb") as f:
            written = 0
            while written < file_size:
                chunk = mixed_text(rng, min(32 * MB, file_size - written), lines)
                f.write(chunk)
                written += len(chunk)
        out("## Files: %d MiB of mixed text (page cache warm)" % (file_size // MB))
        out("")
        out("| format | operation | path | MB/s | size ratio | time | vs the tool |")
        out("|---|---|---|---|---|---|---|")
        for fmt, tool in (("lz4", "lz4"), ("gzip", "gzip")):
            if shutil.which(tool) is None:
                out("| %s | - | %s tool not installed | | | | |" % (fmt, tool))
                continue
            ours = os.path.join(tmp, "ours." + fmt)
            theirs = os.path.join(tmp, "theirs." + fmt)
            back_ours = os.path.join(tmp, "back_ours")
            back_theirs = os.path.join(tmp, "back_theirs")
            if fmt == "lz4":
                peer_c = lambda: run(["lz4", "-q", "-f", src, theirs])  # noqa: E731
                peer_d = lambda: run(["lz4", "-d", "-q", "-f", theirs, back_theirs])  # noqa: E731
                peer_c_label, peer_d_label = "lz4 -q -f in out", "lz4 -d -q -f in out"
            else:
                peer_c = lambda: run_to(["gzip", "-c", "-6", src], theirs)  # noqa: E731
                peer_d = lambda: run_to(["gzip", "-d", "-c", theirs], back_theirs)  # noqa: E731
                peer_c_label, peer_d_label = "gzip -c -6 in > out", "gzip -d -c in > out"
            ours_c = lambda: compress.compress_file(src, ours, fmt)  # noqa: E731
            ours_d = lambda: compress.decompress_file(ours, back_ours)  # noqa: E731
            peer_c()
            ours_c()
            peer_d()
            ours_d()
            # Both directions checked: the tool reads ours and we read the tool's.
            check = os.path.join(tmp, "check")
            if fmt == "lz4":
                run(["lz4", "-d", "-q", "-f", ours, check])
            else:
                run_to(["gzip", "-d", "-c", ours], check)
            compress.decompress_file(theirs, os.path.join(tmp, "check2"))
            for path in (back_ours, back_theirs, check, os.path.join(tmp, "check2")):
                if not same_file(path, src):
                    sys.exit("%s: %s differs from the input" % (fmt, path))
            os.remove(check)
            os.remove(os.path.join(tmp, "check2"))
            rounds = max(2, repeat - 2) if fmt == "gzip" else repeat
            tc = timed_interleaved([peer_c, ours_c], rounds, min_time=0)
            td = timed_interleaved([peer_d, ours_d], rounds, min_time=0)
            size_ours = os.path.getsize(ours)
            size_theirs = os.path.getsize(theirs)
            for op, label, t, size, base in (
                    ("compress", peer_c_label, tc[0], size_theirs, None),
                    ("compress", "hotpath compress_file", tc[1], size_ours, tc[0]),
                    ("decompress", peer_d_label, td[0], None, None),
                    ("decompress", "hotpath decompress_file", td[1], None, td[0])):
                out("| %s | %s | %s | %.0f | %s | %s | %s |" % (
                    fmt, op, label, file_size / t / 1e6,
                    "%.3f" % (file_size / size) if size else "-", fmt_time(t),
                    "%.2fx" % (base / t) if base else "-"))
            for p in (ours, theirs, back_ours, back_theirs):
                os.remove(p)
    out("")
    out("hotpath compresses a buffer of several 4 MiB blocks on its thread pool (the frame "
        "is byte for byte the single-threaded one); the 1-thread row compares like with like. "
        "Files stream on one thread.  The tools run as separate processes, so their rows "
        "include process start-up (a few ms).")
    write_report(lines_out, args.out, "%s-compress.md" % today)


def same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x = fa.read(MB)
            y = fb.read(MB)
            if x != y:
                return False
            if not x:
                return True


if __name__ == "__main__":
    main()
