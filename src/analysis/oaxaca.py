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

__all__ = ["OaxacaResult", "bootstrap_se", "oaxaca_blinder", "to_records"]

CONS = "_cons"
TWOFOLD_REFERENCES = ("group_a", "group_b", "pooled", "pooled_no_indicator")
THREEFOLD_REFERENCES = ("group_b", "group_a")
COLUMNS = ["estimate", "se", "ci_low", "ci_high"]


@dataclass(frozen=True)
class OaxacaResult:
    """Result of :func:`oaxaca_blinder`.

    ``overall`` is indexed by component ("explained", "unexplained" or "endowments",
    "coefficients", "interaction"); ``detailed`` by (component, term), with "_cons" only under
    "unexplained"/"coefficients" (it is zero elsewhere). Both have the columns estimate, se,
    ci_low, ci_high. ``coefficients`` holds the (normalised) coefficients ``beta_a``,
    ``beta_b``, ``beta_ref`` and the covariate means ``mean_a``, ``mean_b`` per term.
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


class _Spec(NamedTuple):
    full_terms: list[str]  # output terms (without _cons)
    red_terms: list[str]  # design columns (one category of each dummy set omitted)
    D: np.ndarray  # full coefficients (incl. _cons) = D @ design coefficients
    K: np.ndarray  # full covariate means (incl. _cons) = K @ design means


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


def _build(df: pd.DataFrame, covariates, categorical, normalize):
    """Return the design spec and, per design column, a function giving its values."""
    categorical = dict(categorical or {})
    names = list(covariates) + [c for c in categorical if c not in covariates]
    full, red, sources, sets, checks = [], [], [], [], []
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
                raise ValueError(f"categorical {name!r} needs at least two categories")
            start = len(full)
            full += terms if normalize else terms[1:]  # the first category is the base
            red += terms[1:]
            sources += cols[1:]
            sets.append((start, len(levels), cols[0]))
        else:
            full.append(name)
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
    return _Spec(full, red, D, K), sources, extra, checks


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
            raise ValueError("weights must be non-negative")
        mask &= np.isfinite(w) & (w > 0)  # zero weights leave the sample, as in Stata
    for name, dummies in checks:
        s = sum(df[c].to_numpy(np.float64, na_value=np.nan)[mask] for c in dummies)
        if not np.allclose(s, 1.0):
            raise ValueError(
                f"dummy set {name!r} is not a full set of 0/1 indicators "
                "(each complete row must have exactly one category equal to 1)"
            )
    g = df[group].to_numpy()
    is_a = mask & (g == group_a)
    labels = pd.unique(g[mask & ~is_a])
    if not is_a.any():
        raise ValueError(
            f"group_a={group_a!r} not found among the complete cases of "
            f"{group!r} (values: {list(pd.unique(g[mask]))})"
        )
    if len(labels) != 1:
        raise ValueError(
            f"{group!r} must have exactly two groups among the complete cases, "
            f"found {[group_a, *labels]}"
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
    """OLS/WLS of the last column on the others plus a constant; centres Z in place."""
    n, k = Z.shape[0], Z.shape[1] - 1
    p = k + 1
    if n <= p:
        raise ValueError(
            f"group {label!r} has {n} observations but the model has {p} "
            "parameters; it needs more observations than parameters"
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
            f"covariate {terms[j]!r} is constant within group {label!r} (singular design)"
        )
    if k and np.linalg.eigvalsh(Cxx / np.outer(sd, sd) / W)[0] < 1e-10:
        raise ValueError(f"covariates are collinear within group {label!r} (singular design)")
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
    return _Fit(b, J @ Vt @ J.T, np.append(mu[:k], 1.0), Vx, float(mu[k]), W, Cxx)


def _pooled_maps(fa: _Fit, fb: _Fit, indicator: bool):
    """Pooled coefficients as exact linear maps of the group coefficients: b* = La ba + Lb bb.

    Group residuals are orthogonal to the pooled design within each group, so the pooled
    normal equations only involve X_g'W_g X_g b_g. Computed with the covariates centred at the
    pooled mean for numerical stability.
    """
    k = fa.xbar.size - 1
    p = k + 1
    nu = (fa.W * fa.xbar[:k] + fb.W * fb.xbar[:k]) / (fa.W + fb.W)
    T, Tinv = np.eye(p), np.eye(p)
    T[k, :k], Tinv[k, :k] = nu, -nu
    parts = []
    for f, d in ((fa, 0.0), (fb, 1.0)):
        delta = f.xbar[:k] - nu
        H = np.empty((p, p))
        H[:k, :k] = f.Cxx + f.W * np.outer(delta, delta)
        H[:k, k] = H[k, :k] = f.W * delta
        H[k, k] = f.W
        E = np.vstack([np.eye(p), d * np.eye(p)[k]]) if indicator else np.eye(p)
        parts.append((E @ H @ E.T, E @ H @ T))
    M = parts[0][0] + parts[1][0]
    return [Tinv @ np.linalg.solve(M, rhs)[:p] for _, rhs in parts]


def _estimate(data: _Data, reference, threefold, vce, trace_term):
    spec = data.spec
    fa = _fit(data.ZA, data.wA, spec.red_terms, data.group_a, vce)
    fb = _fit(data.ZB, data.wB, spec.red_terms, data.group_b, vce)
    p = fa.b.size
    eye, zero = np.eye(p), np.zeros((p, p))
    if reference in ("pooled", "pooled_no_indicator"):
        La, Lb = _pooled_maps(fa, fb, reference == "pooled")
    else:
        La, Lb = (eye, zero) if reference == "group_a" else (zero, eye)
    # theta = (ba, bb, xa, xb); every component is a sum of products (U theta)_j (R theta)_j
    theta = np.concatenate([fa.b, fb.b, fa.xbar, fb.xbar])
    Vt = np.zeros((4 * p, 4 * p))
    for i, V in enumerate((fa.V, fb.V, fa.Vx, fb.Vx)):
        Vt[i * p : (i + 1) * p, i * p : (i + 1) * p] = V
    D, K = spec.D, spec.K
    Ba, Bb = np.hstack([D, 0 * D, 0 * D, 0 * D]), np.hstack([0 * D, D, 0 * D, 0 * D])
    Bs = np.hstack([D @ La, D @ Lb, 0 * D, 0 * D])
    Xa, Xb = np.hstack([0 * K, 0 * K, K, 0 * K]), np.hstack([0 * K, 0 * K, 0 * K, K])
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
        G = sum(U * (R @ theta)[:, None] + R * (U @ theta)[:, None] for U, R in pairs)
        var_d = np.einsum("ij,jk,ik->i", G, Vt, G)
        var_o = G.sum(0) @ Vt @ G.sum(0)
        if trace_term:  # second-order term 2 tr(S V S V) of the quadratic form theta'S theta
            S = [
                sum((np.outer(U[j], R[j]) + np.outer(R[j], U[j])) / 2 for U, R in pairs)
                for j in range(len(terms))
            ]
            var_d = var_d + np.array([2 * np.trace(s @ Vt @ s @ Vt) for s in S])
            var_o += 2 * np.trace(sum(S) @ Vt @ sum(S) @ Vt)
        overall[name] = (est.sum(), var_o)
        for j, t in enumerate(terms):
            if t != CONS or name in ("unexplained", "coefficients"):
                detailed[(name, t)] = (est[j], var_d[j])
    coefs = pd.DataFrame(
        {
            "beta_a": D @ fa.b,
            "beta_b": D @ fb.b,
            "beta_ref": Bs[:, : 2 * p] @ theta[: 2 * p],
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
            f"reference must be one of {allowed} for a "
            f"{'threefold' if threefold else 'twofold'} decomposition"
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
            o, d, *_ = _estimate(rep, reference, threefold, "ols", False)
        except ValueError:
            failed += 1
            continue
        draws.append([v[0] for v in o.values()] + [v[0] for v in d.values()])
    if len(draws) < 2:
        raise ValueError("fewer than two bootstrap replicates could be estimated")
    if failed:
        warnings.warn(
            f"{failed} of {reps} bootstrap replicates had a singular design and were skipped",
            RuntimeWarning,
            stacklevel=3,
        )
    return np.std(np.array(draws), axis=0, ddof=1)


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
    trace_term: bool = False,
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
        Confidence intervals are ``estimate -/+ z(1 - alpha/2) se``.
    vce : {"ols", "robust"}
        Coefficient covariance: homoskedastic OLS (Stata's ``regress`` default) or HC1.
    se_method : {"delta", "bootstrap"}
        Delta method (Jann 2008) or a nonparametric bootstrap stratified by group.
    reps, seed : int
        Bootstrap replicates and seed (``se_method="bootstrap"``).
    trace_term : bool
        Add the second-order term (``tr(V(x) V(b))`` for a product ``x'b``) to the delta-method
        variances. Stata's ``oaxaca`` leaves it out (it vanishes asymptotically).

    Returns
    -------
    OaxacaResult

    Notes
    -----
    Delta-method standard errors as Jann (2008) and Stata's ``oaxaca`` with stochastic
    covariates (its default): theta = (b_a, b_b, xbar_a, xbar_b) with V(theta) block diagonal
    (groups independent, coefficients and means uncorrelated) and Var(c) = g' V(theta) g, g
    the gradient of component c; for a term x'b this is ``x' V(b) x + b' V(x) b``. As in
    Stata's Mata code (``V = G*V0*G'``) the term ``tr(V(x) V(b))`` of Jann's exact variance of
    a product is left out unless ``trace_term=True`` (it is O(1/n^2); it matters only for
    products of two small differences, such as interaction terms).

    - V(b) = sum w e^2 / (n - p) * (X'WX)^-1, i.e. s^2 (X'X)^-1 without weights (Stata's
      ``regress``; analytic weights), or HC1 for ``vce="robust"``.
    - V(xbar) = sum w (x - xbar)(x - xbar)' / (W (n - 1)): the sample covariance over n, as
      Stata's ``mean``. Dummy-set means and coefficients are mapped linearly to the
      normalised ones, so their (co)variances follow exactly.
    - Pooled coefficients are exact linear functions of the group coefficients given the
      covariates, b* = La b_a + Lb b_b, since group residuals are orthogonal to the pooled
      design within each group; Var(b*) and Cov(b*, b_g) follow from this. The sampling
      variation of La, Lb through the covariates is ignored. Stata estimates the joint
      covariance with ``suest`` (a sandwich) instead, so pooled standard errors can differ
      slightly from Stata's; point estimates are identical.
    - Frequency weights give the point estimates of duplicated rows, not their standard
      errors (weights are analytic).
    """
    reference = _check_reference(reference, threefold)
    if vce not in ("ols", "robust") or se_method not in ("delta", "bootstrap"):
        raise ValueError("vce must be 'ols' or 'robust'; se_method 'delta' or 'bootstrap'")
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
    boot = _bootstrap(data, reference, threefold, reps, seed) if se_method == "bootstrap" else None
    nA, nB = len(data.ZA), len(data.ZB)
    overall, detailed, coefs, ya, yb = _estimate(data, reference, threefold, vce, trace_term)
    if boot is None:
        se_o = np.sqrt([v[1] for v in overall.values()])
        se_d = np.sqrt([v[1] for v in detailed.values()])
        method = (
            f"delta (Jann 2008), covariate means stochastic, "
            f"{'HC1 robust' if vce == 'robust' else 'OLS'} coefficient covariance"
            f"{', with trace term' if trace_term else ''}"
        )
    else:
        se_o, se_d = boot[: len(overall)], boot[len(overall) :]
        method = f"bootstrap ({reps} replicates stratified by group, seed={seed})"
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
        detailed=_table(
            detailed,
            se_d,
            alpha,
            pd.MultiIndex.from_tuples(list(detailed), names=["component", "term"]),
        ),
        se_method=method,
        n_dropped=data.n_dropped,
        coefficients=coefs,
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
    categorical: dict[str, list[str]] | None = None,
    normalize: bool = True,
    reference: str | None = None,
    threefold: bool = False,
    weights: str | np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Bootstrap standard errors (resampling rows within each group, seeded).

    Arguments as :func:`oaxaca_blinder`. Replicates with a singular design are skipped with a
    warning. Returns the standard errors of the overall components and of the detailed
    (component, term) results, indexed as ``OaxacaResult.overall`` and ``.detailed``.
    """
    res = oaxaca_blinder(
        df,
        outcome,
        group,
        covariates,
        group_a=group_a,
        categorical=categorical,
        normalize=normalize,
        reference=reference,
        threefold=threefold,
        weights=weights,
        se_method="bootstrap",
        reps=reps,
        seed=seed,
    )
    return res.overall["se"], res.detailed["se"]


def _plain(value: Any) -> Any:
    value = value.item() if isinstance(value, np.generic) else value
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def to_records(result: OaxacaResult) -> dict[str, Any]:
    """JSON-serialisable summary of the overall decomposition (plain Python values)."""
    rec: dict[str, Any] = {
        "kind": result.kind,
        "reference": result.reference,
        "group_a": _plain(result.group_a),
        "group_b": _plain(result.group_b),
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
