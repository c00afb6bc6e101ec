"""The English corpus of bench_search.py: documentation installed by Debian packages,
split into section-sized documents, built deterministically and cached as one file.

    python3 bench/search_corpus.py [--cache DIR]     # builds (or loads) and prints the counts

Sources, each file list sorted by path:
  * linux-doc-6.1: /usr/share/doc/linux-doc-6.1/Documentation, every *.rst and *.txt
    (gzipped or not) outside translations/ (the non-English copies);
  * python3.11-doc: /usr/share/doc/python3.11/html, every *.html outside _sources/,
    _static/, _images/ and the generated index pages (genindex*, py-modindex, search),
    the main block (role="main") turned into text with html.parser;
  * manpages: /usr/share/man/man1..man8, the English pages (*.N or *.N.gz, not the
    translated trees) that have text of their own (no symlinks, no ".so" redirections,
    not the generated gcloud* reference), rendered by `man -l`, when the first two do
    not reach MIN_BYTES of text or MIN_DOCS documents.

A file is split at its section headings (reStructuredText title underlines and
overlines; <h1>-<h6>) and each section into groups of paragraphs (blank-line separated
blocks; <p>, <pre>, <li>, <dt>, <dd>... in HTML) of at least GROUP_CHARS characters,
the last group of a section taking what is left.  A document is (doc_id, title, text):
doc_id is the source path relative to /usr/share/doc (or /usr/share/man) + "#" + the
ordinal of the document in its file, title the section heading (None before the first
heading), text the paragraphs joined by blank lines.

The cache file (corpus-<VERSION>.jsonl under the cache folder) starts with a header line
(version, fingerprint of the source files' paths, sizes and mtimes, counts); it is
rebuilt when the fingerprint or the version differs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import hashlib
import html.parser
import json
import os
import re
import subprocess
import sys

VERSION = 1
GROUP_CHARS = 320           # a document is at least this long unless its section ends
MIN_BYTES = 50_000_000      # text bytes the corpus must reach
MIN_DOCS = 100_000
DOC_ROOT = "/usr/share/doc"
LINUX_ROOT = "/usr/share/doc/linux-doc-6.1/Documentation"
PYTHON_ROOT = "/usr/share/doc/python3.11/html"
MAN_ROOT = "/usr/share/man"
DEFAULT_CACHE = "/tmp/hotpath-bench-search"


# --- file lists ----------------------------------------------------------------------------

def _walk(root, keep):
    out = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = os.path.join(folder, name)
            if keep(os.path.relpath(path, root)) and os.path.isfile(path) and \
                    not os.path.islink(path):
                out.append(path)
    out.sort()
    return out


def linux_files():
    def keep(rel):
        if rel.split(os.sep, 1)[0] == "translations":
            return False
        base = rel[:-3] if rel.endswith(".gz") else rel
        return base.endswith(".rst") or base.endswith(".txt")
    return _walk(LINUX_ROOT, keep) if os.path.isdir(LINUX_ROOT) else []


def python_files():
    skip_dirs = {"_sources", "_static", "_images", "_downloads"}

    def keep(rel):
        parts = rel.split(os.sep)
        if parts[0] in skip_dirs or not rel.endswith(".html"):
            return False
        name = parts[-1]
        return not (name.startswith("genindex") or name in ("py-modindex.html", "search.html"))
    return _walk(PYTHON_ROOT, keep) if os.path.isdir(PYTHON_ROOT) else []


def man_candidates():
    """The English man pages of sections 1-8, without symlinks and without the 16,000
    generated pages of one cloud command-line tool (gcloud*), whose text is one
    template repeated."""
    out = []
    for section in range(1, 9):
        folder = os.path.join(MAN_ROOT, "man%d" % section)
        if os.path.isdir(folder):
            out.extend(_walk(folder, lambda rel: re.search(r"\.\d\w*(\.gz)?$", rel) is not None
                             and not os.path.basename(rel).startswith("gcloud")))
    out.sort()
    return out


def man_files():
    """man_candidates() less the one-line ".so" redirections to another page."""
    out = []
    for path in man_candidates():
        head = read_text(path)[:200].lstrip()
        if not (head.startswith(".so ") and len(head.splitlines()) <= 2):
            out.append(path)
    return out


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    return data.decode("utf-8", errors="replace")


# --- splitting -----------------------------------------------------------------------------

def group_paragraphs(paragraphs):
    """Groups of consecutive paragraphs of at least GROUP_CHARS characters each (the
    last takes what is left)."""
    groups, current, size = [], [], 0
    for p in paragraphs:
        current.append(p)
        size += len(p)
        if size >= GROUP_CHARS:
            groups.append("\n\n".join(current))
            current, size = [], 0
    if current:
        groups.append("\n\n".join(current))
    return groups


def documents_of_sections(source, sections):
    """sections: [(title or None, [paragraph, ...])] -> [(doc_id, title, text)]."""
    out = []
    for title, paragraphs in sections:
        paragraphs = [p for p in paragraphs if any(c.isalnum() for c in p)]
        for text in group_paragraphs(paragraphs):
            out.append(("%s#%d" % (source, len(out)), title, text))
    return out


_ADORNMENT = re.compile(r"""^([=\-~^"'`#*+:.<>_!$%&,/;?@\\|])\1{2,}\s*$""")
_LABEL = re.compile(r"^\.\.\s+(_[^:]*:|\|[^|]*\||SPDX-License-Identifier|\[[^\]]*\]\s*$|$)")


def rst_sections(text):
    """A reStructuredText (or plain text) file as [(title, [paragraph])]: a title is a
    line of text underlined (and maybe overlined) by one repeated punctuation character
    at least as long as the text, minus 2 for sloppy underlines; labels, substitution
    definitions and comment-only lines are dropped."""
    lines = text.expandtabs(8).splitlines()
    sections = [(None, [])]
    paragraph = []

    def flush():
        if paragraph:
            sections[-1][1].append("\n".join(paragraph))
            paragraph.clear()

    def heading(i):
        line = lines[i].strip()
        if not line or _ADORNMENT.match(lines[i]) or i + 1 >= len(lines):
            return False
        m = _ADORNMENT.match(lines[i + 1])
        if not m or lines[i][0].isspace():
            return False
        return len(lines[i + 1].rstrip()) >= len(line) - 2

    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if heading(i):
            flush()
            sections.append((lines[i].strip(), []))
            i += 2
            continue
        if _ADORNMENT.match(line) and i + 2 < n and heading(i + 1) and \
                lines[i + 2].strip() == line.strip():
            flush()
            sections.append((lines[i + 1].strip(), []))
            i += 3
            continue
        if not line.strip() or _ADORNMENT.match(line):
            flush()
        elif not _LABEL.match(line):
            paragraph.append(line.rstrip())
        i += 1
    flush()
    return [s for s in sections if s[1]]


class _HTMLText(html.parser.HTMLParser):
    """The text of the role="main" block of a Sphinx page: sections at <h1>-<h6>, a
    paragraph per block element, scripts, styles and permalink anchors dropped."""

    BLOCK = {"p", "div", "pre", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "thead",
             "tbody", "section", "blockquote", "hr", "br", "figure", "figcaption", "caption",
             "h1", "h2", "h3", "h4", "h5", "h6", "article", "aside", "nav", "header", "footer"}
    CELL = {"td", "th"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    SKIP = {"script", "style"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base",
            "embed", "source", "track", "param"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = [(None, [])]
        self.buf = []
        self.main_depth = 0      # open <div>s since the role="main" one (0: outside)
        self.skip = 0            # inside <script>, <style> or a headerlink anchor
        self.pre = 0
        self.heading = None      # text parts of the heading being read
        self.stack = []          # open tags that can end a skip (a, script, style)

    def flush(self):
        if self.buf:
            raw = "".join(self.buf)
            self.buf = []
            if self.pre:
                text = "\n".join(line.rstrip() for line in raw.strip("\n").splitlines())
            else:
                text = " ".join(raw.split())
            if text.strip():
                self.sections[-1][1].append(text)

    def handle_starttag(self, tag, attrs):
        if not self.main_depth:
            if tag == "div" and ("role", "main") in attrs:
                self.main_depth = 1
            return
        if tag == "div":
            self.main_depth += 1
        if tag in self.SKIP or (tag == "a" and ("class", "headerlink") in attrs):
            self.skip += 1
            self.stack.append((tag, True))
            return
        if tag == "a" or tag in self.SKIP:
            self.stack.append((tag, False))
        if tag in self.HEADINGS:
            self.flush()
            self.heading = []
        elif tag in self.BLOCK:
            self.flush()
            if tag == "pre":
                self.pre += 1
        elif tag in self.CELL:
            self.buf.append(" ")

    def handle_startendtag(self, tag, attrs):
        if self.main_depth and tag in ("br", "hr"):
            self.flush()

    def handle_endtag(self, tag):
        if not self.main_depth:
            return
        if tag == "a" or tag in self.SKIP:
            while self.stack:
                t, skipping = self.stack.pop()
                if skipping:
                    self.skip -= 1
                if t == tag:
                    break
            return
        if tag in self.HEADINGS and self.heading is not None:
            title = " ".join("".join(self.heading).split())
            self.heading = None
            self.sections.append((title or None, []))
            return
        if tag in self.BLOCK:
            self.flush()
            if tag == "pre" and self.pre:
                self.pre -= 1
        if tag == "div":
            self.main_depth -= 1
            if not self.main_depth:
                self.flush()

    def handle_data(self, data):
        if not self.main_depth or self.skip:
            return
        if self.heading is not None:
            self.heading.append(data)
        else:
            self.buf.append(data)


def html_sections(text):
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser.flush()
    return [s for s in parser.sections if s[1]]


def man_sections(path):
    """A man page rendered by man(1) as plain text, sections at its unindented
    headings (NAME, SYNOPSIS, ...)."""
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    try:
        out = subprocess.run(["man", "-l", "-E", "UTF-8", path], env=env, check=False,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             timeout=60).stdout.decode("utf-8", errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return []
    out = re.sub(r".\x08", "", out)
    sections = [(None, [])]
    paragraph = []
    lines = out.splitlines()[1:-1]            # the page's header and footer lines
    for line in lines:
        if line and not line[0].isspace():
            if paragraph:
                sections[-1][1].append(" ".join(paragraph))
                paragraph = []
            sections.append((line.strip(), []))
        elif not line.strip():
            if paragraph:
                sections[-1][1].append(" ".join(paragraph))
                paragraph = []
        else:
            paragraph.append(line.strip())
    if paragraph:
        sections[-1][1].append(" ".join(paragraph))
    return [s for s in sections if s[1]]


# --- the corpus ----------------------------------------------------------------------------

def _fingerprint(paths):
    h = hashlib.sha256()
    for p in paths:
        st = os.stat(p)
        h.update(("%s\0%d\0%d\n" % (p, st.st_size, st.st_mtime_ns)).encode())
    return h.hexdigest()


def _source_id(path):
    root = MAN_ROOT if path.startswith(MAN_ROOT + "/") else DOC_ROOT
    return os.path.relpath(path, root)


def build(log=None):
    """(documents, info): every document of the sources, in order, and the counts."""
    docs = []
    info = {"sources": {}}

    def add(name, paths, sections_of, workers=1):
        start, size = len(docs), 0
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            parsed = pool.map(sections_of, paths) if workers > 1 else map(sections_of, paths)
            for path, sections in zip(paths, parsed):
                for doc in documents_of_sections(_source_id(path), sections):
                    docs.append(doc)
                    size += len(doc[2].encode("utf-8"))
        info["sources"][name] = {"files": len(paths), "documents": len(docs) - start,
                                 "text_bytes": size}
        if log:
            log("corpus: %s: %d files, %d documents, %.1f MB" % (
                name, len(paths), len(docs) - start, size / 1e6))
        return size

    total = add("linux-doc-6.1 (reStructuredText and text)", linux_files(),
                lambda p: rst_sections(read_text(p)))
    total += add("python3.11-doc (HTML)", python_files(),
                 lambda p: html_sections(read_text(p)))
    if total < MIN_BYTES or len(docs) < MIN_DOCS:
        if log:
            log("corpus: %.1f MB and %d documents from the two sources, under %d MB or %d "
                "documents: adding the English man pages" % (total / 1e6, len(docs),
                                                             MIN_BYTES // 10**6, MIN_DOCS))
        total += add("manpages (man -l)", man_files(), man_sections,
                     workers=max(1, min(4, os.cpu_count() or 1)))
    info["documents"] = len(docs)
    info["text_bytes"] = total
    info["title_bytes"] = sum(len(d[1].encode("utf-8")) for d in docs if d[1])
    info["with_title"] = sum(1 for d in docs if d[1])
    return docs, info


def load(cache_dir=DEFAULT_CACHE, log=None):
    """(documents, info), from the cache file when it matches the sources."""
    paths = linux_files() + python_files() + man_candidates()
    fingerprint = _fingerprint(paths)
    cache = os.path.join(cache_dir, "corpus-%d.jsonl" % VERSION)
    try:
        with open(cache, encoding="utf-8") as f:
            header = json.loads(f.readline())
            if header.get("version") == VERSION and header.get("fingerprint") == fingerprint:
                docs = [tuple(json.loads(line)) for line in f]
                if len(docs) == header["info"]["documents"]:
                    return docs, header["info"]
    except (OSError, ValueError, KeyError):
        pass
    docs, info = build(log)
    os.makedirs(cache_dir, exist_ok=True)
    tmp = cache + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({"version": VERSION, "fingerprint": fingerprint, "info": info}) + "\n")
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    os.replace(tmp, cache)
    return docs, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=DEFAULT_CACHE)
    args = ap.parse_args()
    docs, info = load(args.cache, log=lambda s: print(s, file=sys.stderr))
    print(json.dumps(info, indent=2))
    lengths = sorted(len(d[2]) for d in docs)
    print("characters per document: median %d, p10 %d, p90 %d, max %d" % (
        lengths[len(lengths) // 2], lengths[len(lengths) // 10], lengths[len(lengths) * 9 // 10],
        lengths[-1]))


if __name__ == "__main__":
    main()
