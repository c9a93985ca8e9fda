"""Issue 16, done when: ``fou run --year 2026 --notebook lonnsgap --hr-data FILE --param
'oaxaca_covariates=[age, tenure_years]'`` gives a report and JSON with exactly those
covariates and the estimates of :func:`analysis.oaxaca.oaxaca_blinder` called directly on the
same data; and the same from the notebook's parameters cell (papermill, as JupyterLab runs it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.oaxaca import oaxaca_blinder
from analysis.paths import notebooks_dir

pytestmark = pytest.mark.slow

COVARIATES = ["age", "tenure_years"]
REFERENCES = {"male": "group_a", "female": "group_b", "pooled": "pooled"}


@pytest.fixture(scope="module")
def hr_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hr") / "hr_2026.csv"
    assert main(["synth", "hr", "--year", "2026", "--out", str(path), "--quiet"]) == 0
    return path


def expected(hr_file: Path) -> dict[str, dict[str, float]]:
    """The decomposition computed here from the file itself (read with pandas, not the
    package's reader): ln(annual pay) on age and tenure, men (M) minus women (K)."""
    df = pd.read_csv(hr_file)
    df = df.loc[df["year"] == 2026].copy()
    df["log_pay"] = np.log(df["annual_pay"].astype(float))
    out = {}
    for label, ref in REFERENCES.items():
        res = oaxaca_blinder(df, "log_pay", "gender", COVARIATES, group_a="M", reference=ref)
        out[label] = {
            "total": float(res.gap),
            "explained": float(res.overall.loc["explained", "estimate"]),
            "unexplained": float(res.overall.loc["unexplained", "estimate"]),
            "se_explained": float(res.overall.loc["explained", "se"]),
        }
    return out


def check_oaxaca(records: list[dict], want: dict[str, dict[str, float]]) -> None:
    assert [r["reference"] for r in records] == ["male", "female", "pooled"]
    for rec in records:
        assert rec["covariates"] == COVARIATES
        for key, value in want[rec["reference"]].items():
            assert rec[key] == pytest.approx(value, rel=1e-9, abs=1e-12), (rec["reference"], key)


def test_fou_run_with_param_uses_exactly_those_covariates(hr_file, tmp_path):
    out = tmp_path / "out"
    rc = main(
        [
            "run", "--year", "2026", "--notebook", "lonnsgap", "--hr-data", str(hr_file),
            "--param", "oaxaca_covariates=[age, tenure_years]", "--out", str(out),
            "--jobs", "1", "--quiet",
        ]
    )  # fmt: skip
    assert rc == 0
    figures = json.loads((out / "2026" / "lonnsgap.json").read_text(encoding="utf-8"))
    # synthetic person-level data: the decomposition is an illustration
    check_oaxaca(figures["synthetic_illustration"]["oaxaca"], expected(hr_file))

    html = (out / "2026" / "lonnsgap.html").read_text(encoding="utf-8")
    assert ">Lønnsforskjeller når alder og ansiennitet er tatt med</h2>" in html
    assert "Forklart del: kvinner og menn har ulik alder og ansiennitet." in html
    assert "har ulik alder og ansiennitet – og en <em>uforklart</em> del" in html
    # the provenance records the choice; no other covariate list is left in the section
    assert re.search(r"<th scope=\"row\">oaxaca_covariates</th><td>age, tenure_years</td>", html)
    section = html.split("tatt med</h2>", 1)[1].split("<h2", 1)[0]
    assert "stillingsgruppe, alder" not in section and "midlertidige" not in section

    executed = (out / "2026" / "executed" / "lonnsgap.ipynb").read_text(encoding="utf-8")
    assert 'oaxaca_covariates = [\\"age\\", \\"tenure_years\\"]' in executed


def test_the_same_from_the_notebooks_parameters_cell(hr_file, tmp_path):
    """As a researcher in JupyterLab: edit the parameters cell and run the notebook."""
    import nbformat
    import papermill as pm

    from analysis.render.keyfigures import extract_key_figures

    executed = tmp_path / "lonnsgap.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "lonnsgap.ipynb"),
        str(executed),
        parameters={"year": 2026, "hr_data": str(hr_file), "oaxaca_covariates": COVARIATES},
        cwd=str(notebooks_dir()),
        kernel_name="python3",
        progress_bar=False,
    )
    nb = nbformat.read(executed, as_version=4)
    figures = extract_key_figures(nb)
    check_oaxaca(figures["synthetic_illustration"]["oaxaca"], expected(hr_file))
    # interactive: the frames behind the tables are shown too (not when fou run builds)
    text = json.dumps(nb)
    assert "r.oaxaca[0].overall" in text and "r.measures" in text
