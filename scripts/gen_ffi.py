#!/usr/bin/env python3
"""Writes bindings-python/hotpath/_ffi/_decls.py, the FFI declarations of the Python
package, from the public headers include/hotpath/*.h (the one source of every C
declaration).

Usage: scripts/gen_ffi.py          rewrite the file
       scripts/gen_ffi.py --check  exit 1 (and say what differs) when the committed
                                   file is not what the headers give

The output is committed; neither the build nor an import runs this.  It holds:
  CDEF       the declarations as plain C, for cffi's ffi.cdef (ABI mode);
  FUNCTIONS  name -> (result type, (parameter types...)), in header order, each type
             spelled as normalised C ("const char*", "hotpath_text_corpus_t**");
  PARAMETERS name -> parameter names (for messages and documentation tools);
  TYPEDEFS   scalar typedefs (hotpath_status_t -> int32_t);
  STRUCTS    public structs: typedef name -> ((field, type), ...), in layout order;
  OPAQUE     handle typedefs whose struct is never defined in a header.
The adapters (_ffi/_ctypes.py, _ffi/_cffi.py) derive their tables from these.

The parser handles what the headers use and refuses anything else loudly: comments,
preprocessor lines (with continuations), the extern "C" braces, HOTPATH_API, scalar and
struct typedefs, and function prototypes without function-pointer parameters.
"""

import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = os.path.join(ROOT, "include", "hotpath")
OUT = os.path.join(ROOT, "bindings-python", "hotpath", "_ffi", "_decls.py")

# In dependency order: a module header may use the types of an earlier one.
HEADERS = ("common.h", "williams.h", "text.h", "consensus.h", "files.h", "compress.h",
           "memory.h", "search.h")
UMBRELLA = "hotpath.h"

SCALARS = ("void", "char", "uint8_t", "int32_t", "uint32_t", "uint64_t", "size_t", "double")


def clean(text):
    """The header as plain C declarations (no comments, preprocessor or extern "C")."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"\\\n", " ", text)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    text = re.sub(r'extern\s+"C"\s*\{', "", text)
    text = re.sub(r"^\s*\}\s*$", "", text, flags=re.M)
    return re.sub(r"\bHOTPATH_API\b", "", text)


def statements(text):
    """Top-level statements ending in ';' (braces kept inside)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ";" and depth == 0:
            stmt = " ".join(text[start:i].split())
            if stmt:
                out.append(stmt)
            start = i + 1
    if text[start:].strip():
        raise SystemExit("gen_ffi: text after the last ';': %r" % text[start:].strip()[:80])
    return out


def norm_type(spelling):
    """'const  uint64_t *' -> 'const uint64_t*'."""
    t = " ".join(spelling.replace("*", " * ").split())
    t = re.sub(r"\s*\*", "*", t)
    return t


def split_decl(decl, where):
    """'const char* name' -> ('const char*', 'name')."""
    m = re.fullmatch(r"(.*?[\s*])(\w+)", decl.strip())
    if not m:
        raise SystemExit("gen_ffi: cannot read declaration %r in %s" % (decl, where))
    return norm_type(m.group(1)), m.group(2)


def base_type(t):
    return t.replace("const ", "").rstrip("*").strip()


class Decls:
    def __init__(self):
        self.functions = {}
        self.parameters = {}
        self.typedefs = {}
        self.structs = {}
        self.opaque = []
        self.cdef = []

    def known(self, t):
        b = base_type(t)
        return b in SCALARS or b in self.typedefs or b in self.structs or b in self.opaque

    def check_type(self, t, where):
        if not self.known(t):
            raise SystemExit("gen_ffi: unknown type %r in %s" % (t, where))
        if base_type(t) in ("void", "char") and "*" not in t and t != "void":
            raise SystemExit("gen_ffi: bare %r in %s" % (t, where))

    def typedef(self, stmt, header):
        m = re.fullmatch(r"typedef struct (\w+) \{(.*)\} (\w+)", stmt)
        if m:
            fields = []
            for part in m.group(2).split(";"):
                if part.strip():
                    ftype, fname = split_decl(part, "%s %s" % (header, m.group(3)))
                    self.check_type(ftype, "%s.%s" % (m.group(3), fname))
                    fields.append((fname, ftype))
            self.structs[m.group(3)] = tuple(fields)
            body = "".join("  %s %s;\n" % (ftype, fname) for fname, ftype in fields)
            self.cdef.append("typedef struct %s {\n%s} %s;" % (m.group(1), body, m.group(3)))
            return
        m = re.fullmatch(r"typedef struct (\w+) (\w+)", stmt)
        if m:
            self.opaque.append(m.group(2))
            self.cdef.append("typedef struct %s %s;" % (m.group(1), m.group(2)))
            return
        m = re.fullmatch(r"typedef (\w+) (\w+)", stmt)
        if m and m.group(1) in SCALARS:
            self.typedefs[m.group(2)] = m.group(1)
            self.cdef.append("typedef %s %s;" % (m.group(1), m.group(2)))
            return
        raise SystemExit("gen_ffi: unsupported typedef in %s: %r" % (header, stmt))

    def function(self, stmt, header):
        m = re.fullmatch(r"(.*?[\s*])(hotpath_\w+) ?\((.*)\)", stmt)
        if not m or "(" in m.group(3):
            raise SystemExit("gen_ffi: unsupported declaration in %s: %r" % (header, stmt))
        result, name = norm_type(m.group(1)), m.group(2)
        if name in self.functions:
            raise SystemExit("gen_ffi: %s declared twice" % name)
        self.check_type(result, name)
        params = [] if m.group(3).strip() == "void" else \
            [split_decl(p, name) for p in m.group(3).split(",")]
        for ptype, _ in params:
            self.check_type(ptype, name)
        self.functions[name] = (result, tuple(p[0] for p in params))
        self.parameters[name] = tuple(p[1] for p in params)
        self.cdef.append("%s %s(%s);" % (result, name, ", ".join(
            "%s %s" % p for p in params) or "void"))

    def header(self, name):
        with open(os.path.join(INCLUDE, name), encoding="utf-8") as f:
            text = f.read()
        self.cdef.append("/* %s */" % name)
        for stmt in statements(clean(text)):
            if stmt.startswith("typedef "):
                self.typedef(stmt, name)
            else:
                self.function(stmt, name)


def check_header_set():
    present = sorted(f for f in os.listdir(INCLUDE) if f.endswith(".h"))
    expected = sorted(HEADERS + (UMBRELLA,))
    if present != expected:
        raise SystemExit("gen_ffi: include/hotpath holds %s; HEADERS lists %s (add a new "
                         "module header to HEADERS)" % (present, expected))


def render(d):
    lines = ['"""Generated by scripts/gen_ffi.py from include/hotpath/*.h.  Do not edit:',
             "change the header, then run scripts/gen_ffi.py (tests check it is fresh).", "",
             "The C declarations of the library, read by the adapters _ctypes and _cffi.",
             '"""', "",
             "HEADERS = %r" % (HEADERS,), "",
             'CDEF = """', "\n".join(d.cdef), '"""', "",
             "TYPEDEFS = {"]
    lines += ["    %r: %r," % item for item in d.typedefs.items()]
    lines += ["}", "", "OPAQUE = ("]
    lines += ["    %r," % name for name in d.opaque]
    lines += [")", "", "STRUCTS = {"]
    for name, fields in d.structs.items():
        lines.append("    %r: (" % name)
        lines += ["        %r," % (field,) for field in fields]
        lines.append("    ),")
    lines += ["}", "", "# name: (result, (parameter types...))", "FUNCTIONS = {"]
    for name, (result, params) in d.functions.items():
        lines.append("    %r: (%r, %r)," % (name, result, params))
    lines += ["}", "", "PARAMETERS = {"]
    for name, params in d.parameters.items():
        lines.append("    %r: %r," % (name, params))
    lines += ["}", ""]
    return "\n".join(lines)


def generate():
    check_header_set()
    d = Decls()
    for name in HEADERS:
        d.header(name)
    return render(d), d


def main(argv):
    text, d = generate()
    if "--check" in argv:
        try:
            with open(OUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), OUT, "generated"))
            print("gen_ffi: %s is stale; run scripts/gen_ffi.py" % os.path.relpath(OUT, ROOT))
            return 1
        print("gen_ffi: %s is fresh (%d functions, %d structs)"
              % (os.path.relpath(OUT, ROOT), len(d.functions), len(d.structs)))
        return 0
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("gen_ffi: wrote %s (%d functions, %d structs)"
          % (os.path.relpath(OUT, ROOT), len(d.functions), len(d.structs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
