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
year = 2024
jobbsjansen_data = None
min_cell = 5
seed = 2025
publication_date = None  # ÅÅÅÅ-MM-DD, vises under tittelen (fou run --publication-date)
# Modellvalg (fou run --param NAVN=VERDI); None = standard
funnel_method = None  # "calibrated" (standard) eller "funnelplotr"
funnel_target = None  # midtlinjen som andel, f.eks. 0.6; standard: andelen for alle prosjektene

# %%
from analysis.jobbsjansen import plots, tables, texts
from analysis.render import notebook as rn
from analysis.render import publication as pub
from analysis.render.keyfigures import record_key_figures
from analysis.render.sources import the_register
from analysis.jobbsjansen import report as J

rn.setup()
r = J.build(year, jobbsjansen_data, min_cell, seed,
            funnel_method=funnel_method, funnel_target=funnel_target)
rn.header(texts.report_title(r), year, r.person.data_source, texts.banner_note(r),
          publication_date=publication_date, source_text=texts.data_basis(r))
cards = texts.key_cards(r)
if cards:
    rn.key_figure_cards(cards)
pub.hovedfunn(texts.hovedfunn(r))
computed = texts.computed_source(r.synthetic)

# %% [markdown]
# ## Overgang til arbeid og utdanning over tid
#
# IMDi måler resultatet av Jobbsjansen som andelen av deltakerne som avsluttet programmet i
# løpet av året, som gikk over til arbeid, utdanning eller en kombinasjon. Figuren viser
# andelene IMDi har publisert (Ny sjanse i 2012, Jobbsjansen fra 2013), spennet som er
# publisert for 2020–2024, SSBs oppfølging ett år etter for dem som avsluttet i 2021 og
# målet på 60 % for 2014.

# %%
trend_source = texts.series_source(r.published)
if not r.synthetic:
    trend_source += "; " + computed
fig, alt = plots.trend_figure(r.trend, r.published, synthetic=r.synthetic, titled=False)
pub.figure(fig, alt=alt,
           title="Andel over i arbeid og/eller utdanning etter avsluttet program",
           source=trend_source)
rn.md(texts.trend_text(r))
pub.table(tables.html_series_table(r.published), source=texts.series_source(r.published));

# %% [markdown]
# ## IMDis publiserte tall for året
#
# Tallene IMDi selv har publisert om Jobbsjansen for dette året, slik de står i kilden.

# %%
if len(r.published_other):
    pub.table(tables.html_published_table(r.published_other, year=r.year),
              source=texts.published_source(r.published_other))
else:
    rn.md(texts.no_other_published_text(r))

# %% [markdown]
# ## Kostnad per deltaker
#
# Kostnaden per deltaker er bevilgningen i statsbudsjettet delt på antall deltakere, for de
# årene begge deler er publisert.

# %%
rn.md(texts.cost_text(r))
pub.table(tables.html_cost_table(r.cost, synthetic=r.synthetic),
          source=texts.cost_source(r));

# %% [markdown]
# ## Hva deltakerne gikk videre til

# %%
if r.synthetic:
    pub.illustration(texts.ILLUSTRATION_TEXTS["outcomes"])
rn.md(texts.headline_text(r))
rn.md(texts.published_comparison_text(r))
pub.table(tables.html_outcomes_table(r.outcomes, year=r.year, synthetic=r.synthetic,
                                     min_cell=r.min_cell), source=computed);

# %% [markdown]
# ## Overgang etter målgruppe, kjønn og alder

# %%
if r.synthetic:
    pub.illustration(texts.ILLUSTRATION_TEXTS["groups"])

# %% [markdown]
# Figurene viser andelen som gikk over til arbeid og/eller utdanning i hver gruppe, med
# usikkerhetsmarginen (95 % konfidensintervall). Den stiplede linjen er andelen for alle.
# Grupper med få deltakere har brede marginer: forskjeller mellom dem kan skyldes
# tilfeldigheter.
#
# ### Målgruppe

# %%
fig, alt = plots.group_figure(r.rates, "target_group", min_cell=r.min_cell, titled=False)
pub.figure(fig, alt=alt,
           title=texts.group_figure_title("target_group", r.year), source=computed)
pub.table(tables.html_group_table(r.rates, "target_group", year=r.year,
                                  synthetic=r.synthetic, min_cell=r.min_cell,
                                  incl_phased_out=False), source=computed);

# %% [markdown]
# ### Kjønn

# %%
fig, alt = plots.group_figure(r.rates, "gender", min_cell=r.min_cell, titled=False)
pub.figure(fig, alt=alt,
           title=texts.group_figure_title("gender", r.year), source=computed)
pub.table(tables.html_group_table(r.rates, "gender", year=r.year, synthetic=r.synthetic,
                                  min_cell=r.min_cell, incl_phased_out=False),
          source=computed);

# %% [markdown]
# ### Alder ved start

# %%
fig, alt = plots.group_figure(r.rates, "age_band", min_cell=r.min_cell, titled=False)
pub.figure(fig, alt=alt,
           title=texts.group_figure_title("age_band", r.year), source=computed)
pub.table(tables.html_group_table(r.rates, "age_band", year=r.year, synthetic=r.synthetic,
                                  min_cell=r.min_cell, incl_phased_out=False),
          source=computed);

# %% [markdown]
# ## Prosjektene sammenlignet

# %%
if r.synthetic:
    pub.illustration(texts.ILLUSTRATION_TEXTS["projects"])

# %%
rn.prose(texts.funnel_intro(r))  # midtlinjen følger funnel_target

# %%
if r.funnel is not None:
    fig, alt = plots.funnel_figure(r.funnel, year=r.year, titled=False)
    pub.figure(fig, alt=alt,
               title=f"Andel over i arbeid og/eller utdanning per prosjekt, {r.year}",
               source=computed)
rn.md(texts.funnel_text(r))
pub.table(tables.html_project_table(r.projects, n_total=r.n_projects, year=r.year,
                                    synthetic=r.synthetic, min_cell=r.min_cell),
          source=computed);

# %% [markdown]
# ## Sammenligning justert for hvem deltakerne er

# %%
if r.synthetic:
    pub.illustration(texts.ILLUSTRATION_TEXTS["risk"])

# %%
rn.prose(texts.risk_intro(r))  # nevner modellens forklaringsvariabler

# %%
if r.risk is not None:
    fig, alt = plots.funnel_figure(r.risk.funnel, year=r.year, titled=False)
    pub.figure(fig, alt=alt,
               title=f"Observert/forventet antall overganger per prosjekt, {r.year}",
               source=computed)
rn.md(texts.funnel_text(r, risk=True))
rn.md(texts.risk_text(r))

# %% [markdown]
# ## Ett år etter avslutning
#
# Overgangen måles den dagen deltakeren avslutter. Om deltakeren fortsatt er i arbeid eller
# utdanning ett år senere, er et annet spørsmål, som SSB følger opp med registerdata. Tallene
# holdes derfor adskilt fra overgangsandelen og skal ikke sammenlignes direkte med den.

# %%
pub.end_illustration()  # SSBs publiserte tall: utenfor rammen rundt de syntetiske tallene
rn.md(texts.ssb_followup_text(r))
if r.followup is not None:
    if r.synthetic:
        pub.illustration(texts.ILLUSTRATION_TEXTS["followup"])
    rn.md(texts.followup_text(r))
    pub.table(tables.html_followup_table(r.followup, year=r.year, synthetic=r.synthetic),
              source=computed)
elif not r.synthetic:
    rn.md(texts.followup_text(r))

# %%
pub.appendix()

# %% [markdown]
# ### Definisjoner

# %%
rn.md(texts.definitions_text())

# %% [markdown]
# ### Kilder

# %%
rn.md(texts.sources_text(r))

# %% [markdown]
# ### Metode, usikkerhet og personvern

# %%
rn.method_section("jobbsjansen", min_cell=min_cell, register=the_register(r.synthetic),
                  funnel_method=texts.funnel_method_description(r.funnel_method),
                  risk_covariates=texts.risk_covariates_text())
rn.md(texts.model_method_text(r), synthetic=r.synthetic)  # i rammen når dataene er syntetiske
if r.model_table is not None:
    pub.table(tables.html_model_table(r.model_table, r.risk.fit, year=r.year,
                                      synthetic=r.synthetic, min_cell=r.min_cell),
              source=computed)
pub.end_illustration()

# %% [markdown]
# ### Datakvalitet

# %%
rn.md(texts.quality_text(r))

# %%
record_key_figures(r.json_key_figures)
rn.provenance_block(
    {"year": year, "jobbsjansen_data": jobbsjansen_data, "min_cell": min_cell, "seed": seed},
    r.inputs, choices={"funnel_method": funnel_method, "funnel_target": funnel_target},
    used=texts.parameters_used(r))  # hva tomme parametere sto for
rn.inspect(r)  # bare i JupyterLab: tabellene bak tallene (r.rates, r.projects, …)
