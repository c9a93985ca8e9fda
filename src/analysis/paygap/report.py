"""Everything the pay-gap report (``notebooks/lonnsgap.ipynb``) shows for one year.

:func:`build` computes; the notebook only displays. Which data feed which part:

* the grouped (Ñopo) decomposition, the headline ratio and the change since ``compare_year``
  use IMDi's published job-group table when the year has one (figures shown as published),
  else the person-level data aggregated to job groups;
* the Oaxaca–Blinder decomposition, the gap measures with medians and intervals and the EU
  indicators need person-level data: the researcher's HR file (``hr_data``) or, without one,
  synthetic data calibrated to the published table (the report then says so at the top).

Everything from person-level data passes through :mod:`analysis.disclosure.tables`: one
protection of the job group × gender counts, made together with the sick-leave report's
tables of the same employees (:func:`analysis.disclosure.hr.protect_hr_tables`),
decides which groups are hidden, and the same groups are hidden in every table, figure,
sentence and key figure (measures, EU categories, the pay figure and its alt text, the Ñopo
parts that rest on them).
"""

from __future__ import annotations

import dataclasses
import html as htmllib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import PAY_TABLE_TOTAL_ROW, TOTAL
from analysis.data.inputs import PersonData, hr_for_year
from analysis.data.published import (
    load_all_published,
    load_catalogue,
    load_published,
    source_title,
)
from analysis.data.quality import quality_findings
from analysis.disclosure import tables as disclosure
from analysis.disclosure.hr import protect_hr_tables
from analysis.disclosure.min_cell import check_min_cell
from analysis.methods.oaxaca import OaxacaResult
from analysis.paths import published_dir
from analysis.paygap import measures as paygap
from analysis.paygap.labels import group_label


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
    nopo: paygap.NopoResult = field(repr=False)
    nopo_alternatives: dict[str, paygap.NopoResult] = field(repr=False)
    change: paygap.GapChange | None = field(repr=False)
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


def _published_cells(pay: pd.DataFrame, year: int) -> pd.DataFrame | None:
    if year not in set(pay.loc[pay["row"] != PAY_TABLE_TOTAL_ROW, "year"].dropna().astype(int)):
        return None
    return paygap.cells_from_published(pay, year)


def protect_pay_groups(hr: pd.DataFrame, min_cell: int) -> disclosure.ProtectedTable:
    """The one disclosure decision of the report: which job groups are hidden.

    The job group × gender counts of the person-level data get primary and secondary
    suppression against every margin the report shows (each gender's overall mean and count,
    and the total); a group is hidden as a whole when either gender's cell is.
    """
    counts = paygap.cells_from_microdata(hr)[["group", "n_women", "n_men"]]
    return disclosure.protect_rows(counts, ["n_women", "n_men"], min_cell)


def suppress_by_gender(
    table: pd.DataFrame, hidden: list[str] | set[str] | tuple[str, ...], group_col: str = "group"
) -> pd.DataFrame:
    """Hide the rows of a per-group table whose group is in ``hidden`` (counts included).

    ``hidden`` comes from :func:`protect_pay_groups`. The total row (``alle``), if present, is
    kept (it is the margin the protection was made against).
    """
    mask = table[group_col].isin(set(hidden)) & (table[group_col] != TOTAL)
    return disclosure.hide_rows(table, mask.to_numpy(), group_col)


def hide_cells(cells: pd.DataFrame, hidden: list[str] | set[str] | tuple[str, ...]) -> pd.DataFrame:
    """Cells for display: the means and counts of hidden groups set to NaN, ``suppressed``."""
    return suppress_by_gender(cells, hidden)


def _sparse_note(hr: pd.DataFrame, year: int, min_cell: int) -> str | None:
    """A sentence when the person-level data hold fewer than ``min_cell`` women or men."""
    counts = hr["gender"].value_counts()
    if min(int(counts.get("K", 0)), int(counts.get("M", 0))) >= min_cell:
        return None
    return (
        f"For få ansatte til å beregne lønnsforskjellen fra persondataene for {year}: det "
        f"trengs minst {min_cell} kvinner og {min_cell} menn, og tallene som ville beskrive "
        "så få personer, er skjult."
    )


def _empty_nopo(cells: pd.DataFrame, reference: str) -> paygap.NopoResult:
    """A Ñopo result with every part hidden (NaN), for a year with too few persons."""
    nan = float("nan")
    return paygap.NopoResult(
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
    hr: pd.DataFrame, year: int, min_cell: int
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
        only = "kvinner" if n_men == 0 else "menn"
        return [], (
            f"Oaxaca–Blinder-dekomponeringen sammenligner kvinner og menn, men "
            f"persondataene for {year} har bare {only}. Den er derfor ikke beregnet."
        )
    if min(n_women, n_men) < min_cell:
        return [], (
            f"For få ansatte til å beregne Oaxaca–Blinder-dekomponeringen for {year}: den "
            f"krever minst {min_cell} kvinner og {min_cell} menn."
        )
    try:
        results = paygap.oaxaca_paygap(hr)
    except (ValueError, np.linalg.LinAlgError):
        results = []
    finite = bool(results) and all(
        np.isfinite(res.overall[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()
        for res in results
    )
    if not finite:
        return [], (
            f"Oaxaca–Blinder-dekomponeringen kan ikke beregnes for {year}: for få ansatte i "
            "forhold til antall kjennetegn, eller kjennetegnene varierer ikke blant både "
            "kvinner og menn."
        )
    return results, None


def build(
    year: int,
    compare_year: int | None = None,
    hr_data: str | None = None,
    min_cell: int = 5,
    seed: int = 2025,
) -> PayGapReport:
    """Compute the pay-gap report of ``year`` (see the module docstring)."""
    min_cell = check_min_cell(min_cell)
    compare_year = int(compare_year) if compare_year else int(year) - 1
    pay = load_published("pay_by_job_group", preferred_only=True)
    pub_cells = _published_cells(pay, year)
    person = hr_for_year(year, hr_data, seed)
    hr = person.frame
    sparse_note = _sparse_note(hr, year, min_cell)
    if pub_cells is not None:
        cells, cells_source = pub_cells, "published"
        published_table = pay.loc[pay["year"] == year].reset_index(drop=True)
    else:
        cells = paygap.cells_from_microdata(hr)
        cells_source, published_table = person.data_source, None
    pay_note = sparse_note if pub_cells is None else None
    if pay_note is None:
        nopo = paygap.nopo_decomposition(cells, reference="men")
        alternatives = {
            r: paygap.nopo_decomposition(cells, reference=r) for r in ("women", "pooled")
        }
    else:  # too few persons: the means are hidden, nothing is decomposed
        cells = cells.assign(mean_men=np.nan, mean_women=np.nan)
        nopo = _empty_nopo(cells, "men")
        alternatives = {r: _empty_nopo(cells, r) for r in ("women", "pooled")}

    change, change_source = None, None
    prev = _published_cells(pay, compare_year)
    if pay_note is not None:
        pass  # no gap to compare
    elif prev is not None and cells_source == "published":
        change, change_source = (
            paygap.gap_change(prev, cells, year0=compare_year, year1=year),
            "published",
        )
    elif hr_data:
        from analysis.data.microdata import load_hr

        all_hr = load_hr(hr_data)
        prev_hr = all_hr.loc[all_hr["year"] == compare_year]
        if not prev_hr.empty:
            change = paygap.gap_change(
                paygap.cells_from_microdata(prev_hr),
                paygap.cells_from_microdata(hr),
                year0=compare_year,
                year1=year,
            )
            change_source = person.data_source
    if change is None and prev is not None and pay_note is None:
        # person-level year, published previous year
        change = paygap.gap_change(prev, cells, year0=compare_year, year1=year)
        change_source = "published/" + cells_source

    # one decision with the sick-leave report, which shows the same employees' counts
    hidden = protect_hr_tables(hr, min_cell).pay_hidden_groups
    measures = suppress_by_gender(paygap.gap_measures(hr), hidden)
    oaxaca, oaxaca_note = _oaxaca_or_reason(hr, year, min_cell)
    eu = paygap.eu_pay_transparency(hr)
    if sparse_note is not None:  # the EU indicators describe the persons of the file
        quartiles = eu.quartiles.copy()
        quartiles[["share_women_pct", "share_men_pct"]] = np.nan
        eu = dataclasses.replace(
            eu, mean_gap_pct=float("nan"), median_gap_pct=float("nan"), quartiles=quartiles
        )
    eu_cat = suppress_by_gender(eu.by_category.rename(columns={"category": "group"}), hidden)
    # the grouped cells are the person-level data when nothing is published: same groups hidden
    cells_hidden = () if cells_source == "published" else hidden

    tables = load_all_published()
    keys = {n: e.key for n, e in load_catalogue().items()}
    findings = quality_findings(tables, keys)
    findings = findings.loc[
        (findings["table"] == "pay_by_job_group") & (findings["year"] == year)
    ].reset_index(drop=True)

    if pay_note is None:
        kf = paygap.key_figures(
            year,
            cells_source,
            cells=cells,
            nopo=nopo,
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
    kf["person_data_source"] = person.data_source
    kf["synthetic"] = person.synthetic
    kf["compare_year"] = compare_year
    kf["change_gap_nok"] = change.change if change is not None else None
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
        cells=hide_cells(cells, cells_hidden),
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
    )


# --------------------------------------------------------------------------- tables (HTML)

from analysis.render.formatting import (  # noqa: E402
    fmt_ci,
    fmt_int,
    fmt_nok,
    fmt_number,
    fmt_pct,
    fmt_pp,
)
from analysis.render.sources import person_data  # noqa: E402
from analysis.render.tables import html_table  # noqa: E402


def html_published_table(r: PayGapReport) -> str:
    """The published table of the year, as published (all rows)."""
    t = r.published_table.copy()
    t["row"] = t["row"].map(group_label)
    doc = source_title(t["source_document"].iloc[0])
    cols = [
        "row",
        "share_men_pct",
        "share_women_pct",
        "n_total",
        "mean_pay_men_nok",
        "mean_pay_women_nok",
        "women_share_of_men_pay_pct",
    ]
    return html_table(
        t[cols],
        caption=f"Kjønnsbalanse og lønn {r.year}, som publisert ({doc})",
        row_header="row",
        labels={
            "row": "Gruppe",
            "share_men_pct": "Menn",
            "share_women_pct": "Kvinner",
            "n_total": "Antall (N)",
            "mean_pay_men_nok": "Gj.snittslønn menn",
            "mean_pay_women_nok": "Gj.snittslønn kvinner",
            "women_share_of_men_pay_pct": "Kvinners lønn i % av menns",
        },
        formats={
            "share_men_pct": lambda v: fmt_pct(v, 2),
            "share_women_pct": lambda v: fmt_pct(v, 2),
            "n_total": fmt_int,
            "mean_pay_men_nok": fmt_nok,
            "mean_pay_women_nok": fmt_nok,
            "women_share_of_men_pay_pct": lambda v: fmt_pct(v, 2),
        },
        note=(
            "Lønn er gjennomsnittlig årslønn omregnet til heltid. «Totalt» omfatter "
            "stillingsgruppene; sluttet, nyrekrutterte, deltids- og midlertidig ansatte er "
            "undergrupper. – betyr at tallet ikke er publisert (ingen personer)."
        ),
    )


def html_measures_table(r: PayGapReport) -> str:
    """Gap measures per job group from the person-level data (suppressed)."""
    t = r.measures.copy()
    t["group"] = t["group"].map(group_label)
    cols = [
        "group",
        "n_men",
        "n_women",
        "mean_men",
        "mean_women",
        "median_men",
        "median_women",
        "gap_pct",
        "median_gap_pct",
        "ci_low",
        "ci_high",
    ]
    src = person_data(r.person.synthetic)
    return html_table(
        t[cols],
        caption=f"Lønnsgap per stillingsgruppe {r.year} ({src})",
        row_header="group",
        labels={
            "group": "Stillingsgruppe",
            "n_men": "Menn (N)",
            "n_women": "Kvinner (N)",
            "mean_men": "Gj.snitt menn",
            "mean_women": "Gj.snitt kvinner",
            "median_men": "Median menn",
            "median_women": "Median kvinner",
            "gap_pct": "Gap gj.snitt (% av menns)",
            "median_gap_pct": "Gap median (%)",
            "ci_low": "95 % KI gap, nedre (kr)",
            "ci_high": "95 % KI gap, øvre (kr)",
        },
        formats={
            "n_men": fmt_int,
            "n_women": fmt_int,
            "mean_men": fmt_nok,
            "mean_women": fmt_nok,
            "median_men": fmt_nok,
            "median_women": fmt_nok,
            "gap_pct": fmt_pct,
            "median_gap_pct": fmt_pct,
            "ci_low": fmt_nok,
            "ci_high": fmt_nok,
        },
        suppressed=t["suppressed"],
        note=(
            f": = skjult fordi cellen bygger på færre enn {_min_cell_text(r)} personer, eller "
            "for at skjulte celler ikke skal kunne regnes ut fra totalen. Intervallet for "
            "gapet (menns minus kvinners gjennomsnitt) bygger på Welchs standardfeil."
        ),
    )


def _min_cell_text(r: PayGapReport) -> str:
    return str(r.min_cell)


def html_nopo_table(r: PayGapReport) -> str:
    """The four Ñopo parts with the three reference choices."""
    rows = []
    names = {
        "men_outside_support": "Menn utenfor felles støtte",
        "women_outside_support": "Kvinner utenfor felles støtte",
        "composition": "Sammensetning (ulik fordeling på grupper)",
        "within_groups": "Forskjeller innen grupper",
        "total": "Totalt lønnsgap",
    }
    alt = r.nopo_alternatives
    for k, label in names.items():
        men = getattr(r.nopo, k)
        rows.append(
            {
                "part": label,
                "men": men,
                "pct": 100 * men / r.nopo.mean_men,
                "women": getattr(alt["women"], k),
                "pooled": getattr(alt["pooled"], k),
                "suppressed": bool(pd.isna(men)),
            }
        )
    t = pd.DataFrame(rows)
    any_hidden = bool(t["suppressed"].any())
    return html_table(
        t.drop(columns="suppressed"),
        caption=f"Dekomponering av lønnsgapet {r.year} (Ñopo 2008), kroner",
        row_header="part",
        labels={
            "part": "Del",
            "men": "Menns gruppesnitt som referanse",
            "pct": "I % av menns snitt",
            "women": "Kvinners gruppesnitt som referanse",
            "pooled": "Felles gruppesnitt som referanse",
        },
        formats={
            "men": fmt_nok,
            "pct": lambda v: fmt_pct(v, 2),
            "women": fmt_nok,
            "pooled": fmt_nok,
        },
        suppressed=t["suppressed"] if any_hidden else None,
        note=(
            "Delene summerer eksakt til det totale gapet. Felles støtte = stillingsgrupper "
            "med både kvinner og menn."
            + (
                f" : = skjult fordi delen bygger på en stillingsgruppe med færre enn "
                f"{r.min_cell} personer av ett kjønn; sammensetningen skjules da også, så "
                "den skjulte delen ikke kan regnes ut av summen."
                if any_hidden
                else ""
            )
        ),
    )


def html_change_table(r: PayGapReport) -> str:
    c = r.change
    t = pd.DataFrame(
        [
            {"what": f"Lønnsgap {c.year0}", "nok": c.gap0, "pp": c.ratio0_pct},
            {"what": f"Lønnsgap {c.year1}", "nok": c.gap1, "pp": c.ratio1_pct},
            {"what": "Endring", "nok": c.change, "pp": c.ratio_change_pp},
            {
                "what": "… fordi fordelingen på stillingsgrupper endret seg",
                "nok": c.composition,
                "pp": c.ratio_composition_pp,
            },
            {
                "what": "… fordi lønnen innen gruppene endret seg",
                "nok": c.within_groups,
                "pp": c.ratio_within_pp,
            },
        ]
    )
    return html_table(
        t,
        caption=f"Endring i lønnsgapet fra {c.year0} til {c.year1}",
        row_header="what",
        labels={
            "what": "",
            "nok": "Gap (kr)",
            "pp": "Kvinners lønn i % av menns / endring i prosentpoeng",
        },
        formats={"nok": fmt_nok, "pp": lambda v: fmt_number(v, 2)},
        note=(
            "Kitagawa-dekomponering med symmetriske vekter (gjennomsnitt av de to årenes "
            "andeler og lønn): de to delene summerer eksakt til endringen."
        ),
    )


def html_oaxaca_table(r: PayGapReport) -> str:
    from analysis.paygap.measures import oaxaca_reference_label

    names = {
        "male": "Menns lønnsstruktur",
        "female": "Kvinners lønnsstruktur",
        "pooled": "Felles lønnsstruktur (med kjønnsindikator)",
    }
    if r.oaxaca_note is not None:
        return f"<p>{htmllib.escape(r.oaxaca_note)}</p>"
    rows = []
    for res in r.oaxaca:
        if res.kind != "twofold":
            continue
        ov = res.overall
        rows.append(
            {
                "ref": names[oaxaca_reference_label(res)],
                "gap": res.gap,
                "expl": ov.loc["explained", "estimate"],
                "expl_ci": _ci_text(ov.loc["explained"]),
                "unexpl": ov.loc["unexplained", "estimate"],
                "unexpl_ci": _ci_text(ov.loc["unexplained"]),
            }
        )
    t = pd.DataFrame(rows)
    pct = lambda v: fmt_number(100 * v, 1) + " %"  # noqa: E731 - log points as per cent
    return html_table(
        t,
        caption=f"Oaxaca–Blinder-dekomponering av log årslønn {r.year}",
        row_header="ref",
        labels={
            "ref": "Referanse",
            "gap": "Gap (log-poeng × 100)",
            "expl": "Forklart",
            "expl_ci": "95 % KI forklart",
            "unexpl": "Uforklart",
            "unexpl_ci": "95 % KI uforklart",
        },
        formats={"gap": pct, "expl": pct, "unexpl": pct, "expl_ci": str, "unexpl_ci": str},
        note=(
            "Forklart del: ulikheter i stillingsgruppe, alder, ansiennitet og midlertidighet. "
            "Uforklart del: ulik avlønning av de samme kjennetegnene. Standardfeil med "
            "deltametoden (Jann 2008), kjennetegnenes gjennomsnitt behandlet som stokastiske."
        ),
    )


def _ci_text(row: pd.Series) -> str:
    return fmt_ci(100 * row["ci_low"], 100 * row["ci_high"], 1, sep=" til ")


def html_eu_table(r: PayGapReport) -> str:
    t = r.eu_categories.copy()
    t["group"] = t["group"].map(group_label)
    flag = lambda v: "–" if v is None or pd.isna(v) else ("Ja" if bool(v) else "Nei")  # noqa: E731
    cols = [
        "group",
        "n_men",
        "n_women",
        "mean_gap_pct",
        "median_gap_pct",
        "adjusted_gap_pct",
        "flag_raw",
        "flag_adjusted",
    ]
    return html_table(
        t[cols],
        caption=f"Lønnsgap per kategori arbeidstakere {r.year} (lønnsåpenhetsdirektivet art. 9)",
        row_header="group",
        labels={
            "group": "Kategori (stillingsgruppe)",
            "n_men": "Menn (N)",
            "n_women": "Kvinner (N)",
            "mean_gap_pct": "Gap gj.snitt (%)",
            "median_gap_pct": "Gap median (%)",
            "adjusted_gap_pct": "Justert gap (%)",
            "flag_raw": "Gap ≥ 5 %",
            "flag_adjusted": "Justert gap ≥ 5 %",
        },
        formats={
            "n_men": fmt_int,
            "n_women": fmt_int,
            "mean_gap_pct": fmt_pct,
            "median_gap_pct": fmt_pct,
            "adjusted_gap_pct": fmt_pct,
            "flag_raw": flag,
            "flag_adjusted": flag,
        },
        suppressed=t["suppressed"],
        note=(
            "Justert gap: kjønnskoeffisienten i en regresjon av log lønn på alder og "
            "ansiennitet innen kategorien. Direktivet bruker bruttolønn per time; her brukes "
            "årslønn omregnet til heltid. «Ja» i siste kolonne utløser felles "
            "lønnsvurdering (art. 10) dersom forskjellen ikke kan begrunnes objektivt."
        ),
    )


def html_quartiles_table(r: PayGapReport) -> str:
    t = r.eu.quartiles.copy()
    t["quartile"] = t["quartile"].map(lambda q: f"Kvartil {q}")
    return html_table(
        t[["quartile", "n", "share_women_pct", "share_men_pct"]],
        caption=f"Kvinner og menn i hver lønnskvartil {r.year}",
        row_header="quartile",
        labels={
            "quartile": "Lønnskvartil (1 = lavest)",
            "n": "Antall",
            "share_women_pct": "Andel kvinner",
            "share_men_pct": "Andel menn",
        },
        formats={
            "n": lambda v: fmt_number(v, 0),
            "share_women_pct": fmt_pct,
            "share_men_pct": fmt_pct,
        },
    )


def html_findings_table(findings: pd.DataFrame, caption: str) -> str:
    t = findings.copy()
    t["status"] = t["status"].map({"ok": "Stemmer", "avvik": "Avvik", "info": "Merknad"})
    t["source_document"] = t["source_document"].map(source_title)
    return html_table(
        t[["status", "detail", "source_document"]],
        caption=caption,
        row_header=None,
        labels={"status": "Resultat", "detail": "Kontroll", "source_document": "Kilde"},
    )


def fmt_part(v: float | None) -> str:
    """A decomposition part in kroner; ``:`` when it is hidden (NaN)."""
    from analysis.render.formatting import SUPPRESSED

    return SUPPRESSED if v is None or pd.isna(v) else fmt_nok(v)


def summary_text(r: PayGapReport) -> str:
    """The report's opening sentences: women's pay as a share of men's, the two means, the
    source and the change since the year before; or, when the comparison rests on too few
    persons, the sentence saying so (never a row of dashes)."""
    if r.pay_note is not None:
        return r.pay_note
    source = (
        "IMDis publiserte tabell «kjønnsbalanse og lønn»"
        if r.cells_source == "published"
        else "persondata aggregert til stillingsgrupper"
    )
    return (
        f"I {r.year} tjente kvinner i IMDi i gjennomsnitt "
        f"{fmt_pct(r.overall.women_share_of_men_pay_pct, 2)} av det menn tjente "
        f"({fmt_nok(r.overall.mean_women)} mot {fmt_nok(r.overall.mean_men)} i årslønn omregnet "
        f"til heltid). Tallene bygger på {source}. {change_text(r)}"
    )


def change_text(r: PayGapReport) -> str:
    """One bokmål sentence on the change since the comparison year."""
    c = r.change
    if r.pay_note is not None:
        return r.pay_note
    if c is None:
        return (
            f"Det finnes ikke lønnstall for {r.compare_year} å sammenligne med, så "
            "endringen kan ikke beregnes."
        )
    direction = "økte" if c.change > 0 else "minket"
    return (
        f"Fra {c.year0} til {c.year1} {direction} lønnsgapet med {fmt_nok(abs(c.change))}. "
        f"Endret fordeling på stillingsgrupper bidro med {fmt_nok(c.composition)}, og "
        f"endret lønn innen gruppene med {fmt_nok(c.within_groups)}. Kvinners lønn i "
        f"prosent av menns endret seg med {fmt_pp(c.ratio_change_pp, 2)}."
    )
