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
# Modellvalg (fou run --param NAVN=VERDI); None = standardmodellen
oaxaca_covariates = None  # f.eks. ["age", "tenure_years"]; standard: DEFAULT_OAXACA_COVARIATES
oaxaca_references = None  # delmengde av ["male", "female", "pooled"]; standard: alle tre

# %%
from analysis.paygap import plots, tables, texts
from analysis.paygap import report as L
from analysis.render import notebook as rn
from analysis.render import publication as pub
from analysis.render.keyfigures import record_key_figures

rn.setup()
r = L.build(year, compare_year, hr_data, min_cell, seed,
            oaxaca_covariates=oaxaca_covariates, oaxaca_references=oaxaca_references)
rn.header("Lønnsforskjeller mellom kvinner og menn i IMDi", year, r.person.data_source,
          texts.banner_note(r), publication_date=publication_date,
          source_text=texts.header_source(r))

# %%
if texts.key_cards(r):
    rn.key_figure_cards(texts.key_cards(r))
pub.hovedfunn(texts.hovedfunn(r))

# %% [markdown]
# ## Lønn etter stillingsgruppe og kjønn

# %%
rn.md(texts.pay_by_group_text(r))
if r.published_table is not None:
    pub.table(tables.html_published_table(r.published_table),
              source=texts.published_source(r.published_total))
    rn.md(texts.checks_text(r))
if r.lead == "synthetic":
    pub.illustration(texts.illustration_text("Lønnstallene i figuren"))
fig, alt = plots.plot_pay_by_group(r.cells)
n_fig = pub.figure(fig, title=texts.pay_by_group_title(r), alt=alt,
                   source=texts.computed_source(r) if r.lead != "published"
                   else texts.published_source(r.headline))

# %% [markdown]
# ## Hva består lønnsgapet av?
#
# Lønnsgapet kan deles i fire deler: menn i stillingsgrupper uten kvinner, kvinner i
# stillingsgrupper uten menn, at kvinner og menn fordeler seg ulikt på stillingsgruppene, og
# at kvinner og menn i samme stillingsgruppe har ulik lønn. Delingen viser *hvor* gapet
# oppstår, ikke *hvorfor*: den sier ikke om forskjellene er rimelige, og heller ikke hvilke
# forhold bak lønnen tallene ikke fanger opp.

# %%
if r.lead == "synthetic":
    pub.illustration(texts.illustration_text("Delene av lønnsgapet"))
if r.pay_note is not None:
    rn.md(r.pay_note)
else:
    rn.md(texts.parts_text(r))
    fig, alt = plots.plot_nopo_waterfall(r.nopo)
    pub.figure(fig, title=f"Lønnsgapet {year} delt i fire deler, kroner", alt=alt,
               source=texts.computed_source(r))
    n_tab = pub.table(tables.html_nopo_table([r.nopo, *r.nopo_alternatives.values()], year=r.year,
                                     min_cell=r.min_cell),
              source=texts.computed_source(r))

# %% [markdown]
# ## Endring fra året før

# %%
pub.end_illustration()  # endringen bygger på publiserte tall, om ikke panelet sier noe annet
if r.change is not None and texts.change_is_illustration(r):
    pub.illustration(texts.illustration_text("Endringen"))
rn.md(texts.change_text(r))
if r.change is not None:
    fig, alt = plots.plot_gap_change(r.change)
    pub.figure(fig, title=f"Endring i lønnsgapet fra {r.change.year0} til {r.change.year1}, "
               "kroner", alt=alt, source=texts.change_source(r))
    n_tab = pub.table(tables.html_change_table(r.change, published=r.change_source == "published"),
              source=texts.change_source(r))

# %%
rn.prose(texts.oaxaca_intro(r))  # overskrift og tekst følger oaxaca_covariates

# %%
rn.notes(r.notes)
if r.illustration:
    pub.illustration(texts.illustration_text("Tallene i denne delen"))
if r.oaxaca_note is not None:
    rn.md(r.oaxaca_note)
else:
    pub.table(tables.html_oaxaca_table(r.oaxaca, year=r.year),
              source=texts.computed_source(r, person_level=True))
n_tab = pub.table(tables.html_measures_table(r.measures, year=r.year,
                                             synthetic=r.person.synthetic, min_cell=r.min_cell,
                                             total_note=texts.measures_total_note(r)),
                  source=texts.computed_source(r, person_level=True))

# %% [markdown]
# ## Indikatorer etter EUs lønnsåpenhetsdirektiv
#
# Direktiv (EU) 2023/970 art. 9 ber arbeidsgivere rapportere blant annet lønnsgapet
# (gjennomsnitt og median), gapet per kategori arbeidstakere og andelen kvinner og menn i hver
# lønnskvartil. Er forskjellen i gjennomsnittslønn i en kategori minst 5 %, og arbeidsgiveren
# verken kan begrunne den med objektive, kjønnsnøytrale kriterier eller retter den opp innen
# seks måneder, skal arbeidsgiveren og de ansattes representanter gjøre en felles
# lønnsvurdering (art. 10). Direktivet er ikke norsk lov ennå; indikatorene vises bare til
# orientering.

# %%
if r.illustration:
    pub.illustration(texts.illustration_text("Indikatorene"))
rn.md(texts.eu_text(r))
fig, alt = plots.plot_quartiles(r.eu)
pub.figure(fig, title=f"Kvinner og menn i hver lønnskvartil, {year}", alt=alt,
           source=texts.computed_source(r, person_level=True))
pub.table(tables.html_quartiles_table(r.eu.quartiles, year=r.year),
          source=texts.computed_source(r, person_level=True))
n_tab = pub.table(tables.html_eu_table(r.eu_categories, year=r.year,
                                       directive_note=texts.eu_table_note(r),
                                       adjusted_covariates=r.eu.adjusted_covariates),
                  source=texts.computed_source(r, person_level=True))

# %%
pub.appendix()

# %% [markdown]
# ### Definisjoner
#
# * **Lønn**: gjennomsnittlig årslønn omregnet til heltid.
# * **Kvinners lønn i prosent av menns**: kvinners gjennomsnittslønn delt på menns
#   gjennomsnittslønn, ganger 100.
# * **Lønnsgap**: menns gjennomsnittslønn minus kvinners, i kroner eller i prosent av menns.
# * **Stillingsgrupper**: toppledere, mellomledere, alternativ karrierevei, saksbehandlere,
#   konsulenter/sekretærer og lærlinger, som i IMDis likestillingsredegjørelse.
# * **Log-poeng**: forskjell i logaritmen av lønn × 100. For små forskjeller er tallet omtrent
#   forskjellen i prosent.
# * **Median**: lønnen som deler de ansatte i to like store halvdeler.
# * **Lønnskvartil**: en fjerdedel av de ansatte, sortert etter lønn (1 = lavest).

# %% [markdown]
# ### Kilder

# %%
rn.md(texts.sources_text(r))

# %% [markdown]
# ### Metode, usikkerhet og personvern

# %%
rn.method_section("paygap", min_cell=min_cell)

# %% [markdown]
# ### Datakvalitet

# %%
rn.md(texts.quality_text(r))
if len(r.findings):
    n_tab = pub.table(tables.html_findings_table(r.findings, f"Kontroller av lønnstabellen for {year}"),
                      source=texts.findings_source(r))

# %%
record_key_figures(r.key_figures)
rn.provenance_block(
    {"year": year, "compare_year": compare_year, "hr_data": hr_data, "min_cell": min_cell,
     "seed": seed}, r.inputs,
    choices={"oaxaca_covariates": oaxaca_covariates, "oaxaca_references": oaxaca_references},
    used=texts.parameters_used(r))  # hva tomme parametere sto for (sammenligningsår, data)
rn.inspect(r)  # bare i JupyterLab: tabellene bak tallene (r.cells, r.measures, …)
