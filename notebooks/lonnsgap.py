# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (fou-analyse)
#     language: python
#     name: fou-analyse
# ---

# %% tags=["parameters"]
year = 2025
compare_year = None
hr_data = None
min_cell = 5
seed = 2025
publication_date = None  # ÅÅÅÅ-MM-DD, vises under tittelen (fou run --publication-date)

# %%
from analysis.paygap import plots, tables, texts
from analysis.render import notebook as rn
from analysis.render.figures import show_figure
from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct
from analysis.render.keyfigures import record_key_figures
from analysis.paygap import report as L

rn.setup()
r = L.build(year, compare_year, hr_data, min_cell, seed)
rn.header("Lønnsforskjeller mellom kvinner og menn i IMDi", year, r.person.data_source,
          r.person.note,
          publication_date=publication_date)

# %%
rn.key_figure_cards([
    ("Kvinners lønn i prosent av menns", fmt_pct(r.overall.women_share_of_men_pay_pct, 2)),
    ("Lønnsgap (menns minus kvinners gjennomsnitt)", fmt_nok(r.overall.gap_nok)),
    ("Del av gapet som skyldes ulik fordeling på stillingsgrupper",
     tables.fmt_part(r.nopo.composition)),
])
rn.md(texts.summary_text(r))

# %% [markdown]
# ## Lønn etter stillingsgruppe og kjønn
#
# Tabellen viser lønnstallene slik IMDi har publisert dem i likestillingsredegjørelsen.
# Figuren viser gjennomsnittlig årslønn for kvinner og menn i hver stillingsgruppe.

# %%
if r.published_table is not None:
    rn.html(tables.html_published_table(r.published_table))
else:
    rn.md(f"IMDi har ikke publisert lønnstabellen for {year}; figuren bygger på persondata.")
show_figure(*plots.plot_pay_by_group(r.cells))

# %% [markdown]
# ## Hvorfor er det et lønnsgap?
#
# Gapet mellom menns og kvinners gjennomsnittslønn kan deles i fire deler (Ñopo 2008):
# menn i stillingsgrupper uten kvinner, kvinner i stillingsgrupper uten menn, at kvinner og
# menn fordeler seg ulikt på stillingsgruppene (*sammensetning*), og at kvinner og menn i
# samme stillingsgruppe har ulik lønn (*forskjeller innen grupper*). Menns gjennomsnittslønn i
# hver gruppe er referansen; tabellen viser også resultatet med kvinners og felles
# gruppesnitt som referanse. Delene summerer eksakt til det totale gapet.

# %%
show_figure(*plots.plot_nopo_waterfall(r.nopo))
rn.html(tables.html_nopo_table([r.nopo, *r.nopo_alternatives.values()], year=r.year,
                               min_cell=r.min_cell))

# %% [markdown]
# ## Endring fra året før

# %%
rn.md(texts.change_text(r))
if r.change is not None:
    show_figure(*plots.plot_gap_change(r.change))
    rn.html(tables.html_change_table(r.change))

# %% [markdown]
# ## Lønnsforskjeller når alder, ansiennitet og stilling er tatt i betraktning
#
# Med persondata kan gapet i log årslønn deles i en *forklart* del (kvinner og menn har ulike
# kjennetegn: stillingsgruppe, alder, ansiennitet, midlertidig stilling) og en *uforklart*
# del (de samme kjennetegnene lønnes ulikt) – Oaxaca–Blinder-dekomponeringen. Resultatet
# avhenger av hvilken lønnsstruktur som brukes som referanse, derfor vises tre. Tabellen under
# viser også gap, median og usikkerhet per stillingsgruppe.

# %%
rn.html(tables.html_oaxaca_table(r.oaxaca, year=r.year, note=r.oaxaca_note))
rn.html(tables.html_measures_table(r.measures, year=r.year, synthetic=r.person.synthetic,
                                   min_cell=r.min_cell))

# %% [markdown]
# ## Indikatorer etter EUs lønnsåpenhetsdirektiv
#
# Direktiv (EU) 2023/970 art. 9 ber arbeidsgivere rapportere lønnsgapet (gjennomsnitt og
# median), gapet per kategori arbeidstakere og andelen kvinner og menn i hver lønnskvartil.
# En kategori med et gap på minst 5 % som ikke kan begrunnes objektivt, utløser en felles
# lønnsvurdering (art. 10).

# %%
rn.md(
    f"Gjennomsnittlig lønnsgap: {fmt_pct(r.eu.mean_gap_pct)} av menns lønn; "
    f"mediangap: {fmt_pct(r.eu.median_gap_pct)}."
)
show_figure(*plots.plot_quartiles(r.eu))
rn.html(tables.html_quartiles_table(r.eu.quartiles, year=r.year))
rn.html(tables.html_eu_table(r.eu_categories, year=r.year))

# %% [markdown]
# ## Datakvalitet i den publiserte tabellen
#
# Kontrollene regner de publiserte tallene ut på nytt fra hverandre: kvinners andel av
# menns lønn fra de to gjennomsnittene, antall menn og kvinner fra andelene, og
# «Totalt»-raden fra stillingsgruppene.

# %%
if len(r.findings):
    rn.html(tables.html_findings_table(r.findings, f"Kontroller av lønnstabellen for {year}"))
    n_avvik = int((r.findings["status"] == "avvik").sum())
    rn.md(f"{fmt_number(n_avvik)} av {fmt_number(len(r.findings))} kontroller viser avvik.")
else:
    rn.md(f"Det finnes ingen publisert lønnstabell for {year} å kontrollere.")

# %% [markdown]
# ## Data og metode

# %%
rn.method_section("paygap", min_cell=min_cell)

# %%
record_key_figures(r.key_figures)
rn.provenance_block(
    {"year": year, "compare_year": compare_year, "hr_data": hr_data, "min_cell": min_cell,
     "seed": seed}, r.inputs)
