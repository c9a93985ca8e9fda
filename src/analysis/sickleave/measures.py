"""Sick leave among IMDi's employees: rates, uncertainty, concentration and the published
series.

Definition
----------
The sick-leave rate (sykefraværsprosent) follows Statistics Norway (SSB) and NAV: *lost
working days (tapte dagsverk) in per cent of agreed working days (avtalte dagsverk)*, both
weighted by the job share (stillingsandel) and lost days also by the sick-leave grade
(sykmeldingsgrad)::

    rate = Σ lost working days × 100 / Σ agreed working days

(SSB, *Sykefravær*, "Om statistikken", definitions of sykefraværsdagsverk and avtalte
dagsverk; Statistikkbanken tabell 12441, sykefravær for lønnstakere etter kjønn, næring og
type sykefravær; NAV, *Sykefraværsstatistikk*, same definition). Three kinds are computed,
with the codes of the published table ``sick_leave.csv``:

``legemeldt``  doctor-certified (``sick_days_certified``)
``egenmeldt``  self-certified (``sick_days_self``)
``totalt``     both (their sum)

The HR data hold one row per person and year with the person's agreed working days
(``agreed_workdays``) and lost days (``sick_days_certified``, ``sick_days_self``) already
weighted as SSB does. A rate is computed for a group as a whole (a ratio of sums), never as a
mean of personal rates.

Age bands
---------
``age_band`` is derived from ``age`` (age in the year, whole years) with left-closed bands
``<30``, ``30-39``, ``40-49``, ``50-59``, ``60+``
(:data:`analysis.data.codes.EMPLOYEE_AGE_BANDS`), the ten-year bands of SSB's sick-leave
statistics with the youngest (apprentices, first jobs) and the oldest (60+, near retirement)
pooled because IMDi has few employees there. (Jobbsjansen participants have other bands,
:data:`analysis.data.codes.PARTICIPANT_AGE_BANDS`.)

Uncertainty
-----------
The rate is a ratio estimator ``R = Σy/Σx`` over persons (y = lost days, x = agreed days).
Its standard error is the linearised (Taylor) one, ``Var(R) ≈ Σ(y_i − R x_i)² / (n(n−1) x̄²)``
with persons as units (Cochran 1977, ch. 6; :func:`analysis.methods.stats.ratio_estimate`): days of
absence come in spells and persons, not as independent days, and treating persons (summed
over their rows) as the units is what respects that clustering. A binomial standard error on
days would be far too small. No finite-population correction: the staff is the whole
population, and the standard error describes the variability of the process generating the
rates (the superpopulation view needed to compare groups and years). The 95 % interval is the
gamma interval of :func:`analysis.methods.stats.gamma_ratio_ci` (after Fay & Feuer 1997, with
the degrees-of-freedom adjustment of Korn & Graubard 1998), whose upper limit allows for one
more person as absent as the most absent one seen: lost days are so skewed that in 30
persons the log-scale Wald interval covers the true rate only 85–88 % of the time (about
91 % in 100 persons), and t quantiles, the jackknife and the bootstrap (percentile, BCa,
bootstrap-t) do little better, while the adjusted gamma interval covers at least 93 % at 30
persons and is conservative from 100 on (``docs/calibration.md``). For a group with no
lost days the interval is undefined (NaN). :func:`rate_bootstrap_ci` gives a person-level
bootstrap to cross-check.

Adjusted comparison and benchmark
---------------------------------
The rate ratio of women and men adjusted for job group and age band is estimated in
:mod:`analysis.sickleave.models`; published benchmark rates (e.g. the state administration's
average) are read by :mod:`analysis.data.benchmarks`, and the report's sentences about them are
written in :mod:`analysis.sickleave.texts`. Suppression of what the report shows happens in
:mod:`analysis.disclosure.hr`.

References
----------
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley.
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Fay, M. P. & Feuer, E. J. (1997). Confidence intervals for directly standardized rates: a
    method based on the gamma distribution. Statistics in Medicine 16(7), 791–801.
NAV. Sykefraværsstatistikk: om statistikken (definisjoner av tapte og avtalte dagsverk).
Statistisk sentralbyrå (SSB). Sykefravær: om statistikken; Statistikkbanken tabell 12441.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import (
    EMPLOYEE_AGE_BANDS,
    EMPLOYEE_AGE_BREAKS,
    GENDERS,
    JOB_GROUPS,
    SICK_LEAVE_KINDS,
    TOTAL,
)
from analysis.methods import stats

__all__ = [
    "COMPARISON_KIND",
    "CONCENTRATION_COLUMNS",
    "KINDS",
    "RATE_COLUMNS",
    "SERIES_COLUMNS",
    "TOP_SHARES",
    "TOTAL",
    "absence_concentration",
    "add_age_band",
    "age_band",
    "as_tuple",
    "check_kind",
    "lorenz_curve",
    "lost_days",
    "order_key",
    "prepare",
    "published_series",
    "rate_bootstrap_ci",
    "sick_leave_rates",
]

#: kinds of sick leave, codes as in ``sick_leave.csv``
KINDS: tuple[str, ...] = SICK_LEAVE_KINDS
#: the kind IMDi reports by gender, and the one the reports compare women and men on
COMPARISON_KIND = "legemeldt"
#: the HR columns holding the lost days of each kind
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "legemeldt": ("sick_days_certified",),
    "egenmeldt": ("sick_days_self",),
    "totalt": ("sick_days_certified", "sick_days_self"),
}

#: value columns of :func:`sick_leave_rates` (after the group columns and ``kind``)
RATE_COLUMNS: tuple[str, ...] = (
    "n_persons",
    "lost_days",
    "agreed_days",
    "rate_pct",
    "se_pct",
    "ci_low",
    "ci_high",
)

#: shares of persons with the most absence (:func:`absence_concentration`)
TOP_SHARES: tuple[float, ...] = (0.05, 0.10, 0.20)

#: columns of :func:`absence_concentration`
CONCENTRATION_COLUMNS: tuple[str, ...] = (
    "kind",
    "measure",
    "share",
    "threshold_days",
    "person_share",
    "n_persons",
    "lost_days",
    "value",
)

#: the person (unit) and the agreed days of each row in :func:`prepare`'s frame
UNIT = "__unit"
AGREED = "__agreed"
_HR_REQUIRED = ("agreed_workdays", "sick_days_certified", "sick_days_self")

_ORDERS: dict[str, tuple[Any, ...]] = {
    "gender": GENDERS,
    "job_group": JOB_GROUPS,
    "age_band": EMPLOYEE_AGE_BANDS,
    "kind": KINDS,
}


# --------------------------------------------------------------------------- preparation


def age_band(age: pd.Series) -> pd.Series:
    """The age band (:data:`analysis.data.codes.EMPLOYEE_AGE_BANDS`) of each age; NaN where
    the age is missing."""
    bands = pd.cut(
        pd.to_numeric(age, errors="coerce").astype(float),
        bins=list(EMPLOYEE_AGE_BREAKS),
        right=False,
        labels=list(EMPLOYEE_AGE_BANDS),
    )
    return bands.astype(object).where(bands.notna(), np.nan)


def add_age_band(hr: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``hr`` with the column ``age_band`` (see :func:`age_band`)."""
    out = hr.copy()
    out["age_band"] = age_band(out["age"])
    return out


def lost_days(hr: pd.DataFrame, kind: str = "legemeldt") -> pd.Series:
    """Lost working days of each row for ``kind`` (``totalt`` = certified + self-certified)."""
    check_kind(kind)
    cols = KIND_COLUMNS[kind]
    return hr[list(cols)].astype(float).sum(axis=1, min_count=len(cols))


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"ukjent fraværstype {kind!r}; bruk en av {', '.join(KINDS)}")


def as_tuple(by: str | Iterable[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    return tuple(by)


def prepare(hr: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns needed, with ``age_band`` derived if asked for, a unit id per person, the
    lost days of every kind and the agreed days as floats."""
    needed = [*_HR_REQUIRED, *[c for c in columns if c != "age_band"]]
    if "age_band" in columns and "age_band" not in hr.columns:
        needed.append("age")
    missing = [c for c in dict.fromkeys(needed) if c not in hr.columns]
    if missing:
        raise ValueError(f"HR-dataene mangler kolonnen(e) {', '.join(missing)}")
    df = hr.copy()
    if "age_band" in columns and "age_band" not in df.columns:
        df["age_band"] = age_band(df["age"])
    # persons are the units; without person ids every row is its own unit
    df[UNIT] = df["person_id"].astype(str) if "person_id" in df.columns else np.arange(len(df))
    for k in KINDS:
        df[f"__y_{k}"] = lost_days(df, k)
    df[AGREED] = df["agreed_workdays"].astype(float)
    return df


def order_key(column: str, values: pd.Series) -> pd.Series:
    """Sort key of group values: code-list order for known columns, else natural; 'alle' last."""
    order = _ORDERS.get(column)

    def key(v: Any) -> tuple[int, Any]:
        if isinstance(v, str) and v == TOTAL:
            return (2, "")
        if order is not None and v in order:
            return (0, order.index(v))
        return (1, str(v) if not isinstance(v, int | float | np.number) else float(v))

    return values.map(key)


def _sort(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    if frame.empty or not columns:
        return frame.reset_index(drop=True)
    keys = pd.DataFrame({c: order_key(c, frame[c]) for c in columns}, index=frame.index)
    order = sorted(range(len(frame)), key=lambda i: tuple(keys.iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def _person_cells(
    df: pd.DataFrame, by: Sequence[str], ycols: Sequence[str]
) -> list[tuple[tuple[Any, ...], pd.DataFrame]]:
    """The persons of :func:`prepare`'s frame (rows summed per unit) with agreed days, split
    into the cells of ``by``: ``(values of by, persons)`` in order of appearance."""
    keys = [*by, UNIT]
    persons = df.groupby(keys, sort=False, dropna=True)[[*ycols, AGREED]].sum().reset_index()
    persons = persons.loc[persons[AGREED] > 0]
    if not by:
        return [((), persons)]
    return [
        (k if isinstance(k, tuple) else (k,), g) for k, g in persons.groupby(list(by), sort=False)
    ]


# --------------------------------------------------------------------------- rates


def sick_leave_rates(
    hr: pd.DataFrame,
    by: str | Sequence[str] | None = ("gender",),
    kinds: Sequence[str] = KINDS,
    *,
    alpha: float = 0.05,
    margins: bool = False,
) -> pd.DataFrame:
    """Sick-leave rates (SSB definition) with person-level standard errors and 95 % CIs.

    ``rate_pct = Σ lost days × 100 / Σ agreed days`` per group (see the module docstring).

    Parameters
    ----------
    hr
        HR data, one row per person and year (``person_id`` identifies persons; a person with
        several rows in a group, e.g. several years, is one unit whose days are summed).
    by
        Group columns, e.g. ``("gender",)``, ``("job_group", "gender")``, ``("age_band",)``
        (derived from ``age`` when absent), or ``()`` for the whole frame.
    kinds
        Any of ``legemeldt``, ``egenmeldt``, ``totalt``.
    alpha
        1 − confidence level.
    margins
        Also return every margin: each subset of ``by`` with the other group columns set to
        ``"alle"`` (e.g. per job group over both genders, per gender over all job groups, and
        the grand total).

    Returns
    -------
    pandas.DataFrame
        Long format, one row per group and kind, with the columns ``*by, kind, n_persons,
        lost_days, agreed_days, rate_pct, se_pct, ci_low, ci_high``. ``n_persons`` counts
        persons with agreed days > 0 (persons without agreed days are left out: they are not
        at risk); ``se_pct`` is the linearised standard error of the rate in percentage
        points; ``ci_low``/``ci_high`` the df-adjusted gamma interval (Fay & Feuer 1997;
        Korn & Graubard 1998; :func:`analysis.methods.stats.ratio_ci`; NaN when no days were
        lost). Rows are in code-list order (genders K, M; job groups top to
        bottom; age bands young to old), margins ("alle") last.

    References
    ----------
    SSB, Sykefravær: om statistikken; Cochran (1977), ch. 6.

    Examples
    --------
    >>> hr = pd.DataFrame({"person_id": ["a", "b"], "gender": ["K", "M"],
    ...                    "agreed_workdays": [200.0, 100.0], "sick_days_certified": [10.0, 0.0],
    ...                    "sick_days_self": [2.0, 1.0]})
    >>> round(sick_leave_rates(hr, by=(), kinds=("totalt",))["rate_pct"].item(), 4)  # 13/300
    4.3333
    """
    by = as_tuple(by)
    kinds = tuple(kinds)
    for k in kinds:
        check_kind(k)
    df = prepare(hr, by)
    if margins:
        subsets = [c for r in range(len(by), -1, -1) for c in itertools.combinations(by, r)]
    else:
        subsets = [by]
    ycols = [f"__y_{k}" for k in kinds]
    records: list[dict[str, Any]] = []
    for subset in subsets:
        for values, cell in _person_cells(df, subset, ycols):
            labels = dict.fromkeys(by, TOTAL)
            labels.update(dict(zip(subset, values, strict=True)))
            x = cell[AGREED].to_numpy(float)
            for k, yc in zip(kinds, ycols, strict=True):
                y = cell[yc].to_numpy(float)
                r, se = stats.ratio_estimate(y, x)
                lo, hi = (100 * v for v in stats.ratio_ci(y, x, alpha))
                records.append(
                    {
                        **labels,
                        "kind": k,
                        "n_persons": len(cell),
                        "lost_days": float(y.sum()),
                        "agreed_days": float(x.sum()),
                        "rate_pct": 100 * r,
                        "se_pct": 100 * se,
                        "ci_low": lo,
                        "ci_high": hi,
                    }
                )
    out = pd.DataFrame(records, columns=[*by, "kind", *RATE_COLUMNS])
    out["n_persons"] = out["n_persons"].astype(int)
    return _sort(out, [*by, "kind"])


def rate_bootstrap_ci(
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    by: str | Sequence[str] | None = (),
    *,
    n_boot: int = 2000,
    seed: int = stats.DEFAULT_SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Person-level bootstrap of the sick-leave rate, to cross-check the linearised SE.

    Within each group, persons (with all their lost and agreed days) are resampled with
    replacement and the rate ``Σy/Σx`` recomputed (Efron & Tibshirani 1993, ch. 6);
    :func:`analysis.methods.stats.bootstrap` does the resampling.

    Returns
    -------
    pandas.DataFrame
        ``*by, kind, n_persons, rate_pct, se_pct, ci_low, ci_high, n_boot``: the rate, the
        bootstrap standard deviation and the percentile interval, in per cent.
    """
    check_kind(kind)
    by = as_tuple(by)
    df = prepare(hr, by)
    yc = f"__y_{kind}"
    cells = _person_cells(df, by, [yc])

    def rate(y: np.ndarray, x: np.ndarray) -> float:
        sx = x.sum()
        return 100.0 * y.sum() / sx if sx > 0 else float("nan")

    records = []
    for values, cell in cells:
        res = stats.bootstrap(
            rate,
            [cell[yc].to_numpy(float), cell[AGREED].to_numpy(float)],
            n_boot=n_boot,
            seed=seed,
            alpha=alpha,
        )
        records.append(
            {
                **dict(zip(by, values, strict=True)),
                "kind": kind,
                "n_persons": len(cell),
                "rate_pct": res.estimate,
                "se_pct": res.se,
                "ci_low": res.ci_low,
                "ci_high": res.ci_high,
                "n_boot": n_boot,
            }
        )
    out = pd.DataFrame(
        records,
        columns=[*by, "kind", "n_persons", "rate_pct", "se_pct", "ci_low", "ci_high", "n_boot"],
    )
    return _sort(out, list(by))


# --------------------------------------------------------------------------- concentration


def _person_lost_days(hr: pd.DataFrame, kind: str) -> pd.DataFrame:
    df = prepare(hr, ())
    yc = f"__y_{kind}"
    p = df.groupby(UNIT, sort=True)[[yc, AGREED]].sum()
    return p.rename(columns={yc: "lost_days", AGREED: "agreed_days"})


def absence_concentration(
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    shares: Sequence[float] = TOP_SHARES,
    *,
    long_term_threshold_days: float = 16.0,
) -> pd.DataFrame:
    """How concentrated lost days are on few persons.

    Rows (column ``measure``):

    ``top_share``
        For each of ``shares``: the share of all lost days carried by the ``k = ⌈share·n⌉``
        persons with the most lost days (:func:`analysis.methods.stats.top_share`; ties cannot
        change the sum, so the result is deterministic).
    ``long_term_proxy`` / ``short_term_proxy`` / ``no_absence``
        Persons with more than ``long_term_threshold_days`` lost days in total, with 0 < days
        <= threshold, and with none; their share of persons and of lost days. This is a
        **proxy**: the data hold one total per person and year, not spells, so long and short
        spells cannot be separated. The employer period (arbeidsgiverperioden) is 16 calendar
        days, about 12 working days; a total above 16 lost working days cannot come from
        one spell within the employer period, so it marks persons who very likely had a
        spell beyond it (long-term absence paid by NAV) — but it also catches persons with
        many short spells, and misses graded or part-time long spells that lose few days.
    ``gini``
        The Gini coefficient of lost days over persons (0 = everyone lost the same, near 1 =
        one person lost everything; :func:`analysis.methods.stats.gini`).

    Persons are summed over their rows (``person_id``); persons without agreed days are left
    out.

    Returns
    -------
    pandas.DataFrame
        :data:`CONCENTRATION_COLUMNS`: ``kind, measure``, the parameter of the measure
        (``share`` of a top share, ``threshold_days`` of the three groups; NaN otherwise),
        ``person_share, n_persons, lost_days, value``: ``value`` is the share of lost days
        (0–1) for the first four measures and the coefficient for ``gini``. The report's
        wording of each row is :func:`analysis.sickleave.texts.concentration_label`.
    """
    check_kind(kind)
    p = _person_lost_days(hr, kind)
    p = p.loc[p["agreed_days"] > 0]
    v = p["lost_days"].to_numpy(float)
    n, total = v.size, float(v.sum())
    nan = float("nan")
    rows: list[dict[str, Any]] = []
    for s in shares:
        k, sh = stats.top_share(v, s) if n else (0, float("nan"))
        top = float(np.sort(v)[::-1][:k].sum())
        rows.append(
            dict(
                measure="top_share",
                share=float(s),
                threshold_days=nan,
                person_share=k / n if n else float("nan"),
                n_persons=k,
                lost_days=top,
                value=sh,
            )
        )
    groups = {
        "long_term_proxy": v > long_term_threshold_days,
        "short_term_proxy": (v > 0) & (v <= long_term_threshold_days),
        "no_absence": v == 0,
    }
    for measure, mask in groups.items():
        d = float(v[mask].sum())
        rows.append(
            dict(
                measure=measure,
                share=nan,
                threshold_days=float(long_term_threshold_days),
                person_share=mask.sum() / n if n else float("nan"),
                n_persons=int(mask.sum()),
                lost_days=d,
                value=d / total if total > 0 else float("nan"),
            )
        )
    rows.append(
        dict(
            measure="gini",
            share=nan,
            threshold_days=nan,
            person_share=1.0 if n else float("nan"),
            n_persons=n,
            lost_days=total,
            value=stats.gini(v) if n else float("nan"),
        )
    )
    out = pd.DataFrame(rows)
    out.insert(0, "kind", kind)
    out["n_persons"] = out["n_persons"].astype(int)
    return out[list(CONCENTRATION_COLUMNS)]


def lorenz_curve(
    hr: pd.DataFrame, kind: str = "legemeldt", points: int | None = 101
) -> pd.DataFrame:
    """The Lorenz curve of lost days over persons.

    Parameters
    ----------
    points
        Evaluate the curve on this many equally spaced person shares from 0 to 1 (linear
        interpolation of the exact curve), so that a plot does not show single persons.
        ``None`` returns the exact curve (one point per person).

    Returns
    -------
    pandas.DataFrame
        ``person_share`` (0–1, persons sorted by lost days ascending) and
        ``lost_days_share`` (0–1).
    """
    check_kind(kind)
    p = _person_lost_days(hr, kind)
    p = p.loc[p["agreed_days"] > 0]
    ps, ls = stats.lorenz_curve(p["lost_days"].to_numpy(float))
    if points is not None:
        grid = np.linspace(0.0, 1.0, points)
        ls = np.interp(grid, ps, ls)
        ps = grid
    return pd.DataFrame({"person_share": ps, "lost_days_share": ls})


# --------------------------------------------------------------------------- published


SERIES_COLUMNS = ["year", "gender", "kind", "rate_pct", "source_document", "source_section", "note"]


def published_series(sick: pd.DataFrame) -> pd.DataFrame:
    """IMDi's published sick-leave rates, 2013–2025, by gender and kind.

    Parameters
    ----------
    sick
        The ``sick_leave`` table (``load_published("sick_leave", preferred_only=True)``). If it
        has a ``preferred`` column, only preferred rows are kept.

    Returns
    -------
    pandas.DataFrame
        ``year, gender, kind, rate_pct, source_document, source_section, note``, one row per
        published (year, gender, kind), sorted by kind, gender (K, M, alle) and year. Only
        years with published figures appear (2013, 2014, 2023–2025): nothing is
        interpolated.
    """
    if "preferred" in sick.columns:
        sick = sick.loc[sick["preferred"].fillna(False).astype(bool)]
    out = sick[[c for c in SERIES_COLUMNS if c in sick.columns]].copy()
    out["year"] = out["year"].astype(int)
    out["rate_pct"] = out["rate_pct"].astype(float)
    out = _sort(out, ["kind", "gender", "year"])
    return out
