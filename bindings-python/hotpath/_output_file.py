"""The one writer of files in the package, with the rule of the library's writer
(src/common/output_file.hpp; docs/writing.md):

* the destination is resolved once: symbolic links are followed to the file they
  name (the link stays, its target gets the content); a link to nothing is refused;
* the final file must be a regular file or not exist: a folder (EISDIR) and a FIFO,
  socket or device (EEXIST) are refused, never replaced;
* the bytes go to a temporary file ".<name>.XXXXXX" in the final file's folder,
  renamed over it after the last byte was written and the file closed (or, with
  exclusive=True, linked to a name that must not exist yet); on failure the
  temporary file is removed and the old file is untouched;
* durable=True adds the fsyncs that make the replacement survive a power loss: of
  the temporary file before it gets the name, and of the folder after.

Paths are bytes (os.fsencode); messages are the library's, word for word.
"""

from __future__ import annotations

import errno as _errno
import os
import random
import stat

from ._errors import os_error

_MAX_LINKS = 40


def _fail(what, path, err):
    shown = os.fsdecode(path)
    return os_error("cannot %s '%s': %s" % (what, shown, os.strerror(err)), err, path)


def _kind(mode):
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def resolve(dst):
    """dst (bytes) after following symbolic links, checked against the rule."""
    path = dst
    hops = 0
    while True:
        try:
            st = os.lstat(path)
        except OSError as exc:
            if exc.errno == _errno.ENOENT:
                if hops == 0:
                    return path
                raise os_error("cannot write '%s': it is a symbolic link to nothing ('%s')"
                               % (os.fsdecode(dst), os.fsdecode(path)), _errno.ENOENT, dst)
            raise _fail("write", dst, exc.errno) from None
        if stat.S_ISREG(st.st_mode):
            return path
        if not stat.S_ISLNK(st.st_mode):
            err = _errno.EISDIR if stat.S_ISDIR(st.st_mode) else _errno.EEXIST
            raise os_error("cannot write '%s': it is %s; only regular files are replaced"
                           % (os.fsdecode(dst), _kind(st.st_mode)), err, dst)
        if hops >= _MAX_LINKS:
            raise _fail("write", dst, _errno.ELOOP)
        try:
            to = os.readlink(path)
        except OSError as exc:
            raise _fail("write", dst, exc.errno) from None
        folder = path[:path.rfind(b"/") + 1]
        path = to if to.startswith(b"/") else folder + to
        hops += 1


def _make_temp(folder, prefix):
    """(fd, path) of a new file folder + prefix + 6 random characters, the folder taken
    as it is (the kernel resolves "..", as for the library's mkstemp; tempfile would
    normalise it as text first)."""
    for _ in range(100):
        name = folder + prefix + "".join(_RANDOM.choice(_LETTERS) for _ in range(6)).encode()
        try:
            return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL |
                           getattr(os, "O_CLOEXEC", 0), 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(_errno.EEXIST, os.strerror(_errno.EEXIST))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_RANDOM = random.SystemRandom()


class OutputFile:
    """A temporary file that becomes the destination on commit()."""

    def __init__(self, dst, mode=0o644, exclusive=False, durable=False):
        self.dst = os.fsencode(dst)
        self.exclusive = exclusive
        self.durable = durable
        self.target = self.dst if exclusive else resolve(self.dst)
        slash = self.target.rfind(b"/") + 1
        folder, base = self.target[:slash], self.target[slash:]
        self.fd, self.tmp = -1, None
        self.written = 0
        try:
            self.fd, self.tmp = _make_temp(folder, b"." + base + b".")
        except OSError as exc:
            raise _fail("create a temporary file for", self.dst, exc.errno) from None
        try:
            os.fchmod(self.fd, mode & 0o7777)
        except OSError as exc:
            self.discard()
            raise _fail("set the mode of a temporary file for", self.dst, exc.errno) from None

    def write(self, data):
        view = memoryview(data).cast("B")
        while len(view):
            try:
                w = os.write(self.fd, view)
            except InterruptedError:
                continue
            except OSError as exc:
                raise _fail("write", self.dst, exc.errno) from None
            view = view[w:]
            self.written += w

    def commit(self):
        """Close, then rename over the final file (exclusive: link to it, raising
        FileExistsError when the name is taken); returns the bytes written."""
        if self.durable:
            try:
                os.fsync(self.fd)
            except OSError as exc:
                self.discard()
                raise _fail("write", self.dst, exc.errno) from None
        fd, self.fd = self.fd, -1
        try:
            os.close(fd)
        except OSError as exc:
            self.discard()
            raise _fail("write", self.dst, exc.errno) from None
        try:
            if self.exclusive:
                self._place_new()
            else:
                os.rename(self.tmp, self.target)
        except OSError as exc:
            self.discard()
            if self.exclusive and exc.errno == _errno.EEXIST:
                raise
            raise _fail("replace", self.dst, exc.errno) from None
        self.tmp = None
        if self.durable:
            self._sync_folder()
        return self.written

    def _sync_folder(self):
        """fsync the folder of the final file: the rename is durable once the folder's
        entry is on disk (a failure is the library's "cannot write" error)."""
        folder = self.target[:self.target.rfind(b"/") + 1] or b"."
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) |
                         getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise _fail("write", self.dst, exc.errno) from None
        try:
            os.fsync(fd)
        except OSError as exc:
            raise _fail("write", self.dst, exc.errno) from None
        finally:
            os.close(fd)

    def _place_new(self):
        """Give the temporary file the name self.target, which must not exist."""
        try:
            os.link(self.tmp, self.target)
        except FileExistsError:
            raise
        except OSError:
            # No hard links on this file system: reserve the name, then rename over it.
            os.close(os.open(self.target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.rename(self.tmp, self.target)
            return
        os.unlink(self.tmp)

    def discard(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None

    abort = discard
