"""The pay-gap report's tables: accessible HTML (:func:`analysis.render.tables.html_table`)
with bokmål captions, column labels, Norwegian number formats and notes.

Each function takes the result it shows (a DataFrame or a result object as
:func:`analysis.paygap.report.build` holds it, or as a researcher computes it in a notebook
cell) and what the caption and notes need: the ``year``, whether person-level data are
``synthetic`` and the ``min_cell`` threshold. Tables print what they are given: hidden values
(NaN in a row marked ``suppressed``) print as ``:``; nothing here decides what is hidden
(:mod:`analysis.disclosure.hr` does), so protect a result from person-level data before
showing it.
"""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.disclosure.hr import COUNTS_PUBLISHED, COUNTS_PUBLISHED_YEAR
from analysis.disclosure.tables import DEFAULT_MIN_CELL
from analysis.methods.oaxaca import OaxacaResult
from analysis.paygap.labels import group_label
from analysis.paygap.measures import EU_ADJUSTED_COVARIATES
from analysis.paygap.models import base_covariates, oaxaca_reference_label
from analysis.paygap.nopo import GapChange, NopoResult
from analysis.paygap.texts import eu_adjusted_text, oaxaca_explained_text
from analysis.render.formatting import (
    fmt_ci,
    fmt_int,
    fmt_nok,
    fmt_number,
    fmt_pct,
)
from analysis.render.sources import person_data
from analysis.render.tables import html_table


def html_published_table(published: pd.DataFrame) -> str:
    """The published table of one year, as published (all rows of
    ``load_published("pay_by_job_group")`` for the year). When the «Totalt» N is the sum of
    the job groups without the apprentices (2023, 2024), the note says so
    (:func:`analysis.paygap.report.apprentice_findings`)."""
    t = published.copy()
    apprentices_left_out = _total_n_without_apprentices(t)
    t["row"] = t["row"].map(group_label)
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
        caption=f"Kjønnsbalanse og lønn {int(t['year'].iloc[0])}, som publisert",
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
            "stillingsgruppene"
            + (
                f"; i {int(t['year'].iloc[0])} er lærlingene med i gjennomsnittslønnene, men "
                "ikke i antallet (N)"
                if apprentices_left_out
                else ""
            )
            + ". Sluttet, nyrekrutterte, deltids- og midlertidig ansatte er undergrupper. – "
            "betyr at tallet ikke er publisert (ingen personer)."
        ),
    )


def _total_n_without_apprentices(published: pd.DataFrame) -> bool:
    """Whether the «Totalt» N is the job groups' N without the apprentices (and differs)."""
    from analysis.data.codes import JOB_GROUPS, PAY_TABLE_TOTAL_ROW

    n = published.set_index("row")["n_total"]
    if PAY_TABLE_TOTAL_ROW not in n.index or pd.isna(n.get("laerling")):
        return False
    groups = float(n.reindex(list(JOB_GROUPS)).fillna(0).sum())
    apprentices = float(n["laerling"])
    return apprentices > 0 and float(n[PAY_TABLE_TOTAL_ROW]) == groups - apprentices


# worked example of docs/researcher-guide.md («Legge til en del i en rapport»)
def html_median_table(measures: pd.DataFrame, *, year: int, synthetic: bool = False) -> str:
    """Median pay of women and men per job group (:attr:`PayGapReport.measures`, already
    protected: hidden groups print ``:``)."""
    t = measures.copy()
    t["group"] = t["group"].map(group_label)
    return html_table(
        t[["group", "median_men", "median_women", "median_gap_pct"]],
        caption=f"Medianlønn for kvinner og menn per stillingsgruppe {year} "
        f"({person_data(synthetic)})",
        row_header="group",
        labels={
            "group": "Stillingsgruppe",
            "median_men": "Median menn (kr)",
            "median_women": "Median kvinner (kr)",
            "median_gap_pct": "Gap, median",
        },
        formats={"median_men": fmt_int, "median_women": fmt_int, "median_gap_pct": fmt_pct},
        suppressed=t["suppressed"],
        note="Medianen er lønnen som deler de ansatte i to like store halvdeler.",
    )


def html_measures_table(
    measures: pd.DataFrame,
    *,
    year: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
    total_note: str | None = None,
) -> str:
    """Gap measures per job group from the person-level data
    (:func:`analysis.paygap.measures.gap_measures`, protected by
    :func:`analysis.disclosure.hr.hide_pay_groups`: ``suppressed`` rows print ``:``);
    ``total_note``: a sentence on how the «Totalt» row relates to the published one."""
    t = measures.copy()
    t["group"] = t["group"].map(group_label)
    t["ci"] = [
        ":" if hidden else fmt_ci(lo, hi, 0, sep=" til ")
        for lo, hi, hidden in zip(t["ci_low"], t["ci_high"], t["suppressed"], strict=True)
    ]
    cols = [
        "group",
        "n_men",
        "n_women",
        "mean_men",
        "mean_women",
        "gap_pct",
        "median_gap_pct",
        "ci",
    ]
    src = person_data(synthetic)
    any_hidden = bool(t["suppressed"].any())
    return html_table(
        t[cols],
        caption=f"Lønnsgap per stillingsgruppe {year} ({src})",
        row_header="group",
        labels={
            "group": "Stillingsgruppe",
            "n_men": "Menn",
            "n_women": "Kvinner",
            "mean_men": "Snittlønn menn (kr)",
            "mean_women": "Snittlønn kvinner (kr)",
            "gap_pct": "Gap, snitt",
            "median_gap_pct": "Gap, median",
            "ci": "Gapet i kr: 95 % intervall",
        },
        formats={
            "n_men": fmt_int,
            "n_women": fmt_int,
            "mean_men": fmt_int,
            "mean_women": fmt_int,
            "gap_pct": fmt_pct,
            "median_gap_pct": fmt_pct,
            "ci": str,
        },
        suppressed=t["suppressed"],
        shown=_published_counts(t),
        note=(
            "Menn og kvinner: antall ansatte. Gap: menns minus kvinners lønn i prosent av "
            "menns (gjennomsnitt og median). Intervallet viser hvor mye gapet i kroner kunne "
            "ha variert av tilfeldige grunner."
            + (f" {total_note}" if total_note else "")
            + (
                hidden_note(
                    t,
                    f"fordi cellen bygger på færre enn {min_cell} personer, eller for at skjulte "
                    "celler ikke skal kunne regnes ut fra totalen",
                )
                if any_hidden
                else ""
            )
        ),
    )


def _published_counts(t: pd.DataFrame) -> dict[str, pd.Series]:
    """The count columns to print in hidden rows whose counts are published."""
    if COUNTS_PUBLISHED not in t.columns:
        return {}
    flags = t[COUNTS_PUBLISHED].fillna(False).astype(bool)
    return {"n_men": flags, "n_women": flags}


def hidden_note(t: pd.DataFrame, why: str) -> str:
    """The sentence on «:» under a per-group pay table (with a leading space); ``why`` says
    why a cell is hidden («fordi …»).

    Where the head counts of hidden rows are printed, they are published counts
    (:func:`analysis.disclosure.hr.show_published_counts`), and the note says that only the
    pay figures from the synthetic data are hidden.
    """
    flags = t[COUNTS_PUBLISHED] if COUNTS_PUBLISHED in t.columns else pd.Series(dtype=bool)
    if not bool(flags.fillna(False).astype(bool).any()):
        return f" : = skjult {why}."
    year = t.attrs.get(COUNTS_PUBLISHED_YEAR)
    whose = f"IMDis publiserte antall for {year}" if year else "IMDis publiserte antall"
    return (
        f" : = lønnstall fra de syntetiske dataene, skjult {why}. Antallet kvinner og menn "
        f"vises likevel: det er {whose}, og et publisert tall er ikke skjult."
    )


def html_nopo_table(
    results: Iterable[NopoResult], *, year: int, min_cell: int = DEFAULT_MIN_CELL
) -> str:
    """The four Ñopo parts with the three reference choices: ``results`` are the
    decompositions with men's, women's and the pooled group means as the reference
    (:func:`analysis.paygap.nopo.nopo_decomposition`; hidden parts NaN,
    :func:`analysis.disclosure.tables.protect_nopo`), in any order."""
    alt = {res.reference: res for res in results}
    nopo = alt["men"]
    rows = []
    names = {
        "men_outside_support": "Menn i stillingsgrupper uten kvinner",
        "women_outside_support": "Kvinner i stillingsgrupper uten menn",
        "composition": "Ulik fordeling på stillingsgrupper",
        "within_groups": "Lønnsforskjell innen stillingsgrupper",
        "total": "Samlet lønnsgap",
    }
    for k, label in names.items():
        men = getattr(nopo, k)
        rows.append(
            {
                "part": label,
                "men": men,
                "pct": 100 * men / nopo.mean_men,
                "women": getattr(alt["women"], k),
                "pooled": getattr(alt["pooled"], k),
                "suppressed": bool(pd.isna(men)),
            }
        )
    t = pd.DataFrame(rows)
    any_hidden = bool(t["suppressed"].any())
    return html_table(
        t.drop(columns="suppressed"),
        caption=f"Lønnsgapet {year} delt i fire deler",
        row_header="part",
        labels={
            "part": "Del",
            "men": "Kroner",
            "pct": "I % av menns gjennomsnittslønn",
            "women": "Kroner, med kvinners lønn som målestokk",
            "pooled": "Kroner, med alles lønn som målestokk",
        },
        formats={
            "men": fmt_nok,
            "pct": lambda v: fmt_pct(v, 2),
            "women": fmt_nok,
            "pooled": fmt_nok,
        },
        suppressed=t["suppressed"] if any_hidden else None,
        note=(
            "Delene summerer til det samlede gapet. Ulik fordeling på stillingsgrupper er "
            "verdsatt med menns gjennomsnittslønn i hver gruppe; de to siste kolonnene viser "
            "hvordan delene endrer seg med kvinners eller alles lønn som målestokk."
            + (
                f" : = skjult fordi delen bygger på en stillingsgruppe med færre enn "
                f"{min_cell} personer av ett kjønn; sammensetningen skjules da også, så "
                "den skjulte delen ikke kan regnes ut av summen."
                if any_hidden
                else ""
            )
        ),
    )


def html_change_table(change: GapChange, *, published: bool = False) -> str:
    """The change in the gap between two years and its two parts
    (:func:`analysis.paygap.nopo.gap_change`): levels and changes in separate columns, each
    with its unit. ``published``: the change is that of the published «Totalt» rows, the
    parts rounded to add up to it (:func:`analysis.paygap.nopo.change_on_totals`)."""
    c = change
    nan = float("nan")
    t = pd.DataFrame(
        [
            {
                "what": str(c.year0),
                "gap": c.gap0,
                "d_gap": nan,
                "ratio": c.ratio0_pct,
                "d_ratio": nan,
            },
            {
                "what": str(c.year1),
                "gap": c.gap1,
                "d_gap": nan,
                "ratio": c.ratio1_pct,
                "d_ratio": nan,
            },
            {
                "what": f"Endring fra {c.year0} til {c.year1}",
                "gap": nan,
                "d_gap": c.change,
                "ratio": nan,
                "d_ratio": c.ratio_change_pp,
            },
            {
                "what": "… fordi fordelingen på stillingsgrupper endret seg",
                "gap": nan,
                "d_gap": c.composition,
                "ratio": nan,
                "d_ratio": c.ratio_composition_pp,
            },
            {
                "what": "… fordi lønnen innen gruppene endret seg",
                "gap": nan,
                "d_gap": c.within_groups,
                "ratio": nan,
                "d_ratio": c.ratio_within_pp,
            },
        ]
    )
    blank = lambda f: lambda v: "" if pd.isna(v) else f(v)  # noqa: E731
    return html_table(
        t,
        caption=f"Endring i lønnsgapet fra {c.year0} til {c.year1}",
        row_header="what",
        labels={
            "what": "År og endring",  # a named header (an empty one is an axe finding)
            "gap": "Lønnsgap (kr)",
            "d_gap": "Endring i lønnsgapet (kr)",
            "ratio": "Kvinners lønn i % av menns",
            "d_ratio": "Endring (prosentpoeng)",
        },
        formats={
            "gap": blank(fmt_nok),
            "d_gap": blank(fmt_nok),
            "ratio": blank(lambda v: fmt_pct(v, 2)),
            "d_ratio": blank(lambda v: fmt_number(v, 2)),
        },
        note=(
            "De to delene summerer til endringen. Lønnsgapene og kvinners lønn i prosent av "
            "menns er de publiserte «Totalt»-radene; delene er beregnet fra stillingsgruppene "
            "og avrundet slik at de summerer nøyaktig til endringen."
            if published
            else "De to delene summerer til endringen."
        ),
    )


def html_oaxaca_table(
    results: Sequence[OaxacaResult], *, year: int, note: str | None = None
) -> str:
    """The twofold Oaxaca–Blinder decompositions (:func:`analysis.paygap.models.oaxaca_paygap`)
    by reference; with a ``note`` (why there are none) that sentence as a paragraph instead."""
    names = {
        "male": "Menns",
        "female": "Kvinners",
        "pooled": "Alles samlet",
    }
    if note is not None:
        return f"<p>{htmllib.escape(note)}</p>"
    rows = []
    for res in results:
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
    # differences of log pay × 100: not per cent, though close to it for small gaps
    num = lambda v: fmt_number(100 * v, 1)  # noqa: E731
    return html_table(
        t,
        caption=f"Lønnsgapet {year} delt i en forklart og en uforklart del",
        row_header="ref",
        labels={
            "ref": "Lønnsstruktur som målestokk",
            "gap": "Gap (om lag %)¹",
            "expl": "Forklart del (om lag %)¹",
            "expl_ci": "Forklart del: 95 % usikkerhetsintervall",
            "unexpl": "Uforklart del (om lag %)¹",
            "unexpl_ci": "Uforklart del: 95 % usikkerhetsintervall",
        },
        formats={"gap": num, "expl": num, "unexpl": num, "expl_ci": str, "unexpl_ci": str},
        note=(
            f"¹ Om lag prosent: {num(t['gap'].iloc[0])} betyr at menn tjener om lag "
            f"{num(t['gap'].iloc[0])} % mer enn kvinner (hvordan tallet er regnet ut, står "
            "under «Om statistikken»). "
            + oaxaca_explained_text(
                base_covariates(next(r for r in results if r.kind == "twofold").covariates)
            )
        ),
    )


def _ci_text(row: pd.Series) -> str:
    return fmt_ci(100 * row["ci_low"], 100 * row["ci_high"], 1, sep=" til ")


def html_eu_table(
    categories: pd.DataFrame,
    *,
    year: int,
    directive_note: str = "",
    adjusted_covariates: Sequence[str] | None = None,
) -> str:
    """The gap per category of workers (:attr:`analysis.paygap.measures.EUIndicators.by_category`
    with ``category`` renamed ``group``, protected by
    :func:`analysis.disclosure.hr.hide_pay_groups`); ``directive_note``: what the flag
    columns mean under the directive (:func:`analysis.paygap.texts.eu_table_note`);
    ``adjusted_covariates`` are those of the adjusted gap
    (:attr:`~analysis.paygap.measures.EUIndicators.adjusted_covariates`, default
    :data:`~analysis.paygap.measures.EU_ADJUSTED_COVARIATES`)."""
    if adjusted_covariates is None:
        adjusted_covariates = EU_ADJUSTED_COVARIATES
    t = categories.copy()
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
        caption=f"Lønnsgap per kategori arbeidstakere {year} (lønnsåpenhetsdirektivet art. 9)",
        row_header="group",
        labels={
            "group": "Kategori (stillingsgruppe)",
            "n_men": "Menn (antall)",
            "n_women": "Kvinner (antall)",
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
        shown=_published_counts(t),
        note=(
            eu_adjusted_text(adjusted_covariates)
            + " Direktivet bruker bruttolønn per time; her brukes årslønn omregnet "
            "til heltid."
            + (f" {directive_note}" if directive_note else "")
            + (
                hidden_note(t, "fordi kategorien har for få personer")
                if bool(t["suppressed"].any())
                else ""
            )
        ),
    )


def html_quartiles_table(quartiles: pd.DataFrame, *, year: int) -> str:
    """Women and men in each quartile pay band
    (:func:`analysis.paygap.measures.pay_quartiles`)."""
    t = quartiles.copy()
    t["quartile"] = t["quartile"].map(lambda q: f"Kvartil {q}")
    return html_table(
        t[["quartile", "n", "share_women_pct", "share_men_pct"]],
        caption=f"Kvinner og menn i hver lønnskvartil {year}",
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
    """Every check of the published table (:func:`analysis.data.quality.quality_findings`);
    with the document of each check when the rows come from more than one."""
    from analysis.data.published import source_title

    t = findings.copy()
    t["status"] = t["status"].map({"ok": "Stemmer", "avvik": "Avvik", "info": "Merknad"})
    cols = ["status", "detail"]
    if t["source_document"].nunique() > 1:
        t["source_document"] = t["source_document"].map(
            lambda d: source_title(d).removeprefix("IMDi, ")
        )
        cols.append("source_document")
    return html_table(
        t[cols],
        caption=caption,
        row_header=None,
        labels={"status": "Resultat", "detail": "Kontroll", "source_document": "Dokument"},
    )


def fmt_part(v: float | None) -> str:
    """A decomposition part in kroner; ``:`` when it is hidden (NaN)."""
    from analysis.render.formatting import SUPPRESSED

    return SUPPRESSED if v is None or pd.isna(v) else fmt_nok(v)
