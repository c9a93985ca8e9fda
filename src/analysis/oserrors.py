"""One-line bokmål messages for errors from the operating system.

A user who points ``--out`` at a read-only disk, a folder without write access, a full disk
or a path under a file should get one line that says what is wrong with which path, not a
Python traceback. :func:`describe_os_error` turns an :class:`OSError` into that line.
"""

from __future__ import annotations

import errno
import os

_BY_ERRNO: dict[int, str] = {
    errno.EACCES: "ingen tilgang til {path} (mangler skrivetilgang?)",
    errno.EPERM: "ingen tilgang til {path} (operasjonen er ikke tillatt)",
    errno.EROFS: "{path} ligger på et skrivebeskyttet filsystem",
    errno.ENOSPC: "ikke mer plass på disken (ved skriving til {path})",
    errno.EDQUOT: "diskkvoten er brukt opp (ved skriving til {path})",
    errno.ENOENT: "finner ikke {path}",
    errno.ENOTDIR: "{path}: en del av stien er en fil, ikke en mappe",
    errno.EISDIR: "{path} er en mappe, ikke en fil",
    errno.EEXIST: "{path} finnes allerede",
    errno.ENAMETOOLONG: "stien er for lang: {path}",
    errno.EMFILE: "for mange åpne filer (ved {path})",
    errno.EIO: "lese- eller skrivefeil på disken ved {path}",
}


def describe_os_error(exc: OSError, where: str | os.PathLike[str] | None = None) -> str:
    """A one-line message in bokmål naming the path and what is wrong with it.

    ``where`` names the path when the error itself does not (a write to an open file on a
    full disk, for instance): the caller's best guess, such as the output folder.

    Examples
    --------
    >>> import errno
    >>> describe_os_error(OSError(errno.EROFS, "Read-only file system", "/mnt/x"))
    '/mnt/x ligger på et skrivebeskyttet filsystem'
    """
    path = exc.filename if exc.filename is not None else (where or "")
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    path = str(path) or "(ukjent sti)"
    if exc.filename2 is not None:
        path = f"{path} → {os.fsdecode(exc.filename2)}"
    template = _BY_ERRNO.get(exc.errno or -1)
    if template is None:
        reason = exc.strerror or type(exc).__name__
        return f"systemfeil ved {path}: {reason}"
    return " ".join(template.format(path=path).split())
