"""One ``fou run`` at a time per output folder: an advisory OS lock on ``<out>/.fou.lock``.

Two runs into the same folder used to trip over each other (the first to finish removed the
other's staging folder and its cache entry). :class:`OutputFolderLock` takes an exclusive
lock on a file in the output folder for the whole run: a second run into the same folder
waits (and says so) until the first is done. The lock belongs to the open file, so the
operating system releases it when the process ends in any way, ``kill -9`` included; the
lock file itself stays (removing it could let two runs lock two different files).

``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows; no extra package.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

LOCK_NAME = ".fou.lock"


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; ``False`` if another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


class OutputFolderLock:
    """Exclusive lock on an output folder for the duration of a run.

    Parameters
    ----------
    folder
        The output folder (must exist).
    poll
        Seconds between attempts while another run holds the lock.
    """

    def __init__(self, folder: Path, poll: float = 0.5) -> None:
        self.path = Path(folder) / LOCK_NAME
        self.poll = poll
        self._fd: int | None = None

    def acquire(self, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock; while another run holds it, call ``on_wait`` once (with the
        holder's process id, if known) and wait. Interruptible by signals."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            told = False
            while not _try_lock(fd):
                if not told and on_wait is not None:
                    on_wait(self.holder())
                told = True
                time.sleep(self.poll)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def holder(self) -> str:
        """Process id written by the run holding the lock ("" if unknown)."""
        try:
            return self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> OutputFolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
