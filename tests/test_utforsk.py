"""The exploration notebooks (``notebooks/utforsk/``) run as a researcher starts them: on
synthetic data of a year, with papermill into a temporary folder, without errors; they are
not reports (not in ``notebooks/reports.yaml``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.paths import notebooks_dir
from analysis.pipeline.specs import load_report_specs

pytestmark = pytest.mark.slow

UTFORSK = notebooks_dir() / "utforsk"
CASES = {
    "utforsk_lonn": ({"year": 2025}, ["within_groups", "pooled", "tenure_years"]),
    "utforsk_lonn-publisert": (
        {"year": 2024, "use_published": True, "covariates": ["age"], "reference": "group_a"},
        ["within_groups"],
    ),
    "utforsk_sykefravaer": (
        {"year": 2025, "by": ["age_band"], "covariates": ["job_group"]},
        ["rate_pct", "AdjustedRateRatio"],
    ),
    "utforsk_jobbsjansen": ({"year": 2024, "unit": "target_group"}, ["image/png", "φ ="]),
}


def test_exploration_notebooks_are_not_reports():
    specs = load_report_specs()
    names = {p.stem for p in UTFORSK.glob("*.ipynb")}
    assert names == {"utforsk_lonn", "utforsk_sykefravaer", "utforsk_jobbsjansen"}
    assert not names & set(specs)
    assert all(Path(s.notebook).parent == notebooks_dir() for s in specs.values())


@pytest.mark.parametrize("case", list(CASES))
def test_exploration_notebook_runs(case, tmp_path):
    import papermill as pm

    name = case.split("-")[0]
    params, expected = CASES[case]
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(UTFORSK / f"{name}.ipynb"),
        str(out),
        parameters=params,
        cwd=str(UTFORSK),
        kernel_name="python3",
        progress_bar=False,
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = json.dumps(outputs, ensure_ascii=False)
    for word in expected:
        assert word in text, word
    # no person-level ids in what the notebook shows
    assert "SYN-" not in text
