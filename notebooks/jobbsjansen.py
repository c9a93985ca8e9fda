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

# %%
from analysis.jobbsjansen import plots, tables, texts
from analysis.render import notebook as rn
from analysis.render.figures import show_figure
from analysis.render.formatting import fmt_int, fmt_number, fmt_pct, fmt_share
from analysis.render.keyfigures import record_key_figures
from analysis.render.sources import the_register
from analysis.jobbsjansen import report as J

rn.setup()
r = J.build(year, jobbsjansen_data, min_cell, seed)
rn.header("Jobbsjansen: overgang til arbeid og utdanning", year, r.person.data_source,
          r.person.note,
          publication_date=publication_date)

# %%
t = r.total
cards = [
    ("Gikk over til arbeid og/eller utdanning", fmt_share(t["transition_rate"])),
    ("95 % konfidensintervall",
     f"{fmt_number(100 * t['ci_low'], 1)}–{fmt_pct(100 * t['ci_high'])}"),
    ("Deltakere som fullførte", fmt_int(t["n_completed"])),
    ("Andel når de utfasede regnes med", texts.incl_phased_out_text(r)),
]
if r.published_rate is not None:
    cards.append((f"Publisert av IMDi for {year}", fmt_pct(r.published_rate["value_pct"], 0)))
rn.key_figure_cards(cards)
rn.md(texts.headline_text(r))
rn.md(texts.published_comparison_text(r))

# %% [markdown]
# ## Hva deltakerne gikk videre til
#
# IMDi måler resultatet av Jobbsjansen som andelen av deltakerne som avsluttet programmet i
# løpet av året, som gikk over til arbeid, utdanning eller en kombinasjon. Deltakere som ble
# faset ut før tiden, holdes utenfor nevneren i IMDis mål; tabellen viser dem for seg.

# %%
rn.html(tables.html_outcomes_table(r.outcomes, year=r.year, synthetic=r.synthetic,
                                   min_cell=r.min_cell))

# %% [markdown]
# ## IMDis publiserte tall for året
#
# Tallene IMDi selv har publisert om Jobbsjansen for dette året, gjengitt slik de står i
# kilden.

# %%
if len(r.published_year):
    rn.html(tables.html_published_table(r.published_year, year=r.year))
else:
    rn.md(f"IMDi har ikke publisert tall om Jobbsjansen for {year}.")

# %% [markdown]
# ## Overgang etter målgruppe, kjønn, alder og kommune
#
# Figurene viser andelen som gikk over til arbeid og/eller utdanning i hver gruppe, med 95 %
# konfidensintervall. Den stiplede linjen er andelen for alle, den prikkede linjen målet på
# 60 %. Grupper med få deltakere har brede intervaller: forskjeller mellom dem kan skyldes
# tilfeldigheter.
#
# ### Målgruppe

# %%
show_figure(*plots.group_figure(r.rates, "target_group", min_cell=r.min_cell))
rn.html(tables.html_group_table(r.rates, "target_group", year=r.year, synthetic=r.synthetic,
                                 min_cell=r.min_cell))

# %% [markdown]
# ### Kjønn

# %%
show_figure(*plots.group_figure(r.rates, "gender", min_cell=r.min_cell))
rn.html(tables.html_group_table(r.rates, "gender", year=r.year, synthetic=r.synthetic,
                                 min_cell=r.min_cell))

# %% [markdown]
# ### Alder ved start

# %%
show_figure(*plots.group_figure(r.rates, "age_band", min_cell=r.min_cell))
rn.html(tables.html_group_table(r.rates, "age_band", year=r.year, synthetic=r.synthetic,
                                 min_cell=r.min_cell))

# %% [markdown]
# ### Kommune
#
# Tabellen viser bare kommuner og bydeler med nok deltakere til at tallene kan vises.

# %%
rn.html(tables.html_municipality_table(r.municipalities, n_total=r.n_municipalities,
                                       year=r.year, synthetic=r.synthetic,
                                       min_cell=r.min_cell))

# %% [markdown]
# ## Prosjektene sammenlignet
#
# Prosjektene er ulike store, og i små prosjekter kan andelen svinge mye fra år til år av rene
# tilfeldigheter. En rangeringsliste ville derfor gitt et misvisende bilde. Vi bruker i stedet
# et *traktplott* (Spiegelhalter 2005a): hvert prosjekt er et punkt som viser andelen som gikk
# over til arbeid og/eller utdanning mot antall deltakere som fullførte. Den vannrette linjen
# er andelen for alle prosjektene samlet. Kurvene er kontrollgrenser: et prosjekt som bare
# skiller seg fra gjennomsnittet ved tilfeldigheter, havner innenfor 95 %-grensene i 95 av 100
# tilfeller og innenfor 99,8 %-grensene i 998 av 1 000. Grensene blir smalere jo større
# prosjektet er – derav traktformen.
#
# Hvis prosjektene varierer mer enn tilfeldigheter alene kan forklare (*overspredning*), for
# eksempel fordi arbeidsmarkedet er ulikt fra sted til sted, gjøres grensene bredere slik at
# bare de prosjektene som skiller seg ut også ut fra den vanlige variasjonen mellom prosjekter,
# havner utenfor (Spiegelhalter 2005b).
#
# Et prosjekt utenfor grensene er et signal om å se nærmere på prosjektet, ikke en dom:
# forskjellen kan skyldes hvem deltakerne er, det lokale arbeidsmarkedet eller hvordan
# resultatene er registrert. Prosjekter utenfor 99,8 %-grensene gir sterkest grunn til oppfølging.

# %%
if r.funnel is not None:
    show_figure(*plots.funnel_figure(r.funnel, year=r.year))
rn.md(texts.funnel_text(r))

# %% [markdown]
# ## Sammenligning justert for hvem deltakerne er
#
# Prosjektene har ulike deltakere: noen har mange unge, andre mange som har vært hjemmeværende
# lenge. For å ta hensyn til det beregner vi hvor mange overganger hvert prosjekt kunne
# *forventes* å ha ut fra deltakernes målgruppe, alder og kjønn, med en logistisk
# regresjonsmodell for alle deltakerne som fullførte. Forholdet mellom observert og forventet
# antall overganger (O/F) er over 1 når prosjektet fikk flere over i arbeid eller utdanning enn
# deltakersammensetningen tilsier, og under 1 når det fikk færre. Traktplottet viser O/F mot
# forventet antall, med grenser beregnet på samme måte som over.

# %%
if r.risk is not None:
    show_figure(*plots.funnel_figure(r.risk.funnel, year=r.year))
rn.md(texts.funnel_text(r, risk=True))

# %% [markdown]
# ### Modellen
#
# Tabellen viser oddsforholdene i modellen: hvor mye større eller mindre sjansen for overgang
# er i hver gruppe enn i referansegruppen, når de andre kjennetegnene holdes like.

# %%
rn.md(texts.risk_text(r))
if r.model_table is not None:
    rn.html(tables.html_model_table(r.model_table, r.risk.fit, year=r.year,
                                    synthetic=r.synthetic, min_cell=r.min_cell))

# %% [markdown]
# ### Tall per prosjekt
#
# Tabellen samler tallene for hvert prosjekt som kan vises, med plasseringen i de to
# traktplottene. Den er sortert etter prosjekt-id og er ingen rangering.

# %%
rn.html(tables.html_project_table(r.projects, n_total=r.n_projects, year=r.year,
                                  synthetic=r.synthetic, min_cell=r.min_cell))

# %% [markdown]
# ## Ett år etter avslutning
#
# Overgangen måles den dagen deltakeren avslutter. Om deltakeren fortsatt er i arbeid eller
# utdanning ett år senere, er et annet spørsmål, som SSB følger opp med registerdata. Tallene
# holdes derfor adskilt fra overgangsandelen og skal ikke sammenlignes direkte med den.

# %%
rn.md(texts.followup_text(r))
if r.followup is not None:
    rn.html(tables.html_followup_table(r.followup, year=r.year, synthetic=r.synthetic))

# %% [markdown]
# ## Utviklingen over tid
#
# Figuren viser overgangsandelene IMDi har publisert (Ny sjanse 2012, Jobbsjansen fra 2013),
# spennet som er publisert for 2020–2024, SSBs oppfølging ett år etter for dem som avsluttet i
# 2021, tallet fra registeret for dette året og en linje på 60 %.

# %%
show_figure(*plots.trend_figure(r.trend, r.published, synthetic=r.synthetic))
rn.md(texts.trend_text(r))
rn.md(texts.requirement_text(r))
rn.html(tables.html_series_table(r.published))

# %% [markdown]
# ## Kostnad per deltaker og per overgang
#
# Kostnaden per deltaker er bevilgningen i statsbudsjettet delt på antall deltakere, for de
# årene begge deler er publisert. Kostnaden per overgang krever antall overganger fra
# registeret for samme år. Alle beløpene er omtrentlige.

# %%
rn.md(texts.cost_text(r))
rn.html(tables.html_cost_table(r.cost, synthetic=r.synthetic))

# %% [markdown]
# ## Data og metode

# %%
rn.method_section("jobbsjansen", min_cell=min_cell, register=the_register(r.synthetic))

# %%
record_key_figures(r.key_figures)
rn.provenance_block(
    {"year": year, "jobbsjansen_data": jobbsjansen_data, "min_cell": min_cell, "seed": seed},
    r.inputs)
