"""The package's FFI tables against the public headers, function by function.

The tables are generated (scripts/gen_ffi.py -> hotpath/_ffi/_decls.py); the first test
checks the committed file is what the headers give now.  The others check the result
with an independent parser:

The headers (include/hotpath/common.h and the module headers in HEADERS) are parsed by
cffi's own C parser after removing what is not plain C99 declarations (preprocessor
lines, among them the #define constants and the #include of one header by another,
the extern "C" braces, the HOTPATH_API macro); an opaque struct typedef such as
hotpath_text_corpus_t is plain C and stays.  Then, for every function:

* the C type cffi derives from the header equals the one it derives from the
  package's _decls.CDEF (same result and parameter types, const included);
* the ctypes adapter's FUNCTIONS (derived from _decls.FUNCTIONS) declares a matching
  restype and argtypes, and its structs have the header's layout.

Runs under every backend (it reads tables, not the active backend); skipped when
cffi is not importable.  The ffi.typeof comparison needs the built library
(ABI mode: cffi gives a function's type through the dlopen'ed symbol).
"""
import ctypes
import re

import pytest

from conftest import HEADERS_DIR

cffi = pytest.importorskip("cffi")

HEADERS = ("common.h", "williams.h", "text.h", "consensus.h", "files.h", "compress.h", "memory.h",
           "search.h")

# C type of the header (as cffi spells it, typedefs resolved) -> ctypes type.
C_TO_CTYPES = {
    "uint64_t": ctypes.c_uint64,
    "uint32_t": ctypes.c_uint32,
    "int32_t": ctypes.c_int32,
    "size_t": ctypes.c_size_t,
    "double": ctypes.c_double,
    "uint8_t": ctypes.c_uint8,
}


def test_generated_declarations_are_fresh():
    """scripts/gen_ffi.py --check: the committed _decls.py is what the headers give."""
    import subprocess
    import sys
    script = HEADERS_DIR.parent.parent / "scripts" / "gen_ffi.py"
    p = subprocess.run([sys.executable, str(script), "--check"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=60)
    assert p.returncode == 0, p.stdout[-3000:]
    assert "is fresh" in p.stdout


def header_source():
    """The HEADERS, in order, as plain C declarations cffi's cdef accepts."""
    parts = []
    for name in HEADERS:
        text = (HEADERS_DIR / name).read_text()
        # Comments first (keeping their line breaks): a comment that starts on a
        # #define line may continue on the next lines (consensus.h does this).
        text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
        text = re.sub(r"\\\n", " ", text)  # join continued preprocessor lines
        text = "\n".join(line for line in text.splitlines()
                         if not line.lstrip().startswith("#"))
        text = re.sub(r'extern\s+"C"\s*\{', "", text)
        text = re.sub(r"^\s*\}\s*$", "", text, flags=re.M)  # the extern "C" closing brace
        text = re.sub(r"\bHOTPATH_API\b", "", text)
        parts.append("/* %s */\n%s" % (name, text))
    return "\n".join(parts)


def header_function_names():
    """Every function the headers declare, found without cffi (a cross-check)."""
    names = []
    for name in HEADERS:
        text = re.sub(r"/\*.*?\*/", " ", (HEADERS_DIR / name).read_text(), flags=re.S)
        names += re.findall(r"HOTPATH_API[^;]*?\b(hotpath_\w+)\s*\(", text)
    return names


@pytest.fixture(scope="module")
def header_ffi():
    ffi = cffi.FFI()
    ffi.cdef(header_source())
    return ffi


@pytest.fixture(scope="module")
def cdef_ffi():
    from hotpath._ffi import _decls
    ffi = cffi.FFI()  # a fresh instance: the package's own may not exist on this backend
    ffi.cdef(_decls.CDEF)
    return ffi


@pytest.fixture(scope="module")
def names():
    found = header_function_names()
    assert len(found) == len(set(found)), "a function is declared twice"
    for name in ("hotpath_abi_version", "hotpath_williams_confidence_multiplier_batch",
                 "hotpath_text_corpus_create", "hotpath_text_matrix",
                 "hotpath_consensus_key_phrases"):
        assert name in found, name
    return sorted(found)


def _typeof_all(ffi, lib, names):
    types, missing = {}, []
    for name in names:
        try:
            types[name] = ffi.typeof(getattr(lib, name))
        except (AttributeError, NotImplementedError) as exc:
            missing.append("%s: %s" % (name, exc))
    return types, missing


@pytest.fixture(scope="module")
def header_types(header_ffi, names, built_library):
    """name -> cffi function ctype, as the header declares it."""
    lib = header_ffi.dlopen(str(built_library))
    types, missing = _typeof_all(header_ffi, lib, names)
    assert not missing, "declared in the headers but not usable from %s: %s" % (
        built_library, missing)
    return types


def test_header_parsed_by_cffi(header_ffi, names):
    # the cleaned text declares exactly the functions the headers export
    code = re.sub(r"/\*.*?\*/", " ", header_source(), flags=re.S)
    declared = sorted(re.findall(r"\b(hotpath_\w+)\s*\(", code))
    assert declared == names
    assert header_ffi.typeof("hotpath_status_t").cname == "int32_t"


def test_same_function_set_everywhere(names):
    from hotpath._ffi import _cffi, _ctypes, _decls
    header = set(names)
    in_cdef = set(re.findall(r"\b(hotpath_\w+)\s*\(", _decls.CDEF))
    assert in_cdef == header, (
        "CDEF extra %s, missing %s" % (sorted(in_cdef - header), sorted(header - in_cdef)))
    assert set(_cffi.FUNCTION_NAMES) == header
    assert set(_ctypes.FUNCTIONS) == header, (
        "FUNCTIONS extra %s, missing %s" % (sorted(set(_ctypes.FUNCTIONS) - header),
                                            sorted(header - set(_ctypes.FUNCTIONS))))


def test_cdef_types_match_header(cdef_ffi, header_types, built_library):
    """ffi.typeof of each symbol through the header's cdef and through the package's CDEF."""
    lib = cdef_ffi.dlopen(str(built_library))
    cdef_types, missing = _typeof_all(cdef_ffi, lib, sorted(header_types))
    assert not missing, "not declared in _decls.CDEF: %s" % missing
    wrong = ["%s: header %s, CDEF %s" % (name, header_types[name].cname, cdef_types[name].cname)
             for name in sorted(header_types)
             if header_types[name].cname != cdef_types[name].cname]
    assert not wrong, "\n".join(wrong)


def _parsed_declarations(ffi):
    """cffi's parsed function declarations: name -> C type text, const qualifiers kept
    (ffi.typeof drops const).  Uses cffi's parser internals; skips if they moved."""
    try:
        declarations = ffi._parser._declarations
        return {key.split(" ", 1)[1]: tp.get_c_name()
                for key, (tp, _quals) in declarations.items() if key.startswith("function ")}
    except (AttributeError, TypeError, ValueError, IndexError) as exc:  # pragma: no cover
        pytest.skip("cffi's parser internals are not available: %r" % exc)


def test_cdef_constness_matches_header(header_ffi, cdef_ffi, names):
    header = _parsed_declarations(header_ffi)
    cdef = _parsed_declarations(cdef_ffi)
    assert sorted(header) == names
    assert "uint64_t const *" in header["hotpath_williams_space_bound_batch"]
    wrong = ["%s: header %s, CDEF %s" % (name, header[name], cdef.get(name))
             for name in names if header[name] != cdef.get(name)]
    assert not wrong, "\n".join(wrong)


def _expected_ctypes(ctype):
    """The ctypes types a table may use for one C type: a set (pointers to numbers may be
    POINTER(T) or c_void_p, the table's convention for arrays passed by address)."""
    if ctype.kind == "void":
        return {None}
    if ctype.kind == "primitive":
        return {C_TO_CTYPES[ctype.cname]}
    if ctype.kind == "pointer":
        item = ctype.item
        if item.kind == "primitive" and item.cname == "char":
            # const char* text arguments are c_char_p; a char* output buffer may be
            # declared c_void_p, the table's convention for arrays passed by address
            return {ctypes.c_char_p, ctypes.c_void_p}
        if item.kind == "void":  # a raw buffer (const void* src, void* dst)
            return {ctypes.c_void_p}
        if item.kind == "struct":  # an opaque handle (hotpath_text_corpus_t*)
            return {ctypes.c_void_p}
        if item.kind == "pointer":  # a handle or a string returned through a pointer
            return {ctypes.c_void_p}
        assert item.cname in C_TO_CTYPES, item.cname
        return {ctypes.c_void_p}  # an array or an out-cell, passed by address
    raise AssertionError("no ctypes mapping for %s" % ctype.cname)


def _ctypes_name(t):
    return "None" if t is None else getattr(t, "__name__", repr(t))


def test_ctypes_table_matches_header(header_types):
    from hotpath._ffi import _ctypes
    wrong = []
    for name, ftype in sorted(header_types.items()):
        assert ftype.kind == "function" and not ftype.ellipsis, name
        restype, argtypes = _ctypes.FUNCTIONS[name]
        if restype not in _expected_ctypes(ftype.result):
            wrong.append("%s: returns %s, table restype %s"
                         % (name, ftype.result.cname, _ctypes_name(restype)))
        if len(argtypes) != len(ftype.args):
            wrong.append("%s: %d parameters, table has %d argtypes"
                         % (name, len(ftype.args), len(argtypes)))
            continue
        for i, (c_arg, py_arg) in enumerate(zip(ftype.args, argtypes)):
            if py_arg not in _expected_ctypes(c_arg):
                wrong.append("%s: parameter %d is %s, table argtype %s"
                             % (name, i, c_arg.cname, _ctypes_name(py_arg)))
    assert not wrong, "\n".join(wrong)


def test_mapping_covers_the_header_types(header_types):
    # every primitive the headers use has a ctypes counterpart here (so that a new
    # type in a header makes this test say so rather than raise KeyError)
    used = set()
    for ftype in header_types.values():
        for t in (ftype.result,) + tuple(ftype.args):
            while t.kind == "pointer":
                t = t.item
            if t.kind == "primitive":
                used.add(t.cname)
    assert used - {"char"} <= set(C_TO_CTYPES), used


def test_ctypes_structs_have_the_header_layout(header_ffi):
    """Every public struct: same fields in the same order, same offsets and size as
    cffi computes from the header (the library's own sizes are checked by files.py)."""
    from hotpath._ffi import _ctypes, _decls
    assert set(_decls.STRUCTS) == {"hotpath_files_audit_options_t", "hotpath_files_record_t",
                                   "hotpath_search_info_t"}
    for name, cls in _ctypes.STRUCTS.items():
        fields = header_ffi.typeof(name).fields
        assert [f for f, _ in fields] == [f for f, _ in cls._fields_], name
        for field, info in fields:
            assert getattr(cls, field).offset == info.offset, (name, field)
        assert ctypes.sizeof(cls) == header_ffi.sizeof(name), name
