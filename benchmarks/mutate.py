"""Mutation testing of the modules that carry numbers to a reader: writes benchmarks/mutation.md.

A mutation tool (mutmut) changes one thing at a time in a copy of the source (``<`` for
``<=``, ``+`` for ``-``, a constant, a deleted argument ...) and runs the tests that call the
changed function. A mutant the tests do not notice ("survived") is either a bug the tests
would let through or an *equivalent* mutant: a change that cannot alter any result (listed,
with the reason, in ``benchmarks/mutation_equivalent.toml``). The score of a module is

    killed / (mutants − equivalent)

where a mutant whose tests hang past the tool's time limit counts as killed (the change was
noticed) and is also reported as a timeout. The target (issue 19) is at least 90 % for every
module.

Each module is run on its own, in a scratch folder under ``benchmarks/.work/mutation/``
holding a copy of ``src/``, only the test files listed for that module and a generated
``pyproject.toml`` (so the checkout and its configuration are never touched), with ``nice``
and one worker, so that a run stays at a few minutes on a shared machine.

Usage: ``make mutate`` (every module) or
``python benchmarks/mutate.py [--module methods/stats.py ...] [--jobs N] [--list]``.
Modules not named keep their previous rows in ``mutation.md``. After writing tests for the
survivors, ``--survivors`` runs only the previous run's surviving mutants again (with the
current tests) and keeps the other results; the time column then adds both runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "mutation"
RESULTS = ROOT / "benchmarks" / "mutation.md"
EQUIVALENT = ROOT / "benchmarks" / "mutation_equivalent.toml"
TARGET = 0.90


@dataclass(frozen=True)
class Target:
    """One module to mutate: its path under ``src/analysis``, the test files that guard it
    and, for a module of which only some functions carry a documented number, those
    functions (mutants of the others are not generated into the score)."""

    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = field(default=())

    @property
    def dotted(self) -> str:
        return "analysis." + self.path.removesuffix(".py").replace("/", ".")


TARGETS: tuple[Target, ...] = (
    Target(
        "methods/stats.py",
        ("test_stats.py", "test_stats_contracts.py", "test_stats_html.py", "test_stats_edges.py"),
    ),
    Target(
        "methods/oaxaca.py",
        ("test_oaxaca.py", "test_oaxaca_display.py", "test_decomposition_properties.py"),
    ),
    Target(
        "methods/funnel.py",
        ("test_funnel.py", "test_funnel_calibrated.py", "test_funnel_contracts.py"),
    ),
    Target(
        "disclosure/tables.py",
        ("test_disclosure_tables.py", "test_suppression.py", "test_disclosure_properties.py"),
    ),
    Target("disclosure/min_cell.py", ("test_free_text.py", "test_min_cell_message.py")),
    Target(
        "disclosure/hr.py",
        ("test_disclosure_hr.py", "test_sparse_rules.py"),
    ),
    Target(
        "disclosure/register.py",
        (
            "test_register_dimensions.py",
            "test_register_hidden_project.py",
            "test_register_protect.py",
            "test_register_routes.py",
        ),
    ),
    Target("pipeline/cache.py", ("test_cache_key.py", "test_cache_key_inputs.py")),
    Target(
        "paygap/measures.py",
        ("test_boundaries.py", "test_paygap.py", "test_eu_pay_transparency.py"),
        functions=("eu_pay_transparency", "_adjusted_gap_pct", "EUIndicators.flagged_categories"),
    ),
    Target(
        "sickleave/measures.py",
        ("test_boundaries.py", "test_sickleave.py", "test_absence_concentration.py"),
        functions=("absence_concentration", "_person_lost_days"),
    ),
)

# mutmut's exit-code classes (mutmut.stats.status_by_exit_code)
KILLED = {1, 3}
SURVIVED = {0}
TIMEOUT = {36, 24, -24, 152, 255}
NO_TESTS = {5, 33}


def _slug(path: str) -> str:
    return path.removesuffix(".py").replace("/", "_")


def _pyproject(target: Target, tests: list[str]) -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = project["tool"]["pytest"]["ini_options"]["markers"]
    return "\n".join(
        [
            "[tool.pytest.ini_options]",
            'testpaths = ["tests"]',
            f"markers = {json.dumps(markers, ensure_ascii=False)}",
            "",
            "[tool.mutmut]",
            'source_paths = ["src"]',
            f'only_mutate = ["src/analysis/{target.path}"]',
            'also_copy = ["data", "notebooks", "docs"]',
            # slow tests build reports; random order would make the timings incomparable
            'pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider", '
            '"-m", "not slow", "-q"]',
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
            "use_git_change_detection = false",
            "",
        ]
    )


def prepare(target: Target) -> Path:
    """A scratch folder with src/, the module's tests and a generated pyproject.toml."""
    work = WORK / _slug(target.path)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)
    # every test module (tests import helpers from each other); only the listed ones run
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    tests = [f"tests/{name}" for name in target.tests if (ROOT / "tests" / name).is_file()]
    if not tests:
        raise SystemExit(f"{target.path}: ingen av testfilene {target.tests} finnes")
    shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw", ignore=ignore)
    (work / "data" / "processed").mkdir()
    for folder in ("notebooks", "docs"):
        shutil.copytree(ROOT / folder, work / folder, ignore=ignore)
    (work / "pyproject.toml").write_text(_pyproject(target, tests), encoding="utf-8")
    if target.functions:
        module = work / "src" / "analysis" / target.path
        module.write_text(
            only_functions(module.read_text(encoding="utf-8"), target.functions),
            encoding="utf-8",
        )
    return work


_NO_MUTATE = "# pragma: no mutate block"


def only_functions(source: str, functions: tuple[str, ...]) -> str:
    """The module's source with every top-level function, class and method not named in
    ``functions`` (``name`` or ``Class.method``) marked ``# pragma: no mutate block``.

    mutmut then generates mutants only for the named functions (and the functions nested
    in them). Selecting mutants by name on the command line is not enough: mutmut still
    generates the mutants of every function, and its pattern matching of the tests to run
    does not match its own function keys. Only the scratch copy is changed.
    """
    import libcst as cst  # a dependency of mutmut

    wanted = set(functions)
    classes_with_wanted = {f.split(".", 1)[0] for f in wanted if "." in f}

    def mark(node: cst.FunctionDef | cst.ClassDef) -> cst.FunctionDef | cst.ClassDef:
        body = node.body
        if not isinstance(body, cst.IndentedBlock):
            return node
        header = body.header.with_changes(
            whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(_NO_MUTATE)
        )
        return node.with_changes(body=body.with_changes(header=header))

    module = cst.parse_module(source)
    body = []
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value not in wanted:
            stmt = mark(stmt)
        elif isinstance(stmt, cst.ClassDef) and stmt.name.value not in wanted:
            cls = stmt.name.value
            if cls not in classes_with_wanted:
                stmt = mark(stmt)
            elif isinstance(stmt.body, cst.IndentedBlock):
                members = [
                    mark(m)
                    if isinstance(m, cst.FunctionDef) and f"{cls}.{m.name.value}" not in wanted
                    else m
                    for m in stmt.body.body
                ]
                stmt = stmt.with_changes(body=stmt.body.with_changes(body=members))
        body.append(stmt)
    top = {s.name.value for s in module.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))}
    missing = {f for f in wanted if f.split(".", 1)[0] not in top}
    if missing:
        raise SystemExit(f"finnes ikke i modulen: {sorted(missing)}")
    return module.with_changes(body=body).code


def _wanted_prefixes(target: Target) -> tuple[str, ...]:
    """Mutant-name prefixes of the listed functions (``Class.method`` → ``xǁClassǁmethod``)."""
    out = []
    for fn in target.functions:
        if "." in fn:
            cls, meth = fn.split(".", 1)
            out.append(f"{target.dotted}.xǁ{cls}ǁ{meth}__mutmut_")
        else:
            out.append(f"{target.dotted}.x_{fn}__mutmut_")
    return tuple(out)


def run(target: Target, jobs: int, rerun: list[str] | None = None) -> dict | None:
    """Run mutmut on one module; return its counts and the surviving mutants' diffs.

    With ``rerun`` (mutant names), the scratch folder of the previous run is kept, the test
    files are copied again (new tests written since are picked up: mutmut collects coverage
    for tests it has not seen) and only those mutants are run again; the other mutants keep
    their results.
    """
    if rerun:
        work = WORK / _slug(target.path)
        tests = [f"tests/{name}" for name in target.tests if (ROOT / "tests" / name).is_file()]
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore, dirs_exist_ok=True)
        (work / "pyproject.toml").write_text(_pyproject(target, tests), encoding="utf-8")
    else:
        work = prepare(target)
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["FOU_PROJECT_ROOT"] = str(work / "mutants")
    env["PYTHONDONTWRITEBYTECODE"] = ""
    cmd = ["nice", "-n", "10", str(mutmut), "run", "--max-children", str(jobs), *(rerun or [])]
    log = work / ("mutmut-rerun.log" if rerun else "mutmut.log")
    start = time.monotonic()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.run(cmd, cwd=work, env=env, stdout=fh, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        print(f"  mutmut avsluttet med {proc.returncode}; se {log}", flush=True)
        return None
    return collect(target, round(seconds))


def collect(target: Target, seconds: int) -> dict:
    """The counts and the surviving mutants' diffs from the module's scratch folder.

    Also for a run stopped before the end (``--collect``): mutants not run yet have no exit
    code; they are counted as «not run» and the row is marked partial.
    """
    work = WORK / _slug(target.path)
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["FOU_PROJECT_ROOT"] = str(work / "mutants")
    meta = json.loads(
        (work / "mutants" / "src" / "analysis" / (target.path + ".meta")).read_text("utf-8")
    )
    codes: dict[str, int | None] = meta["exit_code_by_key"]
    if target.functions:
        codes = {k: v for k, v in codes.items() if k.startswith(_wanted_prefixes(target))}
    survivors = {}
    for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
        if code is None or code in KILLED or code in TIMEOUT:
            continue
        diff = subprocess.run(
            [str(mutmut), "show", name], cwd=work, env=env, capture_output=True, text=True
        ).stdout
        survivors[name] = {"code": code, "diff": _short_diff(diff)}
    return {
        "path": target.path,
        "tests": list(target.tests),
        "functions": list(target.functions),
        "codes": codes,
        "survivors": survivors,
        "seconds": seconds,
    }


def _merge_rerun(previous: dict, rerun_result: dict, rerun: set[str]) -> dict:
    """The results of a ``--survivors`` run on top of the previous run's.

    mutmut records exit codes only for the mutants it was asked to run, so every other
    mutant keeps its previous code (and, if it survived before, its listed diff); the time
    adds both runs.
    """
    codes = {
        name: rerun_result["codes"].get(name) if name in rerun else code
        for name, code in previous["codes"].items()
    }
    survivors = {n: v for n, v in previous["survivors"].items() if n not in rerun}
    survivors |= {n: v for n, v in rerun_result["survivors"].items() if n in rerun}
    order = sorted(survivors, key=_natural)
    return rerun_result | {
        "codes": codes,
        "survivors": {n: survivors[n] for n in order},
        "seconds": previous["seconds"] + rerun_result["seconds"],
    }


def _natural(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def _short_diff(diff: str) -> str:
    """The changed lines of a mutant's diff (``-`` original, ``+`` mutant)."""
    lines = [
        ln
        for ln in diff.splitlines()
        if ln[:1] in "+-" and not ln.startswith(("+++", "---")) and ln[1:].strip()
    ]
    return "\n".join(lines)


def _equivalents() -> dict[str, str]:
    if not EQUIVALENT.is_file():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return {e["mutant"]: e["reason"] for e in data.get("equivalent", [])}


def score(result: dict, equivalent: dict[str, str]) -> dict:
    c = Counter()
    for name, code in result["codes"].items():
        if code in KILLED:
            c["killed"] += 1
        elif code in TIMEOUT:
            c["timeout"] += 1
        elif name in equivalent:
            c["equivalent"] += 1
        elif code in NO_TESTS:
            c["no_tests"] += 1
        elif code in SURVIVED:
            c["survived"] += 1
        elif code is None:
            c["not_run"] += 1
        else:
            c["other"] += 1
    total = sum(c.values())
    relevant = total - c["equivalent"] - c["not_run"]
    detected = c["killed"] + c["timeout"]
    c["total"] = total
    c["score"] = detected / relevant if relevant else 1.0
    return c


def _load_state() -> dict[str, dict]:
    state = WORK / "results.json"
    return json.loads(state.read_text("utf-8")) if state.is_file() else {}


def write_markdown(results: dict[str, dict]) -> None:
    equivalent = _equivalents()
    out = [
        "# Mutation score",
        "",
        "Written by `make mutate` (`benchmarks/mutate.py`, mutmut; see `docs/testing.md`). "
        "Score = (killed + timeout) / (mutants − equivalent); target ≥ "
        f"{TARGET:.0%} per module. Equivalent mutants (no result can change) are listed "
        "with the reason in `benchmarks/mutation_equivalent.toml`. Time is wall-clock for one "
        "module with one worker at `nice 10` on the shared 2-core machine.",
        "",
        "| module | tests run | mutants | killed | timeout | survived | no tests "
        "| equivalent | score | time |",
        "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    order = [t.path for t in TARGETS]
    for path in order:
        if path not in results:
            tests = ", ".join(next(t.tests for t in TARGETS if t.path == path))
            out.append(f"| `{path}` | {tests} | not run yet | | | | | | | |")
            continue
        r = results[path]
        s = score(r, equivalent)
        label = f"`{path}`"
        if r["functions"]:
            label += " (" + ", ".join(f"`{f}`" for f in r["functions"]) + ")"
        ok = "" if s["score"] >= TARGET else " ✗"
        if s["not_run"]:  # a run stopped before the end: the score is over the mutants run
            ok += f" (partial: {s['total'] - s['not_run']} of {s['total']} mutants run)"
        out.append(
            f"| {label} | {', '.join(r['tests'])} | {s['total']} | {s['killed']} | "
            f"{s['timeout']} | {s['survived']} | {s['no_tests']} | {s['equivalent']} | "
            f"{s['score']:.1%}{ok} | {r['seconds'] // 60} min {r['seconds'] % 60:02d} s |"
        )
    out += ["", "## Equivalent mutants", ""]
    for path in order:
        r = results.get(path)
        if not r:
            continue
        names = [n for n in r["survivors"] if n in equivalent]
        if not names:
            continue
        out += [f"### `{path}`", ""]
        for n in names:
            out += [f"- `{n}`: {equivalent[n]}", "", "  ```diff"]
            out += ["  " + ln for ln in r["survivors"][n]["diff"].splitlines()]
            out += ["  ```", ""]
    out += ["## Surviving mutants (not equivalent)", ""]
    any_left = False
    for path in order:
        r = results.get(path)
        if not r:
            continue
        names = [n for n in r["survivors"] if n not in equivalent]
        if not names:
            continue
        any_left = True
        out += [f"### `{path}`", ""]
        for n in names:
            status = "no tests" if r["survivors"][n]["code"] in NO_TESTS else "survived"
            out += [f"- `{n}` ({status})", "", "  ```diff"]
            out += ["  " + ln for ln in r["survivors"][n]["diff"].splitlines()]
            out += ["  ```", ""]
    if not any_left:
        out += ["None.", ""]
    RESULTS.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", action="append", help="path under src/analysis (repeatable)")
    ap.add_argument("--jobs", type=int, default=1, help="mutmut workers (default 1)")
    ap.add_argument("--list", action="store_true", help="list the modules and their tests")
    ap.add_argument("--report-only", action="store_true", help="rewrite mutation.md only")
    ap.add_argument(
        "--collect",
        metavar="SECONDS",
        type=int,
        help="record the module's scratch folder as it stands (a run stopped before the end; "
        "the mutants not run are counted as such), with the given run time",
    )
    ap.add_argument(
        "--survivors",
        action="store_true",
        help="run only the previous run's surviving (not equivalent) mutants again, and "
        "those a stopped run did not get to, with the current tests",
    )
    args = ap.parse_args(argv)
    if args.list:
        for t in TARGETS:
            print(t.path, "←", ", ".join(t.tests), t.functions or "")
        return 0
    known = {t.path: t for t in TARGETS}
    chosen = args.module or list(known)
    unknown = [m for m in chosen if m not in known]
    if unknown:
        ap.error(f"ukjente moduler: {unknown}; velg blant {list(known)}")
    WORK.mkdir(parents=True, exist_ok=True)
    results = _load_state()
    failed: list[str] = []
    if not args.report_only:
        for m in chosen:
            if args.collect is not None:
                results[m] = collect(known[m], args.collect)
                (WORK / "results.json").write_text(json.dumps(results, indent=1), "utf-8")
                continue
            print(f"mutmut: {m} ...", flush=True)
            rerun = None
            if args.survivors:
                if m not in results:
                    ap.error(f"{m}: ingen tidligere kjøring å gjenta overlevende fra")
                eq = _equivalents()
                rerun = [n for n in results[m]["survivors"] if n not in eq]
                # and the mutants a stopped run did not get to
                rerun += [n for n, code in results[m]["codes"].items() if code is None]
                if not rerun:
                    print("  ingen overlevende å kjøre på nytt", flush=True)
                    continue
            r = run(known[m], args.jobs, rerun)
            if r is None:
                failed.append(m)
                continue
            if rerun:
                r = _merge_rerun(results[m], r, set(rerun))
            results[m] = r
            (WORK / "results.json").write_text(json.dumps(results, indent=1), "utf-8")
            s = score(r, _equivalents())
            print(
                f"  {s['total']} mutants, {s['killed']} killed, {s['timeout']} timeout, "
                f"{s['survived']} survived, {s['no_tests']} no tests, "
                f"{s['equivalent']} equivalent: {s['score']:.1%} in {r['seconds']} s",
                flush=True,
            )
    write_markdown(results)
    low = [
        m for m in chosen if m in results and score(results[m], _equivalents())["score"] < TARGET
    ]
    if low:
        print(f"under {TARGET:.0%}: {', '.join(low)}")
    if failed:
        print(f"mutmut feilet for: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
