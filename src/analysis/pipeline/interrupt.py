"""Ctrl-C and SIGTERM during ``fou run``: stop everything, install nothing more, clean up.

In the parent, :class:`SignalGuard` turns SIGINT and SIGTERM into :class:`RunInterrupted`
(held back while a job is being installed, so that a job is installed whole or not at all).
:data:`stopping` records the signal, so that a job that ends because its kernel was killed is
neither reported as failed nor copied to ``.failed/``
(:func:`analysis.pipeline.execute.execute_job`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

# set when SIGINT/SIGTERM arrived: a job that ends after it (e.g. because its kernel was
# killed) is neither reported as failed nor copied to .failed/
stopping: int | None = None


class RunInterrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop everything, install nothing more, clean up.

    A :class:`BaseException` (like :class:`KeyboardInterrupt`) so that no ``except
    Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The exit status of ``fou run``: 128 + the signal number (130, 143)."""
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        """``Ctrl-C`` for SIGINT, else the signal's name (``SIGTERM``)."""
        return "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name


class SignalGuard:
    """SIGINT and SIGTERM as :class:`RunInterrupted` in the main thread of the parent.

    Inside :meth:`deferred` (installing a job's files, saving the cache) a signal is held
    back until the block ends, so that a job is installed whole or not at all. After the
    first signal, further ones are ignored while the run cleans up.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._defer = 0
        self._previous: dict[int, Any] = {}
        self._log_level: int | None = None

    def __enter__(self) -> SignalGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        global stopping
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
        stopping = None
        if self._log_level is not None:
            import logging

            logging.getLogger("papermill").setLevel(self._log_level)

    def _handle(self, signum: int, frame: Any) -> None:
        global stopping
        if self.received is not None:
            return  # already stopping
        self.received = signum
        stopping = signum
        from analysis.pipeline.kernel import _LIVE, kill_live_kernels

        if _LIVE:
            # a job runs in this process (--jobs 1): an exception raised here could be
            # swallowed by the event loop papermill runs the notebook in. Kill the kernel
            # instead; papermill then fails at once and execute_job, seeing `stopping`,
            # raises RunInterrupted itself.
            import logging

            log = logging.getLogger("papermill")
            self._log_level = log.level
            log.setLevel(logging.CRITICAL)  # no "Kernel died …" line
            kill_live_kernels()
            return
        if not self._defer:
            raise RunInterrupted(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """A block in which a signal is held back until the block ends."""
        self._defer += 1
        try:
            yield
        finally:
            self._defer -= 1
        self.check()

    def check(self) -> None:
        """Raise :class:`RunInterrupted` if a signal arrived (outside a deferred block)."""
        if self.received is not None and not self._defer:
            raise RunInterrupted(self.received)


@contextlib.contextmanager
def ignoring_signals() -> Iterator[None]:
    """A block during which SIGINT and SIGTERM are ignored (final cleanup)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
