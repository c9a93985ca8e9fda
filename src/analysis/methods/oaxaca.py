"""Oaxaca–Blinder decomposition of a mean outcome gap, matching Stata's ``oaxaca`` (Jann 2008).

The gap ``mean_a - mean_b`` between group A (the reference or advantaged group, e.g. men) and
group B is split into a part explained by differences in the covariate means and a part due to
differences in the coefficients of two linear regressions (Oaxaca 1973; Blinder 1973).

Twofold (reference coefficients ``b*``)::

    explained   = (xa - xb)' b*
    unexplained = xa' (ba - b*) + xb' (b* - bb)

with ``b* = ba`` ("group_a", Stata ``weight(1)``), ``b* = bb`` ("group_b", ``weight(0)``), the
pooled regression including a group indicator ("pooled", Stata ``pooled``; Fortin 2008, Jann
2008) or without it ("pooled_no_indicator"; Neumark 1988, Oaxaca & Ransom 1994).

Threefold from group B's point of view (Stata's default ``threefold``)::

    endowments   = (xa - xb)' bb
    coefficients = xb' (ba - bb)
    interaction  = (xa - xb)' (ba - bb)

and from group A's point of view (``reference="group_a"``, Stata ``threefold(reverse)``):
``(xa - xb)' ba``, ``xa' (ba - bb)`` and ``-(xa - xb)' (ba - bb)``.

Sets of dummy variables are normalised (deviation contrast: the coefficients of a set sum to
zero and the intercept absorbs their mean; Gardeazabal & Ugidos 2004, Yun 2005), which makes the
detailed decomposition independent of the omitted category, as Stata's ``normalize()``.

References
----------
Blinder, A. S. (1973). Wage discrimination: reduced form and structural estimates. Journal of
    Human Resources 8(4), 436–455.
Fortin, N. M. (2008). The gender wage gap among young adults in the United States: the
    importance of money versus people. Journal of Human Resources 43(4), 884–918.
Gardeazabal, J. & Ugidos, A. (2004). More on identification in detailed wage decompositions.
    Review of Economics and Statistics 86(4), 1034–1036.
Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression models. Stata Journal
    8(4), 453–479.
Neumark, D. (1988). Employers' discriminatory behavior and the estimation of wage
    discrimination. Journal of Human Resources 23(3), 279–295.
Oaxaca, R. (1973). Male-female wage differentials in urban labor markets. International
    Economic Review 14(3), 693–709.
Oaxaca, R. L. & Ransom, M. R. (1994). On discrimination and the decomposition of wage
    differentials. Journal of Econometrics 61(1), 5–21.
Yun, M.-S. (2005). A simple solution to the identification problem in detailed wage
    decompositions. Economic Inquiry 43(4), 766–772.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.render.jsonable import to_jsonable

__all__ = ["OaxacaResult", "bootstrap_se", "oaxaca_blinder", "to_records"]

CONS = "_cons"
TWOFOLD_REFERENCES = ("group_a", "group_b", "pooled", "pooled_no_indicator")
THREEFOLD_REFERENCES = ("group_b", "group_a")
COLUMNS = ["estimate", "se", "ci_low", "ci_high"]
#: below this many observations of a term in the smaller group (the category's count for a
#: dummy, the group size otherwise) normal intervals of detailed terms are flagged approximate
APPROX_MIN_N = 100
#: seed of the percentile bootstrap of detailed terms when none is given (reproducible reports)
DEFAULT_SEED = 20250101


@dataclass(frozen=True)
class OaxacaResult:
    """Result of :func:`oaxaca_blinder`.

    ``overall`` is indexed by component ("explained", "unexplained" or "endowments",
    "coefficients", "interaction"); ``detailed`` by (component, term), with "_cons" only under
    "unexplained"/"coefficients" (it is zero elsewhere). Both have the columns estimate, se,
    ci_low, ci_high. ``coefficients`` holds the (normalised) coefficients ``beta_a``,
    ``beta_b``, ``beta_ref`` and the covariate means ``mean_a``, ``mean_b`` per term.
    ``alpha`` is 1 − the confidence level of the intervals.
    """

    kind: str
    reference: str
    group_a: object
    group_b: object
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    gap: float
    covariates: tuple[str, ...]
    overall: pd.DataFrame
    detailed: pd.DataFrame
    se_method: str
    n_dropped: int = 0
    coefficients: pd.DataFrame | None = None
    alpha: float = 0.05

    def table(self, detailed: bool = False) -> pd.DataFrame:
        """The decomposition as a tidy table, one row per estimate (as Stata's ``oaxaca``).

        Columns ``component``, ``term``, ``estimate``, ``se``, ``ci_low``, ``ci_high``. The
        rows: the two group means (``component = "mean"``, ``term`` = the group's value) and
        their ``difference`` (the gap, ``mean_a − mean_b``), which have no standard error
        here; then each overall component (``explained``/``unexplained``, or ``endowments``/
        ``coefficients``/``interaction``; ``term = "total"``); with ``detailed``, the
        detailed terms of each component follow (``term`` = covariate or category, and
        ``_cons``).
        """
        nan = float("nan")
        rows = [
            ("mean", str(self.group_a), self.mean_a, nan, nan, nan),
            ("mean", str(self.group_b), self.mean_b, nan, nan, nan),
            ("difference", "total", self.gap, nan, nan, nan),
        ]
        for comp, r in self.overall.iterrows():
            rows.append((str(comp), "total", *r[COLUMNS]))
        if detailed:
            for (comp, term), r in self.detailed.iterrows():
                rows.append((str(comp), str(term), *r[COLUMNS]))
        out = pd.DataFrame(rows, columns=["component", "term", *COLUMNS])
        out[COLUMNS] = out[COLUMNS].astype(float)
        return out

    def _repr_html_(self) -> str:
        """:meth:`table` (with the detailed terms) as an accessible HTML table for JupyterLab."""
        from analysis.render.formatting import fmt_ci_level, fmt_int, fmt_number
        from analysis.render.tables import html_table

        def number(v: object) -> str:
            return fmt_number(v, 4)  # type: ignore[arg-type]

        level = fmt_ci_level(self.alpha)
        return html_table(
            self.table(detailed=True),
            caption=(
                f"Oaxaca–Blinder-dekomponering ({self.kind}, referanse {self.reference}) av "
                f"{self.group_a} minus {self.group_b}"
            ),
            labels={
                "component": "Komponent",
                "term": "Ledd",
                "estimate": "Estimat",
                "se": "Standardfeil",
                "ci_low": f"{level} KI, nedre",
                "ci_high": f"{level} KI, øvre",
            },
            formats={c: number for c in COLUMNS},
            note=(
                f"N = {fmt_int(self.n_a)} ({self.group_a}) og {fmt_int(self.n_b)} "
                f"({self.group_b}); {fmt_int(self.n_dropped)} rader utelatt. "
                f"Standardfeil: {self.se_method}."
            ),
        )


class _Spec(NamedTuple):
    full_terms: list[str]  # output terms (without _cons)
    red_terms: list[str]  # design columns (one category of each dummy set omitted)
    D: np.ndarray  # full coefficients (incl. _cons) = D @ design coefficients
    K: np.ndarray  # full covariate means (incl. _cons) = K @ design means
    dummy: tuple[bool, ...]  # per output term: a category of a dummy set


class _Data(NamedTuple):
    ZA: np.ndarray  # group A: design columns then outcome (float64, Fortran order)
    ZB: np.ndarray
    wA: np.ndarray | None
    wB: np.ndarray | None
    spec: _Spec
    group_a: object
    group_b: object
    n_dropped: int


class _Fit(NamedTuple):
    b: np.ndarray  # coefficients, _cons last
    V: np.ndarray  # their covariance
    xbar: np.ndarray  # covariate means, 1 for _cons
    Vx: np.ndarray  # covariance of the means (zero for _cons)
    ybar: float
    W: float  # sum of weights (n without weights)
    Cxx: np.ndarray  # weighted centred cross-products of the covariates
    Ainv: np.ndarray  # (X'WX)^-1 of the design with constant (_cons last)


def _build(df: pd.DataFrame, covariates, categorical, normalize):
    """Return the design spec and, per design column, a function giving its values."""
    categorical = dict(categorical or {})
    names = list(covariates) + [c for c in categorical if c not in covariates]
    full, red, sources, sets, checks, dummy = [], [], [], [], [], []
    for name in names:
        if name in categorical or not pd.api.types.is_numeric_dtype(df[name]):
            if name in categorical:
                levels = list(categorical[name])
                terms = levels
                cols = [(lambda c=c: df[c].to_numpy(np.float64, na_value=np.nan)) for c in levels]
                checks.append((name, levels))
            else:
                cat = pd.Categorical(df[name])
                present = np.unique(cat.codes[cat.codes >= 0])
                levels = [cat.categories[i] for i in present]
                terms = [f"{name}[{lev}]" for lev in levels]
                codes = cat.codes
                cols = [
                    (lambda i=i, codes=codes: np.where(codes < 0, np.nan, codes == i).astype(float))
                    for i in present
                ]
            if len(levels) < 2:
                raise ValueError(f"kategorisk variabel {name!r} trenger minst to kategorier")
            start = len(full)
            full += terms if normalize else terms[1:]  # the first category is the base
            dummy += [True] * (len(terms) if normalize else len(terms) - 1)
            red += terms[1:]
            sources += cols[1:]
            sets.append((start, len(levels), cols[0]))
        else:
            full.append(name)
            dummy.append(False)
            red.append(name)
            sources.append(lambda c=name: df[c].to_numpy(np.float64, na_value=np.nan))
    pf, pr = len(full) + 1, len(red) + 1
    D, K = np.zeros((pf, pr)), np.zeros((pf, pr))
    ridx = {t: i for i, t in enumerate(red)}
    for j, t in enumerate(full):
        if t in ridx:
            D[j, ridx[t]] = K[j, ridx[t]] = 1.0
    D[-1, -1] = K[-1, -1] = 1.0
    if normalize:  # deviation contrast (Yun 2005): coefficients of a set sum to zero
        for start, k, _ in sets:
            members = [ridx[t] for t in full[start + 1 : start + k]]
            D[start : start + k, members] -= 1.0 / k
            D[-1, members] += 1.0 / k
            K[start, members] = -1.0  # mean of the base = 1 - means of the others
            K[start, -1] = 1.0
    extra = [s[2] for s in sets]  # base columns: only for completeness and set checks
    return _Spec(full, red, D, K, tuple(dummy)), sources, extra, checks


def _prepare(df, outcome, group, covariates, *, group_a, categorical, normalize, weights):
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    spec, sources, extra, checks = _build(df, covariates, categorical, normalize)
    y = df[outcome].to_numpy(np.float64, na_value=np.nan)
    cols = [f() for f in sources]
    mask = np.isfinite(y) & df[group].notna().to_numpy()
    for c in [*cols, *(f() for f in extra)]:
        mask &= np.isfinite(c)
    w = None
    if weights is not None:
        w = np.asarray(df[weights] if isinstance(weights, str) else weights, dtype=np.float64)
        if np.any(w[np.isfinite(w)] < 0):
            raise ValueError("weights kan ikke være negative")
        mask &= np.isfinite(w) & (w > 0)  # zero weights leave the sample, as in Stata
    for name, dummies in checks:
        s = sum(df[c].to_numpy(np.float64, na_value=np.nan)[mask] for c in dummies)
        if not np.allclose(s, 1.0):
            raise ValueError(
                f"dummysettet {name!r} er ikke et fullstendig sett av 0/1-indikatorer "
                "(hver komplette rad må ha nøyaktig én kategori lik 1)"
            )
    g = df[group].to_numpy()
    is_a = mask & (g == group_a)
    labels = pd.unique(g[mask & ~is_a])
    if not is_a.any():
        raise ValueError(
            f"group_a={group_a!r} finnes ikke blant de komplette radene i "
            f"{group!r} (verdier: {list(pd.unique(g[mask]))})"
        )
    if len(labels) != 1:
        raise ValueError(
            f"{group!r} må ha nøyaktig to grupper blant de komplette radene, "
            f"fant {[group_a, *labels]}"
        )
    out = []
    for idx in (np.flatnonzero(is_a), np.flatnonzero(mask & ~is_a)):
        Z = np.empty((idx.size, len(cols) + 1), order="F")
        for j, c in enumerate([*cols, y]):
            Z[:, j] = c[idx]
        out += [Z, None if w is None else w[idx]]
    group_b = labels[0].item() if isinstance(labels[0], np.generic) else labels[0]
    return _Data(out[0], out[2], out[1], out[3], spec, group_a, group_b, int(len(df) - mask.sum()))


def _fit(Z, w, terms, label, vce):
    """OLS/WLS of the last column on the others plus a constant; centres Z in place (and
    multiplies it by sqrt(w)); :func:`_raw_chunks` gives the raw values back."""
    n, k = Z.shape[0], Z.shape[1] - 1
    p = k + 1
    if n <= p:
        raise ValueError(
            f"gruppen {label!r} har {n} observasjoner, men modellen har {p} "
            "parametere; den trenger flere observasjoner enn parametere"
        )
    W = float(n if w is None else w.sum())
    mu = Z.mean(axis=0) if w is None else (w @ Z) / W
    Z -= mu
    if w is not None:
        Z *= np.sqrt(w)[:, None]
    C = Z.T @ Z
    Cxx, cxy = C[:k, :k], C[:k, k]
    sd = np.sqrt(np.diag(Cxx) / W)
    for j in np.flatnonzero(sd <= 1e-10 * np.maximum(1.0, np.abs(mu[:k]))):
        raise ValueError(
            f"kovariaten {terms[j]!r} er konstant i gruppen {label!r} (singulær designmatrise)"
        )
    if k and np.linalg.eigvalsh(Cxx / np.outer(sd, sd) / W)[0] < 1e-10:
        raise ValueError(f"kovariatene er kollineære i gruppen {label!r} (singulær designmatrise)")
    Cinv = np.linalg.inv(Cxx)
    slopes = Cinv @ cxy
    b = np.append(slopes, mu[k] - mu[:k] @ slopes)
    J = np.eye(p)  # (slopes, intercept of the centred model) -> (slopes, intercept)
    J[k, :k] = -mu[:k]
    bread = np.zeros((p, p))
    bread[:k, :k], bread[k, k] = Cinv, 1.0 / W
    if vce == "robust":  # HC1, as Stata's regress, vce(robust)
        U = np.column_stack([Z[:, :k], np.ones(n) if w is None else np.sqrt(w)])
        U *= (Z[:, k] - Z[:, :k] @ slopes)[:, None]
        Vt = n / (n - p) * bread @ (U.T @ U) @ bread
    else:  # homoskedastic, as Stata's regress (aweights rescaled to sum to n)
        Vt = max(C[k, k] - cxy @ slopes, 0.0) / (n - p) * bread
    Vx = np.zeros((p, p))
    Vx[:k, :k] = Cxx / (W * (n - 1))  # Var of the (weighted) means, as Stata's mean
    return _Fit(b, J @ Vt @ J.T, np.append(mu[:k], 1.0), Vx, float(mu[k]), W, Cxx, J @ bread @ J.T)


CHUNK = 65536  # rows per block in the stacked covariance (bounded memory on large data)


def _raw_chunks(Z: np.ndarray, w: np.ndarray | None, f: _Fit):
    """Blocks (x, y, w) of the raw data from Z as left by :func:`_fit` (centred, scaled)."""
    k = f.xbar.size - 1
    mu = np.append(f.xbar[:k], f.ybar)
    for start in range(0, Z.shape[0], CHUNK):
        block = Z[start : start + CHUNK]
        wb = np.ones(block.shape[0]) if w is None else w[start : start + CHUNK]
        raw = (block if w is None else block / np.sqrt(wb)[:, None]) + mu
        yield raw[:, :k], raw[:, k], wb


def _stacked(data: _Data, fa: _Fit, fb: _Fit, indicator: bool, need_var: bool = True):
    """Pooled coefficients and the joint covariance of (b_a, b_b, b*, xbar_a, xbar_b).

    The pooled regression (with or without the group indicator) is fitted on the same
    observations as the two group regressions, so b* is correlated with b_a, b_b and, when the
    group coefficients differ (the pooled model is then misspecified), with the covariate
    means. All five blocks are M-estimators with a block-diagonal Jacobian, so each has an
    exact influence function per observation,

        b_g:    (X_g'W_g X_g)^-1 x_i w_i e_i             (group residual e_i)
        b*:     (P'WP)^-1 p_i w_i e*_i                   (pooled residual, p_i = (x_i, 1[, d_i]))
        xbar_g: w_i (x_i - xbar_g) / W_g,

    and V = sum_g f sum_{i in g} (IF_i - IF_g)(IF_i - IF_g)' is the stacked sandwich (Stata's
    ``suest``, which ``oaxaca`` uses for pooled references; Jann 2008, sec. 3; Weesie 1999),
    centred within group because the two groups are sampled separately (as the bootstrap
    stratified by group). Degrees-of-freedom factors f per equation: n_g/(n_g - p) for the
    group regressions (HC1), N/(N - q) for the pooled one, n_g/(n_g - 1) for the means.
    Computed in blocks of rows, so memory does not grow with n.
    """
    k = fa.xbar.size - 1
    p = k + 1
    q = p + 1 if indicator else p
    N = len(data.ZA) + len(data.ZB)
    nu = (fa.W * fa.xbar[:k] + fb.W * fb.xbar[:k]) / (fa.W + fb.W)
    parts = ((data.ZA, data.wA, fa, 0.0), (data.ZB, data.wB, fb, 1.0))

    def design(x, d):  # pooled design, covariates centred at the pooled mean
        cols = [x - nu, np.ones((x.shape[0], 1))]
        return np.hstack(cols + ([np.full((x.shape[0], 1), d)] if indicator else []))

    M, r = np.zeros((q, q)), np.zeros(q)
    for Z, w, f, d in parts:
        for x, y, wb in _raw_chunks(Z, w, f):
            P = design(x, d)
            M += P.T @ (wb[:, None] * P)
            r += P.T @ (wb * y)
    c = np.linalg.solve(M, r)
    Jp = np.zeros((p, q))  # centred pooled coefficients -> (slopes, intercept)
    Jp[:, :p] = np.eye(p)
    Jp[k, :k] = -nu
    if not need_var:
        return Jp @ c, None
    Minv_T = np.linalg.inv(M).T @ Jp.T
    V = np.zeros((5 * p, 5 * p))
    for g, (Z, w, f, d) in enumerate(parts):
        n = Z.shape[0]
        # the group's observations only touch the blocks b_g, b* and xbar_g
        idx = np.r_[g * p : (g + 1) * p, 2 * p : 3 * p, (3 + g) * p : (4 + g) * p]
        scale = np.r_[np.full(p, n / (n - p)), np.full(p, N / (N - q)), np.full(p, n / (n - 1))]
        S, s1 = np.zeros((3 * p, 3 * p)), np.zeros(3 * p)
        for x, y, wb in _raw_chunks(Z, w, f):
            X = np.column_stack([x, np.ones(x.shape[0])])
            P = design(x, d)
            IF = np.zeros((x.shape[0], 3 * p))
            IF[:, :p] = (X * (wb * (y - X @ f.b))[:, None]) @ f.Ainv.T
            IF[:, p : 2 * p] = (P * (wb * (y - P @ c))[:, None]) @ Minv_T
            IF[:, 2 * p : 2 * p + k] = wb[:, None] * (x - f.xbar[:k]) / f.W
            S += IF.T @ IF
            s1 += IF.sum(axis=0)
        S -= np.outer(s1, s1) / n  # centred within the group
        V[np.ix_(idx, idx)] += S * np.sqrt(np.outer(scale, scale))
    return Jp @ c, V


def _estimate(data: _Data, reference, threefold, vce, trace=0, need_var=True):
    """Components and their delta-method variances.

    ``trace`` is for the calibration study only (benchmarks/calibrate.py): +1 adds the
    second-order term ``2 tr(SVSV)`` of a quadratic form to the variances (the removed
    ``trace_term=True``), -1 subtracts it (Goodman's 1960 unbiased variance of a product).
    Both are worse than the plain delta method (docs/calibration.md).
    """
    spec = data.spec
    fa = _fit(data.ZA, data.wA, spec.red_terms, data.group_a, vce)
    fb = _fit(data.ZB, data.wB, spec.red_terms, data.group_b, vce)
    p = fa.b.size
    # theta = (ba, bb, b*, xa, xb); every component is a sum of products (U theta)_j (R theta)_j
    pooled = reference in ("pooled", "pooled_no_indicator") and not threefold
    if pooled:
        bstar, Vt = _stacked(data, fa, fb, reference == "pooled", need_var)
    else:
        bstar = fa.b if reference == "group_a" else fb.b
        Vt = np.zeros((5 * p, 5 * p))
        for i, V in ((0, fa.V), (1, fb.V), (3, fa.Vx), (4, fb.Vx)):
            Vt[i * p : (i + 1) * p, i * p : (i + 1) * p] = V
    theta = np.concatenate([fa.b, fb.b, bstar, fa.xbar, fb.xbar])
    D, K = spec.D, spec.K
    Z = 0 * D

    def block(i, M):
        return np.hstack([M if j == i else Z for j in range(5)])

    Ba, Bb, Xa, Xb = block(0, D), block(1, D), block(3, K), block(4, K)
    Bs = block(2, D) if pooled else (Ba if reference == "group_a" else Bb)
    if not threefold:
        comps = {"explained": [(Xa - Xb, Bs)], "unexplained": [(Xa, Ba - Bs), (Xb, Bs - Bb)]}
    elif reference == "group_b":
        comps = {
            "endowments": [(Xa - Xb, Bb)],
            "coefficients": [(Xb, Ba - Bb)],
            "interaction": [(Xa - Xb, Ba - Bb)],
        }
    else:
        comps = {
            "endowments": [(Xa - Xb, Ba)],
            "coefficients": [(Xa, Ba - Bb)],
            "interaction": [(Xa - Xb, Bb - Ba)],
        }
    terms = [*spec.full_terms, CONS]
    overall, detailed = {}, {}
    for name, pairs in comps.items():
        est = sum((U @ theta) * (R @ theta) for U, R in pairs)
        if need_var:
            G = sum(U * (R @ theta)[:, None] + R * (U @ theta)[:, None] for U, R in pairs)
            var_d = np.einsum("ij,jk,ik->i", G, Vt, G)
            var_o = G.sum(0) @ Vt @ G.sum(0)
        else:
            var_d, var_o = np.full(len(terms), np.nan), np.nan
        if trace and need_var:
            # theta'S theta with theta ~ N(., V): Var = 4 theta'SVS theta + 2 tr(SVSV), and the
            # plug-in 4 th'SVS th has expectation 4 theta'SVS theta + 4 tr(SVSV)
            S = [
                sum((np.outer(U[j], R[j]) + np.outer(R[j], U[j])) / 2 for U, R in pairs)
                for j in range(len(terms))
            ]
            tr_d = np.array([2 * np.trace(s @ Vt @ s @ Vt) for s in S])
            var_d = np.maximum(var_d + trace * tr_d, 0.0)
            var_o = max(var_o + trace * 2 * np.trace(sum(S) @ Vt @ sum(S) @ Vt), 0.0)
        overall[name] = (est.sum(), var_o)
        for j, t in enumerate(terms):
            if t != CONS or name in ("unexplained", "coefficients"):
                detailed[(name, t)] = (est[j], var_d[j])
    coefs = pd.DataFrame(
        {
            "beta_a": D @ fa.b,
            "beta_b": D @ fb.b,
            "beta_ref": D @ bstar,
            "mean_a": K @ fa.xbar,
            "mean_b": K @ fb.xbar,
        },
        index=pd.Index(terms, name="term"),
    )
    if threefold:
        coefs["beta_ref"] = coefs["beta_b" if reference == "group_b" else "beta_a"]
    return overall, detailed, coefs, fa.ybar, fb.ybar


def _table(values: dict, se: np.ndarray, alpha: float, index) -> pd.DataFrame:
    est = np.array([v[0] for v in values.values()])
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return pd.DataFrame(
        {"estimate": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se}, index=index
    )


def _check_reference(reference, threefold):
    allowed = THREEFOLD_REFERENCES if threefold else TWOFOLD_REFERENCES
    reference = reference or allowed[0 if threefold else 2]
    if reference not in allowed:
        raise ValueError(
            f"reference må være en av {allowed} for en "
            f"{'tredelt' if threefold else 'todelt'} dekomponering"
        )
    return reference


def _bootstrap(data: _Data, reference, threefold, reps, seed):
    rng = np.random.default_rng(seed)
    draws, failed = [], 0
    for _ in range(reps):
        ia, ib = (
            rng.integers(0, len(data.ZA), len(data.ZA)),
            rng.integers(0, len(data.ZB), len(data.ZB)),
        )
        rep = data._replace(
            ZA=data.ZA[ia],
            ZB=data.ZB[ib],
            wA=None if data.wA is None else data.wA[ia],
            wB=None if data.wB is None else data.wB[ib],
        )
        try:
            o, d, *_ = _estimate(rep, reference, threefold, "ols", need_var=False)
        except ValueError:
            failed += 1
            continue
        draws.append([v[0] for v in o.values()] + [v[0] for v in d.values()])
    if len(draws) < 2:
        raise ValueError("færre enn to bootstrap-replikater kunne estimeres")
    if failed:
        warnings.warn(
            f"{failed} av {reps} bootstrap-replikater hadde singulær designmatrise og ble "
            "hoppet over",
            RuntimeWarning,
            stacklevel=3,
        )
    return np.array(draws)


def oaxaca_blinder(
    df: pd.DataFrame,
    outcome: str,
    group: str,
    covariates: str | list[str],
    *,
    group_a: Any,
    categorical: dict[str, list[str]] | None = None,
    normalize: bool = True,
    reference: str | None = None,
    threefold: bool = False,
    weights: str | np.ndarray | None = None,
    alpha: float = 0.05,
    vce: str = "ols",
    se_method: str = "delta",
    reps: int = 400,
    seed: int | None = None,
    detailed_ci: str = "normal",
) -> OaxacaResult:
    """Twofold or threefold Oaxaca–Blinder decomposition of ``mean_a - mean_b``.

    Parameters
    ----------
    df : DataFrame
        Person-level data. Only complete cases (outcome, group, covariates, weights) with a
        positive weight are used; the number of dropped rows is reported in ``n_dropped``.
    outcome, group : str
        Outcome column and two-valued group column.
    covariates : list of str
        Numeric columns (used as they are), keys of ``categorical``, or string/category
        columns, which are expanded to a full set of dummies (first category = omitted base).
    group_a : object
        Value of ``group`` for group A (group 1 in Stata), e.g. men.
    categorical : dict, optional
        Set name -> list of 0/1 dummy columns forming a full set (exactly one is 1 in every
        complete row). The first column is the omitted base. Sets not named in ``covariates``
        are appended.
    normalize : bool
        Normalise dummy sets (deviation contrast; Yun 2005), as Stata's ``normalize()``: all
        categories are reported and the results do not depend on the omitted base. If False,
        the base categories are left out and the intercept refers to them.
    reference : str, optional
        Twofold: "pooled" (default; pooled model with group indicator, Stata ``pooled``),
        "pooled_no_indicator" (Neumark 1988), "group_a" or "group_b" (coefficients of that
        group). Threefold: "group_b" (default, Stata ``threefold``) or "group_a" (Stata
        ``threefold(reverse)``).
    threefold : bool
        Threefold (endowments, coefficients, interaction) instead of twofold decomposition.
    weights : str or array, optional
        Analytic weights (column name or array): WLS and weighted covariate means.
    alpha : float
        Confidence intervals are ``estimate -/+ z(1 - alpha/2) se`` (normal), or the
        ``alpha/2`` and ``1 - alpha/2`` bootstrap percentiles (``detailed_ci="percentile"``).
    vce : {"ols", "robust"}
        Coefficient covariance of the group regressions for ``group_a``/``group_b`` references
        and threefold decompositions: homoskedastic OLS (Stata's ``regress`` default) or HC1.
        Pooled references always use the stacked sandwich (see Notes), as Stata's ``oaxaca``,
        whose ``suest`` step implies robust standard errors.
    se_method : {"delta", "bootstrap"}
        Delta method (Jann 2008) or a nonparametric bootstrap stratified by group.
    reps, seed : int
        Bootstrap replicates and seed (``se_method="bootstrap"`` or
        ``detailed_ci="percentile"``; the seed defaults to :data:`DEFAULT_SEED`).
    detailed_ci : {"normal", "percentile"}
        Intervals of the detailed terms: normal (``estimate -/+ z se``) or seeded percentile
        bootstrap intervals (``reps`` replicates stratified by group; Efron & Tibshirani 1993,
        ch. 13). Detailed terms are products of two estimated factors, whose sampling
        distribution is skewed when both are small and noisy (sparse categories), so normal
        intervals under-cover there even with correct standard errors; ``.detailed`` says so
        in the column ``approximate`` (see Returns). In the simulation of
        ``docs/calibration.md`` (stress design, n = 100) the percentile intervals were not
        better than the normal ones (resamples that lose a sparse category are skipped,
        which narrows them), so they are offered for comparison, not as the default.

    Returns
    -------
    OaxacaResult
        ``detailed`` has, besides estimate, se, ci_low, ci_high, the columns ``n_min`` (the
        term's observations in the smaller group: the category's count for a dummy, the
        group size otherwise) and ``approximate``: True for a normal interval with ``n_min``
        below :data:`APPROX_MIN_N` (100), where ``docs/calibration.md`` shows coverage below
        the nominal level; percentile intervals are never flagged.

    Notes
    -----
    Delta-method standard errors as Jann (2008) and Stata's ``oaxaca`` with stochastic
    covariates (its default): theta = (b_a, b_b, b*, xbar_a, xbar_b) and Var(c) = g' V(theta)
    g, g the gradient of component c; for a term x'b this is ``x' V(b) x + b' V(x) b``.

    - Group references (``group_a``, ``group_b``, threefold): V(theta) block diagonal (groups
      independent; coefficients and means of a correctly specified group regression
      uncorrelated). V(b) = sum w e^2 / (n - p) * (X'WX)^-1, i.e. s^2 (X'X)^-1 without weights
      (Stata's ``regress``; analytic weights), or HC1 for ``vce="robust"``. V(xbar) = sum w
      (x - xbar)(x - xbar)' / (W (n - 1)), as Stata's ``mean``.
    - Pooled references: the pooled regression uses the same observations as the group
      regressions, and when the group coefficients differ it is misspecified, so b* is
      correlated with b_a, b_b *and* with the covariate means. V(theta) is the stacked
      (``suest``-type) sandwich of all five estimators (Jann 2008, sec. 3; Weesie 1999), from
      the per-observation influence functions centred within group; see :func:`_stacked`.
      Ignoring the sampling variation of b* (treating it as a fixed linear map of b_a and
      b_b, as before 2026) understated the pooled SEs when the coefficients differ
      strongly: SE/SD 0.93 (pooled) and 0.84–0.88 (Neumark) in the stress design of
      ``docs/calibration.md`` at n = 400 per group, 0.89–0.90 and 0.79–0.82 in the audit of
      issue 15; the stacked sandwich gives 0.97–0.99 there.
    - Dummy-set means and coefficients are mapped linearly to the normalised ones, so their
      (co)variances follow exactly.
    - No second-order ("trace") term. For a product x'b of independent estimates the exact
      variance is ``x'V(b)x + b'V(x)b + tr(V(x)V(b))``, but the plug-in first two terms,
      evaluated at the estimates, already contain ``tr(V(x)V(b))`` once in expectation.
      The former option ``trace_term=True`` *added* it again (counted twice: interaction
      intervals too wide, coverage 98.6 % at n = 100 in the audit of issue 15, 99.8 % in
      the mild design of ``docs/calibration.md``); subtracting it instead (Goodman's 1960
      unbiased estimator) makes the variance estimate so noisy for products of two small
      factors that the coverage of some detailed terms drops to 55–86 %.
      The option was therefore removed; the plain delta method is what Stata uses and what
      ``docs/calibration.md`` shows to be calibrated.
    - Frequency weights give the point estimates of duplicated rows, not their standard
      errors (weights are analytic).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    Goodman, L. A. (1960). On the exact variance of products. JASA 55(292), 708–713.
    Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression models. Stata
    Journal 8(4), 453–479, sec. 3 (variance estimation).
    Weesie, J. (1999). Seemingly unrelated estimation and the cluster-adjusted sandwich
    estimator. Stata Technical Bulletin 52, sg121.
    """
    reference = _check_reference(reference, threefold)
    if vce not in ("ols", "robust") or se_method not in ("delta", "bootstrap"):
        raise ValueError("vce må være 'ols' eller 'robust', og se_method 'delta' eller 'bootstrap'")
    if detailed_ci not in ("normal", "percentile"):
        raise ValueError("detailed_ci må være 'normal' eller 'percentile'")
    seed = DEFAULT_SEED if seed is None else seed
    data = _prepare(
        df,
        outcome,
        group,
        covariates,
        group_a=group_a,
        categorical=categorical,
        normalize=normalize,
        weights=weights,
    )
    boot = None
    if se_method == "bootstrap" or detailed_ci == "percentile":
        boot = _bootstrap(data, reference, threefold, reps, seed)
    nA, nB = len(data.ZA), len(data.ZB)
    share = [np.append(Z[:, :-1].mean(axis=0), 1.0) for Z in (data.ZA, data.ZB)]
    overall, detailed, coefs, ya, yb = _estimate(data, reference, threefold, vce)
    if se_method == "delta":
        se_o = np.sqrt([v[1] for v in overall.values()])
        se_d = np.sqrt([v[1] for v in detailed.values()])
        if reference.startswith("pooled") and not threefold:
            cov = "joint (stacked, suest-type) sandwich covariance of the group and pooled "
            cov += "regressions and the covariate means"
        else:
            cov = f"covariate means stochastic, {'HC1 robust' if vce == 'robust' else 'OLS'} "
            cov += "coefficient covariance"
        method = f"delta (Jann 2008), {cov}"
    else:
        se_o = np.std(boot, axis=0, ddof=1)[: len(overall)]
        se_d = np.std(boot, axis=0, ddof=1)[len(overall) :]
        method = f"bootstrap ({reps} replicates stratified by group, seed={seed})"
    det = _table(
        detailed,
        se_d,
        alpha,
        pd.MultiIndex.from_tuples(list(detailed), names=["component", "term"]),
    )
    if detailed_ci == "percentile":
        q = np.quantile(boot[:, len(overall) :], [alpha / 2, 1 - alpha / 2], axis=0)
        det["ci_low"], det["ci_high"] = q[0], q[1]
        method += f"; detailed intervals: bootstrap percentiles ({reps} replicates, seed={seed})"
    n_term = {
        t: int(round(min(n * (data.spec.K[j] @ m) for n, m in zip((nA, nB), share, strict=True))))
        if is_dummy
        else min(nA, nB)
        for j, (t, is_dummy) in enumerate(zip(data.spec.full_terms, data.spec.dummy, strict=True))
    }
    det["n_min"] = [n_term.get(t, min(nA, nB)) for _, t in det.index]
    det["approximate"] = (det["n_min"] < APPROX_MIN_N) & (detailed_ci == "normal")
    return OaxacaResult(
        kind="threefold" if threefold else "twofold",
        reference=reference,
        group_a=data.group_a,
        group_b=data.group_b,
        n_a=nA,
        n_b=nB,
        mean_a=ya,
        mean_b=yb,
        gap=ya - yb,
        covariates=tuple(data.spec.full_terms),
        overall=_table(overall, se_o, alpha, pd.Index(list(overall), name="component")),
        detailed=det,
        se_method=method,
        n_dropped=data.n_dropped,
        coefficients=coefs,
        alpha=alpha,
    )


def bootstrap_se(
    df: pd.DataFrame,
    outcome: str,
    group: str,
    covariates: str | list[str],
    *,
    group_a: Any,
    reps: int = 400,
    seed: int | None = None,
    **kwargs: Any,
) -> tuple[pd.Series, pd.Series]:
    """Bootstrap standard errors (resampling rows within each group, seeded).

    Arguments as :func:`oaxaca_blinder` (``categorical``, ``normalize``, ``reference``,
    ``threefold``, ``weights`` are passed on). Replicates with a singular design are skipped
    with a warning. Returns the standard errors of the overall components and of the detailed
    (component, term) results, indexed as ``OaxacaResult.overall`` and ``.detailed``.
    """
    res = oaxaca_blinder(
        df,
        outcome,
        group,
        covariates,
        group_a=group_a,
        se_method="bootstrap",
        reps=reps,
        seed=seed,
        **kwargs,
    )
    return res.overall["se"], res.detailed["se"]


def to_records(result: OaxacaResult) -> dict[str, Any]:
    """JSON-serialisable summary of the overall decomposition (plain Python values)."""
    rec: dict[str, Any] = {
        "kind": result.kind,
        "reference": result.reference,
        "group_a": to_jsonable(result.group_a, fallback=str),
        "group_b": to_jsonable(result.group_b, fallback=str),
        "covariates": list(result.covariates),
        "n_a": int(result.n_a),
        "n_b": int(result.n_b),
        "n_dropped": int(result.n_dropped),
        "mean_a": float(result.mean_a),
        "mean_b": float(result.mean_b),
        "total": float(result.gap),
    }
    for comp, row in result.overall.iterrows():
        rec[str(comp)] = float(row["estimate"])
    for comp, row in result.overall.iterrows():
        rec[f"se_{comp}"] = float(row["se"])
    rec["se_method"] = result.se_method
    return rec
