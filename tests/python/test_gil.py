"""Native batch calls release the GIL (ctypes and cffi both drop it around foreign calls).

No absolute timing is asserted.  The tests raise the interpreter's switch interval to
5 s, so a thread holding the GIL keeps it until it blocks or releases it explicitly:
then the only way another Python thread can make progress while a worker is between
the start of its first batch call and the end of its last one is that the worker
released the GIL inside the native call.  With the GIL held for the whole call the
counts below are exactly zero; with it released they are large, whatever the load of
the machine and whatever the Python-side overhead of the wrapper.
"""
import random
import sys
import threading
import time
from array import array

import pytest

MIN_CALL_SECONDS = 0.1
MAX_ITEMS = 1 << 23


@pytest.fixture
def one_pool_thread(hp, native_only):
    # leave a core for the Python thread on a small machine
    hp.set_num_threads(1)
    before = hp.backend_info()["dispatch"]
    hp.set_dispatch("native")
    yield
    hp.set_dispatch(before)
    hp.set_num_threads(0)


@pytest.fixture
def long_switch_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    yield
    sys.setswitchinterval(before)


def _kernel(W, data):
    return W.confidence_multiplier_batch(data, 0.9, "balance")


@pytest.fixture
def long_input(W, one_pool_thread):
    data = array("Q", range(2, (1 << 18) + 2))
    while True:
        t0 = time.perf_counter()
        out = _kernel(W, data)
        dt = time.perf_counter() - t0
        assert len(out) == len(data)
        if dt >= MIN_CALL_SECONDS or len(data) >= MAX_ITEMS:
            return data
        data = data * 2


def _main_thread_progresses(call):
    """Runs call() twice in a worker thread while this thread does pure-Python work;
    asserts this thread made progress inside the worker's calls."""
    windows = []
    errors = []
    done = threading.Event()

    def worker():
        try:
            for _ in range(2):
                a = time.perf_counter()
                call()
                windows.append((a, time.perf_counter()))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    stamps = []
    th = threading.Thread(target=worker)
    th.start()
    while not done.is_set():
        for _ in range(200):  # a little pure-Python work that needs the GIL
            pass
        stamps.append(time.perf_counter())
        time.sleep(0.0001)  # lets the worker take the GIL when it needs it
    th.join()
    assert not errors, errors
    inside = sum(1 for s in stamps for a, b in windows if a < s < b)
    assert inside >= 3, ("the main thread made no progress while native batches ran (GIL held?): "
                         "%d stamps inside %r" % (inside, windows))


def test_other_thread_progresses_during_native_batch(W, long_input, long_switch_interval):
    _main_thread_progresses(lambda: _kernel(W, long_input))


def test_other_thread_progresses_during_text_query(T, one_pool_thread, long_switch_interval):
    # Edit distances of one long query against a corpus, sized to last >= 0.1 s.
    rng = random.Random(5)
    texts = ["".join(rng.choice("abcdefgh") for _ in range(400)) for _ in range(500)]
    query = texts[0][::-1]
    while True:
        corpus = T.Corpus(texts)
        t0 = time.perf_counter()
        T.one_to_many(query, corpus, "levenshtein")
        if time.perf_counter() - t0 >= MIN_CALL_SECONDS or len(texts) >= 1 << 16:
            break
        texts = texts * 2
    _main_thread_progresses(lambda: T.one_to_many(query, corpus, "levenshtein"))


def test_two_native_batches_overlap(W, long_input, long_switch_interval):
    windows = {0: [], 1: []}
    errors = []
    barrier = threading.Barrier(2)

    def worker(k):
        try:
            barrier.wait()
            for _ in range(2):
                a = time.perf_counter()
                _kernel(W, long_input)
                windows[k].append((a, time.perf_counter()))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    ths = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    assert not errors, errors
    overlapped = any(a0 < b1 and a1 < b0 for a0, b0 in windows[0] for a1, b1 in windows[1])
    assert overlapped, "two threads never were inside batch calls at the same time: %r" % windows


def test_threaded_results_correct(W, one_pool_thread):
    data = array("Q", range(0, 300000))
    expected = list(W.space_bound_batch(data))
    results = [None] * 4

    def worker(k):
        results[k] = list(W.space_bound_batch(data))

    ths = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    assert all(r == expected for r in results)
