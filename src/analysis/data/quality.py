"""Data-quality checks that reconcile the published tables with themselves.

The checks never raise on what they find: a published table that does not add up is a
*finding*, reported in a table (and in the reports), not a crash. Every check makes
:class:`Finding` records, one type for all of them, and returns them as a frame with the
columns of :data:`FINDING_COLUMNS` (:func:`findings_frame`):

``check``          which check (see the functions below)
``table``          the published table checked
``year``           the year of the figures
``source_document`` the document the checked figures come from
``subject``        what was checked (a row of the table, a gender, a quantity)
``published``      the published figure
``recomputed``     the figure recomputed from other published figures
``difference``     published − recomputed
``tolerance``      the largest difference rounding of the published inputs can explain
``status``         ``ok`` (within tolerance), ``avvik`` (does not reconcile) or ``info``
``detail``         what was found, in bokmål, for the report

Tolerances follow from the number of decimals each figure was printed with (half a unit of
the last decimal, propagated through the recomputation).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import JOB_GROUP_LABELS, JOB_GROUPS, PAY_TABLE_TOTAL_ROW, TOTAL
from analysis.data.pay_table import pay_cells, rounding_halfwidth
from analysis.data.published import load_published
from analysis.render.formatting import fmt_number

#: what a finding's ``status`` can be
STATUSES: tuple[str, ...] = ("ok", "avvik", "info")


@dataclass(frozen=True)
class Finding:
    """One reconciliation finding (the fields are described in the module docstring)."""

    check: str
    table: str
    year: Any
    source_document: str
    subject: str
    published: Any
    recomputed: Any
    tolerance: float
    status: str
    detail: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"ukjent status {self.status!r}; bruk en av {', '.join(STATUSES)}")

    @property
    def difference(self) -> float:
        """``published − recomputed``; NaN when either is missing."""
        if pd.isna(self.published) or pd.isna(self.recomputed):
            return float("nan")
        return float(self.published) - float(self.recomputed)


#: the columns of every findings frame, in this order (``difference`` is derived)
FINDING_COLUMNS: list[str] = [
    *(f.name for f in fields(Finding) if f.name not in ("tolerance", "status", "detail")),
    "difference",
    "tolerance",
    "status",
    "detail",
]


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a frame: :data:`FINDING_COLUMNS`, numbers as floats, ``year`` as
    ``Int64``."""
    rows = [tuple(getattr(f, c) for c in FINDING_COLUMNS) for f in findings]
    df = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    for c in ("published", "recomputed", "difference", "tolerance"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    df["year"] = df["year"].astype("Int64")
    return df


# --------------------------------------------------------------------------- pay table


def check_pay_ratios(pay: pd.DataFrame) -> pd.DataFrame:
    """Recompute every "women's share of men's pay" from the two published means.

    ``recomputed = mean_pay_women / mean_pay_men × 100``. Tolerance: half a unit of the
    published ratio's last decimal plus the effect of the means being rounded to whole kroner.
    Rows where the table prints '-' (one gender absent) are skipped.
    """
    findings: list[Finding] = []
    ok = pay["mean_pay_men_nok"].notna() & pay["mean_pay_women_nok"].notna()
    ok &= pay["women_share_of_men_pay_pct"].notna()
    for r in pay.loc[ok].itertuples(index=False):
        m, k, pub = (
            float(r.mean_pay_men_nok),
            float(r.mean_pay_women_nok),
            float(r.women_share_of_men_pay_pct),
        )
        rec = k / m * 100.0
        tol = rounding_halfwidth(pub) + 100.0 * 0.5 * (1.0 / m + k / m**2)
        diff = pub - rec
        status = "ok" if abs(diff) <= tol else "avvik"
        label = JOB_GROUP_LABELS.get(r.row, r.row)
        detail = (
            f"{label} {r.year}: publisert {fmt_number(pub, 3 if status == 'avvik' else 2)} %, "
            f"beregnet fra gjennomsnittslønnene {fmt_number(rec, 3)} %"
        )
        if status == "avvik":
            detail += " – stemmer ikke med avrundingen av det publiserte tallet"
        findings.append(
            Finding(
                check="pay_ratio",
                table="pay_by_job_group",
                year=r.year,
                source_document=r.source_document,
                subject=r.row,
                published=pub,
                recomputed=rec,
                tolerance=tol,
                status=status,
                detail=detail,
            )
        )
    return findings_frame(findings)


def check_pay_headcounts(pay: pd.DataFrame) -> pd.DataFrame:
    """Check that each row's shares of men and women turn N into whole persons.

    A row passes when ``share × N / 100`` lies within the rounding of the published share of a
    whole number for both genders and the two counts add up to N.
    """
    findings: list[Finding] = []
    all_rows = tuple(pay["row"].unique())
    cells = pay_cells(pay, rows=all_rows)
    for r in cells.itertuples(index=False):
        share_m = pay.loc[
            (pay["year"] == r.year)
            & (pay["row"] == r.row)
            & (pay["source_document"] == r.source_document),
            "share_men_pct",
        ].iloc[0]
        n = int(r.n_total)
        rec = float(share_m) * n / 100.0
        status = "ok" if r.headcount_exact else "avvik"
        label = JOB_GROUP_LABELS.get(r.row, r.row)
        men = "mann" if r.n_men == 1 else "menn"
        women = "kvinne" if r.n_women == 1 else "kvinner"
        detail = f"{label} {r.year}: {r.n_men} {men} og {r.n_women} {women} av N = {n}"
        if status == "avvik":
            detail += " – andelene gir ikke hele personer innenfor avrundingen"
        findings.append(
            Finding(
                check="pay_headcount",
                table="pay_by_job_group",
                year=r.year,
                source_document=r.source_document,
                subject=r.row,
                published=float(r.n_men),
                recomputed=rec,
                tolerance=rounding_halfwidth(float(share_m)) * n / 100.0,
                status=status,
                detail=detail,
            )
        )
    return findings_frame(findings)


def _weighted_mean(counts: np.ndarray, means: np.ndarray) -> float:
    use = counts > 0
    if not use.any() or np.isnan(means[use]).any():
        return float("nan")
    return float((counts[use] * means[use]).sum() / counts[use].sum())


def _recompute_total(
    subject: str,
    ix: np.ndarray,
    n_m: np.ndarray,
    n_k: np.ndarray,
    mean_m: np.ndarray,
    mean_k: np.ndarray,
) -> float:
    """N or a gender's mean over the job groups ``ix``."""
    if subject == "n_total":
        return float(n_m[ix].sum() + n_k[ix].sum())
    if subject == "mean_pay_men_nok":
        return _weighted_mean(n_m[ix], mean_m[ix])
    return _weighted_mean(n_k[ix], mean_k[ix])


def _subset_text(excluded: tuple[str, ...]) -> str:
    if not excluded:
        return "alle stillingsgrupper"
    names = ", ".join(JOB_GROUP_LABELS.get(e, e).lower() for e in excluded)
    return f"stillingsgruppene uten {names}"


def reconcile_pay_totals(pay: pd.DataFrame) -> pd.DataFrame:
    """Reconcile each 'Totalt' row (N and both means) with the job-group rows.

    For every year and source document, the N, the men's mean and the women's mean of the
    'Totalt' row are recomputed from every subset of the job-group rows (head-count weighted
    means of the group means; counts from :func:`~analysis.data.pay_table.pay_cells`). The
    finding names the largest subset of job groups that reproduces the published figure —
    all job groups when the table is internally consistent — or, when no subset does, gives
    the figure recomputed from all job groups.

    Tolerance for a mean: 1 krone (the group means and the total are each rounded to whole
    kroner). N must match exactly.
    """
    findings: list[Finding] = []
    for (year, doc), grp in pay.groupby(["year", "source_document"], sort=True):
        total = grp.loc[grp["row"] == PAY_TABLE_TOTAL_ROW]
        if total.empty:
            continue
        total = total.iloc[0]
        cells = pay_cells(grp, rows=JOB_GROUPS)
        groups = list(cells["row"])
        n_m = cells["n_men"].to_numpy(float)
        n_k = cells["n_women"].to_numpy(float)
        mean_m = cells["mean_pay_men_nok"].to_numpy(float)
        mean_k = cells["mean_pay_women_nok"].to_numpy(float)
        arrays = (n_m, n_k, mean_m, mean_k)
        quantities = {
            "n_total": (float(total["n_total"]), 0.0),
            "mean_pay_men_nok": (float(total["mean_pay_men_nok"]), 1.0),
            "mean_pay_women_nok": (float(total["mean_pay_women_nok"]), 1.0),
        }
        subsets = [
            tuple(sorted(c))
            for k in range(len(groups), 0, -1)
            for c in itertools.combinations(range(len(groups)), k)
        ]
        for subject, (published, tol) in quantities.items():

            def fn(ix: np.ndarray, subject: str = subject, arrays: tuple = arrays) -> float:
                return _recompute_total(subject, ix, *arrays)

            full = list(range(len(groups)))
            rec_full = fn(np.array(full, dtype=int))
            match = None
            for sub in subsets:
                val = fn(np.array(sub, dtype=int))
                if not np.isnan(val) and abs(published - val) <= tol + 1e-9:
                    match = (sub, val)
                    break
            what = {
                "n_total": "N",
                "mean_pay_men_nok": "menns gjennomsnittslønn",
                "mean_pay_women_nok": "kvinners gjennomsnittslønn",
            }[subject]
            d = 0
            if match is not None:
                sub, val = match
                excluded = tuple(g for i, g in enumerate(groups) if i not in sub)
                status = "ok" if not excluded else "avvik"
                detail = (
                    f"Totalt {year}, {what}: publisert {fmt_number(published, d)}, "
                    f"beregnet fra {_subset_text(excluded)} ({fmt_number(val, d)})"
                )
                if excluded:
                    detail += f"; med alle stillingsgrupper blir det {fmt_number(rec_full, d)}"
                rec = val
            else:
                status = "avvik"
                rec = rec_full
                detail = (
                    f"Totalt {year}, {what}: publisert {fmt_number(published, d)}, "
                    f"beregnet fra alle stillingsgrupper {fmt_number(rec_full, d)}; "
                    "ingen kombinasjon av stillingsgrupper gjenskaper tallet"
                )
                excluded = ()
            findings.append(
                Finding(
                    check="pay_total",
                    table="pay_by_job_group",
                    year=year,
                    source_document=doc,
                    subject=subject,
                    published=published,
                    recomputed=rec,
                    tolerance=tol,
                    status=status,
                    detail=detail,
                )
            )
    return findings_frame(findings)


# --------------------------------------------------------------------------- sick leave


def check_sick_leave_totals(
    sick: pd.DataFrame, pay: pd.DataFrame | None = None, workforce: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Check that a total sick-leave rate lies where the gender rates put it.

    The total rate is a weighted mean of the women's and the men's rates, with the two
    genders' shares of the *agreed working days* as weights:
    ``total = w·rate_K + (1 − w)·rate_M``. So (1) the total must lie between the two gender
    rates, and (2) with the women's share of the headcount ``s`` (from the 'Totalt' row of the
    pay table, else the workforce table) as a proxy for ``w`` the total should be close to
    ``s·rate_K + (1 − s)·rate_M``. When it is not, the finding reports the share of working
    days that the published figures imply, ``w = (total − rate_M) / (rate_K − rate_M)``.

    Parameters
    ----------
    sick
        The ``sick_leave`` table (preferred rows).
    pay, workforce
        Optional sources of the women's headcount share per year.
    """
    shares: dict[int, float] = {}
    if workforce is not None and not workforce.empty:
        w = workforce.loc[
            (workforce["indicator"] == "share_pct")
            & (workforce["group"] == TOTAL)
            & (workforce["gender"] == "K")
        ]
        shares.update(
            {int(y): float(v) / 100.0 for y, v in zip(w["year"], w["value"], strict=True)}
        )
    if pay is not None and not pay.empty:
        t = pay.loc[pay["row"] == PAY_TABLE_TOTAL_ROW]
        shares.update(
            {int(y): float(v) / 100.0 for y, v in zip(t["year"], t["share_women_pct"], strict=True)}
        )
    findings: list[Finding] = []
    for (year, kind), grp in sick.groupby(["year", "kind"], sort=True):
        by = {
            g: grp.loc[grp["gender"] == g].iloc[0]
            for g in ("K", "M", TOTAL)
            if (grp["gender"] == g).any()
        }
        if len(by) < 3:
            continue
        rk, rm, rt = (float(by[g]["rate_pct"]) for g in ("K", "M", TOTAL))
        hk, hm, ht = (rounding_halfwidth(float(by[g]["rate_pct"])) for g in ("K", "M", TOTAL))
        doc = by[TOTAL]["source_document"]
        lo, hi = min(rk, rm), max(rk, rm)
        between = lo - max(hk, hm) - ht <= rt <= hi + max(hk, hm) + ht
        implied = (rt - rm) / (rk - rm) if rk != rm else float("nan")
        kind_nb = {"legemeldt": "legemeldt", "egenmeldt": "egenmeldt", "totalt": "samlet"}[kind]
        if not between:
            findings.append(
                Finding(
                    check="sick_leave_between",
                    table="sick_leave",
                    year=year,
                    source_document=doc,
                    subject=kind,
                    published=rt,
                    recomputed=np.nan,
                    tolerance=ht,
                    status="avvik",
                    detail=(
                        f"{kind_nb.capitalize()} sykefravær {year}: totalen "
                        f"{fmt_number(rt, 2)} % ligger ikke mellom kvinners "
                        f"({fmt_number(rk, 2)} %) og menns ({fmt_number(rm, 2)} %) rate"
                    ),
                )
            )
        s = shares.get(int(year))
        if s is None:
            findings.append(
                Finding(
                    check="sick_leave_total",
                    table="sick_leave",
                    year=year,
                    source_document=doc,
                    subject=kind,
                    published=rt,
                    recomputed=np.nan,
                    tolerance=np.nan,
                    status="info",
                    detail=(
                        f"{kind_nb.capitalize()} sykefravær {year}: ingen publisert kjønns"
                        f"fordeling å vekte med; totalen tilsvarer en kvinneandel av "
                        f"avtalte dagsverk på {fmt_number(100 * implied, 1)} %"
                    ),
                )
            )
            continue
        expected = s * rk + (1 - s) * rm
        tol = ht + s * hk + (1 - s) * hm + abs(rk - rm) * 0.00005
        diff = rt - expected
        status = "ok" if abs(diff) <= tol else "avvik"
        detail = (
            f"{kind_nb.capitalize()} sykefravær {year}: publisert total {fmt_number(rt, 2)} %, "
            f"vektet med kvinneandelen av de ansatte ({fmt_number(100 * s, 1)} %) blir den "
            f"{fmt_number(expected, 2)} %"
        )
        if status == "avvik":
            detail += (
                f"; totalen tilsvarer at kvinner har {fmt_number(100 * implied, 1)} % av de "
                "avtalte dagsverkene"
            )
        findings.append(
            Finding(
                check="sick_leave_total",
                table="sick_leave",
                year=year,
                source_document=doc,
                subject=kind,
                published=rt,
                recomputed=expected,
                tolerance=tol,
                status=status,
                detail=detail,
            )
        )
    return findings_frame(findings)


def published_sick_leave_findings(directory: Path | None = None) -> pd.DataFrame:
    """:func:`check_sick_leave_totals` on the published tables: the preferred rows of
    ``sick_leave``, with the women's headcount shares from ``pay_by_job_group`` (preferred)
    and ``workforce``.

    Returns the findings frame (:data:`FINDING_COLUMNS`).
    """
    sick = load_published("sick_leave", directory=directory, preferred_only=True)
    pay = load_published("pay_by_job_group", directory=directory, preferred_only=True)
    workforce = load_published("workforce", directory=directory, preferred_only=True)
    return check_sick_leave_totals(sick, pay, workforce)


# --------------------------------------------------------------------------- parental leave


def check_parental_leave_weeks(parental: pd.DataFrame) -> pd.DataFrame:
    """Compare the number printed in the weeks row's N column with the weighted mean weeks.

    The report does not say what that number is; if it is the mean over all on leave it
    should equal ``share_men·weeks_men + share_women·weeks_women`` up to rounding (it is
    printed as a whole number).
    """
    findings: list[Finding] = []
    cols = [
        "share_men_pct",
        "share_women_pct",
        "mean_weeks_men",
        "mean_weeks_women",
        "mean_weeks_total_column",
    ]
    for r in parental.dropna(subset=cols).itertuples(index=False):
        sm, sk = float(r.share_men_pct) / 100.0, float(r.share_women_pct) / 100.0
        wm, wk, pub = (
            float(r.mean_weeks_men),
            float(r.mean_weeks_women),
            float(r.mean_weeks_total_column),
        )
        rec = sm * wm + sk * wk
        tol = rounding_halfwidth(pub) + sm * rounding_halfwidth(wm) + sk * rounding_halfwidth(wk)
        status = "ok" if abs(pub - rec) <= tol else "avvik"
        detail = (
            f"Foreldrepermisjon {r.year}: tallet i N-kolonnen ({fmt_number(pub, 0)}) mot "
            f"vektet gjennomsnitt av ukene for menn og kvinner ({fmt_number(rec, 1)} uker)"
        )
        findings.append(
            Finding(
                check="parental_leave_weeks",
                table="parental_leave",
                year=r.year,
                source_document=r.source_document,
                subject="mean_weeks_total_column",
                published=pub,
                recomputed=rec,
                tolerance=tol,
                status=status,
                detail=detail,
            )
        )
    return findings_frame(findings)


# --------------------------------------------------------------------------- across documents


def check_repeated_publications(
    tables: dict[str, pd.DataFrame], keys: dict[str, tuple[str, ...]]
) -> pd.DataFrame:
    """Compare figures published more than once (two documents, or table and text).

    For each row that is not ``preferred``, every numeric column is compared with the
    preferred row of the same key; the two agree when they differ by no more than the rounding
    of the less precise one.
    """
    findings: list[Finding] = []
    skip = {"year"}
    for name, df in tables.items():
        key = list(keys.get(name, ()))
        if not key or "preferred" not in df.columns:
            continue
        numeric = [
            c
            for c in df.columns
            if c not in skip
            and c not in key
            and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])
        ]
        for _, grp in df.groupby(key, dropna=False, sort=True):
            if len(grp) < 2:
                continue
            pref = grp.loc[grp["preferred"].fillna(False).astype(bool)]
            if pref.empty:
                continue
            p = pref.iloc[0]
            for _, o in grp.loc[~grp["preferred"].fillna(False).astype(bool)].iterrows():
                for c in numeric:
                    a, b = o[c], p[c]
                    if pd.isna(a) and pd.isna(b):
                        continue
                    year = p["year"] if "year" in p.index else pd.NA
                    subject = "/".join(str(p[k]) for k in key if k != "year") + f":{c}"
                    if pd.isna(a) or pd.isna(b):
                        status, diff, tol = "avvik", np.nan, np.nan
                    else:
                        a, b = float(a), float(b)
                        tol = max(rounding_halfwidth(a), rounding_halfwidth(b))
                        diff = a - b
                        status = "ok" if abs(diff) <= tol + 1e-12 else "avvik"
                    if status == "ok":
                        continue
                    qualified = "qualifier" in grp.columns and (
                        pd.notna(o.get("qualifier")) or pd.notna(p.get("qualifier"))
                    )
                    if qualified:
                        status = "info"  # an approximate figure ("om lag", "over") vs exact
                    findings.append(
                        Finding(
                            check="repeated_publication",
                            table=name,
                            year=year,
                            source_document=o["source_document"],
                            subject=subject,
                            published=a,
                            recomputed=b,
                            tolerance=tol,
                            status=status,
                            detail=(
                                f"{subject.split(':')[0]} {year}, {c}: {o['source_document']} "
                                f"oppgir {a}, {p['source_document']} oppgir {b}"
                            ),
                        )
                    )
    return findings_frame(findings)


def quality_findings(
    tables: dict[str, pd.DataFrame], keys: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """Run every check on the loaded published tables and return all findings.

    Parameters
    ----------
    tables
        Loaded tables by name (all rows, not only the preferred ones), as returned by
        :func:`analysis.data.published.load_all_published`.
    keys
        Key columns per table (from the catalogue), for the repeated-publication check.
    """

    def pref(df: pd.DataFrame) -> pd.DataFrame:
        return df.loc[df["preferred"].fillna(False).astype(bool)]

    parts = []
    pay = tables.get("pay_by_job_group")
    if pay is not None:
        parts += [check_pay_ratios(pay), check_pay_headcounts(pay), reconcile_pay_totals(pay)]
    sick = tables.get("sick_leave")
    if sick is not None:
        wf = tables.get("workforce")
        parts.append(
            check_sick_leave_totals(
                pref(sick),
                pref(pay) if pay is not None else None,
                pref(wf) if wf is not None else None,
            )
        )
    parental = tables.get("parental_leave")
    if parental is not None:
        parts.append(check_parental_leave_weeks(pref(parental)))
    if keys:
        parts.append(check_repeated_publications(tables, keys))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return findings_frame([])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(
        ["check", "table", "year", "source_document", "subject"], kind="stable"
    ).reset_index(drop=True)
