"""The batch pipeline on a tiny notebook: reproducible, self-contained, safe failure, cache."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.out_folder import failed_dir
from analysis.pipeline.plan import Job, plan
from analysis.pipeline.run import run
from analysis.pipeline.specs import ReportSpec, load_report_specs

pytestmark = pytest.mark.slow

CELLS = [
    (
        "code",
        "year = 2025\nmin_cell = 5\nseed = 1\nhr_data = None\nfail_year = None\nfail_read = None",
        ["parameters"],
    ),
    (
        "code",
        "from analysis.render import notebook as rn\nfrom analysis.render.keyfigures "
        "import record_key_figures\nrn.setup()\nrn.header('Testrapport', year, 'synthetic')",
        [],
    ),
    ("markdown", "## Resultat\n\nEn setning på bokmål.", []),
    (
        "code",
        "import matplotlib.pyplot as plt\nfrom analysis.render.figures import show_figure\n"
        "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [year % 7, 2, 3])\n"
        "show_figure(fig, alt=f'Testfigur for {year}')",
        [],
    ),
    (
        "code",
        "import sys\nprint('advarsel', file=sys.stderr)\n"
        "assert year != fail_year, f'år {year} feiler med vilje'\n"
        "record_key_figures({'year': year, 'data_source': 'synthetic', 'value': year / 100})",
        [],
    ),
    (
        "code",
        # a notebook that shows where its input lives, in every way it can leak
        "import os, warnings\nif hr_data:\n    real = os.path.realpath(hr_data)\n"
        "    print('leser', real, os.path.abspath(hr_data), open(hr_data).read()[:9])\n"
        "    warnings.warn(f'sjekk {real}')\n"
        "    if fail_read:\n        import pandas as pd\n        pd.read_csv(real + '.mangler')",
        [],
    ),
    (
        "code",
        "rn.provenance_block({'year': year, 'seed': seed, 'hr_data': hr_data}, "
        "[hr_data] if hr_data else [])",
        [],
    ),
]


def _make_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    for i, (kind, src, tags) in enumerate(CELLS):
        cell = (
            nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        )
        cell["id"] = str(i)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.fixture
def specs(tmp_path: Path) -> dict[str, ReportSpec]:
    d = tmp_path / "nb"
    d.mkdir()
    _make_notebook(d / "mini.ipynb")
    (d / "reports.yaml").write_text(
        "reports:\n  mini:\n    title: Testrapport\n    duty: En plikt\n    source: x.txt\n"
        "    headline: {key: value, label: Verdi, format: pct1}\n    data: hr\n",
        encoding="utf-8",
    )
    return load_report_specs(d / "reports.yaml")


def _jobs(specs, years, **extra):
    jobs = plan(years=years, specs=specs)
    if extra:
        jobs = [Job(j.notebook, j.year, {**j.parameters, **extra}, j.inputs) for j in jobs]
    return jobs


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_build_is_reproducible_and_self_contained(specs, tmp_path):
    out1, out2 = tmp_path / "r1", tmp_path / "r2"
    s1 = run(_jobs(specs, [2024, 2025]), out_dir=out1, n_jobs=2, specs=specs, progress=None)
    s2 = run(_jobs(specs, [2024, 2025]), out_dir=out2, n_jobs=1, specs=specs, progress=None)
    assert s1.ok and s2.ok
    a, b = _outputs(out1), _outputs(out2)
    assert set(a) == {
        "index.html",
        *(
            f"{y}/{f}"
            for y in (2024, 2025)
            for f in ("mini.html", "mini.json", "code/mini.html", "executed/mini.ipynb")
        ),
    }
    assert a == b  # byte-identical
    ministry = a["2025/mini.html"].decode()
    code = a["2025/code/mini.html"].decode()
    for page in (ministry, code, a["index.html"].decode()):
        assert '<html lang="nb">' in page
        assert page.count("<h1") == 1
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', page)
        assert "<script" not in page
    assert "fail_year" not in ministry and "record_key_figures" not in ministry
    assert "advarsel" not in ministry
    assert "record_key_figures" in code
    assert 'alt="Testfigur for 2025"' in ministry
    assert "Syntetiske persondata." in ministry and "Proveniens" in ministry
    assert "<title>Testrapport 2025</title>" in ministry
    assert str(tmp_path) not in ministry and str(tmp_path) not in code
    kf = json.loads(a["2025/mini.json"])
    assert kf == {"year": 2025, "data_source": "synthetic", "value": 20.25}
    index = a["index.html"].decode()
    assert 'href="2025/mini.html"' in index and "En plikt" in index
    # a headline computed from synthetic data is never shown as one
    assert "20,2" not in index and "20,3" not in index
    assert "<td>Verdi: ikke publisert</td><td>syntetiske data</td>" in index


def test_failure_keeps_old_report_and_names_cell(specs, tmp_path):
    out = tmp_path / "r"
    assert run(_jobs(specs, [2024, 2025]), out_dir=out, n_jobs=2, specs=specs, progress=None).ok
    before = (out / "2025" / "mini.html").read_bytes()
    summary = run(
        _jobs(specs, [2024, 2025], fail_year=2025, seed=2),
        out_dir=out,
        n_jobs=2,
        specs=specs,
        progress=None,
    )
    assert not summary.ok
    (failed,) = summary.failed
    assert failed.job.year == 2025
    assert "mini 2025: feil i celle 4" in failed.error and "AssertionError" in failed.error
    assert "feiler med vilje" in failed.error
    assert (out / "2025" / "mini.html").read_bytes() == before
    # the failed copy (raw error, not disclosure-controlled) is kept beside the output folder
    assert (out.parent / f".{out.name}.failed" / "2025" / "mini.ipynb").is_file()
    assert not list(out.rglob("*.failed*")) and not (out / ".failed").exists()
    assert [r.status for r in summary.results] == ["built", "failed"]


def test_cache_skips_unchanged_and_rebuilds_on_change(specs, tmp_path):
    out = tmp_path / "r"
    jobs = _jobs(specs, [2025])
    assert [r.status for r in run(jobs, out_dir=out, specs=specs, progress=None).results] == [
        "built"
    ]
    assert [r.status for r in run(jobs, out_dir=out, specs=specs, progress=None).results] == [
        "cached"
    ]
    assert [
        r.status
        for r in run(_jobs(specs, [2025], seed=9), out_dir=out, specs=specs, progress=None).results
    ] == ["built"]
    assert [
        r.status
        for r in run(
            _jobs(specs, [2025], seed=9), out_dir=out, specs=specs, force=True, progress=None
        ).results
    ] == ["built"]
    (out / "2025" / "mini.html").unlink()
    assert [
        r.status
        for r in run(_jobs(specs, [2025], seed=9), out_dir=out, specs=specs, progress=None).results
    ] == ["built"]


def test_no_input_folder_in_any_output(specs, tmp_path, monkeypatch):
    """An input in a deeply nested folder with telling names: every file under the output
    folder (reports, executed notebooks, key figures, the index, the cache, a failed
    notebook under .failed/) names it by file name and SHA-256 only; the code version and
    the executed notebook show the parameters cell as ``hr_data = "hr_2026.csv"  # sha256``."""
    import hashlib
    import os

    from analysis.data.synthetic import synth_hr, write_synthetic
    from analysis.paths import notebooks_dir

    folder = tmp_path / "Kari Nordmann" / "hemmelig-prosjekt-q7z" / "eksport" / "lønn"
    folder.mkdir(parents=True)
    data = folder / "hr_2026.csv"
    write_synthetic(synth_hr(2025, 3), data)
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    given = os.path.relpath(data, tmp_path)  # the relative path a user types
    jobs = plan(years=[2024, 2025], hr_data=given, specs=specs)
    jobs = [
        Job(j.notebook, j.year, {**j.parameters, "fail_read": j.year == 2024}, j.inputs)
        for j in jobs
    ]
    out = tmp_path / "r"
    summary = run(jobs, out_dir=out, n_jobs=2, specs=specs, progress=None)
    assert [r.status for r in summary.results] == ["failed", "built"]
    assert "FileNotFoundError" in summary.failed[0].error
    forbidden = {
        str(folder),
        str(folder.resolve()),
        given,
        os.path.dirname(given),
        os.path.relpath(data, notebooks_dir()),
        "Kari Nordmann",
        "hemmelig-prosjekt-q7z",
        "fou-kernel-",  # the kernel's private folder
    }
    files = [p for p in out.rglob("*") if p.is_file()]
    files += [p for p in failed_dir(out).rglob("*") if p.is_file()]
    assert failed_dir(out) / "2024" / "mini.ipynb" in files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not [s for s in forbidden if s in text], f
        assert not re.search(r"(?<![.\w])/(tmp|home|root|work)/", text), f
    executed = json.loads((out / "2025" / "executed" / "mini.ipynb").read_text())
    (params,) = [c for c in executed["cells"] if "injected-parameters" in c["metadata"]["tags"]]
    assert f'hr_data = "hr_2026.csv"  # sha256: {digest}' in "".join(params["source"])
    code = (out / "2025" / "code" / "mini.html").read_text(encoding="utf-8")
    assert digest in code and "hr_2026.csv" in code and "leser hr_2026.csv" in code
    ministry = (out / "2025" / "mini.html").read_text(encoding="utf-8")
    assert "hr_2026.csv" in ministry and digest in ministry  # the provenance block
    failed = (failed_dir(out) / "2024" / "mini.ipynb").read_text(encoding="utf-8")
    assert "hr_2026.csv.mangler" in failed and "<python>" in failed  # redacted traceback


@pytest.mark.browser
def test_axe_finds_no_serious_violations_in_the_template(specs, tmp_path):
    import a11y

    a11y.require_browser()
    out = tmp_path / "r"
    assert run(_jobs(specs, [2025]), out_dir=out, specs=specs, progress=None).ok
    with a11y.browser() as browser:  # one browser, a tab per page
        for page in (
            out / "2025" / "mini.html",
            out / "2025" / "code" / "mini.html",
            out / "index.html",
        ):
            found = a11y.axe_violations(page, browser=browser)
            bad = [v for v in found if v["impact"] in ("serious", "critical")]
            assert bad == [], (page.name, bad)
