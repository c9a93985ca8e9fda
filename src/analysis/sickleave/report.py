"""Everything the sick-leave report (``notebooks/sykefravaer.ipynb``) shows for one year.

:func:`build` computes; the notebook only displays. Which data feed which part:

* the rates with intervals, the rates by job group and age band, the adjusted comparison of
  women and men and the concentration of lost days need person-level data: the researcher's
  HR file (``hr_data``) or, without one, synthetic data calibrated to the published
  doctor-certified rates by gender (the report then says so at the top);
* the trend 2013–2025, the figures of the year "as published" and the reconciliation of the
  published totals come from IMDi's published tables (``sick_leave.csv``,
  ``sick_leave_targets.csv``), each value with its source document;
* the comparison with the state administration uses ``benchmarks_sick_leave.csv`` if such a
  published file exists; it does not, so the report says that no benchmark is available.

Definitions and methods are those of :mod:`analysis.sickleave.measures` and
:mod:`analysis.sickleave.models`. Tables from person-level data are suppressed where a cell
rests on fewer than ``min_cell`` persons (primary and secondary suppression,
:func:`analysis.disclosure.hr.protect_sick_leave_tables`); the concentration measures are
hidden when they describe fewer than ``min_cell`` persons
(:func:`analysis.disclosure.hr.protect_concentration`).

The notebook imports this module only: the sentences (:mod:`analysis.sickleave.texts`) and
the HTML tables (:mod:`analysis.sickleave.tables`) it shows are available here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.benchmarks import BENCHMARK_FILE, load_benchmark
from analysis.data.codes import GENDERS
from analysis.data.inputs import PersonData, hr_for_year
from analysis.data.published import load_published, published_decimals
from analysis.data.quality import published_sick_leave_findings
from analysis.data.synthetic.common import nearest_year
from analysis.disclosure.hr import (
    protect_concentration,
    protect_lorenz,
    protect_sick_leave_key_figures,
    protect_sick_leave_tables,
)
from analysis.disclosure.min_cell import check_min_cell
from analysis.paths import published_dir
from analysis.render.keyfigures import arrange_key_figures
from analysis.sickleave import measures as S
from analysis.sickleave.measures import COMPARISON_KIND as KIND
from analysis.sickleave.measures import TOP_SHARES
from analysis.sickleave.models import (
    DEFAULT_COVARIATES,
    AdjustedRateRatio,
    ModelNote,
    adjusted_rate_ratio,
)
from analysis.sickleave.parameters import check_sick_leave_covariates
from analysis.sickleave.tables import (
    html_adjusted_table,
    html_age_band_table,
    html_comparison_table,
    html_concentration_table,
    html_findings_table,
    html_job_group_table,
    html_published_year_table,
    html_rates_table,
    html_series_table,
)
from analysis.sickleave.texts import (
    adjusted_intro,
    adjusted_label,
    adjusted_notes,
    adjusted_text,
    applicable_targets,
    banner_note,
    benchmark_statement,
    change_words,
    cite,
    comparison_source,
    comparison_text,
    computed_source,
    concentration_text,
    concentration_title,
    dispersion_text,
    findings_source,
    findings_text,
    fmt_published,
    fmt_published_ratio,
    fmt_ratio,
    gender_label,
    group_title,
    header_source,
    headline_text,
    hidden_rates_text,
    hovedfunn_points,
    illustration_text,
    key_cards,
    key_cards_source,
    method_covariates,
    published_sources,
    published_text,
    quality_text,
    rates_intro_text,
    series_source,
    sources_text,
    suppression_text,
    targets_text,
    trend_title,
    with_concentration_labels,
)

__all__ = [
    "DOUBTFUL_PUBLISHED",
    "SickLeaveReport",
    "adjusted_intro",
    "adjusted_label",
    "adjusted_notes",
    "adjusted_text",
    "applicable_targets",
    "banner_note",
    "build",
    "change_words",
    "cite",
    "comparison_source",
    "comparison_text",
    "computed_source",
    "concentration_text",
    "concentration_title",
    "dispersion_text",
    "findings_source",
    "findings_text",
    "fmt_published",
    "fmt_published_ratio",
    "fmt_ratio",
    "gender_label",
    "group_title",
    "header_source",
    "headline_text",
    "hidden_rates_text",
    "hovedfunn_points",
    "html_adjusted_table",
    "html_age_band_table",
    "html_comparison_table",
    "html_concentration_table",
    "html_findings_table",
    "html_job_group_table",
    "html_published_year_table",
    "html_rates_table",
    "html_series_table",
    "illustration_text",
    "key_cards",
    "key_cards_source",
    "key_figures",
    "method_covariates",
    "published_sources",
    "published_text",
    "quality_text",
    "quotable_key_figures",
    "rates_intro_text",
    "series_source",
    "sources_text",
    "suppression_text",
    "targets_text",
    "trend_title",
]


#: published values that are printed in the source but very likely misread or misprinted, so
#: the report gives them with a caveat and builds no finding on them: (year, gender, kind).
#: Each has a note in ``data/raw/published/sick_leave.csv`` saying why (2023, men: 1,70 % read
#: from a scanned table, far below 2024 and 2025, and the 2023 total does not fit it).
DOUBTFUL_PUBLISHED: frozenset[tuple[int, str, str]] = frozenset({(2023, "M", KIND)})


@dataclass(frozen=True)
class SickLeaveReport:
    """The computed contents of one year's sick-leave report."""

    year: int
    person: PersonData = field(repr=False)
    #: rates by gender with the margin "alle", all three kinds (sickleave.sick_leave_rates)
    rates: pd.DataFrame = field(repr=False)
    #: job group × gender and age band × gender, with margins, suppressed
    rates_job: pd.DataFrame = field(repr=False)
    rates_age: pd.DataFrame = field(repr=False)
    adjusted: AdjustedRateRatio = field(repr=False)
    adjusted_negbin: AdjustedRateRatio | None = field(repr=False)
    #: absence_concentration of certified lost days, measures on < min_cell persons hidden
    concentration: pd.DataFrame = field(repr=False)
    lorenz: pd.DataFrame = field(repr=False)
    #: the published series (all kinds), the targets and the benchmark (empty: none published)
    series: pd.DataFrame = field(repr=False)
    targets: pd.DataFrame = field(repr=False)
    benchmark: pd.DataFrame = field(repr=False)
    #: the published rates of ``year`` (all kinds), with the decimals as published
    published_year: pd.DataFrame = field(repr=False)
    #: the published rates of ``year`` next to the person-level rates
    comparison: pd.DataFrame = field(repr=False)
    #: reconciliation findings of the published totals, all years
    findings: pd.DataFrame = field(repr=False)
    benchmark_text: str
    key_figures: dict[str, Any] = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    min_cell: int = 5
    #: the adjusted comparison's covariates (parameter ``sick_leave_covariates``)
    sick_leave_covariates: tuple[str, ...] = DEFAULT_COVARIATES

    @property
    def has_published(self) -> bool:
        """Whether IMDi has published sick-leave rates by gender for the year."""
        return bool(len(self.published_year)) and bool(
            self.published_year["gender"].isin(GENDERS).any()
        )

    @property
    def illustrative(self) -> bool:
        """Whether the person-level figures are an illustration (synthetic data): they are
        then shown only under «Illustrasjon på syntetiske data» and never quoted."""
        return bool(self.person.synthetic)

    @property
    def quotes_published(self) -> bool:
        """Whether the report leads with the published figures (synthetic person data and a
        year with published rates by gender)."""
        return self.illustrative and self.has_published

    def published(self, gender: str, kind: str = KIND) -> pd.Series | None:
        """The published rate of the year for one gender ("alle") and kind, or None."""
        p = self.published_year
        sel = p.loc[(p["gender"] == gender) & (p["kind"] == kind)]
        return sel.iloc[0] if len(sel) else None

    def doubtful(self, gender: str, year: int | None = None, kind: str = KIND) -> bool:
        """Whether the published rate of ``gender`` (of the report year by default) is one of
        :data:`DOUBTFUL_PUBLISHED`: shown with a caveat, never the basis of a finding."""
        return (int(self.year if year is None else year), gender, kind) in DOUBTFUL_PUBLISHED

    def published_in(self, year: int, gender: str, kind: str = KIND) -> pd.Series | None:
        """The published rate of any year for one gender and kind, or None."""
        s = self.series
        sel = s.loc[(s["year"] == year) & (s["gender"] == gender) & (s["kind"] == kind)]
        return sel.iloc[0] if len(sel) else None

    @property
    def sick_calibration_year(self) -> int | None:
        """The published year synthetic sick leave is calibrated to: the nearest year with a
        certified rate for both women and men (ties: the later), as in
        :func:`analysis.data.synthetic.synth_hr`. None for real data."""
        if not self.illustrative:
            return None
        cert = self.series.loc[self.series["kind"] == KIND]
        both = [int(y) for y, g in cert.groupby("year")["gender"] if set(GENDERS) <= set(g)]
        return nearest_year(both, self.year)

    @property
    def findings_year(self) -> pd.DataFrame:
        return self.findings.loc[self.findings["year"] == self.year]

    def total_flagged(self, year: int | None = None, kind: str = KIND) -> bool:
        """Whether the published total of all employees of ``kind`` in ``year`` (the report
        year by default) does not fit the published rates of women and men
        (:func:`analysis.data.quality.published_sick_leave_findings`, status «avvik»): the
        report then names it as such wherever it quotes it, and describes no change of it."""
        return total_flagged(self.findings, self.year if year is None else year, kind)

    def rate(self, gender: str, kind: str = KIND) -> pd.Series:
        """The row of :attr:`rates` for one gender ("alle" = everyone) and kind."""
        sel = self.rates.loc[(self.rates["gender"] == gender) & (self.rates["kind"] == kind)]
        if sel.empty:  # nobody of that gender in the data
            row = pd.Series(float("nan"), index=self.rates.columns, dtype=object)
            row[["gender", "kind", "n_persons"]] = [gender, kind, 0]
            return row
        return sel.iloc[0]

    @property
    def max_calibration_diff_pp(self) -> float | None:
        """Largest |person-level − published| of the certified rates of women and men."""
        c = self.comparison
        if c.empty:
            return None
        sel = c.loc[(c["kind"] == KIND) & c["gender"].isin(GENDERS), "difference_pp"]
        return float(sel.abs().max()) if len(sel) else None


def total_flagged(findings: pd.DataFrame, year: int, kind: str = KIND) -> bool:
    """Whether ``findings`` (:func:`analysis.data.quality.published_sick_leave_findings`)
    flag the published total of all employees of ``kind`` in ``year`` («avvik»)."""
    sel = findings.loc[
        (findings["year"].astype(int) == int(year))
        & (findings["subject"] == kind)
        & (findings["status"] == "avvik")
    ]
    return not sel.empty


def flag_totals(series: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """``series`` with the boolean column ``flagged``: true for a published total of all
    employees that does not fit the published rates of women and men (:func:`total_flagged`),
    so that the trend figure can mark it."""
    out = series.copy()
    out["flagged"] = [
        str(g) == S.TOTAL and total_flagged(findings, int(y), str(k))
        for y, g, k in zip(out["year"], out["gender"], out["kind"], strict=True)
    ]
    return out


# --------------------------------------------------------------------------- build


def _no_rate_ratio(reason: ModelNote) -> AdjustedRateRatio:
    """A rate ratio that is not estimated (every number NaN), with the reason as its note."""
    nan = float("nan")
    return AdjustedRateRatio(
        estimate=nan,
        ci_low=nan,
        ci_high=nan,
        unadjusted=nan,
        unadjusted_ci_low=nan,
        unadjusted_ci_high=nan,
        covariates=(),
        kind=KIND,
        dispersion=nan,
        n_persons=0,
        method="quasipoisson",
        notes=(reason,),
    )


def _comparison(rates: pd.DataFrame, published_year: pd.DataFrame) -> pd.DataFrame:
    """Each published rate of the year next to the person-level rate of the same group."""
    cols = [
        "kind",
        "gender",
        "published_pct",
        "decimals",
        "person_pct",
        "ci_low",
        "ci_high",
        "difference_pp",
        "source_document",
    ]
    rows = []
    by = rates.set_index(["gender", "kind"])
    for p in published_year.itertuples(index=False):
        key = (str(p.gender), str(p.kind))
        if key not in by.index:
            continue
        own = by.loc[key]
        rows.append(
            {
                "kind": p.kind,
                "gender": p.gender,
                "published_pct": float(p.rate_pct),
                "decimals": int(p.decimals),
                "person_pct": float(own["rate_pct"]),
                "ci_low": float(own["ci_low"]),
                "ci_high": float(own["ci_high"]),
                "difference_pp": float(own["rate_pct"]) - float(p.rate_pct),
                "source_document": p.source_document,
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    keys = list(
        zip(S.order_key("kind", out["kind"]), S.order_key("gender", out["gender"]), strict=True)
    )
    return out.iloc[sorted(range(len(out)), key=keys.__getitem__)].reset_index(drop=True)


def build(
    year: int,
    hr_data: str | None = None,
    min_cell: int = 5,
    seed: int = 2025,
    *,
    sick_leave_covariates: list[str] | tuple[str, ...] | None = None,
) -> SickLeaveReport:
    """Compute the sick-leave report of ``year`` (see the module docstring).

    ``sick_leave_covariates`` are the covariates of the adjusted comparison of women and men
    (default :data:`analysis.sickleave.models.DEFAULT_COVARIATES`; checked by
    :mod:`analysis.sickleave.parameters`).
    """
    year, min_cell = int(year), check_min_cell(min_cell)
    covariates = check_sick_leave_covariates(sick_leave_covariates)
    person = hr_for_year(year, hr_data, seed)
    hr = S.add_age_band(person.frame)
    _check_columns(hr, covariates, person)

    rates = S.sick_leave_rates(hr, by=("gender",), kinds=S.KINDS, margins=True)
    # one decision with the pay-gap report, which shows the same employees' counts; a gender
    # total (or the grand total) hidden in one table is hidden everywhere
    prot = protect_sick_leave_tables(hr, min_cell, rates)
    rates, rates_job, rates_age = prot.rates, prot.job, prot.age
    hidden = set(prot.hidden_genders)
    counts = hr["gender"].value_counts()
    too_few = min(int(counts.get(g, 0)) for g in GENDERS) < min_cell
    if too_few:  # the models compare women and men: not fitted on a handful of persons
        adjusted = _no_rate_ratio(ModelNote("too_few_persons", count=min_cell))
    else:
        adjusted = adjusted_rate_ratio(hr, kind=KIND, covariates=covariates)
    try:
        if too_few:
            raise ValueError("for få personer")
        negbin: AdjustedRateRatio | None = adjusted_rate_ratio(
            hr, kind=KIND, covariates=covariates, method="negbin"
        )
        if not math.isfinite(negbin.estimate):
            negbin = None
    except Exception:  # the sensitivity analysis must never stop the report
        negbin = None
    concentration = protect_concentration(
        with_concentration_labels(S.absence_concentration(hr, KIND, shares=TOP_SHARES)), min_cell
    )
    lorenz = protect_lorenz(
        S.lorenz_curve(hr, KIND), int((hr["agreed_workdays"] > 0).sum()), min_cell
    )

    series = S.published_series(load_published("sick_leave", preferred_only=True))
    decimals = published_decimals("sick_leave", "rate_pct")
    series["decimals"] = [
        decimals.get((int(y), str(g), str(k)), 2)
        for y, g, k in zip(series["year"], series["gender"], series["kind"], strict=True)
    ]
    findings = published_sick_leave_findings()
    series = flag_totals(series, findings)
    published_year = series.loc[series["year"] == year].reset_index(drop=True)
    targets = load_published("sick_leave_targets", preferred_only=True)
    benchmark = load_benchmark(year=year)
    comparison = _comparison(rates, published_year)

    # what the tables hide is hidden in the key figures too
    kf = protect_sick_leave_key_figures(
        key_figures(year, person.data_source, hr, kind=KIND, covariates=covariates),
        rates,
        hidden,
    )
    if too_few:
        kf["rate_ratio_women_vs_men"] = None
        kf["adjusted_rate_ratio"] = None
    kf["person_data_source"] = person.data_source
    kf["synthetic"] = bool(person.synthetic)
    certified = published_year.loc[published_year["kind"] == KIND].set_index("gender")["rate_pct"]
    kf["published_certified_pct"] = (
        {g: (float(certified[g]) if g in certified.index else None) for g in (*GENDERS, S.TOTAL)}
        if len(certified)
        else None
    )
    kf = quotable_key_figures(kf, published_year, synthetic=bool(person.synthetic))

    # absolute paths: the notebook runs in notebooks/, and the provenance block hashes the
    # files (and shows them relative to the project root)
    pub = published_dir()
    inputs = [
        str(pub / f)
        for f in (
            "sick_leave.csv",
            "sick_leave_targets.csv",
            "pay_by_job_group.csv",
            "workforce.csv",
            "catalogue.yaml",
        )
    ]
    if (pub / BENCHMARK_FILE).is_file():
        inputs.append(str(pub / BENCHMARK_FILE))
    if hr_data:
        inputs.append(str(Path(hr_data).resolve()))
    return SickLeaveReport(
        year=year,
        person=person,
        rates=rates,
        rates_job=rates_job,
        rates_age=rates_age,
        adjusted=adjusted,
        adjusted_negbin=negbin,
        concentration=concentration,
        lorenz=lorenz,
        series=series,
        targets=targets,
        benchmark=benchmark,
        published_year=published_year,
        comparison=comparison,
        findings=findings,
        benchmark_text=benchmark_statement(benchmark, year, kind="totalt"),
        key_figures=kf,
        inputs=inputs,
        min_cell=int(min_cell),
        sick_leave_covariates=covariates,
    )


def _check_columns(hr: pd.DataFrame, covariates: tuple[str, ...], person: PersonData) -> None:
    """Every covariate asked for is a column of the person-level data."""
    missing = [c for c in covariates if c not in hr.columns]
    if missing:
        where = person.path.name if person.path is not None else "de syntetiske persondataene"
        raise ValueError(
            f"parameteren sick_leave_covariates: {', '.join(missing)} finnes ikke i {where}; "
            f"kolonnene der er {', '.join(map(str, hr.columns))}"
        )


# --------------------------------------------------------------------------- key figures

#: key figure → kind of sick leave (rates of all employees)
_RATE_KEYS = {
    "rate_total_pct": "totalt",
    "rate_certified_pct": "legemeldt",
    "rate_self_pct": "egenmeldt",
}
_GENDER_KEYS = {"total_pct": "totalt", "certified_pct": "legemeldt", "self_pct": "egenmeldt"}
#: key figures that exist only when computed from person-level data
_MODEL_KEYS = ("rate_ratio_women_vs_men", "adjusted_rate_ratio")
#: the key figure listing the top-level rates of all employees that are published totals not
#: fitting the published rates of women and men (:meth:`SickLeaveReport.total_flagged`); the
#: index names them as such (:func:`analysis.pipeline.index.index_rows`)
NOT_FITTING_KEY = "published_totals_not_fitting"


def quotable_key_figures(
    kf: dict[str, Any], published_year: pd.DataFrame, *, synthetic: bool
) -> dict[str, Any]:
    """The key figures in the quotable shape (see
    :func:`analysis.render.keyfigures.arrange_key_figures`).

    With real person-level data every computed figure stays at the top level (source
    ``"microdata"``). With synthetic data, a figure IMDi has published for the year is
    replaced by the published value (``"published"``: ``rate_*_pct`` of all employees and
    ``by_gender``, with None where a gender's rate of a kind is not published); a figure not
    published for the year, and the rate ratios, move under ``synthetic_illustration``.
    ``published_certified_pct`` is always ``"published"``; ``data_source`` says
    ``"published"`` when the top level holds published figures. :data:`NOT_FITTING_KEY`
    (``"published"``) lists the top-level ``rate_*_pct`` that are published totals not
    fitting the published rates of women and men (``published_year`` column ``flagged``);
    empty with real data, whose top-level rates are computed.
    """
    out = dict(kf)
    sources: dict[str, str] = {"published_certified_pct": "published", NOT_FITTING_KEY: "published"}
    out[NOT_FITTING_KEY] = []
    if not synthetic:
        sources.update({k: "microdata" for k in (*_RATE_KEYS, "by_gender", *_MODEL_KEYS)})
        return arrange_key_figures(out, sources)

    def pub(gender: str, kind: str) -> float | None:
        p = published_year
        sel = p.loc[(p["gender"] == gender) & (p["kind"] == kind), "rate_pct"]
        return float(sel.iloc[0]) if len(sel) else None

    def flagged(kind: str) -> bool:
        p = published_year
        if "flagged" not in p.columns:
            return False
        return bool(p.loc[(p["gender"] == S.TOTAL) & (p["kind"] == kind), "flagged"].any())

    for key, kind in _RATE_KEYS.items():
        value = pub(S.TOTAL, kind)
        if value is None:
            sources[key] = "synthetic"
        else:
            out[key], sources[key] = value, "published"
            if flagged(kind):
                out[NOT_FITTING_KEY].append(key)
    by_gender = {g: {k: pub(g, kind) for k, kind in _GENDER_KEYS.items()} for g in GENDERS}
    if any(v is not None for d in by_gender.values() for v in d.values()):
        out["by_gender"], sources["by_gender"] = by_gender, "published"
    else:
        sources["by_gender"] = "synthetic"
    sources.update({k: "synthetic" for k in _MODEL_KEYS})
    own = ("published_certified_pct", NOT_FITTING_KEY)
    if any(v == "published" for k, v in sources.items() if k not in own):
        out["data_source"] = "published"
    return arrange_key_figures(out, sources)


def _r(x: float, nd: int = 6) -> float:
    return round(float(x), nd) if x is not None and math.isfinite(float(x)) else float("nan")


def key_figures(
    year: int,
    data_source: str,
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    covariates: tuple[str, ...] = DEFAULT_COVARIATES,
) -> dict[str, Any]:
    """The sick-leave key figures of one year, for the JSON key-figure record.

    ``hr`` is restricted to ``year`` when it has a ``year`` column. Rates are in per cent
    (SSB definition); ``rate_ratio_women_vs_men`` is the unadjusted rate ratio women/men
    of ``kind`` (default: doctor-certified); ``adjusted_rate_ratio`` the quasi-Poisson
    estimate adjusted for ``covariates`` (default job group and age band;
    :func:`analysis.sickleave.models.adjusted_rate_ratio`).

    Returns
    -------
    dict
        ``year, data_source, rate_total_pct, rate_certified_pct, rate_self_pct,
        by_gender {K, M: {total_pct, certified_pct, self_pct}}, rate_ratio_women_vs_men,
        adjusted_rate_ratio {estimate, ci_low, ci_high, covariates}``.
    """
    S.check_kind(kind)
    if "year" in hr.columns:
        hr = hr.loc[hr["year"] == year]
        if hr.empty:
            raise ValueError(f"HR-dataene har ingen rader for {year}")
    overall = S.sick_leave_rates(hr, by=(), kinds=S.KINDS).set_index("kind")["rate_pct"]
    by_g = S.sick_leave_rates(hr, by=("gender",), kinds=S.KINDS).set_index(["gender", "kind"])[
        "rate_pct"
    ]
    names = {"totalt": "total_pct", "legemeldt": "certified_pct", "egenmeldt": "self_pct"}
    by_gender = {
        g: {
            names[k]: _r(by_g.get((g, k), float("nan")))
            for k in ("totalt", "legemeldt", "egenmeldt")
        }
        for g in GENDERS
    }
    adj = adjusted_rate_ratio(hr, kind=kind, covariates=covariates)
    return {
        "year": int(year),
        "data_source": str(data_source),
        "rate_total_pct": _r(overall["totalt"]),
        "rate_certified_pct": _r(overall["legemeldt"]),
        "rate_self_pct": _r(overall["egenmeldt"]),
        "by_gender": by_gender,
        "rate_ratio_women_vs_men": _r(adj.unadjusted),
        "adjusted_rate_ratio": {
            "estimate": _r(adj.estimate),
            "ci_low": _r(adj.ci_low),
            "ci_high": _r(adj.ci_high),
            "covariates": list(adj.covariates),
        },
    }
