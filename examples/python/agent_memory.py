#!/usr/bin/env python3
"""Look after an agent's Markdown memory folder: audit it, find near-duplicate and old
memories, pick the memories worth keeping, and archive the folder as an LZ4 file.
It builds a small folder in a temporary directory, so it runs anywhere, on whichever
backend hotpath loads.

    PYTHONPATH=bindings-python python3 examples/python/agent_memory.py
"""

import os
import tempfile
import time

import hotpath
from hotpath import compress, files, memory

MEMORIES = {
    "20260110_090000_cache-decision.md": (
        "Cache decision", "cache, decision", 3,
        "We chose a write-through cache for the orders service.\n"
        "We learned that invalidation must follow the database commit.\n"
        "Outcome: the hit rate reached 93 percent.\n"),
    "20260111_100000_cache-decision-copy.md": (
        "Cache decision", "cache, decision", 2,
        "We chose a write-through cache for the orders service.\n"
        "We learned that invalidation must follow the database commit.\n"
        "Outcome: the hit rate reached 93 percent.\n"),
    "20251001_080000_old-build-note.md": (
        "Build flags", "build", 50,
        "The release build uses -O2 and keeps frame pointers.\n"),
}

FRONT = "---\ntitle: {title}\ncreated: {created}\ntags: {tags}\n---\n"


def make_folder(root):
    folder = os.path.join(root, "memory", "short_term")
    os.makedirs(folder)
    now = time.time()
    for name, (title, tags, age_days, body) in MEMORIES.items():
        path = os.path.join(folder, name)
        created = "%s-%s-%sT%s:%s:00" % (name[0:4], name[4:6], name[6:8], name[9:11], name[11:13])
        with open(path, "w") as f:
            f.write(FRONT.format(title=title, created=created, tags=tags) + body)
        stamp = now - age_days * 86400
        os.utime(path, (stamp, stamp))
    return folder


def main():
    print("hotpath %s on the %s backend" % (hotpath.__version__, hotpath.backend_info()["backend"]))
    with tempfile.TemporaryDirectory(prefix="agent-memory-") as root:
        folder = make_folder(root)

        audit = files.audit(folder, "*.md", skip_front_matter=True)
        print("audit: %d files, %d lines, %d words" % (audit.total_files, audit.total_lines,
                                                        audit.total_words))
        for info in audit:
            print("  %-42s %2d lines  %s" % (info.path, info.lines, info.summary))

        scan = memory.scan(folder, threshold_days=30, similarity_threshold=0.8)
        print("scan: %d files, %d older than 30 days, %d near-duplicate pair(s)"
              % (scan["total_files"], scan["old_memories"], scan["duplicates"]))

        report = memory.consolidate(folder, top_n=2, similarity_threshold=0.5)
        print("top memories: %s" % ", ".join(m["file"] for m in report["top"]))
        for cluster in report["clusters"]:
            print("cluster: %s + %s" % (cluster["leader"], ", ".join(cluster["members"])))

        archive = os.path.join(root, "short_term.md.lz4")
        joined = os.path.join(root, "short_term.md")
        with open(joined, "wb") as out:
            for name in sorted(MEMORIES):
                with open(os.path.join(folder, name), "rb") as f:
                    out.write(f.read())
        written = compress.compress_file(joined, archive)
        restored = os.path.join(root, "restored.md")
        back = compress.decompress_file(archive, restored)
        print("archive: %d bytes -> %d bytes (LZ4 frame), %d bytes restored"
              % (os.path.getsize(joined), written, back))


if __name__ == "__main__":
    main()
