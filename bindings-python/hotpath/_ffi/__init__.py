"""The boundary between the Python package and the C library (private).

_decls     the C declarations, generated from include/hotpath/*.h by scripts/gen_ffi.py
_loader    library discovery, backend selection, the ABI check (backend objects)
_ctypes    the ctypes adapter  } the same names and meanings; a backend object holds
_cffi      the cffi adapter    } one of them as ``backend.api``
_pack      many strings as one buffer plus offsets (pack)
_fresh     new bytes objects the library writes into (CPython)

The public modules (text, files, ...) call the library as ``backend.lib.hotpath_*``
and convert through the adapter only, so they name no FFI.  The adapter interface:

  NAME, NULL                 "ctypes"/"cffi"; the NULL pointer argument
  open_library, has_symbol, bind, symbol_address    (used by _loader)
  text(p) -> str | None      a returned const char*, or one read from a cell
  string(p, n) -> bytes      n bytes at a pointer read from a cell
  read_array(p, n, code)     a copy of n items at p as array(code)
  is_null(p)
  cell_type(T)() -> cell     one-item out-parameter for a ``T*`` parameter, read as
                             cell[0]; T may be a pointer ("const char*") or a handle
                             type ("hotpath_text_corpus_t*"); new_u64/new_f64/new_i32/
                             new_size are the common ones
  array_in(buf, T), array_out(buf, T)   const T* / T* from a C-contiguous buffer;
                             in_u64/in_f64/in_u32/in_size/out_* are the common ones
  bytes_in(view), bytes_out(view)       const void* / void* (NULL when empty)
  chars_in(data)             const char* from bytes or a bytearray (packed text)
  chars_at(int)              const char* from an integer address (a str's own UTF-8)
  address(int)               void* from an integer address
  new_struct(T), struct_size(T), set_pointer(s, field, buf) -> keep, struct_arg(s)

The backend object (_loader.NativeBackend) adds ``create(create_fn, T)`` (a new
handle), ``check(status)`` and ``error(status)`` (the exception of a failed call).
A new function needs no change here: the declarations and both adapters' tables come
from its header (docs/adding-a-function.md).
"""
