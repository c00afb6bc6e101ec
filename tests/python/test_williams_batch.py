"""Batch forms of the Williams API with every supported input kind."""
import re
import struct
import sys
from array import array

import pytest

import hotpath_williams_reference as ref

U64_MAX = 2 ** 64 - 1
T = [0, 1, 2, 3, 10, 100, 1000, 10000, 65536, 2 ** 32, 2 ** 53 + 1, 2 ** 63, U64_MAX]
SMALL = [0, 1, 2, 3, 10, 100, 200, 255]

FLOAT_BATCHES = {
    "space_bound_batch": ref.dec_space_bound,
    "efficiency_batch": ref.dec_efficiency,
    "space_saved_percent_batch": ref.dec_space_saved_percent,
}


def _values(out):
    return [float(x) for x in out]


def _check_floats(out, ts, reffn):
    got = _values(out)
    assert len(got) == len(ts)
    bad = [(t, g, reffn(t)) for t, g in zip(ts, got) if not ref.rel_close(g, reffn(t))]
    assert not bad, bad[:5]


def _is_array(out, typecode):
    return type(out) is array and out.typecode == typecode


def _signed8():
    return [c for c in "lq" if array(c).itemsize == 8]


def _unsigned8():
    return [c for c in "LQ" if array(c).itemsize == 8]


def _inputs(kind):
    """(object, the ints it denotes) for each non-numpy input kind."""
    if kind == "list":
        return list(T), T
    if kind == "tuple":
        return tuple(T), T
    if kind == "range":
        return range(0, 300, 7), list(range(0, 300, 7))
    if kind == "generator":
        return (t for t in T), T
    if kind == "bools":
        return [True, False, True], [1, 0, 1]
    if kind.startswith("array_"):
        code = kind[-1]
        size = array(code).itemsize
        signed = code in "bhilq"
        top = 2 ** (8 * size - 1) - 1 if signed else 2 ** (8 * size) - 1
        vals = [t for t in T if t <= top]
        if top not in vals:
            vals.append(top)
        return array(code, vals), vals
    if kind == "bytes":
        # a bytes object is a buffer of format 'B': one item per byte
        return bytes(SMALL), SMALL
    if kind == "bytearray":
        return bytearray(SMALL), SMALL
    if kind == "memoryview_Q":
        return memoryview(array("Q", T)), T
    if kind == "packed_u64_bytes_cast":
        packed = struct.pack("<%dQ" % len(T), *T) if sys.byteorder == "little" else struct.pack(">%dQ" % len(T), *T)
        return memoryview(packed).cast("Q"), T  # read-only, format 'Q'
    if kind == "memoryview_of_bytearray_cast":
        return memoryview(bytearray(array("Q", T).tobytes())).cast("Q"), T
    raise AssertionError(kind)


KINDS = ["list", "tuple", "range", "generator", "bools", "array_Q", "array_q", "array_I", "array_i", "array_H",
         "array_B", "array_b", "array_L", "array_l", "bytes", "bytearray", "memoryview_Q",
         "packed_u64_bytes_cast", "memoryview_of_bytearray_cast"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fname", sorted(FLOAT_BATCHES))
def test_float_batches_input_kinds(W, dispatch, kind, fname):
    obj, ts = _inputs(kind)
    out = getattr(W, fname)(obj)
    assert _is_array(out, "d"), type(out)
    _check_floats(out, ts, FLOAT_BATCHES[fname])


@pytest.mark.parametrize("kind", KINDS)
def test_optimal_batch_size_batch_input_kinds(W, dispatch, kind):
    obj, ts = _inputs(kind)
    out = W.optimal_batch_size_batch(obj, 1000.0, 5.0)
    assert _is_array(out, "Q")
    assert list(out) == [ref.float_optimal_batch_size(t, 1000.0, 5.0) for t in ts]


@pytest.mark.parametrize("kind", KINDS)
def test_confidence_batch_input_kinds(W, dispatch, kind):
    obj, ns = _inputs(kind)
    out = W.confidence_multiplier_batch(obj, 0.9, "support")
    assert _is_array(out, "d")
    _check_floats(out, ns, lambda n: ref.dec_confidence_multiplier(n, 0.9, "support"))


def test_batch_default_arguments(W, dispatch):
    ns = [0, 5, 10, 500, 501, 10000]
    out = W.confidence_multiplier_batch(ns)
    _check_floats(out, ns, lambda n: ref.dec_confidence_multiplier(n, 0.85, "balance"))
    out2 = W.optimal_batch_size_batch([1000, 100], 1000.0)
    assert list(out2) == [356, 100]


def test_bytes_packed_u64_matches_array(W, dispatch):
    a = array("Q", T)
    out_a = W.space_bound_batch(a)
    out_b = W.space_bound_batch(memoryview(a.tobytes()).cast("Q"))
    assert list(out_a) == list(out_b)


def test_batch_matches_scalar(W, dispatch):
    for fname in FLOAT_BATCHES:
        scalar = getattr(W, fname[:-len("_batch")])
        out = getattr(W, fname)(T)
        assert all(ref.rel_close(g, scalar(t)) for g, t in zip(out, T))


# -------------------------------------------------------------------------- numpy

@pytest.mark.parametrize("dtype", ["uint64", "int64", "int32", "uint32", "uint8", "int16"])
def test_numpy_inputs(W, dispatch, np, dtype):
    info = np.iinfo(dtype)
    vals = [t for t in T if t <= info.max]
    arr = np.array(vals, dtype=dtype)
    for fname, reffn in FLOAT_BATCHES.items():
        out = getattr(W, fname)(arr)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == (len(vals),)
        _check_floats(out, vals, reffn)
    out = W.optimal_batch_size_batch(arr, 1000.0, 5.0)
    assert isinstance(out, np.ndarray) and out.dtype == np.uint64
    assert [int(x) for x in out] == [ref.float_optimal_batch_size(t, 1000.0, 5.0) for t in vals]
    out = W.confidence_multiplier_batch(arr, 0.85, "exploration")
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    _check_floats(out, vals, lambda n: ref.dec_confidence_multiplier(n, 0.85, "exploration"))


def test_numpy_input_not_modified(W, dispatch, np):
    arr = np.array([5, 100, 7], dtype=np.int64)
    W.space_bound_batch(arr)
    W.optimal_batch_size_batch(arr, 10.0)
    assert arr.tolist() == [5, 100, 7]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_numpy_float_is_type_error(hp, W, dispatch, np, dtype):
    with pytest.raises(TypeError) as ei:
        W.space_bound_batch(np.array([1.0, 2.0], dtype=dtype))
    assert isinstance(ei.value, hp.HotpathTypeError)


def test_numpy_non_contiguous_is_value_error(hp, W, dispatch, np):
    arr = np.arange(20, dtype=np.uint64)[::2]
    assert not arr.flags["C_CONTIGUOUS"]
    for f in (W.space_bound_batch, W.efficiency_batch, W.space_saved_percent_batch,
              lambda x: W.optimal_batch_size_batch(x, 10.0), W.confidence_multiplier_batch):
        with pytest.raises(ValueError) as ei:
            f(arr)
        assert isinstance(ei.value, hp.HotpathValueError)
        assert "contiguous" in str(ei.value)
    # the contiguous copy works
    out = W.space_bound_batch(np.ascontiguousarray(arr))
    _check_floats(out, list(range(0, 20, 2)), ref.dec_space_bound)


def test_numpy_negative_int64_names_index(hp, W, dispatch, np):
    arr = np.array([1, 2, 3, 4, 5, -6, -7], dtype=np.int64)
    with pytest.raises(ValueError) as ei:
        W.space_bound_batch(arr)
    assert isinstance(ei.value, hp.HotpathValueError)
    assert re.search(r"\b5\b", str(ei.value)), str(ei.value)


def test_numpy_empty(W, dispatch, np):
    out = W.space_bound_batch(np.empty(0, dtype=np.uint64))
    assert isinstance(out, np.ndarray) and out.shape == (0,) and out.dtype == np.float64
    out = W.optimal_batch_size_batch(np.empty(0, dtype=np.int64), 10.0)
    assert isinstance(out, np.ndarray) and out.shape == (0,) and out.dtype == np.uint64


def test_numpy_base_confidences(W, dispatch, np):
    ns = np.array([5, 10, 100, 501, 10000, 0], dtype=np.uint64)
    bases = np.array([0.9, 0.95, 0.7, 0.99, 0.8, 0.1], dtype=np.float64)
    out = W.confidence_multiplier_batch(ns, bases, "balance")
    assert isinstance(out, np.ndarray)
    want = [ref.dec_confidence_multiplier(int(n), float(b), "balance") for n, b in zip(ns, bases)]
    assert all(ref.rel_close(float(g), w) for g, w in zip(out, want))
    bases32 = bases.astype(np.float32)
    out = W.confidence_multiplier_batch(ns, bases32, "balance")
    want = [ref.dec_confidence_multiplier(int(n), float(b), "balance") for n, b in zip(ns, bases32)]
    assert all(ref.rel_close(float(g), w) for g, w in zip(out, want))


# -------------------------------------------------------------------------- errors

@pytest.mark.parametrize("obj", [array("d", [1.0, 2.0]), array("f", [1.0]), memoryview(array("d", [3.0])),
                                 [1, 2.5], [1, "2"], [None], ["a"]])
@pytest.mark.parametrize("fname", ["space_bound_batch", "efficiency_batch", "space_saved_percent_batch",
                                   "optimal_batch_size_batch", "confidence_multiplier_batch"])
def test_non_integer_inputs_are_type_errors(hp, W, dispatch, obj, fname):
    args = (obj, 10.0) if fname == "optimal_batch_size_batch" else (obj,)
    with pytest.raises(TypeError) as ei:
        getattr(W, fname)(*args)
    assert isinstance(ei.value, hp.HotpathTypeError)


def test_float_buffer_message_names_format(W, dispatch):
    with pytest.raises(TypeError) as ei:
        W.space_bound_batch(array("d", [1.0]))
    assert "'d'" in str(ei.value)


@pytest.mark.parametrize("fname", ["space_bound_batch", "efficiency_batch", "space_saved_percent_batch",
                                   "optimal_batch_size_batch", "confidence_multiplier_batch"])
def test_non_contiguous_memoryview_is_value_error(hp, W, dispatch, fname):
    mv = memoryview(array("Q", range(20)))[::2]
    assert not mv.c_contiguous
    args = (mv, 10.0) if fname == "optimal_batch_size_batch" else (mv,)
    with pytest.raises(ValueError) as ei:
        getattr(W, fname)(*args)
    assert isinstance(ei.value, hp.HotpathValueError)
    assert "contiguous" in str(ei.value)


@pytest.mark.parametrize("code", _signed8())
def test_negative_signed8_names_first_negative_index(hp, W, dispatch, code):
    a = array(code, [10, 20, 30, 40, 50, 60, 70, -3, -4, 5])
    for f in (W.space_bound_batch, W.efficiency_batch, W.space_saved_percent_batch,
              lambda x: W.optimal_batch_size_batch(x, 10.0), W.confidence_multiplier_batch):
        with pytest.raises(ValueError) as ei:
            f(a)
        assert isinstance(ei.value, hp.HotpathValueError)
        assert re.search(r"\b7\b", str(ei.value)), str(ei.value)
    assert list(a) == [10, 20, 30, 40, 50, 60, 70, -3, -4, 5]  # input untouched


@pytest.mark.parametrize("obj", [array("i", [5, -1]), array("b", [1, -1]), array("h", [-7]), [1, -1], (0, -5),
                                 [1, 2 ** 64], [2 ** 70]])
def test_out_of_range_items_are_value_errors(hp, W, dispatch, obj):
    with pytest.raises(ValueError) as ei:
        W.space_bound_batch(obj)
    assert isinstance(ei.value, hp.HotpathValueError)


@pytest.mark.parametrize("empty", [[], (), range(0), array("Q"), array("q"), array("I"), b"", bytearray(),
                                   memoryview(array("Q"))])
def test_empty_inputs_give_empty_outputs(W, dispatch, empty):
    for fname in FLOAT_BATCHES:
        out = getattr(W, fname)(empty)
        assert _is_array(out, "d") and len(out) == 0
    out = W.optimal_batch_size_batch(empty, 10.0)
    assert _is_array(out, "Q") and len(out) == 0
    out = W.confidence_multiplier_batch(empty)
    assert _is_array(out, "d") and len(out) == 0
    out = W.confidence_multiplier_batch(empty, [], "support")
    assert _is_array(out, "d") and len(out) == 0


def test_input_array_not_modified(W, dispatch):
    a = array("Q", T)
    W.space_bound_batch(a)
    W.optimal_batch_size_batch(a, 1e6)
    W.confidence_multiplier_batch(a)
    assert list(a) == T


# -------------------------------------------------------------- optimal_batch_size_batch

def test_optimal_batch_size_batch_huge_exact(W, dispatch):
    totals = [U64_MAX, U64_MAX, 0, 1, 2 ** 53 + 1]
    out = W.optimal_batch_size_batch(totals, float(2 ** 51), 1.0)
    assert _is_array(out, "Q")
    assert list(out) == [ref.float_optimal_batch_size(t, float(2 ** 51), 1.0) for t in totals]
    assert out[0] == U64_MAX and out[2] == 1 and out[3] == 1 and out[4] == 2 ** 53 + 1
    out = W.optimal_batch_size_batch(array("Q", [U64_MAX]), float(2 ** 51 - 2 ** 17), 1.0)
    assert list(out) == [2 ** 64 - 2 ** 30]


@pytest.mark.parametrize("avail,per", [(float("nan"), 5.0), (-1.0, 5.0), (float("inf"), 5.0),
                                       (100.0, 0.0), (100.0, -1.0), (100.0, float("nan")), (100.0, float("inf"))])
def test_optimal_batch_size_batch_bad_parameters(hp, W, dispatch, avail, per):
    with pytest.raises(ValueError) as ei:
        W.optimal_batch_size_batch([10, 100], avail, per)
    assert isinstance(ei.value, hp.HotpathValueError)


# -------------------------------------------------------------- confidence batch with bases

NS = [0, 1, 2, 5, 9, 10, 11, 100, 500, 501, 10000, 300000, U64_MAX]
BASES = [0.5, 0.0, 0.95, 0.9, 0.9, 0.9, 0.99, 0.7, 0.9, 0.9, 0.8, 0.5, 0.3]


@pytest.mark.parametrize("bkind", ["list", "tuple", "array_d", "array_f", "memoryview_d", "ints"])
@pytest.mark.parametrize("regime", ref.REGIMES)
def test_confidence_batch_per_item_bases(W, dispatch, bkind, regime):
    if bkind == "list":
        bases, vals = list(BASES), BASES
    elif bkind == "tuple":
        bases, vals = tuple(BASES), BASES
    elif bkind == "array_d":
        bases, vals = array("d", BASES), BASES
    elif bkind == "array_f":
        bases = array("f", BASES)
        vals = list(bases)  # float32-rounded values
    elif bkind == "memoryview_d":
        bases, vals = memoryview(array("d", BASES)), BASES
    else:
        vals = [i % 2 for i in range(len(NS))]
        bases = list(vals)
    out = W.confidence_multiplier_batch(NS, bases, regime)
    assert _is_array(out, "d")
    want = [ref.dec_confidence_multiplier(n, b, regime) for n, b in zip(NS, vals)]
    got = list(out)
    assert all(ref.rel_close(g, w) for g, w in zip(got, want)), list(zip(NS, vals, got, want))
    # and it equals the scalar function item by item
    assert got == pytest.approx([W.confidence_multiplier(n, b, regime) for n, b in zip(NS, vals)], rel=1e-12)


def test_confidence_batch_keyword_names(W, dispatch):
    out = W.confidence_multiplier_batch(num_fields=[10, 10000], base_confidence=[0.9, 0.8], regime="support")
    assert list(out) == pytest.approx([ref.dec_confidence_multiplier(10, 0.9, "support"),
                                       ref.dec_confidence_multiplier(10000, 0.8, "support")], rel=1e-12)


@pytest.mark.parametrize("bases", [[0.9] * 3, [0.9] * 5, [], array("d", [0.9] * 10)])
def test_confidence_batch_length_mismatch(hp, W, dispatch, bases):
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier_batch([10, 20, 30, 40], bases, "balance")
    assert isinstance(ei.value, hp.HotpathValueError)


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), float("inf")])
@pytest.mark.parametrize("container", ["list", "array_d"])
def test_confidence_batch_bad_base_names_index(hp, W, dispatch, bad, container):
    vals = [0.9] * 12
    vals[7] = bad
    bases = vals if container == "list" else array("d", vals)
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier_batch(list(range(100, 112)), bases, "balance")
    assert isinstance(ei.value, hp.HotpathValueError)
    msg = str(ei.value)
    assert re.search(r"\b7\b", msg), msg


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan")])
def test_confidence_batch_bad_scalar_base(hp, W, dispatch, bad):
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier_batch([10, 20], bad, "balance")
    assert isinstance(ei.value, hp.HotpathValueError)


def test_confidence_batch_regime_errors(hp, W, dispatch):
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier_batch([10, 20], 0.85, "Support")
    assert isinstance(ei.value, hp.HotpathValueError)
    with pytest.raises(TypeError) as ei:
        W.confidence_multiplier_batch([10, 20], 0.85, 0)
    assert isinstance(ei.value, hp.HotpathTypeError)


def test_confidence_batch_non_float_bases(W, dispatch):
    with pytest.raises(TypeError):
        W.confidence_multiplier_batch([10, 20], ["a", "b"], "balance")


def test_large_batches_match_reference_samples(W, dispatch):
    # above any parallel threshold: exercises the thread pool when native
    n = 200_000
    ts = array("Q", (i * 2654435761 % (2 ** 40) for i in range(n)))
    out = W.space_bound_batch(ts)
    assert _is_array(out, "d") and len(out) == n
    for i in range(0, n, 997):
        assert ref.rel_close(out[i], ref.float_space_bound(ts[i])), i
    conf = W.confidence_multiplier_batch(ts, 0.9, "exploration")
    for i in range(0, n, 997):
        assert ref.rel_close(conf[i], ref.float_confidence_multiplier(ts[i], 0.9, "exploration"), 1e-12), i
    sizes = W.optimal_batch_size_batch(ts, 4096.0, 0.25)
    assert _is_array(sizes, "Q")
    for i in range(0, n, 997):
        assert sizes[i] == ref.float_optimal_batch_size(ts[i], 4096.0, 0.25), i


# -------------------------------------------------------------- views with offsets, odd layouts

@pytest.mark.parametrize("make,vals", [
    (lambda: memoryview(array("Q", T))[3:9], T[3:9]),
    (lambda: memoryview(array("Q", T))[1:], T[1:]),
    (lambda: memoryview(array("q", [5, 6, 7, 8, 9]))[2:], [7, 8, 9]),
    (lambda: memoryview(array("I", [5, 6, 7, 8, 9]))[1:4], [6, 7, 8]),
    (lambda: memoryview(array("Q", T).tobytes()).cast("Q")[4:], T[4:]),
    (lambda: memoryview(bytes(SMALL))[2:], SMALL[2:]),
])
def test_contiguous_views_with_offset(W, dispatch, make, vals):
    obj = make()
    out = W.space_bound_batch(obj)
    _check_floats(out, vals, ref.dec_space_bound)
    out = W.optimal_batch_size_batch(make(), 1000.0, 5.0)
    assert list(out) == [ref.float_optimal_batch_size(t, 1000.0, 5.0) for t in vals]
    out = W.confidence_multiplier_batch(make(), memoryview(array("d", [0.1] * 3 + [0.9] * len(vals)))[3:], "support")
    _check_floats(out, vals, lambda n: ref.dec_confidence_multiplier(n, 0.9, "support"))


def test_reversed_memoryview_is_value_error(hp, W, dispatch):
    with pytest.raises(ValueError) as ei:
        W.space_bound_batch(memoryview(array("Q", [1, 2, 3]))[::-1])
    assert isinstance(ei.value, hp.HotpathValueError)


def test_numpy_offset_slices_and_readonly(W, dispatch, np):
    base = np.arange(0, 40, dtype=np.uint64) * 1000
    sl = base[7:23]
    assert sl.flags["C_CONTIGUOUS"]
    _check_floats(W.space_bound_batch(sl), [int(x) for x in sl], ref.dec_space_bound)
    ro = np.array([10, 100, 1000], dtype=np.uint64)
    ro.flags.writeable = False
    _check_floats(W.efficiency_batch(ro), [10, 100, 1000], ref.dec_efficiency)
    rob = np.array([0.9, 0.8, 0.7])
    rob.flags.writeable = False
    out = W.confidence_multiplier_batch(ro, rob, "balance")
    _check_floats(out, [10, 100, 1000], lambda n: ref.dec_confidence_multiplier(n, {10: 0.9, 100: 0.8, 1000: 0.7}[n],
                                                                                  "balance"))


def test_numpy_non_contiguous_bases(hp, W, dispatch, np):
    bases = np.full(20, 0.9)[::2]
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier_batch(list(range(10)), bases, "balance")
    assert isinstance(ei.value, hp.HotpathValueError)


@pytest.mark.parametrize("code", _signed8())
def test_signed8_sign_detection(hp, W, dispatch, code):
    # large positives must not be mistaken for negatives, and a negative in a long
    # array is found at its exact index
    ok = array(code, [2 ** 63 - 1, 2 ** 62, 2 ** 55 + 1, 255, 128, 0])
    out = W.space_bound_batch(ok)
    _check_floats(out, list(ok), ref.dec_space_bound)
    bad = array(code, [2 ** 63 - 1] * 5000 + [-(2 ** 63)] + [1] * 10)
    with pytest.raises(ValueError) as ei:
        W.space_bound_batch(bad)
    assert isinstance(ei.value, hp.HotpathValueError)
    assert re.search(r"\b5000\b", str(ei.value)), str(ei.value)
    bad = array(code, [7] * 4999 + [-1])
    with pytest.raises(ValueError) as ei:
        W.optimal_batch_size_batch(bad, 10.0)
    assert re.search(r"\b4999\b", str(ei.value)), str(ei.value)


def test_numpy_int64_sign_detection(W, dispatch, np):
    arr = np.full(100000, 2 ** 63 - 1, dtype=np.int64)
    assert len(W.space_bound_batch(arr)) == 100000
    arr[77777] = -5
    with pytest.raises(ValueError) as ei:
        W.space_bound_batch(arr)
    assert re.search(r"\b77777\b", str(ei.value)), str(ei.value)


def test_temporary_inputs_kept_alive(W, dispatch):
    # the only reference to the input is the argument itself
    out = W.space_bound_batch(array("Q", range(2, 70002)))
    assert ref.rel_close(out[-1], ref.float_space_bound(70001))
    out = W.confidence_multiplier_batch(array("Q", range(2, 70002)), array("d", [0.9]) * 70000, "support")
    assert ref.rel_close(out[-1], ref.float_confidence_multiplier(70001, 0.9, "support"))
    out = W.space_bound_batch(memoryview(array("Q", range(2, 70002)).tobytes()).cast("Q"))
    assert ref.rel_close(out[0], ref.float_space_bound(2))
