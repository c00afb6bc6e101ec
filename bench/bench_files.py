#!/usr/bin/env python3
"""Directory audit against its peers, as ratios measured side by side in one run.

    python3 bench/bench_files.py [--quick] [--files N] [--repeat R] [--out FILE]

Data: a tree of 100,000 small Markdown-ish text files (--quick: 5,000) in nested
folders (a mix of wide and deep), a tenth of them not .md, generated under a temporary
folder (removed afterwards) with random.Random(42), then synced to disk.  The page
cache is warmed by one untimed pass of every path first.

Paths, timed in turns (every repeat runs each path once):
  * hotpath.files.audit through ctypes and cffi (records materialised as a list), and
    through ctypes without building the records, and on 1 thread;
  * the pure-Python backend (hotpath's twin: os.scandir + read + count);
  * a plain Python loop: os.walk + read + splitlines/split (what a script would do);
  * `rg --files -g '*.md' | xargs wc -lw` (Debian ripgrep and coreutils), run in the
    tree's root through /bin/sh;
  * the floor: bench/audit_floor.c, compiled here with the system C compiler, walks the
    same tree, opens, reads and closes every .md file and counts lines and words with
    the audit's rules, and nothing else (plain syscalls, and io_uring when liburing is
    installed; 1 and 2 threads).  Its time is the one it reports (from opening the
    root to the last thread's exit), not the process start.

Every path must find the same number of .md files, and the floor the same line and word
totals as the audit.  Files/s and the ratios go to
bench/results/<date>-files.md (or --out).
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

import hotpath  # noqa: E402
from hotpath import _files_py, files  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_name, fmt_time, load_backends, use_backend, write_report  # noqa: E402

WORDS = ("memory", "agent", "context", "retrieval", "the", "a", "of", "and", "to", "in",
         "session", "index", "vector", "summary", "decision", "pattern", "cache", "file",
         "learned", "outcome", "next", "step", "error", "fix", "tree", "audit", "token",
         "graph", "node", "edge", "query", "result", "score", "batch", "thread", "pool")


def paragraph(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def document(rng):
    parts = ["# %s %s" % (rng.choice(WORDS).title(), rng.choice(WORDS)), ""]
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.3:
            parts += ["## %s" % paragraph(rng, 3), ""]
        for _ in range(rng.randint(1, 6)):
            parts.append(paragraph(rng, rng.randint(4, 14)))
        if rng.random() < 0.4:
            parts += ["", "- %s" % paragraph(rng, 5), "- %s" % paragraph(rng, 6)]
        parts.append("")
    return "\n".join(parts) + ("\n" if rng.random() < 0.9 else "")


def folders(rng, count):
    """count folder paths: 10 wide top folders, each a mix of wide levels and deep
    chains (up to 10 levels)."""
    out = []
    for top in range(10):
        for sub in range(10):
            base = "area%02d/topic%02d" % (top, sub)
            out.append(base)
            depth = rng.randint(1, 8)
            path = base
            for level in range(depth):
                path += "/level%d_%d" % (level, rng.randint(0, 2))
                out.append(path)
    out = sorted(set(out))
    while len(out) < count:
        out.append("%s/extra%03d" % (rng.choice(out), len(out)))
    return out[:count]


def make_tree(root, n_files, seed=42):
    rng = random.Random(seed)
    dirs = folders(rng, max(10, n_files // 60))
    for d in dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    md = 0
    for i in range(n_files):
        d = dirs[i % len(dirs)]
        ext = ".md" if rng.random() < 0.9 else rng.choice((".txt", ".py", ".json"))
        md += ext == ".md"
        with open(os.path.join(root, d, "note_%06d%s" % (i, ext)), "w") as f:
            f.write(document(rng))
    return md


def plain_python(root):
    """The script a user would write: os.walk + read + splitlines."""
    out = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if fnmatch.fnmatch(name, "*.md"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    data = f.read()
                text = data.decode("utf-8", "replace")
                out.append((path, len(data), len(text.splitlines()), len(text.split())))
    return out


def rg_wc(root):
    run = subprocess.run("rg --files -g '*.md' | xargs wc -lw", shell=True, cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return run.stdout


def rg_count(output):
    lines = output.decode().splitlines()
    return sum(1 for line in lines if not line.rstrip().endswith(" total"))


def build_floor(folder):
    """Compiles bench/audit_floor.c; returns {io: executable} (empty without a C compiler)."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return {}
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit_floor.c")
    built = {}
    for io, extra in (("plain", []), ("uring", ["-DFLOOR_URING"])):
        exe = os.path.join(folder, "audit_floor_" + io)
        cmd = [cc, "-O2", "-std=c11", *extra, source, "-o", exe, "-lpthread"]
        if io == "uring":
            cmd.append("-luring")
        if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
            continue
        built[io] = exe
    return built


class Floor:
    """One configuration of the floor program; run() gives its counts, and the seconds
    it reports for one walk."""

    def __init__(self, exe, io, threads, root):
        self.cmd = [exe, "--io", io, "--threads", str(threads), "--ext", "md", root]

    def run(self):
        out = subprocess.run(self.cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        fields = dict(item.split("=") for item in out.split())
        return {k: (float(v) if k == "seconds" else int(v)) for k, v in fields.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 files, 3 repeats")
    parser.add_argument("--files", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--out", default=None)
    opts = parser.parse_args()
    n_files = opts.files or (5_000 if opts.quick else 100_000)
    repeat = opts.repeat or (3 if opts.quick else 5)

    native, python = load_backends()
    have_rg = shutil.which("rg") is not None and shutil.which("wc") is not None
    tmp = tempfile.mkdtemp(prefix="hotpath-bench-files-")
    os.mkdir(tmp + ".floor")
    try:
        print("generating %d files under %s ..." % (n_files, tmp), file=sys.stderr)
        md = make_tree(tmp, n_files)
        # Write the new files back now, so that write-back does not run during timing.
        if hasattr(os, "sync"):
            os.sync()

        def audit_with(backend):
            def run():
                use_backend(backend)
                return list(files.audit(tmp))
            return run

        def audit_lazy(backend):
            def run():
                use_backend(backend)
                return files.audit(tmp)
            return run

        paths = [("hotpath %s" % name, audit_with(b)) for name, b in native.items()]
        first = next(iter(native.values()))
        paths.append(("hotpath %s, records not built" % first.name, audit_lazy(first)))
        threads_default = hotpath.get_num_threads()

        def one_thread():
            use_backend(first)
            hotpath.set_num_threads(1)
            try:
                return list(files.audit(tmp))
            finally:
                hotpath.set_num_threads(threads_default)

        if threads_default > 1:
            paths.append(("hotpath %s, 1 thread" % first.name, one_thread))
        paths.append(("pure-Python backend (twin)", lambda: list(_files_py.audit(tmp))))
        paths.append(("os.walk + read + splitlines", lambda: plain_python(tmp)))
        if have_rg:
            paths.append(("rg --files -g '*.md' | xargs wc -lw", lambda: rg_wc(tmp)))
        floors = []
        for io, exe in sorted(build_floor(tmp + ".floor").items()):
            for n in sorted({1, max(1, threads_default)}):
                floors.append(("floor: C walk + open/read/close + count, %s, %d thread%s"
                               % ("io_uring" if io == "uring" else "plain syscalls", n,
                                  "" if n == 1 else "s"), Floor(exe, io, n, tmp)))

        # Warm the cache and check that every path sees the same files.
        for label, func in paths:
            out = func()
            found = (rg_count(out) if isinstance(out, bytes)
                     else len(out) if not isinstance(out, files.AuditResult)
                     else out.total_files)
            if found != md:
                sys.exit("%s found %d .md files, expected %d" % (label, found, md))
        twin = _files_py.audit(tmp)
        use_backend(first)
        records = list(files.audit(tmp))
        if records != list(twin):
            sys.exit("native and pure-Python records differ")
        want = (md, sum(r.lines for r in records), sum(r.words for r in records))
        for label, floor in floors:
            got = floor.run()
            if (got["files"], got["lines"], got["words"]) != want:
                sys.exit("%s counted files, lines, words %r; the audit %r"
                         % (label, (got["files"], got["lines"], got["words"]), want))

        # One walk per path per repeat, in turns; the floor's walks are timed by itself.
        samples = [[] for _ in range(len(paths) + len(floors))]
        for _ in range(repeat):
            for out, (_, func) in zip(samples, paths):
                t0 = time.perf_counter()
                func()
                out.append(time.perf_counter() - t0)
            for out, (_, floor) in zip(samples[len(paths):], floors):
                out.append(floor.run()["seconds"])
        times = [statistics.median(x) for x in samples]
        paths += floors
        use_backend(first)
        threads = hotpath.get_num_threads()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmp + ".floor", ignore_errors=True)

    by_label = dict(zip((label for label, _ in paths), times))
    best_native = min(by_label["hotpath %s" % name] for name in native)
    twin_time = by_label["pure-Python backend (twin)"]
    rg_time = by_label.get("rg --files -g '*.md' | xargs wc -lw")
    lines = [
        "# Directory audit benchmark, %s" % datetime.date.today().isoformat(), "",
        "CPU: %s, %d hotpath threads; Python %s; medians of %d interleaved repeats; "
        "warm page cache." % (cpu_name(), threads, platform.python_version(), repeat),
        "Tree: %d files (%d .md) in nested folders, generated under a temporary folder."
        % (n_files, md), "",
        "| path | time | .md files/s | time / best native hotpath |",
        "|---|---|---|---|",
    ]
    for label, t in zip((label for label, _ in paths), times):
        lines.append("| %s | %s | %.0f | %.1fx |" % (label, fmt_time(t), md / t, t / best_native))
    lines.append("")
    lines.append("Best native vs pure-Python backend: %.1fx." % (twin_time / best_native))
    if rg_time is not None:
        lines.append("Best native vs rg | xargs wc: %.1fx." % (rg_time / best_native))
    floor_times = [t for (label, _), t in zip(paths, times) if label.startswith("floor")]
    if floor_times:
        floor_time = min(floor_times)
        lazy_time = by_label["hotpath %s, records not built" % first.name]
        lines.append("Best native vs the fastest floor: %.2fx its time with records built, "
                     "%.2fx without." % (best_native / floor_time, lazy_time / floor_time))
    lines.append("")
    write_report(lines, opts.out, "%s-files%s.md" % (datetime.date.today().isoformat(),
                                                    "-quick" if opts.quick else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
