"""Everything the pay-gap report (``notebooks/lonnsgap.ipynb``) shows for one year.

:func:`build` computes; the notebook only displays. Which data feed which part:

* the headline (women's pay as a share of men's, the gap in kroner) and the key figures a
  reader may quote: without real person-level data, the published «Totalt» row of the year
  (shown as published); with a real HR file (``hr_data``, not synthetic), computed from it,
  the published figures beside them for comparison (the quotable-number rule, issue 20);
* the grouped (Ñopo) decomposition and the change since ``compare_year`` use the same basis:
  the published job-group table, or the person-level data aggregated to job groups;
* the Oaxaca–Blinder decomposition, the gap measures with medians and intervals and the EU
  indicators need person-level data: the researcher's HR file or, without one, synthetic
  data calibrated to the published table. Synthetic figures are illustrations: shown under
  «Illustrasjon på syntetiske data» and in the JSON only under ``synthetic_illustration``
  (:func:`analysis.render.keyfigures.arrange_key_figures`).

Everything from person-level data passes through :mod:`analysis.disclosure.tables`: one
protection of the job group × gender counts, made together with the sick-leave report's
tables of the same employees (:func:`analysis.disclosure.hr.protect_hr_tables`),
decides which groups are hidden, and the same groups are hidden in every table, figure,
sentence and key figure (measures, EU categories, the pay figure and its alt text, the Ñopo
parts that rest on them).

The notebook shows the report with :mod:`analysis.paygap.tables` (tables),
:mod:`analysis.paygap.plots` (figures) and :mod:`analysis.paygap.texts` (sentences).
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import PAY_TABLE_TOTAL_ROW
from analysis.data.inputs import PersonData, hr_for_year
from analysis.data.published import (
    load_all_published,
    load_catalogue,
    load_published,
    source_title,
)
from analysis.data.quality import quality_findings
from analysis.disclosure import tables as disclosure
from analysis.disclosure.hr import hide_pay_groups, protect_hr_tables, show_published_counts
from analysis.disclosure.min_cell import check_min_cell
from analysis.methods.oaxaca import OaxacaResult
from analysis.paths import published_dir
from analysis.paygap import measures as paygap
from analysis.paygap import texts
from analysis.paygap.keyfigures import key_figures
from analysis.paygap.models import (
    DEFAULT_OAXACA_COVARIATES,
    SampleNote,
    oaxaca_paygap,
    oaxaca_reference_label,
)
from analysis.paygap.nopo import (
    GapChange,
    NopoResult,
    change_on_totals,
    gap_change,
    nopo_decomposition,
    nopo_on_total,
)
from analysis.paygap.parameters import (
    OAXACA_REFERENCES,
    check_for_year,
    check_oaxaca_covariates,
    check_oaxaca_references,
)
from analysis.render.keyfigures import arrange_key_figures


@dataclass(frozen=True)
class Headline:
    """The report's headline figures and where they come from.

    ``source`` is ``published`` (the published «Totalt» row, values as published),
    ``microdata`` or ``synthetic`` (computed from the person-level data aggregated to job
    groups). Amounts in NOK (annual pay converted to full time), shares in per cent.
    """

    year: int
    source: str
    women_share_of_men_pay_pct: float
    mean_men: float
    mean_women: float
    n_total: float
    share_women_pct: float
    #: title of the published document (``published`` only)
    document: str | None = None
    #: the heading the table stands under in that document (the documents do not number
    #: or name their tables), e.g. «Likelønn mellom kvinner og menn»
    table_heading: str | None = None

    @property
    def gap_nok(self) -> float:
        """Men's mean minus women's mean."""
        return self.mean_men - self.mean_women

    @property
    def gap_pct(self) -> float:
        """The gap in per cent of men's mean."""
        return 100.0 * self.gap_nok / self.mean_men


@dataclass(frozen=True)
class PayGapReport:
    """The computed contents of one year's pay-gap report."""

    year: int
    compare_year: int
    has_published: bool
    cells_source: str  # "published", "microdata" or "synthetic"
    published_table: pd.DataFrame | None = field(repr=False)
    cells: pd.DataFrame = field(repr=False)
    overall: paygap.OverallMeans = field(repr=False)
    nopo: NopoResult = field(repr=False)
    nopo_alternatives: dict[str, NopoResult] = field(repr=False)
    change: GapChange | None = field(repr=False)
    change_source: str | None
    person: PersonData = field(repr=False)
    measures: pd.DataFrame = field(repr=False)
    oaxaca: list[OaxacaResult] = field(repr=False)
    oaxaca_note: str | None  # why the decomposition is not shown (None when it is)
    sparse_note: str | None  # too few women or men in the person-level data (None: enough)
    pay_note: str | None  # the pay comparison rests on too few persons and is hidden
    eu: paygap.EUIndicators = field(repr=False)
    eu_categories: pd.DataFrame = field(repr=False)
    findings: pd.DataFrame = field(repr=False)
    key_figures: dict[str, Any] = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    min_cell: int = 5
    #: job groups hidden everywhere (person-level data only; empty for published cells)
    hidden_groups: tuple[str, ...] = ()
    #: the headline figures (None when the comparison rests on too few persons)
    headline: Headline | None = None
    #: the published «Totalt» rows of the year and of ``compare_year`` (None: not published)
    published_total: Headline | None = None
    published_previous: Headline | None = None
    #: why the change is not computed although both years have figures (same source data)
    change_note: str | None = None
    #: the year whose published table the synthetic data were calibrated to
    calibration_year: int | None = None
    #: the published «Totalt» row of ``calibration_year`` (a year without a published table)
    published_reference: Headline | None = None
    #: origin of every key figure (``published``, ``microdata``, ``synthetic``)
    sources: dict[str, str] = field(default_factory=dict)
    #: document title → the heading its pay table stands under (every document of the year)
    table_headings: dict[str, str] = field(default_factory=dict)
    #: the wage equation's covariates asked for (parameter ``oaxaca_covariates``)
    oaxaca_covariates: tuple[str, ...] = ()
    #: the reference wage structures shown (parameter ``oaxaca_references``)
    oaxaca_references: tuple[str, ...] = ()
    #: notes for the researcher (bokmål): what a method left out, e.g. persons outside the
    #: common support of the Oaxaca–Blinder sample; each once
    notes: tuple[str, ...] = ()

    @property
    def oaxaca_covariates_used(self) -> tuple[str, ...]:
        """The covariates the decomposition used (those asked for, less any left out because
        they do not vary); the ones asked for when it is not shown."""
        if self.oaxaca:
            terms = self.oaxaca[0].covariates
            return tuple(dict.fromkeys(t.split("[", 1)[0] for t in terms))
        return self.oaxaca_covariates

    @property
    def lead(self) -> str:
        """Where the headline figures come from: ``published``, ``microdata``, ``synthetic``."""
        return self.cells_source

    @property
    def illustration(self) -> bool:
        """Whether the person-level figures are synthetic (shown only as illustrations)."""
        return self.person.synthetic


def _published_total(pay: pd.DataFrame, year: int) -> Headline | None:
    """The published «Totalt» row of ``year`` (None if the year has no published job groups)."""
    if _published_cells(pay, year) is None:
        return None
    rows = pay.loc[(pay["year"] == year) & (pay["row"] == PAY_TABLE_TOTAL_ROW)]
    if rows.empty:
        return None
    t = rows.iloc[0]
    return Headline(
        year=int(year),
        source="published",
        women_share_of_men_pay_pct=float(t["women_share_of_men_pay_pct"]),
        mean_men=float(t["mean_pay_men_nok"]),
        mean_women=float(t["mean_pay_women_nok"]),
        n_total=float(t["n_total"]),
        share_women_pct=float(t["share_women_pct"]),
        document=source_title(t["source_document"]),
        table_heading=table_heading(t["source_section"]),
    )


def table_heading(source_section: object) -> str | None:
    """The heading a published table stands under, from the catalogue's ``source_section``:
    «Del 1, Likelønn mellom kvinner og menn (tabell: kjønnsbalanse og lønn)» → «Likelønn
    mellom kvinner og menn»."""
    if not isinstance(source_section, str) or not source_section.strip():
        return None
    m = re.match(r"^(?:Del \d+,\s*)?(.*?)(?:\s*\(.*\))?$", source_section.strip())
    return m.group(1).strip() if m and m.group(1).strip() else None


def _computed_headline(year: int, cells: pd.DataFrame, source: str) -> Headline:
    """The headline from job-group cells (person-level data aggregated, or published)."""
    m = paygap.overall_means(cells)
    n = m.n_men + m.n_women
    return Headline(
        year=int(year),
        source=source,
        women_share_of_men_pay_pct=float(m.women_share_of_men_pay_pct),
        mean_men=float(m.mean_men),
        mean_women=float(m.mean_women),
        n_total=float(n),
        share_women_pct=100.0 * m.n_women / n if n else float("nan"),
    )


def _published_cells(pay: pd.DataFrame, year: int) -> pd.DataFrame | None:
    if year not in set(pay.loc[pay["row"] != PAY_TABLE_TOTAL_ROW, "year"].dropna().astype(int)):
        return None
    return paygap.cells_from_published(pay, year)


def _sparse_note(hr: pd.DataFrame, year: int, min_cell: int) -> str | None:
    """A sentence when the person-level data hold fewer than ``min_cell`` women or men."""
    counts = hr["gender"].value_counts()
    if min(int(counts.get("K", 0)), int(counts.get("M", 0))) >= min_cell:
        return None
    return texts.sparse_text(year, min_cell)


def _empty_nopo(cells: pd.DataFrame, reference: str) -> NopoResult:
    """A Ñopo result with every part hidden (NaN), for a year with too few persons."""
    nan = float("nan")
    return NopoResult(
        total=nan,
        men_outside_support=nan,
        women_outside_support=nan,
        composition=nan,
        within_groups=nan,
        reference=reference,
        common_support=(),
        per_group=cells.iloc[0:0],
        n_men=float(cells["n_men"].sum()),
        n_women=float(cells["n_women"].sum()),
    )


def _oaxaca_or_reason(
    hr: pd.DataFrame,
    year: int,
    min_cell: int,
    covariates: tuple[str, ...] = DEFAULT_OAXACA_COVARIATES,
    references: tuple[str, ...] = OAXACA_REFERENCES,
) -> tuple[list[OaxacaResult], str | None]:
    """The Oaxaca–Blinder results, or none and a sentence saying why they are not shown.

    The decomposition needs both genders, at least ``min_cell`` persons of each (it compares
    the two groups' means, so fewer would describe a few persons), and wage equations that
    can be estimated: a covariate that varies within each gender and more persons than
    parameters, so that the standard errors are finite (Jann 2008).
    """
    counts = hr["gender"].value_counts()
    n_women, n_men = int(counts.get("K", 0)), int(counts.get("M", 0))
    if n_women == 0 or n_men == 0:
        reason = "only_women" if n_men == 0 else "only_men"
        return [], texts.oaxaca_skip_text(reason, year, min_cell)
    if min(n_women, n_men) < min_cell:
        return [], texts.oaxaca_skip_text("too_few", year, min_cell)
    try:
        results = [
            res
            for res in oaxaca_paygap(hr, covariates)
            if oaxaca_reference_label(res) in references
        ]
    except (ValueError, np.linalg.LinAlgError):
        results = []
    finite = bool(results) and all(
        np.isfinite(res.overall[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()
        for res in results
    )
    if not finite:
        return [], texts.oaxaca_skip_text("not_estimable", year, min_cell)
    return results, None


def build(
    year: int,
    compare_year: int | None = None,
    hr_data: str | None = None,
    min_cell: int = 5,
    seed: int = 2025,
    *,
    oaxaca_covariates: list[str] | tuple[str, ...] | None = None,
    oaxaca_references: list[str] | tuple[str, ...] | None = None,
) -> PayGapReport:
    """Compute the pay-gap report of ``year`` (see the module docstring).

    ``oaxaca_covariates`` (default
    :data:`analysis.paygap.models.DEFAULT_OAXACA_COVARIATES`) and ``oaxaca_references``
    (default ``male, female, pooled``) choose the Oaxaca–Blinder model
    (:mod:`analysis.paygap.parameters`). Warnings of the estimators are kept as bokmål notes
    (:attr:`PayGapReport.notes`), not printed.
    """
    min_cell = check_min_cell(min_cell)
    check_for_year("compare_year", compare_year, year)
    covariates = check_oaxaca_covariates(oaxaca_covariates)
    references = check_oaxaca_references(oaxaca_references)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = _build(year, compare_year, hr_data, min_cell, seed, covariates, references)
    notes = tuple(dict.fromkeys(str(w.message) for w in caught if _is_note(w)))
    for w in caught:  # anything else is shown as before
        if not _is_note(w):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return dataclasses.replace(report, notes=notes)


def _is_note(w: warnings.WarningMessage) -> bool:
    """A warning the report turns into a note: a model's :class:`SampleNote`."""
    return issubclass(w.category, SampleNote)


def _build(
    year: int,
    compare_year: int | None,
    hr_data: str | None,
    min_cell: int,
    seed: int,
    covariates: tuple[str, ...],
    references: tuple[str, ...],
) -> PayGapReport:
    compare_year = int(compare_year) if compare_year else int(year) - 1
    pay = load_published("pay_by_job_group", preferred_only=True)
    pub_cells = _published_cells(pay, year)
    published_total = _published_total(pay, year)
    published_previous = _published_total(pay, compare_year)
    person = hr_for_year(year, hr_data, seed)
    hr = person.frame
    sparse_note = _sparse_note(hr, year, min_cell)
    # real person-level data lead when they hold enough persons; else the published table
    real_lead = person.data_source == "microdata" and sparse_note is None
    if pub_cells is not None and not real_lead:
        cells, cells_source = pub_cells, "published"
    else:
        cells = paygap.cells_from_microdata(hr)
        cells_source = person.data_source
    published_table = (
        pay.loc[pay["year"] == year].reset_index(drop=True) if pub_cells is not None else None
    )
    pay_note = sparse_note if cells_source != "published" else None
    if pay_note is None:
        nopo_cells = nopo = nopo_decomposition(cells, reference="men")
        alternatives = {r: nopo_decomposition(cells, reference=r) for r in ("women", "pooled")}
        if cells_source == "published" and published_total is not None:
            # one basis: the published «Totalt» gap; the rounding goes into the parts
            nopo = nopo_on_total(nopo, published_total.gap_nok)
            alternatives = {
                k: nopo_on_total(v, published_total.gap_nok) for k, v in alternatives.items()
            }
    else:  # too few persons: the means are hidden, nothing is decomposed
        cells = cells.assign(mean_men=np.nan, mean_women=np.nan)
        nopo_cells = nopo = _empty_nopo(cells, "men")
        alternatives = {r: _empty_nopo(cells, r) for r in ("women", "pooled")}

    change, change_source, change_note = None, None, None
    prev = _published_cells(pay, compare_year)
    calibrated_to = person.calibration_year if not hr_data else None
    if pay_note is not None:
        pass  # no gap to compare
    elif cells_source == "synthetic" and calibrated_to == compare_year:
        # synthetic data calibrated to the comparison year's table: comparing them with that
        # table would compare the published figures with themselves
        change_note = texts.same_source_text(year, compare_year)
    elif prev is not None and cells_source == "published":
        change, change_source = (
            gap_change(prev, cells, year0=compare_year, year1=year),
            "published",
        )
        if published_total is not None and published_previous is not None:
            # one basis: the published «Totalt» rows of both years; parts sum to their change
            change = change_on_totals(
                change,
                gap0=published_previous.gap_nok,
                gap1=published_total.gap_nok,
                ratio0_pct=published_previous.women_share_of_men_pay_pct,
                ratio1_pct=published_total.women_share_of_men_pay_pct,
            )
    elif hr_data:
        from analysis.data.microdata import load_hr

        all_hr = load_hr(hr_data)
        prev_hr = all_hr.loc[all_hr["year"] == compare_year]
        if not prev_hr.empty:
            change = gap_change(
                paygap.cells_from_microdata(prev_hr),
                paygap.cells_from_microdata(hr),
                year0=compare_year,
                year1=year,
            )
            change_source = person.data_source
    if change is None and change_note is None and prev is not None and pay_note is None:
        # person-level year, published previous year
        change = gap_change(prev, cells, year0=compare_year, year1=year)
        change_source = "published/" + cells_source

    # one decision with the sick-leave report, which shows the same employees' counts
    hidden = protect_hr_tables(hr, min_cell).pay_hidden_groups
    # synthetic data reproduce the published head counts: those are not hidden data
    counted_year = calibrated_to if calibrated_to is not None else year
    counted = _published_cells(pay, counted_year)
    raw_measures = paygap.gap_measures(hr)
    measures = show_published_counts(
        hide_pay_groups(raw_measures, hidden),
        raw_measures,
        counted,
        synthetic=person.synthetic,
        published_year=counted_year,
    )
    _check_columns(hr, covariates, person)
    oaxaca, oaxaca_note = _oaxaca_or_reason(hr, year, min_cell, covariates, references)
    eu = paygap.eu_pay_transparency(hr)
    if sparse_note is not None:  # the EU indicators describe the persons of the file
        quartiles = eu.quartiles.copy()
        quartiles[["share_women_pct", "share_men_pct"]] = np.nan
        eu = dataclasses.replace(
            eu, mean_gap_pct=float("nan"), median_gap_pct=float("nan"), quartiles=quartiles
        )
    raw_cat = eu.by_category.rename(columns={"category": "group"})
    eu_cat = show_published_counts(
        hide_pay_groups(raw_cat, hidden),
        raw_cat,
        counted,
        synthetic=person.synthetic,
        published_year=counted_year,
    )
    # the grouped cells are the person-level data when nothing is published: same groups hidden
    cells_hidden = () if cells_source == "published" else hidden

    tables = load_all_published()
    keys = {n: e.key for n, e in load_catalogue().items()}
    findings = quality_findings(tables, keys)
    findings = findings.loc[
        (findings["table"] == "pay_by_job_group") & (findings["year"] == year)
    ].reset_index(drop=True)
    findings = apprentice_findings(findings, tables["pay_by_job_group"])

    if pay_note is not None:
        headline = None
    elif cells_source == "published" and published_total is not None:
        headline = published_total
    else:
        headline = _computed_headline(year, cells, cells_source)

    if pay_note is None:
        kf = key_figures(
            year,
            cells_source,
            cells=cells,
            nopo=nopo_cells,
            oaxaca=oaxaca if oaxaca_note is None else None,
        )
        kf["decomposition_grouped"] = disclosure.nopo_parts(nopo, cells_hidden)
        # the Oaxaca sample leaves out the one-gender job groups: its size beside each
        # gender's total (printed) would give their hidden count
        totals = {
            "n_men": int((hr["gender"] == paygap.MEN).sum()),
            "n_women": int((hr["gender"] == paygap.WOMEN).sum()),
        }
        for res in kf.get("oaxaca") or []:
            for col, total in totals.items():
                if col in res:
                    res[col] = disclosure.complement_count(res[col], total, min_cell)
    else:
        kf = {
            "year": int(year),
            "data_source": cells_source,
            "women_share_of_men_pay_pct": None,
            "gap_nok": None,
            "gap_pct": None,
            "decomposition_grouped": None,
            "oaxaca": None,
        }
    if headline is not None and headline.source == "published":
        # the quotable figures are the published ones, not their recomputation from the rows
        kf["women_share_of_men_pay_pct"] = headline.women_share_of_men_pay_pct
        kf["gap_nok"] = headline.gap_nok
        kf["gap_pct"] = headline.gap_pct
    kf["person_data_source"] = person.data_source
    kf["synthetic"] = person.synthetic
    kf["compare_year"] = compare_year
    if change is None:
        kf["change_gap_nok"] = None
    elif change_source == "published" and published_previous is not None and headline:
        kf["change_gap_nok"] = headline.gap_nok - published_previous.gap_nok
    else:
        kf["change_gap_nok"] = change.change
    if cells_source != "published" and published_total is not None:
        # real person-level data lead; the published figure for comparison
        kf["published_women_share_of_men_pay_pct"] = published_total.women_share_of_men_pay_pct
    person_source = person.data_source
    sources = {
        "women_share_of_men_pay_pct": cells_source,
        "gap_nok": cells_source,
        "gap_pct": cells_source,
        "decomposition_grouped": cells_source,
        "oaxaca": person_source,
        # a change from a published year to person-level data rests on the person-level data
        "change_gap_nok": cells_source,
    }
    if "published_women_share_of_men_pay_pct" in kf:
        sources["published_women_share_of_men_pay_pct"] = "published"
    kf = arrange_key_figures(kf, sources)

    inputs = [
        str(published_dir() / "pay_by_job_group.csv"),
        str(published_dir() / "catalogue.yaml"),
    ]
    if hr_data:
        inputs.append(str(hr_data))
    return PayGapReport(
        year=int(year),
        compare_year=compare_year,
        has_published=pub_cells is not None,
        cells_source=cells_source,
        published_table=published_table,
        cells=hide_pay_groups(cells, cells_hidden),
        overall=paygap.overall_means(cells)
        if pay_note is None
        else paygap.OverallMeans(
            float(cells["n_men"].sum()), float(cells["n_women"].sum()), np.nan, np.nan
        ),
        nopo=disclosure.protect_nopo(nopo, cells_hidden),
        nopo_alternatives={
            k: disclosure.protect_nopo(v, cells_hidden) for k, v in alternatives.items()
        },
        change=change,
        change_source=change_source,
        person=person,
        measures=measures,
        oaxaca=oaxaca,
        oaxaca_note=oaxaca_note,
        sparse_note=sparse_note,
        pay_note=pay_note,
        eu=eu,
        eu_categories=eu_cat,
        findings=findings,
        key_figures=kf,
        inputs=inputs,
        min_cell=int(min_cell),
        hidden_groups=cells_hidden,
        headline=headline,
        published_total=published_total,
        published_previous=published_previous,
        change_note=change_note,
        calibration_year=calibrated_to,
        published_reference=(
            _published_total(pay, calibrated_to)
            if calibrated_to is not None and published_total is None
            else None
        ),
        sources=sources,
        table_headings=_table_headings(tables["pay_by_job_group"]),
        oaxaca_covariates=covariates,
        oaxaca_references=references,
    )


def apprentice_findings(findings: pd.DataFrame, pay: pd.DataFrame) -> pd.DataFrame:
    """Record a «Totalt» N that leaves out exactly the apprentices as a note, not a deviation.

    In 2023 and 2024 the published «Totalt» N is the sum of the job-group rows without the
    apprentices (266 and 283, against 268 and 285 with them), while its two means agree with
    all job groups, apprentices included (:func:`analysis.data.quality.reconcile_pay_totals`
    finds both). The documents do not say why, so it is not called an error either: the
    finding becomes ``info`` («Merknad») with a sentence saying what the row holds.
    """
    from analysis.data.pay_table import pay_cells
    from analysis.render.formatting import fmt_number

    out = findings.copy()
    rows = (
        (out["check"] == "pay_total") & (out["subject"] == "n_total") & (out["status"] == "avvik")
    )
    for i in out.index[rows]:
        year, doc = out.at[i, "year"], out.at[i, "source_document"]
        grp = pay.loc[(pay["year"] == year) & (pay["source_document"] == doc)]
        cells = pay_cells(grp)
        n_all = int(cells["n_total"].sum())
        n_without = int(cells.loc[cells["row"] != "laerling", "n_total"].sum())
        published = out.at[i, "published"]
        if n_without == n_all or not (published == n_without == out.at[i, "recomputed"]):
            continue
        out.at[i, "status"] = "info"
        out.at[i, "detail"] = (
            f"Totalt {year}, N: publisert {fmt_number(published, 0)}, som er summen av "
            f"stillingsgruppene uten lærlingene; med lærlingene blir det "
            f"{fmt_number(n_all, 0)}. Gjennomsnittslønnene i «Totalt» stemmer med alle "
            "stillingsgrupper, lærlingene medregnet"
        )
    return out


def apprentices_left_out(findings: pd.DataFrame) -> bool:
    """Whether a «Totalt» N of the year leaves out the apprentices (:func:`apprentice_findings`)."""
    return bool(((findings["check"] == "pay_total") & (findings["status"] == "info")).any())


def _table_headings(pay: pd.DataFrame) -> dict[str, str]:
    """Document title → the heading its pay table stands under."""
    out: dict[str, str] = {}
    for doc, section in zip(pay["source_document"], pay["source_section"], strict=True):
        heading = table_heading(section)
        if heading is not None:
            out.setdefault(source_title(doc), heading)
    return out


def _check_columns(hr: pd.DataFrame, covariates: tuple[str, ...], person: PersonData) -> None:
    """Every covariate asked for is a column of the person-level data (optional columns
    such as ``education_level`` may be absent from a file)."""
    derived = {"age2": "age"}
    missing = [c for c in covariates if derived.get(c, c) not in hr.columns]
    if missing:
        where = person.path.name if person.path is not None else "de syntetiske persondataene"
        raise ValueError(
            f"parameteren oaxaca_covariates: {', '.join(missing)} finnes ikke i {where}; "
            f"kolonnene der er {', '.join(map(str, hr.columns))}"
        )
