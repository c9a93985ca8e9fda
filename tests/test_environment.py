"""The locked environment: uv.lock, environment.yml, the installed versions and `make setup`.

The versions come from the lock file itself (read with :mod:`tomllib`), never from the code
under test; `make setup`'s checks are run through `make` with stand-in interpreters.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path

import pytest
import yaml

from analysis.render.provenance import lock_state, provenance, provenance_html

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "uv.lock"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(spec: str) -> str:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)", spec)
    assert m, spec
    return _norm(m.group(1))


def _lock() -> dict:
    return tomllib.loads(LOCK.read_text(encoding="utf-8"))


def _locked_versions() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for pkg in _lock()["package"]:
        out.setdefault(_norm(pkg["name"]), set()).add(pkg["version"])
    return out


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _stack() -> list[str]:
    """The analysis stack: every direct dependency in pyproject.toml, dev tools included."""
    project = _project()["project"]
    return [_name(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_lock_pins_every_package_with_hashes():
    packages = _lock()["package"]
    assert len(packages) > 50
    for pkg in packages:
        if pkg["source"].get("editable"):
            continue  # the project itself
        files = [pkg["sdist"]] if "sdist" in pkg else []
        files += pkg.get("wheels", [])
        assert files, f"{pkg['name']} has no files in uv.lock"
        for f in files:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", f.get("hash", "")), (pkg["name"], f)


def test_lock_matches_pyproject():
    """uv.lock was made from this pyproject.toml (else `make setup` stops: run `make lock`)."""
    pyproject = _project()
    project = pyproject["project"]
    (me,) = [p for p in _lock()["package"] if p["name"] == project["name"]]
    locked = {
        (_norm(r["name"]), r.get("specifier", ""), r.get("marker", ""))
        for r in me["metadata"]["requires-dist"]
    }
    wanted = set()
    for extra, specs in [("", project["dependencies"])] + [
        (k, v) for k, v in project["optional-dependencies"].items()
    ]:
        for spec in specs:
            marker = f"extra == '{extra}'" if extra else ""
            wanted.add((_name(spec), spec[len(re.match(r"[\w.\-]+", spec)[0]) :], marker))
    assert locked == wanted
    groups = {
        g: {(_norm(r["name"]), r.get("specifier", "")) for r in reqs}
        for g, reqs in me["metadata"]["requires-dev"].items()
    }
    assert groups == {
        g: {(_name(s), s[len(re.match(r"[\w.\-]+", s)[0]) :]) for s in specs}
        for g, specs in pyproject["dependency-groups"].items()
    }
    assert _lock()["requires-python"] == project["requires-python"]


def test_every_dependency_is_locked_to_one_version():
    locked = _locked_versions()
    for name in _stack():
        assert len(locked.get(name, ())) == 1, f"{name}: {locked.get(name)}"


def test_environment_yml_pins_the_locked_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for spec in env["dependencies"]:
        if not isinstance(spec, str) or _name(spec) in {"python", "pip"}:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", spec.replace(" ", ""))
        assert m, f"environment.yml: {spec!r} is not pinned with =="
        pins[_norm(m.group(1))] = m.group(2)
    locked = _locked_versions()
    assert pins == {name: next(iter(locked[name])) for name in _stack()}


def test_installed_analysis_stack_is_the_locked_one():
    """`pip freeze` equals the lock for the analysis stack (in .venv and in the conda env)."""
    locked = _locked_versions()
    wrong = {}
    for name in _stack():
        try:
            got = version(name)
        except PackageNotFoundError:
            got = None
        if got not in locked[name]:
            wrong[name] = (got, sorted(locked[name]))
    assert wrong == {}, "installed ≠ uv.lock (run `make setup`): " + repr(wrong)


IN_VENV = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


@pytest.mark.skipif(not IN_VENV, reason="only in the project's .venv")
def test_venv_holds_exactly_the_lock():
    """In .venv the installed distributions are exactly what uv.lock pins for this platform
    (uv's own export of the lock, markers evaluated here), as `pip freeze --all` lists them."""
    from packaging.requirements import Requirement

    uv = Path(sys.prefix) / "bin" / "uv"
    exported = subprocess.run(
        [str(uv), "export", "--frozen", "--extra", "dev", "--group", "setup", "--no-hashes"]
        + ["--no-emit-project", "--no-header", "--no-annotate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wanted = {}
    for line in exported.splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate():
                (spec,) = req.specifier
                assert spec.operator == "==", line
                wanted[_norm(req.name)] = spec.version
    installed = {_norm(d.metadata["Name"]): d.version for d in distributions()}
    installed.pop(_norm(_project()["project"]["name"]))
    assert installed == wanted


def test_provenance_records_the_lock_hash():
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    assert lock_state() == {"file": "uv.lock", "sha256": digest}
    prov = provenance({"year": 2025}, [])
    assert prov["lock"]["sha256"] == digest
    page = provenance_html(prov)
    assert f"<code>{digest}</code>" in page
    assert "uv.lock" in page


def test_provenance_without_a_lock_file(tmp_path: Path):
    assert lock_state(tmp_path) == {"file": "uv.lock", "sha256": None}
    page = provenance_html({"lock": lock_state(tmp_path)})
    assert "Låsefilen for pakkeversjonene ble ikke funnet" in page


# --------------------------------------------------------------------------- make setup

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def _fake_python(path: Path, body: str) -> Path:
    """A stand-in interpreter: a shell script that ignores its arguments."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _project_copy(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml", "uv.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def _make(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@needs_make
def test_setup_names_the_python_found_and_needed(tmp_path: Path):
    old = _fake_python(tmp_path / "bin" / "python3", "echo 3.10.12")
    res = _make(_project_copy(tmp_path), "setup", f"PYTHON={old}")
    assert res.returncode != 0
    assert "er Python 3.10.12, men fou-analyse trenger Python 3.11 eller nyere" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / ".venv").exists()


@needs_make
def test_setup_without_python(tmp_path: Path):
    res = _make(_project_copy(tmp_path), "setup", f"PYTHON={tmp_path / 'nope' / 'python3'}")
    assert res.returncode != 0
    assert "fant ikke Python" in res.stderr
    assert not (tmp_path / ".venv").exists()


@needs_make
def test_check_python_accepts_this_interpreter(tmp_path: Path):
    res = _make(_project_copy(tmp_path), "check-python", f"PYTHON={sys.executable}")
    assert res.returncode == 0, res.stderr


def _venv(root: Path, python_body: str, stamp: str | None) -> None:
    _fake_python(root / ".venv" / "bin" / "python", python_body)
    _fake_python(root / ".venv" / "bin" / "uv", "exit 0")
    if stamp is not None:
        (root / ".venv" / ".fou-installed").write_text(stamp, encoding="utf-8")


@needs_make
@pytest.mark.parametrize(
    ("python_body", "stamp"),
    [
        ("echo 3.10.12", "python 3.10.12\n"),  # made by a too old Python
        ("exit 1", "python 3.11.7\n"),  # broken (e.g. its base interpreter was removed)
        ("echo 3.12.1", "python 3.11.7\n"),  # the interpreter changed under it
    ],
    ids=["too-old", "broken", "changed"],
)
def test_setup_rebuilds_a_wrong_or_broken_venv(tmp_path: Path, python_body: str, stamp: str):
    root = _project_copy(tmp_path)
    _venv(root, python_body, stamp)
    res = _make(root, "-n", "setup", f"PYTHON={sys.executable}")
    assert res.returncode == 0, res.stderr
    assert "rm -rf .venv" in res.stdout


@needs_make
def test_setup_keeps_a_good_venv(tmp_path: Path):
    root = _project_copy(tmp_path)
    _venv(root, "echo 3.11.7", "python 3.11.7\n")
    res = _make(root, "-q", "setup")  # -q: exit 0 when up to date
    assert res.returncode == 0, res.stdout + res.stderr
    # a Python given on the command line that differs from the venv's rebuilds it
    other = _fake_python(tmp_path / "bin" / "python3.12", "echo 3.12.1")
    res = _make(root, "-n", "setup", f"PYTHON={other}")
    assert "rm -rf .venv" in res.stdout


@needs_make
def test_lab_allows_root_only_for_root(tmp_path: Path):
    root = _project_copy(tmp_path)
    _venv(root, "echo 3.11.7", "python 3.11.7\n")
    res = _make(root, "-n", "lab")
    assert res.returncode == 0, res.stderr
    (line,) = [x for x in res.stdout.splitlines() if "jupyter lab" in x]
    assert ("--allow-root" in line) == (os.geteuid() == 0)
