"""hotpath.search commits survive SIGKILL on every backend.

A child process writes rounds of changes to an index folder (a batch through add_many,
a remove, an update, then commit()) and prints the round number after each commit()
returns.  The parent kills it at a random moment, opens the folder, and finds exactly
the documents of the last round the child reported, or of the next one when the kill
fell between the MANIFEST's rename and the print.  The next child continues in the same
folder, so that recovery after a crash and the released writer lock are exercised too.
"""
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from hotpath import search

# The changes of each round, run by the child and replayed by the parent.
ROUNDS = r'''
def changes(r):
    """The changes of round r (1, 2, ...): a batch, then a remove and an update of
    documents of the round before.  Every fifth round is a big batch."""
    size = 150 if r % 5 == 0 else 6
    batch = [("r%d-%d" % (r, i),
              "round %d item %d words w%d %s" % (r, i, (r * 7 + i) % 13, "filler " * (i % 9)),
              ("Title %d" % r) if i % 2 else None)
             for i in range(size)]
    ops = [("add_many", batch)]
    if r > 1:
        ops.append(("remove", "r%d-0" % (r - 1)))
        ops.append(("update", "r%d-1" % (r - 1), "revised later, step %d" % r))
    return ops
'''

CHILD = ROUNDS + r'''
import sys
sys.path.insert(0, sys.argv[1])
from hotpath import search
path, r = sys.argv[2], int(sys.argv[3])
index = search.Index(path)
print("start", flush=True)
while True:
    r += 1
    for op in changes(r):
        if op[0] == "add_many":
            index.add_many(op[1])
        elif op[0] == "remove":
            index.remove(op[1])
        else:
            index.update(op[1], op[2])
    index.commit()
    print(r, flush=True)
'''

_namespace = {}
exec(ROUNDS, _namespace)
changes = _namespace["changes"]


class States(object):
    """The documents {doc_id: (text, title)} after round c, computed incrementally."""

    def __init__(self):
        self.states = [{}]

    def __getitem__(self, c):
        while len(self.states) <= c:
            docs = dict(self.states[-1])
            for op in changes(len(self.states)):
                if op[0] == "add_many":
                    for doc_id, text, title in op[1]:
                        docs[doc_id] = (text, title or "")
                elif op[0] == "remove":
                    del docs[op[1]]
                else:
                    docs[op[1]] = (op[2], "")
            self.states.append(docs)
        return self.states[c]


def read_state(path):
    index = search.Index(path)
    try:
        docs = {}
        for doc_id in index.doc_ids:
            doc = index.get(doc_id)
            docs[doc_id] = (doc["text"], doc["title"] or "")
        assert len(index) == len(docs)
        updated = {h.doc_id for h in index.search("revised", limit=100000)}
        words = {h.doc_id for h in index.search("round", limit=100000)}
    finally:
        index.close()
    assert updated == {d for d, (text, _) in docs.items() if text.startswith("revised")}
    assert words == {d for d, (text, _) in docs.items() if text.startswith("round")}
    return docs


def run_and_kill(path, start, delay):
    """Starts a writer that continues after round start, kills it after delay seconds
    (counted from its "start" line), returns the rounds it reported."""
    from conftest import BINDINGS
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(BINDINGS), path, str(start)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        first = proc.stdout.readline()
        if first != "start\n":
            proc.wait(timeout=60)
            pytest.fail("the writer did not start: %r %s" % (first, proc.stderr.read()))
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout))
        reader.start()
        time.sleep(delay)
        if proc.poll() is not None:
            reader.join()
            pytest.fail("the writer ended by itself (%s): %s" % (proc.returncode, proc.stderr.read()))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        reader.join()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # A kill between the number and its newline leaves a partial last line: that
    # round is then treated as unreported (the index may hold it: the next round
    # is accepted too).
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
    assert all(line.endswith("\n") for line in lines), lines
    reported = [int(line) for line in lines]
    assert reported == list(range(start + 1, start + 1 + len(reported))), (start, reported)
    return reported


GROUPS = 10
TRIALS_PER_GROUP = 3


def test_sigkill_during_writes_keeps_the_last_commit(tmp_path):
    rng = random.Random(20240611)
    states = States()
    total_rounds = 0
    for group in range(GROUPS):
        path = str(tmp_path / ("g%d" % group) / "index")
        committed = 0
        for trial in range(TRIALS_PER_GROUP):
            before = committed
            delay = rng.uniform(0.0, 0.25)
            reported = run_and_kill(path, committed, delay)
            last = reported[-1] if reported else committed
            docs = read_state(path)
            if docs == states[last]:
                committed = last
            elif docs == states[last + 1]:
                committed = last + 1          # killed between the rename and the print
            else:
                pytest.fail("group %d trial %d (delay %.3f): the index holds %d documents, "
                            "neither round %d (%d) nor round %d (%d)" % (
                                group, trial, delay, len(docs), last, len(states[last]),
                                last + 1, len(states[last + 1])))
            total_rounds += committed - before
        # After the crashes, the folder is an ordinary index: it takes a change and a commit.
        index = search.Index(path)
        index.add("after", "written after the crashes")
        index.commit()
        index.close()
        docs = read_state(path)
        assert docs == dict(states[committed], after=("written after the crashes", ""))
    # Most trials committed something, so that kills fell among commits.
    assert total_rounds >= GROUPS * TRIALS_PER_GROUP, total_rounds


def test_kill_before_the_first_commit_leaves_an_empty_index(tmp_path):
    # A writer killed at once: a new (empty) index or round 1, never an unreadable folder.
    path = str(tmp_path / "index")
    reported = run_and_kill(path, 0, 0.0)
    docs = read_state(path)
    states = States()
    last = reported[-1] if reported else 0
    assert docs in (states[last], states[last + 1])
