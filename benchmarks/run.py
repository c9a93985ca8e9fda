"""Performance benchmark for fou-analyse: prints ratios, writes benchmarks/results.md.

Targets (issue 8), each a ratio measured in one run on the same machine:

1. batch build: a cold ``fou run`` of all notebooks for all published years takes at most
   0.5 × the naive way (for each notebook and year in turn: the ``papermill`` CLI, then the
   ``jupyter nbconvert --to html`` CLI), with identical report content (same key figures);
2. nothing changed: a second ``fou run`` finishes in under 5 % of the cold build;
3. per-notebook overhead: one notebook through the pipeline takes at most 2 × a plain Python
   process that imports the package and computes the same figures and plots;
4. scale: on 1 000 000 rows with 10 covariates the Oaxaca–Blinder twofold with standard
   errors takes at most 3 × fitting the two group regressions alone, with peak memory below
   4 × the input frame; sick-leave and Jobbsjansen functions handle 1 000 000 rows in
   seconds; growth from 10³ to 10⁶ rows;
5. wide header: reading and validating an HR export with 20 000 columns takes about 10 ×
   the time for 2 000 (linear in the width; ``--wide-only`` runs just this case).

Every figure is the median of ``--repeat`` runs. Usage: ``make bench`` or
``python benchmarks/run.py [--repeat 3] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results.md"


# sections of results.md measured by hand (not by this script), kept when it rewrites the file
KEPT_HEADING = "## Set-up, reports and tests on a fresh clone"


def kept_sections() -> str:
    """The hand-measured part of results.md, from :data:`KEPT_HEADING` on ("" if none)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    at = text.find(KEPT_HEADING)
    return "\n" + text[at:] if at >= 0 else ""


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def sh(*cmd: str, cwd: Path | None = None) -> None:
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --------------------------------------------------------------------------- 1-3: pipeline


def published_jobs() -> list[tuple[str, int]]:
    from analysis.pipeline.plan import plan

    return [(j.notebook, j.year) for j in plan()]


def pipeline_cold(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    sh(str(BIN / "fou"), "run", "--quiet", "--out", str(out), cwd=ROOT)


def pipeline_warm(out: Path) -> None:
    sh(str(BIN / "fou"), "run", "--quiet", "--out", str(out), cwd=ROOT)


def naive(out: Path, jobs: list[tuple[str, int]]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    nbdir = ROOT / "notebooks"
    for name, year in jobs:
        executed = out / f"{name}-{year}.ipynb"
        sh(
            str(BIN / "papermill"),
            str(nbdir / f"{name}.ipynb"),
            str(executed),
            "-p",
            "year",
            str(year),
            "-k",
            "python3",
            "--cwd",
            str(nbdir),
            "--no-progress-bar",
        )
        sh(
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            str(executed),
            "--output-dir",
            str(out),
        )


def same_content(pipeline_out: Path, naive_out: Path, jobs: list[tuple[str, int]]) -> bool:
    """The key figures recorded by both ways agree for every job."""
    import nbformat

    from analysis.render.keyfigures import extract_key_figures

    for name, year in jobs:
        ours = json.loads((pipeline_out / str(year) / f"{name}.json").read_text())
        theirs = extract_key_figures(nbformat.read(naive_out / f"{name}-{year}.ipynb", 4))
        if json.dumps(ours, sort_keys=True) != json.dumps(theirs, sort_keys=True):
            return False
    return True


PLAIN = {
    "lonnsgap": """
from analysis.paygap import report as L
from analysis.paygap import plots as P
from analysis.paygap import tables as T
from analysis.render.figures import apply_theme, png_bytes
import matplotlib.pyplot as plt
apply_theme()
r = L.build({year})
for fig, alt in (P.plot_pay_by_group(r.cells), P.plot_nopo_waterfall(r.nopo),
                 P.plot_quartiles(r.eu)):
    png_bytes(fig); plt.close(fig)
if r.change is not None:
    fig, alt = P.plot_gap_change(r.change); png_bytes(fig); plt.close(fig)
html = [T.html_nopo_table([r.nopo, *r.nopo_alternatives.values()], year=r.year),
        T.html_measures_table(r.measures, year=r.year, synthetic=r.person.synthetic),
        T.html_oaxaca_table(r.oaxaca, year=r.year, note=r.oaxaca_note),
        T.html_eu_table(r.eu_categories, year=r.year)]
""",
}


def per_notebook(repeat: int, out: Path) -> tuple[float, float]:
    year = 2025
    nb_t, _ = timed(
        lambda: sh(
            str(BIN / "fou"),
            "run",
            "--quiet",
            "--force",
            "--notebook",
            "lonnsgap",
            "--year",
            str(year),
            "--jobs",
            "1",
            "--out",
            str(out),
            cwd=ROOT,
        ),
        repeat,
    )
    code = PLAIN["lonnsgap"].format(year=year)
    plain_t, _ = timed(lambda: sh(sys.executable, "-W", "ignore", "-c", code, cwd=ROOT), repeat)
    return nb_t, plain_t


# --------------------------------------------------------------------------- 4: scale


def ols_two_groups(df: pd.DataFrame, covs: list[str], solver: str = "lstsq") -> None:
    """The two group regressions alone: ``lstsq`` (QR/SVD) or the normal equations."""
    for g in ("M", "K"):
        sub = df.loc[df["gender"] == g]
        X = np.column_stack([np.ones(len(sub)), sub[covs].to_numpy(float)])
        y = sub["log_pay"].to_numpy()
        if solver == "lstsq":
            np.linalg.lstsq(X, y, rcond=None)
        else:
            np.linalg.solve(X.T @ X, X.T @ y)


GROWTH_COLUMNS = {
    "oaxaca_twofold_se_s": "Oaxaca twofold + SE",
    "ols_two_groups_s": "OLS two groups (lstsq)",
    "sick_leave_rates_s": "sick-leave rates",
    "adjusted_rate_ratio_s": "adjusted rate ratio GLM",
    "transition_rates_s": "transition rates",
    "project_funnel_s": "project funnel",
}


def growth_text(rows: list[dict]) -> str:
    """How time grows with the rows: the factor per tenfold rows at each step, and the
    exponent b of t ∝ n^b between the two largest sizes (b = 1 is linear). At the smallest
    sizes fixed costs dominate, so the early factors are below 10."""
    parts = []
    for col, label in GROWTH_COLUMNS.items():
        steps = [b[col] / a[col] for a, b in zip(rows, rows[1:], strict=False)]
        last, prev = rows[-1], rows[-2]
        exponent = np.log(last[col] / prev[col]) / np.log(last["n"] / prev["n"])
        factors = ", ".join(f"×{f:.1f}" for f in steps)
        parts.append(f"{label} {factors} (b = {exponent:.2f})")
    sizes = " → ".join(f"{r['n']:,}" for r in rows)
    return (
        f"Growth per tenfold rows ({sizes}; b: t ∝ n^b between the two largest sizes, "
        "1 = linear): " + "; ".join(parts) + "."
    )


def scale(sizes: list[int], repeat: int) -> list[dict]:
    from analysis.data.synthetic import synth_hr_large, synth_jobbsjansen
    from analysis.jobbsjansen import measures as jobbsjansen
    from analysis.methods.oaxaca import oaxaca_blinder
    from analysis.sickleave import measures as sickleave
    from analysis.sickleave import models as sickleave_models

    rows = []
    reg_base = synth_jobbsjansen(2024, 1).frame
    for n in sizes:
        hr = synth_hr_large(n, 1, n_covariates_extra=6).frame
        hr["log_pay"] = np.log(hr["annual_pay"])
        hr["age2"] = hr["age"] ** 2 / 100
        hr["temporary_f"] = hr["temporary"].astype(float)
        covs = ["age", "age2", "tenure_years", "temporary_f", *[f"x_{i:02d}" for i in range(1, 7)]]
        frame_bytes = hr[["log_pay", "gender", *covs]].memory_usage(deep=True).sum()
        base_t, _ = timed(lambda hr=hr, covs=covs: ols_two_groups(hr, covs), repeat)
        ne_t, _ = timed(lambda hr=hr, covs=covs: ols_two_groups(hr, covs, "normal"), repeat)
        ob_t, _ = timed(
            lambda hr=hr, covs=covs: oaxaca_blinder(
                hr, "log_pay", "gender", covs, group_a="M", reference="pooled"
            ),
            repeat,
        )
        tracemalloc.start()
        oaxaca_blinder(hr, "log_pay", "gender", covs, group_a="M", reference="pooled")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sick_t, _ = timed(
            lambda hr=hr: sickleave.sick_leave_rates(
                hr, by=("gender",), kinds=("legemeldt", "egenmeldt", "totalt")
            ),
            repeat,
        )
        glm_t, _ = timed(
            lambda hr=hr: sickleave_models.adjusted_rate_ratio(hr), max(1, repeat // 2)
        )
        k = int(np.ceil(n / len(reg_base)))
        reg = pd.concat([reg_base] * k, ignore_index=True).iloc[:n].copy()
        reg["participant_id"] = [f"P{i:07d}" for i in range(len(reg))]
        js_t, _ = timed(
            lambda reg=reg: jobbsjansen.transition_rates(reg, 2024, by="target_group"), repeat
        )
        fun_t, _ = timed(lambda reg=reg: jobbsjansen.project_funnel(reg, 2024), repeat)
        rows.append(
            {
                "n": n,
                "ols_two_groups_s": base_t,
                "ols_normal_eq_s": ne_t,
                "oaxaca_twofold_se_s": ob_t,
                "ratio": ob_t / base_t,
                "ratio_normal_eq": ob_t / ne_t,
                "peak_mem_ratio": peak / frame_bytes,
                "sick_leave_rates_s": sick_t,
                "adjusted_rate_ratio_s": glm_t,
                "transition_rates_s": js_t,
                "project_funnel_s": fun_t,
            }
        )
        print(
            f"  n={n:>9,}: OB {ob_t:.3f}s / OLS {base_t:.3f}s = {ob_t / base_t:.2f}x "
            f"(normal equations {ne_t:.3f}s: {ob_t / ne_t:.2f}x), "
            f"peak mem {peak / frame_bytes:.2f}x frame; sick {sick_t:.2f}s, GLM {glm_t:.2f}s,"
            f" transitions {js_t:.2f}s, funnel {fun_t:.2f}s",
            flush=True,
        )
    return rows


# --------------------------------------------------------------------------- main


# --------------------------------------------------------------------------- 5: wide header

WIDE_COLUMNS = (2_000, 20_000)
WIDE_ROWS = 50


def write_wide_hr(path: Path, extra_columns: int, rows: int = WIDE_ROWS) -> Path:
    """An HR export of ``rows`` persons with ``extra_columns`` unrecognised columns after the
    schema's (written as text; pandas' own writer is itself slow at this width)."""
    from analysis.data.synthetic import synth_hr

    frame = synth_hr(2024, 1).frame.head(rows).astype(str).replace({"<NA>": "", "nan": ""})
    names = ",".join(frame.columns) + "".join(f",x_{i:06d}" for i in range(extra_columns))
    cells = ",0" * extra_columns
    lines = [names] + [",".join(r) + cells for r in frame.itertuples(index=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wide_header(repeat: int) -> dict[int, float]:
    """Seconds to read and validate an HR export with 2 000 and 20 000 extra columns.

    With header handling linear in the width the ratio is near 10 (it was about 100 before
    only the recognised columns were parsed).
    """
    from analysis.data import microdata

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in WIDE_COLUMNS:
            path = write_wide_hr(Path(tmp) / f"hr_{n}.csv", n)

            def load(path: Path = path) -> None:
                microdata._CACHE.clear()
                microdata.load_hr(path)

            out[n], _ = timed(load, repeat)
    return out


def wide_text(times: dict[int, float]) -> str:
    lo, hi = WIDE_COLUMNS
    ratio = times[hi] / times[lo]
    return (
        f"Wide header ({WIDE_ROWS} rows): {lo:,} columns {times[lo]:.2f} s, {hi:,} columns "
        f"{times[hi]:.2f} s: ratio {ratio:.1f} (linear ≈ 10, quadratic ≈ 100)."
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    ap.add_argument("--quick", action="store_true", help="skip the batch comparison (1-3)")
    ap.add_argument(
        "--wide-only",
        action="store_true",
        help="only the wide-header case (5); prints, does not write results.md",
    )
    args = ap.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    if args.wide_only:
        print("5. wide header", flush=True)
        print(wide_text(wide_header(args.repeat)))
        return 0
    lines = [
        f"# Benchmark results\n\nMachine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}. "
        f"Median of {args.repeat} runs.\n"
    ]
    if not args.quick:
        jobs = published_jobs()
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            print(f"1. batch build ({len(jobs)} notebook-years)", flush=True)
            cold, cold_all = timed(lambda: pipeline_cold(t / "fou"), args.repeat)
            warm, _ = timed(lambda: pipeline_warm(t / "fou"), args.repeat)
            nv, nv_all = timed(lambda: naive(t / "naive", jobs), args.repeat)
            same = same_content(t / "fou", t / "naive", jobs)
            print(
                f"   fou run cold {cold:.1f}s, naive {nv:.1f}s: ratio {cold / nv:.2f} "
                f"(target <= 0.5); identical key figures: {same}"
            )
            print(
                f"2. nothing changed: {warm:.2f}s = {100 * warm / cold:.1f} % of cold "
                "(target < 5 %)"
            )
            nb_t, plain_t = per_notebook(args.repeat, t / "one")
            print(
                f"3. one notebook {nb_t:.2f}s vs plain Python {plain_t:.2f}s: ratio "
                f"{nb_t / plain_t:.2f} (target <= 2)"
            )
        lines += [
            "## Batch and notebooks\n",
            "| measure | value | target | met |",
            "| --- | --- | --- | --- |",
            f"| cold `fou run` / naive papermill+nbconvert CLI ({len(jobs)} notebook-years) | "
            f"{cold:.1f} s / {nv:.1f} s = **{cold / nv:.2f}** | ≤ 0.5 | "
            f"{'yes' if cold / nv <= 0.5 else 'no'} |",
            f"| identical key figures (pipeline vs naive) | {same} | true | "
            f"{'yes' if same else 'no'} |",
            f"| unchanged second `fou run` / cold | {warm:.2f} s / {cold:.1f} s = "
            f"**{100 * warm / cold:.1f} %** | < 5 % | {'yes' if warm / cold < 0.05 else 'no'} |",
            f"| one notebook through pipeline / plain Python | {nb_t:.2f} s / {plain_t:.2f} s = "
            f"**{nb_t / plain_t:.2f}** | ≤ 2 | {'yes' if nb_t / plain_t <= 2 else 'no'} |",
            "",
        ]
    sizes = [1_000, 10_000, 100_000, 1_000_000]
    print("4. scale (10 covariates)", flush=True)
    rows = scale(sizes, args.repeat)
    lines += [
        "## Scale (10 covariates: age, age², tenure, temporary, 6 extra)\n",
        "| rows | OLS two groups, lstsq (s) | OLS, normal equations (s) | "
        "Oaxaca twofold + SE (s) | ratio vs lstsq (≤ 3) | ratio vs normal eq. (≤ 3) | "
        "peak memory / frame (< 4) | sick-leave rates (s) | adjusted rate ratio GLM (s) "
        "| transition rates (s) | project funnel (s) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['ols_two_groups_s']:.3f} | "
            f"{r['ols_normal_eq_s']:.3f} | "
            f"{r['oaxaca_twofold_se_s']:.3f} | {r['ratio']:.2f} | "
            f"{r['ratio_normal_eq']:.2f} | "
            f"{r['peak_mem_ratio']:.2f} | {r['sick_leave_rates_s']:.3f} | "
            f"{r['adjusted_rate_ratio_s']:.3f} | {r['transition_rates_s']:.3f} | "
            f"{r['project_funnel_s']:.3f} |"
        )
    big = rows[-1]
    worst = max(big["ratio"], big["ratio_normal_eq"])
    growth = growth_text(rows)
    print(growth)
    lines += [
        "",
        f"At 10⁶ rows: Oaxaca/OLS ratio {big['ratio']:.2f} against lstsq and "
        f"{big['ratio_normal_eq']:.2f} against the normal equations, the fastest way to "
        f"fit the two regressions (target ≤ 3: {'met' if worst <= 3 else 'not met'}), "
        "peak memory "
        f"{big['peak_mem_ratio']:.2f} × frame (target < 4: "
        f"{'met' if big['peak_mem_ratio'] < 4 else 'not met'}).",
        "",
        growth,
        "",
    ]
    print("5. wide header", flush=True)
    wide = wide_text(wide_header(args.repeat))
    print(wide)
    lines += ["## Wide header\n", wide, ""]
    RESULTS.write_text("\n".join(lines) + kept_sections(), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
