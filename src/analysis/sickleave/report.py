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

Definitions and methods are those of :mod:`analysis.sickleave.measures`. Tables from person-level
data
are suppressed where a cell rests on fewer than ``min_cell`` persons (primary and secondary
suppression, :func:`analysis.sickleave.measures.rates_table_for_report`); the concentration measures
are hidden when they describe fewer than ``min_cell`` persons.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.codes import GENDERS
from analysis.data.inputs import PersonData, hr_for_year
from analysis.data.published import load_published, source_title
from analysis.disclosure.hr import protect_hr_tables
from analysis.disclosure.min_cell import check_min_cell
from analysis.disclosure.tables import primary_mask, suppress, suppression_mask
from analysis.paths import published_dir
from analysis.render.formatting import (
    MISSING,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import person_data
from analysis.render.tables import html_table
from analysis.sickleave import measures as S
from analysis.sickleave.labels import group_label

#: the kind of sick leave the gender comparison is about (as in IMDi's reports)
KIND = "legemeldt"
#: person-level certified rates of synthetic data must lie this close to the published ones
CALIBRATION_TOLERANCE_PP = 0.3
#: shares of persons with the most absence in the concentration table; the text uses 10 %
TOP_SHARES: tuple[float, ...] = (0.05, 0.10, 0.20)
TOP_SHARE = 0.10

_KIND_SHORT = {"legemeldt": "Legemeldt", "egenmeldt": "Egenmeldt", "totalt": "Samlet"}
_COVARIATE_NAMES = {"job_group": "stillingsgruppe", "age_band": "aldersgruppe"}
_COVARIATE_DEFINITE = {"job_group": "stillingsgruppen", "age_band": "aldersgruppen"}


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
    adjusted: S.AdjustedRateRatio = field(repr=False)
    adjusted_negbin: S.AdjustedRateRatio | None = field(repr=False)
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

    @property
    def has_published(self) -> bool:
        """Whether IMDi has published sick-leave rates by gender for the year."""
        return bool(len(self.published_year)) and bool(
            self.published_year["gender"].isin(GENDERS).any()
        )

    @property
    def findings_year(self) -> pd.DataFrame:
        return self.findings.loc[self.findings["year"] == self.year]

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


# --------------------------------------------------------------------------- build


def _published_decimals() -> dict[tuple[int, str, str], int]:
    """Decimals of each preferred published rate as transcribed (7.30 has two, 6.8 one):
    the floats of the typed table have lost trailing zeros."""
    raw = pd.read_csv(published_dir() / "sick_leave.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[raw["preferred"].str.strip().str.lower() == "true"]
    out = {}
    for r in raw.itertuples(index=False):
        text = str(r.rate_pct).strip()
        out[(int(r.year), str(r.gender), str(r.kind))] = (
            len(text.split(".")[1]) if "." in text else 0
        )
    return out


def _suppress_concentration(conc: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Hide concentration measures that describe fewer than ``min_cell`` persons.

    A top share rests on its k persons (primary suppression only: the shares are nested, not
    parts of a total). The three groups long / short / no absence add up to all persons, so
    they get secondary suppression against that total. The Gini coefficient rests on all.
    """
    out = conc.copy()
    out["suppressed"] = False
    top = out["measure"] == "top_share"
    out.loc[top, "suppressed"] = primary_mask(
        out.loc[top, "n_persons"].astype(float), min_cell
    ).to_numpy()
    parts = out["measure"].isin(["long_term_proxy", "short_term_proxy", "no_absence"])
    counts = out.loc[parts, "n_persons"].astype(float)
    out.loc[parts, "suppressed"] = suppression_mask(counts, min_cell, margins=True).to_numpy()
    gini = out["measure"] == "gini"
    out.loc[gini, "suppressed"] = primary_mask(
        out.loc[gini, "n_persons"].astype(float), min_cell
    ).to_numpy()
    hide = out["suppressed"].to_numpy(bool)
    for c in ("person_share", "n_persons", "lost_days", "value"):
        out[c] = out[c].astype(float)
        out.loc[hide, c] = float("nan")
    return out


def _suppress_gender_rates(rates: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, set[str]]:
    """Hide the rates by gender (and for all) that rest on fewer than ``min_cell`` persons.

    Women and men add up to all employees, so they get primary and secondary suppression
    against that total; the total is hidden when it rests on too few persons itself, or when
    exactly one gender is hidden (the total would then give it away). Head counts stay.
    Returns the rates and the set of hidden groups (``K``, ``M``, ``alle``).
    """
    n = rates.drop_duplicates("gender").set_index("gender")["n_persons"].astype(float)
    genders = [g for g in GENDERS if g in n.index]
    mask = suppression_mask(n.loc[genders], min_cell, margins=True)
    hidden = {g for g in genders if bool(mask.loc[g])}
    if n.get(S.TOTAL, 0.0) < min_cell or len(hidden) == 1:
        hidden.add(S.TOTAL)
    if not hidden:
        return rates, hidden
    out = rates.copy()
    rows = out["gender"].isin(hidden)
    for c in ("lost_days", "agreed_days", "rate_pct", "se_pct", "ci_low", "ci_high"):
        if c in out.columns:
            out[c] = out[c].astype(float)
            out.loc[rows, c] = float("nan")
    return out, hidden


def _no_rate_ratio(reason: str) -> S.AdjustedRateRatio:
    """A rate ratio that is not estimated (every number NaN), with the reason as its note."""
    nan = float("nan")
    return S.AdjustedRateRatio(
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
    year: int, hr_data: str | None = None, min_cell: int = 5, seed: int = 2025
) -> SickLeaveReport:
    """Compute the sick-leave report of ``year`` (see the module docstring)."""
    year, min_cell = int(year), check_min_cell(min_cell)
    person = hr_for_year(year, hr_data, seed)
    hr = S.add_age_band(person.frame)

    rates = S.sick_leave_rates(hr, by=("gender",), kinds=S.KINDS, margins=True)
    # one decision with the pay-gap report, which shows the same employees' counts
    prot = protect_hr_tables(hr, min_cell, rates=rates)
    rates_job, rates_age = prot.job, prot.age
    rates, hidden = _suppress_gender_rates(prot.rates, min_cell)
    # a gender total (or the grand total) hidden in one table is hidden everywhere
    hidden_genders: set[str] = set(hidden)
    for t, dim in ((rates_job, "job_group"), (rates_age, "age_band")):
        margin = t.loc[t[dim] == S.TOTAL]
        hidden_genders |= set(margin.loc[margin["suppressed"].astype(bool), "gender"])
    if hidden_genders:
        rates = suppress(
            rates, rates["gender"].isin(hidden_genders), columns=list(S.RATE_COLUMNS)
        ).drop(columns="suppressed")
        for t, dim in ((rates_job, "job_group"), (rates_age, "age_band")):
            rows = ((t[dim] == S.TOTAL) & t["gender"].isin(hidden_genders)).to_numpy()
            t.loc[rows, list(S.RATE_COLUMNS)] = float("nan")
            t.loc[rows, "suppressed"] = True
    hidden = hidden_genders
    counts = hr["gender"].value_counts()
    too_few = min(int(counts.get(g, 0)) for g in GENDERS) < min_cell
    if too_few:  # the models compare women and men: not fitted on a handful of persons
        adjusted = _no_rate_ratio(
            f"for få ansatte til å sammenligne kvinner og menn (det trengs minst {min_cell} "
            f"kvinner og minst {min_cell} menn)"
        )
    else:
        adjusted = S.adjusted_rate_ratio(hr, kind=KIND, covariates=("job_group", "age_band"))
    try:
        if too_few:
            raise ValueError("too few persons")
        negbin: S.AdjustedRateRatio | None = S.adjusted_rate_ratio(
            hr, kind=KIND, covariates=("job_group", "age_band"), method="negbin"
        )
        if not math.isfinite(negbin.estimate):
            negbin = None
    except Exception:  # the sensitivity analysis must never stop the report
        negbin = None
    concentration = _suppress_concentration(
        S.absence_concentration(hr, KIND, shares=TOP_SHARES), min_cell
    )
    lorenz = S.lorenz_curve(hr, KIND)
    if (hr["agreed_workdays"] > 0).sum() < min_cell:  # the curve would show single persons
        lorenz = lorenz.assign(lost_days_share=float("nan"))

    series = S.published_series()
    decimals = _published_decimals()
    series["decimals"] = [
        decimals.get((int(y), str(g), str(k)), 2)
        for y, g, k in zip(series["year"], series["gender"], series["kind"], strict=True)
    ]
    published_year = series.loc[series["year"] == year].reset_index(drop=True)
    targets = load_published("sick_leave_targets", preferred_only=True)
    benchmark = S.load_benchmark(year=year)
    findings = S.published_reconciliation()
    comparison = _comparison(rates, published_year)

    kf = S.key_figures(year, person.data_source, hr, kind=KIND)
    if hidden:  # what the tables hide is hidden in the key figures too
        present = set(rates["gender"])
        for g in GENDERS:
            if g in hidden or g not in present:
                kf["by_gender"][g] = None
        if S.TOTAL in hidden:
            for key in ("rate_total_pct", "rate_certified_pct", "rate_self_pct"):
                kf[key] = None
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
    if (pub / S.BENCHMARK_FILE).is_file():
        inputs.append(str(pub / S.BENCHMARK_FILE))
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
        benchmark_text=S.benchmark_statement(benchmark, year, kind="totalt"),
        key_figures=kf,
        inputs=inputs,
        min_cell=int(min_cell),
    )


# --------------------------------------------------------------------------- small helpers


def gender_label(code: str, lower: bool = False) -> str:
    text = {"K": "Kvinner", "M": "Menn", S.TOTAL: "Alle ansatte"}.get(code, code)
    return text.lower() if lower else text


def fmt_ratio(x: float) -> str:
    return fmt_number(x, 2)


def fmt_published(value: float, decimals: int) -> str:
    """A published rate with the decimals it was published with."""
    return fmt_pct(value, int(decimals))


def _join(items: list[Any]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def _ci_excludes_one(lo: float, hi: float) -> bool:
    return math.isfinite(lo) and math.isfinite(hi) and (lo > 1 or hi < 1)


# --------------------------------------------------------------------------- tables (HTML)


def html_rates_table(r: SickLeaveReport) -> str:
    """Headline rates: kind × gender, each with its 95 % interval."""
    from analysis.render.formatting import SUPPRESSED

    rows = []
    for k in S.KINDS:
        row: dict[str, Any] = {"kind": S.KIND_LABELS[k]}
        for g in (*GENDERS, S.TOTAL):
            x = r.rate(g, k)
            hidden = pd.isna(x["rate_pct"])
            row[f"rate_{g}"] = SUPPRESSED if hidden else fmt_pct(x["rate_pct"], 1)
            row[f"ci_{g}"] = SUPPRESSED if hidden else fmt_ci(x["ci_low"], x["ci_high"], unit="%")
        rows.append(row)
    t = pd.DataFrame(rows)
    n = {g: r.rate(g)["n_persons"] for g in (*GENDERS, S.TOTAL)}
    any_hidden = any(pd.isna(v) for v in n.values())
    labels = {"kind": "Sykefravær"}
    for g in (*GENDERS, S.TOTAL):
        n_text = SUPPRESSED if pd.isna(n[g]) else fmt_int(n[g])
        labels[f"rate_{g}"] = f"{gender_label(g)} (N = {n_text})"
        labels[f"ci_{g}"] = f"95 % KI, {gender_label(g, lower=True)}"
    return html_table(
        t,
        caption=(
            f"Sykefravær etter kjønn {r.year}, prosent av avtalte dagsverk "
            f"({person_data(r.person.synthetic)})"
        ),
        row_header="kind",
        labels=labels,
        formats={c: str for c in t.columns if c != "kind"},
        note=(
            "Sykefraværsprosent = tapte dagsverk × 100 / avtalte dagsverk (SSBs og NAVs "
            "definisjon). KI = konfidensintervall, beregnet med personer som enheter. "
            "N = antall personer med avtalte dagsverk."
            + (
                f" : = skjult fordi tallet bygger på færre enn {r.min_cell} personer, eller "
                "for at det ikke skal kunne regnes ut fra de andre tallene."
                if any_hidden
                else ""
            )
        ),
    )


def _group_rows(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The suppressed group × gender table, wide in kinds, one row per group and gender."""
    wide = []
    for (grp, g), sub in table.groupby([column, "gender"], sort=False):
        by_kind = sub.set_index("kind")
        cert = by_kind.loc[KIND]
        label = group_label(column, grp)
        who = "i alt" if g == S.TOTAL else gender_label(g, lower=True)
        wide.append(
            {
                "group": f"{label}, {who}",
                "n": cert["n_persons"],
                "certified": cert["rate_pct"],
                "ci": fmt_ci(cert["ci_low"], cert["ci_high"], unit="%"),
                "self": by_kind.loc["egenmeldt", "rate_pct"],
                "total": by_kind.loc["totalt", "rate_pct"],
                "suppressed": bool(cert["suppressed"]),
            }
        )
    return pd.DataFrame(wide)


def _html_group_table(r: SickLeaveReport, table: pd.DataFrame, column: str, title: str) -> str:
    t = _group_rows(table, column)
    return html_table(
        t[["group", "n", "certified", "ci", "self", "total"]],
        caption=f"Sykefravær etter {title} og kjønn {r.year} ({person_data(r.person.synthetic)})",
        row_header="group",
        labels={
            "group": title.capitalize() + " og kjønn",
            "n": "Personer (N)",
            "certified": "Legemeldt",
            "ci": "95 % KI legemeldt",
            "self": "Egenmeldt",
            "total": "Samlet",
        },
        formats={"n": fmt_int, "certified": fmt_pct, "ci": str, "self": fmt_pct, "total": fmt_pct},
        suppressed=t["suppressed"],
        note=(
            f": = skjult fordi tallet bygger på færre enn {r.min_cell} personer, eller for at "
            "skjulte tall ikke skal kunne regnes ut fra de andre. Prosent av avtalte "
            "dagsverk; grupper uten ansatte av et kjønn har ingen rad."
        ),
    )


def html_job_group_table(r: SickLeaveReport) -> str:
    """Rates by job group × gender (suppressed cells shown as ``:``)."""
    return _html_group_table(r, r.rates_job, "job_group", "stillingsgruppe")


def html_age_band_table(r: SickLeaveReport) -> str:
    """Rates by age band × gender (suppressed cells shown as ``:``)."""
    return _html_group_table(r, r.rates_age, "age_band", "aldersgruppe")


def adjusted_notes(r: SickLeaveReport) -> list[str]:
    """The adjusted model's notes in bokmål, without revealing anything about small groups:
    a level without lost days is named only when it has at least ``min_cell`` persons."""
    out = []
    for note in r.adjusted.notes:
        m = re.fullmatch(r"(\w+) = (.+?): (ingen tapte dagsverk|bare ett kjønn)(.*)", note)
        if not m:
            continue
        col, levels, what = m.group(1), m.group(2).split(", "), m.group(3)
        name = _COVARIATE_NAMES.get(col, col)
        the = _COVARIATE_DEFINITE.get(col, col)
        labels = ", ".join(group_label(col, v) for v in levels)
        if what == "bare ett kjønn":
            out.append(
                f"I {the} {labels} er det bare ansatte av ett kjønn; gruppen bidrar "
                "ikke til sammenligningen av kvinner og menn."
            )
        else:
            n = re.search(r"(\d+) rad", m.group(4))
            n_rows = int(n.group(1)) if n else 0
            if n_rows >= r.min_cell:
                out.append(
                    f"Ingen av de {n_rows} personene i {the} {labels} har tapte "
                    "dagsverk; de er utelatt fra den justerte modellen."
                )
            else:
                out.append(
                    f"En {name} der ingen har tapte dagsverk, er utelatt fra den "
                    f"justerte modellen (færre enn {r.min_cell} personer)."
                )
    return out


def html_adjusted_table(r: SickLeaveReport) -> str:
    """Unadjusted and adjusted rate ratio women/men (doctor-certified)."""
    a = r.adjusted
    rows = [
        {
            "what": "Ujustert (bare kjønn)",
            "est": a.unadjusted,
            "ci": fmt_ci(a.unadjusted_ci_low, a.unadjusted_ci_high, 2),
        },
        {
            "what": "Justert for stillingsgruppe og aldersgruppe",
            "est": a.estimate,
            "ci": fmt_ci(a.ci_low, a.ci_high, 2),
        },
    ]
    nb = r.adjusted_negbin
    if nb is not None:
        rows.append(
            {
                "what": "Justert, negativ binomisk modell (følsomhetsanalyse)",
                "est": nb.estimate,
                "ci": fmt_ci(nb.ci_low, nb.ci_high, 2),
            }
        )
    t = pd.DataFrame(rows)
    notes = " ".join(adjusted_notes(r))
    return html_table(
        t,
        caption=f"Legemeldt sykefravær for kvinner i forhold til menn {r.year} (rateforhold, "
        f"{person_data(r.person.synthetic)})",
        row_header="what",
        labels={
            "what": "Sammenligning",
            "est": "Rateforhold kvinner/menn",
            "ci": "95 % konfidensintervall",
        },
        formats={"est": fmt_ratio, "ci": str},
        note=(
            "Rateforhold 1 = like høyt fravær; 2 = kvinners fravær er dobbelt så høyt som "
            "menns. Quasi-Poisson-modell med log(avtalte dagsverk) som offset; "
            f"spredningsparameter φ = {fmt_number(a.dispersion, 0)}. " + notes
        ).strip(),
    )


def html_concentration_table(r: SickLeaveReport) -> str:
    """How concentrated the certified lost days are (measures on few persons hidden)."""
    conc = r.concentration
    t = conc.loc[conc["measure"] != "gini"]
    gini = conc.loc[conc["measure"] == "gini"]
    gini_text = ""
    if len(gini) and not bool(gini["suppressed"].iloc[0]):
        gini_text = (
            f"Gini-koeffisienten for alle {fmt_int(gini['n_persons'].iloc[0])} ansatte "
            f"er {fmt_number(gini['value'].iloc[0], 2)} (0 når alle har like mye "
            "fravær, nær 1 når nesten alt fravær ligger hos én person). "
        )
    return html_table(
        t[["label", "n_persons", "person_share", "value"]],
        caption=f"Hvordan det legemeldte fraværet fordeler seg på de ansatte {r.year} "
        f"({person_data(r.person.synthetic)})",
        row_header="label",
        labels={
            "label": "Gruppe av ansatte",
            "n_persons": "Personer (N)",
            "person_share": "Andel av de ansatte",
            "value": "Andel av tapte dagsverk",
        },
        formats={"n_persons": fmt_int, "person_share": fmt_share, "value": fmt_share},
        suppressed=t["suppressed"],
        note=(
            "Langtids- og korttidsfravær er anslått fra summen av tapte dagsverk per person "
            "i året, ikke fra sykefraværstilfeller: se teksten. "
            + gini_text
            + f": = skjult fordi tallet bygger på færre enn {r.min_cell} personer."
        ),
    )


def html_published_year_table(r: SickLeaveReport) -> str:
    """The year's published rates, as published, with source document and section."""
    t = r.published_year.copy()
    t["what"] = [
        f"{_KIND_SHORT[k]}, {gender_label(g, lower=True)}"
        for k, g in zip(t["kind"], t["gender"], strict=True)
    ]
    t["value"] = [fmt_published(v, d) for v, d in zip(t["rate_pct"], t["decimals"], strict=True)]
    t["source"] = [
        f"{source_title(d)} – {s}"
        for d, s in zip(t["source_document"], t["source_section"], strict=True)
    ]
    return html_table(
        t[["what", "value", "source"]],
        caption=f"Sykefravær i IMDi {r.year}, som publisert",
        row_header="what",
        labels={"what": "Sykefravær", "value": "Publisert", "source": "Kilde"},
        formats={"value": str},
        note="Tallene er gjengitt med de desimalene de er publisert med.",
    )


def html_comparison_table(r: SickLeaveReport) -> str:
    """Published rates of the year next to the person-level rates."""
    t = r.comparison.copy()
    t["what"] = [
        f"{_KIND_SHORT[k]}, {gender_label(g, lower=True)}"
        for k, g in zip(t["kind"], t["gender"], strict=True)
    ]
    t["published"] = [
        fmt_published(v, d) for v, d in zip(t["published_pct"], t["decimals"], strict=True)
    ]
    t["ci"] = [fmt_ci(lo, hi, unit="%") for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)]
    own = person_data(r.person.synthetic)
    return html_table(
        t[["what", "published", "person_pct", "ci", "difference_pp"]],
        caption=f"Publiserte tall og {own} {r.year}",
        row_header="what",
        labels={
            "what": "Sykefravær",
            "published": "Publisert",
            "person_pct": own.capitalize(),
            "ci": "95 % KI",
            "difference_pp": "Forskjell (prosentpoeng)",
        },
        formats={
            "published": str,
            "person_pct": lambda v: fmt_pct(v, 2),
            "ci": str,
            "difference_pp": lambda v: fmt_number(v, 2),
        },
        note=(
            "Forskjell = persondata minus publisert. Totalen i persondataene er et vektet "
            "gjennomsnitt av kvinners og menns rater, med deres andeler av de avtalte "
            "dagsverkene som vekter."
        ),
    )


def html_series_table(r: SickLeaveReport) -> str:
    """The published doctor-certified series, year × gender, with sources."""
    s = r.series.loc[r.series["kind"] == KIND]
    rows = []
    for y, grp in s.groupby("year", sort=True):
        by = grp.set_index("gender")
        row = {"year": f"{y} (rapportåret)" if int(y) == r.year else str(y)}
        for g in (*GENDERS, S.TOTAL):
            row[g] = (
                fmt_published(by.loc[g, "rate_pct"], by.loc[g, "decimals"])
                if g in by.index
                else MISSING
            )
        row["source"] = ", ".join(sorted({source_title(d) for d in grp["source_document"]}))
        rows.append(row)
    t = pd.DataFrame(rows)
    years = sorted(int(y) for y in s["year"].unique())
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years]
    gap = f" Det finnes ingen publiserte tall for {missing[0]}–{missing[-1]}." if missing else ""
    return html_table(
        t,
        caption="Legemeldt sykefravær i IMDi etter kjønn, som publisert",
        row_header="year",
        labels={
            "year": "År",
            "K": "Kvinner",
            "M": "Menn",
            S.TOTAL: "Alle ansatte",
            "source": "Kilde",
        },
        formats={"K": str, "M": str, S.TOTAL: str},
        note=(
            "Prosent av avtalte dagsverk, med de desimalene tallene er publisert med. "
            "– = ikke publisert." + gap
        ),
    )


def html_findings_table(r: SickLeaveReport) -> str:
    """Reconciliation of the published totals with the gender rates: all years, this year's
    rows marked in the year column."""
    t = r.findings.copy()
    t["year_text"] = [
        f"{int(y)} (rapportåret)" if int(y) == r.year else str(int(y)) for y in t["year"]
    ]
    t["status"] = (
        t["status"]
        .map({"ok": "Stemmer", "avvik": "Stemmer ikke", "info": "Merknad"})
        .fillna(t["status"])
    )
    t["kind"] = t["subject"].map(_KIND_SHORT).fillna(t["subject"])
    t["source_document"] = t["source_document"].map(source_title)
    return html_table(
        t[["year_text", "kind", "status", "detail", "source_document"]],
        caption="Kontroll av de publiserte totalene mot kvinners og menns rater",
        row_header="year_text",
        labels={
            "year_text": "År",
            "kind": "Sykefravær",
            "status": "Resultat",
            "detail": "Kontroll",
            "source_document": "Kilde",
        },
        note=(
            "Kvinneandelen av de ansatte er hentet fra den publiserte lønnstabellen "
            "(«Totalt»-raden) eller bemanningstabellen for samme år. Avviket regnes som "
            "reelt når det er større enn avrundingen av de publiserte tallene kan forklare."
        ),
    )


# --------------------------------------------------------------------------- text (bokmål)


def headline_text(r: SickLeaveReport) -> str:
    """The headline paragraph: certified rates and the ratio women/men."""
    k, m, a = r.rate("K"), r.rate("M"), r.rate(S.TOTAL)
    adj = r.adjusted
    basis = person_data(r.person.synthetic)
    cy = r.person.calibration_year
    if r.person.synthetic and not r.has_published and cy is not None and cy != r.year:
        basis += (
            f" kalibrert til de publiserte tallene for {cy}; for {r.year} finnes ingen "
            "publiserte tall"
        )
    if any(pd.isna(x["rate_pct"]) for x in (k, m, a)):
        shown = [
            f"{fmt_pct(x['rate_pct'])} for {name}"
            for x, name in ((k, "kvinner"), (m, "menn"), (a, "alle ansatte"))
            if not pd.isna(x["rate_pct"])
        ]
        text = (
            f"For få ansatte til å beregne sykefraværet etter kjønn for {r.year}: tall som "
            f"bygger på færre enn {r.min_cell} personer, er skjult av personvernhensyn, og "
            "kvinner og menn sammenlignes ikke."
        )
        if shown:
            text += f" Det legemeldte sykefraværet var {_join(shown)} (beregnet fra {basis})."
        return text
    text = (
        f"I {r.year} var det legemeldte sykefraværet {fmt_pct(k['rate_pct'])} for kvinner "
        f"og {fmt_pct(m['rate_pct'])} for menn, og {fmt_pct(a['rate_pct'])} for alle "
        f"ansatte (beregnet fra {basis}). "
    )
    if not math.isfinite(adj.unadjusted):
        return text + "Forholdet mellom kvinners og menns fravær kan ikke beregnes i år."
    ci = fmt_ci(adj.unadjusted_ci_low, adj.unadjusted_ci_high, 2)
    text += (
        f"Kvinners legemeldte fravær var dermed {fmt_ratio(adj.unadjusted)} ganger menns "
        f"(95 % konfidensintervall {ci}). "
    )
    if math.isfinite(adj.estimate):
        text += (
            f"Sammenlignet innen samme stillingsgruppe og aldersgruppe er forholdet "
            f"{fmt_ratio(adj.estimate)} ({fmt_ci(adj.ci_low, adj.ci_high, 2)}). "
        )
        if _ci_excludes_one(adj.ci_low, adj.ci_high):
            text += (
                "Intervallet omfatter ikke 1: forskjellen er større enn det tilfeldig "
                "variasjon alene gir grunn til å vente."
            )
        else:
            text += (
                "Intervallet omfatter 1: med så få ansatte og så ujevnt fordelt fravær "
                "kan forskjellen ikke skilles fra tilfeldig variasjon."
            )
    return text


def adjusted_text(r: SickLeaveReport) -> str:
    """What the adjustment changed."""
    a = r.adjusted
    if not (math.isfinite(a.estimate) and math.isfinite(a.unadjusted)):
        return (
            "Det justerte forholdet kan ikke beregnes for dette året: " + "; ".join(a.notes) + "."
        )
    change = 100 * (a.estimate / a.unadjusted - 1)
    if abs(change) < 5:
        what = (
            "Justeringen endrer forholdet lite: forskjellen mellom kvinner og menn skyldes "
            "i liten grad at de fordeler seg ulikt på stillingsgrupper og aldersgrupper."
        )
    elif change < 0:
        what = (
            f"Justeringen gjør forholdet {fmt_number(abs(change), 0)}\u00a0% mindre: en "
            "del av forskjellen henger sammen med at kvinner og menn fordeler seg ulikt på "
            "stillingsgrupper og aldersgrupper."
        )
    else:
        what = (
            f"Justeringen gjør forholdet {fmt_number(change, 0)}\u00a0% større: innen samme "
            "stillingsgruppe og aldersgruppe er forskjellen større enn totalt sett."
        )
    return (
        f"Uten justering er kvinners legemeldte fravær {fmt_ratio(a.unadjusted)} ganger "
        f"menns; justert er forholdet {fmt_ratio(a.estimate)}. {what} Fraværet varierer "
        "mye mer mellom personene enn en enkel tellemodell (Poisson) forutsetter – de "
        "fleste har ingen fraværsdager, noen få har mange; variansen er om lag "
        f"{fmt_number(a.dispersion, 0)} ganger så stor. Intervallene er gjort tilsvarende "
        "bredere."
    )


def concentration_text(r: SickLeaveReport) -> str:
    c = r.concentration.set_index("measure")
    tops = r.concentration.loc[r.concentration["measure"] == "top_share"]
    top = tops.iloc[[TOP_SHARES.index(TOP_SHARE)]] if len(tops) == len(TOP_SHARES) else tops[:0]
    parts = []
    if len(top) and not bool(top["suppressed"].iloc[0]):
        t = top.iloc[0]
        parts.append(
            f"De {fmt_number(100 * TOP_SHARE, 0)}\u00a0% av de ansatte med mest "
            f"legemeldt fravær ({fmt_int(t['n_persons'])} personer) står for "
            f"{fmt_share(t['value'], 0)} av alle tapte dagsverk."
        )
    if "gini" in c.index and not bool(c.loc["gini", "suppressed"]):
        parts.append(f"Gini-koeffisienten er {fmt_number(c.loc['gini', 'value'], 2)}.")
    if "long_term_proxy" in c.index and not bool(c.loc["long_term_proxy", "suppressed"]):
        lt = c.loc["long_term_proxy"]
        parts.append(
            f"{fmt_share(lt['person_share'], 0)} av de ansatte hadde mer enn 16 tapte "
            f"dagsverk i året; de står for {fmt_share(lt['value'], 0)} av de tapte "
            "dagsverkene."
        )
    if not parts:
        return f"Fordelingen vises ikke fordi tallene bygger på færre enn {r.min_cell} personer."
    return " ".join(parts)


def comparison_text(r: SickLeaveReport) -> str:
    """The person-level rates against the published ones (the calibration check)."""
    if r.comparison.empty:
        text = (
            f"IMDi har ikke publisert sykefraværstall for {r.year}, så tallene fra "
            f"{person_data(r.person.synthetic)} kan ikke sammenlignes med publiserte tall for året."
        )
        cy = r.person.calibration_year
        if r.person.synthetic and cy is not None and cy != r.year:
            text += (
                f" De syntetiske dataene er kalibrert til de publiserte tallene for {cy}, "
                "det nærmeste året med publiserte tall; de sier derfor ingenting om "
                f"sykefraværet i {r.year}."
            )
        return text
    d = r.max_calibration_diff_pp
    total = r.comparison.loc[(r.comparison["kind"] == KIND) & (r.comparison["gender"] == S.TOTAL)]
    if r.person.synthetic:
        if d is None:
            text = (
                "De syntetiske dataene er kalibrert til de publiserte tallene; for dette "
                "året er det ikke publisert legemeldt fravær for kvinner og menn hver for "
                "seg."
            )
        else:
            ok = d <= CALIBRATION_TOLERANCE_PP
            text = (
                f"De syntetiske dataene er laget slik at det legemeldte fraværet for "
                f"kvinner og for menn skal stemme med de publiserte tallene for {r.year}. "
                "At de stemmer innen "
                f"{fmt_number(CALIBRATION_TOLERANCE_PP, 1)} prosentpoeng, er kontrollen "
                f"av kalibreringen. Største avvik er {fmt_pp(d, 2)}"
                + (
                    ", så kontrollen er bestått."
                    if ok
                    else ": kontrollen feiler, og tallene fra persondata bør ikke brukes."
                )
            )
    else:
        text = (
            "Persondataene og de publiserte tallene kan avvike fordi uttrekkene er gjort på "
            "ulike tidspunkt eller med ulik avgrensning av hvem som regnes som ansatt."
        )
        if d is not None:
            text += f" Største avvik for kvinner og menn er {fmt_pp(d, 2)}."
    if len(total):
        t = total.iloc[0]
        text += (
            f" Totalen for alle ansatte er {fmt_pct(t['person_pct'], 2)} i "
            f"{person_data(r.person.synthetic)} mot "
            f"{fmt_published(t['published_pct'], t['decimals'])} "
            "publisert. I persondataene er totalen et vektet gjennomsnitt av kvinners og "
            "menns rate; at den publiserte totalen ligger et annet sted, er det samme "
            "avviket som kontrollen nedenfor viser."
        )
    return text


def findings_text(r: SickLeaveReport) -> str:
    f = r.findings
    bad = f.loc[f["status"] == "avvik"]
    years = sorted({int(y) for y in bad["year"]})
    if bad.empty:
        return "Alle publiserte totaler stemmer med kvinners og menns rater."
    this = r.findings_year
    if this.empty:
        mine = f"Det er ingen publisert total for {r.year} å kontrollere."
    elif (this["status"] == "avvik").any():
        mine = f"Også for {r.year} stemmer totalen ikke."
    else:
        mine = f"For {r.year} stemmer totalen."
    return (
        f"De publiserte totalene for {_join(years)} stemmer ikke med de "
        f"publiserte ratene for kvinner og menn ({len(bad)} av {len(f)} kontroller). "
        f"{mine}"
    )


def targets_text(r: SickLeaveReport) -> str:
    """IMDi's published targets: the IA ceiling and the relative goal."""
    t = r.targets
    parts = []
    for row in t.loc[t["max_rate_pct"].notna()].itertuples(index=False):
        parts.append(
            f"I {int(row.year_stated)} satte IMDi seg som mål i IA-avtalen at det samlede "
            f"sykefraværet ikke skulle overstige {fmt_pct(float(row.max_rate_pct), 1)} per "
            f"31.12.{int(row.target_year)} ({md_escape(source_title(row.source_document))})."
        )
    rel = t.loc[t["max_rate_pct"].isna() & t["benchmark"].notna()]
    if len(rel):
        first = int(rel["year_stated"].min())
        docs = " og ".join(
            md_escape(source_title(d)) for d in rel.sort_values("year_stated")["source_document"]
        )
        parts.append(
            f"Fra {first} er målet at sykefraværet skal være «under gjennomsnittet "
            f"for statlig forvaltning» ({docs}); målet oppgir ikke noe tall."
        )
    total = r.published_year.loc[
        (r.published_year["kind"] == "totalt") & (r.published_year["gender"] == S.TOTAL)
    ]
    if len(total):
        v = total.iloc[0]
        parts.append(
            f"Publisert samlet sykefravær for {r.year} er "
            f"{fmt_published(v['rate_pct'], v['decimals'])}."
        )
    return " ".join(parts)
