"""The benchmark's growth summary: factors per tenfold rows and the exponent of t ∝ n^b."""

from __future__ import annotations

import importlib.util

from analysis.paths import project_root


def _run_module():
    spec = importlib.util.spec_from_file_location(
        "bench_run", project_root() / "benchmarks" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_growth_text_linear_and_quadratic():
    run = _run_module()
    cols = list(run.GROWTH_COLUMNS)
    linear = [{"n": n, **{c: 2e-6 * n for c in cols}} for n in (10**3, 10**4, 10**5, 10**6)]
    text = run.growth_text(linear)
    assert text.count("×10.0, ×10.0, ×10.0 (b = 1.00)") == len(cols)
    quadratic = [{"n": n, **{c: 1e-9 * n * n for c in cols}} for n in (10**4, 10**5, 10**6)]
    assert "×100.0, ×100.0 (b = 2.00)" in run.growth_text(quadratic)


def test_rewriting_results_keeps_the_hand_measured_section(tmp_path):
    run = _run_module()
    run.RESULTS = tmp_path / "results.md"
    assert run.kept_sections() == ""
    run.RESULTS.write_text(
        "# Benchmark results\n\n## Scale\n\nold\n\n" + run.KEPT_HEADING + "\n\nmake setup: 30 s\n",
        encoding="utf-8",
    )
    assert run.kept_sections() == "\n" + run.KEPT_HEADING + "\n\nmake setup: 30 s\n"
