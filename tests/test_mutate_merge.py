"""benchmarks/mutate.py: a ``--survivors`` run is merged onto the previous full run.

mutmut records exit codes only for the mutants it was asked to run; the others must keep
their previous codes (else the row reads «partial: 25 of 599 mutants run»). Expected values
by hand from the three-mutant example below.
"""

from __future__ import annotations

import importlib.util
import sys

from analysis.paths import project_root


def _mutate_module():
    spec = importlib.util.spec_from_file_location(
        "bench_mutate", project_root() / "benchmarks" / "mutate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_rerun_keeps_the_codes_of_mutants_not_rerun():
    mutate = _mutate_module()
    previous = {
        "path": "m.py",
        "tests": ["test_a.py"],
        "functions": [],
        "codes": {"m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 0, "m.x_f__mutmut_10": 0},
        "survivors": {
            "m.x_f__mutmut_2": {"code": 0, "diff": "two"},
            "m.x_f__mutmut_10": {"code": 0, "diff": "ten"},
        },
        "seconds": 100,
    }
    # only mutant 10 rerun (2 is listed as equivalent): now killed
    rerun = {
        "path": "m.py",
        "tests": ["test_a.py", "test_b.py"],
        "functions": [],
        "codes": {"m.x_f__mutmut_1": None, "m.x_f__mutmut_2": None, "m.x_f__mutmut_10": 1},
        "survivors": {},
        "seconds": 20,
    }
    merged = mutate._merge_rerun(previous, rerun, {"m.x_f__mutmut_10"})
    assert merged["codes"] == {"m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 0, "m.x_f__mutmut_10": 1}
    assert merged["survivors"] == {"m.x_f__mutmut_2": {"code": 0, "diff": "two"}}
    assert merged["seconds"] == 120 and merged["tests"] == ["test_a.py", "test_b.py"]
    # a rerun mutant that still survives takes its new diff
    rerun["codes"]["m.x_f__mutmut_10"] = 0
    rerun["survivors"] = {"m.x_f__mutmut_10": {"code": 0, "diff": "ten, again"}}
    merged = mutate._merge_rerun(previous, rerun, {"m.x_f__mutmut_10"})
    assert list(merged["survivors"]) == ["m.x_f__mutmut_2", "m.x_f__mutmut_10"]
    assert merged["survivors"]["m.x_f__mutmut_10"]["diff"] == "ten, again"
