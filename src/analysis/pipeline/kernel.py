"""A Jupyter kernel started early and warmed up while the parent process does other work.

A notebook run through papermill pays two fixed costs that a plain Python process does not:
starting a kernel (about a second) and, inside that kernel, importing the report's modules
(pandas, matplotlib, statsmodels, the package) before the first cell can compute anything.
The parent meanwhile spends about as long importing papermill, nbformat and nbconvert. Done
one after the other, these add up; done side by side, they overlap.

:class:`WarmKernel` starts the kernel first, then sends it one *silent* execute request that
imports the modules the notebook imports (found with :mod:`ast` from the notebook's code
cells, without binding any name in the notebook's namespace and without touching the
execution counter), and hands the running kernel to papermill as its kernel manager. The
executed notebook is the same, byte for byte, as with a kernel papermill starts itself: a
silent request adds no output, no execution count and no history.

The kernel is started with the options nbclient would give it (``--HistoryManager.hist_file
=:memory:``, so concurrent kernels never share IPython's history database) and is always shut
down in :meth:`WarmKernel.close`, with its ZeroMQ context destroyed.

Transport: where ZeroMQ supports it (Linux, macOS), the kernel talks over Unix domain sockets
(``ipc``) in a private temporary folder (``fou-kernel-<pid>-<random>``, mode 0700) that also
holds its connection file. No TCP port is chosen, so kernels started at the same moment
(``fou run --jobs``, the test suite, a JupyterLab next to it) cannot take the same port; the
``Address already in use`` race of TCP kernels does not exist. A socket path is limited to
about 100 bytes; when ``TMPDIR`` is deeper than that allows, the sockets are reached through a
short symbolic link ``/tmp/fou-kernel-<pid>-<random>`` to the private folder (the files stay
in the folder, which others cannot enter). Only where neither works (no Unix sockets, no
writable ``/tmp``) does the kernel use TCP on localhost, and the caller retries a start that
lost the port race. The private folder, with its socket and connection files, and the link
are removed in :meth:`WarmKernel.close`, which the callers run on every exit path; folders and
links left by a process that was killed (``kill -9``) are removed by the next
:func:`remove_stale_runtime_dirs`.

References
----------
Jupyter messaging protocol, ``execute_request`` with ``silent=True``:
https://jupyter-client.readthedocs.io/en/stable/messaging.html#execute
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# nbclient starts kernels with an in-memory IPython history unless told otherwise; do the same.
HISTORY_ARGUMENT = "--HistoryManager.hist_file=:memory:"
RUNTIME_PREFIX = "fou-kernel-"
# Unix socket paths are limited to 104 (macOS) / 108 (Linux) bytes including the terminator
_MAX_SOCKET_PATH = 100
# where a short link to a private folder is made when TMPDIR is too deep for socket paths
SHORT_LINK_DIRS = ("/tmp", "/var/tmp")


def ipc_available() -> bool:
    """Whether kernels can use Unix domain sockets (``ipc``) instead of TCP ports."""
    if os.name != "posix":
        return False
    try:
        import zmq

        return bool(zmq.has("ipc"))
    except ImportError:  # pragma: no cover - pyzmq is a dependency of jupyter_client
        return False


def make_runtime_dir() -> Path:
    """A new private folder (mode 0700) for one kernel's sockets and connection file.

    Named ``fou-kernel-<pid>-<random>`` in the temporary folder (``TMPDIR``), so that the
    process owning it can be told from its name.
    """
    return Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))


def socket_path_fits(folder: Path) -> bool:
    """Whether the kernel's socket files (``<folder>/k-1`` … ``k-5``) fit in a socket path."""
    return len(str(folder / "k-99999")) <= _MAX_SOCKET_PATH


def make_short_link(target: Path) -> Path | None:
    """A symbolic link ``fou-kernel-<pid>-<random>`` to ``target`` in the first of
    :data:`SHORT_LINK_DIRS` where it can be made and is short enough for socket paths.

    Returns ``None`` when there is no such place. The link is created atomically under a
    fresh random name (an existing name is never reused or followed).
    """
    for base in SHORT_LINK_DIRS:
        for _ in range(8):
            link = Path(base) / f"{RUNTIME_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            if not socket_path_fits(link):
                break
            try:
                os.symlink(target, link, target_is_directory=True)
            except FileExistsError:
                continue
            except OSError:
                break
            return link
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_runtime_dirs(
    tmp: Path | None = None, link_dirs: Sequence[str | Path] = SHORT_LINK_DIRS
) -> list[Path]:
    """Remove kernel folders and links whose owning process no longer exists (left by
    ``kill -9``).

    Only folders in ``tmp`` (default: the temporary folder) and symbolic links in ``tmp`` and
    ``link_dirs`` named ``fou-kernel-<pid>-…``, owned by this user, with a dead ``pid`` are
    removed (a link itself, never what it points to); nothing of a running process is
    touched. Returns what was removed.
    """
    tmp = Path(tmp or tempfile.gettempdir())
    removed: list[Path] = []
    seen: set[Path] = set()
    for folder in (tmp, *map(Path, link_dirs)):
        if folder in seen:
            continue
        seen.add(folder)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for p in entries:
            if not p.name.startswith(RUNTIME_PREFIX):
                continue
            pid_text = p.name[len(RUNTIME_PREFIX) :].split("-", 1)[0]
            try:
                st = p.lstat()
            except OSError:
                continue
            if not pid_text.isdigit() or st.st_uid != os.getuid() or _pid_alive(int(pid_text)):
                continue
            if p.is_symlink():
                p.unlink(missing_ok=True)
            elif folder == tmp and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                continue
            removed.append(p)
    return removed


def notebook_imports(path: Path) -> list[str]:
    """Modules imported at the top level of a notebook's code cells, in order of appearance.

    ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (``c`` may be a submodule; importing a
    name that is not a module is skipped at warm-up). Cells that are not valid Python (magics)
    are skipped. The notebook is read as plain JSON: nbformat is not needed for this.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
                names.extend(
                    f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"
                )
    return list(dict.fromkeys(names))


def warmup_code(modules: Iterable[str]) -> str:
    """Code that imports ``modules`` and leaves no name behind in the user namespace."""
    listed = ", ".join(repr(m) for m in modules)
    return (
        "def __fou_warm_up():\n"
        "    import importlib\n"
        f"    for name in ({listed},):\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except Exception:\n"
        "            pass\n"
        "__fou_warm_up()\n"
        "del __fou_warm_up\n"
    )


_LIVE: set[WarmKernel] = set()


def kill_live_kernels() -> None:
    """Kill every kernel this process started and has not closed, and remove their private
    folders, at once; safe to call from a signal handler (no messaging, no event loop).

    ``fou run`` calls this on SIGINT/SIGTERM: a kernel busy with a cell would otherwise
    outlive the interrupted run."""
    for warm in list(_LIVE):
        warm.kill_now()


class WarmKernel:
    """A kernel started now, warmed up in the background, handed to papermill as ``km``.

    Parameters
    ----------
    kernel_name
        Kernel spec to start (``python3``).
    cwd
        Working directory of the kernel (the notebook's directory).
    extra_arguments
        Command-line options for the kernel, as papermill's ``extra_arguments``.
    modules
        Modules to import before the notebook runs (see :func:`notebook_imports`).
    env
        Extra environment variables for the kernel (on top of this process's environment).
    transport
        ``"ipc"`` (Unix sockets in a private folder) or ``"tcp"``; default: ``ipc`` where
        available (:func:`ipc_available`).

    Use as a context manager or call :meth:`start` and, always, :meth:`close`.
    """

    def __init__(
        self,
        kernel_name: str,
        cwd: Path,
        extra_arguments: Sequence[str] = (),
        modules: Sequence[str] = (),
        env: dict[str, str] | None = None,
        transport: str | None = None,
    ) -> None:
        self.kernel_name = kernel_name
        self.env = dict(env or {})
        self.transport = transport or ("ipc" if ipc_available() else "tcp")
        self.runtime_dir: Path | None = None
        self.short_link: Path | None = None
        self.cwd = cwd
        self.extra_arguments = list(extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in self.extra_arguments):
            self.extra_arguments.append(HISTORY_ARGUMENT)
        self.modules = list(modules)
        self.km: Any = None
        self._kc: Any = None
        self._warm_id: str | None = None

    def start(self) -> WarmKernel:
        """Launch the kernel process and queue the warm-up; returns without waiting."""
        from jupyter_client.manager import KernelManager

        _LIVE.add(self)
        self.runtime_dir = make_runtime_dir()
        options: dict[str, Any] = {
            "kernel_name": self.kernel_name,
            "connection_file": str(self.runtime_dir / "kernel.json"),
        }
        if self.transport == "ipc":
            # sockets <runtime_dir>/k-1 … k-5: a folder of its own, so no name is shared;
            # reached through a short link when TMPDIR is too deep for a socket path
            socket_dir: Path | None = self.runtime_dir
            if not socket_path_fits(self.runtime_dir):
                socket_dir = self.short_link = make_short_link(self.runtime_dir)
            if socket_dir is None:
                self.transport = "tcp"  # no short path anywhere: TCP (start retried on a race)
            else:
                options.update(transport="ipc", ip=str(socket_dir / "k"))
        self.km = KernelManager(**options)
        self.km.start_kernel(
            cwd=str(self.cwd),
            extra_arguments=self.extra_arguments,
            env={**os.environ, **self.env},
        )
        if self.modules:
            self._kc = self.km.client()  # blocking: the warm-up is waited for here
            self._kc.start_channels()
            # queued on the shell socket: the kernel runs it as soon as it is up
            self._warm_id = self._kc.execute(
                warmup_code(self.modules), silent=True, store_history=False, allow_stdin=False
            )
        # papermill's client (nbclient) must be asynchronous: with a blocking one, waiting for
        # output blocks nbclient's event loop, so its check that the kernel is alive (and
        # its timeouts) never run, and a killed kernel would leave it waiting forever
        from jupyter_client.asynchronous import AsyncKernelClient

        self.km.client_factory = AsyncKernelClient
        return self

    def wait(self, timeout: float = 120.0) -> None:
        """Wait for the warm-up to finish (its outcome does not matter: the notebook's own
        imports report any error), so that the notebook's first cell is not queued behind it
        with a timeout of its own. Raises ``RuntimeError`` when the kernel died."""
        if self._kc is None or self._warm_id is None:
            return
        from queue import Empty

        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"kjernen svarte ikke på oppvarmingen innen {timeout:.0f} s")
            try:
                msg = self._kc.get_shell_msg(timeout=min(remaining, 1.0))
            except Empty:
                if not self.km.is_alive():
                    raise RuntimeError("kjernen stoppet før den svarte på oppvarmingen") from None
                continue
            if msg.get("parent_header", {}).get("msg_id") == self._warm_id:
                break
        self._drop_client()

    @property
    def pid(self) -> int | None:
        """Process id of the kernel (``None`` before it is started)."""
        provisioner = getattr(self.km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        return int(pid) if pid else None

    def kill_now(self) -> None:
        """Kill the kernel's process group with SIGKILL and remove its private folder, without
        talking to it (for signal handlers; :meth:`close` is the orderly way)."""
        import signal

        _LIVE.discard(self)
        pid = self.pid
        if pid is not None:
            try:
                if hasattr(os, "killpg"):
                    os.killpg(pid, signal.SIGKILL)  # started in a session of its own
                else:  # pragma: no cover - Windows
                    os.kill(pid, signal.SIGTERM)
            except OSError:
                try:
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
                except OSError:
                    pass
        self._remove_files()

    def _remove_files(self) -> None:
        link, self.short_link = self.short_link, None
        if link is not None:
            try:
                link.unlink(missing_ok=True)
            except OSError:
                pass
        runtime, self.runtime_dir = self.runtime_dir, None
        if runtime is not None:
            shutil.rmtree(runtime, ignore_errors=True)

    def close(self) -> None:
        """Stop the channels, shut the kernel down, release its sockets and context and
        remove its private folder (socket and connection files)."""
        _LIVE.discard(self)
        try:
            self._drop_client()
        finally:
            km, self.km = self.km, None
            try:
                if km is not None:
                    if km.has_kernel:
                        km.shutdown_kernel(now=True)  # destroys the context it created
                    else:
                        km.cleanup_resources()
            except RuntimeError:
                pass
            finally:
                self._remove_files()

    def _drop_client(self) -> None:
        kc, self._kc = self._kc, None
        if kc is not None:
            try:
                kc.stop_channels()
            finally:
                kc.context.destroy(linger=0)

    def __enter__(self) -> WarmKernel:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
